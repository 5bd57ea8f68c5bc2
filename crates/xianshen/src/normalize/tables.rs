//! Character classes and small folding tables.

/// ASCII whitespace, punctuation and control characters.
#[inline]
pub(crate) fn is_ascii_noise(c: char) -> bool {
    c.is_ascii_whitespace() || c.is_ascii_punctuation() || c.is_ascii_control()
}

/// Characters skipped between term characters when `noise` is on.
pub(crate) fn is_noise(c: char) -> bool {
    let cp = c as u32;
    match cp {
        0x00..=0x7F => is_ascii_noise(c),
        // Latin-1 punctuation and symbols, but not ª ² ³ µ ¹ º.
        0x80..=0xBF => !matches!(cp, 0xAA | 0xB2 | 0xB3 | 0xB5 | 0xB9 | 0xBA),
        0xD7 | 0xF7 => true,
        0x061C | 0x180B..=0x180F => true,
        // Combining marks (zalgo and accent stacking).
        0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F => {
            true
        }
        // General punctuation: spaces, dashes, quotes, zero-width, bidi controls, word joiner.
        0x2000..=0x206F => true,
        // Currency symbols.
        0x20A0..=0x20CF => true,
        // Arrows, math operators, technical, box drawing, shapes, misc symbols,
        // dingbats, braille, supplemental arrows — but not enclosed alphanumerics.
        0x2190..=0x245F | 0x2500..=0x2BFF => true,
        0x2E00..=0x2E7F => true,
        // CJK symbols and punctuation, but not 々 〆 〇 and the Hangzhou numerals.
        0x3000..=0x303F => !matches!(cp, 0x3005..=0x3007 | 0x3021..=0x3029 | 0x3038..=0x303A),
        0x3099 | 0x309A | 0x30FB => true,
        // Variation selectors, vertical forms, CJK compatibility forms, small forms, BOM.
        0xFE00..=0xFE19 | 0xFE30..=0xFE6F | 0xFEFF => true,
        // Full-width punctuation (when width folding is off) and specials.
        0xFF01..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65 => true,
        0xFFE0..=0xFFEE | 0xFFF0..=0xFFFF => true,
        // Emoji, mahjong, domino, playing cards, enclosed supplements, pictographs.
        0x1F000..=0x1FAFF => true,
        // Tags and variation selectors supplement.
        0xE0000..=0xE007F | 0xE0100..=0xE01EF => true,
        _ => c.is_whitespace() || c.is_control(),
    }
}

/// Sentence punctuation and line breaks: noise that ends a sentence. The
/// fold turns each into [`SENTENCE_BREAK`] instead of skipping it, so no
/// term, cue or phrase is matched across a sentence (这样做。为什么 holds no
/// 做为), and the detectors' sentence windows end at the same chars.
#[inline]
pub(crate) fn is_sentence_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '。' | '！' | '？' | '；' | '!' | '?' | ';' | '\u{FF61}'
    )
}

/// What the fold turns a sentence break into: a char no pattern holds
/// (patterns are folded too), so the automaton starts afresh after it.
pub(crate) const SENTENCE_BREAK: char = '\n';

/// Noise whatever the other folds do: CJK, general and full-width
/// punctuation (their compatibility and half-width forms are punctuation
/// too), so the pipeline can skip them at once.
#[inline]
pub(crate) fn is_plain_noise(c: char) -> bool {
    matches!(c as u32,
        0x2000..=0x206F
        | 0x3000..=0x3004
        | 0x3008..=0x3020
        | 0x302A..=0x3037
        | 0x303B..=0x303F
        | 0xFE30..=0xFE6F
        | 0xFF01..=0xFF0F
        | 0xFF1A..=0xFF20
        | 0xFF3B..=0xFF40
        | 0xFF5B..=0xFF65)
}

/// Whether a char can have an uppercase form to fold: Latin, Greek,
/// Cyrillic, Armenian, Georgian… and the astral scripts with case, not CJK.
#[inline]
pub(crate) fn may_have_case(c: char) -> bool {
    let cp = c as u32;
    cp < 0x2E00
        || (0xA640..=0xABBF).contains(&cp)
        || (0xFF21..=0xFF3A).contains(&cp)
        || cp >= 0x10000
}

/// Whether a char may have a compatibility decomposition worth applying.
/// Common CJK, kana, Hangul and the full-width block are left alone (width
/// folding is its own switch).
#[inline]
pub(crate) fn may_have_compat_form(c: char) -> bool {
    !matches!(c as u32,
        0x0000..=0x009F
        | 0x3000
        | 0x3040..=0x30FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xAC00..=0xD7A3
        | 0xFF00..=0xFFEF)
}

/// Full-width ASCII variants and the ideographic space to their ASCII forms.
#[inline]
pub(crate) fn to_half_width(c: char) -> char {
    match c as u32 {
        cp @ 0xFF01..=0xFF5E => char::from_u32(cp - 0xFF01 + 0x21).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noise_classes() {
        for c in [
            ' ', '.', '，', '。', '\u{200B}', '\u{202E}', '\u{FE0F}', '😀', '★', '\u{0301}', '\0',
        ] {
            assert!(is_noise(c), "{c:?} should be noise");
        }
        for c in ['a', '1', '中', '〇', '①', 'Ａ', 'ß'] {
            assert!(!is_noise(c), "{c:?} should not be noise");
        }
    }

    #[test]
    fn plain_noise_is_noise_under_every_fold() {
        for cp in (0x2000..=0x206F)
            .chain(0x3000..=0x303F)
            .chain(0xFE30..=0xFE6F)
            .chain(0xFF01..=0xFF65)
        {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            if !is_plain_noise(c) {
                continue;
            }
            // The whole pipeline by hand (fold_char itself takes the shortcut).
            let mut kept = String::new();
            let mut tail = |d: char| {
                for l in to_half_width(d).to_lowercase() {
                    let l = crate::normalize::to_standard(crate::normalize::to_simplified(l));
                    if !is_noise(l) {
                        kept.push(l);
                    }
                }
            };
            tail(c);
            unicode_normalization::char::decompose_compatible(c, &mut tail);
            assert!(kept.is_empty(), "U+{cp:04X} keeps {kept:?}");
        }
    }

    #[test]
    fn half_width() {
        assert_eq!(to_half_width('Ａ'), 'A');
        assert_eq!(to_half_width('～'), '~');
        assert_eq!(to_half_width('中'), '中');
    }
}
