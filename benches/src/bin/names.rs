//! The protected-names benchmark: false near misses on real text full of
//! correctly written official names, recall of planted misspellings, and
//! the build time of a large name list.
//!
//! ```text
//! cargo run --release -p xianshen-benches --bin names -- [--realtext DIR] [--law-dir DIR]
//!     [--names FILE]      # extra protected names (name<TAB>category), default benches/quality/names-200.txt
//!     [--seed S]          # the planting seed (default 1)
//!     [--show N]          # print up to N false findings and N missed plants per edit
//!     [--lexicon FILE]    # build a policy of 10,000 names from the 4+ char terms of FILE
//!     [--build-only]      # only the build of 10,000 names, best and median of 5
//! ```
//!
//! 1. **False positives**: the law corpus, the CCTV stories and the
//!    university account are screened with the default policy plus the
//!    extra names; every `style.name` finding there is false (they are
//!    edited official texts), and each is printed.
//! 2. **Recall**: in the same texts, at every occurrence of a protected
//!    name, one edit of each kind is planted (a seeded choice among the
//!    name's near misses; an inserted char is one of the 500 commonest),
//!    the document is screened again, and the plant counts as found when a
//!    `style.name` finding has exactly its span and the name as suggestion.
//! 3. **Build**: a policy of 10,000 names builds, timed.

use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;
use xianshen::names::{near_misses, NameEdit};
use xianshen::{Draft, Policy, Screener};
use xianshen_benches::realtext::{read_law, read_realtext, Doc};

/// The 500 commonest chars (frequency order), for inserted chars.
const COMMON: &str = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严";

struct Args {
    realtext: PathBuf,
    law_dir: Option<PathBuf>,
    names: PathBuf,
    seed: u64,
    show: usize,
    lexicon: Option<PathBuf>,
    build_only: bool,
}

fn parse_args() -> Result<Args, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut args = Args {
        realtext: root.join("../shared/realtext"),
        law_dir: None,
        names: root.join("benches/quality/names-200.txt"),
        seed: 1,
        show: 20,
        lexicon: None,
        build_only: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--realtext" => args.realtext = value()?.into(),
            "--law-dir" => args.law_dir = Some(value()?.into()),
            "--names" => args.names = value()?.into(),
            "--seed" => args.seed = value()?.parse().map_err(|e| format!("{a}: {e}"))?,
            "--show" => args.show = value()?.parse().map_err(|e| format!("{a}: {e}"))?,
            "--lexicon" => args.lexicon = Some(value()?.into()),
            "--build-only" => args.build_only = true,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(args)
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("names: {e}");
            std::process::exit(2);
        }
    };
    if let Err(e) = run(&args) {
        eprintln!("names: {e}");
        std::process::exit(1);
    }
}

/// What happened to the plants of one edit kind.
#[derive(Default)]
struct Recall {
    planted: usize,
    exact: usize,
    other_span: usize,
    missed: Vec<String>,
}

fn run(args: &Args) -> Result<(), String> {
    if !args.build_only {
        screen_real_text(args)?;
    }
    if let Some(path) = &args.lexicon {
        build_many(path, if args.build_only { 5 } else { 1 })?;
    }
    Ok(())
}

