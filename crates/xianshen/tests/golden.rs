//! Runs every golden vector in `tests/cases/*.toml` through the library.

use serde::Deserialize;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use xianshen::{redact, Draft, Kind, Mask, Policy, PolicyErrorKind, Screener};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    input: String,
    policy: Option<String>,
    title: Option<String>,
    repost: Option<bool>,
    source: Option<String>,
    /// The draft kind (`article` when absent).
    kind: Option<String>,
    rules: Option<Vec<String>>,
    verdict: Option<String>,
    approval: Option<String>,
    truncated: Option<bool>,
    findings: Option<Vec<Expected>>,
    /// The exact findings in the title (offsets into the title), after the
    /// `rules` filter; compared only when given.
    title_findings: Option<Vec<Expected>>,
    redact: Option<RedactCase>,
    error: Option<ErrorCase>,
}

#[derive(Deserialize, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
struct Expected {
    rule: String,
    start: usize,
    end: usize,
    text: String,
    /// The evasive spelling the finding reports, if any.
    #[serde(default)]
    evasion: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RedactCase {
    mask: Option<char>,
    replace: Option<String>,
    suggest: Option<char>,
    rules: Option<Vec<String>>,
    output: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ErrorCase {
    kind: String,
    line: Option<usize>,
    column: Option<usize>,
    contains: Option<String>,
}

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/cases")
}

fn load_cases() -> Vec<(String, Case)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(cases_dir())
        .expect("tests/cases exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let parsed: CaseFile =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let stem = file.file_stem().unwrap().to_string_lossy().to_string();
        out.extend(parsed.case.into_iter().map(|c| (stem.clone(), c)));
    }
    out
}

fn matches_prefixes(rule: &str, prefixes: &Option<Vec<String>>) -> bool {
    prefixes
        .as_ref()
        .is_none_or(|ps| ps.iter().any(|p| rule.starts_with(p.as_str())))
}

fn check_error(expected: &ErrorCase, e: &xianshen::PolicyError) -> Vec<String> {
    let mut problems = Vec::new();
    let kind = match e.kind() {
        PolicyErrorKind::Syntax => "syntax",
        PolicyErrorKind::Invalid => "invalid",
        PolicyErrorKind::Io => "io",
        _ => "other",
    };
    if kind != expected.kind {
        problems.push(format!(
            "error kind {kind}, expected {} ({e})",
            expected.kind
        ));
    }
    let loc = e.location();
    if let Some(line) = expected.line {
        if loc.map(|l| l.line) != Some(line) {
            problems.push(format!(
                "error line {:?}, expected {line} ({e})",
                loc.map(|l| l.line)
            ));
        }
    }
    if let Some(column) = expected.column {
        if loc.map(|l| l.column) != Some(column) {
            problems.push(format!(
                "error column {:?}, expected {column} ({e})",
                loc.map(|l| l.column)
            ));
        }
    }
    if let Some(needle) = &expected.contains {
        if !e.to_string().contains(needle.as_str()) {
            problems.push(format!(
                "error {:?} does not contain {needle:?}",
                e.to_string()
            ));
        }
    }
    problems
}

