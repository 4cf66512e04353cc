//! spaCy / Prodigy match patterns, one JSON object a line: `{"label": "ORG", "pattern":
//! "Apple"}` (a phrase, found as the exact string at word boundaries) or `{"label": "GPE",
//! "pattern": [{"lower": "new"}, {"lower": "york"}]}` (tokens). A token pattern may use
//! `lower`, `orth`, `text` (a string), `is_digit`, `is_title` (true or false) and `op` (`?`, `+`,
//! `*`, at most [`MAX_REPEAT`] tokens); keys may be written in capitals as spaCy does
//! (`LOWER`). Anything else is refused by line and key rather than ignored. Matches are
//! leftmost-longest and do not overlap.
//!
//! Tokens are the word segments of the text (Unicode word boundaries) and each punctuation
//! character; whitespace separates them. Unlike spaCy, a possessive stays in its word
//! (`Lavrov's` is one token).

use std::collections::BTreeMap;

use serde_json::Value;
use unicode_segmentation::UnicodeSegmentation;

use super::matcher::Matcher;
use super::suggest::Proposal;
use crate::model::{CharRange, Label, Text};

/// How sure a pattern match is.
pub const SCORE: f32 = 0.85;
/// The most tokens one `+` or `*` token pattern takes: a span is a name or a phrase, and an
/// unbounded run (`[{"op": "*"}, {"op": "*"}]`) would cost time growing with a power of the
/// document's length.
pub const MAX_REPEAT: usize = 16;

/// What one token must be.
#[derive(Debug, Clone, PartialEq)]
enum Test {
    Lower(String),
    Orth(String),
    IsDigit(bool),
    IsTitle(bool),
}

/// How often a token pattern may repeat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    One,
    Optional,
    OneOrMore,
    Any,
}

#[derive(Debug, Clone, PartialEq)]
struct TokenPattern {
    tests: Vec<Test>,
    op: Op,
}

#[derive(Debug, Clone, PartialEq)]
struct TokenRule {
    label: Label,
    line: usize,
    tokens: Vec<TokenPattern>,
}

/// A set of patterns read from a file.
pub struct Patterns {
    /// The agent name (`patterns:<file name>`).
    pub agent: String,
    phrases: Vec<(String, Label, usize)>,
    phrase_matcher: Matcher,
    rules: Vec<TokenRule>,
}

/// A line that is not a pattern.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct LineError {
    pub line: usize,
    pub message: String,
}

fn token_pattern(v: &Value) -> Result<TokenPattern, String> {
    let Some(obj) = v.as_object() else {
        return Err(format!("a token pattern is an object, not {v}"));
    };
    let mut tests = Vec::new();
    let mut op = Op::One;
    for (key, value) in obj {
        let text = || {
            value
                .as_str()
                .map(str::to_string)
                .ok_or_else(|| format!("{key:?} takes a string, not {value}"))
        };
        let flag = || {
            value
                .as_bool()
                .ok_or_else(|| format!("{key:?} takes true or false, not {value}"))
        };
        match key.to_ascii_lowercase().as_str() {
            "lower" => tests.push(Test::Lower(text()?.to_lowercase())),
            "orth" | "text" => tests.push(Test::Orth(text()?)),
            "is_digit" => tests.push(Test::IsDigit(flag()?)),
            "is_title" => tests.push(Test::IsTitle(flag()?)),
            "op" => {
                op = match text()?.as_str() {
                    "?" => Op::Optional,
                    "+" => Op::OneOrMore,
                    "*" => Op::Any,
                    "1" => Op::One,
                    other => {
                        return Err(format!("op {other:?} is not supported (use ?, + or *)"));
                    }
                }
            }
            _ => {
                return Err(format!(
                    "token key {key:?} is not supported (use lower, orth, text, is_digit, is_title, op)"
                ));
            }
        }
    }
    Ok(TokenPattern { tests, op })
}

