//! Status codes, the `xs_error` handle, and the helper every fallible
//! export runs in.

use crate::{boundary, panic_message, xs_str};
use std::ffi::c_char;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;
use xs_core::{InputError, PolicyError, PolicyErrorKind};

/// What a fallible call returned. `XS_OK` (0) is success; every other
/// value is an error, described further by the `xs_error` the call fills
/// in when the caller passes a non-NULL `error` argument.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum xs_status {
    /// Success.
    XS_OK = 0,
    /// A required pointer argument was NULL (or a pointer was NULL while
    /// its length was not 0).
    XS_ERR_NULL_ARGUMENT = 1,
    /// An argument had a value outside its range: an unknown `xs_repost`
    /// or `xs_mask` value, a mask char that is not a Unicode scalar value.
    XS_ERR_INVALID_ARGUMENT = 2,
    /// Text that must be UTF-8 is not; `xs_error_byte_offset` gives the
    /// offset of the first bad byte.
    XS_ERR_INVALID_UTF8 = 3,
    /// The policy is not valid TOML, has an unknown key or a value of the
    /// wrong type; `xs_error_line` and `xs_error_column` say where.
    XS_ERR_POLICY_SYNTAX = 4,
    /// The policy is well-formed but a value is not acceptable (an empty
    /// term, an unknown rule id, a bad tag …); line and column when known.
    XS_ERR_POLICY_INVALID = 5,
    /// A policy or list file could not be read; `xs_error_path` names that
    /// file, line and column point at where the policy names it.
    XS_ERR_IO = 6,
    /// An index past the end (`xs_report_finding`).
    XS_ERR_OUT_OF_RANGE = 7,
    /// Memory for an output buffer could not be allocated.
    XS_ERR_OUT_OF_MEMORY = 8,
    /// An internal error (a Rust panic, caught at the boundary). Please
    /// report it; the handles passed in remain valid.
    XS_ERR_PANIC = 9,
}

/// An error: a status, a message, and where the problem is when known.
///
/// Created by a failing call when its `error` argument is not NULL; owned by
/// the caller, who releases it with `xs_error_free`. Immutable: it may be
/// read from any thread.
pub struct xs_error {
    status: xs_status,
    /// The message followed by one NUL byte (not counted in its length).
    message: String,
    line: usize,
    column: usize,
    byte_offset: Option<usize>,
    path: Option<String>,
}

impl xs_error {
    pub(crate) fn new(status: xs_status, message: impl Into<String>) -> xs_error {
        let mut message = message.into();
        message.push('\0');
        xs_error {
            status,
            message,
            line: 0,
            column: 0,
            byte_offset: None,
            path: None,
        }
    }

    pub(crate) fn null(what: &str) -> xs_error {
        xs_error::new(
            xs_status::XS_ERR_NULL_ARGUMENT,
            format!("argument `{what}` is NULL"),
        )
    }

    pub(crate) fn invalid(message: impl Into<String>) -> xs_error {
        xs_error::new(xs_status::XS_ERR_INVALID_ARGUMENT, message)
    }

    /// Invalid UTF-8 in `what` from byte `offset` on.
    pub(crate) fn utf8(what: &str, offset: usize) -> xs_error {
        let mut e = xs_error::new(
            xs_status::XS_ERR_INVALID_UTF8,
            format!("{what} is not valid UTF-8 at byte offset {offset}"),
        );
        e.byte_offset = Some(offset);
        e
    }

    /// A lone surrogate at code unit `index` of UTF-16 text: the text has
    /// no UTF-8 form. Its byte offset is that of the unit.
    pub(crate) fn lone_surrogate(what: &str, unit: u16, index: usize) -> xs_error {
        let mut e = xs_error::new(
            xs_status::XS_ERR_INVALID_UTF8,
            format!(
                "{what} has a lone surrogate U+{unit:04X} at UTF-16 index {index}: it cannot be encoded as UTF-8"
            ),
        );
        e.byte_offset = index.checked_mul(2);
        e
    }

    /// Bytes the chosen encoding cannot decode, from byte `offset` on.
    pub(crate) fn undecodable(message: String, offset: u64) -> xs_error {
        let mut e = xs_error::new(xs_status::XS_ERR_INVALID_ARGUMENT, message);
        e.byte_offset = usize::try_from(offset).ok();
        e
    }

