//! The golden vectors of `tests/cases/*.toml` as Rust values: the one case
//! model every harness reads, as regex's `regex-test` is for regex.
//!
//! `tests/cases/README.md` describes the format. This crate holds its only
//! definition: [`Case`] with its [`Expected`] findings, [`RedactCase`] and
//! [`ErrorCase`]; the loader [`load`] and the repository's folder
//! [`cases_dir`]; and what each harness would otherwise repeat: a case's
//! [`Draft`] ([`Case::draft`]) and [`Policy`] ([`Case::policy`]), the
//! `rules` filter ([`Case::compares`], [`Case::diff_findings`]), the
//! redaction [`Mask`] ([`RedactCase::mask`]) and the expected policy error
//! ([`ErrorCase::check`]). A harness keeps only what is specific to its
//! surface: how it hands the draft over and reads the report back.
//!
//! # Example
//!
//! ```
//! use xianshen::Screener;
//! use xianshen_cases::{cases_dir, load, Expected};
//!
//! let cases = load(cases_dir())?;
//! let case = cases
//!     .iter()
//!     .find(|c| c.error.is_none() && c.findings.is_some())
//!     .expect("a case that expects findings");
//! let screener = Screener::from_policy(case.policy()?)?;
//! let report = screener.screen(&case.draft()?);
//! let expected = case.findings.as_deref().unwrap_or_default();
//! let actual = report.findings.iter().map(Expected::from);
//! assert_eq!(case.diff_findings("findings", expected, actual), None);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![deny(missing_docs)]

use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};
use xianshen::{Draft, Finding, Kind, Mask, Policy, PolicyError, PolicyErrorKind, UnknownKind};

/// The repository's golden vectors: `tests/cases/`.
pub fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/cases")
}

