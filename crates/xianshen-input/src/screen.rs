//! Screening one draft as it is written (plain text, HTML or Markdown)
//! and reporting against its source.

use crate::extract::{extract_html, extract_markdown, Extracted};
use crate::InputError;
use xianshen::{DraftMeta, Report, Screener};

/// How one draft is written: what every surface's `input_format` names.
///
/// # Examples
///
/// ```
/// use xianshen_input::DraftFormat;
/// assert_eq!("html".parse::<DraftFormat>(), Ok(DraftFormat::Html));
/// assert_eq!(DraftFormat::default().as_str(), "text");
/// assert!("docx".parse::<DraftFormat>().unwrap_err().to_string().contains("expected text, html or markdown"));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum DraftFormat {
    /// Plain text, screened as it is.
    #[default]
    Text,
    /// HTML: screened as the text a reader sees, offsets into the source.
    Html,
    /// Markdown: likewise.
    Markdown,
}

impl DraftFormat {
    /// The format's name (`text`, `html`, `markdown`).
    pub fn as_str(self) -> &'static str {
        match self {
            DraftFormat::Text => "text",
            DraftFormat::Html => "html",
            DraftFormat::Markdown => "markdown",
        }
    }
}

/// The error of parsing a [`DraftFormat`] from a name that is not one.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown input format {0:?} (expected text, html or markdown)")]
pub struct UnknownDraftFormat(pub String);

impl std::str::FromStr for DraftFormat {
    type Err = UnknownDraftFormat;

    fn from_str(s: &str) -> Result<DraftFormat, UnknownDraftFormat> {
        [DraftFormat::Text, DraftFormat::Html, DraftFormat::Markdown]
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| UnknownDraftFormat(s.to_string()))
    }
}

/// Screens one draft written in `format`: plain text as it is, HTML and
/// Markdown as the text a reader sees with every offset in the source
/// ([`screen_extracted`]). What the CLI, the service and the bindings do
/// with one draft.
///
/// # Errors
///
/// [`InputError::Html`] when the HTML reader gives up (nesting too deep).
///
/// # Examples
///
/// ```
/// use xianshen::{DraftMeta, Screener};
/// use xianshen_input::{screen_draft, DraftFormat};
/// let src = "# 通知\n\n本店**出售**冰毒";
/// let report = screen_draft(&Screener::new(), src, DraftFormat::Markdown, &DraftMeta::default())?;
/// let f = &report.findings[0];
/// assert_eq!(&src[f.start..f.end], "出售**冰毒");
/// # Ok::<(), xianshen_input::InputError>(())
/// ```
pub fn screen_draft(
    screener: &Screener,
    source: &str,
    format: DraftFormat,
    meta: &DraftMeta,
) -> Result<Report, InputError> {
    let extracted = match format {
        DraftFormat::Text => return Ok(screener.screen(&meta.draft(source))),
        DraftFormat::Html => extract_html(source, 0)?,
        DraftFormat::Markdown => extract_markdown(source),
    };
    Ok(screen_extracted(screener, source, &extracted, meta))
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
/// use xianshen::DraftMeta;
/// use xianshen_input::{extract_html, screen_extracted};
/// let src = "<p>本店<b>出售</b>冰毒</p>";
/// let report = screen_extracted(&Screener::new(), src, &extract_html(src, 0).unwrap(), &DraftMeta::default());
/// let f = &report.findings[0];
/// assert_eq!(&src[f.start..f.end], "出售</b>冰毒");
/// assert_eq!((f.line, f.column), (1, 9)); // after `<p>本店<b>`
/// ```
pub fn screen_extracted(
    screener: &Screener,
    source: &str,
    extracted: &Extracted,
    meta: &DraftMeta,
) -> Report {
    screener.screen_in_source(
        &meta.draft(&extracted.text),
        source,
        &extracted.map,
        &extracted.links,
    )
}