    pub(crate) fn from_input(e: &InputError) -> xs_error {
        match e {
            InputError::InvalidUtf8 { offset } => {
                let mut err = xs_error::new(xs_status::XS_ERR_INVALID_UTF8, e.to_string());
                err.byte_offset = Some(*offset);
                err
            }
            other => xs_error::new(xs_status::XS_ERR_INVALID_ARGUMENT, other.to_string()),
        }
    }

    pub(crate) fn from_policy(e: &PolicyError) -> xs_error {
        let status = match e.kind() {
            PolicyErrorKind::Syntax => xs_status::XS_ERR_POLICY_SYNTAX,
            PolicyErrorKind::Io => xs_status::XS_ERR_IO,
            _ => xs_status::XS_ERR_POLICY_INVALID,
        };
        let mut err = xs_error::new(status, e.to_string());
        if let Some(loc) = e.location() {
            err.line = loc.line;
            err.column = loc.column;
            err.byte_offset = Some(loc.offset);
            err.path = loc.path.as_ref().map(|p| p.to_string_lossy().into_owned());
        }
        // An I/O error names the file that could not be read; line and
        // column still say where the policy names it.
        if let Some(file) = e.unreadable_file() {
            err.path = Some(file.to_string_lossy().into_owned());
        }
        err
    }

    /// The error as the JSON object the JSON surface hands out:
    /// `{"error":{"status","code","message","path","line","column","byte_offset"}}`,
    /// unknown places as `null`.
    pub(crate) fn to_json(&self) -> String {
        let known = |n: usize| (n > 0).then_some(n);
        serde_json::json!({
            "error": {
                "status": status_name(self.status as u32).trim_end_matches('\0'),
                "code": self.status as u32,
                "message": self.message.trim_end_matches('\0'),
                "path": self.path.as_deref().map(|p| p.trim_end_matches('\0')),
                "line": known(self.line),
                "column": known(self.column),
                "byte_offset": self.byte_offset,
            }
        })
        .to_string()
    }

    fn panic(payload: &(dyn std::any::Any + Send)) -> xs_error {
        xs_error::new(
            xs_status::XS_ERR_PANIC,
            format!("internal error (panic): {}", panic_message(payload)),
        )
    }
}

/// Runs a fallible export: clears `*error`, runs `f` inside the panic
/// boundary, and on failure stores a new `xs_error` in `*error` (when
/// `error` is not NULL) and returns its status.
pub(crate) fn fallible(
    error: *mut *mut xs_error,
    f: impl FnOnce() -> Result<(), xs_error>,
) -> xs_status {
    if !error.is_null() {
        // SAFETY: the caller passes NULL or a pointer to writable storage
        // for one `xs_error *` (documented on every export).
        unsafe { *error = ptr::null_mut() };
    }
    let result = catch_unwind(AssertUnwindSafe(f))
        .unwrap_or_else(|payload| Err(xs_error::panic(payload.as_ref())));
    match result {
        Ok(()) => xs_status::XS_OK,
        Err(e) => {
            let status = e.status;
            if !error.is_null() {
                // SAFETY: as above.
                unsafe { *error = Box::into_raw(Box::new(e)) };
            }
            status
        }
    }
}

/// The status of an error; `XS_OK` when `error` is NULL.
///
/// Thread safety: may be called from any thread.
#[no_mangle]
pub unsafe extern "C" fn xs_error_status(error: *const xs_error) -> xs_status {
    boundary(xs_status::XS_ERR_PANIC, || {
        // SAFETY: NULL or a live error from this library.
        unsafe { error.as_ref() }.map_or(xs_status::XS_OK, |e| e.status)
    })
}

/// The error's message: UTF-8, `len` bytes, and also NUL-terminated (the
/// NUL is not counted). It includes the location when there is one, e.g.
/// `policy.toml:3:1: unknown field ...`. Borrowed from `error`: valid until
/// `xs_error_free(error)`. An empty string when `error` is NULL.
#[no_mangle]
pub unsafe extern "C" fn xs_error_message(error: *const xs_error) -> xs_str {
    boundary(xs_str::empty(), || {
        // SAFETY: NULL or a live error from this library.
        match unsafe { error.as_ref() } {
            Some(e) => xs_str {
                ptr: e.message.as_ptr().cast::<c_char>(),
                len: e.message.len() - 1,
            },
            None => xs_str::empty(),
        }
    })
}

