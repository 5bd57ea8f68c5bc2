//! The audit: its JSON shape (`xianshen.audit/1`) and the run that fills
//! it, stage by stage: the archive read in one pass (the `scan` module:
//! batches, posts screened in parallel), the period settled, replies
//! against deadlines, boilerplate, cadence, then the summaries assembled.

use crate::boilerplate;
use crate::cadence::{self, AccountCadence};
use crate::calendar::WorkCalendar;
use crate::content::{ContentItem, ContentMonth};
use crate::error::{AuditError, RecordError};
use crate::input::{AuditInput, FieldMap};
use crate::replies::{self, CategorySummary, Deadlines, MessageAudit, ReplyStatus};
use crate::scan::{PostsKept, Scan, Span, Window};
use crate::time::{date_of_day, day_number, today_beijing};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use xianshen::{AuditSettings, Date, EngineInfo, PolicyInfo, Screener};

/// The JSON schema id of a serialized [`Audit`].
pub const AUDIT_SCHEMA: &str = "xianshen.audit/1";

/// What to audit beyond the archive itself.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditOptions {
    /// The first day of the period (Beijing time); the archive's first day
    /// when `None`.
    pub from: Option<Date>,
    /// The last day of the period; the archive's last day when `None`.
    pub to: Option<Date>,
    /// The day unanswered messages are counted to; today in Beijing when
    /// `None`.
    pub audit_date: Option<Date>,
    /// Field names of posts and messages.
    pub fields: FieldMap,
    /// The account of records that have no account field.
    pub account: Option<String>,
}

/// The period audited.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Period {
    /// First day.
    pub from: Date,
    /// Last day.
    pub to: Date,
    /// Days in it.
    pub days: u32,
    /// `options` when the caller set both ends, else `archive` (an end
    /// taken from the archive's first or last record).
    pub source: &'static str,
}

/// The settings the audit applied (from the policy's `[audit]`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SettingsUsed {
    /// Working days allowed per category.
    pub deadlines: BTreeMap<String, u32>,
    /// Working days for any other category.
    pub default_deadline: u32,
    /// Days without an update that make a gap severe.
    pub severe_gap_days: u32,
    /// Messages a reply must be sent to, to be boilerplate.
    pub boilerplate_min_messages: usize,
    /// Bigram Jaccard similarity for "nearly the same" reply.
    pub boilerplate_similarity: f64,
    /// Years the working-day calendar covers.
    pub calendar_years: Vec<u32>,
}

/// Counts for one kind of input.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct InputCounts {
    /// The inputs, as named.
    pub files: Vec<String>,
    /// Records read (blank lines aside).
    pub records: u64,
    /// Records audited.
    pub audited: u64,
    /// Records outside the period (read, not audited).
    pub outside_period: u64,
    /// Records with an error (listed in `errors`).
    pub errors: u64,
}

/// Both inputs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Inputs {
    /// Posts.
    pub posts: InputCounts,
    /// Messages.
    pub messages: InputCounts,
}

/// The headline figures of one account.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct AccountSummary {
    /// The account.
    pub account: String,
    /// Posts in the period.
    pub posts: u64,
    /// ISO weeks overlapping the period.
    pub weeks: u64,
    /// Weeks without a post.
    pub empty_weeks: u64,
    /// Gaps of `severe_gap_days` or more.
    pub severe_gaps: u64,
    /// The longest run of days without a post.
    pub longest_gap_days: u32,
    /// Messages asked in the period.
    pub messages: u64,
    /// Answered on time.
    pub on_time: u64,
    /// Answered late, or unanswered past the deadline.
    pub overdue: u64,
    /// Not answered.
    pub unanswered: u64,
    /// Replies among boilerplate groups.
    pub boilerplate_replies: u64,
    /// Replies that share no content word with their message.
    pub off_topic_replies: u64,
    /// Posts that need review.
    pub review_posts: u64,
    /// Posts that must be blocked.
    pub blocked_posts: u64,
}

