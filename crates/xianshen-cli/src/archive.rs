//! `xianshen audit archive`: the inspection's view of an account's archive
//! (posting cadence, reply deadlines in working days, boilerplate replies,
//! content screened), from the `xianshen-audit` crate.

use clap::{Args, ValueEnum};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use xianshen::{Date, Screener};
use xianshen_audit::{Audit, AuditInput, AuditOptions, FieldMap, InputSource};

/// Exit status when an input could not be read or a record was refused.
const EXIT_ERROR: u8 = 3;

/// `xianshen audit archive`.
#[derive(Args)]
pub struct ArchiveArgs {
    /// Posts: JSON Lines or CSV (by extension), one post a record
    /// (account, published, title, text, url, kind). Repeatable.
    #[arg(long, value_name = "FILE", required = true)]
    posts: Vec<PathBuf>,
    /// Messages from the public and their replies: JSON Lines or CSV
    /// (id, account, asked, category, text, replied, reply). Repeatable.
    #[arg(long, value_name = "FILE")]
    messages: Vec<PathBuf>,
    /// Policy file: screening, reply deadlines, gaps, calendar ([audit]).
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// First day of the period (YYYY-MM-DD, Beijing time; default: the
    /// archive's first day).
    #[arg(long, value_name = "DATE")]
    from: Option<Date>,
    /// Last day of the period (default: the archive's last day).
    #[arg(long, value_name = "DATE")]
    to: Option<Date>,
    /// The day unanswered messages are counted to (default: today in
    /// Beijing).
    #[arg(long, value_name = "DATE")]
    date: Option<Date>,
    /// The account of records without an account field.
    #[arg(long, value_name = "NAME")]
    account: Option<String>,
    /// Field names (TOML: `[posts]` and `[messages]` tables, e.g.
    /// `text = "content"`; dotted names reach nested JSON).
    #[arg(long, value_name = "FILE")]
    fields: Option<PathBuf>,
    /// Output: json (`xianshen.audit/1`), html (one self-contained page)
    /// or csv (tables written to --out).
    #[arg(long, value_enum, default_value_t = ArchiveFormat::Json)]
    format: ArchiveFormat,
    /// Write here instead of standard output (a folder for csv).
    #[arg(long, value_name = "PATH")]
    out: Option<PathBuf>,
}

/// What `xianshen audit archive` writes.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ArchiveFormat {
    Json,
    Html,
    Csv,
}

