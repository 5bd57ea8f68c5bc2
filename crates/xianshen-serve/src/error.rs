//! Every error the service answers with: one type, one JSON shape
//! (`{"error": {"code": …, "message": …, …}}`), the right status.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};
use xianshen::PolicyError;

/// An error answered to a client.
///
/// Each variant has a stable `code` (the JSON `error.code`) and a status;
/// the message never quotes the draft text.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ApiError {
    /// The body is not well-formed JSON (400).
    #[error("malformed JSON at line {line}, column {column}: {message}")]
    MalformedJson {
        /// 1-based line in the body.
        line: usize,
        /// 1-based column in the body.
        column: usize,
        /// serde_json's description.
        message: String,
    },
    /// Well-formed JSON of the wrong shape: a missing or unknown field, a
    /// value of the wrong type (400).
    #[error("invalid request at line {line}, column {column}: {message}")]
    InvalidRequest {
        /// 1-based line in the body.
        line: usize,
        /// 1-based column in the body.
        column: usize,
        /// serde_json's description.
        message: String,
    },
    /// The body could not be read (the client went away or sent a broken
    /// chunked encoding) (400).
    #[error("cannot read the request body: {0}")]
    UnreadableBody(String),
    /// The body is larger than the configured limit (413).
    #[error("request body larger than {limit} bytes")]
    PayloadTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// The request is not `application/json` (415).
    #[error("content type must be application/json (UTF-8), got {}", got.as_deref().unwrap_or("none"))]
    UnsupportedMediaType {
        /// The content type sent, if any.
        got: Option<String>,
    },
    /// The body is not valid UTF-8 (422).
    #[error("request body is not valid UTF-8 at byte offset {offset}")]
    InvalidUtf8 {
        /// Byte offset of the first bad byte.
        offset: usize,
    },
    /// A field has a value that is not acceptable (422), e.g. an unknown kind.
    #[error("{field}: {message}")]
    InvalidField {
        /// The field's path, e.g. `drafts[2].kind`.
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// A batch with more drafts than the configured limit (422).
    #[error("batch of {got} drafts; at most {limit} are allowed")]
    BatchTooLarge {
        /// Drafts sent.
        got: usize,
        /// The limit.
        limit: usize,
    },
    /// A query parameter that is not acceptable (400).
    #[error("query parameter {name}: {message}")]
    InvalidQuery {
        /// The parameter's name.
        name: String,
        /// What is wrong with it.
        message: String,
    },
    /// The markup of an HTML draft could not be parsed (422).
    #[error("cannot read the draft: {0}")]
    Input(String),
    /// No or an unknown bearer token (401).
    #[error("missing or invalid bearer token")]
    Unauthorized,
    /// A valid token without the right to this route (403).
    #[error("this token may not {action}")]
    Forbidden {
        /// What the token may not do.
        action: &'static str,
    },
    /// No route at this path (404).
    #[error("no route {path}")]
    NotFound {
        /// The request path.
        path: String,
    },
    /// The route exists but not for this method (405).
    #[error("method {method} not allowed here")]
    MethodNotAllowed {
        /// The request method.
        method: String,
    },
    /// Too many requests in flight (503, with `Retry-After`).
    #[error("server busy: {limit} requests in flight; retry later")]
    Overloaded {
        /// The concurrency limit.
        limit: usize,
    },
    /// The request took longer than the configured time (408).
    #[error("request not completed within {millis} ms")]
    Timeout {
        /// The limit in milliseconds.
        millis: u64,
    },
    /// The server is shutting down (503).
    #[error("server is shutting down")]
    ShuttingDown,
    /// A policy reload failed; the previous policy keeps serving (422).
    #[error("policy not reloaded: {0}")]
    PolicyInvalid(#[from] PolicyError),
    /// Something that should not happen (500).
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::MalformedJson { .. }
            | ApiError::InvalidRequest { .. }
            | ApiError::InvalidQuery { .. }
            | ApiError::UnreadableBody(_) => StatusCode::BAD_REQUEST,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::InvalidUtf8 { .. }
            | ApiError::InvalidField { .. }
            | ApiError::BatchTooLarge { .. }
            | ApiError::Input(_)
            | ApiError::PolicyInvalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden { .. } => StatusCode::FORBIDDEN,
            ApiError::NotFound { .. } => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Overloaded { .. } | ApiError::ShuttingDown => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Timeout { .. } => StatusCode::REQUEST_TIMEOUT,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable machine-readable code (`error.code`).
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::MalformedJson { .. } => "malformed_json",
            ApiError::InvalidRequest { .. } => "invalid_request",
            ApiError::UnreadableBody(_) => "unreadable_body",
            ApiError::PayloadTooLarge { .. } => "payload_too_large",
            ApiError::UnsupportedMediaType { .. } => "unsupported_media_type",
            ApiError::InvalidUtf8 { .. } => "invalid_utf8",
            ApiError::InvalidField { .. } => "invalid_field",
            ApiError::BatchTooLarge { .. } => "batch_too_large",
            ApiError::InvalidQuery { .. } => "invalid_query",
            ApiError::Input(_) => "unreadable_input",
            ApiError::Unauthorized => "unauthorized",
            ApiError::Forbidden { .. } => "forbidden",
            ApiError::NotFound { .. } => "not_found",
            ApiError::MethodNotAllowed { .. } => "method_not_allowed",
            ApiError::Overloaded { .. } => "overloaded",
            ApiError::Timeout { .. } => "request_timeout",
            ApiError::ShuttingDown => "shutting_down",
            ApiError::PolicyInvalid(_) => "policy_invalid",
            ApiError::Internal(_) => "internal",
        }
    }

    /// Maps a serde_json error on a request body: syntax errors are
    /// malformed JSON, the rest (missing, unknown or mistyped fields) an
    /// invalid request; both say where.
    pub fn from_json(e: &serde_json::Error) -> ApiError {
        let message = json_message(e);
        let (line, column) = (e.line(), e.column());
        match e.classify() {
            serde_json::error::Category::Data => ApiError::InvalidRequest {
                line,
                column,
                message,
            },
            _ => ApiError::MalformedJson {
                line,
                column,
                message,
            },
        }
    }

    /// The JSON body: `{"error": {"code", "message", …details}}`.
    pub fn body(&self) -> Value {
        let mut error = Map::new();
        error.insert("code".into(), json!(self.code()));
        error.insert("message".into(), json!(self.to_string()));
        match self {
            ApiError::MalformedJson { line, column, .. }
            | ApiError::InvalidRequest { line, column, .. } => {
                error.insert("line".into(), json!(line));
                error.insert("column".into(), json!(column));
            }
            ApiError::PayloadTooLarge { limit } => {
                error.insert("limit".into(), json!(limit));
            }
            ApiError::InvalidUtf8 { offset } => {
                error.insert("offset".into(), json!(offset));
            }
            ApiError::InvalidField { field, .. } => {
                error.insert("field".into(), json!(field));
            }
            ApiError::BatchTooLarge { limit, .. } => {
                error.insert("limit".into(), json!(limit));
            }
            ApiError::InvalidQuery { name, .. } => {
                error.insert("field".into(), json!(name));
            }
            ApiError::PolicyInvalid(e) => {
                error.insert("policy_error".into(), policy_error_json(e));
            }
            _ => {}
        }
        json!({ "error": error })
    }
}

