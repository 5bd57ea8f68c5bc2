//! Reading an archive: posts and messages as JSONL or CSV, streamed a
//! batch of records at a time, with configurable field names.

use crate::error::{AuditError, RecordError, RecordErrorKind};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::borrow::Cow;
use std::io::{BufRead, BufReader, Cursor};
use std::path::Path;
use std::sync::Arc;
use xianshen::Kind;

/// How an input file is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InputFormat {
    /// One JSON object a line; dotted field names reach nested objects.
    Jsonl,
    /// Comma-separated values with a header row naming the fields.
    Csv,
}

impl InputFormat {
    /// CSV for a `.csv` file name, JSONL otherwise.
    pub fn from_path(path: &Path) -> InputFormat {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("csv") => InputFormat::Csv,
            _ => InputFormat::Jsonl,
        }
    }
}

/// One input file (or stream) of posts or messages.
pub struct InputSource {
    name: String,
    format: InputFormat,
    reader: Box<dyn BufRead + Send>,
}

impl std::fmt::Debug for InputSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InputSource")
            .field("name", &self.name)
            .field("format", &self.format)
            .finish_non_exhaustive()
    }
}

impl InputSource {
    /// Opens a file; the format goes by its extension (`.csv`, else JSONL).
    ///
    /// # Errors
    ///
    /// [`AuditError::Io`] when the file cannot be opened.
    pub fn open(path: impl AsRef<Path>) -> Result<InputSource, AuditError> {
        let path = path.as_ref();
        let name = path.display().to_string();
        let file = std::fs::File::open(path).map_err(|source| AuditError::Io {
            path: name.clone(),
            source,
        })?;
        Ok(InputSource {
            format: InputFormat::from_path(path),
            name,
            reader: Box::new(BufReader::with_capacity(1 << 16, file)),
        })
    }

    /// A stream, named `name` in errors and in the audit's input list.
    pub fn from_reader(
        name: impl Into<String>,
        format: InputFormat,
        reader: impl BufRead + Send + 'static,
    ) -> InputSource {
        InputSource {
            name: name.into(),
            format,
            reader: Box::new(reader),
        }
    }

    /// Text in memory (tests, bindings that already hold the archive).
    pub fn from_text(
        name: impl Into<String>,
        format: InputFormat,
        text: impl Into<String>,
    ) -> InputSource {
        InputSource::from_reader(name, format, Cursor::new(text.into().into_bytes()))
    }

    /// The name errors give.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// The archive to audit: its posts and its messages from the public.
#[derive(Debug, Default)]
pub struct AuditInput {
    /// Files of posts, read in order.
    pub posts: Vec<InputSource>,
    /// Files of messages and their replies, read in order.
    pub messages: Vec<InputSource>,
}

/// Field names of a post. Dotted names reach nested JSON objects
/// (`meta.account`); a name with a dot that is a key of its own wins.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PostFields {
    /// The account (required unless [`crate::AuditOptions::account`] is
    /// set): `account`.
    pub account: String,
    /// When it was published (required): `published`.
    pub published: String,
    /// The title (optional): `title`.
    pub title: String,
    /// The body (required): `text`.
    pub text: String,
    /// Its address (optional): `url`.
    pub url: String,
    /// Its id in the CMS (optional): `id`.
    pub id: String,
    /// `article`, `repost`, `comment`, `reply` or `response` (optional,
    /// `article` when absent): `kind`.
    pub kind: String,
}

impl Default for PostFields {
    fn default() -> Self {
        PostFields {
            account: "account".into(),
            published: "published".into(),
            title: "title".into(),
            text: "text".into(),
            url: "url".into(),
            id: "id".into(),
            kind: "kind".into(),
        }
    }
}

