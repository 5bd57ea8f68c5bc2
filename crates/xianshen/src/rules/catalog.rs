//! The built-in rules: stable ids, defaults and messages.

use crate::verdict::{Approval, Severity};

/// A built-in rule's description.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleInfo {
    /// Stable id, e.g. `privacy.id_card`.
    pub id: &'static str,
    /// Default severity.
    pub severity: Severity,
    /// Default approval level, if the rule asks for more than a reviewer.
    pub approval: Option<Approval>,
    /// The message shown to the editor (Chinese): what rule is broken and
    /// what to do.
    pub message: &'static str,
    /// One line of English help, for SARIF and documentation.
    pub help: &'static str,
}

impl RuleInfo {
    /// The category: the part of the id before the first dot.
    pub fn category(&self) -> &'static str {
        category_of(self.id)
    }
}

/// The category of a rule id: the part before the first dot.
///
/// # Examples
///
/// ```
/// assert_eq!(xianshen::rules::category_of("term.drugs"), "term");
/// ```
pub fn category_of(id: &str) -> &str {
    id.split_once('.').map_or(id, |(c, _)| c)
}

const fn rule(
    id: &'static str,
    severity: Severity,
    approval: Option<Approval>,
    message: &'static str,
    help: &'static str,
) -> RuleInfo {
    RuleInfo {
        id,
        severity,
        approval,
        message,
        help,
    }
}

use Approval::{Head, Leadership};
use Severity::{Block, Info, Review};

/// Every built-in rule, in documentation order.
pub static RULES: &[RuleInfo] = &[
    rule("classified.marking", Block, Some(Head),
        "出现密级标志。依据“严格遵守保密管理相关规定，严禁发布涉密信息”，涉密内容不得发布，请删除并报保密部门。",
        "A state-secret classification marking (绝密/机密/秘密★period)."),
    rule("classified.internal", Review, Some(Head),
        "出现内部资料标识。内部资料不得公开发布，请确认已解除限制并经单位主要负责人审核。",
        "An internal-use marking (内部资料, 不得外传…)."),
    rule("classified.commercial", Block, Some(Head),
        "出现商业秘密标志（核心商密/普通商密）。严禁泄露商业秘密，请删除。",
        "A commercial-secret marking (核心商密, 普通商密)."),
    rule("privacy.id_card", Block, None,
        "出现居民身份证号码。严禁泄露个人隐私，请删除或打码。",
        "An 18-character PRC resident ID number with a valid check digit."),
    rule("privacy.mobile", Review, None,
        "出现手机号码。发布个人联系方式须经本人同意，否则请删除或打码。",
        "A mainland mobile phone number."),
    rule("privacy.bank_card", Block, None,
        "出现银行卡号。严禁泄露个人隐私和财产信息，请删除或打码。",
        "A Luhn-valid bank card number with card context or a 62 prefix."),
    rule("privacy.email", Review, None,
        "出现非本单位域名的电子邮箱。发布个人联系方式须经本人同意，请核实。",
        "An e-mail address outside the policy's allowed domains."),
    rule("privacy.passport", Review, None,
        "出现护照或通行证号码。严禁泄露个人隐私，请删除或打码。",
        "A passport or travel-permit number next to 护照/通行证."),
    rule("ad.link", Review, None,
        "出现外部链接。严禁发布商业广告和广告链接，请删除或改为政府、高校等认可的链接。",
        "A URL or domain not on the policy's allowed list."),
    rule("ad.contact", Block, None,
        "出现引流到私人联系方式的内容（加微信、QQ等）。严禁发布商业广告，请删除。",
        "Diversion to a private contact (加微信, QQ, 扫码添加…)."),
    rule("ad.promotion", Review, None,
        "出现促销用语。严禁发布商业广告，请删除促销内容。",
        "Two or more promotion cues close together (优惠券, 包邮, 秒杀…)."),
    rule("ad.absolute", Review, None,
        "商业语境中出现绝对化用语（《广告法》第九条第三项禁止使用“国家级”“最高级”“最佳”等用语），请删除或改写。",
        "Advertising Law art. 9(3) absolute terms in a commercial context."),
    rule("attribution.missing", Block, None,
        "转载内容未注明来源。依据“转载信息需注明来源”，请在文中注明“来源：××”。",
        "A repost without a source declaration (来源：…)."),
    rule("attribution.unapproved", Review, Some(Head),
        "注明的来源不在本单位认可的稿源单位名单中，须经单位主要负责人审核。",
        "The declared source is not on the policy's approved list."),
    rule("opinion.personal", Review, None,
        "出现个人观点或情绪化表达。“严禁用单位新媒体平台发布纯属个人的信息”，请改为客观表述。",
        "First-person opinion or emotion in the account's own voice."),
    rule("event.major", Review, Some(Leadership),
        "涉及重大或突发事件。重大、突发事件信息须按统一部署、统一口径发布，并报领导审核。",
        "A report of a major or emergency event."),
    rule("style.term", Info, None,
        "用语不规范，建议改用规范用语。",
        "Non-standard wording with a preferred form."),
    rule("style.name", Block, Some(Head),
        "规范名称书写错误（错字、漏字、多字或字序颠倒），属严重表述错误，请改为规范名称。",
        "A protected name (the state, an institution, the unit) misspelt: one char replaced by a soundalike or lookalike, dropped, doubled, inserted or swapped."),
];

