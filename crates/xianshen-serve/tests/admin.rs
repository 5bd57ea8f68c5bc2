//! Authentication, policy reload without downtime, graceful shutdown, and
//! logs that never hold draft text.

mod common;

use common::{post_head, RawConnection, TestServer};
use hyper::Method;
use serde_json::json;
use std::time::Duration;
use xianshen_serve::auth::{sha256_hex, TokenStore};
use xianshen_serve::{PolicySource, ServerBuilder};

const CLIENT: &str = "client-secret-1";
const ADMIN: &str = "admin-secret-2";

fn tokens() -> TokenStore {
    let dir = tempfile::tempdir().unwrap();
    let client = dir.path().join("tokens");
    let admin = dir.path().join("admin-tokens");
    std::fs::write(&client, format!("# CMS\ncms:{}\n", sha256_hex(CLIENT))).unwrap();
    std::fs::write(&admin, format!("ops:{}\n", sha256_hex(ADMIN))).unwrap();
    TokenStore::load(Some(&client), Some(&admin)).unwrap()
}

async fn get_as(server: &TestServer, path: &str, token: &str) -> common::Answer {
    let auth = format!("Bearer {token}");
    server
        .send(Method::GET, path, &[("authorization", &auth)], "")
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bearer_tokens_guard_routes() {
    let server = TestServer::start(ServerBuilder::new().tokens(tokens())).await;
    let draft = json!({"text": "本店出售冰毒"});

    let answer = server.post_json("/v1/screen", &draft).await;
    answer.assert_error(401, "unauthorized");
    assert_eq!(answer.header("www-authenticate").as_deref(), Some("Bearer"));
    for bad in ["wrong", "", CLIENT.trim_end_matches('1')] {
        server
            .post_json_as("/v1/screen", &draft, bad)
            .await
            .assert_error(401, "unauthorized");
    }
    let basic = server
        .send(
            Method::POST,
            "/v1/screen",
            &[
                ("content-type", "application/json"),
                ("authorization", "Basic Y2xpZW50OnNlY3JldA=="),
            ],
            "{\"text\": \"x\"}",
        )
        .await;
    basic.assert_error(401, "unauthorized");
    get_as(&server, "/v1/policy", "nope")
        .await
        .assert_error(401, "unauthorized");
    server
        .get("/metrics")
        .await
        .assert_error(401, "unauthorized");
    server
        .send(Method::POST, "/v1/admin/reload", &[], "")
        .await
        .assert_error(401, "unauthorized");

    // A client token screens and reads, but may not reload.
    let ok = server.post_json_as("/v1/screen", &draft, CLIENT).await;
    assert_eq!(ok.status, 200);
    let batch = server
        .post_json_as("/v1/screen/batch", &json!({"drafts": [draft]}), CLIENT)
        .await;
    assert_eq!(batch.status, 200);
    assert_eq!(get_as(&server, "/v1/policy", CLIENT).await.status, 200);
    assert_eq!(get_as(&server, "/metrics", CLIENT).await.status, 200);
    let auth = format!("bearer {CLIENT}");
    server
        .send(
            Method::POST,
            "/v1/admin/reload",
            &[("authorization", &auth)],
            "",
        )
        .await
        .assert_error(403, "forbidden");

    // An admin token does everything.
    let auth = format!("Bearer {ADMIN}");
    let reload = server
        .send(
            Method::POST,
            "/v1/admin/reload",
            &[("authorization", &auth)],
            "",
        )
        .await;
    assert_eq!(reload.status, 200, "{}", reload.text());
    assert_eq!(
        server
            .post_json_as("/v1/screen", &draft, ADMIN)
            .await
            .status,
        200
    );

    // Probes and the API document are open.
    for path in ["/healthz", "/readyz", "/v1/openapi.json"] {
        assert_eq!(server.get(path).await.status, 200, "{path}");
    }
    // Unknown paths stay 404 (not 401): nothing to hide there.
    server.get("/admin").await.assert_error(404, "not_found");

    let log = server.log.text();
    assert!(log.contains("\"token_id\":\"cms\""), "{log}");
    assert!(log.contains("\"trigger\":\"http:ops\""), "{log}");
    assert!(!log.contains(CLIENT) && !log.contains(ADMIN));
    server.stop().await;
}

const POLICY_A: &str = r#"
[meta]
name = "测试单位"
version = "a"

[[lexicon]]
tag = "drugs"
severity = "block"
terms = ["出售冰毒"]
"#;

const POLICY_B: &str = r#"
[meta]
name = "测试单位"
version = "b"

[[lexicon]]
tag = "drugs"
severity = "block"
terms = ["出售冰毒", "代购麻古"]
"#;

const POLICY_BROKEN: &str = "[meta]\nname = \"测试单位\"\nversoin = \"c\"\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reload_swaps_good_policies_and_keeps_the_old_one_on_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("policy.toml");
    std::fs::write(&path, POLICY_A).unwrap();
    let server =
        TestServer::start(ServerBuilder::new().policy(PolicySource::File(path.clone()))).await;
    let fingerprint_a = server.get("/v1/policy").await.json()["fingerprint"].clone();
    let screen = |text: &'static str| {
        let server = &server;
        async move { server.post_json("/v1/screen", &json!({"text": text})).await }
    };
    let before = screen("代购麻古").await;
    assert_eq!(before.json()["verdict"], "pass");
    assert_eq!(before.json()["policy_fingerprint"], fingerprint_a);

    std::fs::write(&path, POLICY_B).unwrap();
    let answer = server.send(Method::POST, "/v1/admin/reload", &[], "").await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    let body = answer.json();
    assert_eq!(body["previous_fingerprint"], fingerprint_a);
    assert_eq!(body["changed"], true);
    assert_eq!(body["policy"]["version"], "b");
    let fingerprint_b = body["policy_fingerprint"].clone();
    assert_ne!(fingerprint_a, fingerprint_b);
    let after = screen("代购麻古").await;
    assert_eq!(after.json()["verdict"], "block");
    assert_eq!(after.json()["policy_fingerprint"], fingerprint_b);
    assert_eq!(
        after.header("x-xianshen-policy"),
        fingerprint_b.as_str().map(str::to_string)
    );

    // A broken policy: 422 naming file, line and column; B keeps serving.
    std::fs::write(&path, POLICY_BROKEN).unwrap();
    let answer = server.send(Method::POST, "/v1/admin/reload", &[], "").await;
    let body = answer.assert_error(422, "policy_invalid");
    let policy_error = &body["error"]["policy_error"];
    assert_eq!(policy_error["kind"], "syntax");
    assert_eq!(policy_error["line"], 3);
    assert_eq!(policy_error["column"], 1);
    assert_eq!(policy_error["file"], path.display().to_string().as_str());
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("versoin"));
    assert_eq!(
        answer.header("x-xianshen-policy"),
        fingerprint_b.as_str().map(str::to_string)
    );
    let still = screen("代购麻古").await;
    assert_eq!(still.json()["verdict"], "block");
    assert_eq!(still.json()["policy_fingerprint"], fingerprint_b);

    // The same through the handle (what SIGHUP calls); a missing file too.
    std::fs::remove_file(&path).unwrap();
    assert!(server.handle.reload().await.is_err());
    std::fs::write(&path, POLICY_A).unwrap();
    let done = server.handle.reload().await.unwrap();
    assert_eq!(serde_json::json!(done.current), fingerprint_a);

    let metrics = server.get("/metrics").await.text();
    assert!(
        metrics.contains("xianshen_policy_reloads_total{result=\"ok\"} 2"),
        "{metrics}"
    );
    assert!(metrics.contains("xianshen_policy_reloads_total{result=\"failed\"} 2"));
    let log = server.log.text();
    assert!(log.contains("\"event\":\"policy_reload_failed\""), "{log}");
    assert!(log.contains("\"line\":3"), "{log}");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_during_reloads_are_answered_by_one_valid_policy() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("policy.toml");
    std::fs::write(&path, POLICY_A).unwrap();
    let server =
        TestServer::start(ServerBuilder::new().policy(PolicySource::File(path.clone()))).await;
    let fingerprint = |toml: &str| {
        xianshen::Policy::from_toml(toml)
            .unwrap()
            .fingerprint()
            .to_string()
    };
    let valid = [fingerprint(POLICY_A), fingerprint(POLICY_B)];
    let reloader = {
        let handle = server.handle.clone();
        let path = path.clone();
        tokio::spawn(async move {
            for i in 0..12 {
                let text = [POLICY_A, POLICY_B, POLICY_BROKEN][i % 3];
                std::fs::write(&path, text).unwrap();
                let _ = handle.reload().await;
            }
        })
    };
    for _ in 0..60 {
        let answer = server
            .post_json("/v1/screen", &json!({"text": "本店出售冰毒"}))
            .await;
        assert_eq!(answer.status, 200, "{}", answer.text());
        let body = answer.json();
        assert_eq!(body["verdict"], "block");
        let used = body["policy_fingerprint"].as_str().unwrap().to_string();
        assert!(valid.contains(&used), "{used}");
        assert_eq!(body["policy"]["fingerprint"], used.as_str());
    }
    reloader.await.unwrap();
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_drains_requests_in_flight() {
    let server = TestServer::default().await;
    // Not yet shutting down, but marked: readiness turns 503 first.
    server.handle.state().begin_shutdown();
    let ready = server.get("/readyz").await;
    ready.assert_error(503, "shutting_down");

    let body = "{\"text\": \"本店出售冰毒\"}".as_bytes();
    let mut in_flight = RawConnection::open(server.addr).await;
    in_flight.write(&post_head("/v1/screen", body.len())).await;
    in_flight.write(&body[..4]).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    server.handle.shutdown();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        !server.task.is_finished(),
        "the server waits for the request"
    );
    in_flight.write(&body[4..]).await;
    let (status, _, answer) = in_flight.read_response().await;
    assert_eq!(status, 200);
    let answer: serde_json::Value = serde_json::from_slice(&answer).unwrap();
    assert_eq!(answer["verdict"], "block");
    tokio::time::timeout(Duration::from_secs(10), server.task)
        .await
        .expect("server stops after draining")
        .unwrap()
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_answers_the_next_request_of_a_keep_alive_connection() {
    let server = TestServer::default().await;
    let body = "{\"text\": \"本店出售冰毒\"}".as_bytes();
    let mut request = post_head("/v1/screen", body.len());
    request.extend_from_slice(body);
    let mut connection = RawConnection::open(server.addr).await;
    connection.write(&request).await;
    let (status, head, _) = connection.read_response().await;
    assert_eq!(status, 200);
    assert!(!head.contains("connection: close"), "{head}");

    // The connection is idle when the shutdown begins; a request the
    // client writes on it meanwhile is answered, with `Connection: close`,
    // and the connection closes after it.
    server.handle.shutdown();
    tokio::time::sleep(Duration::from_millis(100)).await;
    connection.write(&request).await;
    let (status, head, _) = connection.read_response().await;
    assert_eq!(status, 200);
    assert!(head.contains("connection: close"), "{head}");
    assert!(connection.closed_within(Duration::from_secs(5)).await);
    tokio::time::timeout(Duration::from_secs(10), server.task)
        .await
        .expect("server stops")
        .unwrap()
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_hold_digests_and_rule_ids_never_text() {
    let server = TestServer::default().await;
    let secret = "绝密内容本店出售冰毒联系13912345678";
    let answer = server
        .post_json(
            "/v1/screen",
            &json!({"text": secret, "title": "机密标题", "source": "某某来源单位"}),
        )
        .await;
    let report = answer.json();
    server
        .post_json(
            "/v1/screen/batch",
            &json!({"drafts": [{"text": secret}, {"text": "<p>出售冰毒</p>", "input_format": "html"}]}),
        )
        .await;
    server
        .post_json("/v1/screen", &json!({"text": secret, "kind": "nope"}))
        .await;
    let log = server.log.text();
    for forbidden in ["冰毒", "机密标题", "某某来源", "13912345678", "出售"] {
        assert!(!log.contains(forbidden), "log holds {forbidden:?}:\n{log}");
    }
    let sha = report["input"]["sha256"].as_str().unwrap();
    assert!(log.contains(sha));
    assert!(
        log.contains("\"rules\":[\"privacy.mobile\",\"term.drugs\"]") || log.contains("term.drugs")
    );
    assert!(log.contains(&format!(
        "\"request_id\":\"{}\"",
        report["request_id"].as_str().unwrap()
    )));
    for line in log.lines() {
        serde_json::from_str::<serde_json::Value>(line).expect("each log line is JSON");
    }
    assert!(log.contains("\"code\":\"invalid_field\""), "{log}");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_config_file_sets_policy_limits_and_tokens() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("etc")).unwrap();
    std::fs::write(dir.path().join("etc/policy.toml"), POLICY_B).unwrap();
    std::fs::write(
        dir.path().join("etc/tokens"),
        format!("cms:{}\n", sha256_hex(CLIENT)),
    )
    .unwrap();
    let config_path = dir.path().join("etc/serve.toml");
    std::fs::write(
        &config_path,
        "listen = \"127.0.0.1:0\"\npolicy = \"policy.toml\"\n\n[limits]\nbatch_drafts = 2\n\n[auth]\ntokens = \"tokens\"\n",
    )
    .unwrap();
    let config = xianshen_serve::ServeConfig::from_file(&config_path).unwrap();
    assert_eq!(config.policy, Some(dir.path().join("etc/policy.toml")));
    assert_eq!(config.limits.batch_drafts, 2);
    let server = TestServer::start(ServerBuilder::from_config(&config).unwrap()).await;
    let answer = server
        .post_json_as("/v1/screen", &json!({"text": "代购麻古"}), CLIENT)
        .await;
    assert_eq!(answer.json()["verdict"], "block");
    assert_eq!(answer.json()["policy"]["version"], "b");
    server
        .post_json("/v1/screen", &json!({"text": "x"}))
        .await
        .assert_error(401, "unauthorized");
    let drafts = json!({"drafts": [{"text": "1"}, {"text": "2"}, {"text": "3"}]});
    server
        .post_json_as("/v1/screen/batch", &drafts, CLIENT)
        .await
        .assert_error(422, "batch_too_large");
    server.stop().await;

    // A bad config names the file, line and column; a bad token file its line.
    std::fs::write(
        &config_path,
        "listen = \"127.0.0.1:0\"\n[limits]\nbatch = 2\n",
    )
    .unwrap();
    let err = xianshen_serve::ServeConfig::from_file(&config_path).unwrap_err();
    assert!(err.to_string().contains("serve.toml:3:1"), "{err}");
    std::fs::write(dir.path().join("etc/tokens"), "cms:nothex\n").unwrap();
    std::fs::write(&config_path, "[auth]\ntokens = \"tokens\"\n").unwrap();
    let config = xianshen_serve::ServeConfig::from_file(&config_path).unwrap();
    let err = ServerBuilder::from_config(&config).unwrap_err();
    assert!(err.to_string().contains("tokens:1"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_does_not_wait_for_a_stalled_client() {
    let server = TestServer::start(ServerBuilder::new().limits(xianshen_serve::Limits {
        request_timeout_ms: 300,
        ..Default::default()
    }))
    .await;
    let mut stalled = RawConnection::open(server.addr).await;
    stalled
        .write(b"POST /v1/screen HTTP/1.1\r\nhost: x\r\n")
        .await;
    let started = std::time::Instant::now();
    server.stop().await;
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(stalled.closed_within(Duration::from_secs(3)).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_screened_draft_is_a_line_of_the_decision_log() {
    use xianshen_serve::audit::{verify, AuditConfig};
    let dir = tempfile::tempdir().unwrap();
    let audit = AuditConfig {
        path: dir.path().join("decisions.jsonl"),
        rotate_bytes: None,
    };
    let server = TestServer::start(
        ServerBuilder::new()
            .tokens(tokens())
            .audit(Some(audit.clone())),
    )
    .await;
    let answer = server
        .post_json_as("/v1/screen", &json!({"text": "本店出售冰毒"}), CLIENT)
        .await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    let batch = json!({"drafts": [{"text": "你好"}, {"text": "x", "title": "出售冰毒"}]});
    let answer = server
        .post_json_as("/v1/screen/batch", &batch, CLIENT)
        .await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    // Refused requests are no decisions.
    let answer = server
        .post_json_as("/v1/screen", &json!({"text": 1}), CLIENT)
        .await;
    assert_eq!(answer.status, 400);
    server.stop().await;

    let verified = verify(&audit.path).unwrap();
    assert_eq!(verified.lines, 3);
    let text = std::fs::read_to_string(&audit.path).unwrap();
    assert!(!text.contains("冰毒"), "no draft text: {text}");
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["token_id"], "cms");
    assert_eq!(lines[0]["verdict"], "block");
    assert_eq!(lines[0]["findings"][0]["rule"], "term.drugs");
    assert_eq!(lines[1]["verdict"], "pass");
    assert_eq!(lines[2]["findings"][0]["field"], "title");
    assert_eq!(
        lines[1]["request_id"], lines[2]["request_id"],
        "one batch, one request id"
    );
}
