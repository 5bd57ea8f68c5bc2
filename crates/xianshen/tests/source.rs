//! Reports against a source (`Screener::screen_in_source`): offsets into
//! the source, link targets, and findings of one rule that land in one
//! piece of source.

use std::ops::Range;
use xianshen::{Draft, Screener, SourceLink, SourceMap};

/// The whole derived text came from one piece of the source that it does
/// not follow char by char (a rewritten block).
struct OnePiece(Range<usize>);

impl SourceMap for OnePiece {
    fn source_range(&self, _: Range<usize>) -> Range<usize> {
        self.0.clone()
    }
}

/// The derived text is the source from `.0` on.
struct Shifted(usize);

impl SourceMap for Shifted {
    fn source_range(&self, r: Range<usize>) -> Range<usize> {
        r.start + self.0..r.end + self.0
    }
}

#[test]
fn findings_of_one_rule_in_one_piece_are_merged() {
    let text = "出售冰毒，出售冰毒";
    let source = format!("<x>{text}</x>");
    let report = Screener::new().screen_in_source(
        &Draft::new(text),
        &source,
        &OnePiece(3..source.len() - 4),
        &[],
    );
    let drugs: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.rule == "term.drugs")
        .collect();
    assert_eq!(drugs.len(), 1, "{drugs:?}");
    assert_eq!(drugs[0].text, text);
    assert_eq!(&source[drugs[0].start..drugs[0].end], drugs[0].text);
}

#[test]
fn links_are_screened_in_place_unless_covered() {
    let source = "<a href=\"http://shop.example.com/buy\">看看</a>";
    let text = "看看";
    let at = source.find("http").unwrap();
    let link = SourceLink {
        url: "http://shop.example.com/buy".into(),
        span: at..at + "http://shop.example.com/buy".len(),
        exact: true,
    };
    let text_at = source.find(text).unwrap();
    let report = Screener::new().screen_in_source(
        &Draft::new(text),
        source,
        &Shifted(text_at),
        std::slice::from_ref(&link),
    );
    let links: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.rule == "ad.link")
        .collect();
    assert_eq!(links.len(), 1);
    assert_eq!(&source[links[0].start..links[0].end], links[0].text);
    assert!(links[0].text.starts_with("http://shop.example.com"));
    assert_eq!(report.input.bytes, source.len());
    // The same link twice at one place is one finding.
    let twice = Screener::new().screen_in_source(
        &Draft::new(text),
        source,
        &Shifted(text_at),
        &[link.clone(), link],
    );
    assert_eq!(
        twice
            .findings
            .iter()
            .filter(|f| f.rule == "ad.link")
            .count(),
        1
    );
}
