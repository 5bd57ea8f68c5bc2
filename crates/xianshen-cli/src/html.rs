//! `--format html`: one self-contained page (no network): drafts grouped by
//! verdict, each with its findings highlighted in place and colored by
//! severity, the rule's message on hover, and a chart of findings per rule.

use crate::inputs::Screened;
use std::collections::BTreeMap;
use xianshen::{Finding, Screener, Severity, Verdict};
use xianshen_input::escape_html as esc;

/// Drafts longer than this are listed with their findings but not shown
/// in full.
const MAX_SHOWN_BYTES: usize = 512 * 1024;

struct Entry {
    title: String,
    meta: String,
    verdict: Verdict,
    body: String,
}

/// The page being built.
pub struct Page {
    policy: String,
    entries: Vec<Entry>,
    errors: Vec<(String, String)>,
    per_rule: BTreeMap<String, [usize; 3]>,
}

fn sev(s: Severity) -> &'static str {
    s.as_str()
}

impl Page {
    pub fn new(screener: &Screener) -> Self {
        let p = screener.policy();
        Page {
            policy: format!("{} ({}) {}", p.name(), p.version(), p.fingerprint()),
            entries: Vec::new(),
            errors: Vec::new(),
            per_rule: BTreeMap::new(),
        }
    }

    pub fn report(&mut self, item: &Screened) {
        let r = &item.report;
        for f in r.findings.iter().chain(&r.title_findings) {
            self.per_rule.entry(f.rule.clone()).or_default()[f.severity as usize] += 1;
        }
        let title = match (item.line, &item.id) {
            (Some(line), Some(id)) => format!("{}:{line} (id {id})", item.name),
            (Some(line), None) => format!("{}:{line}", item.name),
            _ => item.name.clone(),
        };
        let meta = format!(
            "{} · {} · sign-off: {} · {} finding{}{}",
            item.format.as_str(),
            item.encoding,
            r.approval,
            r.findings.len() + r.title_findings.len(),
            if r.findings.len() + r.title_findings.len() == 1 {
                ""
            } else {
                "s"
            },
            if r.truncated { " (truncated)" } else { "" }
        );
        let mut body = String::new();
        match &item.source {
            Some(src) if src.len() <= MAX_SHOWN_BYTES => {
                body.push_str("<pre class=\"src\">");
                body.push_str(&highlight(src, &r.findings));
                body.push_str("</pre>");
            }
            _ => body.push_str("<p class=\"note\">Text too large to show; findings below.</p>"),
        }
        if !r.findings.is_empty() || !r.title_findings.is_empty() {
            body.push_str("<table class=\"findings\"><tr><th>line:col</th><th>severity</th><th>rule</th><th>text</th><th>message</th></tr>");
            let titled = r.title_findings.iter().map(|f| (true, f));
            for (in_title, f) in titled.chain(r.findings.iter().map(|f| (false, f))) {
                body.push_str(&format!(
                    "<tr class=\"sev-{s}\"><td>{}{}:{}</td><td><span class=\"badge sev-{s}\">{s}</span></td><td><code>{}</code></td><td>{}</td><td>{}{}</td></tr>",
                    if in_title { "标题 " } else { "" },
                    f.line,
                    f.column,
                    esc(&f.rule),
                    esc(&f.text),
                    esc(&f.message),
                    f.suggestion
                        .as_deref()
                        .map(|s| format!(" → 建议：{}", esc(s)))
                        .unwrap_or_default(),
                    s = sev(f.severity),
                ));
            }
            body.push_str("</table>");
        }
        self.entries.push(Entry {
            title,
            meta,
            verdict: r.verdict,
            body,
        });
    }

    pub fn error(&mut self, path: &str, message: &str) {
        self.errors.push((path.to_string(), message.to_string()));
    }