/// serde_json's message without its trailing ` at line L column C`, which
/// the body gives as fields.
fn json_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// A policy error as JSON: kind, message, file (for an I/O error the file
/// that could not be read), line, column.
pub fn policy_error_json(e: &PolicyError) -> Value {
    let kind = match e.kind() {
        xianshen::PolicyErrorKind::Syntax => "syntax",
        xianshen::PolicyErrorKind::Invalid => "invalid",
        xianshen::PolicyErrorKind::Io => "io",
        _ => "other",
    };
    let location = e.location();
    json!({
        "kind": kind,
        "message": e.message(),
        // For an I/O error, the file that could not be read.
        "file": e
            .unreadable_file()
            .or_else(|| location.and_then(|l| l.path.as_deref()))
            .map(|p| p.display().to_string()),
        "line": location.map(|l| l.line),
        "column": location.map(|l| l.column),
    })
}

/// The `error.code` of an error response, in its extensions, so that the
/// log can name it without reading the body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ErrorCode(pub &'static str);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let mut response = (status, axum::Json(self.body())).into_response();
        response.extensions_mut().insert(ErrorCode(self.code()));
        if matches!(self, ApiError::Overloaded { .. } | ApiError::ShuttingDown) {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        if matches!(self, ApiError::Unauthorized) {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// The JSON error body for a bare status, for responses made outside the
/// handlers (a caught panic, a layer's own answer).
pub fn status_body(status: StatusCode) -> Value {
    let code = match status {
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::REQUEST_TIMEOUT => "request_timeout",
        StatusCode::SERVICE_UNAVAILABLE => "overloaded",
        s if s.is_server_error() => "internal",
        _ => "bad_request",
    };
    json!({"error": {
        "code": code,
        "message": status.canonical_reason().unwrap_or("error"),
    }})
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One of each error, for the checks below. The match makes a new
    /// variant a compile error here until it is added.
    fn samples() -> Vec<ApiError> {
        let policy_error = match xianshen::Policy::from_toml("[") {
            Err(e) => e,
            Ok(_) => panic!("`[` is not TOML"),
        };
        let all = vec![
            ApiError::MalformedJson {
                line: 1,
                column: 1,
                message: "m".into(),
            },
            ApiError::InvalidRequest {
                line: 1,
                column: 1,
                message: "m".into(),
            },
            ApiError::UnreadableBody("m".into()),
            ApiError::PayloadTooLarge { limit: 1 },
            ApiError::UnsupportedMediaType { got: None },
            ApiError::InvalidUtf8 { offset: 1 },
            ApiError::InvalidField {
                field: "f".into(),
                message: "m".into(),
            },
            ApiError::BatchTooLarge { got: 2, limit: 1 },
            ApiError::InvalidQuery {
                name: "n".into(),
                message: "m".into(),
            },
            ApiError::Input("m".into()),
            ApiError::Unauthorized,
            ApiError::Forbidden { action: "a" },
            ApiError::NotFound { path: "/".into() },
            ApiError::MethodNotAllowed {
                method: "GET".into(),
            },
            ApiError::Overloaded { limit: 1 },
            ApiError::Timeout { millis: 1 },
            ApiError::ShuttingDown,
            ApiError::PolicyInvalid(policy_error),
            ApiError::Internal("m".into()),
        ];
        for e in &all {
            match e {
                ApiError::MalformedJson { .. }
                | ApiError::InvalidRequest { .. }
                | ApiError::UnreadableBody(_)
                | ApiError::PayloadTooLarge { .. }
                | ApiError::UnsupportedMediaType { .. }
                | ApiError::InvalidUtf8 { .. }
                | ApiError::InvalidField { .. }
                | ApiError::BatchTooLarge { .. }
                | ApiError::InvalidQuery { .. }
                | ApiError::Input(_)
                | ApiError::Unauthorized
                | ApiError::Forbidden { .. }
                | ApiError::NotFound { .. }
                | ApiError::MethodNotAllowed { .. }
                | ApiError::Overloaded { .. }
                | ApiError::Timeout { .. }
                | ApiError::ShuttingDown
                | ApiError::PolicyInvalid(_)
                | ApiError::Internal(_) => {}
            }
        }
        all
    }

    #[test]
    fn every_code_is_documented_and_every_body_has_code_and_message() {
        let doc: Value = serde_json::from_str(crate::routes::OPENAPI_JSON).unwrap();
        let codes = &doc["components"]["schemas"]["Error"]["properties"]["error"]["properties"]
            ["code"]["enum"];
        let codes = codes.as_array().unwrap();
        for e in samples() {
            assert!(
                codes.contains(&json!(e.code())),
                "{} not in openapi.json",
                e.code()
            );
            let body = e.body();
            assert_eq!(body["error"]["code"], e.code());
            assert!(body["error"]["message"].is_string());
            assert!(e.status().is_client_error() || e.status().is_server_error());
        }
    }

    #[test]
    fn policy_errors_carry_line_and_column() {
        let e = match xianshen::Policy::from_toml("[meta]\nname = 1\n") {
            Err(e) => ApiError::PolicyInvalid(e),
            Ok(_) => panic!("name must be a string"),
        };
        let body = e.body();
        assert_eq!(e.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["error"]["policy_error"]["line"], 2);
        assert_eq!(body["error"]["policy_error"]["kind"], "syntax");
    }
}
