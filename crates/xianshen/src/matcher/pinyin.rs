//! The sound automata, stepped in the same pass as the main automaton:
//!
//! - **letters**: every term with a sound spelled as its pinyin key
//!   (出售冰毒 → chushoubingdu), searched over the text spelled the same
//!   way, for pinyin and mixed spellings (出售bingdu, 冰du). A match counts
//!   only with a Latin letter in it, so the stream is stepped only near
//!   Latin letters: when one comes, the last few chars are replayed into a
//!   fresh state, and after as many letters as the longest key without
//!   another, it rests.
//! - **syllables**: terms of three chars or more whose group looks for
//!   homophones, spelled one symbol per syllable (草泥马 and 操你妈 are the
//!   same three symbols), searched with one step per CJK char.
//!
//! A match is an evasive spelling of the term once [`evasion::classify`]
//! says so.

use super::{edge_of, edges_ok, Edge, Feed, Hit, SideStream, Use};
use crate::automaton::{CharAutomaton, TooLarge};
use crate::evasion::{self, Evasion, NO_SYLLABLE};
use crate::normalize::{
    is_noise, normalize_str, to_simplified, to_standard, Folder, NormalizeOptions, URO_START,
};
use crate::policy::file::LexiconFile;
use crate::segment;
use crate::Span;
use rustc_hash::FxHashMap;
use std::sync::OnceLock;

/// How a stream spells text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Spelling {
    /// Each CJK char as the letters of its syllable (v as u).
    Letters,
    /// Each CJK char as one symbol for its syllable.
    Syllables,
}

/// The symbol of syllable 0 in the syllable stream: private-use chars.
const SYLLABLE_BASE: u32 = 0xE000;
/// What a private-use char of the input becomes in the syllable stream,
/// so that it never reads as a syllable.
const NOT_A_SYLLABLE: char = '\u{FFFD}';

fn syllable_symbol(s: u16) -> char {
    char::from_u32(SYLLABLE_BASE + u32::from(s)).unwrap_or(NOT_A_SYLLABLE)
}

/// Calls `emit` with one folded char as `spelling` writes it.
#[inline]
fn spell(spelling: Spelling, o: char, mut emit: impl FnMut(char)) {
    match spelling {
        Spelling::Letters => evasion::spell_folded(o, emit),
        Spelling::Syllables => match evasion::folded_syllable(o) {
            Some(s) => emit(syllable_symbol(s)),
            None if (0xE000..=0xF8FF).contains(&(o as u32)) => emit(NOT_A_SYLLABLE),
            None => emit(o),
        },
    }
}

/// A text folded with every fold and spelt as `spelling` writes it.
fn key(spelling: Spelling, text: &str) -> String {
    folded_key(spelling, &normalize_str(text, NormalizeOptions::ALL))
}

/// [`key`] of a text already folded.
fn folded_key(spelling: Spelling, folded: &str) -> String {
    let mut key = String::new();
    for o in folded.chars() {
        spell(spelling, o, |c| key.push(c));
    }
    key
}

/// Builds one stream.
#[derive(Default)]
struct StreamBuilder {
    ids: FxHashMap<String, u32>,
    /// `(pattern id, lexicon, term, the term folded)`.
    uses: Vec<(u32, u32, u32, String)>,
}

impl StreamBuilder {
    fn add(&mut self, key: String, lexicon: u32, term: u32, folded: String) {
        let next = self.ids.len() as u32;
        let id = *self.ids.entry(key).or_insert(next);
        self.uses.push((id, lexicon, term, folded));
    }

