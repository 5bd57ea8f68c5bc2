//! Events abroad: where `event.major` reads an event as international news.
//!
//! The rules ask the unit's leadership to clear what it publishes about
//! major and sudden events (发布重大、突发事件的信息时,需经…领导同意): the
//! events it answers for. An earthquake in Turkey or a shooting in Chicago
//! is international news an account reposts from the central media. An
//! event is abroad when the line that reports it, or the draft's heading,
//! names a place abroad (`data/places-abroad.toml`, from CLDR) or speaks of
//! local time (当地时间), unless it also names Chinese citizens or units
//! (中国公民, 同胞), whose harm abroad is the unit's concern again.

use super::text::{back_chars, forward_chars};
use crate::automaton::CharAutomaton;
use crate::segment::crossed_ends;
use crate::Span;
use serde::Deserialize;
use std::sync::LazyLock;

const PLACES_TOML: &str = include_str!("../../data/places-abroad.toml");

/// How far the line around an event word is read, in chars each way.
const LINE_REACH: usize = 300;

/// The longest first line read as the draft's heading, in chars.
const HEADING_CHARS: usize = 60;

/// Chinese people or units named with the event: it is the unit's concern.
const OWN_PEOPLE: [&str; 11] = [
    "中国人",
    "中国公民",
    "我国公民",
    "中国籍",
    "中方人员",
    "中国游客",
    "中国留学生",
    "同胞",
    "华人",
    "华侨",
    "中资",
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlacesFile {
    markers: Vec<String>,
    places: Vec<String>,
}

/// Words after a place that make it the name of something here: a shop,
/// hotel, estate or street named after a place abroad (维也纳酒店,
/// 萨尔瓦多咖啡屋, 巴黎春天, 纽约大道).
const NAMED_AFTER: [&str; 22] = [
    "路", "街", "巷", "园", "苑", "馆", "厅", "店", "屋", "吧", "楼", "厦", "咖啡", "餐", "酒",
    "宾馆", "大道", "广场", "花园", "公寓", "小镇", "春天",
];

/// The markers and places in one automaton; pattern ids below
/// `markers` are markers, which need no word check; then the own-people
/// cues, from `own_people` on.
struct Places {
    automaton: CharAutomaton,
    markers: u32,
    own_people: u32,
}

static PLACES: LazyLock<Places> = LazyLock::new(|| {
    let file: PlacesFile = toml::from_str(PLACES_TOML)
        .unwrap_or_else(|e| panic!("embedded data/places-abroad.toml is invalid: {e}"));
    let markers = file.markers.len() as u32;
    let own_people = (file.markers.len() + file.places.len()) as u32;
    let patterns: Vec<&str> = file
        .markers
        .iter()
        .chain(&file.places)
        .map(String::as_str)
        .chain(OWN_PEOPLE)
        .collect();
    let automaton = CharAutomaton::new(&patterns).expect("place names are few");
    Places {
        automaton,
        markers,
        own_people,
    }
});

/// Whether the event word at byte `at` of `input` is reported as an event
/// abroad: its line (at most [`LINE_REACH`] chars each way), the `title`,
/// or the input's first line when that is a heading (no sentence stop, at
/// most [`HEADING_CHARS`] chars) names a place abroad, and the line names
/// no Chinese citizens or units.
pub(crate) fn event_abroad(input: &str, at: usize, title: Option<&str>) -> bool {
    let line = line_around(input, at);
    let (abroad, own_people) = read(input, line);
    if own_people {
        return false;
    }
    abroad
        || title.is_some_and(|t| read(t, Span::new(0, t.len())).0)
        || heading(input).is_some_and(|h| h != line && read(input, h).0)
}

/// Whether `input[span]` names a place abroad, read as a whole word
/// (参加纳税 holds no 加纳, 今日本市 no 日本), and whether it names
/// Chinese people or units.
fn read(input: &str, span: Span) -> (bool, bool) {
    let places = &*PLACES;
    let (mut abroad, mut own_people) = (false, false);
    places.automaton.for_each_match(&input[span], |m| {
        if m.pattern >= places.own_people {
            own_people = true;
        } else if !abroad {
            let found = Span::new(span.start + m.start, span.start + m.end);
            abroad = m.pattern < places.markers
                || (!NAMED_AFTER
                    .iter()
                    .any(|w| input[found.end..].starts_with(w))
                    && crossed_ends(input, found) == (false, false));
        }
    });
    (abroad, own_people)
}

/// The line holding byte `at`, at most [`LINE_REACH`] chars each way.
fn line_around(input: &str, at: usize) -> Span {
    let from = back_chars(input, at, LINE_REACH);
    let to = forward_chars(input, at, LINE_REACH);
    let start = input[from..at].rfind('\n').map_or(from, |i| from + i + 1);
    let end = input[at..to].find('\n').map_or(to, |i| at + i);
    Span::new(start, end)
}

/// The input's first line when it reads as a heading: short, no sentence
/// stop. A big text screened in windows has it in its first window only.
fn heading(input: &str) -> Option<Span> {
    let end = input.find('\n')?;
    let first = &input[..end];
    let heading =
        first.chars().count() <= HEADING_CHARS && !first.contains(['。', '！', '？', '；']);
    heading.then(|| Span::new(0, end))
}

#[cfg(test)]
mod tests {
    use super::event_abroad;

    fn abroad(text: &str, word: &str) -> bool {
        event_abroad(text, text.find(word).unwrap(), None)
    }

    #[test]
    fn a_place_abroad_in_the_line_or_heading() {
        assert!(abroad("当地时间12日凌晨，一名男子遭枪击后死亡。", "死亡"));
        assert!(abroad(
            "土耳其南部发生7.8级地震，已造成数千人遇难。",
            "地震"
        ));
        assert!(abroad(
            "美国俄亥俄州工厂爆炸\n事发时先冒起浓烟，然后发生爆炸。",
            "然后发生爆炸"
        ));
        assert!(!abroad("今日本市一仓库发生火灾，已造成2人死亡。", "火灾"));
        assert!(!abroad("参加纳凉晚会的群众在踩踏中受伤。", "踩踏"));
        assert!(!abroad("内蒙古一煤矿发生坍塌，已造成3人死亡。", "坍塌"));
        assert!(!abroad("昆明市萨尔瓦多咖啡屋发生爆炸，1人死亡。", "爆炸"));
        assert!(!abroad("维也纳酒店12时许起火，已造成2人死亡。", "起火"));
    }

    #[test]
    fn chinese_citizens_abroad_are_the_units_concern() {
        assert!(!abroad("泰国一旅游大巴发生车祸，3名中国游客死亡。", "车祸"));
        assert!(!abroad("日本地震中，暂无同胞伤亡报告。", "地震"));
        assert!(!abroad("韩国降雨已致71人死亡 1名中国人遇难", "死亡"));
    }

    #[test]
    fn the_title_names_the_place() {
        let text = "事发时先冒起浓烟，然后发生爆炸并起火。";
        assert!(event_abroad(
            text,
            text.find("爆炸").unwrap(),
            Some("芝加哥工厂爆炸")
        ));
        assert!(!event_abroad(
            text,
            text.find("爆炸").unwrap(),
            Some("本市工厂爆炸")
        ));
    }
}
