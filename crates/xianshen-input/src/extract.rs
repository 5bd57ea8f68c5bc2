//! The text a reader sees, from HTML or Markdown, with an exact map from
//! every byte of that text back to the source.

use crate::InputError;
use std::cell::RefCell;
use std::ops::Range;

/// One piece of extracted text and where it came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Segment {
    /// Start in the extracted text.
    out: usize,
    /// Length in the extracted text.
    out_len: usize,
    /// Start in the source.
    src: usize,
    /// Length in the source.
    src_len: usize,
    /// Byte for byte (same length, same char boundaries): offsets inside
    /// map one to one. Otherwise the piece maps to its whole source range
    /// (a decoded entity, a line break standing for a tag).
    exact: bool,
}

/// Maps byte offsets of extracted text to byte offsets of its source.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OffsetMap {
    segments: Vec<Segment>,
}

impl OffsetMap {
    fn find(&self, at: usize) -> Option<&Segment> {
        let i = self.segments.partition_point(|s| s.out + s.out_len <= at);
        self.segments.get(i)
    }

    /// The source offset where the extracted char at `at` begins.
    pub fn map_start(&self, at: usize) -> usize {
        match self.find(at) {
            Some(s) if s.exact => s.src + (at - s.out),
            Some(s) => s.src,
            None => self.segments.last().map_or(0, |s| s.src + s.src_len),
        }
    }

    /// The source offset where the extracted text ending at `at` ends.
    pub fn map_end(&self, at: usize) -> usize {
        if at == 0 {
            return self.segments.first().map_or(0, |s| s.src);
        }
        match self.find(at - 1) {
            Some(s) if s.exact => s.src + (at - s.out),
            Some(s) => s.src + s.src_len,
            None => self.segments.last().map_or(0, |s| s.src + s.src_len),
        }
    }

    /// Source range of an extracted range.
    pub fn map(&self, range: Range<usize>) -> Range<usize> {
        let start = self.map_start(range.start);
        let end = self.map_end(range.end).max(start);
        start..end
    }
}

impl xianshen::SourceMap for OffsetMap {
    fn source_range(&self, range: Range<usize>) -> Range<usize> {
        self.map(range)
    }
}

/// A link target found in markup (`href`, `src`, a Markdown destination):
/// the core's [`xianshen::SourceLink`].
pub use xianshen::SourceLink as Link;

/// Text extracted from markup, its offset map and its links.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Extracted {
    /// What a reader sees: markup dropped, entities decoded, block
    /// elements as line breaks.
    pub text: String,
    /// From `text` offsets to source offsets.
    pub map: OffsetMap,
    /// Link targets, in source order.
    pub links: Vec<Link>,
}

impl Extracted {
    /// Plain text: the text is the source.
    pub fn plain(source: &str) -> Extracted {
        let mut e = Extracted::default();
        e.push_exact(source, 0);
        e
    }

    fn push_exact(&mut self, s: &str, src: usize) {
        if s.is_empty() {
            return;
        }
        self.push_segment(s, src, s.len(), true);
    }

    fn push_replaced(&mut self, s: &str, src: Range<usize>) {
        self.push_segment(s, src.start, src.end - src.start, false);
    }

    fn push_segment(&mut self, s: &str, src: usize, src_len: usize, exact: bool) {
        let out = self.text.len();
        self.text.push_str(s);
        if let Some(last) = self.segments_mut().last_mut() {
            if exact
                && last.exact
                && last.out + last.out_len == out
                && last.src + last.src_len == src
            {
                last.out_len += s.len();
                last.src_len += src_len;
                return;
            }
        }
        self.segments_mut().push(Segment {
            out,
            out_len: s.len(),
            src,
            src_len,
            exact,
        });
    }

    fn segments_mut(&mut self) -> &mut Vec<Segment> {
        &mut self.map.segments
    }

