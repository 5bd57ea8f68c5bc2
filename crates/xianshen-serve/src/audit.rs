//! The decision log (全程留痕): an optional append-only JSONL file with one
//! line per screened draft, each line carrying the SHA-256 of the line
//! before it, so that a removed or edited line breaks the chain.
//!
//! A line holds `seq` (1, 2, … across files), `prev` (the previous line's
//! digest, [`GENESIS`] for the first line ever), `ts` (Unix time in ms),
//! the request id, token id, input digest and size, policy fingerprint,
//! verdict, approval, and each finding's rule and span (`start`/`end` in
//! UTF-8 bytes; `field: "title"` for findings in the title). Never the
//! text.
//!
//! With `rotate_bytes`, a file that reaches that size is renamed `LOG.1`
//! (then `LOG.2`, …: the higher, the newer) and a new `LOG` is started; the
//! chain goes on across files. [`verify`] reads them all, oldest first,
//! and names the first bad line. A write cut off by a crash (`kill -9`
//! mid-write) leaves a torn last line: [`verify`] reports it apart, and
//! the service, when it opens the log again, ends it with a newline and
//! chains its next line to the last whole one.
//!
//! Lines reach the operating system with each write, so they survive the
//! process being killed; they are not synced to disk one by one.

use serde::Deserialize;
use serde_json::{json, Map, Value};
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use xianshen::Report;

/// The `prev` of the first line of a log.
pub const GENESIS: &str = "sha256:0000000000000000000000000000000000000000000000000000000000000000";

/// Where to keep the decision log: the `[audit]` table of the service's
/// configuration.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditConfig {
    /// The log file (relative paths are relative to the configuration).
    pub path: PathBuf,
    /// Start a new file once the current one reaches this many bytes
    /// (none: never).
    #[serde(default)]
    pub rotate_bytes: Option<u64>,
}

/// The log cannot be opened, read or written.
#[derive(Debug, thiserror::Error)]
#[error("audit log {path}: {source}")]
pub struct AuditError {
    /// The file.
    pub path: PathBuf,
    /// Why.
    pub source: std::io::Error,
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> AuditError + '_ {
    move |source| AuditError {
        path: path.to_path_buf(),
        source,
    }
}

/// The digest a line's successor names in `prev`.
pub fn line_digest(line: &[u8]) -> String {
    format!("sha256:{}", xianshen::digest::sha256_hex(line))
}

/// An open decision log, appended to by every screening.
#[derive(Debug)]
pub struct AuditLog {
    path: PathBuf,
    rotate_bytes: Option<u64>,
    writer: Mutex<Writer>,
}

#[derive(Debug)]
struct Writer {
    file: File,
    size: u64,
    prev: String,
    seq: u64,
}

impl AuditLog {
    /// Opens (or creates) the log and finds where its chain ends: the last
    /// whole line of the newest file that has one. A torn last line (a
    /// crash mid-write) is ended with a newline and left for [`verify`] to
    /// report; the next line chains to the last whole line.
    ///
    /// # Errors
    ///
    /// [`AuditError`] when a file cannot be read or opened for appending.
    pub fn open(config: &AuditConfig) -> Result<AuditLog, AuditError> {
        let path = config.path.clone();
        let mut prev = GENESIS.to_string();
        let mut seq = 0;
        // The newest file first: the current one, then the rotated ones.
        let mut files = chain_files(&path).map_err(io_error(&path))?;
        files.reverse();
        for file in &files {
            let bytes = read_tail(file, TAIL_BYTES).map_err(io_error(file))?;
            if let Some((line, parsed)) = last_whole_line(&bytes) {
                prev = line_digest(line);
                seq = parsed.seq;
                break;
            }
        }
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .read(true)
            .open(&path)
            .map_err(io_error(&path))?;
        let mut size = file.metadata().map_err(io_error(&path))?.len();
        if size > 0 {
            let mut last = [0u8; 1];
            file.seek(SeekFrom::End(-1)).map_err(io_error(&path))?;
            file.read_exact(&mut last).map_err(io_error(&path))?;
            if last[0] != b'\n' {
                file.write_all(b"\n").map_err(io_error(&path))?;
                size += 1;
            }
        }
        Ok(AuditLog {
            path,
            rotate_bytes: config.rotate_bytes,
            writer: Mutex::new(Writer {
                file,
                size,
                prev,
                seq,
            }),
        })
    }

