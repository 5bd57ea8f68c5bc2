//! `xianshen.audit(...)`: the archive audit of the `xianshen-audit` crate,
//! the same code as `xianshen audit archive`.

use crate::errors::{catch, internal_error};
use crate::screener::PyScreener;
use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyList, PyString};
use std::path::PathBuf;
use xianshen::{Date, Screener};
use xianshen_audit::{Audit, AuditError, AuditInput, AuditOptions, FieldMap, InputSource};

/// An archive audit (schema ``xianshen.audit/1``): cadence, replies against
/// deadlines, boilerplate, screened content, and the records that could not
/// be read.
#[pyclass(name = "Audit", module = "xianshen", frozen)]
pub struct PyAudit {
    inner: Audit,
}

#[pymethods]
impl PyAudit {
    /// The audit as ``xianshen.audit/1`` JSON (indented when ``indent``).
    #[pyo3(signature = (indent = false))]
    fn to_json(&self, indent: bool) -> String {
        if indent {
            self.inner.to_json_pretty()
        } else {
            self.inner.to_json()
        }
    }

    /// The audit as a ``dict`` (``json.loads(audit.to_json())``).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py.import("json")?
            .call_method1("loads", (self.inner.to_json(),))
    }

    /// One self-contained HTML page with the charts (no external asset).
    fn to_html(&self) -> String {
        self.inner.to_html()
    }

    /// Writes the CSV tables into folder ``path`` (created if needed);
    /// returns the paths written.
    fn write_csv(&self, path: PathBuf) -> PyResult<Vec<String>> {
        let written = self
            .inner
            .write_csv_tables(&path)
            .map_err(|e| PyOSError::new_err(e.to_string()))?;
        Ok(written
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect())
    }

    /// The records that could not be read, as ``"file:line: message"``.
    #[getter]
    fn errors(&self) -> Vec<String> {
        self.inner.errors.iter().map(ToString::to_string).collect()
    }

    fn __repr__(&self) -> String {
        let a = &self.inner;
        format!(
            "<Audit {} to {}: {} accounts, {} posts, {} messages, {} errors>",
            a.period.from,
            a.period.to,
            a.accounts.len(),
            a.inputs.posts.audited,
            a.inputs.messages.audited,
            a.errors.len()
        )
    }
}

/// Audits an account's archive as an inspection does: posts per ISO week
/// and silent gaps, replies against their deadlines in working days,
/// boilerplate replies, every post screened.
///
/// ``posts`` and ``messages`` are paths (one or a list; JSON Lines or CSV
/// by extension). ``screener`` gives the policy (screening, ``[audit]``
/// deadlines and calendar; the embedded default when ``None``). ``start``,
/// ``end`` and ``date`` are ``"YYYY-MM-DD"`` strings or ``datetime.date``:
/// the period (the archive's span when ``None``) and the day unanswered
/// messages are counted to (today in Beijing when ``None``). ``fields``
/// renames fields: ``{"posts": {"text": "content"}, "messages": {...}}``.
///
/// A record that cannot be read is listed in ``Audit.errors`` and the rest
/// is audited; a file that cannot be opened raises ``OSError``, a bad
/// option ``ValueError``.
#[pyfunction]
#[pyo3(signature = (posts, messages = None, *, screener = None, start = None, end = None, date = None, fields = None, account = None))]
#[allow(clippy::too_many_arguments)]
pub fn audit(
    py: Python<'_>,
    posts: &Bound<'_, PyAny>,
    messages: Option<&Bound<'_, PyAny>>,
    screener: Option<PyRef<'_, PyScreener>>,
    start: Option<&Bound<'_, PyAny>>,
    end: Option<&Bound<'_, PyAny>>,
    date: Option<&Bound<'_, PyAny>>,
    fields: Option<&Bound<'_, PyAny>>,
    account: Option<String>,
) -> PyResult<PyAudit> {
    let open = |paths: Vec<PathBuf>| -> PyResult<Vec<InputSource>> {
        paths
            .iter()
            .map(|p| InputSource::open(p).map_err(|e| PyOSError::new_err(e.to_string())))
            .collect()
    };
    let input = AuditInput {
        posts: open(paths(posts)?)?,
        messages: match messages {
            Some(m) => open(paths(m)?)?,
            None => Vec::new(),
        },
    };
    let options = AuditOptions {
        from: day(start, "start")?,
        to: day(end, "end")?,
        audit_date: day(date, "date")?,
        fields: field_map(py, fields)?,
        account,
    };
    let default;
    let screener: &Screener = match &screener {
        Some(s) => s.screener(),
        None => {
            default = Screener::new();
            &default
        }
    };
    let settings = screener.policy().audit();
    let result = py
        .detach(|| catch(|| Audit::run(input, screener, &settings, &options)))
        .map_err(|p| internal_error("auditing", &*p))?;
    match result {
        Ok(inner) => Ok(PyAudit { inner }),
        Err(e @ AuditError::Io { .. }) => Err(PyOSError::new_err(e.to_string())),
        Err(e) => Err(PyValueError::new_err(e.to_string())),
    }
}

/// One path or a list of them.
fn paths(value: &Bound<'_, PyAny>) -> PyResult<Vec<PathBuf>> {
    if value.is_instance_of::<PyString>() || !value.is_instance_of::<PyList>() {
        if let Ok(p) = value.extract::<PathBuf>() {
            return Ok(vec![p]);
        }
    }
    value
        .extract::<Vec<PathBuf>>()
        .map_err(|_| PyValueError::new_err("posts and messages are a path or a list of paths"))
}

/// A ``"YYYY-MM-DD"`` string or a ``datetime.date`` as a date.
fn day(value: Option<&Bound<'_, PyAny>>, what: &str) -> PyResult<Option<Date>> {
    let Some(value) = value else {
        return Ok(None);
    };
    let text: String = if value.is_instance_of::<PyString>() {
        value.extract()?
    } else {
        value.call_method0("isoformat")?.extract()?
    };
    // A datetime's isoformat has a time after the date.
    let text = text.get(..10).unwrap_or(&text);
    text.parse()
        .map(Some)
        .map_err(|e| PyValueError::new_err(format!("{what}: {e}")))
}

/// Field names from a dict, checked as the CLI's `--fields` file is.
fn field_map(py: Python<'_>, fields: Option<&Bound<'_, PyAny>>) -> PyResult<FieldMap> {
    let Some(fields) = fields else {
        return Ok(FieldMap::default());
    };
    let json: String = py
        .import("json")?
        .call_method1("dumps", (fields,))?
        .extract()?;
    serde_json::from_str(&json).map_err(|e| PyValueError::new_err(format!("fields: {e}")))
}
