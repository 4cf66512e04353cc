use super::*;
use crate::model::{Label, LabelDef, Schema};

#[test]
fn no_two_commands_active_together_share_a_key() {
    for (i, a) in TABLE.iter().enumerate() {
        for b in &TABLE[i + 1..] {
            if let Some(k) = clashes(a, b) {
                panic!(
                    "{} and {} share {} in a mode where both are active",
                    a.name,
                    b.name,
                    shortcut_text(&k)
                );
            }
        }
    }
}

#[test]
fn the_default_label_keys_are_free_in_every_mode_where_labels_work() {
    assert_eq!(label_key_clashes(&Schema::default()), []);
}

#[test]
fn a_label_key_a_command_takes_is_named_with_the_mode() {
    let mut defs = Schema::default().labels().to_vec();
    defs[0].hotkey = Some('a');
    defs.push(LabelDef {
        name: Label::new("place").unwrap(),
        colour: crate::model::label::palette::ORANGE,
        hotkey: Some('p'),
        description: String::new(),
        attributes: Vec::new(),
    });
    let schema = Schema::new(defs).unwrap();
    let clashes: Vec<String> = label_key_clashes(&schema)
        .iter()
        .map(ToString::to_string)
        .collect();
    // `p` is Previous Difference only in a comparison, where label keys do not work.
    assert_eq!(
        clashes,
        [
            "the key a of label actor is Accept Span in review mode",
            "the key a of label actor is Take Annotator A's in adjudication mode",
        ]
    );
}

#[test]
fn every_row_is_named_described_and_listed_once() {
    for (i, d) in TABLE.iter().enumerate() {
        assert!(!d.name.is_empty() && !d.description.is_empty(), "{d:?}");
        assert!(!d.keys.is_empty(), "{} has no key", d.name);
        assert!(
            !TABLE[..i]
                .iter()
                .any(|e| e.command == d.command || e.name == d.name),
            "{} twice",
            d.name
        );
        assert_eq!(d.command.def().map(|x| x.name), Some(d.name));
    }
    assert_eq!(Command::Label(2).name(), "Label 3");
    assert!(Command::Label(0).def().is_none());
}

fn cx(mode: Mode, focus: FocusKind) -> KeyContext<'static> {
    const LABELS: &[(usize, KeyboardShortcut)] =
        &[(0, key(NONE, Key::Num1)), (1, key(NONE, Key::A))];
    const KINDS: &[(usize, KeyboardShortcut)] = &[(0, key(NONE, Key::S)), (3, key(NONE, Key::G))];
    KeyContext {
        mode,
        focus,
        typing: false,
        labels: LABELS,
        kinds: KINDS,
    }
}

#[test]
fn while_a_relation_is_made_keys_mean_picking() {
    let press = |k, m, mode, focus| resolve(k, m, &cx(mode, focus));
    let (none, shift) = (Modifiers::NONE, Modifiers::SHIFT);
    let linking = |k, m| press(k, m, Mode::Annotate, FocusKind::Linking);
    assert_eq!(
        press(Key::R, none, Mode::Annotate, FocusKind::Span),
        Some(Command::StartRelation)
    );
    assert_eq!(linking(Key::Tab, none), Some(Command::NextTarget));
    assert_eq!(linking(Key::Tab, shift), Some(Command::PrevTarget));
    assert_eq!(linking(Key::Enter, none), Some(Command::MakeRelation));
    assert_eq!(linking(Key::Escape, none), Some(Command::CancelRelation));
    assert_eq!(linking(Key::G, none), Some(Command::Kind(3)));
    // Label keys do not fire while picking; a kind key retypes a selected relation.
    assert_eq!(linking(Key::Num1, none), None);
    assert_eq!(linking(Key::A, none), None);
    assert_eq!(
        press(Key::S, none, Mode::Annotate, FocusKind::Relation),
        Some(Command::Kind(0))
    );
    assert_eq!(
        press(Key::Delete, none, Mode::Annotate, FocusKind::Relation),
        Some(Command::DeleteRelation)
    );
    assert_eq!(
        press(Key::R, shift, Mode::Review, FocusKind::Relation),
        Some(Command::ReverseRelation)
    );
    // Review mode keeps r for reject, and its letters over kind keys.
    assert_eq!(
        press(Key::R, none, Mode::Review, FocusKind::Span),
        Some(Command::Reject)
    );
    assert_eq!(press(Key::G, none, Mode::Review, FocusKind::Relation), None);
}

#[test]
fn tab_means_what_the_mode_walks() {
    let tab = |mode| resolve(Key::Tab, Modifiers::NONE, &cx(mode, FocusKind::Span));
    assert_eq!(tab(Mode::Annotate), Some(Command::NextSpan));
    assert_eq!(tab(Mode::Review), Some(Command::NextReviewSpan));
    assert_eq!(tab(Mode::Adjudicate), Some(Command::NextConflict));
    assert_eq!(tab(Mode::Compare), Some(Command::NextDifference));
    assert_eq!(
        resolve(
            Key::Tab,
            Modifiers::SHIFT,
            &cx(Mode::Review, FocusKind::Nothing)
        ),
        Some(Command::PrevReviewSpan)
    );
}

