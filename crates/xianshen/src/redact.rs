//! Masking findings in the text, e.g. ID numbers before a comment is shown.

use crate::report::Finding;
use crate::Span;
use unicode_segmentation::UnicodeSegmentation;

/// How to mask a finding's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mask {
    /// This char once per grapheme cluster (an emoji family is one).
    Char(char),
    /// This text in place of the whole finding.
    Replace(String),
    /// The finding's suggestion where it has one (style rules), else this
    /// char per grapheme cluster.
    SuggestionOr(char),
}

impl Default for Mask {
    fn default() -> Self {
        Mask::Char('*')
    }
}

/// Returns `input` with the spans of `findings` masked. Overlapping or
/// touching findings are masked as one span.
///
/// # Examples
///
/// ```
/// use xianshen::{redact, Mask, Screener};
/// let screener = Screener::new();
/// let text = "本店出售冰毒";
/// let report = screener.screen_text(text);
/// assert_eq!(redact(text, &report.findings, &Mask::Char('*')), "本店****");
/// ```
pub fn redact<'f>(
    input: &str,
    findings: impl IntoIterator<Item = &'f Finding>,
    mask: &Mask,
) -> String {
    let mut spans: Vec<(Span, Option<&str>)> = findings
        .into_iter()
        .filter(|f| {
            f.end <= input.len() && input.is_char_boundary(f.start) && input.is_char_boundary(f.end)
        })
        .map(|f| (f.span(), f.suggestion.as_deref()))
        .collect();
    spans.sort_by_key(|(s, _)| (s.start, std::cmp::Reverse(s.end)));
    let mut out = String::with_capacity(input.len());
    let mut at = 0;
    let mut i = 0;
    while i < spans.len() {
        let (mut span, suggestion) = spans[i];
        let mut merged = false;
        i += 1;
        while i < spans.len() && spans[i].0.start <= span.end {
            span.end = span.end.max(spans[i].0.end);
            merged = true;
            i += 1;
        }
        if span.start < at {
            continue;
        }
        out.push_str(&input[at..span.start]);
        let text = &input[span];
        match mask {
            Mask::Char(c) => out.extend(std::iter::repeat_n(*c, text.graphemes(true).count())),
            Mask::Replace(r) => out.push_str(r),
            Mask::SuggestionOr(c) => match suggestion {
                Some(s) if !merged => out.push_str(s),
                _ => out.extend(std::iter::repeat_n(*c, text.graphemes(true).count())),
            },
        }
        at = span.end;
    }
    out.push_str(&input[at..]);
    out
}
