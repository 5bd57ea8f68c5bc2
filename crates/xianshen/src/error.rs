//! Error types.

use std::fmt;
use std::path::{Path, PathBuf};

/// Where in a policy or list file something went wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// The file, when the policy came from a file (or the list file that
    /// holds the error).
    pub path: Option<PathBuf>,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// 0-based byte offset into the file.
    pub offset: usize,
}

impl Location {
    /// The location of byte `offset` in `source`.
    pub(crate) fn of_offset(path: Option<&Path>, source: &str, offset: usize) -> Location {
        let offset = offset.min(source.len());
        let mut offset_on_char = offset;
        while !source.is_char_boundary(offset_on_char) {
            offset_on_char -= 1;
        }
        let before = &source[..offset_on_char];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = source[line_start..offset_on_char].chars().count() + 1;
        Location {
            path: path.map(Path::to_path_buf),
            line,
            column,
            offset,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(p) => write!(f, "{}:{}:{}", p.display(), self.line, self.column),
            None => write!(f, "<policy>:{}:{}", self.line, self.column),
        }
    }
}

/// What kind of problem a [`PolicyError`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PolicyErrorKind {
    /// The file is not valid TOML, has an unknown key, or a value of the
    /// wrong type (e.g. `severity = "blocker"`).
    Syntax,
    /// The TOML is well-formed but a value is not acceptable: an empty term,
    /// a control character in a term, a term made only of skipped
    /// characters, an unknown rule id, a bad tag…
    Invalid,
    /// A policy or list file could not be read.
    Io,
}

/// A policy could not be loaded. Names the file, line and column.
///
/// # Examples
///
/// ```
/// use xianshen::Policy;
/// let err = Policy::from_toml("[meta]\nname = \"x\"\nversoin = \"1\"\n").unwrap_err();
/// assert_eq!(err.location().unwrap().line, 3);
/// assert!(err.to_string().contains("verso"));
/// ```
#[derive(Debug)]
pub struct PolicyError {
    kind: PolicyErrorKind,
    location: Option<Location>,
    message: String,
    source: Option<std::io::Error>,
    /// For an I/O error, the file that could not be read.
    unreadable: Option<PathBuf>,
}

impl PolicyError {
    pub(crate) fn new(
        kind: PolicyErrorKind,
        location: Option<Location>,
        message: impl Into<String>,
    ) -> Self {
        PolicyError {
            kind,
            location,
            message: message.into(),
            source: None,
            unreadable: None,
        }
    }

    /// `file` could not be read; `location` is where the policy names it
    /// (none for the policy file itself).
    pub(crate) fn io(
        location: Option<Location>,
        file: &Path,
        message: impl Into<String>,
        source: std::io::Error,
    ) -> Self {
        PolicyError {
            kind: PolicyErrorKind::Io,
            location,
            message: message.into(),
            source: Some(source),
            unreadable: Some(file.to_path_buf()),
        }
    }

    /// For an I/O error, the file that could not be read (a list file, an
    /// extended policy, the policy file itself); `location` then says where
    /// the policy names it.
    ///
    /// ```
    /// let e = xianshen::Policy::from_file("/nonexistent/policy.toml").unwrap_err();
    /// assert_eq!(e.unreadable_file(), Some(std::path::Path::new("/nonexistent/policy.toml")));
    /// ```
    pub fn unreadable_file(&self) -> Option<&Path> {
        self.unreadable.as_deref()
    }

    /// What kind of problem this is.
    pub fn kind(&self) -> PolicyErrorKind {
        self.kind
    }

    /// Where the problem is, when it is in a file's text.
    pub fn location(&self) -> Option<&Location> {
        self.location.as_ref()
    }

    /// The message without the location.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(loc) = &self.location {
            write!(f, "{loc}: ")?;
        }
        f.write_str(&self.message)?;
        if let Some(src) = &self.source {
            write!(f, ": {src}")?;
        }
        Ok(())
    }
}

// The only non-unwind-safe part is the boxed `io::Error` source, which is
// never mutated after construction: observing it after a panic is sound.
impl std::panic::UnwindSafe for PolicyError {}
impl std::panic::RefUnwindSafe for PolicyError {}

impl std::error::Error for PolicyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_ref().map(|e| e as _)
    }
}

/// Input that cannot be screened: bytes that are not UTF-8, or a text too
/// large.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// The input is not valid UTF-8 from byte `offset` on.
    #[error("input is not valid UTF-8 at byte offset {offset}")]
    InvalidUtf8 {
        /// Offset of the first byte that is not part of a valid sequence.
        offset: usize,
    },
    /// A text longer than [`MAX_INPUT_BYTES`](crate::MAX_INPUT_BYTES):
    /// offsets are kept as `u32` inside; split such input first (the input
    /// crate's windows do).
    #[error("text is {bytes} bytes in UTF-8; texts of 4 GiB or more must be split first")]
    TooLarge {
        /// The text's length in bytes.
        bytes: usize,
    },
}
