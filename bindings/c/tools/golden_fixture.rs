//! Writes the golden vectors of `tests/cases/*.toml` as a line-based
//! fixture that `tests/golden.c` reads, so the C side needs no TOML parser.
//!
//! Usage: `cargo run --example golden_fixture -- CASES_DIR > golden.txt`,
//! or `-- --jsonl CASES_DIR > golden.jsonl` for the JSON-lines form the
//! Java and Node tests read (one object per case, see [`json_record`]).
//!
//! One record per case, one field per line, tokens separated by one space.
//! Strings are `x` followed by their bytes in hex (`x` alone is ""), `-`
//! means absent. Besides what the case file expects, each record carries
//! `json`: the report the Rust library produces for the same draft, which
//! the C test compares byte for byte with `xs_report_json`.
//!
//! ```text
//! case <name>
//! policy <str|->
//! input <str>
//! title <str|->
//! source <str|->
//! repost unknown|yes|no
//! kind article|repost|comment|reply|response
//! rules <n> <str>...
//! verdict <name|->
//! approval <name|->
//! truncated 0|1|-
//! findings <n|->
//! finding <rule> <start> <end> <str> <evasion|->  (n lines)
//! redact char|replace|suggest <codepoint|str> <n> <str>... <output str>
//! error <kind> <line|-> <column|-> <contains str|->
//! json <str>
//! end
//! ```

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use xianshen_cases::Case;
use xs_core::{Mask, Screener};

fn s(text: &str) -> String {
    format!("x{}", xs_core::digest::hex(text.as_bytes()))
}

fn opt(text: Option<&str>) -> String {
    text.map_or_else(|| "-".to_string(), s)
}

fn num(n: Option<usize>) -> String {
    n.map_or_else(|| "-".to_string(), |n| n.to_string())
}

fn list(items: Option<&Vec<String>>) -> String {
    let items = items.map(Vec::as_slice).unwrap_or_default();
    let mut out = items.len().to_string();
    for i in items {
        out.push(' ');
        out.push_str(&s(i));
    }
    out
}

fn record(c: &Case, out: &mut String) {
    let _ = writeln!(out, "case {}", c.name);
    let _ = writeln!(out, "policy {}", opt(c.policy.as_deref()));
    let _ = writeln!(out, "input {}", s(&c.input));
    let _ = writeln!(out, "title {}", opt(c.title.as_deref()));
    let _ = writeln!(out, "source {}", opt(c.source.as_deref()));
    let repost = match c.repost {
        None => "unknown",
        Some(true) => "yes",
        Some(false) => "no",
    };
    let _ = writeln!(out, "repost {repost}");
    let kind = c.kind().unwrap_or_else(|e| panic!("{}: {e}", c.name));
    let _ = writeln!(out, "kind {kind}");
    let _ = writeln!(out, "rules {}", list(c.rules.as_ref()));
    let _ = writeln!(out, "verdict {}", c.verdict.as_deref().unwrap_or("-"));
    let _ = writeln!(out, "approval {}", c.approval.as_deref().unwrap_or("-"));
    let truncated = c.truncated.map_or("-", |t| if t { "1" } else { "0" });
    let _ = writeln!(out, "truncated {truncated}");
    match &c.findings {
        None => out.push_str("findings -\n"),
        Some(fs) => {
            let _ = writeln!(out, "findings {}", fs.len());
            for f in fs {
                let _ = writeln!(
                    out,
                    "finding {} {} {} {} {}",
                    f.rule,
                    f.start,
                    f.end,
                    s(&f.text),
                    f.evasion.as_deref().unwrap_or("-")
                );
            }
        }
    }
    if let Some(r) = &c.redact {
        let how = match r.mask().unwrap_or_else(|e| panic!("{}: {e}", c.name)) {
            Mask::Char(ch) => format!("char {}", ch as u32),
            Mask::Replace(t) => format!("replace {}", s(&t)),
            Mask::SuggestionOr(ch) => format!("suggest {}", ch as u32),
        };
        let _ = writeln!(
            out,
            "redact {how} {} {}",
            list(r.rules.as_ref()),
            s(&r.output)
        );
    }
    if let Some(e) = &c.error {
        let _ = writeln!(
            out,
            "error {} {} {} {}",
            e.kind,
            num(e.line),
            num(e.column),
            opt(e.contains.as_deref())
        );
    } else if let Some(json) = rust_report(c) {
        let _ = writeln!(out, "json {}", s(&json));
    }
    out.push_str("end\n");
}

/// The report the Rust library gives for a case's draft, without
/// redaction; `None` for a case whose policy must fail.
fn rust_report(c: &Case) -> Option<String> {
    if c.error.is_some() {
        return None;
    }
    let draft = c.draft().unwrap_or_else(|e| panic!("{}: {e}", c.name));
    let policy = c
        .policy()
        .unwrap_or_else(|e| panic!("{}: policy does not load: {e}", c.name));
    let screener = Screener::from_policy(policy).expect("screener builds");
    Some(screener.screen(&draft).to_json())
}

/// One case as a JSON object: the case's fields, `base_dir` (the absolute
/// cases folder, for the policy's list files), `options` (the
/// `xs_screen_json` options of its draft, `redact` included when the case
/// redacts), `redact_output`, and `json`, the Rust library's report.
fn json_record(dir: &Path, c: &Case) -> String {
    let mut options = serde_json::Map::new();
    if let Some(t) = &c.title {
        options.insert("title".into(), t.as_str().into());
    }
    if let Some(t) = &c.source {
        options.insert("source".into(), t.as_str().into());
    }
    if let Some(r) = c.repost {
        options.insert("repost".into(), r.into());
    }
    if let Some(k) = &c.kind {
        options.insert("kind".into(), k.as_str().into());
    }
    if let Some(r) = &c.redact {
        let mut how = serde_json::Map::new();
        match r.mask().unwrap_or_else(|e| panic!("{}: {e}", c.name)) {
            Mask::Char(ch) => how.insert("mask".into(), ch.to_string().into()),
            Mask::Replace(t) => how.insert("replace".into(), t.into()),
            Mask::SuggestionOr(ch) => how.insert("suggest".into(), ch.to_string().into()),
        };
        if let Some(rules) = &r.rules {
            how.insert("rules".into(), serde_json::json!(rules));
        }
        options.insert("redact".into(), how.into());
    }
    let base_dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    serde_json::json!({
        "name": c.name,
        "input": c.input,
        "policy": c.policy,
        "base_dir": base_dir.to_string_lossy(),
        "options": options,
        "rules": c.rules,
        "verdict": c.verdict,
        "approval": c.approval,
        "truncated": c.truncated,
        "findings": c.findings,
        "redact_output": c.redact.as_ref().map(|r| r.output.as_str()),
        "error": c.error,
        "json": rust_report(c),
    })
    .to_string()
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let jsonl = args.first().is_some_and(|a| a == "--jsonl");
    if jsonl {
        args.remove(0);
    }
    let dir = PathBuf::from(
        args.first()
            .expect("usage: golden_fixture [--jsonl] CASES_DIR"),
    );
    let cases = xianshen_cases::load(&dir).unwrap_or_else(|e| panic!("{e}"));
    let mut out = String::new();
    for case in &cases {
        if jsonl {
            out.push_str(&json_record(&dir, case));
            out.push('\n');
        } else {
            record(case, &mut out);
        }
    }
    print!("{out}");
}
