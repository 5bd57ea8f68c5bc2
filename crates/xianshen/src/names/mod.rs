//! Protected names: the canonical forms of official names (the state, its
//! institutions, the unit's own name), and the near misses that misspell
//! them (`style.name`, a 严重表述错误).
//!
//! A near miss is one edit away from a protected name:
//!
//! - a char replaced by one of the same toneless pinyin (the candidate a
//!   pinyin input method offers next to the right one) or of similar shape,
//!   for names of [`SUBSTITUTE_MIN_CHARS`] or more;
//! - a char dropped or doubled, two adjacent chars swapped, or one char
//!   inserted, for names of [`STRUCTURAL_MIN_CHARS`] or more;
//! - any of these split by noise, as every pattern is.
//!
//! Substitutions, drops, doubles and swaps are expanded into the one
//! automaton when the policy is compiled (`add_patterns`); an inserted
//! char cannot be listed, so the longer part of the name on either side of
//! the insertion is a pattern and the rest is compared in place
//! (`judge`). Every candidate is then judged for precision: not inside a
//! correctly written protected name, not cut across a word (最高人民法院院长
//! is no doubled 院), not a word of its own, not an edge edit whose rest is
//! a word (北京是 is 北京 + 是, not 北京市 misspelt), and not the canonical
//! name wrapped across a line break.

mod tables;

use crate::matcher::{MatcherBuilder, Use};
use crate::normalize::{
    fold_char, is_noise, normalize_str, Folder, NormalizeOptions, SENTENCE_BREAK,
};
use crate::segment;
use crate::Span;
use rustc_hash::FxHashSet;

/// Names of at least this many chars get substitution variants.
pub const SUBSTITUTE_MIN_CHARS: usize = 3;
/// Names of at least this many chars get dropped, doubled, swapped and
/// inserted variants.
pub const STRUCTURAL_MIN_CHARS: usize = 4;

/// Names of at least this many chars find a replaced first char by their
/// rest (`NameForm::FirstReplaced`); shorter ones list it.
const FIRST_REPLACED_MIN_CHARS: usize = 4;

/// Names of at least this many chars get dropped variants: a four-char
/// name less a char is a word and a char that often starts the next word
/// (全国人大 → 全国大市场).
pub const DROP_MIN_CHARS: usize = 5;

/// How a near miss differs from the name it misspells.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NameEdit {
    /// A char replaced by one of the same toneless pinyin (中华人民共合国).
    Soundalike,
    /// A char replaced by one of similar shape (社会主义核心价直观).
    Lookalike,
    /// A char dropped (全国人民代大会).
    Dropped,
    /// A char doubled (国务院院办公厅 is not one: see the module docs).
    Doubled,
    /// Two adjacent chars swapped (全国人民表代大会).
    Swapped,
    /// One char inserted (全国人民代表大大会 is doubled; 全国人民代表的大会).
    Inserted,
}

impl NameEdit {
    /// Every edit, in report order.
    pub const ALL: [NameEdit; 6] = [
        NameEdit::Soundalike,
        NameEdit::Lookalike,
        NameEdit::Dropped,
        NameEdit::Doubled,
        NameEdit::Swapped,
        NameEdit::Inserted,
    ];

    /// A short English name (`soundalike`, `dropped`…), for tools.
    pub fn as_str(self) -> &'static str {
        match self {
            NameEdit::Soundalike => "soundalike",
            NameEdit::Lookalike => "lookalike",
            NameEdit::Dropped => "dropped",
            NameEdit::Doubled => "doubled",
            NameEdit::Swapped => "swapped",
            NameEdit::Inserted => "inserted",
        }
    }

    /// What the editor is told (Chinese).
    fn described(self) -> &'static str {
        match self {
            NameEdit::Soundalike => "同音错字",
            NameEdit::Lookalike => "形近错字",
            NameEdit::Dropped => "漏字",
            NameEdit::Doubled => "重复字",
            NameEdit::Swapped => "字序颠倒",
            NameEdit::Inserted => "多字",
        }
    }
}

/// What a name pattern stands for in the automaton.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NameForm {
    /// The name as written.
    Canonical,
    /// The name with `edit` made at char `at`.
    Variant { edit: NameEdit, at: u8 },
    /// The name's first `at` chars (its first half): a near miss when the
    /// rest of the name follows with one char inserted in it.
    Head { at: u8 },
    /// The name from char `at` on (its second half): a near miss when the
    /// first `at` chars come before with one char inserted in them.
    Tail { at: u8 },
    /// The name without its first char (names of four chars or more): a
    /// near miss when a soundalike or lookalike of that char comes before.
    /// One pattern instead of the dozens of chars that sound or look like
    /// the first.
    FirstReplaced,
}

