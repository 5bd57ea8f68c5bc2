//! One automaton for every fixed string of a policy: lexicon terms,
//! allow-list phrases, `near` terms, style substitutions and the built-in
//! detectors' cues. It runs over the input folded char by char (see
//! [`Matcher::find`]); each match, in input offsets, is checked against
//! Latin/digit boundaries and, where a group asks for it, against jieba
//! word boundaries and the group's own normalization switches. For drafts
//! whose policy looks for pinyin and homophones, the same pass also steps
//! the sound automata over the text spelled by sound ([`pinyin`]).

pub(crate) mod pinyin;

use crate::automaton::{CharAutomaton, Search, TooLarge, CLASS_OVER_16_BITS};
use crate::evasion::{self, Evasion};
use crate::names::NameForm;
use crate::normalize::{self, fold_char, is_noise, normalize_str, NormalizeOptions};
use crate::normalize::{is_cjk, URO_END, URO_START};
use crate::policy::file::LexiconFile;
use crate::policy::Boundary;
use crate::rules::cues::CueKind;
use crate::segment;
use crate::verdict::Severity;
use crate::Span;
use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;
use std::hash::BuildHasher;

/// What a pattern is used for. One normalized string may serve several.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Use {
    /// Term `term` of lexicon group `lexicon`; `variant` 0 is the term as
    /// written, 1 and 3 its digits as Chinese numerals (0 as 零, as 〇),
    /// 2 its Chinese numerals as digits; `evasion`, the evasive spelling
    /// this pattern is (拆字 here; pinyin and homophones come from the
    /// sound automata).
    Term {
        lexicon: u32,
        term: u32,
        variant: u8,
        evasion: Option<Evasion>,
    },
    /// An allow-list phrase.
    Allow,
    /// Term `term` of near entry `entry`.
    Near { entry: u32, term: u32 },
    /// Style substitution `index`.
    Style { index: u32 },
    /// A detector cue.
    Cue { kind: CueKind, index: u32 },
    /// Protected name `name`, as written or as a near miss.
    Name { name: u32, form: NameForm },
}

/// The class of the first or last char of a pattern, for boundary checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Edge {
    Latin,
    Digit,
    /// A Chinese numeral in a pattern made from digits.
    Numeral,
    /// An end of a term of Latin letters only (sb, nmsl): a whole
    /// alphanumeric token, so neither a letter nor a digit may continue
    /// it (sb is not in USB or SB6级). Cues (qq, vx) keep Latin edges:
    /// QQ330603486 names a contact.
    Token,
    Other,
}

