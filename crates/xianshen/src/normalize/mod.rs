//! Normalization for lexicon matching, with an exact map back to the input.
//!
//! Each input `char` is folded to zero or more output chars by a fixed
//! pipeline: compatibility forms (Ⓐ 𝕗 ① ⑴ → a f 1 1), full → half width,
//! case folding, traditional → simplified, look-alike glyphs (氷 → 冰,
//! Cyrillic а → a), and last noise skipping (spaces,
//! punctuation, symbols, emoji, zero-width and bidi controls, variation
//! selectors, combining marks). Every output byte remembers the input `char`
//! it came from, so a match in the normalized text maps back to a span of
//! whole input chars that never starts or ends on a skipped one.
//!
//! Chinese numerals (一二三) are never folded into digits in running text.

mod lookalike_table;
mod t2s_table;
mod tables;

use serde::{Deserialize, Serialize};

pub(crate) use tables::{is_noise, is_sentence_break, SENTENCE_BREAK};

/// Which folds apply. Every switch defaults to on.
///
/// # Examples
///
/// ```
/// use xianshen::NormalizeOptions;
/// let opts = NormalizeOptions { traditional: false, ..NormalizeOptions::default() };
/// assert!(opts.case && !opts.traditional);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NormalizeOptions {
    /// Case folding (`A` → `a`).
    pub case: bool,
    /// Full width to half width (`Ａ１` → `A1`, ideographic space → space).
    pub width: bool,
    /// Compatibility forms and look-alikes: circled, parenthesized and
    /// mathematical letters and digits, super/subscripts, CJK compatibility
    /// ideographs, Kangxi radicals (`①` → `1`, `𝕗` → `f`, `⽊` → `木`),
    /// Japanese and variant CJK forms (`氷` → `冰`), Cyrillic and Greek
    /// letters that look Latin (`ЅВ` → `sb`); see `tools/gen_evasion.py`.
    pub compat: bool,
    /// Traditional to simplified Chinese, character by character (OpenCC
    /// `TSCharacters`, Apache-2.0).
    pub traditional: bool,
    /// Skip noise characters: whitespace, punctuation, symbols, emoji,
    /// zero-width and bidi controls, variation selectors, combining marks.
    pub noise: bool,
}

impl Default for NormalizeOptions {
    fn default() -> Self {
        NormalizeOptions::ALL
    }
}

impl NormalizeOptions {
    /// Every fold on.
    pub const ALL: NormalizeOptions = NormalizeOptions {
        case: true,
        width: true,
        compat: true,
        traditional: true,
        noise: true,
    };
    /// Every fold off: the text is matched as written.
    pub const NONE: NormalizeOptions = NormalizeOptions {
        case: false,
        width: false,
        compat: false,
        traditional: false,
        noise: false,
    };

    /// Whether every fold is on.
    pub fn is_all(&self) -> bool {
        *self == NormalizeOptions::ALL
    }
}

/// Folds one char, calling `emit` for each output char (none for noise).
#[inline]
pub(crate) fn fold_char(c: char, opts: NormalizeOptions, emit: &mut impl FnMut(char)) {
    if opts.noise && tables::is_plain_noise(c) {
        if tables::is_sentence_break(c) {
            emit(tables::SENTENCE_BREAK);
        }
        return;
    }
    if c.is_ascii() {
        if opts.noise && tables::is_ascii_noise(c) {
            if tables::is_sentence_break(c) {
                emit(tables::SENTENCE_BREAK);
            }
            return;
        }
        emit(if opts.case { c.to_ascii_lowercase() } else { c });
        return;
    }
    if opts.compat && tables::may_have_compat_form(c) {
        unicode_normalization::char::decompose_compatible(c, |d| fold_after_compat(d, opts, emit));
    } else {
        fold_after_compat(c, opts, emit);
    }
}

#[inline]
fn fold_after_compat(c: char, opts: NormalizeOptions, emit: &mut impl FnMut(char)) {
    let c = if opts.width {
        tables::to_half_width(c)
    } else {
        c
    };
    // Before case folding, as Cyrillic В looks like B and its lowercase в
    // not like b; again after t2s, as 戱 → 戯 (t2s) → 戏 (a look-alike).
    let c = if opts.compat { to_standard(c) } else { c };
    if opts.case && tables::may_have_case(c) && c.is_uppercase() {
        for lower in c.to_lowercase() {
            fold_tail(lower, opts, emit);
        }
    } else {
        fold_tail(c, opts, emit);
    }
}

#[inline]
fn fold_tail(c: char, opts: NormalizeOptions, emit: &mut impl FnMut(char)) {
    let c = match (opts.traditional, opts.compat) {
        (true, true) => to_standard(to_simplified(c)),
        (true, false) => to_simplified(c),
        _ => c,
    };
    if opts.noise && is_noise(c) {
        if tables::is_sentence_break(c) {
            emit(tables::SENTENCE_BREAK);
        }
        return;
    }
    emit(c);
}

