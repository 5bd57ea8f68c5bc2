//! Benchmark support for xianshen: real data when its path is given, and
//! seeded generators so every bench also runs anywhere.
//!
//! Real data (see `../shared/bench-data/README.md`):
//!
//! - `XIANSHEN_LAW_DIR`: the unpacked law corpus (a folder of Markdown files).
//! - `XIANSHEN_LEXICON`: a word list, one term a line (e.g. `lexicon-62k.txt`).

#![deny(missing_docs)]

pub mod probes;
pub mod realtext;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::path::{Path, PathBuf};
use xianshen::Policy;

/// A policy's TOML text with every lexicon group looking for every evasive
/// spelling in comments (pinyin, homophones, 拆字): the most the matcher
/// can be asked to do.
pub fn every_evasion_form(policy_toml: &str) -> String {
    let mut out = String::with_capacity(policy_toml.len() + 4096);
    for line in policy_toml.lines() {
        if line.starts_with("evasion = ") {
            continue;
        }
        out.push_str(line);
        out.push('\n');
        if line == "[[lexicon]]" {
            out.push_str(
                "evasion = { pinyin = \"comments\", homophone = \"comments\", chaizi = \"comments\" }\n",
            );
        }
    }
    out
}

/// jieba's dictionary: `word frequency tag` a line.
const JIEBA_DICT: &str = include_str!(env!("JIEBA_DICT_PATH"));

/// Words of jieba's dictionary with cumulative frequencies, for sampling.
pub struct WordSampler {
    words: Vec<&'static str>,
    cumulative: Vec<u64>,
}

impl Default for WordSampler {
    fn default() -> Self {
        WordSampler::new()
    }
}

impl WordSampler {
    /// Loads jieba's dictionary.
    pub fn new() -> WordSampler {
        let mut words = Vec::new();
        let mut cumulative = Vec::new();
        let mut total = 0u64;
        for line in JIEBA_DICT.lines() {
            let mut parts = line.split(' ');
            let (Some(word), Some(freq)) = (parts.next(), parts.next()) else {
                continue;
            };
            let Ok(freq) = freq.parse::<u64>() else {
                continue;
            };
            total += freq.max(1);
            words.push(word);
            cumulative.push(total);
        }
        WordSampler { words, cumulative }
    }

    /// One word, drawn by frequency.
    pub fn sample(&self, rng: &mut impl Rng) -> &'static str {
        let total = *self.cumulative.last().expect("dictionary is not empty");
        let x = rng.random_range(0..total);
        let i = self.cumulative.partition_point(|&c| c <= x);
        self.words[i]
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Whether the dictionary is empty (it never is).
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

/// A Chinese-like corpus of about `bytes` bytes: words drawn from jieba's
/// dictionary by frequency, with punctuation and line breaks. The same seed
/// gives the same text.
pub fn generate_corpus(bytes: usize, seed: u64) -> String {
    let sampler = WordSampler::new();
    let mut rng = StdRng::seed_from_u64(seed);
    let mut out = String::with_capacity(bytes + 64);
    while out.len() < bytes {
        out.push_str(sampler.sample(&mut rng));
        match rng.random_range(0..100) {
            0..=7 => out.push('，'),
            8..=10 => out.push('。'),
            11 => out.push('、'),
            12 => out.push_str("。\n"),
            _ => {}
        }
    }
    out
}

/// `count` distinct terms of one to three dictionary words (two to eight
/// chars), drawn by frequency. The same seed gives the same lexicon.
pub fn generate_lexicon(count: usize, seed: u64) -> Vec<String> {
    let sampler = WordSampler::new();
    let mut rng = StdRng::seed_from_u64(seed);
    let mut seen = std::collections::HashSet::with_capacity(count);
    let mut out = Vec::with_capacity(count);
    while out.len() < count {
        let parts = rng.random_range(1..=3);
        let term: String = (0..parts).map(|_| sampler.sample(&mut rng)).collect();
        let chars = term.chars().count();
        if (2..=8).contains(&chars) && seen.insert(term.clone()) {
            out.push(term);
        }
    }
    out
}

/// Reads a word list, one term a line, dropping blank lines and lines with
/// control characters (real lists have junk). Returns the terms and how many
/// lines were dropped.
pub fn read_lexicon(path: &Path) -> std::io::Result<(Vec<String>, usize)> {
    let text = std::fs::read_to_string(path)?;
    let mut dropped = 0;
    let terms = text
        .lines()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .filter(|t| {
            let ok = !t.chars().any(char::is_control);
            dropped += usize::from(!ok);
            ok
        })
        .map(str::to_string)
        .collect();
    Ok((terms, dropped))
}

/// Every file below `dir`, recursively, sorted by path.
pub fn corpus_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if path.is_dir() {
                walk(&path, out)?;
            } else {
                out.push(path);
            }
        }
        Ok(())
    }
    let mut files = Vec::new();
    walk(dir, &mut files)?;
    files.sort();
    Ok(files)
}

