//! `privacy.*`: resident ID numbers, mobile numbers, bank cards, e-mail
//! addresses and passport numbers.

use super::text::{back_chars, find_in_windows, forward_chars, next_char, prev_char};
use super::BuiltinRule;
use super::{Context, RawFinding};
use crate::Date;
use crate::Span;
use regex::Regex;
use std::sync::LazyLock;

static MOBILE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:(?:\+86|0086|86)[\x20-]?)?1[3-9]\d(?:[\x20-]?\d{4}){2}").expect("valid regex")
});

static CARD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\d{4}(?:[\x20-]\d{4}){3}(?:[\x20-]?\d{1,3})?|\d{16,19}").expect("valid regex")
});

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})")
        .expect("valid regex")
});

static PASSPORT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"E[A-HJ-NP-Z]\d{7}|[EGK]\d{8}|(?:DE|SE|PE|MA)\d{7}").expect("valid regex")
});

const CARD_CONTEXT: &[&str] = &[
    "卡号",
    "银行卡",
    "账号",
    "帐号",
    "储蓄卡",
    "信用卡",
    "借记卡",
    "银行账户",
    "收款账户",
    "开户行",
];
const PASSPORT_CONTEXT: &[&str] = &["护照", "通行证"];

/// Resident ID region codes (first two digits).
fn valid_region(code: u32) -> bool {
    matches!(code, 11..=15 | 21..=23 | 31..=37 | 41..=46 | 50..=54 | 61..=65 | 71 | 81 | 82 | 90..=99)
}

/// ISO 7064 MOD 11-2 check of an 18-char resident ID, with region and
/// birth date checks.
pub(crate) fn is_valid_id_card(id: &[u8], today: Date) -> bool {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    if id.len() != 18 || !id[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let num =
        |r: std::ops::Range<usize>| id[r].iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
    if !valid_region(num(0..2)) {
        return false;
    }
    // A birth date that exists and is not after the screening date.
    let born = Date::new(num(6..10), num(10..12), num(12..14));
    if !born.is_ok_and(|born| born <= today) {
        return false;
    }
    let sum: u32 = id[..17]
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    CHECK[(sum % 11) as usize] == id[17].to_ascii_uppercase()
}

/// The Luhn check over ASCII digits.
pub(crate) fn luhn_valid(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            let v = u32::from(d - b'0');
            if i % 2 == 1 {
                let x = v * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                v
            }
        })
        .sum();
    sum % 10 == 0
}

fn is_digit_at(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_ascii_digit())
}

fn is_alnum_at(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_ascii_alphanumeric())
}

fn context_near(input: &str, span: Span, before: usize, after: usize, words: &[&str]) -> bool {
    let window =
        &input[back_chars(input, span.start, before)..forward_chars(input, span.end, after)];
    words.iter().any(|w| window.contains(w))
}

/// The digit a char spells in a phone number: ASCII or full-width digits,
/// Chinese numerals (〇 and 零 for 0, 幺 for 1).
fn spelled_digit(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8 - b'0'),
        '０'..='９' => Some((c as u32 - '０' as u32) as u8),
        '〇' | '零' => Some(0),
        '一' | '幺' => Some(1),
        '二' => Some(2),
        '三' => Some(3),
        '四' => Some(4),
        '五' => Some(5),
        '六' => Some(6),
        '七' => Some(7),
        '八' => Some(8),
        '九' => Some(9),
        _ => None,
    }
}

