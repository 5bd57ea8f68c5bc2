//! The detection-quality benchmark: screens every corpus of
//! `../shared/realtext/` and the law corpus with a policy (the embedded
//! default unless `--policy`), prints verdict rates and findings per rule
//! per corpus, and precision per rule on the hand-labelled evaluation set
//! (`benches/quality/labels.tsv`); for comments, how much evasive abuse and
//! contact diversion independent probes find and the screener catches
//! (`xianshen_benches::probes`), and findings and precision per evasive
//! spelling.
//!
//! ```text
//! cargo run --release -p xianshen-benches --bin quality -- [--policy FILE]
//!     [--realtext DIR] [--law-dir DIR] [--labels FILE]
//!     [--sample OUT.tsv --per-rule N --seed S]   # unlabelled findings to judge
//!     [--blocks CORPUS]...                       # every block of a corpus, explained
//!     [--kind KIND]                              # screen every corpus as this kind
//!     [--show-fp]                                # labelled FPs still reported, TPs lost
//!     [--evasive-only]                           # sample only evasive spellings
//!     [--missed FORM]                            # print probe matches of FORM not caught
//!     [--probes FILE]                            # evasion probes from FILE (form<TAB>regex)
//! ```
//!
//! `benches/quality.sh` unpacks the law corpus and runs this.

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use xianshen::{Draft, Kind, Policy, Screener, Verdict};
use xianshen_benches::probes::ProbeTally;
use xianshen_benches::realtext::{read_law, read_realtext, Doc};

/// The corpora, in the order the table prints them, with the draft kind
/// each is screened as.
const CORPORA: &[(&str, Kind)] = &[
    ("xwlb_cctv", Kind::Article),
    ("scnu_wechat", Kind::Article),
    ("weibo_orig", Kind::Article),
    ("weibo_comments", Kind::Comment),
    ("iflytek", Kind::Article),
    ("eprstmt", Kind::Comment),
    ("tnews", Kind::Article),
    ("thucnews", Kind::Article),
    ("cmrc_wiki", Kind::Article),
];

struct Args {
    policy: Option<PathBuf>,
    realtext: PathBuf,
    law_dir: Option<PathBuf>,
    labels: PathBuf,
    sample: Option<PathBuf>,
    per_rule: usize,
    seed: u64,
    kind: Option<Kind>,
    /// Print each blocked document of these corpora with its blocking findings.
    blocks: Vec<String>,
    /// Print every labelled false positive still reported and every
    /// labelled true positive no longer found, with its reason.
    show_fp: bool,
    /// Sample only findings with an evasive spelling.
    evasive_only: bool,
    /// Print the probe matches of this form that nothing catches.
    missed: Option<String>,
    /// Evasion probes from this file instead of the built-in ones.
    probes: Option<PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut args = Args {
        policy: None,
        realtext: root.join("../shared/realtext"),
        law_dir: None,
        labels: root.join("benches/quality/labels.tsv"),
        sample: None,
        per_rule: 20,
        seed: 1,
        kind: None,
        blocks: Vec::new(),
        show_fp: false,
        evasive_only: false,
        missed: None,
        probes: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--policy" => args.policy = Some(value()?.into()),
            "--realtext" => args.realtext = value()?.into(),
            "--law-dir" => args.law_dir = Some(value()?.into()),
            "--labels" => args.labels = value()?.into(),
            "--sample" => args.sample = Some(value()?.into()),
            "--per-rule" => args.per_rule = value()?.parse().map_err(|e| format!("{a}: {e}"))?,
            "--seed" => args.seed = value()?.parse().map_err(|e| format!("{a}: {e}"))?,
            "--kind" => {
                let v = value()?;
                args.kind = Some(v.parse().map_err(|e| format!("{a}: {e}"))?);
            }
            "--blocks" => args.blocks.push(value()?),
            "--show-fp" => args.show_fp = true,
            "--evasive-only" => args.evasive_only = true,
            "--missed" => args.missed = Some(value()?),
            "--probes" => args.probes = Some(value()?.into()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(args)
}

/// A hand judgement of one finding (a line of `labels.tsv`).
struct Label {
    tp: bool,
    reason: String,
}

/// `corpus, id, rule, start, end` of a finding.
type Key = (String, String, String, usize, usize);

fn read_labels(path: &Path) -> Result<HashMap<Key, Label>, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(HashMap::new()),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    let mut out = HashMap::new();
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let bad = |what: &str| format!("{}: line {}: {what}", path.display(), n + 1);
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 6 {
            return Err(bad("expected corpus, id, rule, start, end, TP|FP, reason"));
        }
        let num = |s: &str| {
            s.parse::<usize>()
                .map_err(|_| bad("start and end are byte offsets"))
        };
        let tp = match cols[5] {
            "TP" => true,
            "FP" => false,
            _ => return Err(bad("the label is TP or FP")),
        };
        let key = (
            cols[0].to_string(),
            cols[1].to_string(),
            cols[2].to_string(),
            num(cols[3])?,
            num(cols[4])?,
        );
        let reason = cols.get(6).copied().unwrap_or("").to_string();
        out.insert(key, Label { tp, reason });
    }
    Ok(out)
}

