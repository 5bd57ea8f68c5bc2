//! Character encodings: BOM sniffing, detection, strict or lossy decoding,
//! whole buffers or streams.

use crate::InputError;
use encoding_rs::{
    CoderResult, Decoder, DecoderResult, Encoding, GB18030, UTF_16BE, UTF_16LE, UTF_8,
};
use std::io::Read;

/// Which encoding to read input in (`--encoding`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum EncodingChoice {
    /// A BOM if there is one; else UTF-8 if the bytes are valid UTF-8;
    /// else UTF-16 if the NUL bytes say so; else what `chardetng` guesses
    /// (in practice GB18030 for Chinese archives).
    #[default]
    Auto,
    /// UTF-8 (a UTF-8 BOM is kept in the text, so offsets are file offsets).
    Utf8,
    /// GB18030, a superset of GBK and GB2312.
    Gb18030,
    /// UTF-16; little-endian unless a BOM or the NUL bytes say big-endian.
    Utf16,
}

impl std::str::FromStr for EncodingChoice {
    type Err = String;

    /// `auto`, `utf-8` (`utf8`), `gb18030` (`gbk`, `gb2312`) or `utf-16`
    /// (`utf16`), in any case.
    ///
    /// ```
    /// use xianshen_input::EncodingChoice;
    /// assert_eq!("GBK".parse(), Ok(EncodingChoice::Gb18030));
    /// assert!("latin1".parse::<EncodingChoice>().unwrap_err().contains("gb18030"));
    /// ```
    fn from_str(s: &str) -> Result<EncodingChoice, String> {
        match s.to_ascii_lowercase().as_str() {
            "auto" => Ok(EncodingChoice::Auto),
            "utf-8" | "utf8" => Ok(EncodingChoice::Utf8),
            "gb18030" | "gbk" | "gb2312" => Ok(EncodingChoice::Gb18030),
            "utf-16" | "utf16" => Ok(EncodingChoice::Utf16),
            _ => Err(format!(
                "encoding {s:?}: expected \"auto\", \"utf-8\", \"gb18030\" (or \"gbk\") or \"utf-16\""
            )),
        }
    }
}

/// How many leading bytes detection looks at.
pub const SNIFF_BYTES: usize = 64 * 1024;

/// The encoding of `head` (the first bytes of an input), and how many
/// BOM bytes to skip. `complete` says whether `head` is the whole input.
pub fn detect(head: &[u8], choice: EncodingChoice, complete: bool) -> (&'static Encoding, usize) {
    let bom = Encoding::for_bom(head);
    match choice {
        EncodingChoice::Utf8 => (UTF_8, 0),
        EncodingChoice::Gb18030 => (GB18030, 0),
        EncodingChoice::Utf16 => match bom {
            Some((e, n)) if e == UTF_16LE || e == UTF_16BE => (e, n),
            _ => (utf16_by_nuls(head).unwrap_or(UTF_16LE), 0),
        },
        EncodingChoice::Auto => match bom {
            // A UTF-8 BOM stays in the text: offsets stay file offsets and
            // matching skips it.
            Some((e, _)) if e == UTF_8 => (UTF_8, 0),
            Some((e, n)) => (e, n),
            None => {
                if valid_utf8_prefix(head, complete) {
                    (UTF_8, 0)
                } else if let Some(e) = utf16_by_nuls(head) {
                    (e, 0)
                } else {
                    let mut det = chardetng::EncodingDetector::new();
                    det.feed(head, complete);
                    let guess = det.guess(None, true);
                    // GBK and GB2312 text decodes the same as GB18030,
                    // which also covers the rest of Unicode. Any other
                    // guess is not a supported encoding: read it as UTF-8,
                    // so the error names the first bad byte.
                    if guess == encoding_rs::GBK || guess == GB18030 {
                        (GB18030, 0)
                    } else {
                        (UTF_8, 0)
                    }
                }
            }
        },
    }
}

/// Valid UTF-8, allowing a truncated char at the end of an incomplete head.
fn valid_utf8_prefix(head: &[u8], complete: bool) -> bool {
    match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => !complete && e.error_len().is_none() && head.len() - e.valid_up_to() < 4,
    }
}

