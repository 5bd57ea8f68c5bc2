//! The screener: a policy compiled once, shared freely, run per draft.

use crate::draft::{Draft, Kind};
use crate::error::{InputError, PolicyError, PolicyErrorKind};
use crate::evasion::{Evasion, Reach};
use crate::matcher::pinyin::{PinyinMatcher, SoundTerm};
use crate::matcher::{Hit, MatchScratch, Matcher, MatcherBuilder, Use};
use crate::names::{self, NameHit, ProtectedName};
use crate::policy::Policy;
use crate::report::{EngineInfo, Finding, InputInfo, PolicyInfo, Positions, Report, REPORT_SCHEMA};
use crate::rules::cues::{self, CueKind};
use crate::rules::{self, catalog, leftmost_longest, BuiltinRule, RawFinding};
use crate::source::{SourceLink, SourceMap};
use crate::verdict::{Approval, Severity, Verdict};
use crate::Date;
use crate::Span;
use std::cell::RefCell;
use std::path::Path;
use std::sync::{Arc, OnceLock};

/// Screens drafts against a policy.
///
/// Built once from a [`Policy`] (all terms go into one automaton), then
/// immutable: `Send + Sync`, and cheap to clone (an `Arc` inside).
///
/// # Examples
///
/// ```
/// use xianshen::{Draft, Screener, Verdict};
/// let screener = Screener::new(); // the embedded default policy
/// let text = "本店出售冰毒，量大从优";
/// let report = screener.screen(&Draft::new(text));
/// assert_eq!(report.verdict, Verdict::Block);
/// let f = &report.findings[0];
/// assert_eq!(&text[f.start..f.end], f.text);
/// ```
#[derive(Clone)]
pub struct Screener {
    inner: Arc<Compiled>,
}

impl std::fmt::Debug for Screener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Screener")
            .field("policy", &self.inner.policy.name())
            .field("fingerprint", &self.inner.policy.fingerprint())
            .field("patterns", &self.inner.matcher.pattern_count())
            .finish()
    }
}

/// Configures and builds a [`Screener`].
///
/// # Examples
///
/// ```
/// use xianshen::Screener;
/// let screener = Screener::builder()
///     .policy_toml("[meta]\nname = \"t\"\n[[lexicon]]\ntag = \"x\"\nseverity = \"review\"\nterms = [\"测试词\"]\n")
///     .build()
///     .unwrap();
/// assert_eq!(screener.policy().name(), "t");
/// ```
#[derive(Debug, Default)]
pub struct ScreenerBuilder {
    source: Option<Result<Policy, PolicyError>>,
}

impl ScreenerBuilder {
    /// Uses this policy.
    pub fn policy(mut self, policy: Policy) -> Self {
        self.source = Some(Ok(policy));
        self
    }

    /// Loads the policy from TOML text (list files relative to the current directory).
    pub fn policy_toml(mut self, text: &str) -> Self {
        self.source = Some(Policy::from_toml(text));
        self
    }

    /// Loads the policy from a file.
    pub fn policy_file(mut self, path: impl AsRef<Path>) -> Self {
        self.source = Some(Policy::from_file(path));
        self
    }

    /// Compiles the screener; the embedded policy when none was given.
    ///
    /// # Errors
    ///
    /// The policy's load error, or an error when the automaton cannot be built.
    pub fn build(self) -> Result<Screener, PolicyError> {
        match self.source {
            None => Ok(Screener::new()),
            Some(policy) => Screener::from_policy(policy?),
        }
    }
}

/// How one rule applies under a screener's policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleSetting {
    /// The rule id.
    pub id: String,
    /// Severity after the policy's `[rules]` settings.
    pub severity: Severity,
    /// Approval level after the policy's `[rules]` settings.
    pub approval: Option<Approval>,
    /// Whether the rule is on.
    pub enabled: bool,
    /// How many terms or cues feed it (0 for purely structural rules).
    pub entries: usize,
}

/// A rule as this screener applies it (policy settings resolved).
#[derive(Clone, Debug)]
struct EffectiveRule {
    id: String,
    severity: Severity,
    /// Whether the policy set the severity (then it beats a detector's
    /// per-finding severity).
    severity_set: bool,
    approval: Option<Approval>,
    enabled: bool,
    message: String,
}

struct NearEntry {
    rule: u32,
    terms: usize,
    within: usize,
}

struct Compiled {
    policy: Policy,
    matcher: Matcher,
    /// Terms spelled by sound, when a group looks for pinyin or homophones.
    sounds: Option<PinyinMatcher>,
    /// Per kind (`Kind::ALL` order): whether any group looks for pinyin or
    /// homophones in drafts of that kind.
    sounds_for: [bool; Kind::ALL.len()],
    group_rule: Vec<u32>,
    /// Per group: 拆字 variants compiled for its terms.
    group_variants: Vec<usize>,
    near: Vec<NearEntry>,
    style: Vec<(String, String)>,
    /// Protected names, and how many near-miss variants they compiled to.
    names: Vec<ProtectedName>,
    name_variants: usize,
    cues: Vec<String>,
    cue_kinds: Vec<CueKind>,
    rules: Vec<EffectiveRule>,
    /// Whether each built-in rule (catalog order) is on.
    builtin_enabled: Vec<bool>,
    /// The same for a draft's title: the attribution rules off, as the
    /// title's repost marks are the body's evidence.
    title_enabled: Vec<bool>,
    /// The same for a link target of a source: only `ad.link`.
    link_enabled: Vec<bool>,
    settings: rules::Settings,
}

