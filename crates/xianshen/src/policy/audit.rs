//! `[audit]`: what an archive audit holds an account to (reply deadlines
//! per message category, the gap that counts as a silent account, the
//! boilerplate threshold) and the organisation's own working-day calendar
//! for years the embedded holiday data lacks.

use super::file::{AuditFile, CalendarFile};
use super::lists;
use crate::date::Date;
use crate::error::{Location, PolicyError, PolicyErrorKind};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::Path;

/// Reply deadlines in working days when the policy names none: one working
/// day for consultations, five for suggestions, complaints and reports,
/// fifteen for matters involving several departments.
pub const DEFAULT_DEADLINES: [(&str, u32); 6] = [
    ("咨询", 1),
    ("政策咨询", 1),
    ("建议", 5),
    ("投诉", 5),
    ("举报", 5),
    ("多部门", 15),
];

/// The audit settings of a policy, defaults applied.
///
/// # Examples
///
/// ```
/// let p = xianshen::Policy::from_toml(r#"
/// [meta]
/// name = "t"
/// [audit]
/// deadlines = { "求助" = 2 }
/// [audit.calendar]
/// holidays = ["2027-01-01"]
/// "#).unwrap();
/// let audit = p.audit();
/// assert_eq!(audit.deadlines["求助"], 2);
/// assert_eq!(audit.deadlines["咨询"], 1);
/// assert_eq!(audit.severe_gap_days, 14);
/// assert!(audit.calendar.years.contains(&2027));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct AuditSettings {
    /// Working days allowed for a reply, per message category (the
    /// defaults of [`DEFAULT_DEADLINES`] with the policy's on top).
    pub deadlines: BTreeMap<String, u32>,
    /// Working days for a category not listed (5).
    pub default_deadline: u32,
    /// A gap without an update of this many days or more is severe (14).
    pub severe_gap_days: u32,
    /// The same or nearly the same reply sent to this many different
    /// messages or more is boilerplate (3).
    pub boilerplate_min_messages: usize,
    /// How similar two normalised replies must be to count as the same
    /// (0.9, on a 0–1 scale).
    pub boilerplate_similarity: f64,
    /// The organisation's own calendar.
    pub calendar: CalendarSettings,
}

/// Working-day data from the policy: the years it covers completely, its
/// public holidays and its make-up working days (调休).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CalendarSettings {
    /// Years covered: those listed in `years` and those of every date.
    pub years: BTreeSet<u32>,
    /// Public holidays on what would be working days.
    pub holidays: BTreeSet<Date>,
    /// Make-up working days on what would be weekends.
    pub workdays: BTreeSet<Date>,
}

impl AuditSettings {
    pub(crate) fn from_file(file: &AuditFile) -> AuditSettings {
        let mut deadlines: BTreeMap<String, u32> = DEFAULT_DEADLINES
            .iter()
            .map(|&(c, d)| (c.to_string(), d))
            .collect();
        deadlines.extend(
            file.deadlines
                .iter()
                .map(|(c, d)| (c.get_ref().clone(), *d)),
        );
        let cal = &file.calendar;
        let holidays: BTreeSet<Date> = cal.holidays.iter().copied().collect();
        let workdays: BTreeSet<Date> = cal.workdays.iter().copied().collect();
        let years = cal
            .years
            .iter()
            .copied()
            .chain(holidays.iter().chain(&workdays).map(|d| d.year()))
            .collect();
        AuditSettings {
            deadlines,
            default_deadline: file.default_deadline.unwrap_or(5),
            severe_gap_days: file.severe_gap_days.unwrap_or(14),
            boilerplate_min_messages: file.boilerplate_min_messages.unwrap_or(3),
            boilerplate_similarity: file.boilerplate_similarity.unwrap_or(0.9),
            calendar: CalendarSettings {
                years,
                holidays,
                workdays,
            },
        }
    }

    /// The working days allowed for a reply to a message of `category`.
    pub fn deadline(&self, category: &str) -> u32 {
        self.deadlines
            .get(category)
            .copied()
            .unwrap_or(self.default_deadline)
    }
}

