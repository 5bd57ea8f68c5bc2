//! Turning command-line paths into texts to screen. Nothing is skipped:
//! every file that cannot be read or decoded becomes an error.

use std::io::Read;
use std::path::{Path, PathBuf};

/// One thing to screen, or why it could not be read.
pub enum Input {
    Text { name: String, text: String },
    Error { name: String, message: String },
}

/// Expands `paths` (files, folders recursively in sorted order, `-` for
/// standard input; nothing means standard input).
pub fn collect(paths: &[PathBuf]) -> Vec<Input> {
    let mut out = Vec::new();
    if paths.is_empty() {
        out.push(read_stdin());
        return out;
    }
    for path in paths {
        if path.as_os_str() == "-" {
            out.push(read_stdin());
        } else if path.is_dir() {
            walk(path, &mut out);
        } else {
            out.push(read_file(path));
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<Input>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            out.push(Input::Error {
                name: dir.display().to_string(),
                message: format!("cannot read folder: {e}"),
            });
            return;
        }
    };
    let mut children: Vec<PathBuf> = Vec::new();
    for entry in entries {
        match entry {
            Ok(e) => children.push(e.path()),
            Err(e) => out.push(Input::Error {
                name: dir.display().to_string(),
                message: format!("cannot list folder entry: {e}"),
            }),
        }
    }
    children.sort();
    for child in children {
        if child.is_dir() {
            walk(&child, out);
        } else {
            out.push(read_file(&child));
        }
    }
}

fn read_file(path: &Path) -> Input {
    let name = path.display().to_string();
    match std::fs::read(path) {
        Ok(bytes) => decode(name, bytes),
        Err(e) => Input::Error {
            name,
            message: format!("cannot read file: {e}"),
        },
    }
}

fn read_stdin() -> Input {
    let mut bytes = Vec::new();
    match std::io::stdin().read_to_end(&mut bytes) {
        Ok(_) => decode("-".to_string(), bytes),
        Err(e) => Input::Error {
            name: "-".to_string(),
            message: format!("cannot read standard input: {e}"),
        },
    }
}

fn decode(name: String, bytes: Vec<u8>) -> Input {
    match String::from_utf8(bytes) {
        // A BOM stays in the text so offsets stay honest; matching skips it.
        Ok(text) => Input::Text { name, text },
        Err(e) => Input::Error {
            name,
            message: format!(
                "not valid UTF-8 at byte offset {}",
                e.utf8_error().valid_up_to()
            ),
        },
    }
}
