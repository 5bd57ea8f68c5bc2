//! Construction: a trie from the sorted patterns, laid out breadth first in
//! a double array (each state's children sit at `base + class`), then the
//! failure and output links.

use super::alphabet::Alphabet;
use super::{CharAutomaton, Hot, HAS_OUTPUT, NONE, ROOT};

/// A slot of the double array while it is built.
#[derive(Clone, Copy, Debug)]
struct Slot {
    base: u32,
    check: u32,
    fail: u32,
    output: u32,
}

impl Slot {
    const FREE: Slot = Slot {
        base: 0,
        check: NONE,
        fail: ROOT,
        output: NONE,
    };
}

/// A trie node before layout. Children are a linked list, in char order
/// from sorted insertion (the root's filler children come last).
#[derive(Clone, Copy)]
struct Node {
    class: u32,
    first_child: u32,
    last_child: u32,
    next_sibling: u32,
    pattern: u32,
}

impl Node {
    fn new(class: u32) -> Node {
        Node {
            class,
            first_child: NONE,
            last_child: NONE,
            next_sibling: NONE,
            pattern: NONE,
        }
    }
}

/// A free slot that a search for several children has passed over this
/// often is not offered to such searches again (it still takes a single
/// child), which keeps layout near linear.
const MAX_FAILED_FITS: u8 = 4;

/// The double array under construction, with a linked list of free slots
/// in ascending order.
struct Layout {
    slots: Vec<Slot>,
    next_free: Vec<u32>,
    prev_free: Vec<u32>,
    failed_fits: Vec<u8>,
    head: u32,
    tail: u32,
    /// Where searches for several children start: slots before it are
    /// taken or have failed too often.
    wide_start: u32,
}

impl Layout {
    fn new() -> Layout {
        let mut layout = Layout {
            slots: Vec::new(),
            next_free: Vec::new(),
            prev_free: Vec::new(),
            failed_fits: Vec::new(),
            head: NONE,
            tail: NONE,
            wide_start: 0,
        };
        layout.grow_to(1);
        layout.take(ROOT, NONE);
        layout
    }

    /// Appends free slots until there are `len`.
    fn grow_to(&mut self, len: usize) {
        let old = self.slots.len();
        if len <= old {
            return;
        }
        let len = len.max(old + old / 2);
        self.slots.resize(len, Slot::FREE);
        self.next_free.resize(len, NONE);
        self.prev_free.resize(len, NONE);
        self.failed_fits.resize(len, 0);
        for i in old as u32..len as u32 {
            self.prev_free[i as usize] = self.tail;
            match self.tail {
                NONE => self.head = i,
                t => self.next_free[t as usize] = i,
            }
            self.tail = i;
        }
    }

    fn unlink(&mut self, i: u32) {
        let (prev, next) = (self.prev_free[i as usize], self.next_free[i as usize]);
        match prev {
            NONE => self.head = next,
            p => self.next_free[p as usize] = next,
        }
        match next {
            NONE => self.tail = prev,
            n => self.prev_free[n as usize] = prev,
        }
        self.prev_free[i as usize] = NONE;
        self.next_free[i as usize] = NONE;
    }

    fn is_free(&self, i: u32) -> bool {
        self.slots[i as usize].check == NONE && i != ROOT
    }

    /// Marks slot `i` as the state whose parent is `parent`.
    fn take(&mut self, i: u32, parent: u32) {
        if self.prev_free[i as usize] != NONE || self.head == i {
            self.unlink(i);
        }
        self.slots[i as usize].check = parent;
    }

    /// A base at which every class of `classes` (ascending, non-empty)
    /// lands on a free slot.
    fn fit(&mut self, classes: &[u32]) -> u32 {
        let first = classes[0];
        let last = classes[classes.len() - 1];
        if classes.len() == 1 && self.head != NONE {
            // Any free slot fits one child: the first keeps the array dense.
            return self.head.wrapping_sub(first);
        }
        // Several children: skip the front where fits keep failing.
        while (self.wide_start as usize) < self.slots.len()
            && (!self.is_free(self.wide_start)
                || self.failed_fits[self.wide_start as usize] >= MAX_FAILED_FITS)
        {
            self.wide_start += 1;
        }
        let mut at = self.wide_start;
        loop {
            if at as usize >= self.slots.len() {
                at = self.slots.len() as u32;
                self.grow_to(at as usize + 1);
            }
            if self.failed_fits[at as usize] < MAX_FAILED_FITS {
                let base = at.wrapping_sub(first);
                self.grow_to(base.wrapping_add(last) as usize + 1);
                if classes[1..]
                    .iter()
                    .all(|&c| self.is_free(base.wrapping_add(c)))
                {
                    return base;
                }
                self.failed_fits[at as usize] += 1;
            }
            at = match self.next_free[at as usize] {
                NONE => self.slots.len() as u32,
                next => next,
            };
        }
    }
}

