//! A driver for profilers (callgrind, perf): screens a slice of the corpus
//! with the 62k lexicon, terms only or with detectors.
//!
//! `profile [terms|full|default|comments|draft] [MEGABYTES] [TIMES]`, data
//! from the environment as for the benches; `comments` screens the slice as
//! a comment with the default policy (the evasion forms on); `draft`
//! screens the slice 20,000 times with the default policy. `TIMES` screens
//! the slice that many times (so that the screening outweighs the loading
//! and the build in a profile).

use xianshen::{Draft, Kind, Screener};
use xianshen_benches::{corpus_from_env, lexicon_from_env, terms_policy};

fn main() {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_else(|| "terms".into());
    let megabytes: f64 = args
        .next()
        .map_or(2.0, |a| a.parse().expect("MEGABYTES is a number"));
    let (mut corpus, _) = corpus_from_env((megabytes * 1e6) as usize);
    let mut end = ((megabytes * 1e6) as usize).min(corpus.len());
    while !corpus.is_char_boundary(end) {
        end -= 1;
    }
    corpus.truncate(end);
    let screener = match mode.as_str() {
        "default" | "draft" | "comments" => Screener::new(),
        "full" => Screener::from_policy(terms_policy(&lexicon_from_env(62_000).0, true)).unwrap(),
        _ => Screener::from_policy(terms_policy(&lexicon_from_env(62_000).0, false)).unwrap(),
    };
    // `draft`: one short draft screened many times, as a CMS does.
    let repeat = match args.next() {
        Some(times) => times.parse().expect("TIMES is a whole number"),
        None if mode == "draft" => 20_000,
        None => 1,
    };
    let kind = if mode == "comments" {
        Kind::Comment
    } else {
        Kind::Article
    };
    let mut findings = 0;
    for _ in 0..repeat {
        findings = screener
            .screen(&Draft::new(&corpus).kind(kind))
            .findings
            .len();
    }
    println!("{} bytes x {repeat}, {findings} findings", corpus.len());
}
