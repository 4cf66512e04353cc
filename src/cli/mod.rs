//! The command line: clap definitions and one function per command, each testable in-process
//! (they write to the streams they are given and return an [`Exit`]).
//!
//! Exit status: 0 success; 1 the data has problems (a file failed validation, a line or span
//! could not be read, an export would lose something); 2 the command could not run (usage,
//! I/O). A batch goes on past a bad file or line and reports all of them.

mod adjudicate;
mod agree;
mod bar;
mod export;
mod import;
mod inputs;
mod log;
mod merge;
mod project;
pub use crate::formats::names;
mod reanchor;
mod report;
mod stats;
mod suggest;
mod suggest_eval;
mod validate;
mod verify;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::formats::{Format, OffsetUnit};

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
    /// quoted text matching the offsets, every relation's ends fitting its kind.
    Validate {
        /// Annotation files, articles with one beside them, or folders (searched recursively).
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Also check that this article still gives the text stored in each file (exit 1 on
        /// drift: run `spanmark reanchor`).
        #[arg(long, value_name = "ARTICLE")]
        source: Option<PathBuf>,
    },
    /// Move the spans of an annotation file onto a changed article, by their quoted text and
    /// its context: each span is reported unchanged, moved, fuzzy (set back to pending) or
    /// orphaned (kept in the file, under "orphans"). Exit 1 when any span needs review.
    Reanchor(ReanchorArgs),
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
    /// Print the JSON Schema of the annotation file (with --project, of the project file).
    Schema {
        /// The schema of spanmark.project.json instead.
        #[arg(long)]
        project: bool,
    },
    /// Measure agreement between annotators: span precision/recall/F1 (exact and by overlap),
    /// relation precision/recall/F1 and token Cohen's kappa per pair, Krippendorff's alpha over
    /// all (see the README).
    Agree {
        /// Several annotators' annotation files (articles matched by their text), or folders.
        #[arg(required = true, value_name = "IN")]
        inputs: Vec<PathBuf>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Write one gold file per article: spans all annotators agree on accepted, every other
    /// span pending and marked as a conflict with who proposed it. --annotator names the
    /// adjudicator.
    Adjudicate {
        /// Several annotators' annotation files (articles matched by their text), or folders.
        #[arg(required = true, value_name = "IN")]
        inputs: Vec<PathBuf>,
        /// The folder to write the gold files into (created if missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Replace gold files that already exist in --out.
        #[arg(long)]
        overwrite: bool,
    },
    /// Open the GUI in review mode on FILE: a accepts the selected span, r rejects it, e accepts
    /// and edits it, c comments, Tab skips, Ctrl+S saves. A gold file with unresolved conflicts
    /// opens in adjudication mode. --annotator names the reviewer.
    Review {
        /// An annotation file (.spanmark.json) or an article with one beside it.
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Open the GUI comparing two or more annotators' files of the same article (matched by
    /// their text): one merged view, the differences to step through, agreement charts.
    Compare {
        /// Annotation files, or folders of them.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Propose spans as pending suggestions (origin suggested, with agent, score and why) from
    /// dates, propagation of labelled strings, gazetteers, patterns or a model run as a command;
    /// added in place, never twice, never one a person rejected. --evaluate scores the sources
    /// against gold files instead.
    Suggest(SuggestArgs),
    /// Write one self-contained HTML page of the files: each article with its spans
    /// highlighted, the spans, frames and history, whether the history verified; counts and
    /// agreement over all of them. Opens from disk in any browser; nothing is fetched.
    Report {
        /// Annotation files, articles with their annotation file beside them, or folders.
        #[arg(required = true, value_name = "IN")]
        inputs: Vec<PathBuf>,
        /// The HTML file to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Check each file's history chain, its text digest, and that replaying its history gives
    /// its spans and relations. Names the first entry that does not fit; exit 1 when a file
    /// does not verify. Files from before the chain are reported as unchained (exit 0).
    Verify {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Merge three versions of one annotation file by span and relation id (git's merge
    /// driver: `spanmark merge %O %A %B`). Conflicts are kept as marked rival readings for the
    /// adjudication view; exit 1 when there are any, 2 when the article texts differ.
    Merge {
        /// The common ancestor.
        #[arg(value_name = "BASE")]
        base: PathBuf,
        /// Our version; replaced by the result unless -o is given.
        #[arg(value_name = "OURS")]
        ours: PathBuf,
        /// Their version.
        #[arg(value_name = "THEIRS")]
        theirs: PathBuf,
        /// Write the result here instead of over OURS.
        #[arg(short = 'o', long = "out", value_name = "OUT")]
        out: Option<PathBuf>,
    },
    /// Make git merge annotation files with `spanmark merge`: `*.spanmark.json merge=spanmark`
    /// in DIR/.gitattributes and the driver in the repository's git config. Safe to run again.
    GitSetup {
        /// A folder in the repository [default: the current folder].
        #[arg(value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Project files (spanmark.project.json): the schema and guidelines of every article in
    /// their folder and below.
    #[command(subcommand)]
    Project(ProjectCommand),
    /// Print a file's audit history, one line per entry: when, who, what, before → after.
    Log {
        /// An annotation file, or an article with its annotation file beside it.
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum ProjectCommand {
    /// Write DIR/spanmark.project.json with the default schema, or one read from another
    /// tool: brat's annotation.conf (with visual.conf and kb_shortcuts.conf beside it), a
    /// Label Studio labeling config (XML), doccano's label types (JSON). What cannot be
    /// carried is listed.
    Init {
        /// The folder of the project (created if missing).
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        /// The tool and its file: brat FILE, label-studio FILE or doccano FILE.
        #[arg(long, num_args = 2, value_names = ["TOOL", "FILE"])]
        from: Option<Vec<String>>,
        /// The project's name [default: the folder's name].
        #[arg(long, value_name = "NAME")]
        name: Option<String>,
    },
}

/// `--from`: the formats Spanmark reads, as the registry lists them, each with its help.
fn import_format() -> impl TypedValueParser<Value = Format> {
    format_parser(Format::is_read, |f| f.entry().reading_help.to_string())
}

/// `--to`: the formats Spanmark writes, as the registry lists them, each with its help and
/// what `--out` is.
fn export_format() -> impl TypedValueParser<Value = Format> {
    format_parser(Format::is_written, |f| {
        let out = if f.per_document() { "folder" } else { "file" };
        format!("{} (--out is a {out})", f.entry().writing_help)
    })
}

/// The names of the formats `keep` accepts, as clap's possible values (so that `--help` lists
/// them and a usage error names them), parsed into the [`Format`].
fn format_parser(
    keep: fn(Format) -> bool,
    help: fn(Format) -> String,
) -> impl TypedValueParser<Value = Format> {
    let values = Format::all()
        .filter(|f| keep(*f))
        .map(|f| PossibleValue::new(f.name()).help(help(f)));
    PossibleValuesParser::new(values)
        .try_map(|name| Format::named(&name).ok_or(format!("no format is called {name:?}")))
}

/// doccano's two shapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DoccanoFormArg {
    /// {"text", "label": [[start, end, "LABEL"]]} (sequence labelling projects).
    Label,
    /// {"text", "entities": [...], "relations": [...]} (relation extraction projects).
    Entities,
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
    #[arg(long, value_parser = import_format())]
    pub from: Format,
    /// Files or folders (searched recursively).
    #[arg(required = true, value_name = "IN")]
    pub inputs: Vec<PathBuf>,
    /// The folder to write articles and their annotation files into (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// What the input's offsets count [default: unicode-scalar]. doccano's UI writes utf16, and
    /// so did Label Studio before 2022.
    #[arg(long, value_enum)]
    pub offsets: Option<OffsetsArg>,
    /// Rename foreign labels onto the schema: ORG=actor,PERSON=actor,DATE=date (repeatable).
    #[arg(long, value_name = "FROM=TO,...")]
    pub map: Vec<String>,
    /// The field that holds the text when it cannot be told (Label Studio: the data key of
    /// `<Text value="$KEY">`; doccano: the text column).
    #[arg(long, value_name = "KEY")]
    pub text_key: Option<String>,
    /// The article a W3C file annotates (w3c only).
    #[arg(long, value_name = "ARTICLE")]
    pub source: Option<PathBuf>,
    /// Replace annotation files that already exist in --out.
    #[arg(long)]
    pub overwrite: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The format to write.
    #[arg(long, value_parser = export_format())]
    pub to: Format,
    /// Annotation files, articles with one beside them, or folders (searched recursively).
    #[arg(required = true, value_name = "IN")]
    pub inputs: Vec<PathBuf>,
    /// A folder for native, brat and w3c (one file per document), a file for the others; with
    /// --split, a folder of train/dev/test.
    #[arg(long, value_name = "PATH")]
    pub out: PathBuf,
    /// Export even when the format cannot hold everything (what is lost is still reported).
    #[arg(long)]
    pub allow_loss: bool,
    /// Keep only spans with these statuses: pending, accepted, rejected (comma-separated).
    #[arg(long, value_name = "S,...")]
    pub status: Option<String>,
    /// Keep only spans with these labels (comma-separated).
    #[arg(long, value_name = "L,...")]
    pub labels: Option<String>,
    /// Split by document into train,dev,test (or train,test) by these weights, e.g. 80,10,10.
    #[arg(long, value_name = "W,W[,W]")]
    pub split: Option<String>,
    /// The seed of --split: the same seed gives the same split, whatever the input order.
    #[arg(long, value_name = "N", requires = "split")]
    pub seed: Option<u64>,
    /// The unit to write offsets in (doccano and label-studio only; doccano's UI counts utf16).
    #[arg(long, value_enum)]
    pub offsets: Option<OffsetsArg>,
    /// doccano's shape [default: entities when any document has relations, else label].
    #[arg(long, value_enum)]
    pub doccano_form: Option<DoccanoFormArg>,
    /// Label Studio: the name of the <Labels> control (default: as imported, else "label").
    #[arg(long, value_name = "NAME")]
    pub from_name: Option<String>,
    /// Label Studio: the name of the <Text> object (default: as imported, else "text").
    #[arg(long, value_name = "NAME")]
    pub to_name: Option<String>,
    /// Label Studio: the data key of the text (default: as imported, else "text").
    #[arg(long, value_name = "KEY")]
    pub text_key: Option<String>,
    /// Label Studio: write the spans as annotations (its JSON export) or as predictions
    /// (pre-annotations for tasks imported into Label Studio).
    #[arg(long, value_enum, value_name = "AS")]
    pub ls_as: Option<export::LsAsArg>,
    /// Label Studio, with --ls-as predictions: the predictions' model_version (default: the
    /// span's own, else the annotator's name, else "spanmark").
    #[arg(long, value_name = "VERSION")]
    pub model_version: Option<String>,
    /// Keep only documents of these annotators: the global --annotator (comma-separated).
    #[arg(skip)]
    pub annotators: Option<String>,
}

#[derive(Debug, Args)]
pub struct ReanchorArgs {
    /// The annotation file (or the article it sits beside).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The article as it is now (default: the article beside FILE).
    #[arg(long, value_name = "ARTICLE")]
    pub source: Option<PathBuf>,
    /// Print the report, write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct SuggestArgs {
    /// Articles, annotation files or folders; with --evaluate, the gold annotation files.
    #[arg(required = true, value_name = "IN")]
    pub inputs: Vec<PathBuf>,
    /// Find dates (English) with their ISO 8601 value, as label "date".
    #[arg(long)]
    pub dates: bool,
    /// Propose each string people labelled at its other occurrences (whole words, same case).
    #[arg(long)]
    pub propagate: bool,
    /// With --propagate: strings labelled in any input are proposed in all of them.
    #[arg(long, requires = "propagate")]
    pub across: bool,
    /// An INCEpTION gazetteer: text<TAB>label lines, # comments (repeatable).
    #[arg(long, value_name = "FILE")]
    pub gazetteer: Vec<PathBuf>,
    /// spaCy / Prodigy match patterns, JSON lines {"label", "pattern"} (repeatable).
    #[arg(long, value_name = "FILE")]
    pub patterns: Vec<PathBuf>,
    /// A program that reads {"name","text"} lines on stdin and writes one
    /// {"spans":[{"start","end","label","score"?}]} line per document (offsets in characters).
    #[arg(long, value_name = "CMD")]
    pub command: Option<String>,
    /// Seconds --command may take per document.
    #[arg(long, value_name = "SECS", default_value_t = 60)]
    pub timeout: u64,
    /// The date relative dates count from [default: the document's meta date, else its
    /// dateline, else the file's modification date].
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_doc_date)]
    pub doc_date: Option<time::Date>,
    /// Keep only suggestions of these labels (comma-separated).
    #[arg(long, value_name = "L,...")]
    pub labels: Option<String>,
    /// Score each source against the spans people made or accepted in the IN files
    /// (precision, recall, F1 per agent and label); nothing is written.
    #[arg(long)]
    pub evaluate: bool,
}

fn parse_doc_date(s: &str) -> Result<time::Date, String> {
    crate::assist::dates::parse_day(s)
        .filter(|_| s.len() == 10)
        .ok_or_else(|| format!("{s:?} is not a date written YYYY-MM-DD"))
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
        Command::Validate { files, source } => validate::run(&files, source.as_deref(), ctx),
        Command::Reanchor(args) => reanchor::run(&args, ctx),
        Command::Stats { inputs, json } => stats::run(&inputs, json, ctx),
        Command::Import(args) => import::run(&args, ctx),
        Command::Export(args) => export::run(&args, ctx),
        Command::Agree { inputs, json } => agree::run(&inputs, json, ctx),
        Command::Adjudicate {
            inputs,
            out,
            overwrite,
        } => adjudicate::run(&inputs, &out, overwrite, ctx),
        Command::Log { file } => log::run(&file, ctx),
        Command::Suggest(args) if args.evaluate => suggest_eval::run(&args, ctx),
        Command::Suggest(args) => suggest::run(&args, ctx),
        Command::Verify { files } => verify::run(&files, ctx),
        Command::Report { inputs, out } => report::run(&inputs, &out, ctx),
        Command::Merge {
            base,
            ours,
            theirs,
            out,
        } => merge::run(&base, &ours, &theirs, out.as_deref(), ctx),
        Command::GitSetup { dir } => merge::git_setup(dir.as_deref(), ctx),
        Command::Project(ProjectCommand::Init { dir, from, name }) => {
            project::init(&dir, from.as_deref(), name.as_deref(), ctx)
        }
        Command::Review { .. } | Command::Compare { .. } => {
            ctx.problem("`review` and `compare` open the GUI: run them from the spanmark binary");
            Exit::Failure
        }
        Command::Schema { project } => {
            let schema = if project {
                crate::store::project::json_schema()
            } else {
                crate::store::native::json_schema()
            };
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

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    /// The help of `spanmark SUBCOMMAND --help`.
    fn help(subcommand: &str) -> String {
        let mut cli = Cli::command();
        cli.find_subcommand_mut(subcommand)
            .unwrap()
            .render_long_help()
            .to_string()
    }

    #[test]
    fn format_values_come_from_the_registry() {
        let (import, export) = (help("import"), help("export"));
        for format in Format::all() {
            let value = format!("- {}:", format.name());
            assert_eq!(import.contains(&value), format.is_read(), "{format}");
            assert_eq!(export.contains(&value), format.is_written(), "{format}");
        }
        assert!(export.contains("doccano JSONL, one document per line (--out is a file)"));
        assert!(
            export
                .contains("brat standoff, NAME.txt and NAME.ann per document (--out is a folder)")
        );
        let cli = Cli::try_parse_from([
            "spanmark",
            "export",
            "--to",
            "label-studio",
            "a",
            "--out",
            "b",
        ]);
        let Some(Command::Export(args)) = cli.unwrap().command else {
            panic!("an export");
        };
        assert_eq!(args.to, Format::named("label-studio").unwrap());
        let refused =
            Cli::try_parse_from(["spanmark", "import", "--from", "csv", "a", "--out", "b"]);
        assert_eq!(
            refused.unwrap_err().kind(),
            clap::error::ErrorKind::InvalidValue
        );
    }
}
