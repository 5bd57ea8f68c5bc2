//! Issue 7: a folder of mixed encodings and formats, a JSONL export and an
//! unreadable file, screened in one command; SARIF and HTML reports;
//! chunked screening of big texts through the binary.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_xianshen"))
}

fn utf16le_bom(s: &str) -> Vec<u8> {
    let mut v = vec![0xff, 0xfe];
    v.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
    v
}

fn gbk(s: &str) -> Vec<u8> {
    encoding_rs::GB18030.encode(s).0.into_owned()
}

const HTML: &str = "<html><head><meta charset=\"gbk\"><title>通知</title><script>var x='出售冰毒';</script><style>b{color:red}</style></head>\n<body><div>学校召开工作会议。</div>\n<p>本店&nbsp;<b>出售</b>冰毒，<a href=\"https://item.taobao.com/item.htm?id=1\">点此购买</a></p></body></html>\n";
const MARKDOWN: &str =
    "# 活动通知\n\n小编**觉得**这次活动很好。\n\n本店出售冰毒，详见[链接](http://t.cn/abc)。\n";
const JSONL: &str = "{\"id\": 7, \"text\": \"全省推进政务新媒体规范化建设。\", \"repost\": true}\n{\"id\": 8, \"text\": broken}\n{\"id\": \"p9\", \"text\": \"第一段\\n本店出售冰毒\", \"source\": \"新华社\"}\n";

/// Builds the archive; returns its folder.
fn archive(dir: &Path) {
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(dir.join("a-utf8.txt"), "第一行\n本店出售冰毒").unwrap();
    std::fs::write(
        dir.join("b-gbk.txt"),
        gbk("学校通知\n本店出售冰毒，量大从优。"),
    )
    .unwrap();
    std::fs::write(dir.join("c-gbk.html"), gbk(HTML)).unwrap();
    std::fs::write(dir.join("d-utf16.md"), utf16le_bom(MARKDOWN)).unwrap();
    std::fs::write(dir.join("sub/e-utf16.txt"), utf16le_bom("我认为这样不妥。")).unwrap();
    std::fs::write(dir.join("sub/posts.jsonl"), JSONL).unwrap();
    std::fs::write(dir.join("ignored.txt"), "出售冰毒").unwrap();
    std::fs::write(dir.join(".xianshenignore"), "ignored.txt\n").unwrap();
    // Unreadable even for root: a link to nowhere.
    std::os::unix::fs::symlink(dir.join("nowhere"), dir.join("z-unreadable.txt")).unwrap();
}

fn run(args: &[&str], dir: &Path) -> Output {
    bin().args(args).arg(dir).output().unwrap()
}

fn decode(bytes: &[u8], encoding: &str) -> String {
    let enc = encoding_rs::Encoding::for_label(encoding.as_bytes()).unwrap();
    let (text, _, bad) = enc.decode(bytes);
    assert!(!bad);
    text.trim_start_matches('\u{feff}').to_string()
}

/// Every finding's offsets, chars, line and column against `text`.
fn check_offsets(text: &str, report: &Value) {
    for f in report["findings"].as_array().unwrap() {
        let (s, e) = (
            f["start"].as_u64().unwrap() as usize,
            f["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&text[s..e], f["text"].as_str().unwrap(), "{f}");
        let before = &text[..s];
        assert_eq!(
            before.chars().count() as u64,
            f["char_start"].as_u64().unwrap(),
            "{f}"
        );
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().unwrap().chars().count() + 1;
        assert_eq!(
            (line as u64, col as u64),
            (f["line"].as_u64().unwrap(), f["column"].as_u64().unwrap()),
            "{f}"
        );
    }
}

#[test]
fn mixed_archive_in_one_command() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("archive");
    archive(&dir);
    let out = run(&["check", "--format", "jsonl", "--jobs", "2"], &dir);
    assert_eq!(out.status.code(), Some(3), "an error wins");
    let stderr = String::from_utf8(out.stderr).unwrap();
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let paths: Vec<String> = lines
        .iter()
        .map(|l| {
            let p = Path::new(l["path"].as_str().unwrap());
            let name = p.strip_prefix(&dir).unwrap().display().to_string();
            match l.get("line") {
                Some(n) => format!("{name}:{n}"),
                None => name,
            }
        })
        .collect();
    assert_eq!(
        paths,
        [
            "a-utf8.txt",
            "b-gbk.txt",
            "c-gbk.html",
            "d-utf16.md",
            "sub/e-utf16.txt",
            "sub/posts.jsonl:1",
            "sub/posts.jsonl",
            "sub/posts.jsonl:3",
            "z-unreadable.txt"
        ],
        "stable order, ignore file honoured, one item per post or error"
    );
    let by = |i: usize| &lines[i];
    let encodings: Vec<&str> = lines
        .iter()
        .map(|l| l["encoding"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        &encodings[..6],
        ["utf-8", "gb18030", "gb18030", "utf-16le", "utf-16le", "utf-8"]
    );

    for (i, file) in [
        (0, "a-utf8.txt"),
        (1, "b-gbk.txt"),
        (2, "c-gbk.html"),
        (3, "d-utf16.md"),
        (4, "sub/e-utf16.txt"),
    ] {
        let text = decode(
            &std::fs::read(dir.join(file)).unwrap(),
            by(i)["encoding"].as_str().unwrap(),
        );
        check_offsets(&text, by(i));
    }
    // Plain text: offsets into the decoded text.
    assert_eq!(by(1)["findings"][0]["text"], "出售冰毒");
    assert_eq!(
        (
            by(1)["findings"][0]["line"].as_u64(),
            by(1)["findings"][0]["column"].as_u64()
        ),
        (Some(2), Some(3))
    );
    // HTML: scripts unseen, the hit spans the tag, the link is checked.
    let html = &by(2)["findings"];
    let rules: Vec<&str> = html
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules.iter().filter(|r| **r == "term.drugs").count(),
        1,
        "{html}"
    );
    let drug = html
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "term.drugs")
        .unwrap();
    assert_eq!(drug["text"], "出售</b>冰毒");
    assert_eq!(drug["line"], 3);
    let link = html
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "ad.link")
        .unwrap();
    assert!(
        link["text"].as_str().unwrap().contains("taobao.com"),
        "{link}"
    );
    // Markdown in UTF-16: markup skipped, link target checked.
    let md = by(3)["findings"].as_array().unwrap();
    let opinion = md.iter().find(|f| f["rule"] == "opinion.personal").unwrap();
    assert!(
        opinion["text"].as_str().unwrap().starts_with("小编**"),
        "{opinion}"
    );
    assert!(
        md.iter()
            .any(|f| f["rule"] == "ad.link" && f["text"] == "http://t.cn/abc"),
        "{md:?}"
    );
    // JSONL: per post, with metadata from the line; the bad line named.
    assert_eq!(by(5)["id"], "7");
    assert_eq!(by(5)["findings"][0]["rule"], "attribution.missing");
    assert!(
        by(6)["error"].as_str().unwrap().contains("line 2"),
        "{}",
        by(6)
    );
    assert_eq!(by(7)["id"], "p9");
    let post = "第一段\n本店出售冰毒";
    check_offsets(post, by(7));
    assert!(
        by(8)["error"].as_str().unwrap().contains("cannot read"),
        "{}",
        by(8)
    );
    assert!(stderr.contains("2 errors"), "{stderr}");
    assert!(stderr.contains("7 drafts"), "{stderr}");
}

