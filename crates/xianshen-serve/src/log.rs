//! The service's log: one JSON object a line, on stderr by default.
//!
//! A log line never holds draft text, titles or sources: a screening is
//! logged by request id, input sha256, verdict and rule ids only, so the
//! log may be kept where unpublished drafts may not.
//!
//! Per-request lines ([`Logger::info_batched`]) may wait up to
//! [`BATCH_INTERVAL`] to be written with others: one `write` for many
//! requests instead of one each, and no lock held across a system call on
//! the request path. Every other line is written at once, after the
//! batched lines before it, so the log keeps its order.

use serde::Serialize;
use std::io::Write;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The longest a batched line waits before it is written.
pub const BATCH_INTERVAL: Duration = Duration::from_millis(20);

/// Where log lines go.
#[derive(Clone)]
pub struct Logger {
    inner: Arc<Inner>,
}

/// The sink, the batch waiting for it, and the thread that writes batches.
struct Inner {
    shared: Arc<Shared>,
    /// `None` when every line is written at once.
    flusher: Option<JoinHandle<()>>,
}

struct Shared {
    sink: Mutex<Box<dyn Write + Send>>,
    batch: Mutex<Batch>,
    /// Signalled when a batch starts or the logger is dropped.
    started: Condvar,
}

#[derive(Default)]
struct Batch {
    text: Vec<u8>,
    closed: bool,
}

impl std::fmt::Debug for Logger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Logger").finish_non_exhaustive()
    }
}

impl Default for Logger {
    fn default() -> Self {
        Logger::stderr()
    }
}

/// A poisoned lock still guards good data: a log line is plain bytes.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Shared {
    /// Writes the batch, then `line`, in one call when they are both there.
    fn write(&self, line: &[u8]) {
        let mut sink = lock(&self.sink); // first: batches are written in order
        let mut text = std::mem::take(&mut lock(&self.batch).text);
        text.extend_from_slice(line);
        if !text.is_empty() {
            let _ = sink.write_all(&text);
            let _ = sink.flush();
        }
    }

    /// The flusher thread: waits for a batch, lets it fill for `interval`,
    /// writes it; when the logger is dropped, writes what is left at once
    /// and ends.
    fn flush_batches(&self, interval: Duration) {
        let mut batch = lock(&self.batch);
        loop {
            while batch.text.is_empty() && !batch.closed {
                batch = self
                    .started
                    .wait(batch)
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
            }
            let due = Instant::now() + interval;
            while !batch.closed {
                let Some(left) = due.checked_duration_since(Instant::now()) else {
                    break;
                };
                batch = self
                    .started
                    .wait_timeout(batch, left)
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .0;
            }
            let closed = batch.closed;
            drop(batch);
            self.write(&[]);
            if closed {
                return;
            }
            batch = lock(&self.batch);
        }
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        if let Some(flusher) = self.flusher.take() {
            lock(&self.shared.batch).closed = true;
            self.shared.started.notify_one();
            let _ = flusher.join(); // it writes what is left
        }
    }
}

impl Logger {
    /// Logs to standard error, per-request lines batched.
    pub fn stderr() -> Logger {
        Logger::batched(std::io::stderr(), BATCH_INTERVAL)
    }

    /// Logs to any writer, every line written as it is logged (tests read
    /// it back at once).
    pub fn to_writer(writer: impl Write + Send + 'static) -> Logger {
        Logger::with(writer, None)
    }

    /// Logs to `writer`; lines logged with [`Logger::info_batched`] are
    /// written together, each at most `interval` after it was logged, by a
    /// thread of the logger's own. Dropping the last clone writes what is
    /// left.
    pub fn batched(writer: impl Write + Send + 'static, interval: Duration) -> Logger {
        Logger::with(writer, Some(interval))
    }

    fn with(writer: impl Write + Send + 'static, interval: Option<Duration>) -> Logger {
        let shared = Arc::new(Shared {
            sink: Mutex::new(Box::new(writer)),
            batch: Mutex::new(Batch::default()),
            started: Condvar::new(),
        });
        let flusher = interval.and_then(|interval| {
            let shared = Arc::clone(&shared);
            std::thread::Builder::new()
                .name("xianshen-log".into())
                .spawn(move || shared.flush_batches(interval))
                .ok() // no thread: every line is written at once
        });
        Logger {
            inner: Arc::new(Inner { shared, flusher }),
        }
    }

    /// Writes one line: `ts` (Unix time in ms), `level`, `event`, then the
    /// members of `fields` (an object: a `json!` value or a struct),
    /// serialized once, without building a JSON tree. A failed write is
    /// dropped: logging never fails a request.
    pub fn log(&self, level: &str, event: &str, fields: impl Serialize) {
        self.inner.shared.write(&line(level, event, fields));
    }

    /// An informational line that may wait up to the batch interval to be
    /// written with others (written at once by a logger from
    /// [`Logger::to_writer`]): for lines logged on every request.
    pub fn info_batched(&self, event: &str, fields: impl Serialize) {
        let line = line("info", event, fields);
        if self.inner.flusher.is_none() {
            return self.inner.shared.write(&line);
        }
        let mut batch = lock(&self.inner.shared.batch);
        let first = batch.text.is_empty();
        batch.text.extend_from_slice(&line);
        drop(batch);
        if first {
            self.inner.shared.started.notify_one();
        }
    }

