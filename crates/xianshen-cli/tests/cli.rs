//! End-to-end tests of the `xianshen` binary.

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use xianshen_cases::{cases_dir, utf16_slice, Case, Expected};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_xianshen"))
}

fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    // A run that fails early (a bad policy) may exit before reading.
    if let Err(e) = child.stdin.take().unwrap().write_all(stdin) {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    child.wait_with_output().unwrap()
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("bad JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn stdin_json_report_slices_input_and_blocks() {
    let input = "本店出售冰毒，量大从优";
    let out = run(&["check", "--format", "json", "-"], input.as_bytes());
    assert_eq!(out.status.code(), Some(2));
    let reports = json(&out);
    let report = &reports.as_array().unwrap()[0];
    assert_eq!(report["schema"], "xianshen.report/1");
    assert_eq!(report["path"], "-");
    assert_eq!(report["verdict"], "block");
    let findings = report["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    for f in findings {
        let (s, e) = (
            f["start"].as_u64().unwrap() as usize,
            f["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&input[s..e], f["text"].as_str().unwrap());
    }
    assert!(report["policy"]["fingerprint"]
        .as_str()
        .unwrap()
        .starts_with("sha256:"));
    assert_eq!(report["input"]["bytes"], input.len());
}

#[test]
fn exit_codes_follow_the_verdict() {
    let code = |text: &str| run(&["check", "-"], text.as_bytes()).status.code();
    assert_eq!(code("学校召开工作会议。"), Some(0));
    assert_eq!(code("我认为这样不妥。"), Some(1));
    assert_eq!(code("出售冰毒"), Some(2));
}

#[test]
fn text_output_underlines_the_hit() {
    let out = run(
        &["check", "--color", "never", "-"],
        "第一行\n本店出售冰毒".as_bytes(),
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("-:2:3: block term.drugs"), "{text}");
    assert!(text.contains(" 2 | 本店出售冰毒"), "{text}");
    // Two display columns per CJK char: the carets sit under 出售冰毒.
    assert!(text.contains("   |     ^^^^^^^^\n"), "{text}");
    assert!(text.contains("-: block · sign-off: head"), "{text}");
}

#[test]
fn policy_typo_names_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("p.toml");
    std::fs::write(
        &policy,
        "[meta]\nname = \"x\"\n\n[[lexicon]]\ntag = \"a\"\nseveritty = \"block\"\nterms = [\"x\"]\n",
    )
    .unwrap();
    let out = run(
        &["check", "--policy", policy.to_str().unwrap(), "-"],
        b"text",
    );
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains(&format!("{}:6:1", policy.display())), "{err}");
    assert!(err.contains("severitty"), "{err}");

    std::fs::write(
        &policy,
        "[meta]\nname = \"x\"\n[[lexicon]]\ntag = \"a\"\nseverity = \"blocker\"\nterms = [\"x\"]\n",
    )
    .unwrap();
    let out = run(&["policy", "check", policy.to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains(&format!("{}:5:12", policy.display())), "{err}");
}

#[test]
fn unreadable_and_undecodable_files_are_counted_errors() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "出售冰毒").unwrap();
    std::fs::write(dir.path().join("b.txt"), b"ok \xff\xfe bad").unwrap();
    let missing = dir.path().join("missing.txt");
    let out = run(
        &[
            "check",
            "--format",
            "jsonl",
            dir.path().to_str().unwrap(),
            missing.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(3), "an error wins over block");
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "one line per input, errors included");
    assert_eq!(lines[0]["verdict"], "block");
    let bad = lines[1]["error"].as_str().unwrap();
    assert!(bad.contains("byte offset 3"), "{bad}");
    let missing = lines[2]["error"].as_str().unwrap();
    assert!(missing.contains("cannot read"), "{missing}");
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.matches("error:").count(), 2, "{err}");
}

