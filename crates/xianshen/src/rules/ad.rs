//! `ad.*`: links, diversion to private contacts, promotion cues and
//! absolute terms in a commercial context.

use super::cues::CueKind;
use super::text::{
    back_chars, find_in_windows, forward_chars, host_matches, in_handle, inside_quotes, next_char,
    prev_char, sentence_around, within_chars,
};
use super::BuiltinRule;
use super::{Context, CueHit, RawFinding};
use crate::verdict::Severity;
use crate::Kind;
use crate::Span;
use regex::Regex;
use std::sync::LazyLock;

/// Top-level domains recognised in bare domains. File extensions that are
/// also country codes (`.md`, `.py`, `.sh`) are left out on purpose.
const TLDS: &str = "com|cn|net|org|info|biz|top|xyz|vip|shop|club|site|online|store|tech|cc|tv|me|io|co|app|ly|gl|to|gd|ink|ltd|wang|link|work|fun|icu|live|pro|asia|mobi|name|hk|tw|us|uk|jp|kr|de|fr|ru|im|so|gg";

static LINK: LazyLock<Regex> = LazyLock::new(|| {
    // URLs and paths are ASCII here: a link ends where Chinese text begins
    // (url.cn/5AbCdE参与投票).
    let url_char = r#"[!-~&&[^<>'"()\[\]{}]]"#;
    Regex::new(&format!(
        r"(?i)(?:https?|ftp)[:：]//{url_char}+|(?:[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?\.)+(?:{TLDS})(?::\d{{1,5}})?(?:/{url_char}*)?"
    ))
    .expect("valid regex")
});

/// A contact id: letters, digits, `_` and `-`, half or full width.
const CONTACT_ID: &str = r"[a-z0-9ａ-ｚ０-９][a-z0-9ａ-ｚ０-９_-]{4,19}";

/// A QQ number written without a colon: six to eleven digits, half or
/// full width or Chinese numerals (一七一一五二九八七四).
const QQ_NUMBER: &str =
    r"[1-9１-９][0-9０-９]{5,10}|[一二三四五六七八九][〇零一二三四五六七八九]{5,10}";

/// A WeChat id written straight after 微信 with no colon: it starts with a
/// letter and has a digit (微信feifei1987222), which words after 微信 do not.
const WECHAT_ID_NO_COLON: &str = r"[a-z][a-z_-]*[0-9][a-z0-9_-]{2,18}";

/// Spaces, and the symbols and emoji put between 加 and V to get past a
/// filter (加➕V, 薇❤：).
const FILLER: &str = r"[\x20\u3000\p{So}\p{Sk}\p{Sm}\u{FE0F}\u{200D}]*";