/// Field names of a message from the public and its reply.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MessageFields {
    /// Its id (required): `id`.
    pub id: String,
    /// The account it was sent to (required unless
    /// [`crate::AuditOptions::account`] is set): `account`.
    pub account: String,
    /// When it was asked (required): `asked`.
    pub asked: String,
    /// Its category, which sets the deadline (optional; the policy's
    /// default deadline when absent): `category`.
    pub category: String,
    /// What was asked (required): `text`.
    pub text: String,
    /// When it was answered (absent, null or empty: unanswered): `replied`.
    pub replied: String,
    /// The reply (needs a reply time): `reply`.
    pub reply: String,
}

impl Default for MessageFields {
    fn default() -> Self {
        MessageFields {
            id: "id".into(),
            account: "account".into(),
            asked: "asked".into(),
            category: "category".into(),
            text: "text".into(),
            replied: "replied".into(),
            reply: "reply".into(),
        }
    }
}

/// The field names of both kinds of record.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FieldMap {
    /// Post fields.
    pub posts: PostFields,
    /// Message fields.
    pub messages: MessageFields,
}

/// Records read and screened together: enough to keep both cores busy,
/// few enough that memory stays bounded whatever the archive's size.
const BATCH: usize = 8192;

/// Where a record is: input index and 1-based line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Loc {
    pub file: u32,
    pub line: u64,
}

/// One record as read, before its fields are taken.
pub(crate) enum Raw {
    Json {
        loc: Loc,
        line: String,
    },
    Csv {
        loc: Loc,
        header: Arc<Vec<String>>,
        fields: Vec<String>,
    },
    Bad(RecordError),
}

/// A CSV reader over any source.
type CsvReader = csv::Reader<Box<dyn BufRead + Send>>;

/// Reads records of one source a batch at a time.
pub(crate) struct RecordReader {
    source: InputSource,
    file: u32,
    line: u64,
    buf: Vec<u8>,
    csv: Option<(CsvReader, Arc<Vec<String>>)>,
    done: bool,
}

impl RecordReader {
    /// A reader of `source`, input number `file`; a CSV source's header is
    /// read here.
    pub fn new(source: InputSource, file: u32) -> Result<RecordReader, AuditError> {
        let mut r = RecordReader {
            csv: None,
            file,
            line: 0,
            buf: Vec::new(),
            done: false,
            source: InputSource {
                name: source.name,
                format: source.format,
                reader: Box::new(Cursor::new(Vec::new())),
            },
        };
        match source.format {
            InputFormat::Jsonl => r.source.reader = source.reader,
            InputFormat::Csv => {
                let mut csv = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .from_reader(source.reader);
                let mut record = csv::ByteRecord::new();
                let header = match csv.read_byte_record(&mut record) {
                    Ok(true) => record
                        .iter()
                        .enumerate()
                        .map(|(i, f)| {
                            let f = String::from_utf8_lossy(f);
                            let f = if i == 0 {
                                f.trim_start_matches('\u{feff}')
                            } else {
                                &f
                            };
                            f.trim().to_string()
                        })
                        .collect(),
                    Ok(false) => {
                        r.done = true;
                        Vec::new()
                    }
                    Err(e) => return Err(r.io(e)),
                };
                r.csv = Some((csv, Arc::new(header)));
            }
        }
        Ok(r)
    }

    /// The input's name.
    pub fn name(&self) -> &str {
        &self.source.name
    }

    /// An I/O error reading this input.
    fn io(&self, e: impl Into<std::io::Error>) -> AuditError {
        AuditError::Io {
            path: self.source.name.clone(),
            source: e.into(),
        }
    }

    /// A record of this input that cannot be read.
    fn bad(&self, line: u64, column: Option<u64>, kind: RecordErrorKind, message: String) -> Raw {
        Raw::Bad(RecordError {
            file: self.source.name.clone(),
            line,
            column,
            kind,
            message,
            id: None,
            year: None,
        })
    }

