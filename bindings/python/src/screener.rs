//! `xianshen.Screener`: a compiled policy, shared by threads and processes.

use crate::errors::{catch, internal_error, policy_error};
use crate::report::PyReport;
use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyString, PyTuple};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};
use xianshen::{Date, DraftMeta, Kind, Policy, Report, Screener};
use xianshen_input::DraftFormat;

/// Screens drafts against a policy.
///
/// Built once (all terms in one automaton), immutable, and safe to share
/// between threads; ``screen`` and ``screen_many`` release the GIL.
/// Pickling ships the policy's canonical TOML (list files inlined), so
/// multiprocessing, Dask and Spark workers rebuild the same screener.
#[pyclass(frozen, module = "xianshen", name = "Screener")]
pub struct PyScreener {
    inner: Screener,
}

/// An ``input_format=`` argument: ``None`` is plain text.
fn parse_input_format(format: Option<&str>) -> PyResult<DraftFormat> {
    format.map_or(Ok(DraftFormat::Text), |name| {
        name.parse()
            .map_err(|e: xianshen_input::UnknownDraftFormat| {
                PyValueError::new_err(format!("input_format: {e}"))
            })
    })
}

/// A ``date=`` argument: ``None`` (today, UTC), a ``datetime.date`` or an
/// ISO ``"YYYY-MM-DD"`` string.
fn parse_date(date: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Date>> {
    let Some(date) = date else { return Ok(None) };
    let text: String = if date.is_instance_of::<PyString>() {
        date.extract()?
    } else if date.hasattr("isoformat")? && date.hasattr("year")? {
        date.call_method0("isoformat")?.extract()?
    } else {
        return Err(PyTypeError::new_err(format!(
            "date must be a datetime.date or a \"YYYY-MM-DD\" str, not {}",
            type_name(date)
        )));
    };
    // A datetime's isoformat has a time after the date: the day is its date.
    let day = text.get(..10).unwrap_or(&text);
    day.parse::<Date>()
        .map(Some)
        .map_err(|e| PyValueError::new_err(format!("date {text:?}: {e}")))
}

/// A ``kind=`` argument: ``None`` is an article; an unknown name is a
/// ``ValueError`` that lists the kinds.
fn parse_kind(kind: Option<&str>) -> PyResult<Kind> {
    kind.map_or(Ok(Kind::default()), |k| {
        k.parse::<Kind>()
            .map_err(|e| PyValueError::new_err(e.to_string()))
    })
}

impl PyScreener {
    /// The compiled screener.
    pub(crate) fn screener(&self) -> &Screener {
        &self.inner
    }

    fn from_policy(
        py: Python<'_>,
        policy: Result<Policy, xianshen::PolicyError>,
    ) -> PyResult<Self> {
        let policy = policy.map_err(|e| policy_error(py, &e))?;
        let built = py
            .detach(|| catch(|| Screener::from_policy(policy)))
            .map_err(|p| internal_error("compiling the policy", &*p))?;
        built
            .map(|inner| PyScreener { inner })
            .map_err(|e| policy_error(py, &e))
    }

    /// Screens one text, catching a panic as `RuntimeError`.
    /// Screens `text` as `format`; a panic is an error message, never an
    /// unwind into Python. HTML that cannot be read (nesting too deep) is an
    /// error too.
    fn screen_one(&self, text: &str, meta: &DraftMeta, format: DraftFormat) -> PyResult<Report> {
        catch(|| xianshen_input::screen_draft(&self.inner, text, format, meta))
            .map_err(|p| internal_error("screening", &*p))?
            .map_err(|e| PyValueError::new_err(e.to_string()))
    }
}

/// A draft's text: a `str` as it is, or `bytes` decoded from `encoding`
/// (`None`: detected, as `xianshen check` does for a file), undecodable
/// bytes an error naming their offset unless `lossy`.
fn draft_text(
    value: &Bound<'_, PyAny>,
    encoding: Option<&str>,
    lossy: bool,
    what: &str,
) -> PyResult<PyBackedStr> {
    if value.is_instance_of::<PyString>() {
        if encoding.is_some() || lossy {
            return Err(PyTypeError::new_err(format!(
                "{what} is str: encoding and lossy apply to bytes"
            )));
        }
        return value.extract();
    }
    // bytes are immutable and read in place; a bytearray may change under
    // us, so it is copied first.
    let bytes: std::borrow::Cow<'_, [u8]> = if let Ok(b) = value.cast::<pyo3::types::PyBytes>() {
        b.as_bytes().into()
    } else if let Ok(b) = value.cast::<pyo3::types::PyByteArray>() {
        b.to_vec().into()
    } else {
        return Err(PyTypeError::new_err(format!(
            "{what} must be str or bytes, not {}",
            type_name(value)
        )));
    };
    let choice: xianshen_input::EncodingChoice = encoding
        .unwrap_or("auto")
        .parse()
        .map_err(PyValueError::new_err)?;
    let decoded = xianshen_input::decode(&bytes, choice, lossy)
        .map_err(|e| PyValueError::new_err(format!("{what}: {e}")))?;
    PyString::new(value.py(), &decoded.text).extract()
}

