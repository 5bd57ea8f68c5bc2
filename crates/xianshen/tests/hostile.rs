//! Hostile inputs finish: every detector is linear in the input. A quadratic
//! path turns these (in a debug build) into hours, which CI would notice;
//! nothing here measures time.

use xianshen::{Policy, Screener};

/// `unit` repeated to about `bytes`, with no sentence stop or line break.
fn repeated(unit: &str, bytes: usize) -> String {
    unit.repeat(bytes / unit.len() + 1)
}

#[test]
fn cue_dense_text_without_sentence_stops() {
    let screener = Screener::new();
    // Absolute terms, commercial cues, promotion cues, event words, opinion
    // cues and quotes, far from any sentence stop.
    let text = repeated("国家级产品价格优惠包邮秒杀爆炸死亡“我认为”", 2_000_000);
    let report = screener.screen_text(&text);
    assert!(report.findings.len() > 1000);
    for f in report.findings.iter().take(50) {
        assert_eq!(&text[f.start..f.end], f.text);
    }
}

#[test]
fn one_cue_at_each_end_of_a_long_text() {
    let screener = Screener::new();
    let mut text = String::from("最佳");
    text.push_str(&"的".repeat(1_000_000));
    text.push_str("价格");
    let report = screener.screen_text(&text);
    assert!(report.findings.iter().all(|f| f.rule != "ad.absolute"));
}

#[test]
fn many_near_hits() {
    let policy = Policy::from_toml(
        "[meta]\nname = \"n\"\n[[near]]\ntag = \"pair\"\nseverity = \"review\"\nterms = [\"小姐\", \"上门\"]\nwithin = 20\n",
    )
    .unwrap();
    let screener = Screener::from_policy(policy).unwrap();
    let text = format!("{}上门", "小姐".repeat(300_000));
    let report = screener.screen_text(&text);
    let near: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.rule == "near.pair")
        .collect();
    assert_eq!(
        near.len(),
        1,
        "leftmost window only: findings of one rule do not overlap"
    );
    assert_eq!(&text[near[0].start..near[0].end], near[0].text);
}