static CONTACT: LazyLock<Regex> = LazyLock::new(|| {
    let wechat = r"微信|v信|威信|薇信|徽信|维信|vx|wx|ｖｘ|ｗｘ|v|ｖ|薇";
    let qq = r"qq|ｑｑ|q|ｑ|扣扣|企鹅";
    Regex::new(&format!(
        r"(?ix)
        (?:加|添加|加个|加我|联系){FILLER}(?:{wechat}|{qq})(?:号|群)?{FILLER}[:：]?[\x20\u3000]*{CONTACT_ID}
        | (?:微信号|微信|v信|威信|薇信|徽信|维信|vx|wx|ｖｘ|ｗｘ|qq号|qq群|qq|ｑｑ|q群|ｑ群|q号|扣扣号?|企鹅号|企鹅群|薇|徽){FILLER}[:：][\x20\u3000]*{CONTACT_ID}
        | (?:qq|ｑｑ|q群|ｑ群|q|ｑ|扣扣|企鹅号|企鹅群)(?:号码|号|群)?(?:是|为)?{FILLER}[:：]?[\x20\u3000'’‘\x22“”【\[（(]*(?:{QQ_NUMBER})
        | (?:米聊|陌陌|飞信|yy)(?:号|帐号|账号)?{FILLER}[:：][\x20\u3000]*{CONTACT_ID}
        | (?:微信号|微信|v信|威信|薇信|vx|wx)[\x20\u3000]*{WECHAT_ID_NO_COLON}
        | [+＋➕]{FILLER}(?:vx|wx|v|ｖ|微信){FILLER}[:：]?[\x20\u3000]*{CONTACT_ID}
        | 私信[\x20\u3000]*{CONTACT_ID}
        | 私我 | 扫码添加 | 扫码加好友 | 扫码加微信 | 长按识别二维码添加 | 扫一扫添加
        "
    ))
    .expect("valid regex")
});

/// Shops: a link to them is an ad.
const SHOP_DOMAINS: &[&str] = &[
    "taobao.com",
    "tmall.com",
    "jd.com",
    "pinduoduo.com",
    "yangkeduo.com",
    "weidian.com",
    "youzan.com",
    "1688.com",
    "vip.com",
    "suning.com",
    "dangdang.com",
    "tb.cn",
    "jd.hk",
    "koudai.com",
    "amazon.com",
    "amazon.cn",
    "xiaohongshu.com",
    "kwai.com",
    "douyin.com",
];

/// Short-link services: they hide where a link goes.
const SHORT_LINK_DOMAINS: &[&str] = &[
    "t.cn",
    "dwz.cn",
    "url.cn",
    "suo.im",
    "bit.ly",
    "tinyurl.com",
    "t.co",
    "goo.gl",
    "is.gd",
    "sohu.gg",
    "mrw.so",
    "0x3.me",
    "dwz.date",
    "u.nu",
    "3.cn",
    "s.click.taobao.com",
];

/// How far apart cues may be for `ad.promotion` and `ad.absolute`, in chars.
const CUE_WINDOW: usize = 60;

pub(crate) fn detect(ctx: &Context<'_>, out: &mut Vec<RawFinding>) {
    if ctx.on(BuiltinRule::AdLink) {
        links(ctx, out);
    }
    if ctx.on(BuiltinRule::AdContact) {
        contacts(ctx, out);
    }
    let offer = OfferCues::new(ctx);
    if ctx.on(BuiltinRule::AdPromotion) {
        promotion(ctx, &offer, out);
    }
    if ctx.on(BuiltinRule::AdAbsolute) {
        absolute(ctx, &offer, out);
    }
}

fn links(ctx: &Context<'_>, out: &mut Vec<RawFinding>) {
    let input = ctx.input;
    if !input.contains('.') {
        return;
    }
    let rule = BuiltinRule::AdLink;
    for m in find_in_windows(&LINK, input, link_windows(input)) {
        let matched = &input[m.range()];
        let scheme = matched.contains("//");
        let prev = prev_char(input, m.start);
        // A bare domain glued to an e-mail address, a longer word or a
        // longer dotted name is part of it; a URL with a scheme starts
        // wherever its scheme does (…http://t.cn/x, 详见-https://…).
        if !scheme
            && prev.is_some_and(|c| c == '@' || c == '.' || c == '-' || c.is_ascii_alphanumeric())
        {
            continue;
        }
        if !scheme && !is_bare_domain(matched) {
            continue;
        }
        // `1.jpg` is not `1.jp` + g; nor is a domain glued to an address
        // or a possessive (fans.VIP's).
        if next_char(input, m.end)
            .is_some_and(|c| c == '@' || c.is_ascii_alphanumeric() || c == '_' || c == '\'')
        {
            continue;
        }
        let text = matched.trim_end_matches(['.', ',', ':', ';', '!', '?']);
        let span = Span::new(m.start, m.start + text.len());
        if !scheme && domain_talked_about(input, span) {
            continue;
        }
        let rest = text.split_once("//").map_or(text, |(_, r)| r);
        let host = rest
            .split(['/', ':', '?', '#'])
            .next()
            .unwrap_or(rest)
            .to_ascii_lowercase();
        if !host.contains('.') || ctx.settings.domain_allowed(&host) {
            continue;
        }
        let mut f = RawFinding::builtin(rule, span);
        if let Some(shop) = SHOP_DOMAINS.iter().find(|d| host_matches(&host, d)) {
            f.severity = Some(Severity::Block);
            f.message = Some(format!("链接指向电商平台（{shop}），属于商业广告链接。严禁发布商业广告和广告链接，请删除。"));
        } else if let Some(short) = SHORT_LINK_DOMAINS.iter().find(|d| host_matches(&host, d)) {
            f.severity = Some(Severity::Block);
            f.message = Some(format!(
                "短链接（{short}）隐藏了真实目标地址，不得发布。请删除或改用可核实的原始链接。"
            ));
        } else {
            f.message = Some(format!("出现外部链接（{host}），不在本单位认可的域名名单中。严禁发布商业广告和广告链接，请核实或删除。"));
        }
        out.push(f);
    }
}

/// Words before a bare domain that make it the thing talked about, not a
/// link offered: the name bought, registered or renamed to (买下X域名,
/// 注册一个X, 改名X), or a network command's argument (ping X).
static DOMAIN_TALK_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:买下|收购|注册|注册一个|抢注|改名|改名为|改成|ping|nslookup|traceroute|whois)\s*$",
    )
    .expect("valid regex")
});