/// Sections 1 and 2: false near misses and recall of planted misspellings.
fn screen_real_text(args: &Args) -> Result<(), String> {
    let names_file = args
        .names
        .canonicalize()
        .map_err(|e| format!("{}: {e}", args.names.display()))?;
    let toml = format!(
        "[meta]\nname = \"default + test names\"\nextends = \"default\"\n[names]\nfiles = [{:?}]\n",
        names_file.display().to_string()
    );
    let policy = Policy::from_toml(&toml).map_err(|e| e.to_string())?;
    let names: Vec<String> = policy
        .protected_names()
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    let started = Instant::now();
    let screener = Screener::from_policy(policy).map_err(|e| e.to_string())?;
    let (count, variants) = screener.protected_name_variants();
    println!(
        "policy: default + {} ({count} protected names, {variants} variants, built in {:.0} ms)",
        args.names.display(),
        started.elapsed().as_secs_f64() * 1e3
    );

    let mut corpora: Vec<(String, Vec<Doc>)> = Vec::new();
    if let Some(dir) = &args.law_dir {
        corpora.push(("law".into(), read_law(dir)?));
    }
    for name in ["xwlb_cctv", "scnu_wechat"] {
        corpora.push((name.into(), read_realtext(&args.realtext, name)?));
    }

    // Longest names first, so an occurrence is the longest name there.
    let mut by_length = names.clone();
    by_length.sort_by_key(|n| std::cmp::Reverse(n.chars().count()));
    let finder = aho_corasick::AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::LeftmostLongest)
        .build(&by_length)
        .map_err(|e| e.to_string())?;
    let misses: Vec<BTreeMap<NameEdit, Vec<String>>> = by_length
        .iter()
        .map(|n| {
            let mut m: BTreeMap<NameEdit, Vec<String>> = BTreeMap::new();
            for (text, edit) in near_misses(n) {
                m.entry(edit).or_default().push(text);
            }
            m
        })
        .collect();
    let common: Vec<char> = COMMON.chars().collect();
    let jieba = jieba_rs::Jieba::new();
    let mut rng = StdRng::seed_from_u64(args.seed);

    println!("\n## False near misses (every style.name finding on these texts is false)\n");
    println!("| corpus | docs | MB | name occurrences | style.name findings |");
    println!("|---|---:|---:|---:|---:|");
    let mut false_findings = Vec::new();
    let mut recall: BTreeMap<NameEdit, Recall> = BTreeMap::new();
    let mut by_length_recall: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
    for (corpus, docs) in &corpora {
        let (mut occurrences, mut found, mut bytes) = (0, 0, 0);
        for doc in docs {
            bytes += doc.text.len();
            let report = screener.screen(&Draft::new(&doc.text));
            for f in report.findings.iter().filter(|f| f.rule == "style.name") {
                found += 1;
                false_findings.push(format!(
                    "{corpus} {} {}..{} {:?} → {:?}: …{}…",
                    doc.id,
                    f.start,
                    f.end,
                    f.text,
                    f.suggestion.as_deref().unwrap_or(""),
                    context(&doc.text, f.start, f.end, 12)
                ));
            }
            for m in finder.find_iter(&doc.text) {
                // 农业农村部门 holds no 农业农村部: plant only where the name
                // is written as a name, no word across its ends.
                if !stands_alone(&jieba, &doc.text, m.start(), m.end()) {
                    continue;
                }
                occurrences += 1;
                let name = &by_length[m.pattern().as_usize()];
                let chars: Vec<char> = name.chars().collect();
                for edit in NameEdit::ALL {
                    let planted = match edit {
                        NameEdit::Inserted
                            if chars.len() >= xianshen::names::STRUCTURAL_MIN_CHARS =>
                        {
                            let at = rng.random_range(1..chars.len());
                            let c = *common.choose(&mut rng).expect("not empty");
                            let mut v = chars.clone();
                            v.insert(at, c);
                            Some(v.into_iter().collect::<String>())
                        }
                        NameEdit::Inserted => None,
                        _ => misses[m.pattern().as_usize()]
                            .get(&edit)
                            .and_then(|v| v.choose(&mut rng))
                            .cloned(),
                    };
                    let Some(planted) = planted else { continue };
                    let text = format!(
                        "{}{planted}{}",
                        &doc.text[..m.start()],
                        &doc.text[m.end()..]
                    );
                    let span = (m.start(), m.start() + planted.len());
                    let report = screener.screen(&Draft::new(&text));
                    let hits: Vec<_> = report
                        .findings
                        .iter()
                        .filter(|f| f.rule == "style.name")
                        .filter(|f| f.start < span.1 && span.0 < f.end)
                        .collect();
                    let r = recall.entry(edit).or_default();
                    r.planted += 1;
                    let len = by_length_recall.entry(chars.len().min(9)).or_default();
                    len.0 += 1;
                    if hits.iter().any(|f| {
                        (f.start, f.end) == span && f.suggestion.as_deref() == Some(name.as_str())
                    }) {
                        r.exact += 1;
                        len.1 += 1;
                    } else if !hits.is_empty() {
                        r.other_span += 1;
                    } else if r.missed.len() < args.show {
                        r.missed.push(format!(
                            "{name} → {planted}: …{}…",
                            context(&text, span.0, span.1, 8)
                        ));
                    }
                }
            }
        }
        println!(
            "| {corpus} | {} | {:.1} | {occurrences} | {found} |",
            docs.len(),
            bytes as f64 / 1e6
        );
    }
    for f in false_findings.iter().take(args.show) {
        println!("  {f}");
    }

    println!(
        "\n## Planted misspellings, one of each kind per name occurrence (seed {})\n",
        args.seed
    );
    println!("| edit | planted | found, exact span | found, other span | recall |");
    println!("|---|---:|---:|---:|---:|");
    let (mut all_planted, mut all_exact) = (0, 0);
    for (edit, r) in &recall {
        all_planted += r.planted;
        all_exact += r.exact;
        println!(
            "| {} | {} | {} | {} | {:.1}% |",
            edit.as_str(),
            r.planted,
            r.exact,
            r.other_span,
            percent(r.exact, r.planted)
        );
    }
    println!(
        "| all | {all_planted} | {all_exact} | | {:.1}% |",
        percent(all_exact, all_planted)
    );
    println!("\nrecall by name length (chars; 9 = 9 or more):");
    for (len, (planted, exact)) in &by_length_recall {
        println!(
            "  {len}: {exact}/{planted} = {:.1}%",
            percent(*exact, *planted)
        );
    }
    for (edit, r) in &recall {
        for m in &r.missed {
            println!("  missed {}: {m}", edit.as_str());
        }
    }

    Ok(())
}

