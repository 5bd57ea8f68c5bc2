//! The engine's char automaton and fold, bare, for `benches/compare` to
//! measure against other automatons on the same text (feature
//! `bench-internals`). Not an API: nothing here is stable or documented
//! for use.
//!
//! The comparison it serves (DESIGN.md, "Measured against daachorse"):
//! the same folded char stream fed to this crate's double array and to
//! daachorse's stepper, and both on the raw text, so that the automaton's
//! share of the screening time is measured apart from the fold and the
//! report.

use crate::automaton::{CharAutomaton, Search};
use crate::normalize::{for_each_folded_char, normalize_str, NormalizeOptions};

/// The automaton the matcher searches with, built over `patterns` as given.
pub struct Automaton(CharAutomaton);

impl Automaton {
    /// Builds it; `None` when the patterns hold 2^30 chars or more.
    pub fn new(patterns: &[String]) -> Option<Automaton> {
        CharAutomaton::new(patterns).ok().map(Automaton)
    }

    /// Heap bytes held.
    pub fn memory_usage(&self) -> usize {
        self.0.memory_usage()
    }

    /// A search from the start state, fed one char at a time.
    pub fn stepper(&self) -> Stepper<'_> {
        Stepper(self.0.search())
    }
}

/// A search in progress.
pub struct Stepper<'a>(Search<'a>);

impl Stepper<'_> {
    /// Steps over `c`; returns how many patterns end with it (overlapping
    /// matches, as daachorse's `find_overlapping_stepper` reports them).
    #[inline]
    pub fn consume(&mut self, c: char) -> usize {
        let mut n = 0;
        if self.0.step(c) {
            self.0.for_each_output(|_, _| n += 1);
        }
        n
    }
}

/// Calls `emit` for each char of `text` folded as the matcher folds it
/// with every fold on (case, width, compatibility forms, traditional to
/// simplified; noise dropped).
#[inline]
pub fn for_each_folded(text: &str, emit: impl FnMut(char)) {
    for_each_folded_char(text, NormalizeOptions::ALL, emit);
}

/// `term` folded the same way (how the matcher stores its patterns).
pub fn fold_term(term: &str) -> String {
    normalize_str(term, NormalizeOptions::ALL)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_stream_finds_what_the_folded_text_holds() {
        let patterns = vec![fold_term("出售冰毒"), fold_term("ＡＶ")];
        let automaton = Automaton::new(&patterns).unwrap();
        let mut stepper = automaton.stepper();
        let mut found = 0;
        for_each_folded("本店出·售 冰 毒，ａｖ", |c| {
            found += stepper.consume(c)
        });
        assert_eq!(found, 2);
        let mut raw = automaton.stepper();
        let on_raw: usize = "本店出·售 冰 毒".chars().map(|c| raw.consume(c)).sum();
        assert_eq!(on_raw, 0, "the raw text keeps its noise");
    }
}
