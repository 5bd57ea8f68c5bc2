//! Screening a text in windows (one too big to hold, read as a stream) and
//! assembling the report the whole text would get: the caller cuts the
//! windows, the core decides what each finding means for the whole.
//!
//! # Why the results equal whole-text screening
//!
//! Every rule but one is local: its findings depend on the text at most a
//! few hundred chars around them (terms are at most `max_term_chars`, near
//! rules span `within` chars, context rules look at the sentence or the
//! passage, at most 400 chars each way, and at lines, never at the whole
//! document). Windows that overlap by more than any rule reaches, each
//! keeping the findings that start in the part it owns, lose and double
//! none.
//!
//! `attribution.missing` is document-level: a repost marker counts only in
//! the first or last [`REPOST_EDGE_CHARS`] chars, and a source declaration
//! anywhere clears it. Windows are screened as declared reposts, so a
//! window that yields no `attribution.missing` holds a declaration; when
//! none does, one probe draft made of the text's first and last
//! `REPOST_EDGE_CHARS + 32` chars, joined by a line break, decides exactly
//! as the whole text would (its ends are the text's; the 32 chars more let
//! a marker that straddles an edge be seen whole, and nothing in between
//! is at an edge).

use crate::draft::DraftMeta;
use crate::report::{EngineInfo, Finding, InputInfo, Report, TextPosition, REPORT_SCHEMA};
use crate::rules::text::{back_chars, forward_chars};
use crate::rules::{BuiltinRule, Family, RawFinding, REPOST_EDGE_CHARS};
use crate::screener::Screener;
use crate::verdict::{Approval, Verdict};
use std::ops::Range;

/// Chars at each end of the text that the attribution probe needs: the
/// first window must hold the text's first `EDGE_CHARS` chars, the last
/// window its last `EDGE_CHARS`.
pub const EDGE_CHARS: usize = REPOST_EDGE_CHARS + 32;

/// One window of a larger text, as [`WindowedScreening::add`] takes it.
#[derive(Clone, Debug)]
pub struct Window<'t> {
    /// The window's text.
    pub text: &'t str,
    /// Where `text` starts in the whole text ([`TextPosition::advance`]
    /// over everything before it).
    pub at: TextPosition,
    /// The byte range of `text` this window owns: a finding belongs to the
    /// window whose owned part holds its start. Owned parts tile the text.
    pub owns: Range<usize>,
    /// Whether this is the text's last window.
    pub last: bool,
}

/// The report of a text screened window by window, assembled as the
/// windows come: see [`Screener::windowed`].
///
/// # Examples
///
/// ```
/// use xianshen::{DraftMeta, InputInfo, Screener, TextPosition, Verdict, Window};
/// let text = "第一行，你好。\n本店出售冰毒\n";
/// let cut = text.find('\n').unwrap() + 1;
/// let screener = Screener::new();
/// let mut windowed = screener.windowed(&DraftMeta::default());
/// // Two windows with a little overlap, each owning its own line.
/// windowed.add(&Window { text: &text[..cut + 6], at: TextPosition::default(), owns: 0..cut, last: false });
/// let mut at = TextPosition::default();
/// at.advance(&text[..cut]);
/// windowed.add(&Window { text: &text[cut..], at, owns: 0..text.len() - cut, last: true });
/// let report = windowed.finish(InputInfo::of(text));
/// assert_eq!(report, screener.screen_text(text));
/// assert_eq!(report.verdict, Verdict::Block);
/// ```
pub struct WindowedScreening<'s> {
    screener: &'s Screener,
    /// The draft's metadata, its screening date fixed.
    meta: DraftMeta,
    /// As each window is screened: a declared repost unless declared not
    /// one, so that `attribution.missing` says whether the window holds a
    /// source declaration.
    window_meta: DraftMeta,
    findings: Vec<Finding>,
    title_findings: Vec<Finding>,
    verdict: Verdict,
    approval: Approval,
    truncated: bool,
    /// A source is declared (by the metadata or in some window).
    declared: bool,
    /// The text's first [`EDGE_CHARS`] chars.
    head: String,
    /// The text's last [`EDGE_CHARS`] chars and where they start.
    tail: Option<(String, TextPosition)>,
}

impl Screener {
    /// Starts a report for a text screened in windows, with `meta` for
    /// every window (its date, or today in UTC, for all of them). Add the
    /// windows in order with [`WindowedScreening::add`].
    pub fn windowed(&self, meta: &DraftMeta) -> WindowedScreening<'_> {
        let meta = DraftMeta {
            date: Some(meta.date.unwrap_or_else(crate::Date::today_utc)),
            ..meta.clone()
        };
        WindowedScreening {
            screener: self,
            window_meta: DraftMeta {
                repost: Some(meta.repost != Some(false)),
                ..meta.clone()
            },
            declared: meta.source.as_deref().is_some_and(|s| !s.trim().is_empty()),
            meta,
            findings: Vec::new(),
            title_findings: Vec::new(),
            verdict: Verdict::Pass,
            approval: Approval::Reviewer,
            truncated: false,
            head: String::new(),
            tail: None,
        }
    }
}