    /// Appends the line of one screened draft.
    ///
    /// # Errors
    ///
    /// [`AuditError`] when the line cannot be written (the chain is left
    /// as it was) or the file cannot be rotated.
    pub fn record(
        &self,
        request_id: &str,
        token_id: Option<&str>,
        report: &Report,
    ) -> Result<(), AuditError> {
        let spans = |findings: &[xianshen::Finding], field: Option<&str>| -> Vec<Value> {
            findings
                .iter()
                .map(|f| match field {
                    Some(field) => {
                        json!({"rule": f.rule, "start": f.start, "end": f.end, "field": field})
                    }
                    None => json!({"rule": f.rule, "start": f.start, "end": f.end}),
                })
                .collect()
        };
        let mut findings = spans(&report.findings, None);
        findings.extend(spans(&report.title_findings, Some("title")));
        let ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        let mut writer = self
            .writer
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut line = Map::new();
        line.insert("seq".into(), json!(writer.seq + 1));
        line.insert("prev".into(), json!(writer.prev));
        line.insert("ts".into(), json!(ms));
        line.insert("request_id".into(), json!(request_id));
        line.insert("token_id".into(), json!(token_id));
        line.insert("input_sha256".into(), json!(report.input.sha256));
        line.insert("input_bytes".into(), json!(report.input.bytes));
        line.insert(
            "policy_fingerprint".into(),
            json!(report.policy.fingerprint),
        );
        line.insert("verdict".into(), json!(report.verdict));
        line.insert("approval".into(), json!(report.approval));
        line.insert("findings".into(), Value::Array(findings));
        let mut text = Value::Object(line).to_string().into_bytes();
        let digest = line_digest(&text);
        text.push(b'\n');
        writer.file.write_all(&text).map_err(io_error(&self.path))?;
        writer.prev = digest;
        writer.seq += 1;
        writer.size += text.len() as u64;
        if self.rotate_bytes.is_some_and(|limit| writer.size >= limit) {
            self.rotate(&mut writer)?;
        }
        Ok(())
    }

    /// Renames the current file to the next `LOG.N` and starts a new one.
    fn rotate(&self, writer: &mut Writer) -> Result<(), AuditError> {
        let next = rotated_numbers(&self.path)
            .map_err(io_error(&self.path))?
            .last()
            .map_or(1, |n| n + 1);
        let rotated = rotated_path(&self.path, next);
        std::fs::rename(&self.path, &rotated).map_err(io_error(&rotated))?;
        writer.file = OpenOptions::new()
            .create(true)
            .append(true)
            .read(true)
            .open(&self.path)
            .map_err(io_error(&self.path))?;
        writer.size = 0;
        Ok(())
    }
}

/// How much of a file's end [`AuditLog::open`] reads to find the last
/// line: many lines (a line is a few hundred bytes, tens of KiB with a
/// thousand findings).
const TAIL_BYTES: u64 = 4 << 20;

/// The last `tail` bytes of a file from the first line start in them, or
/// all of it when no whole decision line ends there.
fn read_tail(path: &Path, tail: u64) -> std::io::Result<Vec<u8>> {
    let mut file = File::open(path)?;
    let size = file.metadata()?.len();
    if size > tail {
        file.seek(SeekFrom::Start(size - tail))?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)?;
        // The first piece may be the end of a line cut in two.
        if let Some(start) = bytes.iter().position(|&b| b == b'\n') {
            let tail = bytes.split_off(start + 1);
            if last_whole_line(&tail).is_some() {
                return Ok(tail);
            }
        }
    }
    std::fs::read(path)
}

/// `LOG.N`.
fn rotated_path(path: &Path, n: u64) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{n}"));
    path.with_file_name(name)
}

