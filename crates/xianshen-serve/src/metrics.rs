//! Counters and latency histograms, rendered in the Prometheus text
//! format (version 0.0.4) at `GET /metrics`.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;
use xianshen::{Report, Verdict};

/// Upper bounds of the latency buckets, in seconds.
const LATENCY_BUCKETS: [f64; 14] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

#[derive(Clone, Debug, Default)]
struct Histogram {
    counts: [u64; LATENCY_BUCKETS.len()],
    count: u64,
    sum: f64,
}

impl Histogram {
    fn observe(&mut self, seconds: f64) {
        for (bound, count) in LATENCY_BUCKETS.iter().zip(self.counts.iter_mut()) {
            if seconds <= *bound {
                *count += 1;
            }
        }
        self.count += 1;
        self.sum += seconds;
    }
}

/// Request key: route, method, status.
type RequestKey = (String, String, u16);

/// The service's metrics. Cheap to update from any request.
#[derive(Debug, Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<RequestKey, u64>>,
    latency: Mutex<BTreeMap<String, Histogram>>,
    errors: Mutex<BTreeMap<u16, u64>>,
    findings: Mutex<BTreeMap<String, u64>>,
    verdicts: [AtomicU64; 3],
    reloads_ok: AtomicU64,
    reloads_failed: AtomicU64,
}

impl Metrics {
    /// Counts one answered request.
    pub fn request(&self, route: &str, method: &str, status: u16, elapsed: Duration) {
        if let Ok(mut requests) = self.requests.lock() {
            *requests
                .entry((route.to_string(), method.to_string(), status))
                .or_default() += 1;
        }
        if let Ok(mut latency) = self.latency.lock() {
            latency
                .entry(route.to_string())
                .or_default()
                .observe(elapsed.as_secs_f64());
        }
        if status >= 400 {
            if let Ok(mut errors) = self.errors.lock() {
                *errors.entry(status).or_default() += 1;
            }
        }
    }

    /// Counts one screened draft: its verdict and its findings per rule.
    pub fn screened(&self, report: &Report) {
        let i = match report.verdict {
            Verdict::Pass => 0,
            Verdict::Review => 1,
            Verdict::Block => 2,
        };
        self.verdicts[i].fetch_add(1, Ordering::Relaxed);
        if report.findings.is_empty() {
            return;
        }
        if let Ok(mut findings) = self.findings.lock() {
            for f in &report.findings {
                match findings.get_mut(f.rule.as_str()) {
                    Some(n) => *n += 1,
                    None => {
                        findings.insert(f.rule.clone(), 1);
                    }
                }
            }
        }
    }

