//! One automaton for every fixed string of a policy: lexicon terms,
//! allow-list phrases, `near` terms, style substitutions and the built-in
//! detectors' cues. It runs over the normalized text; each match is mapped
//! back to the input, checked against Latin/digit boundaries and, where a
//! group asks for it, against jieba word boundaries and the group's own
//! normalization switches.

use crate::normalize::{fold_char, normalize_str, NormalizeOptions, Normalized};
use crate::policy::{is_cjk, Boundary};
use crate::rules::cues::CueKind;
use crate::segment;
use crate::Span;
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use std::collections::HashMap;

/// What a pattern is used for. One normalized string may serve several.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Use {
    /// Term `term` of lexicon group `lexicon`; `variant` 0 is the term as
    /// written, 1 and 2 its digit / Chinese-numeral variants.
    Term {
        lexicon: u32,
        term: u32,
        variant: u8,
    },
    /// An allow-list phrase.
    Allow,
    /// Term `term` of near entry `entry`.
    Near { entry: u32, term: u32 },
    /// Style substitution `index`.
    Style { index: u32 },
    /// A detector cue.
    Cue { kind: CueKind, index: u32 },
}

/// A lexicon group as the matcher needs it.
#[derive(Clone, Debug)]
pub(crate) struct LexiconGroup {
    pub boundary: Boundary,
    pub normalize: NormalizeOptions,
    pub terms: Vec<String>,
}

/// The class of the first or last char of a pattern, for boundary checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Edge {
    Latin,
    Digit,
    Other,
}

fn edge_of(c: char) -> Edge {
    if c.is_ascii_alphabetic() {
        Edge::Latin
    } else if c.is_ascii_digit() {
        Edge::Digit
    } else {
        Edge::Other
    }
}

/// The class of an input char as it would be matched (`Ａ` and `ⓐ` are Latin).
fn input_edge(c: char) -> Edge {
    let mut edge = Edge::Other;
    let mut first = true;
    fold_char(
        c,
        NormalizeOptions {
            noise: false,
            ..NormalizeOptions::ALL
        },
        &mut |o| {
            if first {
                edge = edge_of(o);
                first = false;
            }
        },
    );
    edge
}

/// A hit of a pattern use, in input offsets.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Hit {
    pub what: Use,
    pub span: Span,
}

/// Builds a [`Matcher`].
#[derive(Default)]
pub(crate) struct MatcherBuilder {
    ids: HashMap<String, u32>,
    patterns: Vec<String>,
    uses: Vec<Vec<Use>>,
}

impl MatcherBuilder {
    /// Adds `text` (normalized with all folds) for `what`.
    pub fn add(&mut self, text: &str, what: Use) {
        let norm = normalize_str(text, NormalizeOptions::ALL);
        if norm.is_empty() {
            return;
        }
        let next = self.patterns.len() as u32;
        let id = *self.ids.entry(norm).or_insert_with_key(|k| {
            self.patterns.push(k.clone());
            next
        });
        if id == next {
            self.uses.push(Vec::new());
        }
        let uses = &mut self.uses[id as usize];
        if !uses.contains(&what) {
            uses.push(what);
        }
    }

    /// Adds a lexicon term and its numeral variants.
    pub fn add_term(&mut self, lexicon: u32, term: u32, text: &str) {
        self.add(
            text,
            Use::Term {
                lexicon,
                term,
                variant: 0,
            },
        );
        for variant in [1u8, 2] {
            if let Some(v) = numeral_variant(text, variant) {
                self.add(
                    &v,
                    Use::Term {
                        lexicon,
                        term,
                        variant,
                    },
                );
            }
        }
    }

    pub fn build(self) -> Result<Matcher, aho_corasick::BuildError> {
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .build(&self.patterns)?;
        let edges = self
            .patterns
            .iter()
            .map(|p| {
                let first = p.chars().next().map_or(Edge::Other, edge_of);
                let last = p.chars().next_back().map_or(Edge::Other, edge_of);
                (first, last)
            })
            .collect();
        let mut use_start = Vec::with_capacity(self.uses.len() + 1);
        let mut uses = Vec::new();
        for u in self.uses {
            use_start.push(uses.len() as u32);
            uses.extend(u);
        }
        use_start.push(uses.len() as u32);
        Ok(Matcher {
            automaton,
            edges,
            use_start,
            uses,
        })
    }
}