/// One protected name, folded.
#[derive(Clone, Debug)]
pub(crate) struct ProtectedName {
    /// The canonical form as the policy writes it (the suggestion).
    pub written: String,
    /// Folded with every fold, as the automaton sees it.
    pub folded: Vec<char>,
    /// Its category, when the policy gives one (国家机构…).
    pub category: Option<String>,
}

/// The near misses of `name` that are expanded into the automaton, each
/// with its edit: substitutions, drops, doubles and swaps (an inserted
/// char can be any char, so insertions are not listed). Folded, without
/// the name itself, each once.
///
/// ```
/// use xianshen::names::{near_misses, NameEdit};
/// let misses = near_misses("全国人民代表大会");
/// assert!(misses.contains(&("全国人民代大会".to_string(), NameEdit::Dropped)));
/// assert!(misses.contains(&("全国人民表代大会".to_string(), NameEdit::Swapped)));
/// assert!(misses.iter().any(|(_, e)| *e == NameEdit::Soundalike));
/// ```
pub fn near_misses(name: &str) -> Vec<(String, NameEdit)> {
    let folded: Vec<char> = normalize_str(name, NormalizeOptions::ALL).chars().collect();
    variants(&folded)
        .into_iter()
        .filter_map(|(text, form)| match form {
            NameForm::Variant { edit, .. } => Some((text, edit)),
            _ => None,
        })
        .collect()
}

/// The near-miss variants one name yields, deduplicated, without the name
/// itself: `(text, form)`.
pub(crate) fn variants(name: &[char]) -> Vec<(String, NameForm)> {
    let n = name.len();
    let mut out = Vec::new();
    let mut seen: FxHashSet<String> = FxHashSet::default();
    seen.insert(name.iter().collect());
    let mut push = |chars: Vec<char>, edit: NameEdit, at: usize| {
        let text: String = chars.into_iter().collect();
        if seen.insert(text.clone()) {
            out.push((text, NameForm::Variant { edit, at: at as u8 }));
        }
    };
    if n >= SUBSTITUTE_MIN_CHARS {
        let folder = Folder::new(NormalizeOptions::ALL);
        for at in 0..n {
            let c = name[at];
            for (edit, alikes) in [
                (NameEdit::Soundalike, soundalikes(c)),
                (NameEdit::Lookalike, lookalikes(c)),
            ] {
                for d in alikes
                    .chars()
                    .filter(|&d| d != c && folder.folds_to_itself(d))
                {
                    let mut v = name.to_vec();
                    v[at] = d;
                    push(v, edit, at);
                }
            }
        }
    }
    if n >= STRUCTURAL_MIN_CHARS {
        for at in 0..n {
            // Without its last char a name is mostly a phrase in its own
            // right (应急管理部 → 应急管理, 生态环境部 → 生态环境).
            if at + 1 < n && n >= DROP_MIN_CHARS {
                let mut dropped = name.to_vec();
                dropped.remove(at);
                push(dropped, NameEdit::Dropped, at);
            }
            // A name followed by its last char again is mostly the name
            // and a word (上海市市长, 中国人民解放军军乐团).
            if at + 1 < n {
                let mut doubled = name.to_vec();
                doubled.insert(at, name[at]);
                push(doubled, NameEdit::Doubled, at);
            }
            if at + 1 < n && name[at] != name[at + 1] {
                let mut swapped = name.to_vec();
                swapped.swap(at, at + 1);
                push(swapped, NameEdit::Swapped, at);
            }
        }
    }
    out
}

/// The inserted-char patterns of a name: its first half (an insertion
/// after it is found by reading on) and its second half (an insertion
/// before it, by reading back), each of three chars or more. Two patterns, not one per position: each
/// fires on every correctly written occurrence too, and one a position made
/// the default policy screen at 0.8× its speed on text full of names.
fn insertion_parts(name: &[char]) -> Vec<(String, NameForm)> {
    let n = name.len();
    if n < STRUCTURAL_MIN_CHARS {
        return Vec::new();
    }
    // Halves of at least three chars: two-char ones (全国, 国家, 人大) are
    // among the commonest words of official text. A four-char name so has
    // no pattern for an insertion in its middle.
    let (head, tail) = (n.div_ceil(2).max(3), (n / 2).min(n - 3));
    vec![
        (
            name[..head].iter().collect(),
            NameForm::Head { at: head as u8 },
        ),
        (
            name[tail..].iter().collect(),
            NameForm::Tail { at: tail as u8 },
        ),
    ]
}

