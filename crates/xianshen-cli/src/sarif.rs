//! `--format sarif`: one SARIF 2.1.0 log for the whole run.

use crate::inputs::Screened;
use serde_json::{json, Value};
use std::collections::HashMap;
use xianshen::{Finding, Screener, Severity};

/// What SARIF calls a severity.
pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::Block => "error",
        Severity::Review => "warning",
        Severity::Info => "note",
    }
}

/// The log being built.
pub struct Sarif {
    rules: Vec<Value>,
    rule_index: HashMap<String, usize>,
    artifacts: Vec<Value>,
    artifact_index: HashMap<String, usize>,
    results: Vec<Value>,
    notifications: Vec<Value>,
    policy: Value,
}

impl Sarif {
    pub fn new(screener: &Screener) -> Self {
        let mut s = Sarif {
            rules: Vec::new(),
            rule_index: HashMap::new(),
            artifacts: Vec::new(),
            artifact_index: HashMap::new(),
            results: Vec::new(),
            notifications: Vec::new(),
            policy: json!({
                "name": screener.policy().name(),
                "version": screener.policy().version(),
                "fingerprint": screener.policy().fingerprint(),
            }),
        };
        for rule in screener.rules() {
            s.add_rule(&rule.id, rule.severity, rule.enabled);
        }
        s
    }

    fn add_rule(&mut self, id: &str, severity: Severity, enabled: bool) -> usize {
        if let Some(&i) = self.rule_index.get(id) {
            return i;
        }
        let (help, message) = xianshen::rules::describe(id);
        let i = self.rules.len();
        self.rules.push(json!({
            "id": id,
            "shortDescription": {"text": help},
            "fullDescription": {"text": if message.is_empty() { help.clone() } else { message.clone() }},
            "help": {"text": format!("{help} {message}").trim().to_string()},
            "defaultConfiguration": {"level": level(severity), "enabled": enabled},
            "properties": {"category": xianshen::rules::category_of(id)},
        }));
        self.rule_index.insert(id.to_string(), i);
        i
    }

    fn artifact(&mut self, item: &Screened) -> usize {
        if let Some(&i) = self.artifact_index.get(&item.name) {
            return i;
        }
        let i = self.artifacts.len();
        let mut a = json!({
            "location": {"uri": uri(&item.name)},
            "encoding": item.encoding,
            "sourceLanguage": item.format.as_str(),
        });
        if item.line.is_none() {
            a["length"] = json!(item.report.input.bytes);
            a["hashes"] = json!({"sha-256": item.report.input.sha256});
        }
        self.artifacts.push(a);
        self.artifact_index.insert(item.name.clone(), i);
        i
    }

    pub fn report(&mut self, item: &Screened) {
        let artifact = self.artifact(item);
        for f in &item.report.findings {
            let rule = self.add_rule(&f.rule, f.severity, true);
            let text_region = region(f);
            let region = match item.line {
                // JSONL: the post's line in the file; offsets inside its
                // text field go in the properties.
                Some(line) => json!({"startLine": line}),
                None => text_region.clone(),
            };
            let mut result = json!({
                "ruleId": f.rule,
                "ruleIndex": rule,
                "level": level(f.severity),
                "message": {"text": f.message},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": uri(&item.name), "index": artifact},
                    "region": region,
                }}],
                "properties": {
                    "severity": f.severity.as_str(),
                    "approval": f.approval.map(|a| a.to_string()),
                    "byteOffset": f.start,
                    "byteLength": f.end - f.start,
                    "term": f.term,
                    "suggestion": f.suggestion,
                    "draftVerdict": item.report.verdict.as_str(),
                },
            });
            if let Some(line) = item.line {
                result["properties"]["jsonlLine"] = json!(line);
                result["properties"]["postId"] = json!(item.id);
                result["properties"]["textRegion"] = text_region;
            }
            self.results.push(result);
        }
        // Title findings: the title is no part of the file, so the result
        // names the artifact without a region and says where it is.
        for f in &item.report.title_findings {
            let rule = self.add_rule(&f.rule, f.severity, true);
            self.results.push(json!({
                "ruleId": f.rule,
                "ruleIndex": rule,
                "level": level(f.severity),
                "message": {"text": format!("标题：{}", f.message)},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": uri(&item.name), "index": artifact},
                }}],
                "properties": {
                    "field": "title",
                    "severity": f.severity.as_str(),
                    "approval": f.approval.map(|a| a.to_string()),
                    "titleRegion": region(f),
                    "term": f.term,
                    "suggestion": f.suggestion,
                    "draftVerdict": item.report.verdict.as_str(),
                    "jsonlLine": item.line,
                    "postId": item.id,
                },
            }));
        }
    }

    pub fn error(&mut self, path: &str, message: &str) {
        self.notifications.push(json!({
            "level": "error",
            "message": {"text": message},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(path)}}}],
        }));
    }

    pub fn finish(self) -> String {
        let log = json!({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": {
                    "name": "xianshen",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": env!("CARGO_PKG_REPOSITORY"),
                    "rules": self.rules,
                }},
                "columnKind": "unicodeCodePoints",
                "artifacts": self.artifacts,
                "results": self.results,
                "invocations": [{
                    "executionSuccessful": self.notifications.is_empty(),
                    "toolExecutionNotifications": self.notifications,
                }],
                "properties": {"policy": self.policy},
            }],
        });
        let mut s = serde_json::to_string_pretty(&log).expect("SARIF serializes");
        s.push('\n');
        s
    }
}

/// A SARIF region in code points: start and end line and column (end
/// exclusive), char offset and length, and the text.
fn region(f: &Finding) -> Value {
    let chars = f.char_end - f.char_start;
    let (end_line, end_column) = match f.text.rfind('\n') {
        None => (f.line, f.column + chars),
        Some(i) => (
            f.line + f.text.matches('\n').count(),
            f.text[i + 1..].chars().count() + 1,
        ),
    };
    json!({
        "startLine": f.line,
        "startColumn": f.column,
        "endLine": end_line,
        "endColumn": end_column,
        "charOffset": f.char_start,
        "charLength": chars,
        "snippet": {"text": f.text},
    })
}

/// A relative URI reference for a path: `/` separators, unsafe bytes
/// percent-encoded.
fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/:".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