/// Builds the automaton. Patterns must be non-empty; of equal patterns only
/// the first is reported.
pub(super) fn build<S: AsRef<str>>(patterns: &[S]) -> CharAutomaton {
    let alphabet = Alphabet::new(patterns);
    let sequences = ClassSequences::new(patterns, &alphabet);
    let mut trie = Trie::new(patterns, &sequences);
    trie.fill_root(alphabet.len());
    let (mut slots, queue) = lay_out(&trie, alphabet.len());
    let mut pattern_at = vec![NONE; slots.len()];
    for &(node, slot) in &queue {
        pattern_at[slot as usize] = trie.nodes[node as usize].pattern;
    }
    link_failures(&mut slots, &queue, &trie.nodes, &pattern_at);
    CharAutomaton {
        alphabet,
        hot: slots
            .iter()
            .map(|s| Hot {
                base: s.base,
                check: match s.output {
                    NONE => s.check,
                    _ => s.check | HAS_OUTPUT,
                },
            })
            .collect(),
        fail: slots.iter().map(|s| s.fail).collect(),
        output: slots.iter().map(|s| s.output).collect(),
        pattern_at,
        max_chars: sequences.max_len(),
        pattern_chars: (0..patterns.len() as u32)
            .map(|i| sequences.get(i).len() as u32)
            .collect(),
    }
}

/// Every pattern as a sequence of classes, in one buffer.
struct ClassSequences {
    classes: Vec<u32>,
    ranges: Vec<(u32, u32)>,
}

impl ClassSequences {
    fn new<S: AsRef<str>>(patterns: &[S], alphabet: &Alphabet) -> ClassSequences {
        let mut classes = Vec::new();
        let mut ranges = Vec::with_capacity(patterns.len());
        for p in patterns {
            let start = classes.len() as u32;
            classes.extend(p.as_ref().chars().map(|c| alphabet.class(c)));
            ranges.push((start, classes.len() as u32));
        }
        ClassSequences { classes, ranges }
    }

    fn get(&self, pattern: u32) -> &[u32] {
        let (s, e) = self.ranges[pattern as usize];
        &self.classes[s as usize..e as usize]
    }

    fn max_len(&self) -> usize {
        self.ranges
            .iter()
            .map(|&(s, e)| (e - s) as usize)
            .max()
            .unwrap_or(0)
    }
}

/// Pattern ids in the bytes' lexicographic order. Byte order of UTF-8 is
/// char order, and any order that keeps equal prefixes together builds the
/// trie. Sorting (first 8 bytes, id) pairs touches no string; only runs
/// with equal first bytes compare further.
fn sorted_order<S: AsRef<str>>(patterns: &[S]) -> Vec<u32> {
    let prefix = |bytes: &[u8]| {
        let mut key = [0u8; 8];
        let n = bytes.len().min(8);
        key[..n].copy_from_slice(&bytes[..n]);
        u64::from_be_bytes(key)
    };
    let mut keyed: Vec<(u64, u32)> = patterns
        .iter()
        .enumerate()
        .map(|(i, p)| (prefix(p.as_ref().as_bytes()), i as u32))
        .collect();
    keyed.sort_unstable();
    for run in keyed.chunk_by_mut(|a, b| a.0 == b.0) {
        if run.len() > 1 {
            run.sort_unstable_by(|a, b| {
                let (pa, pb) = (
                    patterns[a.1 as usize].as_ref(),
                    patterns[b.1 as usize].as_ref(),
                );
                pa.cmp(pb).then(a.1.cmp(&b.1))
            });
        }
    }
    keyed.into_iter().map(|(_, i)| i).collect()
}

/// The trie of the patterns; node 0 is the root.
struct Trie {
    nodes: Vec<Node>,
}

impl Trie {
    /// Inserts the patterns in sorted order, so each shares the path of
    /// its common prefix with the one before.
    fn new<S: AsRef<str>>(patterns: &[S], sequences: &ClassSequences) -> Trie {
        let mut trie = Trie {
            nodes: vec![Node::new(0)],
        };
        let mut path: Vec<u32> = vec![0];
        let mut previous: &[u32] = &[];
        for id in sorted_order(patterns) {
            let s = sequences.get(id);
            let common = s.iter().zip(previous).take_while(|(a, b)| a == b).count();
            path.truncate(common + 1);
            for &class in &s[common..] {
                let parent = *path.last().unwrap_or(&0);
                path.push(trie.add_child(parent, class));
            }
            let end = *path.last().unwrap_or(&0) as usize;
            if !s.is_empty() && trie.nodes[end].pattern == NONE {
                trie.nodes[end].pattern = id;
            }
            previous = s;
        }
        trie
    }

