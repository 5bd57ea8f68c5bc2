//! What runs around every request: request ids, metrics and logs, the
//! concurrency gate, the request timeout and authentication.

use crate::auth::{Caller, Role};
use crate::error::{status_body, ApiError, ErrorCode};
use crate::routes::{route_for, Access};
use crate::state::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use std::time::Instant;

/// The response header naming the fingerprint of the policy serving (or,
/// on a screening, the one that decided it).
pub const POLICY_HEADER: &str = "x-xianshen-policy";

/// The request id header, read from the client when it sends a usable
/// one, and always sent back.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// A request's id, in the request's extensions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestId(pub String);

/// A client's request id is kept when it is 1 to 64 chars of letters,
/// digits, `-`, `_`, `.` or `:`; anything else could forge log lines.
fn usable_request_id(value: &HeaderValue) -> Option<String> {
    let s = value.to_str().ok()?;
    let ok = !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'));
    ok.then(|| s.to_string())
}

/// The outermost layer: gives the request an id, times it, counts it per
/// route, makes sure every error body is JSON, names the serving policy
/// on every response, and, once a shutdown began, closes the connection
/// after the response (`Connection: close`).
pub async fn observe(State(app): State<AppState>, mut request: Request, next: Next) -> Response {
    let started = Instant::now();
    let request_id = request
        .headers()
        .get(REQUEST_ID_HEADER)
        .and_then(usable_request_id)
        .unwrap_or_else(|| app.next_request_id());
    request
        .extensions_mut()
        .insert(RequestId(request_id.clone()));
    let method = method_label(request.method());
    // A known path asked with the wrong method counts under its route.
    let known_path = route_for(request.uri().path()).map(|r| r.path);
    let mut response = next.run(request).await;
    // Routed requests carry their matched path on the response too (set by
    // `tag_route`); anything else counts under one label, so that clients
    // probing random paths cannot grow the metrics.
    let route = response
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .or_else(|| known_path.map(str::to_string))
        .unwrap_or_else(|| "unmatched".to_string());
    let status = response.status();
    let code = response.extensions().get::<ErrorCode>().map(|c| c.0);
    if status.as_u16() >= 400 && !is_json(&response) {
        response = json_error(&response);
    }
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        headers.insert(REQUEST_ID_HEADER, v);
    }
    if app.shutting_down() {
        // Tells the client not to send another request on this connection
        // and hyper to close it after this response.
        headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    if !headers.contains_key(POLICY_HEADER) {
        if let Ok(v) = HeaderValue::from_str(&app.fingerprint()) {
            headers.insert(POLICY_HEADER, v);
        }
    }
    let elapsed = started.elapsed();
    app.metrics()
        .request(&route, method, status.as_u16(), elapsed);
    if status.as_u16() >= 400 {
        app.logger().warn(
            "request_failed",
            json!({
                "request_id": request_id,
                "route": route,
                "method": method,
                "status": status.as_u16(),
                "code": code,
                "ms": elapsed.as_secs_f64() * 1000.0,
            }),
        );
    }
    response
}

/// The method as a metrics label: the standard ones, else `OTHER`, so that
/// made-up methods cannot grow the metrics.
fn method_label(method: &axum::http::Method) -> &'static str {
    use axum::http::Method;
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        Method::PATCH => "PATCH",
        _ => "OTHER",
    }
}

/// A JSON error in place of a non-JSON error response (a caught panic, a
/// layer's own answer), keeping its status and the headers that matter.
fn json_error(response: &Response) -> Response {
    let status = response.status();
    let mut replaced = axum::Json(status_body(status)).into_response();
    *replaced.status_mut() = status;
    for name in [header::ALLOW, header::RETRY_AFTER, header::WWW_AUTHENTICATE] {
        if let Some(v) = response.headers().get(&name) {
            replaced.headers_mut().insert(name, v.clone());
        }
    }
    replaced
}

fn is_json(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

/// Copies the matched route onto the response, for `observe`.
pub async fn tag_route(request: Request, next: Next) -> Response {
    let matched = request.extensions().get::<MatchedPath>().cloned();
    let mut response = next.run(request).await;
    if let Some(m) = matched {
        response.extensions_mut().insert(m);
    }
    response
}

/// Past the concurrency limit, answers 503 with `Retry-After` at once
/// instead of queueing. Health and readiness probes are not limited.
pub async fn limit_concurrency(
    State(app): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let limited = request
        .extensions()
        .get::<MatchedPath>()
        .and_then(|p| route_for(p.as_str()))
        .is_none_or(|r| r.limited);
    if !limited {
        return next.run(request).await;
    }
    match app.in_flight().clone().try_acquire_owned() {
        Ok(_permit) => next.run(request).await,
        Err(_) => ApiError::Overloaded {
            limit: app.limits().concurrent_requests,
        }
        .into_response(),
    }
}

/// Answers 408 when reading the request and answering it takes longer
/// than the limit. Screening already handed to a blocking thread runs to
/// its end, but nobody waits for it.
pub async fn timeout(State(app): State<AppState>, request: Request, next: Next) -> Response {
    let limit = app.limits().request_timeout();
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::Timeout {
            millis: app.limits().request_timeout_ms,
        }
        .into_response(),
    }
}

/// Checks the bearer token against the route's access: 401 without a
/// valid token, 403 for a client token on an admin route. With no tokens
/// configured, everyone is an admin (and the service binds to loopback).
pub async fn authorize(State(app): State<AppState>, mut request: Request, next: Next) -> Response {
    let access = request
        .extensions()
        .get::<MatchedPath>()
        .and_then(|p| route_for(p.as_str()))
        .map_or(Access::Admin, |r| r.access);
    if access == Access::Open {
        return next.run(request).await;
    }
    let tokens = app.tokens();
    let caller = if tokens.enabled() {
        let presented = request
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(bearer);
        match presented.and_then(|t| tokens.verify(t)) {
            Some(caller) => caller,
            None => return ApiError::Unauthorized.into_response(),
        }
    } else {
        Caller {
            token_id: "anonymous".into(),
            role: Role::Admin,
        }
    };
    if access == Access::Admin && caller.role != Role::Admin {
        return ApiError::Forbidden {
            action: "reload the policy",
        }
        .into_response();
    }
    request.extensions_mut().insert(caller);
    next.run(request).await
}

/// The token of an `Authorization: Bearer …` value (scheme case-insensitive).
fn bearer(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_tokens_and_request_ids() {
        assert_eq!(bearer("Bearer abc"), Some("abc"));
        assert_eq!(bearer("bearer  abc "), Some("abc"));
        assert_eq!(bearer("Basic abc"), None);
        assert_eq!(bearer("Bearer "), None);
        assert!(usable_request_id(&HeaderValue::from_static("abc-1.2")).is_some());
        assert!(usable_request_id(&HeaderValue::from_static("a b")).is_none());
    }

    #[test]
    fn plain_errors_become_json_with_their_status_and_headers() {
        let mut plain = (axum::http::StatusCode::INTERNAL_SERVER_ERROR, "boom").into_response();
        plain
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        assert!(!is_json(&plain));
        let json = json_error(&plain);
        assert_eq!(json.status(), 500);
        assert!(is_json(&json));
        assert_eq!(json.headers()[header::RETRY_AFTER], "5");
        assert_eq!(
            method_label(&axum::http::Method::from_bytes(b"BREW").unwrap()),
            "OTHER"
        );
    }
}
