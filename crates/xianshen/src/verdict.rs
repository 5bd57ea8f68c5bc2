//! Severity, approval level and the verdict computed from findings.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How serious a finding is.
///
/// Ordered: `Info < Review < Block`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing (a style suggestion); does not change the verdict.
    Info,
    /// A person must look at it before publishing.
    Review,
    /// Must not be published as it is.
    Block,
}

/// Who must sign off before publishing (分级审核).
///
/// Ordered: `Reviewer < Head < Leadership`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Approval {
    /// The unit's reviewer (审核员): every item.
    Reviewer,
    /// The unit's head (单位主要负责人): important or sensitive items.
    Head,
    /// City leadership (市领导): major or emergency events.
    Leadership,
}

/// The decision for a whole draft.
///
/// Ordered: `Pass < Review < Block`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// No review or block finding.
    Pass,
    /// At least one review finding and no block finding.
    Review,
    /// At least one block finding.
    Block,
}

impl Verdict {
    /// The verdict implied by the severities of a draft's findings: `Block`
    /// if any is `Block`, else `Review` if any is `Review`, else `Pass`.
    ///
    /// # Examples
    ///
    /// ```
    /// use xianshen::{Severity, Verdict};
    /// assert_eq!(Verdict::from_severities([Severity::Info, Severity::Review]), Verdict::Review);
    /// assert_eq!(Verdict::from_severities([]), Verdict::Pass);
    /// ```
    pub fn from_severities(severities: impl IntoIterator<Item = Severity>) -> Verdict {
        severities
            .into_iter()
            .map(|s| match s {
                Severity::Info => Verdict::Pass,
                Severity::Review => Verdict::Review,
                Severity::Block => Verdict::Block,
            })
            .max()
            .unwrap_or(Verdict::Pass)
    }

    /// The process exit status the CLI uses for this verdict (0, 1, 2).
    pub fn exit_code(self) -> i32 {
        match self {
            Verdict::Pass => 0,
            Verdict::Review => 1,
            Verdict::Block => 2,
        }
    }
}

impl Approval {
    /// The highest approval asked for, `Reviewer` when nothing asks more:
    /// every item is reviewed before it is published.
    ///
    /// # Examples
    ///
    /// ```
    /// use xianshen::Approval;
    /// assert_eq!(Approval::required([None, Some(Approval::Head)]), Approval::Head);
    /// assert_eq!(Approval::required([]), Approval::Reviewer);
    /// ```
    pub fn required(asked: impl IntoIterator<Item = Option<Approval>>) -> Approval {
        asked
            .into_iter()
            .flatten()
            .max()
            .unwrap_or(Approval::Reviewer)
    }
}

macro_rules! display_as_lowercase {
    ($t:ty { $($v:ident => $s:literal),* }) => {
        impl $t {
            /// The lowercase name used in policies and reports.
            pub fn as_str(self) -> &'static str {
                match self { $(<$t>::$v => $s),* }
            }
        }
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

display_as_lowercase!(Severity { Info => "info", Review => "review", Block => "block" });
display_as_lowercase!(Approval { Reviewer => "reviewer", Head => "head", Leadership => "leadership" });
display_as_lowercase!(Verdict { Pass => "pass", Review => "review", Block => "block" });
