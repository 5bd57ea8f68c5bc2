//! Screeners, reports, findings, redaction.

use crate::error::{fallible, xs_error};
use crate::{boundary, xs_status};
use std::ffi::{c_char, c_void, CStr, CString, OsStr};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::ptr;
use std::sync::OnceLock;
use xs_core::{
    Approval, Draft, EngineInfo, Kind, Mask, Policy, Report, Screener, Severity, Verdict,
};

extern "C" {
    fn malloc(size: usize) -> *mut c_void;
    fn free(ptr: *mut c_void);
}

/// A string as pointer + length (UTF-8 unless said otherwise).
///
/// Strings handed out by the library are borrowed from the handle they came
/// from and are NOT NUL-terminated unless the function says so. An absent
/// optional string has `ptr == NULL` and `len == 0`; a present empty string
/// has a non-NULL `ptr`.
///
/// Strings passed in: `ptr` may be NULL only when `len` is 0 (and then,
/// for an optional field, means "absent").
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct xs_str {
    /// The first byte.
    pub ptr: *const c_char,
    /// The length in bytes.
    pub len: usize,
}

impl xs_str {
    /// An absent string.
    pub(crate) fn none() -> xs_str {
        xs_str {
            ptr: ptr::null(),
            len: 0,
        }
    }

    /// A present, empty string (pointing at a static NUL, never dangling).
    pub(crate) fn empty() -> xs_str {
        xs_str {
            ptr: c"".as_ptr(),
            len: 0,
        }
    }

    pub(crate) fn from_str(s: &str) -> xs_str {
        if s.is_empty() {
            xs_str::empty()
        } else {
            xs_str {
                ptr: s.as_ptr().cast(),
                len: s.len(),
            }
        }
    }

    fn from_opt(s: Option<&str>) -> xs_str {
        s.map_or(xs_str::none(), xs_str::from_str)
    }

    /// The bytes of a string passed in; `None` when absent (`ptr` NULL,
    /// `len` 0).
    ///
    /// # Safety
    ///
    /// `ptr` must point at `len` readable bytes when it is not NULL.
    unsafe fn bytes<'a>(self, what: &str) -> Result<Option<&'a [u8]>, xs_error> {
        // SAFETY: forwarded to the caller.
        unsafe { bytes(self.ptr, self.len, what) }
    }

    /// A UTF-8 string passed in; `None` when absent.
    unsafe fn text<'a>(self, what: &str) -> Result<Option<&'a str>, xs_error> {
        // SAFETY: forwarded to the caller.
        match unsafe { self.bytes(what) }? {
            None => Ok(None),
            Some(b) => utf8(b, what).map(Some),
        }
    }
}

/// `len` bytes at `ptr`; `None` for (NULL, 0); an error for (NULL, n > 0).
pub(crate) unsafe fn bytes<'a>(
    ptr: *const c_char,
    len: usize,
    what: &str,
) -> Result<Option<&'a [u8]>, xs_error> {
    // SAFETY: forwarded to the caller.
    unsafe { slice(ptr.cast::<u8>(), len, what) }
}

/// `len` values at `ptr`; `None` for (NULL, 0); an error for (NULL, n > 0)
/// and for a pointer not aligned for `T`.
///
/// # Safety
///
/// `ptr` is NULL or points to `len` readable values.
pub(crate) unsafe fn slice<'a, T>(
    ptr: *const T,
    len: usize,
    what: &str,
) -> Result<Option<&'a [T]>, xs_error> {
    if ptr.is_null() {
        return if len == 0 {
            Ok(None)
        } else {
            Err(xs_error::null(what))
        };
    }
    if !ptr.is_aligned() {
        return Err(xs_error::invalid(format!(
            "{what} is not aligned to {} bytes",
            std::mem::align_of::<T>()
        )));
    }
    // SAFETY: the caller guarantees `len` readable values at a non-NULL,
    // aligned `ptr`.
    Ok(Some(unsafe { std::slice::from_raw_parts(ptr, len) }))
}

/// A `uint64_t` length argument as a `usize`.
pub(crate) fn len_arg(len: u64, what: &str) -> Result<usize, xs_error> {
    usize::try_from(len)
        .map_err(|_| xs_error::invalid(format!("{what} {len} does not fit in memory")))
}

fn utf8<'a>(b: &'a [u8], what: &str) -> Result<&'a str, xs_error> {
    std::str::from_utf8(b).map_err(|e| xs_error::utf8(what, e.valid_up_to()))
}

