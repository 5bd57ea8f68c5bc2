//! Plain word-list files: one entry a line, `#` comments, an optional
//! second column after a tab.

use crate::error::{Location, PolicyError, PolicyErrorKind};
use std::path::Path;

/// One entry of a list file.
#[derive(Clone, Debug)]
pub(crate) struct ListEntry {
    pub first: String,
    pub second: Option<String>,
    /// 1-based line of the entry in its file.
    pub line: usize,
    /// 1-based column (in characters) where the entry starts.
    pub column: usize,
    /// Byte offset where the entry starts.
    pub offset: usize,
}

impl ListEntry {
    /// The entry's location in the list file `path`.
    pub fn location(&self, path: &Path) -> Location {
        Location {
            path: Some(path.to_path_buf()),
            line: self.line,
            column: self.column,
            offset: self.offset,
        }
    }
}

/// Reads a list file. `declared_at` is where the policy names it, for
/// errors about the file as a whole (missing, a directory, unreadable).
pub(crate) fn read_list(
    path: &Path,
    declared_at: Option<Location>,
) -> Result<Vec<ListEntry>, PolicyError> {
    let bytes = std::fs::read(path).map_err(|e| {
        PolicyError::io(
            declared_at.clone(),
            path,
            format!("cannot read list file {}", path.display()),
            e,
        )
    })?;
    let text = match std::str::from_utf8(&bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
            let mut loc = Location::of_offset(Some(path), valid, valid.len());
            loc.offset = e.valid_up_to();
            return Err(PolicyError::new(
                PolicyErrorKind::Invalid,
                Some(loc),
                format!(
                    "list file is not valid UTF-8 at byte offset {}",
                    e.valid_up_to()
                ),
            ));
        }
    };
    parse_list(path, text)
}

fn parse_list(path: &Path, text: &str) -> Result<Vec<ListEntry>, PolicyError> {
    let body = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let bom = text.len() - body.len();
    let mut entries = Vec::new();
    let mut first_error: Option<PolicyError> = None;
    let mut errors = 0usize;
    let mut line_start = bom;
    for (index, raw) in body.split('\n').enumerate() {
        let offset = line_start;
        line_start += raw.len() + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let trimmed = line.trim_matches(|c: char| c == ' ' || c == '\u{3000}');
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let (first, second) = match trimmed.split_once('\t') {
            Some((a, b)) => (a.trim(), Some(b.trim())),
            None => (trimmed, None),
        };
        let lead = line.len() - line.trim_start_matches([' ', '\u{3000}']).len();
        let check = check_term(first)
            .err()
            .map(|(at, msg)| (lead + at, msg))
            .or_else(|| match second {
                Some("") => Some((line.len(), "empty second column after the tab".to_string())),
                _ => None,
            });
        if let Some((at, msg)) = check {
            errors += 1;
            if first_error.is_none() {
                let loc = Location::of_offset(Some(path), text, offset + at);
                first_error = Some(PolicyError::new(PolicyErrorKind::Invalid, Some(loc), msg));
            }
            continue;
        }
        entries.push(ListEntry {
            first: first.to_string(),
            second: second.map(str::to_string),
            line: index + 1,
            column: line[..lead].chars().count() + 1,
            offset: offset + lead,
        });
    }
    match first_error {
        None => Ok(entries),
        Some(e) if errors == 1 => Err(e),
        Some(e) => Err(PolicyError::new(
            e.kind(),
            e.location().cloned(),
            format!(
                "{} (and {} more bad lines in this file)",
                e.message(),
                errors - 1
            ),
        )),
    }
}

/// Checks a term as written: not empty, no control characters. On error
/// returns the byte offset inside the term and a message.
pub(crate) fn check_term(term: &str) -> Result<(), (usize, String)> {
    if term.trim().is_empty() {
        return Err((0, "empty term".to_string()));
    }
    if let Some((at, c)) = term.char_indices().find(|(_, c)| c.is_control()) {
        return Err((
            at,
            format!("control character U+{:04X} in term {:?}", c as u32, term),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_comments_tabs_and_crlf() {
        let list = parse_list(
            Path::new("l.txt"),
            "\u{FEFF}# c\r\n大麻\r\n\n冰毒\tdrugs\r\n",
        )
        .unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].first, "大麻");
        assert_eq!(list[1].second.as_deref(), Some("drugs"));
    }

    #[test]
    fn control_character_is_located() {
        let err = parse_list(Path::new("l.txt"), "ok\nab\u{16}cd\nx\u{1}\n").unwrap_err();
        let loc = err.location().unwrap();
        assert_eq!((loc.line, loc.column), (2, 3));
        assert!(err.to_string().contains("U+0016"), "{err}");
        assert!(err.to_string().contains("1 more"), "{err}");
    }
}