/// Buffers reused across calls on one thread.
#[derive(Default)]
struct Scratch {
    hits: Vec<Hit>,
    /// The matcher's buffers.
    matcher: MatchScratch,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

impl Default for Screener {
    fn default() -> Self {
        Screener::new()
    }
}

impl Screener {
    /// The screener for the embedded default policy (compiled once per
    /// process; later calls clone it).
    pub fn new() -> Screener {
        static DEFAULT: OnceLock<Screener> = OnceLock::new();
        DEFAULT
            .get_or_init(|| {
                Screener::from_policy(Policy::embedded().clone())
                    .unwrap_or_else(|e| panic!("embedded default policy does not compile: {e}"))
            })
            .clone()
    }

    /// A builder, to choose the policy.
    pub fn builder() -> ScreenerBuilder {
        ScreenerBuilder::default()
    }

    /// Compiles a screener for `policy`.
    ///
    /// # Errors
    ///
    /// When the automaton cannot be built (a policy far beyond any real size).
    pub fn from_policy(policy: Policy) -> Result<Screener, PolicyError> {
        let mut rules = builtin_rules();
        let mut builder = MatcherBuilder::default();
        let lexicons = add_lexicons(&policy, &mut rules, &mut builder);
        for term in &policy.file.allow.terms {
            builder.add(term.get_ref(), Use::Allow);
        }
        let near = add_near_entries(&policy, &mut rules, &mut builder);
        apply_rule_settings(&policy, &mut rules);
        let enabled = |rule: BuiltinRule| rules[rule as usize].enabled;
        let style = add_style(&policy, enabled(BuiltinRule::StyleTerm), &mut builder);
        let protected = protected_names(&policy, enabled(BuiltinRule::StyleName));
        let name_variants = names::add_patterns(&mut builder, &protected);
        let (cue_texts, cue_kinds) = add_cues(&enabled, &mut builder);
        let too_large = |e| {
            PolicyError::new(
                PolicyErrorKind::Invalid,
                None,
                format!("cannot build the automaton: {e}"),
            )
        };
        let matcher = builder.build().map_err(too_large)?;
        let sounds = PinyinMatcher::new(
            lexicons.sound_terms,
            policy.file.lexicon.len(),
            lexicons.sound_chars,
        )
        .map_err(too_large)?;
        let settings = rules::Settings::from_policy(&policy);
        let builtin_enabled: Vec<bool> = rules[..catalog::RULES.len()]
            .iter()
            .map(|r| r.enabled)
            .collect();
        let builtin_where = |keep: &dyn Fn(BuiltinRule) -> bool| -> Vec<bool> {
            BuiltinRule::ALL
                .iter()
                .zip(&builtin_enabled)
                .map(|(&r, &on)| on && keep(r))
                .collect()
        };
        Ok(Screener {
            inner: Arc::new(Compiled {
                matcher,
                sounds,
                sounds_for: lexicons.sounds_for,
                group_rule: lexicons.group_rule,
                group_variants: lexicons.group_variants,
                near,
                style,
                names: protected,
                name_variants,
                cues: cue_texts,
                cue_kinds,
                // The title's repost marks are the body's evidence.
                title_enabled: builtin_where(&|r| r.family() != rules::Family::Attribution),
                link_enabled: builtin_where(&|r| r == BuiltinRule::AdLink),
                rules,
                builtin_enabled,
                settings,
                policy,
            }),
        })
    }

    /// The policy this screener was built from.
    pub fn policy(&self) -> &Policy {
        &self.inner.policy
    }

