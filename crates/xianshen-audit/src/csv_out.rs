//! The audit as CSV tables, one per list, UTF-8 with a header row.

use crate::audit::Audit;
use crate::error::AuditError;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// A value as its JSON spelling, without quotes for a string.
fn name<T: Serialize>(t: &T) -> String {
    match serde_json::to_value(t) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(v) => v.to_string(),
        Err(_) => String::new(),
    }
}

/// A value, or an empty cell for `None`.
fn opt<T: ToString>(t: &Option<T>) -> String {
    t.as_ref().map(ToString::to_string).unwrap_or_default()
}

/// Writes one table.
fn table(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).expect("writing to memory");
    for row in rows {
        w.write_record(&row).expect("writing to memory");
    }
    String::from_utf8(w.into_inner().expect("writing to memory")).expect("the fields are UTF-8")
}

impl Audit {
    /// The audit as CSV tables `(file name, contents)`: `accounts.csv`,
    /// `weeks.csv`, `gaps.csv` (severe and longest gaps), `messages.csv`,
    /// `boilerplate.csv` (one row per group and message), `off_topic.csv`,
    /// `content_months.csv`, `content_rules.csv` (findings per rule per
    /// account and month), `content_items.csv` (one row per finding of a
    /// listed post) and `errors.csv`.
    ///
    /// Cells are written as they are; a spreadsheet that evaluates cells
    /// starting with `=` should import the files as text.
    pub fn to_csv_tables(&self) -> Vec<(&'static str, String)> {
        vec![
            ("accounts.csv", self.accounts_csv()),
            ("weeks.csv", self.weeks_csv()),
            ("gaps.csv", self.gaps_csv()),
            ("messages.csv", self.messages_csv()),
            ("boilerplate.csv", self.boilerplate_csv()),
            ("off_topic.csv", self.off_topic_csv()),
            ("content_months.csv", self.content_months_csv()),
            ("content_rules.csv", self.content_rules_csv()),
            ("content_items.csv", self.content_items_csv()),
            ("errors.csv", self.errors_csv()),
        ]
    }

    /// `accounts.csv`: the headline figures per account.
    fn accounts_csv(&self) -> String {
        table(
            &[
                "account",
                "posts",
                "weeks",
                "empty_weeks",
                "severe_gaps",
                "longest_gap_days",
                "messages",
                "on_time",
                "overdue",
                "unanswered",
                "boilerplate_replies",
                "off_topic_replies",
                "review_posts",
                "blocked_posts",
            ],
            self.accounts.iter().map(|a| {
                vec![
                    a.account.clone(),
                    a.posts.to_string(),
                    a.weeks.to_string(),
                    a.empty_weeks.to_string(),
                    a.severe_gaps.to_string(),
                    a.longest_gap_days.to_string(),
                    a.messages.to_string(),
                    a.on_time.to_string(),
                    a.overdue.to_string(),
                    a.unanswered.to_string(),
                    a.boilerplate_replies.to_string(),
                    a.off_topic_replies.to_string(),
                    a.review_posts.to_string(),
                    a.blocked_posts.to_string(),
                ]
            }),
        )
    }

    /// `weeks.csv`: posts per ISO week per account.
    fn weeks_csv(&self) -> String {
        table(
            &["account", "week", "start", "days_in_period", "posts"],
            self.cadence.iter().flat_map(|c| {
                c.weeks.iter().map(|w| {
                    vec![
                        c.account.clone(),
                        w.week.clone(),
                        w.start.to_string(),
                        w.days_in_period.to_string(),
                        w.posts.to_string(),
                    ]
                })
            }),
        )
    }

    /// `gaps.csv`: the severe and the longest gaps per account, by first day.
    fn gaps_csv(&self) -> String {
        table(
            &[
                "account",
                "from",
                "to",
                "days",
                "after_post",
                "before_post",
                "severe",
                "longest",
            ],
            self.cadence.iter().flat_map(|c| {
                let mut gaps: Vec<_> = c.severe_gaps.iter().collect();
                if let Some(l) = &c.longest_gap {
                    if !gaps.contains(&l) {
                        gaps.push(l);
                    }
                }
                gaps.sort_by_key(|g| g.from);
                gaps.into_iter().map(|g| {
                    vec![
                        c.account.clone(),
                        g.from.to_string(),
                        g.to.to_string(),
                        g.days.to_string(),
                        opt(&g.after_post),
                        opt(&g.before_post),
                        g.severe.to_string(),
                        (Some(g) == c.longest_gap.as_ref()).to_string(),
                    ]
                })
            }),
        )
    }

