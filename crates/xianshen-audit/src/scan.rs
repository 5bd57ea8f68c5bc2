//! The one pass over the archive: every input read a batch at a time (the
//! next batch read on a thread of its own), the records of a batch taken,
//! and posts screened, in parallel, then counted in input order. Posts are
//! kept as their days and screening results, messages as [`Kept`].

use crate::audit::{AuditOptions, InputCounts, Inputs};
use crate::boilerplate;
use crate::content::{self, ContentItem, MonthTally, Screened};
use crate::error::{AuditError, RecordError};
use crate::input::{take_message, take_post, InputSource, Message, PostFields, Raw, RecordReader};
use crate::time::{day_number, Timestamp};
use rayon::prelude::*;
use std::collections::BTreeMap;
use xianshen::Screener;

/// The period as the options bound it, in day numbers (`None`: the end is
/// the archive's).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Window {
    /// The first day.
    pub from: Option<i32>,
    /// The last day.
    pub to: Option<i32>,
}

impl Window {
    /// The period of `options`.
    ///
    /// # Errors
    ///
    /// [`AuditError::Period`] when it ends before it starts.
    pub(crate) fn of(options: &AuditOptions) -> Result<Window, AuditError> {
        if let (Some(from), Some(to)) = (options.from, options.to) {
            if from > to {
                return Err(AuditError::Period { from, to });
            }
        }
        Ok(Window {
            from: options.from.map(day_number),
            to: options.to.map(day_number),
        })
    }

    /// Whether day number `day` is inside.
    fn contains(self, day: i32) -> bool {
        self.from.is_none_or(|lo| day >= lo) && self.to.is_none_or(|hi| day <= hi)
    }
}

/// The first and last day (day numbers) of the records audited;
/// `i32::MAX` and `i32::MIN` while there is none.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Span {
    /// The first day.
    pub first: i32,
    /// The last day.
    pub last: i32,
}

impl Default for Span {
    fn default() -> Span {
        Span {
            first: i32::MAX,
            last: i32::MIN,
        }
    }
}

impl Span {
    /// Widens the span to `day`.
    fn include(&mut self, day: i32) {
        self.first = self.first.min(day);
        self.last = self.last.max(day);
    }
}

/// A record audited, on a Beijing day.
trait OnDay {
    /// Its day number.
    fn day(&self) -> i32;
}

/// A post of the period, screened.
struct ScreenedPost {
    /// The account.
    account: String,
    /// When it was published.
    published: Timestamp,
    /// Its Beijing day, as a day number.
    day: i32,
    /// What screening found.
    screened: Screened,
}

impl OnDay for ScreenedPost {
    fn day(&self) -> i32 {
        self.day
    }
}

/// What the audit keeps of the posts of the period.
#[derive(Default)]
pub(crate) struct PostsKept {
    /// The day numbers of the posts, per account (unsorted).
    pub days: BTreeMap<String, Vec<i32>>,
    /// Screening results per account and month.
    pub months: MonthTally,
    /// Posts that need review or must be blocked, input order.
    pub items: Vec<ContentItem>,
}

impl PostsKept {
    /// Keeps one post.
    fn add(&mut self, post: ScreenedPost) {
        self.months
            .add(&post.account, post.published.beijing_date(), &post.screened);
        if let Some(item) = post.screened.item {
            self.items.push(item);
        }
        self.days.entry(post.account).or_default().push(post.day);
    }
}

/// A message of the period as kept between reading and assessing: without
/// its text, which only the off-topic check needs, and that check is done.
pub(crate) struct Kept {
    /// The index of its input among all inputs, posts' first.
    pub file: u32,
    /// Its line there.
    pub line: u64,
    /// Its id.
    pub id: String,
    /// The account.
    pub account: String,
    /// When it was asked.
    pub asked: Timestamp,
    /// Its category.
    pub category: Option<String>,
    /// When it was answered.
    pub replied: Option<Timestamp>,
    /// The original reply, for a group's text.
    pub reply: Option<String>,
    /// The reply normalised for comparison (empty without a reply).
    pub normalized_reply: String,
    /// `(message excerpt, reply excerpt)` when off topic.
    pub off_topic: Option<(String, String)>,
}

impl Kept {
    /// Keeps message `m` of input `file`, checking its reply for topic.
    fn new(m: Message, file: u32) -> Kept {
        let off_topic = boilerplate::off_topic_excerpts(&m.text, m.reply.as_deref());
        Kept {
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
        }
    }
}

impl OnDay for Kept {
    fn day(&self) -> i32 {
        self.asked.beijing_day()
    }
}

