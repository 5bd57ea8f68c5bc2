//! Word boundaries from jieba, computed only in a small window around a
//! candidate so the cost grows with hits, not with text, and remembered
//! per window: official text repeats its phrases.

use crate::normalize::{is_sentence_break, to_simplified};
use crate::Span;
use jieba_rs::Jieba;
use std::sync::OnceLock;

/// How many chars of context on each side the segmenter sees.
const WINDOW_CHARS: usize = 6;

/// One shared segmenter per process, built on first use.
fn jieba() -> &'static Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    JIEBA.get_or_init(Jieba::new)
}

/// The words of `text`, as the screener's word segmenter (jieba, its
/// default dictionary, no HMM) cuts them: for tools that compare texts by
/// their words, sharing the one dictionary a process loads.
///
/// ```
/// assert_eq!(xianshen::words("我们学校召开会议"), ["我们", "学校", "召开", "会议"]);
/// ```
pub fn words(text: &str) -> Vec<&str> {
    jieba()
        .cut(text, false)
        .into_iter()
        .map(|w| w.word)
        .collect()
}

/// Whether jieba's dictionary holds `word` (simplified) as a word.
pub(crate) fn is_word(word: &str) -> bool {
    jieba().has_word(word)
}

/// Whether `text` (simplified) segments into two or more jieba words of
/// two chars or more each, and nothing else (国家全部 is 国家 + 全部).
pub(crate) fn reads_as_words(text: &str) -> bool {
    let words = jieba().cut(text, false);
    words.len() >= 2 && words.iter().all(|w| w.word.chars().nth(1).is_some())
}

/// The char offsets where a jieba word of `text` starts, after the first.
pub(crate) fn word_starts(text: &str) -> Vec<usize> {
    let mut at = 0;
    let mut out = Vec::new();
    for w in jieba().cut(text, false) {
        if at > 0 {
            out.push(at);
        }
        at += w.word.chars().count();
    }
    out
}

/// Whether a jieba word crosses `span`'s start, and whether one crosses
/// its end, segmenting [`WINDOW_CHARS`] chars around it in its sentence.
/// Not cached (near misses of protected names are rare).
pub(crate) fn crossed_ends(input: &str, span: Span) -> (bool, bool) {
    crossed_ends_with(input, span, &input[span])
}

/// [`crossed_ends`] with `middle` written in place of `span`: whether the
/// context would cut across what should stand there (a misspelt name is
/// re-cut with its neighbours, 中华人共民和|国防; the name itself is not).
pub(crate) fn crossed_ends_with(input: &str, span: Span, middle: &str) -> (bool, bool) {
    let (window, s, e) = window_with(input, span, middle);
    let (mut start, mut end) = (false, false);
    for token in jieba().tokenize(&window, jieba_rs::TokenizeMode::Default, false) {
        start |= token.start < s && s < token.end;
        end |= token.start < e && e < token.end;
    }
    (start, end)
}

/// The window of [`WINDOW_CHARS`] chars around `span` in its sentence with
/// `middle` in place of the span, simplified, and the middle's char range.
fn window_with(input: &str, span: Span, middle: &str) -> (String, usize, usize) {
    let before: Vec<char> = input[..span.start]
        .chars()
        .rev()
        .take_while(|&c| !is_sentence_break(c))
        .take(WINDOW_CHARS)
        .collect();
    let mut window: String = before.iter().rev().map(|&c| to_simplified(c)).collect();
    let s = before.len();
    window.extend(middle.chars().map(to_simplified));
    let e = s + middle.chars().count();
    window.extend(
        input[span.end..]
            .chars()
            .take_while(|&c| !is_sentence_break(c))
            .take(WINDOW_CHARS)
            .map(to_simplified),
    );
    (window, s, e)
}

/// The char offsets inside `text` where a dictionary word of two to four
/// chars within it begins or ends: the joints of a compound that jieba
/// keeps as one word (黑龙江|省).
pub(crate) fn subword_bounds(text: &str) -> Vec<usize> {
    let len = text.chars().count();
    let mut out: Vec<usize> = subwords(text)
        .into_iter()
        .flat_map(|part| [part.start, part.end])
        .filter(|&b| b > 0 && b < len)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The char ranges of the dictionary words of two to four chars inside
/// `text`, shorter than `text` itself (共和 and 人民 in 中华人民共和国).
pub(crate) fn subwords(text: &str) -> Vec<std::ops::Range<usize>> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    for i in 0..chars.len() {
        for len in 2..=4.min(chars.len() - i) {
            let part: String = chars[i..i + len].iter().collect();
            if len < chars.len() && jieba().has_word(&part) {
                out.push(i..i + len);
            }
        }
    }
    out
}

/// How a span sits among the jieba words around it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum WordFit {
    /// It begins and ends on word boundaries (大麻 in 种植大麻被抓).
    Aligned,
    /// It lies inside one longer word (瞎子 in 黑瞎子岛, 牛逼 in 太牛逼).
    Inside,
    /// A word crosses one of its ends (约炮 in 北约|炮兵, 妈逼 in 老妈|逼的).
    Straddles,
}

