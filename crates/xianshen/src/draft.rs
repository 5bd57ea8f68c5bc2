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

    /// Sets the declared source unit.
    pub fn source(mut self, source: &'a str) -> Self {
        self.source = Some(source);
        self
    }
}