impl WindowedScreening<'_> {
    /// Screens one window and keeps the findings that start in the part it
    /// owns (and, for the first window, the draft-level findings and the
    /// title's).
    ///
    /// # Panics
    ///
    /// As [`Screener::screen`], for a window of 4 GiB or more.
    pub fn add(&mut self, window: &Window<'_>) {
        let first = window.at.byte == 0;
        let meta = self.window_meta.clone(); // the title outlives the borrow of self
        let (body, title) = self.screener.raw_draft(&meta.draft(window.text));
        let mut missing = false;
        let owned: Vec<RawFinding> = body
            .into_iter()
            .filter(|f| {
                if f.rule == BuiltinRule::AttributionMissing as u32 {
                    missing = true;
                    return false;
                }
                let draft_level = f.span.start == 0
                    && f.span.end == 0
                    && BuiltinRule::from_index(f.rule)
                        .is_some_and(|r| r.family() == Family::Attribution);
                if draft_level {
                    first
                } else {
                    window.owns.contains(&f.span.start)
                }
            })
            .collect();
        self.declared |= !missing;
        if first {
            self.head = window.text[..forward_chars(window.text, 0, EDGE_CHARS)].to_string();
            if let Some((title, raw)) = title {
                self.count(&raw);
                self.truncated |= raw.len() > self.max();
                self.title_findings = self.screener.findings(title, raw, self.max());
            }
        }
        if window.last {
            let tail_start = back_chars(window.text, window.text.len(), EDGE_CHARS);
            let mut at = window.at;
            at.advance(&window.text[..tail_start]);
            self.tail = Some((window.text[tail_start..].to_string(), at));
        }
        self.keep(window.text, owned, window.at);
    }

    /// The whole text's report, `input` its digest and size.
    pub fn finish(mut self, input: InputInfo) -> Report {
        if self.meta.repost != Some(false) && !self.declared {
            self.probe_attribution();
        }
        Report {
            schema: REPORT_SCHEMA.to_string(),
            verdict: self.verdict,
            approval: self.approval,
            findings: self.findings,
            title_findings: self.title_findings,
            truncated: self.truncated,
            input,
            policy: self.screener.policy_info(),
            engine: EngineInfo::default(),
            date: self.meta.date,
        }
    }

    /// Counts raw findings, then keeps as many as the policy's
    /// `max_findings` allows, in the whole text's coordinates.
    fn keep(&mut self, text: &str, raw: Vec<RawFinding>, at: TextPosition) {
        self.count(&raw);
        let room = self.max().saturating_sub(self.findings.len());
        self.truncated |= raw.len() > room;
        let mut kept = self.screener.findings(text, raw, room);
        for f in &mut kept {
            rebase(f, at);
        }
        self.findings.append(&mut kept);
    }

    /// No window declared a source: one probe draft of the text's first
    /// and last [`EDGE_CHARS`] chars decides `attribution.missing`, as the
    /// whole text would.
    fn probe_attribution(&mut self) {
        let Some((tail, tail_at)) = self.tail.take() else {
            return;
        };
        let probe = format!("{}\n{tail}", self.head);
        let (body, _) = self.screener.raw_draft(&self.meta.draft(&probe));
        let Some(mut f) = body
            .into_iter()
            .find(|f| f.rule == BuiltinRule::AttributionMissing as u32)
        else {
            return;
        };
        self.count(std::slice::from_ref(&f));
        let (text, at) = if f.span.start > self.head.len() {
            let shift = self.head.len() + 1;
            f.span = crate::Span::new(f.span.start - shift, f.span.end - shift);
            (tail.as_str(), tail_at)
        } else {
            (self.head.as_str(), TextPosition::default())
        };
        let Some(mut f) = self.screener.findings(text, vec![f], 1).pop() else {
            return;
        };
        rebase(&mut f, at);
        let at = self
            .findings
            .partition_point(|g| (g.start, &g.rule) < (f.start, &f.rule));
        self.findings.insert(at, f);
        let max = self.max();
        self.truncated |= self.findings.len() > max;
        self.findings.truncate(max);
    }

    /// Counts findings in the verdict and the approval.
    fn count(&mut self, raw: &[RawFinding]) {
        let (verdict, approval) = self.screener.tally(raw.iter());
        self.verdict = self.verdict.max(verdict);
        self.approval = self.approval.max(approval);
    }

    fn max(&self) -> usize {
        self.screener.policy().max_findings()
    }
}

/// Makes a finding located in a window that starts at `at` one located in
/// the whole text.
fn rebase(f: &mut Finding, at: TextPosition) {
    // Columns count from the window's start while no line break has been
    // passed in it.
    if f.line == 1 {
        f.column = at.column() + f.char_start;
    }
    f.line += at.line - 1;
    f.char_start += at.chars;
    f.char_end += at.chars;
    f.utf16_start += at.utf16;
    f.utf16_end += at.utf16;
    f.start += at.byte;
    f.end += at.byte;
}