    fn build(self, spelling: Spelling) -> Option<Stream> {
        if self.ids.is_empty() {
            return None;
        }
        let mut keys = vec![String::new(); self.ids.len()];
        for (key, id) in self.ids {
            keys[id as usize] = key;
        }
        let max_chars = keys.iter().map(|k| k.chars().count()).max().unwrap_or(0);
        let mut uses = self.uses;
        uses.sort_unstable();
        let mut use_start = vec![0u32; keys.len() + 1];
        for &(id, ..) in &uses {
            use_start[id as usize + 1] += 1;
        }
        for i in 1..use_start.len() {
            use_start[i] += use_start[i - 1];
        }
        let built = Built::new(spelling, &keys);
        Some(Stream {
            spelling,
            keys,
            max_chars,
            use_start,
            uses: uses.into_iter().map(|(_, l, t, f)| (l, t, f)).collect(),
            built,
        })
    }
}

/// Builds the streams from the terms, on the first draft that needs them.
#[derive(Default)]
struct StreamsBuilder {
    letters: StreamBuilder,
    syllables: StreamBuilder,
}

impl StreamsBuilder {
    /// Adds term `term` of group `lexicon` to the letter stream when
    /// `pinyin` and to the syllable stream when `homophones`, where it
    /// can be spelt so; returns how many patterns it got.
    fn add_term(&mut self, t: &SoundTerm, text: &str) -> usize {
        let folded = normalize_str(text, NormalizeOptions::ALL);
        let mut added = 0;
        if t.pinyin && evasion::has_sound(&folded) {
            let key = folded_key(Spelling::Letters, &folded);
            self.letters.add(key, t.lexicon, t.term, folded.clone());
            added += 1;
        }
        let sounding = folded
            .chars()
            .filter(|&c| evasion::folded_syllable(c).is_some())
            .count();
        // Enough chars with a sound that could change for a homophone.
        if t.homophones && evasion::is_homophone(folded.chars().count(), sounding) {
            let key = folded_key(Spelling::Syllables, &folded);
            self.syllables.add(key, t.lexicon, t.term, folded);
            added += 1;
        }
        added
    }
}

/// A term whose group looks for pinyin or homophone spellings of it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SoundTerm {
    pub lexicon: u32,
    pub term: u32,
    /// The group looks for pinyin spellings.
    pub pinyin: bool,
    /// The group looks for homophones.
    pub homophones: bool,
}

/// The streams, built.
struct Streams {
    letters: Option<Stream>,
    syllables: Option<Stream>,
    /// Per lexicon group: the patterns its terms got.
    per_group: Vec<usize>,
}

/// One stream: its keys, their term uses, and the automaton.
struct Stream {
    spelling: Spelling,
    keys: Vec<String>,
    /// The longest key, in chars (letters or symbols).
    max_chars: usize,
    use_start: Vec<u32>,
    /// `(lexicon, term, the term folded)` of each pattern, grouped by
    /// pattern.
    uses: Vec<(u32, u32, String)>,
    built: Built,
}

/// A stream's automaton and, per syllable, the classes it steps with: a
/// CJK char steps the automaton with no lookup per letter.
struct Built {
    automaton: CharAutomaton,
    syllables: Vec<([u32; MAX_SYLLABLE_LETTERS], u8)>,
}

/// The most chars one char folds to (NFKC's longest decomposition, ﷺ).
const MAX_FOLDED_CHARS: usize = 18;

/// The longest syllable (zhuang) has six letters.
const MAX_SYLLABLE_LETTERS: usize = 6;

impl Built {
    fn new(spelling: Spelling, keys: &[String]) -> Built {
        let automaton =
            CharAutomaton::new(keys).expect("the size was checked when the policy was compiled");
        let syllables = evasion::syllables()
            .enumerate()
            .map(|(i, letters)| {
                let mut classes = [0u32; MAX_SYLLABLE_LETTERS];
                match spelling {
                    Spelling::Letters => {
                        for (slot, l) in classes.iter_mut().zip(letters.chars()) {
                            *slot = automaton.class(l);
                        }
                        (classes, letters.len() as u8)
                    }
                    Spelling::Syllables => {
                        classes[0] = automaton.class(syllable_symbol(i as u16));
                        (classes, 1)
                    }
                }
            })
            .collect();
        Built {
            automaton,
            syllables,
        }
    }
}

