//! The JSON surface: a screener from a JSON config, a draft screened with
//! JSON options into the report JSON. No structs, no `size_t`, no `bool`
//! cross the boundary (JNA declares C `bool` as a 4-byte int, `size_t`
//! differs by platform), so any FFI binds these in a few lines.

use crate::error::{fallible, xs_error};
use crate::ffi::{malloc_copy, new_screener, redact_rules, xs_screener};
use crate::xs_status;
use serde::Deserialize;
use std::ffi::{c_char, CStr};
use std::path::PathBuf;
use std::ptr;
use xs_core::{Date, DraftMeta, Kind, Mask, Policy, Screener};
use xs_input::DraftFormat;

/// `xs_screener_new_json`'s config.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ScreenerConfig {
    policy_toml: Option<String>,
    base_dir: Option<PathBuf>,
    policy_file: Option<PathBuf>,
}

/// `xs_screen_json`'s options.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScreenOptions {
    title: Option<String>,
    source: Option<String>,
    repost: Option<bool>,
    kind: Option<String>,
    date: Option<String>,
    input_format: Option<String>,
    pub(crate) encoding: Option<String>,
    pub(crate) lossy: Option<bool>,
    redact: Option<RedactOptions>,
}

/// How to redact: exactly one of `mask`, `replace`, `suggest`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RedactOptions {
    mask: Option<char>,
    replace: Option<String>,
    suggest: Option<char>,
    rules: Option<Vec<String>>,
}

/// Reads a NUL-terminated JSON object argument; NULL or empty is `{}`.
///
/// # Safety
///
/// `json` is NULL or a NUL-terminated string.
unsafe fn parse<T: for<'de> Deserialize<'de> + Default>(
    json: *const c_char,
    what: &str,
) -> Result<T, xs_error> {
    if json.is_null() {
        return Ok(T::default());
    }
    // SAFETY: a NUL-terminated string (the caller's contract).
    let bytes = unsafe { CStr::from_ptr(json) }.to_bytes();
    let text = std::str::from_utf8(bytes).map_err(|e| xs_error::utf8(what, e.valid_up_to()))?;
    if text.trim().is_empty() {
        return Ok(T::default());
    }
    serde_json::from_str(text).map_err(|e| {
        xs_error::invalid(format!(
            "{what}: {e} (line {}, column {})",
            e.line(),
            e.column()
        ))
    })
}

/// Stores `json` (NUL-terminated, from `malloc`) in `*slot` when `slot` is
/// not NULL.
fn hand_out(slot: *mut *mut c_char, json: &str) {
    // SAFETY: NULL or writable storage for one pointer (documented).
    if let Some(slot) = unsafe { slot.as_mut() } {
        *slot = malloc_copy(json).unwrap_or(ptr::null_mut());
    }
}

/// Builds a screener from a JSON config: a NUL-terminated UTF-8 object
/// (NULL, `""` or `"{}"`: the embedded default policy) with the optional
/// members `"policy_toml"` (policy TOML text), `"base_dir"` (the folder its
/// list files are resolved against) and `"policy_file"` (a path; not with
/// `"policy_toml"`).
///
/// On success returns `XS_OK` and stores a new screener in `*screener`
/// (free it with `xs_screener_free`); `*error_json` is set to NULL. On
/// failure returns the status, sets `*screener` to NULL and, when
/// `error_json` is not NULL, stores in `*error_json` a NUL-terminated error
/// object (free it with `xs_string_free`):
/// `{"error":{"status":"XS_ERR_POLICY_SYNTAX","code":4,"message":"…","path":null,"line":3,"column":1,"byte_offset":17}}`
/// (`path`, `line`, `column` and `byte_offset` are `null` when unknown).
/// Thread safety: may be called from any thread.
#[no_mangle]
pub unsafe extern "C" fn xs_screener_new_json(
    config_json: *const c_char,
    screener: *mut *mut xs_screener,
    error_json: *mut *mut c_char,
) -> i32 {
    // SAFETY: NULL or writable storage for one pointer (documented).
    if let Some(slot) = unsafe { error_json.as_mut() } {
        *slot = ptr::null_mut();
    }
    let mut error: *mut xs_error = ptr::null_mut();
    let status = fallible(&mut error, || {
        new_screener(screener, || {
            // SAFETY: NULL or a NUL-terminated string (documented).
            let config: ScreenerConfig = unsafe { parse(config_json, "the screener config") }?;
            let policy = match (config.policy_toml, config.policy_file) {
                (Some(_), Some(_)) => {
                    return Err(xs_error::invalid(
                        "the screener config has both policy_toml and policy_file; give one",
                    ))
                }
                (Some(toml), None) => Policy::from_toml_in(&toml, config.base_dir.as_deref()),
                (None, Some(path)) => Policy::from_file(&path),
                (None, None) => return Ok(Screener::new()),
            }
            .map_err(|e| xs_error::from_policy(&e))?;
            Screener::from_policy(policy).map_err(|e| xs_error::from_policy(&e))
        })
    });
    finish(status, error, error_json)
}

