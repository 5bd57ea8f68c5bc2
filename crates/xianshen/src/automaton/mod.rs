//! A char-level Aho–Corasick automaton for the normalized text.
//!
//! The normalizer already decodes every char, so the automaton takes one
//! step per char, not one per UTF-8 byte (three for a Chinese char). Chars
//! are first mapped to dense class ids (most frequent first, 0 for chars in
//! no pattern); transitions live in a double array (`base + class`, checked
//! against the parent), which keeps a 62k-term lexicon in a few MiB and
//! builds in milliseconds. Matches are reported overlapping, every pattern
//! ending at every char, like `aho_corasick::MatchKind::Standard` with
//! `find_overlapping_iter`; the tests hold it to that crate.

mod alphabet;
mod build;

use alphabet::Alphabet;

/// No state, pattern or output.
const NONE: u32 = u32::MAX;
/// The start state, always slot 0.
const ROOT: u32 = 0;
/// Set in [`Hot::check`] when some pattern ends at the state (or at one on
/// its failure chain).
const HAS_OUTPUT: u32 = 1 << 31;

/// What a step reads: 8 bytes per state, so the states a search touches
/// most stay in cache. A state's id is its slot index.
#[derive(Clone, Copy, Debug)]
#[repr(C)]
struct Hot {
    /// The state's children sit at `base + class` (wrapping).
    base: u32,
    /// The parent of the state in this slot, or'ed with [`HAS_OUTPUT`];
    /// `NONE` for a free slot and for the root.
    check: u32,
}

/// A match: pattern id and its byte range in the searched text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct CharMatch {
    pub pattern: u32,
    pub start: usize,
    pub end: usize,
}

/// The automaton. Immutable once built.
#[derive(Clone, Debug)]
pub(crate) struct CharAutomaton {
    alphabet: Alphabet,
    hot: Vec<Hot>,
    /// Per state: the state for the longest proper suffix that is also in
    /// the trie. Read only when a step misses.
    fail: Vec<u32>,
    /// Per state: the nearest state on its failure chain, itself included,
    /// where a pattern ends; `NONE` if none.
    output: Vec<u32>,
    /// The pattern that ends at each state, or `NONE`.
    pattern_at: Vec<u32>,
    /// Each pattern's length in bytes.
    pattern_len: Vec<u32>,
}

impl CharAutomaton {
    /// Builds the automaton for `patterns` (each non-empty; ids are their
    /// indexes; of equal patterns only the first is reported).
    pub fn new<S: AsRef<str>>(patterns: &[S]) -> CharAutomaton {
        build::build(patterns)
    }

    /// Heap bytes held.
    pub fn memory_usage(&self) -> usize {
        self.alphabet.memory_usage()
            + self.hot.capacity() * std::mem::size_of::<Hot>()
            + (self.fail.capacity()
                + self.output.capacity()
                + self.pattern_at.capacity()
                + self.pattern_len.capacity())
                * 4
    }

