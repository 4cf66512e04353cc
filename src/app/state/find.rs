//! Find (Ctrl+F): the query, its matches in the article shown, the match last gone to, and the
//! label "Label all" uses. The find bar shows and edits the query through actions; F3, Enter
//! and "Label all" come here through the app's `apply`.

use crate::app::session::{Focus, Selection, Session};
use crate::model::CharRange;
use crate::model::search::{SearchOptions, find_all};

/// What is searched for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FindQuery {
    pub text: String,
    pub case_sensitive: bool,
    pub whole_word: bool,
}

impl FindQuery {
    /// `text`, ignoring case, anywhere in words.
    pub fn text(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            ..Self::default()
        }
    }
}

#[derive(Debug, Default)]
pub struct FindState {
    pub open: bool,
    pub query: FindQuery,
    /// The label "Label all" uses (index into the schema).
    pub label_index: usize,
    matches: Vec<CharRange>,
    /// What the matches were found for: the query and the session shown.
    found_for: Option<(FindQuery, u64)>,
    current: Option<usize>,
}

impl FindState {
    /// Forgets the matches (another document is shown).
    pub fn reset(&mut self) {
        self.matches.clear();
        self.found_for = None;
        self.current = None;
    }

    /// Finds the matches again when the query or the document changed.
    pub fn refresh(&mut self, session: &Session, shown: u64) {
        if self
            .found_for
            .as_ref()
            .is_some_and(|(q, s)| *q == self.query && *s == shown)
        {
            return;
        }
        let options = SearchOptions {
            case_sensitive: self.query.case_sensitive,
            whole_word: self.query.whole_word,
        };
        self.matches = find_all(session.doc().text(), &self.query.text, options);
        self.current = None;
        self.found_for = Some((self.query.clone(), shown));
    }

    pub fn matches(&self) -> &[CharRange] {
        &self.matches
    }

    /// The match last gone to.
    pub fn current(&self) -> Option<usize> {
        self.current
    }

    /// Selects the next (or previous) match after the selection, wrapping around.
    pub fn step(&mut self, session: &mut Session, shown: u64, forward: bool) {
        self.refresh(session, shown);
        if self.matches.is_empty() {
            session.complain(if self.query.text.is_empty() {
                format!(
                    "Type something to find ({})",
                    crate::app::commands::Command::Find.key_text()
                )
            } else {
                format!("'{}' is not in the article", self.query.text)
            });
            return;
        }
        let here = session
            .selection()
            .map(|s| s.range())
            .or_else(|| session.selected().map(|s| s.range));
        let n = self.matches.len();
        // A new query starts at the current match, as in browsers: a match at the selection's
        // start is found first. Stepping on with the same query goes past it.
        let fresh = self.current.is_none();
        let index = match (here, forward) {
            (Some(r), true) if fresh => self
                .matches
                .iter()
                .position(|m| m.start() >= r.start())
                .unwrap_or(0),
            (Some(r), true) => self
                .matches
                .iter()
                .position(|m| {
                    m.start() > r.start()
                        || (m.start() == r.start() && *m != r && m.end() > r.end())
                })
                .unwrap_or(0),
            (Some(r), false) => self
                .matches
                .iter()
                .rposition(|m| m.start() < r.start())
                .unwrap_or(n - 1),
            (None, true) => 0,
            (None, false) => n - 1,
        };
        let m = self.matches[index];
        self.current = Some(index);
        session.set_focus(Focus::Text(Selection::exact(m)));
        session.scroll_to(m.start());
        session.say(format!("Match {} of {n}", index + 1));
    }

    /// Labels every match with the chosen label, as one undoable step.
    pub fn label_all(&mut self, session: &mut Session, shown: u64, who: &str) {
        self.refresh(session, shown);
        let Some(label) = session
            .doc()
            .schema
            .labels()
            .get(self.label_index)
            .map(|d| d.name.clone())
        else {
            return;
        };
        if self.matches.is_empty() {
            self.step(session, shown, true);
            return;
        }
        let matches = self.matches.clone();
        let query = self.query.text.clone();
        session.label_all(&matches, &label, &query, who);
    }
}
