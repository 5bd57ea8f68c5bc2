//! `opinion.personal`: first-person opinion or emotion in the account's
//! own voice. Quoting or reporting someone is not the account's opinion,
//! and a comment from the public is not the account speaking at all.

use super::cues::CueKind;
use super::text::{back_chars, in_handle, inside_quotes};
use super::{Context, RawFinding};
use crate::screener::rule_index;
use crate::{Kind, Span};
use regex::Regex;
use std::sync::LazyLock;

/// How far back, in chars, a speaker's cue (他表示：, 网友：, 问：) can be.
const SPEAKER_CHARS: usize = 80;

/// A speaker introduced before the cue in the same paragraph: a colon
/// (他表示：, 网友：, 问：, 李明：), or a speech verb and a comma
/// (他表示，我认为…, 她笑着说，).
static SPEAKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"[:：]|(?:表示|说|说道|称|指出|坦言|直言|感慨|感叹|介绍|透露|回忆|笑称|告诉记者|对记者说|写道|留言|评论|回应|认为|觉得)[，,]",
    )
    .expect("valid regex")
});

pub(crate) fn detect(ctx: &Context<'_>, out: &mut Vec<RawFinding>) {
    if matches!(ctx.draft.kind, Kind::Comment) {
        return;
    }
    let rule = rule_index("opinion.personal");
    let mut last: Option<Span> = None;
    for hit in ctx.cues.iter().filter(|h| h.kind == CueKind::Opinion) {
        if inside_quotes(ctx.input, hit.span.start)
            || reported(ctx.input, hit.span.start)
            || in_handle(ctx.input, hit.span)
        {
            continue;
        }
        // 哈哈哈哈哈哈 is one finding: a cue that touches or overlaps the
        // previous one extends it.
        match last.as_mut() {
            Some(prev) if hit.span.start <= prev.end => prev.end = prev.end.max(hit.span.end),
            _ => {
                if let Some(prev) = last.replace(hit.span) {
                    out.push(RawFinding::new(rule, prev));
                }
            }
        }
    }
    if let Some(prev) = last {
        out.push(RawFinding::new(rule, prev));
    }
}

/// Whether the cue at `at` is in reported speech: a speaker is introduced
/// earlier in its paragraph, within [`SPEAKER_CHARS`], and the quotation
/// that may follow the speaker has not closed (他说：“…”我认为 is the
/// account speaking again).
fn reported(input: &str, at: usize) -> bool {
    let from = back_chars(input, at, SPEAKER_CHARS);
    let para = input[from..at].rfind('\n').map_or(from, |i| from + i + 1);
    let turn = input[para..at]
        .rfind(['”', '」', '』'])
        .map_or(para, |i| para + i);
    SPEAKER.is_match(&input[turn..at])
}

#[cfg(test)]
mod tests {
    #[test]
    fn speakers() {
        assert!(super::reported("他表示：我认为", "他表示：".len()));
        assert!(super::reported("网友：我觉得", "网友：".len()));
        assert!(super::reported("她笑着说，我觉得", "她笑着说，".len()));
        assert!(!super::reported("我觉得", 0));
        assert!(!super::reported("问：好吗\n我觉得", "问：好吗\n".len()));
    }
}