    /// A line break for a block boundary, unless the text already ends
    /// with one (or is empty).
    /// Text that pulldown-cmark read from `source[range]` with its line
    /// ends normalized and code indentation stripped: each line found in
    /// place maps exactly, its line break to the source's `\n` or `\r\n`;
    /// what cannot be found maps to the rest of the range.
    fn push_lines(&mut self, text: &str, source: &str, range: Range<usize>) {
        let mut from = range.start;
        for line in text.split_inclusive('\n') {
            let (body, newline) = match line.strip_suffix('\n') {
                Some(body) => (body, true),
                None => (line, false),
            };
            match source[from..range.end].find(body) {
                Some(at) => {
                    self.push_exact(body, from + at);
                    from += at + body.len();
                }
                None => {
                    self.push_replaced(line, from..range.end);
                    from = range.end;
                    continue;
                }
            }
            if newline {
                let rest = &source[from..range.end];
                if rest.starts_with('\n') {
                    self.push_exact("\n", from);
                    from += 1;
                } else if rest.starts_with("\r\n") {
                    self.push_replaced("\n", from..from + 2);
                    from += 2;
                } else {
                    self.push_replaced("\n", from..from);
                }
            }
        }
    }

    fn push_break(&mut self, src: Range<usize>) {
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.push_replaced("\n", src);
        }
    }

    /// Raw text with character references: decoded pieces map to their
    /// reference, the rest byte for byte. Source line breaks and tabs read
    /// as spaces unless `keep_lines` (a reader sees HTML whitespace as one
    /// space; `<pre>` keeps lines).
    fn push_text_with_entities(&mut self, raw: &str, base: usize, keep_lines: bool) {
        let bytes = raw.as_bytes();
        let mut plain_from = 0;
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'&' {
                if let Some((decoded, len)) = decode_entity(&raw[i..]) {
                    self.push_plain(&raw[plain_from..i], base + plain_from, keep_lines);
                    let mut buf = [0u8; 4];
                    self.push_replaced(decoded.encode_utf8(&mut buf), base + i..base + i + len);
                    i += len;
                    plain_from = i;
                    continue;
                }
            }
            i += 1;
        }
        self.push_plain(&raw[plain_from..], base + plain_from, keep_lines);
    }

    fn push_plain(&mut self, s: &str, src: usize, keep_lines: bool) {
        if keep_lines || !s.contains(['\n', '\r', '\t']) {
            self.push_exact(s, src);
        } else {
            // Same length, same char boundaries: still byte for byte.
            let spaced: String = s
                .chars()
                .map(|c| {
                    if matches!(c, '\n' | '\r' | '\t') {
                        ' '
                    } else {
                        c
                    }
                })
                .collect();
            self.push_segment(&spaced, src, s.len(), true);
        }
    }
}

/// Named references a CMS actually writes. Unknown names stay as written,
/// as a browser shows them.
const NAMED: &[(&str, char)] = &[
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("nbsp", '\u{a0}'),
    ("ensp", '\u{2002}'),
    ("emsp", '\u{2003}'),
    ("thinsp", '\u{2009}'),
    ("zwnj", '\u{200c}'),
    ("zwj", '\u{200d}'),
    ("shy", '\u{ad}'),
    ("copy", '©'),
    ("reg", '®'),
    ("trade", '™'),
    ("middot", '·'),
    ("bull", '•'),
    ("hellip", '…'),
    ("mdash", '—'),
    ("ndash", '–'),
    ("lsquo", '‘'),
    ("rsquo", '’'),
    ("ldquo", '“'),
    ("rdquo", '”'),
    ("laquo", '«'),
    ("raquo", '»'),
    ("times", '×'),
    ("divide", '÷'),
    ("deg", '°'),
    ("plusmn", '±'),
    ("yen", '¥'),
    ("euro", '€'),
    ("pound", '£'),
    ("cent", '¢'),
    ("sect", '§'),
    ("para", '¶'),
    ("star", '☆'),
    ("starf", '★'),
    ("bigstar", '★'),
    ("larr", '←'),
    ("rarr", '→'),
    ("uarr", '↑'),
    ("darr", '↓'),
    ("hearts", '♥'),
    ("permil", '‰'),
    ("prime", '′'),
    ("Prime", '″'),
];

/// `text` escaped for HTML content and quoted attribute values (`&`, `<`,
/// `>`, `"`, `'`): what the HTML reports write.
///
/// ```
/// assert_eq!(xianshen_input::escape_html("<a href='x'>&\"</a>"), "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;");
/// ```
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Decodes the character reference at the start of `s` (`&amp;`, `&#20986;`,
/// `&#x51FA;`); returns the char and the reference's length in bytes.
pub fn decode_entity(s: &str) -> Option<(char, usize)> {
    let rest = s.strip_prefix('&')?;
    let end = rest.find(';').filter(|&e| e <= 32)?;
    let body = &rest[..end];
    let c = if let Some(num) = body.strip_prefix('#') {
        let n = if let Some(hex) = num.strip_prefix(['x', 'X']) {
            u32::from_str_radix(hex, 16).ok()?
        } else {
            num.parse::<u32>().ok()?
        };
        char::from_u32(n).filter(|&c| c != '\0')?
    } else {
        NAMED.iter().find(|(name, _)| *name == body)?.1
    };
    Some((c, end + 2))
}

/// Elements whose start and end read as a line break.
/// Open block elements whose end gets a line break; deeper ones get none
/// (see the element handler: tracking costs grow with every open level).
const MAX_TRACKED_BLOCKS: usize = 256;

const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "td",
    "th",
    "title",
    "tr",
    "ul",
    "caption",
    "body",
    "head",
    "html",
];