    /// Feeds `each` the batches of this reader, read on a thread of their
    /// own while the previous batch is processed.
    pub fn for_each_batch(mut self, mut each: impl FnMut(Vec<Raw>)) -> Result<(), AuditError> {
        std::thread::scope(|s| {
            let (tx, rx) = std::sync::mpsc::sync_channel::<Result<Vec<Raw>, AuditError>>(2);
            s.spawn(move || loop {
                let batch = self.next_batch(BATCH);
                let last = !matches!(&batch, Ok(b) if !b.is_empty());
                if tx.send(batch).is_err() || last {
                    break;
                }
            });
            for batch in rx {
                let batch = batch?;
                if batch.is_empty() {
                    break;
                }
                each(batch);
            }
            Ok(())
        })
    }

    /// Up to `max` records; empty at the end.
    pub fn next_batch(&mut self, max: usize) -> Result<Vec<Raw>, AuditError> {
        let mut out = Vec::with_capacity(max.min(4096));
        while !self.done && out.len() < max {
            match self.source.format {
                InputFormat::Jsonl => self.next_json(&mut out)?,
                InputFormat::Csv => self.next_csv(&mut out)?,
            }
        }
        Ok(out)
    }

    /// Reads the next JSON line (blank lines skipped) into `out`.
    fn next_json(&mut self, out: &mut Vec<Raw>) -> Result<(), AuditError> {
        self.buf.clear();
        let n = self
            .source
            .reader
            .read_until(b'\n', &mut self.buf)
            .map_err(|e| self.io(e))?;
        if n == 0 {
            self.done = true;
            return Ok(());
        }
        self.line += 1;
        let mut bytes = &self.buf[..];
        if self.line == 1 {
            bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
        }
        while let [rest @ .., b'\n' | b'\r'] = bytes {
            bytes = rest;
        }
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(());
        }
        let loc = Loc {
            file: self.file,
            line: self.line,
        };
        match std::str::from_utf8(bytes) {
            Ok(s) => out.push(Raw::Json {
                loc,
                line: s.to_string(),
            }),
            Err(e) => out.push(self.bad(
                self.line,
                Some(e.valid_up_to() as u64 + 1),
                RecordErrorKind::Encoding,
                format!("not UTF-8 at byte {} of the line", e.valid_up_to() + 1),
            )),
        }
        Ok(())
    }

    /// Reads the next CSV record into `out`.
    fn next_csv(&mut self, out: &mut Vec<Raw>) -> Result<(), AuditError> {
        let (csv, header) = self.csv.as_mut().expect("a CSV source has a reader");
        let mut record = csv::ByteRecord::new();
        let read = csv.read_byte_record(&mut record);
        let header = Arc::clone(header);
        let line = record.position().map_or(self.line + 1, |p| p.line());
        match read {
            Ok(false) => {
                self.done = true;
                return Ok(());
            }
            Ok(true) => {}
            Err(e) if e.is_io_error() => return Err(self.io(e)),
            Err(e) => {
                out.push(self.bad(line, None, RecordErrorKind::Csv, e.to_string()));
                return Ok(());
            }
        }
        self.line = line;
        if record.len() == 1 && record[0].iter().all(u8::is_ascii_whitespace) {
            return Ok(());
        }
        if record.len() != header.len() {
            out.push(self.bad(
                line,
                None,
                RecordErrorKind::Csv,
                format!("{} fields, the header has {}", record.len(), header.len()),
            ));
            return Ok(());
        }
        let mut fields = Vec::with_capacity(record.len());
        for (i, f) in record.iter().enumerate() {
            match std::str::from_utf8(f) {
                Ok(s) => fields.push(s.to_string()),
                Err(e) => {
                    out.push(self.bad(
                        line,
                        None,
                        RecordErrorKind::Encoding,
                        format!(
                            "field {:?} is not UTF-8 at byte {}",
                            header[i],
                            e.valid_up_to() + 1
                        ),
                    ));
                    return Ok(());
                }
            }
        }
        out.push(Raw::Csv {
            loc: Loc {
                file: self.file,
                line,
            },
            header,
            fields,
        });
        Ok(())
    }
}

