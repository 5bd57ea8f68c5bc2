//! `opinion.personal`: first-person opinion or emotion in the account's
//! own voice. Quoting or reporting someone is not the account's opinion,
//! and a comment from the public is not the account speaking at all.

use super::cues::CueKind;
use super::text::{back_chars, forward_chars, in_handle, inside_quotes, prev_char};
use super::BuiltinRule;
use super::{Context, CueHit, RawFinding};
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
            || marker_inside_clause(ctx.input, hit)
            || described_laughter(ctx.input, hit)
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

/// Discourse markers: the speaker's aside, which opens a clause (说真的，…;
/// 我不得不说). After a subject they are a verb phrase (大家都说真的很方便),
/// and before 的 a noun's attribute (与萝莉不得不说的事).
const DISCOURSE_MARKERS: [&str; 4] = ["说真的", "说句实话", "老实说", "不得不说"];

/// Whether `hit` is a discourse marker that does not open a clause.
fn marker_inside_clause(input: &str, hit: &CueHit<'_>) -> bool {
    if !DISCOURSE_MARKERS.contains(&hit.cue) {
        return false;
    }
    let after_subject = prev_char(input, hit.span.start)
        .is_some_and(|c| c.is_alphanumeric() && !matches!(c, '我' | '俺'));
    after_subject || input[hit.span.end..].starts_with('的')
}

/// The laughter cues, and the chars a run of laughter is made of.
const LAUGHTER: [&str; 2] = ["哈哈哈", "呵呵"];
const LAUGHTER_CHARS: [char; 2] = ['哈', '呵'];

/// Chars before a run of laughter that make it a description of someone
/// laughing (笑呵呵, 乐得哈哈哈, 逗得直乐嘎嘎哈哈哈).
const LAUGHING_BEFORE: &str = "笑乐嘎咯嘻得";

/// Whether `hit` is laughter told of someone rather than the account
/// laughing: its run follows a laughing verb or another sound of laughter,
/// or runs into one (哈哈哈笑出声, 呵呵一笑).
fn described_laughter(input: &str, hit: &CueHit<'_>) -> bool {
    if !LAUGHTER.contains(&hit.cue) {
        return false;
    }
    let start = input[..hit.span.start]
        .trim_end_matches(LAUGHTER_CHARS)
        .len();
    let end = input.len()
        - input[hit.span.end..]
            .trim_start_matches(LAUGHTER_CHARS)
            .len();
    prev_char(input, start).is_some_and(|c| LAUGHING_BEFORE.contains(c))
        || ["笑", "大笑", "一笑"]
            .iter()
            .any(|w| input[end..].starts_with(w))
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
    SPEAKER.is_match(&input[speech_turn(input, para, at)..at])
}

/// What comes before a quotation of speech: a colon or comma (他说：“…”),
/// or a verb of saying (古人云“…”).
const SPEECH_BEFORE: &str = ":：,，云说道曰称问答";

/// Where the account speaks again before `at`: after the last quotation
/// of speech (他说：“…”) in `input[para..at]`, or `para`. A quoted word
/// (the “时差”) is no turn.
fn speech_turn(input: &str, para: usize, at: usize) -> usize {
    let mut end = at;
    while let Some(close) = input[para..end].rfind(['”', '」', '』']).map(|i| para + i) {
        let Some(open) = input[para..close]
            .rfind(['“', '「', '『'])
            .map(|i| para + i)
        else {
            return close;
        };
        let speech =
            open == para || prev_char(input, open).is_some_and(|c| SPEECH_BEFORE.contains(c));
        if speech {
            return close;
        }
        end = open;
    }
    para
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
        // A quoted word is no end of the speech; a quotation of speech is.
        let quoted_word = "创业者李明：互联网“时差”，在我看来是商机";
        assert!(super::reported(
            quoted_word,
            quoted_word.find("在我看来").unwrap()
        ));
        let speech = "他说：“不好。”我认为";
        assert!(!super::reported(speech, speech.find("我认为").unwrap()));
        let saying = "评：古人云“苟富贵，无相忘”，现在倒好，真无语";
        assert!(!super::reported(saying, saying.find("真无语").unwrap()));
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