    /// How each rule applies under this screener's policy: built-in rules
    /// first (catalog order), then `term.*` and `near.*` rules.
    pub fn rules(&self) -> Vec<RuleSetting> {
        let c = &*self.inner;
        // Cues feeding a rule, from the one map of which rules read which
        // cue kinds (`CueKind::consumers`).
        let cue_count = |rule: BuiltinRule| {
            c.cue_kinds
                .iter()
                .filter(|k| k.consumers().contains(&rule))
                .count()
        };
        c.rules
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let group = c.group_rule.iter().position(|&gr| gr as usize == i);
                let entries = match BuiltinRule::ALL.get(i) {
                    Some(BuiltinRule::StyleTerm) => c.style.len(),
                    Some(BuiltinRule::StyleName) => c.names.len(),
                    Some(&rule) => cue_count(rule),
                    None => match group {
                        Some(g) => c.policy.file.lexicon[g].terms.len(),
                        None => c
                            .near
                            .iter()
                            .find(|n| n.rule as usize == i)
                            .map_or(0, |n| n.terms),
                    },
                };
                RuleSetting {
                    id: r.id.clone(),
                    severity: r.severity,
                    approval: r.approval,
                    enabled: r.enabled,
                    entries,
                }
            })
            .collect()
    }

    /// For each lexicon group, in policy order: how many evasive spellings
    /// are compiled for its terms (拆字 variants, pinyin and homophone
    /// keys). Asking builds the sound automata, which screening otherwise
    /// builds on the first draft that needs them.
    ///
    /// ```
    /// let screener = xianshen::Screener::new();
    /// let counts = screener.evasive_spellings();
    /// assert_eq!(counts.len(), screener.policy().lexicon_counts().len());
    /// assert!(counts.iter().all(|&n| n > 0));
    /// ```
    pub fn evasive_spellings(&self) -> Vec<usize> {
        let c = &*self.inner;
        let sounds = c
            .sounds
            .as_ref()
            .map(|s| s.patterns_per_group(&c.policy.file.lexicon));
        (0..c.group_variants.len())
            .map(|g| c.group_variants[g] + sounds.map_or(0, |p| p[g]))
            .collect()
    }

    /// How many protected names this screener looks for, and how many
    /// near-miss variants they compiled to (the insertion parts counted
    /// once per position).
    ///
    /// ```
    /// let (names, variants) = xianshen::Screener::new().protected_name_variants();
    /// assert!(names > 0 && variants > names);
    /// ```
    pub fn protected_name_variants(&self) -> (usize, usize) {
        (self.inner.names.len(), self.inner.name_variants)
    }

    /// Heap memory of the automata (the main one and, when the policy
    /// looks for pinyin or homophones and a draft that needs them has been
    /// screened, the sound ones), in bytes.
    pub fn automaton_memory(&self) -> usize {
        let c = &*self.inner;
        c.matcher.memory_usage() + c.sounds.as_ref().map_or(0, PinyinMatcher::memory_usage)
    }

    /// Screens a text with no metadata.
    pub fn screen_text(&self, text: &str) -> Report {
        self.screen(&Draft::new(text))
    }

    /// Screens UTF-8 bytes (as they come from a file or a C caller).
    ///
    /// # Errors
    ///
    /// [`InputError::InvalidUtf8`] with the offset of the first bad byte.
    pub fn screen_utf8(&self, bytes: &[u8], draft: Draft<'_>) -> Result<Report, InputError> {
        let text = std::str::from_utf8(bytes).map_err(|e| InputError::InvalidUtf8 {
            offset: e.valid_up_to(),
        })?;
        self.try_screen(&Draft { text, ..draft })
    }

    /// Screens a draft, or says that its text or title is too large
    /// ([`InputError::TooLarge`]) where [`Screener::screen`] would panic.
    ///
    /// # Errors
    ///
    /// [`InputError::TooLarge`] for a text or title of
    /// [`MAX_INPUT_BYTES`] or more.
    pub fn try_screen(&self, draft: &Draft<'_>) -> Result<Report, InputError> {
        check_input_len(draft.text)?;
        check_input_len(draft.title.unwrap_or(""))?;
        Ok(self.screen(draft))
    }

    /// Screens a draft.
    ///
    /// # Panics
    ///
    /// Panics if the text is longer than [`MAX_INPUT_BYTES`] (offsets
    /// are kept as `u32` internally); split such input first, or use
    /// [`Screener::try_screen`].
    pub fn screen(&self, draft: &Draft<'_>) -> Report {
        SCRATCH.with(|scratch| {
            let mut scratch = scratch.borrow_mut();
            self.screen_with(draft, &mut scratch)
        })
    }

    /// Screens a draft whose text was derived from `source` (the text a
    /// reader sees of an HTML or Markdown draft) and reports against the
    /// source: every finding's offsets, line, column and text are the
    /// source's (`map` takes the text's offsets there), and the input
    /// digest is the source's. Each link target is screened for `ad.link`
    /// on its own, its findings pointing into the link's span, unless a
    /// finding of the text already covers it. See [`SourceMap`].
    ///
    /// # Panics
    ///
    /// As [`Screener::screen`].
    pub fn screen_in_source(
        &self,
        draft: &Draft<'_>,
        source: &str,
        map: &dyn SourceMap,
        links: &[SourceLink],
    ) -> Report {
        SCRATCH.with(|scratch| {
            let mut scratch = scratch.borrow_mut();
            let today = draft.date.unwrap_or_else(Date::today_utc);
            let ((mut body, title), info) = with_input_info(source, || {
                self.raw_body_and_title(draft, &mut scratch, today)
            });
            for f in &mut body {
                let r = map.source_range(f.span.start..f.span.end);
                f.span = Span::new(r.start, r.end);
            }
            merge_overlaps_within_rules(&mut body);
            self.add_link_findings(links, &mut body, &mut scratch, today);
            self.report(source, info, body, title, today)
        })
    }

    /// `ad.link` findings of each link target, in the source's offsets,
    /// where no finding of the same rule is yet; sorted back by start and
    /// rule id.
    fn add_link_findings(
        &self,
        links: &[SourceLink],
        findings: &mut Vec<RawFinding>,
        scratch: &mut Scratch,
        today: Date,
    ) {
        let c = &*self.inner;
        for link in links {
            let as_text = Draft::new(&link.url).date(today);
            for mut f in self.raw_findings(&as_text, scratch, today, &c.link_enabled) {
                if f.rule != BuiltinRule::AdLink as u32 {
                    continue;
                }
                let span = if link.exact {
                    Span::new(link.span.start + f.span.start, link.span.start + f.span.end)
                } else {
                    Span::new(link.span.start, link.span.end)
                };
                let taken = findings.iter().any(|g| {
                    g.rule == f.rule && g.span.start < span.end && span.start < g.span.end
                });
                if !taken {
                    f.span = span;
                    findings.push(f);
                }
            }
        }
        self.sort_by_start_and_rule(findings);
    }

    /// The raw findings of a draft's text and title, screened on the
    /// draft's date (else today in UTC).
    pub(crate) fn raw_draft<'d>(
        &self,
        draft: &Draft<'d>,
    ) -> (Vec<RawFinding>, Option<TitleFindings<'d>>) {
        let today = draft.date.unwrap_or_else(Date::today_utc);
        SCRATCH.with(|scratch| self.raw_body_and_title(draft, &mut scratch.borrow_mut(), today))
    }

    fn screen_with(&self, draft: &Draft<'_>, scratch: &mut Scratch) -> Report {
        let today = draft.date.unwrap_or_else(Date::today_utc);
        let ((body, title), info) = with_input_info(draft.text, || {
            self.raw_body_and_title(draft, scratch, today)
        });
        self.report(draft.text, info, body, title, today)
    }

    /// The raw findings of a draft's text and of its title, if it has one.
    fn raw_body_and_title<'d>(
        &self,
        draft: &Draft<'d>,
        scratch: &mut Scratch,
        today: Date,
    ) -> (Vec<RawFinding>, Option<TitleFindings<'d>>) {
        let c = &*self.inner;
        let body = self.raw_findings(draft, scratch, today, &c.builtin_enabled);
        // The title is screened as a field of its own, with offsets into
        // it; its repost marks are the body's attribution evidence, so the
        // attribution rules do not run on it again.
        let title = draft.title.filter(|t| !t.trim().is_empty()).map(|title| {
            let as_text = Draft {
                text: title,
                title: None,
                source: None,
                ..*draft
            };
            (
                title,
                self.raw_findings(&as_text, scratch, today, &c.title_enabled),
            )
        });
        (body, title)
    }

    /// The findings of one text, before positions: every rule that is on,
    /// leftmost-longest within a rule, sorted by start and rule id.
    fn raw_findings(
        &self,
        draft: &Draft<'_>,
        scratch: &mut Scratch,
        today: Date,
        enabled: &[bool],
    ) -> Vec<RawFinding> {
        let c = &*self.inner;
        let input = draft.text;
        assert!(input.len() <= MAX_INPUT_BYTES, "input of 4 GiB or more");
        let Scratch { hits, matcher } = scratch;
        hits.clear();
        let groups = &c.policy.file.lexicon;
        let kind = draft.kind;
        let sounds = c.sounds.as_ref().filter(|_| c.sounds_for[kind.index()]);
        c.matcher.find(input, groups, sounds, matcher, hits);

        let allowed = AllowSpans::new(hits);
        let (mut raw, mut near_hits, mut cue_hits, mut name_hits) = (
            Vec::new(),
            Vec::new(),
            Vec::<rules::CueHit>::new(),
            Vec::new(),
        );
        let mut marks: Option<Marks> = None;
        for hit in hits.iter() {
            if matches!(hit.what, Use::Allow) || allowed.covers(hit.span) {
                continue;
            }
            match hit.what {
                Use::Term { .. } => raw.extend(self.term_finding(input, kind, hit, &mut marks)),
                Use::Style { index } => {
                    if style_applies(input, kind, hit.span) {
                        let mut f = RawFinding::builtin(BuiltinRule::StyleTerm, hit.span);
                        f.suggestion = Some(index);
                        raw.push(f);
                    }
                }
                Use::Near { entry, term } => near_hits.push((entry, term, hit.span)),
                // A comment from the public is not the account's wording.
                Use::Name { .. } if kind == Kind::Comment => {}
                Use::Name { name, form } => name_hits.push(NameHit {
                    name,
                    form,
                    span: hit.span,
                }),
                Use::Cue { kind, index } => cue_hits.push(rules::CueHit {
                    kind,
                    cue: &c.cues[index as usize],
                    span: hit.span,
                }),
                Use::Allow => {}
            }
        }
        drop_evasive_readings_of_written_terms(&mut raw, |f| c.rules[f.rule as usize].severity);
        self.name_findings(input, &name_hits, &mut raw);
        self.near_findings(input, &mut near_hits, &mut raw);
        drop_nested_cues(&mut cue_hits);
        let ctx = rules::Context {
            input,
            draft,
            cues: &cue_hits,
            settings: &c.settings,
            enabled,
            today,
        };
        rules::detect(&ctx, &mut raw);
        raw.retain(|f| c.rules[f.rule as usize].enabled);
        leftmost_longest(&mut raw);
        self.sort_by_start_and_rule(&mut raw);
        raw
    }

    /// `style.name` findings: the near misses of protected names among
    /// their variants' hits.
    fn name_findings(&self, input: &str, hits: &[NameHit], out: &mut Vec<RawFinding>) {
        let names = &self.inner.names;
        for miss in names::judge(input, names, hits) {
            let mut f = RawFinding::builtin(BuiltinRule::StyleName, miss.span);
            f.name = Some(miss.name);
            f.message = Some(names::message(&names[miss.name as usize], miss.edit));
            out.push(f);
        }
    }

    /// Sorts raw findings in report order: by start, then rule id.
    fn sort_by_start_and_rule(&self, raw: &mut [RawFinding]) {
        let rules = &self.inner.rules;
        raw.sort_by(|a, b| {
            (a.span.start, &rules[a.rule as usize].id)
                .cmp(&(b.span.start, &rules[b.rule as usize].id))
        });
    }

    /// The finding of a lexicon term's hit, unless the term does not apply
    /// to this kind of text, the evasive form is beyond the lexicon's
    /// reach, a threat is not the writer's, or the words are not the
    /// writer's own: a user's name, a platform emoticon ([草泥马]) or, for
    /// what is not blocked outright, the title of a work (《流云尼玛》).
    fn term_finding(
        &self,
        input: &str,
        kind: Kind,
        hit: &Hit,
        marks: &mut Option<Marks>,
    ) -> Option<RawFinding> {
        let Use::Term {
            lexicon,
            term,
            evasion,
            ..
        } = hit.what
        else {
            return None;
        };
        let span = hit.span;
        let c = &*self.inner;
        let group = &c.policy.file.lexicon[lexicon as usize];
        let reached = |form: Evasion| group.evasion().is_some_and(|e| e.reach(form).covers(kind));
        if !group.applies_to(kind)
            || evasion.is_some_and(|form| !reached(form))
            || (group.threat && !rules::threat::made_by_writer(input, span))
        {
            return None;
        }
        let marks = marks.get_or_insert_with(|| Marks::of(input));
        if (marks.at && rules::text::in_handle(input, span))
            || rules::text::within_any(&marks.emoticons, span)
            || (group.severity != Severity::Block && rules::text::within_any(&marks.titles, span))
        {
            return None;
        }
        let mut f = RawFinding::new(c.group_rule[lexicon as usize], span);
        f.term = Some((lexicon, term));
        f.evasion = evasion.or_else(|| {
            input[span]
                .chars()
                .any(crate::normalize::is_lookalike)
                .then_some(Evasion::Lookalike)
        });
        Some(f)
    }

    /// `near` entries: all terms of an entry within `within` chars, from
    /// the first term's start to the last term's end.
    fn near_findings(&self, input: &str, hits: &mut [(u32, u32, Span)], out: &mut Vec<RawFinding>) {
        if hits.is_empty() {
            return;
        }
        hits.sort_by_key(|&(e, _, s)| (e, s.start, s.end));
        let mut offsets: Vec<usize> = hits.iter().flat_map(|h| [h.2.start, h.2.end]).collect();
        offsets.sort_unstable();
        offsets.dedup();
        let mut pos = Positions::new(input);
        let chars: Vec<usize> = offsets.iter().map(|&o| pos.at(o).chars).collect();
        let char_at = |o: usize| chars[offsets.binary_search(&o).expect("offset was collected")];
        let mut i = 0;
        while i < hits.len() {
            let entry = hits[i].0;
            let j = i + hits[i..].iter().take_while(|h| h.0 == entry).count();
            let group = &hits[i..j];
            let spec = &self.inner.near[entry as usize];
            for (a, anchor) in group.iter().enumerate() {
                let limit = char_at(anchor.2.start) + spec.within;
                let mut found = vec![false; spec.terms];
                found[anchor.1 as usize] = true;
                let mut end = anchor.2.end;
                for other in &group[a..] {
                    // Sorted by start: nothing later can fit either.
                    if char_at(other.2.start) > limit {
                        break;
                    }
                    if char_at(other.2.end) > limit {
                        continue;
                    }
                    if !found[other.1 as usize] {
                        found[other.1 as usize] = true;
                        end = end.max(other.2.end);
                    }
                }
                if found.iter().all(|&f| f) {
                    out.push(RawFinding::new(spec.rule, Span::new(anchor.2.start, end)));
                }
            }
            i = j;
        }
    }

    /// The report of a draft from the raw findings of its body and title
    /// (`info`: the audit facts of `input`).
    fn report(
        &self,
        input: &str,
        info: InputInfo,
        body: Vec<RawFinding>,
        title: Option<TitleFindings<'_>>,
        date: Date,
    ) -> Report {
        let title_raw = title.as_ref().map_or(&[][..], |(_, raw)| raw.as_slice());
        let (verdict, approval) = self.tally(body.iter().chain(title_raw));
        let max = self.inner.policy.max_findings();
        let truncated = body.len() > max || title_raw.len() > max;
        let title_findings = match title {
            Some((text, raw)) => self.findings(text, raw, max),
            None => Vec::new(),
        };
        Report {
            schema: REPORT_SCHEMA.to_string(),
            verdict,
            approval,
            findings: self.findings(input, body, max),
            title_findings,
            truncated,
            input: info,
            policy: self.policy_info(),
            engine: EngineInfo::default(),
            date: Some(date),
        }
    }

    /// The verdict and the approval that raw findings ask for.
    pub(crate) fn tally<'f>(
        &self,
        raw: impl Iterator<Item = &'f RawFinding> + Clone,
    ) -> (Verdict, Approval) {
        let rules = &self.inner.rules;
        (
            Verdict::from_severities(raw.clone().map(|f| self.severity(f))),
            Approval::required(raw.map(|f| rules[f.rule as usize].approval)),
        )
    }

    /// The policy's name, version and fingerprint, as reports carry them.
    pub(crate) fn policy_info(&self) -> PolicyInfo {
        let policy = &self.inner.policy;
        PolicyInfo {
            name: policy.name().to_string(),
            version: policy.version().to_string(),
            fingerprint: policy.fingerprint().to_string(),
        }
    }

    /// A finding's severity: the detector's own unless the policy set the
    /// rule's.
    fn severity(&self, f: &RawFinding) -> Severity {
        let rule = &self.inner.rules[f.rule as usize];
        match f.severity {
            Some(s) if !rule.severity_set => s,
            _ => rule.severity,
        }
    }

    /// The first `max` raw findings of `input` with positions, text,
    /// messages and suggestions.
    pub(crate) fn findings(&self, input: &str, raw: Vec<RawFinding>, max: usize) -> Vec<Finding> {
        let c = &*self.inner;
        let mut pos = Positions::new(input);
        raw.into_iter()
            .take(max)
            .map(|f| {
                let rule = &c.rules[f.rule as usize];
                let severity = self.severity(&f);
                let start = pos.at(f.span.start);
                let (char_end, utf16_end) = pos.ahead(f.span.end);
                Finding {
                    rule: rule.id.clone(),
                    category: catalog::category_of(&rule.id).to_string(),
                    severity,
                    approval: rule.approval,
                    start: f.span.start,
                    end: f.span.end,
                    char_start: start.chars,
                    char_end,
                    utf16_start: start.utf16,
                    utf16_end,
                    line: start.line,
                    column: start.column,
                    text: input[f.span].to_string(),
                    term: f.term.map(|(g, t)| {
                        c.policy.file.lexicon[g as usize].terms[t as usize]
                            .get_ref()
                            .clone()
                    }),
                    message: f.message.unwrap_or_else(|| rule.message.clone()),
                    suggestion: f
                        .suggestion
                        .map(|i| c.style[i as usize].1.clone())
                        .or_else(|| f.name.map(|i| c.names[i as usize].written.clone())),
                    evasion: f.evasion,
                }
            })
            .collect()
    }
}