/// The core keeps offsets as `u32`; longer texts are refused up front with
/// the core's error instead of reaching its documented panic.
fn check_len(text: &str) -> PyResult<()> {
    if text.len() > xianshen::MAX_INPUT_BYTES {
        let e = xianshen::InputError::TooLarge { bytes: text.len() };
        return Err(PyValueError::new_err(e.to_string()));
    }
    Ok(())
}

/// A rayon pool with `threads` threads, built once per size and kept.
fn pool(threads: usize) -> PyResult<Arc<rayon::ThreadPool>> {
    static POOLS: OnceLock<Mutex<HashMap<usize, Arc<rayon::ThreadPool>>>> = OnceLock::new();
    let mut pools = POOLS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(p) = pools.get(&threads) {
        return Ok(p.clone());
    }
    let p = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("xianshen-{i}"))
        .build()
        .map_err(|e| PyRuntimeError::new_err(format!("cannot start {threads} threads: {e}")))?;
    let p = Arc::new(p);
    pools.insert(threads, p.clone());
    Ok(p)
}

#[pymethods]
impl PyScreener {
    /// The screener for the embedded default policy.
    #[new]
    fn new(py: Python<'_>) -> PyResult<Self> {
        py.detach(|| catch(Screener::new))
            .map(|inner| PyScreener { inner })
            .map_err(|p| internal_error("compiling the default policy", &*p))
    }

    /// Loads a policy file (list files and ``extends`` resolved against its
    /// folder) and compiles it.
    ///
    /// Raises ``PolicyError`` (a ``ValueError``) with ``path``, ``line`` and
    /// ``column``.
    #[staticmethod]
    fn from_file(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        let policy = py.detach(|| catch(|| Policy::from_file(&path)));
        let policy = policy.map_err(|p| internal_error("loading the policy", &*p))?;
        Self::from_policy(py, policy)
    }

    /// Loads a policy from TOML text and compiles it. List files and
    /// ``extends`` paths are resolved against ``base_dir`` (the current
    /// directory when ``None``).
    ///
    /// Raises ``PolicyError`` (a ``ValueError``) with ``line`` and ``column``.
    #[staticmethod]
    #[pyo3(signature = (text, base_dir = None))]
    fn from_toml(py: Python<'_>, text: PyBackedStr, base_dir: Option<PathBuf>) -> PyResult<Self> {
        let policy = py.detach(|| catch(|| Policy::from_toml_in(&text, base_dir.as_deref())));
        let policy = policy.map_err(|p| internal_error("loading the policy", &*p))?;
        Self::from_policy(py, policy)
    }

    /// The policy's ``[meta] name``.
    #[getter]
    fn policy_name(&self) -> &str {
        self.inner.policy().name()
    }

    /// The policy's ``[meta] version``.
    #[getter]
    fn policy_version(&self) -> &str {
        self.inner.policy().version()
    }

    /// ``sha256:`` and the digest of the policy's canonical form; every
    /// report carries it.
    #[getter]
    fn policy_fingerprint(&self) -> &str {
        self.inner.policy().fingerprint()
    }

    /// The policy's canonical TOML: list files inlined, ``extends`` merged.
    /// ``Screener.from_toml(s.policy_toml())`` gives the same screener.
    fn policy_toml(&self) -> String {
        self.inner.policy().to_toml()
    }