/// The numbers N of the rotated files `LOG.N` that exist, in order.
fn rotated_numbers(path: &Path) -> std::io::Result<Vec<u64>> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let base = path.file_name().unwrap_or_default().to_string_lossy();
    let prefix = format!("{base}.");
    let mut numbers = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(numbers),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let name = entry?.file_name();
        let name = name.to_string_lossy();
        if let Some(n) = name
            .strip_prefix(&prefix)
            .and_then(|rest| rest.parse::<u64>().ok())
        {
            numbers.push(n);
        }
    }
    numbers.sort_unstable();
    Ok(numbers)
}

/// The files of a log's chain, oldest first: `LOG.1`, `LOG.2`, …, `LOG`
/// (those that exist).
fn chain_files(path: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = rotated_numbers(path)?
        .into_iter()
        .map(|n| rotated_path(path, n))
        .collect();
    if path.exists() {
        files.push(path.to_path_buf());
    }
    Ok(files)
}

/// What [`verify`] needs of a line.
#[derive(Deserialize)]
struct ChainFields {
    seq: u64,
    prev: String,
}

fn parse_line(line: &[u8]) -> Option<ChainFields> {
    serde_json::from_slice(line).ok()
}

/// The last newline-ended line of `bytes` that is a decision line.
fn last_whole_line(bytes: &[u8]) -> Option<(&[u8], ChainFields)> {
    let end = bytes.iter().rposition(|&b| b == b'\n')?;
    bytes[..end]
        .split(|&b| b == b'\n')
        .rev()
        .find_map(|line| parse_line(line).map(|parsed| (line, parsed)))
}

/// A line of a log: its file and 1-based line number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinePlace {
    /// The file.
    pub file: PathBuf,
    /// 1-based line number in the file.
    pub line: usize,
}

impl std::fmt::Display for LinePlace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file.display(), self.line)
    }
}

/// A log whose chain holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    /// The files read, oldest first.
    pub files: Vec<PathBuf>,
    /// Decision lines checked.
    pub lines: u64,
    /// The digest of the last line: note it elsewhere to detect lines
    /// cut off the end.
    pub head: String,
    /// Lines torn by a crash mid-write (unreadable lines the next line
    /// chains past, or an unreadable last line).
    pub torn: Vec<LinePlace>,
    /// The first line's `prev` is not [`GENESIS`]: older files were
    /// removed (its `seq` says how many lines came before).
    pub starts_mid_chain: bool,
}

/// Why a log does not verify.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// A file cannot be read.
    #[error(transparent)]
    Io(#[from] AuditError),
    /// No such log.
    #[error("{0}: no such audit log")]
    Missing(PathBuf),
    /// The first bad line: removed, edited or inserted lines before it.
    #[error("{place}: {reason}")]
    Broken {
        /// Where.
        place: LinePlace,
        /// What is wrong.
        reason: String,
    },
}

