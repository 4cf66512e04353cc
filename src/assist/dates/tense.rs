//! Whether a bare weekday or month (no year, no `last`/`next`) is meant as the coming one, read
//! from the words before it in its clause, the way a reader takes it from the verb.
//!
//! The words are read backwards from the date, and the nearest cue decides:
//!
//! - **ahead**: a modal (`will`, `'ll`, `shall`, `would`, `could`, `might`, `must`, `should`,
//!   `can`, lower-case `may`), a word of plan or schedule (`due`, `scheduled`, `expected`,
//!   `slated`, `set for`/`set to`, `is to`, `going to`, `next`, `coming`, `upcoming`,
//!   `starting`), a verb of intent before `to` (`plans to`, `agreed to`, `vowed to`), a verb of
//!   timetable in the present (`Wimbledon starts on Monday`, `payments resume in October`),
//!   the present progressive (`leaders are meeting on Friday`), the present of `be` close
//!   before the date (`markets are closed on Friday`), or a verb of putting off right before
//!   `until`/`to`/`for` (`postponed until Friday`);
//! - **behind**: `was`, `were`, `had`, `did`, `could not`, `since`, `earlier`, an irregular
//!   past (`met`, `began`), a verb in `-ed`, or `said` or `told` close before the date. A
//!   participle after `be`, `been`, `is`, `has`, `stay`, `not` … is not a cue: the auxiliary
//!   further back is (`will be held on Monday`, `were postponed`, `will stay closed until`);
//! - **weakly ahead**: `until`, `till` or `by` just before the date, when nothing else in the
//!   clause speaks (`open until Sunday`; but `had voted by Sunday` is behind).
//!
//! The clause ends at the end of the sentence, at a line break, and at a word that opens another
//! clause (`that`, `which`, `who`, `because`, `but`, …, and a verb of saying further back than
//! three words: `he said talks in April`): in `he will argue that the vote on Sunday` the
//! `will` is not about Sunday. With no cue the date keeps its default.

use super::tokens::{Kind, Token};

/// How many words before the date are read.
const WINDOW: usize = 12;

/// Modals and words of plan or schedule.
const AHEAD: [&str; 25] = [
    "will",
    "wouldn",
    "shouldn",
    "ll",
    "shall",
    "would",
    "could",
    "might",
    "must",
    "should",
    "can",
    "due",
    "scheduled",
    "rescheduled",
    "expected",
    "expects",
    "expect",
    "slated",
    "planned",
    "upcoming",
    "coming",
    "next",
    "starting",
    "beginning",
    "effective",
];

/// Verbs of intent: before `to` they point ahead whatever their tense (`agreed to meet`).
const INTENT: [&str; 13] = [
    "plan", "agree", "want", "hope", "aim", "promise", "vow", "threaten", "intend", "decide",
    "prepare", "pledge", "expect",
];

/// Verbs of timetable in the present: the present of a planned event is its future
/// (`the summit opens on Monday`). Base forms only of verbs seldom used as nouns.
const TIMETABLE: [&str; 31] = [
    "starts", "begins", "begin", "opens", "reopens", "reopen", "closes", "ends", "resumes",
    "resume", "meets", "meet", "convenes", "convene", "returns", "arrives", "arrive", "expires",
    "expire", "kicks", "takes", "take", "holds", "hold", "goes", "go", "runs", "travels", "faces",
    "hosts", "heads",
];

/// Verbs of putting off: with `until`, `to` or `for` before the date they name the new, later
/// day (`was postponed until Friday`).
const PUT_OFF: [&str; 6] = ["postpon", "delay", "adjourn", "defer", "push", "extend"];

/// Auxiliaries and verbs of the past.
const BEHIND: [&str; 11] = [
    "was", "were", "had", "did", "wasn", "weren", "hadn", "didn", "couldn", "since", "earlier",
];

/// Irregular pasts (and participles), as news uses them.
const IRREGULAR_PAST: [&str; 54] = [
    "came", "went", "began", "met", "took", "gave", "held", "left", "won", "lost", "fell", "rose",
    "saw", "made", "spoke", "wrote", "ran", "got", "found", "became", "struck", "sent", "brought",
    "fought", "led", "paid", "sold", "kept", "stood", "broke", "flew", "grew", "knew", "threw",
    "chose", "fled", "spent", "built", "swore", "withdrew", "drew", "sought", "caught", "bought",
    "thought", "felt", "heard", "meant", "sank", "shook", "stole", "woke", "upheld", "overtook",
];

/// Words in `-ed` that are no past (`hundred`, `armed groups`).
const NOT_PAST: [&str; 10] = [
    "hundred", "united", "naked", "wicked", "sacred", "rugged", "beloved", "kindred", "armed",
    "alleged",
];

/// Words after which a participle is no past of its own: the auxiliary or linking verb before
/// it is the cue (`will be held`, `has been postponed`, `will stay closed`).
const CARRIERS: [&str; 20] = [
    "be", "been", "being", "is", "are", "am", "was", "were", "has", "have", "having", "had",
    "stay", "stays", "remain", "remains", "get", "gets", "become", "not",
];

/// Verbs of saying, which may open a reported clause.
const REPORTING: [&str; 8] = [
    "said", "says", "told", "tells", "added", "adds", "warned", "warns",
];

/// Words that open another clause: what comes before them is not the date's clause.
const BOUNDARIES: [&str; 10] = [
    "that", "which", "who", "whom", "whose", "because", "although", "though", "but", "while",
];