/// The Chinese numerals, as a term spelled with digits may write them.
pub(crate) fn is_chinese_numeral(c: char) -> bool {
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

pub(crate) fn edge_of(c: char) -> Edge {
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
        Edge::Token => matches!(input_edge(c), Edge::Latin | Edge::Digit),
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
    /// Pattern ids, hashed by their text (kept once, in `patterns`).
    ids: HashTable<u32>,
    patterns: Vec<String>,
    numeral_run: Vec<bool>,
    /// `(pattern id, use)` in the order they were added.
    uses: Vec<(u32, Use)>,
}

impl MatcherBuilder {
    /// Makes room for `additional` more patterns (a large generated batch
    /// would otherwise rehash the pattern table many times).
    pub fn reserve(&mut self, additional: usize) {
        let patterns = &self.patterns;
        self.ids.reserve(additional, |&id| {
            FxBuildHasher.hash_one(patterns[id as usize].as_str())
        });
        self.patterns.reserve(additional);
        self.numeral_run.reserve(additional);
        self.uses.reserve(additional);
    }

    /// Adds `text` (normalized with all folds) for `what`.
    pub fn add(&mut self, text: &str, what: Use) {
        self.add_pattern(text, what, false);
    }

    /// `numeral_run`: the pattern was made from digits, so like the digits
    /// it must not sit inside a longer run of Chinese numerals.
    fn add_pattern(&mut self, text: &str, what: Use, numeral_run: bool) {
        self.add_normalized(
            normalize_str(text, NormalizeOptions::ALL),
            what,
            numeral_run,
        );
    }

    /// Adds `norm`, already folded with every fold (generated variants,
    /// where folding each again would double the build's cost).
    pub fn add_folded(&mut self, norm: String, what: Use) {
        self.add_normalized(norm, what, false);
    }

    fn add_normalized(&mut self, norm: String, what: Use, numeral_run: bool) {
        if norm.is_empty() {
            return;
        }
        let hash = FxBuildHasher.hash_one(norm.as_str());
        let patterns = &self.patterns;
        let id = match self.ids.find(hash, |&id| patterns[id as usize] == norm) {
            Some(&id) => id,
            None => {
                let id = self.patterns.len() as u32;
                self.patterns.push(norm);
                self.numeral_run.push(numeral_run);
                let patterns = &self.patterns;
                self.ids.insert_unique(hash, id, |&id| {
                    FxBuildHasher.hash_one(patterns[id as usize].as_str())
                });
                id
            }
        };
        self.uses.push((id, what));
    }

    /// Adds a lexicon term and its numeral variants, and with `chaizi` its
    /// 拆字 variants. Returns how many 拆字 variants were added.
    pub fn add_term(&mut self, lexicon: u32, term: u32, text: &str, chaizi: bool) -> usize {
        let what = |variant, evasion| Use::Term {
            lexicon,
            term,
            variant,
            evasion,
        };
        self.add(text, what(0, None));
        let mut variants = 0;
        for variant in [1u8, 2, 3] {
            if let Some(v) = numeral_variant(text, variant) {
                self.add_pattern(&v, what(variant, None), variant != 2);
            }
        }
        if chaizi {
            let folded = normalize_str(text, NormalizeOptions::ALL);
            evasion::for_each_chaizi_variant(&folded, |v| {
                self.add_pattern(v, what(0, Some(Evasion::Chaizi)), false);
                variants += 1;
            });
        }
        variants
    }

    pub fn build(self) -> Result<Matcher, TooLarge> {
        let automaton = CharAutomaton::new(&self.patterns)?;
        // A char of the block folds to exactly its simplified form (a unit
        // test holds this for every one): most are their own.
        let mut cjk_classes = automaton.bmp_classes(URO_START..URO_END + 1);
        normalize::for_each_folded_cjk(|c, folded| {
            cjk_classes[(c as u32 - URO_START) as usize] =
                u16::try_from(automaton.class(folded)).unwrap_or(GENERAL_PATH);
        });
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
        // Uses grouped by pattern (a counting sort), repeats dropped.
        let mut use_start = vec![0u32; self.patterns.len() + 1];
        for &(id, _) in &self.uses {
            use_start[id as usize + 1] += 1;
        }
        for i in 1..use_start.len() {
            use_start[i] += use_start[i - 1];
        }
        let mut grouped = vec![Use::Allow; self.uses.len()];
        let mut fill = use_start.clone();
        for &(id, what) in &self.uses {
            grouped[fill[id as usize] as usize] = what;
            fill[id as usize] += 1;
        }
        let mut uses = Vec::with_capacity(grouped.len());
        for id in 0..self.patterns.len() {
            let from = uses.len();
            for &what in &grouped[use_start[id] as usize..use_start[id + 1] as usize] {
                if !uses[from..].contains(&what) {
                    uses.push(what);
                }
            }
            use_start[id] = from as u32;
        }
        use_start[self.patterns.len()] = uses.len() as u32;
        let latin_token = self
            .patterns
            .iter()
            .map(|p| p.chars().all(|c| c.is_ascii_alphabetic()))
            .collect();
        let short_cjk = self
            .patterns
            .iter()
            .map(|p| p.chars().nth(SHORT_CJK_CHARS).is_none() && p.chars().any(is_cjk))
            .collect();
        Ok(Matcher {
            automaton,
            cjk_classes: cjk_classes.into_boxed_slice(),
            edges,
            latin_token,
            short_cjk,
            use_start,
            uses,
        })
    }
}

/// Digits → Chinese numerals (variant 1) or Chinese numerals → digits
/// (variant 2), when the term has any; `None` otherwise.
fn numeral_variant(text: &str, variant: u8) -> Option<String> {
    const HANZI: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    let has = |c: char| match variant {
        1 => c.is_ascii_digit(),
        2 => c == '〇' || HANZI.contains(&c),
        _ => c == '0',
    };
    if !text.chars().any(has) {
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
    /// For each char of the CJK Unified Ideographs block, where nearly
    /// all running Chinese text lives: the class of what it folds to (one
    /// char, its simplified form), or [`GENERAL_PATH`]. One lookup in
    /// 41 KiB then replaces the fold check and the class lookup.
    cjk_classes: Box<[u16]>,
    edges: Vec<(Edge, Edge)>,
    /// Per pattern: Latin letters only. As a term it must be a whole
    /// alphanumeric token ([`Edge::Token`]).
    latin_token: Vec<bool>,
    /// Per pattern: at most [`SHORT_CJK_CHARS`] chars with a CJK one. Such
    /// a pattern, where a group or use asks for it, must line up with
    /// jieba word boundaries.
    short_cjk: Vec<bool>,
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

    /// Finds every hit (overlapping) in `input` and pushes those that pass
    /// the boundary and group checks; with `sounds`, also the pinyin and
    /// homophone spellings of its terms, found in the same pass. `scratch`
    /// holds buffers the caller keeps between calls (their contents do not
    /// matter).
    pub fn find(
        &self,
        input: &str,
        groups: &[LexiconFile],
        sounds: Option<&pinyin::PinyinMatcher>,
        scratch: &mut MatchScratch,
        out: &mut Vec<Hit>,
    ) {
        let MatchScratch { ring, sound } = scratch;
        match sounds {
            None => self.find_pass(input, groups, ring, NoSide, out),
            Some(sounds) => {
                let side = sounds.side(groups, sound);
                self.find_pass(input, groups, ring, side, out);
                sounds.push_hits(input, groups, sound, out);
            }
        }
    }

    /// One pass, stepping `side` too; compiled once per side stream, so a
    /// draft with no side stream runs the loop as it was without one.
    #[inline(never)]
    fn find_pass(
        &self,
        input: &str,
        groups: &[LexiconFile],
        ring: &mut Vec<usize>,
        side: impl SideStream,
        out: &mut Vec<Hit>,
    ) {
        self.for_each_match(input, ring, side, |pid, span| {
            self.push_hits(input, pid, span, groups, out)
        });
    }

    /// Calls `on_match(pattern, input span)` for every match in `input`
    /// folded with every fold on, in order of their end.
    ///
    /// Normalization and search are one pass: each input char is folded
    /// and its output chars step the automaton directly, while a ring of
    /// the input offsets of the last `max_chars` normalized chars gives a
    /// match's input span without any offset map.
    ///
    /// `side` sees the same stream: each char of the CJK block as written
    /// (it knows how they fold), every other char as folded.
    #[inline]
    fn for_each_match(
        &self,
        input: &str,
        ring: &mut Vec<usize>,
        mut side: impl SideStream,
        mut on_match: impl FnMut(usize, Span),
    ) {
        let folder = normalize::Folder::new(NormalizeOptions::ALL);
        let mut feed = Feed::new(&self.automaton, ring);
        for (offset, c) in input.char_indices() {
            let from = Span::new(offset, offset + c.len_utf8());
            let cjk = (c as u32).wrapping_sub(URO_START) as usize;
            if let Some(&class) = self.cjk_classes.get(cjk) {
                if class != GENERAL_PATH {
                    feed.push_class(u32::from(class), from, &mut on_match);
                    side.cjk(c, from);
                    continue;
                }
            }
            if folder.folds_to_itself(c) {
                feed.push(c, from, &mut on_match);
                side.folded(c, from);
            } else {
                folder.fold(c, |o| {
                    feed.push(o, from, &mut on_match);
                    side.folded(o, from);
                });
            }
        }
    }

    /// Checks a match of pattern `pid` at input `span` and pushes a hit for
    /// each of its uses that passes. Kept out of line so the per-char loop
    /// stays small.
    #[inline(never)]
    fn push_hits(
        &self,
        input: &str,
        pid: usize,
        span: Span,
        groups: &[LexiconFile],
        out: &mut Vec<Hit>,
    ) {
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
                    ..
                } => {
                    let group = &groups[lexicon as usize];
                    if self.latin_token[pid] && !edges_ok(input, span, (Edge::Token, Edge::Token)) {
                        continue;
                    }
                    // Digits standing for a term's numerals are a spelling,
                    // not list numbering: 2逼 is 二逼, "2.逼真" is not.
                    if variant == 2 && input[span].chars().any(is_noise) {
                        continue;
                    }
                    if !group.normalize.is_all() {
                        match matches_strictly(input, span, group, term, variant) {
                            Some(strict) => span = strict,
                            None => continue,
                        }
                    }
                    let fits = match group.boundary {
                        Boundary::Word if input[span].chars().any(is_cjk) => {
                            segment::aligns_with_words(input, span)
                        }
                        // Slang glued into a longer word (太牛逼, 脑残粉) still
                        // counts; a word across an end (北约|炮兵) does not.
                        Boundary::Auto
                            if self.short_cjk[pid] && group.severity != Severity::Info =>
                        {
                            segment::word_fit(input, span) != segment::WordFit::Straddles
                        }
                        _ => true,
                    };
                    if !fits {
                        continue;
                    }
                }
                Use::Cue { .. } if !cue_span_ok(input, span) => continue,
                // Short style forms and opinion cues are words too: 瞎子 is
                // not in 黑瞎子岛, 心累 not in 中心累计.
                Use::Style { .. }
                | Use::Cue {
                    kind: CueKind::Opinion,
                    ..
                } if self.short_cjk[pid] && !segment::aligns_with_words(input, span) => continue,
                _ => {}
            }
            out.push(Hit { what, span });
        }
    }
}

