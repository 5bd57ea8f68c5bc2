//! A text screened window by window (`Screener::windowed`) gets exactly the
//! report of the whole text: findings, positions, verdict, approval,
//! truncation, title findings and the document-level attribution rule.

use xianshen::{
    DraftMeta, InputInfo, Policy, Report, Screener, TextPosition, Verdict, Window,
    WINDOW_EDGE_CHARS,
};

/// Every golden-vector input, one after another with neutral lines
/// between, until the text holds `target` bytes.
fn document(target: usize) -> String {
    let cases = xianshen_cases::load(xianshen_cases::cases_dir()).unwrap_or_else(|e| panic!("{e}"));
    let filler = "学校召开2026年工作会议，传达学习上级文件精神，部署下一阶段重点任务。";
    let mut doc = String::new();
    for (i, case) in cases.iter().cycle().enumerate() {
        if doc.len() >= target {
            break;
        }
        doc.push_str(&case.input);
        doc.push('\n');
        for _ in 0..i % 3 {
            doc.push_str(filler);
        }
        doc.push_str("\n𠮷\n");
    }
    doc
}

/// The first char boundary at or after `i`.
fn boundary(text: &str, i: usize) -> usize {
    (i.min(text.len())..=text.len())
        .find(|&i| text.is_char_boundary(i))
        .unwrap()
}

/// Screens `text` in windows owning `own` bytes each (cut at char
/// boundaries, anywhere in a line) with `overlap` bytes on both sides.
fn windowed(
    screener: &Screener,
    text: &str,
    meta: &DraftMeta,
    own: usize,
    overlap: usize,
) -> Report {
    let mut screening = screener.windowed(meta);
    let mut at = TextPosition::default();
    let mut own_start = 0;
    loop {
        let mut own_end = boundary(text, own_start + own);
        let start = if own_start == 0 {
            0
        } else {
            boundary(text, own_start.saturating_sub(overlap))
        };
        let end = boundary(text, own_end + overlap);
        if end == text.len() {
            own_end = end; // the last window owns the rest
        }
        at.advance(&text[at.byte..start]);
        screening.add(&Window {
            text: &text[start..end],
            at,
            owns: own_start - start..own_end - start,
            last: end == text.len(),
        });
        if end == text.len() {
            break;
        }
        own_start = own_end;
    }
    screening.finish(InputInfo::of(text))
}

fn assert_same(name: &str, whole: &Report, parts: &Report) {
    for f in &whole.findings {
        if !parts.findings.contains(f) {
            eprintln!(
                "{name}: only whole: {} {}..{} {}",
                f.rule, f.start, f.end, f.text
            );
        }
    }
    for f in &parts.findings {
        if !whole.findings.contains(f) {
            eprintln!(
                "{name}: only windows: {} {}..{} {}",
                f.rule, f.start, f.end, f.text
            );
        }
    }
    assert_eq!(
        whole.findings.len(),
        parts.findings.len(),
        "{name}: number of findings"
    );
    for (w, p) in whole.findings.iter().zip(&parts.findings) {
        assert_eq!(w, p, "{name}");
    }
    assert_eq!(whole, parts, "{name}");
}

#[test]
fn windows_equal_the_whole_text() {
    let screener = Screener::new();
    let text = document(300_000);
    let meta = DraftMeta {
        date: Some("2026-12-07".parse().unwrap()),
        ..DraftMeta::default()
    };
    let whole = screener.screen(&meta.draft(&text));
    assert!(whole.findings.len() > 100, "material with findings");
    for (own, overlap) in [(20_000, 8_000), (57_331, 9_001), (100_000, 20_000)] {
        let parts = windowed(&screener, &text, &meta, own, overlap);
        assert_same(&format!("own {own}, overlap {overlap}"), &whole, &parts);
    }
}

/// Texts and metadata where only the text's edges, the metadata or one
/// declaration in the middle decide `attribution.missing`.
fn edge_cases(body: &str) -> Vec<(&'static str, String, DraftMeta)> {
    let date = Some("2026-12-07".parse().unwrap());
    let body = body.to_string();
    vec![
        (
            "no marker",
            body.clone(),
            DraftMeta {
                date,
                ..DraftMeta::default()
            },
        ),
        (
            "declared repost",
            body.clone(),
            DraftMeta {
                repost: Some(true),
                date,
                ..DraftMeta::default()
            },
        ),
        (
            "declared not a repost",
            body.clone(),
            DraftMeta {
                repost: Some(false),
                date,
                ..DraftMeta::default()
            },
        ),
        (
            "marker at the head",
            format!("转载\n{body}"),
            DraftMeta {
                date,
                ..DraftMeta::default()
            },
        ),
        (
            "marker at the tail",
            format!("{body}\n（转）"),
            DraftMeta {
                date,
                ..DraftMeta::default()
            },
        ),
        (
            "declared source",
            format!("{body}\n（转）"),
            DraftMeta {
                source: Some("新华社".into()),
                date,
                ..DraftMeta::default()
            },
        ),
        (
            "source in the middle",
            format!(
                "转载\n{}来源：新华社\n{}",
                &body[..boundary(&body, 30_000)],
                &body[boundary(&body, 30_000)..]
            ),
            DraftMeta {
                date,
                ..DraftMeta::default()
            },
        ),
        (
            "title marks a repost",
            body.clone(),
            DraftMeta {
                title: Some("【转】通知".into()),
                date,
                ..DraftMeta::default()
            },
        ),
    ]
}

#[test]
fn attribution_is_decided_at_the_text_edges() {
    let screener = Screener::new();
    let body = document(60_000)
        .replace("来源", "")
        .replace("转载", "")
        .replace("转自", "");
    for (name, text, meta) in edge_cases(&body) {
        let whole = screener.screen(&meta.draft(&text));
        let parts = windowed(&screener, &text, &meta, 9_000, 4 * WINDOW_EDGE_CHARS);
        assert_same(name, &whole, &parts);
    }
}

#[test]
fn truncation_keeps_the_first_findings_and_counts_them_all() {
    let policy = Policy::from_toml(
        "[meta]\nname = \"p\"\n[[lexicon]]\ntag = \"d\"\nseverity = \"review\"\nterms = [\"冰毒\"]\n\
         [[lexicon]]\ntag = \"b\"\nseverity = \"block\"\napproval = \"head\"\nterms = [\"海洛因\"]\n\
         [limits]\nmax_findings = 3\n",
    )
    .unwrap();
    let screener = Screener::from_policy(policy).unwrap();
    // Block and head only in the last window, past the kept findings.
    let text = format!("{}海洛因\n", "冰毒。\n".repeat(2_000));
    let meta = DraftMeta::default();
    let whole = screener.screen(&meta.draft(&text));
    let parts = windowed(&screener, &text, &meta, 5_000, 2_000);
    assert!(parts.truncated);
    assert_eq!(parts.findings.len(), 3);
    assert_eq!(parts.verdict, Verdict::Block);
    assert_same("max_findings 3", &whole, &parts);
}

#[test]
fn title_findings_are_counted_once() {
    let screener = Screener::new();
    let text = document(50_000);
    let meta = DraftMeta {
        title: Some("出售冰毒".into()),
        date: Some("2026-12-07".parse().unwrap()),
        ..DraftMeta::default()
    };
    let whole = screener.screen(&meta.draft(&text));
    let parts = windowed(&screener, &text, &meta, 7_000, 3_000);
    assert_eq!(parts.title_findings.len(), 1);
    assert_same("title", &whole, &parts);
}
