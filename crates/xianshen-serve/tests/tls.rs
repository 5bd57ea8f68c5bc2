//! HTTPS: a server with `[tls]` answers over TLS with a client that trusts
//! its certificate, and does not speak plain HTTP on that port.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::rustls::pki_types::{CertificateDer, ServerName};
use tokio_rustls::rustls::{ClientConfig, RootCertStore};
use tokio_rustls::TlsConnector;
use xianshen_serve::log::Logger;
use xianshen_serve::{ServeConfig, ServerBuilder, TlsFiles};

/// A self-signed certificate for localhost, written as PEM files in `dir`;
/// returns the files and the certificate for the client to trust.
fn certificate(dir: &Path) -> (TlsFiles, CertificateDer<'static>) {
    let made = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
    let files = TlsFiles {
        cert: dir.join("cert.pem"),
        key: dir.join("key.pem"),
    };
    std::fs::write(&files.cert, made.cert.pem()).unwrap();
    std::fs::write(&files.key, made.key_pair.serialize_pem()).unwrap();
    (files, made.cert.der().clone())
}

/// Sends one HTTP/1.1 request over TLS and returns the whole answer.
async fn https(addr: SocketAddr, trusted: &CertificateDer<'static>, request: &str) -> String {
    let mut roots = RootCertStore::empty();
    roots.add(trusted.clone()).unwrap();
    let config = ClientConfig::builder()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let connector = TlsConnector::from(Arc::new(config));
    let tcp = TcpStream::connect(addr).await.unwrap();
    let name = ServerName::try_from("localhost").unwrap();
    let mut tls = connector.connect(name, tcp).await.unwrap();
    tls.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    tls.read_to_end(&mut answer).await.unwrap();
    String::from_utf8(answer).unwrap()
}

/// Binds `builder` on a free loopback port with a silent log and runs it.
async fn start(
    builder: ServerBuilder,
) -> (
    SocketAddr,
    xianshen_serve::ServerHandle,
    tokio::task::JoinHandle<Result<(), xianshen_serve::ServeError>>,
) {
    let server = builder
        .logger(Logger::to_writer(std::io::sink()))
        .bind()
        .await
        .unwrap();
    let addr = server.local_addr();
    let handle = server.handle();
    (addr, handle, tokio::spawn(server.run()))
}

const HEALTH: &str = "GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";

fn post(path: &str, body: &str) -> String {
    format!(
        "POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

#[tokio::test]
async fn https_answers_and_plain_http_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let (files, trusted) = certificate(dir.path());
    let (addr, handle, task) = start(
        ServerBuilder::new()
            .listen("127.0.0.1:0".parse().unwrap())
            .tls(Some(files)),
    )
    .await;

    let health = https(addr, &trusted, HEALTH).await;
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");

    let screened = https(
        addr,
        &trusted,
        &post("/v1/screen", r#"{"text":"本店出售冰毒"}"#),
    )
    .await;
    assert!(screened.starts_with("HTTP/1.1 200"), "{screened}");
    assert!(screened.contains(r#""verdict":"block""#), "{screened}");

    // Plain HTTP on the TLS port: no HTTP answer, the connection closes.
    let mut plain = TcpStream::connect(addr).await.unwrap();
    plain.write_all(HEALTH.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let _ = plain.read_to_end(&mut answer).await;
    assert!(
        !answer.starts_with(b"HTTP/"),
        "{:?}",
        String::from_utf8_lossy(&answer)
    );

    // A client that does not trust the certificate is refused.
    let other = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
    let mut roots = RootCertStore::empty();
    roots.add(other.cert.der().clone()).unwrap();
    let config = ClientConfig::builder()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let tcp = TcpStream::connect(addr).await.unwrap();
    let refused = TlsConnector::from(Arc::new(config))
        .connect(ServerName::try_from("localhost").unwrap(), tcp)
        .await;
    assert!(refused.is_err());

    handle.shutdown();
    task.await.unwrap().unwrap();
}

#[tokio::test]
async fn tls_files_come_from_the_config_relative_to_it() {
    let dir = tempfile::tempdir().unwrap();
    let (_, trusted) = certificate(dir.path());
    let config_path = dir.path().join("serve.toml");
    std::fs::write(
        &config_path,
        "listen = \"127.0.0.1:0\"\n[tls]\ncert = \"cert.pem\"\nkey = \"key.pem\"\n",
    )
    .unwrap();
    let config = ServeConfig::from_file(&config_path).unwrap();
    assert_eq!(
        config.tls.as_ref().unwrap().cert,
        dir.path().join("cert.pem")
    );
    let (addr, handle, task) = start(ServerBuilder::from_config(&config).unwrap()).await;
    let health = https(addr, &trusted, HEALTH).await;
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    handle.shutdown();
    task.await.unwrap().unwrap();

    // A missing key file is named.
    std::fs::remove_file(dir.path().join("key.pem")).unwrap();
    let err = ServerBuilder::from_config(&config)
        .unwrap()
        .logger(Logger::to_writer(std::io::sink()))
        .bind()
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("key.pem"), "{err}");
}
