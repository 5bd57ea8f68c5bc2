//! Criterion benches: build cost apart from search cost.
//!
//! Real data when given (`XIANSHEN_LAW_DIR`, `XIANSHEN_LEXICON`), generated
//! data otherwise. `cargo bench -p xianshen-benches`.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use std::hint::black_box;
use xianshen::{Draft, Policy, Screener};
use xianshen_benches::{
    corpus_from_env, generate_corpus, generate_lexicon, lexicon_from_env, terms_policy,
    terms_policy_toml,
};

fn build(c: &mut Criterion) {
    let mut group = c.benchmark_group("build");
    group.sample_size(10);
    group.bench_function("default_policy", |b| {
        b.iter_batched(
            || (),
            |()| Screener::from_policy(black_box(Policy::default())).unwrap(),
            BatchSize::PerIteration,
        )
    });
    // Each lexicon is made just before its bench and dropped after, so
    // one bench's data does not fragment the heap another one builds in.
    let lexicons: [(&str, &dyn Fn() -> Vec<String>); 3] = [
        ("terms_5k", &|| generate_lexicon(5_000, 5)),
        ("terms_62k", &|| {
            let (terms, what) = lexicon_from_env(62_000);
            eprintln!("lexicon: {what}");
            terms
        }),
        ("terms_200k", &|| generate_lexicon(200_000, 200)),
    ];
    for (name, make) in lexicons {
        // From the policy's TOML text to a compiled screener; dropping
        // it is not timed.
        let toml = terms_policy_toml(&make(), false);
        group.bench_function(name, |b| {
            b.iter_batched(
                || (),
                |()| Screener::from_policy(Policy::from_toml(black_box(&toml)).unwrap()).unwrap(),
                BatchSize::PerIteration,
            )
        });
        let screener = Screener::from_policy(Policy::from_toml(&toml).unwrap()).unwrap();
        eprintln!(
            "{name}: automaton {:.1} MiB",
            screener.automaton_memory() as f64 / (1 << 20) as f64
        );
    }
    group.finish();
}

fn screen_short(c: &mut Criterion) {
    let screener = Screener::new();
    let text = generate_corpus(5_000, 3);
    let mut group = c.benchmark_group("screen_draft");
    for (name, len) in [("200B", 200), ("5KB", 5_000)] {
        let mut end = len.min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let draft = &text[..end];
        group.throughput(Throughput::Bytes(draft.len() as u64));
        group.bench_function(format!("default_policy_{name}"), |b| {
            b.iter(|| screener.screen(&Draft::new(black_box(draft))))
        });
    }
    group.finish();
}

fn screen_corpus(c: &mut Criterion) {
    let (corpus, what) = corpus_from_env(8_000_000);
    let (terms, lexicon) = lexicon_from_env(62_000);
    eprintln!("corpus: {what}\nlexicon: {lexicon}");
    let mut group = c.benchmark_group("screen_corpus");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(corpus.len() as u64));
    let default = Screener::new();
    group.bench_function("default_policy", |b| {
        b.iter(|| default.screen_text(black_box(&corpus)))
    });
    let terms_only = Screener::from_policy(terms_policy(&terms, false)).unwrap();
    group.bench_function("terms_only_62k", |b| {
        b.iter(|| terms_only.screen_text(black_box(&corpus)))
    });
    group.finish();
}

criterion_group!(benches, build, screen_short, screen_corpus);
criterion_main!(benches);
