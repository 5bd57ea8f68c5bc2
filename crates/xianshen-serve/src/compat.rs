//! Response shapes of the cloud moderation APIs, for CMS plugins written
//! against them: `?compat=tencent` (Tencent Cloud TMS `TextModeration`,
//! 2020-12-29) and `?compat=aliyun` (Aliyun Content Moderation
//! `TextModerationPlus`, 2022-03-02). xianshen's own report is kept in the
//! extra top-level field `xianshen`. `crates/xianshen-serve/README.md`
//! gives the mapping field by field.

use crate::error::ApiError;
use serde_json::{json, Value};
use xianshen::{Finding, Report, Severity, Verdict};

/// Which shape a screening response takes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Compat {
    /// xianshen's own `xianshen.report/1` report.
    #[default]
    Xianshen,
    /// Tencent Cloud TMS `TextModeration`.
    Tencent,
    /// Aliyun `TextModerationPlus`.
    Aliyun,
}

impl Compat {
    /// Reads the `compat` parameter from a raw query string (names and
    /// values percent-decoded, as a form would send them). Without the
    /// parameter the shape is xianshen's own.
    ///
    /// # Errors
    ///
    /// [`ApiError::InvalidQuery`] for a value other than `tencent`,
    /// `aliyun` or `xianshen`, an empty one (`?compat=`) included.
    pub fn from_query(query: Option<&str>) -> Result<Compat, ApiError> {
        let mut compat = Compat::Xianshen;
        for pair in query.unwrap_or("").split('&') {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            if percent_decode(name) != "compat" {
                continue;
            }
            compat = match percent_decode(value).as_str() {
                "xianshen" => Compat::Xianshen,
                "tencent" => Compat::Tencent,
                "aliyun" => Compat::Aliyun,
                other => {
                    return Err(ApiError::InvalidQuery {
                        name: "compat".into(),
                        message: format!(
                            "unknown value {other:?} (expected tencent, aliyun or xianshen)"
                        ),
                    })
                }
            };
        }
        Ok(compat)
    }

    /// Shapes one screened draft. `report_json` is xianshen's report as
    /// the service sends it (with UTF-16 offsets).
    pub fn shape(self, report: &Report, report_json: Value, request_id: &str) -> Value {
        match self {
            Compat::Xianshen => report_json,
            Compat::Tencent => tencent(report, report_json, request_id),
            Compat::Aliyun => aliyun(report, report_json, request_id),
        }
    }
}

/// Decodes `%XX` escapes and `+` (a space) of a query component; a
/// malformed escape or a decoded byte sequence that is not UTF-8 is kept
/// as it stands (lossily), so that it is refused as an unknown value.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(hi), Some(lo)) => {
                    out.push((hi * 16 + lo) as u8);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Findings grouped by rule, in order of first appearance.
fn by_rule(report: &Report) -> Vec<(&str, Vec<&Finding>)> {
    let mut groups: Vec<(&str, Vec<&Finding>)> = Vec::new();
    for f in &report.findings {
        match groups.iter_mut().find(|(rule, _)| *rule == f.rule) {
            Some((_, list)) => list.push(f),
            None => groups.push((f.rule.as_str(), vec![f])),
        }
    }
    groups
}

/// Distinct finding texts, in order.
fn keywords(findings: &[&Finding]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for f in findings {
        if !out.contains(&f.text) {
            out.push(f.text.clone());
        }
    }
    out
}

fn worst<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Option<&'a Finding> {
    findings
        .into_iter()
        .fold(None, |best: Option<&Finding>, f| match best {
            Some(b) if b.severity >= f.severity => Some(b),
            _ => Some(f),
        })
}

fn tencent_suggestion(severity: Severity) -> &'static str {
    match severity {
        Severity::Block => "Block",
        Severity::Review => "Review",
        Severity::Info => "Pass",
    }
}

/// Tencent's label for a rule: its documented labels where one fits,
/// `Custom` (their label for a customer's own library) otherwise.
pub fn tencent_label(rule: &str) -> &'static str {
    match rule {
        "term.porn" => "Porn",
        "term.insult"
        | "term.profanity"
        | "term.evasive_insult"
        | "term.discrimination"
        | "term.vulgar" => "Abuse",
        "term.drugs" | "term.gambling" | "term.fraud" | "term.illegal_trade" => "Illegal",
        "term.violence" => "Terror",
        r if r.starts_with("ad.") => "Ad",
        _ => "Custom",
    }
}