/// The bookkeeping of the pass: inputs, counts, errors and the span of the
/// records audited.
#[derive(Default)]
pub(crate) struct Scan {
    /// The names of all inputs, posts' first ([`Kept::file`] indexes it).
    pub file_names: Vec<String>,
    /// What was read.
    pub inputs: Inputs,
    /// Records that could not be read, in input order.
    pub errors: Vec<RecordError>,
    /// The days of the records audited.
    pub span: Span,
}

/// Picks the counts of one kind of input.
type Counts = fn(&mut Inputs) -> &mut InputCounts;

impl Scan {
    /// Reads the posts, screening those of the period with `screener` in
    /// parallel, a batch at a time.
    ///
    /// # Errors
    ///
    /// [`AuditError::Io`] when an input cannot be read.
    pub(crate) fn posts(
        &mut self,
        sources: Vec<InputSource>,
        screener: &Screener,
        options: &AuditOptions,
        window: Window,
    ) -> Result<PostsKept, AuditError> {
        let fields = &options.fields.posts;
        let account = options.account.as_deref();
        let mut kept = PostsKept::default();
        self.read(
            sources,
            |i| &mut i.posts,
            |raw, name, _| screen_post(raw, name, fields, account, window, screener),
            |post| kept.add(post),
        )?;
        Ok(kept)
    }

    /// Reads the messages, keeping those of the period.
    ///
    /// # Errors
    ///
    /// [`AuditError::Io`] when an input cannot be read.
    pub(crate) fn messages(
        &mut self,
        sources: Vec<InputSource>,
        options: &AuditOptions,
        window: Window,
    ) -> Result<Vec<Kept>, AuditError> {
        let fields = &options.fields.messages;
        let account = options.account.as_deref();
        let mut kept = Vec::new();
        self.read(
            sources,
            |i| &mut i.messages,
            |raw, name, file| {
                let m = take_message(raw, name, fields, account)?;
                Ok(window
                    .contains(m.asked.beijing_day())
                    .then(|| Kept::new(m, file)))
            },
            |k| kept.push(k),
        )?;
        Ok(kept)
    }

    /// Lists an error found after reading, on a message.
    pub(crate) fn add_message_error(&mut self, error: RecordError) {
        self.inputs.messages.errors += 1;
        self.errors.push(error);
    }

    /// Reads `sources` a batch at a time: `take` maps the records of a
    /// batch in parallel (`Ok(None)`: outside the period), then they are
    /// counted in `counts` and those audited handed to `keep`, in input
    /// order.
    fn read<T: OnDay + Send>(
        &mut self,
        sources: Vec<InputSource>,
        counts: Counts,
        take: impl Fn(&Raw, &str, u32) -> Result<Option<T>, RecordError> + Sync,
        mut keep: impl FnMut(T),
    ) -> Result<(), AuditError> {
        for source in sources {
            let file = self.file_names.len() as u32;
            let reader = RecordReader::new(source, file)?;
            let name = reader.name().to_string();
            self.file_names.push(name.clone());
            counts(&mut self.inputs).files.push(name.clone());
            reader.for_each_batch(|batch| {
                let results: Vec<_> = batch.par_iter().map(|raw| take(raw, &name, file)).collect();
                for result in results {
                    if let Some(record) = self.count(counts, result) {
                        self.span.include(record.day());
                        keep(record);
                    }
                }
            })?;
        }
        Ok(())
    }

    /// Counts one record read; returns it when it is audited.
    fn count<T>(&mut self, counts: Counts, result: Result<Option<T>, RecordError>) -> Option<T> {
        let c = counts(&mut self.inputs);
        c.records += 1;
        match result {
            Err(e) => {
                c.errors += 1;
                self.errors.push(e);
                None
            }
            Ok(None) => {
                c.outside_period += 1;
                None
            }
            Ok(Some(record)) => {
                c.audited += 1;
                Some(record)
            }
        }
    }
}

/// The post in `raw` of input `name`, screened when it is in the period.
fn screen_post(
    raw: &Raw,
    name: &str,
    fields: &PostFields,
    default_account: Option<&str>,
    window: Window,
    screener: &Screener,
) -> Result<Option<ScreenedPost>, RecordError> {
    let post = take_post(raw, name, fields, default_account)?;
    let day = post.published.beijing_day();
    if !window.contains(day) {
        return Ok(None);
    }
    let screened = content::screen(screener, &post, name);
    Ok(Some(ScreenedPost {
        account: post.account,
        published: post.published,
        day,
        screened,
    }))
}
