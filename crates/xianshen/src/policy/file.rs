//! The policy file as written (serde model). Spans are kept on every value
//! that validation may reject, so errors can name line and column.

use crate::date::Date;
use crate::draft::Kind;
use crate::evasion::EvasionSettings;
use crate::normalize::NormalizeOptions;
use crate::verdict::{Approval, Severity};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use toml::Spanned;

/// A spanned string, as read from TOML.
pub(crate) type SString = Spanned<String>;

pub(crate) fn sstring(s: impl Into<String>) -> SString {
    Spanned::new(0..0, s.into())
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PolicyFile {
    pub meta: MetaFile,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lexicon: Vec<LexiconFile>,
    #[serde(default, skip_serializing_if = "AllowFile::is_empty")]
    pub allow: AllowFile,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub near: Vec<NearFile>,
    #[serde(default, skip_serializing_if = "SourcesFile::is_empty")]
    pub sources: SourcesFile,
    #[serde(default, skip_serializing_if = "LinksFile::is_empty")]
    pub links: LinksFile,
    #[serde(default, skip_serializing_if = "OwnFile::is_empty")]
    pub own: OwnFile,
    #[serde(default, skip_serializing_if = "StyleFile::is_empty")]
    pub style: StyleFile,
    #[serde(default, skip_serializing_if = "NamesFile::is_empty")]
    pub names: NamesFile,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub rules: BTreeMap<SString, RuleSettingFile>,
    #[serde(default)]
    pub limits: LimitsFile,
    #[serde(default, skip_serializing_if = "AuditFile::is_empty")]
    pub audit: AuditFile,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MetaFile {
    pub name: String,
    #[serde(default)]
    pub version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extends: Option<SString>,
}

/// Whether a CJK term must line up with word boundaries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Boundary {
    /// The default: a term of one or two CJK characters in a group of
    /// `review` or `block` severity must line up with jieba word
    /// boundaries (约炮 is not in 北约炮兵, 妈逼 not in 我老妈逼的); longer
    /// terms match anywhere.
    #[default]
    Auto,
    /// Match anywhere (Latin and digit runs are still respected).
    Any,
    /// A CJK term must begin and end on jieba word boundaries
    /// (大麻 is not in 大麻烦).
    Word,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LexiconFile {
    pub tag: SString,
    pub severity: Severity,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval: Option<Approval>,
    #[serde(default)]
    pub boundary: Boundary,
    #[serde(default)]
    pub normalize: NormalizeOptions,
    /// Which evasive spellings are looked for in which drafts. They need
    /// the group's normalization to be the default (every fold on).
    #[serde(default, skip_serializing_if = "EvasionSettings::is_default")]
    pub evasion: EvasionSettings,
    /// The kinds of draft the group applies to; every kind when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kinds: Vec<Kind>,
    /// The terms are threats to the one addressed (弄死你): a hit counts
    /// only where the writer makes the threat (see `rules::threat`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub threat: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default)]
    pub terms: Vec<SString>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<SString>,
}

impl LexiconFile {
    /// Whether the group applies to a draft of `kind`.
    pub fn applies_to(&self, kind: Kind) -> bool {
        self.kinds.is_empty() || self.kinds.contains(&kind)
    }

    /// The evasion settings in force: none unless every fold is on.
    pub fn evasion(&self) -> Option<&EvasionSettings> {
        self.normalize.is_all().then_some(&self.evasion)
    }
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AllowFile {
    #[serde(default)]
    pub terms: Vec<SString>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<SString>,
}

impl AllowFile {
    fn is_empty(&self) -> bool {
        self.terms.is_empty() && self.files.is_empty()
    }
}

fn default_within() -> usize {
    20
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NearFile {
    pub tag: SString,
    pub severity: Severity,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval: Option<Approval>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    pub terms: Vec<SString>,
    #[serde(default = "default_within")]
    pub within: usize,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SourcesFile {
    #[serde(default)]
    pub approved: Vec<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub aliases: BTreeMap<String, Vec<String>>,
}

impl SourcesFile {
    fn is_empty(&self) -> bool {
        self.approved.is_empty() && self.aliases.is_empty()
    }
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LinksFile {
    #[serde(default)]
    pub allowed_domains: Vec<String>,
    /// Whether the embedded list of official and central-media domains
    /// (`data/official-domains.toml`) is allowed too; on unless `false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub official_domains: Option<bool>,
}

impl LinksFile {
    fn is_empty(&self) -> bool {
        self.allowed_domains.is_empty() && self.official_domains.is_none()
    }
}

/// `[own]`: the unit's own accounts and sites.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct OwnFile {
    /// The unit's own WeChat, Weibo, QQ or Douyin ids: a draft that sends
    /// readers to them is no diversion (`ad.contact`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub handles: Vec<String>,
    /// The unit's own domains: links and e-mail addresses on them pass.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sites: Vec<String>,
}

impl OwnFile {
    fn is_empty(&self) -> bool {
        self.handles.is_empty() && self.sites.is_empty()
    }
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StyleFile {
    /// wrong form = preferred form
    #[serde(default)]
    pub substitutions: BTreeMap<SString, String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<SString>,
}

impl StyleFile {
    fn is_empty(&self) -> bool {
        self.substitutions.is_empty() && self.files.is_empty()
    }
}

/// `[names]`: protected names, whose near misses are `style.name`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NamesFile {
    /// Canonical forms.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub protect: Vec<SString>,
    /// List files: one canonical form a line, optionally a tab and its
    /// category.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<SString>,
    /// name = category (国家机构, 本单位名称…), named in the message.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub categories: BTreeMap<SString, String>,
}

impl NamesFile {
    fn is_empty(&self) -> bool {
        self.protect.is_empty() && self.files.is_empty() && self.categories.is_empty()
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RuleSettingFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval: Option<Approval>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LimitsFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_findings: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_term_chars: Option<usize>,
}

/// `[audit]`: what an archive audit holds an account to.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AuditFile {
    /// Message category = working days allowed for the reply.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub deadlines: BTreeMap<SString, u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_deadline: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severe_gap_days: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boilerplate_min_messages: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boilerplate_similarity: Option<f64>,
    #[serde(default, skip_serializing_if = "CalendarFile::is_empty")]
    pub calendar: CalendarFile,
}

impl AuditFile {
    fn is_empty(&self) -> bool {
        *self == AuditFile::default()
    }
}

/// `[audit.calendar]`: the organisation's own calendar for years the
/// embedded holiday data lacks.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CalendarFile {
    /// Years this calendar covers completely (every holiday and make-up
    /// working day listed); the years of listed dates count too.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub years: Vec<u32>,
    /// Public holidays on what would be working days.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holidays: Vec<Date>,
    /// Make-up working days (调休) on what would be weekends.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub workdays: Vec<Date>,
    /// List files: `YYYY-MM-DD<TAB>休` (a holiday) or `<TAB>班` (a make-up
    /// working day) a line; inlined at load.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<SString>,
}

impl CalendarFile {
    fn is_empty(&self) -> bool {
        *self == CalendarFile::default()
    }
}