/// The matcher's buffers, kept by the caller between calls.
#[derive(Default)]
pub(crate) struct MatchScratch {
    /// Input offsets of the last normalized chars.
    ring: Vec<usize>,
    /// The sound streams' buffers and matches, checked after the pass.
    sound: pinyin::SoundScratch,
}

/// A second consumer of the folded stream, stepped in the same pass.
pub(crate) trait SideStream {
    /// A char of the CJK Unified Ideographs block, as written.
    fn cjk(&mut self, c: char, from: Span);
    /// Any other char, as folded (none for noise).
    fn folded(&mut self, o: char, from: Span);
}

/// No second consumer: the loop compiles to what it was without one.
struct NoSide;

impl SideStream for NoSide {
    #[inline(always)]
    fn cjk(&mut self, _: char, _: Span) {}
    #[inline(always)]
    fn folded(&mut self, _: char, _: Span) {}
}

/// Patterns of at most this many chars are "short" for word boundaries.
const SHORT_CJK_CHARS: usize = 2;

/// In `Matcher::cjk_classes`: take the general path for this char (its
/// class needs more than 16 bits). The automaton's own marker, so the
/// table can start as a copy of its classes.
const GENERAL_PATH: u16 = CLASS_OVER_16_BITS;

/// The search state of [`Matcher::for_each_match`].
pub(crate) struct Feed<'a> {
    automaton: &'a CharAutomaton,
    search: Search<'a>,
    /// Input start offsets of the last normalized chars, a ring whose
    /// length is a power of two.
    starts: &'a mut Vec<usize>,
    /// Normalized chars pushed so far.
    pushed: usize,
}