/// Mobile numbers spelt to get past a filter: eleven full-width digits or
/// Chinese numerals (１３８…, 一三八…, single spaces or dashes between
/// allowed), starting at a cue or a full-width １. ASCII-only numbers are
/// [`mobiles`]' job.
fn spelled_mobiles(ctx: &Context<'_>, out: &mut Vec<RawFinding>) {
    let input = ctx.input;
    let mut starts: Vec<usize> = ctx
        .cues
        .iter()
        .filter(|h| h.kind == super::cues::CueKind::SpelledDigits)
        .map(|h| h.span.start)
        .collect();
    // memmem, not `match_indices`: the latter scans for the char's last
    // byte (0x91), which most CJK chars also hold.
    starts.extend(memchr::memmem::find_iter(input.as_bytes(), "１".as_bytes()));
    starts.sort_unstable();
    starts.dedup();
    let rule = BuiltinRule::PrivacyMobile;
    let mut done = 0;
    for start in starts {
        if start < done || prev_char(input, start).is_some_and(|c| spelled_digit(c).is_some()) {
            continue;
        }
        let (mut digits, mut end, mut ascii_only) = (Vec::with_capacity(11), start, true);
        let mut chars = input[start..].char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            match spelled_digit(c) {
                Some(d) => {
                    digits.push(d);
                    ascii_only &= c.is_ascii();
                    end = start + i + c.len_utf8();
                }
                None if matches!(c, ' ' | '-')
                    && chars
                        .peek()
                        .is_some_and(|&(_, n)| spelled_digit(n).is_some()) => {}
                None => break,
            }
            if digits.len() > 11 {
                break;
            }
        }
        let mobile = digits.len() == 11 && digits[0] == 1 && (3..=9).contains(&digits[1]);
        if mobile && !ascii_only {
            out.push(RawFinding::builtin(rule, Span::new(start, end)));
            done = end;
        }
    }
}

pub(crate) fn detect(ctx: &Context<'_>, out: &mut Vec<RawFinding>) {
    let input = ctx.input;
    if ctx.on(BuiltinRule::PrivacyMobile) {
        spelled_mobiles(ctx, out);
    }
    if ctx.on(BuiltinRule::PrivacyEmail) && input.contains('@') {
        emails(ctx, out);
    }
    let passport_context = PASSPORT_CONTEXT.iter().any(|w| input.contains(w));
    if ctx.on(BuiltinRule::PrivacyPassport) && passport_context {
        passports(input, out);
    }
    // One scan finds every place a phone, card or ID number can be; most
    // text has none.
    let clusters = digit_clusters(input, 11);
    if clusters.is_empty() {
        return;
    }
    // ID spans also keep an ID number from being taken for a bank card.
    let id_spans = if ctx.on(BuiltinRule::PrivacyIdCard) || ctx.on(BuiltinRule::PrivacyBankCard) {
        id_cards(input, &clusters, ctx.today)
    } else {
        Vec::new()
    };
    if ctx.on(BuiltinRule::PrivacyIdCard) {
        let rule = BuiltinRule::PrivacyIdCard;
        out.extend(id_spans.iter().map(|&s| RawFinding::builtin(rule, s)));
    }
    if ctx.on(BuiltinRule::PrivacyMobile) {
        mobiles(input, &clusters, out);
    }
    if ctx.on(BuiltinRule::PrivacyBankCard) {
        bank_cards(input, &clusters, &id_spans, out);
    }
}

/// Maximal ASCII digit runs of 17 (+X) or 18 digits.
fn id_cards(input: &str, clusters: &[Span], today: Date) -> Vec<Span> {
    let bytes = input.as_bytes();
    let mut spans = Vec::new();
    for cluster in clusters {
        let mut i = cluster.start;
        while i < cluster.end {
            if !bytes[i].is_ascii_digit() {
                i += 1;
                continue;
            }
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            let mut end = i;
            if end - start == 17 && matches!(bytes.get(end), Some(b'X' | b'x')) {
                end += 1;
            }
            if end - start == 18
                && !is_alnum_at(next_char(input, end))
                && is_valid_id_card(&bytes[start..end], today)
            {
                spans.push(Span::new(start, end));
            }
            i = end.max(i);
        }
    }
    spans
}

