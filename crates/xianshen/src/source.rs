//! Screening a text derived from a larger source (the text a reader sees
//! of an HTML or Markdown draft) and reporting against the source: the
//! report is assembled once, in the core, in the source's coordinates.

use std::ops::Range;

/// How the byte offsets of a screened text map back into the source it
/// was derived from. Implemented by `xianshen_input::OffsetMap`.
///
/// # Examples
///
/// ```
/// use std::ops::Range;
/// use xianshen::{Draft, Screener, SourceMap};
///
/// /// A text that is its source after a fixed prefix.
/// struct After(usize);
/// impl SourceMap for After {
///     fn source_range(&self, r: Range<usize>) -> Range<usize> {
///         r.start + self.0..r.end + self.0
///     }
/// }
/// let source = "<p>本店出售冰毒";
/// let report = Screener::new().screen_in_source(&Draft::new(&source[3..]), source, &After(3), &[]);
/// let f = &report.findings[0];
/// assert_eq!(&source[f.start..f.end], "出售冰毒");
/// assert_eq!(f.column, 6);
/// assert_eq!(report.input.bytes, source.len());
/// ```
pub trait SourceMap {
    /// The source range of the screened text's byte range `range` (whole
    /// chars at both ends).
    fn source_range(&self, range: Range<usize>) -> Range<usize>;
}

/// A link target written in a source (an `href`, a Markdown destination):
/// screened for `ad.link` on its own, its findings pointing into `span`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceLink {
    /// The target, entities decoded.
    pub url: String,
    /// Where the target is written in the source.
    pub span: Range<usize>,
    /// Whether `url` is byte for byte `source[span]` (then a finding points
    /// at its own part of the target; else at the whole of `span`).
    pub exact: bool,
}
