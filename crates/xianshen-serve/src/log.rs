//! The service's log: one JSON object a line, on stderr by default.
//!
//! A log line never holds draft text, titles or sources: a screening is
//! logged by request id, input sha256, verdict and rule ids only, so the
//! log may be kept where unpublished drafts may not.

use serde::Serialize;
use serde_json::json;
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

    /// Writes one line: `ts` (Unix time in ms), `level`, `event`, then the
    /// members of `fields` (an object: a `json!` value or a struct),
    /// serialized once, without building a JSON tree. A failed write is
    /// dropped: logging never fails a request.
    pub fn log(&self, level: &str, event: &str, fields: impl Serialize) {
        let ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        let mut text = format!(
            "{{\"ts\":{ms},\"level\":{},\"event\":{}",
            json!(level),
            json!(event)
        );
        let members = serde_json::to_string(&fields).unwrap_or_default();
        // `{"a":1}` -> `,"a":1`; `{}`, `null` or a non-object adds nothing.
        if let Some(inner) = members.strip_prefix('{').and_then(|m| m.strip_suffix('}')) {
            if !inner.is_empty() {
                text.push(',');
                text.push_str(inner);
            }
        }
        text.push_str("}\n");
        if let Ok(mut sink) = self.sink.lock() {
            let _ = sink.write_all(text.as_bytes());
            let _ = sink.flush();
        }
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

#[cfg(test)]
mod tests {
    use super::*;
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
}
