//! `xianshen`: screen drafts before they are published.

mod archive;
mod html;
mod inputs;
mod render;
mod sarif;

use clap::{Args, Parser, Subcommand, ValueEnum};
use inputs::{Item, Job, ReadOptions};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc;
use std::sync::Mutex;
use std::time::Instant;
use xianshen::{DraftMeta, Policy, Screener, Verdict};
use xianshen_input::{ChunkOptions, EncodingChoice, InputFormat, JsonlFields};

/// Exit status for any error (an error wins over every verdict).
const EXIT_ERROR: u8 = 3;

#[derive(Parser)]
#[command(
    name = "xianshen",
    version,
    about = "先审: screen drafts for official new-media accounts before they are published"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Screen files, folders (recursively) or standard input.
    ///
    /// Exit status: 0 all pass, 1 some review, 2 some block, 3 any error.
    Check(Box<CheckArgs>),
    /// Validate or print policies.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Run the HTTP screening service (POST /v1/screen; see
    /// crates/xianshen-serve/README.md). SIGHUP reloads the policy,
    /// SIGTERM drains requests in flight and stops.
    Serve(ServeArgs),
    /// Audit an account's archive, or check the service's decision log.
    #[command(subcommand)]
    Audit(AuditCommand),
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Verify a decision log and its rotated files (LOG.1, LOG.2, …):
    /// name the first removed, edited or inserted line; report lines torn
    /// by a crash. Exit status: 0 the chain holds, 1 it is broken, 3 error.
    Verify {
        /// The log file (`[audit] path` of the service's configuration).
        log: PathBuf,
    },
    /// Audit an account's archive as an inspection does: posts per ISO
    /// week and silent gaps, replies against their deadlines in working
    /// days (State Council holiday arrangements with make-up days),
    /// boilerplate replies, every post screened. Exit status: 0 nothing
    /// found, 1 problems found, 3 an input or record could not be read.
    Archive(Box<archive::ArchiveArgs>),
}

#[derive(Args)]
struct ServeArgs {
    /// Policy file (default: the config's, else the embedded policy).
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// Address to listen on, HOST:PORT or a port on loopback (default:
    /// the config's, else 127.0.0.1:8731).
    #[arg(long, value_name = "ADDR")]
    listen: Option<String>,
    /// Service configuration (TOML: `listen`, `policy`, `[limits]`,
    /// `[auth]`, `[audit]`, `[tls]`).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Serve HTTPS with this certificate chain (PEM; with --tls-key).
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// The private key of --tls-cert (PEM).
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
}

