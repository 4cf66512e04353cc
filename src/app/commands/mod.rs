//! Every user command, declared once in [`TABLE`] with its name, what it does, its shortcuts,
//! the modes where it is active, the focus its keys need and where it is listed. Menus,
//! tooltips, toolbar buttons, the F1 help window, the key dispatch and the README's shortcut
//! tables all come from the table (a test fails when a README table differs from it, another
//! when two commands that can be active together share a key).
//!
//! What a key means is **one lookup** ([`resolve`]): the commands active in the current
//! [`Mode`] whose [`When`] holds for the current [`FocusKind`], the most specific first, then the
//! label keys of the schema in force. A command carries no per-mode behaviour of its own: Tab is
//! `NextSpan` in annotation mode, `NextReviewSpan` in review mode, `NextConflict` in
//! adjudication and `NextDifference` in a comparison: four commands, four rows.
//!
//! Keys of the [`Section::Selection`] commands are handled by the article view (they move the
//! caret or the selection's moving end); the app's dispatch leaves them to it.

pub mod keys;
#[cfg(test)]
mod tests;

use egui::{Key, KeyboardShortcut, Modifiers};

use keys::{ALT, ALT_SHIFT, CMD, CMD_SHIFT, NONE, SHIFT, key};
pub use keys::{hotkey_shortcut, matches_exactly, shortcut_text};

use crate::model::Schema;

/// What the app is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Mode {
    /// The workbench as it is.
    #[default]
    Annotate,
    /// A reviewer decides the spans of a document one by one.
    Review,
    /// The conflicts of a gold file, each resolved with one key.
    Adjudicate,
    /// Several annotators' files of one article as one merged, read-only document.
    Compare,
}

impl Mode {
    pub const ALL: [Mode; 4] = [
        Mode::Annotate,
        Mode::Review,
        Mode::Adjudicate,
        Mode::Compare,
    ];

    /// `review mode`, as messages say it.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Annotate => "annotation mode",
            Mode::Review => "review mode",
            Mode::Adjudicate => "adjudication mode",
            Mode::Compare => "a comparison",
        }
    }

    const fn bit(self) -> u8 {
        match self {
            Mode::Annotate => 1,
            Mode::Review => 2,
            Mode::Adjudicate => 4,
            Mode::Compare => 8,
        }
    }
}

/// The modes a command is active in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Modes(u8);

impl Modes {
    pub const ALL: Modes = Modes(15);
    pub const ANNOTATE: Modes = Modes(Mode::Annotate.bit());
    pub const REVIEW: Modes = Modes(Mode::Review.bit());
    pub const ADJUDICATE: Modes = Modes(Mode::Adjudicate.bit());
    pub const COMPARE: Modes = Modes(Mode::Compare.bit());
    /// Where a document can be edited (a comparison is read-only).
    pub const EDITING: Modes =
        Modes(Mode::Annotate.bit() | Mode::Review.bit() | Mode::Adjudicate.bit());

    pub fn contains(self, mode: Mode) -> bool {
        self.0 & mode.bit() != 0
    }

    pub fn intersects(self, other: Modes) -> bool {
        self.0 & other.0 != 0
    }

    /// The modes, in [`Mode::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = Mode> {
        Mode::ALL.into_iter().filter(move |m| self.contains(*m))
    }
}

/// What has the keyboard's attention besides the mode: the second axis of [`resolve`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FocusKind {
    /// Nothing selected.
    Nothing,
    /// A text selection or a caret.
    Text,
    /// A span.
    Span,
    /// A span that is a pending suggestion: Enter accepts it, Delete rejects it.
    Suggestion,
    /// A relation.
    Relation,
    /// A relation being made: keys pick its other end and its kind.
    Linking,
    /// A comment being written (review mode).
    Comment,
}

/// The focus in which a command's keys mean that command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// Whatever has the focus.
    Always,
    /// Only with this focus; it wins over an `Always` command of the same key.
    Focus(FocusKind),
}

impl When {
    pub fn holds(self, focus: FocusKind) -> bool {
        match self {
            When::Always => true,
            When::Focus(f) => f == focus,
        }
    }

    /// Whether both can hold at once with neither winning: the same focus, or both always.
    fn clashes_with(self, other: When) -> bool {
        self == other
    }
}

