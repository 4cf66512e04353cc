//! What the workbench knows: the open document, the folder, the mode and what review,
//! comparison and find are doing, which windows are open, the work running in the background.
//!
//! [`AppState`] is changed in one place, the app's `apply` (and the helpers here that it calls,
//! each taking the parts it needs). Everything that draws gets `&AppState` and returns actions;
//! what a widget keeps for itself (text being typed, caches of layout) is the widget's own.
//! When `apply` wants a widget to do something once (take the keyboard, select its text), it
//! bumps a number in [`Requests`] that the widget compares with the last one it acted on.

pub mod attribute_keys;
pub mod compare;
pub mod document;
pub mod find;
pub mod jobs;
pub mod review;
pub mod suggestions;

use std::path::PathBuf;

use crate::app::commands::{FocusKind, Mode};
use crate::app::prefs::Prefs;
use crate::app::session::Session;
use crate::model::frames::{FrameType, frame_of};
use crate::model::{AnnotationSet, Span, Status};
use crate::store::folder::DocEntry;
use crate::store::recovery::Recovered;

/// What waits for the unsaved-changes prompt.
#[derive(Debug, Clone, PartialEq)]
pub enum Pending {
    Open(PathBuf),
    OpenDocument(usize),
    OpenFolder(PathBuf),
    Quit,
}

/// A folder being worked through.
pub struct Folder {
    pub root: PathBuf,
    pub docs: Vec<DocEntry>,
    pub current: Option<usize>,
    /// Reads span counts and statuses in the background; `None` when done or stopped.
    pub reader: Option<crate::store::folder::SummaryReader>,
}

impl Folder {
    /// How many documents have their summary read.
    pub fn read_count(&self) -> usize {
        self.docs.iter().filter(|d| d.read).count()
    }

    /// Takes in summaries read in the background; forgets the reader once all are in.
    pub fn take_summaries(&mut self, read: Vec<(usize, DocEntry)>) {
        for (i, entry) in read {
            if let Some(slot) = self.docs.get_mut(i)
                && slot.article == entry.article
                && !slot.read
            {
                *slot = entry;
            }
        }
        if self.docs.iter().all(|d| d.read) {
            self.reader = None;
        }
    }
}

/// What the span list shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SpanFilters {
    pub label: Option<String>,
    pub status: Option<Status>,
    /// Only the frames missing this role: (the frame's type, the role), e.g. claims without a
    /// source.
    pub missing: Option<(FrameType, &'static str)>,
    /// Only the spans whose attribute (the name) has this value; `None` as the value: the
    /// spans that have no value for it.
    pub attr: Option<(String, Option<String>)>,
    /// Only pending suggestions (`Some(true)`) or only people's work (`Some(false)`).
    pub suggested: Option<bool>,
}

impl SpanFilters {
    /// Whether the span list shows `span`.
    pub fn keep(&self, set: &AnnotationSet, span: &Span) -> bool {
        self.label
            .as_deref()
            .is_none_or(|l| span.label.as_str() == l)
            && self.status.is_none_or(|st| span.status == st)
            && self.missing.is_none_or(|(kind, role)| {
                frame_of(set, &span.id).is_some_and(|f| f.kind == kind && f.role(role).is_empty())
            })
            && self
                .attr
                .as_ref()
                .is_none_or(|(name, value)| span.attrs.get(name) == value.as_ref())
            && self
                .suggested
                .is_none_or(|on| crate::model::suggestion::is_pending(span) == on)
    }
}

/// A window (or a bar) that can be open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    Error,
    OpenPath,
    Help,
    Labels,
    Preferences,
    Export,
    ComparePicker,
    Gold,
    Agreement,
    Frames,
    Guidelines,
}

/// The window that gathers the files to compare.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Picker {
    /// Why the last attempt failed.
    pub error: Option<String>,
    /// The native dialog could not be shown: the paths are typed.
    pub unavailable: bool,
    /// Paths picked in the native dialog, numbered so the window adds each batch once.
    pub picked: Option<(u64, Vec<PathBuf>)>,
}

/// Which windows are open, with what they need from the app.
#[derive(Default)]
pub struct Windows {
    /// What failed, to show in the error dialog.
    pub error: Option<Failure>,
    pub open_path: bool,
    /// The file dialog could not be shown (said in the open-by-path window).
    pub dialog_unavailable: bool,
    pub help: bool,
    pub labels: bool,
    pub preferences: bool,
    /// Unsaved work found from an earlier run, offered for recovery.
    pub recovery: Option<Recovered>,
    /// The annotation file changed on disk: overwrite, keep both, or cancel?
    pub conflict: bool,
    pub export: bool,
    pub picker: Option<Picker>,
    /// The window that writes the gold file, with the path it proposes.
    pub gold: Option<PathBuf>,
    pub agreement: bool,
    pub frames: bool,
    pub guidelines: bool,
}

/// Something that could not be done: what (`open bin.txt`, the dialog's heading says "Could
/// not open bin.txt") and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub what: String,
    pub reason: String,
}

impl Failure {
    pub fn new(what: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            what: what.into(),
            reason: reason.into(),
        }
    }
}

