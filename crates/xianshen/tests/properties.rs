//! Properties that hold for any text and any small lexicon.

use proptest::prelude::*;
use xianshen::{NormalizeOptions, Normalized, Policy, Screener, Severity, Verdict};

/// Characters that exercise every path: lexicon letters, traditional and
/// full-width forms, noise, zero-width and bidi controls, combining marks,
/// astral emoji, digits and Chinese numerals, newlines.
const ALPHABET: &[char] = &[
    '出', '售', '冰', '毒', '大', '麻', '烦', '賣', '們', 'a', 'v', 'A', 'Ｖ', 'h', 'e', '6', '9',
    '六', '九', '〇', ' ', '，', '。', '.', '*', '★', '\u{200B}', '\u{202E}', '\u{FE0F}',
    '\u{0301}', '😀', '👨', '\u{200D}', '𝕗', '①', '\n', '“', '”', '@', '1', '3', '8',
];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(ALPHABET), 0..60)
        .prop_map(|v| v.into_iter().collect())
}

fn term() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(&ALPHABET[..20]), 1..4)
        .prop_map(|v| v.into_iter().collect())
}

fn policy(terms: &[String], allow: &[String], strict: bool, word: bool) -> Policy {
    let list = |ts: &[String]| {
        ts.iter()
            .map(|t| format!("{t:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let toml = format!(
        "[meta]\nname = \"p\"\n\n[[lexicon]]\ntag = \"a\"\nseverity = \"block\"\nterms = [{}]\n\n\
         [[lexicon]]\ntag = \"b\"\nseverity = \"review\"\nboundary = \"{}\"\nnormalize = {{ case = {}, noise = {} }}\nterms = [{}]\n\n\
         [allow]\nterms = [{}]\n\n[[near]]\ntag = \"n\"\nseverity = \"info\"\nterms = [\"冰\", \"麻\"]\nwithin = 5\n",
        list(terms),
        if word { "word" } else { "any" },
        !strict,
        !strict,
        list(terms),
        list(allow),
    );
    Policy::from_toml(&toml).expect("generated policy is valid")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn findings_slice_the_input_exactly(
        input in text(),
        terms in prop::collection::vec(term(), 1..5),
        allow in prop::collection::vec(term(), 0..2),
        strict in any::<bool>(),
        word in any::<bool>(),
    ) {
        let screener = Screener::from_policy(policy(&terms, &allow, strict, word)).unwrap();
        let report = screener.screen_text(&input);
        let mut last = (0usize, String::new());
        for f in &report.findings {
            prop_assert!(input.is_char_boundary(f.start) && input.is_char_boundary(f.end));
            prop_assert!(f.start < f.end || f.rule.starts_with("attribution."));
            prop_assert_eq!(&input[f.start..f.end], f.text.as_str());
            prop_assert_eq!(input[..f.start].chars().count(), f.char_start);
            prop_assert_eq!(input[..f.end].chars().count(), f.char_end);
            prop_assert_eq!(input[..f.start].encode_utf16().count(), f.utf16_start);
            prop_assert_eq!(input[..f.end].encode_utf16().count(), f.utf16_end);
            let line = input[..f.start].matches('\n').count() + 1;
            prop_assert_eq!(line, f.line);
            let line_start = input[..f.start].rfind('\n').map_or(0, |i| i + 1);
            prop_assert_eq!(input[line_start..f.start].chars().count() + 1, f.column);
            // A finding never starts or ends on a skipped character.
            if f.rule.starts_with("term.") {
                let first = f.text.chars().next().unwrap();
                let last_char = f.text.chars().next_back().unwrap();
                prop_assert!(!xianshen::normalize_str(&first.to_string(), NormalizeOptions::ALL).is_empty() || strict);
                prop_assert!(!xianshen::normalize_str(&last_char.to_string(), NormalizeOptions::ALL).is_empty() || strict);
            }
            let key = (f.start, f.rule.clone());
            prop_assert!(key >= last, "findings out of order");
            last = key;
        }
        // Within one rule, findings do not overlap.
        for (i, a) in report.findings.iter().enumerate() {
            for b in &report.findings[i + 1..] {
                if a.rule == b.rule {
                    prop_assert!(a.end <= b.start || b.end <= a.start, "{} overlaps", a.rule);
                }
            }
        }
        // Deterministic, and the verdict agrees with the findings.
        prop_assert_eq!(&screener.screen_text(&input), &report);
        let expected = Verdict::from_severities(report.findings.iter().map(|f| f.severity));
        prop_assert_eq!(report.verdict, expected);
        prop_assert!(report.findings.iter().all(|f| f.severity != Severity::Block) || report.verdict == Verdict::Block);
        prop_assert_eq!(report.input.bytes, input.len());
        prop_assert_eq!(report.input.chars, input.chars().count());
    }

    #[test]
    fn normalized_offsets_map_back_to_whole_input_chars(input in text()) {
        let norm = Normalized::new(&input, NormalizeOptions::ALL);
        let out = norm.as_str();
        let bounds: Vec<usize> = out.char_indices().map(|(i, _)| i).chain([out.len()]).collect();
        for w in bounds.windows(2) {
            let span = norm.original_span(&input, w[0]..w[1]);
            prop_assert!(input.is_char_boundary(span.start) && input.is_char_boundary(span.end));
            prop_assert!(span.start < span.end);
            // The char it came from folds to something containing this char.
            let folded = xianshen::normalize_str(&input[span], NormalizeOptions::ALL);
            prop_assert!(folded.contains(&out[w[0]..w[1]]));
        }
        prop_assert_eq!(xianshen::normalize_str(&input, NormalizeOptions::ALL), out);
    }
}