/// Adds every protected name, its near-miss variants and its insertion
/// parts to the automaton; returns how many variants were added (the
/// insertion parts count as one variant per position).
pub(crate) fn add_patterns(builder: &mut MatcherBuilder, names: &[ProtectedName]) -> usize {
    let canonical: FxHashSet<String> = names.iter().map(|n| n.folded.iter().collect()).collect();
    let generated: Vec<Vec<(String, NameForm)>> =
        names.iter().map(|n| variants(&n.folded)).collect();
    builder.reserve(generated.iter().map(Vec::len).sum::<usize>() + names.len() * 8);
    let mut count = 0;
    for ((i, name), variants) in names.iter().enumerate().zip(generated) {
        // The rest of a name of four chars or more is a pattern of three or
        // more; for a three-char name it would be a common two-char word
        // (政部 in 财政部门), so its first chars are listed instead.
        let rest_is_pattern = name.folded.len() >= FIRST_REPLACED_MIN_CHARS;
        // A dropped first char leaves the same rest: the FirstReplaced
        // pattern finds both, one hit where there were two.
        let first_replaced = |form: &NameForm| {
            rest_is_pattern
                && matches!(
                    form,
                    NameForm::Variant {
                        edit: NameEdit::Soundalike | NameEdit::Lookalike | NameEdit::Dropped,
                        at: 0
                    }
                )
        };
        let use_of = |form| Use::Name {
            name: i as u32,
            form,
        };
        builder.add(&name.written, use_of(NameForm::Canonical));
        if rest_is_pattern {
            builder.add_folded(
                name.folded[1..].iter().collect(),
                use_of(NameForm::FirstReplaced),
            );
            count += 1;
        }
        for (text, form) in variants {
            // Another protected name is no misspelling of this one.
            if !canonical.contains(&text) && !first_replaced(&form) {
                builder.add_folded(text, use_of(form));
                count += 1;
            }
        }
        for (text, form) in insertion_parts(&name.folded) {
            builder.add_folded(text, use_of(form));
            count += 1;
        }
    }
    count
}

/// Level-one chars of the same toneless pinyin as `c` (its first reading).
fn soundalikes(c: char) -> &'static str {
    crate::evasion::first_syllable(c).map_or("", |s| tables::SOUNDALIKES[s as usize])
}

/// Chars of similar shape to `c`.
fn lookalikes(c: char) -> &'static str {
    tables::LOOKALIKES
        .binary_search_by_key(&c, |&(k, _)| k)
        .map_or("", |i| tables::LOOKALIKES[i].1)
}

/// A hit of a name pattern, as the matcher found it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct NameHit {
    pub name: u32,
    pub form: NameForm,
    pub span: Span,
}

/// A near miss that passed every check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct NearMiss {
    pub name: u32,
    pub edit: NameEdit,
    pub span: Span,
}

