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

/// Where every printer writes.
type Out = io::BufWriter<io::Stdout>;

/// The output of `check`: stdout and the printer of the chosen format.
pub struct Renderer {
    out: Out,
    printer: Printer,
}

/// One printer per output format, each holding only what it needs.
enum Printer {
    /// Colored text: each report as it comes, a summary line at the end.
    Text(TextPrinter),
    /// One JSON array: whether an item was written picks the separator.
    Json { written: bool },
    /// One JSON report per line, nothing kept.
    Jsonl,
    /// SARIF is one document: results are kept until the end.
    Sarif(crate::sarif::Sarif),
    /// So is the HTML page.
    Html(crate::html::Page),
}

struct TextPrinter {
    color: bool,
    /// Drafts per verdict, for the summary line.
    counts: [usize; 3],
}

impl Renderer {
    pub fn new(format: Format, color: bool, screener: &Screener) -> Self {
        let printer = match format {
            Format::Text => Printer::Text(TextPrinter {
                color,
                counts: [0; 3],
            }),
            Format::Json => Printer::Json { written: false },
            Format::Jsonl => Printer::Jsonl,
            Format::Sarif => Printer::Sarif(crate::sarif::Sarif::new(screener)),
            Format::Html => Printer::Html(crate::html::Page::new(screener)),
        };
        let mut out = io::BufWriter::new(io::stdout());
        if let Printer::Json { .. } = printer {
            write(&mut out, "[");
        }
        Renderer { out, printer }
    }

    pub fn report(&mut self, item: &Screened) {
        let out = &mut self.out;
        match &mut self.printer {
            Printer::Text(t) => t.report(out, item),
            Printer::Json { written } => json_item(out, written, &path_report(item)),
            Printer::Jsonl => jsonl_item(out, &path_report(item)),
            Printer::Sarif(s) => s.report(item),
            Printer::Html(h) => h.report(item),
        }
    }

    pub fn error(&mut self, path: &str, message: &str) {
        let out = &mut self.out;
        let error = PathError {
            path,
            error: message,
        };
        match &mut self.printer {
            Printer::Text(t) => t.error(out, path, message),
            Printer::Json { written } => json_item(out, written, &error),
            Printer::Jsonl => jsonl_item(out, &error),
            Printer::Sarif(s) => s.error(path, message),
            Printer::Html(h) => h.error(path, message),
        }
    }

    /// Ends the output: the summary line, the closing bracket or the
    /// whole SARIF or HTML document.
    pub fn finish(mut self, errors: u64) {
        let tail = match self.printer {
            Printer::Text(t) => t.summary(errors),
            Printer::Json { written: false } => "]\n".to_string(),
            Printer::Json { written: true } => "\n]\n".to_string(),
            Printer::Jsonl => String::new(),
            Printer::Sarif(s) => s.finish(),
            Printer::Html(h) => h.finish(),
        };
        write(&mut self.out, &tail);
        let _ = self.out.flush();
    }
}

fn write(out: &mut Out, s: &str) {
    // A closed pipe (`| head`) is not an error worth a panic; main
    // checks the final flush.
    let _ = out.write_all(s.as_bytes());
}

fn path_report(item: &Screened) -> PathReport<'_> {
    PathReport {
        path: &item.name,
        encoding: &item.encoding,
        input_format: item.format.as_str(),
        line: item.line,
        id: item.id.as_deref(),
        report: &item.report,
    }
}

fn to_json(value: &impl Serialize) -> String {
    serde_json::to_string(value).expect("reports serialize")
}

/// An element of the JSON array: the first on the line after `[`.
fn json_item(out: &mut Out, written: &mut bool, value: &impl Serialize) {
    write(out, if *written { ",\n" } else { "\n" });
    write(out, &to_json(value));
    *written = true;
}

fn jsonl_item(out: &mut Out, value: &impl Serialize) {
    write(out, &to_json(value));
    write(out, "\n");
}

impl TextPrinter {
    fn report(&mut self, out: &mut Out, item: &Screened) {
        let report = &item.report;
        self.counts[report.verdict as usize] += 1;
        let path = match item.line {
            Some(line) => format!("{}:{line}", item.name),
            None => item.name.clone(),
        };
        let mut s = String::new();
        // Title findings point into the title: `path:title:1:3`.
        let title_path = format!("{path}:title");
        for f in &report.title_findings {
            self.finding_head(&mut s, &title_path, f);
        }
        for f in &report.findings {
            match &item.source {
                Some(text) => self.finding_text(&mut s, &path, text, f),
                None => self.finding_head(&mut s, &path, f),
            }
        }
        s.push_str(&self.verdict_line(&path, report));
        write(out, &s);
    }

    /// `path: verdict · sign-off: … · n findings`.
    fn verdict_line(&self, path: &str, report: &Report) -> String {
        let verdict = self.paint(verdict_color(report.verdict), report.verdict.as_str());
        let n = report.findings.len() + report.title_findings.len();
        format!(
            "{path}: {verdict} · sign-off: {} · {n} finding{}{}\n",
            report.approval,
            if n == 1 { "" } else { "s" },
            if report.truncated {
                " (truncated at the policy's max_findings)"
            } else {
                ""
            },
        )
    }

    fn error(&self, out: &mut Out, path: &str, message: &str) {
        let head = self.paint("1;31", "error");
        write(out, &format!("{path}: {head}: {message}\n"));
    }

    /// The closing count, when more than one file was screened.
    fn summary(&self, errors: u64) -> String {
        let [pass, review, block] = self.counts;
        let drafts = pass + review + block;
        if drafts as u64 + errors <= 1 {
            return String::new();
        }
        format!(
            "screened {drafts} draft{}: {pass} pass, {review} review, {block} block; {errors} error{}\n",
            if drafts == 1 { "" } else { "s" },
            if errors == 1 { "" } else { "s" },
        )
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
    lexicon_summary(&mut s, policy, spellings);
    lists_summary(&mut s, screener);
    rules_summary(&mut s, screener);
    risky_summary(&mut s, policy);
    s
}

/// One line per lexicon tag: terms, evasive spellings and how they apply.
fn lexicon_summary(s: &mut String, policy: &xianshen::Policy, spellings: Vec<usize>) {
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
}

/// The other lists: allow-list, near, style, names, domains and handles.
fn lists_summary(s: &mut String, screener: &Screener) {
    let policy = screener.policy();
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
}

fn rules_summary(s: &mut String, screener: &Screener) {
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
}

/// The first 20 terms at risk of false positives.
fn risky_summary(s: &mut String, policy: &xianshen::Policy) {
    let risky = policy.risky_terms();
    if risky.is_empty() {
        s.push_str("terms at risk of false positives: none\n");
        return;
    }
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
