//! A char-level Aho–Corasick automaton for the normalized text.
//!
//! The normalizer already decodes every char, so the automaton takes one
//! step per char, not one per UTF-8 byte (three for a Chinese char). Chars
//! are first mapped to dense class ids (most frequent first, 0 for chars in
//! no pattern); transitions live in a double array (`base + class`, checked
//! against the parent), which keeps a 62k-term lexicon in a few MiB and
//! builds in tens of milliseconds. The root has a child for every class,
//! at slot `class`, so a miss from the root's children (most steps, in
//! running text) needs no failure link, and every lookup is in range.
//! Matches are reported overlapping, every pattern ending at every char,
//! like `aho_corasick::MatchKind::Standard` with `find_overlapping_iter`;
//! the tests hold it to that crate.

mod alphabet;
mod build;

use alphabet::Alphabet;
pub(crate) use alphabet::SEE_OTHERS as CLASS_OVER_16_BITS;

/// No state, pattern or output.
const NONE: u32 = u32::MAX;
/// The start state, always slot 0.
const ROOT: u32 = 0;
/// Set in [`Hot::check`] when some pattern ends at the state (or at one on
/// its failure chain).
const HAS_OUTPUT: u32 = 1 << 31;

/// Patterns may hold fewer chars than this in all: with the alphabet and
/// layout gaps, state ids then stay below [`HAS_OUTPUT`].
const MAX_PATTERN_CHARS: usize = 1 << 30;

/// The patterns are too many for 31-bit state ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the patterns hold {chars} chars; the automaton takes fewer than 2^30")]
pub(crate) struct TooLarge {
    /// The chars in all patterns.
    pub chars: usize,
}

fn check_size(chars: usize) -> Result<(), TooLarge> {
    if chars < MAX_PATTERN_CHARS {
        Ok(())
    } else {
        Err(TooLarge { chars })
    }
}

/// What a step reads: 8 bytes per state, so the states a search touches
/// most stay in cache. A state's id is its slot index.
#[derive(Clone, Copy, Debug)]
#[repr(C)]
struct Hot {
    /// The state's children sit at `base + class`.
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
    /// Each pattern's length in chars.
    pattern_chars: Vec<u32>,
    /// The most chars in a pattern.
    max_chars: usize,
}

impl CharAutomaton {
    /// Builds the automaton for `patterns` (each non-empty; ids are their
    /// indexes; of equal patterns only the first is reported).
    ///
    /// # Errors
    ///
    /// [`TooLarge`] when the patterns hold 2^30 chars or more: state ids
    /// are 31-bit.
    pub fn new<S: AsRef<str>>(patterns: &[S]) -> Result<CharAutomaton, TooLarge> {
        CharAutomaton::check(patterns)?;
        Ok(build::build(patterns))
    }

    /// Whether [`CharAutomaton::new`] would accept `patterns`, without
    /// building anything.
    pub fn check<S: AsRef<str>>(patterns: &[S]) -> Result<(), TooLarge> {
        check_size(patterns.iter().map(|p| p.as_ref().chars().count()).sum())
    }

    /// Whether [`CharAutomaton::new`] would accept patterns of `chars`
    /// chars in all.
    pub fn check_chars(chars: usize) -> Result<(), TooLarge> {
        check_size(chars)
    }

    /// Heap bytes held.
    pub fn memory_usage(&self) -> usize {
        self.alphabet.memory_usage()
            + self.hot.capacity() * std::mem::size_of::<Hot>()
            + (self.fail.capacity()
                + self.output.capacity()
                + self.pattern_at.capacity()
                + self.pattern_chars.capacity())
                * 4
    }

