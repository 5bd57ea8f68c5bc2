//! Every conversion from a Rust error (or a caught panic) to a Python
//! exception lives here, so the mapping is decided in one place.

use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use std::any::Any;

pyo3::create_exception!(
    xianshen,
    PolicyError,
    PyValueError,
    "A policy could not be loaded.\n\n\
     Attributes: ``kind`` (``\"syntax\"``, ``\"invalid\"`` or ``\"io\"``), \
     ``path`` (the file, or ``None`` for text; for ``kind == \"io\"`` the file \
     that could not be read), ``line`` and ``column`` \
     (1-based, column in characters; ``None`` when the error has no place \
     in a file) and ``message`` (without the location)."
);

/// The stable name of a policy error kind, as in `tests/cases/README.md`.
fn kind_name(kind: xianshen::PolicyErrorKind) -> &'static str {
    match kind {
        xianshen::PolicyErrorKind::Syntax => "syntax",
        xianshen::PolicyErrorKind::Invalid => "invalid",
        xianshen::PolicyErrorKind::Io => "io",
        _ => "other",
    }
}

/// Turns a core [`xianshen::PolicyError`] into `xianshen.PolicyError` with
/// its place as attributes.
pub fn policy_error(py: Python<'_>, e: &xianshen::PolicyError) -> PyErr {
    let err = PolicyError::new_err(e.to_string());
    let value = err.value(py);
    let loc = e.location();
    // An I/O error names the file that could not be read (the missing list
    // file, not the policy naming it); line and column say where it is named.
    let path = e
        .unreadable_file()
        .or_else(|| loc.and_then(|l| l.path.as_deref()))
        .map(|p| p.to_string_lossy().into_owned());
    // Setting attributes on a fresh exception instance cannot fail short of
    // memory exhaustion; if it does, the error carries that failure instead.
    let set = || -> PyResult<()> {
        value.setattr("kind", kind_name(e.kind()))?;
        value.setattr("message", e.message())?;
        value.setattr("path", path)?;
        value.setattr("line", loc.map(|l| l.line))?;
        value.setattr("column", loc.map(|l| l.column))?;
        Ok(())
    };
    match set() {
        Ok(()) => err,
        Err(other) => other,
    }
}

/// Describes a caught panic payload.
fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    }
}

/// A panic in the core, caught at the boundary, as a `RuntimeError` (never
/// an abort, never pyo3's `PanicException`, which is not an `Exception`).
pub fn internal_error(what: &str, payload: &(dyn Any + Send)) -> PyErr {
    PyRuntimeError::new_err(format!(
        "xianshen internal error while {what}: {}; please report it with the input",
        panic_message(payload)
    ))
}

/// Runs `f`, turning a panic into a message for [`internal_error`].
pub fn catch<T>(f: impl FnOnce() -> T) -> Result<T, Box<dyn Any + Send>> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
}
