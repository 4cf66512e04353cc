//! What the annotator has in hand: nothing, a text selection, a span, a relation, or a relation
//! being made (its other end being picked). One value, so the workbench can never have a span
//! selected and text selected at once.

use crate::model::{CharOffset, CharRange, SpanId};

use crate::app::commands::FocusKind;

/// The text selection: `anchor` stays where it started, `focus` moves. A caret is a selection
/// whose ends are equal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Selection {
    pub anchor: CharOffset,
    pub focus: CharOffset,
    /// Chosen exactly (a find match): labelled as it is, not grown to whole words.
    pub exact: bool,
}

impl Selection {
    pub fn caret(at: CharOffset) -> Self {
        Self::new(at, at)
    }

    /// From `anchor` to `focus`, whichever way round.
    pub fn new(anchor: CharOffset, focus: CharOffset) -> Self {
        Self {
            anchor,
            focus,
            exact: false,
        }
    }

    /// Exactly `range`, as a find match: a label takes what was found.
    pub fn exact(range: CharRange) -> Self {
        Self {
            exact: true,
            ..Self::new(range.start(), range.end())
        }
    }

    pub fn range(&self) -> CharRange {
        CharRange::between(self.anchor, self.focus)
    }
}

/// A relation being made: from a span, its other end being picked among the spans the schema
/// allows, nearest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Linking {
    pub from: SpanId,
    /// The spans the schema allows at the other end, nearest first (by characters between).
    pub targets: Vec<SpanId>,
    /// The one picked, an index into `targets`.
    pub at: usize,
}

impl Linking {
    /// The span picked as the other end.
    pub fn target(&self) -> Option<&SpanId> {
        self.targets.get(self.at)
    }
}

/// What is selected. A selected span that is a pending suggestion is still `Span` here; the
/// app reads it as [`FocusKind::Suggestion`] (`AppState::focus_kind`), where Enter accepts it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Focus {
    #[default]
    Nothing,
    /// A text selection (or a caret).
    Text(Selection),
    /// A span, by id.
    Span(SpanId),
    /// A relation, by id.
    Relation(SpanId),
    /// A relation being made.
    Linking(Linking),
}

impl Focus {
    pub fn selection(&self) -> Option<Selection> {
        match self {
            Focus::Text(s) => Some(*s),
            _ => None,
        }
    }

    /// The selected span: the span itself, or the span a relation being made starts from.
    pub fn span(&self) -> Option<&SpanId> {
        match self {
            Focus::Span(id) => Some(id),
            Focus::Linking(l) => Some(&l.from),
            _ => None,
        }
    }

    pub fn relation(&self) -> Option<&SpanId> {
        match self {
            Focus::Relation(id) => Some(id),
            _ => None,
        }
    }

    pub fn linking(&self) -> Option<&Linking> {
        match self {
            Focus::Linking(l) => Some(l),
            _ => None,
        }
    }

    /// Its kind, for reading keys ([`crate::app::commands::resolve`]).
    pub fn kind(&self) -> FocusKind {
        match self {
            Focus::Nothing => FocusKind::Nothing,
            Focus::Text(_) => FocusKind::Text,
            Focus::Span(_) => FocusKind::Span,
            Focus::Relation(_) => FocusKind::Relation,
            Focus::Linking(_) => FocusKind::Linking,
        }
    }
}
