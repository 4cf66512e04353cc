//! What the annotator has in hand: nothing, a text selection, or a span. One value, so the
//! workbench can never have a span selected and text selected at once.

use crate::model::{CharOffset, CharRange, SpanId};

use crate::app::commands::FocusKind;

/// The text selection: `anchor` stays where it started, `focus` moves. A caret is a selection
/// whose ends are equal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Selection {
    pub anchor: CharOffset,
    pub focus: CharOffset,
}

impl Selection {
    pub fn caret(at: CharOffset) -> Self {
        Self {
            anchor: at,
            focus: at,
        }
    }

    /// From `anchor` to `focus`, whichever way round.
    pub fn new(anchor: CharOffset, focus: CharOffset) -> Self {
        Self { anchor, focus }
    }

    pub fn range(&self) -> CharRange {
        CharRange::between(self.anchor, self.focus)
    }
}

/// What is selected. #9 adds a relation, #10 a suggestion.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Focus {
    #[default]
    Nothing,
    /// A text selection (or a caret).
    Text(Selection),
    /// A span, by id.
    Span(SpanId),
}

impl Focus {
    pub fn selection(&self) -> Option<Selection> {
        match self {
            Focus::Text(s) => Some(*s),
            _ => None,
        }
    }

    pub fn span(&self) -> Option<&SpanId> {
        match self {
            Focus::Span(id) => Some(id),
            _ => None,
        }
    }

    /// Its kind, for reading keys ([`crate::app::commands::resolve`]).
    pub fn kind(&self) -> FocusKind {
        match self {
            Focus::Nothing => FocusKind::Nothing,
            Focus::Text(_) => FocusKind::Text,
            Focus::Span(_) => FocusKind::Span,
        }
    }
}
