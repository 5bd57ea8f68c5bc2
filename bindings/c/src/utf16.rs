//! The UTF-16 surface, for runtimes whose strings are UTF-16 (Java,
//! JavaScript, .NET): a draft screened from its UTF-16 code units, and a
//! string this library handed out copied into UTF-16. Both convert with
//! encoding_rs, many times faster than those runtimes convert to and from
//! UTF-8 themselves.

use crate::error::xs_error;
use crate::ffi::xs_screener;
use crate::json::{report_json, screen_call, ScreenOptions, Text};
use std::cell::RefCell;
use std::ffi::{c_char, CStr};

/// Drafts up to this many code units are converted in a buffer the thread
/// keeps (3 bytes per unit); longer ones in a buffer of their own.
const KEPT_UNITS: usize = 1 << 20;

thread_local! {
    /// The UTF-8 of the last draft up to [`KEPT_UNITS`] units this thread
    /// screened from UTF-16.
    static UTF8: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Screens a draft given as `text_len` UTF-16 code units at `text` (NULL
/// when `text_len` is 0), in the platform's byte order, exactly as
/// `xs_screen_json` screens the same text in UTF-8 (`text` aligned to 2
/// bytes, else `XS_ERR_INVALID_ARGUMENT`): the same options
/// (except `"encoding"` and `"lossy"`, which give `XS_ERR_INVALID_ARGUMENT`:
/// the text is UTF-16 already), the same report JSON byte for byte (its
/// `start`/`end` are byte offsets into the text's UTF-8; `utf16_start`/
/// `utf16_end` index `text`), the same errors.
///
/// A lone surrogate gives `XS_ERR_INVALID_UTF8` (the text has no UTF-8
/// form), its message naming the code unit's index and its
/// `byte_offset` that index times two. Thread safety: many threads may share
/// one screener.
#[no_mangle]
pub unsafe extern "C" fn xs_screen_json_utf16(
    screener: *const xs_screener,
    text: *const u16,
    text_len: u64,
    options_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    let report = |screener: &xs_screener, options: ScreenOptions| {
        let len = crate::ffi::len_arg(text_len, "text_len")?;
        // SAFETY: `text_len` readable code units at `text` (documented).
        let units = unsafe { crate::ffi::slice(text, len, "text") }?.unwrap_or_default();
        if options.encoding.is_some() || options.lossy.is_some() {
            return Err(xs_error::invalid(
                "encoding and lossy do not apply: xs_screen_json_utf16 takes UTF-16",
            ));
        }
        let lone = encoding_rs::mem::utf16_valid_up_to(units);
        if lone < units.len() {
            return Err(xs_error::lone_surrogate("the text", units[lone], lone));
        }
        // Its UTF-8 has at least a byte a unit; the conversion needs room
        // for three (which must fit in memory).
        if units.len() > xs_core::MAX_INPUT_BYTES || units.len().checked_mul(3).is_none() {
            return Err(xs_error::from_input(&xs_core::InputError::TooLarge {
                bytes: units.len(),
            }));
        }
        with_utf8(units, |utf8| {
            report_json(screener, Text::Str(utf8), options)
        })
    };
    // SAFETY: the pointer rules of the header, forwarded.
    unsafe { screen_call(screener, options_json, out_json, report) }
}

/// Calls `f` with the UTF-8 of `units` (well-formed UTF-16).
fn with_utf8<T>(units: &[u16], f: impl FnOnce(&str) -> T) -> T {
    let convert = |buffer: &mut String| {
        let needed = units.len() * 3; // encoding_rs's bound; checked by the caller
        if buffer.len() < needed {
            buffer.extend(std::iter::repeat_n('\0', needed - buffer.len()));
        }
        encoding_rs::mem::convert_utf16_to_str(units, buffer.as_mut_str())
    };
    if units.len() > KEPT_UNITS {
        let mut own = String::new();
        let written = convert(&mut own);
        return f(&own[..written]);
    }
    UTF8.with(|kept| {
        let mut buffer = kept.borrow_mut();
        let written = convert(&mut buffer);
        f(&buffer[..written])
    })
}

/// Copies the NUL-terminated UTF-8 string `s` (a string this library
/// handed out, such as `xs_screen_json`'s report) into `out` as UTF-16 code
/// units, without a terminator. For runtimes whose strings are UTF-16
/// (JavaScript, Java, .NET): they copy UTF-16 into a string many times
/// faster than they decode UTF-8. Invalid UTF-8 becomes U+FFFD.
///
/// `out` has room for `capacity` code units, which must be at least the
/// byte length of `s` plus one (UTF-16 never has more code units than the
/// UTF-8 has bytes). Returns how many code units were written; when
/// `capacity` is smaller than that, or `out` is NULL, writes nothing and
/// returns minus the capacity needed. `s` NULL: returns 0.
#[no_mangle]
pub unsafe extern "C" fn xs_utf16_from_utf8(s: *const c_char, out: *mut u16, capacity: u64) -> i64 {
    crate::boundary(0, || {
        if s.is_null() {
            return 0;
        }
        // SAFETY: a NUL-terminated string, per the contract.
        let bytes = unsafe { CStr::from_ptr(s) }.to_bytes();
        let needed = bytes.len() + 1;
        let fits = usize::try_from(capacity).is_ok_and(|c| c >= needed);
        if out.is_null() || !fits {
            return -i64::try_from(needed).unwrap_or(i64::MAX);
        }
        // SAFETY: `out` holds `capacity >= needed` code units.
        let units = unsafe { std::slice::from_raw_parts_mut(out, needed) };
        let written = encoding_rs::mem::convert_utf8_to_utf16(bytes, units);
        i64::try_from(written).unwrap_or(i64::MAX)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::xs_screen_json;
    use crate::{xs_screener_free, xs_screener_new_json, xs_string_free};
    use std::ptr;

    /// The JSON `call` hands out, and its status.
    fn handed_out(call: impl FnOnce(*mut *mut c_char) -> i32) -> (i32, String) {
        let mut out: *mut c_char = ptr::null_mut();
        let status = call(&mut out);
        // SAFETY: the library handed out a NUL-terminated string.
        let json = unsafe { CStr::from_ptr(out) }.to_str().unwrap().to_owned();
        unsafe { xs_string_free(out) };
        (status, json)
    }

    #[test]
    fn drafts_beyond_the_kept_buffer_give_the_utf8_report() {
        let mut screener = ptr::null_mut();
        let status = unsafe { xs_screener_new_json(ptr::null(), &mut screener, ptr::null_mut()) };
        assert_eq!(status, 0);
        for repeat in [3, KEPT_UNITS / 4 + 1] {
            let text = format!("{}𠀀出售冰毒😀", "市民前来".repeat(repeat));
            let units: Vec<u16> = text.encode_utf16().collect();
            assert_eq!(units.len() > KEPT_UNITS, repeat > 3);
            let want = handed_out(|out| unsafe {
                xs_screen_json(
                    screener,
                    text.as_ptr().cast(),
                    text.len() as u64,
                    ptr::null(),
                    out,
                )
            });
            let got = handed_out(|out| unsafe {
                xs_screen_json_utf16(
                    screener,
                    units.as_ptr(),
                    units.len() as u64,
                    ptr::null(),
                    out,
                )
            });
            assert_eq!(want.0, 0);
            assert!(want.1.contains("\"verdict\":\"block\""));
            assert_eq!(got, want);
        }
        unsafe { xs_screener_free(screener) };
    }
}