/// How `span` of `input` sits among jieba's words, segmenting only a
/// window of [`WINDOW_CHARS`] around it, inside its sentence.
pub(crate) fn word_fit(input: &str, span: Span) -> WordFit {
    // jieba cuts text into runs of CJK, ASCII letters and digits first: no
    // word reaches over a space, a punctuation mark or a symbol, so a span
    // bounded by those (or the text's ends) on both sides is aligned
    // without segmenting anything.
    let before = &input[..span.start];
    let outside = |c: Option<char>| c.is_none_or(|c| !in_word_run(c));
    if outside(before.chars().next_back()) && outside(input[span.end..].chars().next()) {
        return WordFit::Aligned;
    }
    let mut window_start = span.start;
    for (i, c) in before.char_indices().rev().take(WINDOW_CHARS) {
        if is_sentence_break(c) {
            break;
        }
        window_start = i;
    }
    let mut window_end = span.end;
    for (i, c) in input[span.end..].char_indices().take(WINDOW_CHARS) {
        if is_sentence_break(c) {
            break;
        }
        window_end = span.end + i + c.len_utf8();
    }
    // Segment the window as the matcher sees it (traditional folded to
    // simplified, char for char) so 大麻煩 cuts like 大麻烦; compare in chars.
    let (s, e) = {
        let s = input[window_start..span.start].chars().count();
        (s, s + input[span].chars().count())
    };
    FIT_CACHE.with_borrow_mut(|cache| {
        // The key: the span's char offsets in the window, then the window.
        let key = &mut cache.key;
        key.clear();
        key.extend([char_of(s), char_of(e)]);
        key.extend(input[window_start..window_end].chars().map(to_simplified));
        if let Some(&fit) = cache.fits.get(key.as_str()) {
            return fit;
        }
        let fit = segment_fit(&key[char_of(s).len_utf8() + char_of(e).len_utf8()..], s, e);
        if cache.fits.len() >= FIT_CACHE_ENTRIES {
            cache.fits.clear();
        }
        cache.fits.insert(key.clone(), fit);
        fit
    })
}

/// How many window segmentations each thread remembers. Official text
/// repeats its phrases (有关部门, 人民政府), so most windows around a
/// candidate were segmented before; the cache is cleared when full, which
/// bounds it at about 1 MiB.
const FIT_CACHE_ENTRIES: usize = 8192;

struct FitCache {
    /// Scratch for building a key without allocating.
    key: String,
    fits: rustc_hash::FxHashMap<String, WordFit>,
}

thread_local! {
    static FIT_CACHE: std::cell::RefCell<FitCache> = std::cell::RefCell::new(FitCache {
        key: String::new(),
        fits: Default::default(),
    });
}

/// A small offset as a char of the cache key (offsets are at most a few
/// dozen chars).
fn char_of(n: usize) -> char {
    char::from_u32(n as u32 + 1).unwrap_or(char::MAX)
}

/// How the chars `s..e` of `window` sit among jieba's words.
fn segment_fit(window: &str, s: usize, e: usize) -> WordFit {
    let (mut start_ok, mut end_ok, mut inside) = (false, false, false);
    for token in jieba().tokenize(window, jieba_rs::TokenizeMode::Default, false) {
        let (ts, te) = (token.start, token.end);
        start_ok |= ts == s;
        end_ok |= te == e;
        inside |= ts <= s && te >= e;
        let crosses_start = ts < s && s < te && te < e;
        let crosses_end = s < ts && ts < e && e < te;
        if crosses_start || crosses_end {
            return WordFit::Straddles;
        }
        if ts >= e {
            break;
        }
    }
    if start_ok && end_ok {
        WordFit::Aligned
    } else if inside {
        WordFit::Inside
    } else {
        WordFit::Straddles
    }
}

/// Whether jieba keeps `c` in the runs it segments (its default class: CJK
/// ideographs, ASCII letters and digits, `+#&._%-`); any other char ends a
/// word.
fn in_word_run(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || matches!(c, '+' | '#' | '&' | '.' | '_' | '%' | '-')
    } else {
        crate::normalize::is_cjk(c)
    }
}

/// Whether `span` of `input` begins and ends on jieba word boundaries
/// (大麻 is not a word in 大麻烦, which jieba cuts 大/麻烦).
pub(crate) fn aligns_with_words(input: &str, span: Span) -> bool {
    word_fit(input, span) == WordFit::Aligned
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, word: &str) -> bool {
        let start = text.find(word).unwrap();
        aligns_with_words(text, Span::new(start, start + word.len()))
    }

    #[test]
    fn dama_in_damafan_is_not_a_word() {
        assert!(!check("这真是个大麻烦", "大麻"));
        assert!(check("他们种植大麻被抓", "大麻"));
        assert!(!check("這真是個大麻煩", "大麻"));
    }

    fn fit(text: &str, word: &str) -> WordFit {
        let start = text.find(word).unwrap();
        word_fit(text, Span::new(start, start + word.len()))
    }

    #[test]
    fn words_that_cross_a_short_term() {
        assert_eq!(fit("北约炮兵演习", "约炮"), WordFit::Straddles);
        assert_eq!(fit("我老妈逼的", "妈逼"), WordFit::Straddles);
        assert_eq!(fit("服务中心累计接待", "心累"), WordFit::Straddles);
        assert_ne!(fit("你这个傻逼", "傻逼"), WordFit::Straddles);
        // Punctuation on both sides: aligned without segmenting.
        assert_eq!(fit("他说：傻逼！", "傻逼"), WordFit::Aligned);
        assert_eq!(fit("傻逼", "傻逼"), WordFit::Aligned);
    }
}