/// Traditional → simplified for one char; other chars are returned as they are.
#[inline]
pub(crate) fn to_simplified(c: char) -> char {
    let cp = c as u32;
    if (URO_START..=URO_END).contains(&cp) {
        return match uro_table()[(cp - URO_START) as usize] {
            0 => c,
            s => char::from_u32(u32::from(s)).unwrap_or(c),
        };
    }
    if cp < 0x3400 {
        return c;
    }
    match t2s_table::T2S.binary_search_by_key(&cp, |&(t, _)| t) {
        Ok(i) => char::from_u32(t2s_table::T2S[i].1).unwrap_or(c),
        Err(_) => c,
    }
}

/// A look-alike glyph → the standard char it imitates; other chars are
/// returned as they are.
#[inline]
pub(crate) fn to_standard(c: char) -> char {
    let cp = c as u32;
    if cp < LOOKALIKE_FROM {
        return c;
    }
    match lookalike_table::LOOKALIKE.binary_search_by_key(&cp, |&(l, _)| l) {
        Ok(i) => char::from_u32(lookalike_table::LOOKALIKE[i].1).unwrap_or(c),
        Err(_) => c,
    }
}

/// No look-alike lies below Greek.
const LOOKALIKE_FROM: u32 = 0x370;

/// Whether `c` is a look-alike glyph: one [`to_standard`] folds, a Kangxi
/// or CJK radical, or a CJK compatibility ideograph.
pub(crate) fn is_lookalike(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x2FDF | 0xF900..=0xFAFF | 0x2F800..=0x2FA1F) || to_standard(c) != c
}

/// The CJK Unified Ideographs block, where nearly all running Chinese text
/// lives: traditional → simplified there is one array index.
pub(crate) const URO_START: u32 = 0x4E00;
pub(crate) const URO_END: u32 = 0x9FFF;

/// Whether `c` is a CJK ideograph: the unified block, Extension A, the
/// compatibility ideographs, and the supplementary planes' extensions.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | URO_START..=URO_END | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}

/// `T2S` for the block as a dense array (0: unchanged), built once.
fn uro_table() -> &'static [u16] {
    &uro_tables().0
}

/// Calls `f(c, folded)` for every char of the CJK Unified Ideographs block
/// that folds to another single char: its simplified form, or the
/// standard char a look-alike imitates.
pub(crate) fn for_each_folded_cjk(mut f: impl FnMut(char, char)) {
    for (word_index, &word) in uro_changed().iter().enumerate() {
        let mut bits = word;
        while bits != 0 {
            let i = word_index * 64 + bits.trailing_zeros() as usize;
            bits &= bits - 1;
            if let Some(t) = char::from_u32(URO_START + i as u32) {
                f(t, to_standard(to_simplified(t)));
            }
        }
    }
}

/// One bit per char of the block: set when it has a simplified form or is
/// a look-alike. At
/// 2.6 KiB it stays in L1 cache where the 41 KiB table does not, which is
/// what the normalizer's unchanged-run check reads for every Chinese char.
fn uro_changed() -> &'static [u64] {
    &uro_tables().1
}

/// The dense `T2S` table of the block and its changed-char bits.
type UroTables = (Box<[u16]>, Box<[u64]>);

fn uro_tables() -> &'static UroTables {
    static TABLES: std::sync::OnceLock<UroTables> = std::sync::OnceLock::new();
    TABLES.get_or_init(|| {
        let len = (URO_END - URO_START + 1) as usize;
        let mut table = vec![0u16; len].into_boxed_slice();
        let mut changed = vec![0u64; len.div_ceil(64)].into_boxed_slice();
        for &(t, s) in t2s_table::T2S.iter() {
            if (URO_START..=URO_END).contains(&t) && t != s {
                let i = (t - URO_START) as usize;
                table[i] = u16::try_from(s).unwrap_or(0);
                if table[i] != 0 {
                    changed[i / 64] |= 1 << (i % 64);
                }
            }
        }
        for &(l, _) in lookalike_table::LOOKALIKE.iter() {
            if (URO_START..=URO_END).contains(&l) {
                let i = (l - URO_START) as usize;
                changed[i / 64] |= 1 << (i % 64);
            }
        }
        (table, changed)
    })
}

