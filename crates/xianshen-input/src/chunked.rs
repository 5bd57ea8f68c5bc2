//! Screening a text too big to hold: windows with an overlap, each finding
//! kept by the window that owns its start.
//!
//! # Why the results equal whole-file screening
//!
//! Every rule but one is local: its findings depend on the text at most a
//! few hundred chars around them (terms are at most `max_term_chars`, near
//! rules span `within` chars, context rules look at the sentence or the
//! passage, at most 400 chars each way, and at lines, never at the whole
//! document). Windows are screened with `overlap` bytes of text
//! on both sides of the part they own (default 64 KiB, far more than any
//! rule reaches), cut at line starts, and a finding is kept only by the
//! window whose owned part holds its start, so none is lost or doubled.
//!
//! `attribution.missing` is document-level: a repost marker counts only in
//! the first or last 300 chars, and a source declaration anywhere clears
//! it. Windows are screened as declared reposts, so a window that yields no
//! `attribution.missing` holds a declaration; when none does, one probe
//! draft made of the first 300 (+32) chars, a line break and the last
//! (32 +) 300 chars decides, exactly as the whole file would (its first and
//! last 300 chars are the file's; the 32 chars on each side let a marker
//! that straddles the edge be seen whole, and nothing in between is at an
//! edge).

use crate::encoding::DecodingReader;
use crate::screen::Meta;
use crate::InputError;
use sha2::{Digest, Sha256};
use std::io::Read;
use xianshen::rules::{BuiltinRule, Family};
use xianshen::{locate, Approval, Finding, InputInfo, Report, Screener, TextPosition, Verdict};

/// The chars at each end of a document where repost markers count
/// (`attribution.*`): the core's constant.
pub use xianshen::rules::REPOST_EDGE_CHARS as EDGE_CHARS;
/// Extra chars kept beyond each edge in the probe draft.
const EDGE_MARGIN: usize = 32;

/// How to cut a big text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChunkOptions {
    /// Bytes each window owns. Texts up to `chunk_bytes + 2 * overlap_bytes`
    /// are screened whole.
    pub chunk_bytes: usize,
    /// Bytes of context on each side of a window's owned part.
    pub overlap_bytes: usize,
    /// Findings kept at most (the policy's `[limits] max_findings`); the
    /// verdict still counts every finding.
    pub max_findings: usize,
}

impl Default for ChunkOptions {
    fn default() -> Self {
        ChunkOptions {
            chunk_bytes: 4 << 20,
            overlap_bytes: 64 << 10,
            max_findings: xianshen::DEFAULT_MAX_FINDINGS,
        }
    }
}

/// The end of a cut near `lo`: just after the first line break in
/// `text[lo..hi]`, else the first char boundary at or after `lo`.
fn cut(text: &str, lo: usize, hi: usize) -> usize {
    let hi = hi.min(text.len());
    let lo = lo.min(hi);
    match text.as_bytes()[lo..hi].iter().position(|&b| b == b'\n') {
        Some(i) => lo + i + 1,
        None => (lo..=text.len())
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(text.len()),
    }
}

/// Screens a decoded stream in bounded memory (about
/// `chunk_bytes + 2 * overlap_bytes` of text at a time, plus what the
/// screener needs for one window).
///
/// # Errors
///
/// Read and decoding errors from `reader`.
pub fn screen_stream<R: Read>(
    screener: &Screener,
    reader: &mut DecodingReader<R>,
    meta: &Meta,
    opts: ChunkOptions,
) -> Result<Report, InputError> {
    screen_decoded(screener, reader, meta, opts).map(|(report, _)| report)
}

