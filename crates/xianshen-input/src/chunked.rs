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
use xianshen::{locate, Approval, InputInfo, Report, Screener, TextPosition, Verdict};

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
    let today = meta.date.unwrap_or_else(xianshen::Date::today_utc);
    let overlap = opts.overlap_bytes.max(4 * (EDGE_CHARS + EDGE_MARGIN) * 4);
    let chunk = opts.chunk_bytes.max(overlap);
    let mut buf = String::new();
    let mut base = 0usize; // absolute offset of buf[0]
    let mut stats = Stats {
        hasher: Sha256::new(),
        chars: 0,
        hashed: 0,
        eof: false,
    };
    let mut fill = |buf: &mut String, stats: &mut Stats, want: usize| -> Result<(), InputError> {
        while !stats.eof && buf.len() < want {
            if !reader.read_text(buf, want - buf.len())? {
                stats.eof = true;
            }
        }
        stats.hasher.update(&buf.as_bytes()[stats.hashed..]);
        stats.chars += buf[stats.hashed..].chars().count();
        stats.hashed = buf.len();
        Ok(())
    };
    fill(&mut buf, &mut stats, chunk + 2 * overlap)?;
    if stats.eof {
        let report = screener.screen(&meta.draft(&buf).date(today));
        return Ok((report, Some(buf)));
    }

    let head_end = char_end(&buf, EDGE_CHARS + EDGE_MARGIN);
    let head = buf[..head_end].to_string();
    let window_meta = Meta {
        repost: if meta.repost == Some(false) {
            Some(false)
        } else {
            Some(true)
        },
        ..meta.clone()
    };
    let mut template: Option<Report> = None;
    let mut findings = Vec::new();
    let (mut verdict, mut approval, mut truncated) = (Verdict::Pass, Approval::Reviewer, false);
    let mut declared = meta.source.as_deref().is_some_and(|s| !s.trim().is_empty());
    let mut walker = TextPosition::default();
    let mut own_start = 0usize;
    loop {
        fill(&mut buf, &mut stats, own_start + chunk + 2 * overlap - base)?;
        let rel_own = own_start - base;
        let last = stats.eof && buf.len() <= rel_own + chunk + overlap;
        let rel_end = if last {
            buf.len()
        } else {
            cut(&buf, rel_own + chunk, rel_own + chunk + overlap / 2)
        };
        let win_start = if own_start == 0 {
            0
        } else {
            cut(&buf, rel_own.saturating_sub(overlap), rel_own - overlap / 2)
        };
        let win_end = if last {
            buf.len()
        } else {
            cut(&buf, rel_end + overlap / 2, rel_end + overlap)
        };
        let window = &buf[win_start..win_end];
        let report = screener.screen(&window_meta.draft(window).date(today));
        truncated |= report.truncated;
        let mut missing = false;
        let mut kept = Vec::new();
        for f in &report.findings {
            if f.builtin_rule() == Some(BuiltinRule::AttributionMissing) {
                missing = true;
                continue;
            }
            let abs = base + win_start + f.start;
            let metadata_finding = f.start == f.end
                && f.start == 0
                && f.builtin_rule()
                    .is_some_and(|r| r.family() == Family::Attribution);
            let owned = if metadata_finding {
                own_start == 0
            } else {
                abs >= own_start && abs < base + rel_end
            };
            if owned {
                kept.push(f.clone());
            }
        }
        if !missing {
            declared = true;
        }
        walker.advance(&buf[walker.byte - base..win_start]);
        locate(window, &mut kept, walker);
        for f in kept {
            verdict = verdict.max(Verdict::from_severities([f.severity]));
            approval = approval.max(Approval::required([f.approval]));
            if findings.len() < opts.max_findings {
                findings.push(f);
            } else {
                truncated = true;
            }
        }
        template.get_or_insert(report);
        if last {
            break;
        }
        own_start = base + rel_end;
        // Keep from the walker on: the next window starts after it.
        let drop_to = walker.byte - base;
        buf.drain(..drop_to);
        stats.hashed -= drop_to;
        base += drop_to;
    }

    if meta.repost != Some(false) && !declared {
        let tail_start = char_start_back(&buf, EDGE_CHARS + EDGE_MARGIN);
        let tail = &buf[tail_start..];
        let probe = format!("{head}\n{tail}");
        let report = screener.screen(&meta.draft(&probe).date(today));
        if let Some(f) = report
            .findings
            .into_iter()
            .find(|f| f.builtin_rule() == Some(BuiltinRule::AttributionMissing))
        {
            let mut f = f;
            let in_tail = f.start > head.len();
            let mut one = if in_tail {
                f.start -= head.len() + 1;
                f.end -= head.len() + 1;
                walker.advance(&buf[walker.byte - base..tail_start]);
                let mut v = vec![f];
                locate(tail, &mut v, walker);
                v
            } else {
                let mut v = vec![f];
                locate(&head, &mut v, TextPosition::default());
                v
            };
            let f = one.pop().expect("one finding");
            verdict = verdict.max(Verdict::from_severities([f.severity]));
            approval = approval.max(Approval::required([f.approval]));
            let at = findings
                .partition_point(|g: &xianshen::Finding| (g.start, &g.rule) < (f.start, &f.rule));
            findings.insert(at, f);
            findings.truncate(opts.max_findings);
        }
    }
    let mut report = template.expect("at least one window");
    // Every window screened the same title: the first window's findings
    // for it stand, and count.
    for f in &report.title_findings {
        verdict = verdict.max(Verdict::from_severities([f.severity]));
        approval = approval.max(Approval::required([f.approval]));
    }
    report.findings = findings;
    report.verdict = verdict;
    report.approval = approval;
    report.truncated = truncated;
    report.input = InputInfo::from_sha256(&stats.hasher.finalize(), base + buf.len(), stats.chars);
    Ok((report, None))
}

struct Stats {
    hasher: Sha256,
    chars: usize,
    hashed: usize,
    eof: bool,
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
