//! The built-in rules. The catalog holds ids, defaults and messages; each
//! family module detects its own rules from the cue hits and the text.

mod abroad;
mod ad;
mod attribution;
pub mod catalog;
mod classified;
pub(crate) mod cues;
pub(crate) mod domains;
mod event;
mod opinion;
mod privacy;
pub(crate) mod text;
pub(crate) mod threat;

pub use catalog::{category_of, describe, lookup, BuiltinRule, Family, RuleInfo, RULES};

use crate::verdict::Severity;
use crate::Span;

/// The chars at each end of a draft where repost markers count
/// (`attribution.*`): a windowed screen of a big text must show both ends.
pub const REPOST_EDGE_CHARS: usize = 300;

/// A finding before positions and rule settings are applied.
#[derive(Clone, Debug)]
pub(crate) struct RawFinding {
    /// Index into the screener's rule table.
    pub rule: u32,
    pub span: Span,
    /// `(lexicon group, term)` for `term.*` findings; the string is looked
    /// up only for findings that reach the report.
    pub term: Option<(u32, u32)>,
    /// How the term was spelled, for an evasive spelling.
    pub evasion: Option<crate::Evasion>,
    /// Style substitution index, for `style.term` findings.
    pub suggestion: Option<u32>,
    /// Protected name index, for `style.name` findings (the suggestion).
    pub name: Option<u32>,
    /// Overrides the rule's message.
    pub message: Option<String>,
    /// Overrides the rule's default severity (a policy's explicit
    /// `[rules]` severity still wins).
    pub severity: Option<Severity>,
}

impl RawFinding {
    /// A finding of built-in rule `rule`.
    pub fn builtin(rule: BuiltinRule, span: Span) -> Self {
        RawFinding::new(rule.index(), span)
    }

    pub fn new(rule: u32, span: Span) -> Self {
        RawFinding {
            rule,
            span,
            term: None,
            evasion: None,
            suggestion: None,
            name: None,
            message: None,
            severity: None,
        }
    }
}

/// Keeps, per rule, the leftmost-longest non-overlapping findings.
pub(crate) fn leftmost_longest(findings: &mut Vec<RawFinding>) {
    findings.sort_by_key(|f| (f.rule, f.span.start, std::cmp::Reverse(f.span.end)));
    let mut last: Option<(u32, usize)> = None;
    findings.retain(|f| match last {
        Some((rule, end)) if rule == f.rule && f.span.start < end => false,
        _ => {
            last = Some((f.rule, f.span.end));
            true
        }
    });
}

use crate::draft::Draft;
use crate::policy::Policy;
use cues::CueKind;

/// What the detectors need from the policy, resolved once.
#[derive(Clone, Debug, Default)]
pub(crate) struct Settings {
    /// Allowed link and e-mail domains (lowercase, no leading dot): the
    /// official list unless turned off, the policy's own and its sites.
    pub allowed_domains: Vec<String>,
    /// The unit's own handles, lowercase: contact ids that are no diversion.
    pub own_handles: Vec<String>,
    /// Approved source units, each with its aliases (all names of a unit).
    pub approved_sources: Vec<Vec<String>>,
    /// Repost markers, normalized, for checking the title.
    pub repost_markers: Vec<String>,
}

impl Settings {
    pub fn from_policy(policy: &Policy) -> Settings {
        let file = &policy.file;
        let allowed_domains = policy.allowed_domains();
        let own_handles = file
            .own
            .handles
            .iter()
            .map(|h| h.trim().trim_start_matches('@').to_lowercase())
            .filter(|h| !h.is_empty())
            .collect();
        let approved_sources = file
            .sources
            .approved
            .iter()
            .map(|name| {
                let mut names = vec![name.clone()];
                if let Some(aliases) = file.sources.aliases.get(name) {
                    names.extend(aliases.iter().cloned());
                }
                names
            })
            .collect();
        let repost_markers = cues::all()
            .iter()
            .filter(|(k, _)| *k == CueKind::RepostMarker)
            .map(|(_, c)| {
                crate::normalize::normalize_str(c, crate::normalize::NormalizeOptions::ALL)
            })
            .collect();
        Settings {
            allowed_domains,
            own_handles,
            approved_sources,
            repost_markers,
        }
    }

    /// Whether `host` (lowercase) is an allowed domain or a subdomain of one.
    pub fn domain_allowed(&self, host: &str) -> bool {
        self.allowed_domains
            .iter()
            .any(|d| text::host_matches(host, d))
    }
}

/// A detector cue found in the text (not covered by the allow-list).
#[derive(Clone, Copy, Debug)]
pub(crate) struct CueHit<'a> {
    pub kind: CueKind,
    pub cue: &'a str,
    pub span: Span,
}

/// Everything a detector sees.
pub(crate) struct Context<'a> {
    pub input: &'a str,
    pub draft: &'a Draft<'a>,
    /// Cue hits sorted by start.
    pub cues: &'a [CueHit<'a>],
    pub settings: &'a Settings,
    /// Whether each built-in rule (catalog order) is on.
    pub enabled: &'a [bool],
    /// The screening date.
    pub today: crate::Date,
}

impl Context<'_> {
    /// Whether built-in rule `rule` is on: detectors skip work for rules
    /// that are off.
    pub fn on(&self, rule: BuiltinRule) -> bool {
        self.enabled[rule as usize]
    }

    /// Whether any built-in rule of `family` is on.
    pub fn any_on(&self, family: Family) -> bool {
        BuiltinRule::ALL
            .into_iter()
            .any(|r| r.family() == family && self.on(r))
    }
}

/// Runs every built-in detector family.
pub(crate) fn detect(ctx: &Context<'_>, out: &mut Vec<RawFinding>) {
    if ctx.any_on(Family::Classified) {
        classified::detect(ctx, out);
    }
    if ctx.any_on(Family::Privacy) {
        privacy::detect(ctx, out);
    }
    if ctx.any_on(Family::Ad) {
        ad::detect(ctx, out);
    }
    if ctx.any_on(Family::Attribution) {
        attribution::detect(ctx, out);
    }
    if ctx.on(BuiltinRule::OpinionPersonal) {
        opinion::detect(ctx, out);
    }
    if ctx.on(BuiltinRule::EventMajor) {
        event::detect(ctx, out);
    }
}