/// Whether `c` folds to exactly itself, decided cheaply for the chars
/// that make up nearly all running text (ASCII and the CJK block); `false`
/// means "maybe not", and [`fold_char`] decides. `uro_changed` is
/// [`uro_changed`], fetched once by the caller.
#[inline(always)]
fn folds_to_itself(c: char, opts: NormalizeOptions, uro_changed: &[u64]) -> bool {
    let cp = c as u32;
    if (URO_START..=URO_END).contains(&cp) {
        let i = (cp - URO_START) as usize;
        !(opts.traditional || opts.compat) || uro_changed[i / 64] & (1 << (i % 64)) == 0
    } else if c.is_ascii() {
        let skipped = opts.noise && tables::is_ascii_noise(c);
        let folded = opts.case && c.is_ascii_uppercase();
        !(skipped || folded)
    } else {
        false
    }
}

/// The fold as the matcher runs it, char by char, with no string built.
/// [`Normalized`] is the same fold kept as text with an offset map.
#[derive(Clone, Copy)]
pub(crate) struct Folder {
    opts: NormalizeOptions,
    uro_changed: &'static [u64],
}

impl Folder {
    pub fn new(opts: NormalizeOptions) -> Folder {
        Folder {
            opts,
            uro_changed: uro_changed(),
        }
    }

    /// Whether `c` folds to exactly itself; when not, [`Folder::fold`]
    /// gives what it folds to. Decided in a few instructions for ASCII and
    /// the CJK block.
    #[inline(always)]
    pub fn folds_to_itself(&self, c: char) -> bool {
        folds_to_itself(c, self.opts, self.uro_changed)
    }

    /// Calls `emit` for each char `c` folds to (none for noise).
    #[inline]
    pub fn fold(&self, c: char, mut emit: impl FnMut(char)) {
        fold_char(c, self.opts, &mut emit);
    }

    /// What `c` folds to when that is exactly one char.
    #[cfg(test)]
    pub fn folded_one(&self, c: char) -> Option<char> {
        let (mut first, mut count) = (None, 0);
        self.fold(c, |o| {
            first = first.or(Some(o));
            count += 1;
        });
        first.filter(|_| count == 1)
    }
}

/// Folds a whole string (used for terms, not on the hot path).
///
/// # Examples
///
/// ```
/// use xianshen::{normalize_str, NormalizeOptions};
/// assert_eq!(normalize_str("出·售 冰 毒", NormalizeOptions::ALL), "出售冰毒");
/// assert_eq!(normalize_str("ＡＶ①號", NormalizeOptions::ALL), "av1号");
/// ```
pub fn normalize_str(text: &str, opts: NormalizeOptions) -> String {
    let mut out = String::with_capacity(text.len());
    for_each_folded_char(text, opts, |c| out.push(c));
    out
}

/// Calls `emit` for each char of `text` folded under `opts`, in order:
/// the fold of [`normalize_str`] without the string.
#[inline]
pub(crate) fn for_each_folded_char(text: &str, opts: NormalizeOptions, mut emit: impl FnMut(char)) {
    let folder = Folder::new(opts);
    for c in text.chars() {
        if folder.folds_to_itself(c) {
            emit(c);
        } else {
            folder.fold(c, &mut emit);
        }
    }
}

/// Normalized text with a map back to the input.
///
/// The map is a list of breakpoints: between two of them, normalized and
/// input text advance byte for byte, so a normalized offset maps to the
/// input by one binary search. A breakpoint is needed only where a char is
/// skipped or folds to a different length, which keeps filling cheap.
///
/// # Examples
///
/// ```
/// use xianshen::{Normalized, NormalizeOptions};
/// let input = "出 售 冰 毒";
/// let norm = Normalized::new(input, NormalizeOptions::ALL);
/// assert_eq!(norm.as_str(), "出售冰毒");
/// let span = norm.original_span(input, 0..norm.as_str().len());
/// assert_eq!(&input[span], input);
/// ```
#[derive(Clone, Debug, Default)]
pub struct Normalized {
    text: String,
    /// `(normalized offset, input offset)` where a run of byte-for-byte
    /// correspondence starts, ascending.
    breaks: Vec<(u32, u32)>,
}

/// Appends normalized chars, opening a new run where the byte-for-byte
/// correspondence breaks.
struct Writer<'a> {
    text: &'a mut String,
    breaks: &'a mut Vec<(u32, u32)>,
    /// The input offset the next normalized char has if the current run
    /// goes on; `u32::MAX` when none is open.
    predicted: u32,
}

impl Writer<'_> {
    /// Appends input text that folds to itself, starting at input `offset`.
    #[inline]
    fn emit_str(&mut self, s: &str, offset: u32) {
        if self.predicted != offset {
            self.breaks.push((self.text.len() as u32, offset));
        }
        self.text.push_str(s);
        self.predicted = offset + s.len() as u32;
    }

    #[inline]
    fn emit(&mut self, o: char, offset: u32) {
        if self.predicted != offset {
            self.breaks.push((self.text.len() as u32, offset));
        }
        self.text.push(o);
        self.predicted = offset + o.len_utf8() as u32;
    }
}

