//! The real-text corpora of `../shared/realtext/` (xz-compressed JSONL, one
//! document a line) and the unpacked law corpus, read in place.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

/// One document of a corpus.
pub struct Doc {
    /// The document id (`id` of the JSONL line, or the path below the corpus folder).
    pub id: String,
    /// The text.
    pub text: String,
}

impl Doc {
    /// The day the document was published, when its id starts with it
    /// (`20231107-9`, a 新闻联播 story): an archived story is screened as
    /// on that day, so that the dates it gives read as they did then.
    ///
    /// ```
    /// # use xianshen_benches::realtext::Doc;
    /// let doc = Doc { id: "20231107-9".into(), text: String::new() };
    /// assert_eq!(doc.published().map(|d| d.year()), Some(2023));
    /// let doc = Doc { id: "DEV_622".into(), text: String::new() };
    /// assert!(doc.published().is_none());
    /// ```
    pub fn published(&self) -> Option<xianshen::Date> {
        let digits = self
            .id
            .get(..8)
            .filter(|d| d.bytes().all(|b| b.is_ascii_digit()))?;
        let number = |r: std::ops::Range<usize>| digits[r].parse::<u32>().ok();
        xianshen::Date::new(number(0..4)?, number(4..6)?, number(6..8)?).ok()
    }
}

/// Reads `<name>.jsonl.xz` through `xz -dc`.
pub fn read_realtext(dir: &Path, name: &str) -> Result<Vec<Doc>, String> {
    let path = dir.join(format!("{name}.jsonl.xz"));
    let mut child = Command::new("xz")
        .arg("-dc")
        .arg(&path)
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("xz -dc {}: {e}", path.display()))?;
    let stdout = child.stdout.take().expect("piped stdout");
    let mut docs = Vec::new();
    for (n, line) in BufReader::new(stdout).lines().enumerate() {
        let line = line.map_err(|e| format!("{}: line {}: {e}", path.display(), n + 1))?;
        let v: serde_json::Value = serde_json::from_str(&line)
            .map_err(|e| format!("{}: line {}: {e}", path.display(), n + 1))?;
        let field = |k: &str| {
            v[k].as_str()
                .map(str::to_string)
                .ok_or_else(|| format!("{}: line {}: no string \"{k}\"", path.display(), n + 1))
        };
        docs.push(Doc {
            id: field("id")?,
            text: field("text")?,
        });
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(format!("xz -dc {}: {status}", path.display()));
    }
    Ok(docs)
}

/// Every file below `dir`, one document each, id = the path below `dir`.
pub fn read_law(dir: &Path) -> Result<Vec<Doc>, String> {
    let files = crate::corpus_files(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    files
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(f).map_err(|e| format!("{}: {e}", f.display()))?;
            let id = f.strip_prefix(dir).unwrap_or(f).display().to_string();
            Ok(Doc { id, text })
        })
        .collect()
}