/// Replies against deadlines.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Replies {
    /// Per category (sorted; messages without a category first).
    pub categories: Vec<CategorySummary>,
    /// Ids of messages answered late or unanswered past the deadline.
    pub overdue: Vec<String>,
    /// Ids of messages not answered.
    pub unanswered: Vec<String>,
    /// Every message, in input order.
    pub messages: Vec<MessageAudit>,
}

/// One boilerplate reply: the same or nearly the same text sent to many
/// messages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BoilerplateGroup {
    /// The reply as first sent (the group leader's original text).
    pub text: String,
    /// Messages it answered.
    pub messages: u64,
    /// Distinct normalised texts in the group (1: all identical).
    pub variants: u64,
    /// Accounts that sent it.
    pub accounts: Vec<String>,
    /// Ids of the messages, the leader's first, then in input order.
    pub message_ids: Vec<String>,
}

/// A reply that shares no content word with its message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OffTopicReply {
    /// The message id.
    pub id: String,
    /// The account.
    pub account: String,
    /// The message (its first 80 chars).
    pub message: String,
    /// The reply (its first 80 chars).
    pub reply: String,
}

/// Boilerplate and off-topic replies.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Boilerplate {
    /// Groups of at least `boilerplate_min_messages` messages, largest first.
    pub groups: Vec<BoilerplateGroup>,
    /// Replies sharing no content word with their message, input order.
    pub off_topic: Vec<OffTopicReply>,
}

/// Screening aggregated.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Content {
    /// Per account and month, sorted.
    pub months: Vec<ContentMonth>,
    /// Posts that need review or must be blocked, input order.
    pub items: Vec<ContentItem>,
}

/// An archive audit (JSON schema `xianshen.audit/1`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Audit {
    /// Always [`AUDIT_SCHEMA`].
    pub schema: String,
    /// The engine.
    pub engine: EngineInfo,
    /// The policy the posts were screened with and the settings came from.
    pub policy: PolicyInfo,
    /// The day unanswered messages were counted to.
    pub audit_date: Date,
    /// The period.
    pub period: Period,
    /// The settings applied.
    pub settings: SettingsUsed,
    /// What was read.
    pub inputs: Inputs,
    /// Records not audited, and messages whose working days could not be
    /// counted; in input order.
    pub errors: Vec<RecordError>,
    /// Headline figures per account, sorted by account.
    pub accounts: Vec<AccountSummary>,
    /// Posting cadence per account.
    pub cadence: Vec<AccountCadence>,
    /// Replies against deadlines.
    pub replies: Replies,
    /// Boilerplate and off-topic replies.
    pub boilerplate: Boilerplate,
    /// Screening aggregated.
    pub content: Content,
}