#[derive(Default)]
struct Tally {
    docs: usize,
    verdicts: [usize; 3],
    per_rule: BTreeMap<String, usize>,
    /// Documents with a review or block finding of the rule.
    flagged_docs: BTreeMap<String, usize>,
}

/// A finding kept for sampling.
struct Seen {
    key: Key,
    text: String,
    context: String,
    /// The evasive spelling, if any.
    evasion: String,
}

#[derive(Default)]
struct Precision {
    tp: usize,
    fp: usize,
    unlabelled: usize,
}

impl Precision {
    /// Precision as a table cell: `–` when nothing is judged.
    fn cell(&self) -> String {
        match self.tp + self.fp {
            0 => "–".to_string(),
            judged => format!("{:.1}%", 100.0 * self.tp as f64 / judged as f64),
        }
    }
}

/// The column of a verdict in the tables: pass, review, block.
fn verdict_index(verdict: Verdict) -> usize {
    match verdict {
        Verdict::Pass => 0,
        Verdict::Review => 1,
        Verdict::Block => 2,
    }
}

/// Where a corpus's own unit settings are: `<corpus>.toml`, a policy that
/// extends the default with what the unit that wrote the corpus would
/// declare of itself (its own handles and sites, `[own]`).
const UNITS_DIR: &str = "benches/quality/units";

/// Prints the verdicts of each corpus that has unit settings, screened with
/// them: the default policy as that unit deploys it. Skipped (no output)
/// with `--policy`, which sets the policy for every corpus.
fn print_unit_verdicts(args: &Args, corpora: &[(String, Kind, Vec<Doc>)]) -> Result<(), String> {
    if args.policy.is_some() {
        return Ok(());
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(UNITS_DIR);
    let mut rows = Vec::new();
    for (name, kind, docs) in corpora {
        let path = dir.join(format!("{name}.toml"));
        if !path.exists() {
            continue;
        }
        let policy = Policy::from_file(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let screener = Screener::from_policy(policy).map_err(|e| e.to_string())?;
        let mut verdicts = [0usize; 3];
        for doc in docs {
            let report = screener.screen(&Draft::new(&doc.text).kind(*kind));
            verdicts[verdict_index(report.verdict)] += 1;
        }
        rows.push((name, kind, docs.len(), verdicts, path));
    }
    if rows.is_empty() {
        return Ok(());
    }
    println!("## Verdicts with the unit's own settings ({UNITS_DIR}/<corpus>.toml)");
    println!();
    println!("| corpus | kind | docs | pass | review | block | settings |");
    println!("|---|---|---:|---:|---:|---:|---|");
    for (name, kind, docs, v, path) in rows {
        let pct = |n: usize| 100.0 * n as f64 / docs.max(1) as f64;
        let file = path.file_name().map(|f| f.to_string_lossy().into_owned());
        println!(
            "| {name} | {} | {docs} | {:.1}% | {:.1}% | {:.2}% ({}) | {} |",
            kind.as_str(),
            pct(v[0]),
            pct(v[1]),
            pct(v[2]),
            v[2],
            file.unwrap_or_default(),
        );
    }
    println!();
    Ok(())
}

fn context(text: &str, start: usize, end: usize, chars: usize) -> String {
    let before: String = {
        let mut v: Vec<char> = text[..start].chars().rev().take(chars).collect();
        v.reverse();
        v.into_iter().collect()
    };
    let after: String = text[end..].chars().take(chars).collect();
    format!("{before}【{}】{after}", &text[start..end]).replace(['\n', '\t', '\r'], "⏎")
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("quality: {e}");
            std::process::exit(2);
        }
    };
    if let Err(e) = run(&args) {
        eprintln!("quality: {e}");
        std::process::exit(1);
    }
}

