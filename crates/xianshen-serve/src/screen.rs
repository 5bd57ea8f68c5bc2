//! Screening one draft the way the CLI does, and the report as the
//! service answers it: `xianshen.report/1` plus UTF-16 offsets.

use crate::error::ApiError;
use crate::request::ValidDraft;
use serde_json::{json, Value};
use xianshen::{Report, Screener};

/// Screens a draft. HTML and Markdown are screened as the text a reader
/// sees, with every offset pointing into the source, exactly as
/// `xianshen check --input-format html|markdown` does.
///
/// # Errors
///
/// [`ApiError::Input`] when the HTML parser gives up.
pub fn screen_draft(screener: &Screener, draft: &ValidDraft) -> Result<Report, ApiError> {
    xianshen_input::screen_draft(screener, &draft.text, draft.format, &draft.meta)
        .map_err(|e| ApiError::Input(e.to_string()))
}

/// The report as JSON, exactly as the library serializes it: every finding,
/// in the text and in the title, carries `utf16_start` and `utf16_end`
/// (indices into the draft's text or title as a JavaScript or Java string),
/// which the library counts in its positions pass.
///
/// The report is serialized by the library and extended, never rebuilt,
/// so a field the library adds reaches clients unchanged.
///
/// # Errors
///
/// [`ApiError::Internal`] if the report does not serialize (never, for
/// the library's reports).
pub fn report_json(report: &Report) -> Result<Value, ApiError> {
    serde_json::to_value(report).map_err(|e| ApiError::Internal(e.to_string()))
}

/// A screened draft's report as the service sends it: [`report_json`]
/// plus `input_format` (`text`, `html` or `markdown`), as the CLI's JSON
/// reports give it.
///
/// # Errors
///
/// As [`report_json`].
pub fn draft_report_json(report: &Report, draft: &ValidDraft) -> Result<Value, ApiError> {
    let mut value = report_json(report)?;
    if let Some(object) = value.as_object_mut() {
        object.insert("input_format".into(), json!(draft.format.as_str()));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::DraftFormat;
    use xianshen::DraftMeta;

    #[test]
    fn utf16_offsets_of_an_astral_prefix() {
        let text = "😀本店出售冰毒";
        let report = Screener::new().screen_text(text);
        let value = report_json(&report).unwrap();
        let f = &value["findings"][0];
        assert_eq!(f["rule"], "term.drugs");
        let (start, end) = (
            f["utf16_start"].as_u64().unwrap() as usize,
            f["utf16_end"].as_u64().unwrap() as usize,
        );
        let units: Vec<u16> = text.encode_utf16().collect();
        assert_eq!(String::from_utf16(&units[start..end]).unwrap(), "出售冰毒");
        assert_eq!((start, end), (4, 8));
    }

    #[test]
    fn html_offsets_point_into_the_source() {
        let src = "<p>本店<b>出售</b>冰毒</p>";
        let draft = ValidDraft {
            text: src.into(),
            format: DraftFormat::Html,
            meta: DraftMeta::default(),
        };
        let report = screen_draft(&Screener::new(), &draft).unwrap();
        let f = &report.findings[0];
        assert_eq!(&src[f.start..f.end], "出售</b>冰毒");
    }
}