/// Judges the name hits of one draft and returns the near misses, at most
/// one per span.
pub(crate) fn judge(input: &str, names: &[ProtectedName], hits: &[NameHit]) -> Vec<NearMiss> {
    let canonical = CanonicalSpans::new(hits);
    // Most name hits are parts of a correctly written name: its prefixes
    // and suffixes are insertion patterns, and a correct name holds no
    // insertion, nor another char before its rest.
    let mut starts: FxHashSet<(u32, usize)> = FxHashSet::default();
    let mut ends: FxHashSet<(u32, usize)> = FxHashSet::default();
    for h in hits.iter().filter(|h| h.form == NameForm::Canonical) {
        starts.insert((h.name, h.span.start));
        ends.insert((h.name, h.span.end));
    }
    let part_of_written = |hit: &NameHit| match hit.form {
        NameForm::Head { .. } => starts.contains(&(hit.name, hit.span.start)),
        NameForm::Tail { .. } | NameForm::FirstReplaced => ends.contains(&(hit.name, hit.span.end)),
        _ => false,
    };
    let mut out: Vec<NearMiss> = Vec::new();
    let mut seen: rustc_hash::FxHashMap<Span, usize> = Default::default();
    for hit in hits {
        if hit.form == NameForm::Canonical || part_of_written(hit) {
            continue;
        }
        let name = &names[hit.name as usize];
        let (edit, span, at) = match hit.form {
            NameForm::Canonical => continue,
            NameForm::Variant { edit, at } => (edit, hit.span, at as usize),
            NameForm::Head { at } => {
                let rest = &name.folded[at as usize..];
                match forward_with_one_inserted(input, hit.span.end, rest) {
                    Some((end, before)) => (
                        NameEdit::Inserted,
                        Span::new(hit.span.start, end),
                        at as usize + before,
                    ),
                    None => continue,
                }
            }
            NameForm::FirstReplaced => match first_replaced(input, hit.span.start, name) {
                Some((edit, start)) => (edit, Span::new(start, hit.span.end), 0),
                None if name.folded.len() >= DROP_MIN_CHARS => (NameEdit::Dropped, hit.span, 0),
                None => continue,
            },
            NameForm::Tail { at } => {
                let first = &name.folded[..at as usize];
                match backward_with_one_inserted(input, hit.span.start, first) {
                    Some((start, after)) => (
                        NameEdit::Inserted,
                        Span::new(start, hit.span.end),
                        at as usize - after,
                    ),
                    None => continue,
                }
            }
        };
        // One finding a span; of two readings the more specific edit
        // (a doubled char is also an inserted one).
        if let Some(&i) = seen.get(&span) {
            let same: &mut NearMiss = &mut out[i];
            same.edit = same.edit.min(edit);
            continue;
        }
        if canonical.covers(span)
            || canonical.then_one_char(input, span)
            || wrapped_canonical(input, span, &name.folded)
            || !stands_as_name(input, span, name, edit, at)
        {
            continue;
        }
        seen.insert(span, out.len());
        out.push(NearMiss {
            name: hit.name,
            edit,
            span,
        });
    }
    out
}

/// The spans of correctly written protected names in a draft, sorted by
/// start with the running maximum of their ends: "is this inside one?" in
/// O(log n), however many names a long text holds.
struct CanonicalSpans {
    spans: Vec<Span>,
    max_end: Vec<usize>,
}

impl CanonicalSpans {
    fn new(hits: &[NameHit]) -> CanonicalSpans {
        let mut spans: Vec<Span> = hits
            .iter()
            .filter(|h| h.form == NameForm::Canonical)
            .map(|h| h.span)
            .collect();
        spans.sort_unstable();
        let max_end = spans
            .iter()
            .scan(0, |m, s| {
                *m = s.end.max(*m);
                Some(*m)
            })
            .collect();
        CanonicalSpans { spans, max_end }
    }

    /// Whether a correct name covers `span` (a near miss inside a longer
    /// correct name is part of it).
    fn covers(&self, span: Span) -> bool {
        let n = self.spans.partition_point(|s| s.start <= span.start);
        n > 0 && self.max_end[n - 1] >= span.end
    }

    /// Whether a correct name starts where `span` does and leaves exactly
    /// one char of it: the name and the start of the next word
    /// (中国人民解放军军歌), whatever longer name it also nearly is.
    fn then_one_char(&self, input: &str, span: Span) -> bool {
        let from = self.spans.partition_point(|s| s.start < span.start);
        self.spans[from..]
            .iter()
            .take_while(|s| s.start == span.start)
            .any(|s| s.end < span.end && input[s.end..span.end].chars().count() == 1)
    }
}

