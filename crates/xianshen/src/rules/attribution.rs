//! `attribution.*`: reposts must name their source (转载信息需注明来源),
//! and the source should be an approved unit (稿源单位).

use super::cues::CueKind;
use super::text::{back_chars, forward_chars, next_char, prev_char};
use super::{Context, RawFinding};
use crate::normalize::{normalize_str, NormalizeOptions};
use crate::screener::rule_index;
use crate::Span;
use regex::Regex;
use std::sync::LazyLock;

/// Repost markers count only in the first or last this many chars.
const EDGE_CHARS: usize = 300;
/// A declared source name is at most this many chars.
const MAX_SOURCE_CHARS: usize = 30;

static REPORTED_BY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"据[^，。；！？,;!?\n]{1,20}?报道").expect("valid regex"));

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
        )
}

/// After a label (来源, 转自…): `：name`, or for labels ending in 自 and
/// 原载 the name right away. Returns the name's span.
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
        _ if label.ends_with('自') || label == "原载" => {}
        _ => return None,
    }
    let name_len: usize = input[at..]
        .chars()
        .take_while(|&c| !ends_source_name(c))
        .take(MAX_SOURCE_CHARS)
        .map(char::len_utf8)
        .sum();
    // A name is compared without its title marks or quotes: 《人民日报》.
    let name = input[at..at + name_len]
        .trim_matches(|c| matches!(c, '《' | '》' | '“' | '”' | '「' | '」' | '"'));
    let start = at + input[at..at + name_len].find(name).unwrap_or(0);
    (!name.is_empty()).then(|| Span::new(start, start + name.len()))
}

/// A label declares a source only where a declaration can begin: at the
/// start of the text or a line, or after a space or punctuation (经费来源：
/// is not one).
fn label_starts_declaration(input: &str, label_start: usize) -> bool {
    prev_char(input, label_start).is_none_or(|c| !(c.is_alphanumeric() || crate::policy::is_cjk(c)))
}

pub(crate) fn detect(ctx: &Context<'_>, out: &mut Vec<RawFinding>) {
    let input = ctx.input;
    let head_end = forward_chars(input, 0, EDGE_CHARS);
    let tail_start = back_chars(input, input.len(), EDGE_CHARS);
    let at_edges = |s: Span| s.start < head_end || s.end > tail_start;

    let marker = ctx
        .cues
        .iter()
        .filter(|h| h.kind == CueKind::RepostMarker && at_edges(h.span))
        .map(|h| h.span)
        .next()
        .or_else(|| {
            REPORTED_BY
                .find(&input[..head_end])
                .map(|m| Span::new(m.start(), m.end()))
                .or_else(|| {
                    REPORTED_BY
                        .find(&input[tail_start..])
                        .map(|m| Span::new(tail_start + m.start(), tail_start + m.end()))
                })
        });
    let title_marked = ctx.draft.title.is_some_and(|t| {
        let t = normalize_str(t, NormalizeOptions::ALL);
        ctx.settings
            .repost_markers
            .iter()
            .any(|m| t.contains(m.as_str()))
    });
    let repost = ctx.draft.repost.unwrap_or(marker.is_some() || title_marked);

    let mut declared: Vec<(Option<Span>, String)> = Vec::new();
    if let Some(source) = ctx.draft.source.map(str::trim).filter(|s| !s.is_empty()) {
        declared.push((None, source.to_string()));
    }
    let labels = ctx.cues.iter().filter(|h| h.kind == CueKind::SourceLabel);
    for hit in labels.filter(|h| label_starts_declaration(input, h.span.start)) {
        if let Some(name) = declared_name(input, hit.cue, hit.span.end) {
            declared.push((Some(name), input[name].to_string()));
        }
    }

    if repost && declared.is_empty() {
        let span = marker.unwrap_or_default();
        out.push(RawFinding::new(rule_index("attribution.missing"), span));
    }
    if ctx.settings.approved_sources.is_empty() {
        return;
    }
    let unapproved = rule_index("attribution.unapproved");
    for (span, name) in declared {
        let approved = ctx
            .settings
            .approved_sources
            .iter()
            .flatten()
            .any(|unit| name == *unit || name.starts_with(unit.as_str()));
        if !approved {
            let mut f = RawFinding::new(unapproved, span.unwrap_or_default());
            f.message = Some(format!(
                "注明的来源“{name}”不在本单位认可的稿源单位名单中，须经单位主要负责人审核。"
            ));
            out.push(f);
        }
    }
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
