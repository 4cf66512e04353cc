//! The commands of review, comparison and adjudication: their text, tooltip, shortcuts and the
//! modes whose keys they own. They are [`Command::Review`](crate::app::commands::Command::Review)
//! values, so menus, help and the shortcut clash test see them like every other command.
//!
//! A bare letter means different things in different modes (`a` accepts in review mode and takes
//! annotator A's reading in adjudication): a shortcut only fires in the modes listed by
//! [`ReviewCommand::modes`], and the clash test only compares commands that share a mode.

use egui::{Key, KeyboardShortcut, Modifiers};

use super::Mode;
use crate::model::DocumentStatus;

/// A review, comparison or adjudication command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReviewCommand {
    /// Review mode on or off.
    ToggleReview,
    /// Adjudication mode on or off; in a comparison, write the gold file.
    Adjudicate,
    /// Open several annotators' files of an article side by side.
    Compare,
    CloseComparison,
    ShowAgreement,
    Accept,
    Reject,
    /// Accept the span and keep it selected to relabel or resize it.
    Edit,
    Comment,
    NextDifference,
    PrevDifference,
    /// Select difference i of the comparison (from the list).
    SelectDifference(usize),
    /// Adjudication: keep the reading of the i-th annotator (by name), reject the others.
    Take(usize),
    TakeAll,
    TakeNone,
    /// Adjudication: keep the selected reading (reject its rivals) and edit it.
    TakeEdit,
    /// Set the document's status (in progress, annotated, reviewed).
    SetDocumentStatus(DocumentStatus),
}

const NONE: Modifiers = Modifiers::NONE;
const CMD_SHIFT: Modifiers = Modifiers::COMMAND.plus(Modifiers::SHIFT);

const fn key(modifiers: Modifiers, logical_key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(modifiers, logical_key)
}

/// The keys of `Take(0)`, `Take(1)`, …: annotators A, B, C, D.
const TAKE_KEYS: [Key; 4] = [Key::A, Key::B, Key::C, Key::D];

/// Every mode.
const ALL: &[Mode] = &[
    Mode::Annotate,
    Mode::Review,
    Mode::Adjudicate,
    Mode::Compare,
];

impl ReviewCommand {
    pub fn text(&self) -> String {
        match self {
            ReviewCommand::ToggleReview => "Review Mode".into(),
            ReviewCommand::Adjudicate => "Adjudicate Conflicts".into(),
            ReviewCommand::Compare => "Compare Annotators…".into(),
            ReviewCommand::CloseComparison => "Close Comparison".into(),
            ReviewCommand::ShowAgreement => "Agreement…".into(),
            ReviewCommand::Accept => "Accept Span".into(),
            ReviewCommand::Reject => "Reject Span".into(),
            ReviewCommand::Edit => "Accept and Edit Span".into(),
            ReviewCommand::Comment => "Comment on Span".into(),
            ReviewCommand::NextDifference => "Next Difference".into(),
            ReviewCommand::PrevDifference => "Previous Difference".into(),
            ReviewCommand::SelectDifference(i) => format!("Difference {}", i + 1),
            ReviewCommand::Take(i) => format!("Take Annotator {}'s", annotator_letter(*i)),
            ReviewCommand::TakeAll => "Keep All Readings".into(),
            ReviewCommand::TakeNone => "Keep Neither".into(),
            ReviewCommand::TakeEdit => "Keep Selected and Edit".into(),
            ReviewCommand::SetDocumentStatus(s) => {
                format!("Mark Document {}", status_text(*s))
            }
        }
    }