/// Words after a bare domain that name it as a domain (X域名, X这枚双拼).
static DOMAIN_TALK_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:域名|这个域名|这枚|的域名|双拼|后缀)").expect("valid regex")
});

/// How far before a bare domain the talk about it is looked for, in chars.
const DOMAIN_TALK_CHARS: usize = 12;

/// Whether the bare domain at `span` is the subject of talk about domain
/// names (苹果买下FaceTime.com域名, 去注册一个weijin.com): a name, not a
/// link offered to the reader.
fn domain_talked_about(input: &str, span: Span) -> bool {
    DOMAIN_TALK_BEFORE
        .is_match(&input[back_chars(input, span.start, DOMAIN_TALK_CHARS)..span.start])
        || DOMAIN_TALK_AFTER
            .is_match(&input[span.end..forward_chars(input, span.end, DOMAIN_TALK_CHARS)])
}

/// Whether a match without a scheme reads as a domain someone would type,
/// not a list number or a ticker before a word: `4.APP`, `2.VIP会员` (one
/// or two digits before the dot), `0700.HK` (a Hong Kong stock code),
/// `卡拉OK.LIVE` (capitals only: domains are written in lower case; an
/// upper-case `WWW.` name still counts). `163.com` and `3.cn/x` are domains.
fn is_bare_domain(text: &str) -> bool {
    let (host, path) = text
        .split_once('/')
        .map_or((text, None), |(h, p)| (h, Some(p)));
    let host = host.split(':').next().unwrap_or(host);
    let labels: Vec<&str> = host.split('.').collect();
    let first = labels.first().copied().unwrap_or("");
    let tld = labels.last().copied().unwrap_or("");
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let has_path = path.is_some_and(|p| !p.is_empty());
    if labels.len() == 2 && digits(first) && !has_path {
        let list_number = first.len() <= 2;
        let ticker = (4..=5).contains(&first.len()) && tld.eq_ignore_ascii_case("hk");
        if list_number || ticker {
            return false;
        }
    }
    let capitals_only = !host.bytes().any(|b| b.is_ascii_lowercase())
        && host.bytes().any(|b| b.is_ascii_uppercase());
    !(capitals_only && !host.starts_with("WWW.") && !has_path)
}