/// A record's fields, JSON or CSV alike.
enum Fields<'a> {
    Json(Value),
    Csv(&'a [String], &'a [String]),
}

impl Fields<'_> {
    /// The field's text: `None` when absent, null or empty (after
    /// trimming); numbers and booleans as written.
    fn get(&self, name: &str) -> Result<Option<Cow<'_, str>>, String> {
        if name.is_empty() {
            return Ok(None);
        }
        let text: Option<Cow<'_, str>> = match self {
            Fields::Csv(header, fields) => header
                .iter()
                .position(|h| h == name)
                .map(|i| Cow::Borrowed(fields[i].as_str())),
            Fields::Json(v) => {
                let found = v
                    .get(name)
                    .or_else(|| name.split('.').try_fold(v, |v, key| v.get(key)));
                match found {
                    None | Some(Value::Null) => None,
                    Some(Value::String(s)) => Some(Cow::Borrowed(s.as_str())),
                    Some(Value::Number(n)) => Some(Cow::Owned(n.to_string())),
                    Some(Value::Bool(b)) => Some(Cow::Owned(b.to_string())),
                    Some(_) => {
                        return Err(format!("field {name:?} is an object or array, not text"))
                    }
                }
            }
        };
        Ok(text.filter(|t| !t.trim().is_empty()))
    }
}

/// A post, its fields taken.
pub(crate) struct Post {
    pub loc: Loc,
    pub account: String,
    pub published: Timestamp,
    pub title: Option<String>,
    pub text: String,
    pub url: Option<String>,
    pub id: Option<String>,
    pub kind: Kind,
}

/// A message and its reply, fields taken.
pub(crate) struct Message {
    pub loc: Loc,
    pub id: String,
    pub account: String,
    pub asked: Timestamp,
    pub category: Option<String>,
    pub text: String,
    pub replied: Option<Timestamp>,
    pub reply: Option<String>,
}

/// Takes the fields of a raw record: `Err` is the record's error.
struct Taker<'a> {
    fields: Fields<'a>,
    file: &'a str,
    loc: Loc,
}

impl<'a> Taker<'a> {
    /// The fields of a raw record; `Err` when it is no record.
    fn from_raw(raw: &'a Raw, file: &'a str) -> Result<Taker<'a>, RecordError> {
        match raw {
            Raw::Bad(e) => Err(e.clone()),
            Raw::Csv {
                loc,
                header,
                fields,
            } => Ok(Taker {
                fields: Fields::Csv(header, fields),
                file,
                loc: *loc,
            }),
            Raw::Json { loc, line } => match serde_json::from_str::<Value>(line) {
                Ok(v @ Value::Object(_)) => Ok(Taker {
                    fields: Fields::Json(v),
                    file,
                    loc: *loc,
                }),
                Ok(_) => Err(error(
                    file,
                    *loc,
                    None,
                    RecordErrorKind::Json,
                    "not a JSON object".into(),
                )),
                Err(e) => Err(error(
                    file,
                    *loc,
                    Some(e.column() as u64),
                    RecordErrorKind::Json,
                    format!("bad JSON: {e}"),
                )),
            },
        }
    }

    /// An error of this record.
    fn err(&self, kind: RecordErrorKind, message: String) -> RecordError {
        error(self.file, self.loc, None, kind, message)
    }

    /// A field, if given.
    fn optional(&self, name: &str) -> Result<Option<String>, RecordError> {
        self.fields
            .get(name)
            .map(|v| v.map(Cow::into_owned))
            .map_err(|m| self.err(RecordErrorKind::BadField, m))
    }

    /// A field that must be given.
    fn required(&self, name: &str) -> Result<String, RecordError> {
        self.optional(name)?.ok_or_else(|| {
            self.err(
                RecordErrorKind::MissingField,
                format!("missing field {name:?}"),
            )
        })
    }

    /// The account: the field, else the default.
    fn account(&self, name: &str, default: Option<&str>) -> Result<String, RecordError> {
        match (self.optional(name)?, default) {
            (Some(a), _) => Ok(a.trim().to_string()),
            (None, Some(d)) => Ok(d.to_string()),
            (None, None) => self.required(name),
        }
    }

    /// The time in the text of field `name`.
    fn time(&self, name: &str, text: &str) -> Result<Timestamp, RecordError> {
        Timestamp::parse(text)
            .map_err(|e| self.err(RecordErrorKind::BadTime, format!("field {name:?}: {e}")))
    }
}