#[test]
fn undecodable_bytes_name_file_and_offset_unless_lossy() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("bad.txt");
    let mut bytes = gbk("出售冰毒");
    bytes.extend_from_slice(b"\x81\x20");
    std::fs::write(&f, &bytes).unwrap();
    let out = run(&["check", "--encoding", "gb18030", "--format", "json"], &f);
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("bad.txt") && err.contains("byte offset 8"),
        "{err}"
    );
    let out = run(
        &["check", "--encoding", "gbk", "--lossy", "--format", "json"],
        &f,
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn include_and_exclude_globs() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("archive");
    archive(&dir);
    std::fs::remove_file(dir.join("z-unreadable.txt")).unwrap();
    let out = run(
        &[
            "check",
            "--format",
            "jsonl",
            "--include",
            "*.txt",
            "--exclude",
            "sub/**",
        ],
        &dir,
    );
    let names: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["path"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(names, ["a-utf8.txt", "b-gbk.txt"]);
}

#[test]
fn big_text_in_chunks_matches_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("big.txt");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/drafts");
    let mut text = String::from("转载自某网站\n");
    let mut names: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    while text.len() < 400_000 {
        for n in &names {
            text.push_str(&std::fs::read_to_string(n).unwrap().replace("来源", "来自"));
            text.push_str("\n学校召开工作会议，部署下一阶段重点任务。\n");
        }
    }
    std::fs::write(&f, gbk(&text)).unwrap();
    let whole = run(&["check", "--format", "json"], &f);
    let chunked = run(&["check", "--format", "json", "--chunk-bytes", "20000"], &f);
    let (a, b): (Value, Value) = (
        serde_json::from_slice(&whole.stdout).unwrap(),
        serde_json::from_slice(&chunked.stdout).unwrap(),
    );
    assert!(a[0]["findings"].as_array().unwrap().len() > 100);
    assert_eq!(a[0]["findings"], b[0]["findings"]);
    assert_eq!(a[0]["input"], b[0]["input"]);
    assert_eq!(b[0]["encoding"], "gb18030");
    assert_eq!(whole.status.code(), chunked.status.code());
}

#[test]
fn sarif_and_html_reports() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("archive");
    archive(&dir);
    let out = run(&["check", "--format", "sarif"], &dir);
    assert_eq!(out.status.code(), Some(3));
    let log: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let run0 = &log["runs"][0];
    assert_eq!(run0["columnKind"], "unicodeCodePoints");
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.iter().any(
        |r| r["id"] == "classified.marking" && !r["help"]["text"].as_str().unwrap().is_empty()
    ));
    let results = run0["results"].as_array().unwrap();
    for r in results {
        let i = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], r["ruleId"]);
    }
    let drug = results
        .iter()
        .find(|r| {
            r["ruleId"] == "term.drugs"
                && r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap()
                    .ends_with("b-gbk.txt")
        })
        .unwrap();
    let region = &drug["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (
            region["startLine"].as_u64(),
            region["startColumn"].as_u64(),
            region["endColumn"].as_u64()
        ),
        (Some(2), Some(3), Some(7))
    );
    assert_eq!(run0["invocations"][0]["executionSuccessful"], false);
    assert_eq!(
        run0["invocations"][0]["toolExecutionNotifications"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    let out = run(&["check", "--format", "html"], &dir);
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(
        page.contains("<mark class=\"hl sev-block\" data-rule=\"term.drugs\""),
        "highlight"
    );
    assert!(page.contains("&lt;/b&gt;"), "HTML sources shown as source");
    assert!(page.contains("<svg"), "chart");
    assert!(
        !page.contains("http://") || !page.contains("<script"),
        "no scripts, no network"
    );
    assert!(
        !page.contains("<link") && !page.contains(" src=\""),
        "self-contained"
    );
}
