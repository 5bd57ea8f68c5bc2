//! Binding, serving, signals and graceful shutdown.

use crate::audit::{AuditConfig, AuditError, AuditLog};
use crate::auth::{TokenFileError, TokenStore};
use crate::config::{ConfigError, Limits, ServeConfig, TlsFiles};
use crate::log::Logger;
use crate::policy::{PolicySource, ScreenerCell};
use crate::routes::router;
use crate::state::AppState;
use crate::tls::{self, TlsError};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use serde_json::json;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio_rustls::TlsAcceptor;
use xianshen::PolicyError;

/// How long a shutdown lets open connections take one more request
/// (answered with `Connection: close`) before closing the idle ones.
pub const SHUTDOWN_LINGER: Duration = Duration::from_secs(1);

/// Why the service could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServeError {
    /// A bad configuration.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A bad token file.
    #[error(transparent)]
    Tokens(#[from] TokenFileError),
    /// The policy does not load.
    #[error("policy: {0}")]
    Policy(#[from] PolicyError),
    /// The decision log cannot be opened.
    #[error(transparent)]
    Audit(#[from] AuditError),
    /// The TLS certificate or key cannot be used.
    #[error(transparent)]
    Tls(#[from] TlsError),
    /// Binding or serving failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// Why it failed.
        source: std::io::Error,
    },
}

/// Everything a [`Server`] is made of, before it binds.
///
/// # Examples
///
/// ```no_run
/// # async fn demo() -> Result<(), xianshen_serve::ServeError> {
/// use xianshen_serve::{PolicySource, ServerBuilder};
/// let server = ServerBuilder::new()
///     .listen("127.0.0.1:0".parse().unwrap())
///     .policy(PolicySource::Embedded)
///     .bind()
///     .await?;
/// let handle = server.handle();
/// let task = tokio::spawn(server.run());
/// handle.shutdown();
/// task.await.ok();
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct ServerBuilder {
    listen: SocketAddr,
    policy: PolicySource,
    limits: Limits,
    tokens: TokenStore,
    logger: Logger,
    audit: Option<AuditConfig>,
    tls: Option<TlsFiles>,
}

impl Default for ServerBuilder {
    fn default() -> Self {
        let config = ServeConfig::default();
        ServerBuilder {
            listen: config.listen,
            policy: PolicySource::Embedded,
            limits: config.limits,
            tokens: TokenStore::open(),
            logger: Logger::stderr(),
            audit: None,
            tls: None,
        }
    }
}

impl ServerBuilder {
    /// Defaults: loopback, the embedded policy, default limits, no
    /// tokens, log to stderr.
    pub fn new() -> Self {
        ServerBuilder::default()
    }

    /// From a configuration: its address, policy file, limits and tokens.
    ///
    /// # Errors
    ///
    /// [`ServeError::Config`] for bad limits, [`ServeError::Tokens`] for an
    /// unreadable or bad token file.
    pub fn from_config(config: &ServeConfig) -> Result<Self, ServeError> {
        config.validate()?;
        Ok(ServerBuilder {
            listen: config.listen,
            policy: config
                .policy
                .clone()
                .map_or(PolicySource::Embedded, PolicySource::File),
            limits: config.limits.clone(),
            tokens: TokenStore::load(
                config.auth.tokens.as_deref(),
                config.auth.admin_tokens.as_deref(),
            )?,
            logger: Logger::stderr(),
            audit: config.audit.clone(),
            tls: config.tls.clone(),
        })
    }

    /// The address to bind (port 0: any free port).
    pub fn listen(mut self, addr: SocketAddr) -> Self {
        self.listen = addr;
        self
    }

    /// Where the policy comes from.
    pub fn policy(mut self, source: PolicySource) -> Self {
        self.policy = source;
        self
    }

    /// The request limits.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The accepted tokens.
    pub fn tokens(mut self, tokens: TokenStore) -> Self {
        self.tokens = tokens;
        self
    }

    /// Where log lines go.
    pub fn logger(mut self, logger: Logger) -> Self {
        self.logger = logger;
        self
    }

    /// Keep the hash-chained decision log ([`crate::audit`]).
    pub fn audit(mut self, audit: Option<AuditConfig>) -> Self {
        self.audit = audit;
        self
    }

    /// Serve HTTPS with this certificate and key ([`crate::tls`]).
    pub fn tls(mut self, tls: Option<TlsFiles>) -> Self {
        self.tls = tls;
        self
    }

    /// Loads the policy (on a blocking thread) and binds the address.
    ///
    /// # Errors
    ///
    /// [`ServeError::Config`] for unusable limits, [`ServeError::Policy`]
    /// with file, line and column, [`ServeError::Audit`] when the decision
    /// log cannot be opened, [`ServeError::Tls`] naming a certificate or
    /// key file that cannot be used, or [`ServeError::Io`] when the address
    /// cannot be bound.
    pub async fn bind(self) -> Result<Server, ServeError> {
        ServeConfig {
            limits: self.limits.clone(),
            ..ServeConfig::default()
        }
        .validate()?;
        let source = self.policy.clone();
        let cell = tokio::task::spawn_blocking(move || ScreenerCell::new(source))
            .await
            .map_err(|e| ServeError::Io {
                context: "loading the policy".into(),
                source: std::io::Error::other(e.to_string()),
            })??;
        let tls = self.tls.as_ref().map(tls::acceptor).transpose()?;
        let listener = TcpListener::bind(self.listen)
            .await
            .map_err(|source| ServeError::Io {
                context: format!("cannot listen on {}", self.listen),
                source,
            })?;
        let local_addr = listener.local_addr().map_err(|source| ServeError::Io {
            context: "local address".into(),
            source,
        })?;
        if !self.tokens.enabled() && !local_addr.ip().is_loopback() {
            self.logger.warn(
                "no_authentication",
                json!({"listen": local_addr.to_string(),
                       "message": "no tokens configured and not on loopback: anyone who reaches this address can screen and reload"}),
            );
        }
        let audit = self.audit.as_ref().map(AuditLog::open).transpose()?;
        let state = AppState::new(cell, self.tokens, self.limits, self.logger, audit);
        let (shutdown, _) = watch::channel(false);
        Ok(Server {
            listener,
            local_addr,
            tls,
            handle: ServerHandle { state, shutdown },
        })
    }
}

/// A bound service, ready to run.
pub struct Server {
    listener: TcpListener,
    local_addr: SocketAddr,
    tls: Option<TlsAcceptor>,
    handle: ServerHandle,
}

/// Controls a running [`Server`]: reload its policy, shut it down.
#[derive(Clone, Debug)]
pub struct ServerHandle {
    state: AppState,
    shutdown: watch::Sender<bool>,
}

impl ServerHandle {
    /// Starts a graceful shutdown: `/readyz` turns 503, no new connection
    /// is accepted, requests in flight are answered, then
    /// [`Server::run`] returns.
    pub fn shutdown(&self) {
        self.state.begin_shutdown();
        self.shutdown.send_replace(true);
    }

    /// Reloads the policy, as SIGHUP does.
    ///
    /// # Errors
    ///
    /// As [`AppState::reload`]; the old policy keeps serving.
    pub async fn reload(&self) -> Result<crate::policy::Reloaded, crate::error::ApiError> {
        self.state.reload("signal").await
    }

    /// The shared state (screener, metrics…).
    pub fn state(&self) -> &AppState {
        &self.state
    }
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("local_addr", &self.local_addr)
            .field("tls", &self.tls.is_some())
            .finish_non_exhaustive()
    }
}

impl Server {
    /// The address actually bound (with the port chosen for port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// A handle to reload or shut down the running server.
    pub fn handle(&self) -> ServerHandle {
        self.handle.clone()
    }

    /// Serves until [`ServerHandle::shutdown`], then drains requests in
    /// flight: no new connection is accepted; for up to
    /// [`SHUTDOWN_LINGER`] each open connection answers its next request
    /// with `Connection: close` and closes; then idle connections close,
    /// and each busy one after its current response. Draining waits at
    /// most the request timeout and a second (a request cannot run longer),
    /// then drops what is left.
    ///
    /// Each connection must send its request head within the request
    /// timeout, so a client trickling headers cannot hold a connection.
    ///
    /// # Errors
    ///
    /// None yet: accept errors (such as running out of file descriptors)
    /// are logged and retried.
    pub async fn run(self) -> Result<(), ServeError> {
        let state = self.handle.state.clone();
        let mut stop = self.handle.shutdown.subscribe();
        let app = router(state.clone());
        let timeout = state.limits().request_timeout();
        state.logger().info(
            "listening",
            json!({
                "listen": self.local_addr.to_string(),
                "policy_fingerprint": state.fingerprint(),
                "policy_source": state.screener().source().describe(),
                "auth": state.tokens().enabled(),
                "tls": self.tls.is_some(),
            }),
        );
        let mut http = hyper::server::conn::http1::Builder::new();
        http.timer(TokioTimer::new()).header_read_timeout(timeout);
        let graceful = GracefulShutdown::new();
        loop {
            let accepted = tokio::select! {
                accepted = self.listener.accept() => accepted,
                _ = stop.wait_for(|stopping| *stopping) => break,
            };
            let stream = match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    state
                        .logger()
                        .error("accept_failed", json!({"message": e.to_string()}));
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            };
            let service = TowerToHyperService::new(app.clone());
            match &self.tls {
                None => {
                    let connection = http.serve_connection(TokioIo::new(stream), service);
                    let connection = graceful.watch(connection);
                    tokio::spawn(async move {
                        // A connection error (a client gone, a bad request
                        // head) is the client's business; hyper answered what
                        // it could.
                        let _ = connection.await;
                    });
                }
                Some(acceptor) => {
                    let acceptor = acceptor.clone();
                    let http = http.clone();
                    let watcher = graceful.watcher();
                    tokio::spawn(async move {
                        // The handshake gets the request timeout too: a
                        // client that never finishes it holds nothing.
                        let Ok(Ok(stream)) =
                            tokio::time::timeout(timeout, acceptor.accept(stream)).await
                        else {
                            return;
                        };
                        let connection = http.serve_connection(TokioIo::new(stream), service);
                        let _ = watcher.watch(connection).await;
                    });
                }
            }
        }
        drop(self.listener);
        // A busy keep-alive connection takes its next request, answered
        // with `Connection: close` (`middleware::observe` adds it once the
        // shutdown began), then closes: a request a client has already
        // written is answered, not cut off unread. Connections still open
        // after the linger are idle and closed below.
        let linger = Instant::now() + SHUTDOWN_LINGER.min(timeout);
        while graceful.count() > 0 && Instant::now() < linger {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let open = graceful.count();
        let drain = timeout + Duration::from_secs(1);
        if tokio::time::timeout(drain, graceful.shutdown())
            .await
            .is_err()
        {
            state.logger().warn(
                "drain_timeout",
                json!({"message": "connections still open after the drain time are dropped",
                       "connections": open}),
            );
        }
        state.logger().info("stopped", json!({}));
        Ok(())
    }
}

/// Runs the service from a configuration until SIGTERM or ctrl-c (then
/// drains requests in flight); SIGHUP reloads the policy. Builds its own
/// multi-threaded tokio runtime: this is what `xianshen serve` calls.
///
/// # Errors
///
/// [`ServeError`] when the service cannot start or fails.
pub fn serve_blocking(config: &ServeConfig) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|source| ServeError::Io {
            context: "starting the runtime".into(),
            source,
        })?;
    runtime.block_on(async {
        let server = ServerBuilder::from_config(config)?.bind().await?;
        run_until_signal(server).await
    })
}