/// Runs one case; returns a description of every difference.
fn run_case(case: &Case) -> Vec<String> {
    let policy = match &case.policy {
        None => Ok(Policy::default()),
        Some(text) => Policy::from_toml_in(text, Some(&cases_dir())),
    };
    if let Some(expected) = &case.error {
        return match policy {
            Ok(_) => vec!["expected a policy error, but the policy loaded".into()],
            Err(e) => check_error(expected, &e),
        };
    }
    let policy = match policy {
        Ok(p) => p,
        Err(e) => return vec![format!("policy failed to load: {e}")],
    };
    let mut problems = Vec::new();
    let screener = Screener::from_policy(policy).expect("screener builds");
    let kind = match case.kind.as_deref().map(str::parse::<Kind>) {
        None => Kind::default(),
        Some(Ok(kind)) => kind,
        Some(Err(e)) => return vec![e.to_string()],
    };
    let draft = Draft {
        text: &case.input,
        title: case.title.as_deref(),
        repost: case.repost,
        source: case.source.as_deref(),
        kind,
        date: None,
    };
    let report = screener.screen(&draft);
    let title = case.title.as_deref().unwrap_or("");
    for f in &report.title_findings {
        if title.get(f.start..f.end) != Some(f.text.as_str()) || !utf16_slices(title, f) {
            problems.push(format!(
                "title finding {} {}..{} text {:?} does not slice the title",
                f.rule, f.start, f.end, f.text
            ));
        }
    }
    for f in &report.findings {
        if !utf16_slices(&case.input, f) {
            problems.push(format!(
                "finding {} utf16 {}..{} does not slice the input to {:?}",
                f.rule, f.utf16_start, f.utf16_end, f.text
            ));
        }
        if case.input.get(f.start..f.end) != Some(f.text.as_str()) {
            problems.push(format!(
                "finding {} {}..{} text {:?} does not slice the input",
                f.rule, f.start, f.end, f.text
            ));
        }
    }
    for (what, expected, actual) in [
        ("findings", &case.findings, &report.findings),
        (
            "title findings",
            &case.title_findings,
            &report.title_findings,
        ),
    ] {
        if let Some(expected) = expected {
            problems.extend(compare_findings(what, expected, actual, &case.rules));
        }
    }
    if let Some(v) = &case.verdict {
        if report.verdict.as_str() != v {
            problems.push(format!("verdict {}, expected {v}", report.verdict));
        }
    }
    if let Some(a) = &case.approval {
        if report.approval.as_str() != a {
            problems.push(format!("approval {}, expected {a}", report.approval));
        }
    }
    if let Some(t) = case.truncated {
        if report.truncated != t {
            problems.push(format!("truncated {}, expected {t}", report.truncated));
        }
    }
    if let Some(r) = &case.redact {
        let mask = match (r.mask, &r.replace, r.suggest) {
            (Some(c), None, None) => Mask::Char(c),
            (None, Some(s), None) => Mask::Replace(s.clone()),
            (None, None, Some(c)) => Mask::SuggestionOr(c),
            _ => return vec!["redact needs exactly one of mask, replace, suggest".into()],
        };
        let chosen = report
            .findings
            .iter()
            .filter(|f| matches_prefixes(&f.rule, &r.rules));
        let out = redact(&case.input, chosen, &mask);
        if out != r.output {
            problems.push(format!("redacted {out:?}, expected {:?}", r.output));
        }
    }
    problems
}

/// A problem when the findings (after the `rules` filter) are not exactly
/// `expected`.
fn compare_findings(
    what: &str,
    expected: &[Expected],
    actual: &[xianshen::Finding],
    rules: &Option<Vec<String>>,
) -> Option<String> {
    let actual: Vec<Expected> = actual
        .iter()
        .filter(|f| matches_prefixes(&f.rule, rules))
        .map(|f| Expected {
            rule: f.rule.clone(),
            start: f.start,
            end: f.end,
            text: f.text.clone(),
            evasion: f.evasion.map(|e| e.as_str().to_string()),
        })
        .collect();
    (actual != expected).then(|| {
        format!(
            "{what} differ\n      expected: {}\n      actual:   {}",
            show(expected),
            show(&actual)
        )
    })
}

/// Whether the finding's UTF-16 offsets slice `input` (as a JavaScript or
/// Java string) to its text.
fn utf16_slices(input: &str, f: &xianshen::Finding) -> bool {
    let units: Vec<u16> = input.encode_utf16().collect();
    units
        .get(f.utf16_start..f.utf16_end)
        .is_some_and(|u| String::from_utf16(u).ok().as_deref() == Some(f.text.as_str()))
}

fn show(findings: &[Expected]) -> String {
    let items: Vec<String> = findings
        .iter()
        .map(|f| format!("{} {}..{} {:?}", f.rule, f.start, f.end, f.text))
        .collect();
    format!("[{}]", items.join(", "))
}

#[test]
fn golden_vectors() {
    let cases = load_cases();
    assert!(
        !cases.is_empty(),
        "no cases found in {}",
        cases_dir().display()
    );
    let mut names = HashSet::new();
    let mut failures = Vec::new();
    for (file, case) in &cases {
        assert!(
            names.insert(case.name.clone()),
            "duplicate case name {}",
            case.name
        );
        let problems = run_case(case);
        if !problems.is_empty() {
            failures.push(format!(
                "{file}.toml: {}\n    {}",
                case.name,
                problems.join("\n    ")
            ));
        }
    }
    println!("{} golden cases run", cases.len());
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