/// Where a command is listed in the help window and the README.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    File,
    Edit,
    /// Moving the caret and the selection: handled by the article view.
    Selection,
    Find,
    View,
    Suggestions,
    Review,
    Adjudication,
    Comparison,
}

impl Section {
    pub const ALL: [Section; 9] = [
        Section::File,
        Section::Edit,
        Section::Selection,
        Section::Find,
        Section::View,
        Section::Suggestions,
        Section::Review,
        Section::Adjudication,
        Section::Comparison,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Section::File => "File",
            Section::Edit => "Edit",
            Section::Selection => "Selection (in the article)",
            Section::Find => "Find",
            Section::View => "View",
            Section::Suggestions => "Suggestions",
            Section::Review => "In review mode",
            Section::Adjudication => "In adjudication mode",
            Section::Comparison => "In a comparison",
        }
    }
}

/// One row of the command table.
#[derive(Debug, Clone, Copy)]
pub struct CommandDef {
    pub command: Command,
    /// The menu and button text.
    pub name: &'static str,
    /// A sentence for tooltips, the help window and the README.
    pub description: &'static str,
    /// The shortcuts; the first is the one menus show.
    pub keys: &'static [KeyboardShortcut],
    pub modes: Modes,
    pub when: When,
    pub section: Section,
}

impl CommandDef {
    /// Whether the command's keys are handled by the article view.
    pub fn is_view_key(&self) -> bool {
        self.section == Section::Selection
    }

    /// Whether a shortcut is a bare key, which does not fire while the user types.
    pub fn is_bare(&self) -> bool {
        self.keys.iter().any(keys::is_bare)
    }

    pub fn active(&self, mode: Mode, focus: FocusKind) -> bool {
        self.modes.contains(mode) && self.when.holds(focus)
    }

    fn pressed(&self, key: Key, modifiers: Modifiers) -> bool {
        self.keys.iter().any(|s| matches_exactly(s, key, modifiers))
    }
}

