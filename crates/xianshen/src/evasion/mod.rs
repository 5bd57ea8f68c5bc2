//! Evasive spellings of lexicon terms: the forms, which kinds of draft they
//! apply to, and the tables they are made from.
//!
//! Comments are written by people who want to get past a filter. Besides
//! the look-alike glyphs that normalization always folds (氷 → 冰), a term
//! may be spelled
//!
//! - in **pinyin**, whole or mixed (bingdu, bing du, 冰du, bing毒): toneless,
//!   ü written v or u, as whole Latin tokens;
//! - with **homophones**, same-sound characters (草泥马 for 操你妈);
//! - with **拆字**, a character written as its parts (女干 for 奸).
//!
//! Pinyin and homophones are found by sound: in the same pass over the
//! text, automata run over the text spelled by sound (each CJK char by its
//! first Mandarin reading, in letters or as one syllable symbol), and their
//! patterns are the terms spelled the same way (`matcher::pinyin`). 拆字
//! variants are expanded into the main automaton when the policy is
//! compiled.

mod tables;

use crate::draft::Kind;
use crate::normalize::{self, URO_END, URO_START};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// How a term was spelled to get past a filter; reported on findings as
/// `"evasion"`.
///
/// # Examples
///
/// ```
/// use xianshen::{Draft, Evasion, Kind, Screener};
/// let report = Screener::new().screen(&Draft::new("出售bingdu").kind(Kind::Comment));
/// assert_eq!(report.findings[0].rule, "term.drugs");
/// assert_eq!(report.findings[0].evasion, Some(Evasion::Pinyin));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Evasion {
    /// Look-alike glyphs, folded in every kind (出售氷毒, Cyrillic ЅВ).
    Lookalike,
    /// Full or mixed pinyin (出售bingdu, 冰du, bing毒).
    Pinyin,
    /// Same-sound characters (草泥马 for 操你妈).
    Homophone,
    /// A character written as its parts (女干 for 奸).
    Chaizi,
}

impl Evasion {
    /// The form's name, as the report and the policy file spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Evasion::Lookalike => "lookalike",
            Evasion::Pinyin => "pinyin",
            Evasion::Homophone => "homophone",
            Evasion::Chaizi => "chaizi",
        }
    }
}

/// Which drafts an evasion form is looked for in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Reach {
    /// Never.
    Off,
    /// Comments from the public (`kind = "comment"`) only: the unit's own
    /// drafts keep precision-first matching.
    Comments,
    /// Every kind of draft.
    All,
}

impl Reach {
    /// Whether the form applies to a draft of `kind`.
    pub(crate) fn covers(self, kind: Kind) -> bool {
        match self {
            Reach::Off => false,
            Reach::Comments => kind == Kind::Comment,
            Reach::All => true,
        }
    }
}

/// `evasion = { … }` of a lexicon group: which forms are looked for in
/// which drafts. Pinyin is on for comments by default; homophones and 拆字
/// only where a group asks for them, as they are the forms most likely to
/// hit innocent text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EvasionSettings {
    /// Full and mixed pinyin.
    pub pinyin: Reach,
    /// Same-sound characters (terms of at least [`HOMOPHONE_MIN_CHARS`]).
    pub homophone: Reach,
    /// Characters written as their parts.
    pub chaizi: Reach,
}

impl Default for EvasionSettings {
    fn default() -> Self {
        EvasionSettings {
            pinyin: Reach::Comments,
            homophone: Reach::Off,
            chaizi: Reach::Off,
        }
    }
}

impl EvasionSettings {
    /// Whether these are the defaults (left out of the canonical policy).
    pub(crate) fn is_default(&self) -> bool {
        *self == EvasionSettings::default()
    }

    /// The reach of `form`; look-alikes are always folded.
    pub(crate) fn reach(&self, form: Evasion) -> Reach {
        match form {
            Evasion::Lookalike => Reach::All,
            Evasion::Pinyin => self.pinyin,
            Evasion::Homophone => self.homophone,
            Evasion::Chaizi => self.chaizi,
        }
    }
}

/// A homophone spelling must have at least this many chars: on two-char
/// terms it hits innocent words (麻痹 for 妈逼, 她妈 for 他妈).
pub const HOMOPHONE_MIN_CHARS: usize = 3;

/// ... and change at least this many of them: one changed char is as often
/// an innocent neighbour (她妈的病 for 他妈的) as an evasion.
pub const HOMOPHONE_MIN_CHANGED: usize = 2;

/// A spelling wholly in Latin letters must have at least this many (cao,
/// made and nima are names and English words; shabi and caonima are not).
pub const PINYIN_MIN_LETTERS: usize = 5;

