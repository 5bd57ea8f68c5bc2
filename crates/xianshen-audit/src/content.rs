//! Content: every post screened as `xianshen check` would, aggregated per
//! account and month, with the blocked and review posts listed.

use crate::input::Post;
use crate::time::{month_label, Timestamp};
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::collections::BTreeMap;
use xianshen::{Approval, Date, Draft, Finding, Kind, Screener, Severity, Verdict};

/// Screening results of one account in one month.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ContentMonth {
    /// The account.
    pub account: String,
    /// `2026-12`.
    pub month: String,
    /// Posts screened.
    pub posts: u64,
    /// Posts that pass.
    pub pass: u64,
    /// Posts that need review.
    pub review: u64,
    /// Posts that must be blocked.
    pub block: u64,
    /// Findings per rule id (every severity, title findings included).
    pub findings: BTreeMap<String, u64>,
}

/// A finding of a listed post.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ItemFinding {
    /// The rule id.
    pub rule: String,
    /// Its severity.
    pub severity: Severity,
    /// `text` or `title`: which field the offsets point into.
    pub field: &'static str,
    /// UTF-8 byte offset of its start in the field.
    pub start: usize,
    /// UTF-8 byte offset of its end.
    pub end: usize,
    /// 1-based line in the field.
    pub line: usize,
    /// 1-based column (chars) in that line.
    pub column: usize,
    /// The text found.
    pub text: String,
}

/// A post that needs review or must be blocked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ContentItem {
    /// The input it came from.
    pub file: String,
    /// Its line there.
    pub line: u64,
    /// Its id, if the archive gives one.
    pub id: Option<String>,
    /// Its address, if the archive gives one.
    pub url: Option<String>,
    /// The account.
    pub account: String,
    /// When it was published.
    pub published: Timestamp,
    /// Its title.
    pub title: Option<String>,
    /// Its kind.
    pub kind: Kind,
    /// `review` or `block`.
    pub verdict: Verdict,
    /// Who must sign off.
    pub approval: Approval,
    /// Its review and block findings (info findings are counted per month,
    /// not listed).
    pub findings: Vec<ItemFinding>,
}

/// What the audit keeps of a screened post.
pub(crate) struct Screened {
    pub verdict: Verdict,
    pub rules: Vec<(String, u64)>,
    pub item: Option<ContentItem>,
}

/// Screens a post; its publication day is the screening date.
pub(crate) fn screen(screener: &Screener, post: &Post, file: &str) -> Screened {
    let draft = Draft {
        text: &post.text,
        title: post.title.as_deref(),
        repost: None,
        source: None,
        kind: post.kind,
        date: Some(post.published.beijing_date()),
    };
    let report = screener.screen(&draft);
    let all = || {
        report
            .findings
            .iter()
            .map(|f| ("text", f))
            .chain(report.title_findings.iter().map(|f| ("title", f)))
    };
    let mut rules: Vec<(String, u64)> = Vec::new();
    for (_, f) in all() {
        match rules.iter_mut().find(|(r, _)| *r == f.rule) {
            Some((_, n)) => *n += 1,
            None => rules.push((f.rule.clone(), 1)),
        }
    }
    let item = (report.verdict != Verdict::Pass).then(|| ContentItem {
        file: file.to_string(),
        line: post.loc.line,
        id: post.id.clone(),
        url: post.url.clone(),
        account: post.account.clone(),
        published: post.published,
        title: post.title.clone(),
        kind: post.kind,
        verdict: report.verdict,
        approval: report.approval,
        findings: all()
            .filter(|(_, f)| f.severity != Severity::Info)
            .map(|(field, f): (&'static str, &Finding)| ItemFinding {
                rule: f.rule.clone(),
                severity: f.severity,
                field,
                start: f.start,
                end: f.end,
                line: f.line,
                column: f.column,
                text: f.text.clone(),
            })
            .collect(),
    });
    Screened {
        verdict: report.verdict,
        rules,
        item,
    }
}

impl ContentMonth {
    /// Counts one screened post of the account and month.
    pub(crate) fn add(&mut self, s: &Screened) {
        self.posts += 1;
        match s.verdict {
            Verdict::Pass => self.pass += 1,
            Verdict::Review => self.review += 1,
            Verdict::Block => self.block += 1,
        }
        for (rule, n) in &s.rules {
            match self.findings.get_mut(rule) {
                Some(c) => *c += n,
                None => {
                    self.findings.insert(rule.clone(), *n);
                }
            }
        }
    }
}

/// Screening results per account and month, as posts are screened.
#[derive(Default)]
pub(crate) struct MonthTally(FxHashMap<(String, i32), ContentMonth>);

impl MonthTally {
    /// Adds a post of `account` published on `date`.
    pub(crate) fn add(&mut self, account: &str, date: Date, s: &Screened) {
        let key = (
            account.to_string(),
            (date.year() * 12 + date.month()) as i32,
        );
        self.0
            .entry(key)
            .or_insert_with(|| ContentMonth {
                account: account.to_string(),
                month: month_label(date),
                ..ContentMonth::default()
            })
            .add(s);
    }

    /// The months, sorted by account and month.
    pub(crate) fn into_sorted(self) -> Vec<ContentMonth> {
        let mut months: Vec<ContentMonth> = self.0.into_values().collect();
        months.sort_by(|a, b| (&a.account, &a.month).cmp(&(&b.account, &b.month)));
        months
    }
}
