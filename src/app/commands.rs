//! Every user command, with its text, tooltip and default shortcuts, in one enum. Menus, the
//! palette, buttons and keys all produce [`Command`]s; the app applies them in one place after
//! drawing (see `SpanmarkApp::apply`). A test fails when two commands share a shortcut.

use egui::{Key, KeyboardShortcut, Modifiers};

use super::review::Mode;
pub use super::review::ReviewCommand;

/// A user command. Label hotkeys come from the document's schema (`Label(i)` is the i-th label).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Open,
    OpenFolder,
    OpenPath,
    Save,
    /// File > Export…: the document or the open folder in a dataset format.
    Export,
    Quit,
    NextDocument,
    PrevDocument,
    Undo,
    Redo,
    /// Label the selection (or relabel the selected span) with the schema's i-th label.
    Label(usize),
    DeleteSpan,
    NextSpan,
    PrevSpan,
    /// Move the selected span's end one word (or character) right / left.
    GrowEnd,
    ShrinkEnd,
    /// Move the selected span's start one word (or character) left / right.
    GrowStart,
    ShrinkStart,
    ClearSelection,
    Find,
    FindNext,
    FindPrev,
    LabelAllMatches,
    ToggleSnap,
    ZoomIn,
    ZoomOut,
    ZoomReset,
    ToggleTheme,
    EditLabels,
    Preferences,
    ShowHelp,
    /// Selection keys handled by the article view (listed so help and the clash test see them).
    ExtendLeft,
    ExtendRight,
    ExtendWordLeft,
    ExtendWordRight,
    ExtendUp,
    ExtendDown,
    /// Review, comparison and adjudication (their keys fire only in their modes).
    Review(ReviewCommand),
}

const fn key(modifiers: Modifiers, logical_key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(modifiers, logical_key)
}

const NONE: Modifiers = Modifiers::NONE;
const CMD: Modifiers = Modifiers::COMMAND;
const SHIFT: Modifiers = Modifiers::SHIFT;
const CMD_SHIFT: Modifiers = Modifiers::COMMAND.plus(Modifiers::SHIFT);
const ALT_SHIFT: Modifiers = Modifiers::ALT.plus(Modifiers::SHIFT);
const ALT: Modifiers = Modifiers::ALT;

impl Command {
    /// Every command with a fixed meaning (label commands depend on the schema).
    pub const FIXED: [Command; 54] = [
        Command::Open,
        Command::OpenFolder,
        Command::OpenPath,
        Command::Save,
        Command::Export,
        Command::Quit,
        Command::NextDocument,
        Command::PrevDocument,
        Command::Undo,
        Command::Redo,
        Command::DeleteSpan,
        Command::NextSpan,
        Command::PrevSpan,
        Command::GrowEnd,
        Command::ShrinkEnd,
        Command::GrowStart,
        Command::ShrinkStart,
        Command::ClearSelection,
        Command::Find,
        Command::FindNext,
        Command::FindPrev,
        Command::LabelAllMatches,
        Command::ToggleSnap,
        Command::ZoomIn,
        Command::ZoomOut,
        Command::ZoomReset,
        Command::ToggleTheme,
        Command::EditLabels,
        Command::Preferences,
        Command::ShowHelp,
        Command::ExtendLeft,
        Command::ExtendRight,
        Command::ExtendWordLeft,
        Command::ExtendWordRight,
        Command::ExtendUp,
        Command::ExtendDown,
        Command::Review(ReviewCommand::ToggleReview),
        Command::Review(ReviewCommand::Adjudicate),
        Command::Review(ReviewCommand::Compare),
        Command::Review(ReviewCommand::CloseComparison),
        Command::Review(ReviewCommand::ShowAgreement),
        Command::Review(ReviewCommand::Accept),
        Command::Review(ReviewCommand::Reject),
        Command::Review(ReviewCommand::Edit),
        Command::Review(ReviewCommand::Comment),
        Command::Review(ReviewCommand::NextDifference),
        Command::Review(ReviewCommand::PrevDifference),
        Command::Review(ReviewCommand::Take(0)),
        Command::Review(ReviewCommand::Take(1)),
        Command::Review(ReviewCommand::Take(2)),
        Command::Review(ReviewCommand::Take(3)),
        Command::Review(ReviewCommand::TakeAll),
        Command::Review(ReviewCommand::TakeNone),
        Command::Review(ReviewCommand::TakeEdit),
    ];