/// The first Mandarin reading of a 通用规范汉字, toneless (its index in the
/// syllable table, which the names tables share).
pub(crate) fn first_syllable(c: char) -> Option<u16> {
    tables::READINGS
        .binary_search_by_key(&(c as u32), |&(cp, _)| cp)
        .ok()
        .map(|i| tables::READINGS[i].1)
}

/// Every syllable, ü written `u`, by index.
pub(crate) fn syllables() -> impl Iterator<Item = &'static str> {
    (0..tables::SYLLABLES.len() as u16).map(syllable)
}

/// Syllable `index`, ü written `u` (nü and nu spell alike, as typed).
pub(crate) fn syllable(index: u16) -> &'static str {
    static SPELLED: OnceLock<Vec<String>> = OnceLock::new();
    &SPELLED.get_or_init(|| {
        tables::SYLLABLES
            .iter()
            .map(|s| s.replace('v', "u"))
            .collect()
    })[index as usize]
}

/// For each char of the CJK Unified Ideographs block: the syllable of what
/// it folds to, or [`NO_SYLLABLE`].
pub(crate) fn uro_syllables() -> &'static [u16] {
    static TABLE: OnceLock<Box<[u16]>> = OnceLock::new();
    TABLE.get_or_init(|| {
        (URO_START..=URO_END)
            .map(|cp| {
                let c = char::from_u32(cp).expect("the block is all scalar values");
                let folded = normalize::to_standard(normalize::to_simplified(c));
                first_syllable(folded).unwrap_or(NO_SYLLABLE)
            })
            .collect()
    })
}

/// In [`uro_syllables`]: the char has no reading in the table.
pub(crate) const NO_SYLLABLE: u16 = u16::MAX;

/// The syllable of a char of the CJK block (as written or folded), if it
/// has a reading.
#[inline]
pub(crate) fn folded_syllable(o: char) -> Option<u16> {
    let i = (o as u32).wrapping_sub(URO_START) as usize;
    uro_syllables()
        .get(i)
        .copied()
        .filter(|&s| s != NO_SYLLABLE)
}

/// Calls `emit` with the pinyin stream of one folded char: the letters of
/// its syllable for a CJK char with a reading, `v` as `u`, anything else
/// as it is.
#[inline]
pub(crate) fn spell_folded(o: char, mut emit: impl FnMut(char)) {
    match folded_syllable(o) {
        Some(s) => syllable(s).chars().for_each(emit),
        None if o == 'v' => emit('u'),
        None => emit(o),
    }
}

/// Whether a term gets a pinyin pattern: two chars or more, one of them a
/// CJK char with a reading.
pub(crate) fn has_sound(term_folded: &str) -> bool {
    term_folded.chars().nth(1).is_some() && term_folded.chars().any(|c| first_syllable(c).is_some())
}

/// How a span that the pinyin automaton matched spells the term, or `None`
/// when it is the term as written (the main automaton reports that) or a
/// spelling too weak to count. Both are folded, and spell alike in pinyin.
///
/// The span is read unit by unit against the term: each term char is
/// written as itself, as another char (a homophone), or as the letters of
/// its syllable. Then
///
/// - any syllable in letters makes it **pinyin**, unless it is all letters
///   and shorter than [`PINYIN_MIN_LETTERS`] (made, nima), or the term has
///   two chars and the other one is a homophone too (而BI is not 二逼);
/// - otherwise changed chars make it a **homophone**, when the term has at
///   least [`HOMOPHONE_MIN_CHARS`] chars and [`HOMOPHONE_MIN_CHANGED`] of
///   them are changed.
pub(crate) fn classify(term_folded: &str, span_folded: &str) -> Option<Evasion> {
    let mut span = span_folded.chars().peekable();
    let (mut terms, mut spelled, mut changed) = (0, 0, 0);
    for t in term_folded.chars() {
        terms += 1;
        let syllable = first_syllable(t).map(syllable);
        match (syllable, span.peek()) {
            (Some(letters), Some(c)) if c.is_ascii_alphabetic() && !t.is_ascii() => {
                for l in letters.chars() {
                    let c = span.next()?;
                    if c != l && !(l == 'u' && c == 'v') {
                        return None;
                    }
                }
                spelled += 1;
            }
            (_, Some(_)) => {
                let c = span.next()?;
                if c != t {
                    changed += 1;
                }
            }
            (_, None) => return None,
        }
    }
    if span.next().is_some() {
        return None;
    }
    if spelled > 0 {
        let letters = span_folded
            .chars()
            .filter(char::is_ascii_alphabetic)
            .count();
        let all_letters = span_folded.chars().all(|c| c.is_ascii_alphanumeric());
        let weak = (all_letters && letters < PINYIN_MIN_LETTERS) || (terms == 2 && changed > 0);
        return (!weak).then_some(Evasion::Pinyin);
    }
    is_homophone(terms, changed).then_some(Evasion::Homophone)
}