/// Checks the chain of a log and its rotated files, oldest first.
///
/// # Errors
///
/// [`VerifyError::Broken`] at the first line that does not chain to the
/// one before, [`VerifyError::Missing`] or [`VerifyError::Io`].
pub fn verify(path: &Path) -> Result<Verified, VerifyError> {
    let files = chain_files(path).map_err(io_error(path))?;
    if files.is_empty() {
        return Err(VerifyError::Missing(path.to_path_buf()));
    }
    let mut result = Verified {
        files: files.clone(),
        lines: 0,
        head: GENESIS.to_string(),
        torn: Vec::new(),
        starts_mid_chain: false,
    };
    let mut last_seq: Option<u64> = None;
    // An unreadable line waiting for the next line to chain past it.
    let mut pending_torn: Option<LinePlace> = None;
    for file in &files {
        let bytes = std::fs::read(file).map_err(io_error(file))?;
        let mut lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
        if lines.last().is_some_and(|l| l.is_empty()) {
            lines.pop();
        }
        for (i, line) in lines.iter().enumerate() {
            let place = LinePlace {
                file: file.clone(),
                line: i + 1,
            };
            let Some(parsed) = parse_line(line) else {
                if let Some(earlier) = pending_torn.replace(place.clone()) {
                    return Err(VerifyError::Broken {
                        place: earlier,
                        reason: "not a decision line, and the next line is not one either".into(),
                    });
                }
                continue;
            };
            let broken = |reason: String| VerifyError::Broken {
                place: place.clone(),
                reason,
            };
            match last_seq {
                None => {
                    if parsed.prev != GENESIS {
                        result.starts_mid_chain = true;
                    }
                }
                Some(seq) => {
                    if parsed.prev != result.head {
                        let reason = match &pending_torn {
                            Some(torn) => format!(
                                "line {torn} is not a decision line and this one does not chain past it: edited or replaced"
                            ),
                            None => "prev is not the digest of the line before: a line was removed, edited or inserted".into(),
                        };
                        return Err(broken(reason));
                    }
                    if parsed.seq != seq + 1 {
                        return Err(broken(format!("seq {} follows {seq}", parsed.seq)));
                    }
                }
            }
            if last_seq.is_none() && pending_torn.is_some() {
                // Nothing before it to chain past: an unreadable first line.
                let torn = pending_torn.take();
                return Err(VerifyError::Broken {
                    place: torn.unwrap_or(place),
                    reason: "not a decision line".into(),
                });
            }
            if let Some(torn) = pending_torn.take() {
                result.torn.push(torn);
            }
            last_seq = Some(parsed.seq);
            result.head = line_digest(line);
            result.lines += 1;
        }
    }
    // An unreadable last line: a write cut off by a crash.
    if let Some(torn) = pending_torn {
        result.torn.push(torn);
    }
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(text: &str) -> Report {
        xianshen::Screener::new().screen_text(text)
    }

    fn config(dir: &Path, rotate_bytes: Option<u64>) -> AuditConfig {
        AuditConfig {
            path: dir.join("decisions.jsonl"),
            rotate_bytes,
        }
    }

    fn write(log: &AuditLog, n: usize) {
        for i in 0..n {
            log.record(&format!("r{i}"), Some("cms"), &report("本店出售冰毒"))
                .unwrap();
        }
    }

    fn lines(path: &Path) -> Vec<String> {
        std::fs::read_to_string(path)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect()
    }

    fn broken_at(path: &Path) -> (usize, String) {
        match verify(path) {
            Err(VerifyError::Broken { place, reason }) => (place.line, reason),
            other => panic!("expected a broken chain, got {other:?}"),
        }
    }

    #[test]
    fn a_chain_verifies_and_holds_no_text() {
        let dir = tempfile::tempdir().unwrap();
        let config = config(dir.path(), None);
        write(&AuditLog::open(&config).unwrap(), 3);
        let all = lines(&config.path);
        assert_eq!(all.len(), 3);
        assert!(!all.concat().contains("冰毒"), "no draft text");
        let first: Value = serde_json::from_str(&all[0]).unwrap();
        assert_eq!(first["prev"], GENESIS);
        assert_eq!(first["seq"], 1);
        assert_eq!(first["verdict"], "block");
        assert_eq!(first["token_id"], "cms");
        assert_eq!(first["findings"][0]["rule"], "term.drugs");
        assert_eq!(first["findings"][0]["start"], 6);
        let ok = verify(&config.path).unwrap();
        assert_eq!(ok.lines, 3);
        assert_eq!(ok.head, line_digest(all[2].as_bytes()));
        assert!(ok.torn.is_empty() && !ok.starts_mid_chain);
        // Reopening continues the chain.
        write(&AuditLog::open(&config).unwrap(), 2);
        assert_eq!(verify(&config.path).unwrap().lines, 5);
    }

    #[test]
    fn removed_edited_and_inserted_lines_are_found() {
        let dir = tempfile::tempdir().unwrap();
        let config = config(dir.path(), None);
        write(&AuditLog::open(&config).unwrap(), 4);
        let all = lines(&config.path);
        let put = |lines: &[String]| std::fs::write(&config.path, lines.join("\n") + "\n").unwrap();

        let mut removed = all.clone();
        removed.remove(1);
        put(&removed);
        assert_eq!(broken_at(&config.path).0, 2);

        let mut edited = all.clone();
        edited[2] = edited[2].replace("\"block\"", "\"pass\"");
        put(&edited);
        assert_eq!(broken_at(&config.path).0, 4, "the line after the edit");

        let mut replaced = all.clone();
        replaced[1] = "garbage".into();
        put(&replaced);
        let (line, reason) = broken_at(&config.path);
        assert_eq!(line, 3);
        assert!(reason.contains("not a decision line"), "{reason}");

        let mut inserted = all.clone();
        inserted.insert(2, all[1].clone());
        put(&inserted);
        assert_eq!(broken_at(&config.path).0, 3);

        put(&all);
        assert_eq!(verify(&config.path).unwrap().lines, 4);
    }

    #[test]
    fn a_torn_last_line_is_reported_and_the_chain_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        let config = config(dir.path(), None);
        write(&AuditLog::open(&config).unwrap(), 3);
        // A crash mid-write: half a line, no newline.
        let whole = std::fs::read(&config.path).unwrap();
        let mut torn = whole.clone();
        torn.extend_from_slice(b"{\"seq\":4,\"prev\":\"sha256:ab");
        std::fs::write(&config.path, &torn).unwrap();
        let ok = verify(&config.path).unwrap();
        assert_eq!(ok.lines, 3);
        assert_eq!(ok.torn.len(), 1);
        assert_eq!(ok.torn[0].line, 4);
        // The service starts again on the same log.
        write(&AuditLog::open(&config).unwrap(), 2);
        let ok = verify(&config.path).unwrap();
        assert_eq!((ok.lines, ok.torn.len(), ok.torn[0].line), (5, 1, 4));
        let last: Value = serde_json::from_str(lines(&config.path).last().unwrap()).unwrap();
        assert_eq!(last["seq"], 5);
    }

    #[test]
    fn the_chain_end_is_found_in_the_tail_of_a_long_file() {
        let dir = tempfile::tempdir().unwrap();
        let config = config(dir.path(), None);
        write(&AuditLog::open(&config).unwrap(), 5);
        let all = lines(&config.path);
        let last = all.last().unwrap().as_bytes();
        // A tail that cuts the fourth line: the fifth is found whole.
        let tail = read_tail(&config.path, last.len() as u64 + 20).unwrap();
        assert_eq!(last_whole_line(&tail).unwrap().0, last);
        // A tail inside the last line: the whole file is read.
        let tail = read_tail(&config.path, 10).unwrap();
        assert_eq!(
            tail.len(),
            std::fs::metadata(&config.path).unwrap().len() as usize
        );
        assert_eq!(last_whole_line(&tail).unwrap().1.seq, 5);
    }

    #[test]
    fn rotation_keeps_the_chain_across_files() {
        let dir = tempfile::tempdir().unwrap();
        let config = config(dir.path(), Some(1000));
        write(&AuditLog::open(&config).unwrap(), 10);
        let ok = verify(&config.path).unwrap();
        assert!(ok.files.len() > 2, "{:?}", ok.files);
        assert_eq!(ok.files[0], rotated_path(&config.path, 1));
        assert_eq!(ok.lines, 10);
        // Reopened, it goes on from the newest file.
        write(&AuditLog::open(&config).unwrap(), 3);
        assert_eq!(verify(&config.path).unwrap().lines, 13);
        // A rotated file edited is found.
        let first = rotated_path(&config.path, 1);
        let text = std::fs::read_to_string(&first).unwrap();
        std::fs::write(&first, text.replacen("\"block\"", "\"pass\"", 1)).unwrap();
        assert!(matches!(
            verify(&config.path),
            Err(VerifyError::Broken { .. })
        ));
        // Older files removed: the chain starts mid-way, and holds.
        std::fs::remove_file(&first).unwrap();
        let ok = verify(&config.path).unwrap();
        assert!(ok.starts_mid_chain);
        assert!(ok.lines < 13);
        assert!(matches!(
            verify(&dir.path().join("none.jsonl")),
            Err(VerifyError::Missing(_))
        ));
    }
}
