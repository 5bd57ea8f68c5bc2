//! Policies: what to look for, how severe it is, who signs off.
//!
//! A policy is one TOML file (see the crate README for the format). Loading
//! resolves everything once: list files are read and inlined, `extends` is
//! merged, duplicates are dropped, and every term is validated. The result
//! has a canonical TOML form ([`Policy::to_toml`]) that needs no other file,
//! and a fingerprint (sha256 of that form) that goes into every report.

mod audit;
pub(crate) mod file;
mod lists;

pub use audit::{AuditSettings, CalendarSettings, DEFAULT_DEADLINES};
pub use file::Boundary;

use crate::error::{Location, PolicyError, PolicyErrorKind};
use crate::evasion::EvasionSettings;
use crate::normalize::{normalize_str, NormalizeOptions};
use crate::rules::catalog;
use file::{sstring, LexiconFile, PolicyFile, SString};
use rustc_hash::FxHashSet;
use std::collections::{BTreeMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The embedded default policy, as shipped (`xianshen policy dump-default`).
pub const DEFAULT_POLICY_TOML: &str = include_str!("../../policy/default.toml");

/// Default for `[limits] max_findings`.
pub const DEFAULT_MAX_FINDINGS: usize = 10_000;
/// Default for `[limits] max_term_chars`.
pub const DEFAULT_MAX_TERM_CHARS: usize = 100;

/// A loaded, validated policy.
///
/// # Examples
///
/// ```
/// use xianshen::Policy;
/// let policy = Policy::from_toml(r#"
/// [meta]
/// name = "示例单位"
/// version = "1"
///
/// [[lexicon]]
/// tag = "drugs"
/// severity = "block"
/// terms = ["出售冰毒", "出售冰毒"]   # duplicates are merged
/// "#).unwrap();
/// assert_eq!(policy.name(), "示例单位");
/// assert_eq!(policy.term_count(), 1);
/// assert!(policy.fingerprint().starts_with("sha256:"));
/// ```
#[derive(Clone, Debug)]
pub struct Policy {
    pub(crate) file: PolicyFile,
    fingerprint: String,
}

impl Default for Policy {
    /// The embedded default policy.
    fn default() -> Policy {
        Policy::embedded().clone()
    }
}

impl Policy {
    /// The embedded default policy (parsed once per process).
    pub fn embedded() -> &'static Policy {
        static EMBEDDED: OnceLock<Policy> = OnceLock::new();
        EMBEDDED.get_or_init(|| {
            Policy::from_toml(DEFAULT_POLICY_TOML)
                .unwrap_or_else(|e| panic!("embedded default policy is invalid: {e}"))
        })
    }

    /// Loads a policy from TOML text. List files are resolved against the
    /// current directory.
    ///
    /// # Errors
    ///
    /// A [`PolicyError`] naming line and column for bad TOML, unknown keys,
    /// bad values and bad terms, or naming the list file that could not be read.
    pub fn from_toml(text: &str) -> Result<Policy, PolicyError> {
        Policy::from_toml_in(text, None)
    }

    /// Loads a policy from TOML text, resolving list files and `extends`
    /// paths against `base_dir` (the current directory when `None`).
    ///
    /// # Errors
    ///
    /// As [`Policy::from_toml`].
    pub fn from_toml_in(text: &str, base_dir: Option<&Path>) -> Result<Policy, PolicyError> {
        let file = Loader::default().load(text, None, base_dir.unwrap_or(Path::new(".")))?;
        Ok(Policy::from_resolved(file))
    }

    /// Loads a policy file. List files are resolved against its folder.
    ///
    /// # Errors
    ///
    /// As [`Policy::from_toml`], plus an I/O error when the file cannot be read.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Policy, PolicyError> {
        let file = Loader::default().load_file(path.as_ref(), None)?;
        Ok(Policy::from_resolved(file))
    }

    fn from_resolved(file: PolicyFile) -> Policy {
        let canonical = toml::to_string(&file).expect("a resolved policy always serializes");

        Policy {
            file,
            fingerprint: format!("sha256:{}", crate::digest::sha256_hex(canonical.as_bytes())),
        }
    }

    /// `[meta] name`.
    pub fn name(&self) -> &str {
        &self.file.meta.name
    }

    /// `[meta] version`.
    pub fn version(&self) -> &str {
        &self.file.meta.version
    }

    /// `sha256:` and the hex digest of [`Policy::to_toml`].
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// The canonical TOML form: list files inlined, `extends` merged,
    /// duplicates dropped. Loading it gives an identical policy (same
    /// fingerprint) with no other file needed.
    ///
    /// # Examples
    ///
    /// ```
    /// use xianshen::Policy;
    /// let p = Policy::default();
    /// let again = Policy::from_toml(&p.to_toml()).unwrap();
    /// assert_eq!(p.fingerprint(), again.fingerprint());
    /// ```
    pub fn to_toml(&self) -> String {
        toml::to_string(&self.file).expect("a resolved policy always serializes")
    }

    /// Number of distinct lexicon terms over all groups.
    pub fn term_count(&self) -> usize {
        self.file.lexicon.iter().map(|l| l.terms.len()).sum()
    }

    /// `(tag, term count)` for each lexicon group, in policy order.
    pub fn lexicon_counts(&self) -> Vec<(String, usize)> {
        self.file
            .lexicon
            .iter()
            .map(|l| (l.tag.get_ref().clone(), l.terms.len()))
            .collect()
    }

    /// For each lexicon group, in policy order: its tag, the evasive
    /// spellings it looks for (`None` when a fold is off, which turns them
    /// off) and the kinds of draft it applies to (empty: every kind).
    ///
    /// ```
    /// use xianshen::{Kind, Policy, Reach};
    /// let p = Policy::default();
    /// let groups = p.lexicon_evasion();
    /// let (_, evasion, _) = groups.iter().find(|g| g.0 == "drugs").unwrap();
    /// assert_eq!(evasion.unwrap().pinyin, Reach::Comments);
    /// let (_, _, kinds) = groups.iter().find(|g| g.0 == "evasive_insult").unwrap();
    /// assert_eq!(kinds, &[Kind::Comment]);
    /// ```
    pub fn lexicon_evasion(&self) -> Vec<(String, Option<EvasionSettings>, Vec<crate::Kind>)> {
        self.file
            .lexicon
            .iter()
            .map(|l| {
                (
                    l.tag.get_ref().clone(),
                    l.evasion().copied(),
                    l.kinds.clone(),
                )
            })
            .collect()
    }

    /// The tags of the lexicon groups whose terms are threats to the one
    /// addressed (`threat = true`): they count only where the writer makes
    /// the threat.
    ///
    /// ```
    /// let p = xianshen::Policy::default();
    /// assert_eq!(p.threat_tags(), ["threat"]);
    /// ```
    pub fn threat_tags(&self) -> Vec<String> {
        self.file
            .lexicon
            .iter()
            .filter(|l| l.threat)
            .map(|l| l.tag.get_ref().clone())
            .collect()
    }

    /// The archive-audit settings (`[audit]`), defaults applied.
    pub fn audit(&self) -> AuditSettings {
        AuditSettings::from_file(&self.file.audit)
    }

    /// The protected names (`[names]`), canonical forms as written, each
    /// with its category when the policy gives one.
    ///
    /// ```
    /// let p = xianshen::Policy::default();
    /// assert!(p.protected_names().iter().any(|(n, _)| n == "全国人民代表大会"));
    /// ```
    pub fn protected_names(&self) -> Vec<(String, Option<String>)> {
        let names = &self.file.names;
        names
            .protect
            .iter()
            .map(|n| {
                let category = names.categories.get(n.get_ref().as_str()).cloned();
                (n.get_ref().clone(), category)
            })
            .collect()
    }

    /// Number of allow-list phrases, `near` entries and style substitutions.
    pub fn other_counts(&self) -> (usize, usize, usize) {
        (
            self.file.allow.terms.len(),
            self.file.near.len(),
            self.file.style.substitutions.len(),
        )
    }

    /// The domains links and e-mail addresses may name without review,
    /// lowercase and without a leading dot: the embedded official and
    /// central-media list (`gov.cn`, `edu.cn`, `chsi.com.cn`, `people.com.cn`…)
    /// unless `[links] official_domains = false`, then `[links]
    /// allowed_domains` and `[own] sites`.
    ///
    /// # Examples
    ///
    /// ```
    /// use xianshen::Policy;
    /// let p = Policy::from_toml("[meta]\nname = \"x\"\n[own]\nsites = [\"Example.edu.cn\"]\n").unwrap();
    /// assert!(p.allowed_domains().iter().any(|d| d == "gov.cn"));
    /// assert!(p.allowed_domains().iter().any(|d| d == "example.edu.cn"));
    /// ```
    pub fn allowed_domains(&self) -> Vec<String> {
        let links = &self.file.links;
        let official = self
            .official_domains()
            .then(crate::rules::domains::official)
            .into_iter()
            .flatten()
            .map(str::to_string);
        let mut out: Vec<String> = Vec::new();
        let listed = links.allowed_domains.iter().chain(&self.file.own.sites);
        for d in official.chain(listed.map(|d| crate::rules::domains::canonical(d))) {
            if !d.is_empty() && !out.contains(&d) {
                out.push(d);
            }
        }
        out
    }

    /// Whether the embedded official-domain list is on (`[links]
    /// official_domains`, default `true`).
    pub fn official_domains(&self) -> bool {
        self.file.links.official_domains.unwrap_or(true)
    }

    /// `[own] handles`: the unit's own account ids, as written.
    pub fn own_handles(&self) -> &[String] {
        &self.file.own.handles
    }

    /// Whether rule `id` is enabled (every rule is unless the policy says
    /// `[rules."<id>"] enabled = false`).
    pub fn rule_enabled(&self, id: &str) -> bool {
        self.file
            .rules
            .get(id)
            .and_then(|r| r.enabled)
            .unwrap_or(true)
    }

    /// Terms at risk of false positives: one character long, or two CJK
    /// characters matched anywhere (`boundary = "any"`), or Latin of two
    /// letters or fewer. Returned as `(tag, term, reason)`.
    pub fn risky_terms(&self) -> Vec<(String, String, &'static str)> {
        let mut out = Vec::new();
        for lex in &self.file.lexicon {
            for term in &lex.terms {
                let norm = normalize_str(term.get_ref(), lex.normalize);
                let chars = norm.chars().count();
                let reason = if chars == 1 {
                    Some("one character: matches inside many words")
                } else if chars == 2
                    && norm.chars().all(crate::normalize::is_cjk)
                    && lex.boundary == Boundary::Any
                {
                    Some(
                        "two CJK characters with boundary = \"any\": consider \"auto\" or \"word\"",
                    )
                } else if chars <= 2 && norm.chars().all(|c| c.is_ascii_alphanumeric()) {
                    Some("two Latin letters or digits or fewer")
                } else {
                    None
                };
                if let Some(reason) = reason {
                    out.push((lex.tag.get_ref().clone(), term.get_ref().clone(), reason));
                }
            }
        }
        out
    }

    /// `[limits] max_findings`: the most findings a report keeps
    /// ([`DEFAULT_MAX_FINDINGS`] when the policy does not say).
    ///
    /// # Examples
    ///
    /// ```
    /// use xianshen::{Policy, DEFAULT_MAX_FINDINGS};
    /// assert_eq!(Policy::default().max_findings(), DEFAULT_MAX_FINDINGS);
    /// let p = Policy::from_toml(
    ///     "[meta]\nname = \"x\"\nversion = \"1\"\n[limits]\nmax_findings = 5\n",
    /// )
    /// .unwrap();
    /// assert_eq!(p.max_findings(), 5);
    /// ```
    pub fn max_findings(&self) -> usize {
        self.file
            .limits
            .max_findings
            .unwrap_or(DEFAULT_MAX_FINDINGS)
    }
}

