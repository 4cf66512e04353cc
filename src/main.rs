//! `spanmark`: the GUI with no subcommand, the headless CLI with one.

use std::process::ExitCode;

use clap::Parser;
use spanmark::cli::{self, Cli, Context};

fn main() -> ExitCode {
    let args = Cli::parse();
    let annotator = args
        .annotator
        .clone()
        .unwrap_or_else(spanmark::store::user::login_name);
    match args.command {
        Some(cli::Command::Review { file }) => gui(
            Some(file),
            args.annotator,
            args.autosave_secs,
            Start::Review,
        ),
        Some(cli::Command::Compare { files }) => gui(
            None,
            args.annotator,
            args.autosave_secs,
            Start::Compare(files),
        ),
        Some(mut command) => {
            // For export, --annotator picks whose documents go out.
            if let cli::Command::Export(export) = &mut command {
                export.annotators.clone_from(&args.annotator);
            }
            let mut stdout = std::io::stdout().lock();
            let mut stderr = std::io::stderr().lock();
            let mut ctx = Context {
                out: &mut stdout,
                err: &mut stderr,
                annotator,
            };
            cli::run(command, &mut ctx).into()
        }
        None => gui(
            args.file,
            args.annotator,
            args.autosave_secs,
            Start::Workbench,
        ),
    }
}

/// What the GUI starts in.
#[cfg_attr(not(feature = "gui"), allow(dead_code))]
enum Start {
    Workbench,
    /// `spanmark review FILE`.
    Review,
    /// `spanmark compare FILE...`.
    Compare(Vec<std::path::PathBuf>),
}

#[cfg(feature = "gui")]
fn gui(
    file: Option<std::path::PathBuf>,
    annotator: Option<String>,
    autosave_secs: Option<u64>,
    start: Start,
) -> ExitCode {
    use spanmark::app::Launch;
    let launch = match start {
        Start::Workbench => None,
        Start::Review => Some(Launch::Review),
        Start::Compare(files) => Some(Launch::Compare(files)),
    };
    match spanmark::app::run(file, annotator, autosave_secs, launch) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("spanmark: cannot start the GUI: {e}");
            ExitCode::from(2)
        }
    }
}

#[cfg(not(feature = "gui"))]
fn gui(
    _file: Option<std::path::PathBuf>,
    _annotator: Option<String>,
    _autosave_secs: Option<u64>,
    _start: Start,
) -> ExitCode {
    eprintln!(
        "spanmark: this build has no GUI (built without the `gui` feature); see `spanmark --help` for the commands"
    );
    ExitCode::from(2)
}