/// Declares [`Command`] and [`TABLE`] from one list, so a command cannot exist without its row.
macro_rules! commands {
    ($(
        $(#[$meta:meta])*
        $variant:ident: $name:literal, $section:ident, $modes:expr, $when:expr,
            [$($key:expr),* $(,)?], $does:literal;
    )*) => {
        /// A user command. Label commands come from the schema (`Label(i)` is the i-th label);
        /// every other command has its row in [`TABLE`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Command {
            $( $(#[$meta])* $variant, )*
            /// Label the selection (or relabel the selected span) with the schema's i-th label.
            Label(usize),
            /// Make the relation being picked of the schema's i-th relation kind, or retype the
            /// selected relation to it.
            Kind(usize),
        }

        /// Every command with a fixed meaning, in menu order.
        pub const TABLE: &[CommandDef] = &[$(
            CommandDef {
                command: Command::$variant,
                name: $name,
                description: $does,
                keys: &[$($key),*],
                modes: $modes,
                when: $when,
                section: Section::$section,
            },
        )*];
    };
}

use When::Always;

const SPAN: When = When::Focus(FocusKind::Span);
const RELATION: When = When::Focus(FocusKind::Relation);
const LINKING: When = When::Focus(FocusKind::Linking);
const COMMENT: When = When::Focus(FocusKind::Comment);
const SUGGESTION: When = When::Focus(FocusKind::Suggestion);

commands! {
    Open: "Open…", File, Modes::ALL, Always, [key(CMD, Key::O)],
        "Open an article (.txt, .md, .html) or an annotation file";
    OpenFolder: "Open Folder…", File, Modes::ALL, Always, [key(CMD_SHIFT, Key::O)],
        "Open a folder of articles and step through its documents";
    OpenPath: "Open by Path…", File, Modes::ALL, Always, [key(CMD, Key::L)],
        "Type the path of a file to open (when no file dialog is available)";
    /// Open several annotators' files of an article side by side.
    Compare: "Compare Annotators…", File, Modes::ALL, Always, [key(CMD_SHIFT, Key::C)],
        "Open two or more annotators' files of the same article in one merged, read-only view";
    Save: "Save", File, Modes::ALL, Always, [key(CMD, Key::S)],
        "Save the annotations beside the article (atomically; the article is never changed)";
    /// File > Export…: the document or the open folder in a dataset format.
    Export: "Export…", File, Modes::ALL, Always, [key(CMD_SHIFT, Key::E)],
        "Export the document, or the open folder's documents, to JSONL, doccano, Label Studio, CoNLL, CSV, brat, W3C, frames or native files";
    NextDocument: "Next Document", File, Modes::ALL, Always, [key(CMD, Key::PageDown)],
        "Open the next document of the folder";
    PrevDocument: "Previous Document", File, Modes::ALL, Always, [key(CMD, Key::PageUp)],
        "Open the previous document of the folder";
    Quit: "Quit", File, Modes::ALL, Always, [key(CMD, Key::Q)],
        "Close Spanmark (asks about unsaved changes)";

    Undo: "Undo", Edit, Modes::ALL, Always, [key(CMD, Key::Z)],
        "Undo the last change (without limit; the Edit menu names the step)";
    Redo: "Redo", Edit, Modes::ALL, Always, [key(CMD_SHIFT, Key::Z), key(CMD, Key::Y)],
        "Redo the change you undid";
    DeleteSpan: "Delete Span", Edit, Modes::ALL, SPAN, [key(NONE, Key::Delete), key(NONE, Key::Backspace)],
        "Remove the selected span";
    NextSpan: "Next Span", Edit, Modes::ANNOTATE, Always, [key(NONE, Key::Tab)],
        "Select the next span in the text";
    PrevSpan: "Previous Span", Edit, Modes::ANNOTATE, Always, [key(SHIFT, Key::Tab)],
        "Select the previous span in the text";
    /// Move the selected span's end one word (or character) right.
    GrowEnd: "Extend Span End", Edit, Modes::ALL, SPAN, [key(ALT_SHIFT, Key::ArrowRight)],
        "Move the selected span's end a word (a character without snapping) to the right";
    ShrinkEnd: "Shrink Span End", Edit, Modes::ALL, SPAN, [key(ALT_SHIFT, Key::ArrowLeft)],
        "Move the selected span's end a word (a character without snapping) to the left";
    /// Move the selected span's start one word (or character) left.
    GrowStart: "Extend Span Start", Edit, Modes::ALL, SPAN, [key(ALT_SHIFT, Key::ArrowUp)],
        "Move the selected span's start a word (a character without snapping) to the left";
    ShrinkStart: "Shrink Span Start", Edit, Modes::ALL, SPAN, [key(ALT_SHIFT, Key::ArrowDown)],
        "Move the selected span's start a word (a character without snapping) to the right";
    ClearSelection: "Clear Selection", Edit, Modes::ALL, Always, [key(NONE, Key::Escape)],
        "Clear the text selection and the selected span";
    /// Start a relation from the selected span: its other end is picked next.
    StartRelation: "Start Relation", Edit, Modes::ANNOTATE, SPAN, [key(NONE, Key::R)],
        "Start a relation from the selected span: the spans it can link to are marked and the nearest is picked";
    NextTarget: "Next Relation End", Edit, Modes::ANNOTATE, LINKING, [key(NONE, Key::Tab)],
        "While a relation is being made: pick the next span it can link to, nearest first";
    PrevTarget: "Previous Relation End", Edit, Modes::ANNOTATE, LINKING, [key(SHIFT, Key::Tab)],
        "While a relation is being made: pick the previous span it can link to";
    MakeRelation: "Make Relation", Edit, Modes::ANNOTATE, LINKING, [key(NONE, Key::Enter)],
        "Make the relation to the picked span, of the first kind the schema allows (a kind's key makes it of that kind)";
    CancelRelation: "Cancel Relation", Edit, Modes::ANNOTATE, LINKING, [key(NONE, Key::Escape)],
        "Stop making the relation; the span stays selected";
    DeleteRelation: "Delete Relation", Edit, Modes::EDITING, RELATION, [key(NONE, Key::Delete), key(NONE, Key::Backspace)],
        "Remove the selected relation";
    ReverseRelation: "Reverse Relation", Edit, Modes::EDITING, RELATION, [key(SHIFT, Key::R)],
        "Swap the selected relation's ends (a kind's key retypes it)";
    /// The attribute prefix key: the next key is a value's key (the details panel shows them).
    SetAttribute: "Set Attribute", Edit, Modes::EDITING, SPAN, [key(NONE, Key::V)],
        "Then a value's key sets that attribute of the selected span (actor: v p person, v o organisation, v s state, v g group, v x other; claim: v d direct, v i indirect, v n none); Escape cancels";
    EditLabels: "Edit Labels…", Edit, Modes::ALL, Always, [key(CMD_SHIFT, Key::L)],
        "Add, rename, recolour labels and change their keys (renaming relabels the spans)";
    Preferences: "Preferences…", Edit, Modes::ALL, Always, [key(CMD, Key::Comma)],
        "Your name and other settings";

    CaretLeft: "Caret Left", Selection, Modes::ALL, Always, [key(NONE, Key::ArrowLeft)],
        "Move the caret a character left";
    CaretRight: "Caret Right", Selection, Modes::ALL, Always, [key(NONE, Key::ArrowRight)],
        "Move the caret a character right";
    CaretWordLeft: "Caret a Word Left", Selection, Modes::ALL, Always, [key(CMD, Key::ArrowLeft)],
        "Move the caret to the start of the word";
    CaretWordRight: "Caret a Word Right", Selection, Modes::ALL, Always, [key(CMD, Key::ArrowRight)],
        "Move the caret to the end of the word";
    CaretUp: "Caret Up", Selection, Modes::ALL, Always, [key(NONE, Key::ArrowUp)],
        "Move the caret a line up";
    CaretDown: "Caret Down", Selection, Modes::ALL, Always, [key(NONE, Key::ArrowDown)],
        "Move the caret a line down";
    ExtendLeft: "Extend Selection Left", Selection, Modes::ALL, Always, [key(SHIFT, Key::ArrowLeft)],
        "Move the selection's moving end a character left";
    ExtendRight: "Extend Selection Right", Selection, Modes::ALL, Always, [key(SHIFT, Key::ArrowRight)],
        "Move the selection's moving end a character right";
    ExtendWordLeft: "Extend Selection a Word Left", Selection, Modes::ALL, Always, [key(CMD_SHIFT, Key::ArrowLeft)],
        "Move the selection's moving end a word left";
    ExtendWordRight: "Extend Selection a Word Right", Selection, Modes::ALL, Always, [key(CMD_SHIFT, Key::ArrowRight)],
        "Move the selection's moving end a word right";
    ExtendUp: "Extend Selection Up", Selection, Modes::ALL, Always, [key(SHIFT, Key::ArrowUp)],
        "Move the selection's moving end a line up";
    ExtendDown: "Extend Selection Down", Selection, Modes::ALL, Always, [key(SHIFT, Key::ArrowDown)],
        "Move the selection's moving end a line down";

    Find: "Find…", Find, Modes::ALL, Always, [key(CMD, Key::F)],
        "Find text in the article; in an open find bar, select its text to type a new search";
    FindNext: "Find Next", Find, Modes::ALL, Always, [key(NONE, Key::F3)],
        "Select the next match (Enter in the find bar too)";
    FindPrev: "Find Previous", Find, Modes::ALL, Always, [key(SHIFT, Key::F3)],
        "Select the previous match (Shift+Enter in the find bar too)";
    LabelAllMatches: "Label All Matches", Find, Modes::ALL, Always, [key(CMD_SHIFT, Key::Enter)],
        "Label every match with the label chosen in the find bar, as one undoable step";

    ToggleSnap: "Snap Selection to Words", View, Modes::ALL, Always, [key(ALT, Key::W)],
        "When on, selections grow to whole words; when off, they keep character precision";
    ZoomIn: "Zoom In", View, Modes::ALL, Always, [key(CMD, Key::Equals), key(CMD, Key::Plus)],
        "Larger text";
    ZoomOut: "Zoom Out", View, Modes::ALL, Always, [key(CMD, Key::Minus)],
        "Smaller text";
    ZoomReset: "Actual Size", View, Modes::ALL, Always, [key(CMD, Key::Num0)],
        "Text at its normal size";
    ToggleTheme: "Light/Dark Theme", View, Modes::ALL, Always, [key(CMD_SHIFT, Key::T)],
        "Switch between the light and the dark theme";
    ShowGuidelines: "Guidelines", View, Modes::ALL, Always, [key(NONE, Key::F2)],
        "Show the annotation guidelines of the project the document is in";
    ShowFrames: "Frames", View, Modes::ALL, Always, [key(NONE, Key::F4)],
        "Show the document's claims and events with their roles, the missing ones marked";
    ShowHelp: "Keyboard Shortcuts", View, Modes::ALL, Always, [key(NONE, Key::F1), key(NONE, Key::Questionmark)],
        "Show every keyboard shortcut";
    /// Review mode on or off.
    ToggleReview: "Review Mode", View, Modes::ALL, Always, [key(CMD_SHIFT, Key::R)],
        "Review the spans one by one: a accepts, r rejects, e accepts and edits, c comments, Tab skips";
    /// Adjudication mode on or off.
    ToggleAdjudication: "Adjudicate Conflicts", View, Modes::EDITING, Always, [key(CMD_SHIFT, Key::J)],
        "Walk the conflicts of a gold file and resolve each with one key";

    NextSuggestion: "Next Suggestion", Suggestions, Modes::EDITING, Always, [key(ALT, Key::N)],
        "Select the next pending suggestion after the selected span or the caret";
    PrevSuggestion: "Previous Suggestion", Suggestions, Modes::EDITING, Always, [key(ALT, Key::P)],
        "Select the previous pending suggestion before the selected span or the caret";
    /// Accept the selected suggestion (a label key relabels and accepts it).
    AcceptSuggestion: "Accept Suggestion", Suggestions, Modes::EDITING, SUGGESTION, [key(NONE, Key::Enter)],
        "Accept the selected suggestion (a label key relabels and accepts it) and select the next one";
    RejectSuggestion: "Reject Suggestion", Suggestions, Modes::EDITING, SUGGESTION, [key(NONE, Key::Delete), key(NONE, Key::Backspace)],
        "Reject the selected suggestion: it is removed, not proposed again, and the next one is selected";
    AcceptAllInDocument: "Accept All in Document", Suggestions, Modes::EDITING, Always, [key(ALT_SHIFT, Key::Enter)],
        "Accept every pending suggestion of the document, as one undoable step";
    RejectAllInDocument: "Reject All in Document", Suggestions, Modes::EDITING, Always, [key(ALT_SHIFT, Key::Delete)],
        "Reject every pending suggestion of the document, as one undoable step";
    AcceptAllOnScreen: "Accept All on Screen", Suggestions, Modes::EDITING, Always, [key(ALT_SHIFT, Key::A)],
        "Accept the pending suggestions in the paragraphs shown, as one undoable step";
    RejectAllOnScreen: "Reject All on Screen", Suggestions, Modes::EDITING, Always, [key(ALT_SHIFT, Key::R)],
        "Reject the pending suggestions in the paragraphs shown, as one undoable step";
    /// Propagation on labelling, on or off (a preference).
    TogglePropagation: "Propose Other Occurrences", Suggestions, Modes::EDITING, Always, [key(ALT, Key::O)],
        "When on, labelling a span suggests the same words elsewhere in the document";
    /// The date finder, on or off (a preference).
    ToggleDateFinder: "Find Dates", Suggestions, Modes::EDITING, Always, [key(ALT, Key::D)],
        "When on, the document's dates are suggested with their ISO values (counted from the document date)";

    Accept: "Accept Span", Review, Modes::REVIEW, Always, [key(NONE, Key::A)],
        "Accept the selected span and go to the next pending one";
    Reject: "Reject Span", Review, Modes::REVIEW, Always, [key(NONE, Key::R)],
        "Reject the selected span and go to the next pending one";
    /// Accept the span and keep it selected to relabel or resize it.
    AcceptAndEdit: "Accept and Edit Span", Review, Modes::REVIEW, Always, [key(NONE, Key::E)],
        "Accept the selected span and keep it selected to edit: a label key relabels it, Alt+Shift+arrows resize it";
    Comment: "Comment on Span", Review, Modes::REVIEW, Always, [key(NONE, Key::C)],
        "Write a note on the selected span (Enter keeps the note, Escape cancels)";
    CancelComment: "Cancel Comment", Review, Modes::REVIEW, COMMENT, [key(NONE, Key::Escape)],
        "Close the comment field without changing the note";
    NextReviewSpan: "Next Span to Review", Review, Modes::REVIEW, Always, [key(NONE, Key::Tab)],
        "The next span the filters keep, deciding nothing";
    PrevReviewSpan: "Previous Span to Review", Review, Modes::REVIEW, Always, [key(SHIFT, Key::Tab)],
        "The previous span the filters keep, deciding nothing";

    /// Keep what annotator A (in name order) marked in the conflict, reject the rest.
    TakeA: "Take Annotator A's", Adjudication, Modes::ADJUDICATE, Always, [key(NONE, Key::A)],
        "Keep what annotator A marked in this conflict and reject the rest";
    TakeB: "Take Annotator B's", Adjudication, Modes::ADJUDICATE, Always, [key(NONE, Key::B)],
        "Keep what annotator B marked in this conflict and reject the rest";
    TakeC: "Take Annotator C's", Adjudication, Modes::ADJUDICATE, Always, [key(NONE, Key::C)],
        "Keep what annotator C marked in this conflict and reject the rest";
    TakeD: "Take Annotator D's", Adjudication, Modes::ADJUDICATE, Always, [key(NONE, Key::D)],
        "Keep what annotator D marked in this conflict and reject the rest";
    TakeAll: "Keep All Readings", Adjudication, Modes::ADJUDICATE, Always, [key(NONE, Key::K)],
        "Keep every reading of the conflict";
    TakeNone: "Keep Neither", Adjudication, Modes::ADJUDICATE, Always, [key(NONE, Key::N)],
        "Neither: reject every reading of the conflict";
    /// Keep the selected reading (reject its rivals) and edit it.
    TakeAndEdit: "Keep Selected and Edit", Adjudication, Modes::ADJUDICATE, Always, [key(NONE, Key::E)],
        "Keep the selected reading (or the first), reject its rivals, and keep it selected to relabel or resize";
    NextConflict: "Next Conflict", Adjudication, Modes::ADJUDICATE, Always, [key(NONE, Key::Tab)],
        "The next unresolved conflict";
    PrevConflict: "Previous Conflict", Adjudication, Modes::ADJUDICATE, Always, [key(SHIFT, Key::Tab)],
        "The previous unresolved conflict";

    NextDifference: "Next Difference", Comparison, Modes::COMPARE, Always, [key(NONE, Key::N), key(NONE, Key::Tab)],
        "Go to the next difference between the annotators";
    PrevDifference: "Previous Difference", Comparison, Modes::COMPARE, Always, [key(NONE, Key::P), key(SHIFT, Key::Tab)],
        "Go to the previous difference between the annotators";
    ShowAgreement: "Agreement…", Comparison, Modes::COMPARE, Always, [key(CMD_SHIFT, Key::G)],
        "Agreement of the compared annotators: F1 per label and the confusion of labels";
    /// Write the gold file of the compared article and adjudicate it.
    WriteGold: "Adjudicate…", Comparison, Modes::COMPARE, Always, [key(CMD_SHIFT, Key::J)],
        "Write the gold file of the compared article and open it in adjudication mode";
    CloseComparison: "Close Comparison", Comparison, Modes::COMPARE, Always, [key(CMD, Key::W)],
        "Leave the comparison and go back to your document, in the mode it was in";
}

/// The modes in which label keys fire (the merged document of a comparison has none).
pub const LABEL_MODES: Modes = Modes::EDITING;

/// The modes in which relation kind keys fire (review mode keeps its letters: a reviewer who
/// wants to make or retype a relation goes to annotation mode).
pub const KIND_MODES: Modes = Modes::ANNOTATE;

/// The focus in which kind keys fire instead of label keys: a relation being made (the key
/// makes it of that kind) or a selected relation (the key retypes it).
pub const KIND_FOCUS: [FocusKind; 2] = [FocusKind::Linking, FocusKind::Relation];

/// The commands that take annotator A, B, C, D's reading, in that order.
pub const TAKE: [Command; 4] = [
    Command::TakeA,
    Command::TakeB,
    Command::TakeC,
    Command::TakeD,
];

impl Command {
    /// The command's row, `None` for label commands.
    pub fn def(self) -> Option<&'static CommandDef> {
        TABLE.iter().find(|d| d.command == self)
    }

    /// The menu and button text.
    pub fn name(self) -> String {
        match (self, self.def()) {
            (_, Some(d)) => d.name.to_string(),
            (Command::Label(i), None) => format!("Label {}", i + 1),
            (Command::Kind(i), None) => format!("Relation Kind {}", i + 1),
            (_, None) => String::new(),
        }
    }

    /// A sentence for tooltips and the help window.
    pub fn description(self) -> &'static str {
        match (self, self.def()) {
            (_, Some(d)) => d.description,
            (Command::Kind(_), None) => {
                "Make the relation being picked of this kind, or retype the selected relation"
            }
            (_, None) => "Label the selected text, or relabel the selected span, with this label",
        }
    }

    /// The shortcuts (none for label commands: their keys are in the schema).
    pub fn keys(self) -> &'static [KeyboardShortcut] {
        self.def().map_or(&[], |d| d.keys)
    }

    /// The first shortcut as menus show it, or nothing.
    pub fn key_text(self) -> String {
        self.keys().first().map(shortcut_text).unwrap_or_default()
    }

    /// Every shortcut, `Ctrl+Shift+Z, Ctrl+Y`.
    pub fn keys_text(self) -> String {
        self.keys()
            .iter()
            .map(shortcut_text)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The modes in which it is active.
    pub fn modes(self) -> Modes {
        match (self, self.def()) {
            (_, Some(d)) => d.modes,
            (Command::Kind(_), None) => KIND_MODES,
            (_, None) => LABEL_MODES,
        }
    }

    /// Whether it is active in `mode` with `focus` (menus grey out the others).
    pub fn active(self, mode: Mode, focus: FocusKind) -> bool {
        match (self, self.def()) {
            (_, Some(d)) => d.active(mode, focus),
            (Command::Kind(_), None) => KIND_MODES.contains(mode) && KIND_FOCUS.contains(&focus),
            (_, None) => LABEL_MODES.contains(mode) && !KIND_FOCUS.contains(&focus),
        }
    }

    /// The annotator whose reading a take command keeps (0 for A).
    pub fn take_index(self) -> Option<usize> {
        TAKE.iter().position(|c| *c == self)
    }
}

