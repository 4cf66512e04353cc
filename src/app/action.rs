//! [`Action`]: something the user asked for (from a key, a menu, a panel, the article view) or
//! something that finished in the background. Everything that draws returns actions; the app's
//! `apply` is the one place that carries them out.

use std::path::PathBuf;

use crate::app::commands::{Command, Mode};
use crate::app::session::{Focus, Renames};
use crate::app::state::document::ConflictChoice;
use crate::app::state::find::FindQuery;
use crate::app::state::jobs::Finished;
use crate::app::state::review::Filters;
use crate::app::state::{SpanFilters, Window};
use crate::export::ExportRequest;
use crate::model::{CharOffset, DocumentStatus, Label, Schema, SpanId, Status};

#[derive(Debug)]
pub enum Action {
    /// A command of the command table (or a label key).
    Command(Command),

    /// Stop the date finder running on a worker; nothing is added.
    CancelDates,
    /// Accept (true) or reject every pending suggestion of this agent (the Suggestions menu).
    AnswerAgent(String, bool),

    /// Select a span and bring it into view, the keyboard going to the article.
    SelectSpan(SpanId),
    /// Select a relation (its arrow was clicked, or its row in the details panel).
    SelectRelation(SpanId),
    /// Make a relation from the first span to the second, of the first kind the schema allows
    /// (Alt+click on the second span, or a drag from one chip to the other).
    Link(SpanId, SpanId),
    /// Give a relation another kind, or another review status (the details panel).
    RetypeRelation(SpanId, Label),
    SetRelationStatus(SpanId, Status),
    /// Select what the article view's mouse or keys chose.
    Focus(Focus),
    /// Bring a char into view (the caret moved by the keyboard).
    ScrollTo(CharOffset),

    Relabel(SpanId, Label),
    SetStatus(SpanId, Status),
    SetNote(SpanId, Option<String>),
    SetAttr(SpanId, String, Option<String>),
    /// The key pressed after the attribute prefix key: a value's key (a letter or digit), or
    /// `None` for any other key (which cancels).
    AttributeKey(Option<char>),
    /// The labels editor's schema, with the labels and kinds renamed (old → new).
    SetSchema(Schema, Renames),
    /// Write these labels and relation kinds into the project file (the user agreed to).
    SetProjectSchema(Schema),

    Open(PathBuf),
    OpenFolder(PathBuf),
    OpenDocument(usize),
    /// Stop reading the folder's counts (the documents can still be opened).
    StopReadingFolder,
    SetAnnotator(String),
    ShowSpanList(bool),
    ShowDetails(bool),

    /// The find bar's query changed.
    Find(FindQuery),
    /// The label "Label all" uses.
    FindLabel(usize),
    CloseFind,
    FilterSpans(SpanFilters),

    SetMode(Mode),
    FilterReview(Filters),
    SetDocumentStatus(DocumentStatus),
    /// The comment field closed (its note, if kept, comes as `SetNote` first).
    EndComment,
    /// Go to difference i of the comparison.
    GoToDifference(usize),
    /// Show article i of the comparison.
    CompareArticle(usize),
    /// Compare these annotation files (or folders of them).
    Compare(Vec<PathBuf>),
    /// The compare window's Browse….
    BrowseCompareFiles,
    /// Write the gold file of the compared article here (or open the one there) and adjudicate.
    WriteGold(PathBuf),

    Close(Window),
    /// The unsaved-changes prompt's answers.
    SaveThenContinue,
    DiscardThenContinue,
    CancelPending,
    /// The recovery offer's answers.
    RecoverWork,
    DiscardRecovery,
    /// The answer to "the annotation file changed on disk".
    ResolveConflict(ConflictChoice),

    /// Run this export on a worker thread.
    Export(Box<ExportRequest>),
    /// The export window's Browse…: a folder for per-document formats, else a file.
    BrowseExport {
        per_document: bool,
        current: PathBuf,
    },
    /// Stop the running export, the document opening, the gold file being made.
    CancelExport,
    CancelLoading,
    CancelGold,

    /// Work finished in the background.
    Finished(Box<Finished>),
}

impl From<Command> for Action {
    fn from(c: Command) -> Self {
        Action::Command(c)
    }
}
