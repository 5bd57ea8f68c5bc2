//! Side-by-side: raw aho-corasick against xianshen on the same corpus and
//! lexicon, in one process. Prints a Markdown table of build time, heap
//! kept by the built matcher, and search throughput (best of 3 runs).
//!
//! ```sh
//! XIANSHEN_LAW_DIR=/tmp/law/lawrefbook \
//! XIANSHEN_LEXICON=../shared/bench-data/lexicon-62k.txt \
//!   cargo run --release -p xianshen-benches --bin compare
//! ```

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use std::alloc::{GlobalAlloc, Layout, System};
use std::path::Path;
use std::sync::atomic::{AtomicIsize, Ordering};
use std::time::{Duration, Instant};
use xianshen::{Draft, Kind, Policy, Screener, DEFAULT_POLICY_TOML};
use xianshen_benches::{corpus_from_env, every_evasion_form, lexicon_from_env, terms_policy_toml};

/// Counts live heap bytes, to measure what a built matcher keeps.
struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Builds with `build`, returning the value, the build time and the heap
/// bytes it keeps.
fn measure_build<T>(build: impl FnOnce() -> T) -> (T, Duration, isize) {
    let before = LIVE.load(Ordering::Relaxed);
    let start = Instant::now();
    let value = build();
    let elapsed = start.elapsed();
    (value, elapsed, LIVE.load(Ordering::Relaxed) - before)
}

/// Best of three runs of `search`, and what it returned.
fn measure_search(mut search: impl FnMut() -> usize) -> (Duration, usize) {
    let mut best = Duration::MAX;
    let mut count = 0;
    for _ in 0..3 {
        let start = Instant::now();
        count = std::hint::black_box(search());
        best = best.min(start.elapsed());
    }
    (best, count)
}

struct Row {
    name: String,
    build: Duration,
    memory: isize,
    search: Duration,
    count: usize,
}

fn main() {
    let (corpus, corpus_what) = corpus_from_env(20_000_000);
    let (terms, lexicon_what) = lexicon_from_env(62_000);
    let mb = corpus.len() as f64 / 1e6;
    let mut rows = Vec::new();

    let (ac, build, memory) = measure_build(|| {
        AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&terms)
            .or_else(|_| {
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(&terms)
            })
            .expect("automaton builds")
    });
    let (search, count) = measure_search(|| ac.find_iter(corpus.as_bytes()).count());
    let kind = format!("{:?}", ac.kind());
    rows.push(Row {
        name: format!("raw aho-corasick ({kind}, leftmost-longest, bytes)"),
        build,
        memory,
        search,
        count,
    });
    drop(ac);
    daachorse_rows(&terms, &corpus, &mut rows);
    automaton_rows(&terms, &corpus, &mut rows);
    if let Some(program) = std::env::var_os("XIANSHEN_VECTORSCAN") {
        rows.push(vectorscan_row(Path::new(&program), &terms, &corpus));
    }

    // Build time: from the policy's TOML text (made beforehand) to a
    // compiled screener.
    let terms_only = terms_policy_toml(&terms, false);
    let with_detectors = terms_policy_toml(&terms, true);
    let terms_evasive = every_evasion_form(&terms_only);
    let default_evasive = every_evasion_form(DEFAULT_POLICY_TOML);
    // The default policy without its protected names: what names cost.
    let default_no_names =
        "[meta]\nname = \"default, no names\"\nextends = \"default\"\n[rules.\"style.name\"]\nenabled = false\n";
    let from_toml = |toml: &str| Screener::from_policy(Policy::from_toml(toml).unwrap()).unwrap();
    type Build<'a> = &'a dyn Fn() -> Screener;
    let xianshen_rows: [(&str, Kind, Build); 8] = [
        (
            "xianshen, terms only, full normalization",
            Kind::Article,
            &|| from_toml(&terms_only),
        ),
        (
            "xianshen, terms only, every evasion form, as comments",
            Kind::Comment,
            &|| from_toml(&terms_evasive),
        ),
        ("xianshen, terms + all detectors", Kind::Article, &|| {
            from_toml(&with_detectors)
        }),
        ("xianshen, embedded default policy", Kind::Article, &|| {
            Screener::from_policy(Policy::default()).unwrap()
        }),
        (
            "xianshen, default policy without protected names",
            Kind::Article,
            &|| from_toml(default_no_names),
        ),
        (
            "xianshen, embedded default policy, as comments",
            Kind::Comment,
            &|| Screener::from_policy(Policy::default()).unwrap(),
        ),
        (
            "xianshen, default policy, every evasion form, as articles",
            Kind::Article,
            &|| from_toml(&default_evasive),
        ),
        (
            "xianshen, default policy, every evasion form, as comments",
            Kind::Comment,
            &|| from_toml(&default_evasive),
        ),
    ];
    for (name, kind, build_screener) in xianshen_rows {
        // A comment screened once counts in the build: the pinyin
        // automaton is built on the first draft that needs it.
        let (screener, build, memory) = measure_build(|| {
            let screener = build_screener();
            screener.screen(&Draft::new("").kind(kind));
            screener
        });
        let draft = Draft::new(&corpus).kind(kind);
        let (search, count) = measure_search(|| screener.screen(&draft).findings.len());
        rows.push(Row {
            name: name.into(),
            build,
            memory,
            search,
            count,
        });
    }

    let latency = draft_latency();
    println!("corpus: {corpus_what}\nlexicon: {lexicon_what}\n");
    println!("| engine | build ms | heap MiB | MB/s | vs raw | matches / findings |");
    println!("|---|---:|---:|---:|---:|---:|");
    let base = mb / rows[0].search.as_secs_f64();
    for r in &rows {
        let speed = mb / r.search.as_secs_f64();
        println!(
            "| {} | {:.0} | {:.1} | {:.1} | {:.2}× | {} |",
            r.name,
            r.build.as_secs_f64() * 1e3,
            r.memory as f64 / (1 << 20) as f64,
            speed,
            speed / base,
            r.count
        );
    }
    println!("\n{latency}");
}