fn run(args: &Args) -> Result<(), String> {
    let policy = match &args.policy {
        Some(p) => Policy::from_file(p).map_err(|e| e.to_string())?,
        None => Policy::embedded().clone(),
    };
    let screener = Screener::from_policy(policy).map_err(|e| e.to_string())?;
    let labels = read_labels(&args.labels)?;
    let mut corpora: Vec<(String, Kind, Vec<Doc>)> = Vec::new();
    for &(name, kind) in CORPORA {
        corpora.push((
            name.to_string(),
            args.kind.unwrap_or(kind),
            read_realtext(&args.realtext, name)?,
        ));
    }
    if let Some(dir) = &args.law_dir {
        corpora.push(("law".to_string(), Kind::Article, read_law(dir)?));
    }

    let mut tallies: Vec<(String, Tally)> = Vec::new();
    let mut precision: BTreeMap<String, Precision> = BTreeMap::new();
    let mut lost_tp: BTreeMap<String, usize> = BTreeMap::new();
    let mut seen_keys: std::collections::HashSet<Key> = Default::default();
    let mut unlabelled: BTreeMap<String, Vec<Seen>> = BTreeMap::new();
    let probes = match &args.probes {
        Some(path) => xianshen_benches::probes::probes_from_file(path)?,
        None => xianshen_benches::probes::probes(),
    };
    let mut probe_tallies: Vec<(String, ProbeTally)> = Vec::new();
    // (corpus, form) → findings; form → precision.
    let mut evasive: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut evasive_precision: BTreeMap<String, Precision> = BTreeMap::new();
    for (name, kind, docs) in &corpora {
        let mut probe_tally = ProbeTally::default();
        let mut tally = Tally {
            docs: docs.len(),
            ..Tally::default()
        };
        for doc in docs {
            let mut draft = Draft::new(&doc.text).kind(*kind);
            if let Some(day) = doc.published() {
                draft = draft.date(day);
            }
            let report = screener.screen(&draft);
            if report.verdict == Verdict::Block && args.blocks.contains(name) {
                for f in report
                    .findings
                    .iter()
                    .filter(|f| f.severity == xianshen::Severity::Block)
                {
                    println!(
                        "block\t{name}\t{}\t{}\t{}\t{}\t{}",
                        doc.id,
                        f.rule,
                        f.start,
                        f.end,
                        context(&doc.text, f.start, f.end, 40)
                    );
                }
            }
            tally.verdicts[verdict_index(report.verdict)] += 1;
            let mut flagged: std::collections::BTreeSet<&str> = Default::default();
            for f in &report.findings {
                if f.severity >= xianshen::Severity::Review {
                    flagged.insert(f.rule.as_str());
                }
            }
            for rule in flagged {
                *tally.flagged_docs.entry(rule.to_string()).or_default() += 1;
            }
            if *kind == Kind::Comment {
                probe_tally.add(&probes, &doc.text, &report.findings);
                if let Some(p) = args
                    .missed
                    .as_ref()
                    .and_then(|f| probes.iter().find(|p| &p.form == f))
                {
                    let (matches, caught) = p.count(&doc.text, &report.findings);
                    if matches > caught {
                        let text: String = doc
                            .text
                            .replace(['\n', '\t', '\r'], "⏎")
                            .chars()
                            .take(120)
                            .collect();
                        println!("missed\t{name}\t{}\t{text}", doc.id);
                    }
                }
            }
            for f in &report.findings {
                *tally.per_rule.entry(f.rule.clone()).or_default() += 1;
                let key: Key = (name.clone(), doc.id.clone(), f.rule.clone(), f.start, f.end);
                let form = f.evasion.map(|e| e.as_str().to_string());
                if let Some(form) = &form {
                    *evasive.entry((name.clone(), form.clone())).or_default() += 1;
                }
                let label = labels.get(&key);
                if let Some(form) = &form {
                    let p = evasive_precision.entry(form.clone()).or_default();
                    match label {
                        Some(l) if l.tp => p.tp += 1,
                        Some(_) => p.fp += 1,
                        None => p.unlabelled += 1,
                    }
                }
                let p = precision.entry(f.rule.clone()).or_default();
                match label {
                    Some(l) if l.tp => p.tp += 1,
                    Some(l) => {
                        p.fp += 1;
                        if args.show_fp {
                            println!(
                                "fp\t{name}\t{}\t{}\t{}\t{}\t{}\t{}",
                                doc.id,
                                f.rule,
                                f.start,
                                f.end,
                                l.reason,
                                context(&doc.text, f.start, f.end, 30)
                            );
                        }
                    }
                    None => {
                        p.unlabelled += 1;
                        if args.sample.is_some() && (form.is_some() || !args.evasive_only) {
                            unlabelled.entry(f.rule.clone()).or_default().push(Seen {
                                key: key.clone(),
                                text: f.text.clone(),
                                context: context(&doc.text, f.start, f.end, 60),
                                evasion: form.clone().unwrap_or_default(),
                            });
                        }
                    }
                }
                seen_keys.insert(key);
            }
        }
        tallies.push((name.clone(), tally));
        if *kind == Kind::Comment {
            probe_tallies.push((name.clone(), probe_tally));
        }
    }
    for (key, label) in &labels {
        if label.tp && !seen_keys.contains(key) {
            *lost_tp.entry(key.2.clone()).or_default() += 1;
            if args.show_fp {
                let (corpus, id, rule, start, end) = key;
                println!(
                    "lost\t{corpus}\t{id}\t{rule}\t{start}\t{end}\t{}",
                    label.reason
                );
            }
        }
    }

    println!("## Verdicts per corpus ({})", screener.policy().name());
    println!();
    println!("| corpus | kind | docs | pass | review | block |");
    println!("|---|---|---:|---:|---:|---:|");
    for (name, tally) in &tallies {
        let kind = corpora.iter().find(|c| &c.0 == name).map(|c| c.1);
        let pct = |n: usize| 100.0 * n as f64 / tally.docs.max(1) as f64;
        println!(
            "| {name} | {} | {} | {:.1}% | {:.1}% | {:.2}% ({}) |",
            kind.map_or("", |k| k.as_str()),
            tally.docs,
            pct(tally.verdicts[0]),
            pct(tally.verdicts[1]),
            pct(tally.verdicts[2]),
            tally.verdicts[2],
        );
    }
    println!();
    print_unit_verdicts(args, &corpora)?;
    println!("## Findings per rule per corpus");
    println!();
    let rules: std::collections::BTreeSet<&String> = tallies
        .iter()
        .flat_map(|(_, t)| t.per_rule.keys())
        .collect();
    print_rule_table(&tallies, &rules, |t, rule| {
        t.per_rule.get(rule).copied().unwrap_or(0).to_string()
    });
    println!("## Documents held for review or blocked, per rule (% of the corpus)");
    println!();
    print_rule_table(&tallies, &rules, |t, rule| {
        let n = t.flagged_docs.get(rule).copied().unwrap_or(0);
        format!("{:.2}%", 100.0 * n as f64 / t.docs.max(1) as f64)
    });
    println!(
        "## Precision per rule on the labelled set ({} labels, {})",
        labels.len(),
        args.labels.display()
    );
    println!();
    println!("| rule | TP | FP | precision | unlabelled findings | labelled TP no longer found |");
    println!("|---|---:|---:|---:|---:|---:|");
    let (mut all_tp, mut all_fp) = (0, 0);
    for (rule, p) in &precision {
        all_tp += p.tp;
        all_fp += p.fp;
        let prec = p.cell();
        println!(
            "| {rule} | {} | {} | {prec} | {} | {} |",
            p.tp,
            p.fp,
            p.unlabelled,
            lost_tp.get(rule).copied().unwrap_or(0)
        );
    }
    for (rule, n) in &lost_tp {
        if !precision.contains_key(rule) {
            println!("| {rule} | 0 | 0 | – | 0 | {n} |");
        }
    }
    if all_tp + all_fp > 0 {
        println!(
            "| **all** | {all_tp} | {all_fp} | {:.1}% | | |",
            100.0 * all_tp as f64 / (all_tp + all_fp) as f64
        );
    }

    print_evasion(&probes, &probe_tallies, &evasive, &evasive_precision);
    if let Some(out) = &args.sample {
        write_sample(out, unlabelled, args.per_rule, args.seed)?;
    }
    Ok(())
}

