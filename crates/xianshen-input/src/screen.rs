//! Screening extracted text and reporting against the source.

use crate::extract::Extracted;
use xianshen::{Draft, Report, Screener};

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
/// their `ad.link` findings point at the attribute or destination. The
/// report is the core's ([`Screener::screen_in_source`]).
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
    screener.screen_in_source(
        &meta.draft(&extracted.text),
        source,
        &extracted.map,
        &extracted.links,
    )
}
