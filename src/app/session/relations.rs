//! Making, selecting and changing relations: keyboard first. With a span selected, R starts a
//! relation ([`Focus::Linking`]): the spans the schema allows at the other end are listed
//! nearest first and the nearest is picked (skipping spans this one already links to by every
//! kind allowed); Tab and Shift+Tab step through them; Enter makes the relation of the first
//! kind the schema allows between the two labels, a kind's key makes it of that kind; Escape
//! cancels. The source span stays selected afterwards, so the next R starts from it again.

use super::{Focus, Session, capitalise};
use crate::app::session::focus::Linking;
use crate::model::edit::quote;
use crate::model::{Edit, Label, Relation, Span, SpanId, Status};

impl Session {
    /// The selected relation, if a relation is selected.
    pub fn selected_relation(&self) -> Option<&Relation> {
        self.focus
            .relation()
            .and_then(|id| self.doc.set().relation(id))
    }

    /// The relation being made, if one is.
    pub fn linking(&self) -> Option<&Linking> {
        self.focus.linking()
    }

    /// Selects relation `id` and brings its source into view.
    pub fn select_relation(&mut self, id: &SpanId) {
        let Some(r) = self.doc.set().relation(id) else {
            return;
        };
        let start = self.doc.set().get(&r.from).map(|s| s.range.start());
        let description = self.describe_relation(r);
        self.focus = Focus::Relation(id.clone());
        if let Some(start) = start {
            self.scroll_to(start);
        }
        self.say(description);
    }

    /// `source: 'that his country …' to 'Sergey Lavrov' (pending)` (words: the bundled fonts
    /// have no arrow glyphs).
    pub fn describe_relation(&self, r: &Relation) -> String {
        format!(
            "{}: {} to {} ({})",
            r.kind,
            self.quote_span(&r.from),
            self.quote_span(&r.to),
            r.status
        )
    }

    fn quote_span(&self, id: &SpanId) -> String {
        self.doc
            .set()
            .get(id)
            .map(|s| quote(self.doc.text(), s.range))
            .unwrap_or_else(|| id.to_string())
    }

    /// R: starts a relation from the selected span (see the module docs).
    pub fn start_linking(&mut self) {
        let Some(from) = self.selected().cloned() else {
            self.complain("Select a span first: a relation starts from the selected span");
            return;
        };
        if !self.editable() {
            return;
        }
        let schema = &self.doc.schema;
        if !schema.has_outgoing(&from.label) {
            self.complain(format!(
                "No relation kind starts at a {} span (Edit Labels… defines the kinds)",
                from.label
            ));
            return;
        }
        let targets = targets(&self.doc, &from);
        let Some(at) = first_unlinked(&self.doc, &from, &targets) else {
            self.complain(format!(
                "No span the schema allows at the other end of a relation from a {} span",
                from.label
            ));
            return;
        };
        let linking = Linking {
            from: from.id.clone(),
            targets,
            at,
        };
        self.focus = Focus::Linking(linking);
        self.show_pick();
    }

    /// Tab / Shift+Tab while a relation is being made.
    pub fn step_target(&mut self, forward: bool) {
        let Focus::Linking(l) = &mut self.focus else {
            return;
        };
        let n = l.targets.len();
        l.at = if forward {
            (l.at + 1) % n
        } else {
            (l.at + n - 1) % n
        };
        self.show_pick();
    }

    /// Brings the picked span into view and says what Enter and the kind keys would make.
    fn show_pick(&mut self) {
        let Some(l) = self.linking() else { return };
        let (Some(from), Some(to)) = (
            self.doc.set().get(&l.from),
            l.target().and_then(|t| self.doc.set().get(t)),
        ) else {
            return;
        };
        let kinds: Vec<String> = self
            .doc
            .schema
            .kinds_between(&from.label, &to.label)
            .map(|k| match k.hotkey {
                Some(key) => format!("{} ({key})", k.name),
                None => k.name.to_string(),
            })
            .collect();
        let text = format!(
            "Relation from {} to {} ({} of {}): Enter makes it {}; Tab picks another span, Escape cancels",
            quote(self.doc.text(), from.range),
            quote(self.doc.text(), to.range),
            l.at + 1,
            l.targets.len(),
            kinds.join(", or ")
        );
        let start = to.range.start();
        self.scroll_to(start);
        self.say(text);
    }

    /// Escape while a relation is being made: back to the source span.
    pub fn cancel_linking(&mut self) {
        if let Some(l) = self.linking() {
            self.focus = Focus::Span(l.from.clone());
            self.say("No relation made");
        }
    }

    /// Enter (`kind` None: the first kind allowed) or a kind's key while a relation is being
    /// made: makes the relation to the picked span. The source span stays selected.
    pub fn make_relation(&mut self, kind: Option<&Label>, who: &str) {
        let Some(l) = self.linking().cloned() else {
            return;
        };
        let Some(to) = l.target().cloned() else {
            return;
        };
        if self.link(&l.from, &to, kind, who) {
            self.focus = Focus::Span(l.from);
        }
    }

    /// Makes a relation from span `from` to span `to` (Alt+click, a drag between chips, or
    /// Enter while picking), of `kind` or the first kind the schema allows between their
    /// labels. Returns whether it was made.
    pub fn link(&mut self, from: &SpanId, to: &SpanId, kind: Option<&Label>, who: &str) -> bool {
        let relation = match new_relation(&self.doc, from, to, kind) {
            Ok(Ok(kind)) => {
                let at = self.now();
                let id = self.doc.set().next_relation_id();
                Relation::new(id, kind, from.clone(), to.clone(), who, at)
            }
            Ok(Err(same)) => {
                let text = format!("Already linked: {}", self.describe_relation(&same));
                self.say(text);
                return false;
            }
            Err(why) => {
                self.complain(why);
                return false;
            }
        };
        self.apply(Edit::AddRelation(relation), who)
    }

