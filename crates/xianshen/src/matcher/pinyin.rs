//! The pinyin automaton: every term with a sound, spelled as its pinyin key
//! (出售冰毒 → chushoubingdu), searched over the text spelled the same way,
//! in the same pass as the main automaton. A match is a pinyin or
//! homophone spelling of the term once [`evasion::classify`] says so.

use super::{edge_of, edges_ok, Edge, Feed, Hit, SideStream, Use};
use crate::automaton::{CharAutomaton, TooLarge};
use crate::evasion::{self, Evasion, NO_SYLLABLE, URO_START};
use crate::normalize::{is_noise, normalize_str, to_simplified, to_standard, NormalizeOptions};
use crate::policy::file::LexiconFile;
use crate::segment;
use crate::Span;
use rustc_hash::FxHashMap;
use std::sync::OnceLock;

/// Builds a [`PinyinMatcher`].
#[derive(Default)]
pub(crate) struct PinyinMatcherBuilder {
    ids: FxHashMap<String, u32>,
    /// `(pattern id, lexicon, term, the term folded)`.
    uses: Vec<(u32, u32, u32, String)>,
    /// Per pattern: some use may be spelt with homophones.
    sound_alike: Vec<bool>,
}

impl PinyinMatcherBuilder {
    /// Adds term `term` of group `lexicon`, whose group looks for
    /// homophones when `homophones`; returns whether it has a sound (and
    /// so a pattern).
    pub fn add_term(&mut self, lexicon: u32, term: u32, text: &str, homophones: bool) -> bool {
        let folded = normalize_str(text, NormalizeOptions::ALL);
        if !evasion::has_sound(&folded) {
            return false;
        }
        let key = evasion::pinyin_key(&folded);
        let next = self.ids.len() as u32;
        let id = *self.ids.entry(key).or_insert(next);
        if id == next {
            self.sound_alike.push(false);
        }
        self.sound_alike[id as usize] |=
            homophones && folded.chars().count() >= evasion::HOMOPHONE_MIN_CHARS;
        self.uses.push((id, lexicon, term, folded));
        true
    }

    /// `None` when no term has a sound.
    pub fn build(self) -> Result<Option<PinyinMatcher>, TooLarge> {
        if self.ids.is_empty() {
            return Ok(None);
        }
        let mut keys = vec![String::new(); self.ids.len()];
        for (key, id) in self.ids {
            keys[id as usize] = key;
        }
        CharAutomaton::check(&keys)?;
        let mut uses = self.uses;
        uses.sort_unstable();
        let mut use_start = vec![0u32; keys.len() + 1];
        for &(id, ..) in &uses {
            use_start[id as usize + 1] += 1;
        }
        for i in 1..use_start.len() {
            use_start[i] += use_start[i - 1];
        }
        Ok(Some(PinyinMatcher {
            automaton: OnceLock::new(),
            keys,
            sound_alike: self.sound_alike,
            use_start,
            uses: uses.into_iter().map(|(_, l, t, f)| (l, t, f)).collect(),
        }))
    }
}

/// Terms spelled as pinyin keys, one automaton.
pub(crate) struct PinyinMatcher {
    /// Built on the first draft that needs it: a screener that only sees
    /// articles never pays for it, in build time or memory (nor in cache:
    /// with it allocated next to the main automaton, articles screened
    /// 10% slower on the 62k-term bench).
    automaton: OnceLock<Spelled>,
    keys: Vec<String>,
    /// Per pattern: some use may be spelt with homophones. A match of any
    /// other pattern counts only with Latin letters in it.
    sound_alike: Vec<bool>,
    use_start: Vec<u32>,
    /// `(lexicon, term, the term folded)` of each pattern, grouped by
    /// pattern.
    uses: Vec<(u32, u32, String)>,
}

impl PinyinMatcher {
    /// Memory used by the automaton, in bytes (0 until it is built).
    pub fn memory_usage(&self) -> usize {
        self.automaton
            .get()
            .map_or(0, |s| s.automaton.memory_usage())
    }

    fn spelled(&self) -> &Spelled {
        self.automaton.get_or_init(|| {
            let automaton = CharAutomaton::new(&self.keys)
                .expect("the size was checked when the policy was compiled");
            let syllables = evasion::syllables()
                .map(|s| {
                    let mut classes = [0u32; MAX_SYLLABLE_LETTERS];
                    for (slot, l) in classes.iter_mut().zip(s.chars()) {
                        *slot = automaton.class(l);
                    }
                    (classes, s.len() as u8)
                })
                .collect();
            Spelled {
                automaton,
                syllables,
            }
        })
    }

