//! `event.major`: reports of major or emergency events.
//!
//! An event word alone (死亡, 火灾) is everywhere in laws and policy texts
//! about prevention; what marks a *report* is context in the same sentence:
//! a clock time (14时30分许), or report wording (记者从, 事发, 截至目前,
//! 已造成…). One finding per sentence, on its first event word.

use super::cues::CueKind;
use super::text::sentence_around;
use super::{Context, RawFinding};
use crate::screener::rule_index;
use regex::Regex;
use std::sync::LazyLock;

static CLOCK_TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\d{1,2}(?:时|点)(?:\d{1,2}分)?许|\d{1,2}时\d{1,2}分|[零一二三四五六七八九十]{1,3}时许",
    )
    .expect("valid regex")
});

pub(crate) fn detect(ctx: &Context<'_>, out: &mut Vec<RawFinding>) {
    let rule = rule_index("event.major");
    let mut last_sentence = None;
    for hit in ctx.cues.iter().filter(|h| h.kind == CueKind::Event) {
        let sentence = sentence_around(ctx.input, hit.span.start);
        if last_sentence == Some(sentence) {
            continue;
        }
        let (s, e) = sentence;
        // Cue hits are sorted by start: look only at those in the sentence.
        let first = ctx.cues.partition_point(|h| h.span.start < s);
        let has_context = ctx.cues[first..]
            .iter()
            .take_while(|h| h.span.start < e)
            .any(|h| h.kind == CueKind::EventContext && h.span.end <= e)
            || CLOCK_TIME.is_match(&ctx.input[s..e]);
        if has_context {
            last_sentence = Some(sentence);
            out.push(RawFinding::new(rule, hit.span));
        }
    }
}
