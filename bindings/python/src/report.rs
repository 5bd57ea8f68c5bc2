//! `xianshen.Report` and `xianshen.Finding`: the core's report and
//! findings as Python objects, with offsets as Python `str` indices.

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyString};
use serde_json::Value;

/// One problem at one place.
///
/// ``start`` and ``end`` are Python ``str`` indices (code points), so
/// ``text[f.start:f.end] == f.text`` always holds for the screened text,
/// astral characters and emoji included. ``byte_start`` and ``byte_end``
/// are the UTF-8 byte offsets of the same span.
#[pyclass(frozen, module = "xianshen", name = "Finding")]
pub struct PyFinding {
    inner: xianshen::Finding,
}

impl PyFinding {
    fn key(&self) -> (&str, usize, usize, &str) {
        let f = &self.inner;
        (&f.rule, f.start, f.end, &f.text)
    }
}

#[pymethods]
impl PyFinding {
    /// Stable rule id, e.g. ``"term.drugs"`` or ``"privacy.id_card"``.
    #[getter]
    fn rule(&self) -> &str {
        &self.inner.rule
    }

    /// The part of the rule id before the first dot, e.g. ``"term"``.
    #[getter]
    fn category(&self) -> &str {
        &self.inner.category
    }

    /// ``"info"``, ``"review"`` or ``"block"``.
    #[getter]
    fn severity(&self) -> &'static str {
        self.inner.severity.as_str()
    }

    /// Who must sign off because of this finding (``"reviewer"``, ``"head"``,
    /// ``"leadership"``), or ``None`` when the reviewer suffices.
    #[getter]
    fn approval(&self) -> Option<&'static str> {
        self.inner.approval.map(|a| a.as_str())
    }

    /// Index of the first character, as a Python ``str`` index (code points).
    #[getter(start)]
    fn char_start(&self) -> usize {
        self.inner.char_start
    }

    /// Index one past the last character, as a Python ``str`` index.
    #[getter(end)]
    fn char_end(&self) -> usize {
        self.inner.char_end
    }

    /// UTF-8 byte offset of the first byte.
    #[getter]
    fn byte_start(&self) -> usize {
        self.inner.start
    }

    /// UTF-8 byte offset one past the last byte.
    #[getter]
    fn byte_end(&self) -> usize {
        self.inner.end
    }

    /// UTF-16 code unit offset of the start (a JavaScript or Java string
    /// index: a char outside the BMP counts two).
    #[getter]
    fn utf16_start(&self) -> usize {
        self.inner.utf16_start
    }

    /// UTF-16 code unit offset one past the end.
    #[getter]
    fn utf16_end(&self) -> usize {
        self.inner.utf16_end
    }

    /// 1-based line of the start.
    #[getter]
    fn line(&self) -> usize {
        self.inner.line
    }

    /// 1-based column of the start, in characters.
    #[getter]
    fn column(&self) -> usize {
        self.inner.column
    }

    /// The text of the span exactly as written in the input.
    #[getter]
    fn text(&self) -> &str {
        &self.inner.text
    }

    /// For ``term.*`` findings, the lexicon entry as written in the policy.
    #[getter]
    fn term(&self) -> Option<&str> {
        self.inner.term.as_deref()
    }

    /// What is wrong and what to do (Chinese).
    #[getter]
    fn message(&self) -> &str {
        &self.inner.message
    }

    /// A replacement to offer (style rules), else ``None``.
    #[getter]
    fn suggestion(&self) -> Option<&str> {
        self.inner.suggestion.as_deref()
    }

    /// For a ``term.*`` finding spelled to evade the filter, which spelling
    /// matched: ``"lookalike"``, ``"pinyin"``, ``"homophone"`` or
    /// ``"chaizi"``; else ``None``.
    #[getter]
    fn evasion(&self) -> Option<&'static str> {
        self.inner.evasion.map(|e| e.as_str())
    }

    fn __repr__(&self) -> String {
        let f = &self.inner;
        format!(
            "Finding(rule={}, severity={}, start={}, end={}, line={}, column={}, text={})",
            py_repr_str(&f.rule),
            py_repr_str(f.severity.as_str()),
            f.char_start,
            f.char_end,
            f.line,
            f.column,
            py_repr_str(&f.text),
        )
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyFinding>()
            .is_ok_and(|o| o.get().inner == self.inner)
    }

    fn __hash__(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.key().hash(&mut h);
        h.finish()
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        let json =
            serde_json::to_string(&self.inner).map_err(|e| PyValueError::new_err(e.to_string()))?;
        Ok((native(py, "_finding_from_json")?, (json,)))
    }
}

