//! Shortcuts: matching a key press exactly, and naming keys the way menus and messages show
//! them (`Ctrl+Shift+Z`). Every key name the app shows comes from here.

use egui::{Key, KeyboardShortcut, Modifiers};

pub const NONE: Modifiers = Modifiers::NONE;
pub const CMD: Modifiers = Modifiers::COMMAND;
pub const SHIFT: Modifiers = Modifiers::SHIFT;
pub const ALT: Modifiers = Modifiers::ALT;
pub const CMD_SHIFT: Modifiers = Modifiers::COMMAND.plus(Modifiers::SHIFT);
pub const ALT_SHIFT: Modifiers = Modifiers::ALT.plus(Modifiers::SHIFT);

/// A shortcut, for the command table.
pub const fn key(modifiers: Modifiers, logical_key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(modifiers, logical_key)
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

/// Whether two shortcuts can be the same key press.
pub fn same_press(a: &KeyboardShortcut, b: &KeyboardShortcut) -> bool {
    matches_exactly(a, b.logical_key, b.modifiers) || matches_exactly(b, a.logical_key, a.modifiers)
}

/// Whether the shortcut is a bare key (no Ctrl or Alt, not a function key), which must not
/// fire while the user types in a text field.
pub fn is_bare(shortcut: &KeyboardShortcut) -> bool {
    let function_key = matches!(
        shortcut.logical_key,
        Key::F1 | Key::F2 | Key::F3 | Key::F4 | Key::F5 | Key::F6 | Key::F7 | Key::F8
    );
    let m = shortcut.modifiers;
    !m.command && !m.ctrl && !m.alt && !function_key
}

/// A shortcut as menus show it: `Ctrl+Shift+Z`.
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
        // A bare letter is shown as typed: `a`, not `A`.
        k if is_bare(shortcut) && k.name().len() == 1 => k.name().to_ascii_lowercase(),
        k => k.symbol_or_name().to_string(),
    });
    parts.join("+")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_matching_and_names() {
        let undo = key(CMD, Key::Z);
        assert!(matches_exactly(&undo, Key::Z, Modifiers::COMMAND));
        assert!(!matches_exactly(&undo, Key::Z, CMD_SHIFT));
        assert!(!matches_exactly(&undo, Key::Z, Modifiers::NONE));
        let help = key(NONE, Key::Questionmark);
        assert!(matches_exactly(&help, Key::Questionmark, Modifiers::SHIFT));
        assert_eq!(shortcut_text(&key(CMD_SHIFT, Key::Z)), "Ctrl+Shift+Z");
        assert_eq!(shortcut_text(&key(NONE, Key::A)), "a");
        assert_eq!(shortcut_text(&key(SHIFT, Key::Tab)), "Shift+Tab");
        assert_eq!(shortcut_text(&key(NONE, Key::F3)), "F3");
        assert_eq!(hotkey_shortcut('3'), Some(key(NONE, Key::Num3)));
        assert_eq!(hotkey_shortcut('q'), Some(key(NONE, Key::Q)));
        assert!(is_bare(&key(NONE, Key::Delete)) && !is_bare(&key(NONE, Key::F1)));
    }
}
