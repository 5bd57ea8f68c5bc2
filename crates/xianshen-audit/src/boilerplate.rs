//! Boilerplate replies: the same or nearly the same reply text sent to
//! many different messages, and replies that share no content word with
//! the message they answer.
//!
//! Replies are compared after normalisation (`xianshen::normalize_str`:
//! width, case, traditional → simplified, punctuation and spaces dropped).
//! Identical normalised replies are one text. Texts are then grouped
//! greedily: taken from the most often sent, each joins the most similar
//! group leader whose character-bigram Jaccard similarity is at least the
//! threshold, or leads a group of its own. Leaders are found through an
//! index of the rarest bigrams of each (prefix filtering: two sets with
//! Jaccard ≥ t share a token among the first `|x| - ⌈t·|x|⌉ + 1` of each in
//! one global rarity order), so the work grows with the number of groups,
//! not with the square of the replies.

use crate::audit::{Boilerplate, BoilerplateGroup, OffTopicReply};
use crate::replies::MessageAudit;
use crate::scan::Kept;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeSet;
use std::sync::OnceLock;
use xianshen::{normalize_str, AuditSettings, NormalizeOptions};

/// Words that carry no content of their own in a message or a reply
/// (`data/stopwords.txt`).
const STOPWORDS: &str = include_str!("../data/stopwords.txt");

/// The stopwords, parsed once.
fn stopwords() -> &'static FxHashSet<&'static str> {
    static SET: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| {
        STOPWORDS
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    })
}

/// The normalised form replies are compared in.
pub(crate) fn normalize_reply(text: &str) -> String {
    normalize_str(text, NormalizeOptions::ALL)
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_ascii_punctuation() && *c != '\u{2029}')
        .collect()
}

/// The content words of a text: jieba words of two or more chars, with a
/// letter or digit, not only digits, not stopwords; folded for width, case
/// and traditional characters; sorted, without duplicates.
pub(crate) fn content_words(text: &str) -> Vec<String> {
    let folded = normalize_str(
        text,
        NormalizeOptions {
            noise: false,
            ..NormalizeOptions::ALL
        },
    );
    let stop = stopwords();
    let mut words: Vec<String> = xianshen::words(&folded)
        .into_iter()
        .filter(|w| {
            w.chars().count() >= 2
                && w.chars().any(char::is_alphanumeric)
                && !w.chars().all(|c| c.is_ascii_digit())
                && !stop.contains(*w)
        })
        .map(str::to_string)
        .collect();
    words.sort_unstable();
    words.dedup();
    words
}

/// Whether a reply shares no content word with its message: `None` when
/// the message has no content word to share (a bare greeting).
pub(crate) fn off_topic(message: &str, reply: &str) -> Option<bool> {
    let asked = content_words(message);
    if asked.is_empty() {
        return None;
    }
    let answered = content_words(reply);
    Some(!answered.iter().any(|w| asked.binary_search(w).is_ok()))
}

/// `(message excerpt, reply excerpt)` when there is a reply and it shares
/// no content word with its message.
pub(crate) fn off_topic_excerpts(message: &str, reply: Option<&str>) -> Option<(String, String)> {
    reply
        .filter(|r| off_topic(message, r) == Some(true))
        .map(|r| (excerpt(message), excerpt(r)))
}