/// A NUL-terminated path argument (bytes, as the OS takes them).
unsafe fn path_arg<'a>(p: *const c_char, what: &str) -> Result<&'a Path, xs_error> {
    if p.is_null() {
        return Err(xs_error::null(what));
    }
    // SAFETY: the caller passes a NUL-terminated string.
    let bytes = unsafe { CStr::from_ptr(p) }.to_bytes();
    Ok(Path::new(OsStr::from_bytes(bytes)))
}

/// Writes `value` to an out-parameter, or fails when it is NULL.
fn out<'a, T>(dst: *mut T, what: &str) -> Result<&'a mut T, xs_error> {
    // SAFETY: NULL or pointer to writable storage for a `T` (documented on
    // every export); the reference does not outlive the call.
    unsafe { dst.as_mut() }.ok_or_else(|| xs_error::null(what))
}

/// Whether a draft is a repost. A value of this enum is passed as
/// `uint32_t` (`xs_screen_options.repost`); other values give
/// `XS_ERR_INVALID_ARGUMENT`.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum xs_repost {
    /// Not known: the text's own markers (原标题, 据…报道 …) decide.
    XS_REPOST_UNKNOWN = 0,
    /// The CMS marks the draft as a repost: it must name its source.
    XS_REPOST_YES = 1,
    /// The CMS marks the draft as original.
    XS_REPOST_NO = 2,
}

/// What kind of text a draft is. A value of this enum is passed as
/// `uint32_t` (`xs_screen_options.kind`); other values give
/// `XS_ERR_INVALID_ARGUMENT`. Comments from the public are screened for
/// evasive spellings (pinyin, homophones, 拆字) as the policy says.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum xs_kind {
    /// The account's own article or post (the default).
    XS_KIND_ARTICLE = 0,
    /// A repost of another outlet's item (implies a repost).
    XS_KIND_REPOST = 1,
    /// A comment or message from a member of the public (网民留言).
    XS_KIND_COMMENT = 2,
    /// The account's reply to a message from the public.
    XS_KIND_REPLY = 3,
    /// A response to a public-opinion incident (舆情回应).
    XS_KIND_RESPONSE = 4,
}

/// The decision for a whole draft.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum xs_verdict {
    /// No review or block finding.
    XS_VERDICT_PASS = 0,
    /// At least one review finding and no block finding.
    XS_VERDICT_REVIEW = 1,
    /// At least one block finding: must not be published as it is.
    XS_VERDICT_BLOCK = 2,
}

/// How serious a finding is.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum xs_severity {
    /// Worth knowing (a style suggestion); does not change the verdict.
    XS_SEVERITY_INFO = 0,
    /// A person must look at it before publishing.
    XS_SEVERITY_REVIEW = 1,
    /// Must not be published as it is.
    XS_SEVERITY_BLOCK = 2,
}

/// Who must sign off before publishing (分级审核).
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum xs_approval {
    /// Only in `xs_finding.approval`: the finding asks for nothing beyond
    /// the reviewer every draft has.
    XS_APPROVAL_NONE = 0,
    /// The unit's reviewer (审核员): every item.
    XS_APPROVAL_REVIEWER = 1,
    /// The unit's head (单位主要负责人).
    XS_APPROVAL_HEAD = 2,
    /// City leadership (市领导): major or emergency events.
    XS_APPROVAL_LEADERSHIP = 3,
}

/// How `xs_report_redact` masks a finding. Passed as `uint32_t`
/// (`xs_redact_options.mask`); other values give `XS_ERR_INVALID_ARGUMENT`.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum xs_mask {
    /// `mask_char` once per grapheme cluster (an emoji family is one).
    XS_MASK_CHAR = 0,
    /// `replacement` in place of the whole finding.
    XS_MASK_REPLACE = 1,
    /// The finding's suggestion where it has one (style rules), else
    /// `mask_char` per grapheme cluster.
    XS_MASK_SUGGESTION_OR_CHAR = 2,
}

fn verdict(v: Verdict) -> xs_verdict {
    match v {
        Verdict::Pass => xs_verdict::XS_VERDICT_PASS,
        Verdict::Review => xs_verdict::XS_VERDICT_REVIEW,
        Verdict::Block => xs_verdict::XS_VERDICT_BLOCK,
    }
}

