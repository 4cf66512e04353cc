//! The find bar (Ctrl+F): Enter selects the next match, scrolls to it and gives the keyboard
//! back to the article, so the next key (say `1`) labels it. Ctrl+F in an open bar selects its
//! text, so typing replaces the old query. "Label all" labels every match in one undoable step.
//!
//! The query is state ([`FindState`]): what is typed here comes back as [`Action::Find`], and
//! a query set by anyone else shows here on the next frame.

use egui::text::CCursorRange;
use egui::{Id, Key, Ui};

use crate::app::action::Action;
use crate::app::commands::Command;
use crate::app::session::Session;
use crate::app::state::find::{FindQuery, FindState};

/// What the bar keeps: the query as typed, the query last seen in the state, and the last
/// request to take the keyboard it acted on.
#[derive(Debug, Default)]
pub struct FindBar {
    typed: FindQuery,
    seen: FindQuery,
    focus_seen: u64,
}

/// The field's id, so a request to take the keyboard can select its text first.
fn field_id() -> Id {
    Id::unique("find_query")
}

pub fn ui(
    ui: &mut Ui,
    session: &Session,
    find: &FindState,
    focus_request: u64,
    bar: &mut FindBar,
) -> Vec<Action> {
    let mut actions = Vec::new();
    if find.query != bar.seen {
        bar.typed = find.query.clone();
        bar.seen = find.query.clone();
    }
    if focus_request != bar.focus_seen {
        bar.focus_seen = focus_request;
        select_all(ui, &bar.typed.text);
    }
    egui::Panel::top("find_bar").show(ui, |ui| {
        ui.horizontal(|ui| {
            query_ui(ui, bar, &mut actions);
            let count = find.matches().len();
            ui.label(match (find.current(), count) {
                (_, 0) if find.query.text.is_empty() => String::new(),
                (_, 0) => "no matches".to_string(),
                (Some(i), n) => format!("{} of {n}", i + 1),
                (None, n) => format!("{n} matches"),
            });
            for (symbol, command) in [("⏶", Command::FindPrev), ("⏷", Command::FindNext)] {
                let tip = format!("{} ({})", command.name(), command.keys_text());
                if ui.button(symbol).on_hover_text(tip).clicked() {
                    actions.push(Action::Command(command));
                }
            }
            ui.separator();
            label_all_ui(ui, session, find, count, &mut actions);
            if ui.button("×").on_hover_text("Close the find bar").clicked() {
                actions.push(Action::CloseFind);
            }
        });
    });
    if bar.typed != bar.seen {
        bar.seen = bar.typed.clone();
        // Before Enter's FindNext, so the step searches what was typed.
        actions.insert(0, Action::Find(bar.typed.clone()));
    }
    actions
}

/// Gives the field the keyboard with its whole text selected.
fn select_all(ui: &Ui, text: &str) {
    let id = field_id();
    let mut state = egui::TextEdit::load_state(ui.ctx(), id).unwrap_or_default();
    state
        .cursor
        .set_char_range(Some(CCursorRange::select_all_str(text)));
    state.store(ui.ctx(), id);
    ui.memory_mut(|m| m.request_focus(id));
}

/// The query field and its options; Enter finds the next match (Shift+Enter the previous),
/// Escape closes the bar.
fn query_ui(ui: &mut Ui, bar: &mut FindBar, actions: &mut Vec<Action>) {
    let caption = ui.label("Find");
    let edit = egui::TextEdit::singleline(&mut bar.typed.text)
        .id(field_id())
        .hint_text("text in the article")
        .desired_width(260.0);
    let response = ui.add(edit).labelled_by(caption.id);
    if response.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
        let back = ui.input(|i| i.modifiers.shift);
        actions.push(Action::Command(if back {
            Command::FindPrev
        } else {
            Command::FindNext
        }));
    }
    if response.lost_focus() && ui.input(|i| i.key_pressed(Key::Escape)) {
        actions.push(Action::CloseFind);
        actions.push(Action::Command(Command::ClearSelection));
    }
    ui.toggle_value(&mut bar.typed.case_sensitive, "Aa")
        .on_hover_text("Match case");
    ui.toggle_value(&mut bar.typed.whole_word, "Word")
        .on_hover_text("Whole words only");
}

/// The label "Label all" uses, and the button.
fn label_all_ui(
    ui: &mut Ui,
    session: &Session,
    find: &FindState,
    count: usize,
    actions: &mut Vec<Action>,
) {
    let labels: Vec<String> = session
        .doc()
        .schema
        .labels()
        .iter()
        .map(|d| d.name.to_string())
        .collect();
    let current = if find.label_index < labels.len() {
        find.label_index
    } else {
        0
    };
    let mut chosen = current;
    egui::ComboBox::from_id_salt("find_label")
        .selected_text(labels.get(current).cloned().unwrap_or_default())
        .show_ui(ui, |ui| {
            for (i, name) in labels.iter().enumerate() {
                ui.selectable_value(&mut chosen, i, name);
            }
        })
        .response
        .widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Label for label-all")
        });
    if chosen != find.label_index {
        actions.push(Action::FindLabel(chosen));
    }
    if ui
        .add_enabled(count > 0, egui::Button::new(format!("Label all {count}")))
        .on_hover_text(Command::LabelAllMatches.description())
        .clicked()
    {
        actions.push(Action::Command(Command::LabelAllMatches));
    }
}