/// UTF-16 without a BOM: read either way, Chinese or ASCII text gives
/// (almost) only plausible code units (ASCII, CJK, CJK and full-width
/// punctuation); GBK or other bytes read as UTF-16 give mostly private-use
/// or rare units.
fn utf16_by_nuls(head: &[u8]) -> Option<&'static Encoding> {
    let units = head.len() / 2;
    if units < 2 {
        return None;
    }
    let plausible = |u: u16| {
        matches!(u, 0x09 | 0x0A | 0x0D | 0x20..=0x7E | 0xA0..=0xFF | 0x2000..=0x206F
            | 0x3000..=0x303F | 0x3400..=0x9FFF | 0xFF00..=0xFFEF | 0xD800..=0xDFFF)
    };
    let score = |f: fn([u8; 2]) -> u16| {
        head.chunks_exact(2)
            .filter(|p| plausible(f([p[0], p[1]])))
            .count()
    };
    let (le, be) = (score(u16::from_le_bytes), score(u16::from_be_bytes));
    let enough = |n: usize| n * 100 >= units * 95;
    if enough(le) && le >= be {
        Some(UTF_16LE)
    } else if enough(be) {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// The short name the report uses: `utf-8`, `gb18030`, `utf-16le`…
pub fn encoding_name(e: &'static Encoding) -> String {
    e.name().to_ascii_lowercase()
}

/// Text decoded from bytes, and what it was decoded from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    /// The decoded text. For UTF-8 input it is the file itself.
    pub text: String,
    /// The encoding used (lowercase WHATWG name, e.g. `gb18030`).
    pub encoding: String,
    /// Whether undecodable bytes were replaced with U+FFFD (`--lossy`).
    pub replaced: bool,
}

/// Decodes a whole input.
///
/// # Errors
///
/// [`InputError::Undecodable`] with the byte offset of the first bad byte,
/// unless `lossy`.
///
/// # Examples
///
/// ```
/// use xianshen_input::{decode, EncodingChoice};
/// let gbk = [0xb3, 0xf6, 0xca, 0xdb]; // 出售 in GBK
/// let d = decode(&gbk, EncodingChoice::Gb18030, false).unwrap();
/// assert_eq!(d.text, "出售");
/// assert_eq!(d.encoding, "gb18030");
/// ```
pub fn decode(bytes: &[u8], choice: EncodingChoice, lossy: bool) -> Result<Decoded, InputError> {
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let (enc, bom) = detect(head, choice, bytes.len() <= SNIFF_BYTES);
    let encoding = encoding_name(enc);
    if enc == UTF_8 {
        return match std::str::from_utf8(bytes) {
            Ok(s) => Ok(Decoded {
                text: s.to_string(),
                encoding,
                replaced: false,
            }),
            Err(e) if !lossy => Err(InputError::Undecodable {
                encoding,
                offset: e.valid_up_to() as u64,
            }),
            Err(_) => Ok(Decoded {
                text: String::from_utf8_lossy(bytes).into_owned(),
                encoding,
                replaced: true,
            }),
        };
    }
    let mut reader = DecodingReader::with_encoding(bytes, enc, bom, lossy);
    let mut text = String::new();
    reader.read_to_string_strict(&mut text)?;
    Ok(Decoded {
        text,
        encoding,
        replaced: reader.replaced,
    })
}

/// Decodes a byte stream into UTF-8 text piece by piece, in bounded memory.
pub struct DecodingReader<R> {
    inner: R,
    decoder: Decoder,
    encoding: &'static Encoding,
    lossy: bool,
    /// Whether a U+FFFD was substituted.
    pub replaced: bool,
    raw: Vec<u8>,
    raw_pos: usize,
    raw_len: usize,
    /// Bytes of `inner` consumed before `raw[0]`.
    consumed: u64,
    skip: usize,
    eof: bool,
    done: bool,
}

const RAW_BUF: usize = 64 * 1024;

impl<R: Read> DecodingReader<R> {
    /// Sniffs the encoding from the stream's first bytes.
    ///
    /// # Errors
    ///
    /// [`InputError::Io`] when reading the head fails.
    pub fn new(mut inner: R, choice: EncodingChoice, lossy: bool) -> Result<Self, InputError> {
        let mut head = vec![0u8; SNIFF_BYTES];
        let mut n = 0;
        let mut eof = false;
        while n < head.len() {
            match inner.read(&mut head[n..]) {
                Ok(0) => {
                    eof = true;
                    break;
                }
                Ok(k) => n += k,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(InputError::Io(e)),
            }
        }
        head.truncate(n);
        let (enc, bom) = detect(&head, choice, eof);
        let mut r = DecodingReader::with_encoding(inner, enc, bom, lossy);
        r.raw_len = head.len();
        head.resize(RAW_BUF.max(head.len()), 0);
        r.raw = head;
        r.raw_pos = bom;
        r.skip = 0;
        r.eof = eof;
        Ok(r)
    }

    fn with_encoding(inner: R, enc: &'static Encoding, bom: usize, lossy: bool) -> Self {
        DecodingReader {
            inner,
            decoder: enc.new_decoder_without_bom_handling(),
            encoding: enc,
            lossy,
            replaced: false,
            raw: vec![0; RAW_BUF],
            raw_pos: 0,
            raw_len: 0,
            consumed: 0,
            skip: bom,
            eof: false,
            done: false,
        }
    }

