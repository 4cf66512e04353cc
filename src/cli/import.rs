//! `spanmark import --from FORMAT IN... --out DIR`: for each document, the article text and
//! its annotation file are written into DIR. File names come from the data but are made safe
//! (`names`); nothing is written outside DIR, an input is never written to, and existing
//! annotation files are kept unless `--overwrite`.
//!
//! Every importer's output goes through one place ([`take`]): `--map` is applied there, every
//! problem is reported there (exit 1), and every document is written there.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::names::{safe_file_name, unique_path};
use super::{Context, Exit, ImportArgs, bar, inputs};
use crate::formats::{
    self, Format, ImportOptions, ImportReport, ImportedDocument, LabelMap, Reading,
};
use crate::model::{AuditEntry, Document, Timestamp};
use crate::progress::Progress;
use crate::store::article::{ArticleKind, read_article};
use crate::store::atomic::write_atomic;
use crate::store::folder::is_article;
use crate::store::hash::sha256_hex;
use crate::store::native;
use crate::store::open::new_document;

pub fn run(args: &ImportArgs, ctx: &mut Context<'_>) -> Exit {
    bar::run(ctx, |progress, ctx| import(args, progress, ctx))
}

fn import(args: &ImportArgs, progress: &Progress, ctx: &mut Context<'_>) -> Exit {
    let format = args.from;
    if !format.is_read() {
        ctx.problem(format!("{format} is written, not read"));
        return Exit::Failure;
    }
    let mut map = LabelMap::default();
    for spec in &args.map {
        if let Err(e) = map.extend(spec) {
            ctx.problem(e);
            return Exit::Failure;
        }
    }
    if args.source.is_some() != format.needs_article() {
        if format.needs_article() {
            ctx.problem(format!(
                "{format} annotations do not hold their text: name the article with --source ARTICLE"
            ));
        } else {
            let about: Vec<&str> = Format::all()
                .filter(|f| f.needs_article())
                .map(Format::name)
                .collect();
            ctx.problem(format!(
                "--source names the article a file annotates; it is only for --from {}",
                about.join(" or ")
            ));
        }
        return Exit::Failure;
    }
    if let Err(e) = std::fs::create_dir_all(&args.out) {
        ctx.problem(format!(
            "cannot create the output folder: {e}: {}",
            args.out.display()
        ));
        return Exit::Failure;
    }
    let options = ImportOptions {
        annotator: ctx.annotator.clone(),
        offsets: args.offsets.map(Into::into).unwrap_or_default(),
        offsets_named: args.offsets.is_some(),
        text_key: args.text_key.clone(),
        at: Timestamp::now(),
        map,
    };
    let mut writer = Writer {
        out: &args.out,
        overwrite: args.overwrite,
        taken: HashSet::new(),
        inputs: HashSet::new(),
        documents: 0,
        spans: 0,
        exit: Exit::Success,
        progress,
    };
    match format.reading() {
        Reading::Articles => import_text(args, &options, &mut writer, ctx),
        Reading::Native => import_native(args, &options, &mut writer, ctx),
        Reading::Files {
            needs_article: true,
            ..
        } => import_with_article(format, args, &options, &mut writer, ctx),
        Reading::Files {
            needs_article: false,
            ..
        } => import_foreign(format, args, &options, &mut writer, ctx),
        // Refused above.
        Reading::Nothing => {}
    }
    let _ = writeln!(
        ctx.out,
        "imported {} document{} with {} span{} into {}",
        writer.documents,
        if writer.documents == 1 { "" } else { "s" },
        writer.spans,
        if writer.spans == 1 { "" } else { "s" },
        args.out.display()
    );
    writer.exit
}

fn import_text(
    args: &ImportArgs,
    options: &ImportOptions,
    writer: &mut Writer<'_>,
    ctx: &mut Context<'_>,
) {
    let (files, exit) = inputs::files(&args.inputs, &is_article, ctx);
    writer.exit = writer.exit.max(exit);
    writer.protect(&files);
    writer.reading(&files);
    for (i, path) in files.into_iter().enumerate() {
        writer.progress.set_done(i as u64);
        if native::is_native_path(&path) {
            ctx.problem(format!(
                "an annotation file, not an article (import articles, or export this file): {}",
                path.display()
            ));
            writer.exit = writer.exit.max(Exit::DataProblems);
            continue;
        }
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                ctx.problem(format!("cannot read article: {e}: {}", path.display()));
                writer.exit = writer.exit.max(Exit::Failure);
                continue;
            }
        };
        let article = match read_article(&path) {
            Ok(a) => a,
            Err(e) => {
                ctx.problem(&e);
                writer.exit = writer.exit.max(Exit::DataProblems);
                continue;
            }
        };
        let kind = article.kind;
        let mut doc = new_document(&path, article, &options.annotator);
        doc.log(AuditEntry::document(
            options.at,
            &options.annotator,
            format!("imported article {} ({:?})", path.display(), kind),
        ));
        let name = doc.source.name.clone();
        writer.write(&name, &bytes, doc, ctx);
    }
}