    pub fn finish(self) -> String {
        let mut counts = [0usize; 3];
        for e in &self.entries {
            counts[e.verdict as usize] += 1;
        }
        let mut h = String::new();
        h.push_str("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>xianshen report</title>\n<style>");
        h.push_str(CSS);
        h.push_str("</style></head><body>\n<h1>先审 xianshen report</h1>\n");
        h.push_str(&format!(
            "<p class=\"summary\"><span class=\"badge v-block\">{} block</span> <span class=\"badge v-review\">{} review</span> <span class=\"badge v-pass\">{} pass</span> <span class=\"badge v-error\">{} error{}</span></p>\n<p class=\"policy\">policy: {}</p>\n",
            counts[2],
            counts[1],
            counts[0],
            self.errors.len(),
            if self.errors.len() == 1 { "" } else { "s" },
            esc(&self.policy)
        ));
        h.push_str(&chart(&self.per_rule));
        if !self.errors.is_empty() {
            h.push_str("<section class=\"verdict v-error\"><h2>Errors</h2><ul>");
            for (p, m) in &self.errors {
                h.push_str(&format!(
                    "<li class=\"error\"><b>{}</b>: {}</li>",
                    esc(p),
                    esc(m)
                ));
            }
            h.push_str("</ul></section>\n");
        }
        for verdict in [Verdict::Block, Verdict::Review, Verdict::Pass] {
            let list: Vec<&Entry> = self
                .entries
                .iter()
                .filter(|e| e.verdict == verdict)
                .collect();
            if list.is_empty() {
                continue;
            }
            let v = verdict.as_str();
            h.push_str(&format!(
                "<section class=\"verdict v-{v}\" id=\"{v}\"><h2>{v} ({})</h2>\n",
                list.len()
            ));
            for e in list {
                h.push_str(&format!(
                    "<details class=\"draft\"{}><summary><span class=\"badge v-{v}\">{v}</span> <b>{}</b> <span class=\"meta\">{}</span></summary>{}</details>\n",
                    if verdict == Verdict::Pass { "" } else { " open" },
                    esc(&e.title),
                    esc(&e.meta),
                    e.body
                ));
            }
            h.push_str("</section>\n");
        }
        h.push_str("<footer>Generated by xianshen ");
        h.push_str(env!("CARGO_PKG_VERSION"));
        h.push_str(". Hover a highlight for the rule and what to do.</footer>\n</body></html>\n");
        h
    }
}

/// The source with every finding wrapped in `<mark>`: where findings
/// overlap, the piece takes the most serious one's color and lists all.
fn highlight(src: &str, findings: &[Finding]) -> String {
    let mut cuts: Vec<usize> = vec![0, src.len()];
    for f in findings {
        cuts.push(f.start.min(src.len()));
        cuts.push(f.end.min(src.len()));
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = String::with_capacity(src.len() * 2);
    // Empty spans (a missing source declaration) show as a marker.
    let mut empties: Vec<&Finding> = findings.iter().filter(|f| f.start == f.end).collect();
    empties.sort_by_key(|f| f.start);
    let mut next_empty = 0;
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        while next_empty < empties.len() && empties[next_empty].start == a {
            let f = empties[next_empty];
            out.push_str(&format!(
                "<mark class=\"hl sev-{s} empty\" data-rule=\"{r}\" title=\"{r}: {m}\">⁁</mark>",
                s = sev(f.severity),
                r = esc(&f.rule),
                m = esc(&f.message)
            ));
            next_empty += 1;
        }
        let piece = &src[a..b];
        let covering: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.start <= a && b <= f.end && f.start < f.end)
            .collect();
        if covering.is_empty() {
            out.push_str(&esc(piece));
            continue;
        }
        let worst = covering
            .iter()
            .map(|f| f.severity)
            .max()
            .unwrap_or(Severity::Info);
        let rules: Vec<&str> = covering.iter().map(|f| f.rule.as_str()).collect();
        let title: Vec<String> = covering
            .iter()
            .map(|f| format!("{} ({}): {}", f.rule, f.severity.as_str(), f.message))
            .collect();
        out.push_str(&format!(
            "<mark class=\"hl sev-{}\" data-rule=\"{}\" title=\"{}\">{}</mark>",
            sev(worst),
            esc(&rules.join(" ")),
            esc(&title.join("\n")),
            esc(piece)
        ));
    }
    for f in &empties[next_empty..] {
        out.push_str(&format!(
            "<mark class=\"hl sev-{s} empty\" data-rule=\"{r}\" title=\"{r}: {m}\">⁁</mark>",
            s = sev(f.severity),
            r = esc(&f.rule),
            m = esc(&f.message)
        ));
    }
    out
}

