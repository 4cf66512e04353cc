//! A comparison in the workbench: several annotators' files of one article shown as one
//! merged, read-only document ([`crate::review::compare`]), the difference last gone to, the
//! agreement once measured, and the user's own document put aside until the comparison closes
//! (it must have no unsaved changes when the comparison starts).

use std::path::PathBuf;

use super::jobs::GoldJob;
use super::{AppState, Failure, Window, file_name};
use crate::app::commands::{Command, Mode, shortcut_text};
use crate::app::jobs::{JobError, work};
use crate::app::session::{Clock, Session};
use crate::model::{Document, Timestamp};
use crate::review::adjudicate::{adjudicate_documents, adjudicate_documents_with_progress};
use crate::review::compare::Comparison;
use crate::review::metrics::agreement_with_progress;
use crate::review::{Agreement, Corpus, agreement, save_gold};

pub struct CompareState {
    pub comparison: Comparison,
    /// The user's document while the comparison is shown, and the mode to go back to.
    pub stash: Option<Session>,
    pub stash_mode: Mode,
    /// The difference last gone to.
    pub current: Option<usize>,
    /// Over every article of the compared files; measured when first asked for.
    pub agreement: Option<Agreement>,
}

impl CompareState {
    /// The difference being looked at: the one of the selected span, else the last gone to.
    pub fn current_difference(&self, shown: Option<&Session>) -> Option<usize> {
        shown
            .and_then(|s| s.selected_id())
            .and_then(|id| self.comparison.merged.difference_of.get(id).copied())
            .or(self.current)
    }
}

/// Why the merged document cannot be edited, with the keys that lead out.
fn read_only_reason() -> String {
    format!(
        "The comparison is read-only: close it ({}) to edit your document, or {} ({}) to make a gold file",
        Command::CloseComparison.key_text(),
        Command::WriteGold.name(),
        Command::WriteGold.key_text()
    )
}

/// Compares the annotation files (or folders of them) at `paths`: the user's document is put
/// aside and the merged one shown. A failure is said in the compare window.
pub fn start(state: &mut AppState, paths: &[PathBuf], at: Timestamp, clock: Clock) {
    if let Some(s) = &state.session
        && s.is_dirty()
        && state.compare.is_none()
    {
        let message = format!(
            "Save or undo your changes to {} before comparing annotators ({} saves).",
            s.doc().source.name,
            Command::Save.key_text()
        );
        say_in_picker(state, message);
        return;
    }
    match Comparison::load(paths, &state.annotator(), at) {
        Ok(comparison) => {
            state.windows.picker = None;
            let (stash, stash_mode) = match state.compare.take() {
                Some(c) => (c.stash, c.stash_mode),
                None => (state.session.take(), state.mode),
            };
            state.compare = Some(CompareState {
                comparison,
                stash,
                stash_mode,
                current: None,
                agreement: None,
            });
            state.mode = Mode::Compare;
            show_merged(state, clock);
        }
        Err(e) => say_in_picker(state, e),
    }
}

fn say_in_picker(state: &mut AppState, message: String) {
    match &mut state.windows.picker {
        Some(p) => p.error = Some(message),
        None => {
            state.windows.error = Some(Failure::new("compare the annotators' files", message));
        }
    }
}

/// Shows the merged document of the comparison's current article.
fn show_merged(state: &mut AppState, clock: Clock) {
    let Some(c) = &state.compare else {
        return;
    };
    let merged = &c.comparison.merged;
    let doc = merged.doc.clone();
    let name = format!("{}.comparison", doc.source.name);
    let mut session = Session::read_only(doc, &name, read_only_reason(), clock);
    session.set_snap_words(state.prefs.snap_words);
    let n = merged.spans_of.len();
    let key = |c: Command, i: usize| c.keys().get(i).map(shortcut_text).unwrap_or_default();
    let next = [0, 1].map(|i| key(Command::NextDifference, i));
    let prev = [0, 1].map(|i| key(Command::PrevDifference, i));
    let mut text = match n {
        0 => "The annotators agree on every span of this article".to_string(),
        1 => format!("1 difference: {} goes to it", next.join(" or ")),
        n => format!(
            "{n} differences: {} / {} (or {} / {}) step through them",
            next[0], prev[0], next[1], prev[1]
        ),
    };
    if !c.comparison.alone.is_empty() {
        text.push_str(&format!(
            "; no other file shares these articles: {}",
            c.comparison.alone.join(", ")
        ));
    }
    if merged.not_shown > 0 {
        text.push_str(&format!(
            "; {} discontinuous readings overlap another exactly and are listed only",
            merged.not_shown
        ));
    }
    state.show(session);
    if n > 0 {
        go_to_difference(state, 0);
    }
    state.say(text);
}

/// Shows article `i` of the comparison.
pub fn show_article(state: &mut AppState, i: usize, at: Timestamp, clock: Clock) {
    let Some(c) = &mut state.compare else {
        return;
    };
    match c.comparison.show_article(i, at) {
        Ok(()) => {
            c.current = None;
            show_merged(state, clock);
        }
        Err(e) => state.windows.error = Some(Failure::new("show that article", e)),
    }
}

/// Leaves the comparison: the user's document comes back as it was, in the mode it was in.
pub fn close(state: &mut AppState) {
    let Some(c) = state.compare.take() else {
        return;
    };
    state.windows.gold = None;
    state.windows.agreement = false;
    state.jobs.gold = None;
    state.jobs.agreement = None;
    state.mode = c.stash_mode;
    state.session = None;
    if let Some(session) = c.stash {
        state.show(session);
    }
    state.focus_article();
}