/// A draft's title and its raw findings.
pub(crate) type TitleFindings<'d> = (&'d str, Vec<RawFinding>);

/// What can make a term hit not the writer's own words, found once per
/// draft with a term hit.
struct Marks {
    /// Whether there is an `@` or `＠` (an @handle) at all.
    at: bool,
    /// Emoticon codes (`[草泥马]`).
    emoticons: Vec<Span>,
    /// Titles of works (《流云尼玛》).
    titles: Vec<Span>,
}

impl Marks {
    fn of(input: &str) -> Marks {
        Marks {
            at: memchr::memchr(b'@', input.as_bytes()).is_some()
                || memchr::memmem::find(input.as_bytes(), "＠".as_bytes()).is_some(),
            emoticons: rules::text::emoticon_spans(input),
            titles: rules::text::title_spans(input),
        }
    }
}

/// Drops a pinyin or homophone reading of a span that holds a term as
/// written (操你妈 is profanity, not also a homophone of the insult 草泥马),
/// and of several such readings of one span keeps the most severe
/// (shabi reads as 傻逼 and as 傻笔: one finding, profanity).
fn drop_evasive_readings_of_written_terms(
    raw: &mut Vec<RawFinding>,
    severity: impl Fn(&RawFinding) -> Severity,
) {
    let sound = |f: &RawFinding| matches!(f.evasion, Some(Evasion::Pinyin | Evasion::Homophone));
    if !raw.iter().any(sound) {
        return;
    }
    let written: Vec<Span> = raw
        .iter()
        .filter(|f| f.term.is_some() && f.evasion.is_none())
        .map(|f| f.span)
        .collect();
    raw.retain(|f| {
        !sound(f)
            || !written
                .iter()
                .any(|w| w.start <= f.span.start && f.span.end <= w.end)
    });
    // Most severe first within a span, so the first reading of each span wins.
    let mut readings: Vec<(Span, std::cmp::Reverse<Severity>, usize)> = raw
        .iter()
        .enumerate()
        .filter(|(_, f)| sound(f))
        .map(|(i, f)| (f.span, std::cmp::Reverse(severity(f)), i))
        .collect();
    readings.sort_by_key(|&(span, severity, i)| (span.start, span.end, severity, i));
    let mut dropped = vec![false; raw.len()];
    for pair in readings.windows(2) {
        if pair[0].0 == pair[1].0 {
            dropped[pair[1].2] = true;
        }
    }
    let mut i = 0;
    raw.retain(|_| {
        i += 1;
        !dropped[i - 1]
    });
}