/// Runs the audit and writes it. Exit status: 0 nothing to report, 1 the
/// audit found problems (a severe gap, an overdue reply, boilerplate, a
/// post to review or block), 3 an input or a record could not be read
/// (the rest is audited and written all the same).
pub fn run(args: ArchiveArgs) -> ExitCode {
    match audit(&args).and_then(|audit| write(&args, &audit).map(|()| audit)) {
        Ok(audit) => {
            print_record_errors(&audit.errors);
            if audit.has_errors() {
                ExitCode::from(EXIT_ERROR)
            } else if has_problems(&audit) {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => {
            eprintln!("xianshen: error: {e}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// Record errors named one by one on standard error before the rest are
/// counted by kind (the audit itself lists them all).
const ERRORS_NAMED: usize = 20;

/// The first [`ERRORS_NAMED`] record errors, then the others counted by
/// kind: an archive of a year the calendar lacks would otherwise print a
/// line per message.
fn print_record_errors(errors: &[xianshen_audit::RecordError]) {
    for e in errors.iter().take(ERRORS_NAMED) {
        eprintln!("xianshen: {e}");
    }
    let rest = errors.get(ERRORS_NAMED..).unwrap_or_default();
    if rest.is_empty() {
        return;
    }
    let mut by_kind: std::collections::BTreeMap<String, usize> = Default::default();
    for e in rest {
        let kind = serde_json::to_value(e.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        *by_kind.entry(kind).or_default() += 1;
    }
    let kinds: Vec<String> = by_kind.iter().map(|(k, n)| format!("{k} {n}")).collect();
    eprintln!(
        "xianshen: … and {} more record errors ({}); the audit lists every one",
        rest.len(),
        kinds.join(", ")
    );
}

/// Why an archive audit stopped.
#[derive(Debug, thiserror::Error)]
enum ArchiveError {
    #[error(transparent)]
    Policy(#[from] xianshen::PolicyError),
    #[error(transparent)]
    Audit(#[from] xianshen_audit::AuditError),
    #[error("cannot read field names {path}: {source}")]
    FieldsIo {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}{at}: {message}", path.display())]
    Fields {
        path: PathBuf,
        /// `:line:column` where the TOML says, else empty.
        at: String,
        message: String,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error("--format csv writes a folder of tables: give it with --out")]
    CsvNeedsOut,
}

fn audit(args: &ArchiveArgs) -> Result<Audit, ArchiveError> {
    if args.format == ArchiveFormat::Csv && args.out.is_none() {
        return Err(ArchiveError::CsvNeedsOut);
    }
    let screener = match &args.policy {
        None => Screener::new(),
        Some(path) => Screener::from_policy(xianshen::Policy::from_file(path)?)?,
    };
    let open = |paths: &[PathBuf]| -> Result<Vec<InputSource>, ArchiveError> {
        Ok(paths
            .iter()
            .map(InputSource::open)
            .collect::<Result<_, _>>()?)
    };
    let input = AuditInput {
        posts: open(&args.posts)?,
        messages: open(&args.messages)?,
    };
    let options = AuditOptions {
        from: args.from,
        to: args.to,
        audit_date: args.date,
        fields: match &args.fields {
            None => FieldMap::default(),
            Some(path) => read_fields(path)?,
        },
        account: args.account.clone(),
    };
    Ok(Audit::run(
        input,
        &screener,
        &screener.policy().audit(),
        &options,
    )?)
}

/// A field map from a TOML file; unknown keys are errors with their place.
fn read_fields(path: &Path) -> Result<FieldMap, ArchiveError> {
    let text = std::fs::read_to_string(path).map_err(|source| ArchiveError::FieldsIo {
        path: path.to_path_buf(),
        source,
    })?;
    toml::from_str(&text).map_err(|e| {
        let at = e
            .span()
            .map(|s| {
                let before = &text[..s.start];
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
                format!(":{line}:{column}")
            })
            .unwrap_or_default();
        ArchiveError::Fields {
            path: path.to_path_buf(),
            at,
            message: e.message().trim().to_string(),
        }
    })
}

fn write(args: &ArchiveArgs, audit: &Audit) -> Result<(), ArchiveError> {
    let failed = |path: &str| {
        let path = path.to_string();
        move |source| ArchiveError::Write { path, source }
    };
    match (args.format, &args.out) {
        (ArchiveFormat::Csv, Some(dir)) => {
            audit.write_csv_tables(dir)?;
            Ok(())
        }
        (format, Some(path)) => {
            let name = path.display().to_string();
            let file = std::fs::File::create(path).map_err(failed(&name))?;
            write_to(format, audit, std::io::BufWriter::new(file)).map_err(failed(&name))
        }
        (format, None) => {
            write_to(format, audit, std::io::stdout().lock()).map_err(failed("standard output"))
        }
    }
}

fn write_to(format: ArchiveFormat, audit: &Audit, mut w: impl Write) -> std::io::Result<()> {
    match format {
        ArchiveFormat::Json => {
            audit.write_json(&mut w)?;
            writeln!(w)?;
        }
        ArchiveFormat::Html => w.write_all(audit.to_html().as_bytes())?,
        ArchiveFormat::Csv => unreachable!("csv is written to a folder"),
    }
    w.flush()
}

/// Whether any account has something an inspection counts against it.
fn has_problems(audit: &Audit) -> bool {
    audit.accounts.iter().any(|a| {
        a.severe_gaps > 0
            || a.overdue > 0
            || a.boilerplate_replies > 0
            || a.off_topic_replies > 0
            || a.review_posts > 0
            || a.blocked_posts > 0
    })
}