/// An error of the record at `loc` of input `file`.
fn error(
    file: &str,
    loc: Loc,
    column: Option<u64>,
    kind: RecordErrorKind,
    message: String,
) -> RecordError {
    RecordError {
        file: file.to_string(),
        line: loc.line,
        column,
        kind,
        message,
        id: None,
        year: None,
    }
}

/// The post in a raw record.
pub(crate) fn take_post(
    raw: &Raw,
    file: &str,
    f: &PostFields,
    default_account: Option<&str>,
) -> Result<Post, RecordError> {
    let t = Taker::from_raw(raw, file)?;
    let account = t.account(&f.account, default_account)?;
    let published = t.required(&f.published)?;
    let published = t.time(&f.published, &published)?;
    let kind = match t.optional(&f.kind)? {
        None => Kind::Article,
        Some(k) => k.trim().parse().map_err(|e| {
            t.err(
                RecordErrorKind::BadField,
                format!("field {:?}: {e}", f.kind),
            )
        })?,
    };
    // A post with only a title is still a post: an empty body is allowed
    // when the field is there.
    let text = match t.optional(&f.text)? {
        Some(text) => text,
        None if matches!(&t.fields, Fields::Csv(h, _) if h.contains(&f.text)) => String::new(),
        None if matches!(&t.fields, Fields::Json(v) if v.get(&f.text).is_some_and(Value::is_string)) => {
            String::new()
        }
        None => t.required(&f.text)?,
    };
    Ok(Post {
        loc: t.loc,
        account,
        published,
        title: t.optional(&f.title)?,
        text,
        url: t.optional(&f.url)?,
        id: t.optional(&f.id)?,
        kind,
    })
}

/// The message in a raw record.
pub(crate) fn take_message(
    raw: &Raw,
    file: &str,
    f: &MessageFields,
    default_account: Option<&str>,
) -> Result<Message, RecordError> {
    let t = Taker::from_raw(raw, file)?;
    let id = t.required(&f.id)?.trim().to_string();
    let with_id = |mut e: RecordError| {
        e.id = Some(id.clone());
        e
    };
    let account = t.account(&f.account, default_account).map_err(with_id)?;
    let asked = t.required(&f.asked).map_err(with_id)?;
    let asked = t.time(&f.asked, &asked).map_err(with_id)?;
    let text = t.required(&f.text).map_err(with_id)?;
    let replied = match t.optional(&f.replied).map_err(with_id)? {
        Some(r) => Some(t.time(&f.replied, &r).map_err(with_id)?),
        None => None,
    };
    let reply = t.optional(&f.reply).map_err(with_id)?;
    if reply.is_some() && replied.is_none() {
        return Err(with_id(t.err(
            RecordErrorKind::MissingField,
            format!("a reply without its time (field {:?})", f.replied),
        )));
    }
    if let Some(r) = replied {
        if r < asked {
            return Err(with_id(t.err(
                RecordErrorKind::ReplyBeforeMessage,
                format!("replied {r}, before the message was asked {asked}"),
            )));
        }
    }
    let category = t
        .optional(&f.category)
        .map_err(with_id)?
        .map(|c| c.trim().to_string());
    Ok(Message {
        loc: t.loc,
        id,
        account,
        asked,
        category,
        text,
        replied,
        reply,
    })
}