/// Whether a candidate reads as the name misspelt rather than as other
/// words. It does not when
///
/// - a clause mark or bracket falls inside it (国家安全、不 is two phrases);
/// - it is not exactly a run of jieba words in its context (最高人民法院院长,
///   中央委 in 中央委员会), unless only its end is crossed, the edit is
///   two chars or more from it and the name written there would stand
///   (中华人共民和|国防减灾法 is the name misspelt and re-cut);
/// - it is a word, or reads as words of two chars or more (国家全部);
/// - a numeral touches the edit (四川省 → 四省, 黑龙江三省 count things);
/// - an edit at either end of the name leaves a word standing (北京是
///   reads 北京 + 是);
/// - a conjunction or particle between two words of the name is dropped
///   (人力资源社会保障部 is the official short form), not one inside a
///   word (中华人民共国 drops the 和 of 共和);
/// - a char is inserted between two words of the name (中华人民共和国副主席
///   and 特别行政区的政府 are other phrases), not inside one.
fn stands_as_name(
    input: &str,
    span: Span,
    name: &ProtectedName,
    edit: NameEdit,
    at: usize,
) -> bool {
    if input[span].chars().any(is_clause_mark) {
        return false;
    }
    let n = name.folded.len();
    // The candidate must be a run of words where it stands: a word across
    // its start takes its first char (地级以上|市人民政府 holds no
    // 上海市人民政府), one across its end its last (国家卫生健康委|会同).
    let (start_crossed, end_crossed) = segment::crossed_ends(input, span);
    // jieba re-cuts a misspelt name with what follows (中华人共民和|国防
    // 减灾法) where it keeps the written name whole. When the edit leaves
    // the name's last two chars as they are, and the name written in its
    // place would stand as words there, the crossed end is that re-cut.
    // Not so for a crossed start (地级以|上市人民政府 is no 上海市 less
    // 海), nor for an edit next to the end (国家卫生健康委|会同).
    let fits = match (start_crossed, end_crossed) {
        (false, false) => true,
        (false, true) => {
            let last_edited =
                at + usize::from(matches!(edit, NameEdit::Swapped | NameEdit::Doubled));
            let len = input[span].chars().count();
            last_edited + 3 <= len
                && segment::crossed_ends_with(input, span, &name.written) == (false, false)
        }
        _ => false,
    };
    if !fits {
        return false;
    }
    let folded = normalize_str(&input[span], NormalizeOptions::ALL);
    let chars: Vec<char> = folded.chars().collect();
    // A short candidate that is words (国家全部) is those words; a long
    // one that happens to cut into words (华中人民共和国) is still the name.
    if segment::is_word(&folded)
        || (chars.len() <= SHORT_CANDIDATE_CHARS && segment::reads_as_words(&folded))
    {
        return false;
    }
    let around = &chars[at.saturating_sub(1)..(at + 2).min(chars.len())];
    if edit != NameEdit::Inserted && around.iter().any(|&c| is_numeral(c)) {
        return false;
    }
    // Without its conjunction a name is its official short form
    // (人力资源社会保障部, 住房城乡建设部).
    if edit == NameEdit::Dropped
        && GRAMMAR_CHARS.contains(name.folded[at])
        && !inside_part(&name.folded, at)
    {
        return false;
    }
    let at_edge = at == 0 || at + 1 == n;
    if matches!(
        edit,
        NameEdit::Soundalike | NameEdit::Lookalike | NameEdit::Dropped
    ) && at_edge
    {
        let rest: String = (0..n)
            .filter(|&i| i != at)
            .map(|i| name.folded[i])
            .collect();
        // 北京是 is 北京 + 是; 上海施 is no phrase.
        let replaced_by_free = edit != NameEdit::Dropped && is_free_char(chars[at]);
        if segment::is_word(&rest) && (edit == NameEdit::Dropped || replaced_by_free) {
            return false;
        }
    }
    if edit == NameEdit::Inserted {
        let inserted = chars[at];
        // Before the last char, its own copy is the name followed by a
        // word (中华人民共和国国史学会), as a doubled last char is.
        let last_again = at + 1 == n && inserted == name.folded[n - 1];
        // Between two words of the name any char makes another phrase
        // (中华人民共和国|副|主席); between two parts of one word, a particle,
        // a modifier or a numeral does (黑龙江|等|省, 黑龙江|三|省), while
        // inside a part it is a slip (中华人民共小和国).
        let written: String = name.folded.iter().collect();
        let at_part_bound = || segment::subword_bounds(&written).contains(&at);
        let phrase_char = GRAMMAR_CHARS.contains(inserted) || is_numeral(inserted);
        if last_again
            || segment::word_starts(&written).contains(&at)
            || (phrase_char && at_part_bound())
        {
            return false;
        }
    }
    true
}

/// Whether char `at` of `name` lies inside a dictionary word of the name
/// (和 in 共和 of 中华人民共和国), not between two (人力资源|和|社会保障部,
/// whose official short form drops it).
fn inside_part(name: &[char], at: usize) -> bool {
    let written: String = name.iter().collect();
    segment::subwords(&written)
        .iter()
        .any(|part| part.start <= at && at < part.end)
}

/// Whether `c` is a frequent word of its own (是, 的, 市).
fn is_free_char(c: char) -> bool {
    tables::FREE_CHARS.binary_search(&c).is_ok()
}

/// Candidates of at most this many chars that read as words are words.
const SHORT_CANDIDATE_CHARS: usize = 4;