    /// The menu and help text.
    pub fn text(&self) -> String {
        match self {
            Command::Open => "Open…".into(),
            Command::OpenFolder => "Open Folder…".into(),
            Command::OpenPath => "Open by Path…".into(),
            Command::Save => "Save".into(),
            Command::Export => "Export…".into(),
            Command::Quit => "Quit".into(),
            Command::NextDocument => "Next Document".into(),
            Command::PrevDocument => "Previous Document".into(),
            Command::Undo => "Undo".into(),
            Command::Redo => "Redo".into(),
            Command::Label(i) => format!("Label {}", i + 1),
            Command::DeleteSpan => "Delete Span".into(),
            Command::NextSpan => "Next Span".into(),
            Command::PrevSpan => "Previous Span".into(),
            Command::GrowEnd => "Extend Span End".into(),
            Command::ShrinkEnd => "Shrink Span End".into(),
            Command::GrowStart => "Extend Span Start".into(),
            Command::ShrinkStart => "Shrink Span Start".into(),
            Command::ClearSelection => "Clear Selection".into(),
            Command::Find => "Find…".into(),
            Command::FindNext => "Find Next".into(),
            Command::FindPrev => "Find Previous".into(),
            Command::LabelAllMatches => "Label All Matches".into(),
            Command::ToggleSnap => "Snap Selection to Words".into(),
            Command::ZoomIn => "Zoom In".into(),
            Command::ZoomOut => "Zoom Out".into(),
            Command::ZoomReset => "Actual Size".into(),
            Command::ToggleTheme => "Light/Dark Theme".into(),
            Command::EditLabels => "Edit Labels…".into(),
            Command::Preferences => "Preferences…".into(),
            Command::ShowHelp => "Keyboard Shortcuts".into(),
            Command::ExtendLeft => "Extend Selection by a Character Left".into(),
            Command::ExtendRight => "Extend Selection by a Character Right".into(),
            Command::ExtendWordLeft => "Extend Selection by a Word Left".into(),
            Command::ExtendWordRight => "Extend Selection by a Word Right".into(),
            Command::ExtendUp => "Extend Selection a Line Up".into(),
            Command::ExtendDown => "Extend Selection a Line Down".into(),
            Command::Review(c) => c.text(),
        }
    }