/// The last part of `path` (`bin.txt`), as a failure names it.
pub fn file_name(path: &std::path::Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// One-shot requests to widgets, each a number that grows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Requests {
    /// The article view takes the keyboard.
    pub article_focus: u64,
    /// The find bar's field takes the keyboard with its text selected.
    pub find_focus: u64,
    /// The compare window's field takes the keyboard.
    pub picker_focus: u64,
    /// The gold window's field takes the keyboard.
    pub gold_focus: u64,
}

/// How the last export ended.
#[derive(Debug)]
pub enum Outcome {
    Written(crate::export::ExportReport),
    /// Nothing was written: why (for a loss: what and how much), and the problems met.
    Refused {
        message: String,
        loss: Vec<(String, usize)>,
        problems: Vec<String>,
    },
    Cancelled,
}

/// The export window's part of the state: how the last export ended, and the destination the
/// file dialog gave (numbered, so the window takes it once).
#[derive(Debug, Default)]
pub struct ExportState {
    pub outcome: Option<Outcome>,
    pub destination: Option<(u64, PathBuf)>,
    /// No file dialog could be shown: the path is typed.
    pub dialog_unavailable: bool,
}

/// The workbench's state. See the module docs for who may change it.
pub struct AppState {
    pub session: Option<Session>,
    /// Bumped whenever another session is shown: what belonged to the last one is rebuilt.
    pub shown: u64,
    pub folder: Option<Folder>,
    pub prefs: Prefs,
    /// `--annotator` for this run; wins over the preference.
    pub annotator_override: Option<String>,
    pub mode: Mode,
    pub review: review::ReviewState,
    pub compare: Option<compare::CompareState>,
    pub find: find::FindState,
    pub span_filters: SpanFilters,
    pub windows: Windows,
    /// The question the unsaved-changes prompt is asking.
    pub pending: Option<Pending>,
    pub jobs: jobs::Running,
    pub export: ExportState,
    pub requests: Requests,
    /// The attribute prefix key was pressed with this span selected: the next key is a
    /// value's key.
    pub attr_prefix: Option<crate::model::SpanId>,
    /// The project the shown document is in (`spanmark.project.json` in its folder or above).
    pub project: Option<crate::store::project::Project>,
}

impl AppState {
    pub fn new(prefs: Prefs, annotator_override: Option<String>) -> Self {
        Self {
            session: None,
            shown: 0,
            folder: None,
            prefs,
            annotator_override,
            mode: Mode::Annotate,
            review: review::ReviewState::default(),
            compare: None,
            find: find::FindState::default(),
            span_filters: SpanFilters::default(),
            windows: Windows::default(),
            pending: None,
            jobs: jobs::Running::default(),
            export: ExportState::default(),
            requests: Requests::default(),
            attr_prefix: None,
            project: None,
        }
    }

    /// Whose work this is: `--annotator`, else the preference, else the login name.
    pub fn annotator(&self) -> String {
        if let Some(name) = &self.annotator_override {
            return name.clone();
        }
        if !self.prefs.annotator.trim().is_empty() {
            return self.prefs.annotator.trim().to_string();
        }
        crate::store::user::login_name()
    }

    /// Whether a modal question stands in front of the workbench (recovery, changed on disk,
    /// unsaved changes, an error): it answers its own keys and no command fires.
    pub fn modal_open(&self) -> bool {
        self.windows.recovery.is_some()
            || self.windows.conflict
            || self.windows.error.is_some()
            || self.pending.is_some()
    }

    /// Whether labelling a span proposes its other occurrences now: the preference is on and
    /// the workbench is annotating (a reviewer's relabel proposes nothing).
    pub fn propagates(&self) -> bool {
        self.prefs.propagate && self.mode == Mode::Annotate
    }

    /// What has the keyboard's attention, for reading keys and greying out menu items.
    pub fn focus_kind(&self) -> FocusKind {
        if self.review.commenting.is_some() && self.mode == Mode::Review {
            return FocusKind::Comment;
        }
        let Some(session) = self.session.as_ref() else {
            return FocusKind::Nothing;
        };
        match session.focus().kind() {
            FocusKind::Span
                if session
                    .selected()
                    .is_some_and(crate::model::suggestion::is_pending) =>
            {
                FocusKind::Suggestion
            }
            kind => kind,
        }
    }

    /// The difference being looked at in a comparison.
    pub fn current_difference(&self) -> Option<usize> {
        let c = self.compare.as_ref()?;
        c.current_difference(self.session.as_ref())
    }

    /// Says `text` in the status bar.
    pub fn say(&mut self, text: impl Into<String>) {
        if let Some(s) = &mut self.session {
            s.say(text);
        }
    }

    /// Says what went wrong in the status bar.
    pub fn complain(&mut self, text: impl Into<String>) {
        if let Some(s) = &mut self.session {
            s.complain(text);
        }
    }

    /// The article view takes the keyboard on the next frame.
    pub fn focus_article(&mut self) {
        self.requests.article_focus += 1;
    }

    /// Recomputes what is derived from the document after changes: the find matches, the
    /// review counts, the conflicts. Cheap when nothing changed.
    pub fn refresh(&mut self) {
        let Some(s) = &self.session else {
            return;
        };
        self.find.refresh(s, self.shown);
        match self.mode {
            Mode::Review => self.review.refresh_tally(s, self.shown),
            Mode::Adjudicate => {
                self.review.conflicts(s, self.shown);
            }
            Mode::Annotate | Mode::Compare => {}
        }
    }
}
