//! Small text helpers shared by the detectors.

/// Number of chars between two byte offsets (`a <= b`).
pub(crate) fn chars_between(input: &str, a: usize, b: usize) -> usize {
    input[a..b].chars().count()
}

/// The char just before byte `at`.
pub(crate) fn prev_char(input: &str, at: usize) -> Option<char> {
    input[..at].chars().next_back()
}

/// The char at byte `at`.
pub(crate) fn next_char(input: &str, at: usize) -> Option<char> {
    input[at..].chars().next()
}

fn is_sentence_stop(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '!' | '?' | '；' | ';' | '\n')
}

/// The byte range of the sentence holding byte `at`.
pub(crate) fn sentence_around(input: &str, at: usize) -> (usize, usize) {
    let start = input[..at]
        .char_indices()
        .rev()
        .find(|&(_, c)| is_sentence_stop(c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = input[at..]
        .char_indices()
        .find(|&(_, c)| is_sentence_stop(c))
        .map_or(input.len(), |(i, _)| at + i);
    (start, end)
}

/// The byte offset `n` chars before `at` (or 0).
pub(crate) fn back_chars(input: &str, at: usize, n: usize) -> usize {
    input[..at]
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i)
}

/// The byte offset `n` chars after `at` (or the end).
pub(crate) fn forward_chars(input: &str, at: usize, n: usize) -> usize {
    input[at..]
        .char_indices()
        .nth(n)
        .map_or(input.len(), |(i, _)| at + i)
}

/// Whether byte `at` is inside quotation marks opened earlier in the same
/// paragraph (“…”, 「…」, 『…』, "…").
pub(crate) fn inside_quotes(input: &str, at: usize) -> bool {
    let para_start = input[..at].rfind('\n').map_or(0, |i| i + 1);
    let mut depth: i32 = 0;
    let mut ascii_open = false;
    for c in input[para_start..at].chars() {
        match c {
            '“' | '「' | '『' | '‘' => depth += 1,
            '”' | '」' | '』' | '’' => depth = (depth - 1).max(0),
            '"' => ascii_open = !ascii_open,
            _ => {}
        }
    }
    depth > 0 || ascii_open
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_sentences() {
        let t = "他说：“我认为不妥”。我认为可以";
        assert!(inside_quotes(t, t.find("我认为").unwrap()));
        assert!(!inside_quotes(t, t.rfind("我认为").unwrap()));
        let (s, e) = sentence_around(t, t.rfind("可以").unwrap());
        assert_eq!(&t[s..e], "我认为可以");
        assert_eq!(back_chars("abcdef", 4, 2), 2);
        assert_eq!(forward_chars("abcdef", 4, 5), 6);
    }
}