    /// A search from the start state, to be fed chars one at a time.
    pub fn search(&self) -> Search<'_> {
        Search {
            automaton: self,
            state: ROOT,
        }
    }

    /// The most chars in a pattern.
    pub fn max_chars(&self) -> usize {
        self.max_chars
    }

    /// The classes of the BMP chars in `range` as `u16`,
    /// [`CLASS_OVER_16_BITS`] where a class needs more bits.
    pub fn bmp_classes(&self, range: std::ops::Range<u32>) -> Vec<u16> {
        self.alphabet.bmp_classes(range)
    }

    /// The class of `c` (0 if no pattern has it), for
    /// [`Search::step_class`].
    pub fn class(&self, c: char) -> u32 {
        self.alphabet.class(c)
    }

    /// Calls `on_match` for every occurrence of every pattern in `text`,
    /// overlapping ones included, in order of their end; matches ending at
    /// the same char come longest first. (The matcher feeds a [`Search`]
    /// folded chars instead; this plain form reads short passages on rare
    /// paths, and is the one the tests hold to the aho-corasick crate.)
    pub fn for_each_match(&self, text: &str, mut on_match: impl FnMut(CharMatch)) {
        let ring_len = self.max_chars.next_power_of_two();
        let mut starts = vec![0usize; ring_len];
        let mut search = self.search();
        for (n, (at, c)) in text.char_indices().enumerate() {
            starts[n & (ring_len - 1)] = at;
            if search.step(c) {
                search.for_each_output(|pattern, chars| {
                    on_match(CharMatch {
                        pattern,
                        start: starts[(n + 1 - chars) & (ring_len - 1)],
                        end: at + c.len_utf8(),
                    })
                });
            }
        }
    }
}

/// A search in progress: the automaton and its current state.
pub(crate) struct Search<'a> {
    automaton: &'a CharAutomaton,
    state: u32,
}

impl Search<'_> {
    /// Steps over `c`; see [`Search::step_class`].
    pub fn step(&mut self, c: char) -> bool {
        self.step_class(self.automaton.alphabet.class(c))
    }

    /// Steps over a char of class `class` (see [`CharAutomaton::class`]).
    /// Returns whether some pattern ends with it; if so,
    /// [`Search::for_each_output`] lists them.
    ///
    /// A step is a chain of dependent loads (the state's base, the child's
    /// check); 8-byte slots keep the states a search visits most in cache.
    /// Whether a lookup hits cannot be predicted, so the common cases (a
    /// hit, or a miss from a child of the root, which goes to the root's
    /// child on the same class) pick their result without a branch; only a
    /// miss deeper down follows failure links.
    #[inline(always)]
    pub fn step_class(&mut self, class: u32) -> bool {
        let a = self.automaton;
        if class == 0 {
            self.state = ROOT;
            return false;
        }
        let hot = &a.hot[..];
        let mut state = self.state;
        let check = loop {
            let here = hot[state as usize];
            // In range: the array ends with as many free slots as there
            // are classes (see the build).
            let next = here.base + class;
            let to = hot[next as usize];
            let found = to.check & !HAS_OUTPUT == state;
            // From the root every class hits (its row is dense); from a
            // child of the root a miss goes to the root's child on
            // `class`, at slot `class`. Both are taken without a branch on
            // the lookup, which a search could not predict.
            if found || here.check & !HAS_OUTPUT == ROOT {
                let first = hot[class as usize];
                let (to_state, to_check) = if found {
                    (next, to.check)
                } else {
                    (class, first.check)
                };
                state = to_state;
                break to_check;
            }
            state = a.fail[state as usize];
        };
        self.state = state;
        check & HAS_OUTPUT != 0
    }

    /// Calls `f(pattern, chars)` for each pattern ending at the last char
    /// stepped over, longest first; `chars` is the pattern's length.
    #[inline]
    pub fn for_each_output(&self, mut f: impl FnMut(u32, usize)) {
        let a = self.automaton;
        let mut out = a.output[self.state as usize];
        while out != NONE {
            let pattern = a.pattern_at[out as usize];
            f(pattern, a.pattern_chars[pattern as usize] as usize);
            out = a.output[a.fail[out as usize] as usize];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Matches found in one pass, after checking that the two-halves
    /// search finds the same in the same order.
    fn ours(patterns: &[String], text: &str) -> Vec<CharMatch> {
        let mut found = Vec::new();
        CharAutomaton::new(patterns)
            .unwrap()
            .for_each_match(text, |m| found.push(m));
        assert!(
            found.windows(2).all(|w| w[0].end <= w[1].end),
            "not in end order"
        );
        found.sort();
        found
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
    fn refuses_more_chars_than_state_ids_hold() {
        assert!(check_size(MAX_PATTERN_CHARS - 1).is_ok());
        let err = check_size(MAX_PATTERN_CHARS).unwrap_err();
        assert!(err.to_string().contains("1073741824 chars"), "{err}");
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
