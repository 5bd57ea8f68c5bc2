//! `classified.*`: state-secret markings (密级标志), internal-use markings
//! and commercial-secret markings.

use super::cues::CueKind;
use super::{Context, RawFinding};
use crate::screener::rule_index;
use crate::Span;
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
    if ctx.on("classified.marking") {
        let marking = rule_index("classified.marking");
        for m in MARKING.find_iter(input) {
            if is_markdown_emphasis(input, m.start(), m.as_str()) {
                continue;
            }
            let span = trim_end_spaces(input, m.start(), m.end());
            out.push(RawFinding::new(marking, span));
        }
    }
    if ctx.on("classified.commercial") {
        let commercial = rule_index("classified.commercial");
        for m in COMMERCIAL.find_iter(input) {
            let span = trim_end_spaces(input, m.start(), m.end());
            out.push(RawFinding::new(commercial, span));
        }
    }
    let internal = rule_index("classified.internal");
    for hit in ctx.cues.iter().filter(|h| h.kind == CueKind::Internal) {
        out.push(RawFinding::new(internal, hit.span));
    }
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