impl<'a> Feed<'a> {
    pub(crate) fn new(automaton: &'a CharAutomaton, ring: &'a mut Vec<usize>) -> Feed<'a> {
        ring.clear();
        ring.resize(automaton.max_chars().next_power_of_two(), 0);
        Feed {
            automaton,
            search: automaton.search(),
            starts: ring,
            pushed: 0,
        }
    }

    /// Steps over normalized char `c`, which came from input span `from`.
    /// Inlined into every path of the loop.
    #[inline(always)]
    pub(crate) fn push(&mut self, c: char, from: Span, on_match: &mut impl FnMut(usize, Span)) {
        let class = self.automaton.class(c);
        self.push_class(class, from, on_match);
    }

    /// Starts the search again from the root, as after a char no pattern
    /// holds; the offsets of chars already pushed are kept.
    pub(crate) fn restart(&mut self) {
        self.search = self.automaton.search();
    }

    /// The automaton's class of `c`.
    #[inline(always)]
    pub(crate) fn class(&self, c: char) -> u32 {
        self.automaton.class(c)
    }

    /// [`Feed::push`] for a char whose class is known.
    #[inline(always)]
    pub(crate) fn push_class(
        &mut self,
        class: u32,
        from: Span,
        on_match: &mut impl FnMut(usize, Span),
    ) {
        let ring = self.starts.len() - 1;
        self.starts[self.pushed & ring] = from.start;
        self.pushed += 1;
        if self.search.step_class(class) {
            let (starts, pushed) = (&*self.starts, self.pushed);
            self.search.for_each_output(|pattern, chars| {
                let start = starts[(pushed - chars) & ring];
                on_match(pattern as usize, Span::new(start, from.end));
            });
        }
    }
}