/// Where a link can be: the run of printable ASCII around each `.` that
/// sits between two letters or digits, reaching back over a full-width
/// colon after a scheme (`http：//`).
fn link_windows(input: &str) -> Vec<Span> {
    let b = input.as_bytes();
    let host = |c: u8| c.is_ascii_alphanumeric() || c == b'-';
    let graphic = |c: u8| (0x21..=0x7E).contains(&c);
    let mut out: Vec<Span> = Vec::new();
    for i in memchr::memchr_iter(b'.', b) {
        if i == 0 || i + 1 >= b.len() || !host(b[i - 1]) || !host(b[i + 1]) {
            continue;
        }
        if out.last().is_some_and(|w| i < w.end) {
            continue;
        }
        let mut start = i;
        while start > 0 && graphic(b[start - 1]) {
            start -= 1;
        }
        if b[start..].starts_with(b"//") && input[..start].ends_with('：') {
            let colon = start - '：'.len_utf8();
            let scheme = input[..colon]
                .bytes()
                .rev()
                .take_while(u8::is_ascii_alphabetic)
                .count();
            if scheme > 0 {
                start = colon - scheme;
            }
        }
        let mut end = i;
        while end < b.len() && graphic(b[end]) {
            end += 1;
        }
        out.push(Span::new(start, end));
    }
    out
}

/// The contact regex runs only around contact cues (微信, vx, QQ, 扫码…)
/// found by the shared automaton.
fn contacts(ctx: &Context<'_>, out: &mut Vec<RawFinding>) {
    let input = ctx.input;
    let rule = BuiltinRule::AdContact;
    let windows: Vec<Span> = cues_of(ctx, CueKind::Contact)
        .map(|h| {
            Span::new(
                back_chars(input, h.span.start, 8),
                forward_chars(input, h.span.end, 30),
            )
        })
        .collect();
    for span in find_in_windows(&CONTACT, input, windows) {
        if next_char(input, span.end).is_some_and(|c| c.is_ascii_alphanumeric()) {
            continue;
        }
        // 扫码添加设备: pairing a device, not a contact.
        if input[span.end..].starts_with("设备") {
            continue;
        }
        // The contact and what names it: the id matched, or for 扫码添加
        // the words after it (扫码添加晚安华师客服号（id）).
        let after = Span::new(
            span.end,
            forward_chars(input, span.end, CONTACT_NAMING_CHARS),
        );
        if names_own_handle(ctx, &input[span.range()])
            || names_own_handle(ctx, &input[after.range()])
        {
            continue;
        }
        let mut f = RawFinding::builtin(rule, span);
        let before = Span::new(
            back_chars(input, span.start, CONTACT_NAMING_CHARS),
            span.start,
        );
        // In a comment from the public, "官方客服" is the scammer's word.
        let own_voice = ctx.draft.kind != Kind::Comment;
        if own_voice && for_submissions(input, span) {
            continue;
        }
        if own_voice
            && (OFFICIAL_ACCOUNT.is_match(&input[before.range()])
                || OFFICIAL_ACCOUNT.is_match(&input[span.range()])
                || OFFICIAL_ACCOUNT.is_match(&input[after.range()]))
        {
            f.severity = Some(Severity::Review);
            f.message = Some("引导添加的是官方或客服账号。请确认是本单位自己的账号（在策略 [own] handles 中登记后不再提示），否则属于引流，请删除。".to_string());
        }
        out.push(f);
    }
}

/// Where submissions to the account go (投稿方式：扫码添加…, 投稿请加微信…):
/// the account's own channel, which only the publisher asks for; no
/// diversion. The contact must follow 投稿 in the same clause, within
/// [`SUBMISSION_CHARS`].
fn for_submissions(input: &str, span: Span) -> bool {
    let from = back_chars(input, span.start, SUBMISSION_CHARS);
    let clause = input[from..span.start]
        .char_indices()
        .rev()
        .find(|&(_, c)| crate::normalize::is_sentence_break(c) || matches!(c, '，' | ','))
        .map_or(from, |(i, c)| from + i + c.len_utf8());
    input[clause..span.start].contains("投稿")
}

/// How far before a contact 投稿 is looked for, in chars.
const SUBMISSION_CHARS: usize = 10;

