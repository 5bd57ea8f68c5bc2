//! `opinion.personal`: first-person opinion or emotion in the account's
//! own voice. Quoting or reporting someone is not the account's opinion,
//! and a comment from the public is not the account speaking at all.

use super::cues::CueKind;
use super::text::{back_chars, forward_chars, in_handle, inside_quotes};
use super::BuiltinRule;
use super::{Context, RawFinding};
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
    let rule = BuiltinRule::OpinionPersonal;
    let mut last: Option<Span> = None;
    for hit in ctx.cues.iter().filter(|h| h.kind == CueKind::Opinion) {
        // In a person's own story (an essay, an interview, a testimonial the
        // account presents), the first person is that person, not the
        // account; only the editor's 小编 is the account speaking.
        if !hit.cue.starts_with("小编") && first_person_narrative(ctx.input, hit.span.start) {
            continue;
        }
        if inside_quotes(ctx.input, hit.span.start)
            || reported(ctx.input, hit.span.start)
            || others_feel(ctx.input, hit.span.start)
            || emoticon_code(ctx.input, hit.span)
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
                    out.push(RawFinding::builtin(rule, prev));
                }
            }
        }
    }
    if let Some(prev) = last {
        out.push(RawFinding::builtin(rule, prev));
    }
}

/// `[呵呵]`, `[哈哈]`: a platform's emoticon code, which shows as a picture.
fn emoticon_code(input: &str, span: Span) -> bool {
    input[..span.start].ends_with('[') && input[span.end..].starts_with(']')
}

/// Other people named as the ones who feel it (曾让无数人泪目, 令网友心累).
static EXPERIENCER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:让|令|使)(?:无数|许多|很多|不少|众多|广大)?(?:人|网友|观众|读者|群众|市民|大家|众人)$",
    )
    .expect("valid regex")
});

/// Whether the emotion at `at` is described as someone else's, or the
/// first person is asked for an opinion (问我觉得…怎么样).
fn others_feel(input: &str, at: usize) -> bool {
    input[at..].starts_with('我') && input[..at].ends_with('问')
        || EXPERIENCER.is_match(&input[back_chars(input, at, 8)..at])
}

/// How many times a passage says 我 (singular: not 我们, 我国, 我校…)
/// before it reads as one person's own narrative.
const NARRATIVE_FIRST_PERSON: usize = 3;

/// A narrative is an article: the passage around a cue (up to
/// [`NARRATIVE_REACH`] chars each way) at least this long, in chars.
const NARRATIVE_MIN_CHARS: usize = 400;

/// How far each way from a cue the first person is counted, in chars: the
/// passage, not the document, so a big text screened in windows judges
/// every cue alike.
const NARRATIVE_REACH: usize = 600;

/// Whether the passage around byte `at` is told in the first person
/// singular: an official account speaks as 我们, 我校, 本报 or 小编, so a
/// long passage with many a singular 我 is someone's essay, interview or
/// testimonial.
fn first_person_narrative(input: &str, at: usize) -> bool {
    let passage =
        &input[back_chars(input, at, NARRATIVE_REACH)..forward_chars(input, at, NARRATIVE_REACH)];
    // A short post in the first person is its author speaking.
    if passage.len() < NARRATIVE_MIN_CHARS || passage.chars().nth(NARRATIVE_MIN_CHARS - 1).is_none()
    {
        return false;
    }
    let mut count = 0;
    for (i, _) in passage.match_indices('我') {
        let next = passage[i + '我'.len_utf8()..].chars().next();
        let collective =
            next.is_some_and(|c| "们国校省市区县院党军部局委厅司所系馆台团会方".contains(c));
        if !collective {
            count += 1;
            if count >= NARRATIVE_FIRST_PERSON {
                return true;
            }
        }
    }
    false
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

    #[test]
    fn narratives() {
        let filler = "校园里的桂花开了，".repeat(50);
        let story = format!("我来自广州。我喜欢读书，我常去图书馆，我觉得我很幸运。{filler}");
        assert!(super::first_person_narrative(&story, 0));
        let school = format!("我校举办活动，我们认为我国我省我市都很好。我觉得不错。{filler}");
        assert!(!super::first_person_narrative(&school, 0));
        // A short post in the first person is its author speaking.
        let post = "我来自广州。我喜欢读书，我常去图书馆，我觉得我很幸运。";
        assert!(!super::first_person_narrative(post, 0));
    }
}