#[test]
fn text_summary_counts_verdicts_and_errors() {
    let out = bin()
        .args(["check", "--color", "never"])
        .arg(repo().join("examples/drafts"))
        .arg("/nonexistent/x.txt")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("screened 6 drafts: 1 pass, 2 review, 3 block; 1 error"),
        "{text}"
    );
}

#[test]
fn policy_check_and_dump_default() {
    let out = run(&["policy", "dump-default"], b"");
    assert_eq!(out.status.code(), Some(0));
    let dumped = String::from_utf8(out.stdout).unwrap();
    assert_eq!(dumped, xianshen::DEFAULT_POLICY_TOML);

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("default.toml");
    std::fs::write(&path, &dumped).unwrap();
    let out = run(&["policy", "check", path.to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("term.drugs"), "{text}");
    assert!(text.contains("classified.marking"), "{text}");
    assert!(text.contains("terms at risk of false positives"), "{text}");
    assert!(
        text.lines().any(|l| l.contains("term.threat")
            && l.contains("only comment, reply; threats, where the writer makes them")),
        "{text}"
    );
    assert!(
        text.contains("protected names: 48 (") && text.contains("全国人民代表大会"),
        "{text}"
    );

    let example = repo().join("examples/policy/example.toml");
    let out = run(&["policy", "check", example.to_str().unwrap()], b"");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("term.campus"), "{text}");
    // The default's 48 names and the unit's own four.
    assert!(text.contains("protected names: 52 ("), "{text}");
}

