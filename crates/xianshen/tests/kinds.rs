//! How the draft kind changes judgement: a comment from the public is not
//! the account's voice (no opinion or attribution findings), and what it
//! calls an official account is still diversion. The golden vectors cover
//! articles; these cover what only the kind decides.

use xianshen::{Draft, Kind, Screener, Severity, Verdict};

/// Whether a finding of `rule` (an id, or a prefix ending in `.`) is
/// reported for `text` screened as `kind`.
fn fires(text: &str, kind: Kind, rule: &str) -> bool {
    rules(text, kind).iter().any(|(r, _)| {
        if rule.ends_with('.') {
            r.starts_with(rule)
        } else {
            r == rule
        }
    })
}

fn rules(text: &str, kind: Kind) -> Vec<(String, Severity)> {
    let report = Screener::default().screen(&Draft::new(text).kind(kind));
    report
        .findings
        .iter()
        .map(|f| (f.rule.clone(), f.severity))
        .collect()
}

#[test]
fn a_comment_has_no_opinion_of_the_account() {
    let text = "我认为这个政策很好，我觉得应该早点推行。";
    assert!(fires(text, Kind::Article, "opinion.personal"));
    assert!(!fires(text, Kind::Comment, "opinion.personal"));
}

#[test]
fn a_comment_is_not_a_repost_of_the_account() {
    let text = "（转）学校明天停课，大家注意安全。";
    assert!(rules(text, Kind::Article)
        .iter()
        .any(|(r, s)| r == "attribution.missing" && *s == Severity::Block));
    assert!(!fires(text, Kind::Comment, "attribution."));
}

#[test]
fn an_official_account_in_a_comment_is_still_diversion() {
    let text = "中奖的朋友请联系官方客服号（微信号：kefu20261），领取奖品。";
    let article = rules(text, Kind::Article);
    let comment = rules(text, Kind::Comment);
    assert!(article.contains(&("ad.contact".to_string(), Severity::Review)));
    assert!(comment.contains(&("ad.contact".to_string(), Severity::Block)));
    let report = Screener::default().screen(&Draft::new(text).kind(Kind::Comment));
    assert_eq!(report.verdict, Verdict::Block);
}

#[test]
fn a_comment_marks_no_document_unless_bracketed() {
    let has = |text: &str, kind| fires(text, kind, "classified.internal");
    // A short comment is a line of its own; it is talk about a document.
    assert!(has("这是内部资料吧", Kind::Article));
    assert!(!has("这是内部资料吧", Kind::Comment));
    assert!(has("【内部资料】明天全员加班", Kind::Comment));
}

#[test]
fn a_comment_gets_no_style_suggestions() {
    let text = "截止目前还没人回复，有木有人知道？";
    assert!(fires(text, Kind::Article, "style.term"));
    assert!(!fires(text, Kind::Comment, "style.term"));
}

#[test]
fn a_comment_reports_no_event_of_the_account() {
    let text = "据警方通报，14时许该路段发生车祸，已造成2人死亡。";
    assert!(fires(text, Kind::Article, "event.major"));
    assert!(!fires(text, Kind::Comment, "event.major"));
}

#[test]
fn articles_never_build_the_sound_automata() {
    // A fresh screener (not the shared default), so that no comment has
    // been screened with it yet.
    let screener = Screener::from_policy(xianshen::Policy::default()).unwrap();
    let before = screener.automaton_memory();
    screener.screen(&Draft::new("出售bingdu，量大从优").kind(Kind::Article));
    assert_eq!(screener.automaton_memory(), before);
    let report = screener.screen(&Draft::new("出售bingdu，量大从优").kind(Kind::Comment));
    assert_eq!(report.findings[0].evasion, Some(xianshen::Evasion::Pinyin));
    assert!(screener.automaton_memory() > before);
    // Clones share them.
    assert_eq!(
        screener.clone().automaton_memory(),
        screener.automaton_memory()
    );
}