/// Runs a bound server until SIGTERM or ctrl-c, then drains requests in
/// flight; SIGHUP reloads the policy meanwhile. The handlers are in
/// place before this returns its first poll's work to the runtime.
///
/// # Errors
///
/// As [`Server::run`], or [`ServeError::Io`] when the signal handlers
/// cannot be installed.
pub async fn run_until_signal(server: Server) -> Result<(), ServeError> {
    let signals = Signals::install().map_err(|source| ServeError::Io {
        context: "installing signal handlers".into(),
        source,
    })?;
    let watcher = tokio::spawn(signals.watch(server.handle()));
    let result = server.run().await;
    watcher.abort();
    result
}

/// The signals the service answers.
struct Signals {
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
    #[cfg(unix)]
    hangup: tokio::signal::unix::Signal,
}

impl Signals {
    fn install() -> std::io::Result<Signals> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            Ok(Signals {
                terminate: signal(SignalKind::terminate())?,
                hangup: signal(SignalKind::hangup())?,
            })
        }
        #[cfg(not(unix))]
        {
            Ok(Signals {})
        }
    }

    /// SIGTERM and ctrl-c shut down; SIGHUP reloads.
    async fn watch(mut self, handle: ServerHandle) {
        #[cfg(unix)]
        loop {
            tokio::select! {
                _ = self.terminate.recv() => break,
                _ = tokio::signal::ctrl_c() => break,
                _ = self.hangup.recv() => {
                    // Failures are logged by `reload`; the old policy serves on.
                    let _ = handle.reload().await;
                }
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
        handle.state().logger().info(
            "shutting_down",
            json!({"message": "draining requests in flight"}),
        );
        handle.shutdown();
    }
}