/// Whether a style suggestion is for the account's own wording: not for a
/// comment from the public, an @handle, a form the text quotes
/// (“有木有”的说法) or a figure of speech (把观众当瞎子), which the
/// respectful form does not fix.
fn style_applies(input: &str, kind: Kind, span: Span) -> bool {
    kind != Kind::Comment
        && !rules::text::in_handle(input, span)
        && !rules::text::inside_quotes(input, span.start)
        && !rules::text::figure_of_speech(input, span)
}

/// Sorts cue hits by start and drops each one that lies inside a longer
/// hit of the same kind (包邮 inside 全场包邮 is one cue, not two).
fn drop_nested_cues(hits: &mut Vec<rules::CueHit<'_>>) {
    hits.sort_by_key(|h| (h.span.start, std::cmp::Reverse(h.span.end), h.kind));
    let mut reach: Vec<(CueKind, usize)> = Vec::new();
    hits.retain(|h| {
        match reach.iter_mut().find(|(k, _)| *k == h.kind) {
            Some((_, end)) if *end >= h.span.end => return false,
            Some((_, end)) => *end = h.span.end,
            None => reach.push((h.kind, h.span.end)),
        }
        true
    });
    hits.sort_by_key(|h| (h.span.start, h.span.end));
}

/// Allow-list spans, for "does an allowed phrase cover this hit?" in
/// O(log n): sorted by start, with the running maximum of ends.
struct AllowSpans {
    starts: Vec<usize>,
    max_end: Vec<usize>,
}