/// Screens a draft: `text_len` bytes of UTF-8 at `text` (NULL when
/// `text_len` is 0), with options as a NUL-terminated JSON object (NULL,
/// `""` or `"{}"`: none). Options, all optional: `"title"`, `"source"`
/// (strings), `"repost"` (`true`, `false` or `null`), `"kind"`
/// (`"article"`, `"repost"`, `"comment"`, `"reply"`, `"response"`),
/// `"date"` (`"YYYY-MM-DD"`, the screening date; today in UTC when absent),
/// `"input_format"` (`"text"`, the default, `"html"` or `"markdown"`: the
/// text a reader sees is screened, and every offset points into the source
/// as given, markup included), `"encoding"` (`"utf-8"`, `"gb18030"` (or
/// `"gbk"`), `"utf-16"` or `"auto"`; absent: the bytes are UTF-8) with
/// `"lossy"` (`true`: undecodable bytes become U+FFFD instead of an error
/// naming their byte offset): the bytes are decoded first, `start`/`end`
/// are then byte offsets into the decoded UTF-8 text while `char_start`/
/// `char_end` index the draft in chars whatever its encoding, and the
/// report ends with one more member, `"encoding"`, the encoding read; and
/// `"redact"`: `{"mask":"*"}`, `{"replace":"[已删除]"}` or
/// `{"suggest":"*"}` (the suggestion where there is one, else the char),
/// with optional `"rules"` (rule-id prefixes; every finding when absent).
///
/// Always stores in `*out_json` (when `out_json` is not NULL) a
/// NUL-terminated string to free with `xs_string_free`: on success the
/// report, byte for byte what `xs_report_json` gives, and with `"redact"`
/// one more member at its end, `"redacted"`: the text with those findings
/// masked; on failure the error object described at
/// `xs_screener_new_json`. Returns `XS_OK` or the status: `XS_ERR_NULL_ARGUMENT`,
/// `XS_ERR_INVALID_UTF8` (with `byte_offset`), `XS_ERR_INVALID_ARGUMENT`
/// (bad JSON, an unknown member, a bad kind or date). Thread safety: many
/// threads may share one screener.
#[no_mangle]
pub unsafe extern "C" fn xs_screen_json(
    screener: *const xs_screener,
    text: *const c_char,
    text_len: u64,
    options_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    let report = |screener: &xs_screener, options: ScreenOptions| {
        let len = crate::ffi::len_arg(text_len, "text_len")?;
        // SAFETY: `text_len` readable bytes at `text` (documented).
        let bytes = unsafe { crate::ffi::bytes(text, len, "text") }?.unwrap_or_default();
        let decoded = decode(bytes, &options)?;
        let bytes: &[u8] = decoded.as_ref().map_or(bytes, |d| d.text.as_bytes());
        let mut json = report_json(screener, Text::Utf8(bytes), options)?;
        if let Some(d) = &decoded {
            json.pop();
            json.push_str(",\"encoding\":");
            json.push_str(&serde_json::to_string(&d.encoding).unwrap_or_default());
            json.push('}');
        }
        Ok(json)
    };
    // SAFETY: the pointer rules of the header, forwarded.
    unsafe { screen_call(screener, options_json, out_json, report) }
}

/// What `xs_screen_json` and `xs_screen_json_utf16` share around reading
/// their text: the screener and the options read (NULL screener, bad
/// options JSON: the error), `report` run inside the panic boundary, and
/// its report JSON, or the error JSON, handed out in `*out_json`. Returns
/// the status code.
///
/// # Safety
///
/// `screener` NULL or live; `options_json` NULL or NUL-terminated;
/// `out_json` NULL or writable.
pub(crate) unsafe fn screen_call(
    screener: *const xs_screener,
    options_json: *const c_char,
    out_json: *mut *mut c_char,
    report: impl FnOnce(&xs_screener, ScreenOptions) -> Result<String, xs_error>,
) -> i32 {
    let mut json = String::new();
    let mut error: *mut xs_error = ptr::null_mut();
    let status = fallible(&mut error, || {
        // SAFETY: NULL or a live screener from this library.
        let screener = unsafe { screener.as_ref() }.ok_or_else(|| xs_error::null("screener"))?;
        // SAFETY: NULL or a NUL-terminated string (documented).
        let options: ScreenOptions = unsafe { parse(options_json, "the screen options") }?;
        json = report(screener, options)?;
        Ok(())
    });
    if status == xs_status::XS_OK {
        hand_out(out_json, &json);
        0
    } else {
        finish(status, error, out_json)
    }
}

