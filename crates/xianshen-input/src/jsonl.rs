//! JSON Lines exports: one post per line, read as a stream.

use crate::encoding::DecodingReader;
use crate::InputError;
use serde_json::Value;
use std::io::Read;
use xianshen::DraftMeta;

/// Which JSON fields hold what (`--text-field` …). A name with dots
/// (`post.body`) walks into nested objects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonlFields {
    /// The body text (required in every line).
    pub text: String,
    /// The post's id (string or number), shown in reports.
    pub id: String,
    /// The title.
    pub title: String,
    /// The declared source unit.
    pub source: String,
    /// Repost flag: a boolean, a number (non-zero) or a string
    /// (`true`/`1`/`yes`/`转载`).
    pub repost: String,
    /// The draft kind: `article`, `repost`, `comment`, `reply` or
    /// `response`.
    pub kind: String,
}

impl Default for JsonlFields {
    fn default() -> Self {
        JsonlFields {
            text: "text".into(),
            id: "id".into(),
            title: "title".into(),
            source: "source".into(),
            repost: "repost".into(),
            kind: "kind".into(),
        }
    }
}

/// One post from a JSONL export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Post {
    /// 1-based line number in the file.
    pub line: usize,
    /// The id field, as text.
    pub id: Option<String>,
    /// The body; report offsets point into it.
    pub text: String,
    /// Title, repost flag and source from the line.
    pub meta: DraftMeta,
}

/// Longest line accepted; a longer one is an error for that line only.
pub const MAX_LINE_BYTES: usize = 64 << 20;

/// Reads posts line by line in bounded memory (one line at a time).
/// Blank lines are not posts; a bad line yields an error and reading goes
/// on with the next one. Read and decoding errors end the stream.
pub struct JsonlReader<R> {
    reader: DecodingReader<R>,
    fields: JsonlFields,
    buf: String,
    scanned: usize,
    line: usize,
    eof: bool,
    failed: bool,
}

impl<R: Read> JsonlReader<R> {
    /// Posts from a decoded stream.
    pub fn new(reader: DecodingReader<R>, fields: JsonlFields) -> Self {
        JsonlReader {
            reader,
            fields,
            buf: String::new(),
            scanned: 0,
            line: 0,
            eof: false,
            failed: false,
        }
    }

    /// The stream's encoding.
    pub fn encoding_name(&self) -> String {
        self.reader.encoding_name()
    }

    /// The next line (without its line break), or `None` at the end.
    fn next_line(&mut self) -> Result<Option<(String, bool)>, InputError> {
        let mut too_long = false;
        loop {
            if let Some(i) = self.buf[self.scanned..].find('\n') {
                let end = self.scanned + i;
                let line = if too_long {
                    String::new()
                } else {
                    self.buf[..end].to_string()
                };
                self.buf.drain(..=end);
                self.scanned = 0;
                return Ok(Some((line, too_long)));
            }
            if self.eof {
                if self.buf.is_empty() && !too_long {
                    return Ok(None);
                }
                let line = std::mem::take(&mut self.buf);
                self.scanned = 0;
                return Ok(Some((line, too_long)));
            }
            self.scanned = self.buf.len();
            if self.buf.len() > MAX_LINE_BYTES {
                // Drop what we have; keep looking for the line's end.
                too_long = true;
                self.buf.clear();
                self.scanned = 0;
            }
            if !self.reader.read_text(&mut self.buf, 64 << 10)? {
                self.eof = true;
            }
        }
    }

    fn post(&self, line: usize, text: &str) -> Result<Post, InputError> {
        let bad = |message: String| InputError::Jsonl { line, message };
        let value: Value =
            serde_json::from_str(text).map_err(|e| bad(format!("invalid JSON: {e}")))?;
        if !value.is_object() {
            return Err(bad("not a JSON object".into()));
        }
        let body = match field(&value, &self.fields.text) {
            Some(Value::String(s)) => s.clone(),
            Some(_) => return Err(bad(format!("field {:?} is not a string", self.fields.text))),
            None => return Err(bad(format!("no field {:?}", self.fields.text))),
        };
        let string = |name: &str| -> Result<Option<String>, InputError> {
            match field(&value, name) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(Value::Number(n)) => Ok(Some(n.to_string())),
                Some(_) => Err(bad(format!("field {name:?} is not a string"))),
            }
        };
        let repost = match field(&value, &self.fields.repost) {
            None | Some(Value::Null) => None,
            Some(Value::Bool(b)) => Some(*b),
            Some(Value::Number(n)) => Some(n.as_f64() != Some(0.0)),
            Some(Value::String(s)) => Some(matches!(
                s.trim().to_ascii_lowercase().as_str(),
                "true" | "1" | "yes" | "y" | "转载" | "是"
            )),
            Some(_) => return Err(bad(format!("field {:?} is not a flag", self.fields.repost))),
        };
        let kind = match string(&self.fields.kind)? {
            None => None,
            Some(k) => Some(
                k.trim()
                    .parse::<xianshen::Kind>()
                    .map_err(|e| bad(format!("field {:?}: {e}", self.fields.kind)))?,
            ),
        };
        Ok(Post {
            line,
            id: string(&self.fields.id)?,
            text: body,
            meta: DraftMeta {
                title: string(&self.fields.title)?,
                repost,
                source: string(&self.fields.source)?,
                kind,
                date: None,
            },
        })
    }
}

fn field<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    if let Some(v) = value.get(path) {
        return Some(v);
    }
    path.split('.').try_fold(value, |v, key| v.get(key))
}

impl<R: Read> Iterator for JsonlReader<R> {
    type Item = Result<Post, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        loop {
            let (text, too_long) = match self.next_line() {
                Ok(Some(l)) => l,
                Ok(None) => return None,
                Err(e) => {
                    self.failed = true;
                    return Some(Err(e));
                }
            };
            self.line += 1;
            let line = self.line;
            if too_long {
                return Some(Err(InputError::Jsonl {
                    line,
                    message: format!("line longer than {MAX_LINE_BYTES} bytes"),
                }));
            }
            let text = text.strip_suffix('\r').unwrap_or(&text);
            let text = text.strip_prefix('\u{feff}').unwrap_or(text);
            if text.trim().is_empty() {
                continue;
            }
            return Some(self.post(line, text));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::EncodingChoice;

    #[test]
    fn bad_lines_are_errors_and_the_rest_continue() {
        let data = "{\"id\": 1, \"text\": \"出售冰毒\", \"repost\": true}\n\nnot json\n{\"id\": \"b\", \"body\": \"x\"}\n{\"id\": 4, \"text\": \"我认为\", \"meta\": {\"src\": \"新华社\"}}";
        let r = DecodingReader::new(data.as_bytes(), EncodingChoice::Auto, false).unwrap();
        let fields = JsonlFields {
            source: "meta.src".into(),
            ..JsonlFields::default()
        };
        let items: Vec<_> = JsonlReader::new(r, fields).collect();
        assert_eq!(items.len(), 4);
        let first = items[0].as_ref().unwrap();
        assert_eq!(
            (first.line, first.id.as_deref(), first.meta.repost),
            (1, Some("1"), Some(true))
        );
        assert!(matches!(items[1], Err(InputError::Jsonl { line: 3, .. })));
        assert!(matches!(items[2], Err(InputError::Jsonl { line: 4, .. })));
        let last = items[3].as_ref().unwrap();
        assert_eq!(
            (last.line, last.meta.source.as_deref()),
            (5, Some("新华社"))
        );
    }
}
