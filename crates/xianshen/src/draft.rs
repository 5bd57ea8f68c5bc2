//! A draft to screen: the text and its metadata.

/// The text of a draft and what the CMS knows about it.
///
/// # Examples
///
/// ```
/// use xianshen::Draft;
/// let draft = Draft::new("据新华社报道……").repost(true).source("新华社");
/// assert_eq!(draft.source, Some("新华社"));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Draft<'a> {
    /// The body text. Every offset in the report points into it.
    pub text: &'a str,
    /// The title, if any (checked for repost markers).
    pub title: Option<&'a str>,
    /// Whether the CMS marks the draft as a repost (`None`: not known; the
    /// text's own markers decide).
    pub repost: Option<bool>,
    /// The declared source unit (来源), if the CMS has one.
    pub source: Option<&'a str>,
    /// What kind of text this is: the account's own article (the
    /// default), a repost, a comment from the public, a reply to a public
    /// message, or a response to a public-opinion incident.
    pub kind: Kind,
    /// The screening date, for the checks that depend on "today" (a birth
    /// date in an ID number is not in the future); today in UTC when
    /// `None`. The report records the date used.
    pub date: Option<crate::Date>,
}

/// What kind of text a draft is. Detectors weigh evidence by kind: a
/// comment from the public is written by someone who may want to get past
/// the filter, the account's own article is not.
///
/// # Examples
///
/// ```
/// use xianshen::{Draft, Kind};
/// let d = Draft::new("加我薇❤：xyz888").kind(Kind::Comment);
/// assert_eq!(d.kind.as_str(), "comment");
/// assert_eq!("comment".parse::<Kind>(), Ok(Kind::Comment));
/// ```
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// The account's own article or post.
    #[default]
    Article,
    /// A repost of another outlet's item (implies `repost`).
    Repost,
    /// A comment or message from a member of the public (网民留言).
    Comment,
    /// The account's reply to a message from the public.
    Reply,
    /// A response to a public-opinion incident (舆情回应).
    Response,
}

impl Kind {
    /// Every kind, in declaration order.
    pub const ALL: [Kind; 5] = [
        Kind::Article,
        Kind::Repost,
        Kind::Comment,
        Kind::Reply,
        Kind::Response,
    ];

    /// The kind's position in [`Kind::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The kind's name, as the policy file, the CLI and the report spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Article => "article",
            Kind::Repost => "repost",
            Kind::Comment => "comment",
            Kind::Reply => "reply",
            Kind::Response => "response",
        }
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing a [`Kind`] from a name that is not one.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown draft kind {0:?} (expected article, repost, comment, reply or response)")]
pub struct UnknownKind(pub String);

impl std::str::FromStr for Kind {
    type Err = UnknownKind;

    fn from_str(s: &str) -> Result<Kind, UnknownKind> {
        Kind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| UnknownKind(s.to_string()))
    }
}

impl<'a> Draft<'a> {
    /// A draft with only a body.
    pub fn new(text: &'a str) -> Draft<'a> {
        Draft {
            text,
            ..Draft::default()
        }
    }

    /// Sets the title.
    pub fn title(mut self, title: &'a str) -> Self {
        self.title = Some(title);
        self
    }

    /// Marks the draft as a repost (or explicitly not one).
    pub fn repost(mut self, repost: bool) -> Self {
        self.repost = Some(repost);
        self
    }

    /// Sets the kind of text.
    pub fn kind(mut self, kind: Kind) -> Self {
        self.kind = kind;
        self
    }

    /// Whether the draft is a repost by its metadata: `repost` if set,
    /// else whether its kind is [`Kind::Repost`] (`None`: the text decides).
    pub fn declared_repost(&self) -> Option<bool> {
        self.repost.or((self.kind == Kind::Repost).then_some(true))
    }

    /// Sets the screening date.
    ///
    /// ```
    /// use xianshen::{Date, Draft, Screener};
    /// let date: Date = "2026-12-07".parse().unwrap();
    /// let report = Screener::new().screen(&Draft::new("你好").date(date));
    /// assert_eq!(report.date, Some(date));
    /// ```
    pub fn date(mut self, date: crate::Date) -> Self {
        self.date = Some(date);
        self
    }

    /// Sets the declared source unit.
    pub fn source(mut self, source: &'a str) -> Self {
        self.source = Some(source);
        self
    }
}

/// A draft's metadata without its text, owned, so that it can cross
/// threads and outlive the text it is screened with: what a CMS, a JSONL
/// record or a command line says about a draft.
///
/// # Examples
///
/// ```
/// use xianshen::{DraftMeta, Kind};
/// let meta = DraftMeta { title: Some("转发".into()), kind: Some(Kind::Repost), ..DraftMeta::default() };
/// let draft = meta.draft("据新华社报道……");
/// assert_eq!((draft.title, draft.kind), (Some("转发"), Kind::Repost));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DraftMeta {
    /// The title, if any.
    pub title: Option<String>,
    /// Repost flag (`None`: the text's markers decide).
    pub repost: Option<bool>,
    /// Declared source unit.
    pub source: Option<String>,
    /// What kind of text it is (`None`: an article, the default).
    pub kind: Option<Kind>,
    /// The screening date (`None`: today in UTC when screened).
    pub date: Option<crate::Date>,
}

impl DraftMeta {
    /// This metadata, with what it does not say taken from `defaults`
    /// (a JSONL record's fields over the command line's).
    ///
    /// ```
    /// use xianshen::DraftMeta;
    /// let record = DraftMeta { title: Some("通知".into()), ..DraftMeta::default() };
    /// let given = DraftMeta { title: Some("x".into()), repost: Some(true), ..DraftMeta::default() };
    /// let meta = record.or(&given);
    /// assert_eq!((meta.title.as_deref(), meta.repost), (Some("通知"), Some(true)));
    /// ```
    pub fn or(self, defaults: &DraftMeta) -> DraftMeta {
        DraftMeta {
            title: self.title.or_else(|| defaults.title.clone()),
            repost: self.repost.or(defaults.repost),
            source: self.source.or_else(|| defaults.source.clone()),
            kind: self.kind.or(defaults.kind),
            date: self.date.or(defaults.date),
        }
    }

    /// A [`Draft`] of `text` with this metadata.
    pub fn draft<'a>(&'a self, text: &'a str) -> Draft<'a> {
        Draft {
            text,
            title: self.title.as_deref(),
            repost: self.repost,
            source: self.source.as_deref(),
            kind: self.kind.unwrap_or_default(),
            date: self.date,
        }
    }
}