impl Stream {
    fn memory_usage(&self) -> usize {
        self.built.automaton.memory_usage()
    }
}

/// Terms spelled by sound: the letter and the syllable streams.
///
/// Both are built on the first draft that needs them: a screener that only
/// sees articles never pays for them, in build time or memory (nor in
/// cache: allocated next to the main automaton, they made articles 10%
/// slower on the 62k-term bench). Their size is bounded, and checked,
/// when the policy is compiled, so building them cannot fail.
pub(crate) struct PinyinMatcher {
    terms: Vec<SoundTerm>,
    groups: usize,
    streams: OnceLock<Streams>,
}

/// The buffers of the sound streams, kept by the caller between calls.
#[derive(Default)]
pub(crate) struct SoundScratch {
    letter_ring: Vec<usize>,
    letter_hits: Vec<(usize, Span)>,
    /// The last units the letter stream saw, for replay.
    recent: Vec<(Unit, Span)>,
    syllable_ring: Vec<usize>,
    syllable_hits: Vec<(usize, Span)>,
}

impl PinyinMatcher {
    /// The matcher for `terms` of a policy with `groups` lexicon groups;
    /// `None` when there are none.
    ///
    /// # Errors
    ///
    /// When the keys could be too long for an automaton: a char folds to
    /// at most [`MAX_FOLDED_CHARS`] chars and a syllable has at most six
    /// letters, which bounds the keys by the terms' chars.
    pub fn new(
        terms: Vec<SoundTerm>,
        groups: usize,
        term_chars: usize,
    ) -> Result<Option<PinyinMatcher>, TooLarge> {
        if terms.is_empty() {
            return Ok(None);
        }
        CharAutomaton::check_chars(
            term_chars
                .saturating_mul(MAX_FOLDED_CHARS)
                .saturating_mul(MAX_SYLLABLE_LETTERS),
        )?;
        Ok(Some(PinyinMatcher {
            terms,
            groups,
            streams: OnceLock::new(),
        }))
    }

    fn streams(&self, lexicons: &[LexiconFile]) -> &Streams {
        self.streams.get_or_init(|| {
            let mut builder = StreamsBuilder::default();
            let mut per_group = vec![0; self.groups];
            for t in &self.terms {
                let text = lexicons[t.lexicon as usize].terms[t.term as usize].get_ref();
                per_group[t.lexicon as usize] += builder.add_term(t, text);
            }
            Streams {
                letters: builder.letters.build(Spelling::Letters),
                syllables: builder.syllables.build(Spelling::Syllables),
                per_group,
            }
        })
    }

    /// Per lexicon group, the pinyin and homophone patterns its terms get
    /// (builds the streams).
    pub fn patterns_per_group(&self, lexicons: &[LexiconFile]) -> &[usize] {
        &self.streams(lexicons).per_group
    }

    /// Memory used by the automata built so far, in bytes.
    pub fn memory_usage(&self) -> usize {
        self.streams.get().map_or(0, |s| {
            [&s.letters, &s.syllables]
                .into_iter()
                .flatten()
                .map(Stream::memory_usage)
                .sum()
        })
    }