fn severity(s: Severity) -> xs_severity {
    match s {
        Severity::Info => xs_severity::XS_SEVERITY_INFO,
        Severity::Review => xs_severity::XS_SEVERITY_REVIEW,
        Severity::Block => xs_severity::XS_SEVERITY_BLOCK,
    }
}

fn approval(a: Option<Approval>) -> xs_approval {
    match a {
        None => xs_approval::XS_APPROVAL_NONE,
        Some(Approval::Reviewer) => xs_approval::XS_APPROVAL_REVIEWER,
        Some(Approval::Head) => xs_approval::XS_APPROVAL_HEAD,
        Some(Approval::Leadership) => xs_approval::XS_APPROVAL_LEADERSHIP,
    }
}

/// A compiled policy. Immutable once built: one screener may be used by
/// any number of threads at the same time (`xs_screen` takes it `const`),
/// with no locking by the caller. Build it once at start-up (building
/// compiles every term into one automaton) and free it once, after every
/// thread is done with it.
pub struct xs_screener {
    pub(crate) inner: Screener,
}

pub(crate) fn new_screener(
    out_ptr: *mut *mut xs_screener,
    build: impl FnOnce() -> Result<Screener, xs_error>,
) -> Result<(), xs_error> {
    let slot = out(out_ptr, "screener")?;
    *slot = ptr::null_mut();
    let inner = build()?;
    *slot = Box::into_raw(Box::new(xs_screener { inner }));
    Ok(())
}

/// Builds a screener for the embedded default policy.
///
/// On success stores a new screener in `*screener` (free it with
/// `xs_screener_free`) and returns `XS_OK`. `error` may be NULL; when it is
/// not, `*error` is set to NULL on success and to a new `xs_error` (free it
/// with `xs_error_free`) on failure. Errors: `XS_ERR_NULL_ARGUMENT` when
/// `screener` is NULL. Thread safety: may be called from any thread.
#[no_mangle]
pub unsafe extern "C" fn xs_screener_new_default(
    screener: *mut *mut xs_screener,
    error: *mut *mut xs_error,
) -> xs_status {
    fallible(error, || new_screener(screener, || Ok(Screener::new())))
}

/// Builds a screener from policy TOML text: `toml_len` bytes at `toml`,
/// UTF-8 (not NUL-terminated). List files and `extends` paths in it are
/// resolved against `base_dir` (a NUL-terminated path), or against the
/// process's current directory when `base_dir` is NULL.
///
/// On success stores a new screener in `*screener` (free it with
/// `xs_screener_free`). The library keeps no pointer to `toml` or
/// `base_dir` after the call. `error` as for `xs_screener_new_default`.
///
/// Errors: `XS_ERR_NULL_ARGUMENT` (`screener` NULL, or `toml` NULL with
/// `toml_len` > 0), `XS_ERR_INVALID_UTF8` (byte offset in
/// `xs_error_byte_offset`), `XS_ERR_POLICY_SYNTAX` and
/// `XS_ERR_POLICY_INVALID` (with `xs_error_line` / `xs_error_column` when
/// the problem is at a place in the text), `XS_ERR_IO` (a list or extended
/// file is missing or unreadable; `xs_error_path` may name it).
/// Thread safety: may be called from any thread.
#[no_mangle]
pub unsafe extern "C" fn xs_screener_new_from_toml(
    toml: *const c_char,
    toml_len: usize,
    base_dir: *const c_char,
    screener: *mut *mut xs_screener,
    error: *mut *mut xs_error,
) -> xs_status {
    fallible(error, || {
        new_screener(screener, || {
            // SAFETY: `toml_len` readable bytes at `toml` (documented).
            let text = unsafe { bytes(toml, toml_len, "toml") }?.unwrap_or_default();
            let text = utf8(text, "the policy TOML")?;
            let base = if base_dir.is_null() {
                None
            } else {
                // SAFETY: a NUL-terminated string (documented).
                Some(unsafe { path_arg(base_dir, "base_dir") }?)
            };
            let policy = Policy::from_toml_in(text, base).map_err(|e| xs_error::from_policy(&e))?;
            Screener::from_policy(policy).map_err(|e| xs_error::from_policy(&e))
        })
    })
}

