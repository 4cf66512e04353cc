//! The command line: clap definitions and one function per command, each testable in-process
//! (they write to the streams they are given and return an [`Exit`]).
//!
//! Exit status: 0 success; 1 the data has problems (a file failed validation, a line or span
//! could not be read, an export would lose something); 2 the command could not run (usage,
//! I/O). A batch goes on past a bad file or line and reports all of them.

mod export;
mod import;
mod inputs;
pub mod names;
mod stats;
mod validate;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::formats::OffsetUnit;

/// The outcome of a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exit {
    Success,
    /// The data has problems; the command did what it could.
    DataProblems,
    /// The command could not run.
    Failure,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> Self {
        match exit {
            Exit::Success => ExitCode::SUCCESS,
            Exit::DataProblems => ExitCode::from(1),
            Exit::Failure => ExitCode::from(2),
        }
    }
}

#[derive(Debug, Parser)]
#[command(
    name = "spanmark",
    version,
    about = "Label spans in articles: a desktop workbench (no subcommand) and a headless CLI",
    args_conflicts_with_subcommands = true,
    after_help = "With no subcommand, opens the GUI on FILE (an article or its .spanmark.json), or on the bundled sample article."
)]
pub struct Cli {
    /// The article (.txt, .md, .html) or annotation file (.spanmark.json) to open in the GUI.
    pub file: Option<PathBuf>,

    /// Your name, recorded on every span and change (default: your login name, or the name set
    /// in the GUI's preferences).
    #[arg(long, global = true, value_name = "NAME")]
    pub annotator: Option<String>,

    /// GUI: seconds between autosaves of unsaved work to the recovery folder (default 30).
    #[arg(long, value_name = "N")]
    pub autosave_secs: Option<u64>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check annotation files: every span in the text, on character boundaries, unique, the
    /// quoted text matching the offsets.
    Validate {
        /// Annotation files, articles with one beside them, or folders (searched recursively).
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Count documents, spans per label, status and annotator.
    Stats {
        /// Annotation files or folders.
        #[arg(required = true, value_name = "IN")]
        inputs: Vec<PathBuf>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Turn articles or other tools' files into Spanmark documents in a folder.
    Import(ImportArgs),
    /// Write annotation files out in a format other tools read.
    Export(ExportArgs),
    /// Print the JSON Schema of the annotation file.
    Schema,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    /// Articles with no annotations yet (.txt, .md, .html).
    Text,
    /// spaCy/Prodigy JSONL: {"text", "spans": [{"start", "end", "label"}], "meta": {"name"}}.
    Jsonl,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// Spanmark annotation files, one per document (--out is a folder).
    Native,
    /// spaCy/Prodigy JSONL, one document per line (--out is a file).
    Jsonl,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OffsetsArg {
    /// Unicode scalar values (Python str indices).
    UnicodeScalar,
    /// UTF-16 code units (JavaScript tools: doccano, old Label Studio).
    Utf16,
    /// Bytes of UTF-8.
    Bytes,
}

impl From<OffsetsArg> for OffsetUnit {
    fn from(arg: OffsetsArg) -> Self {
        match arg {
            OffsetsArg::UnicodeScalar => OffsetUnit::UnicodeScalar,
            OffsetsArg::Utf16 => OffsetUnit::Utf16,
            OffsetsArg::Bytes => OffsetUnit::Bytes,
        }
    }
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The format of the input.
    #[arg(long, value_enum)]
    pub from: ImportFormat,
    /// Files or folders (searched recursively).
    #[arg(required = true, value_name = "IN")]
    pub inputs: Vec<PathBuf>,
    /// The folder to write articles and their annotation files into (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// What the input's offsets count.
    #[arg(long, value_enum, default_value = "unicode-scalar")]
    pub offsets: OffsetsArg,
    /// Replace annotation files that already exist in --out.
    #[arg(long)]
    pub overwrite: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The format to write.
    #[arg(long, value_enum)]
    pub to: ExportFormat,
    /// Annotation files, articles with one beside them, or folders (searched recursively).
    #[arg(required = true, value_name = "IN")]
    pub inputs: Vec<PathBuf>,
    /// A folder for native, a file for jsonl.
    #[arg(long, value_name = "PATH")]
    pub out: PathBuf,
    /// Export even when the format cannot hold everything (what is lost is still reported).
    #[arg(long)]
    pub allow_loss: bool,
}

/// Where a command writes, and who runs it.
pub struct Context<'a> {
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
    /// The annotator's name for anything the command creates.
    pub annotator: String,
}

impl Context<'_> {
    /// Reports a problem on stderr.
    pub fn problem(&mut self, message: impl std::fmt::Display) {
        let _ = writeln!(self.err, "spanmark: {message}");
    }
}

/// Runs a CLI command.
pub fn run(command: Command, ctx: &mut Context<'_>) -> Exit {
    match command {
        Command::Validate { files } => validate::run(&files, ctx),
        Command::Stats { inputs, json } => stats::run(&inputs, json, ctx),
        Command::Import(args) => import::run(&args, ctx),
        Command::Export(args) => export::run(&args, ctx),
        Command::Schema => {
            let schema = crate::store::native::json_schema();
            match ctx.out.write_all(schema.as_bytes()) {
                Ok(()) => Exit::Success,
                Err(e) => {
                    ctx.problem(format!("cannot write the schema: {e}"));
                    Exit::Failure
                }
            }
        }
    }
}