/// Resolves one policy file and, recursively, what it extends.
#[derive(Default)]
struct Loader {
    /// Files being loaded, to refuse a policy that extends itself.
    stack: Vec<PathBuf>,
}

impl Loader {
    fn load_file(
        &mut self,
        path: &Path,
        declared_at: Option<Location>,
    ) -> Result<PolicyFile, PolicyError> {
        let canonical = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        if self.stack.contains(&canonical) {
            return Err(PolicyError::new(
                PolicyErrorKind::Invalid,
                declared_at,
                format!(
                    "policy {} extends itself (cycle: {})",
                    path.display(),
                    self.cycle_text(&canonical)
                ),
            ));
        }
        let bytes = std::fs::read(path).map_err(|e| {
            PolicyError::io(
                declared_at.clone(),
                path,
                format!("cannot read policy file {}", path.display()),
                e,
            )
        })?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let offset = e.utf8_error().valid_up_to();
            let valid = std::str::from_utf8(&e.as_bytes()[..offset]).unwrap_or_default();
            let mut loc = Location::of_offset(Some(path), valid, offset);
            loc.offset = offset;
            PolicyError::new(
                PolicyErrorKind::Syntax,
                Some(loc),
                format!("policy file is not valid UTF-8 at byte offset {offset}"),
            )
        })?;
        self.stack.push(canonical);
        let base_dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let result = self.load(&text, Some(path), base_dir);
        self.stack.pop();
        result
    }

    fn cycle_text(&self, again: &Path) -> String {
        let mut names: Vec<String> = self.stack.iter().map(|p| p.display().to_string()).collect();
        names.push(again.display().to_string());
        names.join(" → ")
    }

    fn load(
        &mut self,
        text: &str,
        path: Option<&Path>,
        base_dir: &Path,
    ) -> Result<PolicyFile, PolicyError> {
        let at = |span: Range<usize>| Location::of_offset(path, text, span.start);
        let mut file: PolicyFile = toml::from_str(text).map_err(|e| {
            let loc = e.span().map(&at);
            PolicyError::new(PolicyErrorKind::Syntax, loc, e.message().trim().to_string())
        })?;
        let max_chars = file.limits.max_term_chars.unwrap_or(DEFAULT_MAX_TERM_CHARS);
        validate_inline(&file, max_chars, &at)?;
        audit::validate(&file.audit, &at)?;
        inline_lists(&mut file, base_dir, max_chars, &at)?;
        let extends = file.meta.extends.take();
        let extends_at = extends.as_ref().map(|e| at(e.span()));
        let base = match extends {
            None => None,
            Some(ext) if ext.get_ref() == "default" => Some(Policy::embedded().file.clone()),
            Some(ext) => {
                let target = base_dir.join(ext.get_ref());
                Some(self.load_file(&target, Some(at(ext.span())))?)
            }
        };
        let known_tags: HashSet<String> = base
            .iter()
            .chain(std::iter::once(&file))
            .flat_map(|f| {
                f.lexicon
                    .iter()
                    .map(|l| format!("term.{}", l.tag.get_ref()))
                    .chain(f.near.iter().map(|n| format!("near.{}", n.tag.get_ref())))
            })
            .collect();
        for key in file.rules.keys() {
            let id = key.get_ref();
            if catalog::lookup(id).is_none() && !known_tags.contains(id) {
                return Err(PolicyError::new(
                    PolicyErrorKind::Invalid,
                    Some(at(key.span())),
                    format!(
                        "unknown rule id {id:?} in [rules]: expected a built-in rule ({}) or term.<tag> / near.<tag> of this policy",
                        catalog::ids().collect::<Vec<_>>().join(", ")
                    ),
                ));
            }
        }
        let has_base = base.is_some();
        let merged = merge(base.unwrap_or_default(), file);
        if has_base {
            // The merged limit holds for inherited terms too, so that the
            // canonical form (which carries it) loads again.
            check_merged_term_lengths(&merged, extends_at)?;
        }
        Ok(merged)
    }
}