/// Checks the values of `[audit]` that TOML types cannot: a similarity in
/// 0–1, at least two messages for boilerplate, a gap of a day or more.
pub(crate) fn validate(
    file: &AuditFile,
    at: &impl Fn(Range<usize>) -> Location,
) -> Result<(), PolicyError> {
    let bad = |msg: String| PolicyError::new(PolicyErrorKind::Invalid, None, msg);
    if let Some(s) = file.boilerplate_similarity {
        if !(s > 0.0 && s <= 1.0) {
            return Err(bad(format!(
                "[audit] boilerplate_similarity = {s}: expected a number above 0 and at most 1"
            )));
        }
    }
    if file.boilerplate_min_messages.is_some_and(|n| n < 2) {
        return Err(bad(
            "[audit] boilerplate_min_messages: expected 2 or more".into()
        ));
    }
    if file.severe_gap_days == Some(0) {
        return Err(bad("[audit] severe_gap_days: expected 1 or more".into()));
    }
    for category in file.deadlines.keys() {
        if category.get_ref().trim().is_empty() {
            return Err(PolicyError::new(
                PolicyErrorKind::Invalid,
                Some(at(category.span())),
                "[audit] deadlines: an empty message category".to_string(),
            ));
        }
    }
    Ok(())
}

/// Reads the calendar list files (`YYYY-MM-DD<TAB>休|班`) into the dates.
pub(crate) fn inline_calendar_files(
    cal: &mut CalendarFile,
    base_dir: &Path,
    at: &impl Fn(Range<usize>) -> Location,
) -> Result<(), PolicyError> {
    for name in std::mem::take(&mut cal.files) {
        let path = base_dir.join(name.get_ref());
        for entry in lists::read_list(&path, Some(at(name.span())))? {
            let invalid = |msg: String| {
                PolicyError::new(PolicyErrorKind::Invalid, Some(entry.location(&path)), msg)
            };
            let date: Date = entry.first.parse().map_err(|e| invalid(format!("{e}")))?;
            match entry.second.as_deref().map(str::trim) {
                Some("休") => cal.holidays.push(date),
                Some("班") => cal.workdays.push(date),
                other => {
                    return Err(invalid(format!(
                        "calendar line {:?}: expected a tab and 休 (holiday) or 班 (make-up working day), found {:?}",
                        entry.first,
                        other.unwrap_or("")
                    )))
                }
            }
        }
    }
    cal.holidays.sort_unstable();
    cal.holidays.dedup();
    cal.workdays.sort_unstable();
    cal.workdays.dedup();
    cal.years.sort_unstable();
    cal.years.dedup();
    if let Some(both) = cal.holidays.iter().find(|d| cal.workdays.contains(d)) {
        return Err(PolicyError::new(
            PolicyErrorKind::Invalid,
            None,
            format!("[audit.calendar] {both} is listed both as a holiday and as a working day"),
        ));
    }
    Ok(())
}

/// `over` on top of `base`: deadlines per category overridden, settings
/// overridden where `over` gives them, calendars united.
pub(crate) fn merge(base: AuditFile, over: AuditFile) -> AuditFile {
    let mut out = base;
    out.deadlines.extend(over.deadlines);
    out.default_deadline = over.default_deadline.or(out.default_deadline);
    out.severe_gap_days = over.severe_gap_days.or(out.severe_gap_days);
    out.boilerplate_min_messages = over
        .boilerplate_min_messages
        .or(out.boilerplate_min_messages);
    out.boilerplate_similarity = over.boilerplate_similarity.or(out.boilerplate_similarity);
    let cal = &mut out.calendar;
    cal.years.extend(over.calendar.years);
    cal.holidays.extend(over.calendar.holidays);
    cal.workdays.extend(over.calendar.workdays);
    for list in [&mut cal.holidays, &mut cal.workdays] {
        list.sort_unstable();
        list.dedup();
    }
    cal.years.sort_unstable();
    cal.years.dedup();
    out
}