#[test]
fn the_screening_date_is_an_input_and_in_the_report() {
    // An ID number whose holder is born on 2021-01-01 (valid check digit).
    let text = "身份证号110105202101010012，请核对。";
    let before = run(
        &["check", "--format", "json", "--date", "2020-12-31", "-"],
        text.as_bytes(),
    );
    let after = run(
        &["check", "--format", "json", "--date", "2021-01-01", "-"],
        text.as_bytes(),
    );
    assert_eq!(json(&before)[0]["date"], "2020-12-31");
    assert_eq!(json(&after)[0]["date"], "2021-01-01");
    let rules = |out: &std::process::Output| -> Vec<String> {
        json(out)[0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(!rules(&before).contains(&"privacy.id_card".to_string()));
    assert!(rules(&after).contains(&"privacy.id_card".to_string()));
    let bad = run(&["check", "--date", "2021-02-30", "-"], text.as_bytes());
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("does not exist"));
}

#[test]
fn metadata_flags_reach_the_draft() {
    let text = "全省推进政务新媒体规范化建设。";
    let out = run(
        &["check", "--format", "json", "--repost", "-"],
        text.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(json(&out)[0]["findings"][0]["rule"], "attribution.missing");
    let out = run(
        &[
            "check",
            "--format",
            "json",
            "--repost",
            "--source",
            "新华社",
            "-",
        ],
        text.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(0));
}

/// The arguments for one golden case, or `None` when the CLI cannot express
/// it (repost = false, or a policy that names other files).
fn case_args(case: &Case, policy_path: &Path) -> Option<Vec<String>> {
    if case.repost == Some(false) {
        return None;
    }
    let mut args: Vec<String> = vec!["check".into(), "--format".into(), "json".into()];
    if let Some(policy) = &case.policy {
        let other_files = policy.contains("files")
            || (policy.contains("extends") && !policy.contains("extends = \"default\""));
        if other_files {
            return None;
        }
        std::fs::write(policy_path, policy).unwrap();
        args.extend(["--policy".into(), policy_path.display().to_string()]);
    }
    if let Some(t) = &case.title {
        args.extend(["--title".into(), t.clone()]);
    }
    if case.repost == Some(true) {
        args.push("--repost".into());
    }
    if let Some(s) = &case.source {
        args.extend(["--source".into(), s.clone()]);
    }
    if let Some(k) = &case.kind {
        args.extend(["--kind".into(), k.clone()]);
    }
    args.push("-".into());
    Some(args)
}

/// The shared golden vectors through the binary: the same findings as the
/// library harness gives.
#[test]
fn golden_vectors_through_the_cli() {
    let cases = xianshen_cases::load(cases_dir()).unwrap_or_else(|e| panic!("{e}"));
    let tmp = tempfile::tempdir().unwrap();
    let policy_path = tmp.path().join("policy.toml");
    let (mut ran, mut failures) = (0, Vec::new());
    for case in &cases {
        let Some(expected) = &case.findings else {
            continue;
        };
        let Some(args) = case_args(case, &policy_path) else {
            continue;
        };
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = run(&argv, case.input.as_bytes());
        let report = &json(&out)[0];
        let findings_of = |field: &str| {
            report
                .get(field)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|f| Expected::from_json(f).expect("a finding"))
        };
        for f in report["findings"].as_array().into_iter().flatten() {
            let (a, b) = (f["utf16_start"].as_u64(), f["utf16_end"].as_u64());
            let sliced = a
                .zip(b)
                .and_then(|(a, b)| utf16_slice(&case.input, a as usize, b as usize));
            if sliced.as_deref() != f["text"].as_str() {
                failures.push(format!("{}: utf16 offsets do not slice {f}", case.name));
            }
        }
        let diffs = [
            case.diff_findings("findings", expected, findings_of("findings")),
            case.title_findings.as_ref().and_then(|expected| {
                case.diff_findings("title findings", expected, findings_of("title_findings"))
            }),
        ];
        for diff in diffs.into_iter().flatten() {
            failures.push(format!("{}: {diff}", case.name));
        }
        ran += 1;
    }
    assert!(ran > 100, "only {ran} cases ran through the CLI");
    assert!(
        failures.is_empty(),
        "{} of {ran} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn kind_flag_and_jsonl_field_reach_the_draft() {
    let rules = |out: &Output| -> Vec<String> {
        String::from_utf8(out.stdout.clone())
            .unwrap()
            .lines()
            .flat_map(|l| {
                let v: Value = serde_json::from_str(l).unwrap();
                v["findings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|f| f["rule"].as_str().unwrap().to_string())
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    // A comment from the public is not the account's opinion.
    let text = "我认为这个政策很好，我觉得应该早点推行。";
    let article = run(&["check", "--format", "jsonl", "-"], text.as_bytes());
    assert!(rules(&article).contains(&"opinion.personal".to_string()));
    let comment = run(
        &["check", "--format", "jsonl", "--kind", "comment", "-"],
        text.as_bytes(),
    );
    assert!(!rules(&comment).contains(&"opinion.personal".to_string()));
    assert_eq!(comment.status.code(), Some(0));

    // Per post in JSONL, with a bad kind reported by line.
    let jsonl = concat!(
        "{\"id\": 1, \"text\": \"我认为这个政策很好。\", \"kind\": \"comment\"}\n",
        "{\"id\": 2, \"text\": \"我认为这个政策很好。\"}\n",
        "{\"id\": 3, \"text\": \"会议通知。\", \"kind\": \"tweet\"}\n",
    );
    let out = run(
        &["check", "--format", "jsonl", "--input-format", "jsonl", "-"],
        jsonl.as_bytes(),
    );
    let all: Vec<Value> = String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let (lines, errors): (Vec<Value>, Vec<Value>) =
        all.into_iter().partition(|v| v.get("findings").is_some());
    assert_eq!(lines.len(), 2, "the bad line is an error, not a report");
    assert_eq!(errors.len(), 1);
    assert!(errors[0]["error"].as_str().unwrap().contains("line 3"));
    assert!(lines[0]["findings"].as_array().unwrap().is_empty());
    assert_eq!(lines[1]["findings"][0]["rule"], "opinion.personal");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("line 3") && stderr.contains("tweet"),
        "{stderr}"
    );
    assert_ne!(out.status.code(), Some(0));

    // An unknown --kind is a usage error naming the value.
    let out = run(&["check", "--kind", "tweet", "-"], b"x");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("tweet"));
}
