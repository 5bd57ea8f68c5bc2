//! Replies against their deadlines, in working days (see
//! [`crate::calendar`] for how the days are counted).

use crate::calendar::{WorkCalendar, YearNotCovered};
use crate::error::{RecordError, RecordErrorKind};
use crate::scan::Kept;
use crate::time::{date_of_day, Timestamp};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use xianshen::{AuditSettings, Date};

/// Where a message stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplyStatus {
    /// Answered within its deadline.
    OnTime,
    /// Answered after its deadline.
    Late,
    /// Not answered, and its deadline has not passed on the audit date.
    Pending,
    /// Not answered, and its deadline passed before the audit date.
    UnansweredOverdue,
    /// Not assessed: counting needs a year the calendar lacks (the error
    /// list names it).
    NoCalendar,
}

impl ReplyStatus {
    /// The status as the JSON and CSV spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            ReplyStatus::OnTime => "on_time",
            ReplyStatus::Late => "late",
            ReplyStatus::Pending => "pending",
            ReplyStatus::UnansweredOverdue => "unanswered_overdue",
            ReplyStatus::NoCalendar => "no_calendar",
        }
    }

    /// Late, or unanswered past the deadline.
    pub fn is_overdue(self) -> bool {
        matches!(self, ReplyStatus::Late | ReplyStatus::UnansweredOverdue)
    }
}

/// One message against its deadline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MessageAudit {
    /// Its id.
    pub id: String,
    /// The account it was sent to.
    pub account: String,
    /// The input it came from.
    pub file: String,
    /// Its line there.
    pub line: u64,
    /// Its category (`None`: not given).
    pub category: Option<String>,
    /// Working days allowed.
    pub deadline_days: u32,
    /// When it was asked.
    pub asked: Timestamp,
    /// When it was answered.
    pub replied: Option<Timestamp>,
    /// The last day of its deadline (`None` when that day falls in a year
    /// the calendar lacks).
    pub deadline: Option<Date>,
    /// Working days from the ask day to the reply day, or to the audit date
    /// when unanswered (`None`: not counted, see `status`).
    pub working_days: Option<u32>,
    /// Where it stands.
    pub status: ReplyStatus,
    /// Whether the reply is among boilerplate replies.
    pub boilerplate: bool,
    /// Whether the reply shares no content word with the message.
    pub off_topic: bool,
}

/// Messages of one category.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CategorySummary {
    /// The category (`None`: messages without one).
    pub category: Option<String>,
    /// Working days allowed.
    pub deadline_days: u32,
    /// Messages.
    pub messages: u64,
    /// Answered on time.
    pub on_time: u64,
    /// Answered late.
    pub late: u64,
    /// Unanswered, deadline not passed.
    pub pending: u64,
    /// Unanswered past the deadline.
    pub unanswered_overdue: u64,
    /// Not assessed for want of a calendar year.
    pub no_calendar: u64,
    /// The most working days any answered message took.
    pub max_working_days: u32,
}

impl CategorySummary {
    /// Counts one message of the category.
    pub(crate) fn add(&mut self, m: &MessageAudit) {
        self.messages += 1;
        match m.status {
            ReplyStatus::OnTime => self.on_time += 1,
            ReplyStatus::Late => self.late += 1,
            ReplyStatus::Pending => self.pending += 1,
            ReplyStatus::UnansweredOverdue => self.unanswered_overdue += 1,
            ReplyStatus::NoCalendar => self.no_calendar += 1,
        }
        if m.replied.is_some() {
            self.max_working_days = self.max_working_days.max(m.working_days.unwrap_or(0));
        }
    }
}

/// The deadline, working days and status of a message asked on day `asked`
/// (day number), answered on `replied`, audited on `audit`.
pub(crate) fn assess(
    cal: &WorkCalendar,
    asked: i32,
    replied: Option<i32>,
    audit: i32,
    deadline_days: u32,
) -> (Option<i32>, Result<(u32, ReplyStatus), YearNotCovered>) {
    let deadline = cal.add_working_days_to_day(asked, deadline_days).ok();
    let counted = cal.working_days_between_days(asked, replied.unwrap_or(audit));
    let status = counted.map(|wd| {
        let over = wd > deadline_days;
        let status = match (replied.is_some(), over) {
            (true, false) => ReplyStatus::OnTime,
            (true, true) => ReplyStatus::Late,
            (false, false) => ReplyStatus::Pending,
            (false, true) => ReplyStatus::UnansweredOverdue,
        };
        (wd, status)
    });
    (deadline, status)
}

