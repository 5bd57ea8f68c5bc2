//! The invariants behind xianshen's fuzz targets, one function per target.
//!
//! Each function takes the raw fuzzer input, decodes it, runs the code under
//! test and panics when an invariant does not hold. The fuzz targets in
//! `fuzz/fuzz_targets/` are one-line wrappers around these, and the replay
//! test (`tests/replay.rs`) feeds every committed seed and regression input
//! through them on a stable toolchain, without libFuzzer.
//!
//! | target | input | invariants |
//! |---|---|---|
//! | [`normalize`] | options byte + text | the offset map is exact: every normalized char maps to exactly one input char, in order; spans of ranges are the hull of their chars; `Normalized` agrees with `normalize_str` |
//! | [`screen`] | a small arbitrary policy + metadata + text | no panic; `input[start..end] == text`; spans on char boundaries; char, line and column offsets right; sorted by (start, rule); at most `max_findings`; deterministic; verdict and approval consistent with the findings |
//! | [`policy`] | arbitrary TOML | an error (with a sane location) or a policy whose canonical form reloads to the same fingerprint and whose screener screens |
//! | [`extract`] | HTML or Markdown built of markup pieces | the offset map is monotone and on char boundaries; exact links slice the source; the report against the source holds [`check_report`] and is deterministic |
//! | [`chunked`] | a text repeated to 40 KB, repost flag | screening in the smallest windows gives the whole-text findings, verdict, approval and input facts |
//! | [`c_abi`] | flags, title, source, text bytes (invalid UTF-8 too) | `xs_screen` returns a status, never crashes; `XS_ERR_INVALID_UTF8` with the right offset for bad text; otherwise the same findings as the Rust API, valid JSON, a redaction |

#![deny(missing_docs)]

use arbitrary::{Arbitrary, Unstructured};
use std::ffi::c_char;
use std::path::Path;
use std::ptr;
use std::sync::OnceLock;
use xianshen::{
    normalize_str, Approval, Draft, NormalizeOptions, Normalized, Policy, Report, Screener, Verdict,
};
use xianshen_c as c;

/// Characters that reach every path of the normalizer and the matcher:
/// noise of each kind, compatibility forms that expand, case folds that
/// change length, full width, traditional forms, combining marks, emoji
/// sequences, digits and Chinese numerals, controls and line breaks.
pub const ALPHABET: &[char] = &[
    '出', '售', '冰', '毒', '大', '麻', '烦', '賣', '們', '號', 'a', 'v', 'A', 'Ｖ', 'h', 'e', '6',
    '9', '六', '九', '〇', ' ', '，', '。', '.', '*', '★', '☆', '\u{200B}', '\u{202E}', '\u{FE0F}',
    '\u{0301}', '😀', '👨', '\u{200D}', '𝕗', '①', '⑴', '\n', '\r', '\t', '“', '”', '@', '1', '3',
    '8', 'İ', 'ẞ', 'ß', 'ﬃ', '㍿', '½', '⽊', '豈', 'Ω', 'Å', '\u{3000}', '\0', '\u{FFFD}',
    '\u{1F}', 'ｈ', 'Ｈ', '机', '密', '秘', '年', '微', '信', '来', '源', '：',
];

// ---------------------------------------------------------------------------
// normalize

/// Fuzz target `normalize`: the first byte picks the options (one bit per
/// fold), the rest is the text (invalid UTF-8 replaced by U+FFFD).
///
/// # Panics
///
/// When the offset map is not exact.
pub fn normalize(data: &[u8]) {
    let (opts, text) = match data.split_first() {
        Some((&bits, rest)) => (options(bits), String::from_utf8_lossy(rest).into_owned()),
        None => (NormalizeOptions::ALL, String::new()),
    };
    check_normalized(&text, opts);
}

fn options(bits: u8) -> NormalizeOptions {
    NormalizeOptions {
        case: bits & 1 == 0,
        width: bits & 2 == 0,
        compat: bits & 4 == 0,
        traditional: bits & 8 == 0,
        noise: bits & 16 == 0,
    }
}

