//! Threats to the one addressed (弄死你, 杀你全家): who makes them.
//!
//! A lexicon group with `threat = true` holds threats in the second
//! person. The words threaten when the writer says them: opening a clause
//! (砍死你！), or after the writer as subject (我会砍死你, 老子弄死你), with
//! the will or time words a threat takes between (真想, 迟早, 一定). Said of
//! a third party or negated, they tell of a threat rather than make one
//! (分分钟弄死你 of what officials could do, 没能耐弄死你).

use crate::Span;

/// The writer as subject.
const FIRST_PERSON: [&str; 6] = ["我", "老子", "俺", "劳资", "本大爷", "爷"];

/// Will, time and certainty words between the subject and the threat,
/// longest first so that 一定 is read before 定.
const MODALS: [&str; 14] = [
    "一定", "迟早", "早晚", "必须", "非得", "马上", "现在", "会", "要", "就", "想", "真", "再",
    "去",
];

/// How many modal words may stand between the subject and the threat.
const MAX_MODALS: usize = 3;

/// Whether the threat at `span` is made by the writer: after the modal
/// words before it, the text opens a clause (start, punctuation, space or
/// symbol) or ends with a first-person subject.
///
/// ```text
/// 我会砍死你 / 逼样的，真想弄死你们 / 砍死你！     made
/// 分分钟弄死你 / 没能耐弄死你 / 他说要弄死你         told of
/// ```
pub(crate) fn made_by_writer(input: &str, span: Span) -> bool {
    let mut before = input[..span.start].trim_end();
    for _ in 0..MAX_MODALS {
        match MODALS.iter().find(|m| before.ends_with(*m)) {
            Some(m) => before = &before[..before.len() - m.len()],
            None => break,
        }
    }
    let before = before.trim_end();
    FIRST_PERSON.iter().any(|p| before.ends_with(p))
        || before
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::made_by_writer;
    use crate::Span;

    fn made(text: &str, threat: &str) -> bool {
        let at = text.find(threat).unwrap();
        made_by_writer(text, Span::new(at, at + threat.len()))
    }

    #[test]
    fn the_writer_threatens() {
        assert!(made("我会砍死你", "砍死你"));
        assert!(made("逼样的，真想弄死你们。", "弄死你"));
        assert!(made("砍死你！", "砍死你"));
        assert!(made("你不给我说法，我杀你全家", "杀你全家"));
        assert!(made("老子迟早弄死你", "弄死你"));
    }

    #[test]
    fn a_threat_told_of() {
        assert!(!made("分分钟弄死你…", "弄死你"));
        assert!(!made("没能耐弄死你，有能耐转发此微博。", "弄死你"));
        assert!(!made("他说要弄死你", "弄死你"));
    }
}