impl AllowSpans {
    fn new(hits: &[Hit]) -> AllowSpans {
        let mut spans: Vec<Span> = hits
            .iter()
            .filter(|h| matches!(h.what, Use::Allow))
            .map(|h| h.span)
            .collect();
        spans.sort_unstable();
        let mut max_end = Vec::with_capacity(spans.len());
        let mut m = 0;
        for s in &spans {
            m = m.max(s.end);
            max_end.push(m);
        }
        AllowSpans {
            starts: spans.iter().map(|s| s.start).collect(),
            max_end,
        }
    }

    fn covers(&self, span: Span) -> bool {
        let n = self.starts.partition_point(|&s| s <= span.start);
        n > 0 && self.max_end[n - 1] >= span.end
    }
}

/// The longest text a screener takes, in bytes: offsets are `u32` inside.
pub const MAX_INPUT_BYTES: usize = u32::MAX as usize - 1;

/// [`InputError::TooLarge`] for a text longer than [`MAX_INPUT_BYTES`].
fn check_input_len(text: &str) -> Result<(), InputError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(InputError::TooLarge { bytes: text.len() });
    }
    Ok(())
}

/// Findings of one rule never overlap: where two map into one piece of a
/// source that the derived text does not follow char by char (a decoded
/// entity, a rewritten line), the later is merged into the earlier, whose
/// span grows to cover both. Findings stay sorted by start.
fn merge_overlaps_within_rules(findings: &mut Vec<RawFinding>) {
    let mut last_of_rule: rustc_hash::FxHashMap<u32, usize> = Default::default();
    let mut kept: Vec<RawFinding> = Vec::with_capacity(findings.len());
    for f in findings.drain(..) {
        if let Some(&i) = last_of_rule.get(&f.rule) {
            let prev = &mut kept[i];
            if f.span.start < prev.span.end {
                prev.span.end = prev.span.end.max(f.span.end);
                continue;
            }
        }
        last_of_rule.insert(f.rule, kept.len());
        kept.push(f);
    }
    *findings = kept;
}

