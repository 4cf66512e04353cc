//! `spanmark export --to FORMAT IN... --out PATH [--status S] [--labels L,..] [--annotator A]
//! [--split 80,10,10 --seed N] [--allow-loss]`: the arguments made into an
//! [`ExportRequest`], [`export_corpus`] run with a bar on stderr, and what it did told.
//!
//! When the format cannot hold something and `--allow-loss` is not given, nothing is written;
//! nothing is ever written over a file the command reads. Each export but a plain native one
//! also writes a manifest ([`crate::export::dataset::Manifest`]): `OUT.manifest.json` beside a
//! dataset file, `OUT/manifest.json` in a folder.

use super::{Context, DoccanoFormArg, Exit, ExportArgs, bar, inputs};
use crate::export::dataset::{self, Filters, SpecError, Split};
use crate::export::{ExportErrorKind, ExportRequest, describe, export_corpus};
use crate::formats::label_studio::WriteAs;
use crate::formats::registry::Setting;
use crate::formats::{self, ExportOptions, Format, doccano};

pub fn run(args: &ExportArgs, ctx: &mut Context<'_>) -> Exit {
    let format = args.to;
    let mut req = ExportRequest::new(format, args.inputs.clone(), args.out.clone());
    match settings(args, format) {
        Ok((options, filters, split)) => {
            req.options = options;
            req.filters = filters;
            req.split = split;
            req.allow_loss = args.allow_loss;
        }
        Err(message) => {
            ctx.problem(message);
            return Exit::Failure;
        }
    }
    let result = bar::run(ctx, |progress, _| export_corpus(&req, progress));
    let report = match result {
        Ok(report) => report,
        Err(e) => {
            let exit = inputs::report(&e.problems, ctx);
            let (message, exit) = match e.kind {
                ExportErrorKind::NothingToExport { .. } | ExportErrorKind::NothingLeft { .. } => {
                    (e.kind.to_string(), exit.max(Exit::DataProblems))
                }
                ExportErrorKind::Loss { format, loss } => (
                    format!(
                        "{} cannot hold {}; nothing written (use --allow-loss to export without them)",
                        format.name(),
                        describe(&loss)
                    ),
                    Exit::DataProblems,
                ),
                ExportErrorKind::OutIsAnInput { out } => (
                    format!(
                        "--out is one of the inputs; refusing to overwrite it: {}",
                        out.display()
                    ),
                    Exit::Failure,
                ),
                ExportErrorKind::WouldOverwriteInput { target, input } => (
                    format!(
                        "would overwrite an input ({}); choose another --out: {}",
                        target.display(),
                        input.display()
                    ),
                    Exit::Failure,
                ),
                kind => (kind.to_string(), Exit::Failure),
            };
            ctx.problem(message);
            return exit;
        }
    };
    let exit = inputs::report(&report.problems, ctx);
    if !report.loss.is_empty() {
        ctx.problem(format!(
            "{} cannot hold {}; exported without them (--allow-loss)",
            format.name(),
            describe(&report.loss)
        ));
    }
    for part in &report.parts {
        let _ = if format.is_native() {
            writeln!(
                ctx.out,
                "exported {} annotation files to {}",
                part.documents,
                part.path.display()
            )
        } else {
            writeln!(
                ctx.out,
                "exported {} documents with {} spans to {}",
                part.documents,
                part.spans,
                part.path.display()
            )
        };
    }
    if report.suggestions_out > 0 {
        ctx.problem(format!(
            "note: {} suggestion{} no one accepted left out (accept them to export them)",
            report.suggestions_out,
            if report.suggestions_out == 1 { "" } else { "s" }
        ));
    }
    if let Some(path) = &report.manifest {
        let _ = writeln!(ctx.out, "manifest: {}", path.display());
    }
    // Freed on a thread of its own, while the command ends: one message per span CoNLL could
    // not place (93,000 in the bench's corpus), freed one by one, were the last 4 ms of that
    // export, with the other core idle. When no thread can be started, it is freed here (the
    // closure that holds it is dropped with the error).
    let _ = std::thread::Builder::new()
        .name("freeing the report".into())
        .spawn(move || drop(report));
    exit
}

/// Why the arguments cannot make an export (a usage error).
#[derive(Debug, thiserror::Error)]
enum Usage {
    /// An option given for a format that does not take it.
    #[error("{option} is for --to {}, not {format}", .formats.join(" or "))]
    NotFor {
        option: &'static str,
        formats: Vec<&'static str>,
        format: Format,
    },
    #[error("--model-version names the predictions' model: give it with --ls-as predictions")]
    ModelVersionWithoutPredictions,
    #[error(transparent)]
    Spec(#[from] SpecError),
}

/// `--ls-as`: what a Label Studio export writes the spans as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LsAsArg {
    /// Annotations, as Label Studio's own JSON export writes them (the default).
    Annotations,
    /// Predictions (pre-annotations), for tasks to import into Label Studio.
    Predictions,
}

/// The export options, filters and split the arguments ask for, or a usage error.
fn settings(
    args: &ExportArgs,
    format: Format,
) -> Result<(ExportOptions, Filters, Option<Split>), Usage> {
    let only = |given: bool, option: &'static str, setting: Setting| -> Result<(), Usage> {
        if given && !format.takes(setting) {
            return Err(Usage::NotFor {
                option,
                formats: Format::all()
                    .filter(|f| f.takes(setting))
                    .map(Format::name)
                    .collect(),
                format,
            });
        }
        Ok(())
    };
    only(args.offsets.is_some(), "--offsets", Setting::Offsets)?;
    only(
        args.doccano_form.is_some(),
        "--doccano-form",
        Setting::DoccanoForm,
    )?;
    for (given, option) in [
        (args.from_name.is_some(), "--from-name"),
        (args.to_name.is_some(), "--to-name"),
        (args.text_key.is_some(), "--text-key"),
    ] {
        only(given, option, Setting::LabelStudioNames)?;
    }
    only(args.ls_as.is_some(), "--ls-as", Setting::LabelStudioAs)?;
    only(
        args.model_version.is_some(),
        "--model-version",
        Setting::LabelStudioAs,
    )?;
    let write_as = match args.ls_as {
        Some(LsAsArg::Predictions) => WriteAs::Predictions,
        Some(LsAsArg::Annotations) | None => WriteAs::Annotations,
    };
    if args.model_version.is_some() && write_as != WriteAs::Predictions {
        return Err(Usage::ModelVersionWithoutPredictions);
    }
    let options = ExportOptions {
        offsets: args.offsets.map(Into::into).unwrap_or_default(),
        doccano_form: args.doccano_form.map(|f| match f {
            DoccanoFormArg::Label => doccano::Form::Label,
            DoccanoFormArg::Entities => doccano::Form::Entities,
        }),
        label_studio: formats::label_studio::ExportNames {
            from_name: args.from_name.clone(),
            to_name: args.to_name.clone(),
            text_key: args.text_key.clone(),
            write_as,
            model_version: args.model_version.clone(),
        },
    };
    let filters = Filters {
        statuses: match &args.status {
            Some(s) => dataset::parse_statuses(s)?,
            None => Vec::new(),
        },
        labels: match &args.labels {
            Some(l) => dataset::parse_labels(l)?,
            None => Vec::new(),
        },
        annotators: args
            .annotators
            .iter()
            .flat_map(|a| a.split(','))
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(String::from)
            .collect(),
    };
    let split = match &args.split {
        Some(spec) => Some(Split::parse(spec, args.seed.unwrap_or(0))?),
        None => None,
    };
    Ok((options, filters, split))
}
