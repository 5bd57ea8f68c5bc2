//! Evasion probes: patterns written independently of the policy's lexicons
//! that find evasive abuse and contact diversion in real comments, so the
//! quality benchmark can say how much of it the screener catches (recall),
//! per form. A probe match counts as caught when a finding of review or
//! block severity (not `style.*`) overlaps it.
//!
//! The probes are deliberately narrow (forms that are abuse or diversion
//! in nearly every comment they occur in) and are not the lexicons: they
//! were written from reading comments, with the lexicons out of view, and
//! they include spellings the default policy does not list.

use regex::Regex;
use xianshen::{Finding, Severity};

/// One form of evasion and the patterns that find it.
pub struct Probe {
    /// The form, as the benchmark table prints it.
    pub form: String,
    regex: Regex,
}

/// Probes from a file, one a line: `form<TAB>regex[<TAB>anything]`
/// (capture group 1, when there is one, is the evasive text). Probes of
/// one form are joined into one, in file order of first appearance.
/// `#` lines and blank lines are skipped.
pub fn probes_from_file(path: &std::path::Path) -> Result<Vec<Probe>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut forms: Vec<(String, Vec<String>)> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let mut cols = line.split('\t');
        let (Some(form), Some(pattern)) = (cols.next(), cols.next()) else {
            return Err(format!(
                "{}: line {}: expected form<TAB>regex",
                path.display(),
                n + 1
            ));
        };
        Regex::new(pattern).map_err(|e| format!("{}: line {}: {e}", path.display(), n + 1))?;
        match forms.iter_mut().find(|(f, _)| f == form) {
            Some((_, patterns)) => patterns.push(pattern.to_string()),
            None => forms.push((form.to_string(), vec![pattern.to_string()])),
        }
    }
    forms
        .into_iter()
        .map(|(form, patterns)| {
            // Each pattern keeps its own group 1: they are tried one by one.
            let regex = Regex::new(&patterns.join("|"))
                .map_err(|e| format!("{}: form {form}: {e}", path.display()))?;
            Ok(Probe { form, regex })
        })
        .collect()
}

/// Every probe, in table order.
pub fn probes() -> Vec<Probe> {
    let probe = |form: &str, pattern: &str| Probe {
        form: form.to_string(),
        regex: Regex::new(pattern).expect("probe patterns are valid"),
    };
    vec![
        probe(
            "initials",
            r"(?i)(?:^|[^a-z0-9])((?:sb|tmd|mlgb|cnm|cnmb|nmsl|nmb|qnmlgb|rnm|wcnm|sjb|tnnd|nnd|mdzz|nmd|wqnmlgb|nmlgb))(?:$|[^a-z0-9])",
        ),
        probe(
            "homophone",
            r"(尼玛|泥马|特么|特麽|他喵的|他吗的|吗的|麻痹的|你麻痹|我擦[,，!！。]|次奥|妈蛋|日了狗|我槽|沃日|去年买了个表|滚粗|草泥马|艹你|操你吗|草你吗|煞笔|沙比|傻比|曹尼玛)",
        ),
        probe(
            "pinyin",
            r"(?i)(?:^|[^a-z])((?:shabi|caonima|nimabi|nimasile|tamade|wocao|nima|sabi|shab|bingdu|dupin|yuepao|dubo))(?:$|[^a-z])",
        ),
        probe(
            "split",
            r"((?:[操草艹日][\s\p{P}\p{S}]+[你尼泥][\s\p{P}\p{S}]*[妈吗马麻码])|(?:傻[\s\p{P}\p{S}]+[逼比屄Bb])|(?:[他她][\s\p{P}\p{S}]+妈[\s\p{P}\p{S}]*的)|(?:[操草][\s\p{P}\p{S}]+[你尼泥]))",
        ),
        probe(
            "chaizi",
            r"(女干(?:视频|犯|淫|杀)|弓虽女干|车仑女干|口口交|弓虽女干)",
        ),
        probe(
            "discrimination",
            r"(小日本|日本鬼子|小鬼子|高丽棒子|棒子国|韩国棒子|死棒子|印度阿三|阿三|黑鬼|洋鬼子|支那|台巴子|港灿|娘炮|日本猪)",
        ),
        probe(
            "contact",
            r"(?i)((?:qq|ｑｑ|扣扣|企鹅号?|q群|Q群|球球)\s*[:：号]?\s*[0-9０-９]{5,11}|(?:vx|v信|威信|薇信|徽信|微信号?|wx|v❤|薇❤|加v|加➕v)\s*[:：]?\s*[a-z][a-z0-9_-]{5,19})",
        ),
    ]
}

/// `(form, matches, caught)` counts, added up over texts.
#[derive(Default)]
pub struct ProbeTally {
    counts: Vec<(usize, usize)>,
}

impl Probe {
    /// `(matches, caught)` of this probe in `text`: a match is caught when
    /// a finding of review or block severity (not `style.*`) overlaps it.
    pub fn count(&self, text: &str, findings: &[Finding]) -> (usize, usize) {
        let (mut matches, mut caught) = (0, 0);
        for c in self.regex.captures_iter(text) {
            // The first group that took part names the evasive text.
            let m = (1..c.len())
                .find_map(|g| c.get(g))
                .unwrap_or_else(|| c.get(0).expect("group 0"));
            matches += 1;
            caught += usize::from(findings.iter().any(|f| {
                f.severity >= Severity::Review
                    && !f.rule.starts_with("style.")
                    && f.start < m.end()
                    && m.start() < f.end
            }));
        }
        (matches, caught)
    }
}

impl ProbeTally {
    /// Counts the probe matches in `text` and how many `findings` catch.
    pub fn add(&mut self, probes: &[Probe], text: &str, findings: &[Finding]) {
        if self.counts.len() < probes.len() {
            self.counts.resize(probes.len(), (0, 0));
        }
        for (i, p) in probes.iter().enumerate() {
            let (matches, caught) = p.count(text, findings);
            self.counts[i].0 += matches;
            self.counts[i].1 += caught;
        }
    }

    /// `(matches, caught)` of probe `i`.
    pub fn get(&self, i: usize) -> (usize, usize) {
        self.counts.get(i).copied().unwrap_or((0, 0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probes_find_what_they_are_for() {
        let probes = probes();
        let find = |form: &str, text: &str| {
            let p = probes.iter().find(|p| p.form == form).unwrap();
            p.regex.is_match(text)
        };
        assert!(find("initials", "你个SB！"));
        assert!(!find("initials", "USB接口"));
        assert!(find("contact", "QQ1711529874"));
        assert!(find("contact", "加➕V：abc12345"));
        assert!(find("split", "操 你 吗"));
        assert!(!find("chaizi", "女干部"));
    }
}