    /// The side stream that steps both automata.
    pub(crate) fn side<'a>(
        &'a self,
        lexicons: &[LexiconFile],
        scratch: &'a mut SoundScratch,
    ) -> SoundSide<'a> {
        let streams = self.streams(lexicons);
        let SoundScratch {
            letter_ring,
            letter_hits,
            recent,
            syllable_ring,
            syllable_hits,
        } = scratch;
        letter_hits.clear();
        syllable_hits.clear();
        let letters = streams.letters.as_ref().map(|stream| {
            recent.clear();
            recent.resize(
                stream.max_chars.max(1),
                (Unit::Folded(' '), Span::new(0, 0)),
            );
            LetterFeed {
                feed: StreamFeed::new(stream, letter_ring, letter_hits, true),
                recent,
                seen: 0,
                active: false,
                since_latin: 0,
                max_letters: stream.max_chars,
            }
        });
        let syllables = streams
            .syllables
            .as_ref()
            .map(|stream| StreamFeed::new(stream, syllable_ring, syllable_hits, false));
        SoundSide { letters, syllables }
    }

    /// Checks the matches of a pass and pushes a hit for each term use
    /// that a match spells evasively.
    pub(crate) fn push_hits(
        &self,
        input: &str,
        groups: &[LexiconFile],
        scratch: &SoundScratch,
        out: &mut Vec<Hit>,
    ) {
        let streams = self.streams(groups);
        if let Some(stream) = &streams.letters {
            push_letter_hits(stream, input, &scratch.letter_hits, out);
        }
        if let Some(stream) = &streams.syllables {
            push_syllable_hits(stream, input, &scratch.syllable_hits, out);
        }
        debug_assert!(out.iter().all(|h| match h.what {
            Use::Term { lexicon, term, .. } => groups[lexicon as usize].terms.len() > term as usize,
            _ => true,
        }));
    }
}

/// Pinyin spellings: the span spelt in letters must be exactly the key
/// (whole syllables), a Latin or digit end must not continue a run.
fn push_letter_hits(stream: &Stream, input: &str, matches: &[(usize, Span)], out: &mut Vec<Hit>) {
    for &(pid, span) in matches {
        let text = &input[span];
        if key(Spelling::Letters, text) != stream.keys[pid] {
            continue;
        }
        let folded = normalize_str(text, NormalizeOptions::ALL);
        let edge = |c: Option<char>| c.map_or(Edge::Other, edge_of);
        let edges = (
            edge(folded.chars().next()),
            edge(folded.chars().next_back()),
        );
        if !edges_ok(input, span, edges) {
            continue;
        }
        for (lexicon, term, term_folded) in stream.uses_of(pid) {
            if evasion::classify(term_folded, &folded) == Some(Evasion::Pinyin) {
                out.push(term_hit(*lexicon, *term, Evasion::Pinyin, span));
            }
        }
    }
}

/// Homophone spellings: the span spelt in syllables exactly the key, with
/// enough chars changed ([`evasion::is_homophone`], counted before anything
/// is allocated: most matches are the term as written), no punctuation
/// inside (尼玛，比高校食堂还便宜) and no word cut at its ends
/// (太把自|己 is not 台巴子).
fn push_syllable_hits(stream: &Stream, input: &str, matches: &[(usize, Span)], out: &mut Vec<Hit>) {
    let folder = Folder::new(NormalizeOptions::ALL);
    for &(pid, span) in matches {
        let text = &input[span];
        let mut checked = false;
        for (lexicon, term, term_folded) in stream.uses_of(pid) {
            let term_chars = term_folded.chars().count();
            if !changed_chars(&folder, text, term_folded)
                .is_some_and(|n| evasion::is_homophone(term_chars, n))
            {
                continue;
            }
            if !checked {
                let whole = key(Spelling::Syllables, text) == stream.keys[pid];
                let punctuated = text.chars().any(|c| is_noise(c) && !c.is_whitespace());
                if !whole
                    || punctuated
                    || segment::word_fit(input, span) == segment::WordFit::Straddles
                {
                    break;
                }
                checked = true;
            }
            out.push(term_hit(*lexicon, *term, Evasion::Homophone, span));
        }
    }
}

/// How many chars of `text`, folded, differ from `term_folded`, position
/// by position; `None` when the lengths differ.
fn changed_chars(folder: &Folder, text: &str, term_folded: &str) -> Option<usize> {
    let mut term = term_folded.chars();
    let (mut changed, mut extra) = (0, false);
    for c in text.chars() {
        let mut one = |o: char| match term.next() {
            Some(t) if t == o => {}
            Some(_) => changed += 1,
            None => extra = true,
        };
        if folder.folds_to_itself(c) {
            one(c);
        } else {
            folder.fold(c, one);
        }
    }
    (!extra && term.next().is_none()).then_some(changed)
}

