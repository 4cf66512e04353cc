//! Review mode: a reviewer walks the spans of a document and decides each one.
//!
//! - `a` accepts the selected span, `r` rejects it; both then select the next **pending** span
//!   (after the current one in text order, wrapping) that the label and author filters keep.
//! - `e` accepts the span and keeps it selected: the label keys relabel it, Alt+Shift+arrows
//!   resize it, Tab moves on. So an edited span is always an accepted one, and the history shows
//!   the acceptance and then each edit, all by the reviewer.
//! - `c` opens the comment field on the span (Enter keeps the note, Escape cancels).
//! - Tab / Shift+Tab move to the next / previous span the filters keep, deciding nothing.
//!
//! Every decision goes through [`Session`] edits, so it is undoable and lands in the audit
//! history with the reviewer's name. The document's status (in progress, annotated, reviewed)
//! is set from the toolbar; when every span is decided the toolbar offers to mark the document
//! reviewed (it never does so by itself).

use egui::{Key, RichText, Ui};

use super::keys::{ReviewCommand, status_text};
use crate::app::commands::{Command, shortcut_text};
use crate::app::session::Session;
use crate::app::{Action, SpanmarkApp};
use crate::model::{AuditAction, AuditEntry, AuditValue, DocumentStatus, Span, SpanId, Status};

/// What the reviewer wants to see: pending spans only, one label, one author.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filters {
    pub pending_only: bool,
    pub label: Option<String>,
    pub author: Option<String>,
}

impl Default for Filters {
    fn default() -> Self {
        Self {
            pending_only: true,
            label: None,
            author: None,
        }
    }
}

impl Filters {
    /// Whether the label and author filters keep `span` (whatever its status).
    pub fn keeps_kind(&self, span: &Span) -> bool {
        self.label
            .as_deref()
            .is_none_or(|l| span.label.as_str() == l)
            && self.author.as_deref().is_none_or(|a| &*span.author == a)
    }

    /// Whether every filter keeps `span`.
    pub fn keeps(&self, span: &Span) -> bool {
        self.keeps_kind(span) && (!self.pending_only || span.status == Status::Pending)
    }
}

/// The counts the toolbar shows, and the choices of its filters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    pub total: usize,
    pub accepted: usize,
    pub rejected: usize,
    /// Labels of the schema, then labels only spans use.
    pub labels: Vec<String>,
    pub authors: Vec<String>,
}

impl Tally {
    pub fn of(session: &Session) -> Self {
        let mut t = Tally::default();
        let mut authors = std::collections::BTreeSet::new();
        let mut labels: Vec<String> = session
            .doc
            .schema
            .labels()
            .iter()
            .map(|d| d.name.to_string())
            .collect();
        let mut extra = std::collections::BTreeSet::new();
        for span in session.doc.set().spans() {
            t.total += 1;
            match span.status {
                Status::Accepted => t.accepted += 1,
                Status::Rejected => t.rejected += 1,
                Status::Pending => {}
            }
            if !authors.contains(&*span.author) {
                authors.insert(span.author.to_string());
            }
            if !labels.iter().any(|l| l == span.label.as_str()) {
                extra.insert(span.label.to_string());
            }
        }
        labels.extend(extra);
        t.labels = labels;
        t.authors = authors.into_iter().collect();
        t
    }

    pub fn decided(&self) -> usize {
        self.accepted + self.rejected
    }

    pub fn pending(&self) -> usize {
        self.total - self.decided()
    }
}

/// The next (or previous) span after the selected one in text order that `keep` accepts,
/// wrapping around; with nothing selected, the first (or last) one.
pub fn step(session: &Session, forward: bool, keep: &dyn Fn(&Span) -> bool) -> Option<SpanId> {
    let set = session.doc.set();
    let current = session.selected().map(|s| {
        let (a, b, c, d) = s.sort_key();
        (a, b, c.to_string(), d.to_string())
    });
    let key_of = |s: &Span| {
        let (a, b, c, d) = s.sort_key();
        (a, b, c.to_string(), d.to_string())
    };
    let found = if forward {
        set.spans()
            .filter(|s| keep(s))
            .find(|s| current.as_ref().is_none_or(|c| key_of(s) > *c))
            .or_else(|| set.spans().find(|s| keep(s)))
    } else {
        set.spans()
            .rev()
            .filter(|s| keep(s))
            .find(|s| current.as_ref().is_none_or(|c| key_of(s) < *c))
            .or_else(|| set.spans().rev().find(|s| keep(s)))
    };
    found.map(|s| s.id.clone())
}

