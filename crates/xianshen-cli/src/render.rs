//! Output formats: colored text with the line and the hit underlined, a
//! JSON array, one JSON report per line, SARIF or an HTML page.

use crate::inputs::Screened;
use crate::Format;
use serde::Serialize;
use std::io::{self, Write};
use unicode_width::UnicodeWidthChar;
use xianshen::{Finding, Report, Screener, Severity, Verdict};

/// Lines longer than this many chars are shown as a window around the hit.
const CONTEXT_CHARS: usize = 40;

#[derive(Serialize)]
struct PathReport<'a> {
    path: &'a str,
    /// The encoding the input was decoded from; offsets refer to the
    /// decoded text.
    encoding: &'a str,
    input_format: &'a str,
    /// JSONL: the line of the post; offsets refer to its text field.
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    #[serde(flatten)]
    report: &'a Report,
}

#[derive(Serialize)]
struct PathError<'a> {
    path: &'a str,
    error: &'a str,
}

pub struct Renderer {
    format: Format,
    color: bool,
    out: io::BufWriter<io::Stdout>,
    items: usize,
    counts: [usize; 3],
    /// SARIF and HTML are one document: results are kept until the end.
    sarif: Option<crate::sarif::Sarif>,
    html: Option<crate::html::Page>,
}

impl Renderer {
    pub fn new(format: Format, color: bool, screener: &Screener) -> Self {
        let mut r = Renderer {
            format,
            color,
            out: io::BufWriter::new(io::stdout()),
            items: 0,
            counts: [0; 3],
            sarif: (format == Format::Sarif).then(|| crate::sarif::Sarif::new(screener)),
            html: (format == Format::Html).then(|| crate::html::Page::new(screener)),
        };
        if format == Format::Json {
            r.write("[");
        }
        r
    }

    fn write(&mut self, s: &str) {
        // A closed pipe (`| head`) is not an error worth a panic; main
        // checks the final flush.
        let _ = self.out.write_all(s.as_bytes());
    }

    fn json_item(&mut self, value: &impl Serialize) {
        let json = serde_json::to_string(value).expect("reports serialize");
        match self.format {
            Format::Json => {
                let sep = if self.items == 0 { "\n" } else { ",\n" };
                self.write(sep);
                self.write(&json);
            }
            _ => {
                self.write(&json);
                self.write("\n");
            }
        }
        self.items += 1;
    }

    pub fn report(&mut self, item: &Screened) {
        let report = &item.report;
        let shown;
        let path = match item.line {
            Some(line) => {
                shown = format!("{}:{line}", item.name);
                &shown
            }
            None => &item.name,
        };
        self.counts[report.verdict as usize] += 1;
        match self.format {
            Format::Json | Format::Jsonl => self.json_item(&PathReport {
                path: &item.name,
                encoding: &item.encoding,
                input_format: item.format.as_str(),
                line: item.line,
                id: item.id.as_deref(),
                report,
            }),
            Format::Sarif => {
                if let Some(s) = &mut self.sarif {
                    s.report(item);
                }
            }
            Format::Html => {
                if let Some(h) = &mut self.html {
                    h.report(item);
                }
            }
            Format::Text => {
                let mut s = String::new();
                // Title findings point into the title: `path:title:1:3`.
                let title_path = format!("{path}:title");
                for f in &report.title_findings {
                    self.finding_head(&mut s, &title_path, f);
                }
                for f in &report.findings {
                    match &item.source {
                        Some(text) => self.finding_text(&mut s, path, text, f),
                        None => self.finding_head(&mut s, path, f),
                    }
                }
                let verdict = self.paint(verdict_color(report.verdict), report.verdict.as_str());
                s.push_str(&format!(
                    "{path}: {verdict} · sign-off: {} · {} finding{}{}\n",
                    report.approval,
                    report.findings.len() + report.title_findings.len(),
                    if report.findings.len() + report.title_findings.len() == 1 {
                        ""
                    } else {
                        "s"
                    },
                    if report.truncated {
                        " (truncated at the policy's max_findings)"
                    } else {
                        ""
                    },
                ));
                self.write(&s);
                self.items += 1;
            }
        }
    }

