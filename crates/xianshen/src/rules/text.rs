//! Small text helpers shared by the detectors.

use crate::Span;

/// Number of chars between two byte offsets (`a <= b`).
pub(crate) fn chars_between(input: &str, a: usize, b: usize) -> usize {
    input[a..b].chars().count()
}

/// Whether `[a, b)` spans at most `n` chars, without counting past what is
/// needed: a char is 1 to 4 bytes, so most gaps are decided by length alone.
pub(crate) fn within_chars(input: &str, a: usize, b: usize, n: usize) -> bool {
    let bytes = b.saturating_sub(a);
    bytes <= n || (bytes <= 4 * n && chars_between(input, a, b) <= n)
}

/// How far the sentence and quotation scans look, in chars: text without
/// sentence stops must not make every hit scan the whole input.
pub(crate) const SCAN_CHARS: usize = 300;

/// Runs `re` only inside `windows` (merged first), returning absolute
/// spans: the regex detectors run near cheap candidates, not over the text.
/// Matches are as a whole-text search finds them (see [`search_windows`]).
pub(crate) fn find_in_windows(re: &regex::Regex, input: &str, windows: Vec<Span>) -> Vec<Span> {
    search_windows(input, windows, |hay, at| {
        re.find_at(hay, at)
            .map(|m| (Span::new(m.start(), m.end()), ()))
    })
    .into_iter()
    .map(|(span, ())| span)
    .collect()
}

/// [`find_in_windows`] with capture groups.
pub(crate) fn captures_in_windows<'t>(
    re: &regex::Regex,
    input: &'t str,
    windows: Vec<Span>,
) -> Vec<regex::Captures<'t>> {
    search_windows(input, windows, |hay, at| {
        re.captures_at(hay, at).map(|c| {
            let m = c.get(0).expect("group 0 is the match");
            (Span::new(m.start(), m.end()), c)
        })
    })
    .into_iter()
    .map(|(_, caps)| caps)
    .collect()
}

/// Every match that `search(haystack, at)` finds inside `windows` (byte
/// spans; sorted and merged first), leftmost first and not overlapping.
/// Each window is searched on the text up to its end from its start, so
/// anchors and word boundaries see the text before the window as they
/// would in a whole-text search; a window must be at least as long as the
/// longest match that can end in it.
fn search_windows<'t, T>(
    input: &'t str,
    mut windows: Vec<Span>,
    mut search: impl FnMut(&'t str, usize) -> Option<(Span, T)>,
) -> Vec<(Span, T)> {
    windows.sort_unstable();
    let mut merged: Vec<Span> = Vec::with_capacity(windows.len());
    for w in windows {
        match merged.last_mut() {
            Some(last) if w.start <= last.end => last.end = last.end.max(w.end),
            _ => merged.push(w),
        }
    }
    let mut out: Vec<(Span, T)> = Vec::new();
    for w in merged {
        let mut at = w.start;
        while at < w.end {
            let Some((span, found)) = search(&input[..w.end], at) else {
                break;
            };
            at = span.end.max(at + 1);
            while !input.is_char_boundary(at.min(input.len())) {
                at += 1;
            }
            if out.last().is_none_or(|(last, _)| last.end <= span.start) {
                out.push((span, found));
            }
        }
    }
    out
}

/// Whether `host` is `domain` or a subdomain of it (`item.taobao.com` is
/// under `taobao.com`, `nottaobao.com` is not).
pub(crate) fn host_matches(host: &str, domain: &str) -> bool {
    host == domain
        || host
            .strip_suffix(domain)
            .is_some_and(|rest| rest.ends_with('.'))
}

/// The char just before byte `at`.
pub(crate) fn prev_char(input: &str, at: usize) -> Option<char> {
    input[..at].chars().next_back()
}

/// The char at byte `at`.
pub(crate) fn next_char(input: &str, at: usize) -> Option<char> {
    input[at..].chars().next()
}