/// A draft's text as a caller hands it over.
pub(crate) enum Text<'a> {
    /// Bytes that must be UTF-8, validated as they are screened.
    Utf8(&'a [u8]),
    /// Text already known to be UTF-8.
    Str(&'a str),
}

impl<'a> Text<'a> {
    /// The text as a `str`, or the error naming the first bad byte.
    fn as_str(&self) -> Result<&'a str, xs_error> {
        match *self {
            Text::Utf8(bytes) => {
                std::str::from_utf8(bytes).map_err(|e| xs_error::utf8("the text", e.valid_up_to()))
            }
            Text::Str(s) => Ok(s),
        }
    }
}

/// The report JSON of `text` screened with `options` (all but `encoding`
/// and `lossy`, which the caller has applied): what `xs_screen_json` hands
/// out, with the `redacted` member when redaction was asked for.
pub(crate) fn report_json(
    screener: &xs_screener,
    text: Text<'_>,
    options: ScreenOptions,
) -> Result<String, xs_error> {
    let (meta, format) = draft_of(&options)?;
    let report = match (format, &text) {
        // Validated and size-checked as the bytes come.
        (DraftFormat::Text, Text::Utf8(bytes)) => screener
            .inner
            .screen_utf8(bytes, meta.draft(""))
            .map_err(|e| xs_error::from_input(&e))?,
        (DraftFormat::Text, Text::Str(s)) => screener
            .inner
            .try_screen(&meta.draft(s))
            .map_err(|e| xs_error::from_input(&e))?,
        _ => xs_input::screen_draft(&screener.inner, text.as_str()?, format, &meta)
            .map_err(|e| xs_error::invalid(e.to_string()))?,
    };
    let mut json = report.to_json();
    if let Some(redact) = options.redact {
        // The text has been screened, so it is UTF-8.
        let masked = redacted(text.as_str()?, &report, redact)?;
        json.pop(); // the report object's closing brace
        json.push_str(",\"redacted\":");
        json.push_str(
            &serde_json::to_string(&masked).map_err(|e| xs_error::invalid(e.to_string()))?,
        );
        json.push('}');
    }
    Ok(json)
}

/// The draft's metadata and format from the screen options.
fn draft_of(options: &ScreenOptions) -> Result<(DraftMeta, DraftFormat), xs_error> {
    let kind = match options.kind.as_deref() {
        None => None,
        Some(k) => Some(
            k.parse::<Kind>()
                .map_err(|e| xs_error::invalid(e.to_string()))?,
        ),
    };
    let date = match options.date.as_deref() {
        None => None,
        Some(d) => Some(
            d.parse::<Date>()
                .map_err(|e| xs_error::invalid(format!("date {d:?}: {e}")))?,
        ),
    };
    let format = match options.input_format.as_deref() {
        None => DraftFormat::Text,
        Some(f) => f
            .parse()
            .map_err(|e| xs_error::invalid(format!("input_format: {e}")))?,
    };
    let meta = DraftMeta {
        title: options.title.clone(),
        repost: options.repost,
        source: options.source.clone(),
        kind,
        date,
    };
    Ok((meta, format))
}

/// The text decoded from the `"encoding"` option (`None`: the bytes are
/// UTF-8 and screened as given).
fn decode(bytes: &[u8], options: &ScreenOptions) -> Result<Option<xs_input::Decoded>, xs_error> {
    let Some(name) = options.encoding.as_deref() else {
        if options.lossy.is_some() {
            return Err(xs_error::invalid("lossy applies with an encoding"));
        }
        return Ok(None);
    };
    let choice: xs_input::EncodingChoice = name.parse().map_err(xs_error::invalid)?;
    xs_input::decode(bytes, choice, options.lossy.unwrap_or(false))
        .map(Some)
        .map_err(|e| match e {
            xs_input::InputError::Undecodable { offset, .. } => {
                xs_error::undecodable(e.to_string(), offset)
            }
            other => xs_error::invalid(other.to_string()),
        })
}

/// The text with the chosen findings of `report` masked as `how` says.
fn redacted(input: &str, report: &xs_core::Report, how: RedactOptions) -> Result<String, xs_error> {
    let mask = match (how.mask, how.replace, how.suggest) {
        (Some(c), None, None) => Mask::Char(c),
        (None, Some(r), None) => Mask::Replace(r),
        (None, None, Some(c)) => Mask::SuggestionOr(c),
        (None, None, None) => Mask::Char('*'),
        _ => {
            return Err(xs_error::invalid(
                "redact takes one of mask, replace and suggest",
            ))
        }
    };
    let rules = how.rules.unwrap_or_default();
    let prefixes: Vec<&str> = rules.iter().map(String::as_str).collect();
    Ok(redact_rules(input, report, &prefixes, &mask))
}

/// Hands out the error JSON of a failed call and returns its status code.
fn finish(status: xs_status, error: *mut xs_error, slot: *mut *mut c_char) -> i32 {
    // SAFETY: NULL or the error `fallible` just made.
    if let Some(e) = unsafe { error.as_ref() } {
        hand_out(slot, &e.to_json());
    }
    // SAFETY: the error `fallible` made (or NULL), freed once.
    unsafe { crate::error::xs_error_free(error) };
    status as i32
}