/// Recall of the evasion probes per comment corpus, then findings and
/// precision per evasive spelling.
fn print_evasion(
    probes: &[xianshen_benches::probes::Probe],
    probe_tallies: &[(String, ProbeTally)],
    evasive: &BTreeMap<(String, String), usize>,
    evasive_precision: &BTreeMap<String, Precision>,
) {
    println!();
    println!("## Evasion probes in comments: matches caught by a review or block finding");
    println!();
    print_table_head("form", probe_tallies.iter().map(|(name, _)| name));
    for (i, p) in probes.iter().enumerate() {
        print!("| {} |", p.form);
        for (_, t) in probe_tallies {
            let (n, caught) = t.get(i);
            let pct = if n == 0 {
                0.0
            } else {
                100.0 * caught as f64 / n as f64
            };
            print!(" {caught}/{n} ({pct:.0}%) |");
        }
        println!();
    }
    println!();
    println!("## Evasive spellings: findings per corpus and precision on the labelled set");
    println!();
    println!("| form | findings | TP | FP | precision | unlabelled |");
    println!("|---|---|---:|---:|---:|---:|");
    for (form, p) in evasive_precision {
        let per_corpus: Vec<String> = evasive
            .iter()
            .filter(|((_, f), _)| f == form)
            .map(|((c, _), n)| format!("{c} {n}"))
            .collect();
        let prec = p.cell();
        println!(
            "| {form} | {} | {} | {} | {prec} | {} |",
            per_corpus.join(", "),
            p.tp,
            p.fp,
            p.unlabelled
        );
    }
}

