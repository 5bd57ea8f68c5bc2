//! Every route's answer on success: screening (text, HTML, Markdown,
//! kinds, UTF-16 offsets), batches in order, the policy, health, metrics,
//! the compat shapes and the OpenAPI document.

mod common;

use common::TestServer;
use serde_json::{json, Value};
use xianshen::{Draft, Kind, Screener};

/// The draft text in UTF-16 units `[start, end)`.
fn utf16_slice(text: &str, start: u64, end: u64) -> String {
    let units: Vec<u16> = text.encode_utf16().collect();
    String::from_utf16(&units[start as usize..end as usize]).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn screen_returns_the_library_report_with_utf16_offsets() {
    let server = TestServer::default().await;
    let text = "😀本店出售冰毒";
    let answer = server.post_json("/v1/screen", &json!({"text": text})).await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    let body = answer.json();
    let library = serde_json::to_value(Screener::new().screen_text(text)).unwrap();
    for key in [
        "schema",
        "verdict",
        "approval",
        "truncated",
        "input",
        "policy",
        "engine",
    ] {
        assert_eq!(body[key], library[key], "{key}");
    }
    assert_eq!(body["schema"], "xianshen.report/1");
    assert_eq!(body["verdict"], "block");
    let fingerprint = Screener::new().policy().fingerprint().to_string();
    assert_eq!(body["policy_fingerprint"], fingerprint.as_str());
    assert_eq!(
        answer.header("x-xianshen-policy").as_deref(),
        Some(fingerprint.as_str())
    );
    assert!(body["request_id"].is_string());
    assert_eq!(
        answer.header("x-request-id").as_deref(),
        body["request_id"].as_str()
    );
    // The library's finding, UTF-16 offsets included.
    let finding = &body["findings"][0];
    assert_eq!(finding, &library["findings"][0]);
    let start = finding["utf16_start"].as_u64().unwrap();
    let end = finding["utf16_end"].as_u64().unwrap();
    assert_eq!((start, end), (4, 8), "the emoji counts two units");
    assert_eq!(utf16_slice(text, start, end), "出售冰毒");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn utf16_offsets_slice_the_text_for_every_finding() {
    let server = TestServer::default().await;
    let text = "𠀀𝕏😀本店出 售 冰 毒，加微信：abc12345 联系，手机13912345678😀𠀀出售冰毒";
    let body = server
        .post_json("/v1/screen", &json!({"text": text, "kind": "comment"}))
        .await
        .json();
    let findings = body["findings"].as_array().unwrap();
    assert!(findings.len() >= 3, "{body}");
    for f in findings {
        let (s, e) = (
            f["utf16_start"].as_u64().unwrap(),
            f["utf16_end"].as_u64().unwrap(),
        );
        assert_eq!(utf16_slice(text, s, e), f["text"].as_str().unwrap(), "{f}");
    }
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metadata_and_kinds_reach_the_screener() {
    let server = TestServer::default().await;
    let text = "加我薇❤：xyz888，出售bingdu";
    let draft = json!({
        "text": text, "title": "转载", "repost": true, "source": "新华社", "kind": "comment"
    });
    let body = server.post_json("/v1/screen", &draft).await.json();
    let library = Screener::new().screen(
        &Draft::new(text)
            .title("转载")
            .repost(true)
            .source("新华社")
            .kind(Kind::Comment),
    );
    let rules: Vec<&str> = body["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    let want: Vec<&str> = library.findings.iter().map(|f| f.rule.as_str()).collect();
    assert_eq!(rules, want);
    assert_eq!(body["verdict"], library.verdict.as_str());
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn html_and_markdown_offsets_point_into_the_source() {
    let server = TestServer::default().await;
    let html = "<p>😀本店<b>出售</b>冰毒</p><a href=\"https://item.taobao.com/x\">店</a>";
    let body = server
        .post_json("/v1/screen", &json!({"text": html, "input_format": "html"}))
        .await
        .json();
    let findings = body["findings"].as_array().unwrap();
    assert!(!findings.is_empty(), "{body}");
    for f in findings {
        let (s, e) = (
            f["start"].as_u64().unwrap() as usize,
            f["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&html[s..e], f["text"].as_str().unwrap());
        let (s16, e16) = (
            f["utf16_start"].as_u64().unwrap(),
            f["utf16_end"].as_u64().unwrap(),
        );
        assert_eq!(utf16_slice(html, s16, e16), f["text"].as_str().unwrap());
    }
    assert_eq!(findings[0]["text"], "出售</b>冰毒");
    assert!(findings.iter().any(|f| f["rule"] == "ad.link"), "{body}");

    let markdown = "# 标题\n\n本店**出售**冰毒";
    let body = server
        .post_json(
            "/v1/screen",
            &json!({"text": markdown, "input_format": "markdown"}),
        )
        .await
        .json();
    let f = &body["findings"][0];
    let (s, e) = (
        f["start"].as_u64().unwrap() as usize,
        f["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&markdown[s..e], "出售**冰毒");
    assert_eq!(f["line"], 3);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batch_keeps_order_and_matches_single_screens() {
    let server = TestServer::default().await;
    let texts: Vec<String> = (0..40)
        .map(|i| match i % 4 {
            0 => format!("第{i}条：本店出售冰毒"),
            1 => format!("第{i}条：会议要求加强内容审核。"),
            2 => format!("第{i}条：😀联系手机13912345678"),
            _ => format!("第{i}条：我认为这个政策很好"),
        })
        .collect();
    let drafts: Vec<Value> = texts.iter().map(|t| json!({"text": t})).collect();
    let answer = server
        .post_json("/v1/screen/batch", &json!({"drafts": drafts}))
        .await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    let body = answer.json();
    let results = body["results"].as_array().unwrap();
    assert_eq!(results.len(), texts.len());
    assert!(body["policy_fingerprint"].is_string());
    let screener = Screener::new();
    for (text, result) in texts.iter().zip(results) {
        let library = screener.screen_text(text);
        assert_eq!(result["input"]["sha256"], library.input.sha256.as_str());
        assert_eq!(result["verdict"], library.verdict.as_str(), "{text}");
        assert_eq!(
            result["findings"].as_array().unwrap().len(),
            library.findings.len()
        );
        for f in result["findings"].as_array().unwrap() {
            assert!(f["utf16_start"].is_u64());
        }
    }
    let empty = server
        .post_json("/v1/screen/batch", &json!({"drafts": []}))
        .await;
    assert_eq!(empty.status, 200);
    assert_eq!(empty.json()["results"], json!([]));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn policy_health_readiness_and_metrics() {
    let server = TestServer::default().await;
    let screener = Screener::new();
    let policy = server.get("/v1/policy").await;
    assert_eq!(policy.status, 200);
    let policy = policy.json();
    assert_eq!(policy["name"], screener.policy().name());
    assert_eq!(policy["version"], screener.policy().version());
    assert_eq!(policy["fingerprint"], screener.policy().fingerprint());
    let rules = policy["rules"].as_array().unwrap();
    let table = screener.rules();
    assert_eq!(rules.len(), table.len());
    for (json, rule) in rules.iter().zip(&table) {
        assert_eq!(json["id"], rule.id.as_str());
        assert_eq!(json["enabled"], rule.enabled);
        assert_eq!(json["entries"], rule.entries);
        assert_eq!(
            json["severity"],
            serde_json::to_value(rule.severity).unwrap()
        );
    }

    let health = server.get("/healthz").await;
    assert_eq!(
        (health.status.as_u16(), health.json()["status"].clone()),
        (200, json!("ok"))
    );
    let ready = server.get("/readyz").await;
    assert_eq!(ready.status, 200);
    assert_eq!(
        ready.json()["policy_fingerprint"],
        screener.policy().fingerprint()
    );

    server
        .post_json("/v1/screen", &json!({"text": "本店出售冰毒"}))
        .await;
    server
        .post_json("/v1/screen", &json!({"text": "你好"}))
        .await;
    server.post_json("/v1/screen", &json!({"text": 1})).await;
    let metrics = server.get("/metrics").await;
    assert_eq!(metrics.status, 200);
    assert!(metrics
        .header("content-type")
        .unwrap()
        .starts_with("text/plain; version=0.0.4"));
    let text = metrics.text();
    for line in [
        "xianshen_requests_total{route=\"/v1/screen\",method=\"POST\",status=\"200\"} 2",
        "xianshen_requests_total{route=\"/v1/screen\",method=\"POST\",status=\"400\"} 1",
        "xianshen_request_duration_seconds_count{route=\"/v1/screen\"} 3",
        "xianshen_drafts_total{verdict=\"block\"} 1",
        "xianshen_drafts_total{verdict=\"pass\"} 1",
        "xianshen_findings_total{rule=\"term.drugs\"} 1",
        "xianshen_errors_total{status=\"400\"} 1",
        "xianshen_policy_reloads_total{result=\"ok\"} 0",
        "# TYPE xianshen_request_duration_seconds histogram",
        // The metrics request itself.
        "xianshen_requests_in_flight 1",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    assert!(text.contains(&format!(
        "fingerprint=\"{}\"",
        screener.policy().fingerprint()
    )));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn compat_shapes() {
    let server = TestServer::default().await;
    let text = "😀本店出售冰毒，加微信：abc12345";
    let body = server
        .post_json("/v1/screen?compat=tencent", &json!({"text": text}))
        .await
        .json();
    let response = &body["Response"];
    assert_eq!(response["Suggestion"], "Block");
    assert_eq!(response["Label"], "Illegal");
    assert!(response["RequestId"].is_string());
    let keywords = response["Keywords"].as_array().unwrap();
    assert!(keywords.contains(&json!("出售冰毒")), "{body}");
    let drugs = response["DetailResults"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["SubLabel"] == "term.drugs")
        .unwrap();
    let position = &drugs["HitInfos"][0]["Positions"][0];
    // Tencent positions are char offsets.
    let chars: Vec<char> = text.chars().collect();
    let (s, e) = (
        position["Start"].as_u64().unwrap() as usize,
        position["End"].as_u64().unwrap() as usize,
    );
    assert_eq!(chars[s..e].iter().collect::<String>(), "出售冰毒");
    assert_eq!(body["xianshen"]["schema"], "xianshen.report/1");
    assert_eq!(body["xianshen"]["verdict"], "block");

    let body = server
        .post_json("/v1/screen?compat=aliyun", &json!({"text": text}))
        .await
        .json();
    assert_eq!(body["Code"], 200);
    assert_eq!(body["Data"]["RiskLevel"], "high");
    let results = body["Data"]["Result"].as_array().unwrap();
    let drug = results
        .iter()
        .find(|r| r["Label"] == "contraband_drug")
        .unwrap();
    assert_eq!(drug["RiskWords"], "出售冰毒");
    assert!(body["xianshen"]["findings"].is_array());

    let review = server
        .post_json(
            "/v1/screen?compat=aliyun",
            &json!({"text": "我认为这个政策很好，个人觉得非常棒"}),
        )
        .await
        .json();
    assert_eq!(review["Data"]["RiskLevel"], "medium", "{review}");
    let pass = server
        .post_json("/v1/screen?compat=tencent", &json!({"text": "你好"}))
        .await
        .json();
    assert_eq!(pass["Response"]["Suggestion"], "Pass");
    assert_eq!(pass["Response"]["Label"], "Normal");

    let batch = server
        .post_json(
            "/v1/screen/batch?compat=tencent",
            &json!({"drafts": [{"text": "你好"}, {"text": "本店出售冰毒"}]}),
        )
        .await
        .json();
    assert_eq!(batch["results"][0]["Response"]["Suggestion"], "Pass");
    assert_eq!(batch["results"][1]["Response"]["Suggestion"], "Block");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openapi_document_names_every_route() {
    let server = TestServer::default().await;
    let answer = server.get("/v1/openapi.json").await;
    assert_eq!(answer.status, 200);
    let served = answer.json();
    let committed: Value = serde_json::from_str(xianshen_serve::routes::OPENAPI_JSON).unwrap();
    assert_eq!(served, committed);
    assert!(served["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths = served["paths"].as_object().unwrap();
    let mut documented = Vec::new();
    for (path, item) in paths {
        for method in item.as_object().unwrap().keys() {
            documented.push((method.to_uppercase(), path.clone()));
        }
    }
    let mut routed: Vec<(String, String)> = xianshen_serve::routes::ROUTES
        .iter()
        .map(|r| (r.method.to_string(), r.path.to_string()))
        .collect();
    documented.sort();
    routed.sort();
    assert_eq!(documented, routed, "router and OpenAPI document differ");
    // Every documented route answers (not 404 or 405) on the running server.
    for (method, path) in &routed {
        let method: hyper::Method = method.parse().unwrap();
        let answer = server
            .send(
                method,
                path,
                &[("content-type", "application/json")],
                "{\"text\":\"\",\"drafts\":[]}",
            )
            .await;
        assert!(
            answer.status != 404 && answer.status != 405,
            "{path}: {}",
            answer.status
        );
    }
    server.stop().await;
}