/// Particles, conjunctions, determiners and modifiers: inserted into a
/// name they make another phrase (澳门特别行政区的政府, 黑龙江等省,
/// 中华人民共和国副主席), not a misspelling.
const GRAMMAR_CHARS: &str = "的地得之和与及或等各该本其副原前新总大小全两这那此每省市县区";

/// Marks that end a clause or open or close a bracket: a span across one
/// is two phrases, not one name.
fn is_clause_mark(c: char) -> bool {
    matches!(
        c,
        '，' | ','
            | '、'
            | '。'
            | '.'
            | '；'
            | ';'
            | '：'
            | ':'
            | '？'
            | '?'
            | '！'
            | '!'
            | '（'
            | '）'
            | '('
            | ')'
            | '【'
            | '】'
            | '['
            | ']'
            | '《'
            | '》'
            | '〈'
            | '〉'
            | '“'
            | '”'
            | '‘'
            | '’'
            | '"'
            | '\''
            | '「'
            | '」'
            | '『'
            | '』'
            | '/'
            | '／'
    )
}

/// ASCII digits and the Chinese numerals.
fn is_numeral(c: char) -> bool {
    c.is_ascii_digit() || crate::matcher::is_chinese_numeral(c)
}

/// Whether the canonical name is written at `span`'s start or end when
/// line breaks count as noise: a name wrapped across lines (中华人民共和\n国)
/// is written correctly.
fn wrapped_canonical(input: &str, span: Span, name: &[char]) -> bool {
    let has_break = |s: &str| s.contains(is_line_break);
    match_forward(input, span.start, name, true)
        .is_some_and(|end| has_break(&input[span.start..end]))
        || match_backward(input, span.end, name, true)
            .is_some_and(|start| has_break(&input[start..span.end]))
}

/// Whether input char `c` may be an inserted char: it folds to one char
/// that is neither noise nor a break.
fn insertable(c: char) -> bool {
    Folded::of(c).one().is_some_and(|o| o != SENTENCE_BREAK)
}

/// The edit and start of a first char of `name` replaced by a soundalike or
/// lookalike, just before `at` (noise skipped).
fn first_replaced(input: &str, at: usize, name: &ProtectedName) -> Option<(NameEdit, usize)> {
    let start = before_one_inserted(input, at)?;
    let c = input[start..]
        .chars()
        .next()
        .and_then(|c| Folded::of(c).one())?;
    let first = name.folded[0];
    if c == first {
        None
    } else if soundalikes(first).contains(c) {
        Some((NameEdit::Soundalike, start))
    } else if lookalikes(first).contains(c) {
        Some((NameEdit::Lookalike, start))
    } else {
        None
    }
}

/// Matches `expected` from `from` on with exactly one char inserted before
/// its last char (a char that is neither noise nor a break); returns the
/// end and how many expected chars came before the inserted one. The exact
/// text (no insertion) is no match: it is the name as written.
fn forward_with_one_inserted(
    input: &str,
    from: usize,
    expected: &[char],
) -> Option<(usize, usize)> {
    let (mut matched, mut inserted, mut offset) = (0, None, from);
    for c in input[from..].chars() {
        if matched == expected.len() {
            break;
        }
        offset += c.len_utf8();
        match step_one_inserted(&Folded::of(c), expected, matched, &mut inserted)? {
            Some(n) => matched += n,
            None => continue,
        }
    }
    (matched == expected.len())
        .then_some(())
        .and(inserted)
        .map(|before| (offset, before))
}

/// [`forward_with_one_inserted`] read backwards, ending at `to`: returns
/// the start and how many expected chars (from the end) came after the
/// inserted one.
fn backward_with_one_inserted(input: &str, to: usize, expected: &[char]) -> Option<(usize, usize)> {
    let reversed: Vec<char> = expected.iter().rev().copied().collect();
    let (mut matched, mut inserted, mut offset) = (0, None, to);
    for c in input[..to].chars().rev() {
        if matched == reversed.len() {
            break;
        }
        offset -= c.len_utf8();
        let mut folded = Folded::of(c);
        folded.chars[..folded.len].reverse();
        match step_one_inserted(&folded, &reversed, matched, &mut inserted)? {
            Some(n) => matched += n,
            None => continue,
        }
    }
    (matched == reversed.len())
        .then_some(())
        .and(inserted)
        .map(|after| (offset, after))
}