    /// Writes the lines waiting in the batch now.
    pub fn flush(&self) {
        self.inner.shared.write(&[]);
    }

    /// An informational line.
    pub fn info(&self, event: &str, fields: impl Serialize) {
        self.log("info", event, fields);
    }

    /// A warning.
    pub fn warn(&self, event: &str, fields: impl Serialize) {
        self.log("warn", event, fields);
    }

    /// An error.
    pub fn error(&self, event: &str, fields: impl Serialize) {
        self.log("error", event, fields);
    }
}

/// One log line, newline included, written into one buffer: no JSON tree,
/// no intermediate strings.
fn line(level: &str, event: &str, fields: impl Serialize) -> Vec<u8> {
    let ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    let mut out = Vec::with_capacity(256);
    // Writing to a Vec cannot fail; a field that cannot be serialized is
    // left out below.
    let _ = write!(out, "{{\"ts\":{ms},\"level\":");
    let _ = serde_json::to_writer(&mut out, level);
    out.extend_from_slice(b",\"event\":");
    let _ = serde_json::to_writer(&mut out, event);
    let members = out.len();
    let written = serde_json::to_writer(&mut out, &fields).is_ok();
    // `{"a":1}` -> `,"a":1`; `{}`, `null` or a non-object adds nothing.
    if written && out.len() > members + 2 && out[members] == b'{' && out.last() == Some(&b'}') {
        out[members] = b',';
        out.pop();
    } else {
        out.truncate(members);
    }
    out.extend_from_slice(b"}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::sync::Mutex as StdMutex;

    /// A writer tests read back.
    #[derive(Clone, Default)]
    struct Shared(Arc<StdMutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_line_is_one_json_object_with_ts_level_event_first() {
        #[derive(Serialize)]
        struct Fields<'a> {
            request_id: &'a str,
            rules: Vec<&'a str>,
        }
        let out = Shared::default();
        let logger = Logger::to_writer(out.clone());
        logger.info(
            "screened",
            Fields {
                request_id: "r-1",
                rules: vec!["ad.link"],
            },
        );
        logger.warn("empty", json!({}));
        logger.error("quoted \"event\"", json!({"message": "a\nb"}));
        let text = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with("{\"ts\":"));
        let first: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
        assert_eq!(first["level"], "info");
        assert_eq!(first["event"], "screened");
        assert_eq!(first["request_id"], "r-1");
        assert_eq!(first["rules"], json!(["ad.link"]));
        let second: serde_json::Value = serde_json::from_str(lines[1]).unwrap();
        assert_eq!(second.as_object().unwrap().len(), 3);
        let third: serde_json::Value = serde_json::from_str(lines[2]).unwrap();
        assert_eq!(third["event"], "quoted \"event\"");
        assert_eq!(third["message"], "a\nb");
    }

    fn events(out: &Shared) -> Vec<String> {
        let text = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
        text.lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                v["event"].as_str().unwrap().to_owned()
            })
            .collect()
    }

    #[test]
    fn batched_lines_wait_for_the_interval_and_keep_their_order() {
        let out = Shared::default();
        let logger = Logger::batched(out.clone(), Duration::from_secs(3600));
        logger.info_batched("one", json!({}));
        logger.info_batched("two", json!({}));
        assert!(events(&out).is_empty(), "written before the interval");
        // A line written at once writes the batch before it.
        logger.warn("three", json!({}));
        assert_eq!(events(&out), ["one", "two", "three"]);
        logger.info_batched("four", json!({}));
        logger.flush();
        assert_eq!(events(&out), ["one", "two", "three", "four"]);
        logger.info_batched("five", json!({}));
        let clone = logger.clone();
        drop(logger);
        assert_eq!(events(&out).len(), 4, "a clone still holds the logger");
        drop(clone);
        assert_eq!(events(&out), ["one", "two", "three", "four", "five"]);
    }

    #[test]
    fn dropping_the_logger_writes_the_batch_at_once_whatever_the_interval() {
        for _ in 0..50 {
            let out = Shared::default();
            let logger = Logger::batched(out.clone(), Duration::from_secs(3600));
            logger.info_batched("one", json!({}));
            // Let the flusher see the batch and start its long wait.
            std::thread::sleep(Duration::from_millis(1));
            let started = std::time::Instant::now();
            drop(logger);
            assert!(
                started.elapsed() < Duration::from_secs(5),
                "the drop waited for the interval"
            );
            assert_eq!(events(&out), ["one"]);
        }
    }

    #[test]
    fn the_flusher_writes_a_batch_after_the_interval() {
        let out = Shared::default();
        let logger = Logger::batched(out.clone(), Duration::from_millis(5));
        for i in 0..100 {
            logger.info_batched("request", json!({"i": i}));
        }
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while events(&out).len() < 100 {
            assert!(std::time::Instant::now() < deadline, "not written in 10 s");
            std::thread::sleep(Duration::from_millis(5));
        }
        let text = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
        let order: Vec<u64> = text
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["i"]
                    .as_u64()
                    .unwrap()
            })
            .collect();
        assert_eq!(order, (0..100).collect::<Vec<u64>>());
    }

    #[test]
    fn a_writer_logger_writes_batched_lines_at_once() {
        let out = Shared::default();
        let logger = Logger::to_writer(out.clone());
        logger.info_batched("now", json!({}));
        assert_eq!(events(&out), ["now"]);
    }
}