/// daachorse, the published crate of the char-wise double-array
/// technique `crates/xianshen/src/automaton/` hand-writes, on the raw text
/// (no folding, no noise skipping, no report): leftmost-longest,
/// overlapping, and its stepper fed one char at a time (the shape a
/// fold-and-search loop would use).
fn daachorse_rows(terms: &[String], corpus: &str, rows: &mut Vec<Row>) {
    use daachorse::{CharwiseDoubleArrayAhoCorasick, CharwiseDoubleArrayAhoCorasickBuilder};
    let (pma, build, memory) = measure_build(|| {
        CharwiseDoubleArrayAhoCorasickBuilder::new()
            .match_kind(daachorse::MatchKind::LeftmostLongest)
            .build::<_, _, u32>(terms)
            .expect("daachorse builds")
    });
    let (search, count) = measure_search(|| pma.leftmost_find_iter(corpus).count());
    rows.push(Row {
        name: "daachorse 5.1 char-wise, leftmost-longest, raw text".into(),
        build,
        memory,
        search,
        count,
    });
    drop(pma);
    let (pma, build, memory) = measure_build(|| {
        CharwiseDoubleArrayAhoCorasick::<u32>::new(terms).expect("daachorse builds")
    });
    let (search, count) = measure_search(|| pma.find_overlapping_iter(corpus).count());
    rows.push(Row {
        name: "daachorse 5.1 char-wise, overlapping, raw text".into(),
        build,
        memory,
        search,
        count,
    });
    let (search, count) = measure_search(|| {
        let mut stepper = pma.find_overlapping_stepper();
        let mut n = 0;
        for c in corpus.chars() {
            stepper.consume(c);
            n += stepper.matches().count();
        }
        n
    });
    rows.push(Row {
        name: "daachorse 5.1 stepper, one char at a time, overlapping".into(),
        build,
        memory,
        search,
        count,
    });
}

