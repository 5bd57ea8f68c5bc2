//! `xianshen audit archive`: the example archive, the library's audit
//! through the binary, bad input named with file and line, field maps and
//! the three output formats.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use xianshen_audit::{Audit, AuditInput, AuditOptions, InputSource};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_xianshen"))
}

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/archive")
        .join(name)
}

fn audit(args: &[&str]) -> Output {
    bin()
        .arg("audit")
        .arg("archive")
        .args(args)
        .output()
        .unwrap()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

#[test]
fn the_example_archive_is_the_library_audit() {
    let posts = example("posts.jsonl");
    let messages = example("messages.jsonl");
    let out = audit(&[
        "--posts",
        posts.to_str().unwrap(),
        "--messages",
        messages.to_str().unwrap(),
        "--date",
        "2026-02-01",
    ]);
    // Problems found: severe gaps, late replies, a blocked post.
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cli = json(&out);
    assert_eq!(cli["schema"], "xianshen.audit/1");

    let screener = xianshen::Screener::new();
    let library = Audit::run(
        AuditInput {
            posts: vec![InputSource::open(&posts).unwrap()],
            messages: vec![InputSource::open(&messages).unwrap()],
        },
        &screener,
        &screener.policy().audit(),
        &AuditOptions {
            audit_date: "2026-02-01".parse().ok(),
            ..AuditOptions::default()
        },
    )
    .unwrap();
    let library: Value = serde_json::from_str(&library.to_json()).unwrap();
    assert_eq!(cli, library, "the CLI's audit differs from the library's");

    let main = &cli["accounts"][0];
    assert_eq!(main["account"], "示例大学");
    assert!(main["severe_gaps"].as_u64().unwrap() >= 1);
    assert!(main["overdue"].as_u64().unwrap() >= 1);
    assert!(main["blocked_posts"].as_u64().unwrap() >= 1);
}

#[test]
fn bad_lines_are_named_and_the_rest_audited() {
    let dir = tempfile::tempdir().unwrap();
    let posts = dir.path().join("posts.jsonl");
    std::fs::write(
        &posts,
        "{\"account\":\"甲\",\"published\":\"2026-03-02 09:00\",\"text\":\"开学典礼举行\"}\n\
         {\"account\":\"甲\",\"published\":\"2026-13-02 09:00\",\"text\":\"日期错了\"}\n\
         not json\n\
         {\"account\":\"甲\",\"published\":\"2026-03-05 09:00\",\"text\":\"运动会报名\"}\n",
    )
    .unwrap();
    let out = audit(&["--posts", posts.to_str().unwrap(), "--date", "2026-03-10"]);
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("posts.jsonl:2"), "{stderr}");
    assert!(stderr.contains("posts.jsonl:3"), "{stderr}");
    let a = json(&out);
    assert_eq!(a["inputs"]["posts"]["audited"], 2);
    assert_eq!(a["inputs"]["posts"]["errors"], 2);
    assert_eq!(a["errors"].as_array().unwrap().len(), 2);
}

#[test]
fn unreadable_input_and_bad_options_are_errors() {
    let out = audit(&["--posts", "/nonexistent/posts.jsonl"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/posts.jsonl"));

    let posts = example("posts.jsonl");
    let out = audit(&["--posts", posts.to_str().unwrap(), "--format", "csv"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--out"));

    let out = audit(&["--posts", posts.to_str().unwrap(), "--from", "2026-02-30"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "clap refuses a day that does not exist"
    );

    let dir = tempfile::tempdir().unwrap();
    let fields = dir.path().join("fields.toml");
    std::fs::write(&fields, "[posts]\ntext = \"content\"\nbody = \"x\"\n").unwrap();
    let out = audit(&[
        "--posts",
        posts.to_str().unwrap(),
        "--fields",
        fields.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("fields.toml:3:1"), "{stderr}");
}

#[test]
fn field_names_from_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let posts = dir.path().join("posts.jsonl");
    std::fs::write(
        &posts,
        "{\"who\":\"乙\",\"at\":\"2026-03-02T09:00:00+08:00\",\"body\":\"本店出售冰毒\"}\n",
    )
    .unwrap();
    let fields = dir.path().join("fields.toml");
    std::fs::write(
        &fields,
        "[posts]\naccount = \"who\"\npublished = \"at\"\ntext = \"body\"\n",
    )
    .unwrap();
    let out = audit(&[
        "--posts",
        posts.to_str().unwrap(),
        "--fields",
        fields.to_str().unwrap(),
        "--date",
        "2026-03-03",
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let a = json(&out);
    assert_eq!(a["accounts"][0]["account"], "乙");
    assert_eq!(a["accounts"][0]["blocked_posts"], 1);
}

#[test]
fn html_and_csv_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let posts = example("posts.jsonl");
    let messages = example("messages.jsonl");
    let common = [
        "--posts",
        posts.to_str().unwrap(),
        "--messages",
        messages.to_str().unwrap(),
        "--date",
        "2026-02-01",
    ];
    let page = dir.path().join("audit.html");
    let out = audit(
        &[
            &common[..],
            &["--format", "html", "--out", page.to_str().unwrap()],
        ]
        .concat(),
    );
    assert_eq!(out.status.code(), Some(1));
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") || html.starts_with("<!doctype html>"));
    assert!(html.matches("<svg").count() >= 4);
    assert!(!html.contains("<script src") && !html.contains("<link "));

    let tables = dir.path().join("csv");
    let out = audit(
        &[
            &common[..],
            &["--format", "csv", "--out", tables.to_str().unwrap()],
        ]
        .concat(),
    );
    assert_eq!(out.status.code(), Some(1));
    let names: Vec<String> = std::fs::read_dir(&tables)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.len() >= 4, "{names:?}");
    assert!(names.iter().all(|n| n.ends_with(".csv")), "{names:?}");
}

#[test]
fn many_record_errors_are_counted_by_kind_after_the_first_twenty() {
    let dir = tempfile::tempdir().unwrap();
    let posts = dir.path().join("posts.jsonl");
    let mut lines = String::from(
        "{\"account\":\"甲\",\"published\":\"2026-03-02 09:00\",\"text\":\"开学典礼\"}\n",
    );
    for _ in 0..25 {
        lines.push_str("not json\n");
    }
    for _ in 0..5 {
        lines.push_str("{\"account\":\"甲\",\"published\":\"yesterday\",\"text\":\"x\"}\n");
    }
    std::fs::write(&posts, lines).unwrap();
    let out = audit(&["--posts", posts.to_str().unwrap(), "--date", "2026-03-10"]);
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.matches("posts.jsonl:").count(), 20, "{stderr}");
    assert!(
        stderr.contains("… and 10 more record errors (bad_time 5, json 5)"),
        "{stderr}"
    );
    assert_eq!(json(&out)["errors"].as_array().unwrap().len(), 30);
}
