//! UTF-16 offsets (JavaScript and Java string indices) of byte offsets.
//!
//! A char takes two UTF-16 units when it is outside the Basic
//! Multilingual Plane, which in UTF-8 is exactly the chars of four bytes.
//! So the UTF-16 length of a UTF-8 prefix is its count of leading bytes
//! plus its count of four-byte leading bytes: a count over bytes, with no
//! decoding and no panic on any offset.

/// UTF-16 offsets of byte offsets into one text, computed in one walk for
/// ascending offsets.
///
/// # Examples
///
/// ```
/// use xianshen_serve::utf16::Utf16Offsets;
/// let text = "😀本店出售冰毒";
/// let mut offsets = Utf16Offsets::new(text);
/// assert_eq!(offsets.at(0), 0);
/// assert_eq!(offsets.at(4), 2); // after the emoji: two units
/// assert_eq!(offsets.at(10), 4);
/// assert_eq!(offsets.at(text.len()), 8);
/// ```
#[derive(Clone, Debug)]
pub struct Utf16Offsets<'a> {
    bytes: &'a [u8],
    byte: usize,
    units: usize,
}

impl<'a> Utf16Offsets<'a> {
    /// A walker over `text`.
    pub fn new(text: &'a str) -> Self {
        Utf16Offsets {
            bytes: text.as_bytes(),
            byte: 0,
            units: 0,
        }
    }

    /// The UTF-16 offset of byte `offset` (clamped to the text). Cheapest
    /// for ascending offsets; a smaller offset starts again from the start.
    pub fn at(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.bytes.len());
        if offset < self.byte {
            self.byte = 0;
            self.units = 0;
        }
        self.units += units_in(&self.bytes[self.byte..offset]);
        self.byte = offset;
        self.units
    }
}

/// UTF-16 units in a run of UTF-8 bytes: one per leading byte, one more
/// per four-byte leading byte.
fn units_in(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .map(|&b| usize::from((b as i8) >= -0x40) + usize::from(b >= 0xF0))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_encode_utf16_at_every_boundary() {
        let text = "a😀本\u{10FFFF}é\n𠀀x";
        let mut walker = Utf16Offsets::new(text);
        for (byte, _) in text.char_indices().chain([(text.len(), ' ')]) {
            let want = text[..byte].encode_utf16().count();
            assert_eq!(walker.at(byte), want, "byte {byte}");
            assert_eq!(Utf16Offsets::new(text).at(byte), want);
        }
        assert_eq!(walker.at(1), 1, "going back restarts");
        assert_eq!(walker.at(usize::MAX), text.encode_utf16().count());
    }
}