/// The label keys of a schema: (label index, shortcut).
pub fn label_keys(schema: &Schema) -> Vec<(usize, KeyboardShortcut)> {
    schema
        .labels()
        .iter()
        .enumerate()
        .filter_map(|(i, d)| d.hotkey.and_then(hotkey_shortcut).map(|k| (i, k)))
        .collect()
}

/// The relation kind keys of a schema: (kind index, shortcut).
pub fn kind_keys(schema: &Schema) -> Vec<(usize, KeyboardShortcut)> {
    schema
        .relations()
        .iter()
        .enumerate()
        .filter_map(|(i, k)| k.hotkey.and_then(hotkey_shortcut).map(|s| (i, s)))
        .collect()
}

/// What a key press is read against.
#[derive(Debug, Clone, Copy)]
pub struct KeyContext<'a> {
    pub mode: Mode,
    pub focus: FocusKind,
    /// A text field has the keyboard: bare keys are typed, not commands.
    pub typing: bool,
    /// The label keys of the schema in force.
    pub labels: &'a [(usize, KeyboardShortcut)],
    /// The relation kind keys of the schema in force.
    pub kinds: &'a [(usize, KeyboardShortcut)],
}

/// The command a key press means, if any: the commands active in the mode whose focus holds
/// (one with a specific focus wins over one that is always active), then the relation kind
/// keys while a relation is being made or is selected, else the label keys. Keys the article
/// view handles are not resolved here.
pub fn resolve(key: Key, modifiers: Modifiers, cx: &KeyContext<'_>) -> Option<Command> {
    let mut found: Option<&CommandDef> = None;
    for def in TABLE.iter().filter(|d| {
        !d.is_view_key()
            && d.active(cx.mode, cx.focus)
            && !(cx.typing && d.is_bare())
            && d.pressed(key, modifiers)
    }) {
        let better = match found {
            None => true,
            Some(f) => f.when == When::Always && def.when != When::Always,
        };
        if better {
            found = Some(def);
        }
    }
    if let Some(def) = found {
        return Some(def.command);
    }
    if cx.typing {
        return None;
    }
    if KIND_FOCUS.contains(&cx.focus) {
        if !KIND_MODES.contains(cx.mode) {
            return None;
        }
        return cx
            .kinds
            .iter()
            .find(|(_, s)| matches_exactly(s, key, modifiers))
            .map(|(i, _)| Command::Kind(*i));
    }
    if !LABEL_MODES.contains(cx.mode) {
        return None;
    }
    cx.labels
        .iter()
        .find(|(_, s)| matches_exactly(s, key, modifiers))
        .map(|(i, _)| Command::Label(*i))
}