    /// A sentence for tooltips and the help window.
    pub fn tooltip(&self) -> &'static str {
        match self {
            Command::Open => "Open an article (.txt, .md, .html) or an annotation file",
            Command::OpenFolder => "Open a folder of articles and step through its documents",
            Command::OpenPath => {
                "Type the path of a file to open (when no file dialog is available)"
            }
            Command::Save => {
                "Save the annotations beside the article (the article is never changed)"
            }
            Command::Export => {
                "Export the document, or the open folder's documents, to JSONL, doccano, Label Studio, CoNLL, CSV, brat, W3C or native files"
            }
            Command::Quit => "Close Spanmark (asks about unsaved changes)",
            Command::NextDocument => "Open the next document of the folder",
            Command::PrevDocument => "Open the previous document of the folder",
            Command::Undo => "Undo the last change",
            Command::Redo => "Redo the change you undid",
            Command::Label(_) => {
                "Label the selected text, or relabel the selected span, with this label"
            }
            Command::DeleteSpan => "Remove the selected span",
            Command::NextSpan => "Select the next span in the text",
            Command::PrevSpan => "Select the previous span in the text",
            Command::GrowEnd => "Move the selected span's end to the right",
            Command::ShrinkEnd => "Move the selected span's end to the left",
            Command::GrowStart => "Move the selected span's start to the left",
            Command::ShrinkStart => "Move the selected span's start to the right",
            Command::ClearSelection => "Clear the text selection and the selected span",
            Command::Find => "Find text in the article",
            Command::FindNext => "Select the next match",
            Command::FindPrev => "Select the previous match",
            Command::LabelAllMatches => {
                "Label every match with the label chosen in the find bar, as one undoable step"
            }
            Command::ToggleSnap => {
                "When on, selections grow to whole words; when off, they keep character precision"
            }
            Command::ZoomIn => "Larger text",
            Command::ZoomOut => "Smaller text",
            Command::ZoomReset => "Text at its normal size",
            Command::ToggleTheme => "Switch between the light and the dark theme",
            Command::EditLabels => "Add, rename, recolour labels and change their hotkeys",
            Command::Preferences => "Your name and other settings",
            Command::ShowHelp => "Show every keyboard shortcut",
            Command::ExtendLeft | Command::ExtendRight => {
                "Move the selection's moving end by one character"
            }
            Command::ExtendWordLeft | Command::ExtendWordRight => {
                "Move the selection's moving end by one word"
            }
            Command::ExtendUp | Command::ExtendDown => {
                "Move the selection's moving end by one line"
            }
            Command::Review(c) => c.tooltip(),
        }
    }

    /// The default shortcuts, the first one shown in menus.
    pub fn shortcuts(&self) -> Vec<KeyboardShortcut> {
        match self {
            Command::Open => vec![key(CMD, Key::O)],
            Command::OpenFolder => vec![key(CMD_SHIFT, Key::O)],
            Command::OpenPath => vec![key(CMD, Key::L)],
            Command::Save => vec![key(CMD, Key::S)],
            Command::Export => vec![key(CMD_SHIFT, Key::E)],
            Command::Quit => vec![key(CMD, Key::Q)],
            Command::NextDocument => vec![key(CMD, Key::PageDown)],
            Command::PrevDocument => vec![key(CMD, Key::PageUp)],
            Command::Undo => vec![key(CMD, Key::Z)],
            Command::Redo => vec![key(CMD_SHIFT, Key::Z), key(CMD, Key::Y)],
            Command::Label(_) => Vec::new(),
            Command::DeleteSpan => vec![key(NONE, Key::Delete), key(NONE, Key::Backspace)],
            Command::NextSpan => vec![key(NONE, Key::Tab)],
            Command::PrevSpan => vec![key(SHIFT, Key::Tab)],
            Command::GrowEnd => vec![key(ALT_SHIFT, Key::ArrowRight)],
            Command::ShrinkEnd => vec![key(ALT_SHIFT, Key::ArrowLeft)],
            Command::GrowStart => vec![key(ALT_SHIFT, Key::ArrowUp)],
            Command::ShrinkStart => vec![key(ALT_SHIFT, Key::ArrowDown)],
            Command::ClearSelection => vec![key(NONE, Key::Escape)],
            Command::Find => vec![key(CMD, Key::F)],
            Command::FindNext => vec![key(NONE, Key::F3)],
            Command::FindPrev => vec![key(SHIFT, Key::F3)],
            Command::LabelAllMatches => vec![key(CMD_SHIFT, Key::Enter)],
            Command::ToggleSnap => vec![key(ALT, Key::W)],
            Command::ZoomIn => vec![key(CMD, Key::Equals), key(CMD, Key::Plus)],
            Command::ZoomOut => vec![key(CMD, Key::Minus)],
            Command::ZoomReset => vec![key(CMD, Key::Num0)],
            Command::ToggleTheme => vec![key(CMD_SHIFT, Key::T)],
            Command::EditLabels => vec![key(CMD_SHIFT, Key::L)],
            Command::Preferences => vec![key(CMD, Key::Comma)],
            Command::ShowHelp => vec![key(NONE, Key::F1), key(NONE, Key::Questionmark)],
            Command::ExtendLeft => vec![key(SHIFT, Key::ArrowLeft)],
            Command::ExtendRight => vec![key(SHIFT, Key::ArrowRight)],
            Command::ExtendWordLeft => vec![key(CMD_SHIFT, Key::ArrowLeft)],
            Command::ExtendWordRight => vec![key(CMD_SHIFT, Key::ArrowRight)],
            Command::ExtendUp => vec![key(SHIFT, Key::ArrowUp)],
            Command::ExtendDown => vec![key(SHIFT, Key::ArrowDown)],
            Command::Review(c) => c.shortcuts(),
        }
    }

    /// Whether the command's shortcuts are bare keys (no Ctrl/Alt) that must not fire while the
    /// user types in a text field.
    pub fn is_bare_key(&self) -> bool {
        self.shortcuts().iter().any(|s| {
            let function_key = matches!(
                s.logical_key,
                Key::F1 | Key::F2 | Key::F3 | Key::F4 | Key::F5 | Key::F6 | Key::F7 | Key::F8
            );
            !s.modifiers.command && !s.modifiers.ctrl && !s.modifiers.alt && !function_key
        })
    }

    /// Whether the command's shortcuts fire in `mode` (review keys only in their modes).
    pub fn active_in(&self, mode: Mode) -> bool {
        match self {
            Command::Review(c) => c.modes().contains(&mode),
            _ => true,
        }
    }

    /// Handled inside the article view, not by the app's key dispatch.
    pub fn is_view_key(&self) -> bool {
        matches!(
            self,
            Command::ExtendLeft
                | Command::ExtendRight
                | Command::ExtendWordLeft
                | Command::ExtendWordRight
                | Command::ExtendUp
                | Command::ExtendDown
        )
    }
}

/// The shortcut of a label hotkey (`'1'` → the 1 key).
pub fn hotkey_shortcut(hotkey: char) -> Option<KeyboardShortcut> {
    let name = hotkey.to_ascii_uppercase().to_string();
    Key::from_name(&name).map(|k| key(NONE, k))
}