/// How far before and after a contact the words that introduce it are
/// looked for, in chars.
const CONTACT_NAMING_CHARS: usize = 24;

/// An account introduced as an official or service account (官方客服号,
/// 公众号, 服务号): the unit's own or an organisation's, to confirm, not
/// private diversion to block. A company's 客服QQ or 交流群 in copy is an
/// ad's contact and blocks.
static OFFICIAL_ACCOUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"官方|客服号|客服微信|公众号|服务号|订阅号|视频号|官微|官方微博|小程序")
        .expect("valid regex")
});

/// Whether `text` holds one of the unit's own handles as a whole id (not
/// inside a longer run of letters and digits).
fn names_own_handle(ctx: &Context<'_>, text: &str) -> bool {
    if ctx.settings.own_handles.is_empty() {
        return false;
    }
    let lower = text.to_lowercase();
    let id_char = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    ctx.settings.own_handles.iter().any(|h| {
        lower.match_indices(h.as_str()).any(|(i, _)| {
            !lower[..i].chars().next_back().is_some_and(id_char)
                && !lower[i + h.len()..].chars().next().is_some_and(id_char)
        })
    })
}

fn cues_of<'a>(ctx: &'a Context<'a>, kind: CueKind) -> impl Iterator<Item = &'a CueHit<'a>> {
    ctx.cues.iter().filter(move |h| h.kind == kind)
}

/// The spans of the cue hits of `kind`, sorted by start like the hits.
fn cue_spans(ctx: &Context<'_>, kind: CueKind) -> Vec<Span> {
    cues_of(ctx, kind).map(|h| h.span).collect()
}

/// Two or more distinct promotion cues within the window, offered to the
/// reader: one finding from the first cue's start to the last one's end.
fn promotion(ctx: &Context<'_>, offer: &OfferCues, out: &mut Vec<RawFinding>) {
    let input = ctx.input;
    let rule = BuiltinRule::AdPromotion;
    let hits: Vec<&CueHit<'_>> = cues_of(ctx, CueKind::Promotion)
        .filter(|h| !described(input, h.span))
        .collect();
    if hits.len() < 2 {
        return;
    }
    let mut i = 0;
    while i < hits.len() {
        let start = hits[i].span.start;
        let mut j = i;
        let mut distinct = 1;
        while j + 1 < hits.len()
            && within_chars(input, start, hits[j + 1].span.end.max(start), CUE_WINDOW)
        {
            j += 1;
            if hits[i..j].iter().all(|h| h.cue != hits[j].cue) {
                distinct += 1;
            }
        }
        let end = hits[i..=j]
            .iter()
            .map(|h| h.span.end)
            .max()
            .unwrap_or(hits[i].span.end);
        let span = Span::new(start, end);
        if distinct >= 2 && offer.offered(input, span) {
            out.push(RawFinding::builtin(rule, span));
            i = j + 1;
        } else {
            i += 1;
        }
    }
}

/// An absolute term offered to sell: a commercial cue (售价, 旗舰店…), or a
/// call to buy or download together with words to the reader (快来下载),
/// within the window on either side; not a proper name, no shopper's
/// review. A call alone is not enough: news buys food and 领取 prizes.
fn absolute(ctx: &Context<'_>, offer: &OfferCues, out: &mut Vec<RawFinding>) {
    let input = ctx.input;
    let rule = BuiltinRule::AdAbsolute;
    let commercial = cue_spans(ctx, CueKind::Commercial);
    if commercial.is_empty() && (offer.selling.is_empty() || offer.address.is_empty()) {
        return;
    }
    for hit in cues_of(ctx, CueKind::Absolute) {
        if described(input, hit.span)
            || in_proper_name(input, hit.span)
            || in_handle(input, hit.span)
            || reader_attains(input, hit.span)
            || named_in_title(input, hit.span)
            || ranking_with_its_list(input, hit)
        {
            continue;
        }
        let near = |list: &[Span]| near_any(input, list, hit.span, CUE_WINDOW, false);
        let selling = near(&commercial) || (near(&offer.selling) && near(&offer.address));
        if selling && offer.offered(input, hit.span) {
            out.push(RawFinding::builtin(rule, hit.span));
        }
    }
}