fn parse_line(raw: &str) -> Result<(Label, Result<String, Vec<TokenPattern>>), String> {
    let v: Value = serde_json::from_str(raw).map_err(|e| format!("not JSON: {e}"))?;
    let label = v
        .get("label")
        .and_then(Value::as_str)
        .ok_or("no \"label\" string")?;
    let label = Label::new(label).map_err(|e| e.to_string())?;
    match v.get("pattern") {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok((label, Ok(s.clone()))),
        Some(Value::Array(tokens)) if !tokens.is_empty() => {
            let tokens = tokens
                .iter()
                .map(token_pattern)
                .collect::<Result<Vec<_>, _>>()?;
            Ok((label, Err(tokens)))
        }
        _ => Err("\"pattern\" must be a non-empty string or a list of token patterns".into()),
    }
}

impl Patterns {
    /// The patterns in `source` (JSON lines), named `name`; every bad line is reported.
    pub fn parse(source: &str, name: &str) -> Result<Self, Vec<LineError>> {
        let mut phrases = Vec::new();
        let mut rules = Vec::new();
        let mut errors = Vec::new();
        for (i, raw) in source.lines().enumerate() {
            let line = i + 1;
            let raw = raw.trim().trim_start_matches('\u{feff}');
            if raw.is_empty() {
                continue;
            }
            match parse_line(raw) {
                Ok((label, Ok(phrase))) => phrases.push((phrase, label, line)),
                Ok((label, Err(tokens))) => rules.push(TokenRule {
                    label,
                    line,
                    tokens,
                }),
                Err(message) => errors.push(LineError { line, message }),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let phrase_matcher = Matcher::new(
            &phrases
                .iter()
                .map(|(p, _, _)| p.as_str())
                .collect::<Vec<_>>(),
            false,
        );
        Ok(Self {
            agent: format!("patterns:{name}"),
            phrases,
            phrase_matcher,
            rules,
        })
    }

    /// The matches in `text`, leftmost-longest, not overlapping.
    pub fn propose(&self, text: &Text) -> Vec<Proposal> {
        // (range, label, line) of every candidate.
        let mut all: Vec<(CharRange, &Label, usize)> = Vec::new();
        for hit in self.phrase_matcher.find(text) {
            for &i in &hit.entries {
                if let Some((_, label, line)) = self.phrases.get(i) {
                    all.push((hit.range, label, *line));
                }
            }
        }
        let tokens = tokens(text.as_str());
        for start in 0..tokens.len() {
            for rule in &self.rules {
                if let Some(end) = longest(&rule.tokens, &tokens, start)
                    && end > start
                    && let Some(range) =
                        CharRange::new(tokens[start].1.start().0, tokens[end - 1].1.end().0)
                {
                    all.push((range, &rule.label, rule.line));
                }
            }
        }
        all.sort_by(|a, b| {
            (a.0.start(), std::cmp::Reverse(a.0.end()), a.2).cmp(&(
                b.0.start(),
                std::cmp::Reverse(b.0.end()),
                b.2,
            ))
        });
        let mut out: Vec<Proposal> = Vec::new();
        let mut taken: Option<CharRange> = None;
        for (range, label, line) in all {
            match taken {
                Some(t) if t == range => {}
                Some(t) if range.start() < t.end() => continue,
                _ => taken = Some(range),
            }
            if out.iter().any(|p| p.range == range && &p.label == label) {
                continue;
            }
            out.push(Proposal {
                range,
                label: label.clone(),
                agent: self.agent.clone(),
                score: SCORE,
                why: Some(format!("{} line {line}", self.agent)),
                attrs: BTreeMap::new(),
            });
        }
        out
    }
}

/// The tokens of `s` with their char ranges: word segments and punctuation, not whitespace.
fn tokens(s: &str) -> Vec<(&str, CharRange)> {
    let mut out = Vec::new();
    let mut at = 0usize;
    for segment in s.split_word_bounds() {
        let n = segment.chars().count();
        if !segment.chars().all(char::is_whitespace)
            && let Some(r) = CharRange::new(at, at + n)
        {
            out.push((segment, r));
        }
        at += n;
    }
    out
}

fn passes(tests: &[Test], token: &str) -> bool {
    tests.iter().all(|t| match t {
        Test::Lower(l) => token.to_lowercase() == *l,
        Test::Orth(o) => token == o,
        Test::IsDigit(want) => token.chars().all(|c| c.is_ascii_digit()) == *want,
        Test::IsTitle(want) => {
            let mut c = token.chars();
            let title = c.next().is_some_and(char::is_uppercase)
                && c.all(|c| !c.is_alphabetic() || c.is_lowercase());
            title == *want
        }
    })
}

/// The furthest token index a match of `pats` from token `at` can reach, if any.
fn longest(pats: &[TokenPattern], tokens: &[(&str, CharRange)], at: usize) -> Option<usize> {
    let mut memo = std::collections::HashMap::new();
    furthest(pats, 0, tokens, at, &mut memo)
}

/// [`longest`] from token pattern `p` at token `at`, each pair worked out once (so repeats in a
/// row cost their product at most, not a power of it).
fn furthest(
    pats: &[TokenPattern],
    p: usize,
    tokens: &[(&str, CharRange)],
    at: usize,
    memo: &mut std::collections::HashMap<(usize, usize), Option<usize>>,
) -> Option<usize> {
    let Some(first) = pats.get(p) else {
        return Some(at);
    };
    if let Some(&known) = memo.get(&(p, at)) {
        return known;
    }
    let ok = |i: usize| tokens.get(i).is_some_and(|(t, _)| passes(&first.tests, t));
    let (min, max) = match first.op {
        Op::One => (1, 1),
        Op::Optional => (0, 1),
        Op::OneOrMore => (1, MAX_REPEAT),
        Op::Any => (0, MAX_REPEAT),
    };
    // How many tokens in a row from `at` pass this token pattern (up to `max`).
    let mut run = 0;
    while run < max && ok(at + run) {
        run += 1;
    }
    let best = if run < min {
        None
    } else {
        (min..=run)
            .rev()
            .filter_map(|n| furthest(pats, p + 1, tokens, at + n, memo))
            .max()
    };
    memo.insert((p, at), best);
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(patterns: &str, text: &str) -> Vec<(String, String)> {
        let t = Text::new(text.to_string());
        Patterns::parse(patterns, "p.jsonl")
            .unwrap()
            .propose(&t)
            .into_iter()
            .map(|p| (t.slice(p.range).unwrap().to_string(), p.label.to_string()))
            .collect()
    }

    #[test]
    fn phrases_and_token_patterns_leftmost_longest() {
        let patterns = r#"{"label": "actor", "pattern": "NATO"}
{"label": "place", "pattern": [{"LOWER": "new"}, {"lower": "york"}, {"lower": "city", "op": "?"}]}
{"label": "actor", "pattern": [{"is_title": true, "op": "+"}, {"orth": "Ministry"}]}
{"id": "x", "label": "money", "pattern": [{"orth": "$"}, {"is_digit": true}, {"lower": "million", "op": "*"}]}
"#;
        let text = "NATO met the Foreign Ministry in New York City and new york; $5 million, $7.";
        assert_eq!(
            found(patterns, text),
            [
                ("NATO".to_string(), "actor".to_string()),
                ("Foreign Ministry".to_string(), "actor".to_string()),
                ("New York City".to_string(), "place".to_string()),
                ("new york".to_string(), "place".to_string()),
                ("$5 million".to_string(), "money".to_string()),
                ("$7".to_string(), "money".to_string()),
            ]
        );
    }

    #[test]
    fn a_repeat_takes_at_most_max_repeat_tokens() {
        let words = vec!["Aa"; MAX_REPEAT + 5].join(" ");
        let found = found(
            r#"{"label": "x", "pattern": [{"is_title": true, "op": "+"}]}"#,
            &words,
        );
        // The first match takes MAX_REPEAT tokens; the rest of the run is the next match.
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].0.split(' ').count(), MAX_REPEAT);
        assert_eq!(found[1].0.split(' ').count(), 5);
    }

    #[test]
    fn unsupported_keys_and_bad_lines_are_refused_by_line() {
        let errors = Patterns::parse(
            "{\"label\": \"a\", \"pattern\": \"x\"}\n{\"label\": \"a\", \"pattern\": [{\"pos\": \"NOUN\"}]}\nnot json\n{\"pattern\": \"x\"}\n{\"label\": \"a\", \"pattern\": [{\"lower\": \"x\", \"op\": \"!\"}]}\n",
            "p.jsonl",
        )
        .err()
        .unwrap();
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [2, 3, 4, 5]);
        assert!(errors[0].message.contains("\"pos\""), "{}", errors[0]);
    }
}