/// Every term of a merged policy within its `[limits] max_term_chars`.
fn check_merged_term_lengths(
    file: &PolicyFile,
    extends_at: Option<Location>,
) -> Result<(), PolicyError> {
    let max_chars = file.limits.max_term_chars.unwrap_or(DEFAULT_MAX_TERM_CHARS);
    let terms = file
        .lexicon
        .iter()
        .flat_map(|l| &l.terms)
        .chain(&file.allow.terms)
        .chain(file.near.iter().flat_map(|n| &n.terms))
        .chain(file.style.substitutions.keys())
        .chain(&file.names.protect);
    for term in terms {
        let chars = term.get_ref().chars().count();
        if chars > max_chars {
            return Err(PolicyError::new(
                PolicyErrorKind::Invalid,
                extends_at,
                format!(
                    "the extended policy has the term {:?} of {chars} characters, longer than [limits] max_term_chars = {max_chars}",
                    term.get_ref()
                ),
            ));
        }
    }
    Ok(())
}

fn invalid(loc: Location, msg: String) -> PolicyError {
    PolicyError::new(PolicyErrorKind::Invalid, Some(loc), msg)
}

/// Checks one term: not empty, no control characters, not only skipped
/// characters, not too long.
fn check_term(term: &str, opts: NormalizeOptions, max_chars: usize) -> Result<(), String> {
    lists::check_term(term).map_err(|(_, m)| m)?;
    // Sentence punctuation folds to a break, which no text holds inside a
    // match: a term of nothing else is as empty as one of spaces.
    let only_skipped = |o: NormalizeOptions| {
        normalize_str(term, o)
            .chars()
            .all(crate::normalize::is_sentence_break)
    };
    let never_matches =
        only_skipped(opts) || (!opts.is_all() && only_skipped(NormalizeOptions::ALL));
    if never_matches {
        return Err(format!(
            "term {term:?} is made only of characters that are skipped when matching (spaces, punctuation, symbols, emoji): it could never match"
        ));
    }
    let chars = term.chars().count();
    if chars > max_chars {
        return Err(format!(
            "term of {chars} characters is longer than [limits] max_term_chars = {max_chars}"
        ));
    }
    Ok(())
}