/// Every case of every `*.toml` file in `dir`: the files in sorted order,
/// the cases of each in file order.
///
/// # Errors
///
/// A [`CaseError`] naming the folder or file: the folder cannot be listed,
/// a file cannot be read or is not a case file (unknown keys included), or
/// a case name is used twice (names are unique across all files).
pub fn load(dir: impl AsRef<Path>) -> Result<Vec<Case>, CaseError> {
    let dir = dir.as_ref();
    let list_error = |source| CaseError::Dir {
        dir: dir.to_path_buf(),
        source,
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(list_error)? {
        let path = entry.map_err(list_error)?.path();
        if path.extension().is_some_and(|e| e == "toml") {
            files.push(path);
        }
    }
    files.sort();
    let mut names = HashSet::new();
    let mut cases = Vec::new();
    for file in files {
        for case in load_file(&file)? {
            if !names.insert(case.name.clone()) {
                return Err(CaseError::Duplicate {
                    file,
                    name: case.name,
                });
            }
            cases.push(case);
        }
    }
    Ok(cases)
}

/// The cases of one case file, in file order, each with [`Case::file`] set.
///
/// # Errors
///
/// [`CaseError::Read`] or [`CaseError::Parse`], naming the file.
pub fn load_file(file: &Path) -> Result<Vec<Case>, CaseError> {
    let text = std::fs::read_to_string(file).map_err(|source| CaseError::Read {
        file: file.to_path_buf(),
        source,
    })?;
    let parsed: CaseFile = toml::from_str(&text).map_err(|source| CaseError::Parse {
        file: file.to_path_buf(),
        source,
    })?;
    let mut cases = parsed.case;
    for case in &mut cases {
        case.file = file.to_path_buf();
    }
    Ok(cases)
}

/// A case folder or file that cannot be used, or a case that asks for
/// something impossible.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CaseError {
    /// The folder cannot be listed.
    #[error("{}: {source}", dir.display())]
    Dir {
        /// The folder.
        dir: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A case file cannot be read.
    #[error("{}: {source}", file.display())]
    Read {
        /// The file.
        file: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A case file is not TOML of the case format (the message has the line
    /// and column).
    #[error("{}: {source}", file.display())]
    Parse {
        /// The file.
        file: PathBuf,
        /// What is wrong, and where.
        source: toml::de::Error,
    },
    /// A case name already used by an earlier case.
    #[error("{}: duplicate case name {name}", file.display())]
    Duplicate {
        /// The file with the second use.
        file: PathBuf,
        /// The name.
        name: String,
    },
    /// A `redact` table without exactly one of `mask`, `replace`, `suggest`.
    #[error("redact needs exactly one of mask, replace, suggest")]
    Redact,
}

/// One case file: its `[[case]]` tables.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseFile {
    /// The cases, in file order.
    pub case: Vec<Case>,
}

/// One golden vector: a draft, the policy to screen it with, and what the
/// report must hold. Fields that are absent are not compared.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// The file the case was read from (set by [`load`] and [`load_file`];
    /// empty for a case deserialized otherwise). Not a key of the format.
    #[serde(skip)]
    pub file: PathBuf,
    /// The name, unique across all files.
    pub name: String,
    /// The draft's body.
    pub input: String,
    /// The policy as TOML text; the embedded default when absent.
    pub policy: Option<String>,
    /// The draft's title.
    pub title: Option<String>,
    /// The draft's repost flag.
    pub repost: Option<bool>,
    /// The draft's declared source.
    pub source: Option<String>,
    /// The draft kind (`article` when absent).
    pub kind: Option<String>,
    /// Compare only findings whose rule id starts with one of these.
    pub rules: Option<Vec<String>>,
    /// The verdict: `pass`, `review` or `block`.
    pub verdict: Option<String>,
    /// The approval: `reviewer`, `head` or `leadership`.
    pub approval: Option<String>,
    /// Whether findings were cut at the policy's limit.
    pub truncated: Option<bool>,
    /// The exact findings in the body after the `rules` filter, sorted by
    /// start then rule.
    pub findings: Option<Vec<Expected>>,
    /// The exact findings in the title (offsets into the title), after the
    /// `rules` filter.
    pub title_findings: Option<Vec<Expected>>,
    /// The body with findings masked.
    pub redact: Option<RedactCase>,
    /// The error the policy must fail to load with (instead of findings).
    pub error: Option<ErrorCase>,
}

impl Case {
    /// The folder the case's policy resolves list files and `extends`
    /// against: the folder of its file.
    pub fn base_dir(&self) -> &Path {
        self.file.parent().unwrap_or(Path::new("."))
    }

    /// The case's policy: `policy` loaded against [`Case::base_dir`], or the
    /// embedded default when the case has none.
    ///
    /// # Errors
    ///
    /// The [`PolicyError`] of a policy that does not load, which is what a
    /// case with [`Case::error`] expects.
    pub fn policy(&self) -> Result<Policy, PolicyError> {
        match &self.policy {
            None => Ok(Policy::default()),
            Some(text) => Policy::from_toml_in(text, Some(self.base_dir())),
        }
    }

    /// The draft kind: `kind` parsed, [`Kind::Article`] when absent.
    ///
    /// # Errors
    ///
    /// [`UnknownKind`] for a name that is not a kind.
    pub fn kind(&self) -> Result<Kind, UnknownKind> {
        self.kind.as_deref().map_or(Ok(Kind::default()), str::parse)
    }

    /// The draft to screen: the input with the case's title, repost flag,
    /// source and kind, screened as of today (`date` is `None`).
    ///
    /// # Errors
    ///
    /// [`UnknownKind`] for a `kind` that is not one.
    pub fn draft(&self) -> Result<Draft<'_>, UnknownKind> {
        Ok(Draft {
            text: &self.input,
            title: self.title.as_deref(),
            repost: self.repost,
            source: self.source.as_deref(),
            kind: self.kind()?,
            date: None,
        })
    }

    /// Whether findings of `rule` are compared: its id starts with one of
    /// the case's `rules` prefixes, or the case has none.
    pub fn compares(&self, rule: &str) -> bool {
        starts_with_any(rule, self.rules.as_deref())
    }

    /// What differs between `expected` and the `actual` findings the case
    /// [compares](Case::compares), as a message that lists both; `None`
    /// when they are equal. `what` names the list ("findings", "title
    /// findings").
    pub fn diff_findings(
        &self,
        what: &str,
        expected: &[Expected],
        actual: impl IntoIterator<Item = Expected>,
    ) -> Option<String> {
        let actual: Vec<Expected> = actual
            .into_iter()
            .filter(|f| self.compares(&f.rule))
            .collect();
        (actual != expected).then(|| {
            format!(
                "{what} differ\n      expected: {}\n      actual:   {}",
                show(expected),
                show(&actual)
            )
        })
    }
}

