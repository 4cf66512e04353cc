//! Writing HTML safely: every text from a file goes through [`esc`]; colours are checked hex.

use std::fmt::Write;

use crate::model::Rgb;

/// `s` with `& < > " '` escaped, for text and attribute values alike.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    push_esc(&mut out, s);
    out
}

/// Appends `s` escaped to `out`.
pub fn push_esc(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// `#rrggbb` of a colour (always six hex digits: safe inside a style attribute).
pub fn hex(c: Rgb) -> String {
    c.to_string()
}

/// Black or white, whichever reads better on `c`.
pub fn ink_on(c: Rgb) -> &'static str {
    let luma = 0.299 * f64::from(c.0) + 0.587 * f64::from(c.1) + 0.114 * f64::from(c.2);
    if luma > 150.0 { "#111" } else { "#fff" }
}

/// An id for an HTML anchor: letters, digits, `-` and `_` kept, everything else as `.XX`.
pub fn anchor(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                let _ = write!(out, ".{b:02X}");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            esc(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(anchor("s 1/é"), "s.201.2F.C3.A9");
    }
}