/// A built-in rule, typed: its index in [`RULES`] (and in every screener's
/// rule table, where built-in rules come first) is its discriminant.
///
/// # Examples
///
/// ```
/// use xianshen::rules::BuiltinRule;
/// assert_eq!(BuiltinRule::EventMajor.id(), "event.major");
/// assert_eq!(BuiltinRule::from_id("ad.link"), Some(BuiltinRule::AdLink));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u32)]
pub enum BuiltinRule {
    /// `classified.marking`
    ClassifiedMarking,
    /// `classified.internal`
    ClassifiedInternal,
    /// `classified.commercial`
    ClassifiedCommercial,
    /// `privacy.id_card`
    PrivacyIdCard,
    /// `privacy.mobile`
    PrivacyMobile,
    /// `privacy.bank_card`
    PrivacyBankCard,
    /// `privacy.email`
    PrivacyEmail,
    /// `privacy.passport`
    PrivacyPassport,
    /// `ad.link`
    AdLink,
    /// `ad.contact`
    AdContact,
    /// `ad.promotion`
    AdPromotion,
    /// `ad.absolute`
    AdAbsolute,
    /// `attribution.missing`
    AttributionMissing,
    /// `attribution.unapproved`
    AttributionUnapproved,
    /// `opinion.personal`
    OpinionPersonal,
    /// `event.major`
    EventMajor,
    /// `style.term`
    StyleTerm,
    /// `style.name`
    StyleName,
}

impl BuiltinRule {
    /// Every built-in rule, in catalog order.
    pub const ALL: [BuiltinRule; 18] = [
        BuiltinRule::ClassifiedMarking,
        BuiltinRule::ClassifiedInternal,
        BuiltinRule::ClassifiedCommercial,
        BuiltinRule::PrivacyIdCard,
        BuiltinRule::PrivacyMobile,
        BuiltinRule::PrivacyBankCard,
        BuiltinRule::PrivacyEmail,
        BuiltinRule::PrivacyPassport,
        BuiltinRule::AdLink,
        BuiltinRule::AdContact,
        BuiltinRule::AdPromotion,
        BuiltinRule::AdAbsolute,
        BuiltinRule::AttributionMissing,
        BuiltinRule::AttributionUnapproved,
        BuiltinRule::OpinionPersonal,
        BuiltinRule::EventMajor,
        BuiltinRule::StyleTerm,
        BuiltinRule::StyleName,
    ];

    /// Its index in [`RULES`] and in every screener's rule table.
    pub const fn index(self) -> u32 {
        self as u32
    }

    /// The built-in rule at this index of a screener's rule table, if the
    /// index is a built-in one (they come first, in catalog order).
    ///
    /// ```
    /// use xianshen::rules::BuiltinRule;
    /// assert_eq!(BuiltinRule::from_index(BuiltinRule::AdLink.index()), Some(BuiltinRule::AdLink));
    /// assert_eq!(BuiltinRule::from_index(1000), None);
    /// ```
    pub fn from_index(index: u32) -> Option<BuiltinRule> {
        BuiltinRule::ALL.get(index as usize).copied()
    }