/// Elements whose content a reader never sees.
const HIDDEN: &[&str] = &["script", "style", "template", "noscript", "head"];

/// Attributes that hold link targets.
const LINK_ATTRS: &[&str] = &["href", "src", "action", "poster", "data-src", "data-href"];

/// Extracts what a reader sees from an HTML document or fragment.
///
/// # Errors
///
/// [`InputError::Html`] if the parser gives up (it accepts any HTML a
/// browser accepts, so in practice only on memory limits).
///
/// # Examples
///
/// ```
/// let src = "<p>本店<b>出售</b>冰毒 &amp; 大麻</p><a href=\"https://shop.example/\">店</a>";
/// let e = xianshen_input::extract_html(src, 0).unwrap();
/// assert_eq!(e.text, "本店出售冰毒 & 大麻\n店");
/// let at = e.text.find("出售").unwrap();
/// assert_eq!(&src[e.map.map(at..at + "出售冰毒".len())], "出售</b>冰毒");
/// assert_eq!(e.links[0].url, "https://shop.example/");
/// ```
pub fn extract_html(source: &str, base: usize) -> Result<Extracted, InputError> {
    use lol_html::{element, text, HtmlRewriter, Settings};
    use std::rc::Rc;

    let state = Rc::new(RefCell::new(HtmlState::default()));
    let text_state = Rc::clone(&state);
    let el_state = Rc::clone(&state);
    {
        let mut rewriter = HtmlRewriter::new(
            Settings {
                element_content_handlers: vec![
                    element!("*", |el| {
                        let opened = el_state.borrow_mut().open(el, source, base);
                        if let Some(opened) = opened {
                            if let Some(handlers) = el.end_tag_handlers() {
                                el_state.borrow_mut().enter(opened);
                                let state = Rc::clone(&el_state);
                                handlers.push(Box::new(move |end| {
                                    let loc = end.source_location().bytes();
                                    state
                                        .borrow_mut()
                                        .close(opened, base + loc.start..base + loc.end);
                                    Ok(())
                                }));
                            }
                        }
                        Ok(())
                    }),
                    text!("*", |t| {
                        text_state.borrow_mut().text(t, source, base);
                        Ok(())
                    }),
                ],
                ..Settings::new()
            },
            |_: &[u8]| {},
        );
        rewriter
            .write(source.as_bytes())
            .and_then(|()| rewriter.end())
            .map_err(|e| InputError::Html(e.to_string()))?;
    }
    let out = std::mem::take(&mut state.borrow_mut().out);
    Ok(out)
}

/// What [`extract_html`] has extracted so far, and how deep it is inside
/// hidden, preformatted and block elements.
#[derive(Default)]
struct HtmlState {
    out: Extracted,
    hidden: usize,
    pre: usize,
    tracked_blocks: usize,
}

/// What an element whose end tag is tracked opened.
#[derive(Clone, Copy)]
struct Opened {
    hidden: bool,
    pre: bool,
    block: bool,
}

impl HtmlState {
    /// A start tag: a line break for a block, its link targets; returns
    /// what its end tag must undo, if it is tracked.
    ///
    /// Only outermost hidden and pre elements need tracking (a nested one
    /// changes nothing), and block line breaks only for the first levels:
    /// every end-tag handler lol_html holds costs on each later end tag,
    /// so tracking every level made closed nesting quadratic in its depth.
    fn open(
        &mut self,
        el: &lol_html::html_content::Element<'_, '_>,
        source: &str,
        base: usize,
    ) -> Option<Opened> {
        let name = el.tag_name();
        let loc = el.source_location().bytes();
        let block = BLOCKS.contains(&name.as_str());
        if block {
            self.out.push_break(base + loc.start..base + loc.end);
        }
        self.links(el, source, base);
        let opened = Opened {
            hidden: HIDDEN.contains(&name.as_str()) && self.hidden == 0,
            pre: matches!(name.as_str(), "pre" | "textarea" | "listing") && self.pre == 0,
            block: block && self.tracked_blocks < MAX_TRACKED_BLOCKS,
        };
        let track = (opened.block || opened.hidden || opened.pre) && !el.is_self_closing();
        track.then_some(opened)
    }