/// A Python-style repr of a string (single quotes, escapes), so reprs can
/// be pasted back into Python.
fn py_repr_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\'' => out.push_str("\\'"),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || is_invisible(c) => {
                let n = c as u32;
                if n <= 0xff {
                    out.push_str(&format!("\\x{n:02x}"));
                } else if n <= 0xffff {
                    out.push_str(&format!("\\u{n:04x}"));
                } else {
                    out.push_str(&format!("\\U{n:08x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// Zero-width and bidi controls, shown escaped so a repr never hides them.
fn is_invisible(c: char) -> bool {
    matches!(c as u32, 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2069 | 0xFEFF)
}

/// All findings for one draft, the verdict, who must sign off, and audit data.
///
/// ``to_json()`` and ``to_dict()`` give the ``xianshen.report/1`` schema,
/// where ``start``/``end`` are UTF-8 byte offsets and ``char_start``/
/// ``char_end`` the code-point offsets; the ``Finding`` objects in
/// ``findings`` use Python ``str`` indices for ``start``/``end``.
#[pyclass(frozen, module = "xianshen", name = "Report")]
pub struct PyReport {
    inner: xianshen::Report,
    text: PyBackedStr,
    findings: PyOnceLock<Vec<Py<PyFinding>>>,
    title_findings: PyOnceLock<Vec<Py<PyFinding>>>,
}

impl PyReport {
    /// Wraps a core report with the text it was made from.
    pub fn new(inner: xianshen::Report, text: PyBackedStr) -> PyReport {
        PyReport {
            inner,
            text,
            findings: PyOnceLock::new(),
            title_findings: PyOnceLock::new(),
        }
    }
}

#[pymethods]
impl PyReport {
    /// Always ``"xianshen.report/1"``.
    #[getter]
    fn schema(&self) -> &str {
        &self.inner.schema
    }

    /// ``"block"`` if any block finding, else ``"review"`` if any review
    /// finding, else ``"pass"``.
    #[getter]
    fn verdict(&self) -> &'static str {
        self.inner.verdict.as_str()
    }

    /// Who must sign off: ``"reviewer"`` (at least), ``"head"`` or ``"leadership"``.
    #[getter]
    fn approval(&self) -> &'static str {
        self.inner.approval.as_str()
    }

    /// The findings, sorted by start, then rule id.
    #[getter]
    fn findings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let items = self.findings.get_or_try_init(py, || {
            self.inner
                .findings
                .iter()
                .map(|f| Py::new(py, PyFinding { inner: f.clone() }))
                .collect::<PyResult<Vec<_>>>()
        })?;
        PyList::new(py, items.iter().map(|f| f.bind(py)))
    }

    /// The findings in the title, screened as a field of its own: their
    /// offsets index the title, not the text. The verdict counts them.
    #[getter]
    fn title_findings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let items = self.title_findings.get_or_try_init(py, || {
            self.inner
                .title_findings
                .iter()
                .map(|f| Py::new(py, PyFinding { inner: f.clone() }))
                .collect::<PyResult<Vec<_>>>()
        })?;
        PyList::new(py, items.iter().map(|f| f.bind(py)))
    }

    /// Whether findings were cut at the policy's ``[limits] max_findings``
    /// (the verdict and approval still account for every finding).
    #[getter]
    fn truncated(&self) -> bool {
        self.inner.truncated
    }

    /// Hex sha256 of the screened text's UTF-8 bytes.
    #[getter]
    fn input_sha256(&self) -> &str {
        &self.inner.input.sha256
    }

    /// Length of the screened text in UTF-8 bytes.
    #[getter]
    fn input_bytes(&self) -> usize {
        self.inner.input.bytes
    }

    /// Length of the screened text in code points (``len(text)``).
    #[getter]
    fn input_chars(&self) -> usize {
        self.inner.input.chars
    }

    /// The policy's ``[meta] name``.
    #[getter]
    fn policy_name(&self) -> &str {
        &self.inner.policy.name
    }

    /// The policy's ``[meta] version``.
    #[getter]
    fn policy_version(&self) -> &str {
        &self.inner.policy.version
    }

    /// ``sha256:`` and the digest of the policy's canonical form.
    #[getter]
    fn policy_fingerprint(&self) -> &str {
        &self.inner.policy.fingerprint
    }

    /// The version of the engine that made the report.
    #[getter]
    fn engine_version(&self) -> &str {
        &self.inner.engine.version
    }

    /// The screened text.
    #[getter]
    fn text<'py>(&self, py: Python<'py>) -> Bound<'py, PyString> {
        PyString::new(py, &self.text)
    }

    /// The report as ``xianshen.report/1`` JSON (``indent=True`` for
    /// indented output).
    #[pyo3(signature = (*, indent = false))]
    fn to_json(&self, indent: bool) -> String {
        if indent {
            self.inner.to_json_pretty()
        } else {
            self.inner.to_json()
        }
    }

    /// The report as a ``dict`` in the ``xianshen.report/1`` schema (the same
    /// as ``json.loads(report.to_json())``).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let value =
            serde_json::to_value(&self.inner).map_err(|e| PyValueError::new_err(e.to_string()))?;
        value_to_py(py, &value)
    }

    /// The text with findings masked.
    ///
    /// ``mask`` (one character) replaces each grapheme cluster of a finding;
    /// ``replace`` replaces each finding whole; ``suggestions=True`` puts a
    /// style finding's suggestion in its place and masks the others.
    /// ``rules`` chooses findings by rule id prefix (``["privacy."]``); all
    /// findings when ``None``. Overlapping or touching findings are masked as
    /// one span.
    #[pyo3(signature = (mask = "*", *, replace = None, suggestions = false, rules = None))]
    fn redact(
        &self,
        py: Python<'_>,
        mask: &str,
        replace: Option<String>,
        suggestions: bool,
        rules: Option<Bound<'_, PyAny>>,
    ) -> PyResult<String> {
        let mut chars = mask.chars();
        let mask_char = match (chars.next(), chars.next()) {
            (Some(c), None) => c,
            _ => {
                return Err(PyValueError::new_err(format!(
                    "mask must be exactly one character, got {}",
                    py_repr_str(mask)
                )))
            }
        };
        let how = match (replace, suggestions) {
            (Some(_), true) => {
                return Err(PyValueError::new_err(
                    "give either replace or suggestions=True, not both",
                ))
            }
            (Some(r), false) => xianshen::Mask::Replace(r),
            (None, true) => xianshen::Mask::SuggestionOr(mask_char),
            (None, false) => xianshen::Mask::Char(mask_char),
        };
        let prefixes: Option<Vec<String>> = match rules {
            None => None,
            Some(r) if r.is_instance_of::<PyString>() => Some(vec![r.extract()?]),
            Some(r) => Some(
                r.try_iter()?
                    .map(|p| {
                        p?.extract::<String>()
                            .map_err(|_| PyTypeError::new_err("rules must be str prefixes"))
                    })
                    .collect::<PyResult<_>>()?,
            ),
        };
        let text: &str = &self.text;
        let chosen: Vec<&xianshen::Finding> =
            self.inner.findings_by_rule(prefixes.as_deref()).collect();
        py.detach(|| crate::errors::catch(|| xianshen::redact(text, chosen, &how)))
            .map_err(|p| crate::errors::internal_error("redacting", &*p))
    }

    fn __repr__(&self) -> String {
        format!(
            "<Report verdict={} approval={} findings={}{}>",
            py_repr_str(self.inner.verdict.as_str()),
            py_repr_str(self.inner.approval.as_str()),
            self.inner.findings.len(),
            if self.inner.truncated {
                " truncated"
            } else {
                ""
            }
        )
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<PyReport>().is_ok_and(|o| {
            let o = o.get();
            o.inner == self.inner && *o.text == *self.text
        })
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, (String, String))> {
        Ok((
            native(py, "_report_from_json")?,
            (self.inner.to_json(), self.text.to_string()),
        ))
    }
}

/// A function of the native module, for `__reduce__`.
fn native<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import("xianshen._xianshen")?.getattr(name)
}

/// Rebuilds a `Report` from its JSON and text (unpickling).
#[pyfunction]
pub fn _report_from_json(py: Python<'_>, json: &str, text: String) -> PyResult<PyReport> {
    let inner: xianshen::Report =
        serde_json::from_str(json).map_err(|e| PyValueError::new_err(e.to_string()))?;
    let text: PyBackedStr = PyString::new(py, &text).try_into()?;
    Ok(PyReport::new(inner, text))
}

/// Rebuilds a `Finding` from its JSON (unpickling).
#[pyfunction]
pub fn _finding_from_json(json: &str) -> PyResult<PyFinding> {
    let inner: xianshen::Finding =
        serde_json::from_str(json).map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok(PyFinding { inner })
}

/// A JSON value as plain Python objects (dict, list, str, int, float, bool, None).
fn value_to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => b.into_pyobject(py)?.to_owned().into_any(),
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else {
                n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any()
            }
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(value_to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(k, value_to_py(py, v)?)?;
            }
            dict.into_any()
        }
    })
}
