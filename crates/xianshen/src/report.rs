//! Findings and reports (JSON schema `xianshen.report/1`).

use crate::verdict::{Approval, Severity, Verdict};
use crate::Span;
use serde::{Deserialize, Serialize};

/// The JSON schema id of a serialized [`Report`].
pub const REPORT_SCHEMA: &str = "xianshen.report/1";

/// One problem at one place.
///
/// `input[finding.span()] == finding.text` always holds for the input it
/// was found in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable rule id, e.g. `term.drugs` or `privacy.id_card`.
    pub rule: String,
    /// The part of the rule id before the first dot.
    pub category: String,
    /// How serious it is.
    pub severity: Severity,
    /// Who must sign off because of it, if more than a reviewer.
    pub approval: Option<Approval>,
    /// UTF-8 byte offset of the first byte.
    pub start: usize,
    /// UTF-8 byte offset one past the last byte.
    pub end: usize,
    /// Offset in Unicode scalar values of the first char.
    pub char_start: usize,
    /// Offset in Unicode scalar values one past the last char.
    pub char_end: usize,
    /// Offset in UTF-16 code units of the first char: the index a
    /// JavaScript, Java or C# string uses (a char outside the BMP counts 2).
    #[serde(default)]
    pub utf16_start: usize,
    /// Offset in UTF-16 code units one past the last char.
    #[serde(default)]
    pub utf16_end: usize,
    /// 1-based line of `start`.
    pub line: usize,
    /// 1-based column of `start`, in chars.
    pub column: usize,
    /// The input text of the span, exactly as written.
    pub text: String,
    /// For `term.*` findings, the lexicon entry as written in the policy.
    pub term: Option<String>,
    /// What is wrong and what to do (Chinese).
    pub message: String,
    /// A replacement to offer (style rules).
    pub suggestion: Option<String>,
    /// For `term.*` findings spelled to evade the filter: which spelling
    /// matched (`"pinyin"` for 出售bingdu). Absent from the JSON otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evasion: Option<crate::Evasion>,
}

impl Finding {
    /// The byte span in the input.
    pub fn span(&self) -> Span {
        Span::new(self.start, self.end)
    }

    /// The built-in rule that made it; `None` for `term.*` and `near.*`
    /// rules of the policy.
    ///
    /// ```
    /// use xianshen::rules::BuiltinRule;
    /// let report = xianshen::Screener::new().screen_text("手机13812345678");
    /// assert_eq!(report.findings[0].builtin_rule(), Some(BuiltinRule::PrivacyMobile));
    /// ```
    pub fn builtin_rule(&self) -> Option<crate::rules::BuiltinRule> {
        crate::rules::BuiltinRule::from_id(&self.rule)
    }
}

/// Facts about the screened input, for the audit trail.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputInfo {
    /// Hex sha256 of the input's UTF-8 bytes.
    pub sha256: String,
    /// Length in bytes.
    pub bytes: usize,
    /// Length in Unicode scalar values.
    pub chars: usize,
}

impl InputInfo {
    /// The audit facts of `text`: its sha256, bytes and chars.
    ///
    /// ```
    /// let info = xianshen::InputInfo::of("abc");
    /// assert_eq!(info.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    /// assert_eq!((info.bytes, info.chars), (3, 3));
    /// ```
    pub fn of(text: &str) -> InputInfo {
        InputInfo {
            sha256: crate::digest::sha256_hex(text.as_bytes()),
            bytes: text.len(),
            chars: count_chars(text.as_bytes()),
        }
    }

    /// The facts of a text hashed piece by piece (a text screened in
    /// windows): its finished sha256 digest, bytes and chars.
    pub fn from_sha256(digest: &[u8], bytes: usize, chars: usize) -> InputInfo {
        InputInfo {
            sha256: crate::digest::hex(digest),
            bytes,
            chars,
        }
    }
}

/// Where a piece of text begins inside a larger one (a window of a long
/// text): byte, char and UTF-16 offsets, and the line and where it starts.
/// [`TextPosition::default`] is the start of a text.
///
/// # Examples
///
/// ```
/// use xianshen::TextPosition;
/// let mut at = TextPosition::default();
/// at.advance("第一行\n𠮷x");
/// assert_eq!((at.byte, at.chars, at.utf16, at.line), (15, 6, 7, 2));
/// assert_eq!(at.column(), 3);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextPosition {
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