    pub fn error(&mut self, path: &str, message: &str) {
        match self.format {
            Format::Sarif => {
                if let Some(s) = &mut self.sarif {
                    s.error(path, message);
                }
            }
            Format::Html => {
                if let Some(h) = &mut self.html {
                    h.error(path, message);
                }
            }
            Format::Json | Format::Jsonl => self.json_item(&PathError {
                path,
                error: message,
            }),
            Format::Text => {
                let head = self.paint("1;31", "error");
                self.write(&format!("{path}: {head}: {message}\n"));
                self.items += 1;
            }
        }
    }

    pub fn finish(&mut self, errors: u64) {
        match self.format {
            Format::Sarif => {
                if let Some(s) = self.sarif.take() {
                    self.write(&s.finish());
                }
            }
            Format::Html => {
                if let Some(h) = self.html.take() {
                    self.write(&h.finish());
                }
            }
            Format::Json => self.write(if self.items == 0 { "]\n" } else { "\n]\n" }),
            Format::Jsonl => {}
            Format::Text => {
                let [pass, review, block] = self.counts;
                let drafts = pass + review + block;
                if drafts as u64 + errors > 1 {
                    self.write(&format!(
                        "screened {drafts} draft{}: {pass} pass, {review} review, {block} block; {errors} error{}\n",
                        if drafts == 1 { "" } else { "s" },
                        if errors == 1 { "" } else { "s" },
                    ));
                }
            }
        }
        let _ = self.out.flush();
    }

    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    fn finding_head(&self, s: &mut String, path: &str, f: &Finding) {
        let color = severity_color(f.severity);
        let severity = self.paint(color, f.severity.as_str());
        s.push_str(&format!(
            "{path}:{}:{}: {severity} {} {}\n",
            f.line, f.column, f.rule, f.message
        ));
    }

    fn finding_text(&self, s: &mut String, path: &str, text: &str, f: &Finding) {
        let color = severity_color(f.severity);
        self.finding_head(s, path, f);
        let line_start = text[..f.start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[f.start..]
            .find('\n')
            .map_or(text.len(), |i| f.start + i);
        let hit_end = f.end.min(line_end);
        let (before, ellipsis_before) = tail_chars(&text[line_start..f.start], CONTEXT_CHARS);
        let hit = &text[f.start..hit_end];
        let (after, ellipsis_after) = head_chars(&text[hit_end..line_end], CONTEXT_CHARS);
        let number = f.line.to_string();
        let gutter = " ".repeat(number.len());
        let shown_before = format!(
            "{}{}",
            if ellipsis_before { "…" } else { "" },
            printable(before)
        );
        s.push_str(&format!(
            " {number} | {shown_before}{}{}{}\n",
            self.paint(color, &printable(hit)),
            printable(after),
            if ellipsis_after { "…" } else { "" }
        ));
        let pad = " ".repeat(display_width(&shown_before));
        let carets = "^".repeat(display_width(&printable(hit)).max(1));
        s.push_str(&format!(
            " {gutter} | {pad}{}\n",
            self.paint(color, &carets)
        ));
        if let Some(term) = &f.term {
            if term != &f.text {
                s.push_str(&format!(" {gutter} = 词条: {term}\n"));
            }
        }
        if let Some(sugg) = &f.suggestion {
            s.push_str(&format!(" {gutter} = 建议: {sugg}\n"));
        }
    }
}

fn severity_color(s: Severity) -> &'static str {
    match s {
        Severity::Block => "1;31",
        Severity::Review => "1;33",
        Severity::Info => "1;36",
    }
}

fn verdict_color(v: Verdict) -> &'static str {
    match v {
        Verdict::Block => "1;31",
        Verdict::Review => "1;33",
        Verdict::Pass => "1;32",
    }
}

/// Control characters and tabs shown as one visible char each, so the
/// caret line stays aligned.
fn printable(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '␣' } else { c })
        .collect()
}

fn display_width(s: &str) -> usize {
    s.chars().map(|c| c.width().unwrap_or(0)).sum()
}

fn tail_chars(s: &str, n: usize) -> (&str, bool) {
    match s.char_indices().rev().nth(n) {
        Some((i, c)) => (&s[i + c.len_utf8()..], true),
        None => (s, false),
    }
}

fn head_chars(s: &str, n: usize) -> (&str, bool) {
    match s.char_indices().nth(n) {
        Some((i, _)) => (&s[..i], true),
        None => (s, false),
    }
}