    /// Counts a policy reload.
    pub fn reload(&self, ok: bool) {
        let counter = if ok {
            &self.reloads_ok
        } else {
            &self.reloads_failed
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// Everything in the Prometheus text format; `policy` is the serving
    /// policy's name, version and fingerprint, `in_flight` the requests
    /// being handled now, `generations` the screeners alive
    /// ([`crate::policy::ScreenerCell::live_generations`]).
    pub fn render(&self, policy: [&str; 3], in_flight: usize, generations: usize) -> String {
        let mut out = String::new();
        let _ = self.write(&mut out, policy, in_flight, generations);
        out
    }

    fn write(
        &self,
        out: &mut String,
        policy: [&str; 3],
        in_flight: usize,
        generations: usize,
    ) -> std::fmt::Result {
        writeln!(out, "# HELP xianshen_policy_generations_live Screeners alive: the one serving and older ones still held by requests in flight.")?;
        writeln!(out, "# TYPE xianshen_policy_generations_live gauge")?;
        writeln!(out, "xianshen_policy_generations_live {generations}")?;
        writeln!(out, "# HELP xianshen_requests_in_flight Requests being handled now (counted against the concurrency limit).")?;
        writeln!(out, "# TYPE xianshen_requests_in_flight gauge")?;
        writeln!(out, "xianshen_requests_in_flight {in_flight}")?;
        writeln!(
            out,
            "# HELP xianshen_requests_total Requests answered, by route, method and status."
        )?;
        writeln!(out, "# TYPE xianshen_requests_total counter")?;
        if let Ok(requests) = self.requests.lock() {
            for ((route, method, status), n) in requests.iter() {
                writeln!(
                    out,
                    "xianshen_requests_total{{route=\"{}\",method=\"{}\",status=\"{status}\"}} {n}",
                    escape(route),
                    escape(method)
                )?;
            }
        }
        writeln!(
            out,
            "# HELP xianshen_request_duration_seconds Time to answer a request, by route."
        )?;
        writeln!(out, "# TYPE xianshen_request_duration_seconds histogram")?;
        if let Ok(latency) = self.latency.lock() {
            for (route, h) in latency.iter() {
                let route = escape(route);
                for (bound, n) in LATENCY_BUCKETS.iter().zip(h.counts.iter()) {
                    writeln!(
                        out,
                        "xianshen_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {n}"
                    )?;
                }
                writeln!(
                    out,
                    "xianshen_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                    h.count
                )?;
                writeln!(
                    out,
                    "xianshen_request_duration_seconds_sum{{route=\"{route}\"}} {}",
                    h.sum
                )?;
                writeln!(
                    out,
                    "xianshen_request_duration_seconds_count{{route=\"{route}\"}} {}",
                    h.count
                )?;
            }
        }
        writeln!(
            out,
            "# HELP xianshen_errors_total Error responses, by status."
        )?;
        writeln!(out, "# TYPE xianshen_errors_total counter")?;
        if let Ok(errors) = self.errors.lock() {
            for (status, n) in errors.iter() {
                writeln!(out, "xianshen_errors_total{{status=\"{status}\"}} {n}")?;
            }
        }
        writeln!(
            out,
            "# HELP xianshen_drafts_total Drafts screened, by verdict."
        )?;
        writeln!(out, "# TYPE xianshen_drafts_total counter")?;
        for (verdict, counter) in ["pass", "review", "block"].iter().zip(&self.verdicts) {
            writeln!(
                out,
                "xianshen_drafts_total{{verdict=\"{verdict}\"}} {}",
                counter.load(Ordering::Relaxed)
            )?;
        }
        writeln!(
            out,
            "# HELP xianshen_findings_total Findings reported, by rule."
        )?;
        writeln!(out, "# TYPE xianshen_findings_total counter")?;
        if let Ok(findings) = self.findings.lock() {
            for (rule, n) in findings.iter() {
                writeln!(
                    out,
                    "xianshen_findings_total{{rule=\"{}\"}} {n}",
                    escape(rule)
                )?;
            }
        }
        writeln!(
            out,
            "# HELP xianshen_policy_reloads_total Policy reloads, by result."
        )?;
        writeln!(out, "# TYPE xianshen_policy_reloads_total counter")?;
        for (result, counter) in [("ok", &self.reloads_ok), ("failed", &self.reloads_failed)] {
            writeln!(
                out,
                "xianshen_policy_reloads_total{{result=\"{result}\"}} {}",
                counter.load(Ordering::Relaxed)
            )?;
        }
        writeln!(out, "# HELP xianshen_policy_info The policy serving now.")?;
        writeln!(out, "# TYPE xianshen_policy_info gauge")?;
        let [name, version, fingerprint] = policy.map(escape);
        writeln!(
            out,
            "xianshen_policy_info{{name=\"{name}\",version=\"{version}\",fingerprint=\"{fingerprint}\"}} 1"
        )?;
        Ok(())
    }
}

/// Escapes a label value: backslash, double quote and line feed.
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_and_histograms() {
        let m = Metrics::default();
        m.request("/v1/screen", "POST", 200, Duration::from_millis(2));
        m.request("/v1/screen", "POST", 400, Duration::from_millis(30));
        m.screened(&xianshen::Screener::new().screen_text("本店出售冰毒"));
        m.reload(false);
        let text = m.render(["n\"x", "v", "sha256:1"], 3, 1);
        assert!(text.contains("xianshen_requests_in_flight 3"));
        assert!(text.contains("xianshen_policy_generations_live 1"));
        assert!(text.contains(
            "xianshen_requests_total{route=\"/v1/screen\",method=\"POST\",status=\"400\"} 1"
        ));
        assert!(text.contains(
            "xianshen_request_duration_seconds_bucket{route=\"/v1/screen\",le=\"0.005\"} 1"
        ));
        assert!(text.contains("xianshen_request_duration_seconds_count{route=\"/v1/screen\"} 2"));
        assert!(text.contains("xianshen_errors_total{status=\"400\"} 1"));
        assert!(text.contains("xianshen_drafts_total{verdict=\"block\"} 1"));
        assert!(text.contains("xianshen_findings_total{rule=\"term.drugs\"} 1"));
        assert!(text.contains("xianshen_policy_reloads_total{result=\"failed\"} 1"));
        assert!(text.contains("name=\"n\\\"x\""));
    }
}