/// The view command a key press means (caret and selection keys), if any.
pub fn resolve_view_key(key: Key, modifiers: Modifiers) -> Option<Command> {
    TABLE
        .iter()
        .find(|d| d.is_view_key() && d.pressed(key, modifiers))
        .map(|d| d.command)
}

/// Two rows whose keys can fire for the same press in the same mode and focus.
pub fn clashes(a: &CommandDef, b: &CommandDef) -> Option<KeyboardShortcut> {
    if !a.modes.intersects(b.modes) || !a.when.clashes_with(b.when) {
        return None;
    }
    a.keys
        .iter()
        .find(|ka| b.keys.iter().any(|kb| keys::same_press(ka, kb)))
        .copied()
}

/// A label key that a command takes in some mode: the command wins there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelKeyClash {
    pub label: String,
    pub key: String,
    pub command: &'static str,
    pub mode: Mode,
}

impl std::fmt::Display for LabelKeyClash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the key {} of label {} is {} in {}",
            self.key,
            self.label,
            self.command,
            self.mode.name()
        )
    }
}

/// The label keys of `schema` that commands take, in the modes where both are active.
pub fn label_key_clashes(schema: &Schema) -> Vec<LabelKeyClash> {
    let mut out = Vec::new();
    for (i, shortcut) in label_keys(schema) {
        let label = schema.labels()[i].name.to_string();
        for def in TABLE.iter().filter(|d| !d.is_view_key()) {
            if !def.keys.iter().any(|k| keys::same_press(k, &shortcut)) {
                continue;
            }
            for mode in def.modes.iter().filter(|m| LABEL_MODES.contains(*m)) {
                out.push(LabelKeyClash {
                    label: label.clone(),
                    key: shortcut_text(&shortcut),
                    command: def.name,
                    mode,
                });
            }
        }
    }
    out
}