/// Checks the offset map of `Normalized::new(input, opts)`.
///
/// # Panics
///
/// When an invariant does not hold.
pub fn check_normalized(input: &str, opts: NormalizeOptions) {
    let norm = Normalized::new(input, opts);
    let out = norm.as_str();
    assert_eq!(
        out,
        normalize_str(input, opts),
        "Normalized and normalize_str disagree on {input:?} ({opts:?})"
    );
    // Each normalized char maps to exactly one whole input char, and that
    // char folds to something that holds it; origins never go backwards.
    let bounds: Vec<usize> = out
        .char_indices()
        .map(|(i, _)| i)
        .chain([out.len()])
        .collect();
    let mut spans = Vec::with_capacity(bounds.len());
    let mut last_start = 0;
    for w in bounds.windows(2) {
        let span = norm.original_span(input, w[0]..w[1]);
        assert!(
            span.start < span.end && span.end <= input.len(),
            "empty or out-of-range span {span:?} for normalized {:?} of {input:?}",
            &out[w[0]..w[1]]
        );
        assert!(
            input.is_char_boundary(span.start) && input.is_char_boundary(span.end),
            "span {span:?} not on char boundaries of {input:?}"
        );
        let source = &input[span.start..span.end];
        assert_eq!(
            source.chars().count(),
            1,
            "normalized {:?} maps to {source:?}, not one input char, in {input:?} ({opts:?})",
            &out[w[0]..w[1]]
        );
        assert!(
            normalize_str(source, opts).contains(&out[w[0]..w[1]]),
            "normalized {:?} maps to {source:?}, which does not fold to it, in {input:?} ({opts:?})",
            &out[w[0]..w[1]]
        );
        assert!(
            span.start >= last_start,
            "origins go backwards in {input:?}"
        );
        last_start = span.start;
        spans.push(span);
    }
    // A range maps to the hull of its chars: from its first char's start to
    // its last char's end. Checked for every range starting at a few places
    // (all ranges would be quadratic).
    let n = spans.len();
    let starts = [0, n / 3, n / 2, n.saturating_sub(2)];
    for &i in starts.iter().filter(|&&i| i < n) {
        for j in (i + 1..=n).step_by(1 + n / 64) {
            let span = norm.original_span(input, bounds[i]..bounds[j]);
            assert_eq!(
                (span.start, span.end),
                (spans[i].start, spans[j - 1].end),
                "range {}..{} of {out:?} maps wrongly in {input:?}",
                bounds[i],
                bounds[j]
            );
        }
    }
}

// ---------------------------------------------------------------------------
// screen

/// A term: from the alphabet (likely to match) or anything.
#[derive(Arbitrary, Debug)]
enum TermSpec {
    Alphabet(Vec<u8>),
    Free(String),
}

impl TermSpec {
    fn text(&self) -> String {
        match self {
            TermSpec::Alphabet(ix) => ix
                .iter()
                .take(6)
                .map(|&i| ALPHABET[i as usize % ALPHABET.len()])
                .collect(),
            TermSpec::Free(s) => s.chars().take(8).collect(),
        }
    }
}

#[derive(Arbitrary, Debug)]
struct GroupSpec {
    severity: u8,
    approval: u8,
    word: bool,
    folds: u8,
    terms: Vec<TermSpec>,
}

#[derive(Arbitrary, Debug)]
struct NearSpec {
    a: TermSpec,
    b: TermSpec,
    within: u8,
}

/// A piece of the screened text.
#[derive(Arbitrary, Debug)]
enum Piece {
    /// One alphabet char.
    Char(u8),
    /// Any text.
    Free(String),
    /// Policy term `term`, with alphabet char `noise` between its chars
    /// when `spread`.
    Term { term: u8, noise: u8, spread: bool },
}

#[derive(Arbitrary, Debug)]
struct ScreenSpec {
    groups: Vec<GroupSpec>,
    allow: Vec<TermSpec>,
    near: Option<NearSpec>,
    max_findings: Option<u8>,
    disable: Vec<u8>,
    title: Option<String>,
    repost: Option<bool>,
    source: Option<String>,
    text: Vec<Piece>,
}

const SEVERITIES: [&str; 3] = ["info", "review", "block"];
const APPROVALS: [Option<&str>; 4] = [None, Some("reviewer"), Some("head"), Some("leadership")];

/// Whether a policy accepts `term` (not blank, no control chars, something
/// left after normalization); others are dropped so the policy loads.
fn usable(term: &str, opts: NormalizeOptions) -> bool {
    !term.trim().is_empty()
        && !term.chars().any(char::is_control)
        && !normalize_str(term, opts).is_empty()
        && !normalize_str(term, NormalizeOptions::ALL).is_empty()
}

fn str_array<'a>(items: impl IntoIterator<Item = &'a String>) -> toml::Value {
    toml::Value::Array(
        items
            .into_iter()
            .cloned()
            .map(toml::Value::String)
            .collect(),
    )
}

/// The `[[lexicon]]` table of group `i`.
fn lexicon_table(
    i: usize,
    g: &GroupSpec,
    opts: NormalizeOptions,
    terms: &[String],
) -> toml::map::Map<String, toml::Value> {
    use toml::{map::Map, Value};
    let mut t = Map::new();
    t.insert("tag".into(), Value::String(format!("g{i}")));
    t.insert(
        "severity".into(),
        Value::String(SEVERITIES[g.severity as usize % 3].into()),
    );
    if let Some(a) = APPROVALS[g.approval as usize % 4] {
        t.insert("approval".into(), Value::String(a.into()));
    }
    t.insert(
        "boundary".into(),
        Value::String(if g.word { "word" } else { "any" }.into()),
    );
    let mut n = Map::new();
    n.insert("case".into(), Value::Boolean(opts.case));
    n.insert("width".into(), Value::Boolean(opts.width));
    n.insert("compat".into(), Value::Boolean(opts.compat));
    n.insert("traditional".into(), Value::Boolean(opts.traditional));
    n.insert("noise".into(), Value::Boolean(opts.noise));
    t.insert("normalize".into(), Value::Table(n));
    t.insert("terms".into(), str_array(terms));
    t
}