/// The comparison ends because another document was opened over it.
pub fn drop_comparison(state: &mut AppState) {
    state.compare = None;
    state.windows.gold = None;
    state.windows.agreement = false;
    state.jobs.gold = None;
    state.jobs.agreement = None;
    if state.mode == Mode::Compare {
        state.mode = Mode::Annotate;
    }
}

/// Selects difference `i` and brings it into view.
pub fn go_to_difference(state: &mut AppState, i: usize) {
    let Some(c) = &mut state.compare else {
        return;
    };
    let Some(first) = c.comparison.merged.spans_of.get(i).and_then(|s| s.first()) else {
        return;
    };
    c.current = Some(i);
    if let Some(s) = &mut state.session {
        s.select_span(first);
    }
    state.focus_article();
}

/// n / p (and Tab / Shift+Tab) in a comparison.
pub fn step_difference(state: &mut AppState, forward: bool) {
    let Some(c) = &state.compare else {
        return;
    };
    let n = c.comparison.merged.spans_of.len();
    if n == 0 {
        state.say("The annotators agree on every span: there is no difference");
        return;
    }
    let next = match (state.current_difference(), forward) {
        (Some(i), true) => (i + 1) % n,
        (Some(i), false) => (i + n - 1) % n,
        (None, true) => 0,
        (None, false) => n - 1,
    };
    go_to_difference(state, next);
}

/// Opens the window that writes the gold file, proposing the default path.
pub fn ask_for_gold(state: &mut AppState) {
    if let Some(c) = &state.compare {
        state.windows.gold = Some(c.comparison.default_gold_path());
        state.requests.gold_focus += 1;
    }
}

/// Closes a window of the comparison.
pub fn close_window(state: &mut AppState, window: Window) {
    match window {
        Window::Gold => state.windows.gold = None,
        // Dropping the job cancels the measuring; the agreement stays unmeasured.
        Window::Agreement => {
            state.windows.agreement = false;
            state.jobs.agreement = None;
        }
        Window::ComparePicker => {
            state.windows.picker = None;
            state.jobs.compare_files = None;
        }
        _ => {}
    }
}

/// Agreement… in a comparison: measured at once when it is small, else on a worker thread
/// while the window shows its progress.
pub fn show_agreement(state: &mut AppState) {
    let Some(c) = &mut state.compare else {
        return;
    };
    state.windows.agreement = true;
    if c.agreement.is_some() || state.jobs.agreement.is_some() {
        return;
    }
    let docs = std::sync::Arc::clone(&c.comparison.docs);
    let size = work(
        docs.iter().map(|d| d.text().len_chars()).sum(),
        docs.iter().map(|d| d.set().len()).sum(),
    );
    if !state.jobs.in_background(size) {
        let refs: Vec<&Document> = docs.iter().collect();
        match Corpus::from_documents(&refs) {
            Ok(corpus) => c.agreement = Some(agreement(&corpus)),
            Err(e) => {
                state.windows.agreement = false;
                state.windows.error = Some(Failure::new("measure the agreement", e.to_string()));
            }
        }
        return;
    }
    state.jobs.agreement = Some(state.jobs.spawn("Measuring agreement", move |progress| {
        let refs: Vec<&Document> = docs.iter().collect();
        let corpus = Corpus::from_documents(&refs).map_err(|e| e.to_string())?;
        Ok(agreement_with_progress(&corpus, progress)?)
    }));
}

/// Writes the gold file of the compared article at `path`, adjudicated by the user at `at`.
/// Returns the path to open in adjudication mode: at once when the file is already there or
/// the article is small; `None` when it is being adjudicated in the background (the file is
/// written only when that is done, so cancelling writes nothing) or when it cannot be written
/// (the error window says why).
pub fn write_gold(state: &mut AppState, path: PathBuf, at: Timestamp) -> Option<PathBuf> {
    let c = state.compare.as_ref()?;
    state.windows.gold = None;
    if c.comparison.is_input(&path) {
        state.windows.error = Some(Failure::new(
            format!("write the gold file {}", file_name(&path)),
            format!(
                "that is one of the compared files; choose another path for the gold file: {}",
                path.display()
            ),
        ));
        return None;
    }
    if path.exists() {
        return Some(path);
    }
    let members = c.comparison.article_members();
    let docs = c.comparison.article_docs();
    let size = work(
        docs.iter().map(|d| d.text().len_chars()).sum(),
        docs.iter().map(|d| d.set().len()).sum(),
    );
    let adjudicator = state.annotator();
    if state.jobs.in_background(size) {
        let shared = std::sync::Arc::clone(&c.comparison.docs);
        let job = state.jobs.spawn("Adjudicating", move |progress| {
            let docs: Vec<&Document> = members.iter().filter_map(|&i| shared.get(i)).collect();
            adjudicate_documents_with_progress(&docs, &adjudicator, at, progress)?
                .map_err(|e| JobError::Failed(e.to_string()))
        });
        state.jobs.gold = Some(GoldJob { path, job });
        return None;
    }
    let written = adjudicate_documents(&docs, &adjudicator, at)
        .map_err(|e| e.to_string())
        .and_then(|a| save_gold(&a, &path).map_err(|e| e.to_string()));
    match written {
        Ok(()) => Some(path),
        Err(e) => {
            let what = format!("write the gold file {}", file_name(&path));
            state.windows.error = Some(Failure::new(what, e));
            None
        }
    }
}
