//! A line of a native file read straight through while it is exactly as Spanmark writes it:
//! its keys in the order written, one space after each `:` and `,`, numbers without sign,
//! fraction or leading zero, strings without raw control characters and with no escape but the
//! short ones and `\uXXXX` outside the surrogates. [`Cursor`] reads such a line piece by piece;
//! the codecs of the two lines a file has most of use it, a span's ([`super::span_line`]) and
//! a history entry's ([`super::history_line`]). Anything else (a key moved, a field unknown,
//! a `null`, a surrogate pair) gives `None`, and the line is read by serde as before: the
//! quick way only ever gives what serde gives for the same line (`quick_tests.rs` compares the
//! two on written lines and on lines broken at random).
//!
//! Why: serde's visitors read a field name, look it up and dispatch on it for each of the
//! fifteen fields of each span, and did so for a fifth of a CoNLL export's time; a span's or
//! entry's line read straight through takes about a third of that.

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::model::AuditValue;
use crate::model::audit_value::{relation_value, span_value, text_value};

/// How many bytes of `bytes` come before the first `"`, `\` or control character (all of
/// them when there is none), found eight bytes at a time.
fn plain_len(bytes: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // The high bit of each byte of `v` that is zero; bits above the lowest set one may be set
    // wrongly (a borrow), the lowest never is.
    let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS;
    let mut words = bytes.chunks_exact(8);
    let mut at = 0;
    for word in &mut words {
        let w = u64::from_le_bytes(word.try_into().unwrap_or_default());
        let found = zero(w ^ (ONES * u64::from(b'"')))
            | zero(w ^ (ONES * u64::from(b'\\')))
            // Below 0x20: subtracting 0x20 borrows, and the byte had no high bit.
            | (w.wrapping_sub(ONES * 0x20) & !w & HIGHS);
        if found != 0 {
            return at + (found.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    at + words
        .remainder()
        .iter()
        .position(|&b| matches!(b, b'"' | b'\\' | 0..0x20))
        .unwrap_or(words.remainder().len())
}

/// What is left of a line being read.
pub(super) struct Cursor<'a> {
    pub(super) rest: &'a str,
}

impl<'a> Cursor<'a> {
    /// Steps over `key` (with the punctuation around it) if the line goes on with it.
    pub(super) fn key(&mut self, key: &str) -> Option<()> {
        self.rest = self.rest.strip_prefix(key)?;
        Some(())
    }

    /// `key`, then a string.
    pub(super) fn string_at(&mut self, key: &str) -> Option<Cow<'a, str>> {
        self.key(key)?;
        self.string()
    }

    /// `key`, then a number.
    pub(super) fn number_at(&mut self, key: &str) -> Option<usize> {
        self.key(key)?;
        self.number()
    }

    /// An optional field: `Some(None)` when the line does not go on with `key`, `Some(Some(v))`
    /// with what `read` reads after it, `None` when `read` cannot.
    pub(super) fn optional<T>(
        &mut self,
        key: &str,
        read: impl FnOnce(&mut Self) -> Option<T>,
    ) -> Option<Option<T>> {
        match self.key(key) {
            Some(()) => read(self).map(Some),
            None => Some(None),
        }
    }

    /// The object's closing brace, ending the line.
    pub(super) fn close(&mut self) -> Option<()> {
        self.key("}")?;
        self.rest.is_empty().then_some(())
    }

    /// A string: borrowed from the line when it has no escape, as serde borrows it.
    pub(super) fn string(&mut self) -> Option<Cow<'a, str>> {
        let body = self.rest.strip_prefix('"')?;
        let i = plain_len(body.as_bytes());
        match body.as_bytes().get(i)? {
            b'"' => {
                self.rest = &body[i + 1..];
                Some(Cow::Borrowed(&body[..i]))
            }
            b'\\' => self.escaped(body, i).map(Cow::Owned),
            // serde_json refuses a raw control character in a string.
            _ => None,
        }
    }

    /// The rest of a string in `body` with an escape at byte `first`.
    fn escaped(&mut self, body: &'a str, first: usize) -> Option<String> {
        let bytes = body.as_bytes();
        let mut out = String::with_capacity(first + 16);
        let (mut i, mut copied) = (first, 0);
        loop {
            match *bytes.get(i)? {
                b'"' => {
                    out.push_str(&body[copied..i]);
                    self.rest = &body[i + 1..];
                    return Some(out);
                }
                b'\\' => {
                    out.push_str(&body[copied..i]);
                    let (c, len) = match *bytes.get(i + 1)? {
                        b'"' => ('"', 2),
                        b'\\' => ('\\', 2),
                        b'/' => ('/', 2),
                        b'b' => ('\u{8}', 2),
                        b'f' => ('\u{C}', 2),
                        b'n' => ('\n', 2),
                        b'r' => ('\r', 2),
                        b't' => ('\t', 2),
                        b'u' => {
                            let hex = body.get(i + 2..i + 6)?;
                            if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                                return None;
                            }
                            // A surrogate (half of a pair, or alone) is left to serde.
                            (char::from_u32(u32::from_str_radix(hex, 16).ok()?)?, 6)
                        }
                        _ => return None,
                    };
                    out.push(c);
                    i += len;
                    copied = i;
                }
                0..0x20 => return None,
                _ => i += 1,
            }
        }
    }

    /// A whole number from 0 that fits a `usize`, as serde reads one.
    pub(super) fn number(&mut self) -> Option<usize> {
        let bytes = self.rest.as_bytes();
        let mut n: usize = 0;
        let mut digits = 0;
        while let Some(&b) = bytes.get(digits).filter(|b| b.is_ascii_digit()) {
            n = n.checked_mul(10)?.checked_add(usize::from(b - b'0'))?;
            digits += 1;
        }
        // No digit, or a leading zero (serde refuses `01`).
        if digits == 0 || (digits > 1 && bytes[0] == b'0') {
            return None;
        }
        self.rest = &self.rest[digits..];
        Some(n)
    }

    /// One of `all`, by the name `name` gives it (serde's name for it; tests check).
    pub(super) fn name<T: Copy>(&mut self, all: &[T], name: fn(&T) -> &'static str) -> Option<T> {
        let written = self.string()?;
        all.iter().copied().find(|t| name(t) == written)
    }

    /// Free attributes: an object of strings, its keys in order (as a map is written), each
    /// once.
    pub(super) fn attrs(&mut self) -> Option<BTreeMap<String, String>> {
        self.key("{")?;
        let mut attrs = BTreeMap::new();
        let mut last: Option<Cow<'a, str>> = None;
        loop {
            let key = self.string()?;
            if last.as_ref().is_some_and(|last| *last >= key) {
                return None;
            }
            self.key(": ")?;
            let value = self.string()?;
            attrs.insert(key.to_string(), value.into_owned());
            last = Some(key);
            if self.key("}").is_some() {
                return Some(attrs);
            }
            self.key(", ")?;
        }
    }

    /// A history value: a span or relation snapshot, or a string (built as serde builds it).
    pub(super) fn value(&mut self) -> Option<AuditValue> {
        if self.rest.starts_with('"') {
            return Some(text_value(&self.string()?));
        }
        if self.key("{\"label\": ").is_some() {
            let label = self.string()?;
            let start = self.number_at(", \"start\": ")?;
            let end = self.number_at(", \"end\": ")?;
            let text = self.string_at(", \"text\": ")?;
            self.key("}")?;
            return Some(span_value(label, start, end, text));
        }
        let kind = self.string_at("{\"kind\": ")?;
        let from = self.string_at(", \"from\": ")?;
        let to = self.string_at(", \"to\": ")?;
        self.key("}")?;
        Some(relation_value(kind, from, to))
    }
}
