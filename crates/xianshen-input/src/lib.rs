//! Input formats for xianshen: what to screen in a file, and where each
//! finding is in the original.
//!
//! - [`decode`] and [`DecodingReader`]: UTF-8, GB18030 (GBK) and UTF-16,
//!   BOMs honoured, detection with `chardetng`, undecodable bytes an
//!   [`InputError::Undecodable`] naming the byte offset unless lossy.
//! - [`extract_html`] and [`extract_markdown`]: the text a reader sees
//!   (markup, scripts and styles dropped, entities decoded, block elements
//!   as line breaks) with an [`OffsetMap`] back into the source, and the
//!   link targets.
//! - [`screen_extracted`]: screens that text and reports against the
//!   source, so `source[f.start..f.end] == f.text` for every finding;
//!   [`screen_draft`] screens one draft in any [`DraftFormat`].
//! - [`JsonlReader`]: posts from a JSON Lines export, one line at a time.
//! - [`screen_stream`]: a text of any size in bounded memory, with results
//!   identical to screening it whole (see the module notes).
//!
//! # Example
//!
//! ```
//! use xianshen::{DraftMeta, Screener, Verdict};
//! use xianshen_input::{decode, extract_html, screen_extracted, EncodingChoice};
//!
//! let bytes = encoding_rs::GB18030.encode("<p>本店出售冰毒</p>").0.into_owned();
//! let decoded = decode(&bytes, EncodingChoice::Auto, false)?;
//! assert_eq!(decoded.encoding, "gb18030");
//! let html = &decoded.text;
//! let report = screen_extracted(&Screener::new(), html, &extract_html(html, 0)?, &DraftMeta::default());
//! assert_eq!(report.verdict, Verdict::Block);
//! let f = &report.findings[0];
//! assert_eq!(&html[f.start..f.end], "出售冰毒");
//! assert_eq!(f.column, 6);
//! # Ok::<(), xianshen_input::InputError>(())
//! ```

#![deny(missing_docs)]

mod chunked;
mod encoding;
mod extract;
mod jsonl;
mod screen;

pub use chunked::{screen_decoded, screen_stream, ChunkOptions};
pub use encoding::{
    decode, detect, encoding_name, Decoded, DecodingReader, EncodingChoice, SNIFF_BYTES,
};
pub use extract::{
    decode_entity, escape_html, extract_html, extract_markdown, Extracted, Link, OffsetMap,
};
pub use jsonl::{JsonlFields, JsonlReader, Post, MAX_LINE_BYTES};
pub use screen::{screen_draft, screen_extracted, DraftFormat, UnknownDraftFormat};

use std::path::Path;

/// Why an input could not be screened.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// Reading failed.
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
    /// A byte sequence that the encoding cannot decode.
    #[error(
        "not valid {} at byte offset {offset} (use --lossy to replace undecodable bytes)",
        encoding.to_uppercase()
    )]
    Undecodable {
        /// The encoding in use.
        encoding: String,
        /// Byte offset of the first bad byte in the file.
        offset: u64,
    },
    /// A bad line in a JSON Lines file.
    #[error("line {line}: {message}")]
    Jsonl {
        /// 1-based line number.
        line: usize,
        /// What is wrong with it.
        message: String,
    },
    /// The HTML parser gave up.
    #[error("HTML: {0}")]
    Html(String),
}

/// How to read a file's content.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum InputFormat {
    /// By file extension: `.html`/`.htm`/`.xhtml`, `.md`/`.markdown`,
    /// `.jsonl`/`.ndjson`; anything else is text.
    #[default]
    Auto,
    /// Plain text.
    Text,
    /// Markdown.
    Markdown,
    /// HTML.
    Html,
    /// JSON Lines, one post per line.
    Jsonl,
}

impl InputFormat {
    /// Resolves [`InputFormat::Auto`] by the path's extension.
    ///
    /// # Examples
    ///
    /// ```
    /// use xianshen_input::InputFormat;
    /// assert_eq!(InputFormat::Auto.resolve("a/post.HTM".as_ref()), InputFormat::Html);
    /// assert_eq!(InputFormat::Text.resolve("a/post.md".as_ref()), InputFormat::Text);
    /// ```
    pub fn resolve(self, path: &Path) -> InputFormat {
        if self != InputFormat::Auto {
            return self;
        }
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        match ext.as_str() {
            "html" | "htm" | "xhtml" | "shtml" => InputFormat::Html,
            "md" | "markdown" | "mdown" | "mkd" => InputFormat::Markdown,
            "jsonl" | "ndjson" => InputFormat::Jsonl,
            _ => InputFormat::Text,
        }
    }

    /// `text`, `markdown`, `html` or `jsonl` (`auto` for unresolved).
    pub fn as_str(self) -> &'static str {
        match self {
            InputFormat::Auto => "auto",
            InputFormat::Text => "text",
            InputFormat::Markdown => "markdown",
            InputFormat::Html => "html",
            InputFormat::Jsonl => "jsonl",
        }
    }
}
