//! `attribution.*`: reposts must name their source (转载信息需注明来源),
//! and the source should be an approved unit (稿源单位).

use super::cues::CueKind;
use super::text::{
    back_chars, captures_in_windows, forward_chars, is_handle_char, next_char, prev_char,
};
use super::BuiltinRule;
use super::{Context, RawFinding};
use crate::normalize::{normalize_str, NormalizeOptions};
use crate::verdict::Severity;
use crate::{Kind, Span};
use regex::Regex;
use std::sync::LazyLock;

/// Repost markers count only in the first or last this many chars.
use super::REPOST_EDGE_CHARS as EDGE_CHARS;
/// A declared source name is at most this many chars.
const MAX_SOURCE_CHARS: usize = 30;

/// 据新华社报道, 据美国媒体8日报道, 据网友爆料: an attribution that names
/// where the report comes from. The name is group 1; 据 must begin a word
/// (证据…报道 is not one) and the phrase stays inside one clause.
static REPORTED_BY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"据([^，。；！？,;!?\n“”「」]{1,24}?)(?:的)?(?:报道|爆料)").expect("valid regex")
});

/// Time words between the outlet and 报道 (据美国媒体8日报道, 据韩联社北京时间22时29分报道).
static REPORT_TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:北京时间|当地时间)?[\d\p{Han}]{0,8}?(?:\d{1,2}月)?\d{1,2}日(?:\d{1,2}时(?:\d{1,2}分)?)?$|(?:今天|昨天|当天|日前|近日|此前|早些时候|最新|当地时间\S*|北京时间\S*)$")
        .expect("valid regex")
});

/// Datelines and credits that name the outlet: 新华社北京12月1日电,
/// 人民网北京3月9日电, 央视网消息（新闻联播）：. The outlet is group 1 or 2.
static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)(?:^|[【（(\s])(?:([\p{Han}A-Za-z]{2,12}?(?:社|网|报|台|频道|客户端|新闻))(?:[\p{Han}]{0,6}?)\d{1,2}月\d{1,2}日(?:电|讯)|([\p{Han}A-Za-z]{2,12}?(?:社|网|报|台|频道|客户端|新闻))消息(?:[（(][^）)\n]{1,16}[）)])?[：:])")
        .expect("valid regex")
});

/// （转）, 【转】, [转载]: the commonest repost marks of all.
static REPOST_MARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[（(【\[〔][\x20\u3000]*转(?:载|发|帖)?[\x20\u3000]*[）)】\]〕]")
        .expect("valid regex")
});

/// Names that do not identify a source: "the internet", "netizens",
/// "the media" (外媒, 多家媒体). A country's media (美国媒体, 当地媒体) or a
/// named outlet is a source.
static VAGUE_SOURCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[\p{Han}]{0,4}(?:网络|网上|互联网)[\p{Han}]{0,4}|网友|网民|网传|有网友|知情网友|外媒|媒体|有关媒体|相关媒体|多家媒体|多家外媒|部分媒体|国外媒体|境外媒体|海外媒体|西方媒体|一些媒体|某媒体|消息人士|知情人士|内部人士|爆料人|路边社|朋友圈|微信群|未知|不详|佚名|网络图片)$")
        .expect("valid regex")
});

/// Markers that are a repost only as a label (原标题：…), not in prose
/// (该书原标题为…).
const LABEL_ONLY_MARKERS: &[&str] = &["原标题", "原文标题"];

/// Markers that say where the content came from, vaguely (图片来自网络):
/// like 据外媒报道 they name no usable source, which a reviewer asks for,
/// rather than mark an unsourced repost.
const VAGUE_MARKERS: &[&str] = &[
    "来源于网络",
    "来自网络",
    "图片来自网络",
    "素材来源网络",
    "内容来源网络",
];

/// A repost marker found at the text's edges.
#[derive(Clone, Copy, Debug)]
struct Marker {
    span: Span,
    /// One of [`VAGUE_MARKERS`].
    vague: bool,
}

fn ends_source_name(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '，' | '。'
                | '；'
                | '、'
                | ','
                | ';'
                | '|'
                | '/'
                | '）'
                | ')'
                | '】'
                | ']'
                | '」'
                | '”'
                | '！'
                | '？'
                | '!'
                | '?'
                | '：'
                | ':'
        )
}