#[derive(Args)]
struct CheckArgs {
    /// Files or folders to screen; `-` (or nothing) reads standard input.
    paths: Vec<PathBuf>,
    /// Policy file (default: the embedded policy).
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Draft title (metadata).
    #[arg(long, value_name = "T")]
    title: Option<String>,
    /// Mark the drafts as reposts.
    #[arg(long)]
    repost: bool,
    /// Declared source unit (来源).
    #[arg(long, value_name = "NAME")]
    source: Option<String>,
    /// What the drafts are: article (the default), repost, comment, reply or
    /// response. Comments from the public are not the account's voice.
    #[arg(long, value_name = "KIND")]
    kind: Option<xianshen::Kind>,
    /// The screening date, YYYY-MM-DD (default: today in UTC): what the
    /// checks that depend on "today" use, recorded in every report.
    #[arg(long, value_name = "DATE")]
    date: Option<xianshen::Date>,
    /// When to color text output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// How to read files: `auto` goes by extension (.html/.htm, .md,
    /// .jsonl/.ndjson; else text).
    #[arg(long, value_enum, default_value_t = InputFormatArg::Auto)]
    input_format: InputFormatArg,
    /// Character encoding of the inputs; `auto` honours BOMs, then detects.
    #[arg(long, value_enum, default_value_t = EncodingArg::Auto)]
    encoding: EncodingArg,
    /// Replace undecodable bytes with U+FFFD instead of reporting an error.
    #[arg(long)]
    lossy: bool,
    /// JSONL: the field holding the text (dots walk into objects).
    #[arg(long, value_name = "NAME", default_value = "text")]
    text_field: String,
    /// JSONL: the field holding the post's id.
    #[arg(long, value_name = "NAME", default_value = "id")]
    id_field: String,
    /// JSONL: the field holding the title.
    #[arg(long, value_name = "NAME", default_value = "title")]
    title_field: String,
    /// JSONL: the field holding the declared source (来源).
    #[arg(long, value_name = "NAME", default_value = "source")]
    source_field: String,
    /// JSONL: the field holding the repost flag.
    #[arg(long, value_name = "NAME", default_value = "repost")]
    repost_field: String,
    /// JSONL: the field holding the draft kind (article, comment…).
    #[arg(long, value_name = "NAME", default_value = "kind")]
    kind_field: String,
    /// In folders, screen only files matching this glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    include: Vec<String>,
    /// In folders, skip files matching this glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,
    /// Files screened in parallel (default: the number of CPUs).
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<usize>,
    /// Texts bigger than this are screened in chunks, in bounded memory.
    #[arg(long, value_name = "BYTES", default_value_t = 4 << 20, hide = true)]
    chunk_bytes: usize,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum InputFormatArg {
    Auto,
    Text,
    Markdown,
    Html,
    Jsonl,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum EncodingArg {
    Auto,
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    #[value(name = "gb18030", alias = "gbk")]
    Gb18030,
    #[value(name = "utf-16", alias = "utf16")]
    Utf16,
}

#[derive(Subcommand)]
enum PolicyCommand {
    /// Validate a policy; print counts per tag and per rule, and terms at
    /// risk of false positives.
    Check {
        /// The policy file.
        file: PathBuf,
    },
    /// Print the embedded default policy (a starting point for your own).
    DumpDefault,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Human-readable, with the line and the hit underlined.
    Text,
    /// One JSON array of reports.
    Json,
    /// One report per line.
    Jsonl,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
    /// One self-contained HTML page with the findings highlighted.
    Html,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => check(*args),
        Command::Policy(PolicyCommand::Check { file }) => policy_check(&file),
        Command::Policy(PolicyCommand::DumpDefault) => {
            print!("{}", xianshen::DEFAULT_POLICY_TOML);
            ExitCode::SUCCESS
        }
        Command::Serve(args) => serve(args),
        Command::Audit(AuditCommand::Verify { log }) => audit_verify(&log),
        Command::Audit(AuditCommand::Archive(args)) => archive::run(*args),
    }
}

/// `xianshen audit verify LOG`.
fn audit_verify(log: &std::path::Path) -> ExitCode {
    use xianshen_serve::audit::{verify, VerifyError};
    match verify(log) {
        Ok(ok) => {
            println!(
                "{}: chain holds: {} decisions in {} file(s); head {}",
                log.display(),
                ok.lines,
                ok.files.len(),
                ok.head
            );
            if ok.starts_mid_chain {
                println!("note: the chain starts mid-way: older files were removed");
            }
            for torn in &ok.torn {
                println!("torn: {torn}: a line cut off mid-write (a crash), skipped by the chain");
            }
            ExitCode::SUCCESS
        }
        Err(e @ VerifyError::Broken { .. }) => {
            eprintln!("xianshen: audit log broken: {e}");
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("xianshen: error: {e}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// `xianshen serve`: flags override the config file, which overrides the
/// defaults.
fn serve(args: ServeArgs) -> ExitCode {
    let run = || -> Result<(), xianshen_serve::ServeError> {
        let mut config = match &args.config {
            Some(path) => xianshen_serve::ServeConfig::from_file(path)?,
            None => xianshen_serve::ServeConfig::default(),
        };
        if let Some(policy) = args.policy {
            config.policy = Some(policy);
        }
        if let Some(listen) = &args.listen {
            config.listen = xianshen_serve::config::parse_listen(listen)?;
        }
        if let (Some(cert), Some(key)) = (&args.tls_cert, &args.tls_key) {
            config.tls = Some(xianshen_serve::TlsFiles {
                cert: cert.clone(),
                key: key.clone(),
            });
        }
        xianshen_serve::serve_blocking(&config)
    };
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xianshen: error: {e}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn check(args: CheckArgs) -> ExitCode {
    let screener = match &args.policy {
        None => Screener::new(),
        Some(path) => match Policy::from_file(path).and_then(Screener::from_policy) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("xianshen: error: {e}");
                return ExitCode::from(EXIT_ERROR);
            }
        },
    };
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let opts = read_options(&args);
    let jobs = inputs::collect(&args.paths, &args.include, &args.exclude);
    let threads = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .clamp(1, jobs.len().max(1));
    let progress = progress_bar(&jobs);
    let started = Instant::now();
    let mut out = render::Renderer::new(args.format, color, &screener);
    let stats = std::cell::RefCell::new(Stats::default());
    let mut handle = |item: Item| {
        let mut stats = stats.borrow_mut();
        match item {
            Item::Report(s) => {
                stats.drafts[s.report.verdict as usize] += 1;
                stats.worst = stats.worst.max(s.report.verdict);
                out.report(&s);
            }
            Item::Error { name, message } => {
                stats.errors += 1;
                progress.suspend(|| eprintln!("xianshen: error: {name}: {message}"));
                out.error(&name, &message);
            }
        }
    };
    run_jobs(jobs, threads, &screener, &opts, &mut handle, &mut |bytes| {
        let mut stats = stats.borrow_mut();
        stats.files += 1;
        stats.bytes += bytes;
        progress.inc(bytes.max(1));
    });
    progress.finish_and_clear();
    let stats = stats.into_inner();
    out.finish(stats.errors);
    if stats.files + stats.errors > 1 || std::io::stderr().is_terminal() {
        eprintln!(
            "xianshen: {}",
            stats.summary(started.elapsed().as_secs_f64())
        );
    }
    if std::io::stdout().flush().is_err() {
        return ExitCode::from(EXIT_ERROR);
    }
    if stats.errors > 0 {
        ExitCode::from(EXIT_ERROR)
    } else {
        ExitCode::from(stats.worst.exit_code() as u8)
    }
}

/// How `check` reads its inputs, from its arguments.
fn read_options(args: &CheckArgs) -> ReadOptions {
    ReadOptions {
        format: match args.input_format {
            InputFormatArg::Auto => InputFormat::Auto,
            InputFormatArg::Text => InputFormat::Text,
            InputFormatArg::Markdown => InputFormat::Markdown,
            InputFormatArg::Html => InputFormat::Html,
            InputFormatArg::Jsonl => InputFormat::Jsonl,
        },
        encoding: match args.encoding {
            EncodingArg::Auto => EncodingChoice::Auto,
            EncodingArg::Utf8 => EncodingChoice::Utf8,
            EncodingArg::Gb18030 => EncodingChoice::Gb18030,
            EncodingArg::Utf16 => EncodingChoice::Utf16,
        },
        lossy: args.lossy,
        fields: JsonlFields {
            text: args.text_field.clone(),
            id: args.id_field.clone(),
            title: args.title_field.clone(),
            source: args.source_field.clone(),
            repost: args.repost_field.clone(),
            kind: args.kind_field.clone(),
        },
        meta: DraftMeta {
            title: args.title.clone(),
            repost: args.repost.then_some(true),
            source: args.source.clone(),
            kind: args.kind,
            date: args.date,
        },
        chunk: ChunkOptions {
            chunk_bytes: args.chunk_bytes.max(1),
            ..ChunkOptions::default()
        },
    }
}

struct Stats {
    files: u64,
    bytes: u64,
    drafts: [u64; 3],
    errors: u64,
    worst: Verdict,
}

impl Stats {
    /// The closing line: files, bytes, drafts per verdict, errors, time and
    /// throughput.
    fn summary(&self, elapsed: f64) -> String {
        let plural = |n: u64| if n == 1 { "" } else { "s" };
        let [pass, review, block] = self.drafts;
        let drafts = pass + review + block;
        format!(
            "{} file{}, {}, {drafts} draft{} ({pass} pass, {review} review, {block} block), {} error{}, {elapsed:.2} s, {}/s",
            self.files,
            plural(self.files),
            human_bytes(self.bytes as f64),
            plural(drafts),
            self.errors,
            plural(self.errors),
            human_bytes(self.bytes as f64 / elapsed.max(1e-6)),
        )
    }
}

impl Default for Stats {
    fn default() -> Self {
        Stats {
            files: 0,
            bytes: 0,
            drafts: [0; 3],
            errors: 0,
            worst: Verdict::Pass,
        }
    }
}

/// Messages from a worker about one job.
enum Msg {
    Item(Item),
    Done(u64),
}

/// Screens jobs on `threads` threads and hands results to `handle` in job
/// order. Each job has a small bounded channel, so workers that run ahead
/// wait instead of piling up results: memory stays bounded however big a
/// file is.
fn run_jobs(
    jobs: Vec<Job>,
    threads: usize,
    screener: &Screener,
    opts: &ReadOptions,
    handle: &mut dyn FnMut(Item),
    done: &mut dyn FnMut(u64),
) {
    if threads <= 1 || jobs.len() <= 1 {
        for job in jobs {
            let counts = !matches!(job, Job::Error { .. });
            let bytes = inputs::screen(job, screener, opts, handle);
            if counts {
                done(bytes);
            }
        }
        return;
    }
    let mut receivers = Vec::with_capacity(jobs.len());
    let mut queue = Vec::with_capacity(jobs.len());
    for job in jobs {
        let (tx, rx) = mpsc::sync_channel::<Msg>(64);
        receivers.push((rx, !matches!(job, Job::Error { .. })));
        queue.push((job, tx));
    }
    queue.reverse();
    let queue = Mutex::new(queue);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let next = queue.lock().map(|mut q| q.pop()).unwrap_or(None);
                let Some((job, tx)) = next else { break };
                let bytes = inputs::screen(job, screener, opts, &mut |item| {
                    let _ = tx.send(Msg::Item(item));
                });
                let _ = tx.send(Msg::Done(bytes));
            });
        }
        for (rx, counts) in receivers {
            for msg in rx.iter() {
                match msg {
                    Msg::Item(item) => handle(item),
                    Msg::Done(bytes) => {
                        if counts {
                            done(bytes);
                        }
                        break;
                    }
                }
            }
        }
    });
}

fn progress_bar(jobs: &[Job]) -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let total: u64 = jobs.iter().map(|j| inputs::size(j).max(1)).sum();
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(total),
        indicatif::ProgressDrawTarget::stderr(),
    );
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({bytes_per_sec}, {eta})",
    ) {
        bar.set_style(style);
    }
    bar
}

fn human_bytes(n: f64) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut n = n;
    let mut i = 0;
    while n >= 1024.0 && i + 1 < units.len() {
        n /= 1024.0;
        i += 1;
    }
    if i == 0 {
        format!("{n:.0} {}", units[i])
    } else {
        format!("{n:.1} {}", units[i])
    }
}

fn policy_check(file: &PathBuf) -> ExitCode {
    let policy = match Policy::from_file(file) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("xianshen: error: {e}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    let screener = match Screener::from_policy(policy) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("xianshen: error: {e}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    print!("{}", render::policy_summary(&screener));
    ExitCode::SUCCESS
}