/// Prepositions that point ahead when nothing else in the clause speaks.
const WEAK_AHEAD: [&str; 3] = ["until", "till", "by"];

/// What one word says about the time of the clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cue {
    Ahead,
    Behind,
    WeaklyAhead,
    /// The clause starts after this word.
    Boundary,
}

/// What the clause before a date says of its time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tense {
    /// It speaks of what is to come.
    Ahead,
    /// It speaks of what is past.
    Behind,
    /// It does not say.
    Unmarked,
}

/// What the clause before token `date` says of its time.
pub fn tense_before(toks: &[Token<'_>], date: usize) -> Tense {
    let from = date.saturating_sub(WINDOW);
    let mut weakly = false;
    for j in (from..date).rev() {
        let Some(t) = toks.get(j) else { break };
        if sentence_ends(toks, j) {
            break;
        }
        match cue(toks, j, date) {
            Some(Cue::Ahead) => return Tense::Ahead,
            Some(Cue::Behind) => return Tense::Behind,
            Some(Cue::WeaklyAhead) => weakly = true,
            Some(Cue::Boundary) => break,
            None => {}
        }
        if t.line_break {
            break;
        }
    }
    if weakly {
        Tense::Ahead
    } else {
        Tense::Unmarked
    }
}

/// Whether the token at `j` ends a sentence: `!`, `?`, `;`, or a full stop not followed by a
/// lower-case word (`U.S. officials`, `p.m. on` go on).
fn sentence_ends(toks: &[Token<'_>], j: usize) -> bool {
    let Some(t) = toks.get(j) else { return true };
    if t.kind != Kind::Punct {
        return false;
    }
    match t.text {
        "!" | "?" | ";" => true,
        "." => !toks
            .get(j + 1)
            .is_some_and(|n| n.kind == Kind::Word && n.text.starts_with(char::is_lowercase)),
        _ => false,
    }
}

/// The cue of the word at `j`, read from a date at `date`.
fn cue(toks: &[Token<'_>], j: usize, date: usize) -> Option<Cue> {
    let t = toks.get(j).filter(|t| t.kind == Kind::Word)?;
    let w = t.text.to_lowercase();
    let w = w.as_str();
    let word_at = |k: usize| toks.get(k).map(|t| t.text.to_lowercase());
    let next_is = |s: &str| word_at(j + 1).is_some_and(|n| n == s);
    let before = j.checked_sub(1).and_then(&word_at);
    if BOUNDARIES.contains(&w) {
        return Some(Cue::Boundary);
    }
    // `May` with a capital is more often the month or a name than the modal.
    if w == "may" {
        return (t.text == "may").then_some(Cue::Ahead);
    }
    // `won't` is `will not`, not the past of `win`.
    let negated = toks
        .get(j + 1)
        .is_some_and(|a| !a.gap && (a.text == "'" || a.text == "\u{2019}"))
        && toks.get(j + 2).is_some_and(|n| !n.gap && n.is("t"));
    if w == "could" && next_is("not") {
        return Some(Cue::Behind);
    }
    if AHEAD.contains(&w) || (w == "won" && negated) {
        return Some(Cue::Ahead);
    }
    if (w == "set" && (next_is("for") || next_is("to")))
        || (["is", "are", "am", "going"].contains(&w) && next_is("to"))
        || (INTENT.iter().any(|v| w.starts_with(v)) && next_is("to"))
    {
        return Some(Cue::Ahead);
    }
    if TIMETABLE.contains(&w) {
        let did = before.is_some_and(|b| b == "did" || b == "didn");
        return Some(if did { Cue::Behind } else { Cue::Ahead });
    }
    let put_off_to = j + 1 < date
        && date
            .checked_sub(1)
            .and_then(&word_at)
            .is_some_and(|p| ["until", "till", "to", "for"].contains(&p.as_str()));
    if put_off_to && PUT_OFF.iter().any(|v| w.starts_with(v)) {
        return Some(Cue::Ahead);
    }
    // The present progressive of a planned event: `are meeting on Friday`.
    if w.len() > 4
        && w.ends_with("ing")
        && before
            .as_deref()
            .is_some_and(|b| ["is", "are", "am"].contains(&b))
    {
        return Some(Cue::Ahead);
    }
    if BEHIND.contains(&w) {
        return Some(Cue::Behind);
    }
    // A verb of saying close before the date is the date's verb (`said on Monday`); further
    // back it opens a reported clause (`said talks in April would`).
    if REPORTING.contains(&w) {
        if date - j > 3 {
            return Some(Cue::Boundary);
        }
        return (!w.ends_with('s')).then_some(Cue::Behind);
    }
    // The present of `be` with the date as its predicate: `markets are closed on Friday`,
    // `rain is forecast for Saturday`.
    if ["is", "are", "am"].contains(&w) && date - j <= 3 {
        return Some(Cue::Ahead);
    }
    let past = t.text.starts_with(char::is_lowercase)
        && (IRREGULAR_PAST.contains(&w)
            || (w.len() >= 5
                && w.ends_with("ed")
                && !w.ends_with("eed")
                && !NOT_PAST.contains(&w)));
    if past {
        let carried = before.as_deref().is_some_and(|b| CARRIERS.contains(&b));
        return (!carried).then_some(Cue::Behind);
    }
    if j + 1 == date && WEAK_AHEAD.contains(&w) {
        return Some(Cue::WeaklyAhead);
    }
    None
}