/// [`screen_stream`], and the text itself when it was small enough to be
/// screened whole (up to `chunk_bytes + 2 * overlap_bytes`), for callers
/// that show it. The input is read once either way.
///
/// # Errors
///
/// Read and decoding errors from `reader`.
///
/// # Examples
///
/// ```
/// use xianshen::{Screener, Verdict};
/// use xianshen_input::{screen_decoded, ChunkOptions, DecodingReader, EncodingChoice, Meta};
/// let mut reader = DecodingReader::new(&"本店出售冰毒".as_bytes()[..], EncodingChoice::Auto, false)?;
/// let (report, text) = screen_decoded(&Screener::new(), &mut reader, &Meta::default(), ChunkOptions::default())?;
/// assert_eq!(report.verdict, Verdict::Block);
/// assert_eq!(text.as_deref(), Some("本店出售冰毒"));
/// # Ok::<(), xianshen_input::InputError>(())
/// ```
pub fn screen_decoded<R: Read>(
    screener: &Screener,
    reader: &mut DecodingReader<R>,
    meta: &Meta,
    opts: ChunkOptions,
) -> Result<(Report, Option<String>), InputError> {
    // One screening date for every window, so they judge alike.
    let meta = Meta {
        date: Some(meta.date.unwrap_or_else(xianshen::Date::today_utc)),
        ..meta.clone()
    };
    let overlap = opts.overlap_bytes.max(4 * (EDGE_CHARS + EDGE_MARGIN) * 4);
    let chunk = opts.chunk_bytes.max(overlap);
    let mut text = Buffered::new(reader);
    text.fill(chunk + 2 * overlap)?;
    if text.eof {
        let report = screener.screen(&meta.draft(&text.buf));
        return Ok((report, Some(text.buf)));
    }
    let head = text.buf[..char_end(&text.buf, EDGE_CHARS + EDGE_MARGIN)].to_string();
    let mut merged = Merged::new(&meta, opts.max_findings);
    let mut own_start = 0usize;
    loop {
        text.fill(own_start + chunk + 2 * overlap - text.base)?;
        let window = Window::cut(&text, own_start, chunk, overlap);
        merged.add_window(screener, &text, &window, own_start);
        if window.last {
            break;
        }
        own_start = text.base + window.own_end;
        // Keep from the walker on: the next window starts after it.
        text.drop_before(merged.walker.byte);
    }
    if meta.repost != Some(false) && !merged.declared {
        merged.probe_attribution(screener, &head, &text);
    }
    let input = text.input_info();
    Ok((merged.into_report(input), None))
}

/// The decoded text read so far, from absolute offset `base` on, with the
/// digest and char count of the text already dropped (hashed only when a
/// text turns out to need windows: a text screened whole is digested once,
/// by the core).
struct Buffered<'r, R: Read> {
    reader: &'r mut DecodingReader<R>,
    buf: String,
    base: usize,
    hasher: Sha256,
    chars: usize,
    eof: bool,
}

impl<'r, R: Read> Buffered<'r, R> {
    fn new(reader: &'r mut DecodingReader<R>) -> Self {
        Buffered {
            reader,
            buf: String::new(),
            base: 0,
            hasher: Sha256::new(),
            chars: 0,
            eof: false,
        }
    }

    /// Reads until `want` bytes are buffered or the input ends.
    fn fill(&mut self, want: usize) -> Result<(), InputError> {
        while !self.eof && self.buf.len() < want {
            let more = want - self.buf.len();
            if !self.reader.read_text(&mut self.buf, more)? {
                self.eof = true;
            }
        }
        Ok(())
    }

    /// Forgets the text before absolute offset `at`, digesting it first.
    fn drop_before(&mut self, at: usize) {
        let n = at - self.base;
        self.digest(n);
        self.buf.drain(..n);
        self.base += n;
    }

    /// Adds the first `n` buffered bytes to the digest and the char count.
    fn digest(&mut self, n: usize) {
        self.hasher.update(&self.buf.as_bytes()[..n]);
        self.chars += self.buf[..n].chars().count();
    }

    /// The digest, bytes and chars of the whole text (once all is read).
    fn input_info(mut self) -> InputInfo {
        self.digest(self.buf.len());
        InputInfo::from_sha256(
            &self.hasher.finalize(),
            self.base + self.buf.len(),
            self.chars,
        )
    }
}

/// One window, in offsets relative to the buffer: the part it owns starts
/// at the caller's `own_start` and ends at `own_end`; the window reaches
/// `start..end` with the overlap on both sides, cut at line starts.
struct Window {
    start: usize,
    own_end: usize,
    end: usize,
    last: bool,
}

impl Window {
    fn cut<R: Read>(
        text: &Buffered<'_, R>,
        own_start: usize,
        chunk: usize,
        overlap: usize,
    ) -> Window {
        let buf = &text.buf;
        let rel_own = own_start - text.base;
        let last = text.eof && buf.len() <= rel_own + chunk + overlap;
        let own_end = if last {
            buf.len()
        } else {
            cut(buf, rel_own + chunk, rel_own + chunk + overlap / 2)
        };
        let start = if own_start == 0 {
            0
        } else {
            cut(buf, rel_own.saturating_sub(overlap), rel_own - overlap / 2)
        };
        let end = if last {
            buf.len()
        } else {
            cut(buf, own_end + overlap / 2, own_end + overlap)
        };
        Window {
            start,
            own_end,
            end,
            last,
        }
    }
}

/// The findings kept so far, in whole-text offsets, and what the windows
/// said about attribution.
struct Merged {
    /// The draft's metadata, as each window is screened: a declared repost
    /// unless declared not one, so that `attribution.missing` says whether
    /// the window holds a source declaration.
    window_meta: Meta,
    meta: Meta,
    max_findings: usize,
    template: Option<Report>,
    findings: Vec<Finding>,
    verdict: Verdict,
    approval: Approval,
    truncated: bool,
    /// A source is declared (by the metadata or in some window).
    declared: bool,
    /// The position of the current window's start in the whole text.
    walker: TextPosition,
}

