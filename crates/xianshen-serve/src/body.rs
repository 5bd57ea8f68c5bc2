//! Reading a JSON request body: content type (415), size (413), UTF-8
//! (422), then JSON (400, with line and column).

use crate::error::ApiError;
use axum::body::Body;
use axum::http::{header, HeaderMap};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use serde::de::DeserializeOwned;

/// Reads and parses a JSON body of at most `limit` bytes.
///
/// # Errors
///
/// [`ApiError::UnsupportedMediaType`], [`ApiError::PayloadTooLarge`],
/// [`ApiError::InvalidUtf8`], [`ApiError::MalformedJson`] or
/// [`ApiError::InvalidRequest`].
pub async fn read_json<T: DeserializeOwned>(
    headers: &HeaderMap,
    body: Body,
    limit: usize,
) -> Result<T, ApiError> {
    check_content_type(headers)?;
    if let Some(length) = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
    {
        if length > limit as u64 {
            return Err(ApiError::PayloadTooLarge { limit });
        }
    }
    let bytes = Limited::new(body, limit)
        .collect()
        .await
        .map_err(|e| {
            if e.downcast_ref::<LengthLimitError>().is_some() {
                ApiError::PayloadTooLarge { limit }
            } else {
                ApiError::UnreadableBody(e.to_string())
            }
        })?
        .to_bytes();
    parse_json(&bytes)
}

/// Parses a complete body: UTF-8 first (so a bad byte is named by its
/// offset), then JSON.
///
/// # Errors
///
/// As [`read_json`], less the content type and size.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let text = std::str::from_utf8(bytes).map_err(|e| ApiError::InvalidUtf8 {
        offset: e.valid_up_to(),
    })?;
    serde_json::from_str(text).map_err(|e| ApiError::from_json(&e))
}

/// Accepts `application/json` and `application/*+json`, with no charset
/// or `charset=utf-8`: JSON is UTF-8 (RFC 8259).
fn check_content_type(headers: &HeaderMap) -> Result<(), ApiError> {
    let raw = headers.get(header::CONTENT_TYPE);
    let refuse = || ApiError::UnsupportedMediaType {
        got: raw.map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()),
    };
    let value = raw.and_then(|v| v.to_str().ok()).ok_or_else(refuse)?;
    let mut parts = value.split(';');
    let essence = parts.next().unwrap_or("").trim().to_ascii_lowercase();
    let json = essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"));
    if !json {
        return Err(refuse());
    }
    for param in parts {
        let (name, value) = param.split_once('=').unwrap_or((param, ""));
        if name.trim().eq_ignore_ascii_case("charset") {
            let charset = value.trim().trim_matches('"');
            if !charset.eq_ignore_ascii_case("utf-8") && !charset.eq_ignore_ascii_case("utf8") {
                return Err(refuse());
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with_type(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn content_types() {
        assert!(check_content_type(&with_type("application/json")).is_ok());
        assert!(check_content_type(&with_type("Application/JSON; charset=UTF-8")).is_ok());
        assert!(check_content_type(&with_type("application/vnd.x+json")).is_ok());
        assert!(check_content_type(&with_type("text/plain")).is_err());
        assert!(check_content_type(&with_type("application/json; charset=gbk")).is_err());
        assert!(check_content_type(&HeaderMap::new()).is_err());
    }

    #[test]
    fn invalid_utf8_names_the_offset() {
        let err = parse_json::<serde_json::Value>(b"{\"text\": \"ab\xff\"}").unwrap_err();
        assert!(
            matches!(err, ApiError::InvalidUtf8 { offset: 12 }),
            "{err:?}"
        );
    }

    #[test]
    fn syntax_and_type_errors_say_where() {
        let err = parse_json::<Vec<u32>>(b"[1,\n 2,,]").unwrap_err();
        assert!(
            matches!(
                err,
                ApiError::MalformedJson {
                    line: 2,
                    column: 4,
                    ..
                }
            ),
            "{err:?}"
        );
        let err = parse_json::<Vec<u32>>(b"[1, \"x\"]").unwrap_err();
        assert!(
            matches!(err, ApiError::InvalidRequest { line: 1, .. }),
            "{err:?}"
        );
    }
}