/// A protected name must have two chars or more once folded: one char is
/// no name, and cannot be misspelt in a way worth a block.
fn check_name_length(name: &str) -> Result<(), String> {
    if normalize_str(name, NormalizeOptions::ALL)
        .chars()
        .nth(1)
        .is_none()
    {
        return Err(format!(
            "protected name {name:?} is shorter than two characters"
        ));
    }
    Ok(())
}

fn check_tag(tag: &SString, at: &impl Fn(Range<usize>) -> Location) -> Result<(), PolicyError> {
    let t = tag.get_ref();
    if t.is_empty()
        || !t
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
    {
        return Err(invalid(
            at(tag.span()),
            format!("bad tag {t:?}: use lowercase ASCII letters, digits, '_' and '-' (it becomes part of the rule id)"),
        ));
    }
    Ok(())
}

fn validate_inline(
    file: &PolicyFile,
    max_chars: usize,
    at: &impl Fn(Range<usize>) -> Location,
) -> Result<(), PolicyError> {
    let check = |term: &SString, opts: NormalizeOptions| {
        check_term(term.get_ref(), opts, max_chars).map_err(|m| invalid(at(term.span()), m))
    };
    for lex in &file.lexicon {
        check_tag(&lex.tag, at)?;
        for term in &lex.terms {
            check(term, lex.normalize)?;
        }
    }
    for term in &file.allow.terms {
        check(term, NormalizeOptions::ALL)?;
    }
    for near in &file.near {
        check_tag(&near.tag, at)?;
        if near.terms.len() < 2 {
            return Err(invalid(
                at(near.tag.span()),
                format!("[[near]] {:?} needs at least two terms", near.tag.get_ref()),
            ));
        }
        if near.within == 0 {
            return Err(invalid(
                at(near.tag.span()),
                "[[near]] within must be at least 1 character".into(),
            ));
        }
        for term in &near.terms {
            check(term, NormalizeOptions::ALL)?;
        }
    }
    for name in &file.names.protect {
        check(name, NormalizeOptions::ALL)?;
        check_name_length(name.get_ref()).map_err(|m| invalid(at(name.span()), m))?;
    }
    for (name, category) in &file.names.categories {
        check(name, NormalizeOptions::ALL)?;
        if category.trim().is_empty() {
            return Err(invalid(
                at(name.span()),
                format!(
                    "[names.categories] {:?} has an empty category",
                    name.get_ref()
                ),
            ));
        }
    }
    for (wrong, preferred) in &file.style.substitutions {
        check(wrong, NormalizeOptions::ALL)?;
        if preferred.trim().is_empty() {
            return Err(invalid(
                at(wrong.span()),
                format!(
                    "style substitution for {:?} has an empty preferred form",
                    wrong.get_ref()
                ),
            ));
        }
    }
    Ok(())
}