/// Concatenates every file below `dir` (sorted) into one text, with a line
/// break between files.
pub fn read_corpus_dir(dir: &Path) -> std::io::Result<(String, usize)> {
    let files = corpus_files(dir)?;
    let mut text = String::new();
    for f in &files {
        text.push_str(&std::fs::read_to_string(f)?);
        text.push('\n');
    }
    Ok((text, files.len()))
}

/// The corpus from `XIANSHEN_LAW_DIR`, or a generated one of `fallback_bytes`.
/// Returns the text and a description of it.
pub fn corpus_from_env(fallback_bytes: usize) -> (String, String) {
    match std::env::var_os("XIANSHEN_LAW_DIR") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            let (text, files) = read_corpus_dir(&dir)
                .unwrap_or_else(|e| panic!("XIANSHEN_LAW_DIR {}: {e}", dir.display()));
            let what = format!(
                "{} ({files} files, {:.1} MB)",
                dir.display(),
                text.len() as f64 / 1e6
            );
            (text, what)
        }
        None => {
            let text = generate_corpus(fallback_bytes, 7);
            let what = format!(
                "generated from jieba's dictionary (seed 7, {:.1} MB)",
                text.len() as f64 / 1e6
            );
            (text, what)
        }
    }
}

/// The lexicon from `XIANSHEN_LEXICON`, or a generated one of `fallback`
/// terms. Returns the terms and a description.
pub fn lexicon_from_env(fallback: usize) -> (Vec<String>, String) {
    match std::env::var_os("XIANSHEN_LEXICON") {
        Some(path) => {
            let path = PathBuf::from(path);
            let (terms, dropped) = read_lexicon(&path)
                .unwrap_or_else(|e| panic!("XIANSHEN_LEXICON {}: {e}", path.display()));
            let what = format!(
                "{} ({} terms, {dropped} junk lines dropped)",
                path.display(),
                terms.len()
            );
            (terms, what)
        }
        None => {
            let terms = generate_lexicon(fallback, 11);
            let what = format!("generated ({} terms, seed 11)", terms.len());
            (terms, what)
        }
    }
}

/// A policy holding `terms` in one group, with full normalization and
/// (unless `detectors`) every built-in detector off: the engine as a pure
/// term matcher.
pub fn terms_policy(terms: &[String], detectors: bool) -> Policy {
    Policy::from_toml(&terms_policy_toml(terms, detectors)).expect("bench policy is valid")
}

/// The TOML text of [`terms_policy`], which is what build benchmarks time
/// from: loading it and compiling the screener.
pub fn terms_policy_toml(terms: &[String], detectors: bool) -> String {
    let mut toml = String::from("[meta]\nname = \"bench\"\nversion = \"1\"\n\n[[lexicon]]\ntag = \"bench\"\nseverity = \"review\"\nterms = [\n");
    for t in terms {
        toml.push_str(&serde_json::to_string(t).expect("strings serialize"));
        toml.push_str(",\n");
    }
    // Every hit is reported, so counts compare with raw matchers.
    toml.push_str("]\n\n[limits]\nmax_findings = 100000000\n");
    if !detectors {
        for rule in xianshen::rules::RULES {
            toml.push_str(&format!("\n[rules.\"{}\"]\nenabled = false\n", rule.id));
        }
    }
    toml
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_evasion_form_keeps_the_policy_valid() {
        let toml = every_evasion_form(xianshen::DEFAULT_POLICY_TOML);
        let policy = Policy::from_toml(&toml).expect("still a policy");
        for (tag, evasion, _) in policy.lexicon_evasion() {
            let e = evasion.unwrap_or_else(|| panic!("{tag}: no evasion"));
            assert_eq!(e.homophone, xianshen::Reach::Comments, "{tag}");
            assert_eq!(e.chaizi, xianshen::Reach::Comments, "{tag}");
        }
    }

    #[test]
    fn generators_are_seeded_and_sized() {
        let a = generate_corpus(10_000, 1);
        assert_eq!(a, generate_corpus(10_000, 1));
        assert!(a.len() >= 10_000 && a.len() < 10_100);
        assert!(a.contains('，'));
        let lex = generate_lexicon(500, 2);
        assert_eq!(lex.len(), 500);
        assert_eq!(lex, generate_lexicon(500, 2));
        assert!(WordSampler::new().len() > 300_000);
    }

    #[test]
    fn terms_policy_turns_detectors_off() {
        let p = terms_policy(&["出售冰毒".to_string()], false);
        let s = xianshen::Screener::from_policy(p).unwrap();
        let r = s.screen_text("我认为出售冰毒。手机13812345678");
        assert_eq!(r.findings.len(), 1);
        assert_eq!(r.findings[0].rule, "term.bench");
    }
}