#[test]
fn the_focus_decides_between_commands_of_one_key() {
    let press = |k, mode, focus| resolve(k, Modifiers::NONE, &cx(mode, focus));
    assert_eq!(
        press(Key::Delete, Mode::Annotate, FocusKind::Span),
        Some(Command::DeleteSpan)
    );
    assert_eq!(press(Key::Delete, Mode::Annotate, FocusKind::Text), None);
    assert_eq!(
        press(Key::Escape, Mode::Review, FocusKind::Comment),
        Some(Command::CancelComment)
    );
    assert_eq!(
        press(Key::Escape, Mode::Review, FocusKind::Span),
        Some(Command::ClearSelection)
    );
    // A label key fires where no command takes it; a command wins over a label key.
    assert_eq!(
        press(Key::A, Mode::Annotate, FocusKind::Text),
        Some(Command::Label(1))
    );
    assert_eq!(
        press(Key::A, Mode::Review, FocusKind::Span),
        Some(Command::Accept)
    );
    assert_eq!(
        press(Key::A, Mode::Adjudicate, FocusKind::Span),
        Some(Command::TakeA)
    );
    assert_eq!(press(Key::Num1, Mode::Compare, FocusKind::Span), None);
    // Typing: bare keys are text; shortcuts with Ctrl and function keys still work.
    let typing = KeyContext {
        typing: true,
        ..cx(Mode::Annotate, FocusKind::Text)
    };
    assert_eq!(resolve(Key::Num1, Modifiers::NONE, &typing), None);
    assert_eq!(
        resolve(Key::F3, Modifiers::NONE, &typing),
        Some(Command::FindNext)
    );
    assert_eq!(
        resolve(Key::S, Modifiers::COMMAND, &typing),
        Some(Command::Save)
    );
    // Caret and selection keys are the view's.
    assert_eq!(
        resolve(
            Key::ArrowLeft,
            Modifiers::SHIFT,
            &cx(Mode::Annotate, FocusKind::Text)
        ),
        None
    );
    assert_eq!(
        resolve_view_key(Key::ArrowLeft, Modifiers::SHIFT),
        Some(Command::ExtendLeft)
    );
    assert_eq!(
        resolve_view_key(Key::ArrowRight, Modifiers::COMMAND),
        Some(Command::CaretWordRight)
    );
}

#[test]
fn menus_see_what_is_active() {
    assert!(Command::DeleteSpan.active(Mode::Annotate, FocusKind::Span));
    assert!(!Command::DeleteSpan.active(Mode::Annotate, FocusKind::Nothing));
    assert!(!Command::ShowAgreement.active(Mode::Annotate, FocusKind::Nothing));
    assert!(Command::Label(3).active(Mode::Review, FocusKind::Span));
    assert!(!Command::Label(3).active(Mode::Compare, FocusKind::Span));
    assert_eq!(Command::Redo.keys_text(), "Ctrl+Shift+Z, Ctrl+Y");
    assert_eq!(Command::TakeNone.key_text(), "n");
    assert_eq!(Command::TakeC.take_index(), Some(2));
    assert_eq!(Command::Accept.take_index(), None);
}

/// The README's shortcut tables, each between `<!-- shortcuts: NAME -->` and
/// `<!-- /shortcuts -->`, are the tables the command table renders.
#[test]
fn the_readme_tables_are_the_command_table() {
    let readme = include_str!("../../../README.md");
    let tables: [(&str, &[Section], Option<Schema>); 5] = [
        (
            "main",
            &[
                Section::File,
                Section::Edit,
                Section::Selection,
                Section::Find,
                Section::View,
            ],
            Some(Schema::default()),
        ),
        ("suggestions", &[Section::Suggestions], None),
        ("review", &[Section::Review], None),
        ("adjudication", &[Section::Adjudication], None),
        ("comparison", &[Section::Comparison], None),
    ];
    for (name, sections, schema) in tables {
        let start = format!("<!-- shortcuts: {name} -->\n");
        let at = readme
            .find(&start)
            .unwrap_or_else(|| panic!("README.md has no {start:?}"))
            + start.len();
        let end = readme[at..]
            .find("<!-- /shortcuts -->")
            .unwrap_or_else(|| panic!("the {name} table in README.md is not closed"));
        let expected = markdown_table(sections, schema.as_ref());
        assert!(
            readme[at..at + end] == expected,
            "README.md's {name} shortcut table differs from the command table; it should read:\n{expected}"
        );
    }
}

/// The core keeps its own list of the keys commands take (an imported schema is checked
/// against it without the GUI): it must be what the command table says.
#[test]
fn the_core_list_of_command_keys_matches_the_table() {
    for c in ('a'..='z').chain('0'..='9') {
        let schema = Schema::new(vec![LabelDef {
            name: Label::new("x").unwrap(),
            colour: crate::model::label::palette::ORANGE,
            hotkey: Some(c),
            description: String::new(),
            attributes: Vec::new(),
        }])
        .unwrap();
        let names: Vec<&str> = label_key_clashes(&schema)
            .iter()
            .map(|clash| clash.command)
            .collect();
        let expected = (!names.is_empty()).then(|| names.join(" / "));
        assert_eq!(
            crate::model::command_keys::command_of_key(c).map(str::to_string),
            expected,
            "key {c}"
        );
    }
}