/// One expected finding. `start` and `end` are UTF-8 byte offsets; the
/// input sliced there is `text`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Expected {
    /// The rule id.
    pub rule: String,
    /// The start, in bytes.
    pub start: usize,
    /// The end, in bytes.
    pub end: usize,
    /// The text between them.
    pub text: String,
    /// The evasive spelling the finding reports (lookalike, pinyin,
    /// homophone, chaizi), compared exactly: absent means none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evasion: Option<String>,
}

impl From<&Finding> for Expected {
    fn from(f: &Finding) -> Expected {
        Expected {
            rule: f.rule.clone(),
            start: f.start,
            end: f.end,
            text: f.text.clone(),
            evasion: f.evasion.map(|e| e.as_str().to_string()),
        }
    }
}

impl Expected {
    /// The comparable part of a finding in a JSON report (the library's,
    /// the CLI's or the service's); `None` when `rule`, `start`, `end` or
    /// `text` is missing.
    pub fn from_json(finding: &serde_json::Value) -> Option<Expected> {
        let offset = |key: &str| finding.get(key)?.as_u64()?.try_into().ok();
        Some(Expected {
            rule: finding.get("rule")?.as_str()?.to_string(),
            start: offset("start")?,
            end: offset("end")?,
            text: finding.get("text")?.as_str()?.to_string(),
            evasion: finding
                .get("evasion")
                .and_then(serde_json::Value::as_str)
                .map(str::to_string),
        })
    }
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}..{} {:?}",
            self.rule, self.start, self.end, self.text
        )?;
        if let Some(evasion) = &self.evasion {
            write!(f, " ({evasion})")?;
        }
        Ok(())
    }
}

fn show(findings: &[Expected]) -> String {
    let items: Vec<String> = findings.iter().map(Expected::to_string).collect();
    format!("[{}]", items.join(", "))
}

/// The body with findings masked: exactly one of `mask`, `replace` and
/// `suggest` says how.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedactCase {
    /// This char per grapheme cluster.
    pub mask: Option<char>,
    /// This text per finding.
    pub replace: Option<String>,
    /// The finding's suggestion where it has one, else this char per
    /// grapheme cluster.
    pub suggest: Option<char>,
    /// Mask only findings whose rule id starts with one of these (all when
    /// absent).
    pub rules: Option<Vec<String>>,
    /// The masked body.
    pub output: String,
}

impl RedactCase {
    /// The mask the case asks for.
    ///
    /// # Errors
    ///
    /// [`CaseError::Redact`] unless exactly one of `mask`, `replace` and
    /// `suggest` is given.
    pub fn mask(&self) -> Result<Mask, CaseError> {
        match (self.mask, &self.replace, self.suggest) {
            (Some(c), None, None) => Ok(Mask::Char(c)),
            (None, Some(s), None) => Ok(Mask::Replace(s.clone())),
            (None, None, Some(c)) => Ok(Mask::SuggestionOr(c)),
            _ => Err(CaseError::Redact),
        }
    }

    /// Whether findings of `rule` are masked: its id starts with one of
    /// `rules`, or there is no `rules`.
    pub fn masks(&self, rule: &str) -> bool {
        starts_with_any(rule, self.rules.as_deref())
    }
}

fn starts_with_any(rule: &str, prefixes: Option<&[String]>) -> bool {
    prefixes.is_none_or(|ps| ps.iter().any(|p| rule.starts_with(p.as_str())))
}

/// The error a case's policy must fail to load with. Each field but `kind`
/// is compared only when given.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorCase {
    /// `syntax`, `invalid` or `io`.
    pub kind: String,
    /// The 1-based line.
    pub line: Option<usize>,
    /// The 1-based column, in characters.
    pub column: Option<usize>,
    /// Text the message contains.
    pub contains: Option<String>,
}

impl ErrorCase {
    /// What differs between this and `error`: kind, line, column, message;
    /// empty when nothing does.
    pub fn check(&self, error: &PolicyError) -> Vec<String> {
        let mut problems = Vec::new();
        let kind = match error.kind() {
            PolicyErrorKind::Syntax => "syntax",
            PolicyErrorKind::Invalid => "invalid",
            PolicyErrorKind::Io => "io",
            _ => "other",
        };
        if kind != self.kind {
            problems.push(format!(
                "error kind {kind}, expected {} ({error})",
                self.kind
            ));
        }
        problems.extend(self.check_location(error));
        if let Some(needle) = &self.contains {
            if !error.to_string().contains(needle.as_str()) {
                problems.push(format!(
                    "error {:?} does not contain {needle:?}",
                    error.to_string()
                ));
            }
        }
        problems
    }

