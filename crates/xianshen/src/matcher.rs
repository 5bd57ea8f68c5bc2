//! One automaton for every fixed string of a policy: lexicon terms,
//! allow-list phrases, `near` terms, style substitutions and the built-in
//! detectors' cues. It runs over the normalized text; each match is mapped
//! back to the input, checked against Latin/digit boundaries and, where a
//! group asks for it, against jieba word boundaries and the group's own
//! normalization switches.

use crate::automaton::CharAutomaton;
use crate::normalize::{fold_char, is_noise, normalize_str, NormalizeOptions, Normalized};
use crate::policy::{is_cjk, Boundary};
use crate::rules::cues::CueKind;
use crate::segment;
use crate::Span;
use std::collections::HashMap;

/// What a pattern is used for. One normalized string may serve several.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Use {
    /// Term `term` of lexicon group `lexicon`; `variant` 0 is the term as
    /// written, 1 and 3 its digits as Chinese numerals (0 as 零, as 〇),
    /// 2 its Chinese numerals as digits.
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
    /// A Chinese numeral in a pattern made from digits.
    Numeral,
    Other,
}

fn is_chinese_numeral(c: char) -> bool {
    matches!(
        c,
        '零' | '〇'
            | '一'
            | '二'
            | '三'
            | '四'
            | '五'
            | '六'
            | '七'
            | '八'
            | '九'
            | '十'
            | '百'
            | '千'
            | '万'
            | '两'
    )
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

/// Whether an input char continues a run of class `edge` (`Ａ` and `ⓐ`
/// continue a Latin run).
fn continues(c: char, edge: Edge) -> bool {
    match edge {
        Edge::Numeral => is_chinese_numeral(c),
        Edge::Other => false,
        _ => input_edge(c) == edge,
    }
}

/// The class of an input char as it would be matched.
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
    numeral_run: Vec<bool>,
}

impl MatcherBuilder {
    /// Adds `text` (normalized with all folds) for `what`.
    pub fn add(&mut self, text: &str, what: Use) {
        self.add_pattern(text, what, false);
    }

    /// `numeral_run`: the pattern was made from digits, so like the digits
    /// it must not sit inside a longer run of Chinese numerals.
    fn add_pattern(&mut self, text: &str, what: Use, numeral_run: bool) {
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
            self.numeral_run.push(numeral_run);
        }
        let uses = &mut self.uses[id as usize];
        if !uses.contains(&what) {
            uses.push(what);
        }
    }

    /// Adds a lexicon term and its numeral variants.
    pub fn add_term(&mut self, lexicon: u32, term: u32, text: &str) {
        let what = |variant| Use::Term {
            lexicon,
            term,
            variant,
        };
        self.add(text, what(0));
        for variant in [1u8, 2, 3] {
            if let Some(v) = numeral_variant(text, variant) {
                self.add_pattern(&v, what(variant), variant != 2);
            }
        }
    }

    pub fn build(self) -> Matcher {
        let automaton = CharAutomaton::new(&self.patterns);
        let edges = self
            .patterns
            .iter()
            .zip(&self.numeral_run)
            .map(|(p, &numeral_run)| {
                let edge = |c: char| match edge_of(c) {
                    Edge::Other if numeral_run && is_chinese_numeral(c) => Edge::Numeral,
                    e => e,
                };
                let first = p.chars().next().map_or(Edge::Other, edge);
                let last = p.chars().next_back().map_or(Edge::Other, edge);
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
        Matcher {
            automaton,
            edges,
            use_start,
            uses,
        }
    }
}

/// Digits → Chinese numerals (variant 1) or Chinese numerals → digits
/// (variant 2), when the term has any; `None` otherwise.
fn numeral_variant(text: &str, variant: u8) -> Option<String> {
    const HANZI: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    if variant == 3 && !text.contains('0') {
        return None;
    }
    let mut changed = false;
    let out: String = text
        .chars()
        .map(|c| {
            let mapped = match (variant, c) {
                (3, '0') => Some('〇'),
                (1 | 3, '0'..='9') => Some(HANZI[c as usize - '0' as usize]),
                (2, '〇') => Some('0'),
                (2, _) => HANZI
                    .iter()
                    .position(|&h| h == c)
                    .and_then(|d| char::from_digit(d as u32, 10)),
                _ => None,
            };
            changed |= mapped.is_some();
            mapped.unwrap_or(c)
        })
        .collect();
    changed.then_some(out)
}

/// The compiled automaton with, per pattern, its uses and edge classes.
pub(crate) struct Matcher {
    automaton: CharAutomaton,
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
        let mut hint = 0;
        self.automaton.for_each_match(norm.as_str(), |m| {
            let pid = m.pattern as usize;
            let span = norm.original_span_near(input, m.start..m.end, &mut hint);
            if !edges_ok(input, span, self.edges[pid]) {
                return;
            }
            let uses = &self.uses[self.use_start[pid] as usize..self.use_start[pid + 1] as usize];
            for &what in uses {
                let mut span = span;
                match what {
                    Use::Term {
                        lexicon,
                        term,
                        variant,
                    } => {
                        let group = &groups[lexicon as usize];
                        if !group.normalize.is_all() {
                            match matches_strictly(input, span, group, term, variant) {
                                Some(strict) => span = strict,
                                None => continue,
                            }
                        }
                        if group.boundary == Boundary::Word
                            && input[span].chars().any(is_cjk)
                            && !segment::aligns_with_words(input, span)
                        {
                            continue;
                        }
                    }
                    Use::Cue { .. } if !cue_span_ok(input, span) => continue,
                    _ => {}
                }
                out.push(Hit { what, span });
            }
        });
    }
}

