//! One handler per route.

use crate::auth::Caller;
use crate::body::read_json;
use crate::compat::Compat;
use crate::error::ApiError;
use crate::middleware::{RequestId, POLICY_HEADER};
use crate::request::{BatchRequest, DraftRequest, ValidDraft};
use crate::screen::{draft_report_json, screen_draft};
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, Uri};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use rayon::prelude::*;
use serde_json::{json, Value};
use std::sync::Arc;
use xianshen::{Report, Screener};

/// `POST /v1/screen`: one draft.
pub async fn screen(
    State(app): State<AppState>,
    Extension(request_id): Extension<RequestId>,
    caller: Option<Extension<Caller>>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let compat = Compat::from_query(query.as_deref())?;
    let request: DraftRequest = read_json(&headers, body, app.limits().body_bytes).await?;
    let draft = request.validate("")?;
    let screener = app.screener().current();
    // A short draft screens in microseconds: handing it to the blocking
    // pool would cost more than the screening (a thread wake-up and two
    // context switches). Long ones go there, so they never stall the
    // runtime's workers.
    let (report, draft) = if draft.text.len() <= INLINE_SCREEN_BYTES {
        let report = screen_draft(&screener, &draft);
        report.map(|r| (r, draft))
    } else {
        run_blocking({
            let screener = Arc::clone(&screener);
            move || screen_draft(&screener, &draft).map(|r| (r, draft))
        })
        .await?
    }
    .map_err(|e| in_field(e, "text"))?;
    record(&app, &request_id, caller.as_deref(), &report)?;
    if compat == Compat::Xianshen {
        let body = xianshen_body(
            &report,
            &draft,
            &request_id.0,
            screener.policy().fingerprint(),
        );
        let response = (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            body,
        );
        return Ok(decided_by(&screener, response.into_response()));
    }
    let body = compat.shape(&report, draft_report_json(&report, &draft)?, &request_id.0);
    Ok(decided_by(&screener, Json(body).into_response()))
}

/// The report JSON as the library writes it, then `input_format`,
/// `request_id` and `policy_fingerprint`: written once, without building a
/// JSON tree (which was a tenth of a short draft's request time).
fn xianshen_body(
    report: &Report,
    draft: &ValidDraft,
    request_id: &str,
    fingerprint: &str,
) -> String {
    let mut body = report.to_json();
    debug_assert!(body.ends_with('}'));
    body.pop();
    for (key, value) in [
        ("input_format", draft.format.as_str()),
        ("request_id", request_id),
        ("policy_fingerprint", fingerprint),
    ] {
        body.push_str(",\"");
        body.push_str(key);
        body.push_str("\":");
        body.push_str(&serde_json::to_string(value).unwrap_or_default());
    }
    body.push('}');
    body
}

/// `POST /v1/screen/batch`: up to the configured number of drafts,
/// screened in parallel on rayon's pool, answered in order.
pub async fn screen_batch(
    State(app): State<AppState>,
    Extension(request_id): Extension<RequestId>,
    caller: Option<Extension<Caller>>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let compat = Compat::from_query(query.as_deref())?;
    let request: BatchRequest = read_json(&headers, body, app.limits().body_bytes).await?;
    let limit = app.limits().batch_drafts;
    if request.drafts.len() > limit {
        return Err(ApiError::BatchTooLarge {
            got: request.drafts.len(),
            limit,
        });
    }
    let drafts: Vec<ValidDraft> = request
        .drafts
        .into_iter()
        .enumerate()
        .map(|(i, d)| d.validate(&format!("drafts[{i}].")))
        .collect::<Result<_, _>>()?;
    let screener = app.screener().current();
    let (reports, drafts) = run_blocking({
        let screener = Arc::clone(&screener);
        move || {
            let reports: Vec<Result<Report, ApiError>> = drafts
                .par_iter()
                .map(|d| screen_draft(&screener, d))
                .collect();
            (reports, drafts)
        }
    })
    .await?;
    let mut results = Vec::with_capacity(reports.len());
    for (i, (report, draft)) in reports.into_iter().zip(&drafts).enumerate() {
        let report = report.map_err(|e| in_field(e, &format!("drafts[{i}].text")))?;
        record(&app, &request_id, caller.as_deref(), &report)?;
        results.push(compat.shape(&report, draft_report_json(&report, draft)?, &request_id.0));
    }
    let body = json!({
        "request_id": request_id.0,
        "policy_fingerprint": screener.policy().fingerprint(),
        "results": results,
    });
    Ok(decided_by(&screener, Json(body).into_response()))
}

/// `GET /v1/policy`: the policy serving now and its rule table.
pub async fn policy(State(app): State<AppState>) -> Response {
    let screener = app.screener().current();
    let policy = screener.policy();
    let rules: Vec<Value> = screener
        .rules()
        .into_iter()
        .map(|r| {
            json!({
                "id": r.id,
                "severity": r.severity,
                "approval": r.approval,
                "enabled": r.enabled,
                "entries": r.entries,
            })
        })
        .collect();
    let body = json!({
        "name": policy.name(),
        "version": policy.version(),
        "fingerprint": policy.fingerprint(),
        "policy_fingerprint": policy.fingerprint(),
        "engine": {"name": "xianshen", "version": xianshen::VERSION},
        "rules": rules,
    });
    decided_by(&screener, Json(body).into_response())
}