    /// What differs between this and `error` in line and column only.
    pub fn check_location(&self, error: &PolicyError) -> Vec<String> {
        let mut problems = Vec::new();
        let loc = error.location();
        if let Some(line) = self.line {
            if loc.map(|l| l.line) != Some(line) {
                problems.push(format!(
                    "error line {:?}, expected {line} ({error})",
                    loc.map(|l| l.line)
                ));
            }
        }
        if let Some(column) = self.column {
            if loc.map(|l| l.column) != Some(column) {
                problems.push(format!(
                    "error column {:?}, expected {column} ({error})",
                    loc.map(|l| l.column)
                ));
            }
        }
        problems
    }
}

/// The text between UTF-16 offsets `start..end` of `text`, as a JavaScript
/// or Java string slices it; `None` when the range is out of bounds or cuts
/// a surrogate pair. Reports carry `utf16_start` and `utf16_end` beside the
/// byte offsets, and every harness checks they slice to the same text.
pub fn utf16_slice(text: &str, start: usize, end: usize) -> Option<String> {
    let units: Vec<u16> = text.encode_utf16().collect();
    String::from_utf16(units.get(start..end)?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_errors_that_name_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let case = "[[case]]\nname = \"a\"\ninput = \"x\"\nvrdict = \"pass\"\n";
        std::fs::write(dir.path().join("bad.toml"), case).unwrap();
        let e = load(dir.path()).unwrap_err();
        assert!(matches!(e, CaseError::Parse { .. }), "{e}");
        let message = e.to_string();
        assert!(message.contains("bad.toml"), "{message}");
        assert!(message.contains("unknown field"), "{message}");
    }

    #[test]
    fn a_name_used_twice_is_an_error_at_its_second_use() {
        let dir = tempfile::tempdir().unwrap();
        for file in ["b.toml", "a.toml"] {
            let case = "[[case]]\nname = \"same\"\ninput = \"x\"\n";
            std::fs::write(dir.path().join(file), case).unwrap();
        }
        let e = load(dir.path()).unwrap_err();
        assert!(
            matches!(&e, CaseError::Duplicate { file, name } if name == "same" && file.ends_with("b.toml")),
            "{e}"
        );
    }

    #[test]
    fn rules_filter_and_mask() {
        let case: CaseFile = toml::from_str(
            r#"
            [[case]]
            name = "a"
            input = "x"
            rules = ["term.", "privacy.mobile"]
            redact = { replace = "[删]", output = "x" }
            "#,
        )
        .unwrap();
        let case = &case.case[0];
        assert!(case.compares("term.drugs"));
        assert!(case.compares("privacy.mobile"));
        assert!(!case.compares("ad.contact"));
        let redact = case.redact.as_ref().unwrap();
        assert!(redact.masks("ad.contact"));
        assert_eq!(redact.mask().unwrap(), Mask::Replace("[删]".into()));
        assert_eq!(case.base_dir(), Path::new("."));
        assert_eq!(case.draft().unwrap().kind, Kind::Article);
    }

    #[test]
    fn findings_differ_only_in_the_compared_rules() {
        let file: CaseFile =
            toml::from_str("[[case]]\nname = \"a\"\ninput = \"x\"\nrules = [\"term.\"]\n").unwrap();
        let case = &file.case[0];
        let finding = |rule: &str, evasion: Option<&str>| Expected {
            rule: rule.into(),
            start: 0,
            end: 1,
            text: "x".into(),
            evasion: evasion.map(String::from),
        };
        let expected = [finding("term.drugs", None)];
        let actual = [finding("ad.contact", None), finding("term.drugs", None)];
        assert_eq!(case.diff_findings("findings", &expected, actual), None);
        let diff = case
            .diff_findings(
                "findings",
                &expected,
                [finding("term.drugs", Some("pinyin"))],
            )
            .unwrap();
        assert!(diff.starts_with("findings differ"), "{diff}");
        assert!(diff.contains(r#"term.drugs 0..1 "x" (pinyin)"#), "{diff}");
    }

    #[test]
    fn utf16_offsets_slice_like_javascript() {
        assert_eq!(utf16_slice("a😀b", 1, 3).as_deref(), Some("😀"));
        assert_eq!(utf16_slice("a😀b", 1, 2), None);
        assert_eq!(utf16_slice("ab", 1, 3), None);
    }
}