impl Default for TextPosition {
    fn default() -> Self {
        TextPosition {
            byte: 0,
            chars: 0,
            utf16: 0,
            line: 1,
            line_start_chars: 0,
        }
    }
}

impl TextPosition {
    /// Moves over `text`, which must start at this position.
    pub fn advance(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let newlines = count_bytes(bytes, |b| b == b'\n');
        if newlines > 0 {
            let last = bytes.iter().rposition(|&b| b == b'\n').unwrap_or(0);
            self.line += newlines;
            self.line_start_chars = self.chars + count_chars(&bytes[..=last]);
        }
        let chars = count_chars(bytes);
        self.chars += chars;
        self.utf16 += chars + count_astral(bytes);
        self.byte += bytes.len();
    }

    /// The 1-based column (in chars) of this position.
    pub fn column(&self) -> usize {
        self.chars - self.line_start_chars + 1
    }
}

/// Which policy made the decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyInfo {
    /// `[meta] name`.
    pub name: String,
    /// `[meta] version`.
    pub version: String,
    /// `sha256:` + digest of the policy's canonical form.
    pub fingerprint: String,
}

/// Which engine made the decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EngineInfo {
    /// Always `xianshen`.
    pub name: String,
    /// The crate version.
    pub version: String,
}

impl Default for EngineInfo {
    fn default() -> Self {
        EngineInfo {
            name: "xianshen".into(),
            version: crate::VERSION.into(),
        }
    }
}

/// All findings for one draft, the verdict, who must sign off, and audit data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// Always [`REPORT_SCHEMA`].
    pub schema: String,
    /// `block` if any block finding, else `review` if any review finding, else `pass`.
    pub verdict: Verdict,
    /// The highest approval any finding asks for; `reviewer` at least.
    pub approval: Approval,
    /// Findings sorted by start, then rule id.
    pub findings: Vec<Finding>,
    /// Findings in the draft's title, screened as a field of its own: their
    /// offsets, line and column point into the title, never the text. The
    /// verdict and approval count them. Absent from the JSON when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub title_findings: Vec<Finding>,
    /// Whether findings were cut at the policy's `[limits] max_findings`.
    /// The verdict and approval still account for every finding.
    pub truncated: bool,
    /// The input's digest and size.
    pub input: InputInfo,
    /// The policy's name, version and fingerprint.
    pub policy: PolicyInfo,
    /// The engine's name and version.
    pub engine: EngineInfo,
    /// The screening date the checks used (`Draft::date`, or the day in
    /// UTC): with the input digest and the policy fingerprint, what makes
    /// the report reproducible. Absent only in reports made before it was
    /// recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<crate::Date>,
}

impl Report {
    /// The findings whose rule id starts with one of `prefixes`
    /// (`"privacy."`, `"term.drugs"`); every finding when `prefixes` is
    /// `None`, none when it is empty. What every surface's redaction by
    /// rule chooses.
    ///
    /// ```
    /// let report = xianshen::Screener::new().screen_text("本店出售冰毒，联系电话13812345678");
    /// assert_eq!(report.findings_by_rule(Some(&["privacy."])).count(), 1);
    /// assert_eq!(report.findings_by_rule::<&str>(None).count(), report.findings.len());
    /// assert_eq!(report.findings_by_rule::<&str>(Some(&[])).count(), 0);
    /// ```
    pub fn findings_by_rule<'r, S: AsRef<str>>(
        &'r self,
        prefixes: Option<&'r [S]>,
    ) -> impl Iterator<Item = &'r Finding> + 'r {
        self.findings.iter().filter(move |f| {
            prefixes.is_none_or(|ps| ps.iter().any(|p| f.rule.starts_with(p.as_ref())))
        })
    }

    /// The report as `xianshen.report/1` JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a report always serializes")
    }

    /// The report as indented JSON.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).expect("a report always serializes")
    }
}

/// Walks an input once, turning ascending byte offsets into char and
/// UTF-16 offsets, lines and columns.
pub(crate) struct Positions<'a> {
    input: &'a str,
    byte: usize,
    chars: usize,
    /// Chars outside the BMP so far: UTF-16 offset = chars + astral.
    astral: usize,
    line: usize,
    line_start_chars: usize,
}

/// Where a byte offset is, in the other units a report gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Position {
    pub chars: usize,
    pub utf16: usize,
    pub line: usize,
    pub column: usize,
}

