//! The C ABI of xianshen (先审): `libxianshen.so` and `libxianshen.a`.
//!
//! Every item here is exported to C through the cbindgen header
//! `include/xianshen.h`; the doc comments are written for C readers and are
//! copied into that header. This crate converts types and errors and does
//! nothing else: every rule lives in the core crate.
//!
//! Conventions (after rure and rustls-ffi):
//!
//! - opaque handles (`xs_screener`, `xs_report`, `xs_error`), each with a
//!   `_free` that accepts NULL;
//! - text crosses as pointer + length; strings handed out are borrowed from
//!   the handle they came from and live as long as it;
//! - every fallible call returns an [`xs_status`] and, when asked, an
//!   `xs_error` that owns its message;
//! - every export runs inside [`boundary`], which catches panics, so no
//!   unwinding ever reaches C;
//! - values passed in from C that name a choice (repost flag, mask kind)
//!   are plain `uint32_t` and checked, so a bad value is a status, never
//!   undefined behaviour.

#![deny(missing_docs)]
#![allow(non_camel_case_types)]
// Every export is `unsafe extern "C"`; its safety contract is the pointer
// rules in the header overview (valid or NULL handles, `len` readable bytes
// behind `ptr`), stated once there instead of in each C-facing doc comment.
#![allow(clippy::missing_safety_doc)]

mod error;
mod ffi;
mod json;
mod utf16;

pub use error::*;
pub use ffi::*;
pub use json::*;
pub use utf16::*;

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Runs `f`, turning a panic into `on_panic`. Every export goes through
/// this helper (directly or through [`error::fallible`]).
pub(crate) fn boundary<T>(on_panic: T, f: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(on_panic)
}

/// The message of a panic payload.
pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic payload".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ptr;

    #[test]
    fn a_panic_becomes_a_status_and_an_error() {
        let mut err: *mut xs_error = ptr::null_mut();
        let status = error::fallible(&mut err, || panic!("boom"));
        assert_eq!(status, xs_status::XS_ERR_PANIC);
        assert!(!err.is_null());
        let msg = unsafe { xs_error_message(err) };
        let msg = unsafe { std::slice::from_raw_parts(msg.ptr.cast::<u8>(), msg.len) };
        assert!(std::str::from_utf8(msg).unwrap().contains("boom"));
        unsafe { xs_error_free(err) };
        assert_eq!(boundary(7, || panic!("again")), 7);
    }

    #[test]
    fn handles_are_send_and_sync() {
        fn assert_traits<T: Send + Sync>() {}
        assert_traits::<xs_screener>();
        assert_traits::<xs_report>();
        assert_traits::<xs_error>();
    }
}