    /// The side stream that steps this automaton; matches go to `hits`.
    pub(crate) fn side<'a>(
        &'a self,
        ring: &'a mut Vec<usize>,
        hits: &'a mut Vec<(usize, Span)>,
    ) -> PinyinSide<'a> {
        PinyinSide {
            feed: Feed::new(&self.spelled().automaton, ring),
            syllable_classes: &self.spelled().syllables,
            syllables: evasion::uro_syllables(),
            sound_alike: &self.sound_alike,
            last_latin: None,
            hits,
        }
    }

    /// Checks the matches of a pass and pushes a hit for each term use that
    /// a match spells evasively: the span spelled in pinyin must be exactly
    /// the key (whole syllables), a Latin or digit end must not continue a
    /// run, and the spelling must be pinyin or a homophone, not the term
    /// as written.
    pub(crate) fn push_hits(
        &self,
        input: &str,
        groups: &[LexiconFile],
        matches: &[(usize, Span)],
        out: &mut Vec<Hit>,
    ) {
        for &(pid, span) in matches {
            let text = &input[span];
            if evasion::pinyin_key(text) != self.keys[pid] {
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
            let uses = &self.uses[self.use_start[pid] as usize..self.use_start[pid + 1] as usize];
            for (lexicon, term, term_folded) in uses {
                let (lexicon, term) = (*lexicon, *term);
                debug_assert!(groups[lexicon as usize].terms.len() > term as usize);
                let Some(form) = evasion::classify(term_folded, &folded) else {
                    continue;
                };
                // Same-sound chars that cut through a word are that word
                // (太把自|己 is not 台巴子), and punctuation between them
                // ends a phrase (尼玛，比高校食堂还便宜).
                if form == Evasion::Homophone
                    && (segment::word_fit(input, span) == segment::WordFit::Straddles
                        || text.chars().any(|c| is_noise(c) && !c.is_whitespace()))
                {
                    continue;
                }
                out.push(Hit {
                    what: Use::Term {
                        lexicon,
                        term,
                        variant: 0,
                        evasion: Some(form),
                    },
                    span,
                });
            }
        }
    }
}

/// The longest syllable (zhuang) has six letters.
const MAX_SYLLABLE_LETTERS: usize = 6;

/// The pinyin automaton and, per syllable, the classes of its letters in
/// it: a CJK char steps the automaton with no lookup per letter.
struct Spelled {
    automaton: CharAutomaton,
    syllables: Vec<([u32; MAX_SYLLABLE_LETTERS], u8)>,
}

/// Steps the pinyin automaton over the folded stream: each CJK char as the
/// letters of its reading, every other char as it is.
pub(crate) struct PinyinSide<'a> {
    feed: Feed<'a>,
    /// Per syllable, the classes of its letters.
    syllable_classes: &'a [([u32; MAX_SYLLABLE_LETTERS], u8)],
    syllables: &'static [u16],
    sound_alike: &'a [bool],
    /// Input offset of the last Latin letter written as such.
    last_latin: Option<usize>,
    hits: &'a mut Vec<(usize, Span)>,
}

impl PinyinSide<'_> {
    /// Steps over a char of class `class`; keeps a match only if it may be
    /// an evasive spelling: Latin letters in it, or a pattern homophones
    /// may spell. Chinese text matches the keys of its own words all the
    /// time.
    #[inline]
    fn push_class(&mut self, class: u32, from: Span) {
        let PinyinSide {
            feed,
            sound_alike,
            last_latin,
            hits,
            ..
        } = self;
        let latin = *last_latin;
        feed.push_class(class, from, &mut |pid, span| {
            if sound_alike[pid] || latin.is_some_and(|at| at >= span.start) {
                hits.push((pid, span));
            }
        });
    }

    #[inline]
    fn push(&mut self, c: char, from: Span) {
        let class = self.feed.class(c);
        self.push_class(class, from);
    }
}

impl SideStream for PinyinSide<'_> {
    #[inline]
    fn cjk(&mut self, c: char, from: Span) {
        match self.syllables[(c as u32 - URO_START) as usize] {
            NO_SYLLABLE => self.push(to_standard(to_simplified(c)), from),
            s => {
                let (classes, len) = self.syllable_classes[s as usize];
                for &class in &classes[..len as usize] {
                    self.push_class(class, from);
                }
            }
        }
    }

    #[inline]
    fn folded(&mut self, o: char, from: Span) {
        if o.is_ascii_alphabetic() {
            self.last_latin = Some(from.start);
        }
        evasion::spell_folded(o, |l| self.push(l, from));
    }
}