    /// The encoding in use (lowercase WHATWG name).
    pub fn encoding_name(&self) -> String {
        encoding_name(self.encoding)
    }

    /// Appends up to about `max` more bytes of text to `out`; returns
    /// `false` at the end of the input.
    ///
    /// # Errors
    ///
    /// [`InputError::Io`] on a read error; [`InputError::Undecodable`] with
    /// the byte offset of the first bad byte, unless lossy.
    pub fn read_text(&mut self, out: &mut String, max: usize) -> Result<bool, InputError> {
        if self.done {
            return Ok(false);
        }
        let target = out.len() + max.max(16);
        while out.len() < target {
            if self.raw_pos == self.raw_len && !self.eof {
                self.consumed += self.raw_len as u64;
                self.raw_pos = 0;
                self.raw_len = 0;
                loop {
                    match self.inner.read(&mut self.raw) {
                        Ok(0) => {
                            self.eof = true;
                            break;
                        }
                        Ok(k) => {
                            self.raw_len = k;
                            break;
                        }
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                        Err(e) => return Err(InputError::Io(e)),
                    }
                }
                if self.skip > 0 {
                    let s = self.skip.min(self.raw_len);
                    self.raw_pos = s;
                    self.skip -= s;
                }
            }
            let last = self.eof;
            let input = &self.raw[self.raw_pos..self.raw_len];
            let room = target - out.len();
            out.reserve(room + 16);
            if self.lossy {
                let (res, read, had) = self.decoder.decode_to_string(input, out, last);
                self.replaced |= had;
                self.raw_pos += read;
                if res == CoderResult::InputEmpty && last {
                    self.done = true;
                    return Ok(true);
                }
            } else {
                let (res, read) = self
                    .decoder
                    .decode_to_string_without_replacement(input, out, last);
                self.raw_pos += read;
                match res {
                    DecoderResult::InputEmpty if last => {
                        self.done = true;
                        return Ok(true);
                    }
                    DecoderResult::Malformed(bad, after) => {
                        let offset =
                            self.consumed + self.raw_pos as u64 - u64::from(bad) - u64::from(after);
                        return Err(InputError::Undecodable {
                            encoding: self.encoding_name(),
                            offset,
                        });
                    }
                    _ => {}
                }
            }
        }
        Ok(true)
    }

    /// Reads everything into `out`.
    ///
    /// # Errors
    ///
    /// As [`DecodingReader::read_text`].
    pub fn read_to_string_strict(&mut self, out: &mut String) -> Result<(), InputError> {
        while self.read_text(out, RAW_BUF * 4)? {}
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_boms_utf16_and_gbk() {
        let (e, n) = detect(b"\xff\xfeA\x00", EncodingChoice::Auto, true);
        assert_eq!((e, n), (UTF_16LE, 2));
        let le: Vec<u8> = "出售冰毒"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(detect(&le, EncodingChoice::Auto, true).0, UTF_16LE);
        let be: Vec<u8> = "abc 出售"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(detect(&be, EncodingChoice::Auto, true).0, UTF_16BE);
        let (gbk, _, _) =
            GB18030.encode("本店出售冰毒，量大从优。学校召开工作会议，传达上级文件精神。");
        assert_eq!(detect(&gbk, EncodingChoice::Auto, true).0, GB18030);
        assert_eq!(
            detect("出售".as_bytes(), EncodingChoice::Auto, true).0,
            UTF_8
        );
    }

    #[test]
    fn undecodable_byte_offset_is_named() {
        let mut bytes = GB18030.encode("出售冰毒").0.into_owned();
        bytes.extend_from_slice(b"\x81\x20ok");
        let err = decode(&bytes, EncodingChoice::Gb18030, false).unwrap_err();
        assert!(
            matches!(err, InputError::Undecodable { offset: 8, .. }),
            "{err}"
        );
        let d = decode(&bytes, EncodingChoice::Gb18030, true).unwrap();
        assert!(d.replaced && d.text.starts_with("出售冰毒"));
        let err = decode(b"ok \xff", EncodingChoice::Utf8, false).unwrap_err();
        assert!(matches!(err, InputError::Undecodable { offset: 3, .. }));
    }

    #[test]
    fn streaming_matches_whole_decoding_across_buffer_edges() {
        let text: String = "据新华社报道，出售冰毒。\n".repeat(20_000);
        let bytes = GB18030.encode(&text).0.into_owned();
        let mut r = DecodingReader::new(&bytes[..], EncodingChoice::Auto, false).unwrap();
        assert_eq!(r.encoding_name(), "gb18030");
        let mut out = String::new();
        let mut pieces = 0;
        while r.read_text(&mut out, 1000).unwrap() {
            pieces += 1;
        }
        assert!(pieces >= 5, "{pieces}");
        assert_eq!(out, text);
    }
}