/// Section 3: a policy of the first 10,000 four-char-or-longer CJK terms
/// of `path` as protected names, built `runs` times; prints the best and
/// the median build.
fn build_many(path: &Path, runs: usize) -> Result<(), String> {
    let (terms, _) = xianshen_benches::read_lexicon(path).map_err(|e| e.to_string())?;
    let big: Vec<&String> = terms
        .iter()
        .filter(|t| {
            t.chars().count() >= 4 && t.chars().all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
        })
        .take(10_000)
        .collect();
    let toml = format!(
        "[meta]\nname = \"10k names\"\n[names]\nprotect = [{}]\n",
        big.iter()
            .map(|t| format!("{t:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut times = Vec::with_capacity(runs);
    let mut built = None;
    for _ in 0..runs {
        let policy = Policy::from_toml(&toml).map_err(|e| e.to_string())?;
        let started = Instant::now();
        let screener = Screener::from_policy(policy).map_err(|e| e.to_string())?;
        times.push(started.elapsed().as_secs_f64() * 1e3);
        built = Some(screener);
    }
    let screener = built.ok_or("no build")?;
    times.sort_by(f64::total_cmp);
    let (count, variants) = screener.protected_name_variants();
    println!(
        "\n## Build\n\n{count} names (4+ char terms of {}): {variants} variants, built in {:.0} ms (best of {runs}; median {:.0} ms), automaton {:.1} MiB",
        path.display(),
        times[0],
        times[times.len() / 2],
        screener.automaton_memory() as f64 / (1 << 20) as f64
    );
    Ok(())
}

/// Whether no jieba word (dictionary only) crosses either end of
/// `start..end`, segmenting 8 chars of context a side.
fn stands_alone(jieba: &jieba_rs::Jieba, text: &str, start: usize, end: usize) -> bool {
    let from = text[..start]
        .char_indices()
        .rev()
        .nth(7)
        .map_or(0, |(i, _)| i);
    let to = text[end..]
        .char_indices()
        .nth(8)
        .map_or(text.len(), |(i, _)| end + i);
    let window = &text[from..to];
    let (s, e) = (start - from, end - from);
    let mut offset = 0;
    for word in jieba.cut(window, false) {
        let (ws, we) = (offset, offset + word.word.len());
        offset = we;
        if (ws < s && s < we) || (ws < e && e < we) {
            return false;
        }
    }
    true
}

fn percent(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        100.0 * a as f64 / b as f64
    }
}

/// `chars` chars of context either side of a span, on one line.
fn context(text: &str, start: usize, end: usize, chars: usize) -> String {
    let before: String = {
        let v: Vec<char> = text[..start].chars().rev().take(chars).collect();
        v.into_iter().rev().collect()
    };
    let after: String = text[end..].chars().take(chars).collect();
    format!("{before}[{}]{after}", &text[start..end]).replace('\n', "⏎")
}