/// After a label (来源, 转自, via…): `：name`, or for labels ending in 自,
/// 原载 and via the name right away. Returns the name's span.
fn declared_name(input: &str, label: &str, label_end: usize) -> Option<Span> {
    let skip_spaces = |mut at: usize| {
        while let Some(c) = next_char(input, at).filter(|&c| c == ' ' || c == '\u{3000}') {
            at += c.len_utf8();
        }
        at
    };
    let mut at = skip_spaces(label_end);
    match next_char(input, at) {
        Some(c @ (':' | '：')) => at = skip_spaces(at + c.len_utf8()),
        // 原载于《光明日报》
        Some('于') if label == "原载" => at += '于'.len_utf8(),
        _ if label.ends_with('自') || label == "原载" || label == "via" => {}
        _ => return None,
    }
    if next_char(input, at) == Some('@') {
        at += 1;
    }
    let name_len: usize = input[at..]
        .chars()
        .take_while(|&c| !ends_source_name(c))
        .take(MAX_SOURCE_CHARS)
        .map(char::len_utf8)
        .sum();
    trimmed_name(input, Span::new(at, at + name_len))
}

/// A name is compared without its title marks, quotes or handle sign:
/// 《人民日报》, @长江商报.
fn trimmed_name(input: &str, span: Span) -> Option<Span> {
    let raw = &input[span];
    let name = raw.trim_matches(|c: char| {
        matches!(c, '《' | '》' | '“' | '”' | '「' | '」' | '"' | '@' | '＠') || c.is_whitespace()
    });
    let start = span.start + raw.find(name).unwrap_or(0);
    (!name.is_empty()).then(|| Span::new(start, start + name.len()))
}

/// A label or marker counts only where a declaration can begin: at the
/// start of the text or a line, or after a space or punctuation (经费来源：
/// and 该书原标题 are not one).
fn starts_declaration(input: &str, at: usize) -> bool {
    prev_char(input, at).is_none_or(|c| !(c.is_alphanumeric() || crate::normalize::is_cjk(c)))
}

/// An @handle right before or after a repost mark names whom the post is
/// reposted from (@几米漫画集(转), 【转】（@女生要懂的智慧）). Returns the
/// handle's name, without the `@`.
fn handle_next_to(input: &str, mark: Span) -> Option<Span> {
    // Before: @name directly ahead of the mark.
    let before = input[..mark.start].trim_end_matches([' ', '\u{3000}']);
    let name_len: usize = before
        .chars()
        .rev()
        .take_while(|&c| is_handle_char(c))
        .take(MAX_SOURCE_CHARS)
        .map(char::len_utf8)
        .sum();
    let name_start = before.len() - name_len;
    if name_len > 0 && before[..name_start].ends_with(['@', '＠']) {
        return Some(Span::new(name_start, before.len()));
    }
    // After: （@name） or @name right behind the mark.
    let after_start = mark.end
        + (input[mark.end..].len()
            - input[mark.end..]
                .trim_start_matches([' ', '\u{3000}', '（', '('])
                .len());
    let rest = &input[after_start..];
    let at = rest.strip_prefix('@').or_else(|| rest.strip_prefix('＠'))?;
    let start = after_start + (rest.len() - at.len());
    let len: usize = at
        .chars()
        .take_while(|&c| is_handle_char(c))
        .take(MAX_SOURCE_CHARS)
        .map(char::len_utf8)
        .sum();
    (len > 0).then(|| Span::new(start, start + len))
}

/// A source the text or the CMS declares.
struct Declared {
    /// Where the name is in the text (`None`: from the draft's metadata).
    name_span: Option<Span>,
    /// Where the declaration is (the whole 据…报道 phrase, the label).
    span: Option<Span>,
    name: String,
    /// The name does not identify a source (网络, 外媒, 网友).
    vague: bool,
}

impl Declared {
    fn new(input: &str, name: Span, span: Span) -> Declared {
        let text = &input[name];
        Declared {
            name_span: Some(name),
            span: Some(span),
            name: text.to_string(),
            vague: is_vague(text),
        }
    }
}

fn is_vague(name: &str) -> bool {
    let name = name.trim_start_matches(['某', '一']);
    VAGUE_SOURCE.is_match(name)
}