/// Whether `pressed` (with these modifiers) is exactly `shortcut`: unlike egui's logical
/// matching, extra Shift or Alt do not match, so Ctrl+Shift+Z is not also Ctrl+Z. Keys that are
/// typed with Shift on most layouts (`?`, `+`) ignore Shift.
pub fn matches_exactly(shortcut: &KeyboardShortcut, key: Key, modifiers: Modifiers) -> bool {
    if shortcut.logical_key != key {
        return false;
    }
    let shifted_symbol = matches!(
        key,
        Key::Questionmark | Key::Plus | Key::Colon | Key::Exclamationmark
    );
    let command = modifiers.command || modifiers.ctrl;
    let wants_command = shortcut.modifiers.command || shortcut.modifiers.ctrl;
    command == wants_command
        && modifiers.alt == shortcut.modifiers.alt
        && (shifted_symbol || modifiers.shift == shortcut.modifiers.shift)
}

/// A shortcut as shown in menus: `Ctrl+Shift+Z`.
pub fn shortcut_text(shortcut: &KeyboardShortcut) -> String {
    let mut parts = Vec::new();
    if shortcut.modifiers.command || shortcut.modifiers.ctrl {
        parts.push("Ctrl".to_string());
    }
    if shortcut.modifiers.alt {
        parts.push("Alt".to_string());
    }
    if shortcut.modifiers.shift {
        parts.push("Shift".to_string());
    }
    parts.push(match shortcut.logical_key {
        Key::ArrowLeft => "Left".to_string(),
        Key::ArrowRight => "Right".to_string(),
        Key::ArrowUp => "Up".to_string(),
        Key::ArrowDown => "Down".to_string(),
        Key::Equals => "=".to_string(),
        Key::Plus => "+".to_string(),
        Key::Minus => "-".to_string(),
        Key::Comma => ",".to_string(),
        Key::Questionmark => "?".to_string(),
        k => k.symbol_or_name().to_string(),
    });
    parts.join("+")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Schema;

    #[test]
    fn no_two_commands_share_a_shortcut() {
        let mut all: Vec<(String, KeyboardShortcut)> = Vec::new();
        for command in Command::FIXED {
            for s in command.shortcuts() {
                all.push((command.text(), s));
            }
        }
        for def in Schema::default().labels() {
            let s = hotkey_shortcut(def.hotkey.unwrap()).unwrap();
            all.push((format!("label {}", def.name), s));
        }
        let modes = |name: &str| -> Vec<Mode> {
            Command::FIXED
                .iter()
                .find(|c| c.text() == name)
                .map_or(Mode::ALL.to_vec(), |c| {
                    Mode::ALL.into_iter().filter(|m| c.active_in(*m)).collect()
                })
        };
        for (i, (a, sa)) in all.iter().enumerate() {
            for (b, sb) in &all[i + 1..] {
                // Commands of different modes may share a key (a: accept / take A's).
                let (ma, mb) = (modes(a), modes(b));
                if !ma.iter().any(|m| mb.contains(m)) {
                    continue;
                }
                assert!(
                    !(matches_exactly(sa, sb.logical_key, sb.modifiers)
                        || matches_exactly(sb, sa.logical_key, sa.modifiers)),
                    "{a} and {b} share {}",
                    shortcut_text(sa)
                );
            }
        }
    }

    #[test]
    fn every_command_is_listed_once_with_text_and_tooltip() {
        for (i, c) in Command::FIXED.iter().enumerate() {
            assert!(!c.text().is_empty() && !c.tooltip().is_empty());
            assert!(!Command::FIXED[..i].contains(c), "{c:?} twice");
        }
    }

    #[test]
    fn exact_matching() {
        let undo = key(CMD, Key::Z);
        assert!(matches_exactly(&undo, Key::Z, Modifiers::COMMAND));
        assert!(!matches_exactly(&undo, Key::Z, CMD_SHIFT));
        assert!(!matches_exactly(&undo, Key::Z, Modifiers::NONE));
        let help = key(NONE, Key::Questionmark);
        assert!(matches_exactly(&help, Key::Questionmark, Modifiers::SHIFT));
        assert_eq!(shortcut_text(&key(CMD_SHIFT, Key::Z)), "Ctrl+Shift+Z");
        assert_eq!(hotkey_shortcut('3'), Some(key(NONE, Key::Num3)));
        assert_eq!(hotkey_shortcut('q'), Some(key(NONE, Key::Q)));
    }
}