/// Whether a same-sound spelling of a term of `term_chars` chars with
/// `changed` of them changed counts as a homophone.
pub(crate) fn is_homophone(term_chars: usize, changed: usize) -> bool {
    term_chars >= HOMOPHONE_MIN_CHARS && changed >= HOMOPHONE_MIN_CHANGED
}

/// The 拆字 spelling of a char (奸 → 女干), if the table has one.
fn chaizi_of(c: char) -> Option<&'static str> {
    tables::CHAIZI
        .binary_search_by_key(&(c as u32), |&(cp, _)| cp)
        .ok()
        .map(|i| tables::CHAIZI[i].1)
}

/// At most this many chars of a term are written as parts in one variant
/// set (2^n − 1 variants).
const CHAIZI_MAX_CHARS: usize = 2;

/// Calls `f` with every 拆字 variant of a folded term: each non-empty set
/// of its splittable chars (the first [`CHAIZI_MAX_CHARS`]) written as
/// parts. 强奸视频 → 强女干视频, 弓虽奸视频, 弓虽女干视频.
pub(crate) fn for_each_chaizi_variant(term_folded: &str, mut f: impl FnMut(&str)) {
    let chars: Vec<char> = term_folded.chars().collect();
    let split: Vec<(usize, &str)> = chars
        .iter()
        .enumerate()
        .filter_map(|(i, &c)| chaizi_of(c).map(|p| (i, p)))
        .take(CHAIZI_MAX_CHARS)
        .collect();
    let mut variant = String::new();
    for set in 1u32..(1 << split.len()) {
        variant.clear();
        let mut next = 0;
        for (i, &c) in chars.iter().enumerate() {
            match split.get(next) {
                Some(&(at, parts)) if at == i => {
                    if set & (1 << next) != 0 {
                        variant.push_str(parts);
                    } else {
                        variant.push(c);
                    }
                    next += 1;
                }
                _ => variant.push(c),
            }
        }
        f(&variant);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::{normalize_str, NormalizeOptions};

    #[test]
    fn classify_tells_pinyin_from_homophones_and_weak_spellings() {
        let term = normalize_str("操你妈", NormalizeOptions::ALL);
        assert_eq!(classify(&term, "操你妈"), None);
        assert_eq!(classify(&term, "caonima"), Some(Evasion::Pinyin));
        assert_eq!(classify(&term, "草ni马"), Some(Evasion::Pinyin));
        assert_eq!(classify(&term, "草泥马"), Some(Evasion::Homophone));
        // One changed char of three is not enough.
        assert_eq!(classify("他妈的", "她妈的"), None);
        // Two-char terms have no homophones; short Latin tokens do not count.
        assert_eq!(classify("妈逼", "麻痹"), None);
        assert_eq!(classify("玛德", "made"), None);
        assert_eq!(classify("傻逼", "shabi"), Some(Evasion::Pinyin));
        assert_eq!(classify("傻逼", "傻bi"), Some(Evasion::Pinyin));
        // A two-char term with one syllable in letters and the other char
        // a homophone is too weak.
        assert_eq!(classify("二逼", "而bi"), None);
        assert_eq!(classify("吗的", "ma的"), Some(Evasion::Pinyin));
        // ü typed as v.
        assert_eq!(classify("外围女预约", "外围nv预约"), Some(Evasion::Pinyin));
    }

    #[test]
    fn chaizi_variants_split_each_set_of_chars() {
        let mut variants = Vec::new();
        for_each_chaizi_variant("迷奸药", |v| variants.push(v.to_string()));
        assert!(variants.contains(&"迷女干药".to_string()), "{variants:?}");
        assert!(!variants.contains(&"迷奸药".to_string()));
        assert!(variants.len() < (1 << CHAIZI_MAX_CHARS));
    }

    #[test]
    fn reach_defaults_to_pinyin_in_comments() {
        let s = EvasionSettings::default();
        assert!(s.reach(Evasion::Pinyin).covers(Kind::Comment));
        assert!(!s.reach(Evasion::Pinyin).covers(Kind::Article));
        assert!(!s.reach(Evasion::Homophone).covers(Kind::Comment));
        assert!(s.reach(Evasion::Lookalike).covers(Kind::Article));
    }
}
