//! `xianshen`: screen drafts before they are published.

mod inputs;
mod render;

use clap::{Args, Parser, Subcommand, ValueEnum};
use inputs::Input;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use xianshen::{Draft, Policy, Screener, Verdict};

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
    Check(CheckArgs),
    /// Validate or print policies.
    #[command(subcommand)]
    Policy(PolicyCommand),
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
    /// When to color text output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
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
        Command::Check(args) => check(args),
        Command::Policy(PolicyCommand::Check { file }) => policy_check(&file),
        Command::Policy(PolicyCommand::DumpDefault) => {
            print!("{}", xianshen::DEFAULT_POLICY_TOML);
            ExitCode::SUCCESS
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
    let mut out = render::Renderer::new(args.format, color);
    let mut worst = Verdict::Pass;
    let mut errors = 0usize;
    for input in inputs::collect(&args.paths) {
        match input {
            Input::Text { name, text } => {
                let mut draft = Draft::new(&text);
                draft.title = args.title.as_deref();
                draft.source = args.source.as_deref();
                if args.repost {
                    draft.repost = Some(true);
                }
                let report = screener.screen(&draft);
                worst = worst.max(report.verdict);
                out.report(&name, &text, &report);
            }
            Input::Error { name, message } => {
                errors += 1;
                eprintln!("xianshen: error: {name}: {message}");
                out.error(&name, &message);
            }
        }
    }
    out.finish(errors);
    if std::io::stdout().flush().is_err() {
        return ExitCode::from(EXIT_ERROR);
    }
    if errors > 0 {
        ExitCode::from(EXIT_ERROR)
    } else {
        ExitCode::from(worst.exit_code() as u8)
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
