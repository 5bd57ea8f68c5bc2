//! HTTPS: the certificate and key of `[tls]`, loaded once at start into a
//! rustls acceptor (TLS 1.2 and 1.3, the ring provider).

use crate::config::TlsFiles;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::TlsAcceptor;

/// Why the certificate or key cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TlsError {
    /// A PEM file could not be read or holds nothing usable.
    #[error("{path}: {message}")]
    File {
        /// The certificate or key file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The key does not fit the certificate, or rustls refuses them.
    #[error("tls: {0}")]
    Config(String),
}

fn file_error(path: &Path, message: impl Into<String>) -> TlsError {
    TlsError::File {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// Builds the acceptor for `files`.
///
/// # Errors
///
/// [`TlsError::File`] naming the file when it cannot be read, holds no
/// certificate or no private key; [`TlsError::Config`] when the key does
/// not belong to the certificate.
pub fn acceptor(files: &TlsFiles) -> Result<TlsAcceptor, TlsError> {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&files.cert)
        .map_err(|e| file_error(&files.cert, format!("cannot read certificates: {e}")))?
        .collect::<Result<_, _>>()
        .map_err(|e| file_error(&files.cert, format!("bad PEM: {e}")))?;
    if certs.is_empty() {
        return Err(file_error(&files.cert, "no CERTIFICATE block"));
    }
    let key = PrivateKeyDer::from_pem_file(&files.key)
        .map_err(|e| file_error(&files.key, format!("no usable private key: {e}")))?;
    // The process's provider: ring, the one this crate builds rustls with.
    let config = ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| TlsError::Config(e.to_string()))?;
    Ok(TlsAcceptor::from(Arc::new(config)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(files: &TlsFiles) -> String {
        match acceptor(files) {
            Ok(_) => panic!("the files load"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn missing_and_empty_files_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let files = TlsFiles {
            cert: dir.path().join("cert.pem"),
            key: dir.path().join("key.pem"),
        };
        let err = error(&files);
        assert!(err.contains("cert.pem"), "{err}");
        std::fs::write(&files.cert, "not pem\n").unwrap();
        let err = error(&files);
        assert!(
            err.contains("cert.pem") && err.contains("no CERTIFICATE"),
            "{err}"
        );
    }

    #[test]
    fn a_certificate_and_its_key_load_and_a_wrong_key_does_not() {
        let dir = tempfile::tempdir().unwrap();
        let a = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
        let b = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
        let files = TlsFiles {
            cert: dir.path().join("cert.pem"),
            key: dir.path().join("key.pem"),
        };
        std::fs::write(&files.cert, a.cert.pem()).unwrap();
        std::fs::write(&files.key, a.key_pair.serialize_pem()).unwrap();
        assert!(acceptor(&files).is_ok());
        std::fs::write(&files.key, b.key_pair.serialize_pem()).unwrap();
        let err = error(&files);
        assert!(err.starts_with("tls:"), "{err}");
    }
}