/// The head of a Markdown table: `first`, then one right-aligned column
/// per corpus.
fn print_table_head<'a>(first: &str, corpora: impl Iterator<Item = &'a String> + Clone) {
    print!("| {first} |");
    for name in corpora.clone() {
        print!(" {name} |");
    }
    println!();
    print!("|---|");
    for _ in corpora {
        print!("---:|");
    }
    println!();
}

/// A Markdown table with a row per rule and a column per corpus, then a
/// blank line.
fn print_rule_table(
    tallies: &[(String, Tally)],
    rules: &std::collections::BTreeSet<&String>,
    cell: impl Fn(&Tally, &str) -> String,
) {
    print_table_head("rule", tallies.iter().map(|(name, _)| name));
    for rule in rules {
        print!("| {rule} |");
        for (_, t) in tallies {
            print!(" {} |", cell(t, rule));
        }
        println!();
    }
    println!();
}

/// Writes up to `per_rule` random unlabelled findings of each rule, with
/// context, for judging by hand (outside the repository: it holds text).
fn write_sample(
    out: &Path,
    unlabelled: BTreeMap<String, Vec<Seen>>,
    per_rule: usize,
    seed: u64,
) -> Result<(), String> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut file = std::fs::File::create(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let mut written = 0;
    for (_, mut seen) in unlabelled {
        seen.shuffle(&mut rng);
        for s in seen.into_iter().take(per_rule) {
            let (corpus, id, rule, start, end) = &s.key;
            writeln!(
                file,
                "{corpus}\t{id}\t{rule}\t{start}\t{end}\t{}\t{}\t{}",
                s.text.replace(['\n', '\t', '\r'], "⏎"),
                s.context,
                s.evasion
            )
            .map_err(|e| format!("{}: {e}", out.display()))?;
            written += 1;
        }
    }
    eprintln!(
        "quality: wrote {written} findings to judge to {}",
        out.display()
    );
    Ok(())
}
