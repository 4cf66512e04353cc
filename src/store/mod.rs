//! Everything that touches the disk: reading articles (encodings, `.txt`/`.md`/`.html`),
//! the native `.spanmark.json` file (load, validate, deterministic atomic save), opening an
//! article together with its annotations, re-anchoring spans onto a changed article. Nothing here imports egui.

pub mod article;
pub mod atomic;
pub mod folder;
pub mod guard;
pub mod hash;
pub mod html;
pub mod native;
pub mod open;
pub mod project;
pub mod reanchor;
pub mod recovery;
pub mod user;
