//! What every request shares: the screener cell, tokens, limits, metrics,
//! the log and the concurrency gate.

use crate::audit::AuditLog;
use crate::auth::TokenStore;
use crate::config::Limits;
use crate::error::ApiError;
use crate::log::Logger;
use crate::metrics::Metrics;
use crate::policy::{ReloadError, Reloaded, ScreenerCell};
use serde_json::json;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use tokio::sync::Semaphore;

/// The shared state of one running service. Cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState {
    inner: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    screener: ScreenerCell,
    tokens: TokenStore,
    limits: Limits,
    metrics: Metrics,
    logger: Logger,
    in_flight: Arc<Semaphore>,
    shutting_down: AtomicBool,
    request_seq: AtomicU64,
    /// Distinguishes request ids of this process from an earlier one's.
    boot: u64,
    audit: Option<AuditLog>,
}

impl AppState {
    /// State for a service with this screener, tokens, limits, log and
    /// decision log (none: not kept).
    pub fn new(
        screener: ScreenerCell,
        tokens: TokenStore,
        limits: Limits,
        logger: Logger,
        audit: Option<AuditLog>,
    ) -> Self {
        let boot = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
            & 0xff_ffff;
        AppState {
            inner: Arc::new(Shared {
                screener,
                in_flight: Arc::new(Semaphore::new(limits.concurrent_requests)),
                tokens,
                limits,
                metrics: Metrics::default(),
                logger,
                shutting_down: AtomicBool::new(false),
                request_seq: AtomicU64::new(0),
                boot,
                audit,
            }),
        }
    }

    /// The decision log, when one is kept.
    pub fn audit(&self) -> Option<&AuditLog> {
        self.inner.audit.as_ref()
    }

    /// The screener cell.
    pub fn screener(&self) -> &ScreenerCell {
        &self.inner.screener
    }

    /// The fingerprint of the policy serving now.
    pub fn fingerprint(&self) -> String {
        self.inner
            .screener
            .current()
            .policy()
            .fingerprint()
            .to_string()
    }

    /// The accepted tokens.
    pub fn tokens(&self) -> &TokenStore {
        &self.inner.tokens
    }

    /// The request limits.
    pub fn limits(&self) -> &Limits {
        &self.inner.limits
    }

    /// The metrics.
    pub fn metrics(&self) -> &Metrics {
        &self.inner.metrics
    }

    /// The log.
    pub fn logger(&self) -> &Logger {
        &self.inner.logger
    }

    /// The gate that bounds requests in flight.
    pub fn in_flight(&self) -> &Arc<Semaphore> {
        &self.inner.in_flight
    }

    /// Requests holding a slot of the concurrency gate now.
    pub fn requests_in_flight(&self) -> usize {
        self.inner
            .limits
            .concurrent_requests
            .saturating_sub(self.inner.in_flight.available_permits())
    }

    /// Whether a shutdown has begun (`/readyz` answers 503).
    pub fn shutting_down(&self) -> bool {
        self.inner.shutting_down.load(Ordering::Acquire)
    }

    /// Marks the service as shutting down.
    pub fn begin_shutdown(&self) {
        self.inner.shutting_down.store(true, Ordering::Release);
    }

    /// A new request id: this process's boot stamp and a sequence number.
    pub fn next_request_id(&self) -> String {
        let n = self.inner.request_seq.fetch_add(1, Ordering::Relaxed) + 1;
        format!("{:06x}-{n:08x}", self.inner.boot)
    }

    /// Reloads the policy (from `POST /v1/admin/reload` or SIGHUP), counts
    /// and logs the result. `trigger` names who asked.
    ///
    /// # Errors
    ///
    /// [`ApiError::PolicyInvalid`] (the old policy keeps serving) or
    /// [`ApiError::Internal`].
    pub async fn reload(&self, trigger: &str) -> Result<Reloaded, ApiError> {
        let source = self.inner.screener.source().describe();
        match self.inner.screener.reload().await {
            Ok(done) => {
                self.inner.metrics.reload(true);
                self.inner.logger.info(
                    "policy_reloaded",
                    json!({
                        "trigger": trigger,
                        "source": source,
                        "previous_fingerprint": done.previous,
                        "policy_fingerprint": done.current,
                    }),
                );
                Ok(done)
            }
            Err(e) => {
                self.inner.metrics.reload(false);
                let error = match e {
                    ReloadError::Policy(p) => ApiError::PolicyInvalid(p),
                    ReloadError::Panicked(m) => ApiError::Internal(m),
                };
                self.inner.logger.error(
                    "policy_reload_failed",
                    json!({
                        "trigger": trigger,
                        "source": source,
                        "error": error.body()["error"],
                        "policy_fingerprint": self.fingerprint(),
                    }),
                );
                Err(error)
            }
        }
    }
}