/// The policy TOML a spec describes, and every term in it.
fn policy_toml(spec: &ScreenSpec) -> (String, Vec<String>) {
    use toml::{map::Map, Value};
    let mut root = Map::new();
    let mut meta = Map::new();
    meta.insert("name".into(), Value::String("fuzz".into()));
    root.insert("meta".into(), Value::Table(meta));
    let mut all_terms = Vec::new();
    let mut lexicons = Vec::new();
    for (i, g) in spec.groups.iter().take(4).enumerate() {
        let opts = options(g.folds);
        let terms: Vec<String> = g
            .terms
            .iter()
            .take(8)
            .map(TermSpec::text)
            .filter(|t| usable(t, opts))
            .collect();
        if terms.is_empty() {
            continue;
        }
        let t = lexicon_table(i, g, opts, &terms);
        all_terms.extend(terms);
        lexicons.push(Value::Table(t));
    }
    root.insert("lexicon".into(), Value::Array(lexicons));
    let allow: Vec<String> = spec
        .allow
        .iter()
        .take(4)
        .map(TermSpec::text)
        .filter(|t| usable(t, NormalizeOptions::ALL))
        .collect();
    let mut a = Map::new();
    a.insert("terms".into(), str_array(&allow));
    root.insert("allow".into(), Value::Table(a));
    if let Some(near) = &spec.near {
        let (x, y) = (near.a.text(), near.b.text());
        if usable(&x, NormalizeOptions::ALL) && usable(&y, NormalizeOptions::ALL) {
            let mut t = Map::new();
            t.insert("tag".into(), Value::String("n".into()));
            t.insert("severity".into(), Value::String("review".into()));
            t.insert("terms".into(), str_array([&x, &y]));
            t.insert("within".into(), Value::Integer(1 + i64::from(near.within)));
            root.insert("near".into(), Value::Array(vec![Value::Table(t)]));
            all_terms.extend([x, y]);
        }
    }
    let mut rules = Map::new();
    for &d in spec.disable.iter().take(4) {
        let id = xianshen::rules::RULES[d as usize % xianshen::rules::RULES.len()].id;
        let mut r = Map::new();
        r.insert("enabled".into(), Value::Boolean(false));
        rules.insert(id.into(), Value::Table(r));
    }
    root.insert("rules".into(), Value::Table(rules));
    if let Some(m) = spec.max_findings {
        let mut l = Map::new();
        l.insert("max_findings".into(), Value::Integer(i64::from(m)));
        root.insert("limits".into(), Value::Table(l));
    }
    (
        toml::to_string(&Value::Table(root)).expect("a TOML value serializes"),
        all_terms,
    )
}

fn text_of(spec: &ScreenSpec, terms: &[String]) -> String {
    let mut text = String::new();
    for piece in spec.text.iter().take(64) {
        match piece {
            Piece::Char(i) => text.push(ALPHABET[*i as usize % ALPHABET.len()]),
            Piece::Free(s) => text.push_str(s),
            Piece::Term {
                term,
                noise,
                spread,
            } => {
                if terms.is_empty() {
                    continue;
                }
                let t = &terms[*term as usize % terms.len()];
                let sep = ALPHABET[*noise as usize % ALPHABET.len()];
                for (k, ch) in t.chars().enumerate() {
                    if *spread && k > 0 {
                        text.push(sep);
                    }
                    text.push(ch);
                }
            }
        }
    }
    text
}

/// Fuzz target `screen`: an arbitrary small policy (lexicon groups with
/// any folds and boundaries, allow phrases, a `near` entry, disabled
/// rules, `max_findings`), arbitrary metadata and an arbitrary text built
/// from alphabet chars, free text and spread-out policy terms.
///
/// # Panics
///
/// When a report breaks an invariant (see [`check_report`]).
pub fn screen(data: &[u8]) {
    let Ok(spec) = ScreenSpec::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    let (toml, terms) = policy_toml(&spec);
    let max = spec
        .max_findings
        .map_or(xianshen::DEFAULT_MAX_FINDINGS, usize::from);
    let screener = cached_screener(&toml);
    let text = text_of(&spec, &terms);
    let mut draft = Draft::new(&text);
    draft.title = spec.title.as_deref();
    draft.repost = spec.repost;
    draft.source = spec.source.as_deref();
    let report = screener.screen(&draft);
    check_report(&text, &report, max);
    assert_eq!(screener.screen(&draft), report, "not deterministic");
    // The bytes API gives the same report.
    let again = screener
        .screen_utf8(text.as_bytes(), draft)
        .expect("valid UTF-8");
    assert_eq!(again, report, "screen_utf8 differs from screen");
}

