//! The bad-input matrix through the `xianshen` binary: each row exits with a
//! clear error (status 3, the file named) or screens correctly.

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_xianshen"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    // Written from a thread so a child that answers early cannot deadlock us.
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

/// `--encoding utf-8` when the binary has that option (encodings arrive
/// with the input crate), so that invalid UTF-8 is never guessed as
/// another encoding here.
fn utf8_args() -> Vec<&'static str> {
    let help = run(&["check", "--help"], b"");
    if String::from_utf8_lossy(&help.stdout).contains("--encoding") {
        vec!["--encoding", "utf-8"]
    } else {
        Vec::new()
    }
}

fn check_json(extra: &[&str], stdin: &[u8]) -> (i32, Value, String) {
    let mut args = vec!["check", "--format", "json"];
    args.extend(extra);
    let out = run(&args, stdin);
    let value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "bad JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (
        out.status.code().unwrap(),
        value,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn tempdir() -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "xianshen-cli-bad-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn policy_error(policy: &Path) -> (i32, String) {
    let out = run(
        &["check", "--policy", policy.to_str().unwrap(), "-"],
        "出售冰毒".as_bytes(),
    );
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn empty_and_noise_only_input_pass() {
    for input in ["", " \n\t　，。…★😀\u{200B}\u{FEFF}".repeat(100).as_str()] {
        let (code, v, _) = check_json(&["-"], input.as_bytes());
        assert_eq!(code, 0, "{input:?}");
        assert_eq!(v[0]["verdict"], "pass");
        assert_eq!(v[0]["findings"].as_array().unwrap().len(), 0);
        assert_eq!(v[0]["input"]["bytes"], input.len());
    }
}

#[test]
fn nul_bytes_are_screened_as_text() {
    let input = "\0前文\0出售冰毒\0";
    let (code, v, _) = check_json(&["-"], input.as_bytes());
    assert_eq!(code, 2);
    let f = &v[0]["findings"][0];
    let (s, e) = (f["start"].as_u64().unwrap(), f["end"].as_u64().unwrap());
    assert_eq!(&input[s as usize..e as usize], f["text"].as_str().unwrap());
}

#[test]
fn invalid_utf8_is_a_counted_error_that_skips_nothing() {
    let dir = tempdir();
    std::fs::write(dir.join("a-bad.txt"), b"ok \xe5\x86\xb0 then \xff\xfe bad").unwrap();
    std::fs::write(dir.join("b-good.txt"), "本店出售冰毒").unwrap();
    let mut args = utf8_args();
    args.push(dir.to_str().unwrap());
    let (code, v, stderr) = check_json(&args, b"");
    assert_eq!(code, 3, "an error wins: {stderr}");
    let reports = v.as_array().unwrap();
    assert_eq!(reports.len(), 2, "the good file is still screened");
    let bad = &reports[0];
    assert!(bad["path"].as_str().unwrap().ends_with("a-bad.txt"));
    let msg = bad["error"].as_str().unwrap();
    assert!(msg.contains("UTF-8") && msg.contains("offset 12"), "{msg}");
    assert_eq!(reports[1]["verdict"], "block");
    assert!(stderr.contains("a-bad.txt"), "{stderr}");
    // The same on standard input.
    let mut args = utf8_args();
    args.push("-");
    let (code, v, _) = check_json(&args, b"\xc0\xaf");
    assert_eq!(code, 3);
    assert!(v[0]["error"].as_str().unwrap().contains("UTF-8"));
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn a_long_single_line_and_a_repeated_term_are_capped() {
    // 5 MB on one line, a term every 12 bytes: findings capped at the
    // default max_findings, with truncated = true.
    let input = "出售冰毒".repeat(5 << 20 >> 4);
    let (code, v, _) = check_json(&["-"], input.as_bytes());
    assert_eq!(code, 2);
    assert_eq!(v[0]["truncated"], true);
    assert_eq!(
        v[0]["findings"].as_array().unwrap().len(),
        xianshen::DEFAULT_MAX_FINDINGS
    );
    // A policy's own cap.
    let dir = tempdir();
    let policy = dir.join("p.toml");
    std::fs::write(
        &policy,
        "[meta]\nname = \"p\"\n[[lexicon]]\ntag = \"d\"\nseverity = \"block\"\nterms = [\"冰毒\"]\n[limits]\nmax_findings = 3\n",
    )
    .unwrap();
    let (code, v, _) = check_json(
        &["--policy", policy.to_str().unwrap(), "-"],
        "冰毒".repeat(1000).as_bytes(),
    );
    assert_eq!(code, 2);
    assert_eq!(v[0]["findings"].as_array().unwrap().len(), 3);
    assert_eq!(v[0]["truncated"], true);
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn bad_policies_are_clear_errors() {
    let dir = tempdir();
    let cases: &[(&str, &str, &str)] = &[
        ("malformed.toml", "[meta\nname = \"x\"\n", "malformed.toml:1:"),
        (
            "noise.toml",
            "[meta]\nname = \"x\"\n[[lexicon]]\ntag = \"t\"\nseverity = \"block\"\nterms = [\"，，\"]\n",
            "noise.toml:6:",
        ),
        (
            "dir.toml",
            "[meta]\nname = \"x\"\n[[lexicon]]\ntag = \"t\"\nseverity = \"block\"\nfiles = [\"lists\"]\n",
            "cannot read list file",
        ),
        (
            "self.toml",
            "[meta]\nname = \"x\"\nextends = \"self.toml\"\n",
            "extends itself",
        ),
        (
            "long.toml",
            "[meta]\nname = \"x\"\n[[lexicon]]\ntag = \"t\"\nseverity = \"block\"\nterms = [\"长长长\"]\n[limits]\nmax_term_chars = 2\n",
            "max_term_chars = 2",
        ),
    ];
    std::fs::create_dir(dir.join("lists")).unwrap();
    for (name, text, expect) in cases {
        std::fs::write(dir.join(name), text).unwrap();
        let (code, stderr) = policy_error(&dir.join(name));
        assert_eq!(code, 3, "{name}: {stderr}");
        assert!(stderr.contains(expect), "{name}: {stderr}");
    }
    // `policy check` says the same.
    let out = run(
        &["policy", "check", dir.join("self.toml").to_str().unwrap()],
        b"",
    );
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("extends itself"));
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn deeply_nested_html_is_screened() {
    // As text (the HTML input format has its own row below).
    let depth = 50_000;
    let input = format!(
        "{}<p>本店出售冰毒</p>{}",
        "<div><span>".repeat(depth),
        "</span></div>".repeat(depth)
    );
    let (code, v, _) = check_json(&["-"], input.as_bytes());
    assert_eq!(code, 2);
    let f = v[0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "term.drugs")
        .expect("the term inside the markup");
    let s = f["start"].as_u64().unwrap() as usize;
    let e = f["end"].as_u64().unwrap() as usize;
    assert_eq!(&input[s..e], "出售冰毒");
}

fn nested_html_through_the_html_input_format(depth: usize) {
    let html = format!(
        "<html><body>{}<p>本店出售冰毒</p>{}</body></html>",
        "<div><span>".repeat(depth),
        "</span></div>".repeat(depth)
    );
    let dir = tempdir();
    let path = dir.join("deep.html");
    std::fs::write(&path, &html).unwrap();
    let (code, v, stderr) = check_json(&["--input-format", "html", path.to_str().unwrap()], b"");
    assert_eq!(code, 2, "{stderr}");
    let f = v[0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "term.drugs")
        .unwrap_or_else(|| panic!("no term finding: {v}"));
    let s = f["start"].as_u64().unwrap() as usize;
    let e = f["end"].as_u64().unwrap() as usize;
    assert_eq!(&html[s..e], "出售冰毒");
    // Unclosed elements, nested without end.
    let html = "<div>".repeat(depth) + "出售冰毒";
    std::fs::write(&path, &html).unwrap();
    let (code, v, stderr) = check_json(&["--input-format", "html", path.to_str().unwrap()], b"");
    assert_eq!(code, 2, "{stderr}: {v}");
    std::fs::remove_dir_all(dir).ok();
}

/// The HTML reader (xianshen-input): nested elements around one paragraph;
/// the finding's offsets point into the HTML file itself.
#[test]
fn deeply_nested_html_through_the_html_input_format() {
    nested_html_through_the_html_input_format(10_000);
}

/// 100k levels: the HTML reader tracks only the first open block levels
/// (it was quadratic in the depth of closed nesting: 100k levels took 45 s
/// in debug, 3.8 s in release).
#[test]
fn nested_html_100k_levels() {
    nested_html_through_the_html_input_format(100_000);
}