/// Reads every list file named in `file` and moves its entries inline.
fn inline_lists(
    file: &mut PolicyFile,
    base_dir: &Path,
    max_chars: usize,
    at: &impl Fn(Range<usize>) -> Location,
) -> Result<(), PolicyError> {
    let mut extra_groups: Vec<LexiconFile> = Vec::new();
    for lex in &mut file.lexicon {
        for name in std::mem::take(&mut lex.files) {
            let path = base_dir.join(name.get_ref());
            for entry in lists::read_list(&path, Some(at(name.span())))? {
                check_term(&entry.first, lex.normalize, max_chars)
                    .map_err(|m| invalid(entry.location(&path), m))?;
                let location = entry.location(&path);
                match entry.second {
                    Some(tag) if tag != *lex.tag.get_ref() => {
                        let tag = sstring(tag);
                        check_tag(&tag, &|_| location.clone())?;
                        let group = match extra_groups
                            .iter_mut()
                            .position(|g| g.tag.get_ref() == tag.get_ref())
                        {
                            Some(i) => &mut extra_groups[i],
                            None => {
                                extra_groups.push(LexiconFile {
                                    tag,
                                    terms: Vec::new(),
                                    files: Vec::new(),
                                    ..lex.clone()
                                });
                                extra_groups.last_mut().expect("just pushed")
                            }
                        };
                        group.terms.push(sstring(entry.first));
                    }
                    _ => lex.terms.push(sstring(entry.first)),
                }
            }
        }
    }
    file.lexicon.extend(extra_groups);
    for name in std::mem::take(&mut file.allow.files) {
        let path = base_dir.join(name.get_ref());
        for entry in lists::read_list(&path, Some(at(name.span())))? {
            check_term(&entry.first, NormalizeOptions::ALL, max_chars)
                .map_err(|m| invalid(entry.location(&path), m))?;
            file.allow.terms.push(sstring(entry.first));
        }
    }
    for name in std::mem::take(&mut file.names.files) {
        let path = base_dir.join(name.get_ref());
        for entry in lists::read_list(&path, Some(at(name.span())))? {
            check_term(&entry.first, NormalizeOptions::ALL, max_chars)
                .and_then(|()| check_name_length(&entry.first))
                .map_err(|m| invalid(entry.location(&path), m))?;
            if let Some(category) = entry.second.clone() {
                file.names
                    .categories
                    .insert(sstring(entry.first.clone()), category);
            }
            file.names.protect.push(sstring(entry.first));
        }
    }
    for name in std::mem::take(&mut file.style.files) {
        let path = base_dir.join(name.get_ref());
        for entry in lists::read_list(&path, Some(at(name.span())))? {
            check_term(&entry.first, NormalizeOptions::ALL, max_chars)
                .map_err(|m| invalid(entry.location(&path), m))?;
            let Some(preferred) = entry.second.clone() else {
                return Err(invalid(
                    entry.location(&path),
                    format!(
                        "style list line {:?} needs a preferred form after a tab",
                        entry.first
                    ),
                ));
            };
            file.style
                .substitutions
                .insert(sstring(entry.first), preferred);
        }
    }
    audit::inline_calendar_files(&mut file.audit.calendar, base_dir, at)
}

