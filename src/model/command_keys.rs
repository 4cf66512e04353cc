//! The bare keys the workbench's commands take in the modes where label keys work (review and
//! adjudication), so the core can tell, without the GUI, that a label key would be shadowed:
//! an imported schema leaves such a key unbound and says so. The GUI's command table is the
//! source; a test in `app::commands` checks that this list is what the table says.

/// `(key, the commands that take it)`, lower case; a label key is matched case-insensitively.
pub const COMMAND_KEYS: [(char, &str); 9] = [
    ('a', "Accept Span / Take Annotator A's"),
    ('b', "Take Annotator B's"),
    ('c', "Comment on Span / Take Annotator C's"),
    ('d', "Take Annotator D's"),
    ('e', "Accept and Edit Span / Keep Selected and Edit"),
    ('k', "Keep All Readings"),
    ('n', "Keep Neither"),
    ('r', "Start Relation / Reject Span"),
    ('v', "Set Attribute / Set Attribute / Set Attribute"),
];

/// The commands that take `key` where label keys work, if any.
pub fn command_of_key(key: char) -> Option<&'static str> {
    let key = key.to_ascii_lowercase();
    COMMAND_KEYS
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, name)| *name)
}
