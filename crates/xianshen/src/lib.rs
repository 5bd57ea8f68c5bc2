//! xianshen (先审) screens drafts before they are published on official
//! new-media accounts and says what is wrong, exactly where, and who must
//! sign off.
//!
//! The main types:
//!
//! - [`Policy`]: one TOML file of lexicons, allow-lists, co-occurrence
//!   rules, approved sources, allowed domains and rule settings.
//!   [`Policy::default`] is the embedded default policy.
//! - [`Screener`]: a policy compiled once (one automaton for every term),
//!   immutable, `Send + Sync`, cheap to clone.
//! - [`Draft`]: the text and its metadata (title, repost, declared source).
//! - [`Report`]: every [`Finding`] with exact byte and char offsets, the
//!   [`Verdict`] and the [`Approval`] level, plus audit data; serializes to
//!   the `xianshen.report/1` JSON schema.
//!
//! # Example
//!
//! ```
//! use xianshen::{Approval, Draft, Policy, Screener, Verdict};
//!
//! let policy = Policy::from_toml(r#"
//! [meta]
//! name = "示例单位新媒体审核策略"
//! version = "2026-11-01"
//!
//! [[lexicon]]
//! tag = "drugs"
//! severity = "block"
//! approval = "head"
//! terms = ["出售冰毒"]
//! "#)?;
//! let screener = Screener::from_policy(policy)?;
//! let text = "本店出 售 冰 毒，量大从优";
//! let report = screener.screen(&Draft::new(text));
//! assert_eq!(report.verdict, Verdict::Block);
//! assert_eq!(report.approval, Approval::Head);
//! let finding = &report.findings[0];
//! assert_eq!(finding.rule, "term.drugs");
//! assert_eq!(&text[finding.start..finding.end], "出 售 冰 毒");
//! # Ok::<(), xianshen::PolicyError>(())
//! ```
//!
//! # Pipeline
//!
//! fold each character and step one char-level Aho–Corasick automaton with
//! the result, in one pass (a ring of input offsets maps every match back
//! exactly) → boundary, per-group and allow-list checks → structural
//! detectors near their cues → verdict and approval. See
//! `crates/xianshen/DESIGN.md` in the repository for why it is shaped this
//! way.

#![deny(missing_docs)]

mod automaton;
#[cfg(feature = "bench-internals")]
#[doc(hidden)]
pub mod bench_internals;
mod date;
pub mod digest;
mod draft;
mod error;
mod evasion;
mod matcher;
pub mod names;
mod normalize;
mod policy;
mod redact;
mod report;
pub mod rules;
mod screener;
mod segment;
mod source;
mod span;
mod verdict;
mod windows;

pub use date::{Date, DateError};
pub use draft::{Draft, DraftMeta, Kind, UnknownKind};
pub use error::{InputError, Location, PolicyError, PolicyErrorKind};
pub use evasion::{
    Evasion, EvasionSettings, Reach, HOMOPHONE_MIN_CHANGED, HOMOPHONE_MIN_CHARS, PINYIN_MIN_LETTERS,
};
pub use normalize::{normalize_str, NormalizeOptions, Normalized};
pub use policy::{
    AuditSettings, Boundary, CalendarSettings, Policy, DEFAULT_DEADLINES, DEFAULT_MAX_FINDINGS,
    DEFAULT_MAX_TERM_CHARS, DEFAULT_POLICY_TOML,
};
pub use redact::{redact, Mask};
pub use report::{EngineInfo, Finding, InputInfo, PolicyInfo, Report, TextPosition, REPORT_SCHEMA};
pub use screener::{RuleSetting, Screener, ScreenerBuilder, MAX_INPUT_BYTES};
pub use segment::words;
pub use source::{SourceLink, SourceMap};
pub use span::Span;
pub use verdict::{Approval, Severity, Verdict};
pub use windows::{Window, WindowedScreening, EDGE_CHARS as WINDOW_EDGE_CHARS};

/// This engine's version, as reports give it in `engine.version`.
///
/// # Examples
///
/// ```
/// let report = xianshen::Screener::new().screen_text("你好");
/// assert_eq!(report.engine.version, xianshen::VERSION);
/// ```
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The README's Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeDoctests;

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_traits<T: Send + Sync + std::panic::UnwindSafe + std::panic::RefUnwindSafe>() {}

    #[test]
    fn public_types_are_send_sync_unwind_safe() {
        assert_traits::<Screener>();
        assert_traits::<Policy>();
        assert_traits::<Report>();
        assert_traits::<Finding>();
        assert_traits::<PolicyError>();
        assert_traits::<InputError>();
        assert_traits::<Draft<'static>>();
        assert_traits::<Span>();
        assert_traits::<Normalized>();
        assert_traits::<ScreenerBuilder>();
    }
}