/// One input char of a match with one inserted char: `Some(Some(n))` when
/// it matches the next `n` expected chars, `Some(None)` when it is noise or
/// the inserted char (recorded in `inserted` as the count matched before
/// it), `None` when the match fails.
fn step_one_inserted(
    folded: &Folded,
    expected: &[char],
    matched: usize,
    inserted: &mut Option<usize>,
) -> Option<Option<usize>> {
    let chars = folded.as_slice();
    if chars.is_empty() {
        return Some(None);
    }
    if expected[matched..].starts_with(chars) {
        return Some(Some(chars.len()));
    }
    match folded.one() {
        Some(c) if c != SENTENCE_BREAK && inserted.is_none() => {
            *inserted = Some(matched);
            Some(None)
        }
        _ => None,
    }
}

/// The offset before one inserted char ending at `at` (noise skipped after it).
fn before_one_inserted(input: &str, at: usize) -> Option<usize> {
    let mut offset = at;
    for c in input[..at].chars().rev() {
        offset -= c.len_utf8();
        if is_noise(c) && !crate::normalize::is_sentence_break(c) {
            continue;
        }
        return insertable(c).then_some(offset);
    }
    None
}

/// Matches `expected` (folded chars) in `input` from `from` on, skipping
/// noise between chars (and line breaks too with `across_lines`); returns
/// the end of the last matched char.
fn match_forward(input: &str, from: usize, expected: &[char], across_lines: bool) -> Option<usize> {
    let mut want = expected.iter().copied().peekable();
    let mut offset = from;
    for c in input[from..].chars() {
        if want.peek().is_none() {
            break;
        }
        offset += c.len_utf8();
        for &o in Folded::of(c).as_slice() {
            if !(across_lines && is_line_break(c)) && want.next() != Some(o) {
                return None;
            }
        }
    }
    want.peek().is_none().then_some(offset)
}

/// Matches `expected` in `input` backwards, ending at `to`; returns the
/// start of the first matched char.
fn match_backward(input: &str, to: usize, expected: &[char], across_lines: bool) -> Option<usize> {
    let mut want = expected.iter().rev().copied().peekable();
    let mut offset = to;
    for c in input[..to].chars().rev() {
        if want.peek().is_none() {
            break;
        }
        offset -= c.len_utf8();
        for &o in Folded::of(c).as_slice().iter().rev() {
            if !(across_lines && is_line_break(c)) && want.next() != Some(o) {
                return None;
            }
        }
    }
    want.peek().is_none().then_some(offset)
}

fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r')
}

/// What one input char folds to (at most a few chars), on the stack.
struct Folded {
    chars: [char; 8],
    len: usize,
}

impl Folded {
    fn of(c: char) -> Folded {
        let mut f = Folded {
            chars: ['\0'; 8],
            len: 0,
        };
        // Most chars a name is compared with fold to themselves: a few
        // instructions decide it.
        if Folder::new(NormalizeOptions::ALL).folds_to_itself(c) {
            f.chars[0] = c;
            f.len = 1;
            return f;
        }
        fold_char(c, NormalizeOptions::ALL, &mut |o| {
            if f.len < f.chars.len() {
                f.chars[f.len] = o;
                f.len += 1;
            }
        });
        f
    }

    fn as_slice(&self) -> &[char] {
        &self.chars[..self.len]
    }

    /// The one char it folds to, if exactly one.
    fn one(&self) -> Option<char> {
        (self.len == 1).then_some(self.chars[0])
    }
}

