//! SIGHUP reloads the policy and SIGTERM stops the server after draining,
//! as `xianshen serve` runs it. Alone in its own test binary: the signals
//! go to this process.

#![cfg(unix)]

mod common;

use common::SharedLog;
use serde_json::Value;
use std::time::Duration;
use xianshen_serve::log::Logger;
use xianshen_serve::{run_until_signal, PolicySource, ServerBuilder};

fn signal_self(name: &str) {
    let status = std::process::Command::new("kill")
        .arg(format!("-{name}"))
        .arg(std::process::id().to_string())
        .status()
        .expect("kill runs");
    assert!(status.success());
}

async fn ready_fingerprint(addr: std::net::SocketAddr) -> String {
    let mut raw = common::RawConnection::open(addr).await;
    raw.write(b"GET /readyz HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
        .await;
    let (status, _, body) = raw.read_response().await;
    assert_eq!(status, 200);
    let body: Value = serde_json::from_slice(&body).unwrap();
    body["policy_fingerprint"].as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sighup_reloads_and_sigterm_stops() {
    // Make sure no signal ever takes its default action (ending the test
    // process), whatever the order of what follows.
    use tokio::signal::unix::{signal, SignalKind};
    let _hup = signal(SignalKind::hangup()).unwrap();
    let _term = signal(SignalKind::terminate()).unwrap();

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("policy.toml");
    std::fs::write(&path, "[meta]\nname = \"a\"\n").unwrap();
    let log = SharedLog::default();
    let server = ServerBuilder::new()
        .listen("127.0.0.1:0".parse().unwrap())
        .policy(PolicySource::File(path.clone()))
        .logger(Logger::to_writer(log.clone()))
        .bind()
        .await
        .unwrap();
    let addr = server.local_addr();
    let task = tokio::spawn(run_until_signal(server));
    let first = ready_fingerprint(addr).await;

    std::fs::write(&path, "[meta]\nname = \"b\"\n").unwrap();
    signal_self("HUP");
    let mut second = first.clone();
    for _ in 0..100 {
        second = ready_fingerprint(addr).await;
        if second != first {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_ne!(first, second, "SIGHUP reloaded the policy");
    assert!(log.text().contains("\"trigger\":\"signal\""));

    signal_self("TERM");
    tokio::time::timeout(Duration::from_secs(10), task)
        .await
        .expect("stops on SIGTERM")
        .unwrap()
        .unwrap();
    assert!(log.text().contains("\"event\":\"stopped\""));
}