/// The first span in text order that `keep` accepts.
pub fn first(session: &Session, keep: &dyn Fn(&Span) -> bool) -> Option<SpanId> {
    session
        .doc
        .set()
        .spans()
        .find(|s| keep(s))
        .map(|s| s.id.clone())
}

/// A note being written on a span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub span: SpanId,
    pub text: String,
    /// Take keyboard focus on the next frame.
    pub focus: bool,
}

impl SpanmarkApp {
    /// Selects the first span review mode should show: the first pending one the filters keep.
    pub(super) fn review_start(&mut self) {
        let filters = self.review.filters.clone();
        let Some(s) = &mut self.session else {
            return;
        };
        let keep = |span: &Span| filters.keeps_kind(span) && span.status == Status::Pending;
        match first(s, &keep) {
            Some(id) => s.select_span(&id),
            None => {
                s.selected_span = None;
                s.notice = Some(crate::app::session::Notice {
                    text:
                        "Review mode: no pending span is left; Tab steps through the decided ones"
                            .into(),
                    is_error: false,
                });
            }
        }
        self.focus_article();
    }

    /// `a` and `r`: decides the selected span, then goes to the next pending one.
    pub(super) fn review_decide(&mut self, status: Status) {
        let who = self.annotator();
        let filters = self.review.filters.clone();
        self.review.editing = None;
        let Some(s) = &mut self.session else {
            return;
        };
        let pending = |span: &Span| filters.keeps_kind(span) && span.status == Status::Pending;
        let Some(span) = s.selected().cloned() else {
            if let Some(id) = step(s, true, &pending) {
                s.select_span(&id);
            }
            say(s, "Select a span first: this is the next pending one", true);
            return;
        };
        if span.status != status {
            s.set_status(&span.id, status, &who);
        }
        match step(s, true, &pending) {
            Some(id) => s.select_span(&id),
            None => {
                let t = Tally::of(s);
                say(
                    s,
                    &format!(
                        "Every span is decided ({} accepted, {} rejected): Ctrl+S saves; mark the document reviewed above",
                        t.accepted, t.rejected
                    ),
                    false,
                );
            }
        }
        self.focus_article();
    }

    /// `e`: accepts the selected span and keeps it selected for editing.
    pub(super) fn review_edit(&mut self) {
        let who = self.annotator();
        let Some(s) = &mut self.session else {
            return;
        };
        let Some(span) = s.selected().cloned() else {
            say(
                s,
                "Select a span to edit first (Tab goes to the next one)",
                true,
            );
            return;
        };
        if span.status != Status::Accepted {
            s.set_status(&span.id, Status::Accepted, &who);
        }
        let keys: Vec<String> = s
            .doc
            .schema
            .labels()
            .iter()
            .filter_map(|d| d.hotkey.map(String::from))
            .collect();
        say(
            s,
            &format!(
                "Editing {} (accepted): relabel with {}, resize with Alt+Shift+arrows; Tab moves on",
                s.quote(span.range),
                if keys.is_empty() {
                    "the Labels panel".to_string()
                } else {
                    keys.join("/")
                }
            ),
            false,
        );
        self.review.editing = Some(span.id);
        self.focus_article();
    }

    /// `c`: opens the comment field on the selected span.
    pub(super) fn review_comment(&mut self) {
        let Some(s) = &mut self.session else {
            return;
        };
        match s.selected().cloned() {
            Some(span) => {
                self.review.comment = Some(Draft {
                    span: span.id,
                    text: span.note.unwrap_or_default(),
                    focus: true,
                });
            }
            None => say(s, "Select a span to comment on first", true),
        }
    }