/// Findings per rule as an inline SVG bar chart, stacked by severity.
fn chart(per_rule: &BTreeMap<String, [usize; 3]>) -> String {
    if per_rule.is_empty() {
        return "<p class=\"chart-empty\">No findings.</p>\n".into();
    }
    let max = per_rule
        .values()
        .map(|c| c.iter().sum::<usize>())
        .max()
        .unwrap_or(1)
        .max(1);
    let (label_w, bar_w, row_h) = (190.0, 420.0, 22.0);
    let height = row_h * per_rule.len() as f64 + 10.0;
    let mut s = format!(
        "<figure class=\"chart\"><figcaption>Findings per rule</figcaption><svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"findings per rule\" width=\"{}\" height=\"{height}\">",
        label_w + bar_w + 60.0
    );
    for (i, (rule, counts)) in per_rule.iter().enumerate() {
        let y = 5.0 + row_h * i as f64;
        s.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" class=\"lbl\">{}</text>",
            label_w - 6.0,
            y + 15.0,
            esc(rule)
        ));
        let mut x = label_w;
        for sev in [Severity::Block, Severity::Review, Severity::Info] {
            let n = counts[sev as usize];
            if n == 0 {
                continue;
            }
            let w = bar_w * n as f64 / max as f64;
            s.push_str(&format!(
                "<rect class=\"bar sev-{}\" data-rule=\"{}\" x=\"{x:.1}\" y=\"{y}\" width=\"{w:.1}\" height=\"{}\"><title>{}: {n} {}</title></rect>",
                sev.as_str(),
                esc(rule),
                row_h - 6.0,
                esc(rule),
                sev.as_str()
            ));
            x += w;
        }
        s.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{}\" class=\"num\">{}</text>",
            x + 4.0,
            y + 15.0,
            counts.iter().sum::<usize>()
        ));
    }
    s.push_str("</svg></figure>\n");
    s
}

const CSS: &str = r#"
body{font-family:system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em auto;max-width:70em;padding:0 1em;color:#222;background:#fafafa}
h1{font-size:1.6em}h2{font-size:1.2em;text-transform:capitalize}
.badge{display:inline-block;padding:.1em .5em;border-radius:.4em;color:#fff;font-size:.85em}
.v-block .badge.v-block,.badge.v-block,.badge.sev-block{background:#c62828}
.badge.v-review,.badge.sev-review{background:#e69500}
.badge.v-pass{background:#2e7d32}.badge.v-error{background:#555}.badge.sev-info{background:#1565c0}
section.verdict{border-left:.35em solid #ccc;padding-left:1em;margin:1.5em 0}
section.v-block{border-color:#c62828}section.v-review{border-color:#e69500}section.v-pass{border-color:#2e7d32}section.v-error{border-color:#555}
details.draft{background:#fff;border:1px solid #ddd;border-radius:.4em;margin:.6em 0;padding:.4em .8em}
summary{cursor:pointer}.meta{color:#666;font-size:.85em}
pre.src{white-space:pre-wrap;word-break:break-all;background:#fdfdfd;border:1px solid #eee;padding:.8em;line-height:1.7}
mark.hl{border-radius:.2em;padding:0 .05em;cursor:help}
mark.sev-block{background:#ffcdd2;border-bottom:2px solid #c62828}
mark.sev-review{background:#ffe9b3;border-bottom:2px solid #e69500}
mark.sev-info{background:#d6e6fb;border-bottom:2px solid #1565c0}
mark.hl:hover{outline:2px solid #333}
mark.empty{font-weight:bold;color:#c62828;background:none}
table.findings{border-collapse:collapse;width:100%;font-size:.9em;margin-top:.6em}
table.findings td,table.findings th{border-top:1px solid #eee;padding:.25em .5em;text-align:left;vertical-align:top}
figure.chart{background:#fff;border:1px solid #ddd;border-radius:.4em;padding:.6em;margin:1em 0}
svg .lbl,svg .num{font-size:12px;font-family:monospace;fill:#333}
rect.sev-block{fill:#c62828}rect.sev-review{fill:#e69500}rect.sev-info{fill:#1565c0}
footer{color:#888;font-size:.8em;margin-top:3em}
"#;