fn import_foreign(
    format: Format,
    args: &ImportArgs,
    options: &ImportOptions,
    writer: &mut Writer<'_>,
    ctx: &mut Context<'_>,
) {
    let (files, exit) = inputs::files(&args.inputs, &|p| format.reads(p), ctx);
    writer.exit = writer.exit.max(exit);
    writer.protect(&files);
    writer.reading(&files);
    for (i, path) in files.into_iter().enumerate() {
        writer.progress.set_done(i as u64);
        if let Err(e) = std::fs::File::open(&path) {
            ctx.problem(format!("cannot read: {e}: {}", path.display()));
            writer.exit = writer.exit.max(Exit::Failure);
            continue;
        }
        if let Some(report) = formats::import(format, &path, None, options) {
            take(report, &path, None, options, writer, ctx);
        }
    }
}

/// Native files: copied into --out with their articles (the map applied, the files checked).
fn import_native(
    args: &ImportArgs,
    options: &ImportOptions,
    writer: &mut Writer<'_>,
    ctx: &mut Context<'_>,
) {
    let (files, exit) = inputs::native_files(&args.inputs, ctx);
    writer.exit = writer.exit.max(exit);
    writer.protect(&files);
    writer.protect(
        &files
            .iter()
            .filter_map(|p| native::article_beside(p))
            .collect::<Vec<_>>(),
    );
    writer.reading(&files);
    for (i, path) in files.into_iter().enumerate() {
        writer.progress.set_done(i as u64);
        let loaded = match native::load(&path) {
            Ok(l) => l,
            Err(e) => {
                ctx.problem(&e);
                writer.exit = writer.exit.max(Exit::DataProblems);
                continue;
            }
        };
        for w in &loaded.warnings {
            ctx.problem(format!("{}: {w}", path.display()));
        }
        let mut doc = loaded.doc;
        // The article as it was, when it is still there unchanged; else the text as UTF-8.
        let original = native::article_beside(&path)
            .and_then(|a| std::fs::read(a).ok())
            .filter(|bytes| doc.source.sha256.as_deref() == Some(sha256_hex(bytes).as_str()));
        let bytes = match original {
            Some(bytes) => bytes,
            None => {
                doc.source.encoding = "UTF-8".to_string();
                doc.source.bom = false;
                doc.text().as_str().as_bytes().to_vec()
            }
        };
        doc.log(AuditEntry::document(
            options.at,
            &options.annotator,
            format!("imported annotation file {}", path.display()),
        ));
        let report = ImportReport {
            documents: vec![ImportedDocument {
                doc,
                problems: Vec::new(),
            }],
            problems: Vec::new(),
        };
        take(report, &path, Some(bytes), options, writer, ctx);
    }
}

/// Files that do not hold their text (W3C annotations) about the article named by --source:
/// one document per file.
fn import_with_article(
    format: Format,
    args: &ImportArgs,
    options: &ImportOptions,
    writer: &mut Writer<'_>,
    ctx: &mut Context<'_>,
) {
    let Some(source) = &args.source else {
        return;
    };
    let (bytes, article) = match (std::fs::read(source), read_article(source)) {
        (Ok(bytes), Ok(article)) => (bytes, article),
        (Err(e), _) => {
            ctx.problem(format!("cannot read article: {e}: {}", source.display()));
            writer.exit = writer.exit.max(Exit::Failure);
            return;
        }
        (_, Err(e)) => {
            ctx.problem(&e);
            writer.exit = writer.exit.max(Exit::DataProblems);
            return;
        }
    };
    let (files, exit) = inputs::files(&args.inputs, &|p| format.reads(p), ctx);
    writer.exit = writer.exit.max(exit);
    writer.protect(&files);
    writer.protect(std::slice::from_ref(source));
    let name = source
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "article.txt".to_string());
    writer.reading(&files);
    for (i, path) in files.into_iter().enumerate() {
        writer.progress.set_done(i as u64);
        let Some(mut report) = formats::import(format, &path, Some(&article.text), options) else {
            continue;
        };
        for imported in &mut report.documents {
            let source = &mut imported.doc.source;
            source.name.clone_from(&name);
            source.encoding.clone_from(&article.encoding);
            source.bom = article.bom;
        }
        take(report, &path, Some(bytes.clone()), options, writer, ctx);
    }
}