/// The screener for a generated policy. Compiling one costs far more than
/// screening a short text, and most mutations change only the text, so
/// recent screeners are kept (a few dozen, by policy text).
fn cached_screener(toml: &str) -> Screener {
    use std::collections::HashMap;
    use std::sync::Mutex;
    static CACHE: Mutex<Option<HashMap<String, Screener>>> = Mutex::new(None);
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    let map = cache.get_or_insert_with(HashMap::new);
    if let Some(s) = map.get(toml) {
        return s.clone();
    }
    let policy = Policy::from_toml(toml)
        .unwrap_or_else(|e| panic!("generated policy does not load: {e}\n{toml}"));
    let screener = Screener::from_policy(policy).expect("generated policy compiles");
    if map.len() >= 64 {
        map.clear();
    }
    map.insert(toml.to_string(), screener.clone());
    screener
}

/// A finding's char and UTF-16 offsets, line and column, counted the slow
/// way.
fn check_positions(input: &str, f: &xianshen::Finding) {
    assert_eq!(input[..f.start].chars().count(), f.char_start, "{f:?}");
    assert_eq!(input[..f.end].chars().count(), f.char_end, "{f:?}");
    assert_eq!(
        input[..f.start].encode_utf16().count(),
        f.utf16_start,
        "{f:?}"
    );
    assert_eq!(input[..f.end].encode_utf16().count(), f.utf16_end, "{f:?}");
    assert_eq!(input[..f.start].matches('\n').count() + 1, f.line, "{f:?}");
    let line_start = input[..f.start].rfind('\n').map_or(0, |i| i + 1);
    assert_eq!(
        input[line_start..f.start].chars().count() + 1,
        f.column,
        "{f:?}"
    );
}

/// Checks one report against its input.
///
/// # Panics
///
/// When a finding does not slice the input exactly, is off a char boundary,
/// has wrong char, line or column offsets, is out of (start, rule) order,
/// when there are more than `max_findings` findings, or when the verdict or
/// approval does not follow from the findings.
pub fn check_report(input: &str, report: &Report, max_findings: usize) {
    assert_eq!(report.input.bytes, input.len());
    assert_eq!(report.input.chars, input.chars().count());
    assert!(report.findings.len() <= max_findings, "over max_findings");
    if report.truncated {
        assert_eq!(
            report.findings.len(),
            max_findings,
            "truncated below the limit"
        );
    }
    let mut last: Option<(usize, &str)> = None;
    for f in &report.findings {
        assert!(f.start <= f.end && f.end <= input.len(), "bad span {f:?}");
        assert!(
            input.is_char_boundary(f.start) && input.is_char_boundary(f.end),
            "span off char boundaries: {f:?} in {input:?}"
        );
        assert_eq!(
            &input[f.start..f.end],
            f.text,
            "text is not input[start..end]"
        );
        assert!(
            f.start < f.end || f.rule.starts_with("attribution."),
            "empty span: {f:?}"
        );
        check_positions(input, f);
        assert!(
            f.category == f.rule.split('.').next().unwrap_or_default(),
            "{f:?}"
        );
        let key = (f.start, f.rule.as_str());
        if let Some(prev) = last {
            assert!(prev <= key, "findings out of order: {prev:?} then {key:?}");
        }
        last = Some(key);
    }
    // Within one rule, findings do not overlap.
    let mut by_rule: Vec<(&str, usize, usize)> = report
        .findings
        .iter()
        .map(|f| (f.rule.as_str(), f.start, f.end))
        .collect();
    by_rule.sort_unstable();
    for w in by_rule.windows(2) {
        if w[0].0 == w[1].0 && w[0].1 < w[0].2 && w[1].1 < w[1].2 {
            assert!(w[0].2 <= w[1].1, "{} findings overlap", w[0].0);
        }
    }
    let verdict = Verdict::from_severities(report.findings.iter().map(|f| f.severity));
    let approval = Approval::required(report.findings.iter().map(|f| f.approval));
    assert!(report.approval >= Approval::Reviewer);
    if report.truncated {
        // The verdict and approval account for the findings cut off too.
        assert!(report.verdict >= verdict && report.approval >= approval);
    } else {
        assert_eq!(
            report.verdict, verdict,
            "verdict does not follow the findings"
        );
        assert_eq!(
            report.approval, approval,
            "approval does not follow the findings"
        );
    }
}

// ---------------------------------------------------------------------------
// extract