impl Audit {
    /// Audits an archive: reads every input a batch at a time, screens
    /// posts in parallel with `screener`, and assesses cadence, replies,
    /// boilerplate and content with `settings` (usually
    /// `screener.policy().audit()`).
    ///
    /// # Examples
    ///
    /// ```
    /// use xianshen_audit::{Audit, AuditInput, AuditOptions, InputFormat, InputSource};
    /// let screener = xianshen::Screener::new();
    /// let input = AuditInput {
    ///     posts: vec![InputSource::from_text("posts.jsonl", InputFormat::Jsonl,
    ///         r#"{"account":"某大学","published":"2026-03-02 09:00","text":"开学典礼举行"}"#)],
    ///     messages: vec![InputSource::from_text("messages.jsonl", InputFormat::Jsonl,
    ///         r#"{"id":"m1","account":"某大学","asked":"2026-03-02T10:00:00+08:00","category":"咨询","text":"图书馆几点开门？","replied":"2026-03-04 09:00","reply":"图书馆八点开门。"}"#)],
    /// };
    /// let options = AuditOptions { audit_date: "2026-03-31".parse().ok(), ..Default::default() };
    /// let audit = Audit::run(input, &screener, &screener.policy().audit(), &options)?;
    /// assert_eq!(audit.replies.overdue, ["m1"]); // two working days for a one-day consultation
    /// assert!(audit.to_json().starts_with(r#"{"schema":"xianshen.audit/1""#));
    /// # Ok::<(), xianshen_audit::AuditError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`AuditError::Io`] when an input cannot be read, and
    /// [`AuditError::Period`] when `from` is after `to`. A bad record is
    /// no error: it is listed in [`Audit::errors`] and the rest audited.
    pub fn run(
        input: AuditInput,
        screener: &Screener,
        settings: &AuditSettings,
        options: &AuditOptions,
    ) -> Result<Audit, AuditError> {
        let window = Window::of(options)?;
        let calendar = WorkCalendar::with_settings(&settings.calendar);
        let audit_date = options.audit_date.unwrap_or_else(today_beijing);
        let deadlines = Deadlines {
            calendar: &calendar,
            settings,
            audit_day: day_number(audit_date),
        };
        let mut scan = Scan::default();
        let posts = scan.posts(input.posts, screener, options, window)?;
        let kept = scan.messages(input.messages, options, window)?;
        let (period, from, to) = Period::resolve(window, scan.span, deadlines.audit_day);
        let mut messages = deadlines.assess_all(&kept, &scan.file_names);
        for m in &messages {
            if m.status == ReplyStatus::NoCalendar {
                scan.add_message_error(deadlines.calendar_error(m));
            }
        }
        let boilerplate = boilerplate::detect(&kept, &mut messages, settings);
        drop(kept);
        let PostsKept {
            days,
            months,
            items,
        } = posts;
        let months = months.into_sorted();
        let names = account_names(&days, &messages);
        let cadence = cadence::per_account(&names, days, from, to, settings.severe_gap_days);
        let accounts = account_summaries(&names, &messages, &months, &cadence);
        Ok(Audit {
            schema: AUDIT_SCHEMA.to_string(),
            engine: EngineInfo::default(),
            policy: policy_info(screener),
            audit_date,
            period,
            settings: SettingsUsed::of(settings, &calendar),
            inputs: scan.inputs,
            errors: scan.errors,
            accounts,
            cadence,
            replies: Replies::of(messages),
            boilerplate,
            content: Content { months, items },
        })
    }

    /// Audits with the settings of the screener's own policy.
    ///
    /// # Errors
    ///
    /// As [`Audit::run`].
    pub fn run_with_policy(
        input: AuditInput,
        screener: &Screener,
        options: &AuditOptions,
    ) -> Result<Audit, AuditError> {
        Audit::run(input, screener, &screener.policy().audit(), options)
    }

    /// The audit as `xianshen.audit/1` JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("an audit always serializes")
    }

    /// Writes the audit as indented JSON to `w`, without building the
    /// whole text in memory first (the message list of a large archive is
    /// long).
    ///
    /// # Errors
    ///
    /// The writer's I/O error.
    pub fn write_json(&self, w: impl std::io::Write) -> std::io::Result<()> {
        serde_json::to_writer_pretty(w, self).map_err(std::io::Error::from)
    }

    /// The audit as indented JSON.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).expect("an audit always serializes")
    }

    /// Whether any record had an error (a CLI exits 3).
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }
}

impl Period {
    /// The period: the options' ends, else the archive's (`span`, the days
    /// of the records audited), else the audit day; with its first and
    /// last day as day numbers.
    fn resolve(window: Window, span: Span, audit_day: i32) -> (Period, i32, i32) {
        let (lo, hi) = (window.from, window.to);
        let from = lo.unwrap_or(if span.first == i32::MAX {
            hi.unwrap_or(audit_day)
        } else {
            span.first
        });
        let to = hi.unwrap_or(if span.last == i32::MIN {
            from.max(lo.unwrap_or(from))
        } else {
            span.last
        });
        let (from, to) = (from.min(to), to.max(from));
        let period = Period {
            from: date_of_day(from),
            to: date_of_day(to),
            days: (to - from + 1) as u32,
            source: if lo.is_some() && hi.is_some() {
                "options"
            } else {
                "archive"
            },
        };
        (period, from, to)
    }
}