/// `over` on top of `base`: groups with the same tag take `over`'s settings
/// and the union of terms; lists are united; per-key settings are overridden.
fn merge(base: PolicyFile, over: PolicyFile) -> PolicyFile {
    let mut out = base;
    out.meta = over.meta;
    for lex in over.lexicon {
        match out
            .lexicon
            .iter_mut()
            .find(|l| l.tag.get_ref() == lex.tag.get_ref())
        {
            Some(existing) => {
                let mut terms = std::mem::take(&mut existing.terms);
                terms.extend(lex.terms.iter().cloned());
                *existing = LexiconFile { terms, ..lex };
            }
            None => out.lexicon.push(lex),
        }
    }
    out.allow.terms.extend(over.allow.terms);
    for near in over.near {
        match out
            .near
            .iter_mut()
            .find(|n| n.tag.get_ref() == near.tag.get_ref())
        {
            Some(existing) => *existing = near,
            None => out.near.push(near),
        }
    }
    out.sources.approved.extend(over.sources.approved);
    out.sources.aliases.extend(over.sources.aliases);
    out.links.allowed_domains.extend(over.links.allowed_domains);
    out.links.official_domains = over.links.official_domains.or(out.links.official_domains);
    out.own.handles.extend(over.own.handles);
    out.own.sites.extend(over.own.sites);
    out.style.substitutions.extend(over.style.substitutions);
    out.names.protect.extend(over.names.protect);
    out.names.categories.extend(over.names.categories);
    for (id, setting) in over.rules {
        let entry = out.rules.entry(id).or_default();
        entry.enabled = setting.enabled.or(entry.enabled);
        entry.severity = setting.severity.or(entry.severity);
        entry.approval = setting.approval.or(entry.approval);
    }
    out.audit = audit::merge(out.audit, over.audit);
    out.limits = file::LimitsFile {
        max_findings: over.limits.max_findings.or(out.limits.max_findings),
        max_term_chars: over.limits.max_term_chars.or(out.limits.max_term_chars),
    };
    canonicalize(&mut out);
    out
}