impl Normalized {
    /// Normalizes `input` with `opts`.
    ///
    /// # Panics
    ///
    /// Panics if `input` is 4 GiB or longer (offsets are kept as `u32`).
    pub fn new(input: &str, opts: NormalizeOptions) -> Normalized {
        let mut n = Normalized::default();
        n.fill(input, opts);
        n
    }

    /// Refills this buffer from `input`, reusing its allocations.
    pub(crate) fn fill(&mut self, input: &str, opts: NormalizeOptions) {
        assert!(
            input.len() <= crate::MAX_INPUT_BYTES,
            "input of 4 GiB or more"
        );
        self.text.clear();
        self.breaks.clear();
        self.text.reserve(input.len());
        let mut out = Writer {
            text: &mut self.text,
            breaks: &mut self.breaks,
            predicted: u32::MAX,
        };
        // Chars that fold to themselves are not written one by one: a run
        // of them is copied as one slice when something else comes.
        let mut run: Option<usize> = None;
        let uro_changed = uro_changed();
        for (offset, c) in input.char_indices() {
            if folds_to_itself(c, opts, uro_changed) {
                run.get_or_insert(offset);
                continue;
            }
            if let Some(start) = run.take() {
                out.emit_str(&input[start..offset], start as u32);
            }
            let offset = offset as u32;
            let mut first = true;
            fold_char(c, opts, &mut |o| {
                if !first {
                    // Every output of one char maps to that char's start.
                    out.predicted = u32::MAX;
                }
                first = false;
                out.emit(o, offset);
            });
        }
        if let Some(start) = run {
            out.emit_str(&input[start..], start as u32);
        }
    }

    /// The normalized text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The input offset of the char that produced the normalized char
    /// starting at `at`.
    fn origin(&self, at: usize) -> usize {
        let i = self.breaks.partition_point(|&(n, _)| n as usize <= at);
        let (n, o) = self.breaks[i - 1];
        o as usize + (at - n as usize)
    }

    /// The span of input chars that produced normalized bytes `range`.
    /// `range` must be non-empty and lie on char boundaries of the
    /// normalized text; `input` must be the text this was made from.
    pub fn original_span(&self, input: &str, range: std::ops::Range<usize>) -> crate::Span {
        let start = self.origin(range.start);
        let last_len = self.text[..range.end]
            .chars()
            .next_back()
            .map_or(1, char::len_utf8);
        let last = self.origin(range.end - last_len);
        let last_input_len = input[last..].chars().next().map_or(0, char::len_utf8);
        crate::Span::new(start, last + last_input_len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_char_by_char_agrees_with_normalized() {
        let input = "出 售，冰毒 ＡＢ①號 😀 a\u{200B}b 國家。ﬀ Ⅻ ⑴ Straße";
        for opts in [NormalizeOptions::ALL, NormalizeOptions::NONE] {
            let norm = Normalized::new(input, opts);
            let folder = Folder::new(opts);
            let mut text = String::new();
            for (offset, c) in input.char_indices() {
                let span = crate::Span::new(offset, offset + c.len_utf8());
                let mut emit = |o: char| {
                    let at = text.len();
                    let mapped = norm.original_span(input, at..at + o.len_utf8());
                    assert_eq!(mapped, span, "{o:?}");
                    text.push(o);
                };
                if folder.folds_to_itself(c) {
                    emit(c);
                } else {
                    folder.fold(c, emit);
                }
            }
            assert_eq!(text, norm.as_str());
        }
    }

    #[test]
    fn look_alikes_fold_to_what_they_imitate() {
        assert_eq!(normalize_str("出售氷毒", NormalizeOptions::ALL), "出售冰毒");
        // Cyrillic Ѕ and В, Greek Β: a Latin term matches them; Cyrillic
        // в looks like no Latin letter.
        assert_eq!(normalize_str("ЅВ Β в", NormalizeOptions::ALL), "sbbв");
        let no_compat = NormalizeOptions {
            compat: false,
            ..NormalizeOptions::ALL
        };
        assert_eq!(normalize_str("氷", no_compat), "氷");
        // Standard characters are never folded.
        for &(from, to) in lookalike_table::LOOKALIKE.iter() {
            assert_ne!(from, to);
            let to = char::from_u32(to).unwrap();
            assert_eq!(to_standard(to), to, "{to} is a target and a look-alike");
        }
    }

    #[test]
    fn changed_bits_agree_with_the_table() {
        for cp in URO_START..=URO_END {
            let i = (cp - URO_START) as usize;
            let c = char::from_u32(cp).unwrap();
            let bit = uro_changed()[i / 64] & (1 << (i % 64)) != 0;
            assert_eq!(bit, to_standard(to_simplified(c)) != c, "{c}");
        }
        assert_eq!(to_simplified('國'), '国');
        assert_eq!(to_standard('氷'), '冰');
    }
}