/// The built-in rules with their catalog settings, in catalog order (a
/// [`BuiltinRule`] is its index).
fn builtin_rules() -> Vec<EffectiveRule> {
    catalog::RULES
        .iter()
        .map(|r| EffectiveRule {
            id: r.id.to_string(),
            severity: r.severity,
            severity_set: false,
            approval: r.approval,
            enabled: true,
            message: r.message.to_string(),
        })
        .collect()
}

/// What the lexicon groups compiled to besides their patterns.
struct Lexicons {
    /// Each group's rule index.
    group_rule: Vec<u32>,
    /// How many variants each group's terms expanded to.
    group_variants: Vec<usize>,
    /// Terms also matched by sound (pinyin, homophones).
    sound_terms: Vec<SoundTerm>,
    sound_chars: usize,
    /// Whether any sound matching applies to each draft kind.
    sounds_for: [bool; Kind::ALL.len()],
}

/// Adds each lexicon group's rule (`term.<tag>`) and its terms.
fn add_lexicons(
    policy: &Policy,
    rules: &mut Vec<EffectiveRule>,
    builder: &mut MatcherBuilder,
) -> Lexicons {
    let groups = &policy.file.lexicon;
    let mut out = Lexicons {
        group_rule: Vec::with_capacity(groups.len()),
        group_variants: Vec::with_capacity(groups.len()),
        sound_terms: Vec::new(),
        sound_chars: 0,
        sounds_for: [false; Kind::ALL.len()],
    };
    for (li, lex) in groups.iter().enumerate() {
        let tag = lex.tag.get_ref();
        out.group_rule.push(rules.len() as u32);
        rules.push(EffectiveRule {
            id: format!("term.{tag}"),
            severity: lex.severity,
            severity_set: true,
            approval: lex.approval,
            enabled: true,
            message: lex
                .message
                .clone()
                .unwrap_or_else(|| catalog::term_message(tag)),
        });
        let reach = |form| lex.evasion().map_or(Reach::Off, |e| e.reach(form));
        let chaizi = reach(Evasion::Chaizi) != Reach::Off;
        let (pinyin, homophones) = (reach(Evasion::Pinyin), reach(Evasion::Homophone));
        for (k, &kind) in Kind::ALL.iter().enumerate() {
            out.sounds_for[k] |=
                lex.applies_to(kind) && (pinyin.covers(kind) || homophones.covers(kind));
        }
        let (pinyin, homophones) = (pinyin != Reach::Off, homophones != Reach::Off);
        let mut variants = 0;
        for (ti, term) in lex.terms.iter().enumerate() {
            let (li, ti, term) = (li as u32, ti as u32, term.get_ref());
            variants += builder.add_term(li, ti, term, chaizi);
            if pinyin || homophones {
                out.sound_terms.push(SoundTerm {
                    lexicon: li,
                    term: ti,
                    pinyin,
                    homophones,
                });
                out.sound_chars += term.chars().count();
            }
        }
        out.group_variants.push(variants);
    }
    out
}

