//! The `.ann` line syntax: `ID<TAB>DATA[<TAB>TEXT]`, one annotation per line.

/// One parsed `.ann` line.
pub(super) enum Item {
    Text {
        label: String,
        fragments: Vec<(usize, usize)>,
        text: Option<String>,
    },
    Relation {
        kind: String,
        args: Vec<(String, String)>,
    },
    Event {
        kind: String,
        trigger: String,
        args: Vec<(String, String)>,
    },
    Attribute {
        name: String,
        target: String,
        value: Option<String>,
    },
    Normalization {
        kind: String,
        target: String,
        reference: String,
        text: Option<String>,
    },
    Note {
        kind: String,
        target: String,
        text: String,
    },
    Equiv {
        kind: String,
        members: Vec<String>,
    },
}

pub(super) struct Line {
    /// 1-based, for messages.
    pub no: usize,
    pub id: String,
    pub item: Item,
}

/// Why a `.ann` line cannot be read: what it should have been.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LineError {
    #[error("no TAB after the annotation id")]
    NoTab,
    #[error("{0:?} is not ROLE:ID")]
    NotAnArgument(String),
    #[error("no offsets after the type")]
    NoOffsets,
    #[error("{0:?} is not START END")]
    NotAPiece(String),
    #[error("{0:?} is not an offset")]
    NotAnOffset(String),
    /// The line of a kind (`R`, `E`, …) does not have that kind's shape, given here.
    #[error("{0}")]
    Shape(&'static str),
    #[error("unknown annotation id {0:?} (brat ids start with T, R, E, A, M, N, # or *)")]
    UnknownId(String),
    #[error("the id {0:?} holds a space")]
    SpaceInId(String),
}

/// Splits one `.ann` line into its id and what it says, or says why it cannot.
pub(super) fn parse_line(line: &str) -> Result<(&str, Item), LineError> {
    let (id, rest) = line.split_once('\t').ok_or(LineError::NoTab)?;
    let words =
        |data: &str| -> Vec<String> { data.split_whitespace().map(str::to_string).collect() };
    let pair = |word: &str| -> Result<(String, String), LineError> {
        word.split_once(':')
            .filter(|(r, t)| !r.is_empty() && !t.is_empty())
            .map(|(r, t)| (r.to_string(), t.to_string()))
            .ok_or_else(|| LineError::NotAnArgument(word.to_string()))
    };
    let (data, tail) = match rest.split_once('\t') {
        Some((d, t)) => (d, Some(t)),
        None => (rest, None),
    };
    let item = match id.chars().next() {
        Some('T') => {
            let (label, offsets) = data
                .trim_start()
                .split_once(' ')
                .ok_or(LineError::NoOffsets)?;
            let mut fragments = Vec::new();
            for piece in offsets.split(';') {
                let numbers: Vec<&str> = piece.split_whitespace().collect();
                let [s, e] = numbers[..] else {
                    return Err(LineError::NotAPiece(piece.to_string()));
                };
                let parse = |n: &str| {
                    n.parse::<usize>()
                        .map_err(|_| LineError::NotAnOffset(n.to_string()))
                };
                fragments.push((parse(s)?, parse(e)?));
            }
            Item::Text {
                label: label.to_string(),
                fragments,
                text: tail.map(str::to_string),
            }
        }
        Some('R') => {
            let w = words(data);
            let [kind, a, b] = &w[..] else {
                return Err(LineError::Shape("a relation is TYPE ROLE:ID ROLE:ID"));
            };
            Item::Relation {
                kind: kind.clone(),
                args: vec![pair(a)?, pair(b)?],
            }
        }
        Some('E') => {
            let w = words(data);
            let (first, args) = w
                .split_first()
                .ok_or(LineError::Shape("an event needs TYPE:TRIGGER"))?;
            let (kind, trigger) = pair(first)?;
            Item::Event {
                kind,
                trigger,
                args: args.iter().map(|a| pair(a)).collect::<Result<_, _>>()?,
            }
        }
        Some('A' | 'M') => {
            let w = words(data);
            let (name, target, value) = match &w[..] {
                [n, t] => (n, t, None),
                [n, t, v] => (n, t, Some(v.clone())),
                _ => return Err(LineError::Shape("an attribute is NAME ID [VALUE]")),
            };
            Item::Attribute {
                name: name.clone(),
                target: target.clone(),
                value,
            }
        }
        Some('N') => {
            let w = words(data);
            let [kind, target, reference] = &w[..] else {
                return Err(LineError::Shape("a normalisation is TYPE ID DB:KEY"));
            };
            Item::Normalization {
                kind: kind.clone(),
                target: target.clone(),
                reference: reference.clone(),
                text: tail.map(str::to_string),
            }
        }
        Some('#') => {
            let w = words(data);
            let [kind, target] = &w[..] else {
                return Err(LineError::Shape("a note is TYPE ID<TAB>TEXT"));
            };
            Item::Note {
                kind: kind.clone(),
                target: target.clone(),
                text: tail.unwrap_or("").to_string(),
            }
        }
        Some('*') => {
            let w = words(data);
            let (kind, members) = w
                .split_first()
                .ok_or(LineError::Shape("an equivalence is TYPE ID ID…"))?;
            if members.len() < 2 {
                return Err(LineError::Shape("an equivalence needs two ids or more"));
            }
            Item::Equiv {
                kind: kind.clone(),
                members: members.to_vec(),
            }
        }
        _ => {
            return Err(LineError::UnknownId(id.to_string()));
        }
    };
    if id.chars().any(char::is_whitespace) {
        return Err(LineError::SpaceInId(id.to_string()));
    }
    Ok((id, item))
}