/// The message of a near miss (Chinese): which name, which edit.
pub(crate) fn message(name: &ProtectedName, edit: NameEdit) -> String {
    let what = name.category.as_deref().unwrap_or("规范名称");
    format!(
        "疑似误写{what}“{}”（{}）。名称书写错误属严重表述错误，请改为规范名称后再发布。",
        name.written,
        edit.described()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn variants_by_length() {
        // Two chars: nothing to vary.
        assert!(variants(&chars("人大")).is_empty());
        // Three chars: substitutions only.
        let three = variants(&chars("国务院"));
        assert!(three.iter().all(|(_, f)| matches!(
            f,
            NameForm::Variant {
                edit: NameEdit::Soundalike | NameEdit::Lookalike,
                ..
            }
        )));
        assert!(three.iter().any(|(t, _)| t == "国物院"));
        // Four: doubles and swaps, no drops (a four-char name less a char is
        // a word and the start of the next).
        let four = variants(&chars("中央军委"));
        assert!(four.iter().any(|(t, _)| t == "中中央军委"));
        assert!(four.iter().any(|(t, _)| t == "中军央委"));
        assert!(!four.iter().any(|(t, _)| t == "中央委"));
        // Never the last char dropped or doubled, never the name itself.
        let seven = variants(&chars("中华人民共和国"));
        assert!(seven.iter().any(|(t, _)| t == "中华人民和国"));
        assert!(!seven.iter().any(|(t, _)| t == "中华人民共和"));
        assert!(!seven.iter().any(|(t, _)| t == "中华人民共和国国"));
        assert!(!seven.iter().any(|(t, _)| t == "中华人民共和国"));
    }

    #[test]
    fn insertion_parts_are_the_two_halves() {
        let parts = insertion_parts(&chars("全国人民代表大会"));
        assert_eq!(
            parts,
            [
                ("全国人民".into(), NameForm::Head { at: 4 }),
                ("代表大会".into(), NameForm::Tail { at: 4 }),
            ]
        );
        let seven = insertion_parts(&chars("中华人民共和国"));
        assert_eq!(seven[0], ("中华人民".into(), NameForm::Head { at: 4 }));
        assert_eq!(seven[1], ("民共和国".into(), NameForm::Tail { at: 3 }));
        assert!(insertion_parts(&chars("国务院")).is_empty());
        assert_eq!(
            insertion_parts(&chars("全国人大")),
            [
                ("全国人".into(), NameForm::Head { at: 3 }),
                ("国人大".into(), NameForm::Tail { at: 1 }),
            ]
        );
    }

    #[test]
    fn one_char_inserted_anywhere_in_the_rest() {
        let rest = chars("代表大会");
        // 代表表大会: the extra 表 after two matched chars.
        assert_eq!(
            forward_with_one_inserted("代表表大会", 0, &rest),
            Some((15, 2))
        );
        assert_eq!(
            forward_with_one_inserted("的代表大会", 0, &rest),
            Some((15, 0))
        );
        // Noise is no insertion; the exact rest is no match; nor are two.
        assert_eq!(forward_with_one_inserted("代 表大会", 0, &rest), None);
        assert_eq!(forward_with_one_inserted("代表大会", 0, &rest), None);
        assert_eq!(forward_with_one_inserted("代的表的大会", 0, &rest), None);
        assert_eq!(forward_with_one_inserted("代表\n大会", 0, &rest), None);
        assert_eq!(
            backward_with_one_inserted("中华人民", 6, &chars("中华")),
            None
        );
        assert_eq!(
            backward_with_one_inserted("中华之人民", 9, &chars("中华")),
            Some((0, 0))
        );
        assert_eq!(
            backward_with_one_inserted("中之华人民", 9, &chars("中华")),
            Some((0, 1))
        );
    }

    #[test]
    fn matching_in_place_folds_and_skips_noise() {
        let input = "中華 人民·共和國";
        let name = chars("中华人民共和国");
        assert_eq!(match_forward(input, 0, &name, false), Some(input.len()));
        assert_eq!(match_backward(input, input.len(), &name, false), Some(0));
        let wrapped = "中华人民共\n和国";
        assert_eq!(match_forward(wrapped, 0, &name, false), None);
        assert_eq!(match_forward(wrapped, 0, &name, true), Some(wrapped.len()));
        assert!(wrapped_canonical(wrapped, Span::new(0, 15), &name));
        // The canonical name at the end of a longer span is no wrap.
        let doubled = "中中华人民共和国";
        assert!(!wrapped_canonical(
            doubled,
            Span::new(0, doubled.len()),
            &name
        ));
    }

    #[test]
    fn one_char_before_is_neither_noise_nor_a_break() {
        assert_eq!(before_one_inserted("代表的", 9), Some(6));
        assert_eq!(before_one_inserted("代表的 ", 10), Some(6));
        assert_eq!(before_one_inserted("代表。", 9), None);
    }

    #[test]
    fn tables_are_sorted_and_soundalikes_share_a_reading() {
        assert!(tables::LOOKALIKES.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(tables::FREE_CHARS.windows(2).all(|w| w[0] < w[1]));
        let he = soundalikes('和');
        assert!(he.contains('合'), "{he}");
        assert!(he.chars().count() <= 16);
        assert!(lookalikes('值').contains('直') || soundalikes('值').contains('直'));
        assert!(is_free_char('是') && !is_free_char('施'));
    }
}
