//! Posting cadence: posts per ISO week, weeks without a post, and gaps
//! without an update.
//!
//! Days are Beijing days. Every ISO week (Monday to Sunday) that overlaps
//! the period is listed, with the days of it inside the period; a week is
//! empty when nothing was posted on those days. A gap is a run of days
//! inside the period on which nothing was posted: before the first post,
//! between two posts (a post on 1 March and the next on 15 March leave a
//! gap of 13 days, 2–14 March), after the last post, or the whole period
//! for an account without a post. A gap of `severe_gap_days` days or more
//! is severe.

use crate::time::{date_of_day, iso_week, week_label};
use serde::Serialize;
use std::collections::BTreeMap;
use xianshen::Date;

/// Posts in one ISO week.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WeekCount {
    /// `2026-W49`.
    pub week: String,
    /// Its Monday.
    pub start: Date,
    /// Its days inside the period (1–7; fewer only at the period's ends).
    pub days_in_period: u8,
    /// Posts published on those days.
    pub posts: u64,
}

/// A run of days without a post.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Gap {
    /// The first day without a post.
    pub from: Date,
    /// The last day without a post.
    pub to: Date,
    /// Days in the run.
    pub days: u32,
    /// The day of the last post before it (`None`: none in the period).
    pub after_post: Option<Date>,
    /// The day of the next post (`None`: none in the period).
    pub before_post: Option<Date>,
    /// Whether `days >= severe_gap_days`.
    pub severe: bool,
}

/// The cadence of one account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AccountCadence {
    /// The account.
    pub account: String,
    /// Posts in the period.
    pub posts: u64,
    /// Days with at least one post.
    pub days_with_posts: u64,
    /// Every ISO week overlapping the period.
    pub weeks: Vec<WeekCount>,
    /// The weeks without a post (`2026-W49`).
    pub empty_weeks: Vec<String>,
    /// Every gap of `severe_gap_days` days or more.
    pub severe_gaps: Vec<Gap>,
    /// The longest gap (the first of equals), if any day went without a post.
    pub longest_gap: Option<Gap>,
}

/// The cadence of every account in `accounts`, in that order, from the
/// day numbers of its posts in `days` (an account without any: no post).
pub(crate) fn per_account<'a>(
    accounts: impl IntoIterator<Item = &'a String>,
    mut days: BTreeMap<String, Vec<i32>>,
    from: i32,
    to: i32,
    severe: u32,
) -> Vec<AccountCadence> {
    accounts
        .into_iter()
        .map(|a| {
            let days = days.remove(a).unwrap_or_default();
            cadence(a, days, from, to, severe)
        })
        .collect()
}

/// The cadence of an account from the day numbers of its posts in the
/// period `from..=to` (day numbers).
pub(crate) fn cadence(
    account: &str,
    mut days: Vec<i32>,
    from: i32,
    to: i32,
    severe: u32,
) -> AccountCadence {
    days.sort_unstable();
    let posts = days.len() as u64;
    let weeks = week_counts(&days, from, to);
    let empty_weeks = weeks
        .iter()
        .filter(|w| w.posts == 0)
        .map(|w| w.week.clone())
        .collect();
    days.dedup();
    let gaps = gaps(&days, from, to, severe);
    let longest_gap = gaps
        .iter()
        .fold(None::<&Gap>, |best, g| match best {
            Some(b) if b.days >= g.days => Some(b),
            _ => Some(g),
        })
        .cloned();
    AccountCadence {
        account: account.to_string(),
        posts,
        days_with_posts: days.len() as u64,
        weeks,
        empty_weeks,
        severe_gaps: gaps.into_iter().filter(|g| g.severe).collect(),
        longest_gap,
    }
}

/// Posts in every ISO week overlapping `from..=to`, from the sorted day
/// numbers of the posts.
fn week_counts(days: &[i32], from: i32, to: i32) -> Vec<WeekCount> {
    let mut weeks = Vec::new();
    let (_, _, mut monday) = iso_week(from);
    let mut i = 0;
    while monday <= to {
        let (y, w, _) = iso_week(monday);
        let (lo, hi) = (monday.max(from), (monday + 6).min(to));
        while i < days.len() && days[i] < lo {
            i += 1;
        }
        let start = i;
        while i < days.len() && days[i] <= hi {
            i += 1;
        }
        weeks.push(WeekCount {
            week: week_label(y, w),
            start: date_of_day(monday),
            days_in_period: (hi - lo + 1) as u8,
            posts: (i - start) as u64,
        });
        monday += 7;
    }
    weeks
}

/// Every run of days in `from..=to` without a post, from the sorted,
/// deduplicated day numbers of the posts; `severe` days or more make a gap
/// severe.
fn gaps(days: &[i32], from: i32, to: i32, severe: u32) -> Vec<Gap> {
    let gap = |a: i32, b: i32, after: Option<i32>, before: Option<i32>| {
        let n = (b - a + 1) as u32;
        Gap {
            from: date_of_day(a),
            to: date_of_day(b),
            days: n,
            after_post: after.map(date_of_day),
            before_post: before.map(date_of_day),
            severe: n >= severe,
        }
    };
    let mut gaps = Vec::new();
    let mut prev: Option<i32> = None;
    for &d in days {
        let start = prev.map_or(from, |p| p + 1);
        if d > start {
            gaps.push(gap(start, d - 1, prev, Some(d)));
        }
        prev = Some(d);
    }
    let start = prev.map_or(from, |p| p + 1);
    if start <= to {
        gaps.push(gap(start, to, prev, None));
    }
    gaps
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::day_number;

    fn n(s: &str) -> i32 {
        day_number(s.parse().unwrap())
    }

    #[test]
    fn weeks_gaps_and_the_longest() {
        let days = vec![
            n("2026-03-01"),
            n("2026-03-15"),
            n("2026-03-15"),
            n("2026-03-16"),
        ];
        let c = cadence("a", days, n("2026-02-26"), n("2026-03-31"), 14);
        assert_eq!(c.posts, 4);
        assert_eq!(c.days_with_posts, 3);
        let weeks: Vec<(&str, u8, u64)> = c
            .weeks
            .iter()
            .map(|w| (w.week.as_str(), w.days_in_period, w.posts))
            .collect();
        assert_eq!(
            weeks,
            [
                ("2026-W09", 4, 1),
                ("2026-W10", 7, 0),
                ("2026-W11", 7, 2),
                ("2026-W12", 7, 1),
                ("2026-W13", 7, 0),
                ("2026-W14", 2, 0)
            ]
        );
        assert_eq!(c.empty_weeks, ["2026-W10", "2026-W13", "2026-W14"]);
        // 26-28 Feb (3), 2-14 Mar (13), 17-31 Mar (15, severe).
        assert_eq!(c.severe_gaps.len(), 1);
        let g = &c.severe_gaps[0];
        assert_eq!(
            (g.from.to_string(), g.to.to_string(), g.days),
            ("2026-03-17".into(), "2026-03-31".into(), 15)
        );
        assert_eq!(c.longest_gap.as_ref().unwrap().days, 15);
    }

    #[test]
    fn an_account_without_posts_is_one_gap() {
        let c = cadence("a", vec![], n("2026-01-01"), n("2026-01-31"), 14);
        assert_eq!(c.empty_weeks.len(), 5);
        assert_eq!(c.severe_gaps[0].days, 31);
        assert_eq!(c.severe_gaps[0].after_post, None);
    }
}