impl SettingsUsed {
    /// The settings of the policy's `[audit]`, with the calendar built
    /// from them.
    fn of(settings: &AuditSettings, calendar: &WorkCalendar) -> SettingsUsed {
        SettingsUsed {
            deadlines: settings.deadlines.clone(),
            default_deadline: settings.default_deadline,
            severe_gap_days: settings.severe_gap_days,
            boilerplate_min_messages: settings.boilerplate_min_messages,
            boilerplate_similarity: settings.boilerplate_similarity,
            calendar_years: calendar.years().iter().copied().collect(),
        }
    }
}

/// The name, version and fingerprint of the screener's policy.
fn policy_info(screener: &Screener) -> PolicyInfo {
    let policy = screener.policy();
    PolicyInfo {
        name: policy.name().to_string(),
        version: policy.version().to_string(),
        fingerprint: policy.fingerprint().to_string(),
    }
}

impl Replies {
    /// The messages assessed, summarised per category, with the ids of
    /// those overdue and unanswered.
    fn of(messages: Vec<MessageAudit>) -> Replies {
        let ids = |keep: fn(&MessageAudit) -> bool| -> Vec<String> {
            messages
                .iter()
                .filter(|m| keep(m))
                .map(|m| m.id.clone())
                .collect()
        };
        Replies {
            categories: replies::per_category(&messages),
            overdue: ids(|m| m.status.is_overdue()),
            unanswered: ids(|m| m.replied.is_none()),
            messages,
        }
    }
}

/// Every account with a post or a message in the period, sorted.
fn account_names(
    post_days: &BTreeMap<String, Vec<i32>>,
    messages: &[MessageAudit],
) -> BTreeSet<String> {
    post_days
        .keys()
        .chain(messages.iter().map(|m| &m.account))
        .cloned()
        .collect()
}

/// The headline figures of every account in `names`, in that order.
fn account_summaries(
    names: &BTreeSet<String>,
    messages: &[MessageAudit],
    months: &[ContentMonth],
    cadence: &[AccountCadence],
) -> Vec<AccountSummary> {
    let mut accounts: BTreeMap<&str, AccountSummary> = names
        .iter()
        .map(|a| {
            let summary = AccountSummary {
                account: a.clone(),
                ..AccountSummary::default()
            };
            (a.as_str(), summary)
        })
        .collect();
    for m in messages {
        listed(&mut accounts, &m.account).add_message(m);
    }
    for m in months {
        listed(&mut accounts, &m.account).add_month(m);
    }
    for c in cadence {
        listed(&mut accounts, &c.account).set_cadence(c);
    }
    accounts.into_values().collect()
}

/// The summary of `account`, which is listed.
fn listed<'a>(
    accounts: &'a mut BTreeMap<&str, AccountSummary>,
    account: &str,
) -> &'a mut AccountSummary {
    accounts.get_mut(account).expect("every account is listed")
}

impl AccountSummary {
    /// Counts a message to the account.
    fn add_message(&mut self, m: &MessageAudit) {
        self.messages += 1;
        self.on_time += u64::from(m.status == ReplyStatus::OnTime);
        self.overdue += u64::from(m.status.is_overdue());
        self.unanswered += u64::from(m.replied.is_none());
        self.boilerplate_replies += u64::from(m.boilerplate);
        self.off_topic_replies += u64::from(m.off_topic);
    }

    /// Counts the posts to review and block of one month of the account.
    fn add_month(&mut self, m: &ContentMonth) {
        self.review_posts += m.review;
        self.blocked_posts += m.block;
    }

    /// Takes the figures of the account's cadence.
    fn set_cadence(&mut self, c: &AccountCadence) {
        self.posts = c.posts;
        self.weeks = c.weeks.len() as u64;
        self.empty_weeks = c.empty_weeks.len() as u64;
        self.severe_gaps = c.severe_gaps.len() as u64;
        self.longest_gap_days = c.longest_gap.as_ref().map_or(0, |g| g.days);
    }
}