    /// Tab / Shift+Tab in review mode: the next span the filters keep, deciding nothing.
    pub(super) fn review_step(&mut self, forward: bool) {
        let filters = self.review.filters.clone();
        self.review.editing = None;
        let Some(s) = &mut self.session else {
            return;
        };
        match step(s, forward, &|span| filters.keeps(span)) {
            Some(id) => s.select_span(&id),
            None => say(
                s,
                if filters.pending_only {
                    "No pending span matches the filters"
                } else {
                    "No span matches the filters"
                },
                false,
            ),
        }
        self.focus_article();
    }

    /// Sets the document's status, with an entry in the audit history (saved with Ctrl+S).
    pub(super) fn set_document_status(&mut self, status: DocumentStatus) {
        let who = self.annotator();
        let Some(s) = &mut self.session else {
            return;
        };
        let before = s.doc.status;
        if before == status {
            return;
        }
        let at = s.now();
        s.doc.status = status;
        s.doc.log(AuditEntry {
            at,
            who,
            action: AuditAction::Document,
            target: None,
            detail: Some("document status".into()),
            before: Some(AuditValue::Text(before.as_str().into())),
            after: Some(AuditValue::Text(status.as_str().into())),
        });
        s.history.mark_unsaved();
        say(
            s,
            &format!("Document marked {}; Ctrl+S saves it", status_text(status)),
            false,
        );
    }
}

fn say(s: &mut Session, text: &str, is_error: bool) {
    s.notice = Some(crate::app::session::Notice {
        text: text.to_string(),
        is_error,
    });
}

/// A toolbar button for a review command: its label with its first shortcut, its tooltip.
pub(super) fn button(ui: &mut Ui, c: ReviewCommand, label: &str, actions: &mut Vec<Action>) {
    let keys = c
        .shortcuts()
        .first()
        .map(shortcut_text)
        .map(|k| format!(" ({k})"))
        .unwrap_or_default();
    if ui
        .button(format!("{label}{keys}"))
        .on_hover_text(c.tooltip())
        .clicked()
    {
        actions.push(Action::Command(Command::Review(c)));
    }
}

/// The progress bar: `decided of total decided`.
pub fn progress_ui(ui: &mut Ui, done: usize, total: usize, what: &str) {
    let fraction = if total == 0 {
        1.0
    } else {
        done as f32 / total as f32
    };
    ui.add(
        egui::ProgressBar::new(fraction)
            .desired_width(180.0)
            .text(format!("{done} of {total} {what}")),
    );
}

/// The document status chooser, and the offer to mark it reviewed when everything is decided.
pub fn document_status_ui(
    ui: &mut Ui,
    status: DocumentStatus,
    all_decided: bool,
    actions: &mut Vec<Action>,
) {
    let mut chosen = status;
    egui::ComboBox::from_id_salt("document_status")
        .selected_text(status_text(status))
        .show_ui(ui, |ui| {
            for s in [
                DocumentStatus::InProgress,
                DocumentStatus::Annotated,
                DocumentStatus::Reviewed,
            ] {
                ui.selectable_value(&mut chosen, s, status_text(s));
            }
        })
        .response
        .on_hover_text(ReviewCommand::SetDocumentStatus(status).tooltip())
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Document status"));
    if chosen != status {
        actions.push(Action::Command(Command::Review(
            ReviewCommand::SetDocumentStatus(chosen),
        )));
    }
    if all_decided && status != DocumentStatus::Reviewed {
        let b = ui
            .button(RichText::new("✔ Mark document reviewed").strong())
            .on_hover_text("Every span is decided: set the document's status to reviewed");
        if b.clicked() {
            actions.push(Action::Command(Command::Review(
                ReviewCommand::SetDocumentStatus(DocumentStatus::Reviewed),
            )));
        }
    }
}