    /// A kind's key with a relation selected: retypes it.
    pub fn retype_relation(&mut self, kind: &Label, who: &str) {
        let Some(r) = self.selected_relation().cloned() else {
            return;
        };
        if r.kind == *kind {
            self.say(format!("Already {kind}"));
            return;
        }
        let set = self.doc.set();
        let ends = (set.get(&r.from), set.get(&r.to));
        if let (Some(a), Some(b)) = ends
            && let Some(misfit) = self.doc.schema.relation_misfit(kind, &a.label, &b.label)
        {
            self.complain(capitalise(&misfit));
            return;
        }
        match Edit::retype_relation(set, &r.id, kind.clone()) {
            Ok(edit) => {
                self.apply(edit, who);
            }
            Err(e) => self.complain(e.to_string()),
        }
    }

    /// Swaps the selected relation's ends.
    pub fn reverse_relation(&mut self, who: &str) {
        let Some(id) = self.focus.relation().cloned() else {
            return;
        };
        match Edit::reverse_relation(self.doc.set(), &id) {
            Ok(edit) => {
                self.apply(edit, who);
            }
            Err(e) => self.complain(e.to_string()),
        }
    }

    /// Removes the selected relation; its source span is selected after.
    pub fn delete_relation(&mut self, who: &str) {
        let Some(r) = self.selected_relation().cloned() else {
            return;
        };
        if self.apply(Edit::RemoveRelation(r.clone()), who) {
            self.focus = Focus::Span(r.from);
        }
    }

    /// Accepts or rejects relation `id` (review mode).
    pub fn set_relation_status(&mut self, id: &SpanId, status: Status, who: &str) {
        match Edit::set_relation_status(self.doc.set(), id, status) {
            Ok(edit) => {
                self.apply(edit, who);
            }
            Err(e) => self.complain(e.to_string()),
        }
    }

    /// Sets the note of relation `id` (a reviewer's comment).
    pub fn set_relation_note(&mut self, id: &SpanId, note: Option<String>, who: &str) {
        match Edit::change_relation(self.doc.set(), id, |r| r.note = note) {
            Ok(edit) => {
                self.apply(edit, who);
            }
            Err(e) => self.complain(e.to_string()),
        }
    }
}

/// The kind of a new relation from `from` to `to`: `kind` when the schema allows it between
/// their labels, else the first kind it allows; `Ok(Err(existing))` when that relation is
/// there already; `Err(why)` when none fits.
fn new_relation(
    doc: &crate::model::Document,
    from: &SpanId,
    to: &SpanId,
    kind: Option<&Label>,
) -> Result<Result<Label, Relation>, String> {
    let set = doc.set();
    let (Some(a), Some(b)) = (set.get(from), set.get(to)) else {
        return Err("Both ends of a relation must be spans".to_string());
    };
    if from == to {
        return Err("A relation links two different spans".to_string());
    }
    let schema = &doc.schema;
    let kind = match kind {
        Some(k) => match schema.relation_kind(k.as_str()) {
            Some(def) if def.allows(&a.label, &b.label) => def.name.clone(),
            _ => {
                return Err(capitalise(
                    &schema
                        .relation_misfit(k, &a.label, &b.label)
                        .unwrap_or_else(|| format!("there is no relation kind {k}")),
                ));
            }
        },
        None => match schema.kinds_between(&a.label, &b.label).next() {
            Some(def) => def.name.clone(),
            None => {
                return Err(format!(
                    "The schema has no relation kind from a {} span to a {} span",
                    a.label, b.label
                ));
            }
        },
    };
    let existing = set
        .relations_of(from)
        .find(|r| r.kind == kind && &r.from == from && &r.to == to);
    Ok(match existing {
        Some(same) => Err(same.clone()),
        None => Ok(kind),
    })
}

/// The spans the schema allows at the other end of a relation from `from`, nearest first: by
/// the characters between the two (0 when they overlap), then by position.
fn targets(doc: &crate::model::Document, from: &Span) -> Vec<SpanId> {
    let schema = &doc.schema;
    let mut found: Vec<(usize, usize, &SpanId)> = doc
        .set()
        .spans()
        .filter(|s| s.id != from.id && schema.kinds_between(&from.label, &s.label).next().is_some())
        .map(|s| (gap(from, s), s.range.start().0, &s.id))
        .collect();
    found.sort_unstable();
    found.into_iter().map(|(_, _, id)| id.clone()).collect()
}

/// Characters between two spans (0 when they overlap or touch).
fn gap(a: &Span, b: &Span) -> usize {
    let (a, b) = (a.range, b.range);
    if b.start() >= a.end() {
        b.start().0 - a.end().0
    } else if a.start() >= b.end() {
        a.start().0 - b.end().0
    } else {
        0
    }
}

/// The first target `from` is not yet linked to by every kind the schema allows between them
/// (so R, Enter after a claim's source is made goes on to the next role), else the nearest.
fn first_unlinked(doc: &crate::model::Document, from: &Span, targets: &[SpanId]) -> Option<usize> {
    let set = doc.set();
    let done = |to: &SpanId| {
        let Some(t) = set.get(to) else { return true };
        doc.schema.kinds_between(&from.label, &t.label).all(|k| {
            set.relations_of(&from.id)
                .any(|r| r.kind == k.name && r.from == from.id && &r.to == to)
        })
    };
    if targets.is_empty() {
        return None;
    }
    Some(targets.iter().position(|t| !done(t)).unwrap_or(0))
}