    fn add_child(&mut self, parent: u32, class: u32) -> u32 {
        let node = self.nodes.len() as u32;
        self.nodes.push(Node::new(class));
        let parent = parent as usize;
        match self.nodes[parent].last_child {
            NONE => self.nodes[parent].first_child = node,
            last => self.nodes[last as usize].next_sibling = node,
        }
        self.nodes[parent].last_child = node;
        node
    }

    /// Gives the root a child for every class where no pattern starts with
    /// it: a state that behaves exactly like the root (no pattern ends
    /// there, it has no children). A miss from a child of the root then
    /// always lands on the root's child of the next char, at its class,
    /// which the search takes without a lookup or a branch.
    fn fill_root(&mut self, alphabet_len: u32) {
        let mut has_child = vec![false; alphabet_len as usize];
        for child in self.children(0) {
            has_child[self.nodes[child as usize].class as usize] = true;
        }
        for class in 1..alphabet_len {
            if !has_child[class as usize] {
                self.add_child(0, class);
            }
        }
    }

    fn children(&self, node: u32) -> impl Iterator<Item = u32> + '_ {
        let first = self.nodes[node as usize].first_child;
        std::iter::successors((first != NONE).then_some(first), |&c| {
            let next = self.nodes[c as usize].next_sibling;
            (next != NONE).then_some(next)
        })
    }
}

/// Lays the trie out breadth first. Returns the slots (with `base` and
/// `check` set) and the `(node, slot)` pairs in breadth-first order.
fn lay_out(trie: &Trie, alphabet_len: u32) -> (Vec<Slot>, Vec<(u32, u32)>) {
    let nodes = &trie.nodes;
    let mut layout = Layout::new();
    let mut queue: Vec<(u32, u32)> = vec![(0, ROOT)];
    let mut child_classes: Vec<u32> = Vec::new();
    let mut head = 0;
    while head < queue.len() {
        let (node, slot) = queue[head];
        head += 1;
        child_classes.clear();
        child_classes.extend(trie.children(node).map(|c| nodes[c as usize].class));
        if child_classes.is_empty() {
            continue;
        }
        child_classes.sort_unstable();
        let base = if slot == ROOT {
            // The root's children sit at their class: its row is dense.
            layout.grow_to(alphabet_len as usize);
            0
        } else {
            layout.fit(&child_classes)
        };
        layout.slots[slot as usize].base = base;
        for child in trie.children(node) {
            let at = base.wrapping_add(nodes[child as usize].class);
            layout.take(at, slot);
            queue.push((child, at));
        }
    }

    let mut slots = layout.slots;
    // Growth overshoots; then free slots at the end so that every lookup
    // is in range. The root's row fills slots 1 to the alphabet size, so
    // every other base is positive, and `base + class` stays below the
    // last taken slot plus the alphabet size.
    while slots.len() > 1 && slots[slots.len() - 1].check == NONE {
        slots.pop();
    }
    slots.resize(slots.len() + alphabet_len as usize, Slot::FREE);
    debug_assert!(slots
        .iter()
        .all(|s| (s.base as usize) < slots.len() - alphabet_len as usize + 1));
    assert!(
        slots.len() < HAS_OUTPUT as usize,
        "too many automaton states"
    );
    (slots, queue)
}

/// Sets the failure and output links, parents before children.
fn link_failures(slots: &mut [Slot], queue: &[(u32, u32)], nodes: &[Node], pattern_at: &[u32]) {
    for &(node, slot) in &queue[1..] {
        let parent = slots[slot as usize].check;
        let class = nodes[node as usize].class;
        let fail = if parent == ROOT {
            ROOT
        } else {
            let mut state = slots[parent as usize].fail;
            loop {
                if let Some(next) = step(slots, state, class) {
                    break next;
                }
                if state == ROOT {
                    break ROOT;
                }
                state = slots[state as usize].fail;
            }
        };
        slots[slot as usize].fail = fail;
        slots[slot as usize].output = if pattern_at[slot as usize] != NONE {
            slot
        } else {
            slots[fail as usize].output
        };
    }
    slots[ROOT as usize].fail = ROOT;
}

/// The child of `state` on `class`, if any.
#[inline(always)]
fn step(slots: &[Slot], state: u32, class: u32) -> Option<u32> {
    let at = slots[state as usize].base.wrapping_add(class);
    match slots.get(at as usize) {
        Some(s) if s.check == state => Some(at),
        _ => None,
    }
}