/// Pieces an HTML or Markdown draft is built of: markup that hides or
/// splits text, entities, links (some of them ads), and text with terms of
/// the default policy.
const MARKUP: &[&str] = &[
    "<p>",
    "</p>",
    "<b>",
    "</b>",
    "<br>",
    "<div class=\"x\">",
    "</div>",
    "<script>出售冰毒</script>",
    "<style>p{}</style>",
    "<!-- 出售冰毒 -->",
    "&amp;",
    "&#20986;",
    "&#x552E;",
    "&nbsp;",
    "&bogus;",
    "<a href=\"http://shop.example.com/buy\">",
    "<a href='https://t.cn/abc'>",
    "</a>",
    "<img src=\"http://a.cn/x.png\" alt=\"冰毒\">",
    "[链接](http://shop.example.com/a)",
    "![图](http://a.cn/b.png)",
    "**",
    "*",
    "`",
    "```\n",
    "# ",
    "> ",
    "- ",
    "1. ",
    "\n",
    "\r\n",
    "出售",
    "冰毒",
    "出售冰毒",
    "加微信",
    "13812345678",
    "来源：新华社",
    "转载",
    "本店",
    "<",
    ">",
    "&",
    "]",
    "(",
    ")",
    "\"",
    "'",
    "😀",
    "𠮷",
];

/// Fuzz target `extract`: the first byte picks HTML or Markdown, the rest
/// picks markup pieces; the draft is extracted and screened against its
/// source.
///
/// # Panics
///
/// When the offset map is not monotone or off char boundaries, or when the
/// report against the source breaks [`check_report`] (`source[start..end]
/// == text`, positions, order, verdict) or differs between runs.
pub fn extract(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let source: String = rest
        .iter()
        .take(256)
        .map(|&b| MARKUP[b as usize % MARKUP.len()])
        .collect();
    let extracted = if mode & 1 == 0 {
        match xianshen_input::extract_html(&source, 0) {
            Ok(x) => x,
            Err(_) => return, // nesting too deep: an error, not a panic
        }
    } else {
        xianshen_input::extract_markdown(&source)
    };
    let text = &extracted.text;
    let mut last = 0;
    for (at, _) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        let r = extracted.map.map(at..at);
        assert!(
            r.start <= source.len() && source.is_char_boundary(r.start),
            "map off the source at {at}"
        );
        assert!(r.start >= last, "offset map goes back at {at}");
        last = r.start;
    }
    for link in &extracted.links {
        assert!(
            source.get(link.span.clone()).is_some(),
            "link span off the source: {link:?}"
        );
        if link.exact {
            assert_eq!(&source[link.span.clone()], link.url);
        }
    }
    let screener = default_screener();
    let meta = xianshen::DraftMeta::default();
    let report = xianshen_input::screen_extracted(screener, &source, &extracted, &meta);
    check_report(&source, &report, xianshen::DEFAULT_MAX_FINDINGS);
    let again = xianshen_input::screen_extracted(screener, &source, &extracted, &meta);
    assert_eq!(again, report, "not deterministic");
}

fn default_screener() -> &'static Screener {
    static SCREENER: OnceLock<Screener> = OnceLock::new();
    SCREENER.get_or_init(Screener::new)
}

// ---------------------------------------------------------------------------
// chunked

/// Fuzz target `chunked`: a text built like [`screen`]'s (from the
/// alphabet, free text and markup pieces), repeated to about 40 KB with
/// line breaks between the copies, screened whole and in the smallest
/// windows the edge rules allow; the first byte says whether the draft is
/// declared a repost.
///
/// # Panics
///
/// When the windowed report differs from the whole one in any finding,
/// the verdict, the approval or the input facts.
pub fn chunked(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let unit: String = rest
        .iter()
        .take(128)
        .map(|&b| match b % 3 {
            0 => ALPHABET[(b as usize / 3) % ALPHABET.len()].to_string(),
            1 => MARKUP[(b as usize / 3) % MARKUP.len()].to_string(),
            _ => "学校召开工作会议，部署下一阶段重点任务。".to_string(),
        })
        .collect();
    if unit.is_empty() {
        return;
    }
    let mut text = String::new();
    let mut i = 0;
    while text.len() < 40_000 {
        text.push_str(&unit);
        text.push(if i % 3 == 0 { '\n' } else { '。' });
        i += 1;
    }
    let meta = xianshen::DraftMeta {
        repost: match flags % 3 {
            0 => None,
            1 => Some(true),
            _ => Some(false),
        },
        date: Some("2026-12-07".parse().expect("a date")),
        ..Default::default()
    };
    let screener = default_screener();
    let whole = screener.screen(&meta.draft(&text));
    let mut reader = xianshen_input::DecodingReader::new(
        text.as_bytes(),
        xianshen_input::EncodingChoice::Utf8,
        false,
    )
    .expect("UTF-8 reader");
    let opts = xianshen_input::ChunkOptions {
        chunk_bytes: 1,
        overlap_bytes: 0, // raised to what the edge rules need
    };
    let parts = xianshen_input::screen_stream(screener, &mut reader, &meta, opts).expect("reads");
    assert_eq!(
        whole.findings, parts.findings,
        "windows differ from the whole text"
    );
    assert_eq!(
        (whole.verdict, whole.approval),
        (parts.verdict, parts.approval)
    );
    assert_eq!(whole.input, parts.input);
}

