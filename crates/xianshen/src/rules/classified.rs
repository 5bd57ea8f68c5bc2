//! `classified.*`: state-secret markings (密级标志), internal-use markings
//! and commercial-secret markings. A marking is where markings are: in
//! brackets, on a line of its own, or (for an instruction such as 不得外传)
//! in the first or last sentence, never a report about internal documents.

use super::cues::CueKind;
use super::text::{back_chars, forward_chars, sentence_around};
use super::BuiltinRule;
use super::{Context, RawFinding};
use crate::{Kind, Span};
use regex::Regex;
use std::sync::LazyLock;

/// ★ and its look-alikes, with optional spaces around.
const STAR: &str = r"[\x20\u3000]*[★☆✩✭*＊][\x20\u3000]*";

/// The period after the star: a date, a length, 长期, or a condition
/// (会议开始前, 公布后).
const PERIOD: &str = r"(?:\d{4}年\d{1,2}月\d{1,2}日(?:前|后|止)?|\d{4}[-./]\d{1,2}[-./]\d{1,2}|(?:\d+|[一二三四五六七八九十]+)[\x20\u3000]*(?:年|个月|月|天|日)|长期|[\p{Han}\d]{1,15}?(?:之前|以前|前|之后|以后|后|为止))";

static MARKING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!("(?:绝密|机密|秘密){STAR}{PERIOD}?")).expect("valid regex")
});

static COMMERCIAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!("(?:核心商密|普通商密)(?:{STAR}{PERIOD}?)?")).expect("valid regex")
});

pub(crate) fn detect(ctx: &Context<'_>, out: &mut Vec<RawFinding>) {
    let input = ctx.input;
    if ctx.on(BuiltinRule::ClassifiedMarking) {
        let marking = BuiltinRule::ClassifiedMarking;
        for m in MARKING.find_iter(input) {
            if is_markdown_emphasis(input, m.start(), m.as_str()) {
                continue;
            }
            let span = trim_end_spaces(input, m.start(), m.end());
            out.push(RawFinding::builtin(marking, span));
        }
    }
    if ctx.on(BuiltinRule::ClassifiedCommercial) {
        let commercial = BuiltinRule::ClassifiedCommercial;
        for m in COMMERCIAL.find_iter(input) {
            let span = trim_end_spaces(input, m.start(), m.end());
            out.push(RawFinding::builtin(commercial, span));
        }
    }
    let internal = BuiltinRule::ClassifiedInternal;
    // A comment from the public carries no document of the unit's: only a
    // bracketed label counts there.
    let comment = ctx.draft.kind == Kind::Comment;
    for hit in ctx.cues.iter().filter(|h| h.kind == CueKind::Internal) {
        let marking = bracketed(input, hit.span)
            || (!comment
                && (on_own_line(input, hit.span)
                    || head_label(input, hit.span)
                    || (INSTRUCTIONS.contains(&hit.cue) && in_edge_sentence(input, hit.span))));
        if marking {
            out.push(RawFinding::builtin(internal, hit.span));
        }
    }
}

/// Internal-use cues that instruct the reader (不得外传, 会后收回), as
/// opposed to the names of documents (内部资料, 内部文件) that reports talk
/// about. Only these mark a document from inside a sentence, and only in
/// its first or last sentence.
const INSTRUCTIONS: &[&str] = &[
    "注意保存",
    "仅供内部使用",
    "仅限内部使用",
    "限内部使用",
    "仅限内部",
    "仅供内部参考",
    "此件内部掌握",
    "内部掌握",
    "不得外传",
    "此件不得外传",
    "严禁外传",
    "请勿外传",
    "切勿外传",
    "禁止外传",
    "会后收回",
    "用后收回",
    "阅后收回",
    "会议结束后收回",
    "不得翻印",
    "严禁复印",
];

/// A line this short holding the cue is a marking line (内部资料 注意保存,
/// 会议材料 会后收回), not prose about one.
const MARKING_LINE_CHARS: usize = 16;

/// A first or last sentence this short with an instruction is a marking
/// (以下为党委会会议纪要，严禁外传。).
const MARKING_SENTENCE_CHARS: usize = 30;

