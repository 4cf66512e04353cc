//! Loading a native file whole, in any layout: the version gate, one parse of the whole file
//! into the shapes of [`super::file`], then every invariant checked ([`super::check`],
//! [`super::span_line`]) with every problem reported by its span id.
//!
//! A file on disk, and an export's bytes in memory, are read line by line instead
//! ([`super::stream`]) while they are in the layout Spanmark writes, and given to
//! [`from_bytes`] as soon as they are not: both ways make the same calls of the checker with
//! the same values, in the same order, so they give the same document and every message the
//! same. Line by line, a span's and a history entry's line are read the quick way
//! ([`super::quick`]). Here bytes are parsed whole: the fallback, and what tests compare with.

use std::path::Path;

use super::check::{Checker, HistoryUse, problem};
use super::file::{NativeFile, Probe};
use super::{FORMAT, Loaded, NativeError, VERSION};

/// Reads and checks the native file at `path`, streaming (see [`super::load_streaming`]).
pub fn load(path: &Path) -> Result<Loaded, NativeError> {
    super::load_streaming(path, &mut |_| Ok(())).map(|(loaded, _)| loaded)
}

/// Parses and checks native-file bytes, in any layout; `path` is only used in messages.
pub fn from_bytes(path: &Path, bytes: &[u8]) -> Result<Loaded, NativeError> {
    from_bytes_with(path, bytes, HistoryUse::Verify)
}

/// [`from_bytes`], doing with the history what `history` says. The spans, relations, text
/// digest and every entry of the history are checked whatever it says.
pub fn from_bytes_with(
    path: &Path,
    bytes: &[u8],
    history: HistoryUse,
) -> Result<Loaded, NativeError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(NativeError::Empty {
            path: path.to_path_buf(),
        });
    }
    let json_error = |e: serde_json::Error| NativeError::Json {
        path: path.to_path_buf(),
        line: e.line(),
        column: e.column(),
        message: strip_position(&e.to_string()),
    };
    // Anything but an object: say what the file holds (not serde's "expected struct …").
    let what = match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') | None => None,
        Some(b'[') => Some("an array"),
        Some(b'"') => Some("a string"),
        Some(b'-' | b'0'..=b'9') => Some("a number"),
        Some(b't' | b'f') => Some("true or false"),
        Some(b'n') => Some("null"),
        Some(_) => None,
    };
    if let Some(what) = what {
        // Bytes that are not JSON at all are reported as such, with their position.
        serde_json::from_slice::<serde::de::IgnoredAny>(bytes).map_err(json_error)?;
        return Err(NativeError::NotSpanmark {
            path: path.to_path_buf(),
            found: format!("missing: the file holds JSON {what}, not an object"),
        });
    }
    // One parse of the whole file. When it fails, the version gate decides the message first,
    // so a newer file is refused for what it is, not for fields this build does not know.
    // Checking UTF-8 once for the whole file is much faster than serde_json checking each
    // string; invalid bytes are left to `from_slice`, which says where they are.
    // A reader that drops the history has its entries' values checked, not built.
    let parse = || match simdutf8::basic::from_utf8(bytes) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(bytes),
    };
    let parsed = match history {
        HistoryUse::Check => crate::model::audit_value::checking_only(parse),
        HistoryUse::Verify | HistoryUse::Keep => parse(),
    };
    let file: NativeFile = match parsed {
        Ok(file) => file,
        Err(e) => {
            let probe: Probe = serde_json::from_slice(bytes).map_err(json_error)?;
            gate(path, probe.format.as_ref(), probe.version.as_ref())?;
            return Err(json_error(e));
        }
    };
    gate(
        path,
        Some(&serde_json::Value::from(file.format.as_str())),
        Some(&serde_json::Value::from(file.version)),
    )?;
    let mut checker = Checker::default();
    let (doc, links) = checker.document(file, history);
    checker.loaded(path, doc, links)
}

/// The format and version gate: a file that is not Spanmark's, or from a newer version, is
/// refused for that.
pub(super) fn gate(
    path: &Path,
    format: Option<&serde_json::Value>,
    version: Option<&serde_json::Value>,
) -> Result<(), NativeError> {
    match format {
        Some(serde_json::Value::String(f)) if f == FORMAT => {}
        other => {
            return Err(NativeError::NotSpanmark {
                path: path.to_path_buf(),
                found: other.map_or_else(|| "missing".to_string(), ToString::to_string),
            });
        }
    }
    match version.and_then(serde_json::Value::as_u64) {
        Some(v) if v > u64::from(VERSION) => Err(NativeError::NewerVersion {
            path: path.to_path_buf(),
            found: v.to_string(),
            supported: VERSION,
        }),
        Some(v) if v >= 1 => Ok(()),
        _ => {
            let found = version.map_or_else(|| "missing".to_string(), ToString::to_string);
            Err(NativeError::Invalid {
                path: path.to_path_buf(),
                problems: vec![problem(
                    None,
                    format!("\"version\" is {found}; expected a whole number from 1 to {VERSION}"),
                )],
            })
        }
    }
}

/// serde_json appends " at line L column C"; we report the position in fields of our own.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}