/// `POST /v1/admin/reload`: rebuild the policy from its source and swap
/// it in; on failure the old one keeps serving and the error says where.
pub async fn reload(
    State(app): State<AppState>,
    caller: Option<Extension<Caller>>,
) -> Result<Response, ApiError> {
    let trigger = match caller.as_deref() {
        Some(c) => format!("http:{}", c.token_id),
        None => "http".to_string(),
    };
    let done = app.reload(&trigger).await?;
    let screener = app.screener().current();
    let policy = screener.policy();
    let body = json!({
        "reloaded": true,
        "changed": done.previous != done.current,
        "previous_fingerprint": done.previous,
        "policy_fingerprint": done.current,
        "policy": {
            "name": policy.name(),
            "version": policy.version(),
            "fingerprint": policy.fingerprint(),
        },
    });
    Ok(decided_by(&screener, Json(body).into_response()))
}

/// `GET /healthz`: the process is up.
pub async fn healthz() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

/// `GET /readyz`: ready to screen, unless shutting down.
pub async fn readyz(State(app): State<AppState>) -> Result<Json<Value>, ApiError> {
    if app.shutting_down() {
        return Err(ApiError::ShuttingDown);
    }
    Ok(Json(json!({
        "status": "ready",
        "policy_fingerprint": app.fingerprint(),
    })))
}

/// `GET /metrics`: Prometheus text format.
pub async fn metrics(State(app): State<AppState>) -> Response {
    let screener = app.screener().current();
    let policy = screener.policy();
    let text = app.metrics().render(
        [policy.name(), policy.version(), policy.fingerprint()],
        app.requests_in_flight(),
        app.screener().live_generations(),
    );
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
        )],
        text,
    )
        .into_response()
}

/// `GET /v1/openapi.json`: the OpenAPI 3.1 document.
pub async fn openapi() -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        crate::routes::OPENAPI_JSON,
    )
        .into_response()
}

/// No route at this path.
pub async fn not_found(uri: Uri) -> ApiError {
    ApiError::NotFound {
        path: uri.path().to_string(),
    }
}

/// A route that exists, asked with another method.
pub async fn method_not_allowed(method: Method) -> ApiError {
    ApiError::MethodNotAllowed {
        method: method.to_string(),
    }
}

/// Drafts up to this many bytes are screened on the request's own task
/// (about 100 µs at most with the default policy); longer ones on the
/// blocking pool.
const INLINE_SCREEN_BYTES: usize = 16 * 1024;

/// Runs blocking work (screening) off the async runtime.
async fn run_blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| ApiError::Internal(format!("screening failed: {e}")))
}

/// An input error names the field that held the draft.
fn in_field(e: ApiError, field: &str) -> ApiError {
    match e {
        ApiError::Input(message) => ApiError::InvalidField {
            field: field.to_string(),
            message,
        },
        other => other,
    }
}

/// Counts and logs one screening: ids, digest, verdict and rule ids,
/// never the text.
///
/// With a decision log, the screening is appended to it first; a
/// decision that cannot be logged is not answered (500), so that no
/// draft is cleared without its record.
fn record(
    app: &AppState,
    request_id: &RequestId,
    caller: Option<&Caller>,
    report: &Report,
) -> Result<(), ApiError> {
    if let Some(audit) = app.audit() {
        audit
            .record(&request_id.0, caller.map(|c| c.token_id.as_str()), report)
            .map_err(|e| {
                app.logger().error(
                    "audit_write_failed",
                    json!({"request_id": request_id.0, "message": e.to_string()}),
                );
                ApiError::Internal(format!("the decision log cannot be written: {e}"))
            })?;
    }
    app.metrics().screened(report);
    let mut rules: Vec<&str> = report.findings.iter().map(|f| f.rule.as_str()).collect();
    rules.sort_unstable();
    rules.dedup();
    app.logger().info_batched(
        "screened",
        ScreenedLine {
            request_id: &request_id.0,
            token_id: caller.map(|c| c.token_id.as_str()),
            input_sha256: &report.input.sha256,
            input_bytes: report.input.bytes,
            verdict: report.verdict,
            approval: report.approval,
            findings: report.findings.len(),
            rules,
            policy_fingerprint: &report.policy.fingerprint,
        },
    );
    Ok(())
}

/// The log line of a screening: ids, digest, verdict and rule ids, never
/// the draft's text.
#[derive(serde::Serialize)]
struct ScreenedLine<'a> {
    request_id: &'a str,
    token_id: Option<&'a str>,
    input_sha256: &'a str,
    input_bytes: usize,
    verdict: xianshen::Verdict,
    approval: xianshen::Approval,
    findings: usize,
    rules: Vec<&'a str>,
    policy_fingerprint: &'a str,
}

/// Names the policy that decided a response in its header.
fn decided_by(screener: &Screener, mut response: Response) -> Response {
    if let Ok(value) = HeaderValue::from_str(screener.policy().fingerprint()) {
        response.headers_mut().insert(POLICY_HEADER, value);
    }
    response
}