fn term_hit(lexicon: u32, term: u32, form: Evasion, span: Span) -> Hit {
    Hit {
        what: Use::Term {
            lexicon,
            term,
            variant: 0,
            evasion: Some(form),
        },
        span,
    }
}

impl Stream {
    fn uses_of(&self, pid: usize) -> &[(u32, u32, String)] {
        &self.uses[self.use_start[pid] as usize..self.use_start[pid + 1] as usize]
    }
}

/// What the side stream sees of one input char.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Unit {
    /// A char of the CJK Unified Ideographs block, as written.
    Cjk(char),
    /// Any other char, as folded.
    Folded(char),
}

/// One stream being stepped.
struct StreamFeed<'a> {
    feed: Feed<'a>,
    built: &'a Built,
    spelling: Spelling,
    syllables: &'static [u16],
    /// Keep a match only with a Latin letter in it (the letter stream).
    needs_latin: bool,
    /// Input offset of the last Latin letter written as such.
    last_latin: Option<usize>,
    hits: &'a mut Vec<(usize, Span)>,
}

impl<'a> StreamFeed<'a> {
    fn new(
        stream: &'a Stream,
        ring: &'a mut Vec<usize>,
        hits: &'a mut Vec<(usize, Span)>,
        needs_latin: bool,
    ) -> StreamFeed<'a> {
        let built = &stream.built;
        StreamFeed {
            feed: Feed::new(&built.automaton, ring),
            built,
            spelling: stream.spelling,
            syllables: evasion::uro_syllables(),
            needs_latin,
            last_latin: None,
            hits,
        }
    }

    #[inline]
    fn push_class(&mut self, class: u32, from: Span) {
        let (needs_latin, latin, hits) = (self.needs_latin, self.last_latin, &mut *self.hits);
        self.feed.push_class(class, from, &mut |pid, span| {
            if !needs_latin || latin.is_some_and(|at| at >= span.start) {
                hits.push((pid, span));
            }
        });
    }

    /// Steps over one unit; returns how many chars of the stream it made.
    #[inline]
    fn unit(&mut self, unit: Unit, from: Span) -> usize {
        let syllable = match unit {
            Unit::Cjk(c) => self.syllables[(c as u32 - URO_START) as usize],
            Unit::Folded(o) => evasion::folded_syllable(o).unwrap_or(NO_SYLLABLE),
        };
        if syllable != NO_SYLLABLE {
            let (classes, len) = self.built.syllables[syllable as usize];
            for &class in &classes[..len as usize] {
                self.push_class(class, from);
            }
            return len as usize;
        }
        let o = match unit {
            Unit::Cjk(c) => to_standard(to_simplified(c)),
            Unit::Folded(o) => o,
        };
        if o.is_ascii_alphabetic() {
            self.last_latin = Some(from.start);
        }
        let mut n = 0;
        spell(self.spelling, o, |c| {
            let class = self.feed.class(c);
            self.push_class(class, from);
            n += 1;
        });
        n
    }
}

/// The letter stream, stepped only near Latin letters.
struct LetterFeed<'a> {
    feed: StreamFeed<'a>,
    /// The last units seen, a ring of `max_letters` (each unit spells at
    /// least one letter, so a match holding a Latin letter starts within).
    recent: &'a mut Vec<(Unit, Span)>,
    /// Units seen so far.
    seen: usize,
    active: bool,
    /// Letters stepped since the last Latin letter.
    since_latin: usize,
    max_letters: usize,
}

impl LetterFeed<'_> {
    #[inline]
    fn unit(&mut self, unit: Unit, from: Span) {
        let latin = matches!(unit, Unit::Folded(o) if o.is_ascii_alphabetic());
        if latin && !self.active {
            self.feed.feed.restart();
            let n = self.recent.len();
            for i in self.seen.saturating_sub(n)..self.seen {
                let (u, f) = self.recent[i % n];
                self.feed.unit(u, f);
            }
            self.active = true;
        }
        if self.active {
            let letters = self.feed.unit(unit, from);
            if latin {
                self.since_latin = 0;
            } else {
                self.since_latin += letters;
                if self.since_latin > self.max_letters {
                    self.active = false;
                }
            }
        }
        let n = self.recent.len();
        self.recent[self.seen % n] = (unit, from);
        self.seen += 1;
    }
}