    /// Its description in the catalog.
    pub fn info(self) -> &'static RuleInfo {
        &RULES[self as usize]
    }

    /// Its stable id (`ad.link`).
    pub fn id(self) -> &'static str {
        self.info().id
    }

    /// The rule with this id, if it is a built-in one.
    pub fn from_id(id: &str) -> Option<BuiltinRule> {
        BuiltinRule::ALL.into_iter().find(|r| r.id() == id)
    }

    /// The family of detectors that finds it.
    pub fn family(self) -> Family {
        use BuiltinRule::*;
        match self {
            ClassifiedMarking | ClassifiedInternal | ClassifiedCommercial => Family::Classified,
            PrivacyIdCard | PrivacyMobile | PrivacyBankCard | PrivacyEmail | PrivacyPassport => {
                Family::Privacy
            }
            AdLink | AdContact | AdPromotion | AdAbsolute => Family::Ad,
            AttributionMissing | AttributionUnapproved => Family::Attribution,
            OpinionPersonal => Family::Opinion,
            EventMajor => Family::Event,
            StyleTerm | StyleName => Family::Style,
        }
    }
}

/// A family of built-in rules, found by one detector module.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Family {
    /// `classified.*`
    Classified,
    /// `privacy.*`
    Privacy,
    /// `ad.*`
    Ad,
    /// `attribution.*`
    Attribution,
    /// `opinion.*`
    Opinion,
    /// `event.*`
    Event,
    /// `style.*`, found by the matcher itself.
    Style,
}

/// The built-in rule with this id.
pub fn lookup(id: &str) -> Option<&'static RuleInfo> {
    RULES.iter().find(|r| r.id == id)
}

/// The ids of all built-in rules.
pub fn ids() -> impl Iterator<Item = &'static str> {
    RULES.iter().map(|r| r.id)
}

/// English help and the default Chinese message of any rule id: the
/// catalog's for a built-in rule, the lexicon or `near` default for
/// `term.<tag>` and `near.<tag>` (whose messages a policy may override
/// per group).
///
/// ```
/// let (help, message) = xianshen::rules::describe("term.drugs");
/// assert!(help.contains("`drugs`"));
/// assert!(message.contains("涉毒内容"));
/// assert_eq!(xianshen::rules::describe("ad.link").0, xianshen::rules::lookup("ad.link").unwrap().help);
/// ```
pub fn describe(id: &str) -> (String, String) {
    if let Some(info) = lookup(id) {
        return (info.help.to_string(), info.message.to_string());
    }
    let (family, tag) = id.split_once('.').unwrap_or((id, ""));
    match family {
        "term" => (
            format!("A term from the policy's `{tag}` lexicon."),
            term_message(tag),
        ),
        "near" => (
            format!("The terms of the policy's `{tag}` co-occurrence entry appear close together."),
            near_message(tag),
        ),
        _ => (format!("Rule {id}."), String::new()),
    }
}

/// Default message for a `term.<tag>` finding.
pub(crate) fn term_message(tag: &str) -> String {
    let what = match tag {
        "drugs" => "涉毒内容",
        "gambling" => "涉赌内容",
        "porn" => "色情内容",
        "violence" => "暴力内容",
        "fraud" => "诈骗内容",
        "insult" => "侮辱性用语",
        "weapons" => "涉枪涉爆内容",
        _ => "敏感词",
    };
    format!("出现{what}（词表：{tag}）。依据“严禁发布反动、暴力、色情等有害信息”，请删除或改写。")
}

/// Default message for a `near.<tag>` finding.
pub(crate) fn near_message(tag: &str) -> String {
    format!("相关词语在短距离内同时出现（组合规则：{tag}），可能构成违规内容，请核实。")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_categorized() {
        let mut ids: Vec<_> = ids().collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), RULES.len());
        assert!(RULES
            .iter()
            .all(|r| r.id.contains('.') && !r.message.is_empty()));
        assert_eq!(lookup("event.major").unwrap().approval, Some(Leadership));
    }

    #[test]
    fn typed_rules_follow_the_catalog() {
        assert_eq!(BuiltinRule::ALL.len(), RULES.len());
        for (i, rule) in BuiltinRule::ALL.into_iter().enumerate() {
            assert_eq!(rule.index() as usize, i);
            assert_eq!(rule.id(), RULES[i].id);
            assert_eq!(BuiltinRule::from_id(rule.id()), Some(rule));
            assert_eq!(
                category_of(rule.id()),
                format!("{:?}", rule.family()).to_lowercase()
            );
        }
    }
}
