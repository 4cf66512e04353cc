//! Gazetteers: INCEpTION's TSV lists of `text<TAB>label`, one entry a line, `#` starting a
//! comment line. Each entry is found at word boundaries, in its case, leftmost-longest
//! ([`super::matcher`]); the agent is `gazetteer:<file name>` and `why` names the line.

use std::collections::BTreeMap;

use super::matcher::Matcher;
use super::suggest::Proposal;
use crate::model::{Label, Text};

/// How sure a gazetteer entry is.
pub const SCORE: f32 = 0.9;

/// One entry: the string, its label and the line it was read from (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub text: String,
    pub label: Label,
    pub line: usize,
}

/// A gazetteer read from a file.
pub struct Gazetteer {
    /// The agent name (`gazetteer:places.tsv`).
    pub agent: String,
    pub entries: Vec<Entry>,
    matcher: Matcher,
}

/// A line that is not an entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct LineError {
    pub line: usize,
    pub message: String,
}

impl Gazetteer {
    /// The gazetteer in `source`, named `name` (the file name); every bad line is reported.
    pub fn parse(source: &str, name: &str) -> Result<Self, Vec<LineError>> {
        let mut entries = Vec::new();
        let mut errors = Vec::new();
        for (i, raw) in source.lines().enumerate() {
            let line = i + 1;
            let raw = raw.strip_suffix('\r').unwrap_or(raw);
            let raw = if line == 1 {
                raw.trim_start_matches('\u{feff}')
            } else {
                raw
            };
            if raw.trim().is_empty() || raw.trim_start().starts_with('#') {
                continue;
            }
            let Some((text, label)) = raw.split_once('\t') else {
                errors.push(LineError {
                    line,
                    message: "no tab between the text and the label (write text<TAB>label)".into(),
                });
                continue;
            };
            let (text, label) = (text.trim(), label.trim());
            if text.is_empty() {
                errors.push(LineError {
                    line,
                    message: "the text is empty".into(),
                });
                continue;
            }
            match Label::new(label) {
                Ok(label) => entries.push(Entry {
                    text: text.to_string(),
                    label,
                    line,
                }),
                Err(e) => errors.push(LineError {
                    line,
                    message: e.to_string(),
                }),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let matcher = Matcher::new(
            &entries.iter().map(|e| e.text.as_str()).collect::<Vec<_>>(),
            false,
        );
        Ok(Self {
            agent: format!("gazetteer:{name}"),
            entries,
            matcher,
        })
    }

    /// The entries found in `text`.
    pub fn propose(&self, text: &Text) -> Vec<Proposal> {
        let mut out = Vec::new();
        for hit in self.matcher.find(text) {
            for entry in hit.entries.iter().filter_map(|&i| self.entries.get(i)) {
                out.push(Proposal {
                    range: hit.range,
                    label: entry.label.clone(),
                    agent: self.agent.clone(),
                    score: SCORE,
                    why: Some(format!("{} line {}", self.agent, entry.line)),
                    attrs: BTreeMap::new(),
                });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_found_as_whole_words_and_bad_lines_named() {
        let g = Gazetteer::parse(
            "# people and places\nSergei Lavrov\tactor\nLavrov\tactor\r\n\nMoscow\tplace\n",
            "ru.tsv",
        )
        .unwrap();
        assert_eq!(g.entries.len(), 3);
        let text = Text::new("Sergei Lavrov flew from Moscow; Lavrov spoke in Moscowland.".into());
        let found: Vec<(String, String, String)> = g
            .propose(&text)
            .into_iter()
            .map(|p| {
                (
                    text.slice(p.range).unwrap().to_string(),
                    p.label.to_string(),
                    p.why.unwrap(),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                (
                    "Sergei Lavrov".into(),
                    "actor".into(),
                    "gazetteer:ru.tsv line 2".into()
                ),
                (
                    "Moscow".into(),
                    "place".into(),
                    "gazetteer:ru.tsv line 5".into()
                ),
                (
                    "Lavrov".into(),
                    "actor".into(),
                    "gazetteer:ru.tsv line 3".into()
                ),
            ]
        );
        let errors = Gazetteer::parse("ok\tactor\nno tab here\n\tactor\nx\t  \n", "g.tsv")
            .err()
            .unwrap();
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [2, 3, 4]);
        assert!(errors[0].to_string().starts_with("line 2: no tab"));
    }
}