/// A pattern that begins (ends) with a Latin letter must not continue a
/// Latin run before (after) it; likewise for digits.
pub(crate) fn edges_ok(input: &str, span: Span, (first, last): (Edge, Edge)) -> bool {
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
    group: &LexiconFile,
    term: u32,
    variant: u8,
) -> Option<Span> {
    let written = group.terms[term as usize].get_ref();
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
    use crate::Normalized;
    use proptest::prelude::*;

    /// Every match span the one-pass fold-and-search finds, and the same
    /// computed the long way: normalize to text, search it with the
    /// aho-corasick crate, map back through the offset map.
    type Matches = Vec<(usize, Span)>;

    fn both_ways(patterns: &[&str], input: &str) -> (Matches, Matches) {
        let mut builder = MatcherBuilder::default();
        for (i, p) in patterns.iter().enumerate() {
            builder.add(p, Use::Style { index: i as u32 });
        }
        let normalized_patterns = builder.patterns.clone();
        let matcher = builder.build().unwrap();
        let mut one_pass = Vec::new();
        matcher.for_each_match(input, &mut Vec::new(), NoSide, |p, span| {
            one_pass.push((p, span))
        });
        let norm = Normalized::new(input, NormalizeOptions::ALL);
        let ac = aho_corasick::AhoCorasick::new(&normalized_patterns).unwrap();
        let mut long_way: Vec<(usize, Span)> = ac
            .find_overlapping_iter(norm.as_str())
            .map(|m| {
                let span = norm.original_span(input, m.start()..m.end());
                (m.pattern().as_usize(), span)
            })
            .collect();
        one_pass.sort_by_key(|&(p, s)| (s.start, s.end, p));
        long_way.sort_by_key(|&(p, s)| (s.start, s.end, p));
        (one_pass, long_way)
    }

    #[test]
    fn one_pass_spans_equal_the_offset_map() {
        let (a, b) = both_ways(
            &["出售冰毒", "冰毒", "ab", "号", "ff", "1"],
            "出 售，冰·毒 ＡＢ①號 ﬀ ⑴ 冰\u{200B}毒",
        );
        assert_eq!(a.len(), 8);
        assert_eq!(a, b);
    }

    proptest! {
        #[test]
        fn one_pass_agrees_with_normalize_then_search(
            input in "[出售冰毒號国國ＡａAb1①⑴ﬀ ，·\u{200B}\u{301}😀]{0,40}",
        ) {
            let (a, b) = both_ways(&["出售冰毒", "冰毒", "ab", "国", "ff", "1", "b1", "售冰"], &input);
            prop_assert_eq!(a, b);
        }
    }

    #[test]
    fn cjk_table_gives_the_class_of_the_folded_char() {
        let mut builder = MatcherBuilder::default();
        builder.add("國家出售冰毒", Use::Allow);
        builder.add("龍a", Use::Allow);
        let matcher = builder.build().unwrap();
        let folder = normalize::Folder::new(NormalizeOptions::ALL);
        for cp in URO_START..=URO_END {
            let c = char::from_u32(cp).unwrap();
            let folded = folder.folded_one(c).unwrap();
            assert_eq!(
                folded,
                normalize::to_standard(normalize::to_simplified(c)),
                "{c}"
            );
            let class = matcher.cjk_classes[(cp - URO_START) as usize];
            assert_eq!(u32::from(class), matcher.automaton.class(folded), "{c}");
        }
        assert_ne!(matcher.cjk_classes[('国' as u32 - URO_START) as usize], 0);
        assert_eq!(
            matcher.cjk_classes[('國' as u32 - URO_START) as usize],
            matcher.cjk_classes[('国' as u32 - URO_START) as usize]
        );
    }

    #[test]
    fn chinese_chars_with_classes_past_16_bits_take_the_general_path() {
        // 66,000 astral chars that occur twice come first in class order,
        // so the Chinese chars of 国家 get classes a u16 cannot hold.
        let mut builder = MatcherBuilder::default();
        for cp in 0x2_0000u32..0x2_0000 + 66_000 {
            let c = char::from_u32(cp).unwrap();
            builder.add(&format!("{c}{c}"), Use::Allow);
        }
        builder.add("国家", Use::Style { index: 0 });
        let matcher = builder.build().unwrap();
        assert!(matcher.automaton.class('国') > u32::from(u16::MAX));
        let cjk = ('国' as u32 - URO_START) as usize;
        assert_eq!(matcher.cjk_classes[cjk], GENERAL_PATH);
        let input = "我们的國家";
        let mut found = Vec::new();
        matcher.for_each_match(input, &mut Vec::new(), NoSide, |_, span| {
            found.push(&input[span])
        });
        assert_eq!(found, ["國家"]);
    }

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
        let token = (Edge::Token, Edge::Token);
        assert!(!edges_ok("SB6级", Span::new(0, 2), token));
        assert!(!edges_ok("USB", Span::new(1, 3), token));
        assert!(edges_ok("你个SB！", Span::new(6, 8), token));
    }
}