/// Adds each `near` entry's rule (`near.<tag>`) and its terms.
fn add_near_entries(
    policy: &Policy,
    rules: &mut Vec<EffectiveRule>,
    builder: &mut MatcherBuilder,
) -> Vec<NearEntry> {
    let mut near = Vec::with_capacity(policy.file.near.len());
    for (ei, entry) in policy.file.near.iter().enumerate() {
        let tag = entry.tag.get_ref();
        near.push(NearEntry {
            rule: rules.len() as u32,
            terms: entry.terms.len(),
            within: entry.within,
        });
        rules.push(EffectiveRule {
            id: format!("near.{tag}"),
            severity: entry.severity,
            severity_set: true,
            approval: entry.approval,
            enabled: true,
            message: entry
                .message
                .clone()
                .unwrap_or_else(|| catalog::near_message(tag)),
        });
        for (ti, term) in entry.terms.iter().enumerate() {
            let at = Use::Near {
                entry: ei as u32,
                term: ti as u32,
            };
            builder.add(term.get_ref(), at);
        }
    }
    near
}

/// The policy's `[rules]`: on or off, severity, approval.
fn apply_rule_settings(policy: &Policy, rules: &mut [EffectiveRule]) {
    for (id, setting) in &policy.file.rules {
        if let Some(rule) = rules.iter_mut().find(|r| r.id == *id.get_ref()) {
            rule.enabled = setting.enabled.unwrap_or(true);
            rule.severity = setting.severity.unwrap_or(rule.severity);
            rule.severity_set |= setting.severity.is_some();
            rule.approval = setting.approval.or(rule.approval);
        }
    }
}

/// The style substitutions (wrong → preferred), their wrong forms added
/// as patterns when `style.term` is on.
fn add_style(policy: &Policy, on: bool, builder: &mut MatcherBuilder) -> Vec<(String, String)> {
    let style: Vec<(String, String)> = policy
        .file
        .style
        .substitutions
        .iter()
        .map(|(w, p)| (w.get_ref().clone(), p.clone()))
        .collect();
    if on {
        for (si, (wrong, _)) in style.iter().enumerate() {
            builder.add(wrong, Use::Style { index: si as u32 });
        }
    }
    style
}

/// The protected names, folded, when `style.name` is on.
fn protected_names(policy: &Policy, on: bool) -> Vec<ProtectedName> {
    if !on {
        return Vec::new();
    }
    policy
        .protected_names()
        .into_iter()
        .map(|(written, category)| ProtectedName {
            folded: crate::normalize_str(&written, crate::NormalizeOptions::ALL)
                .chars()
                .collect(),
            written,
            category,
        })
        .collect()
}

/// Adds the detectors' cues whose consuming rules are on; returns their
/// texts and kinds, indexed as the patterns say.
fn add_cues(
    enabled: &dyn Fn(BuiltinRule) -> bool,
    builder: &mut MatcherBuilder,
) -> (Vec<String>, Vec<CueKind>) {
    let mut texts = Vec::new();
    let mut kinds = Vec::new();
    for &(kind, ref cue) in cues::all() {
        if !kind.consumers().iter().any(|&rule| enabled(rule)) {
            continue;
        }
        let at = Use::Cue {
            kind,
            index: texts.len() as u32,
        };
        builder.add(cue, at);
        texts.push(cue.clone());
        kinds.push(kind);
    }
    (texts, kinds)
}

/// Inputs at least this long are digested on a thread of their own while
/// they are screened: the sha256 is about a tenth of a big input's time,
/// and a thread costs tens of microseconds.
const PARALLEL_DIGEST_BYTES: usize = 1 << 20;

/// Runs `screen` and computes `input`'s [`InputInfo`] (its sha256 and
/// counts): for a big input at the same time, on a scoped thread; for a
/// small one, or when no thread can be started, one after the other.
fn with_input_info<T>(input: &str, screen: impl FnOnce() -> T) -> (T, InputInfo) {
    if input.len() < PARALLEL_DIGEST_BYTES {
        return (screen(), InputInfo::of(input));
    }
    std::thread::scope(|scope| {
        let digest = std::thread::Builder::new()
            .name("xianshen-digest".into())
            .spawn_scoped(scope, || InputInfo::of(input));
        let screened = screen();
        let info = digest
            .ok()
            .and_then(|handle| handle.join().ok())
            .unwrap_or_else(|| InputInfo::of(input));
        (screened, info)
    })
}