    /// Calls `on_match` for every occurrence of every pattern in `text`,
    /// overlapping ones included, in order of their end; matches ending at
    /// the same char come longest first.
    #[inline]
    pub fn for_each_match(&self, text: &str, mut on_match: impl FnMut(CharMatch)) {
        let hot = &self.hot[..];
        let mut state = ROOT;
        for (at, c) in text.char_indices() {
            let class = self.alphabet.class(c);
            if class == 0 {
                state = ROOT;
                continue;
            }
            let check = loop {
                let here = hot[state as usize];
                let next = here.base.wrapping_add(class);
                if let Some(&to) = hot.get(next as usize) {
                    if to.check & !HAS_OUTPUT == state {
                        state = next;
                        break to.check;
                    }
                }
                if state == ROOT {
                    break NONE & !HAS_OUTPUT;
                }
                // A child of the root fails to the root: no lookup.
                state = if here.check & !HAS_OUTPUT == ROOT {
                    ROOT
                } else {
                    self.fail[state as usize]
                };
            };
            if check & HAS_OUTPUT == 0 {
                continue;
            }
            let end = at + c.len_utf8();
            let mut out = self.output[state as usize];
            while out != NONE {
                let pattern = self.pattern_at[out as usize];
                on_match(CharMatch {
                    pattern,
                    start: end - self.pattern_len[pattern as usize] as usize,
                    end,
                });
                out = self.output[self.fail[out as usize] as usize];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ours(patterns: &[String], text: &str) -> Vec<CharMatch> {
        let mut v = Vec::new();
        CharAutomaton::new(patterns).for_each_match(text, |m| v.push(m));
        v.sort();
        v
    }

    /// The reference: the aho-corasick crate, overlapping, over bytes.
    fn reference(patterns: &[String], text: &str) -> Vec<CharMatch> {
        let mut first: std::collections::HashMap<&str, u32> = Default::default();
        for (i, p) in patterns.iter().enumerate() {
            first.entry(p.as_str()).or_insert(i as u32);
        }
        let ac = aho_corasick::AhoCorasick::new(patterns).unwrap();
        let mut v: Vec<CharMatch> = ac
            .find_overlapping_iter(text)
            .filter(|m| first[&patterns[m.pattern().as_usize()][..]] == m.pattern().as_u32())
            .map(|m| CharMatch {
                pattern: m.pattern().as_u32(),
                start: m.start(),
                end: m.end(),
            })
            .collect();
        v.sort();
        v
    }

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn finds_overlapping_matches() {
        let p = strings(&["he", "she", "his", "hers", "冰毒", "出售冰毒", "毒"]);
        let text = "ushers 出售冰毒品 his";
        let got = ours(&p, text);
        assert_eq!(got, reference(&p, text));
        assert_eq!(got.len(), 7);
        for m in &got {
            assert_eq!(&text[m.start..m.end], p[m.pattern as usize]);
        }
    }

    #[test]
    fn no_patterns_and_unknown_chars() {
        let none: Vec<String> = Vec::new();
        assert!(ours(&none, "任何文字").is_empty());
        let p = strings(&["ab"]);
        assert!(ours(&p, "a😀b a\u{10FFFF}b").is_empty());
        assert_eq!(ours(&p, "xaab").len(), 1);
    }

    #[test]
    fn duplicates_report_the_first_id() {
        let p = strings(&["毒品", "毒", "毒品"]);
        assert_eq!(ours(&p, "毒品"), reference(&p, "毒品"));
    }

    #[test]
    fn wide_fan_out_lays_out_and_matches() {
        // A state with thousands of children, and many states with many.
        let chars: Vec<char> = (0x4E00u32..0x4E00 + 3000)
            .filter_map(char::from_u32)
            .collect();
        let mut p: Vec<String> = chars.iter().map(|c| format!("中{c}")).collect();
        for a in &chars[..40] {
            for b in chars.iter().step_by(37) {
                p.push(format!("{a}{b}国"));
            }
        }
        let text: String = chars
            .iter()
            .step_by(7)
            .flat_map(|&c| ['中', c, '国'])
            .collect();
        assert_eq!(ours(&p, &text), reference(&p, &text));
    }

    fn alphabet_string(max_len: usize) -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just('a'),
                Just('b'),
                Just('冰'),
                Just('毒'),
                Just('品'),
                Just('😀'),
                Just('\u{10FFFF}'),
                any::<char>(),
            ],
            0..max_len,
        )
        .prop_map(|v| v.into_iter().collect())
    }

    proptest! {
        #[test]
        fn agrees_with_aho_corasick(
            patterns in proptest::collection::vec(alphabet_string(6), 0..40),
            text in alphabet_string(200),
        ) {
            let patterns: Vec<String> = patterns.into_iter().filter(|p| !p.is_empty()).collect();
            prop_assert_eq!(ours(&patterns, &text), reference(&patterns, &text));
        }
    }
}
#[cfg(test)]
mod stats {
    #[test]
    #[ignore]
    fn print_stats() {
        let text = std::fs::read_to_string("/work/shared/bench-data/lexicon-62k.txt").unwrap();
        let p: Vec<String> = text
            .lines()
            .filter(|l| !l.is_empty())
            .map(|l| crate::normalize_str(l, crate::NormalizeOptions::ALL))
            .filter(|l| !l.is_empty())
            .collect();
        let t = std::time::Instant::now();
        let a = super::CharAutomaton::new(&p);
        let used = a.hot.iter().filter(|s| s.check != super::NONE).count();
        eprintln!(
            "build {:?} slots {} used {} classes {} mem {}",
            t.elapsed(),
            a.hot.len(),
            used,
            a.alphabet.len(),
            a.memory_usage()
        );
    }
}