/// Steps the sound streams over the folded stream.
pub(crate) struct SoundSide<'a> {
    letters: Option<LetterFeed<'a>>,
    syllables: Option<StreamFeed<'a>>,
}

impl SoundSide<'_> {
    #[inline]
    fn unit(&mut self, unit: Unit, from: Span) {
        if let Some(l) = &mut self.letters {
            l.unit(unit, from);
        }
        if let Some(s) = &mut self.syllables {
            s.unit(unit, from);
        }
    }
}

impl SideStream for SoundSide<'_> {
    #[inline]
    fn cjk(&mut self, c: char, from: Span) {
        self.unit(Unit::Cjk(c), from);
    }

    #[inline]
    fn folded(&mut self, o: char, from: Span) {
        self.unit(Unit::Folded(o), from);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinyin_keys_spell_every_form_alike() {
        let expected = key(Spelling::Letters, "出售冰毒");
        assert_eq!(expected, "chushoubingdu");
        for spelled in [
            "出售bingdu",
            "出售 bing du",
            "出售冰du",
            "出售bing毒",
            "CHUSHOU冰毒",
            "出售氷毒",
        ] {
            assert_eq!(key(Spelling::Letters, spelled), expected, "{spelled}");
        }
        assert_eq!(
            key(Spelling::Letters, "草泥马"),
            key(Spelling::Letters, "操你妈")
        );
        // ü as v or u.
        assert_eq!(key(Spelling::Letters, "女"), "nu");
        assert_eq!(key(Spelling::Letters, "nv"), "nu");
    }

    #[test]
    fn syllable_keys_spell_homophones_alike() {
        let k = key(Spelling::Syllables, "草泥马");
        assert_eq!(k.chars().count(), 3);
        assert_eq!(k, key(Spelling::Syllables, "操你妈"));
        assert_ne!(k, key(Spelling::Syllables, "操你爸"));
        // A private-use char of the input is never a syllable.
        let pua = key(Spelling::Syllables, "\u{E000}");
        assert_eq!(pua, NOT_A_SYLLABLE.to_string());
    }

    #[test]
    fn the_letter_stream_rests_far_from_latin_and_replays_near_it() {
        let screener = crate::Screener::new();
        let filler = "今天天气很好，".repeat(40);
        let pinyin = |text: &str| -> Vec<String> {
            let draft = crate::Draft::new(text).kind(crate::Kind::Comment);
            screener
                .screen(&draft)
                .findings
                .into_iter()
                .filter(|f| f.evasion == Some(Evasion::Pinyin))
                .map(|f| f.text)
                .collect()
        };
        // Chinese before the first letter is replayed.
        assert_eq!(pinyin(&format!("a{filler}出售冰du")), ["出售冰du"]);
        // Letters first, Chinese after, then a long rest, then again.
        assert_eq!(
            pinyin(&format!("{filler}CHUSHOU冰毒{filler}x出售bingdu{filler}")),
            ["CHUSHOU冰毒", "出售bingdu"]
        );
        // A spelling broken by a long run of other text is none.
        assert!(pinyin(&format!("出售bing{filler}毒")).is_empty());
    }

    #[test]
    fn changed_chars_counts_by_position() {
        let folder = Folder::new(NormalizeOptions::ALL);
        assert_eq!(changed_chars(&folder, "草泥马", "操你妈"), Some(3));
        assert_eq!(changed_chars(&folder, "操 你 妈", "操你妈"), Some(0));
        assert_eq!(changed_chars(&folder, "草泥", "操你妈"), None);
    }
}
