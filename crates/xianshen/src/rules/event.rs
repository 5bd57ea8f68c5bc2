//! `event.major`: reports of major or emergency events.
//!
//! An event word alone (死亡, 火灾) is everywhere in laws and policy texts
//! about prevention; what marks a *report* is context in the same sentence:
//! a clock time (14时30分许), or report wording (记者从, 事发, 截至目前,
//! 已造成…). One finding per sentence, on its first event word. A
//! sentence of legal prose (本条例所称, 应当, 第五十四条) or of a law text, a
//! denied or commemorated event (没有造成人员伤亡, 谣言, 默哀), a work's
//! title, an event dated in a year before last (history, an encyclopedia
//! entry) and a comment from the public are no report by the account, and
//! an event abroad is international news (see [`super::abroad`]).

use super::abroad::event_abroad;
use super::cues::CueKind;
use super::text::{back_chars, captures_in_windows, forward_chars, sentence_around};
use super::BuiltinRule;
use super::{Context, RawFinding};
use crate::{Kind, Span};
use regex::Regex;
use std::sync::LazyLock;

static CLOCK_TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\d{1,2}(?:时|点)(?:\d{1,2}分)?许|\d{1,2}时\d{1,2}分|[零一二三四五六七八九十]{1,3}时许",
    )
    .expect("valid regex")
});

/// Legal prose: rules about events, not reports of one.
static LEGAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"应当|不得|本条例|本办法|本法|本规定|本细则|所称|是指|视同|分为|下列情形|第[零一二三四五六七八九十百千]+条")
        .expect("valid regex")
});

/// The sentence says the event did not happen or was not as reported,
/// commemorates a past one (为汶川遇难者默哀), or plans or drills one.
static DENIED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"谣言|辟谣|假消息|不实信息|系谣传|纯属捏造|编造|默哀|哀悼|悼念|缅怀|祭奠|周年|演练|演习|模拟|预案")
        .expect("valid regex")
});

/// A full date with its year (2012年7月19日, 1973年7月22日): the year is
/// group 1.
static DATED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"((?:1[89]|20)\d\d)年\s*(?:1[0-2]|0?[1-9])月").expect("valid regex")
});

/// Whether the sentence `sentence` dates its event in a year before last
/// (2012年7月19日, read in 2026): history, a retrospective or an
/// encyclopedia entry, no report of a current event.
fn dated_history(sentence: &str, today: crate::Date) -> bool {
    DATED.captures_iter(sentence).any(|c| {
        c[1].parse::<u32>()
            .is_ok_and(|year| year + 1 < today.year())
    })
}

/// An article of law at the start of a line (第五十二条　…).
static LAW_ARTICLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^[\s#]*第[零一二三四五六七八九十百千]+条").expect("valid regex")
});

/// How far around an event word an article of law is looked for, in chars:
/// the passage, not the document, so a big text screened in windows judges
/// every event alike.
const LAW_REACH: usize = 300;

/// Whether byte `at` is in a law, regulation or rule text: an article
/// heading at a line start within [`LAW_REACH`] before it and another
/// within reach after it or before the first. Its events are the ones it
/// regulates.
fn in_legal_text(input: &str, at: usize) -> bool {
    let window = Span::new(
        back_chars(input, at, LAW_REACH),
        forward_chars(input, at, LAW_REACH),
    );
    let articles = captures_in_windows(&LAW_ARTICLE, input, vec![window]);
    articles.len() >= 2
        || (articles.len() == 1 && articles[0].get(0).is_some_and(|m| m.start() <= at))
}

/// How far back a title's opening mark is looked for, in chars.
const TITLE_CHARS: usize = 60;

/// Whether `at` is inside title marks (《莫尔格街凶杀案》): a work's name.
fn inside_title(input: &str, at: usize) -> bool {
    let before = &input[back_chars(input, at, TITLE_CHARS)..at];
    let before = before.rfind('\n').map_or(before, |i| &before[i + 1..]);
    before
        .rfind('《')
        .is_some_and(|open| !before[open..].contains('》'))
}

/// 没有造成人员伤亡, 未造成伤亡, 无人员伤亡: the casualty word is denied.
fn negated(input: &str, at: usize) -> bool {
    let before = &input[back_chars(input, at, 4)..at];
    [
        "没有造成",
        "未造成",
        "没造成",
        "无",
        "没有",
        "未发生",
        "未出现",
    ]
    .iter()
    .any(|n| before.ends_with(n))
}

pub(crate) fn detect(ctx: &Context<'_>, out: &mut Vec<RawFinding>) {
    // A comment from the public tells of an event; the account reports one.
    if ctx.draft.kind == Kind::Comment {
        return;
    }
    let rule = BuiltinRule::EventMajor;
    let mut last_sentence = None;
    for hit in ctx.cues.iter().filter(|h| h.kind == CueKind::Event) {
        if negated(ctx.input, hit.span.start)
            || inside_title(ctx.input, hit.span.start)
            || in_legal_text(ctx.input, hit.span.start)
        {
            continue;
        }
        let sentence = sentence_around(ctx.input, hit.span.start);
        if last_sentence == Some(sentence) {
            continue;
        }
        let (s, e) = sentence;
        if LEGAL.is_match(&ctx.input[s..e])
            || DENIED.is_match(&ctx.input[s..e])
            || dated_history(&ctx.input[s..e], ctx.today)
        {
            continue;
        }
        // Cue hits are sorted by start: look only at those in the sentence.
        let first = ctx.cues.partition_point(|h| h.span.start < s);
        let has_context = ctx.cues[first..]
            .iter()
            .take_while(|h| h.span.start < e)
            .any(|h| h.kind == CueKind::EventContext && h.span.end <= e)
            || CLOCK_TIME.is_match(&ctx.input[s..e]);
        if has_context && !event_abroad(ctx.input, hit.span.start, ctx.draft.title) {
            last_sentence = Some(sentence);
            out.push(RawFinding::builtin(rule, hit.span));
        }
    }
}
