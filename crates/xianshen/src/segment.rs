//! Word boundaries from jieba, computed only in a small window around a
//! candidate so the cost grows with hits, not with text.

use crate::normalize::to_simplified;
use crate::Span;
use jieba_rs::Jieba;
use std::sync::OnceLock;

/// How many chars of context on each side the segmenter sees.
const WINDOW_CHARS: usize = 12;

/// One shared segmenter per process, built on first use.
fn jieba() -> &'static Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    JIEBA.get_or_init(Jieba::new)
}

fn is_sentence_stop(c: char) -> bool {
    matches!(c, '\n' | '\r' | '。' | '！' | '？' | '；' | '!' | '?' | ';')
}

/// Whether `span` of `input` begins and ends on jieba word boundaries
/// (大麻 is not a word in 大麻烦, which jieba cuts 大/麻烦).
pub(crate) fn aligns_with_words(input: &str, span: Span) -> bool {
    let before = &input[..span.start];
    let mut window_start = span.start;
    for (i, c) in before.char_indices().rev().take(WINDOW_CHARS) {
        if is_sentence_stop(c) {
            break;
        }
        window_start = i;
    }
    let mut window_end = span.end;
    for (i, c) in input[span.end..].char_indices().take(WINDOW_CHARS) {
        if is_sentence_stop(c) {
            break;
        }
        window_end = span.end + i + c.len_utf8();
    }
    // Segment the window as the matcher sees it (traditional folded to
    // simplified, char for char) so 大麻煩 cuts like 大麻烦; compare in chars.
    let folded: String = input[window_start..window_end]
        .chars()
        .map(to_simplified)
        .collect();
    let span_start = input[window_start..span.start].chars().count();
    let span_end = span_start + input[span].chars().count();
    let (mut start_ok, mut end_ok) = (false, false);
    for token in jieba().cut(&folded, true) {
        start_ok |= token.start == span_start;
        end_ok |= token.end == span_end;
        if token.start >= span_end {
            break;
        }
    }
    start_ok && end_ok
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
}
