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

/// Splits one `.ann` line into its id and what it says, or says why it cannot.
pub(super) fn parse_line(line: &str) -> Result<(&str, Item), String> {
    let (id, rest) = line
        .split_once('\t')
        .ok_or("no TAB after the annotation id")?;
    let words =
        |data: &str| -> Vec<String> { data.split_whitespace().map(str::to_string).collect() };
    let pair = |word: &str| -> Result<(String, String), String> {
        word.split_once(':')
            .filter(|(r, t)| !r.is_empty() && !t.is_empty())
            .map(|(r, t)| (r.to_string(), t.to_string()))
            .ok_or_else(|| format!("{word:?} is not ROLE:ID"))
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
                .ok_or("no offsets after the type")?;
            let mut fragments = Vec::new();
            for piece in offsets.split(';') {
                let numbers: Vec<&str> = piece.split_whitespace().collect();
                let [s, e] = numbers[..] else {
                    return Err(format!("{piece:?} is not START END"));
                };
                let parse = |n: &str| {
                    n.parse::<usize>()
                        .map_err(|_| format!("{n:?} is not an offset"))
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
                return Err("a relation is TYPE ROLE:ID ROLE:ID".into());
            };
            Item::Relation {
                kind: kind.clone(),
                args: vec![pair(a)?, pair(b)?],
            }
        }
        Some('E') => {
            let w = words(data);
            let (first, args) = w.split_first().ok_or("an event needs TYPE:TRIGGER")?;
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
                _ => return Err("an attribute is NAME ID [VALUE]".into()),
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
                return Err("a normalisation is TYPE ID DB:KEY".into());
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
                return Err("a note is TYPE ID<TAB>TEXT".into());
            };
            Item::Note {
                kind: kind.clone(),
                target: target.clone(),
                text: tail.unwrap_or("").to_string(),
            }
        }
        Some('*') => {
            let w = words(data);
            let (kind, members) = w.split_first().ok_or("an equivalence is TYPE ID ID…")?;
            if members.len() < 2 {
                return Err("an equivalence needs two ids or more".into());
            }
            Item::Equiv {
                kind: kind.clone(),
                members: members.to_vec(),
            }
        }
        _ => {
            return Err(format!(
                "unknown annotation id {id:?} (brat ids start with T, R, E, A, M, N, # or *)"
            ));
        }
    };
    if id.chars().any(char::is_whitespace) {
        return Err(format!("the id {id:?} holds a space"));
    }
    Ok((id, item))
}