/// Runs of ASCII digits joined by single spaces or dashes with at least
/// `min` digits, widened over a `+` before them: the only places a phone
/// or card number can be.
///
/// A run of `min` digits is at least `min` bytes long, so it covers one of
/// every `min` consecutive positions: the scan reads only every `min`-th
/// byte until one is a digit or a joining separator, and only then walks
/// to the run's ends. Most text has no such run, and this reads a tenth
/// of it.
fn digit_clusters(input: &str, min: usize) -> Vec<Span> {
    let b = input.as_bytes();
    let min = min.max(1);
    // Whether position `i` is inside a run.
    let in_run = |i: usize| b[i].is_ascii_digit() || joins_digits(b, i);
    let mut out = Vec::new();
    let mut probe = min - 1;
    while probe < b.len() {
        if !in_run(probe) {
            probe += min;
            continue;
        }
        // Back to the run's first digit.
        let mut start = if b[probe].is_ascii_digit() {
            probe
        } else {
            probe + 1
        };
        loop {
            if start >= 1 && b[start - 1].is_ascii_digit() {
                start -= 1;
            } else if start >= 1 && joins_digits(b, start - 1) {
                start -= 2;
            } else {
                break;
            }
        }
        let (end, digits) = run_from(b, start);
        if digits >= min {
            let start = if start > 0 && b[start - 1] == b'+' {
                start - 1
            } else {
                start
            };
            out.push(Span::new(start, end));
        }
        // The next run starts after `end`: its first `min` bytes hold
        // `end + min - 1` or a later probe.
        probe = end + min - 1;
    }
    out
}

/// Whether `b[i]` is a separator that joins two digits into one run: a
/// single space or dash with a digit on each side.
#[inline]
fn joins_digits(b: &[u8], i: usize) -> bool {
    i > 0
        && i + 1 < b.len()
        && matches!(b[i], b' ' | b'-')
        && b[i - 1].is_ascii_digit()
        && b[i + 1].is_ascii_digit()
}

/// The end of the run of digits joined by single separators that starts
/// at `start` (a digit), and how many digits it holds.
fn run_from(b: &[u8], start: usize) -> (usize, usize) {
    let (mut i, mut digits) = (start, 0);
    loop {
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
            digits += 1;
        }
        if !joins_digits(b, i) {
            return (i, digits);
        }
        i += 1;
    }
}

fn mobiles(input: &str, clusters: &[Span], out: &mut Vec<RawFinding>) {
    let rule = BuiltinRule::PrivacyMobile;
    for span in find_in_windows(&MOBILE, input, clusters.to_vec()) {
        if is_digit_at(prev_char(input, span.start)) || is_digit_at(next_char(input, span.end)) {
            continue;
        }
        if prev_char(input, span.start) == Some('+') {
            continue;
        }
        out.push(RawFinding::builtin(rule, span));
    }
}

fn bank_cards(input: &str, clusters: &[Span], id_spans: &[Span], out: &mut Vec<RawFinding>) {
    let rule = BuiltinRule::PrivacyBankCard;
    for span in find_in_windows(&CARD, input, clusters.to_vec()) {
        if is_digit_at(prev_char(input, span.start)) || is_digit_at(next_char(input, span.end)) {
            continue;
        }
        if id_spans.iter().any(|s| s.overlaps(span)) {
            continue;
        }
        let digits: Vec<u8> = input[span].bytes().filter(u8::is_ascii_digit).collect();
        if !(16..=19).contains(&digits.len()) || !luhn_valid(&digits) {
            continue;
        }
        if digits.starts_with(b"62") || context_near(input, span, 20, 10, CARD_CONTEXT) {
            out.push(RawFinding::builtin(rule, span));
        }
    }
}

fn emails(ctx: &Context<'_>, out: &mut Vec<RawFinding>) {
    let rule = BuiltinRule::PrivacyEmail;
    let input = ctx.input;
    for caps in EMAIL.captures_iter(input) {
        let whole = caps.get(0).expect("group 0");
        let domain = caps[1].to_ascii_lowercase();
        if ctx.settings.domain_allowed(&domain) {
            continue;
        }
        // The local part never starts with a dot; trim one.
        let start =
            whole.start() + (whole.as_str().len() - whole.as_str().trim_start_matches('.').len());
        out.push(RawFinding::builtin(rule, Span::new(start, whole.end())));
    }
}

