//! The service's configuration: where to listen, which policy, limits and
//! token files. Read from a TOML file (`--config`), then overridden by
//! command-line flags.

use crate::audit::AuditConfig;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The address the service listens on when none is given: loopback only,
/// so that a service started without tokens is not open to the network.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8731";

/// The largest `limits.body_bytes` accepted: the engine keeps offsets in
/// 32 bits, and a draft of a gigabyte is no draft.
pub const MAX_BODY_BYTES: usize = 1 << 30;

/// Everything `xianshen serve` needs to run.
///
/// # Examples
///
/// ```
/// use xianshen_serve::ServeConfig;
/// let config = ServeConfig::from_toml(
///     "listen = \"127.0.0.1:9000\"\n[limits]\nbatch_drafts = 10\n",
///     None,
/// ).unwrap();
/// assert_eq!(config.limits.batch_drafts, 10);
/// assert_eq!(config.listen.port(), 9000);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServeConfig {
    /// The socket address to bind.
    pub listen: SocketAddr,
    /// The policy file (`None`: the embedded default policy).
    pub policy: Option<PathBuf>,
    /// Request limits.
    pub limits: Limits,
    /// Files of hashed bearer tokens (none: no authentication).
    pub auth: AuthFiles,
    /// The hash-chained decision log (none: not kept).
    pub audit: Option<AuditConfig>,
    /// Serve HTTPS with this certificate and key (none: plain HTTP, for
    /// loopback or behind the unit's reverse proxy).
    pub tls: Option<TlsFiles>,
}

/// The certificate chain and private key of `[tls]`, PEM files.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TlsFiles {
    /// The certificate chain, leaf first (PEM).
    pub cert: PathBuf,
    /// The private key (PEM: PKCS#8, PKCS#1 or SEC1).
    pub key: PathBuf,
}

/// Limits on what one request may ask for.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Largest request body, in bytes (413 past it).
    pub body_bytes: usize,
    /// Most drafts in one batch (422 past it).
    pub batch_drafts: usize,
    /// Most requests handled at once (503 with `Retry-After` past it).
    pub concurrent_requests: usize,
    /// Longest time to read a request and answer it, in milliseconds (408
    /// past it).
    pub request_timeout_ms: u64,
}

impl Limits {
    /// The request timeout as a duration.
    pub fn request_timeout(&self) -> Duration {
        Duration::from_millis(self.request_timeout_ms)
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            body_bytes: 4 << 20,
            batch_drafts: 100,
            concurrent_requests: 256,
            request_timeout_ms: 30_000,
        }
    }
}

/// Where the bearer tokens are: files of `id:sha256hex` lines.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AuthFiles {
    /// Tokens that may screen and read the policy and metrics.
    pub tokens: Option<PathBuf>,
    /// Tokens that may also reload the policy.
    pub admin_tokens: Option<PathBuf>,
}

impl Default for ServeConfig {
    fn default() -> Self {
        ServeConfig {
            listen: DEFAULT_LISTEN
                .parse()
                .unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 8731))),
            policy: None,
            limits: Limits::default(),
            auth: AuthFiles::default(),
            audit: None,
            tls: None,
        }
    }
}

/// The configuration file's shape.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    listen: Option<String>,
    policy: Option<PathBuf>,
    #[serde(default)]
    limits: Limits,
    #[serde(default)]
    auth: AuthFiles,
    audit: Option<AuditConfig>,
    tls: Option<TlsFiles>,
}

/// A configuration that cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The file could not be read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Bad TOML, an unknown key or a value of the wrong type.
    #[error("{path}:{line}:{column}: {message}")]
    Syntax {
        /// The file (`<config>` for text).
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column, in chars.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A value that is not acceptable.
    #[error("{0}")]
    Invalid(String),
}