/// The review toolbar: progress, filters, the decision buttons, the document status, and the
/// comment field when open.
pub fn toolbar_ui(ui: &mut Ui, app: &mut SpanmarkApp) -> Vec<Action> {
    let mut actions = Vec::new();
    let Some(session) = &app.session else {
        return actions;
    };
    let tally = app.review.tally(session).clone();
    let status = session.doc.status;
    let selected = session
        .selected()
        .map(|s| (s.id.clone(), s.range, s.label.clone()));
    let quote = selected.as_ref().map(|(_, r, _)| session.quote(*r));
    ui.horizontal_wrapped(|ui| {
        ui.strong("Review");
        progress_ui(ui, tally.decided(), tally.total, "decided");
        ui.weak(format!(
            "{} accepted · {} rejected · {} pending",
            tally.accepted,
            tally.rejected,
            tally.pending()
        ));
        ui.separator();
        let filters = &mut app.review.filters;
        ui.checkbox(&mut filters.pending_only, "Pending only")
            .on_hover_text("Tab and Shift+Tab stop only at pending spans");
        choice_ui(
            ui,
            "review_label",
            "Filter review by label",
            "Any label",
            &tally.labels,
            &mut filters.label,
        );
        choice_ui(
            ui,
            "review_author",
            "Filter review by author",
            "Any author",
            &tally.authors,
            &mut filters.author,
        );
        ui.separator();
        ui.label("Document");
        document_status_ui(
            ui,
            status,
            tally.total > 0 && tally.pending() == 0,
            &mut actions,
        );
    });
    ui.horizontal_wrapped(|ui| {
        button(ui, ReviewCommand::Accept, "✔ Accept", &mut actions);
        button(ui, ReviewCommand::Reject, "× Reject", &mut actions);
        button(ui, ReviewCommand::Edit, "Edit", &mut actions);
        button(ui, ReviewCommand::Comment, "Comment", &mut actions);
        if ui
            .button("◀ Previous (Shift+Tab)")
            .on_hover_text("The previous span the filters keep, deciding nothing")
            .clicked()
        {
            actions.push(Action::Command(Command::PrevSpan));
        }
        if ui
            .button("Next (Tab) ▶")
            .on_hover_text("The next span the filters keep, deciding nothing")
            .clicked()
        {
            actions.push(Action::Command(Command::NextSpan));
        }
        ui.separator();
        match (&selected, &quote) {
            (Some((id, _, label)), Some(q)) => {
                let editing = app.review.editing.as_ref() == Some(id);
                ui.label(format!(
                    "{id}: {label} {q}{}",
                    if editing { " (editing)" } else { "" }
                ));
            }
            _ => {
                ui.weak("No span selected: Tab goes to the next one");
            }
        }
    });
    comment_ui(ui, app, &mut actions);
    actions
}

/// A combo box choosing one of `values` or none (`any`).
pub fn choice_ui(
    ui: &mut Ui,
    salt: &str,
    name: &str,
    any: &str,
    values: &[String],
    chosen: &mut Option<String>,
) {
    egui::ComboBox::from_id_salt(salt)
        .selected_text(chosen.clone().unwrap_or_else(|| any.to_string()))
        .show_ui(ui, |ui| {
            ui.selectable_value(chosen, None, any);
            for v in values {
                ui.selectable_value(chosen, Some(v.clone()), v.as_str());
            }
        })
        .response
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, name));
}

