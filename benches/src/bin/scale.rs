//! Threads on many documents: the law corpus file by file, screened with
//! the 62k terms (detectors off) on 1 and 2 rayon threads, best of 3.
//! What `screen_many` in Python does, without Python.
//!
//! `scale [ALLOCATOR-NOTE]`, data from the environment as for the benches.

use rayon::prelude::*;
use std::time::Instant;
use xianshen::{Draft, Screener};
use xianshen_benches::{corpus_files, lexicon_from_env, terms_policy};

fn main() {
    let dir = std::env::var_os("XIANSHEN_LAW_DIR").expect("XIANSHEN_LAW_DIR");
    let docs: Vec<String> = corpus_files(dir.as_ref())
        .expect("reads the corpus folder")
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("reads a document"))
        .collect();
    let mb = docs.iter().map(String::len).sum::<usize>() as f64 / 1e6;
    let screener = Screener::from_policy(terms_policy(&lexicon_from_env(62_000).0, false)).unwrap();
    let mut best = [f64::MAX; 2];
    for _ in 0..3 {
        for (i, threads) in [1, 2].into_iter().enumerate() {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let t = Instant::now();
            let n: usize = pool.install(|| {
                docs.par_iter()
                    .map(|d| screener.screen(&Draft::new(d)).findings.len())
                    .sum()
            });
            std::hint::black_box(n);
            best[i] = best[i].min(t.elapsed().as_secs_f64());
        }
    }
    println!(
        "{} docs, {mb:.1} MB: 1 thread {:.0} MB/s, 2 threads {:.0} MB/s, speed-up {:.2}x",
        docs.len(),
        mb / best[0],
        mb / best[1],
        best[0] / best[1]
    );
}