/// The first `n` items joined with ", ", and how many more there are.
fn preview(items: &[String], n: usize) -> String {
    let shown = items.iter().take(n).cloned().collect::<Vec<_>>().join(", ");
    match items.len().saturating_sub(n) {
        0 => shown,
        more => format!("{shown} … (+{more})"),
    }
}

/// How a policy file spells a reach.
fn reach_name(reach: xianshen::Reach) -> &'static str {
    match reach {
        xianshen::Reach::Off => "off",
        xianshen::Reach::Comments => "comments",
        xianshen::Reach::All => "all",
    }
}

/// `xianshen policy check`: what the policy holds and how each rule applies.
pub fn policy_summary(screener: &Screener) -> String {
    let policy = screener.policy();
    let mut s = String::new();
    s.push_str(&format!(
        "policy: {} (version {})\n",
        policy.name(),
        policy.version()
    ));
    s.push_str(&format!("fingerprint: {}\n", policy.fingerprint()));
    // First: counting them builds the sound automata, which count in memory.
    let spellings = screener.evasive_spellings();
    s.push_str(&format!(
        "automaton: {} KiB\n",
        screener.automaton_memory().div_ceil(1024)
    ));
    s.push_str(&format!("lexicon terms: {}\n", policy.term_count()));
    let evasion = policy.lexicon_evasion();
    let threats = policy.threat_tags();
    for (((tag, n), (_, forms, kinds)), variants) in policy
        .lexicon_counts()
        .into_iter()
        .zip(evasion)
        .zip(spellings)
    {
        let id = format!("term.{tag}");
        let forms = match forms {
            Some(f) => format!(
                "pinyin {}, homophone {}, chaizi {}",
                reach_name(f.pinyin),
                reach_name(f.homophone),
                reach_name(f.chaizi)
            ),
            None => "none (a fold is off)".to_string(),
        };
        let kinds = if kinds.is_empty() {
            String::new()
        } else {
            let names: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
            format!("; only {}", names.join(", "))
        };
        let kinds = if threats.contains(&tag) {
            format!("{kinds}; threats, where the writer makes them")
        } else {
            kinds
        };
        s.push_str(&format!(
            "  {id:<25} {n:>7}   {variants:>7} evasive spellings ({forms}){kinds}\n"
        ));
    }
    let (allow, near, style) = policy.other_counts();
    s.push_str(&format!(
        "allow-list phrases: {allow}\nnear entries: {near}\nstyle substitutions: {style}\n"
    ));
    let (names, variants) = screener.protected_name_variants();
    let protected: Vec<String> = policy
        .protected_names()
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    s.push_str(&format!(
        "protected names: {names} ({variants} near-miss variants){}\n",
        if protected.is_empty() {
            String::new()
        } else {
            format!(": {}", preview(&protected, 6))
        }
    ));
    let domains = policy.allowed_domains();
    s.push_str(&format!(
        "allowed domains: {} (official list {}): {}\n",
        domains.len(),
        if policy.official_domains() {
            "on"
        } else {
            "off"
        },
        preview(&domains, 8)
    ));
    s.push_str(&format!(
        "own handles: {}{}\n",
        policy.own_handles().len(),
        if policy.own_handles().is_empty() {
            String::new()
        } else {
            format!(": {}", preview(policy.own_handles(), 8))
        }
    ));
    s.push_str("rules:\n");
    for rule in screener.rules() {
        let approval = rule.approval.map_or(String::new(), |a| format!(" ({a})"));
        let state = if rule.enabled { "" } else { "  [disabled]" };
        let entries = if rule.entries > 0 {
            format!("{:>7} entries", rule.entries)
        } else {
            format!("{:>15}", "pattern")
        };
        s.push_str(&format!(
            "  {:<24} {:<7}{:<13} {entries}{state}\n",
            rule.id,
            rule.severity.as_str(),
            approval
        ));
    }
    let risky = policy.risky_terms();
    if risky.is_empty() {
        s.push_str("terms at risk of false positives: none\n");
    } else {
        s.push_str(&format!(
            "terms at risk of false positives: {}\n",
            risky.len()
        ));
        for (tag, term, reason) in risky.iter().take(20) {
            s.push_str(&format!("  term.{tag}: {term:?}: {reason}\n"));
        }
        if risky.len() > 20 {
            s.push_str(&format!("  … and {} more\n", risky.len() - 20));
        }
    }
    s
}
