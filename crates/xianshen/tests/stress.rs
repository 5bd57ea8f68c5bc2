//! One screener shared by 8 threads: every report equals the serial one.

use std::sync::Arc;
use xianshen::{Draft, Policy, Report, Screener};

const POLICY: &str = r#"
[meta]
name = "stress"
extends = "default"

[[lexicon]]
tag = "custom"
severity = "review"
terms = ["大麻", "测试词", "av"]

[allow]
terms = ["大麻烦"]

[[near]]
tag = "pair"
severity = "review"
terms = ["小姐", "上门"]
within = 20

[limits]
max_findings = 50
"#;

/// Drafts that hit every rule family, of varied length, plus metadata.
fn drafts() -> Vec<(String, Option<bool>, Option<&'static str>)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/drafts");
    let mut texts: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    texts.sort();
    texts.extend([
        "本店出 售 冰 毒，量大从优，加微信abc12345".to_string(),
        "大麻烦来了。大麻。小姐可以上门。".to_string(),
        "机密★10年 身份证11010519491231002X 电话13812345678 我认为太气人了".to_string(),
        "今日10时，某地发生爆炸，记者从现场获悉伤亡情况。".to_string(),
        "原标题：会议召开\n会议要求加强审核。".to_string(),
        "I have AV 1av2 69 695 ①②③ ＡＶ".to_string(),
        "测试词".repeat(200),
        String::new(),
    ]);
    let mut out = Vec::new();
    for (i, t) in texts.into_iter().enumerate() {
        let meta = match i % 3 {
            0 => (None, None),
            1 => (Some(true), None),
            _ => (Some(true), Some("新华社")),
        };
        out.push((t, meta.0, meta.1));
    }
    out
}

fn screen(s: &Screener, d: &(String, Option<bool>, Option<&'static str>)) -> Report {
    let mut draft = Draft::new(&d.0);
    draft.repost = d.1;
    draft.source = d.2;
    s.screen(&draft)
}

#[test]
fn eight_threads_share_one_screener_and_agree_with_serial() {
    let screener = Screener::from_policy(Policy::from_toml(POLICY).unwrap()).unwrap();
    let drafts = Arc::new(drafts());
    let serial: Arc<Vec<Report>> = Arc::new(drafts.iter().map(|d| screen(&screener, d)).collect());
    assert!(
        serial.iter().any(|r| r.truncated),
        "one draft passes max_findings"
    );
    assert!(serial.iter().map(|r| r.findings.len()).sum::<usize>() > 30);
    let rounds = 12;
    std::thread::scope(|scope| {
        for t in 0..8 {
            let screener = &screener;
            let drafts = &drafts;
            let serial = &serial;
            scope.spawn(move || {
                let n = drafts.len();
                for round in 0..rounds {
                    // Each thread walks the drafts in its own order, so that
                    // different drafts run at the same time.
                    for k in 0..n {
                        let i = (k * (2 * t + 1) + round + t) % n;
                        let report = screen(screener, &drafts[i]);
                        assert_eq!(report, serial[i], "thread {t}, round {round}, draft {i}");
                    }
                }
            });
        }
    });
    // A clone (the shared Arc) and the default screener, from threads too.
    let clones: Vec<_> = (0..8)
        .map(|_| {
            let s = screener.clone();
            let drafts = Arc::clone(&drafts);
            let serial = Arc::clone(&serial);
            std::thread::spawn(move || {
                for (d, want) in drafts.iter().zip(serial.iter()) {
                    assert_eq!(&screen(&s, d), want);
                }
                let default = Screener::new();
                drafts
                    .iter()
                    .map(|d| screen(&default, d))
                    .collect::<Vec<_>>()
            })
        })
        .map(|h| h.join().unwrap())
        .collect();
    for other in &clones[1..] {
        assert_eq!(other, &clones[0]);
    }
}