/// A text trimmed, cut after its first 80 chars (with `…` when cut).
fn excerpt(s: &str) -> String {
    let s = s.trim();
    match s.char_indices().nth(80) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// Boilerplate groups and off-topic replies among the messages kept, with
/// the messages of every group marked in `messages` (one per message kept,
/// in the same order).
pub(crate) fn detect(
    kept: &[Kept],
    messages: &mut [MessageAudit],
    settings: &AuditSettings,
) -> Boilerplate {
    let replies: Vec<(usize, &str)> = kept
        .iter()
        .enumerate()
        .filter(|(_, k)| k.reply.is_some())
        .map(|(i, k)| (i, k.normalized_reply.as_str()))
        .collect();
    let groups = groups(
        &replies,
        settings.boilerplate_similarity,
        settings.boilerplate_min_messages,
    );
    let groups = groups
        .into_iter()
        .map(|g| {
            for &i in &g {
                messages[i].boilerplate = true;
            }
            describe_group(&g, kept)
        })
        .collect();
    Boilerplate {
        groups,
        off_topic: off_topic_replies(kept),
    }
}

/// A group of message indices (the leader's first) as the audit lists it.
fn describe_group(g: &[usize], kept: &[Kept]) -> BoilerplateGroup {
    let variants: BTreeSet<&str> = g
        .iter()
        .map(|&i| kept[i].normalized_reply.as_str())
        .collect();
    let accounts: BTreeSet<&str> = g.iter().map(|&i| kept[i].account.as_str()).collect();
    BoilerplateGroup {
        text: kept[g[0]].reply.clone().unwrap_or_default(),
        messages: g.len() as u64,
        variants: variants.len() as u64,
        accounts: accounts.into_iter().map(str::to_string).collect(),
        message_ids: g.iter().map(|&i| kept[i].id.clone()).collect(),
    }
}

/// The replies that share no content word with their message, input order.
fn off_topic_replies(kept: &[Kept]) -> Vec<OffTopicReply> {
    kept.iter()
        .filter_map(|k| {
            k.off_topic.as_ref().map(|(m, r)| OffTopicReply {
                id: k.id.clone(),
                account: k.account.clone(),
                message: m.clone(),
                reply: r.clone(),
            })
        })
        .collect()
}

/// The bigrams of a normalised text as tokens (a one-char text: that char).
fn bigrams(text: &str) -> Vec<u64> {
    let chars: Vec<char> = text.chars().collect();
    let mut t: Vec<u64> = if chars.len() < 2 {
        chars
            .iter()
            .map(|&c| u64::from(c as u32) | 1 << 63)
            .collect()
    } else {
        chars
            .windows(2)
            .map(|w| u64::from(w[0] as u32) << 32 | u64::from(w[1] as u32))
            .collect()
    };
    t.sort_unstable();
    t.dedup();
    t
}

/// `⌈t·n⌉`, robust to the float error of `0.9 * 10`.
fn min_overlap(t: f64, n: usize) -> usize {
    ((t * n as f64) - 1e-9).ceil().max(1.0) as usize
}

/// How many tokens of a set of `n` must include one shared with any set
/// of similarity `t` or more: `n - ⌈t·n⌉ + 1`.
fn prefix_len(t: f64, n: usize) -> usize {
    n + 1 - min_overlap(t, n).min(n)
}

/// The Jaccard similarity of two sorted token sets.
fn jaccard(a: &[u32], b: &[u32]) -> f64 {
    let (mut i, mut j, mut inter) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                inter += 1;
                i += 1;
                j += 1;
            }
        }
    }
    inter as f64 / (a.len() + b.len() - inter) as f64
}

/// Groups the replies `(message index, normalised reply)`: each group is
/// its message indices, the first message holding the leader text; only
/// groups of at least `min_messages` messages are returned, the largest
/// first.
pub(crate) fn groups(
    replies: &[(usize, &str)],
    threshold: f64,
    min_messages: usize,
) -> Vec<Vec<usize>> {
    let texts = distinct_texts(replies);
    let (sets, tokens) = ranked_bigrams(&texts);
    let groups = group_greedily(&texts, &sets, tokens, threshold);
    largest_first(groups, min_messages)
}

/// The distinct non-empty texts with their messages: the most often sent
/// first (the likely template), then by first message.
fn distinct_texts<'a>(replies: &[(usize, &'a str)]) -> Vec<(&'a str, Vec<usize>)> {
    let mut exact: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for (msg, text) in replies {
        if !text.is_empty() {
            exact.entry(text).or_default().push(*msg);
        }
    }
    let mut texts: Vec<(&str, Vec<usize>)> = exact.into_iter().collect();
    texts.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.1[0].cmp(&b.1[0])));
    texts
}

/// The bigrams of each text as sorted ranks in one global order, rarest
/// first, and the number of distinct bigrams. Bigrams are counted in a
/// first pass and ranked in a second, so only the ranks are held.
fn ranked_bigrams(texts: &[(&str, Vec<usize>)]) -> (Vec<Vec<u32>>, usize) {
    let mut df: FxHashMap<u64, u32> = FxHashMap::default();
    for (t, _) in texts {
        for b in bigrams(t) {
            *df.entry(b).or_default() += 1;
        }
    }
    let mut order: Vec<(u32, u64)> = df.into_iter().map(|(t, n)| (n, t)).collect();
    order.sort_unstable();
    let rank: FxHashMap<u64, u32> = order
        .iter()
        .enumerate()
        .map(|(i, &(_, t))| (t, i as u32))
        .collect();
    let tokens = order.len();
    drop(order);
    let sets = texts
        .iter()
        .map(|(t, _)| {
            let mut r: Vec<u32> = bigrams(t).iter().map(|b| rank[b]).collect();
            r.sort_unstable();
            r
        })
        .collect();
    (sets, tokens)
}

/// Groups the texts in order: each joins the group of its most similar
/// leader (similarity at least `threshold`) or leads a group of its own.
/// Each group is the messages of its texts, the leader's first.
fn group_greedily(
    texts: &[(&str, Vec<usize>)],
    sets: &[Vec<u32>],
    tokens: usize,
    threshold: f64,
) -> Vec<Vec<usize>> {
    let mut leaders = LeaderIndex::new(tokens, texts.len());
    let mut group_of: Vec<u32> = Vec::with_capacity(texts.len());
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for x in 0..sets.len() {
        match leaders.most_similar(x, sets, threshold) {
            Some(y) => {
                let g = group_of[y];
                group_of.push(g);
                groups[g as usize].extend_from_slice(&texts[x].1);
            }
            None => {
                group_of.push(groups.len() as u32);
                groups.push(texts[x].1.clone());
                leaders.insert(x, &sets[x], threshold);
            }
        }
    }
    groups
}