fn tencent(report: &Report, report_json: Value, request_id: &str) -> Value {
    let groups = by_rule(report);
    let details: Vec<Value> = groups
        .iter()
        .map(|(rule, findings)| {
            let severity = findings
                .iter()
                .map(|f| f.severity)
                .max()
                .unwrap_or(Severity::Info);
            let hits: Vec<Value> = findings
                .iter()
                .map(|f| {
                    json!({
                        "Type": rule,
                        "Keyword": f.text,
                        "LibName": rule,
                        "Positions": [{"Start": f.char_start, "End": f.char_end}],
                    })
                })
                .collect();
            json!({
                "Label": tencent_label(rule),
                "Suggestion": tencent_suggestion(severity),
                "Keywords": keywords(findings),
                "Score": 100,
                "LibType": 2,
                "LibId": rule,
                "LibName": rule,
                "SubLabel": rule,
                "HitInfos": hits,
            })
        })
        .collect();
    let decisive = worst(&report.findings).filter(|f| f.severity > Severity::Info);
    let suggestion = match report.verdict {
        Verdict::Block => "Block",
        Verdict::Review => "Review",
        Verdict::Pass => "Pass",
    };
    let all: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.severity > Severity::Info)
        .collect();
    json!({
        "Response": {
            "BizType": "xianshen",
            "Suggestion": suggestion,
            "Label": decisive.map_or("Normal", |f| tencent_label(&f.rule)),
            "SubLabel": decisive.map_or("", |f| f.rule.as_str()),
            "Score": if decisive.is_some() { 100 } else { 0 },
            "Keywords": keywords(&all),
            "DetailResults": details,
            "DataId": "",
            "RequestId": request_id,
        },
        "xianshen": report_json,
    })
}

/// Aliyun's label for a rule: their documented labels where one fits,
/// `customized` (their label for a customer's own library) otherwise.
pub fn aliyun_label(rule: &str) -> &'static str {
    match rule {
        "term.porn" => "pornographic_adult",
        "term.vulgar" => "sexual_suggestive",
        "term.insult" | "term.profanity" | "term.evasive_insult" => "inappropriate_profanity",
        "term.discrimination" => "inappropriate_discrimination",
        "term.drugs" => "contraband_drug",
        "term.gambling" => "contraband_gambling",
        "term.fraud" | "term.illegal_trade" => "contraband_act",
        "term.violence" => "violent_incidents",
        "ad.contact" => "pt_to_contact",
        "ad.link" => "pt_to_sites",
        _ => "customized",
    }
}

fn aliyun(report: &Report, report_json: Value, request_id: &str) -> Value {
    let risk_level = match report.verdict {
        Verdict::Block => "high",
        Verdict::Review => "medium",
        Verdict::Pass => "none",
    };
    let results: Vec<Value> = by_rule(report)
        .iter()
        .filter(|(_, findings)| findings.iter().any(|f| f.severity > Severity::Info))
        .map(|(rule, findings)| {
            json!({
                "Label": aliyun_label(rule),
                "Confidence": 100.0,
                "RiskWords": keywords(findings).join(","),
                "Description": format!("{rule}: {}", findings[0].message),
            })
        })
        .collect();
    let results = if results.is_empty() {
        vec![
            json!({"Label": "nonLabel", "Confidence": null, "RiskWords": null, "Description": "未检测出风险"}),
        ]
    } else {
        results
    };
    json!({
        "Code": 200,
        "Message": "OK",
        "RequestId": request_id,
        "Data": {
            "RiskLevel": risk_level,
            "Result": results,
        },
        "xianshen": report_json,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compat_query() {
        assert_eq!(Compat::from_query(None).unwrap(), Compat::Xianshen);
        assert_eq!(
            Compat::from_query(Some("a=1&compat=tencent")).unwrap(),
            Compat::Tencent
        );
        assert!(Compat::from_query(Some("compat=baidu")).is_err());
        assert!(Compat::from_query(Some("compat=")).is_err());
        assert!(Compat::from_query(Some("compat")).is_err());
        assert_eq!(
            Compat::from_query(Some("%63ompat=aliyu%6E")).unwrap(),
            Compat::Aliyun
        );
        assert!(Compat::from_query(Some("compat=tencent%")).is_err());
        assert!(Compat::from_query(Some("compat=%ff")).is_err());
        assert_eq!(percent_decode("a+b%2"), "a b%2");
    }

    #[test]
    fn shapes_of_a_block() {
        let report = xianshen::Screener::new().screen_text("本店出售冰毒");
        let t = Compat::Tencent.shape(&report, json!({"x": 1}), "r1");
        assert_eq!(t["Response"]["Suggestion"], "Block");
        assert_eq!(t["Response"]["Label"], "Illegal");
        assert_eq!(
            t["Response"]["DetailResults"][0]["HitInfos"][0]["Positions"][0]["Start"],
            2
        );
        assert_eq!(t["xianshen"]["x"], 1);
        let a = Compat::Aliyun.shape(&report, json!({}), "r1");
        assert_eq!(a["Data"]["RiskLevel"], "high");
        assert_eq!(a["Data"]["Result"][0]["Label"], "contraband_drug");
        let pass = xianshen::Screener::new().screen_text("你好");
        let a = Compat::Aliyun.shape(&pass, json!({}), "r2");
        assert_eq!(a["Data"]["RiskLevel"], "none");
        let t = Compat::Tencent.shape(&pass, json!({}), "r2");
        assert_eq!(t["Response"]["Label"], "Normal");
    }
}