/// The rows of `sections` as one Markdown table, with a row for the label keys of `schema`
/// before the Edit rows (the README's tables and the help window come from this).
pub fn markdown_table(sections: &[Section], schema: Option<&Schema>) -> String {
    let mut out = String::from("| keys | command | what it does |\n|---|---|---|\n");
    for row in rows(sections, schema) {
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            row.keys, row.name, row.description
        ));
    }
    out
}

/// The row listing the keys a schema gives its labels (or kinds): `1, 2 | Label as actor,
/// action`. `None` when no key is given.
fn schema_keys_row(
    keys: &[(usize, KeyboardShortcut)],
    names: &[&crate::model::Label],
    what: &str,
    command: Command,
) -> Option<Row> {
    if keys.is_empty() {
        return None;
    }
    let shown: Vec<String> = keys.iter().map(|(_, k)| shortcut_text(k)).collect();
    let named: Vec<&str> = keys.iter().map(|(i, _)| names[*i].as_str()).collect();
    Some(Row {
        keys: shown.join(", "),
        name: format!("{what} {}", named.join(", ")),
        description: command.description(),
    })
}

/// One line of a shortcut listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub keys: String,
    pub name: String,
    pub description: &'static str,
}

/// The rows of `sections` in table order, with the label keys of `schema` before the Edit rows.
pub fn rows(sections: &[Section], schema: Option<&Schema>) -> Vec<Row> {
    let mut out = Vec::new();
    for section in sections {
        if let Some(schema) = schema.filter(|_| *section == Section::Edit) {
            let labels = schema.labels().iter().map(|d| &d.name);
            out.extend(schema_keys_row(
                &label_keys(schema),
                &labels.collect::<Vec<_>>(),
                "Label as",
                Command::Label(0),
            ));
            let kinds = schema.relations().iter().map(|k| &k.name);
            out.extend(schema_keys_row(
                &kind_keys(schema),
                &kinds.collect::<Vec<_>>(),
                "Relation kind",
                Command::Kind(0),
            ));
        }
        for def in TABLE.iter().filter(|d| d.section == *section) {
            out.push(Row {
                keys: def
                    .keys
                    .iter()
                    .map(shortcut_text)
                    .collect::<Vec<_>>()
                    .join(", "),
                name: def.name.to_string(),
                description: def.description,
            });
        }
    }
    out
}