/// Builds a screener from a policy file: `path` is NUL-terminated. List
/// files are resolved against the policy file's folder.
///
/// On success stores a new screener in `*screener` (free it with
/// `xs_screener_free`). `error` as for `xs_screener_new_default`.
///
/// Errors: `XS_ERR_NULL_ARGUMENT`, `XS_ERR_IO` (the file or a list file
/// cannot be read), `XS_ERR_POLICY_SYNTAX`, `XS_ERR_POLICY_INVALID` (both
/// with line, column and `xs_error_path`). Thread safety: may be called
/// from any thread.
#[no_mangle]
pub unsafe extern "C" fn xs_screener_new_from_file(
    path: *const c_char,
    screener: *mut *mut xs_screener,
    error: *mut *mut xs_error,
) -> xs_status {
    fallible(error, || {
        new_screener(screener, || {
            // SAFETY: a NUL-terminated string (documented).
            let path = unsafe { path_arg(path, "path") }?;
            let policy = Policy::from_file(path).map_err(|e| xs_error::from_policy(&e))?;
            Screener::from_policy(policy).map_err(|e| xs_error::from_policy(&e))
        })
    })
}

/// Releases a screener. NULL is allowed (and does nothing). No other thread
/// may be using it; reports made with it stay valid (they own their data).
#[no_mangle]
pub unsafe extern "C" fn xs_screener_free(screener: *mut xs_screener) {
    boundary((), || {
        if !screener.is_null() {
            // SAFETY: a pointer from `new_screener`, freed once.
            drop(unsafe { Box::from_raw(screener) });
        }
    })
}

/// Metadata of a draft, for `xs_screen`. A zero-initialised struct
/// (`xs_screen_options opts = {0};`) means: no title, no source, repost
/// unknown, an article — the same as passing NULL options.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct xs_screen_options {
    /// The title (checked for repost markers such as 原标题); UTF-8;
    /// `ptr == NULL`: no title.
    pub title: xs_str,
    /// The declared source unit (来源) from the CMS; UTF-8;
    /// `ptr == NULL`: none.
    pub source: xs_str,
    /// One of `enum xs_repost` (`XS_REPOST_UNKNOWN` is 0).
    pub repost: u32,
    /// One of `enum xs_kind` (`XS_KIND_ARTICLE` is 0).
    pub kind: u32,
}

/// The findings, verdict and audit data for one draft.
///
/// Owns everything it hands out: every string in an `xs_finding`, the JSON
/// text, and a copy of the screened text (for `xs_report_redact`). Those
/// stay valid until `xs_report_free`. Immutable apart from the JSON text,
/// which is built once on first use in a thread-safe way, so a report may
/// be read from several threads at once.
pub struct xs_report {
    report: Report,
    input: String,
    /// The JSON text followed by one NUL byte.
    json: OnceLock<String>,
}