    /// The link targets among an element's attributes.
    fn links(&mut self, el: &lol_html::html_content::Element<'_, '_>, source: &str, base: usize) {
        for attr in el.attributes() {
            if !LINK_ATTRS.contains(&attr.name().as_str()) {
                continue;
            }
            let Some(vloc) = attr.value_source_location() else {
                continue;
            };
            let v = vloc.bytes();
            let url = attr.value();
            if url.trim().is_empty() {
                continue;
            }
            self.out.links.push(Link {
                exact: url == source[v.clone()],
                url,
                span: base + v.start..base + v.end,
            });
        }
    }

    /// Inside a tracked element.
    fn enter(&mut self, o: Opened) {
        self.hidden += usize::from(o.hidden);
        self.pre += usize::from(o.pre);
        self.tracked_blocks += usize::from(o.block);
    }

    /// Its end tag at `src`.
    fn close(&mut self, o: Opened, src: Range<usize>) {
        self.hidden -= usize::from(o.hidden);
        self.pre -= usize::from(o.pre);
        self.tracked_blocks -= usize::from(o.block);
        if o.block {
            self.out.push_break(src);
        }
    }

    /// A text chunk: kept unless hidden or not data, entities decoded.
    fn text(&mut self, t: &lol_html::html_content::TextChunk<'_>, source: &str, base: usize) {
        use lol_html::html_content::TextType;
        if self.hidden > 0 || !matches!(t.text_type(), TextType::Data | TextType::RCData) {
            return;
        }
        let loc = t.source_location().bytes();
        let raw = t.as_str();
        let keep_lines = self.pre > 0;
        if raw.len() == loc.end - loc.start && source.get(loc.clone()) == Some(raw) {
            self.out
                .push_text_with_entities(raw, base + loc.start, keep_lines);
        } else if !raw.is_empty() {
            self.out
                .push_replaced(raw, base + loc.start..base + loc.end);
        }
    }
}

/// Extracts what a reader sees from Markdown (CommonMark with tables,
/// strikethrough and task lists). Inline and block HTML go through
/// [`extract_html`]; link and image destinations (inline and reference
/// definitions) become [`Link`]s.
///
/// # Examples
///
/// ```
/// let src = "# 标题\n\n本店**出售**冰毒，[详情](https://shop.example/a)。\n";
/// let e = xianshen_input::extract_markdown(src);
/// assert_eq!(e.text, "标题\n本店出售冰毒，详情。\n");
/// let at = e.text.find("出售").unwrap();
/// assert_eq!(&src[e.map.map(at..at + "出售冰毒".len())], "出售**冰毒");
/// assert_eq!(&src[e.links[0].span.clone()], "https://shop.example/a");
/// ```
pub fn extract_markdown(source: &str) -> Extracted {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let parser = Parser::new_ext(source, opts);
    let mut out = Extracted::default();
    let mut links: Vec<Link> = Vec::new();
    for (_, def) in parser.reference_definitions().iter() {
        push_link(&mut links, source, &def.dest, def.span.clone());
    }
    for (event, range) in parser.into_offset_iter() {
        match event {
            Event::Text(t) => {
                if source.get(range.clone()) == Some(&*t) {
                    out.push_exact(&t, range.start);
                } else if let Some(at) = source[range.clone()].find(&*t) {
                    out.push_exact(&t, range.start + at);
                } else {
                    out.push_lines(&t, source, range);
                }
            }
            Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                match source[range.clone()].find(&*t) {
                    Some(at) => out.push_exact(&t, range.start + at),
                    None => out.push_replaced(&t, range),
                }
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                let at = if source.get(range.clone()) == Some(&*h) {
                    Some(range.start)
                } else {
                    source[range.clone()].find(&*h).map(|i| range.start + i)
                };
                if let Some(at) = at {
                    if let Ok(inner) = extract_html(&h, at) {
                        for seg in &inner.map.segments {
                            let s = &inner.text[seg.out..seg.out + seg.out_len];
                            out.push_segment(s, seg.src, seg.src_len, seg.exact);
                        }
                        links.extend(inner.links);
                    }
                }
            }
            Event::SoftBreak => match source.get(range.clone()) {
                Some("\n") => out.push_exact("\n", range.start),
                _ => out.push_replaced("\n", range),
            },
            Event::HardBreak | Event::Rule => out.push_break(range),
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => {
                push_link(&mut links, source, &dest_url, range);
            }
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock
                | TagEnd::TableCell
                | TagEnd::TableRow
                | TagEnd::TableHead
                | TagEnd::HtmlBlock,
            ) => out.push_break(range.end..range.end),
            _ => {}
        }
    }
    links.sort_by_key(|l| l.span.start);
    links.dedup_by_key(|l| l.span.clone());
    out.links = links;
    out
}

