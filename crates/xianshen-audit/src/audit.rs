//! The audit: its JSON shape (`xianshen.audit/1`) and the run that fills
//! it, streaming the archive in batches screened in parallel.

use crate::boilerplate;
use crate::cadence::{cadence, AccountCadence};
use crate::calendar::WorkCalendar;
use crate::content::{self, ContentItem, ContentMonth};
use crate::error::{AuditError, RecordError, RecordErrorKind};
use crate::input::{take_message, take_post, AuditInput, FieldMap, Raw, RecordReader};
use crate::replies::{assess, CategorySummary, MessageAudit, ReplyStatus};
use crate::time::{date_of_day, day_number, month_label, today_beijing, Timestamp};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use xianshen::{AuditSettings, Date, EngineInfo, PolicyInfo, Screener};

/// The JSON schema id of a serialized [`Audit`].
pub const AUDIT_SCHEMA: &str = "xianshen.audit/1";

/// Records read and screened together: enough to keep both cores busy,
/// few enough that memory stays bounded whatever the archive's size.
const BATCH: usize = 8192;

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

/// A message as kept between reading and assessing.
struct Kept {
    file: u32,
    line: u64,
    id: String,
    account: String,
    asked: Timestamp,
    category: Option<String>,
    replied: Option<Timestamp>,
    /// The original reply, for a group's text.
    reply: Option<String>,
    normalized_reply: String,
    /// `(message excerpt, reply excerpt)` when off topic.
    off_topic: Option<(String, String)>,
}