/// Screens a draft: `text_len` bytes of UTF-8 at `text` (not
/// NUL-terminated; NULL is allowed when `text_len` is 0). `options` may be
/// NULL (no title, no source, repost unknown).
///
/// On success stores a new report in `*report` (free it with
/// `xs_report_free`). Every offset in it points into `text`. The library
/// keeps no pointer to `text` or `options` after the call. `error` may be
/// NULL; when it is not, `*error` is set to NULL on success and to a new
/// `xs_error` (free it with `xs_error_free`) on failure.
///
/// Errors: `XS_ERR_NULL_ARGUMENT` (`screener` or `report` NULL, or a NULL
/// pointer with a length > 0), `XS_ERR_INVALID_UTF8` (the text, title or
/// source is not UTF-8; `xs_error_byte_offset` gives the first bad byte),
/// `XS_ERR_INVALID_ARGUMENT` (an unknown `repost` or `kind` value).
///
/// Thread safety: any number of threads may call `xs_screen` on the same
/// screener at the same time.
#[no_mangle]
pub unsafe extern "C" fn xs_screen(
    screener: *const xs_screener,
    text: *const c_char,
    text_len: usize,
    options: *const xs_screen_options,
    report: *mut *mut xs_report,
    error: *mut *mut xs_error,
) -> xs_status {
    fallible(error, || {
        let slot = out(report, "report")?;
        *slot = ptr::null_mut();
        // SAFETY: NULL or a live screener from this library.
        let screener = unsafe { screener.as_ref() }.ok_or_else(|| xs_error::null("screener"))?;
        // SAFETY: NULL or a readable `xs_screen_options`.
        let options = unsafe { options.as_ref() }
            .copied()
            .unwrap_or(xs_screen_options {
                title: xs_str::none(),
                source: xs_str::none(),
                repost: xs_repost::XS_REPOST_UNKNOWN as u32,
                kind: xs_kind::XS_KIND_ARTICLE as u32,
            });
        // SAFETY: `text_len` readable bytes at `text` (documented).
        let bytes = unsafe { bytes(text, text_len, "text") }?.unwrap_or_default();
        // SAFETY: the fields point at readable bytes (documented).
        let title = unsafe { options.title.text("the title") }?;
        // SAFETY: as above.
        let source = unsafe { options.source.text("the source") }?;
        let repost = match options.repost {
            0 => None,
            1 => Some(true),
            2 => Some(false),
            other => {
                return Err(xs_error::invalid(format!(
                    "repost is {other}, expected XS_REPOST_UNKNOWN (0), XS_REPOST_YES (1) or XS_REPOST_NO (2)"
                )))
            }
        };
        let kind = match usize::try_from(options.kind)
            .ok()
            .and_then(|k| Kind::ALL.get(k))
        {
            Some(&kind) => kind,
            None => {
                return Err(xs_error::invalid(format!(
                    "kind is {}, expected XS_KIND_ARTICLE (0), XS_KIND_REPOST (1), XS_KIND_COMMENT (2), XS_KIND_REPLY (3) or XS_KIND_RESPONSE (4)",
                    options.kind
                )))
            }
        };
        let draft = Draft {
            text: "",
            title,
            repost,
            source,
            kind,
            date: None,
        };
        let result = screener
            .inner
            .screen_utf8(bytes, draft)
            .map_err(|e| xs_error::from_input(&e))?;
        // screen_utf8 has validated the text; converting again keeps this
        // crate free of `unsafe` conversions at a negligible cost.
        let input = utf8(bytes, "the text")?.to_owned();
        *slot = Box::into_raw(Box::new(xs_report {
            report: result,
            input,
            json: OnceLock::new(),
        }));
        Ok(())
    })
}

/// Releases a report. NULL is allowed (and does nothing). Every string
/// borrowed from it (findings, JSON) is invalid afterwards.
#[no_mangle]
pub unsafe extern "C" fn xs_report_free(report: *mut xs_report) {
    boundary((), || {
        if !report.is_null() {
            // SAFETY: a pointer from `xs_screen`, freed once.
            drop(unsafe { Box::from_raw(report) });
        }
    })
}

/// The verdict. Fails closed: `XS_VERDICT_BLOCK` when `report` is NULL.
#[no_mangle]
pub unsafe extern "C" fn xs_report_verdict(report: *const xs_report) -> xs_verdict {
    boundary(xs_verdict::XS_VERDICT_BLOCK, || {
        // SAFETY: NULL or a live report from this library.
        unsafe { report.as_ref() }
            .map_or(xs_verdict::XS_VERDICT_BLOCK, |r| verdict(r.report.verdict))
    })
}

/// Who must sign off: the highest approval any finding asks for,
/// `XS_APPROVAL_REVIEWER` at least (never `XS_APPROVAL_NONE`). Fails
/// closed: `XS_APPROVAL_LEADERSHIP` when `report` is NULL.
#[no_mangle]
pub unsafe extern "C" fn xs_report_approval(report: *const xs_report) -> xs_approval {
    boundary(xs_approval::XS_APPROVAL_LEADERSHIP, || {
        // SAFETY: NULL or a live report from this library.
        unsafe { report.as_ref() }.map_or(xs_approval::XS_APPROVAL_LEADERSHIP, |r| {
            approval(Some(r.report.approval))
        })
    })
}

/// Whether the findings were cut at the policy's `[limits] max_findings`
/// (the verdict and approval still account for every finding). False when
/// `report` is NULL.
#[no_mangle]
pub unsafe extern "C" fn xs_report_truncated(report: *const xs_report) -> bool {
    // SAFETY: NULL or a live report from this library.
    boundary(false, || {
        unsafe { report.as_ref() }.is_some_and(|r| r.report.truncated)
    })
}

/// The number of findings (0 when `report` is NULL). Findings are sorted
/// by start offset, then rule id.
#[no_mangle]
pub unsafe extern "C" fn xs_report_finding_count(report: *const xs_report) -> usize {
    // SAFETY: NULL or a live report from this library.
    boundary(0, || {
        unsafe { report.as_ref() }.map_or(0, |r| r.report.findings.len())
    })
}

