//! Runs every golden vector in `tests/cases/*.toml` through the library.

use xianshen::{redact, Finding, Screener};
use xianshen_cases::{cases_dir, utf16_slice, Case, Expected};

/// Runs one case; returns a description of every difference.
fn run_case(case: &Case) -> Vec<String> {
    let policy = case.policy();
    if let Some(expected) = &case.error {
        return match policy {
            Ok(_) => vec!["expected a policy error, but the policy loaded".into()],
            Err(e) => expected.check(&e),
        };
    }
    let policy = match policy {
        Ok(p) => p,
        Err(e) => return vec![format!("policy failed to load: {e}")],
    };
    let mut problems = Vec::new();
    let screener = Screener::from_policy(policy).expect("screener builds");
    let draft = match case.draft() {
        Ok(draft) => draft,
        Err(e) => return vec![e.to_string()],
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
            problems.extend(case.diff_findings(what, expected, actual.iter().map(Expected::from)));
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
        let mask = match r.mask() {
            Ok(mask) => mask,
            Err(e) => return vec![e.to_string()],
        };
        let chosen = report.findings.iter().filter(|f| r.masks(&f.rule));
        let out = redact(&case.input, chosen, &mask);
        if out != r.output {
            problems.push(format!("redacted {out:?}, expected {:?}", r.output));
        }
    }
    problems
}

/// Whether the finding's UTF-16 offsets slice `input` (as a JavaScript or
/// Java string) to its text.
fn utf16_slices(input: &str, f: &Finding) -> bool {
    utf16_slice(input, f.utf16_start, f.utf16_end).as_deref() == Some(f.text.as_str())
}

#[test]
fn golden_vectors() {
    let cases = xianshen_cases::load(cases_dir()).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        !cases.is_empty(),
        "no cases found in {}",
        cases_dir().display()
    );
    let mut failures = Vec::new();
    for case in &cases {
        let problems = run_case(case);
        if !problems.is_empty() {
            failures.push(format!(
                "{}: {}\n    {}",
                case.file.file_name().unwrap_or_default().to_string_lossy(),
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