/// What messages are assessed against: the working-day calendar, the
/// deadlines per category, and the day unanswered messages are counted to.
pub(crate) struct Deadlines<'a> {
    /// The working days.
    pub calendar: &'a WorkCalendar,
    /// The deadlines in working days.
    pub settings: &'a AuditSettings,
    /// The audit date as a day number.
    pub audit_day: i32,
}

impl Deadlines<'_> {
    /// Every message kept, assessed in parallel, in input order; `files`
    /// names the inputs by [`Kept::file`].
    pub(crate) fn assess_all(&self, kept: &[Kept], files: &[String]) -> Vec<MessageAudit> {
        kept.par_iter()
            .map(|k| self.assess_message(k, &files[k.file as usize]))
            .collect()
    }

    /// One message against the deadline of its category (not yet marked
    /// as boilerplate).
    fn assess_message(&self, k: &Kept, file: &str) -> MessageAudit {
        let deadline_days = k
            .category
            .as_deref()
            .map_or(self.settings.default_deadline, |c| {
                self.settings.deadline(c)
            });
        let (deadline, counted) = assess(
            self.calendar,
            k.asked.beijing_day(),
            k.replied.map(Timestamp::beijing_day),
            self.audit_day,
            deadline_days,
        );
        let (working_days, status) = match counted {
            Ok((wd, s)) => (Some(wd), s),
            Err(_) => (None, ReplyStatus::NoCalendar),
        };
        MessageAudit {
            id: k.id.clone(),
            account: k.account.clone(),
            file: file.to_string(),
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
    }

    /// The error listed for a message not assessed
    /// ([`ReplyStatus::NoCalendar`]): the year the calendar lacks.
    pub(crate) fn calendar_error(&self, m: &MessageAudit) -> RecordError {
        let until = m.replied.map_or(self.audit_day, Timestamp::beijing_day);
        let year = self
            .calendar
            .working_days_between_days(m.asked.beijing_day(), until)
            .err()
            .map_or(0, |e| e.year);
        RecordError {
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
        }
    }
}

/// The messages per category, sorted (messages without a category first).
pub(crate) fn per_category(messages: &[MessageAudit]) -> Vec<CategorySummary> {
    let mut categories: BTreeMap<Option<String>, CategorySummary> = BTreeMap::new();
    for m in messages {
        categories
            .entry(m.category.clone())
            .or_insert_with(|| CategorySummary {
                category: m.category.clone(),
                deadline_days: m.deadline_days,
                ..CategorySummary::default()
            })
            .add(m);
    }
    categories.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::day_number;

    fn n(s: &str) -> i32 {
        day_number(s.parse().unwrap())
    }

    #[test]
    fn before_national_day_answered_after() {
        let cal = WorkCalendar::embedded();
        // A consultation (1 working day) asked Tuesday 30 September 2025,
        // answered Thursday 9 October: on time, one working day.
        let (deadline, r) = assess(
            &cal,
            n("2025-09-30"),
            Some(n("2025-10-09")),
            n("2025-12-01"),
            1,
        );
        assert_eq!(deadline, Some(n("2025-10-09")));
        assert_eq!(r, Ok((1, ReplyStatus::OnTime)));
        // Answered Friday 10 October: late.
        let (_, r) = assess(
            &cal,
            n("2025-09-30"),
            Some(n("2025-10-10")),
            n("2025-12-01"),
            1,
        );
        assert_eq!(r, Ok((2, ReplyStatus::Late)));
        // Unanswered, audited on 9 October: pending; on 10 October: overdue.
        assert_eq!(
            assess(&cal, n("2025-09-30"), None, n("2025-10-09"), 1).1,
            Ok((1, ReplyStatus::Pending))
        );
        assert_eq!(
            assess(&cal, n("2025-09-30"), None, n("2025-10-10"), 1).1,
            Ok((2, ReplyStatus::UnansweredOverdue))
        );
        // Asked in 2026, unanswered, audited in 2027: no calendar.
        let (_, r) = assess(&cal, n("2026-12-01"), None, n("2027-01-10"), 5);
        assert_eq!(r, Err(YearNotCovered { year: 2027 }));
    }
}