/// One finding, as plain data. Every `xs_str` in it is borrowed from the
/// report (valid until `xs_report_free`) and is not NUL-terminated.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct xs_finding {
    /// Stable rule id, e.g. `term.drugs`, `privacy.id_card`.
    pub rule: xs_str,
    /// The part of the rule id before the first dot, e.g. `term`.
    pub category: xs_str,
    /// How serious it is.
    pub severity: xs_severity,
    /// Who must sign off because of it; `XS_APPROVAL_NONE` when it asks for
    /// nothing beyond the reviewer.
    pub approval: xs_approval,
    /// UTF-8 byte offset of the first byte in the screened text.
    pub start: usize,
    /// UTF-8 byte offset one past the last byte: `text[start..end]` is
    /// exactly the finding's `text`.
    pub end: usize,
    /// Offset in Unicode scalar values (code points) of the first char.
    pub char_start: usize,
    /// Offset in Unicode scalar values one past the last char.
    pub char_end: usize,
    /// Offset in UTF-16 code units of the first char: the index a Java,
    /// JavaScript or C# string uses (a char outside the BMP counts 2).
    pub utf16_start: usize,
    /// Offset in UTF-16 code units one past the last char.
    pub utf16_end: usize,
    /// 1-based line of `start`.
    pub line: usize,
    /// 1-based column of `start`, in chars.
    pub column: usize,
    /// The screened text of the span, exactly as written.
    pub text: xs_str,
    /// For `term.*` findings, the lexicon entry as written in the policy;
    /// else absent (`ptr == NULL`).
    pub term: xs_str,
    /// What is wrong and what to do (Chinese).
    pub message: xs_str,
    /// A replacement to offer (style rules); else absent (`ptr == NULL`).
    pub suggestion: xs_str,
    /// For a `term.*` finding spelled to evade the filter, which spelling
    /// matched: `lookalike`, `pinyin`, `homophone` or `chaizi`; else absent
    /// (`ptr == NULL`).
    pub evasion: xs_str,
}

/// Fills `*finding` with finding number `index` (0-based, below
/// `xs_report_finding_count`).
///
/// Errors: `XS_ERR_NULL_ARGUMENT` (`report` or `finding` NULL),
/// `XS_ERR_OUT_OF_RANGE` (`index` too large; `*finding` is left alone).
/// There is no `error` argument: the status says everything.
/// Thread safety: the report may be read from several threads at once.
#[no_mangle]
pub unsafe extern "C" fn xs_report_finding(
    report: *const xs_report,
    index: usize,
    finding: *mut xs_finding,
) -> xs_status {
    // SAFETY: forwarded; the same contract.
    unsafe { report_finding(report, index, finding, |r| &r.findings) }
}

/// The number of findings in the title (0 when `report` is NULL or the
/// draft had no title). The title is screened as a field of its own:
/// these findings' offsets, line and column point into the title.
#[no_mangle]
pub unsafe extern "C" fn xs_report_title_finding_count(report: *const xs_report) -> usize {
    // SAFETY: NULL or a live report from this library.
    boundary(0, || {
        unsafe { report.as_ref() }.map_or(0, |r| r.report.title_findings.len())
    })
}

/// Fills `*finding` with title finding number `index` (0-based, below
/// `xs_report_title_finding_count`); its offsets index the title.
///
/// Errors and thread safety: as `xs_report_finding`.
#[no_mangle]
pub unsafe extern "C" fn xs_report_title_finding(
    report: *const xs_report,
    index: usize,
    finding: *mut xs_finding,
) -> xs_status {
    // SAFETY: forwarded; the same contract.
    unsafe { report_finding(report, index, finding, |r| &r.title_findings) }
}