/// A pattern that begins (ends) with a Latin letter must not continue a
/// Latin run before (after) it; likewise for digits.
fn edges_ok(input: &str, span: Span, (first, last): (Edge, Edge)) -> bool {
    let prev_ok = first == Edge::Other
        || !input[..span.start]
            .chars()
            .next_back()
            .is_some_and(|c| continues(c, first));
    let next_ok = last == Edge::Other
        || !input[span.end..]
            .chars()
            .next()
            .is_some_and(|c| continues(c, last));
    prev_ok && next_ok
}

/// Detector cues are words, not evasions: one never straddles punctuation
/// or symbols (活，该 is not the cue 活该). Spaces and invisible format
/// characters inside are tolerated.
fn cue_span_ok(input: &str, span: Span) -> bool {
    input[span].chars().all(|c| {
        !is_noise(c)
            || c.is_whitespace()
            || matches!(c as u32, 0x200B..=0x200F | 0x2060..=0x206F | 0xFE00..=0xFE0F | 0xFEFF)
    })
}

/// For a group that turns some fold off: the input span, folded with the
/// group's own switches, must equal the term folded the same way. With
/// noise kept, a term may begin or end with noise (`#话题#`): the span
/// grows over as many input chars as the term has there. Returns the span
/// that matched.
fn matches_strictly(
    input: &str,
    span: Span,
    group: &LexiconGroup,
    term: u32,
    variant: u8,
) -> Option<Span> {
    let written = &group.terms[term as usize];
    let expected = match variant {
        0 => normalize_str(written, group.normalize),
        v => normalize_str(&numeral_variant(written, v)?, group.normalize),
    };
    let lead = expected.chars().take_while(|&c| is_noise(c)).count();
    let trail = if lead == expected.chars().count() {
        0
    } else {
        expected.chars().rev().take_while(|&c| is_noise(c)).count()
    };
    let mut start = span.start;
    for _ in 0..lead {
        start -= input[..start].chars().next_back()?.len_utf8();
    }
    let mut end = span.end;
    for _ in 0..trail {
        end += input[end..].chars().next()?.len_utf8();
    }
    let span = Span::new(start, end);
    (normalize_str(&input[span], group.normalize) == expected).then_some(span)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeral_variants() {
        assert_eq!(numeral_variant("6合彩", 1).as_deref(), Some("六合彩"));
        assert_eq!(numeral_variant("六合彩", 2).as_deref(), Some("6合彩"));
        assert_eq!(numeral_variant("冰毒", 1), None);
        assert_eq!(numeral_variant("2020年", 3).as_deref(), Some("二〇二〇年"));
        assert_eq!(numeral_variant("69", 3), None);
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
