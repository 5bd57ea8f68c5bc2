//! The audit as one self-contained HTML page: inline CSS, inline SVG
//! charts drawn here, no script, no external asset. Every text from the
//! archive or the policy is escaped.

use crate::audit::Audit;
use crate::cadence::AccountCadence;
use crate::replies::ReplyStatus;
use crate::time::day_number;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use xianshen_input::escape_html as esc;

/// Rows shown per list; the JSON and the CSV tables have them all.
const MAX_ROWS: usize = 500;

/// The page's inline style sheet.
const CSS: &str = "
body{font-family:system-ui,-apple-system,'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:2em auto;max-width:1200px;padding:0 1em;color:#222}
h1{font-size:1.5em}h2{border-bottom:2px solid #ccc;padding-bottom:.2em;margin-top:2em}h3{font-size:1.05em}
table{border-collapse:collapse;margin:.5em 0 1em;font-size:.9em}th,td{border:1px solid #ddd;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.n{text-align:right;font-variant-numeric:tabular-nums}
.bad{color:#b00020;font-weight:600}.warn{color:#a15c00}.ok{color:#1b7f3b}.muted{color:#777}
figure{margin:1em 0}figcaption{font-weight:600;margin-bottom:.3em}svg{max-width:100%;height:auto;font-size:11px}
.legend span{display:inline-block;margin-right:1em}.sw{display:inline-block;width:.9em;height:.9em;vertical-align:middle;margin-right:.3em}
code{background:#f5f5f5;padding:0 .2em}
";

/// Notes that a list of `total` rows shows only the first [`MAX_ROWS`].
fn more(out: &mut String, total: usize) {
    if total > MAX_ROWS {
        let _ = write!(
            out,
            "<p class=\"muted\">{MAX_ROWS} of {total} shown; the JSON and the CSV tables list them all.</p>"
        );
    }
}

/// The CSS class a status is shown with.
fn status_class(s: ReplyStatus) -> &'static str {
    match s {
        ReplyStatus::OnTime => "ok",
        ReplyStatus::Pending => "muted",
        ReplyStatus::Late | ReplyStatus::UnansweredOverdue => "bad",
        ReplyStatus::NoCalendar => "warn",
    }
}

/// Every status with its colour and label, in chart order.
const STATUS_COLORS: [(ReplyStatus, &str, &str); 5] = [
    (ReplyStatus::OnTime, "#2e9e55", "按时答复 on time"),
    (ReplyStatus::Late, "#f08c00", "超期答复 late"),
    (ReplyStatus::Pending, "#adb5bd", "未答复·未超期 pending"),
    (
        ReplyStatus::UnansweredOverdue,
        "#d6336c",
        "未答复·已超期 unanswered overdue",
    ),
    (ReplyStatus::NoCalendar, "#7950f2", "无工作日历 no calendar"),
];

impl Audit {
    /// The audit as one self-contained HTML page (inline CSS and SVG, no
    /// script, no external asset): the accounts' figures, posts per week as
    /// a timeline with empty weeks and severe gaps marked, replies against
    /// their deadlines, boilerplate, findings per rule per month, and the
    /// errors. Lists show their first 500 rows.
    pub fn to_html(&self) -> String {
        let mut o = String::with_capacity(64 * 1024);
        let _ = write!(
            o,
            "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>账号存档审计 {} – {}</title><style>{CSS}</style></head><body>",
            self.period.from, self.period.to
        );
        let _ = write!(
            o,
            "<h1>账号存档审计 Archive audit</h1><p>Period <b>{}</b> – <b>{}</b> ({} days, from {}) · audit date {} · policy {} {} <code>{}</code> · {} {} · schema <code>{}</code></p>",
            self.period.from,
            self.period.to,
            self.period.days,
            self.period.source,
            self.audit_date,
            esc(&self.policy.name),
            esc(&self.policy.version),
            esc(&self.policy.fingerprint),
            esc(&self.engine.name),
            esc(&self.engine.version),
            esc(&self.schema)
        );
        let i = &self.inputs;
        let _ = write!(
            o,
            "<p>Posts: {} read, {} audited, {} outside the period, {} with errors. Messages: {} read, {} audited, {} outside the period, {} with errors.</p>",
            i.posts.records, i.posts.audited, i.posts.outside_period, i.posts.errors,
            i.messages.records, i.messages.audited, i.messages.outside_period, i.messages.errors
        );
        self.accounts_html(&mut o);
        self.cadence_html(&mut o);
        self.replies_html(&mut o);
        self.boilerplate_html(&mut o);
        self.content_html(&mut o);
        self.errors_html(&mut o);
        o.push_str("</body></html>\n");
        o
    }

    /// The headline figures per account.
    fn accounts_html(&self, o: &mut String) {
        o.push_str("<h2>账号概览 Accounts</h2><table><tr><th>account</th><th>posts</th><th>weeks</th><th>empty weeks</th><th>severe gaps</th><th>longest gap (days)</th><th>messages</th><th>on time</th><th>overdue</th><th>unanswered</th><th>boilerplate</th><th>off topic</th><th>review</th><th>block</th></tr>");
        for a in &self.accounts {
            let cls = |bad: bool| if bad { " bad" } else { "" };
            let _ = write!(
                o,
                "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n{}\">{}</td><td class=\"n{}\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n{}\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n{}\">{}</td></tr>",
                esc(&a.account), a.posts, a.weeks, cls(a.empty_weeks > 0), a.empty_weeks, cls(a.severe_gaps > 0), a.severe_gaps,
                a.longest_gap_days, a.messages, a.on_time, cls(a.overdue > 0), a.overdue, a.unanswered,
                a.boilerplate_replies, a.off_topic_replies, a.review_posts, cls(a.blocked_posts > 0), a.blocked_posts
            );
        }
        o.push_str("</table>");
    }

    /// Posting cadence: a timeline per account, then its severe gaps.
    fn cadence_html(&self, o: &mut String) {
        let _ = write!(
            o,
            "<h2>更新频率 Posting cadence</h2><p>Posts per ISO week. <span class=\"legend\"><span><i class=\"sw\" style=\"background:#4263eb\"></i>posts</span><span><i class=\"sw\" style=\"background:#ffe3e3\"></i>week without a post</span><span><i class=\"sw\" style=\"background:#e03131\"></i>gap of {} days or more</span></span></p>",
            self.settings.severe_gap_days
        );
        let from = day_number(self.period.from);
        for c in &self.cadence {
            cadence_figure(o, c, from);
            severe_gaps_table(o, c);
        }
    }

    /// Replies against deadlines: per category, working days taken, and
    /// the messages not answered on time.
    fn replies_html(&self, o: &mut String) {
        o.push_str("<h2>留言答复 Replies against deadlines</h2><p>Working days are counted from the first working day after the day a message was asked, on the State Council's holiday arrangements with their make-up working days.</p><p class=\"legend\">");
        for (_, color, label) in STATUS_COLORS {
            let _ = write!(
                o,
                "<span><i class=\"sw\" style=\"background:{color}\"></i>{label}</span>"
            );
        }
        o.push_str("</p>");
        self.categories_chart(o);
        self.working_days_chart(o);
        self.unresolved_messages_table(o);
    }

    /// Messages per category as stacked bars, one colour per status.
    fn categories_chart(&self, o: &mut String) {
        let cats = &self.replies.categories;
        let max = cats.iter().map(|c| c.messages).max().unwrap_or(0).max(1);
        let (bar_w, row_h) = (700.0, 26.0);
        let _ = write!(
            o,
            "<figure><figcaption>Messages per category</figcaption><svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"replies per category\" viewBox=\"0 0 1000 {h}\" width=\"1000\" height=\"{h}\">",
            h = row_h * cats.len() as f64 + 10.0
        );
        for (k, c) in cats.iter().enumerate() {
            let y = 5.0 + row_h * k as f64;
            let label = format!(
                "{}（{}个工作日）",
                c.category.as_deref().unwrap_or("未分类"),
                c.deadline_days
            );
            let _ = write!(
                o,
                "<text x=\"0\" y=\"{:.1}\">{}</text>",
                y + 15.0,
                esc(&label)
            );
            let mut x = 220.0;
            for (status, color, label) in STATUS_COLORS {
                let n = match status {
                    ReplyStatus::OnTime => c.on_time,
                    ReplyStatus::Late => c.late,
                    ReplyStatus::Pending => c.pending,
                    ReplyStatus::UnansweredOverdue => c.unanswered_overdue,
                    ReplyStatus::NoCalendar => c.no_calendar,
                };
                if n == 0 {
                    continue;
                }
                let w = bar_w * n as f64 / max as f64;
                let _ = write!(o, "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"20\" fill=\"{color}\"><title>{}: {n} {label}</title></rect>", esc(&label_of(c.category.as_deref())));
                x += w;
            }
            let _ = write!(
                o,
                "<text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
                x + 4.0,
                y + 15.0,
                c.messages
            );
        }
        o.push_str("</svg></figure>");
    }

    /// Answered messages per working days taken, per category: `(deadline
    /// days, histogram)`; days beyond twice the deadline (at least 10)
    /// counted in the last column.
    fn working_days_histograms(&self) -> BTreeMap<Option<&str>, (u32, Histogram)> {
        let mut hist: BTreeMap<Option<&str>, (u32, Histogram)> = BTreeMap::new();
        for m in &self.replies.messages {
            if let (Some(wd), Some(_)) = (m.working_days, m.replied) {
                let cap = (m.deadline_days * 2).max(10);
                let e = hist
                    .entry(m.category.as_deref())
                    .or_insert((m.deadline_days, BTreeMap::new()));
                e.1.entry(wd.min(cap)).or_default()[usize::from(wd > m.deadline_days)] += 1;
            }
        }
        hist
    }

    /// Working days taken, against each category's deadline.
    fn working_days_chart(&self, o: &mut String) {
        let row_h = 26.0;
        let hist = self.working_days_histograms();
        if hist.is_empty() {
            return;
        }
        let cols = hist
            .values()
            .map(|(d, _)| (d * 2).max(10) + 1)
            .max()
            .unwrap_or(11);
        let cw = (760.0 / cols as f64).min(40.0);
        let _ = write!(
            o,
            "<figure><figcaption>Working days to the reply (answered messages; the dashed line is the deadline, the last column counts everything beyond)</figcaption><svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"working days to the reply\" viewBox=\"0 0 1000 {h}\" width=\"1000\" height=\"{h}\">",
            h = row_h * 1.6 * hist.len() as f64 + 24.0
        );
        for (k, (cat, (deadline, counts))) in hist.iter().enumerate() {
            let y = 4.0 + row_h * 1.6 * k as f64;
            let _ = write!(
                o,
                "<text x=\"0\" y=\"{:.1}\">{}</text>",
                y + 20.0,
                esc(&label_of(*cat))
            );
            let peak = counts
                .values()
                .map(|c| c[0] + c[1])
                .max()
                .unwrap_or(1)
                .max(1);
            for (wd, c) in counts {
                let x = 220.0 + cw * f64::from(*wd);
                let total = c[0] + c[1];
                let opacity = 0.25 + 0.75 * total as f64 / peak as f64;
                let color = if c[1] > 0 { "#f08c00" } else { "#2e9e55" };
                let _ = write!(
                    o,
                    "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"30\" fill=\"{color}\" fill-opacity=\"{opacity:.2}\"><title>{wd} working days: {total} messages</title></rect>",
                    (cw - 1.0).max(1.0)
                );
            }
            let dx = 220.0 + cw * (f64::from(*deadline) + 1.0);
            let _ = write!(o, "<line x1=\"{dx:.1}\" x2=\"{dx:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#d6336c\" stroke-dasharray=\"3,2\" stroke-width=\"2\"/>", y - 2.0, y + 34.0);
        }
        for wd in (0..cols).step_by(if cols > 20 { 5 } else { 1 }) {
            let x = 220.0 + cw * f64::from(wd);
            let _ = write!(
                o,
                "<text x=\"{x:.1}\" y=\"{:.1}\">{wd}</text>",
                row_h * 1.6 * hist.len() as f64 + 18.0
            );
        }
        o.push_str("</svg></figure>");
    }

    /// The messages not answered on time, the first [`MAX_ROWS`].
    fn unresolved_messages_table(&self, o: &mut String) {
        let listed: Vec<_> = self
            .replies
            .messages
            .iter()
            .filter(|m| m.status != ReplyStatus::OnTime)
            .collect();
        let _ = write!(
            o,
            "<h3>Late, unanswered and unassessed messages ({})</h3>",
            listed.len()
        );
        if listed.is_empty() {
            return;
        }
        o.push_str("<table><tr><th>id</th><th>account</th><th>category</th><th>asked</th><th>replied</th><th>deadline</th><th>working days</th><th>status</th><th>line</th></tr>");
        for m in listed.iter().take(MAX_ROWS) {
            let _ = write!(
                o,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{} / {}</td><td class=\"{}\">{}</td><td>{}:{}</td></tr>",
                esc(&m.id), esc(&m.account), esc(&label_of(m.category.as_deref())), m.asked,
                m.replied.map_or("—".into(), |t| t.to_string()),
                m.deadline.map_or("—".into(), |d| d.to_string()),
                m.working_days.map_or("—".into(), |d| d.to_string()), m.deadline_days,
                status_class(m.status), m.status.as_str(), esc(&m.file), m.line
            );
        }
        o.push_str("</table>");
        more(o, listed.len());
    }

    /// Boilerplate groups and off-topic replies.
    fn boilerplate_html(&self, o: &mut String) {
        let b = &self.boilerplate;
        let _ = write!(
            o,
            "<h2>套话答复 Boilerplate replies</h2><p>The same or nearly the same reply (character-bigram similarity ≥ {}) sent to {} or more messages: {} groups.</p>",
            self.settings.boilerplate_similarity, self.settings.boilerplate_min_messages, b.groups.len()
        );
        if !b.groups.is_empty() {
            o.push_str("<table><tr><th>messages</th><th>variants</th><th>accounts</th><th>reply</th><th>message ids</th></tr>");
            for g in b.groups.iter().take(MAX_ROWS) {
                let ids: Vec<&str> = g.message_ids.iter().take(20).map(String::as_str).collect();
                let _ = write!(
                    o,
                    "<tr><td class=\"n bad\">{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td><td>{}{}</td></tr>",
                    g.messages, g.variants, esc(&g.accounts.join("、")), esc(&g.text), esc(&ids.join(", ")),
                    if g.message_ids.len() > 20 { " …" } else { "" }
                );
            }
            o.push_str("</table>");
            more(o, b.groups.len());
        }
        let _ = write!(
            o,
            "<h3>Replies sharing no content word with the message ({})</h3>",
            b.off_topic.len()
        );
        if !b.off_topic.is_empty() {
            o.push_str("<table><tr><th>id</th><th>account</th><th>message</th><th>reply</th></tr>");
            for t in b.off_topic.iter().take(MAX_ROWS) {
                let _ = write!(
                    o,
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    esc(&t.id),
                    esc(&t.account),
                    esc(&t.message),
                    esc(&t.reply)
                );
            }
            o.push_str("</table>");
            more(o, b.off_topic.len());
        }
    }

    /// Screening aggregated: findings per rule per month, results per
    /// account and month, and the posts to review or block.
    fn content_html(&self, o: &mut String) {
        o.push_str("<h2>内容审核 Content</h2>");
        self.findings_chart(o);
        self.content_months_table(o);
        self.content_items_table(o);
    }

    /// The months audited, sorted, and the findings per rule per month (all
    /// accounts).
    fn findings_grid(&self) -> (Vec<&str>, Grid<'_>) {
        let months: BTreeSet<&str> = self
            .content
            .months
            .iter()
            .map(|m| m.month.as_str())
            .collect();
        let months: Vec<&str> = months.into_iter().collect();
        let mut grid: BTreeMap<&str, BTreeMap<&str, u64>> = BTreeMap::new();
        for m in &self.content.months {
            for (rule, n) in &m.findings {
                *grid
                    .entry(rule)
                    .or_default()
                    .entry(m.month.as_str())
                    .or_default() += n;
            }
        }
        (months, grid)
    }

    /// Findings per rule per month as a heat map.
    fn findings_chart(&self, o: &mut String) {
        let (months, grid) = self.findings_grid();
        if grid.is_empty() {
            return;
        }
        let peak = grid
            .values()
            .flat_map(|r| r.values())
            .copied()
            .max()
            .unwrap_or(1)
            .max(1);
        let cw = (820.0 / months.len() as f64).clamp(6.0, 48.0);
        let (ch, left) = (18.0, 170.0);
        let width = left + cw * months.len() as f64 + 10.0;
        let height = ch * grid.len() as f64 + 60.0;
        let _ = write!(
            o,
            "<figure><figcaption>Findings per rule per month (all accounts)</figcaption><svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"findings per rule per month\" viewBox=\"0 0 {width:.0} {height:.0}\" width=\"{width:.0}\" height=\"{height:.0}\">"
        );
        for (r, (rule, per)) in grid.iter().enumerate() {
            let y = 4.0 + ch * r as f64;
            let _ = write!(
                o,
                "<text x=\"0\" y=\"{:.1}\">{}</text>",
                y + 13.0,
                esc(rule)
            );
            for (k, month) in months.iter().enumerate() {
                let n = per.get(month).copied().unwrap_or(0);
                let x = left + cw * k as f64;
                let (fill, op) = if n == 0 {
                    ("#f1f3f5", 1.0)
                } else {
                    ("#c92a2a", 0.15 + 0.85 * n as f64 / peak as f64)
                };
                let _ = write!(
                    o,
                    "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{fill}\" fill-opacity=\"{op:.2}\"><title>{} {month}: {n}</title></rect>",
                    cw - 1.0, ch - 2.0, esc(rule)
                );
            }
        }
        let step = (months.len() / 12).max(1);
        for (k, month) in months.iter().enumerate().step_by(step) {
            let x = left + cw * k as f64;
            let y = ch * grid.len() as f64 + 16.0;
            let _ = write!(o, "<text x=\"{x:.1}\" y=\"{y:.1}\" transform=\"rotate(40 {x:.1} {y:.1})\">{month}</text>");
        }
        o.push_str("</svg></figure>");
    }

    /// Screening results per account and month, the first [`MAX_ROWS`].
    fn content_months_table(&self, o: &mut String) {
        o.push_str("<table><tr><th>account</th><th>month</th><th>posts</th><th>pass</th><th>review</th><th>block</th></tr>");
        for m in self.content.months.iter().take(MAX_ROWS) {
            let _ = write!(
                o,
                "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n warn\">{}</td><td class=\"n bad\">{}</td></tr>",
                esc(&m.account), m.month, m.posts, m.pass, m.review, m.block
            );
        }
        o.push_str("</table>");
        more(o, self.content.months.len());
    }

    /// The posts to review or block, the first [`MAX_ROWS`].
    fn content_items_table(&self, o: &mut String) {
        let _ = write!(
            o,
            "<h3>Posts to review or block ({})</h3>",
            self.content.items.len()
        );
        if self.content.items.is_empty() {
            return;
        }
        o.push_str("<table><tr><th>post</th><th>account</th><th>published</th><th>title</th><th>verdict</th><th>sign-off</th><th>findings</th></tr>");
        for it in self.content.items.iter().take(MAX_ROWS) {
            let findings: Vec<String> = it
                .findings
                .iter()
                .map(|f| {
                    format!(
                        "<code>{}</code> {}:{}:{} «{}»",
                        esc(&f.rule),
                        f.field,
                        f.line,
                        f.column,
                        esc(&f.text)
                    )
                })
                .collect();
            let post = match (&it.id, &it.url) {
                (Some(id), _) => format!("{}:{} ({})", esc(&it.file), it.line, esc(id)),
                (None, Some(url)) => format!("{}:{} ({})", esc(&it.file), it.line, esc(url)),
                _ => format!("{}:{}", esc(&it.file), it.line),
            };
            let _ = write!(
                o,
                "<tr><td>{post}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"{}\">{}</td><td>{}</td><td>{}</td></tr>",
                esc(&it.account), it.published, esc(it.title.as_deref().unwrap_or("")),
                if it.verdict == xianshen::Verdict::Block { "bad" } else { "warn" },
                it.verdict.as_str(), it.approval.as_str(), findings.join("<br>")
            );
        }
        o.push_str("</table>");
        more(o, self.content.items.len());
    }

    /// The records not audited.
    fn errors_html(&self, o: &mut String) {
        let _ = write!(o, "<h2>错误 Errors ({})</h2>", self.errors.len());
        if self.errors.is_empty() {
            o.push_str("<p class=\"ok\">Every record was read and audited.</p>");
            return;
        }
        o.push_str("<table><tr><th>where</th><th>kind</th><th>message</th></tr>");
        for e in self.errors.iter().take(MAX_ROWS) {
            let col = e.column.map(|c| format!(":{c}")).unwrap_or_default();
            let kind = serde_json::to_value(e.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let _ = write!(
                o,
                "<tr><td>{}:{}{col}</td><td>{kind}</td><td class=\"bad\">{}</td></tr>",
                esc(&e.file),
                e.line,
                esc(&e.message)
            );
        }
        o.push_str("</table>");
        more(o, self.errors.len());
    }
}

/// Messages per working days taken: `[on time, late]`.
type Histogram = BTreeMap<u32, [u64; 2]>;

/// A category as shown (`未分类` for none).
fn label_of(category: Option<&str>) -> String {
    category.unwrap_or("未分类").to_string()
}

/// Findings per rule (sorted) per month.
type Grid<'a> = BTreeMap<&'a str, BTreeMap<&'a str, u64>>;

/// The posts per week of one account as bars, empty weeks and severe gaps
/// marked; `from` is the period's first day (day number).
fn cadence_figure(o: &mut String, c: &AccountCadence, from: i32) {
    let n = c.weeks.len().max(1);
    let bw = (1100.0 / n as f64).clamp(1.0, 24.0);
    let width = 60.0 + bw * n as f64;
    let (h, top) = (120.0, 10.0);
    let max = c.weeks.iter().map(|w| w.posts).max().unwrap_or(0).max(1);
    let _ = write!(
            o,
            "<figure><figcaption>{} — {} posts, {} empty weeks, longest gap {} days</figcaption><svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"posts per week\" viewBox=\"0 0 {width:.0} {}\" width=\"{width:.0}\">",
            esc(&c.account), c.posts, c.empty_weeks.len(), c.longest_gap.as_ref().map_or(0, |g| g.days), h + 60.0
        );
    let _ = write!(
        o,
        "<text x=\"2\" y=\"{}\">{max}</text><text x=\"2\" y=\"{}\">0</text>",
        top + 8.0,
        top + h
    );
    let x0 = 50.0;
    let first_monday = c.weeks.first().map_or(from, |w| day_number(w.start));
    let mut last_year = 0;
    for (k, w) in c.weeks.iter().enumerate() {
        let x = x0 + bw * k as f64;
        if w.posts == 0 {
            let _ = write!(
                    o,
                    "<rect x=\"{x:.1}\" y=\"{top}\" width=\"{bw:.1}\" height=\"{h}\" fill=\"#ffe3e3\"><title>{} (from {}): no post</title></rect>",
                    w.week, w.start
                );
        } else {
            let bh = h * w.posts as f64 / max as f64;
            let _ = write!(
                    o,
                    "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{bh:.1}\" fill=\"#4263eb\"><title>{} (from {}): {} posts</title></rect>",
                    top + h - bh, (bw - 0.5).max(0.8), w.week, w.start, w.posts
                );
        }
        let year = w.start.year();
        if year != last_year && (k == 0 || w.start.month() == 1) {
            last_year = year;
            let _ = write!(o, "<line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{top}\" y2=\"{}\" stroke=\"#999\"/><text x=\"{x:.1}\" y=\"{}\">{}</text>", top + h + 4.0, top + h + 16.0, w.week);
        }
    }
    // Severe gaps, as bands under the bars, by day.
    let day_w = bw / 7.0;
    for g in &c.severe_gaps {
        let gx = x0 + (day_number(g.from) - first_monday) as f64 * day_w;
        let gw = (g.days as f64 * day_w).max(1.0);
        let _ = write!(
                o,
                "<rect x=\"{gx:.1}\" y=\"{}\" width=\"{gw:.1}\" height=\"10\" fill=\"#e03131\"><title>{} – {}: {} days without a post</title></rect>",
                top + h + 22.0, g.from, g.to, g.days
            );
    }
    o.push_str("</svg></figure>");
}

/// The severe gaps of one account, if any.
fn severe_gaps_table(o: &mut String, c: &AccountCadence) {
    if c.severe_gaps.is_empty() {
        return;
    }
    o.push_str("<table><tr><th>from</th><th>to</th><th>days</th><th>last post before</th><th>next post</th></tr>");
    for g in &c.severe_gaps {
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}</td><td class=\"n bad\">{}</td><td>{}</td><td>{}</td></tr>",
            g.from,
            g.to,
            g.days,
            g.after_post.map_or("—".into(), |d| d.to_string()),
            g.before_post.map_or("—".into(), |d| d.to_string())
        );
    }
    o.push_str("</table>");
}