/// The one way in for every importer's output: `--map` applied, problems reported, documents
/// written. `article`: the bytes to write as the article (default: the text as UTF-8).
fn take(
    mut report: ImportReport,
    input: &Path,
    article: Option<Vec<u8>>,
    options: &ImportOptions,
    writer: &mut Writer<'_>,
    ctx: &mut Context<'_>,
) {
    formats::map::apply(&mut report, &options.map, &options.annotator, options.at);
    for p in &report.problems {
        ctx.problem(p);
        writer.exit = writer.exit.max(Exit::DataProblems);
    }
    let stem = input
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "document".to_string());
    for (k, imported) in report.documents.into_iter().enumerate() {
        for p in &imported.problems {
            ctx.problem(p);
            writer.exit = writer.exit.max(Exit::DataProblems);
        }
        let doc = imported.doc;
        let fallback = format!("{stem}-{}", k + 1);
        // What no article can hold: Spanmark (and most tools) would refuse the file written.
        let text = doc.text().as_str();
        let unreadable = if text.contains('\0') {
            Some("its text holds a NUL character (U+0000): binary data, not an article")
        } else if text.trim().is_empty() {
            Some("its text is empty: there is nothing to label")
        } else {
            None
        };
        if let Some(why) = unreadable {
            ctx.problem(format!(
                "document {} ({:?}) not imported: {why}: {}",
                k + 1,
                doc.source.name,
                input.display()
            ));
            writer.exit = writer.exit.max(Exit::DataProblems);
            continue;
        }
        let safe = safe_file_name(&doc.source.name, &fallback);
        // An article written as it came keeps its name (an .html page stays .html); a text
        // written as UTF-8 is named so that opening it gives the same text.
        let name = if article.is_some() {
            safe
        } else {
            with_article_extension(&safe)
        };
        let bytes = match &article {
            Some(b) => b.clone(),
            None => doc.text().as_str().as_bytes().to_vec(),
        };
        writer.write(&name, &bytes, doc, ctx);
    }
}

/// `name.txt` unless the name ends like an article that is loaded as written (`.txt`, `.md`):
/// an `.html` name would be reduced again when opened, and no longer match the text.
fn with_article_extension(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    let as_written =
        ArticleKind::from_path(Path::new(name)) == ArticleKind::Markdown || lower.ends_with(".txt");
    if as_written {
        name.to_string()
    } else {
        format!("{name}.txt")
    }
}

struct Writer<'a> {
    out: &'a Path,
    overwrite: bool,
    taken: HashSet<String>,
    /// The files being imported (canonical paths): never written, even with --overwrite.
    inputs: HashSet<PathBuf>,
    documents: usize,
    spans: usize,
    exit: Exit,
    /// Files read so far, for the bar on stderr.
    progress: &'a Progress,
}

impl Writer<'_> {
    /// The files about to be read, for the bar on stderr.
    fn reading(&self, files: &[PathBuf]) {
        self.progress.start("importing", files.len() as u64);
    }

    fn protect(&mut self, files: &[PathBuf]) {
        self.inputs
            .extend(files.iter().filter_map(|f| f.canonicalize().ok()));
    }

    fn is_input(&self, path: &Path) -> bool {
        path.canonicalize().is_ok_and(|p| self.inputs.contains(&p))
    }

    /// Writes the article bytes and the annotation file for `doc` under a safe, unique name.
    fn write(&mut self, name: &str, article: &[u8], mut doc: Document, ctx: &mut Context<'_>) {
        let safe = safe_file_name(name, "document.txt");
        let article_path = unique_path(self.out, &safe, &mut self.taken);
        let native_path = native::path_beside(&article_path);
        let same_bytes = std::fs::read(&article_path).ok().as_deref() == Some(article);
        let input_in_the_way = if self.is_input(&native_path) {
            Some(&native_path)
        } else if !same_bytes && self.is_input(&article_path) {
            Some(&article_path)
        } else {
            None
        };
        if let Some(input) = input_in_the_way {
            ctx.problem(format!(
                "would overwrite an input; choose another --out: {}",
                input.display()
            ));
            self.exit = self.exit.max(Exit::Failure);
            return;
        }
        if native_path.exists() && !self.overwrite {
            ctx.problem(format!(
                "an annotation file is already there; not overwritten (use --overwrite): {}",
                native_path.display()
            ));
            self.exit = self.exit.max(Exit::DataProblems);
            return;
        }
        if article_path.exists() && !same_bytes && !self.overwrite {
            ctx.problem(format!(
                "a different file is already there; not overwritten (use --overwrite): {}",
                article_path.display()
            ));
            self.exit = self.exit.max(Exit::DataProblems);
            return;
        }
        let file_name = article_path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        doc.source.name = file_name.clone();
        doc.source.path = Some(file_name);
        doc.source.sha256 = Some(sha256_hex(article));
        if !same_bytes && let Err(e) = write_atomic(&article_path, article) {
            ctx.problem(format!("cannot write: {e}: {}", article_path.display()));
            self.exit = self.exit.max(Exit::Failure);
            return;
        }
        if let Err(e) = native::save(&doc, &native_path) {
            ctx.problem(&e);
            self.exit = self.exit.max(Exit::Failure);
            return;
        }
        self.documents += 1;
        self.spans += doc.set().len();
    }
}
