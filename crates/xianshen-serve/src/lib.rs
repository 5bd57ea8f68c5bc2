//! `xianshen serve`: the screening engine as an on-premise HTTP service,
//! for CMSs that can call a URL but cannot link a library.
//!
//! The main types:
//!
//! - [`ServeConfig`]: where to listen, the policy file, [`Limits`] and
//!   token files; read from TOML ([`ServeConfig::from_file`]).
//! - [`ServerBuilder`] → [`Server`]: binds, then [`Server::run`] serves
//!   until [`ServerHandle::shutdown`], draining requests in flight.
//! - [`PolicySource`] and [`policy::ScreenerCell`]: the screener in
//!   service, rebuilt off the request path and swapped atomically on
//!   reload (`POST /v1/admin/reload`, SIGHUP).
//! - [`audit`]: the optional hash-chained decision log, and
//!   [`audit::verify`] (`xianshen audit verify LOG`).
//! - [`ApiError`]: every error answered, as
//!   `{"error": {"code", "message", …}}` with its status.
//!
//! The routes are in [`routes::ROUTES`] and in the OpenAPI 3.1 document
//! `openapi.json` ([`routes::OPENAPI_JSON`]), served at
//! `GET /v1/openapi.json`.
//!
//! # Example
//!
//! ```no_run
//! # async fn demo() -> Result<(), xianshen_serve::ServeError> {
//! use xianshen_serve::{PolicySource, ServerBuilder};
//!
//! let server = ServerBuilder::new()
//!     .listen("127.0.0.1:0".parse().unwrap())
//!     .policy(PolicySource::File("policy.toml".into()))
//!     .bind()
//!     .await?;
//! println!("listening on {}", server.local_addr());
//! let handle = server.handle();
//! let serving = tokio::spawn(server.run());
//! // … POST {"text": "本店出售冰毒"} to /v1/screen …
//! handle.shutdown();
//! serving.await.ok();
//! # Ok(()) }
//! ```

#![deny(missing_docs)]

pub mod audit;
pub mod auth;
pub mod body;
pub mod compat;
pub mod config;
pub mod error;
pub mod handlers;
pub mod log;
pub mod metrics;
pub mod middleware;
pub mod policy;
pub mod request;
pub mod routes;
pub mod screen;
pub mod server;
pub mod state;
pub mod tls;

pub use config::{ConfigError, Limits, ServeConfig, TlsFiles, DEFAULT_LISTEN};
pub use error::ApiError;
pub use policy::PolicySource;
pub use server::{
    run_until_signal, serve_blocking, ServeError, Server, ServerBuilder, ServerHandle,
};