/// Every source the draft declares: its metadata, labels (来源：X, 转自X,
/// via@X), 据X报道 phrases and datelines (新华社北京12月1日电).
fn declarations(ctx: &Context<'_>) -> Vec<Declared> {
    let input = ctx.input;
    let mut out = Vec::new();
    if let Some(source) = ctx.draft.source.map(str::trim).filter(|s| !s.is_empty()) {
        out.push(Declared {
            name_span: None,
            span: None,
            name: source.to_string(),
            vague: is_vague(source),
        });
    }
    let labels = ctx.cues.iter().filter(|h| h.kind == CueKind::SourceLabel);
    for hit in labels.filter(|h| h.cue == "via" || starts_declaration(input, h.span.start)) {
        if let Some(name) = declared_name(input, hit.cue, hit.span.end) {
            out.push(Declared::new(
                input,
                name,
                Span::new(hit.span.start, name.end),
            ));
        }
    }
    if input.contains('转') && (input.contains('@') || input.contains('＠')) {
        for m in REPOST_MARK.find_iter(input) {
            let mark = Span::new(m.start(), m.end());
            if let Some(name) = handle_next_to(input, mark) {
                let whole = Span::new(mark.start.min(name.start), mark.end.max(name.end));
                out.push(Declared::new(input, name, whole));
            }
        }
    }
    if input.contains('据') {
        for caps in reported_by(ctx) {
            let (all, name) = (caps.get(0).expect("match"), caps.get(1).expect("group"));
            if !starts_declaration(input, all.start()) && !input[..all.start()].ends_with('根') {
                continue;
            }
            let raw = &input[name.range()];
            let without_time = REPORT_TIME
                .find(raw)
                .map_or(raw, |t| &raw[..t.start()])
                .trim_end_matches('的');
            let name = Span::new(name.start(), name.start() + without_time.len());
            if let Some(name) = trimmed_name(input, name) {
                out.push(Declared::new(
                    input,
                    name,
                    Span::new(all.start(), all.end()),
                ));
            }
        }
    }
    for caps in datelines(ctx) {
        let name = caps.get(1).or_else(|| caps.get(2)).expect("one group");
        let all = caps.get(0).expect("match");
        let start = all.start() + input[all.range()].find(name.as_str()).unwrap_or(0);
        let span = Span::new(start, all.end());
        out.push(Declared::new(
            input,
            Span::new(name.start(), name.end()),
            span,
        ));
    }
    out
}

/// How far before its 电, 讯 or 消息 a dateline can begin, and how far
/// after 消息 its colon can be, in chars (the longest is about 35).
const DATELINE_REACH: usize = 40;

/// Every [`DATELINE`] match, searched only before the 电, 讯 and 消息 the
/// shared automaton found, not over the whole text.
fn datelines<'t>(ctx: &Context<'t>) -> Vec<regex::Captures<'t>> {
    let input = ctx.input;
    let windows = anchors(ctx, &["电", "讯", "消息"])
        .map(|h| {
            let end = if h.cue == "消息" {
                forward_chars(input, h.span.start, DATELINE_REACH)
            } else {
                h.span.end
            };
            Span::new(back_chars(input, h.span.start, DATELINE_REACH), end)
        })
        .collect();
    captures_in_windows(&DATELINE, input, windows)
}

/// How far before its 报道 or 爆料 a 据X报道 phrase can begin, in chars
/// (据, a name of at most 24 chars, 的).
const REPORTED_BY_REACH: usize = 28;

/// Every [`REPORTED_BY`] match, searched only before 报道 and 爆料.
fn reported_by<'t>(ctx: &Context<'t>) -> Vec<regex::Captures<'t>> {
    let input = ctx.input;
    let windows = anchors(ctx, &["报道", "爆料"])
        .map(|h| {
            Span::new(
                back_chars(input, h.span.start, REPORTED_BY_REACH),
                h.span.end,
            )
        })
        .collect();
    captures_in_windows(&REPORTED_BY, input, windows)
}

/// The declaration anchors among the cue hits that are one of `words`.
fn anchors<'c, 't>(
    ctx: &'c Context<'t>,
    words: &'c [&str],
) -> impl Iterator<Item = &'c super::CueHit<'t>> {
    ctx.cues
        .iter()
        .filter(move |h| h.kind == CueKind::DeclarationAnchor && words.contains(&h.cue))
}

/// The first explicit repost marker at the text's edges: a marker cue
/// (转载自, 原标题：, 图片来自网络…) or a bracketed （转）.
fn repost_marker(ctx: &Context<'_>) -> Option<Marker> {
    let input = ctx.input;
    // Most drafts have neither a marker cue nor a 转: then there is no
    // marker, and the edges need not be measured (600 chars stepped).
    let has_marker_cue = ctx.cues.iter().any(|h| h.kind == CueKind::RepostMarker);
    let has_mark_char = input.contains('转');
    if !has_marker_cue && !has_mark_char {
        return None;
    }
    let head_end = forward_chars(input, 0, EDGE_CHARS);
    let tail_start = back_chars(input, input.len(), EDGE_CHARS);
    let at_edges = |s: Span| s.start < head_end || s.end > tail_start;
    let mut cues = ctx
        .cues
        .iter()
        .filter(|h| h.kind == CueKind::RepostMarker && at_edges(h.span))
        .filter(|h| {
            !LABEL_ONLY_MARKERS.contains(&h.cue)
                || (starts_declaration(input, h.span.start)
                    && matches!(next_char(input, h.span.end), Some(':' | '：')))
        })
        .peekable();
    // The first marker's span; vague only when every marker is.
    let cue = cues.peek().map(|h| h.span).map(|span| Marker {
        span,
        vague: cues.all(|h| VAGUE_MARKERS.contains(&h.cue)),
    });
    // Marks count only at the edges: search the head and the tail alone.
    let mark = || {
        // A mark is a few chars: let windows reach past the edges' limits.
        let head = Span::new(0, forward_chars(input, head_end, 8));
        let tail = Span::new(back_chars(input, tail_start, 8), input.len());
        captures_in_windows(&REPOST_MARK, input, vec![head, tail])
            .into_iter()
            .map(|c| c.get(0).expect("match"))
            .map(|m| Span::new(m.start(), m.end()))
            // 求（转）, 请【转】: asking readers to repost, not a repost.
            .filter(|s| !input[..s.start].ends_with(['求', '请']))
            .find(|&s| at_edges(s))
            .map(|span| Marker { span, vague: false })
    };
    match (cue, has_mark_char.then(mark).flatten()) {
        (Some(a), Some(b)) => Some(Marker {
            span: if a.span.start <= b.span.start {
                a.span
            } else {
                b.span
            },
            vague: false,
        }),
        (a, b) => a.or(b),
    }
}