impl ServeConfig {
    /// Reads a configuration file; relative paths in it are resolved
    /// against its folder.
    ///
    /// # Errors
    ///
    /// [`ConfigError`] naming the file, line and column.
    pub fn from_file(path: &Path) -> Result<ServeConfig, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let mut config = ServeConfig::from_toml(&text, Some(path))?;
        let base = path.parent().unwrap_or(Path::new("."));
        let resolve = |p: &mut Option<PathBuf>| {
            if let Some(p) = p {
                if p.is_relative() {
                    *p = base.join(&*p);
                }
            }
        };
        resolve(&mut config.policy);
        resolve(&mut config.auth.tokens);
        resolve(&mut config.auth.admin_tokens);
        if let Some(audit) = &mut config.audit {
            if audit.path.is_relative() {
                audit.path = base.join(&audit.path);
            }
        }
        if let Some(tls) = &mut config.tls {
            for p in [&mut tls.cert, &mut tls.key] {
                if p.is_relative() {
                    *p = base.join(&*p);
                }
            }
        }
        Ok(config)
    }

    /// Parses configuration text (`path` only names it in errors).
    ///
    /// # Errors
    ///
    /// [`ConfigError`] naming line and column.
    pub fn from_toml(text: &str, path: Option<&Path>) -> Result<ServeConfig, ConfigError> {
        let name = path.map_or_else(|| PathBuf::from("<config>"), Path::to_path_buf);
        let file: ConfigFile = toml::from_str(text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start).min(text.len());
            let (line, column) = line_column(text, offset);
            ConfigError::Syntax {
                path: name.clone(),
                line,
                column,
                message: e.message().to_string(),
            }
        })?;
        let mut config = ServeConfig::default();
        if let Some(listen) = file.listen {
            config.listen = parse_listen(&listen)?;
        }
        config.policy = file.policy;
        config.limits = file.limits;
        config.auth = file.auth;
        config.audit = file.audit;
        config.tls = file.tls;
        config.validate()?;
        Ok(config)
    }

    /// Checks that every limit is usable.
    ///
    /// # Errors
    ///
    /// [`ConfigError::Invalid`] naming the limit.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let l = &self.limits;
        for (name, value) in [
            ("body_bytes", l.body_bytes as u64),
            ("batch_drafts", l.batch_drafts as u64),
            ("concurrent_requests", l.concurrent_requests as u64),
            ("request_timeout_ms", l.request_timeout_ms),
        ] {
            if value == 0 {
                return Err(ConfigError::Invalid(format!(
                    "limits.{name} must be at least 1"
                )));
            }
        }
        if self
            .audit
            .as_ref()
            .is_some_and(|a| a.rotate_bytes == Some(0))
        {
            return Err(ConfigError::Invalid(
                "audit.rotate_bytes must be at least 1".into(),
            ));
        }
        if l.body_bytes > MAX_BODY_BYTES {
            return Err(ConfigError::Invalid(format!(
                "limits.body_bytes must be at most {MAX_BODY_BYTES}"
            )));
        }
        Ok(())
    }
}

/// Parses a listen address: `HOST:PORT`, or a bare port (on loopback).
///
/// # Errors
///
/// [`ConfigError::Invalid`] when it is neither.
pub fn parse_listen(text: &str) -> Result<SocketAddr, ConfigError> {
    if let Ok(port) = text.parse::<u16>() {
        return Ok(SocketAddr::from(([127, 0, 0, 1], port)));
    }
    text.parse().map_err(|_| {
        ConfigError::Invalid(format!(
            "listen address {text:?} is not HOST:PORT (e.g. 127.0.0.1:8731)"
        ))
    })
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut at = offset;
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_names_line_and_column() {
        let err = ServeConfig::from_toml("listen = \"127.0.0.1:1\"\n[limits]\nbody = 3\n", None)
            .unwrap_err();
        match err {
            ConfigError::Syntax { line, column, .. } => assert_eq!((line, column), (3, 1)),
            other => panic!("unexpected {other}"),
        }
    }

    #[test]
    fn zero_limits_are_refused() {
        assert!(ServeConfig::from_toml("[limits]\nbatch_drafts = 0\n", None).is_err());
        assert!(ServeConfig::from_toml("[limits]\nbody_bytes = 4294967296\n", None).is_err());
    }

    #[test]
    fn the_audit_table_is_read_and_resolved() {
        let config =
            ServeConfig::from_toml("[audit]\npath = \"d.jsonl\"\nrotate_bytes = 10\n", None)
                .unwrap();
        let audit = config.audit.unwrap();
        assert_eq!(audit.path, PathBuf::from("d.jsonl"));
        assert_eq!(audit.rotate_bytes, Some(10));
        assert!(ServeConfig::from_toml("[audit]\npath = \"d\"\nrotate_bytes = 0\n", None).is_err());
        assert!(ServeConfig::from_toml("[audit]\nfile = \"d\"\n", None).is_err());
    }

    #[test]
    fn bare_port_listens_on_loopback() {
        assert_eq!(parse_listen("9000").unwrap().to_string(), "127.0.0.1:9000");
    }
}
