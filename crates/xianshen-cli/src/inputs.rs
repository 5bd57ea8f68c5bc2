//! Turning command-line paths into things to screen, and screening one of
//! them. Nothing is skipped silently: every file that cannot be listed,
//! read or decoded becomes an error.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use xianshen::{DraftMeta, Report, Screener};
use xianshen_input::{
    screen_decoded, screen_draft, ChunkOptions, DecodingReader, DraftFormat, EncodingChoice,
    InputFormat, JsonlFields, JsonlReader,
};

/// One unit of work: a file, standard input, or a listing error.
pub enum Job {
    Stdin,
    File(PathBuf),
    Error { name: String, message: String },
}

/// One result, in input order.
pub enum Item {
    Report(Box<Screened>),
    Error { name: String, message: String },
}

/// A screened draft and what the renderers need about it.
pub struct Screened {
    /// The path (`-` for standard input).
    pub name: String,
    /// The source text the report's offsets point into, when kept (files
    /// screened in chunks are not kept).
    pub source: Option<String>,
    pub report: Report,
    pub encoding: String,
    pub format: InputFormat,
    /// JSONL: the line and the post's id.
    pub line: Option<usize>,
    pub id: Option<String>,
}

/// How to read inputs.
pub struct ReadOptions {
    pub format: InputFormat,
    pub encoding: EncodingChoice,
    pub lossy: bool,
    pub fields: JsonlFields,
    pub meta: DraftMeta,
    pub chunk: ChunkOptions,
}

/// Expands `paths`: files as given, folders recursively (sorted, with
/// `.gitignore`/`.ignore`/`.xianshenignore` files and the include and
/// exclude globs applied; hidden files skipped), `-` or nothing for
/// standard input.
pub fn collect(paths: &[PathBuf], include: &[String], exclude: &[String]) -> Vec<Job> {
    let mut out = Vec::new();
    if paths.is_empty() {
        out.push(Job::Stdin);
        return out;
    }
    for path in paths {
        if path.as_os_str() == "-" {
            out.push(Job::Stdin);
        } else if path.is_dir() {
            walk(path, include, exclude, &mut out);
        } else {
            out.push(Job::File(path.clone()));
        }
    }
    out
}

fn walk(dir: &Path, include: &[String], exclude: &[String], out: &mut Vec<Job>) {
    let mut overrides = ignore::overrides::OverrideBuilder::new(dir);
    let globs = include
        .iter()
        .cloned()
        .chain(exclude.iter().map(|g| format!("!{g}")));
    for glob in globs {
        if let Err(e) = overrides.add(&glob) {
            out.push(Job::Error {
                name: dir.display().to_string(),
                message: format!("bad glob {glob:?}: {e}"),
            });
            return;
        }
    }
    let overrides = match overrides.build() {
        Ok(o) => o,
        Err(e) => {
            out.push(Job::Error {
                name: dir.display().to_string(),
                message: format!("bad globs: {e}"),
            });
            return;
        }
    };
    // The globs filter what the ignore files let through (as overrides of
    // the walker they would re-include ignored files).
    let walker = ignore::WalkBuilder::new(dir)
        .require_git(false)
        .add_custom_ignore_filename(".xianshenignore")
        .sort_by_file_name(|a, b| a.cmp(b))
        .build();
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_some_and(|t| t.is_dir()) => {}
            Ok(e) if overrides.matched(e.path(), false).is_ignore() => {}
            Ok(e) => out.push(Job::File(e.into_path())),
            Err(e) => out.push(Job::Error {
                name: error_path(&e).unwrap_or_else(|| dir.display().to_string()),
                message: format!(
                    "cannot read: {}",
                    e.io_error().map_or(e.to_string(), |io| io.to_string())
                ),
            }),
        }
    }
}

fn error_path(e: &ignore::Error) -> Option<String> {
    match e {
        ignore::Error::WithPath { path, .. } => Some(path.display().to_string()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        _ => None,
    }
}

/// Size of a job's input in bytes, if known (for the progress bar).
pub fn size(job: &Job) -> u64 {
    match job {
        Job::File(p) => std::fs::metadata(p).map_or(0, |m| m.len()),
        _ => 0,
    }
}

/// Screens one job, handing each result to `emit` in order. Returns the
/// bytes read.
pub fn screen(
    job: Job,
    screener: &Screener,
    opts: &ReadOptions,
    emit: &mut dyn FnMut(Item),
) -> u64 {
    let (name, reader, format): (String, Box<dyn Read>, InputFormat) = match job {
        Job::Error { name, message } => {
            emit(Item::Error { name, message });
            return 0;
        }
        Job::Stdin => {
            let format = match opts.format {
                InputFormat::Auto => InputFormat::Text,
                f => f,
            };
            ("-".to_string(), Box::new(std::io::stdin().lock()), format)
        }
        Job::File(path) => {
            let name = path.display().to_string();
            match File::open(&path) {
                Ok(f) => (name, Box::new(f), opts.format.resolve(&path)),
                Err(e) => {
                    emit(Item::Error {
                        name,
                        message: format!("cannot read file: {e}"),
                    });
                    return 0;
                }
            }
        }
    };
    let mut counted = Counted {
        inner: reader,
        bytes: 0,
    };
    let result = screen_reader(&name, &mut counted, format, screener, opts, emit);
    if let Err(e) = result {
        emit(Item::Error {
            name,
            message: e.to_string(),
        });
    }
    counted.bytes
}

struct Counted<R> {
    inner: R,
    bytes: u64,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }
}

fn screen_reader(
    name: &str,
    reader: &mut dyn Read,
    format: InputFormat,
    screener: &Screener,
    opts: &ReadOptions,
    emit: &mut dyn FnMut(Item),
) -> Result<(), xianshen_input::InputError> {
    let mut decoder = DecodingReader::new(reader, opts.encoding, opts.lossy)?;
    let encoding = decoder.encoding_name();
    let report = |source: Option<String>, report: Report| {
        Item::Report(Box::new(Screened {
            name: name.to_string(),
            source,
            report,
            encoding: encoding.clone(),
            format,
            line: None,
            id: None,
        }))
    };
    match format {
        InputFormat::Jsonl => {
            for post in JsonlReader::new(decoder, opts.fields.clone()) {
                match post {
                    Ok(post) => {
                        let meta = post.meta.clone().or(&opts.meta);
                        let r = screener.screen(&meta.draft(&post.text));
                        emit(Item::Report(Box::new(Screened {
                            name: name.to_string(),
                            source: Some(post.text),
                            report: r,
                            encoding: encoding.clone(),
                            format,
                            line: Some(post.line),
                            id: post.id,
                        })));
                    }
                    Err(e @ xianshen_input::InputError::Jsonl { .. }) => emit(Item::Error {
                        name: name.to_string(),
                        message: e.to_string(),
                    }),
                    Err(e) => return Err(e),
                }
            }
        }
        InputFormat::Text | InputFormat::Auto => {
            // Small texts are screened whole and kept for display; big
            // ones in windows, in bounded memory; read once either way.
            let (r, text) = screen_decoded(screener, &mut decoder, &opts.meta, opts.chunk)?;
            emit(report(text, r));
        }
        InputFormat::Html | InputFormat::Markdown => {
            let mut text = String::new();
            decoder.read_to_string_strict(&mut text)?;
            let format = if format == InputFormat::Html {
                DraftFormat::Html
            } else {
                DraftFormat::Markdown
            };
            let r = screen_draft(screener, &text, format, &opts.meta)?;
            emit(report(Some(text), r));
        }
    }
    Ok(())
}
