//! Archive audit of official new-media accounts: what an inspection of
//! an account checks beyond single drafts.
//!
//! - **cadence**: posts per ISO week, every week without a post, every gap
//!   of `severe_gap_days` (14) days or more without an update, the longest
//!   gap ([`cadence`]);
//! - **replies**: each message from the public against the deadline of its
//!   category in working days, on the State Council's holiday arrangements
//!   with their make-up working days ([`calendar`], [`replies`]);
//! - **boilerplate replies**: the same or nearly the same reply sent to
//!   many messages, and replies that share no content word with their
//!   message ([`boilerplate`]);
//! - **content**: every post screened with the policy, aggregated per
//!   account and month ([`content`]).
//!
//! [`Audit::run`] reads the archive ([`AuditInput`]: posts and messages as
//! JSONL or CSV, streamed in batches) and returns an [`Audit`], which
//! serializes to JSON (`xianshen.audit/1`), CSV tables
//! ([`Audit::to_csv_tables`]) and one self-contained HTML page
//! ([`Audit::to_html`]). A record that cannot be read is listed in
//! [`Audit::errors`] with its file and line, and the rest is audited.
//!
//! # Example
//!
//! ```
//! use xianshen_audit::{Audit, AuditInput, AuditOptions, InputFormat, InputSource};
//!
//! let posts = "\
//! {\"account\":\"某大学\",\"published\":\"2026-03-02T09:00:00+08:00\",\"title\":\"开学\",\"text\":\"新学期开学典礼举行\"}
//! {\"account\":\"某大学\",\"published\":\"2026-03-20 10:00\",\"text\":\"春季运动会报名开始\"}
//! not json
//! ";
//! let input = AuditInput {
//!     posts: vec![InputSource::from_text("posts.jsonl", InputFormat::Jsonl, posts)],
//!     messages: vec![],
//! };
//! let screener = xianshen::Screener::new();
//! let options = AuditOptions {
//!     from: "2026-03-01".parse().ok(),
//!     to: "2026-03-31".parse().ok(),
//!     audit_date: "2026-04-01".parse().ok(),
//!     ..AuditOptions::default()
//! };
//! let audit = Audit::run(input, &screener, &screener.policy().audit(), &options)?;
//! let cadence = &audit.cadence[0];
//! assert_eq!(cadence.posts, 2);
//! assert_eq!(cadence.severe_gaps[0].days, 17); // 3-19 March
//! assert_eq!(audit.errors[0].line, 3);
//! assert!(audit.to_html().contains("<svg"));
//! # Ok::<(), xianshen_audit::AuditError>(())
//! ```

#![deny(missing_docs)]

mod audit;
pub mod boilerplate;
pub mod cadence;
pub mod calendar;
pub mod content;
mod csv_out;
mod error;
mod html;
mod input;
pub mod replies;
mod scan;
mod time;

pub use audit::{
    AccountSummary, Audit, AuditOptions, Boilerplate, BoilerplateGroup, Content, InputCounts,
    Inputs, OffTopicReply, Period, Replies, SettingsUsed, AUDIT_SCHEMA,
};
pub use cadence::{AccountCadence, Gap, WeekCount};
pub use calendar::{CalendarLineError, WorkCalendar, YearNotCovered};
pub use content::{ContentItem, ContentMonth, ItemFinding};
pub use error::{AuditError, RecordError, RecordErrorKind};
pub use input::{AuditInput, FieldMap, InputFormat, InputSource, MessageFields, PostFields};
pub use replies::{CategorySummary, MessageAudit, ReplyStatus};
pub use time::{TimeError, Timestamp};

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_traits<T: Send + Sync + std::panic::UnwindSafe + std::panic::RefUnwindSafe>() {}

    #[test]
    fn public_types_are_send_sync_unwind_safe() {
        assert_traits::<Audit>();
        assert_traits::<AuditOptions>();
        // An I/O error inside is not unwind safe; Send + Sync suffice.
        fn send_sync<T: Send + Sync + 'static>() {}
        send_sync::<AuditError>();
        assert_traits::<RecordError>();
        assert_traits::<WorkCalendar>();
        assert_traits::<FieldMap>();
        assert_traits::<Timestamp>();
    }
}