/// Trims terms and drops duplicates (first one kept), so that equal
/// policies have equal canonical forms.
fn canonicalize(file: &mut PolicyFile) {
    fn dedupe(terms: &mut Vec<SString>) {
        for t in terms.iter_mut() {
            let trimmed = t.get_ref().trim();
            if trimmed.len() != t.get_ref().len() {
                *t = sstring(trimmed);
            }
        }
        let mut keep = first_occurrences(terms.iter().map(|t| t.get_ref().as_str())).into_iter();
        terms.retain(|_| keep.next().unwrap_or(true));
    }
    fn dedupe_plain(items: &mut Vec<String>) {
        let mut keep = first_occurrences(items.iter().map(String::as_str)).into_iter();
        items.retain(|_| keep.next().unwrap_or(true));
    }
    /// For each item, whether it is the first of its value.
    fn first_occurrences<'a>(items: impl ExactSizeIterator<Item = &'a str>) -> Vec<bool> {
        let mut seen = FxHashSet::with_capacity_and_hasher(items.len(), Default::default());
        items.map(|t| seen.insert(t)).collect()
    }
    for lex in &mut file.lexicon {
        dedupe(&mut lex.terms);
    }
    dedupe(&mut file.allow.terms);
    dedupe(&mut file.names.protect);
    for near in &mut file.near {
        dedupe(&mut near.terms);
    }
    dedupe_plain(&mut file.sources.approved);
    dedupe_plain(&mut file.links.allowed_domains);
    dedupe_plain(&mut file.own.handles);
    dedupe_plain(&mut file.own.sites);
    let categories: BTreeMap<SString, String> = std::mem::take(&mut file.names.categories)
        .into_iter()
        .map(|(k, v)| (sstring(k.get_ref().trim()), v.trim().to_string()))
        .collect();
    file.names.categories = categories;
    let subs: BTreeMap<SString, String> = std::mem::take(&mut file.style.substitutions)
        .into_iter()
        .map(|(k, v)| (sstring(k.get_ref().trim()), v.trim().to_string()))
        .collect();
    file.style.substitutions = subs;
}
