//! The alphabet of an automaton: every char that occurs in a pattern gets a
//! class id, the most frequent chars the smallest ids; every other char is
//! class 0, which no transition uses.

use std::collections::HashMap;

/// A `bmp` entry that sends the lookup to `others`: the char's class needs
/// more than 16 bits.
pub(crate) const SEE_OTHERS: u16 = u16::MAX;

/// Maps chars to class ids.
#[derive(Clone, Debug)]
pub(super) struct Alphabet {
    /// Class of each Basic Multilingual Plane char up to the highest one
    /// that occurs in a pattern; [`SEE_OTHERS`] for a class too large for
    /// 16 bits. Half the cache footprint of `u32` entries.
    bmp: Box<[u16]>,
    /// Classes of the chars above the BMP and of those marked
    /// [`SEE_OTHERS`], sorted by char.
    others: Box<[(u32, u32)]>,
    /// The number of classes, 0 included.
    len: u32,
}

impl Alphabet {
    /// The alphabet of `patterns`, with classes assigned by descending
    /// frequency (ties by code point, so the result is deterministic).
    pub fn new<S: AsRef<str>>(patterns: &[S]) -> Alphabet {
        let mut bmp_counts: Vec<u32> = Vec::new();
        let mut astral_counts: HashMap<u32, u32> = HashMap::new();
        for p in patterns {
            for c in p.as_ref().chars() {
                let cp = c as usize;
                if cp < 0x1_0000 {
                    if cp >= bmp_counts.len() {
                        bmp_counts.resize(cp + 1, 0);
                    }
                    bmp_counts[cp] += 1;
                } else {
                    *astral_counts.entry(c as u32).or_default() += 1;
                }
            }
        }
        let mut by_count: Vec<(u32, u32)> = bmp_counts
            .iter()
            .enumerate()
            .filter(|&(_, &n)| n > 0)
            .map(|(cp, &n)| (n, cp as u32))
            .chain(astral_counts.iter().map(|(&cp, &n)| (n, cp)))
            .collect();
        by_count.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut bmp = vec![0u16; bmp_counts.len()].into_boxed_slice();
        let mut others = Vec::with_capacity(astral_counts.len());
        for (i, &(_, cp)) in by_count.iter().enumerate() {
            let class = i as u32 + 1;
            match bmp.get_mut(cp as usize) {
                Some(slot) if class < u32::from(SEE_OTHERS) => *slot = class as u16,
                Some(slot) => {
                    *slot = SEE_OTHERS;
                    others.push((cp, class));
                }
                None => others.push((cp, class)),
            }
        }
        others.sort_unstable();
        Alphabet {
            bmp,
            others: others.into_boxed_slice(),
            len: by_count.len() as u32 + 1,
        }
    }

    /// The class of `c`: 0 if it occurs in no pattern.
    #[inline(always)]
    pub fn class(&self, c: char) -> u32 {
        let cp = c as u32;
        match self.bmp.get(cp as usize) {
            Some(&class) if class != SEE_OTHERS => u32::from(class),
            _ => self.other_class(cp),
        }
    }

    #[cold]
    fn other_class(&self, cp: u32) -> u32 {
        self.others
            .binary_search_by_key(&cp, |&(c, _)| c)
            .map_or(0, |i| self.others[i].1)
    }

    /// The classes of the BMP chars in `range`, [`SEE_OTHERS`] for those
    /// whose class needs more than 16 bits.
    pub fn bmp_classes(&self, range: std::ops::Range<u32>) -> Vec<u16> {
        let mut out = vec![0u16; range.len()];
        let start = (range.start as usize).min(self.bmp.len());
        let end = (range.end as usize).min(self.bmp.len());
        out[..end - start].copy_from_slice(&self.bmp[start..end]);
        out
    }

    /// The number of classes, class 0 included.
    pub fn len(&self) -> u32 {
        self.len
    }

    /// Heap bytes held.
    pub fn memory_usage(&self) -> usize {
        self.bmp.len() * 2 + self.others.len() * 8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frequent_chars_get_small_classes() {
        let a = Alphabet::new(&["冰毒", "毒品", "😀毒"]);
        assert_eq!(a.class('毒'), 1);
        assert_eq!(a.len(), 5);
        assert_ne!(a.class('😀'), 0);
        assert_eq!(a.class('x'), 0);
        assert_eq!(a.class('\u{10FFFF}'), 0);
        assert_eq!(a.class('\u{FFFF}'), 0);
    }

    #[test]
    fn more_classes_than_sixteen_bits() {
        let chars: Vec<String> = (0x3400u32..0x3400 + 70_000)
            .filter_map(char::from_u32)
            .map(String::from)
            .collect();
        let a = Alphabet::new(&chars);
        assert_eq!(a.len() as usize, chars.len() + 1);
        let mut seen: Vec<u32> = chars
            .iter()
            .map(|c| a.class(c.chars().next().unwrap()))
            .collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), chars.len());
        assert_eq!(seen[0], 1);
    }
}
