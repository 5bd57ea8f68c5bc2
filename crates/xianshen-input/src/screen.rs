//! Screening extracted text and reporting against the source.

use crate::extract::Extracted;
use sha2::{Digest, Sha256};
use xianshen::{Approval, Draft, Finding, InputInfo, Report, Screener, Verdict};

/// Draft metadata that does not come from the text (title, repost flag,
/// declared source, kind), owned so it can cross threads.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Meta {
    /// The title, if any.
    pub title: Option<String>,
    /// Repost flag (`None`: the text's markers decide).
    pub repost: Option<bool>,
    /// Declared source unit.
    pub source: Option<String>,
    /// What kind of text it is (`None`: an article, the default).
    pub kind: Option<xianshen::Kind>,
    /// The screening date (`None`: today in UTC when screened).
    pub date: Option<xianshen::Date>,
}

impl Meta {
    /// A [`Draft`] of `text` with this metadata.
    pub fn draft<'a>(&'a self, text: &'a str) -> Draft<'a> {
        Draft {
            text,
            title: self.title.as_deref(),
            repost: self.repost,
            source: self.source.as_deref(),
            kind: self.kind.unwrap_or_default(),
            date: self.date,
        }
    }
}

/// Screens the text a reader sees and reports against `source`: every
/// finding's offsets, line, column and text are the source's, so
/// `source[f.start..f.end] == f.text`. Link targets are screened too, and
/// their `ad.link` findings point at the attribute or destination.
///
/// # Examples
///
/// ```
/// use xianshen::Screener;
/// use xianshen_input::{extract_html, screen_extracted, Meta};
/// let src = "<p>本店<b>出售</b>冰毒</p>";
/// let report = screen_extracted(&Screener::new(), src, &extract_html(src, 0).unwrap(), &Meta::default());
/// let f = &report.findings[0];
/// assert_eq!(&src[f.start..f.end], "出售</b>冰毒");
/// assert_eq!((f.line, f.column), (1, 9)); // after `<p>本店<b>`
/// ```
pub fn screen_extracted(
    screener: &Screener,
    source: &str,
    extracted: &Extracted,
    meta: &Meta,
) -> Report {
    let mut report = screener.screen(&meta.draft(&extracted.text));
    for f in &mut report.findings {
        let r = extracted.map.map(f.start..f.end);
        f.start = r.start;
        f.end = r.end;
    }
    let mut verdict = report.verdict;
    let mut approval = report.approval;
    for link in &extracted.links {
        let r = screener.screen_text(&link.url);
        for mut f in r
            .findings
            .into_iter()
            .filter(|f| f.builtin_rule() == Some(xianshen::rules::BuiltinRule::AdLink))
        {
            let (start, end) = if link.exact {
                (link.span.start + f.start, link.span.start + f.end)
            } else {
                (link.span.start, link.span.end)
            };
            let taken = report
                .findings
                .iter()
                .any(|g| g.rule == f.rule && g.start < end && start < g.end);
            if taken {
                continue;
            }
            verdict = verdict.max(Verdict::from_severities([f.severity]));
            approval = approval.max(Approval::required([f.approval]));
            f.start = start;
            f.end = end;
            report.findings.push(f);
        }
    }
    report
        .findings
        .sort_by(|a, b| (a.start, &a.rule).cmp(&(b.start, &b.rule)));
    report.verdict = verdict;
    report.approval = approval;
    locate(source, &mut report.findings, Position::default());
    report.input = input_info(source);
    report
}

/// Where a piece of text sits in a larger one: byte and char offsets and
/// the line and column (1-based, in chars) of its first char.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    /// Byte offset.
    pub byte: usize,
    /// Char offset.
    pub chars: usize,
    /// UTF-16 code unit offset.
    pub utf16: usize,
    /// 1-based line.
    pub line: usize,
    /// Char offset where that line starts.
    pub line_start_chars: usize,
}

impl Default for Position {
    fn default() -> Self {
        Position {
            byte: 0,
            chars: 0,
            utf16: 0,
            line: 1,
            line_start_chars: 0,
        }
    }
}

impl Position {
    /// Moves over `text`, which must start at this position.
    pub fn advance(&mut self, text: &str) {
        for c in text.chars() {
            self.chars += 1;
            self.utf16 += c.len_utf16();
            if c == '\n' {
                self.line += 1;
                self.line_start_chars = self.chars;
            }
        }
        self.byte += text.len();
    }
}

/// Sets `char_start`, `char_end`, `line`, `column` and `text` of findings
/// whose `start`/`end` are byte offsets into `text` (which begins at `at`
/// in the whole input); `start`/`end` become whole-input offsets. Findings
/// must be sorted by start.
pub fn locate(text: &str, findings: &mut [Finding], at: Position) {
    let mut pos = at;
    let mut rel = 0;
    for f in findings.iter_mut() {
        let (start, end) = (f.start, f.end);
        debug_assert!(start >= rel);
        pos.advance(&text[rel..start]);
        rel = start;
        f.char_start = pos.chars;
        f.char_end = pos.chars + text[start..end].chars().count();
        f.utf16_start = pos.utf16;
        f.utf16_end = pos.utf16 + text[start..end].encode_utf16().count();
        f.line = pos.line;
        f.column = pos.chars - pos.line_start_chars + 1;
        f.text = text[start..end].to_string();
        f.start = at.byte + start;
        f.end = at.byte + end;
    }
}

/// The audit facts of a text: sha256, bytes, chars.
pub fn input_info(text: &str) -> InputInfo {
    InputInfo {
        sha256: hex(&Sha256::digest(text.as_bytes())),
        bytes: text.len(),
        chars: text.chars().count(),
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}