/// The cue spans that say whether a promotion is offered: a shopper's
/// words, calls to buy and words to the reader. Collected once per draft.
struct OfferCues {
    buyer: Vec<Span>,
    selling: Vec<Span>,
    address: Vec<Span>,
}

impl OfferCues {
    fn new(ctx: &Context<'_>) -> OfferCues {
        OfferCues {
            buyer: cue_spans(ctx, CueKind::Buyer),
            selling: cue_spans(ctx, CueKind::Selling),
            address: cue_spans(ctx, CueKind::Address),
        }
    }

    /// Whether the text offers what `span` promotes to the reader: no
    /// shopper's words close to it (a review of a sale is no ad), and
    /// either a call or address to the reader within the window (点击, 下载,
    /// 您, 快来…) or no sign of a news report about the sale (记者, 消费者,
    /// 商家…).
    fn offered(&self, input: &str, span: Span) -> bool {
        if near_any(input, &self.buyer, span, BUYER_WINDOW, true) {
            return false;
        }
        if near_any(input, &self.selling, span, CUE_WINDOW, true)
            || near_any(input, &self.address, span, CUE_WINDOW, true)
        {
            return true;
        }
        let window = Span::new(
            back_chars(input, span.start, CUE_WINDOW),
            forward_chars(input, span.end, CUE_WINDOW),
        );
        !REPORTING.is_match(&input[window.range()])
    }
}

/// A news report about a sale, not the sale: reporters, consumers and
/// merchants in the third person, statistics.
static REPORTING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"记者|据了解|据悉|据介绍|消费者|市民|商家|商户|业内人士|报道|数据显示|同比|环比|新闻",
    )
    .expect("valid regex")
});

/// How close a shopper's words must be to cancel a promotion, in chars.
const BUYER_WINDOW: usize = 30;

/// Whether any of `spans` (sorted by start) is within `n` chars of `at`,
/// either side; one overlapping `at` counts only when `overlap` is set.
fn near_any(input: &str, spans: &[Span], at: Span, n: usize, overlap: bool) -> bool {
    let reach = 4 * n;
    let from = spans.partition_point(|c| c.start + reach < at.start);
    spans[from..]
        .iter()
        .take_while(|c| c.start <= at.end + reach)
        .filter(|c| overlap || !c.overlaps(at))
        .any(|c| {
            let (a, b) = if c.start < at.start {
                (c.start, at.end)
            } else {
                (at.start, c.end)
            };
            within_chars(input, a, b.max(a), n)
        })
}

/// A cue the text talks about rather than uses: in quotation marks
/// (“最低价”“特价”), or in a sentence that forbids or punishes it, as
/// laws and rules do (不得使用“国家级”…; 虚构原价…的，处以罚款).
fn described(input: &str, span: Span) -> bool {
    if inside_quotes(input, span.start) {
        return true;
    }
    let (start, end) = sentence_around(input, span.start);
    PROHIBITION.is_match(&input[start..end.max(span.end)])
}

static PROHIBITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"不得|禁止|严禁|不准|不应|应当|违反|处罚|罚款|违法|虚构|虚假|欺诈|误导|诱导|认定|是指|规定|无依据|无从比较|赔偿|人民法院|受保护",
    )
    .expect("valid regex")
});

/// 中国第一汽车集团, 国家级实验室有限公司: an absolute term that opens an
/// organisation's name (the name's suffix follows within a few chars, no
/// punctuation between) is the name, not a claim; nor is one that a
/// descriptive word follows (最佳观赏期).
fn in_proper_name(input: &str, span: Span) -> bool {
    let after: String = input[span.end..]
        .chars()
        .take(NAME_SUFFIX_CHARS)
        .take_while(|c| {
            !c.is_whitespace()
                && !crate::normalize::is_sentence_break(*c)
                && !matches!(c, '，' | '、' | ',' | '“' | '”')
        })
        .collect();
    ORG_SUFFIX.is_match(&after) || DESCRIPTIVE.is_match(&after)
}