/// Group leaders by the tokens of their prefix (the rarest of their
/// bigrams), so that a text is compared only with the leaders it can be
/// similar to.
struct LeaderIndex {
    /// The leaders holding each token in their prefix.
    postings: Vec<Vec<u32>>,
    /// Per leader, the last text it was compared with.
    seen: Vec<u32>,
}

impl LeaderIndex {
    /// An empty index of `tokens` tokens for `texts` texts.
    fn new(tokens: usize, texts: usize) -> LeaderIndex {
        LeaderIndex {
            postings: vec![Vec::new(); tokens],
            seen: vec![u32::MAX; texts],
        }
    }

    /// The leader most similar to text `x` with a similarity of at least
    /// `threshold` (the first found of equals), if any.
    fn most_similar(&mut self, x: usize, sets: &[Vec<u32>], threshold: f64) -> Option<usize> {
        let set = &sets[x];
        let n = set.len();
        let (lo, hi) = (
            min_overlap(threshold, n),
            (n as f64 / threshold + 1e-9).floor() as usize,
        );
        let mut best: Option<(f64, usize)> = None;
        for tok in &set[..prefix_len(threshold, n)] {
            for &y in &self.postings[*tok as usize] {
                let y = y as usize;
                if self.seen[y] == x as u32 {
                    continue;
                }
                self.seen[y] = x as u32;
                let m = sets[y].len();
                if m < lo || m > hi {
                    continue;
                }
                let j = jaccard(set, &sets[y]);
                if j >= threshold && best.is_none_or(|(b, _)| j > b) {
                    best = Some((j, y));
                }
            }
        }
        best.map(|(_, y)| y)
    }

    /// Adds text `x`, with token set `set`, as a leader.
    fn insert(&mut self, x: usize, set: &[u32], threshold: f64) {
        for tok in &set[..prefix_len(threshold, set.len())] {
            self.postings[*tok as usize].push(x as u32);
        }
    }
}

/// The groups of at least `min_messages` messages, the largest first (then
/// by leader), each in input order with its leader's message first.
fn largest_first(groups: Vec<Vec<usize>>, min_messages: usize) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = groups
        .into_iter()
        .filter(|g| g.len() >= min_messages)
        .collect();
    for g in &mut out {
        let leader = g[0];
        g.sort_unstable();
        let at = g
            .iter()
            .position(|&m| m == leader)
            .expect("the leader is in its group");
        g[..=at].rotate_right(1);
    }
    out.sort_by(|a, b| b.len().cmp(&a.len()).then(a[0].cmp(&b[0])));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(texts: &[&str], t: f64, min: usize) -> Vec<Vec<usize>> {
        let normalized: Vec<String> = texts.iter().map(|s| normalize_reply(s)).collect();
        let replies: Vec<(usize, &str)> =
            normalized.iter().map(String::as_str).enumerate().collect();
        groups(&replies, t, min)
    }

    #[test]
    fn identical_after_normalisation() {
        let g = run(
            &[
                "感谢您的留言，我们已转相关部门处理。",
                "感谢您的留言 我们已转相关部门处理",
                "您好，图书馆周末开放。",
                "感謝您的留言，我們已轉相關部門處理！",
            ],
            0.9,
            3,
        );
        assert_eq!(g, vec![vec![0, 1, 3]]);
    }

    #[test]
    fn near_duplicates_join_and_the_rest_does_not() {
        let base =
            "感谢您对学校工作的关注和支持，您反映的问题我们已转交相关部门研究处理，请耐心等待";
        let texts = [
            base.to_string(),
            format!("{base}。"),
            base.replace("学校", "我校"),
            base.replace("耐心等待", "耐心等候"),
            "宿舍热水供应时间为每日六点至二十三点，如有故障请报修".to_string(),
        ];
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        // One char changed at the end changes one bigram (similarity
        // 0.93); one in the middle changes two (0.87).
        assert_eq!(run(&refs, 0.9, 3), vec![vec![0, 1, 3]]);
        assert_eq!(run(&refs, 0.85, 3), vec![vec![0, 1, 2, 3]]);
        assert_eq!(run(&refs, 0.85, 5), Vec::<Vec<usize>>::new());
        // Identical only: 0 and 1 (the full stop is dropped), too few.
        assert_eq!(run(&refs, 1.0, 3), Vec::<Vec<usize>>::new());
        assert_eq!(run(&refs, 1.0, 2), vec![vec![0, 1]]);
    }

    #[test]
    fn content_words_and_off_topic() {
        assert_eq!(
            content_words("请问图书馆周末开放吗？"),
            vec!["周末", "图书馆", "开放"]
        );
        assert_eq!(
            off_topic("请问图书馆周末开放吗？", "图书馆周末正常开放。"),
            Some(false)
        );
        assert_eq!(
            off_topic("请问图书馆周末开放吗？", "感谢您的留言，已转相关部门。"),
            Some(true)
        );
        assert_eq!(off_topic("你好", "你好"), None);
    }
}
