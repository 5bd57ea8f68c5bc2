//! Cue lists of the built-in detectors (`data/cues.toml`), embedded at
//! build time and matched by the policy's one automaton.

use super::BuiltinRule;
use serde::Deserialize;

const CUES_TOML: &str = include_str!("../../data/cues.toml");

/// Which detector list a cue belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum CueKind {
    Internal,
    Opinion,
    Event,
    EventContext,
    Promotion,
    Absolute,
    Commercial,
    Selling,
    Address,
    Buyer,
    RepostMarker,
    SourceLabel,
    /// Words that end a 据X报道 phrase or a dateline (报道, 电, 消息).
    DeclarationAnchor,
    Contact,
    /// The first two digits of a mobile number in Chinese numerals (一三,
    /// 幺八): where a number spelt to get past a filter may start.
    SpelledDigits,
}

impl CueKind {
    /// The rules that read cues of this kind: when all are off, the cues
    /// stay out of the automaton.
    pub(crate) fn consumers(self) -> &'static [BuiltinRule] {
        use BuiltinRule::*;
        match self {
            CueKind::Internal => &[ClassifiedInternal],
            CueKind::Opinion => &[OpinionPersonal],
            CueKind::Event | CueKind::EventContext => &[EventMajor],
            CueKind::Promotion => &[AdPromotion],
            CueKind::Absolute | CueKind::Commercial => &[AdAbsolute],
            CueKind::Selling | CueKind::Address | CueKind::Buyer => &[AdPromotion, AdAbsolute],
            CueKind::RepostMarker | CueKind::SourceLabel | CueKind::DeclarationAnchor => {
                &[AttributionMissing, AttributionUnapproved]
            }
            CueKind::Contact => &[AdContact],
            CueKind::SpelledDigits => &[PrivacyMobile],
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CueFile {
    classified_internal: Cues,
    opinion: Cues,
    event: EventCues,
    promotion: Cues,
    absolute: AbsoluteCues,
    selling: SellingCues,
    repost: RepostCues,
    contact: Cues,
    spelled_mobile: Cues,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Cues {
    cues: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EventCues {
    cues: Vec<String>,
    report_context: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AbsoluteCues {
    terms: Vec<String>,
    commercial_context: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SellingCues {
    cues: Vec<String>,
    address: Vec<String>,
    buyer: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RepostCues {
    markers: Vec<String>,
    source_labels: Vec<String>,
    anchors: Vec<String>,
}

/// Every cue of every detector, as `(kind, cue)`; parsed once per process.
pub(crate) fn all() -> &'static [(CueKind, String)] {
    static ALL: std::sync::OnceLock<Vec<(CueKind, String)>> = std::sync::OnceLock::new();
    ALL.get_or_init(parse)
}

fn parse() -> Vec<(CueKind, String)> {
    let file: CueFile = toml::from_str(CUES_TOML)
        .unwrap_or_else(|e| panic!("embedded data/cues.toml is invalid: {e}"));
    let mut out = Vec::new();
    let mut add =
        |kind: CueKind, list: Vec<String>| out.extend(list.into_iter().map(|c| (kind, c)));
    add(CueKind::Internal, file.classified_internal.cues);
    add(CueKind::Opinion, file.opinion.cues);
    add(CueKind::Event, file.event.cues);
    add(CueKind::EventContext, file.event.report_context);
    add(CueKind::Promotion, file.promotion.cues);
    add(CueKind::Absolute, file.absolute.terms);
    add(CueKind::Commercial, file.absolute.commercial_context);
    add(CueKind::Selling, file.selling.cues);
    add(CueKind::Address, file.selling.address);
    add(CueKind::Buyer, file.selling.buyer);
    add(CueKind::RepostMarker, file.repost.markers);
    add(CueKind::SourceLabel, file.repost.source_labels);
    add(CueKind::DeclarationAnchor, file.repost.anchors);
    add(CueKind::Contact, file.contact.cues);
    add(CueKind::SpelledDigits, file.spelled_mobile.cues);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn embedded_cues_parse_and_are_not_empty() {
        let all = super::all();
        assert!(all.len() > 20);
        assert!(all.iter().all(|(_, c)| !c.trim().is_empty()));
    }
}