    /// `messages.csv`: every message against its deadline.
    fn messages_csv(&self) -> String {
        table(
            &[
                "id",
                "account",
                "file",
                "line",
                "category",
                "deadline_days",
                "asked",
                "replied",
                "deadline",
                "working_days",
                "status",
                "boilerplate",
                "off_topic",
            ],
            self.replies.messages.iter().map(|m| {
                vec![
                    m.id.clone(),
                    m.account.clone(),
                    m.file.clone(),
                    m.line.to_string(),
                    opt(&m.category),
                    m.deadline_days.to_string(),
                    m.asked.to_string(),
                    opt(&m.replied),
                    opt(&m.deadline),
                    opt(&m.working_days),
                    m.status.as_str().to_string(),
                    m.boilerplate.to_string(),
                    m.off_topic.to_string(),
                ]
            }),
        )
    }

    /// `boilerplate.csv`: one row per boilerplate group and message.
    fn boilerplate_csv(&self) -> String {
        table(
            &["group", "group_messages", "variants", "message_id", "text"],
            self.boilerplate
                .groups
                .iter()
                .enumerate()
                .flat_map(|(i, g)| {
                    g.message_ids.iter().map(move |id| {
                        vec![
                            (i + 1).to_string(),
                            g.messages.to_string(),
                            g.variants.to_string(),
                            id.clone(),
                            g.text.clone(),
                        ]
                    })
                }),
        )
    }

    /// `off_topic.csv`: replies sharing no content word with their message.
    fn off_topic_csv(&self) -> String {
        table(
            &["id", "account", "message", "reply"],
            self.boilerplate.off_topic.iter().map(|o| {
                vec![
                    o.id.clone(),
                    o.account.clone(),
                    o.message.clone(),
                    o.reply.clone(),
                ]
            }),
        )
    }

    /// `content_months.csv`: screening results per account and month.
    fn content_months_csv(&self) -> String {
        table(
            &["account", "month", "posts", "pass", "review", "block"],
            self.content.months.iter().map(|m| {
                vec![
                    m.account.clone(),
                    m.month.clone(),
                    m.posts.to_string(),
                    m.pass.to_string(),
                    m.review.to_string(),
                    m.block.to_string(),
                ]
            }),
        )
    }

    /// `content_rules.csv`: findings per rule per account and month.
    fn content_rules_csv(&self) -> String {
        table(
            &["account", "month", "rule", "findings"],
            self.content.months.iter().flat_map(|m| {
                m.findings.iter().map(|(r, n)| {
                    vec![m.account.clone(), m.month.clone(), r.clone(), n.to_string()]
                })
            }),
        )
    }

    /// `content_items.csv`: one row per finding of a listed post.
    fn content_items_csv(&self) -> String {
        table(
            &[
                "file",
                "line",
                "id",
                "url",
                "account",
                "published",
                "verdict",
                "approval",
                "rule",
                "severity",
                "field",
                "field_line",
                "field_column",
                "start",
                "end",
                "text",
            ],
            self.content.items.iter().flat_map(|it| {
                it.findings.iter().map(move |f| {
                    vec![
                        it.file.clone(),
                        it.line.to_string(),
                        opt(&it.id),
                        opt(&it.url),
                        it.account.clone(),
                        it.published.to_string(),
                        name(&it.verdict),
                        name(&it.approval),
                        f.rule.clone(),
                        name(&f.severity),
                        f.field.to_string(),
                        f.line.to_string(),
                        f.column.to_string(),
                        f.start.to_string(),
                        f.end.to_string(),
                        f.text.clone(),
                    ]
                })
            }),
        )
    }

    /// `errors.csv`: the records not audited.
    fn errors_csv(&self) -> String {
        table(
            &["file", "line", "column", "kind", "message", "id", "year"],
            self.errors.iter().map(|e| {
                vec![
                    e.file.clone(),
                    e.line.to_string(),
                    opt(&e.column),
                    name(&e.kind),
                    e.message.clone(),
                    opt(&e.id),
                    opt(&e.year),
                ]
            }),
        )
    }

    /// Writes [`Audit::to_csv_tables`] into `dir` (created if need be) and
    /// returns the paths written.
    ///
    /// # Errors
    ///
    /// [`AuditError::Write`] when the folder or a file cannot be written.
    pub fn write_csv_tables(&self, dir: impl AsRef<Path>) -> Result<Vec<PathBuf>, AuditError> {
        let dir = dir.as_ref();
        let err = |path: &Path| {
            let path = path.display().to_string();
            move |source| AuditError::Write { path, source }
        };
        std::fs::create_dir_all(dir).map_err(err(dir))?;
        let mut written = Vec::new();
        for (file, text) in self.to_csv_tables() {
            let path = dir.join(file);
            std::fs::write(&path, text).map_err(err(&path))?;
            written.push(path);
        }
        Ok(written)
    }
}