/// The start of the line holding byte `at`, if it is at most `reach` chars
/// back: markings are short, so no scan goes further.
fn line_start_within(input: &str, at: usize, reach: usize) -> Option<usize> {
    let from = back_chars(input, at, reach);
    match input[from..at].rfind(['\n', '\r']) {
        Some(i) => Some(from + i + 1),
        None => (from == 0).then_some(0),
    }
}

/// The end of the line holding byte `at`, if it is at most `reach` chars on.
fn line_end_within(input: &str, at: usize, reach: usize) -> Option<usize> {
    let to = forward_chars(input, at, reach);
    match input[at..to].find(['\n', '\r']) {
        Some(i) => Some(at + i),
        None => (to == input.len()).then_some(to),
    }
}

/// Whether only spaces lie between the line's start and byte `at`.
fn line_starts_before(input: &str, at: usize) -> bool {
    line_start_within(input, at, MARKING_SENTENCE_CHARS)
        .is_some_and(|start| input[start..at].trim().is_empty())
}

/// Whether only spaces and sentence stops lie between byte `at` and the
/// line's end.
fn line_ends_after(input: &str, at: usize) -> bool {
    line_end_within(input, at, MARKING_SENTENCE_CHARS).is_some_and(|end| {
        input[at..end]
            .chars()
            .all(|c| c.is_whitespace() || crate::normalize::is_sentence_break(c))
    })
}

/// 【内部资料】, （仅供内部参考）, 〔内部传阅件〕: the cue is all the brackets hold
/// (with 件 and spaces).
fn bracketed(input: &str, span: Span) -> bool {
    let before = input[..span.start].trim_end_matches([' ', '\u{3000}']);
    let after = input[span.end..].trim_start_matches([' ', '\u{3000}', '件']);
    let open = before.chars().next_back();
    let close = after.chars().next();
    matches!(
        (open, close),
        (Some('【'), Some('】'))
            | (Some('（' | '('), Some('）' | ')'))
            | (Some('〔'), Some('〕'))
            | (Some('['), Some(']'))
            | (Some('［'), Some('］'))
            | (Some('「'), Some('」'))
            | (Some('《'), Some('》'))
    )
}

/// 机关内部传阅件：… opening a line: the cue (with a word or two before it
/// and 件 after) labels the document with a colon.
fn head_label(input: &str, span: Span) -> bool {
    let Some(line_start) = line_start_within(input, span.start, 5) else {
        return false;
    };
    let after = input[span.end..].trim_start_matches('件');
    input[line_start..span.start]
        .trim_start()
        .chars()
        .all(|c| !crate::normalize::is_sentence_break(c))
        && after.starts_with(['：', ':'])
}

/// The cue's line, trimmed, is at most [`MARKING_LINE_CHARS`] long.
fn on_own_line(input: &str, span: Span) -> bool {
    let start = line_start_within(input, span.start, MARKING_LINE_CHARS);
    let end = line_end_within(input, span.end, MARKING_LINE_CHARS);
    let (Some(start), Some(end)) = (start, end) else {
        return false;
    };
    input[start..end].trim().chars().count() <= MARKING_LINE_CHARS
}

/// The cue is in the first or last sentence of its line (a paragraph: the
/// head or foot of a document, or of a part of one), and that sentence is
/// at most [`MARKING_SENTENCE_CHARS`] long. Lines, not the document, so a
/// big text screened in windows judges every cue alike.
fn in_edge_sentence(input: &str, span: Span) -> bool {
    let (start, end) = sentence_around(input, span.start);
    let first = line_starts_before(input, start);
    let last = line_ends_after(input, end);
    (first || last) && input[start..end].trim().chars().count() <= MARKING_SENTENCE_CHARS
}

/// `**秘密**` and `*机密*` are Markdown emphasis in running prose, not a
/// level followed by a star.
fn is_markdown_emphasis(input: &str, start: usize, marking: &str) -> bool {
    let level_len = "秘密".len();
    let after_level = &marking[level_len..];
    let star_is_ascii = after_level
        .trim_start_matches([' ', '\u{3000}'])
        .starts_with('*');
    star_is_ascii && (input[..start].ends_with('*') || input[start + level_len..].starts_with("**"))
}

/// A marking never ends on the spaces the star pattern allows after it.
fn trim_end_spaces(input: &str, start: usize, end: usize) -> Span {
    let trimmed = input[start..end].trim_end_matches([' ', '\u{3000}']);
    Span::new(start, start + trimmed.len())
}