impl Merged {
    fn new(meta: &Meta, max_findings: usize) -> Merged {
        Merged {
            window_meta: Meta {
                repost: Some(meta.repost != Some(false)),
                ..meta.clone()
            },
            meta: meta.clone(),
            max_findings,
            template: None,
            findings: Vec::new(),
            verdict: Verdict::Pass,
            approval: Approval::Reviewer,
            truncated: false,
            declared: meta.source.as_deref().is_some_and(|s| !s.trim().is_empty()),
            walker: TextPosition::default(),
        }
    }

    /// Screens one window and keeps the findings that start in the part it
    /// owns (and the draft-level findings of the first window).
    fn add_window<R: Read>(
        &mut self,
        screener: &Screener,
        text: &Buffered<'_, R>,
        window: &Window,
        own_start: usize,
    ) {
        let buf = &text.buf;
        let window_text = &buf[window.start..window.end];
        let report = screener.screen(&self.window_meta.draft(window_text));
        self.truncated |= report.truncated;
        let mut missing = false;
        let mut kept = Vec::new();
        for f in &report.findings {
            if f.builtin_rule() == Some(BuiltinRule::AttributionMissing) {
                missing = true;
                continue;
            }
            let abs = text.base + window.start + f.start;
            let draft_level = f.start == f.end
                && f.start == 0
                && f.builtin_rule()
                    .is_some_and(|r| r.family() == Family::Attribution);
            let owned = if draft_level {
                own_start == 0
            } else {
                abs >= own_start && abs < text.base + window.own_end
            };
            if owned {
                kept.push(f.clone());
            }
        }
        self.declared |= !missing;
        self.walker
            .advance(&buf[self.walker.byte - text.base..window.start]);
        locate(window_text, &mut kept, self.walker);
        for f in kept {
            self.count(&f);
            if self.findings.len() < self.max_findings {
                self.findings.push(f);
            } else {
                self.truncated = true;
            }
        }
        self.template.get_or_insert(report);
    }

    /// No window declared a source: one probe draft of the text's first
    /// and last 300 (+32) chars decides `attribution.missing`, as the whole
    /// text would.
    fn probe_attribution<R: Read>(
        &mut self,
        screener: &Screener,
        head: &str,
        text: &Buffered<'_, R>,
    ) {
        let buf = &text.buf;
        let tail_start = char_start_back(buf, EDGE_CHARS + EDGE_MARGIN);
        let tail = &buf[tail_start..];
        let probe = format!("{head}\n{tail}");
        let report = screener.screen(&self.meta.draft(&probe));
        let Some(mut f) = report
            .findings
            .into_iter()
            .find(|f| f.builtin_rule() == Some(BuiltinRule::AttributionMissing))
        else {
            return;
        };
        let mut one = if f.start > head.len() {
            f.start -= head.len() + 1;
            f.end -= head.len() + 1;
            self.walker
                .advance(&buf[self.walker.byte - text.base..tail_start]);
            let mut v = vec![f];
            locate(tail, &mut v, self.walker);
            v
        } else {
            let mut v = vec![f];
            locate(head, &mut v, TextPosition::default());
            v
        };
        let f = one.pop().expect("one finding");
        self.count(&f);
        let at = self
            .findings
            .partition_point(|g| (g.start, &g.rule) < (f.start, &f.rule));
        self.findings.insert(at, f);
        self.findings.truncate(self.max_findings);
    }

    /// Counts a finding in the verdict and the approval.
    fn count(&mut self, f: &Finding) {
        self.verdict = self.verdict.max(Verdict::from_severities([f.severity]));
        self.approval = self.approval.max(Approval::required([f.approval]));
    }

    /// The whole text's report: the first window's, with the kept
    /// findings, and the title's findings counted once.
    fn into_report(mut self, input: InputInfo) -> Report {
        let mut report = self.template.take().expect("at least one window");
        for f in &report.title_findings {
            self.verdict = self.verdict.max(Verdict::from_severities([f.severity]));
            self.approval = self.approval.max(Approval::required([f.approval]));
        }
        report.findings = self.findings;
        report.verdict = self.verdict;
        report.approval = self.approval;
        report.truncated = self.truncated;
        report.input = input;
        report
    }
}

/// Byte offset after the first `n` chars.
fn char_end(s: &str, n: usize) -> usize {
    s.char_indices().nth(n).map_or(s.len(), |(i, _)| i)
}

/// Byte offset of the last `n` chars.
fn char_start_back(s: &str, n: usize) -> usize {
    s.char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i)
}
