//! Screening a text too big to hold: windows with an overlap, cut at line
//! starts, each owning the findings that start in its part; the core
//! assembles the report ([`xianshen::WindowedScreening`], which says why
//! it equals whole-file screening). Windows are screened with `overlap`
//! bytes of text on both sides of the part they own (default 64 KiB, far
//! more than any rule reaches).

use crate::encoding::DecodingReader;
use crate::InputError;
use sha2::{Digest, Sha256};
use std::io::Read;
use xianshen::{
    DraftMeta, InputInfo, Report, Screener, TextPosition, Window, WindowedScreening,
    WINDOW_EDGE_CHARS,
};

/// How to cut a big text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChunkOptions {
    /// Bytes each window owns. Texts up to `chunk_bytes + 2 * overlap_bytes`
    /// are screened whole.
    pub chunk_bytes: usize,
    /// Bytes of context on each side of a window's owned part.
    pub overlap_bytes: usize,
}

impl Default for ChunkOptions {
    fn default() -> Self {
        ChunkOptions {
            chunk_bytes: 4 << 20,
            overlap_bytes: 64 << 10,
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
    meta: &DraftMeta,
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
/// use xianshen::{DraftMeta, Screener, Verdict};
/// use xianshen_input::{screen_decoded, ChunkOptions, DecodingReader, EncodingChoice};
/// let mut reader = DecodingReader::new(&"本店出售冰毒".as_bytes()[..], EncodingChoice::Auto, false)?;
/// let (report, text) = screen_decoded(&Screener::new(), &mut reader, &DraftMeta::default(), ChunkOptions::default())?;
/// assert_eq!(report.verdict, Verdict::Block);
/// assert_eq!(text.as_deref(), Some("本店出售冰毒"));
/// # Ok::<(), xianshen_input::InputError>(())
/// ```
pub fn screen_decoded<R: Read>(
    screener: &Screener,
    reader: &mut DecodingReader<R>,
    meta: &DraftMeta,
    opts: ChunkOptions,
) -> Result<(Report, Option<String>), InputError> {
    // The first and last windows hold the text's edges (4 bytes a char at
    // most, four times over).
    let overlap = opts.overlap_bytes.max(16 * WINDOW_EDGE_CHARS);
    let chunk = opts.chunk_bytes.max(overlap);
    let mut text = Buffered::new(reader);
    text.fill(chunk + 2 * overlap)?;
    if text.eof {
        let report = screener.screen(&meta.draft(&text.buf));
        return Ok((report, Some(text.buf)));
    }
    let mut windowed = screener.windowed(meta);
    // Where the next window starts in the whole text.
    let mut walker = TextPosition::default();
    let mut own_start = 0usize;
    loop {
        text.fill(own_start + chunk + 2 * overlap - text.base)?;
        let cut = Cut::new(&text, own_start, chunk, overlap);
        walker.advance(&text.buf[walker.byte - text.base..cut.start]);
        add_window(&mut windowed, &text, &cut, own_start, walker);
        if cut.last {
            break;
        }
        own_start = text.base + cut.own_end;
        // Keep from the walker on: the next window starts after it.
        text.drop_before(walker.byte);
    }
    Ok((windowed.finish(text.input_info()), None))
}

/// Screens the window `cut` describes, which starts at `at`.
fn add_window<R: Read>(
    windowed: &mut WindowedScreening<'_>,
    text: &Buffered<'_, R>,
    cut: &Cut,
    own_start: usize,
    at: TextPosition,
) {
    let owns_from = own_start - text.base - cut.start;
    windowed.add(&Window {
        text: &text.buf[cut.start..cut.end],
        at,
        owns: owns_from..cut.own_end - cut.start,
        last: cut.last,
    });
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
struct Cut {
    start: usize,
    own_end: usize,
    end: usize,
    last: bool,
}

impl Cut {
    fn new<R: Read>(text: &Buffered<'_, R>, own_start: usize, chunk: usize, overlap: usize) -> Cut {
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
        Cut {
            start,
            own_end,
            end,
            last,
        }
    }
}