/// The automaton alone: xianshen's double array against daachorse's
/// stepper on the same char streams, the raw text and the text folded as
/// the matcher folds it (patterns folded the same way, duplicates after
/// folding dropped), with the fold's own cost as a row. No noise skipping,
/// no checks, no report: what choosing the automaton can win.
fn automaton_rows(terms: &[String], corpus: &str, rows: &mut Vec<Row>) {
    use daachorse::CharwiseDoubleArrayAhoCorasick;
    use xianshen::bench_internals::{fold_term, for_each_folded, Automaton};
    let (ours, build, memory) =
        measure_build(|| Automaton::new(terms).expect("xianshen's automaton builds"));
    let (search, count) = measure_search(|| {
        let mut stepper = ours.stepper();
        corpus.chars().map(|c| stepper.consume(c)).sum()
    });
    rows.push(Row {
        name: "xianshen automaton, one char at a time, overlapping, raw text".into(),
        build,
        memory,
        search,
        count,
    });
    drop(ours);

    let mut folded: Vec<String> = terms.iter().map(|t| fold_term(t)).collect();
    folded.retain(|t| !t.is_empty());
    folded.sort_unstable();
    folded.dedup();
    let (search, count) = measure_search(|| {
        let mut n = 0;
        for_each_folded(corpus, |_| n += 1);
        n
    });
    rows.push(Row {
        name: "xianshen fold alone (chars out)".into(),
        build: Duration::ZERO,
        memory: 0,
        search,
        count,
    });
    let (ours, build, memory) =
        measure_build(|| Automaton::new(&folded).expect("xianshen's automaton builds"));
    let (search, count) = measure_search(|| {
        let mut stepper = ours.stepper();
        let mut n = 0;
        for_each_folded(corpus, |c| n += stepper.consume(c));
        n
    });
    rows.push(Row {
        name: "xianshen fold + xianshen automaton, overlapping".into(),
        build,
        memory,
        search,
        count,
    });
    drop(ours);
    let (pma, build, memory) = measure_build(|| {
        CharwiseDoubleArrayAhoCorasick::<u32>::new(&folded).expect("daachorse builds")
    });
    let (search, count) = measure_search(|| {
        let mut stepper = pma.find_overlapping_stepper();
        let mut n = 0;
        for_each_folded(corpus, |c| {
            stepper.consume(c);
            n += stepper.matches().count();
        });
        n
    });
    rows.push(Row {
        name: "xianshen fold + daachorse 5.1 stepper, overlapping".into(),
        build,
        memory,
        search,
        count,
    });
}

/// Vectorscan through `benches/vectorscan/literals.c` (built by
/// `benches/compare.sh`; `XIANSHEN_VECTORSCAN` names the program): every
/// term a literal, all matches. It times its own build and scan; the heap
/// it keeps is not counted here.
fn vectorscan_row(program: &Path, terms: &[String], corpus: &str) -> Row {
    let dir = std::env::temp_dir().join(format!("xianshen-vectorscan-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let (terms_file, corpus_file) = (dir.join("terms.txt"), dir.join("corpus.txt"));
    std::fs::write(&terms_file, terms.join("\n") + "\n").expect("writes the terms");
    std::fs::write(&corpus_file, corpus).expect("writes the corpus");
    let out = std::process::Command::new(program)
        .arg(&terms_file)
        .arg(&corpus_file)
        .output()
        .unwrap_or_else(|e| panic!("{}: {e}", program.display()));
    let _ = std::fs::remove_dir_all(&dir);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}: {}",
        program.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let field = |name: &str| -> f64 {
        text.split_whitespace()
            .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no {name} in {text:?}"))
    };
    Row {
        name: "Vectorscan 5.4 literals, all matches, raw text (C)".into(),
        build: Duration::from_secs_f64(field("build_ms") / 1e3),
        memory: 0,
        search: Duration::from_secs_f64(field("search_ms") / 1e3),
        count: field("matches") as usize,
    }
}

/// Latency of one 5 KB draft with the embedded default policy: p50 and p99
/// over 10,000 screenings of different drafts cut from a generated corpus.
fn draft_latency() -> String {
    let screener = Screener::new();
    let corpus = xianshen_benches::generate_corpus(5_000 * 200, 13);
    let mut drafts = Vec::new();
    let mut start = 0;
    while drafts.len() < 200 {
        let mut end = (start + 5_000).min(corpus.len());
        while !corpus.is_char_boundary(end) {
            end -= 1;
        }
        drafts.push(&corpus[start..end]);
        start = end;
    }
    let mut times: Vec<Duration> = (0..10_000)
        .map(|i| {
            let t = Instant::now();
            std::hint::black_box(screener.screen_text(drafts[i % drafts.len()]));
            t.elapsed()
        })
        .collect();
    times.sort_unstable();
    format!(
        "5 KB draft, default policy: p50 {:.1} µs, p99 {:.1} µs, max {:.1} µs (10,000 screenings)",
        times[times.len() / 2].as_secs_f64() * 1e6,
        times[times.len() * 99 / 100].as_secs_f64() * 1e6,
        times[times.len() - 1].as_secs_f64() * 1e6
    )
}