/// The byte range of the sentence holding byte `at`, at most
/// [`SCAN_CHARS`] chars to each side.
pub(crate) fn sentence_around(input: &str, at: usize) -> (usize, usize) {
    let mut start = at;
    for (i, c) in input[..at].char_indices().rev().take(SCAN_CHARS) {
        if crate::normalize::is_sentence_break(c) {
            break;
        }
        start = i;
    }
    let mut end = at;
    for (i, c) in input[at..].char_indices().take(SCAN_CHARS) {
        if crate::normalize::is_sentence_break(c) {
            break;
        }
        end = at + i + c.len_utf8();
    }
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

/// How long an @handle may be, in chars.
const HANDLE_CHARS: usize = 30;

/// Whether `span` lies inside an @handle (`@世界第一的戳戳殿下`,
/// `回复@无敌破壊王:`): an `@` before it with only handle chars (letters,
/// digits, CJK, `_`, `-`, `·`) between, and handle chars all through the
/// span. A name is not the writer's wording.
pub(crate) fn in_handle(input: &str, span: Span) -> bool {
    if !input[span.range()].chars().all(is_handle_char) {
        return false;
    }
    for c in input[..span.start].chars().rev().take(HANDLE_CHARS) {
        if c == '@' || c == '＠' {
            return true;
        }
        if !is_handle_char(c) {
            return false;
        }
    }
    false
}

/// The platform emoticon codes in `input`: a short name in square
/// brackets with nothing else in them (Weibo's `[草泥马]`, `[怒骂]`), a
/// picture, not the writer's words. Spans include the brackets, sorted.
pub(crate) fn emoticon_spans(input: &str) -> Vec<Span> {
    const MAX_CHARS: usize = 8;
    let mut out = Vec::new();
    for open in memchr::memchr_iter(b'[', input.as_bytes()) {
        let name = &input[open + 1..];
        let mut len = 0;
        for (i, c) in name.char_indices() {
            if c == ']' {
                if len > 0 {
                    out.push(Span::new(open, open + 1 + i + 1));
                }
                break;
            }
            len += 1;
            if !c.is_alphanumeric() || len > MAX_CHARS {
                break;
            }
        }
    }
    out
}

/// The short titles in 《》 in `input`, on one line (the name of a book,
/// film or song: 《流云尼玛》). Spans include the marks, sorted.
pub(crate) fn title_spans(input: &str) -> Vec<Span> {
    const MAX_CHARS: usize = 30;
    let mut out = Vec::new();
    // A SIMD search for the three bytes of 《: a search for one of them
    // stops at every CJK char sharing that byte.
    for open in memchr::memmem::find_iter(input.as_bytes(), "《".as_bytes()) {
        let rest = &input[open + '《'.len_utf8()..];
        for (n, (i, c)) in rest.char_indices().enumerate() {
            match c {
                '》' => {
                    out.push(Span::new(open, open + '《'.len_utf8() + i + c.len_utf8()));
                    break;
                }
                '《' | '\n' => break,
                _ if n >= MAX_CHARS => break,
                _ => {}
            }
        }
    }
    out
}

/// Whether `span` lies inside one of `spans` (sorted by start, not
/// overlapping).
pub(crate) fn within_any(spans: &[Span], span: Span) -> bool {
    let i = spans.partition_point(|s| s.start <= span.start);
    i > 0 && spans[i - 1].end >= span.end
}

/// A char an @handle may hold: letters, digits (any script), `_`, `-`, `·`.
pub(crate) fn is_handle_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '·')
}

/// Whether byte `at` is inside quotation marks or title marks opened
/// earlier in the same paragraph (“…”, 「…」, 『…』, ‘…’, "…", '…', 《…》: the
/// name of a work is quoted too), looking back at most
/// [`SCAN_CHARS`]. An ASCII apostrophe between letters (don't) is no quote.
pub(crate) fn inside_quotes(input: &str, at: usize) -> bool {
    let window_start = back_chars(input, at, SCAN_CHARS);
    let para_start = input[window_start..at]
        .rfind('\n')
        .map_or(window_start, |i| window_start + i + 1);
    let mut depth: i32 = 0;
    let (mut double_open, mut single_open) = (false, false);
    let mut prev = None;
    let mut chars = input[para_start..at].chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '“' | '「' | '『' | '‘' | '﹁' | '﹃' | '《' | '〈' => depth += 1,
            '”' | '」' | '』' | '’' | '﹂' | '﹄' | '》' | '〉' => {
                depth = (depth - 1).max(0)
            }
            '"' | '＂' => double_open = !double_open,
            '\'' => {
                let between_letters = prev.is_some_and(|p: char| p.is_ascii_alphabetic())
                    && chars.peek().is_some_and(|n| n.is_ascii_alphabetic());
                if !between_letters {
                    single_open = !single_open;
                }
            }
            _ => {}
        }
        prev = Some(c);
    }
    depth > 0 || double_open || single_open
}

/// Words before a word that make it a figure of speech: a comparison
/// (像瞎子一样, 装聋子) or 把A当B (把观众当瞎子). A style form used so is
/// no reference to a person, and the respectful form is no fix for it.
const FIGURATIVE_BEFORE: [&str; 6] = ["好像", "如同", "犹如", "装作", "像", "装"];

/// How far before 当 a 把 is looked for, in chars.
const BA_CHARS: usize = 10;

/// Whether the word at `span` is a figure of speech (see
/// [`FIGURATIVE_BEFORE`]).
pub(crate) fn figure_of_speech(input: &str, span: Span) -> bool {
    let before = &input[..span.start];
    if FIGURATIVE_BEFORE.iter().any(|w| before.ends_with(w)) {
        return true;
    }
    let Some(dang) = before.strip_suffix('当') else {
        return false;
    };
    let (start, _) = sentence_around(input, dang.len());
    input[back_chars(input, dang.len(), BA_CHARS).max(start)..dang.len()].contains('把')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emoticon_codes_and_titles() {
        let at = |s: &str, w: &str| {
            let i = s.find(w).unwrap();
            Span::new(i, i + w.len())
        };
        let inside = |spans: Vec<Span>, s: &str, w: &str| within_any(&spans, at(s, w));
        let s = "别[草泥马]了";
        assert!(inside(emoticon_spans(s), s, "草泥马"));
        assert!(inside(emoticon_spans(s), s, "泥马"));
        let s = "[怒]草泥马[怒]";
        assert!(!inside(emoticon_spans(s), s, "草泥马"));
        let s = "[草泥马，你好]";
        assert!(!inside(emoticon_spans(s), s, "草泥马"));
        let s = "读了《流云尼玛》这本书";
        assert!(inside(title_spans(s), s, "尼玛"));
        let s = "《书》里尼玛《书》";
        assert!(!inside(title_spans(s), s, "尼玛"));
    }

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

    #[test]
    fn handles() {
        let t = "回复@无敌破壊王:我看了，真无敌";
        let at = |w: &str, nth: usize| {
            let i = t.match_indices(w).nth(nth).unwrap().0;
            Span::new(i, i + w.len())
        };
        assert!(in_handle(t, at("无敌", 0)));
        assert!(!in_handle(t, at("无敌", 1)));
        assert!(!in_handle("邮箱a@b.com 无敌", Span::new(14, 20)));
    }
}
