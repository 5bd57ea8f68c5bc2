//! Golden audits: every folder under `tests/golden/` is a small archive
//! (`posts*.jsonl|csv`, `messages*.jsonl|csv`), its options (`case.json`:
//! `from`, `to`, `audit_date`, `account`, `fields`, optional `policy`) and
//! the audit it must give (`expected.json`). The engine version and the
//! policy fingerprint are masked, so that an unrelated change to the
//! default policy's canonical form does not touch every case.
//!
//! `UPDATE_GOLDEN=1 cargo test -p xianshen-audit --test golden` rewrites
//! the expectations; review the diff before committing it.

use serde::Deserialize;
use serde_json::Value;
use std::path::{Path, PathBuf};
use xianshen_audit::{Audit, AuditInput, AuditOptions, FieldMap, InputSource};

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Case {
    /// What the case covers.
    #[allow(dead_code)]
    description: String,
    from: Option<String>,
    to: Option<String>,
    audit_date: String,
    account: Option<String>,
    #[serde(default)]
    fields: FieldMap,
    /// A policy file in the case folder (the embedded policy otherwise).
    policy: Option<String>,
}

fn date(s: &Option<String>) -> Option<xianshen::Date> {
    s.as_ref().map(|s| s.parse().expect("a date in case.json"))
}

fn inputs(dir: &Path, prefix: &str) -> Vec<InputSource> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with(prefix) && (name.ends_with(".jsonl") || name.ends_with(".csv"))
        })
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let bytes = std::fs::read(&p).unwrap();
            let format = xianshen_audit::InputFormat::from_path(&p);
            InputSource::from_reader(name, format, std::io::Cursor::new(bytes))
        })
        .collect()
}

fn masked(audit: &Audit, embedded_policy: bool) -> Value {
    let mut v = serde_json::to_value(audit).unwrap();
    v["engine"]["version"] = Value::from("<version>");
    v["policy"]["fingerprint"] = Value::from("<fingerprint>");
    if embedded_policy {
        v["policy"]["version"] = Value::from("<embedded>");
    }
    v
}

fn run_case(dir: &Path) -> Value {
    let case: Case = serde_json::from_str(&std::fs::read_to_string(dir.join("case.json")).unwrap())
        .unwrap_or_else(|e| panic!("{}: case.json: {e}", dir.display()));
    let screener = match &case.policy {
        Some(p) => {
            xianshen::Screener::from_policy(xianshen::Policy::from_file(dir.join(p)).unwrap())
                .unwrap()
        }
        None => xianshen::Screener::new(),
    };
    let options = AuditOptions {
        from: date(&case.from),
        to: date(&case.to),
        audit_date: date(&Some(case.audit_date.clone())),
        fields: case.fields.clone(),
        account: case.account.clone(),
    };
    let input = AuditInput {
        posts: inputs(dir, "posts"),
        messages: inputs(dir, "messages"),
    };
    let audit = Audit::run(input, &screener, &screener.policy().audit(), &options).unwrap();
    // Every output renders, whatever the case.
    let html = audit.to_html();
    assert!(html.starts_with("<!DOCTYPE html>") && html.ends_with("</html>\n"));
    for asset in ["<script", " src=", " href=", "url(", "@import"] {
        assert!(
            !html.contains(asset),
            "{}: the page loads {asset}",
            dir.display()
        );
    }
    assert_eq!(audit.to_csv_tables().len(), 10);
    masked(&audit, case.policy.is_none())
}

/// The first lines where two pretty JSON texts differ.
fn diff(expected: &str, actual: &str) -> String {
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let first = e
        .iter()
        .zip(&a)
        .position(|(x, y)| x != y)
        .unwrap_or(e.len().min(a.len()));
    let from = first.saturating_sub(3);
    let mut out = format!("first difference at line {}:\n", first + 1);
    for i in from..(first + 8).min(e.len().max(a.len())) {
        let x = e.get(i).copied().unwrap_or("<end>");
        let y = a.get(i).copied().unwrap_or("<end>");
        if x == y {
            out.push_str(&format!("  {x}\n"));
        } else {
            out.push_str(&format!("- {x}\n+ {y}\n"));
        }
    }
    out
}

#[test]
fn golden_audits() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("case.json").exists())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 8, "golden cases found: {}", dirs.len());
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut failures = Vec::new();
    for dir in &dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let actual = serde_json::to_string_pretty(&run_case(dir)).unwrap() + "\n";
        let path = dir.join("expected.json");
        if update {
            std::fs::write(&path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_default();
        if expected != actual {
            failures.push(format!("case {name}: {}", diff(&expected, &actual)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