/// Words that make an absolute term part of a description, not a claim:
/// 最佳观赏期, 最佳状态, 最高级别 (an alert level), 最强烈, 获得最佳体验
/// (an update note's boilerplate).
static DESCRIPTIVE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:观赏|状态|时机|时期|实践|别|烈|体验)").expect("valid regex"));

/// A goal the reader plays for inside the product, not a claim about it:
/// 召唤最强精灵, 组建你的最强牌组, 角逐最强掌控者.
static READER_ATTAINS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:召唤|组建|角逐|争夺|争当|挑战)(?:自己的|你的|您的|属于你的)?$")
        .expect("valid regex")
});

/// Whether the absolute term at `span` is what the reader plays for.
fn reader_attains(input: &str, span: Span) -> bool {
    READER_ATTAINS.is_match(&input[back_chars(input, span.start, 8)..span.start])
}

/// How many chars after an absolute term must match a title for the term
/// to be read as the start of that name.
const TITLE_PREFIX_CHARS: usize = 2;

/// Whether the absolute term at `span` starts a name that the text gives
/// in title marks within the window (下载终极赛车 … 《终极赛车》): the
/// product's name, not a claim about it.
fn named_in_title(input: &str, span: Span) -> bool {
    let name_end = forward_chars(input, span.end, TITLE_PREFIX_CHARS);
    let name = &input[span.start..name_end];
    if name_end - span.end < TITLE_PREFIX_CHARS || name.contains(|c: char| !c.is_alphanumeric()) {
        return false;
    }
    let window = Span::new(
        back_chars(input, span.start, TITLE_WINDOW),
        forward_chars(input, span.end, TITLE_WINDOW),
    );
    input[window.range()]
        .match_indices('《')
        .any(|(i, open)| input[window.start + i + open.len()..].starts_with(name))
}

/// How far either way a title naming an absolute term is looked for.
const TITLE_WINDOW: usize = 300;

/// Whether a ranking names the list it is on (在金牌榜上排名第一, 应用商店
/// 排行榜排名第一): a fact with its source, which the advertising law asks
/// for (引证内容…应当表明出处), not an absolute claim.
fn ranking_with_its_list(input: &str, hit: &CueHit<'_>) -> bool {
    hit.cue.starts_with("排名")
        && input[back_chars(input, hit.span.start, RANKING_LIST_CHARS)..hit.span.start]
            .contains('榜')
}

/// How far before a ranking its list (…榜) is looked for, in chars.
const RANKING_LIST_CHARS: usize = 6;

/// How far after an absolute term an organisation suffix is looked for.
const NAME_SUFFIX_CHARS: usize = 10;

static ORG_SUFFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\p{Han}{0,8}?(?:集团|公司|大学|学院|医院|中学|小学|研究院|研究所|研究中心|实验室|银行|协会|学会|委员会|博物馆|纪念馆|制造厂|工厂|厂)").expect("valid regex")
});

#[cfg(test)]
mod tests {
    use super::super::text::host_matches;

    #[test]
    fn link_windows_need_a_dot_between_letters() {
        let t = "见 www.example.org/a。第1. 条，v1.2 版";
        let w: Vec<&str> = super::link_windows(t)
            .iter()
            .map(|s| &t[s.range()])
            .collect();
        assert_eq!(w, ["www.example.org/a", "v1.2"]);
    }

    #[test]
    fn host_suffixes() {
        assert!(host_matches("item.taobao.com", "taobao.com"));
        assert!(host_matches("taobao.com", "taobao.com"));
        assert!(!host_matches("nottaobao.com", "taobao.com"));
    }
}
