//! Chunked screening of big texts gives exactly the whole-text report.

use std::path::Path;
use xianshen::{DraftMeta, Report, Screener};
use xianshen_input::{screen_stream, ChunkOptions, DecodingReader, EncodingChoice};

/// Realistic material: the example drafts and every golden-vector input,
/// in a fixed shuffled order, with neutral filler between.
fn material() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut parts = Vec::new();
    let mut drafts: Vec<_> = std::fs::read_dir(root.join("examples/drafts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    drafts.sort();
    for d in drafts {
        parts.push(std::fs::read_to_string(d).unwrap());
    }
    let cases = xianshen_cases::load(xianshen_cases::cases_dir()).unwrap_or_else(|e| panic!("{e}"));
    parts.extend(cases.into_iter().map(|case| case.input));
    // A fixed permutation (LCG), so runs are reproducible.
    let mut seed = 0x2545_f491_u64;
    for i in (1..parts.len()).rev() {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        parts.swap(i, (seed >> 33) as usize % (i + 1));
    }
    parts
}

fn document(parts: &[String], target: usize, newline: &str) -> String {
    let filler = "学校召开2026年工作会议，传达学习上级文件精神，部署下一阶段重点任务。";
    let mut doc = String::new();
    let mut i = 0;
    while doc.len() < target {
        doc.push_str(&parts[i % parts.len()]);
        doc.push_str(newline);
        for _ in 0..(i % 3) {
            doc.push_str(filler);
        }
        doc.push_str(newline);
        i += 1;
    }
    doc
}

fn chunked(screener: &Screener, text: &str, meta: &DraftMeta, chunk: usize) -> Report {
    let mut reader = DecodingReader::new(text.as_bytes(), EncodingChoice::Utf8, false).unwrap();
    let opts = ChunkOptions {
        chunk_bytes: chunk,
        overlap_bytes: 0, // raised to the minimum the edge rules need
    };
    screen_stream(screener, &mut reader, meta, opts).unwrap()
}

fn assert_same(name: &str, whole: &Report, parts: &Report) {
    assert_eq!(
        whole.findings.len(),
        parts.findings.len(),
        "{name}: finding count"
    );
    for (a, b) in whole.findings.iter().zip(&parts.findings) {
        assert_eq!(a, b, "{name}");
    }
    assert_eq!(whole.verdict, parts.verdict, "{name}");
    assert_eq!(whole.approval, parts.approval, "{name}");
    assert_eq!(whole.input, parts.input, "{name}");
}

#[test]
fn chunked_equals_whole_on_realistic_text() {
    let screener = Screener::new();
    let parts = material();
    assert!(parts.len() > 100);
    let undeclared: Vec<String> = parts
        .iter()
        .map(|p| {
            p.replace("来源", "来自")
                .replace("稿源", "稿自")
                .replace("转载", "转发")
                .replace("原标题", "标题")
                .replace("转自", "发自")
        })
        .collect();
    let mut checked = 0;
    for (name, doc, meta) in [
        (
            "mixed",
            document(&parts, 400_000, "\n"),
            DraftMeta::default(),
        ),
        (
            "mixed-crlf-repost-flag",
            document(&parts, 300_000, "\r\n"),
            DraftMeta {
                repost: Some(true),
                ..DraftMeta::default()
            },
        ),
        (
            "no-line-breaks",
            document(&parts, 200_000, "。"),
            DraftMeta::default(),
        ),
        (
            "head-marker",
            format!("转载自某网站\n{}", document(&undeclared, 300_000, "\n")),
            DraftMeta::default(),
        ),
        (
            "tail-marker",
            format!(
                "{}（原标题：某市召开会议）",
                document(&undeclared, 300_000, "\n")
            ),
            DraftMeta::default(),
        ),
        (
            "repost-by-meta-no-marker",
            document(&undeclared, 300_000, "\n"),
            DraftMeta {
                repost: Some(true),
                ..DraftMeta::default()
            },
        ),
        (
            "meta-source",
            document(&parts, 200_000, "\n"),
            DraftMeta {
                source: Some("某某自媒体".into()),
                ..DraftMeta::default()
            },
        ),
    ] {
        let whole = screener.screen(&meta.draft(&doc));
        for chunk in [16 << 10, 50_000] {
            let parts = chunked(&screener, &doc, &meta, chunk);
            assert_same(&format!("{name}/{chunk}"), &whole, &parts);
            checked += whole.findings.len();
        }
    }
    assert!(checked > 1000, "only {checked} findings compared");
}

#[test]
fn head_and_tail_markers_decide_attribution_like_the_whole_text() {
    let screener = Screener::new();
    let body = "学校召开工作会议，部署下一阶段重点任务。\n".repeat(5000);
    let mut missing = 0;
    for doc in [
        format!("转载自某网站\n{body}"),
        format!("{body}（转）"),
        format!("{body}据外媒报道"),
        format!("{body}来源：新华社\n{body}转载自某网站"),
        body.clone(),
    ] {
        let whole = screener.screen(&DraftMeta::default().draft(&doc));
        let parts = chunked(&screener, &doc, &DraftMeta::default(), 16 << 10);
        assert_same("edges", &whole, &parts);
        missing += whole
            .findings
            .iter()
            .filter(|f| f.rule == "attribution.missing")
            .count();
    }
    assert!(missing >= 1, "a marker without a declaration");
}