/// `xs_report_finding` over the list `which` picks from the report.
///
/// # Safety
///
/// `report` is NULL or a live report; `finding` is NULL or writable.
unsafe fn report_finding(
    report: *const xs_report,
    index: usize,
    finding: *mut xs_finding,
    which: impl Fn(&xs_core::Report) -> &Vec<xs_core::Finding>,
) -> xs_status {
    fallible(ptr::null_mut(), || {
        // SAFETY: NULL or a live report from this library.
        let r = unsafe { report.as_ref() }.ok_or_else(|| xs_error::null("report"))?;
        if finding.is_null() {
            return Err(xs_error::null("finding"));
        }
        let f = which(&r.report).get(index).ok_or_else(|| {
            xs_error::new(xs_status::XS_ERR_OUT_OF_RANGE, "finding index out of range")
        })?;
        let value = xs_finding {
            rule: xs_str::from_str(&f.rule),
            category: xs_str::from_str(&f.category),
            severity: severity(f.severity),
            approval: approval(f.approval),
            start: f.start,
            end: f.end,
            char_start: f.char_start,
            char_end: f.char_end,
            utf16_start: f.utf16_start,
            utf16_end: f.utf16_end,
            line: f.line,
            column: f.column,
            text: xs_str::from_str(&f.text),
            term: xs_str::from_opt(f.term.as_deref()),
            message: xs_str::from_str(&f.message),
            suggestion: xs_str::from_opt(f.suggestion.as_deref()),
            evasion: xs_str::from_opt(f.evasion.map(|e| e.as_str())),
        };
        // SAFETY: checked non-NULL; the caller provides storage. Written
        // whole, never read, so its previous content does not matter.
        unsafe { ptr::write(finding, value) };
        Ok(())
    })
}

/// Stores in `*json` the whole report as `xianshen.report/1` JSON (UTF-8,
/// also NUL-terminated; the NUL is not counted in `len`). Owned by the
/// report: valid until `xs_report_free`; built on the first call.
///
/// Errors: `XS_ERR_NULL_ARGUMENT` (`report` or `json` NULL).
/// Thread safety: the report may be read from several threads at once.
#[no_mangle]
pub unsafe extern "C" fn xs_report_json(report: *const xs_report, json: *mut xs_str) -> xs_status {
    fallible(ptr::null_mut(), || {
        // SAFETY: NULL or a live report from this library.
        let r = unsafe { report.as_ref() }.ok_or_else(|| xs_error::null("report"))?;
        let slot = out(json, "json")?;
        let text = r.json.get_or_init(|| {
            let mut s = r.report.to_json();
            s.push('\0');
            s
        });
        *slot = xs_str {
            ptr: text.as_ptr().cast(),
            len: text.len() - 1,
        };
        Ok(())
    })
}

/// How to redact, for `xs_report_redact`. A zero-initialised struct means:
/// every finding, `*` per grapheme cluster — the same as NULL options.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct xs_redact_options {
    /// One of `enum xs_mask` (`XS_MASK_CHAR` is 0).
    pub mask: u32,
    /// The mask char, a Unicode scalar value, for `XS_MASK_CHAR` and
    /// `XS_MASK_SUGGESTION_OR_CHAR`; 0 means `*`.
    pub mask_char: u32,
    /// The replacement text (UTF-8) for `XS_MASK_REPLACE`.
    pub replacement: xs_str,
    /// Only findings whose rule id starts with one of these prefixes (e.g.
    /// `privacy.`) are masked; every finding when `rule_prefix_count` is 0.
    pub rule_prefixes: *const xs_str,
    /// The number of entries in `rule_prefixes`.
    pub rule_prefix_count: usize,
}

pub(crate) fn malloc_copy(s: &str) -> Result<*mut c_char, xs_error> {
    // SAFETY: plain allocation of len + 1 bytes, checked for NULL.
    let p = unsafe { malloc(s.len() + 1) }.cast::<u8>();
    if p.is_null() {
        return Err(xs_error::new(
            xs_status::XS_ERR_OUT_OF_MEMORY,
            "cannot allocate the redacted text",
        ));
    }
    // SAFETY: `p` has room for len + 1 bytes and does not overlap `s`.
    unsafe {
        ptr::copy_nonoverlapping(s.as_ptr(), p, s.len());
        *p.add(s.len()) = 0;
    }
    Ok(p.cast())
}