// ---------------------------------------------------------------------------
// policy

/// The folder arbitrary policies are loaded in: it holds a list file
/// (`lists/a.txt`), a policy that extends itself (`self.toml`), two that
/// extend each other (`loop_a.toml`, `loop_b.toml`) and a valid base
/// (`base.toml`), so the fuzzer can reach list files and `extends`.
pub fn fixtures() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"))
}

/// Fuzz target `policy`: the input as policy TOML (not UTF-8: ignored).
///
/// # Panics
///
/// On a panic in the loader, a location of line or column 0, a canonical
/// form that does not reload to the same fingerprint, or a screener that
/// breaks [`check_report`] on a sample text.
pub fn policy(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // Device and proc files as list files or bases would make the loader
    // read forever; that is a policy author's doing, not a fuzzing target.
    if ["/dev", "/proc", "/sys"].iter().any(|d| text.contains(d)) {
        return;
    }
    let policy = match Policy::from_toml_in(text, Some(fixtures())) {
        Ok(p) => p,
        Err(e) => {
            assert!(!e.to_string().is_empty());
            if let Some(loc) = e.location() {
                assert!(loc.line >= 1 && loc.column >= 1, "bad location {loc:?}");
            }
            return;
        }
    };
    let canonical = policy.to_toml();
    let again = Policy::from_toml(&canonical)
        .unwrap_or_else(|e| panic!("canonical form does not reload: {e}\n{canonical}"));
    assert_eq!(
        again.fingerprint(),
        policy.fingerprint(),
        "canonical form reloads to another policy"
    );
    let max = max_findings_of(&canonical);
    let Ok(screener) = Screener::from_policy(policy) else {
        return;
    };
    let sample = "本店出售冰毒，量大从优。加微信abc123。机密★10年 13812345678 我认为\n转载自某网";
    check_report(sample, &screener.screen_text(sample), max);
}

/// `[limits] max_findings` of a canonical policy text, or the default.
fn max_findings_of(canonical: &str) -> usize {
    let value: toml::Table = toml::from_str(canonical).expect("canonical form is TOML");
    value
        .get("limits")
        .and_then(|l| l.get("max_findings"))
        .and_then(toml::Value::as_integer)
        .map_or(xianshen::DEFAULT_MAX_FINDINGS, |m| m as usize)
}

// ---------------------------------------------------------------------------
// c_abi

struct Shared(*mut c::xs_screener);
// SAFETY: xs_screener is documented as usable from any thread.
unsafe impl Send for Shared {}
// SAFETY: as above.
unsafe impl Sync for Shared {}

fn c_screener() -> *const c::xs_screener {
    static S: OnceLock<Shared> = OnceLock::new();
    S.get_or_init(|| {
        let mut s = ptr::null_mut();
        // SAFETY: valid out-pointer; NULL error is allowed.
        let status = unsafe { c::xs_screener_new_default(&mut s, ptr::null_mut()) };
        assert_eq!(status, c::xs_status::XS_OK);
        Shared(s)
    })
    .0
}

/// Splits off a length-prefixed field.
fn field<'a>(data: &mut &'a [u8]) -> &'a [u8] {
    let Some((&len, rest)) = data.split_first() else {
        return &[];
    };
    let len = (len as usize).min(rest.len());
    let (f, rest) = rest.split_at(len);
    *data = rest;
    f
}

fn c_str(s: c::xs_str) -> &'static [u8] {
    if s.ptr.is_null() {
        assert_eq!(s.len, 0);
        return &[];
    }
    // SAFETY: the library hands out `len` readable bytes; the caller uses
    // them before freeing their report.
    unsafe { std::slice::from_raw_parts(s.ptr.cast::<u8>(), s.len) }
}

fn opt_xs(b: Option<&[u8]>) -> c::xs_str {
    match b {
        None => c::xs_str {
            ptr: ptr::null(),
            len: 0,
        },
        Some(b) => c::xs_str {
            ptr: b.as_ptr().cast::<c_char>(),
            len: b.len(),
        },
    }
}

