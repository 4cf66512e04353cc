//! The date finder's tokens: runs of letters, runs of digits, and single other characters,
//! each with its char range and whether whitespace comes before it. Dates are recognised over
//! these, so `p.m.` is `p` `.` `m` `.` with no gaps, and `2,000` is `2` `,` `000`.

/// What a token is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Word,
    Number,
    Punct,
}

/// One token of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token<'a> {
    pub kind: Kind,
    pub text: &'a str,
    /// Char offsets, end-exclusive.
    pub start: usize,
    pub end: usize,
    /// Whether whitespace separates it from the token before.
    pub gap: bool,
    /// Whether a line break is among that whitespace.
    pub line_break: bool,
}

impl Token<'_> {
    pub fn is(&self, s: &str) -> bool {
        self.text.eq_ignore_ascii_case(s)
    }

    pub fn number(&self) -> Option<u32> {
        if self.kind != Kind::Number || self.text.len() > 4 {
            return None;
        }
        self.text.parse().ok()
    }

    /// Capitalised (`Monday`) or all capitals (`MONDAY`, as in datelines).
    pub fn capitalised(&self) -> bool {
        let mut chars = self.text.chars();
        chars.next().is_some_and(char::is_uppercase)
            && (chars.clone().all(char::is_lowercase) || chars.all(char::is_uppercase))
    }
}

/// The tokens of `text`.
pub fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().enumerate().peekable();
    let mut gap = false;
    let mut line_break = false;
    while let Some((ci, (bi, c))) = chars.next() {
        if c.is_whitespace() {
            gap = true;
            line_break |= c == '\n' || c == '\r';
            continue;
        }
        let kind = if c.is_alphabetic() {
            Kind::Word
        } else if c.is_ascii_digit() {
            Kind::Number
        } else {
            Kind::Punct
        };
        let mut end_c = ci + 1;
        let mut end_b = bi + c.len_utf8();
        if kind != Kind::Punct {
            while let Some(&(_, (nb, n))) = chars.peek() {
                let same = match kind {
                    Kind::Word => n.is_alphabetic(),
                    _ => n.is_ascii_digit(),
                };
                if !same {
                    break;
                }
                end_c += 1;
                end_b = nb + n.len_utf8();
                chars.next();
            }
        }
        out.push(Token {
            kind,
            text: &text[bi..end_b],
            start: ci,
            end: end_c,
            gap,
            line_break,
        });
        gap = false;
        line_break = false;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_numbers_and_marks() {
        let t = tokens("At 8 p.m. on 2,000 —Müller");
        let texts: Vec<&str> = t.iter().map(|t| t.text).collect();
        assert_eq!(
            texts,
            [
                "At", "8", "p", ".", "m", ".", "on", "2", ",", "000", "—", "Müller"
            ]
        );
        assert!(!t[3].gap && t[6].gap);
        assert_eq!((t[11].start, t[11].end), (20, 26));
        assert_eq!(t[7].number(), Some(2));
    }
}