fn passports(input: &str, out: &mut Vec<RawFinding>) {
    let rule = BuiltinRule::PrivacyPassport;
    for m in PASSPORT.find_iter(input) {
        let span = Span::new(m.start(), m.end());
        if is_alnum_at(prev_char(input, span.start)) || is_alnum_at(next_char(input, span.end)) {
            continue;
        }
        if context_near(input, span, 30, 15, PASSPORT_CONTEXT) {
            out.push(RawFinding::builtin(rule, span));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn id_card_checks() {
        let today: Date = "2026-12-07".parse().unwrap();
        assert!(is_valid_id_card(b"11010519491231002X", today));
        assert!(!is_valid_id_card(b"110105194912310021", today));
        assert!(!is_valid_id_card(b"99010519491331002X", today));
        let y = today.year();
        // A birth date after today is not real.
        let future = format!("110105{}0101002", y + 1);
        let sum: u32 = future
            .bytes()
            .zip([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
            .map(|(b, w)| u32::from(b - b'0') * w)
            .sum();
        let id = format!("{future}{}", b"10X98765432"[(sum % 11) as usize] as char);
        assert!(!is_valid_id_card(id.as_bytes(), today));
        // The same number is real once its birth date has come.
        let later = Date::new(y + 2, 1, 1).unwrap();
        assert!(is_valid_id_card(id.as_bytes(), later));
    }

    #[test]
    fn clusters_join_single_separators() {
        let t = "电话+86 138-1234-5678，年份2026年，卡 6222 0212 3456 7890";
        let spans: Vec<&str> = digit_clusters(t, 11)
            .iter()
            .map(|s| &t[s.range()])
            .collect();
        assert_eq!(spans, ["+86 138-1234-5678", "6222 0212 3456 7890"]);
    }

    /// The plain left-to-right scan the probing one must equal.
    fn clusters_by_scanning(input: &str, min: usize) -> Vec<Span> {
        let b = input.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < b.len() {
            if !b[i].is_ascii_digit() {
                i += 1;
                continue;
            }
            let (end, digits) = run_from(b, i);
            if digits >= min {
                let start = if i > 0 && b[i - 1] == b'+' { i - 1 } else { i };
                out.push(Span::new(start, end));
            }
            i = end;
        }
        out
    }

    #[test]
    fn clusters_at_the_ends_and_across_probes() {
        for t in [
            "13812345678",
            "x13812345678",
            "1381234567",
            "+8613812345678 ",
            "12 -34 56-78 90-12-34 5",
            "1 2 3 4 5 6 7 8 9 0 1",
            "1  2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2",
            "号码：138 1234 5678；139-8765-4321。",
        ] {
            for min in [1, 2, 3, 11, 16] {
                assert_eq!(
                    digit_clusters(t, min),
                    clusters_by_scanning(t, min),
                    "{t:?}, min {min}"
                );
            }
        }
    }

    fn digitish(max_len: usize) -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just('1'),
                Just('0'),
                Just(' '),
                Just('-'),
                Just('+'),
                Just('x'),
                Just('号'),
                Just('😀'),
            ],
            0..max_len,
        )
        .prop_map(|v| v.into_iter().collect())
    }

    proptest! {
        #[test]
        fn probing_finds_what_scanning_finds(t in digitish(120), min in 1usize..20) {
            prop_assert_eq!(digit_clusters(&t, min), clusters_by_scanning(&t, min));
        }
    }

    #[test]
    fn luhn() {
        assert!(luhn_valid(b"4111111111111111"));
        assert!(!luhn_valid(b"4111111111111112"));
    }
}