/// Fuzz target `c_abi`: byte 0 holds flags (bits 0–1: the `repost` value,
/// 3 being invalid; bit 2: a title follows; bit 3: a source follows; bit 4:
/// repost is a large invalid value), then the title and source as
/// length-prefixed bytes, then the text: all may be invalid UTF-8. Screened
/// with the embedded default policy through `xs_screen`.
///
/// # Panics
///
/// When the status is not what the input calls for (`XS_ERR_INVALID_UTF8`
/// with the offset of the first bad byte, `XS_ERR_INVALID_ARGUMENT` for a
/// bad repost value), or when a report differs from the Rust API's, its
/// JSON does not parse, or its redaction fails.
pub fn c_abi(data: &[u8]) {
    c_abi_utf16(data);
    let Some((&flags, mut rest)) = data.split_first() else {
        return c_abi_text(&[], None, None, 0, 0);
    };
    let title = (flags & 4 != 0).then(|| field(&mut rest));
    let source = (flags & 8 != 0).then(|| field(&mut rest));
    let repost = if flags & 16 != 0 {
        0x8000_0000 | u32::from(flags)
    } else {
        u32::from(flags & 3)
    };
    // Bits 5–7: the draft kind, 5 to 7 being no kind.
    let kind = u32::from(flags >> 5);
    c_abi_text(rest, title, source, repost, kind);
}

/// `data` read as UTF-16 code units (byte pairs, little-endian; an odd
/// last byte dropped) through `xs_screen_json_utf16`: well-formed, the
/// report JSON `xs_screen_json` gives for its UTF-8; a lone surrogate,
/// `XS_ERR_INVALID_UTF8` with the unit's byte offset.
fn c_abi_utf16(data: &[u8]) {
    let units: Vec<u16> = data
        .chunks_exact(2)
        .map(|p| u16::from_le_bytes([p[0], p[1]]))
        .collect();
    // A fixed date: both calls must decide on the same day.
    let options = c"{\"date\":\"2026-01-01\"}";
    let (status, json) = c_json(|out| unsafe {
        // SAFETY: `units.len()` units; a NUL-terminated options string.
        c::xs_screen_json_utf16(
            c_screener(),
            units.as_ptr(),
            units.len() as u64,
            options.as_ptr(),
            out,
        )
    });
    match String::from_utf16(&units) {
        Ok(text) => {
            let (want_status, want) = c_json(|out| unsafe {
                // SAFETY: `text.len()` bytes; a NUL-terminated options string.
                c::xs_screen_json(
                    c_screener(),
                    text.as_ptr().cast::<c_char>(),
                    text.len() as u64,
                    options.as_ptr(),
                    out,
                )
            });
            assert_eq!(
                (status, &json),
                (want_status, &want),
                "UTF-16 report differs"
            );
        }
        Err(_) => {
            let lone = char::decode_utf16(units.iter().copied())
                .scan(0usize, |at, c| {
                    let here = *at;
                    *at += c.as_ref().map_or(1, |c| c.len_utf16());
                    Some((here, c.is_err()))
                })
                .find(|&(_, bad)| bad)
                .map(|(at, _)| at)
                .expect("from_utf16 failed, so a unit is lone");
            assert_eq!(status, c::xs_status::XS_ERR_INVALID_UTF8 as i32, "{json}");
            let error: serde_json::Value = serde_json::from_str(&json).expect("error JSON parses");
            assert_eq!(error["error"]["byte_offset"], 2 * lone, "{json}");
        }
    }
}

/// The status of a JSON-surface call and the string it handed out.
fn c_json(call: impl FnOnce(*mut *mut c_char) -> i32) -> (i32, String) {
    let mut out: *mut c_char = ptr::null_mut();
    let status = call(&mut out);
    assert!(!out.is_null(), "no JSON handed out");
    // SAFETY: a NUL-terminated string the library handed out, freed once.
    let json = unsafe { std::ffi::CStr::from_ptr(out) }
        .to_str()
        .expect("the library hands out UTF-8")
        .to_owned();
    unsafe { c::xs_string_free(out) };
    (status, json)
}

fn c_abi_text(text: &[u8], title: Option<&[u8]>, source: Option<&[u8]>, repost: u32, kind: u32) {
    let opts = c::xs_screen_options {
        title: opt_xs(title),
        source: opt_xs(source),
        repost,
        kind,
    };
    let mut report = ptr::null_mut();
    let mut error = ptr::null_mut();
    // An empty text may come as NULL (allowed when the length is 0).
    let text_ptr = if text.is_empty() {
        ptr::null()
    } else {
        text.as_ptr().cast::<c_char>()
    };
    // SAFETY: valid pointers and lengths; valid out-pointers.
    let status = unsafe {
        c::xs_screen(
            c_screener(),
            text_ptr,
            text.len(),
            &opts,
            &mut report,
            &mut error,
        )
    };
    let title_s = title.map(std::str::from_utf8);
    let source_s = source.map(std::str::from_utf8);
    let text_s = std::str::from_utf8(text);
    let bad_meta = matches!(title_s, Some(Err(_))) || matches!(source_s, Some(Err(_)));
    let bad_repost = repost > 2 || kind > 4;
    if bad_meta || bad_repost || text_s.is_err() {
        let expected = if bad_repost && !bad_meta {
            c::xs_status::XS_ERR_INVALID_ARGUMENT
        } else {
            c::xs_status::XS_ERR_INVALID_UTF8
        };
        let bad_byte = (!bad_meta && !bad_repost)
            .then(|| text_s.as_ref().err().map(|e| e.valid_up_to()))
            .flatten();
        check_c_error(status, report, error, expected, bad_byte);
        return;
    }
    assert_eq!(
        status,
        c::xs_status::XS_OK,
        "xs_screen failed on good input"
    );
    assert!(error.is_null() && !report.is_null());
    let text = text_s.expect("checked");
    let draft = Draft {
        text,
        title: title_s.map(|t| t.expect("checked")),
        source: source_s.map(|s| s.expect("checked")),
        repost: match repost {
            1 => Some(true),
            2 => Some(false),
            _ => None,
        },
        kind: xianshen::Kind::ALL[kind as usize],
        date: None,
    };
    let expected = Screener::new().screen(&draft);
    check_report(text, &expected, xianshen::DEFAULT_MAX_FINDINGS);
    check_c_report(report, text, &expected);
}