/// A destination inside `source[range]`; inline links write it after the
/// text, so the last occurrence is the one.
fn push_link(links: &mut Vec<Link>, source: &str, dest: &str, range: Range<usize>) {
    if dest.trim().is_empty() {
        return;
    }
    if let Some(at) = source[range.clone()].rfind(dest) {
        let start = range.start + at;
        links.push(Link {
            url: dest.to_string(),
            span: start..start + dest.len(),
            exact: true,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_map(src: &str, e: &Extracted, needle: &str, expect: &str) {
        let at = e
            .text
            .find(needle)
            .unwrap_or_else(|| panic!("{needle} not in {:?}", e.text));
        assert_eq!(&src[e.map.map(at..at + needle.len())], expect);
    }

    #[test]
    fn html_drops_markup_scripts_and_decodes_entities() {
        let src = "<!doctype html><html><head><title>通知</title><style>p{color:red}</style></head>\n<body><script>var a='出售冰毒';</script>\n<div>第一段&nbsp;出&#21806;冰毒</div><p>第二段<br>我认为</p>\n<img src=\"http://t.cn/abc\"></body></html>";
        let e = extract_html(src, 0).unwrap();
        assert!(!e.text.contains("var a"), "{:?}", e.text);
        assert!(!e.text.contains("color"), "{:?}", e.text);
        assert!(
            e.text.contains("第一段\u{a0}出售冰毒\n第二段\n我认为"),
            "{:?}",
            e.text
        );
        check_map(src, &e, "出售冰毒", "出&#21806;冰毒");
        check_map(src, &e, "我认为", "我认为");
        assert_eq!(e.links.len(), 1);
        assert_eq!(&src[e.links[0].span.clone()], "http://t.cn/abc");
    }

    #[test]
    fn markdown_code_block_with_crlf_lines_maps_line_by_line() {
        let src = "```\r\n本店出售冰毒\r\n联系13812345678\r\n```\r\n";
        let x = extract_markdown(src);
        assert_eq!(x.text, "本店出售冰毒\n联系13812345678\n");
        let at = |needle: &str| {
            let i = x.text.find(needle).unwrap();
            x.map.map(i..i + needle.len())
        };
        assert_eq!(&src[at("出售冰毒")], "出售冰毒");
        assert_eq!(&src[at("13812345678")], "13812345678");
        // Two findings on two lines map to two places, not the whole block.
        let report = crate::screen_extracted(
            &xianshen::Screener::new(),
            src,
            &x,
            &xianshen::DraftMeta::default(),
        );
        for f in &report.findings {
            assert!(f.text.len() < 30, "{f:?}");
        }
    }

    #[test]
    fn markdown_text_code_links_and_html() {
        let src = "前言 `vx123` 结束\n\n> 引用<b>出售</b>冰毒\n\n[a][r]\n\n[r]: http://shop.example/x \"t\"\n";
        let e = extract_markdown(src);
        check_map(src, &e, "vx123", "vx123");
        check_map(src, &e, "出售", "出售");
        assert!(e
            .links
            .iter()
            .any(|l| &src[l.span.clone()] == "http://shop.example/x"));
    }

    #[test]
    fn map_is_monotonic_and_on_char_boundaries() {
        let src = "<p>中&amp;文</p>\n<p>测试</p>";
        let e = extract_html(src, 0).unwrap();
        let mut last = 0;
        for (i, _) in e.text.char_indices().chain([(e.text.len(), ' ')]) {
            let s = e.map.map_start(i.min(e.text.len().saturating_sub(1)));
            assert!(src.is_char_boundary(s));
            assert!(s >= last);
            last = s;
        }
    }
}