    pub fn tooltip(&self) -> &'static str {
        match self {
            ReviewCommand::ToggleReview => {
                "Review the spans one by one: a accepts, r rejects, e accepts and edits, c comments, Tab skips"
            }
            ReviewCommand::Adjudicate => {
                "Walk the conflicts of a gold file and resolve each with one key; in a comparison, write the gold file first"
            }
            ReviewCommand::Compare => {
                "Open two or more annotators' files of the same article in one merged, read-only view"
            }
            ReviewCommand::CloseComparison => "Leave the comparison and go back to your document",
            ReviewCommand::ShowAgreement => {
                "Agreement of the compared annotators: F1 per label and the confusion of labels"
            }
            ReviewCommand::Accept => {
                "Review mode: accept the selected span and go to the next pending one"
            }
            ReviewCommand::Reject => {
                "Review mode: reject the selected span and go to the next pending one"
            }
            ReviewCommand::Edit => {
                "Review mode: accept the selected span and keep it selected: relabel it with a label key, resize it with Alt+Shift+arrows, Tab moves on"
            }
            ReviewCommand::Comment => {
                "Review mode: write a note on the selected span (Enter keeps it, Escape cancels)"
            }
            ReviewCommand::NextDifference => "Comparison: go to the next difference",
            ReviewCommand::PrevDifference => "Comparison: go to the previous difference",
            ReviewCommand::SelectDifference(_) => "Go to this difference",
            ReviewCommand::Take(_) => {
                "Adjudication: keep what this annotator marked in the conflict and reject the rest"
            }
            ReviewCommand::TakeAll => "Adjudication: keep every reading of the conflict",
            ReviewCommand::TakeNone => "Adjudication: reject every reading of the conflict",
            ReviewCommand::TakeEdit => {
                "Adjudication: keep the selected reading (or the first), reject its rivals, and keep it selected to relabel or resize"
            }
            ReviewCommand::SetDocumentStatus(_) => {
                "Where the document stands: in progress, annotated, reviewed (saved in the file)"
            }
        }
    }

    pub fn shortcuts(&self) -> Vec<KeyboardShortcut> {
        match self {
            ReviewCommand::ToggleReview => vec![key(CMD_SHIFT, Key::R)],
            ReviewCommand::Adjudicate => vec![key(CMD_SHIFT, Key::J)],
            ReviewCommand::Compare => vec![key(CMD_SHIFT, Key::C)],
            ReviewCommand::CloseComparison => vec![key(Modifiers::COMMAND, Key::W)],
            ReviewCommand::ShowAgreement => vec![key(CMD_SHIFT, Key::G)],
            ReviewCommand::Accept => vec![key(NONE, Key::A)],
            ReviewCommand::Reject => vec![key(NONE, Key::R)],
            ReviewCommand::Edit | ReviewCommand::TakeEdit => vec![key(NONE, Key::E)],
            ReviewCommand::Comment => vec![key(NONE, Key::C)],
            ReviewCommand::NextDifference => vec![key(NONE, Key::N)],
            ReviewCommand::PrevDifference => vec![key(NONE, Key::P)],
            ReviewCommand::Take(i) => TAKE_KEYS
                .get(*i)
                .map(|k| vec![key(NONE, *k)])
                .unwrap_or_default(),
            ReviewCommand::TakeAll => vec![key(NONE, Key::K)],
            ReviewCommand::TakeNone => vec![key(NONE, Key::N)],
            ReviewCommand::SelectDifference(_) | ReviewCommand::SetDocumentStatus(_) => Vec::new(),
        }
    }

    /// The modes in which the command's shortcuts fire.
    pub fn modes(&self) -> &'static [Mode] {
        match self {
            ReviewCommand::ToggleReview
            | ReviewCommand::Adjudicate
            | ReviewCommand::Compare
            | ReviewCommand::ShowAgreement
            | ReviewCommand::SetDocumentStatus(_) => ALL,
            ReviewCommand::CloseComparison
            | ReviewCommand::NextDifference
            | ReviewCommand::PrevDifference
            | ReviewCommand::SelectDifference(_) => &[Mode::Compare],
            ReviewCommand::Accept
            | ReviewCommand::Reject
            | ReviewCommand::Edit
            | ReviewCommand::Comment => &[Mode::Review],
            ReviewCommand::Take(_)
            | ReviewCommand::TakeAll
            | ReviewCommand::TakeNone
            | ReviewCommand::TakeEdit => &[Mode::Adjudicate],
        }
    }
}

/// `A`, `B`, … for the annotators of an adjudication, in name order.
pub fn annotator_letter(i: usize) -> char {
    u8::try_from(i)
        .ok()
        .filter(|i| *i < 26)
        .map_or('?', |i| char::from(b'A' + i))
}

/// `in progress`, `annotated`, `reviewed`.
pub fn status_text(status: DocumentStatus) -> &'static str {
    match status {
        DocumentStatus::InProgress => "in progress",
        DocumentStatus::Annotated => "annotated",
        DocumentStatus::Reviewed => "reviewed",
    }
}