/// Whether the title carries a repost marker or mark.
fn title_marked(ctx: &Context<'_>) -> bool {
    ctx.draft.title.is_some_and(|t| {
        REPOST_MARK.is_match(t) || {
            let t = normalize_str(t, NormalizeOptions::ALL);
            ctx.settings
                .repost_markers
                .iter()
                .any(|m| t.contains(m.as_str()))
        }
    })
}

pub(crate) fn detect(ctx: &Context<'_>, out: &mut Vec<RawFinding>) {
    // A comment from the public is not the account's repost.
    if ctx.draft.kind == Kind::Comment {
        return;
    }
    let marker = repost_marker(ctx);
    let declared = declarations(ctx);
    let usable = declared.iter().any(|d| !d.vague);
    let declared_repost = ctx.draft.declared_repost();
    let title_marked = title_marked(ctx);
    let repost = declared_repost.unwrap_or(marker.is_some() || title_marked);
    let missing = BuiltinRule::AttributionMissing;
    // 图片来自网络 and nothing else: a vague source, not an unsourced repost.
    let only_vague_marker =
        declared_repost.is_none() && !title_marked && marker.is_some_and(|m| m.vague);
    if repost && !usable && only_vague_marker {
        let span = marker.map(|m| m.span).unwrap_or_default();
        out.push(vague_source(ctx, span));
    } else if repost && !usable {
        // A vague declaration is where the source should be named.
        let span = marker
            .map(|m| m.span)
            .or_else(|| declared.iter().find_map(|d| d.span))
            .unwrap_or_default();
        out.push(RawFinding::builtin(missing, span));
    } else if !repost && !usable {
        // 据外媒报道 with nothing better: the item rests on a source it does
        // not name. A reviewer asks for the outlet; it is not a repost.
        if let Some(span) = declared.iter().filter(|d| d.vague).find_map(|d| d.span) {
            out.push(vague_source(ctx, span));
        }
    }
    if ctx.settings.approved_sources.is_empty() {
        return;
    }
    let unapproved = BuiltinRule::AttributionUnapproved;
    for d in declared.iter().filter(|d| !d.vague) {
        let name = d.name.as_str();
        let approved = ctx.settings.approved_sources.iter().flatten().any(|unit| {
            name == unit || name.starts_with(unit.as_str()) || name.ends_with(unit.as_str())
        });
        if !approved {
            let mut f = RawFinding::builtin(unapproved, d.name_span.unwrap_or_default());
            f.message = Some(format!(
                "注明的来源“{name}”不在本单位认可的稿源单位名单中，须经单位主要负责人审核。"
            ));
            out.push(f);
        }
    }
}

/// `attribution.missing` at review for a source that names no one
/// (据外媒报道, 图片来自网络): a reviewer asks for the outlet.
fn vague_source(ctx: &Context<'_>, span: Span) -> RawFinding {
    let mut f = RawFinding::builtin(BuiltinRule::AttributionMissing, span);
    f.severity = Some(Severity::Review);
    f.message = Some(format!(
        "“{}”没有说明具体来源（哪家媒体、哪个单位）。请注明可核实的来源；转载信息须注明来源。",
        &ctx.input[span]
    ));
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_after_labels() {
        let t = "来源：新华社，记者";
        let span = declared_name(t, "来源", "来源".len()).unwrap();
        assert_eq!(&t[span], "新华社");
        let t = "转自人民日报 ";
        assert_eq!(
            &t[declared_name(t, "转自", "转自".len()).unwrap()],
            "人民日报"
        );
        assert!(declared_name("来源于网络", "来源", "来源".len()).is_none());
    }
}