/// Masks the findings in the screened text (the report keeps a copy), e.g.
/// ID numbers before a comment is shown. Overlapping or touching findings
/// are masked as one span. `options` may be NULL (every finding, `*`).
///
/// On success stores in `*out` a new buffer of `*out_len` bytes of UTF-8,
/// plus a terminating NUL (not counted). The caller owns it and releases it
/// with `xs_string_free` (it comes from `malloc`, so `free` works too). The
/// library keeps no pointer to `options` after the call. `error` as for
/// `xs_screen`.
///
/// Errors: `XS_ERR_NULL_ARGUMENT` (`report`, `out` or `out_len` NULL, or a
/// NULL pointer with a count or length > 0), `XS_ERR_INVALID_ARGUMENT`
/// (unknown `mask`, `mask_char` not a Unicode scalar value),
/// `XS_ERR_INVALID_UTF8` (the replacement or a prefix),
/// `XS_ERR_OUT_OF_MEMORY`. Thread safety: the report may be read from
/// several threads at once.
#[no_mangle]
pub unsafe extern "C" fn xs_report_redact(
    report: *const xs_report,
    options: *const xs_redact_options,
    out_text: *mut *mut c_char,
    out_len: *mut usize,
    error: *mut *mut xs_error,
) -> xs_status {
    fallible(error, || {
        let text_slot = out(out_text, "out")?;
        *text_slot = ptr::null_mut();
        let len_slot = out(out_len, "out_len")?;
        *len_slot = 0;
        // SAFETY: NULL or a live report from this library.
        let r = unsafe { report.as_ref() }.ok_or_else(|| xs_error::null("report"))?;
        // SAFETY: NULL or a readable `xs_redact_options`.
        let options = unsafe { options.as_ref() }
            .copied()
            .unwrap_or(xs_redact_options {
                mask: xs_mask::XS_MASK_CHAR as u32,
                mask_char: 0,
                replacement: xs_str::none(),
                rule_prefixes: ptr::null(),
                rule_prefix_count: 0,
            });
        let mask_char = match options.mask_char {
            0 => '*',
            c => char::from_u32(c).ok_or_else(|| {
                xs_error::invalid(format!("mask_char {c:#x} is not a Unicode scalar value"))
            })?,
        };
        let mask = match options.mask {
            0 => Mask::Char(mask_char),
            1 => {
                // SAFETY: the field points at readable bytes (documented).
                let r = unsafe { options.replacement.text("the replacement") }?;
                Mask::Replace(r.unwrap_or_default().to_owned())
            }
            2 => Mask::SuggestionOr(mask_char),
            other => {
                return Err(xs_error::invalid(format!(
                    "mask is {other}, expected XS_MASK_CHAR (0), XS_MASK_REPLACE (1) or XS_MASK_SUGGESTION_OR_CHAR (2)"
                )))
            }
        };
        let prefixes: &[xs_str] = if options.rule_prefix_count == 0 {
            &[]
        } else if options.rule_prefixes.is_null() {
            return Err(xs_error::null("rule_prefixes"));
        } else {
            // SAFETY: `rule_prefix_count` readable entries (documented).
            unsafe { std::slice::from_raw_parts(options.rule_prefixes, options.rule_prefix_count) }
        };
        let mut wanted = Vec::with_capacity(prefixes.len());
        for p in prefixes {
            // SAFETY: each entry points at readable bytes (documented).
            wanted.push(unsafe { p.text("a rule prefix") }?.unwrap_or_default());
        }
        let masked = redact_rules(&r.input, &r.report, &wanted, &mask);
        *text_slot = malloc_copy(&masked)?;
        *len_slot = masked.len();
        Ok(())
    })
}

/// `input` with the findings of `report` whose rule id starts with one of
/// `prefixes` (every finding when there are none) masked as `mask` says:
/// the redaction of both `xs_report_redact` and `xs_screen_json`.
pub(crate) fn redact_rules(input: &str, report: &Report, prefixes: &[&str], mask: &Mask) -> String {
    // No prefix given: every finding.
    let chosen = report.findings_by_rule((!prefixes.is_empty()).then_some(prefixes));
    xs_core::redact(input, chosen, mask)
}

/// Releases a buffer returned by `xs_report_redact`. NULL is allowed.
#[no_mangle]
pub unsafe extern "C" fn xs_string_free(s: *mut c_char) {
    boundary((), || {
        if !s.is_null() {
            // SAFETY: a buffer from `malloc_copy`, freed once.
            unsafe { free(s.cast()) }
        }
    })
}

/// The engine version, e.g. `"0.1.0"`: a static NUL-terminated string
/// (never freed), the same as `engine.version` in every report's JSON.
#[no_mangle]
pub extern "C" fn xs_version() -> *const c_char {
    static VERSION: OnceLock<CString> = OnceLock::new();
    boundary(c"".as_ptr(), || {
        VERSION
            .get_or_init(|| CString::new(EngineInfo::default().version).unwrap_or_default())
            .as_ptr()
    })
}