/// The comment field: Enter keeps the note (an undoable edit), Escape cancels; either way the
/// keyboard goes back to the article.
fn comment_ui(ui: &mut Ui, app: &mut SpanmarkApp, actions: &mut Vec<Action>) {
    let Some(draft) = &mut app.review.comment else {
        return;
    };
    let mut close = false;
    ui.horizontal(|ui| {
        let caption = ui.label(format!("Comment on {}", draft.span));
        let r = ui
            .add(
                egui::TextEdit::singleline(&mut draft.text)
                    .desired_width(ui.available_width().min(520.0) - 150.0)
                    .hint_text("a note for the annotator; Enter keeps it, Escape cancels"),
            )
            .labelled_by(caption.id);
        if draft.focus {
            r.request_focus();
            draft.focus = false;
        }
        let enter = r.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
        let escape = ui.input(|i| i.key_pressed(Key::Escape)) && (r.has_focus() || r.lost_focus());
        let keep = ui.button("Keep").clicked();
        let cancel = ui.button("Cancel").clicked();
        if (enter || keep) && !escape {
            let note = (!draft.text.trim().is_empty()).then(|| draft.text.trim().to_string());
            actions.push(Action::SetNote(draft.span.clone(), note));
            actions.push(Action::SelectSpan(draft.span.clone()));
            close = true;
        } else if escape || cancel {
            actions.push(Action::SelectSpan(draft.span.clone()));
            close = true;
        }
    });
    if close {
        app.review.comment = None;
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::Arc;

    use super::*;
    use crate::model::marked::marked;
    use crate::model::{Document, Edit, Schema, Source, Text, Timestamp};
    use crate::store::open::Opened;

    fn session(markup: &str) -> Session {
        let (text, spans) = marked(markup);
        let mut doc = Document::new(
            Source::default(),
            Text::new(text),
            "omar",
            Schema::default(),
        );
        for mut span in spans {
            span.author = if span.label.as_str() == "date" {
                "sam"
            } else {
                "omar"
            }
            .into();
            doc.apply(&Edit::add(span), "omar", Timestamp::from_unix(0))
                .unwrap();
        }
        Session::new(
            Opened {
                doc,
                native_path: PathBuf::from("x.spanmark.json"),
                article_path: None,
                had_native: false,
                warnings: Vec::new(),
                stamp: None,
            },
            Arc::new(|| Timestamp::from_unix(9)),
        )
    }

    fn ids(v: &[Option<SpanId>]) -> Vec<String> {
        v.iter()
            .map(|i| i.as_ref().map_or("-".into(), |i| i.to_string()))
            .collect()
    }

    #[test]
    fn stepping_keeps_to_the_filters_and_wraps() {
        let mut s =
            session("[Lavrov]{actor} [said]{action} on [Monday]{date} that [NATO]{actor} lied");
        s.set_status(&SpanId::numbered(2), Status::Accepted, "rita");
        let filters = Filters::default();
        let mut seen = Vec::new();
        for _ in 0..4 {
            let next = step(&s, true, &|x| filters.keeps(x));
            if let Some(id) = &next {
                s.select_span(id);
            }
            seen.push(next);
        }
        assert_eq!(ids(&seen), ["s1", "s3", "s4", "s1"]);
        let back = step(&s, false, &|x| filters.keeps(x));
        assert_eq!(ids(&[back]), ["s4"]);
        let actors = Filters {
            label: Some("actor".into()),
            ..Filters::default()
        };
        s.selected_span = None;
        assert_eq!(ids(&[first(&s, &|x| actors.keeps(x))]), ["s1"]);
        s.select_span(&SpanId::numbered(1));
        assert_eq!(ids(&[step(&s, true, &|x| actors.keeps(x))]), ["s4"]);
        let sam = Filters {
            author: Some("sam".into()),
            pending_only: false,
            ..Filters::default()
        };
        assert_eq!(ids(&[step(&s, true, &|x| sam.keeps(x))]), ["s3"]);
        let none = Filters {
            label: Some("claim".into()),
            ..Filters::default()
        };
        assert_eq!(ids(&[step(&s, true, &|x| none.keeps(x))]), ["-"]);
    }

    #[test]
    fn the_tally_counts_decisions_and_lists_labels_and_authors() {
        let mut s = session("[Lavrov]{actor} [said]{action} on [Monday]{date}");
        s.set_status(&SpanId::numbered(1), Status::Accepted, "rita");
        s.set_status(&SpanId::numbered(2), Status::Rejected, "rita");
        let t = Tally::of(&s);
        assert_eq!((t.total, t.decided(), t.pending()), (3, 2, 1));
        assert_eq!(t.authors, ["omar", "sam"]);
        assert_eq!(t.labels, ["actor", "action", "date", "claim"]);
    }
}
