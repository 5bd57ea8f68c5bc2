//! The drafts a client sends, and their validation.

use crate::error::ApiError;
use serde::de::value::MapAccessDeserializer;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use std::marker::PhantomData;
use xianshen::DraftMeta;
use xianshen::Kind;
pub use xianshen_input::DraftFormat;
use xianshen_input::UnknownDraftFormat;

/// One draft as sent to `POST /v1/screen` (or as an item of a batch): a
/// JSON object, never an array of its field values.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, remote = "Self")]
pub struct DraftRequest {
    /// The text (or the HTML or Markdown source). Offsets point into it.
    pub text: String,
    /// The title.
    #[serde(default)]
    pub title: Option<String>,
    /// Whether the CMS marks it a repost.
    #[serde(default)]
    pub repost: Option<bool>,
    /// The declared source unit (来源).
    #[serde(default)]
    pub source: Option<String>,
    /// `article` (default), `repost`, `comment`, `reply` or `response`.
    #[serde(default)]
    pub kind: Option<String>,
    /// `text` (default), `html` or `markdown`.
    #[serde(default)]
    pub input_format: Option<String>,
}

/// A batch as sent to `POST /v1/screen/batch`: a JSON object.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, remote = "Self")]
pub struct BatchRequest {
    /// The drafts, screened in parallel, answered in this order.
    pub drafts: Vec<DraftRequest>,
}

// serde's derived `Deserialize` for a struct also accepts a sequence of
// its field values (`["text"]` would be a draft); the API takes objects
// only, as its OpenAPI document says. The derives above (`remote = "Self"`)
// make inherent `deserialize` functions, which these impls call on a map.

impl<'de> Deserialize<'de> for DraftRequest {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ObjectOnly::<DraftRequest>(PhantomData))
    }
}

impl<'de> Deserialize<'de> for BatchRequest {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ObjectOnly::<BatchRequest>(PhantomData))
    }
}

/// A request type read from a JSON object by its derived deserializer.
trait FromObject: Sized {
    fn from_object<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

impl FromObject for DraftRequest {
    fn from_object<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
        DraftRequest::deserialize(MapAccessDeserializer::new(map))
    }
}

impl FromObject for BatchRequest {
    fn from_object<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
        BatchRequest::deserialize(MapAccessDeserializer::new(map))
    }
}

/// Accepts a JSON object only.
struct ObjectOnly<T>(PhantomData<T>);

impl<'de, T: FromObject> Visitor<'de> for ObjectOnly<T> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::from_object(map)
    }
}

/// A draft whose fields all checked out.
#[derive(Clone, Debug)]
pub struct ValidDraft {
    /// The text or markup source.
    pub text: String,
    /// How it is written.
    pub format: DraftFormat,
    /// Title, repost flag, source and kind.
    pub meta: DraftMeta,
}

impl DraftRequest {
    /// Checks the field values; `path` prefixes field names in errors
    /// (`drafts[3].` in a batch).
    ///
    /// # Errors
    ///
    /// [`ApiError::InvalidField`] for an unknown kind or input format.
    pub fn validate(self, path: &str) -> Result<ValidDraft, ApiError> {
        let kind = match self.kind.as_deref() {
            None => None,
            Some(name) => Some(name.parse::<Kind>().map_err(|e| ApiError::InvalidField {
                field: format!("{path}kind"),
                message: e.to_string(),
            })?),
        };
        let format = match self.input_format.as_deref() {
            None => DraftFormat::Text,
            Some(name) => name
                .parse()
                .map_err(|e: UnknownDraftFormat| ApiError::InvalidField {
                    field: format!("{path}input_format"),
                    message: e.to_string(),
                })?,
        };
        Ok(ValidDraft {
            text: self.text,
            format,
            meta: DraftMeta {
                title: self.title,
                repost: self.repost,
                source: self.source,
                kind,
                date: None,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(kind: Option<&str>, format: Option<&str>) -> DraftRequest {
        DraftRequest {
            text: "x".into(),
            title: None,
            repost: None,
            source: None,
            kind: kind.map(Into::into),
            input_format: format.map(Into::into),
        }
    }

    #[test]
    fn unknown_values_name_the_field() {
        let err = draft(Some("tweet"), None)
            .validate("drafts[2].")
            .unwrap_err();
        assert!(matches!(&err, ApiError::InvalidField { field, .. } if field == "drafts[2].kind"));
        let err = draft(None, Some("pdf")).validate("").unwrap_err();
        assert!(matches!(&err, ApiError::InvalidField { field, .. } if field == "input_format"));
        let ok = draft(Some("comment"), Some("html")).validate("").unwrap();
        assert_eq!(ok.meta.kind, Some(Kind::Comment));
        assert_eq!(ok.format, DraftFormat::Html);
    }

    #[test]
    fn requests_are_objects_not_arrays() {
        let ok: DraftRequest = serde_json::from_str(r#"{"text": "x", "repost": true}"#).unwrap();
        assert_eq!((ok.text.as_str(), ok.repost), ("x", Some(true)));
        let err = serde_json::from_str::<DraftRequest>(r#"["x"]"#).unwrap_err();
        assert!(err.to_string().contains("a JSON object"), "{err}");
        assert!(serde_json::from_str::<DraftRequest>(r#"{"text": "x", "y": 1}"#).is_err());
        assert!(serde_json::from_str::<DraftRequest>(r#"{}"#).is_err());
        let batch: BatchRequest = serde_json::from_str(r#"{"drafts": [{"text": "a"}]}"#).unwrap();
        assert_eq!(batch.drafts.len(), 1);
        assert!(serde_json::from_str::<BatchRequest>(r#"[[{"text": "a"}]]"#).is_err());
        assert!(serde_json::from_str::<BatchRequest>(r#"{"drafts": [["a"]]}"#).is_err());
    }
}
