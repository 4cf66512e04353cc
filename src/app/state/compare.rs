//! A comparison in the workbench: several annotators' files of one article shown as one
//! merged, read-only document ([`crate::review::compare`]), the difference last gone to, the
//! agreement once measured, and the user's own document put aside until the comparison closes
//! (it must have no unsaved changes when the comparison starts).

use std::path::PathBuf;

use super::{AppState, Window};
use crate::app::commands::{Command, Mode, shortcut_text};
use crate::app::session::{Clock, Session};
use crate::model::Timestamp;
use crate::review::Agreement;
use crate::review::compare::Comparison;

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
        None => state.windows.error = Some(message),
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
        Err(e) => state.windows.error = Some(e),
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
