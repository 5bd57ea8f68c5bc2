//! The native module `xianshen._xianshen`: thin pyo3 bindings over the
//! `xianshen` core. They convert types and errors and release the GIL;
//! every rule lives in the core.
//!
//! The Python package `xianshen` (in `python/xianshen/`) re-exports these
//! classes; its stubs (`_xianshen.pyi`) are checked against this module by
//! `mypy.stubtest`.

#![deny(missing_docs)]

mod audit;
mod errors;
mod report;
mod screener;

use pyo3::prelude::*;

/// The native part of the ``xianshen`` package; import ``xianshen`` instead.
#[pymodule]
fn _xianshen(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("REPORT_SCHEMA", xianshen::REPORT_SCHEMA)?;
    m.add("DEFAULT_POLICY_TOML", xianshen::DEFAULT_POLICY_TOML)?;
    m.add("PolicyError", py.get_type::<errors::PolicyError>())?;
    m.add_class::<screener::PyScreener>()?;
    m.add_class::<report::PyReport>()?;
    m.add_class::<report::PyFinding>()?;
    m.add_class::<audit::PyAudit>()?;
    m.add_function(wrap_pyfunction!(audit::audit, m)?)?;
    m.add("AUDIT_SCHEMA", xianshen_audit::AUDIT_SCHEMA)?;
    m.add_function(wrap_pyfunction!(report::_report_from_json, m)?)?;
    m.add_function(wrap_pyfunction!(report::_finding_from_json, m)?)?;
    Ok(())
}
