//! Every error status, each with its JSON body, and the server serving on
//! after each.

mod common;

use common::{post_head, RawConnection, TestServer};
use hyper::Method;
use serde_json::json;
use std::time::Duration;
use xianshen_serve::{Limits, ServerBuilder};

fn small_limits() -> Limits {
    Limits {
        body_bytes: 1024,
        batch_drafts: 3,
        concurrent_requests: 1,
        request_timeout_ms: 400,
    }
}

async fn still_serving(server: &TestServer) {
    let answer = server
        .post_json("/v1/screen", &json!({"text": "本店出售冰毒"}))
        .await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(answer.json()["verdict"], "block");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_json_is_400_with_line_and_column() {
    let server = TestServer::start(ServerBuilder::new().limits(small_limits())).await;
    let json_type = [("content-type", "application/json")];

    let answer = server
        .send(
            Method::POST,
            "/v1/screen",
            &json_type,
            "{\n  \"text\": ,\n}",
        )
        .await;
    let body = answer.assert_error(400, "malformed_json");
    assert_eq!(
        (
            body["error"]["line"].clone(),
            body["error"]["column"].clone()
        ),
        (json!(2), json!(11))
    );

    let answer = server
        .send(Method::POST, "/v1/screen", &json_type, "{\"text\": 3}")
        .await;
    let body = answer.assert_error(400, "invalid_request");
    assert_eq!(body["error"]["line"], 1);
    assert_eq!(body["error"]["column"], 10);
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("expected a string"));

    for (bad, needle) in [
        ("{\"text\": \"x\", \"txet\": 1}", "unknown field"),
        ("{}", "missing field `text`"),
        (
            "{\"text\": \"x\", \"repost\": \"yes\"}",
            "expected a boolean",
        ),
        ("[1, 2]", "invalid type"),
        ("{\"drafts\": 1}", "unknown field"),
        ("\"\\ud800\"", ""),
        ("{\"text\": \"x\"} trailing", "trailing"),
        ("", "EOF"),
    ] {
        let answer = server
            .send(Method::POST, "/v1/screen", &json_type, bad)
            .await;
        assert_eq!(answer.status, 400, "{bad}: {}", answer.text());
        let body = answer.json();
        assert!(body["error"]["line"].is_u64(), "{body}");
        assert!(
            body["error"]["message"].as_str().unwrap().contains(needle),
            "{bad}: {body}"
        );
    }
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    server
        .send(Method::POST, "/v1/screen", &json_type, deep)
        .await
        .assert_error(413, "payload_too_large");
    let deep = "[".repeat(1000);
    let answer = server
        .send(Method::POST, "/v1/screen", &json_type, deep)
        .await;
    assert_eq!(answer.status, 400, "{}", answer.text());

    let answer = server
        .post_json("/v1/screen?compat=baidu", &json!({"text": "x"}))
        .await;
    let body = answer.assert_error(400, "invalid_query");
    assert_eq!(body["error"]["field"], "compat");
    still_serving(&server).await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn too_large_is_413() {
    let server = TestServer::start(ServerBuilder::new().limits(small_limits())).await;
    let text = "字".repeat(400);
    let answer = server.post_json("/v1/screen", &json!({"text": text})).await;
    let body = answer.assert_error(413, "payload_too_large");
    assert_eq!(body["error"]["limit"], 1024);

    // A chunked body has no length up front: the limit holds while reading.
    let mut raw = RawConnection::open(server.addr).await;
    raw.write(b"POST /v1/screen HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n").await;
    let chunk = format!("{{\"text\": \"{}", "a".repeat(600));
    raw.write(format!("{:x}\r\n{chunk}\r\n", chunk.len()).as_bytes())
        .await;
    raw.write(format!("{:x}\r\n{chunk}\r\n", chunk.len()).as_bytes())
        .await;
    let (status, _, body) = raw.read_response().await;
    assert_eq!(status, 413);
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body["error"]["code"], "payload_too_large");
    still_serving(&server).await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_content_type_is_415() {
    let server = TestServer::default().await;
    for headers in [
        vec![],
        vec![("content-type", "text/plain")],
        vec![("content-type", "application/x-www-form-urlencoded")],
        vec![("content-type", "application/json; charset=gbk")],
    ] {
        server
            .send(Method::POST, "/v1/screen", &headers, "{\"text\": \"x\"}")
            .await
            .assert_error(415, "unsupported_media_type");
    }
    let ok = server
        .send(
            Method::POST,
            "/v1/screen",
            &[("content-type", "application/json; charset=UTF-8")],
            "{\"text\": \"x\"}",
        )
        .await;
    assert_eq!(ok.status, 200);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_values_are_422() {
    let server = TestServer::start(ServerBuilder::new().limits(small_limits())).await;
    let json_type = [("content-type", "application/json")];
    let answer = server
        .send(
            Method::POST,
            "/v1/screen",
            &json_type,
            &b"{\"text\": \"\xe6\x9c\xac\xff\"}"[..],
        )
        .await;
    let body = answer.assert_error(422, "invalid_utf8");
    assert_eq!(body["error"]["offset"], 13);

    let answer = server
        .post_json("/v1/screen", &json!({"text": "x", "kind": "tweet"}))
        .await;
    let body = answer.assert_error(422, "invalid_field");
    assert_eq!(body["error"]["field"], "kind");
    assert!(body["error"]["message"].as_str().unwrap().contains("tweet"));

    let answer = server
        .post_json("/v1/screen", &json!({"text": "x", "input_format": "pdf"}))
        .await;
    assert_eq!(
        answer.assert_error(422, "invalid_field")["error"]["field"],
        "input_format"
    );

    let answer = server
        .post_json(
            "/v1/screen/batch",
            &json!({"drafts": [{"text": "a"}, {"text": "b", "kind": "blog"}]}),
        )
        .await;
    assert_eq!(
        answer.assert_error(422, "invalid_field")["error"]["field"],
        "drafts[1].kind"
    );

    let drafts: Vec<_> = (0..4).map(|i| json!({"text": i.to_string()})).collect();
    let answer = server
        .post_json("/v1/screen/batch", &json!({"drafts": drafts}))
        .await;
    assert_eq!(
        answer.assert_error(422, "batch_too_large")["error"]["limit"],
        3
    );
    still_serving(&server).await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_routes_and_methods_are_404_and_405() {
    let server = TestServer::default().await;
    for path in [
        "/",
        "/v1",
        "/v1/screen/",
        "/v2/screen",
        "/v1/screen/batch/x",
    ] {
        let body = server.get(path).await.assert_error(404, "not_found");
        assert!(body["error"]["message"].as_str().unwrap().contains(path));
    }
    let answer = server.get("/v1/screen").await;
    answer.assert_error(405, "method_not_allowed");
    assert_eq!(answer.header("allow").as_deref(), Some("POST"));
    server
        .send(Method::DELETE, "/v1/policy", &[], "")
        .await
        .assert_error(405, "method_not_allowed");
    server
        .send(Method::POST, "/healthz", &[], "")
        .await
        .assert_error(405, "method_not_allowed");
    still_serving(&server).await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn past_the_concurrency_limit_is_503_with_retry_after() {
    let server = TestServer::start(ServerBuilder::new().limits(Limits {
        request_timeout_ms: 10_000,
        ..small_limits()
    }))
    .await;
    // One request holds the only slot: its body is not all there yet.
    let body = "{\"text\": \"本店出售冰毒\"}".as_bytes();
    let mut slow = RawConnection::open(server.addr).await;
    slow.write(&post_head("/v1/screen", body.len())).await;
    slow.write(&body[..5]).await;
    tokio::time::sleep(Duration::from_millis(200)).await;

    let answer = server.post_json("/v1/screen", &json!({"text": "x"})).await;
    answer.assert_error(503, "overloaded");
    assert_eq!(answer.header("retry-after").as_deref(), Some("1"));
    // Probes are not limited.
    assert_eq!(server.get("/healthz").await.status, 200);
    assert_eq!(server.get("/readyz").await.status, 200);

    slow.write(&body[5..]).await;
    let (status, _, answer) = slow.read_response().await;
    assert_eq!(status, 200);
    let answer: serde_json::Value = serde_json::from_slice(&answer).unwrap();
    assert_eq!(answer["verdict"], "block");
    still_serving(&server).await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_request_is_408() {
    let server = TestServer::start(ServerBuilder::new().limits(Limits {
        concurrent_requests: 4,
        ..small_limits()
    }))
    .await;
    let mut slow = RawConnection::open(server.addr).await;
    slow.write(&post_head("/v1/screen", 100)).await;
    slow.write(b"{\"text\": ").await;
    let (status, _, body) = slow.read_response().await;
    assert_eq!(status, 408);
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body["error"]["code"], "request_timeout");
    still_serving(&server).await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_trickled_byte_by_byte_times_out_and_holds_no_worker() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let server = TestServer::start(ServerBuilder::new().limits(Limits {
        concurrent_requests: 4,
        ..small_limits()
    }))
    .await;
    // A body that keeps coming, one byte every 20 ms, would take 4 s: the
    // 400 ms request limit ends it however steadily it arrives.
    let body = format!("{{\"text\": \"{}\"}}", "学".repeat(60));
    let stream = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    let (mut read, mut write) = stream.into_split();
    let trickle = tokio::spawn(async move {
        let mut sent = 0;
        let head = post_head("/v1/screen", body.len());
        if write.write_all(&head).await.is_err() {
            return sent;
        }
        for b in body.as_bytes() {
            if write.write_all(&[*b]).await.is_err() || write.flush().await.is_err() {
                break;
            }
            sent += 1;
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        sent
    });
    // Meanwhile the server answers others at once.
    let started = std::time::Instant::now();
    still_serving(&server).await;
    assert!(started.elapsed() < Duration::from_secs(2));
    let mut answer = Vec::new();
    let mut chunk = [0u8; 4096];
    while !answer.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = tokio::time::timeout(Duration::from_secs(5), read.read(&mut chunk))
            .await
            .expect("an answer before the body is all there")
            .unwrap();
        assert!(n > 0, "closed without an answer");
        answer.extend_from_slice(&chunk[..n]);
    }
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(3));
    trickle.abort();
    still_serving(&server).await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_and_vanishing_clients_hold_nothing() {
    let server = TestServer::start(ServerBuilder::new().limits(small_limits())).await;
    // Headers trickled past the request timeout: the connection is closed.
    let mut slow = RawConnection::open(server.addr).await;
    slow.write(b"POST /v1/screen HTTP/1.1\r\nhost: x\r\n").await;
    let started = std::time::Instant::now();
    assert!(slow.closed_within(Duration::from_secs(5)).await);
    assert!(started.elapsed() < Duration::from_secs(3));

    // A client that goes away mid-body gives its slot back (the limit is 1).
    for _ in 0..5 {
        let mut gone = RawConnection::open(server.addr).await;
        gone.write(&post_head("/v1/screen", 50)).await;
        gone.write(b"{\"text\": \"").await;
        drop(gone);
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    still_serving(&server).await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hundreds_of_bad_requests_get_json_errors_and_no_5xx() {
    let server = TestServer::start(ServerBuilder::new().limits(Limits {
        concurrent_requests: 64,
        ..small_limits()
    }))
    .await;
    let json_type = [("content-type", "application/json")];
    let mut bodies: Vec<Vec<u8>> = vec![
        b"{".to_vec(),
        b"null".to_vec(),
        b"{\"text\": null}".to_vec(),
        b"{\"text\": 1e999999}".to_vec(),
        b"{\"text\": \"x\", \"repost\": 123456789012345678901234567890}".to_vec(),
        b"{\"text\": [\"a\"]}".to_vec(),
        b"{\"drafts\": {}}".to_vec(),
        b"{\"text\": \"\\u0000\\ud83d\\ude00\"}".to_vec(),
        b"\xef\xbb\xbf{\"text\": \"x\"}".to_vec(),
        b"\xff\xfe{\x00".to_vec(),
        "{\"text\": \"x\", \"kind\": \"Comment\"}"
            .as_bytes()
            .to_vec(),
        format!("{}1{}", "{\"a\":".repeat(200), "}".repeat(200)).into_bytes(),
    ];
    // Deterministic pseudo-random bytes, some of them JSON-looking.
    let mut seed: u64 = 0x9e3779b97f4a7c15;
    for i in 0..300 {
        let len = (i % 97) + 1;
        let body: Vec<u8> = (0..len)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                b"{}[]\":,0123456789.eE-+tnfalsrue \\\xe4\xbd\xa0\xff"[(seed % 37) as usize]
            })
            .collect();
        bodies.push(body);
    }
    for (i, body) in bodies.into_iter().enumerate() {
        let path = if i % 2 == 0 {
            "/v1/screen"
        } else {
            "/v1/screen/batch"
        };
        let answer = server.send(Method::POST, path, &json_type, body).await;
        let status = answer.status.as_u16();
        assert!(status < 500, "#{i}: {status} {}", answer.text());
        if status != 200 {
            let body = answer.json();
            assert!(body["error"]["code"].is_string(), "#{i}: {body}");
        }
    }
    still_serving(&server).await;
    server.stop().await;
}
