//! The service's log: one JSON object a line, on stderr by default.
//!
//! A log line never holds draft text, titles or sources: a screening is
//! logged by request id, input sha256, verdict and rule ids only, so the
//! log may be kept where unpublished drafts may not.

use serde_json::{json, Map, Value};
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

/// Where log lines go.
#[derive(Clone)]
pub struct Logger {
    sink: Arc<Mutex<Box<dyn Write + Send>>>,
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

impl Logger {
    /// Logs to standard error.
    pub fn stderr() -> Logger {
        Logger::to_writer(std::io::stderr())
    }

    /// Logs to any writer (tests read it back).
    pub fn to_writer(writer: impl Write + Send + 'static) -> Logger {
        Logger {
            sink: Arc::new(Mutex::new(Box::new(writer))),
        }
    }

    /// Writes one line: `ts` (Unix time in ms), `level`, `event`, then
    /// `fields`. A failed write is dropped: logging never fails a request.
    pub fn log(&self, level: &str, event: &str, fields: Value) {
        let mut line = Map::new();
        let ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        line.insert("ts".into(), json!(ms));
        line.insert("level".into(), json!(level));
        line.insert("event".into(), json!(event));
        if let Value::Object(fields) = fields {
            line.extend(fields);
        }
        let mut text = Value::Object(line).to_string();
        text.push('\n');
        if let Ok(mut sink) = self.sink.lock() {
            let _ = sink.write_all(text.as_bytes());
            let _ = sink.flush();
        }
    }

    /// An informational line.
    pub fn info(&self, event: &str, fields: Value) {
        self.log("info", event, fields);
    }

    /// A warning.
    pub fn warn(&self, event: &str, fields: Value) {
        self.log("warn", event, fields);
    }

    /// An error.
    pub fn error(&self, event: &str, fields: Value) {
        self.log("error", event, fields);
    }
}
