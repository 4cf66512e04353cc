//! `spanmark import --from text|jsonl IN... --out DIR`: for each document, the article text and
//! its annotation file are written into DIR. File names come from the data but are made safe
//! (`names`); nothing is written outside DIR, an input is never written to, and existing
//! annotation files are kept unless `--overwrite`.

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use super::names::{safe_file_name, unique_path};
use super::{Context, Exit, ImportArgs, ImportFormat, inputs};
use crate::formats::{ImportOptions, jsonl};
use crate::model::{AuditEntry, Document, Timestamp};
use crate::store::article::{ArticleKind, read_article};
use crate::store::atomic::write_atomic;
use crate::store::folder::is_article;
use crate::store::hash::sha256_hex;
use crate::store::native;
use crate::store::open::new_document;

pub fn run(args: &ImportArgs, ctx: &mut Context<'_>) -> Exit {
    if let Err(e) = std::fs::create_dir_all(&args.out) {
        ctx.problem(format!(
            "cannot create the output folder: {e}: {}",
            args.out.display()
        ));
        return Exit::Failure;
    }
    let options = ImportOptions {
        annotator: ctx.annotator.clone(),
        offsets: args.offsets.into(),
        at: Timestamp::now(),
    };
    let mut writer = Writer {
        out: &args.out,
        overwrite: args.overwrite,
        taken: HashSet::new(),
        inputs: HashSet::new(),
        documents: 0,
        spans: 0,
        exit: Exit::Success,
    };
    match args.from {
        ImportFormat::Text => import_text(args, &options, &mut writer, ctx),
        ImportFormat::Jsonl => import_jsonl(args, &options, &mut writer, ctx),
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
    for path in files {
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

fn import_jsonl(
    args: &ImportArgs,
    options: &ImportOptions,
    writer: &mut Writer<'_>,
    ctx: &mut Context<'_>,
) {
    let is_jsonl = |p: &Path| {
        p.extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("jsonl") || e.eq_ignore_ascii_case("ndjson"))
    };
    let (files, exit) = inputs::files(&args.inputs, &is_jsonl, ctx);
    writer.exit = writer.exit.max(exit);
    writer.protect(&files);
    for path in files {
        let file = match std::fs::File::open(&path) {
            Ok(f) => f,
            Err(e) => {
                ctx.problem(format!("cannot read: {e}: {}", path.display()));
                writer.exit = writer.exit.max(Exit::Failure);
                continue;
            }
        };
        let origin = path.display().to_string();
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "document".to_string());
        let mut reader = BufReader::new(file);
        // JSON text never holds a NUL byte: this is a binary file (or UTF-16), and each of its
        // "lines" would only add another error.
        if reader.fill_buf().is_ok_and(|head| head.contains(&0)) {
            ctx.problem(format!(
                "binary file (a NUL byte), not UTF-8 JSONL: {}",
                path.display()
            ));
            writer.exit = writer.exit.max(Exit::DataProblems);
            continue;
        }
        let mut lines_read = 0;
        let mut binary = false;
        for (i, line) in reader.split(b'\n').enumerate() {
            let line_no = i + 1;
            let bytes = match line {
                Ok(b) => b,
                Err(e) => {
                    ctx.problem(format!("{origin}:{line_no}: cannot read: {e}"));
                    writer.exit = writer.exit.max(Exit::Failure);
                    break;
                }
            };
            // Binary data further in.
            if bytes.contains(&0) {
                ctx.problem(format!(
                    "{origin}:{line_no}: binary data (a NUL byte), not UTF-8 JSONL; the rest of the file is skipped"
                ));
                writer.exit = writer.exit.max(Exit::DataProblems);
                binary = true;
                break;
            }
            let Ok(line) = std::str::from_utf8(&bytes) else {
                ctx.problem(format!("{origin}:{line_no}: not UTF-8 text"));
                writer.exit = writer.exit.max(Exit::DataProblems);
                continue;
            };
            let line = line.strip_suffix('\r').unwrap_or(line);
            let line = if line_no == 1 {
                line.strip_prefix('\u{feff}').unwrap_or(line)
            } else {
                line
            };
            if line.trim().is_empty() {
                continue;
            }
            lines_read += 1;
            match jsonl::import_line(line, &origin, line_no, options) {
                Ok(read) => {
                    for p in &read.imported.problems {
                        ctx.problem(p);
                        writer.exit = writer.exit.max(Exit::DataProblems);
                    }
                    let name = read.name.unwrap_or_else(|| format!("{stem}-{line_no}"));
                    let name = with_article_extension(&safe_file_name(
                        &name,
                        &format!("{stem}-{line_no}"),
                    ));
                    let doc = read.imported.doc;
                    let bytes = doc.text().as_str().as_bytes().to_vec();
                    writer.write(&name, &bytes, doc, ctx);
                }
                Err(message) => {
                    ctx.problem(message);
                    writer.exit = writer.exit.max(Exit::DataProblems);
                }
            }
        }
        if lines_read == 0 && !binary {
            ctx.problem(format!("no records in the file: {}", path.display()));
            writer.exit = writer.exit.max(Exit::DataProblems);
        }
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
}

impl Writer<'_> {
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