/// The 1-based line of the problem in the policy (or list) file; 0 when
/// the error has no location (or `error` is NULL).
#[no_mangle]
pub unsafe extern "C" fn xs_error_line(error: *const xs_error) -> usize {
    // SAFETY: NULL or a live error from this library.
    boundary(0, || unsafe { error.as_ref() }.map_or(0, |e| e.line))
}

/// The 1-based column (in characters) of the problem; 0 when the error has
/// no location (or `error` is NULL).
#[no_mangle]
pub unsafe extern "C" fn xs_error_column(error: *const xs_error) -> usize {
    // SAFETY: NULL or a live error from this library.
    boundary(0, || unsafe { error.as_ref() }.map_or(0, |e| e.column))
}

/// Stores in `*offset` the 0-based byte offset of the problem and returns
/// true, when the error has one: the first bad byte for
/// `XS_ERR_INVALID_UTF8`, the position in the policy text for policy errors.
/// Returns false (and leaves `*offset` alone) otherwise, or when an argument
/// is NULL.
#[no_mangle]
pub unsafe extern "C" fn xs_error_byte_offset(error: *const xs_error, offset: *mut usize) -> bool {
    boundary(false, || {
        // SAFETY: NULL or a live error from this library.
        let Some(e) = (unsafe { error.as_ref() }) else {
            return false;
        };
        match (e.byte_offset, offset.is_null()) {
            (Some(o), false) => {
                // SAFETY: checked non-NULL; the caller provides storage.
                unsafe { *offset = o };
                true
            }
            _ => false,
        }
    })
}

/// The file the error is in (a policy or list file, as the policy named
/// it), when known; for `XS_ERR_IO`, the file that could not be read (the
/// missing list file, not the policy that names it). UTF-8 (lossy),
/// borrowed from `error`, valid until `xs_error_free(error)`. `ptr` is NULL when there is no file (e.g. the
/// policy came from `xs_screener_new_from_toml` and the error is in its
/// text) or `error` is NULL.
#[no_mangle]
pub unsafe extern "C" fn xs_error_path(error: *const xs_error) -> xs_str {
    boundary(xs_str::none(), || {
        // SAFETY: NULL or a live error from this library.
        match unsafe { error.as_ref() }.and_then(|e| e.path.as_deref()) {
            Some(p) => xs_str::from_str(p),
            None => xs_str::none(),
        }
    })
}

/// Releases an error. NULL is allowed (and does nothing). The error and
/// every string borrowed from it are invalid afterwards.
#[no_mangle]
pub unsafe extern "C" fn xs_error_free(error: *mut xs_error) {
    boundary((), || {
        if !error.is_null() {
            // SAFETY: a pointer from `Box::into_raw` in `fallible`, freed once.
            drop(unsafe { Box::from_raw(error) });
        }
    })
}

/// The name of a status value, e.g. `"XS_ERR_INVALID_UTF8"`: a static
/// NUL-terminated string (never freed). `"XS_UNKNOWN_STATUS"` for a value
/// that is not an `xs_status`.
#[no_mangle]
pub extern "C" fn xs_status_name(status: u32) -> *const c_char {
    boundary(c"XS_UNKNOWN_STATUS".as_ptr(), || {
        status_name(status).as_ptr().cast()
    })
}

fn status_name(status: u32) -> &'static str {
    let name: &'static str = match status {
        0 => "XS_OK\0",
        1 => "XS_ERR_NULL_ARGUMENT\0",
        2 => "XS_ERR_INVALID_ARGUMENT\0",
        3 => "XS_ERR_INVALID_UTF8\0",
        4 => "XS_ERR_POLICY_SYNTAX\0",
        5 => "XS_ERR_POLICY_INVALID\0",
        6 => "XS_ERR_IO\0",
        7 => "XS_ERR_OUT_OF_RANGE\0",
        8 => "XS_ERR_OUT_OF_MEMORY\0",
        9 => "XS_ERR_PANIC\0",
        _ => "XS_UNKNOWN_STATUS\0",
    };
    name
}