fn excerpt(s: &str) -> String {
    let s = s.trim();
    match s.char_indices().nth(80) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// Feeds `each` the batches of `reader`, read on a thread of their own
/// while the previous batch is processed.
fn read_batches(
    mut reader: RecordReader,
    mut each: impl FnMut(Vec<Raw>),
) -> Result<(), AuditError> {
    std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Result<Vec<Raw>, AuditError>>(2);
        s.spawn(move || loop {
            let batch = reader.next_batch(BATCH);
            let last = !matches!(&batch, Ok(b) if !b.is_empty());
            if tx.send(batch).is_err() || last {
                break;
            }
        });
        for batch in rx {
            let batch = batch?;
            if batch.is_empty() {
                break;
            }
            each(batch);
        }
        Ok(())
    })
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
        if let (Some(from), Some(to)) = (options.from, options.to) {
            if from > to {
                return Err(AuditError::Period { from, to });
            }
        }
        let calendar = WorkCalendar::with_settings(&settings.calendar);
        let audit_date = options.audit_date.unwrap_or_else(today_beijing);
        let lo = options.from.map(day_number);
        let hi = options.to.map(day_number);
        let in_period = |d: i32| lo.is_none_or(|lo| d >= lo) && hi.is_none_or(|hi| d <= hi);
        let default_account = options.account.as_deref();
        let mut errors: Vec<RecordError> = Vec::new();
        let mut inputs = Inputs::default();
        let mut file_names: Vec<String> = Vec::new();

        // Posts: screened in parallel a batch at a time; only counts,
        // days and flagged items are kept.
        let mut post_days: BTreeMap<String, Vec<i32>> = BTreeMap::new();
        let mut months: FxHashMap<(String, i32), ContentMonth> = FxHashMap::default();
        let mut items: Vec<ContentItem> = Vec::new();
        let (mut first, mut last) = (i32::MAX, i32::MIN);
        for source in input.posts {
            let file = file_names.len() as u32;
            let reader = RecordReader::new(source, file)?;
            let name = reader.name().to_string();
            file_names.push(name.clone());
            inputs.posts.files.push(name.clone());
            read_batches(reader, |batch| {
                let fields = &options.fields.posts;
                let results: Vec<_> = batch
                    .par_iter()
                    .map(|raw| {
                        let post = take_post(raw, &name, fields, default_account)?;
                        let day = post.published.beijing_day();
                        let screened =
                            in_period(day).then(|| content::screen(screener, &post, &name));
                        Ok((post.account, post.published, day, screened))
                    })
                    .collect();
                for r in results {
                    inputs.posts.records += 1;
                    match r {
                        Err(e) => {
                            inputs.posts.errors += 1;
                            errors.push(e);
                        }
                        Ok((_, _, _, None)) => inputs.posts.outside_period += 1,
                        Ok((account, published, day, Some(s))) => {
                            inputs.posts.audited += 1;
                            first = first.min(day);
                            last = last.max(day);
                            let date = published.beijing_date();
                            let key = (account.clone(), (date.year() * 12 + date.month()) as i32);
                            months
                                .entry(key)
                                .or_insert_with(|| ContentMonth {
                                    account: account.clone(),
                                    month: month_label(date),
                                    ..ContentMonth::default()
                                })
                                .add(&s);
                            if let Some(item) = s.item {
                                items.push(item);
                            }
                            post_days.entry(account).or_default().push(day);
                        }
                    }
                }
            })?;
        }

        // Messages: kept (without their text) for deadlines and
        // boilerplate; the off-topic check needs the text, so it runs here.
        let mut kept: Vec<Kept> = Vec::new();
        for source in input.messages {
            let file = file_names.len() as u32;
            let reader = RecordReader::new(source, file)?;
            let name = reader.name().to_string();
            file_names.push(name.clone());
            inputs.messages.files.push(name.clone());
            read_batches(reader, |batch| {
                let fields = &options.fields.messages;
                let results: Vec<Result<Option<Kept>, RecordError>> = batch
                    .par_iter()
                    .map(|raw: &Raw| {
                        let m = take_message(raw, &name, fields, default_account)?;
                        if !in_period(m.asked.beijing_day()) {
                            return Ok(None);
                        }
                        let off_topic = m
                            .reply
                            .as_deref()
                            .filter(|r| boilerplate::off_topic(&m.text, r) == Some(true))
                            .map(|r| (excerpt(&m.text), excerpt(r)));
                        Ok(Some(Kept {
                            file,
                            line: m.loc.line,
                            normalized_reply: m
                                .reply
                                .as_deref()
                                .map(boilerplate::normalize_reply)
                                .unwrap_or_default(),
                            id: m.id,
                            account: m.account,
                            asked: m.asked,
                            category: m.category,
                            replied: m.replied,
                            reply: m.reply,
                            off_topic,
                        }))
                    })
                    .collect();
                for r in results {
                    inputs.messages.records += 1;
                    match r {
                        Err(e) => {
                            inputs.messages.errors += 1;
                            errors.push(e);
                        }
                        Ok(None) => inputs.messages.outside_period += 1,
                        Ok(Some(k)) => {
                            inputs.messages.audited += 1;
                            let day = k.asked.beijing_day();
                            first = first.min(day);
                            last = last.max(day);
                            kept.push(k);
                        }
                    }
                }
            })?;
        }

        // The period: the options' ends, else the archive's.
        let audit_day = day_number(audit_date);
        let from = lo.unwrap_or(if first == i32::MAX {
            hi.unwrap_or(audit_day)
        } else {
            first
        });
        let to = hi.unwrap_or(if last == i32::MIN {
            from.max(lo.unwrap_or(from))
        } else {
            last
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

        // Replies against deadlines.
        let mut messages: Vec<MessageAudit> = kept
            .par_iter()
            .map(|k| {
                let deadline_days = k
                    .category
                    .as_deref()
                    .map_or(settings.default_deadline, |c| settings.deadline(c));
                let (deadline, counted) = assess(
                    &calendar,
                    k.asked.beijing_day(),
                    k.replied.map(Timestamp::beijing_day),
                    audit_day,
                    deadline_days,
                );
                let (working_days, status) = match counted {
                    Ok((wd, s)) => (Some(wd), s),
                    Err(_) => (None, ReplyStatus::NoCalendar),
                };
                MessageAudit {
                    id: k.id.clone(),
                    account: k.account.clone(),
                    file: file_names[k.file as usize].clone(),
                    line: k.line,
                    category: k.category.clone(),
                    deadline_days,
                    asked: k.asked,
                    replied: k.replied,
                    deadline: deadline.map(date_of_day),
                    working_days,
                    status,
                    boilerplate: false,
                    off_topic: k.off_topic.is_some(),
                }
            })
            .collect();
        for (m, k) in messages.iter().zip(&kept) {
            if m.status == ReplyStatus::NoCalendar {
                let until = k.replied.map_or(audit_day, Timestamp::beijing_day);
                let year = calendar
                    .working_days_between_days(k.asked.beijing_day(), until)
                    .err()
                    .map_or(0, |e| e.year);
                inputs.messages.errors += 1;
                errors.push(RecordError {
                    file: m.file.clone(),
                    line: m.line,
                    column: None,
                    kind: RecordErrorKind::CalendarYear,
                    message: format!(
                        "message {:?}: no working-day calendar for {year}; add it to the policy's [audit.calendar]",
                        m.id
                    ),
                    id: Some(m.id.clone()),
                    year: Some(year),
                });
            }
        }

        // Boilerplate.
        let replies: Vec<(usize, &str)> = kept
            .iter()
            .enumerate()
            .filter(|(_, k)| k.reply.is_some())
            .map(|(i, k)| (i, k.normalized_reply.as_str()))
            .collect();
        let groups = boilerplate::groups(
            &replies,
            settings.boilerplate_similarity,
            settings.boilerplate_min_messages,
        );
        let groups: Vec<BoilerplateGroup> = groups
            .into_iter()
            .map(|g| {
                for &i in &g {
                    messages[i].boilerplate = true;
                }
                let variants: BTreeSet<&str> = g
                    .iter()
                    .map(|&i| kept[i].normalized_reply.as_str())
                    .collect();
                let accounts: BTreeSet<&str> =
                    g.iter().map(|&i| kept[i].account.as_str()).collect();
                BoilerplateGroup {
                    text: kept[g[0]].reply.clone().unwrap_or_default(),
                    messages: g.len() as u64,
                    variants: variants.len() as u64,
                    accounts: accounts.into_iter().map(str::to_string).collect(),
                    message_ids: g.iter().map(|&i| kept[i].id.clone()).collect(),
                }
            })
            .collect();
        let off_topic = kept
            .iter()
            .filter_map(|k| {
                k.off_topic.as_ref().map(|(m, r)| OffTopicReply {
                    id: k.id.clone(),
                    account: k.account.clone(),
                    message: m.clone(),
                    reply: r.clone(),
                })
            })
            .collect();
        drop(kept);

        // Per category and per account.
        let mut categories: BTreeMap<Option<String>, CategorySummary> = BTreeMap::new();
        for m in &messages {
            categories
                .entry(m.category.clone())
                .or_insert_with(|| CategorySummary {
                    category: m.category.clone(),
                    deadline_days: m.deadline_days,
                    ..CategorySummary::default()
                })
                .add(m);
        }
        let mut accounts: BTreeMap<String, AccountSummary> = BTreeMap::new();
        for a in post_days.keys().chain(messages.iter().map(|m| &m.account)) {
            accounts.entry(a.clone()).or_insert_with(|| AccountSummary {
                account: a.clone(),
                ..AccountSummary::default()
            });
        }
        for m in &messages {
            let s = accounts
                .get_mut(&m.account)
                .expect("every account is listed");
            s.messages += 1;
            s.on_time += u64::from(m.status == ReplyStatus::OnTime);
            s.overdue += u64::from(m.status.is_overdue());
            s.unanswered += u64::from(m.replied.is_none());
            s.boilerplate_replies += u64::from(m.boilerplate);
            s.off_topic_replies += u64::from(m.off_topic);
        }
        let mut months: Vec<ContentMonth> = months.into_values().collect();
        months.sort_by(|a, b| (&a.account, &a.month).cmp(&(&b.account, &b.month)));
        for m in &months {
            let s = accounts
                .get_mut(&m.account)
                .expect("every account is listed");
            s.review_posts += m.review;
            s.blocked_posts += m.block;
        }
        let cadence: Vec<AccountCadence> = accounts
            .keys()
            .map(|a| {
                let days = post_days.remove(a).unwrap_or_default();
                cadence(a, days, from, to, settings.severe_gap_days)
            })
            .collect();
        for c in &cadence {
            let s = accounts
                .get_mut(&c.account)
                .expect("every account is listed");
            s.posts = c.posts;
            s.weeks = c.weeks.len() as u64;
            s.empty_weeks = c.empty_weeks.len() as u64;
            s.severe_gaps = c.severe_gaps.len() as u64;
            s.longest_gap_days = c.longest_gap.as_ref().map_or(0, |g| g.days);
        }

        let policy = screener.policy();
        Ok(Audit {
            schema: AUDIT_SCHEMA.to_string(),
            engine: EngineInfo::default(),
            policy: PolicyInfo {
                name: policy.name().to_string(),
                version: policy.version().to_string(),
                fingerprint: policy.fingerprint().to_string(),
            },
            audit_date,
            period,
            settings: SettingsUsed {
                deadlines: settings.deadlines.clone(),
                default_deadline: settings.default_deadline,
                severe_gap_days: settings.severe_gap_days,
                boilerplate_min_messages: settings.boilerplate_min_messages,
                boilerplate_similarity: settings.boilerplate_similarity,
                calendar_years: calendar.years().iter().copied().collect(),
            },
            inputs,
            errors,
            accounts: accounts.into_values().collect(),
            cadence,
            replies: Replies {
                categories: categories.into_values().collect(),
                overdue: messages
                    .iter()
                    .filter(|m| m.status.is_overdue())
                    .map(|m| m.id.clone())
                    .collect(),
                unanswered: messages
                    .iter()
                    .filter(|m| m.replied.is_none())
                    .map(|m| m.id.clone())
                    .collect(),
                messages,
            },
            boilerplate: Boilerplate { groups, off_topic },
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