/// Digits → Chinese numerals (variant 1) or Chinese numerals → digits
/// (variant 2), when the term has any; `None` otherwise.
fn numeral_variant(text: &str, variant: u8) -> Option<String> {
    const HANZI: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    let mut changed = false;
    let out: String = text
        .chars()
        .map(|c| {
            let mapped = match variant {
                1 => c
                    .to_digit(10)
                    .filter(|_| c.is_ascii_digit())
                    .map(|d| HANZI[d as usize]),
                _ => match c {
                    '〇' => Some('0'),
                    _ => HANZI
                        .iter()
                        .position(|&h| h == c)
                        .and_then(|d| char::from_digit(d as u32, 10)),
                },
            };
            changed |= mapped.is_some();
            mapped.unwrap_or(c)
        })
        .collect();
    changed.then_some(out)
}

/// The compiled automaton with, per pattern, its uses and edge classes.
pub(crate) struct Matcher {
    automaton: AhoCorasick,
    edges: Vec<(Edge, Edge)>,
    use_start: Vec<u32>,
    uses: Vec<Use>,
}

impl Matcher {
    /// Memory used by the automaton, in bytes.
    pub fn memory_usage(&self) -> usize {
        self.automaton.memory_usage()
    }

    pub fn pattern_count(&self) -> usize {
        self.edges.len()
    }

    /// Finds every hit (overlapping) in `input`, whose normalized form is
    /// `norm`, and pushes those that pass the boundary and group checks.
    pub fn find(
        &self,
        input: &str,
        norm: &Normalized,
        groups: &[LexiconGroup],
        out: &mut Vec<Hit>,
    ) {
        for m in self.automaton.find_overlapping_iter(norm.as_str()) {
            let pid = m.pattern().as_usize();
            let span = norm.original_span(input, m.start()..m.end());
            if !edges_ok(input, span, self.edges[pid]) {
                continue;
            }
            let uses = &self.uses[self.use_start[pid] as usize..self.use_start[pid + 1] as usize];
            for &what in uses {
                if let Use::Term {
                    lexicon,
                    term,
                    variant,
                } = what
                {
                    let group = &groups[lexicon as usize];
                    if !group.normalize.is_all()
                        && !matches_strictly(input, span, group, term, variant)
                    {
                        continue;
                    }
                    if group.boundary == Boundary::Word
                        && input[span].chars().any(is_cjk)
                        && !segment::aligns_with_words(input, span)
                    {
                        continue;
                    }
                }
                out.push(Hit { what, span });
            }
        }
    }
}

/// A pattern that begins (ends) with a Latin letter must not continue a
/// Latin run before (after) it; likewise for digits.
fn edges_ok(input: &str, span: Span, (first, last): (Edge, Edge)) -> bool {
    if first != Edge::Other {
        if let Some(prev) = input[..span.start].chars().next_back() {
            if input_edge(prev) == first {
                return false;
            }
        }
    }
    if last != Edge::Other {
        if let Some(next) = input[span.end..].chars().next() {
            if input_edge(next) == last {
                return false;
            }
        }
    }
    true
}

/// For a group that turns some fold off: the input span, folded with the
/// group's own switches, must equal the term folded the same way.
fn matches_strictly(input: &str, span: Span, group: &LexiconGroup, term: u32, variant: u8) -> bool {
    let written = &group.terms[term as usize];
    let expected = match variant {
        0 => normalize_str(written, group.normalize),
        v => match numeral_variant(written, v) {
            Some(t) => normalize_str(&t, group.normalize),
            None => return false,
        },
    };
    normalize_str(&input[span], group.normalize) == expected
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeral_variants() {
        assert_eq!(numeral_variant("6合彩", 1).as_deref(), Some("六合彩"));
        assert_eq!(numeral_variant("六合彩", 2).as_deref(), Some("6合彩"));
        assert_eq!(numeral_variant("冰毒", 1), None);
    }

    #[test]
    fn latin_and_digit_edges() {
        let e = (Edge::Latin, Edge::Latin);
        assert!(!edges_ok("have", Span::new(1, 3), e));
        assert!(edges_ok("1av2", Span::new(1, 3), e));
        assert!(edges_ok("AV女", Span::new(0, 2), e));
        assert!(!edges_ok(
            "695",
            Span::new(0, 2),
            (Edge::Digit, Edge::Digit)
        ));
        assert!(!edges_ok("ｈav", Span::new(3, 5), e));
    }
}
