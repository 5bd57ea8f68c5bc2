//! `opinion.personal`: first-person opinion or emotion in the account's
//! own voice. Quoting someone is not the account's opinion.

use super::cues::CueKind;
use super::text::inside_quotes;
use super::{Context, RawFinding};
use crate::screener::rule_index;

pub(crate) fn detect(ctx: &Context<'_>, out: &mut Vec<RawFinding>) {
    let rule = rule_index("opinion.personal");
    for hit in ctx.cues.iter().filter(|h| h.kind == CueKind::Opinion) {
        if !inside_quotes(ctx.input, hit.span.start) {
            out.push(RawFinding::new(rule, hit.span));
        }
    }
}