    /// Screens one text and returns its ``Report``.
    ///
    /// ``title``, ``repost`` (``True``/``False``; ``None``: the text's own
    /// markers decide), ``source`` (the declared 来源) and ``kind``
    /// (``"article"``, the default, ``"repost"``, ``"comment"``, ``"reply"``
    /// or ``"response"``: a comment from the public is not the account's
    /// voice) are the draft's metadata; ``date`` (a ``datetime.date`` or
    /// ``"YYYY-MM-DD"``; ``None``: today, UTC) is the screening date.
    /// ``input_format`` (``"text"``, the default, ``"html"`` or
    /// ``"markdown"``) screens the text a reader sees while every offset
    /// points into ``text`` as given, markup included. Finding offsets are
    /// Python ``str`` indices into ``text``. Releases the GIL while screening.
    ///
    /// ``text`` may also be ``bytes``: decoded from ``encoding``
    /// (``"utf-8"``, ``"gb18030"``/``"gbk"``, ``"utf-16"``; ``None``:
    /// detected as ``xianshen check`` does), offsets are then indices into
    /// ``Report.text``, the decoded ``str``; a byte that cannot be decoded
    /// raises ``ValueError`` naming its offset, unless ``lossy``.
    ///
    /// Raises ``TypeError`` if ``text`` is neither ``str`` nor ``bytes``, and
    /// ``UnicodeEncodeError`` (a ``ValueError``) if it holds lone surrogates.
    #[pyo3(signature = (text, *, title = None, repost = None, source = None, kind = None, input_format = None, date = None, encoding = None, lossy = false))]
    #[allow(clippy::too_many_arguments)] // the keyword arguments of the Python API
    fn screen(
        &self,
        py: Python<'_>,
        text: &Bound<'_, PyAny>,
        title: Option<String>,
        repost: Option<bool>,
        source: Option<String>,
        kind: Option<&str>,
        input_format: Option<&str>,
        date: Option<&Bound<'_, PyAny>>,
        encoding: Option<&str>,
        lossy: bool,
    ) -> PyResult<PyReport> {
        let text = draft_text(text, encoding, lossy, "text")?;
        check_len(&text)?;
        let meta = DraftMeta {
            title,
            repost,
            source,
            kind: Some(parse_kind(kind)?),
            date: parse_date(date)?,
        };
        let format = parse_input_format(input_format)?;
        let report = py.detach(|| self.screen_one(&text, &meta, format))?;
        Ok(PyReport::new(report, text))
    }

    /// Screens many texts in parallel and returns their reports in order.
    ///
    /// ``texts`` is any iterable of ``str`` (a list, a generator, a file's
    /// lines…); it is read first, then the GIL is released for the whole
    /// batch, which runs on ``threads`` threads (``None``: one per core;
    /// ``1``: on the calling thread). The metadata, ``input_format`` and
    /// ``date`` apply to every text.
    #[pyo3(signature = (texts, *, threads = None, title = None, repost = None, source = None, kind = None, input_format = None, date = None, encoding = None, lossy = false))]
    #[allow(clippy::too_many_arguments)] // the keyword arguments of the Python API
    fn screen_many(
        &self,
        py: Python<'_>,
        texts: &Bound<'_, PyAny>,
        threads: Option<usize>,
        title: Option<String>,
        repost: Option<bool>,
        source: Option<String>,
        kind: Option<&str>,
        input_format: Option<&str>,
        date: Option<&Bound<'_, PyAny>>,
        encoding: Option<&str>,
        lossy: bool,
    ) -> PyResult<Vec<PyReport>> {
        if texts.is_instance_of::<PyString>() {
            return Err(PyTypeError::new_err(
                "screen_many takes an iterable of str, not a str; use screen() for one text",
            ));
        }
        let iter = texts.try_iter().map_err(|_| {
            PyTypeError::new_err(format!(
                "screen_many takes an iterable of str, not {}",
                type_name(texts)
            ))
        })?;
        let mut items: Vec<PyBackedStr> = Vec::new();
        for (i, item) in iter.enumerate() {
            let text = draft_text(&item?, encoding, lossy, &format!("texts[{i}]"))?;
            check_len(&text)?;
            items.push(text);
        }
        let meta = DraftMeta {
            title,
            repost,
            source,
            kind: Some(parse_kind(kind)?),
            date: parse_date(date)?,
        };
        let format = parse_input_format(input_format)?;
        let pool = match threads {
            Some(0) => return Err(PyValueError::new_err("threads must be at least 1")),
            Some(1) => None,
            Some(n) => Some(pool(n)?),
            None => Some(pool(rayon::current_num_threads())?),
        };
        let results: Vec<PyResult<Report>> = py.detach(|| match pool {
            None => items
                .iter()
                .map(|t| self.screen_one(t, &meta, format))
                .collect(),
            Some(pool) => pool.install(|| {
                items
                    .par_iter()
                    .map(|t| self.screen_one(t, &meta, format))
                    .collect()
            }),
        });
        results
            .into_iter()
            .zip(items)
            .map(|(r, text)| r.map(|r| PyReport::new(r, text)))
            .collect()
    }

    fn __repr__(&self) -> String {
        let p = self.inner.policy();
        format!(
            "Screener(policy={:?}, version={:?}, fingerprint={:?})",
            p.name(),
            p.version(),
            p.fingerprint()
        )
    }

    /// Pickles as the canonical policy source; the embedded default policy
    /// pickles as nothing at all.
    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let policy = self.inner.policy();
        if policy.fingerprint() == Policy::embedded().fingerprint() {
            let cls = py.get_type::<PyScreener>().into_any();
            return Ok((cls, PyTuple::empty(py)));
        }
        let from_toml = py.get_type::<PyScreener>().getattr("from_toml")?;
        Ok((from_toml, PyTuple::new(py, [policy.to_toml()])?))
    }
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into())
}
