//! The golden vectors (`tests/cases/*.toml`) through HTTP: every case's
//! report from `POST /v1/screen` and from `POST /v1/screen/batch` equals
//! the library's, finding for finding, and matches the case's expected
//! findings; a policy that must fail to load fails to start the server
//! with the same line and column.

mod common;

use common::TestServer;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use xianshen::Screener;
use xianshen_cases::{cases_dir, utf16_slice, Case, Expected};
use xianshen_serve::{Limits, PolicySource, ServeError, ServerBuilder};

fn request(case: &Case) -> Value {
    json!({
        "text": case.input,
        "title": case.title,
        "repost": case.repost,
        "source": case.source,
        "kind": case.kind,
    })
}

fn library_report(screener: &Screener, case: &Case) -> Value {
    let draft = case.draft().expect("a known kind");
    serde_json::to_value(screener.screen(&draft)).unwrap()
}

/// The service's report less what the service adds, checking the UTF-16
/// offsets (the library's own, which the service keeps) on the way.
fn strip_service_fields(case: &Case, mut report: Value) -> Value {
    if let Some(object) = report.as_object_mut() {
        object.remove("request_id");
        object.remove("policy_fingerprint");
        assert_eq!(object.remove("input_format"), Some(json!("text")));
    }
    for f in report["findings"].as_array_mut().unwrap() {
        let object = f.as_object_mut().unwrap();
        let start = object["utf16_start"].as_u64().unwrap() as usize;
        let end = object["utf16_end"].as_u64().unwrap() as usize;
        assert_eq!(
            utf16_slice(&case.input, start, end).as_deref(),
            object["text"].as_str(),
            "{}: utf16 offsets",
            case.name
        );
    }
    report
}

fn check_expected(case: &Case, report: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    if let Some(expected) = &case.findings {
        let actual = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| Expected::from_json(f).expect("a finding"));
        problems.extend(case.diff_findings("findings", expected, actual));
    }
    if let Some(v) = &case.verdict {
        if report["verdict"] != v.as_str() {
            problems.push(format!("verdict {}, expected {v}", report["verdict"]));
        }
    }
    problems
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn golden_vectors_through_http_equal_the_library() {
    let cases = xianshen_cases::load(cases_dir()).unwrap_or_else(|e| panic!("{e}"));
    assert!(cases.len() > 100, "{} cases", cases.len());
    let mut by_policy: BTreeMap<Option<String>, Vec<&Case>> = BTreeMap::new();
    for case in &cases {
        by_policy.entry(case.policy.clone()).or_default().push(case);
    }
    let limits = Limits {
        batch_drafts: 10_000,
        body_bytes: 16 << 20,
        ..Limits::default()
    };
    let mut failures = Vec::new();
    let mut screened = 0;
    for (policy, group) in &by_policy {
        let source = match policy {
            None => PolicySource::Embedded,
            Some(text) => PolicySource::Toml {
                text: text.clone(),
                base_dir: Some(group[0].base_dir().to_path_buf()),
            },
        };
        let errors: Vec<&&Case> = group.iter().filter(|c| c.error.is_some()).collect();
        if !errors.is_empty() {
            let bound = ServerBuilder::new()
                .listen("127.0.0.1:0".parse().unwrap())
                .policy(source)
                .logger(xianshen_serve::log::Logger::to_writer(std::io::sink()))
                .bind()
                .await;
            let Err(ServeError::Policy(e)) = bound else {
                failures.push(format!("{}: the server started", errors[0].name));
                continue;
            };
            for case in errors {
                let expected = case.error.as_ref().unwrap();
                for problem in expected.check_location(&e) {
                    failures.push(format!("{}: {problem}", case.name));
                }
            }
            continue;
        }
        let screener = match policy {
            None => Screener::new(),
            Some(_) => Screener::from_policy(group[0].policy().unwrap()).unwrap(),
        };
        let server =
            TestServer::start(ServerBuilder::new().policy(source).limits(limits.clone())).await;
        let drafts: Vec<Value> = group.iter().map(|c| request(c)).collect();
        let batch = server
            .post_json("/v1/screen/batch", &json!({"drafts": drafts}))
            .await;
        assert_eq!(batch.status, 200, "{}", batch.text());
        let batch = batch.json();
        for (i, case) in group.iter().enumerate() {
            let single = server.post_json("/v1/screen", &request(case)).await;
            assert_eq!(single.status, 200, "{}: {}", case.name, single.text());
            let library = library_report(&screener, case);
            let from_single = strip_service_fields(case, single.json());
            let from_batch = strip_service_fields(case, batch["results"][i].clone());
            if from_single != library {
                failures.push(format!(
                    "{}: /v1/screen differs\n  http:    {from_single}\n  library: {library}",
                    case.name
                ));
            }
            if from_batch != library {
                failures.push(format!("{}: /v1/screen/batch differs", case.name));
            }
            for problem in check_expected(case, &from_single) {
                failures.push(format!("{}: {problem}", case.name));
            }
            screened += 1;
        }
        server.stop().await;
    }
    println!("{screened} golden cases screened through HTTP");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