/// A failed `xs_screen`: no report, an error object with status
/// `expected`, the offset of the first bad byte of the text when
/// `bad_byte` says one, and a message.
fn check_c_error(
    status: c::xs_status,
    report: *mut c::xs_report,
    error: *mut c::xs_error,
    expected: c::xs_status,
    bad_byte: Option<usize>,
) {
    assert!(report.is_null(), "a report for bad input");
    assert!(!error.is_null(), "no error object");
    // SAFETY: a live error.
    assert_eq!(unsafe { c::xs_error_status(error) }, status);
    assert_eq!(status, expected);
    if let Some(valid) = bad_byte {
        let mut offset = usize::MAX;
        // SAFETY: a live error, a valid out-pointer.
        assert!(unsafe { c::xs_error_byte_offset(error, &mut offset) });
        assert_eq!(offset, valid, "wrong offset of the first bad byte");
    }
    // SAFETY: a live error, and a message borrowed from it.
    let msg = c_str(unsafe { c::xs_error_message(error) });
    assert!(std::str::from_utf8(msg).is_ok_and(|m| !m.is_empty()));
    // SAFETY: freed once.
    unsafe { c::xs_error_free(error) };
}

/// A C report (which this frees) equals the library's `expected` report
/// of `text`: findings through the struct accessors, the JSON, and a
/// redaction that is UTF-8.
fn check_c_report(report: *mut c::xs_report, text: &str, expected: &Report) {
    // SAFETY: `report` is live until the xs_report_free below; every
    // borrowed string is used before that.
    unsafe {
        assert_eq!(c::xs_report_finding_count(report), expected.findings.len());
        assert_eq!(c::xs_report_truncated(report), expected.truncated);
        assert_eq!(
            c::xs_report_verdict(report) as u32,
            expected.verdict as u32,
            "verdict differs"
        );
        for (i, f) in expected.findings.iter().enumerate() {
            let mut x = std::mem::MaybeUninit::<c::xs_finding>::uninit();
            assert_eq!(
                c::xs_report_finding(report, i, x.as_mut_ptr()),
                c::xs_status::XS_OK
            );
            let x = x.assume_init();
            assert_eq!((x.start, x.end), (f.start, f.end));
            assert_eq!((x.char_start, x.char_end), (f.char_start, f.char_end));
            assert_eq!((x.utf16_start, x.utf16_end), (f.utf16_start, f.utf16_end));
            assert_eq!((x.line, x.column), (f.line, f.column));
            assert_eq!(c_str(x.text), &text.as_bytes()[f.start..f.end]);
            assert_eq!(c_str(x.rule), f.rule.as_bytes());
            assert_eq!(c_str(x.term), f.term.as_deref().unwrap_or("").as_bytes());
        }
        let mut x = std::mem::MaybeUninit::<c::xs_finding>::uninit();
        assert_eq!(
            c::xs_report_finding(report, expected.findings.len(), x.as_mut_ptr()),
            c::xs_status::XS_ERR_OUT_OF_RANGE
        );
        let mut json = c::xs_str {
            ptr: ptr::null(),
            len: 0,
        };
        assert_eq!(c::xs_report_json(report, &mut json), c::xs_status::XS_OK);
        let json = c_str(json);
        let mut parsed: Report = serde_json::from_slice(json).expect("report JSON parses");
        // The sha256 and engine fields are the same; compare the whole.
        parsed.engine = expected.engine.clone();
        assert_eq!(&parsed, expected, "JSON report differs");
        let mut out: *mut c_char = ptr::null_mut();
        let mut out_len = 0usize;
        let st = c::xs_report_redact(report, ptr::null(), &mut out, &mut out_len, ptr::null_mut());
        assert_eq!(st, c::xs_status::XS_OK);
        let redacted = std::slice::from_raw_parts(out.cast::<u8>(), out_len);
        assert!(
            std::str::from_utf8(redacted).is_ok(),
            "redaction is not UTF-8"
        );
        c::xs_string_free(out);
        c::xs_report_free(report);
    }
}