impl<'a> Positions<'a> {
    pub fn new(input: &'a str) -> Self {
        Positions {
            input,
            byte: 0,
            chars: 0,
            astral: 0,
            line: 1,
            line_start_chars: 0,
        }
    }

    /// The position of byte `offset`; offsets must not decrease between
    /// calls.
    pub fn at(&mut self, offset: usize) -> Position {
        debug_assert!(offset >= self.byte);
        let skipped = &self.input.as_bytes()[self.byte..offset];
        // Byte counts, which vectorize: no char decoding.
        let newlines = count_bytes(skipped, |b| b == b'\n');
        if newlines > 0 {
            let last = skipped.iter().rposition(|&b| b == b'\n').unwrap_or(0);
            self.line += newlines;
            self.line_start_chars = self.chars + count_chars(&skipped[..=last]);
        }
        self.chars += count_chars(skipped);
        self.astral += count_astral(skipped);
        self.byte = offset;
        Position {
            chars: self.chars,
            utf16: self.chars + self.astral,
            line: self.line,
            column: self.chars - self.line_start_chars + 1,
        }
    }

    /// Char and UTF-16 offsets of a later byte `offset`, without moving.
    pub fn ahead(&self, offset: usize) -> (usize, usize) {
        let bytes = &self.input.as_bytes()[self.byte..offset];
        let chars = self.chars + count_chars(bytes);
        (chars, chars + self.astral + count_astral(bytes))
    }
}

/// The number of chars outside the BMP (two UTF-16 units each) in valid
/// UTF-8 `bytes`: their lead bytes are 0xF0 and above.
fn count_astral(bytes: &[u8]) -> usize {
    count_bytes(bytes, |b| b >= 0xF0)
}

/// The number of chars in valid UTF-8 `bytes`: the bytes that are not
/// continuation bytes.
fn count_chars(bytes: &[u8]) -> usize {
    count_bytes(bytes, |b| (b as i8) >= -0x40)
}

/// The number of bytes for which `pred` holds. Counts go into `u8` lanes
/// 255 bytes at a time, which vectorizes 16 or 32 bytes a step.
#[inline]
fn count_bytes(bytes: &[u8], pred: impl Fn(u8) -> bool + Copy) -> usize {
    bytes
        .chunks(255)
        .map(|chunk| {
            chunk
                .iter()
                .fold(0u8, |n, &b| n.wrapping_add(u8::from(pred(b)))) as usize
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_chars_utf16_lines_and_columns() {
        let input = "第一行\n二、出售\r\n\n😀x冰毒\n𠮷野家";
        let mut pos = Positions::new(input);
        let mut expected = Vec::new();
        let (mut line, mut column, mut utf16) = (1, 1, 0);
        for (chars, (byte, c)) in input.char_indices().enumerate() {
            expected.push((
                byte,
                Position {
                    chars,
                    utf16,
                    line,
                    column,
                },
            ));
            utf16 += c.len_utf16();
            if c == '\n' {
                line += 1;
                column = 1;
            } else {
                column += 1;
            }
        }
        for &(byte, want) in expected.iter().step_by(2).chain(expected.last()) {
            assert_eq!(pos.ahead(byte), (want.chars, want.utf16));
            assert_eq!(pos.at(byte), want, "at byte {byte}");
        }
        let end = pos.at(input.len());
        assert_eq!(end.chars, input.chars().count());
        assert_eq!(end.utf16, input.encode_utf16().count());
    }

    #[test]
    fn text_position_advances_like_a_walk_from_the_start() {
        let input = "第一行\n二、出售\r\n\n😀x冰毒\n𠮷野家";
        let cuts: Vec<usize> = (0..=input.len())
            .filter(|&i| input.is_char_boundary(i))
            .collect();
        for &a in &cuts {
            for &b in cuts.iter().filter(|&&b| b >= a) {
                let mut at = TextPosition::default();
                at.advance(&input[..a]);
                at.advance(&input[a..b]);
                let whole = Positions::new(input).at(b);
                assert_eq!(at.byte, b);
                assert_eq!(
                    (at.chars, at.utf16, at.line),
                    (whole.chars, whole.utf16, whole.line)
                );
                assert_eq!(at.column(), whole.column, "{a}..{b}");
            }
        }
    }
}
