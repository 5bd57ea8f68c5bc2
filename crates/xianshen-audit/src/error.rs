//! Errors: the ones that stop an audit ([`AuditError`]) and the ones that
//! skip one record and are listed in the audit ([`RecordError`]).

use serde::Serialize;
use xianshen::Date;

/// What stops an audit: an input that cannot be read at all, or options
/// that contradict each other. A bad record never does; it becomes a
/// [`RecordError`] in [`crate::Audit::errors`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AuditError {
    /// An input file could not be opened or read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file as named in the input.
        path: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The period starts after it ends.
    #[error("the audit period starts on {from}, after its end {to}")]
    Period {
        /// The first day.
        from: Date,
        /// The last day.
        to: Date,
    },
    /// A CSV table or HTML page could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file.
        path: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}

/// What is wrong with a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RecordErrorKind {
    /// Not UTF-8.
    Encoding,
    /// Not a JSON object.
    Json,
    /// Not a CSV record of the header's width.
    Csv,
    /// A required field is absent, null or empty.
    MissingField,
    /// A field of the wrong type or value (an unknown kind, a nested
    /// object where text belongs).
    BadField,
    /// A time that is neither RFC 3339 nor `YYYY-MM-DD[ HH:MM[:SS]]`.
    BadTime,
    /// The reply is dated before the message.
    ReplyBeforeMessage,
    /// Counting working days needs a year the calendar lacks.
    CalendarYear,
}

/// A record that was not audited, and why. The others are audited.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{file}:{line}{}: {message}", column.map(|c| format!(":{c}")).unwrap_or_default())]
pub struct RecordError {
    /// The input as named (a path, or the name given to a reader).
    pub file: String,
    /// 1-based line where the record starts.
    pub line: u64,
    /// 1-based byte column in that line, where the parser knows it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u64>,
    /// What kind of problem.
    pub kind: RecordErrorKind,
    /// What is wrong, naming the field.
    pub message: String,
    /// The message id, for an error found after the record was read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The year the calendar lacks, for [`RecordErrorKind::CalendarYear`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<u32>,
}
