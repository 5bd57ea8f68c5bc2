//! Bearer tokens: files of `id:sha256hex` lines, kept hashed, compared in
//! constant time.
//!
//! The service never sees a token in the clear except in a request: it
//! hashes what the client presents and compares the digest with every
//! stored one, without stopping at the first match, so neither the time
//! nor the order of the file tells which token is close.

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use subtle::ConstantTimeEq;

/// What a token may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// Screen drafts, read the policy and the metrics.
    Client,
    /// Also reload the policy.
    Admin,
}

/// One stored token: its id (for logs) and the sha256 of the token.
#[derive(Clone, Debug, PartialEq, Eq)]
struct StoredToken {
    id: String,
    digest: [u8; 32],
    role: Role,
}

/// Who a request is, once its token checked out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller {
    /// The token's id from the file (`anonymous` when auth is off).
    pub token_id: String,
    /// What it may do.
    pub role: Role,
}

/// A token file that cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TokenFileError {
    /// The file could not be read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A line that is not `id:sha256hex`.
    #[error("{path}:{line}: {message} (expected `id:` and 64 hex digits of the token's sha256)")]
    BadLine {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// The tokens the service accepts. Empty: authentication is off.
///
/// # Examples
///
/// ```
/// use xianshen_serve::auth::{sha256_hex, Role, TokenStore};
/// let line = format!("cms:{}\n", sha256_hex("s3cret"));
/// let store = TokenStore::parse(&line, "", std::path::Path::new("tokens")).unwrap();
/// assert_eq!(store.verify("s3cret").unwrap().role, Role::Client);
/// assert!(store.verify("guess").is_none());
/// ```
#[derive(Clone, Debug, Default)]
pub struct TokenStore {
    tokens: Vec<StoredToken>,
}

impl TokenStore {
    /// No tokens: every request is allowed.
    pub fn open() -> TokenStore {
        TokenStore::default()
    }

    /// Whether authentication is on (some token is configured).
    pub fn enabled(&self) -> bool {
        !self.tokens.is_empty()
    }

    /// Reads the client and admin token files (either may be absent).
    ///
    /// # Errors
    ///
    /// [`TokenFileError`] naming the file and line.
    pub fn load(tokens: Option<&Path>, admin: Option<&Path>) -> Result<TokenStore, TokenFileError> {
        let read = |path: Option<&Path>| -> Result<String, TokenFileError> {
            match path {
                None => Ok(String::new()),
                Some(p) => std::fs::read_to_string(p).map_err(|source| TokenFileError::Io {
                    path: p.to_path_buf(),
                    source,
                }),
            }
        };
        let mut store = TokenStore::default();
        store.add(
            &read(tokens)?,
            Role::Client,
            tokens.unwrap_or(Path::new("")),
        )?;
        store.add(&read(admin)?, Role::Admin, admin.unwrap_or(Path::new("")))?;
        Ok(store)
    }

    /// Parses client and admin token texts (`path` names them in errors).
    ///
    /// # Errors
    ///
    /// [`TokenFileError::BadLine`] for a line that is not `id:sha256hex`.
    pub fn parse(tokens: &str, admin: &str, path: &Path) -> Result<TokenStore, TokenFileError> {
        let mut store = TokenStore::default();
        store.add(tokens, Role::Client, path)?;
        store.add(admin, Role::Admin, path)?;
        Ok(store)
    }

    fn add(&mut self, text: &str, role: Role, path: &Path) -> Result<(), TokenFileError> {
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = |message: &str| TokenFileError::BadLine {
                path: path.to_path_buf(),
                line: i + 1,
                message: message.to_string(),
            };
            let (id, hex) = line.rsplit_once(':').ok_or_else(|| bad("no `:`"))?;
            let id = id.trim();
            if id.is_empty() {
                return Err(bad("empty id"));
            }
            let digest = parse_digest(hex.trim()).ok_or_else(|| bad("not 64 hex digits"))?;
            self.tokens.push(StoredToken {
                id: id.to_string(),
                digest,
                role,
            });
        }
        Ok(())
    }

    /// The caller a presented token stands for, if any. Every stored
    /// digest is compared, in constant time each.
    pub fn verify(&self, presented: &str) -> Option<Caller> {
        let digest: [u8; 32] = Sha256::digest(presented.as_bytes()).into();
        let mut found: Option<&StoredToken> = None;
        for stored in &self.tokens {
            let equal: bool = stored.digest.ct_eq(&digest).into();
            // An admin entry for the same token wins over a client one.
            if equal && found.is_none_or(|f| stored.role > f.role) {
                found = Some(stored);
            }
        }
        found.map(|t| Caller {
            token_id: t.id.clone(),
            role: t.role,
        })
    }
}

fn parse_digest(hex: &str) -> Option<[u8; 32]> {
    if hex.len() != 64 || !hex.is_ascii() {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

/// The lowercase hex sha256 of a token, as token files hold it.
///
/// # Examples
///
/// ```
/// assert_eq!(
///     xianshen_serve::auth::sha256_hex("abc"),
///     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
/// );
/// ```
pub fn sha256_hex(token: &str) -> String {
    xianshen::digest::sha256_hex(token.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_and_client_tokens() {
        let store = TokenStore::parse(
            &format!("# comment\n\ncms:{}\n", sha256_hex("c")),
            &format!("ops:{}\n", sha256_hex("a")),
            Path::new("t"),
        )
        .unwrap();
        assert!(store.enabled());
        assert_eq!(store.verify("c").unwrap().token_id, "cms");
        assert_eq!(store.verify("a").unwrap().role, Role::Admin);
        assert!(store.verify("").is_none());
    }

    #[test]
    fn bad_lines_name_the_line() {
        let err = TokenStore::parse("ok:zz\n", "", Path::new("t")).unwrap_err();
        assert!(err.to_string().contains("t:1"), "{err}");
        assert!(TokenStore::parse("x\n", "", Path::new("t")).is_err());
        assert!(TokenStore::open().verify("anything").is_none());
    }
}
