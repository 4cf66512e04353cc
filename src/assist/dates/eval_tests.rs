//! The date finder judged on a labelled set of news sentences (`tests/fixtures/dates/news.txt`,
//! its format described at its top): detection F1 over exact spans, and the share of found
//! dates whose ISO value is right. Run with `--nocapture` to see the figures and the misses.

use time::Date;

use super::{find, parse_day};

/// One sentence: its document date, plain text and the labelled dates (char start, end, iso).
struct Sentence {
    doc: Date,
    text: String,
    dates: Vec<(usize, usize, String)>,
}

/// The sentences of the labelled set. Panics on a malformed line (test data).
fn sentences(source: &str) -> Vec<Sentence> {
    let mut doc = None;
    let mut out = Vec::new();
    for (n, line) in source.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(d) = line.strip_prefix("@ ") {
            doc = Some(parse_day(d.trim()).unwrap_or_else(|| panic!("line {}: bad date", n + 1)));
            continue;
        }
        let mut text = String::new();
        let mut dates = Vec::new();
        let mut rest = line;
        while let Some(open) = rest.find('[') {
            text.push_str(&rest[..open]);
            let close = rest[open..].find("]{").map(|c| open + c).expect("]{");
            let end = rest[close..].find('}').map(|c| close + c).expect("}");
            let start = text.chars().count();
            text.push_str(&rest[open + 1..close]);
            dates.push((
                start,
                text.chars().count(),
                rest[close + 2..end].to_string(),
            ));
            rest = &rest[end + 1..];
        }
        text.push_str(rest);
        out.push(Sentence {
            doc: doc.unwrap_or_else(|| panic!("line {}: no @ date before it", n + 1)),
            text,
            dates,
        });
    }
    out
}

/// Detection F1 and ISO accuracy on `set`, printed with the misses under `name`.
fn score(name: &str, set: &[Sentence]) -> (usize, usize, f64, f64) {
    let (mut tp, mut fp, mut fn_, mut iso_right) = (0usize, 0usize, 0usize, 0usize);
    let mut misses = Vec::new();
    let negatives = set.iter().filter(|s| s.dates.is_empty()).count();
    for s in set {
        let found: Vec<(usize, usize, String)> = find(&s.text, s.doc)
            .into_iter()
            .map(|f| (f.range.start().0, f.range.end().0, f.iso))
            .collect();
        let slice = |a: usize, b: usize| s.text.chars().skip(a).take(b - a).collect::<String>();
        for (a, b, iso) in &found {
            match s.dates.iter().find(|(ga, gb, _)| ga == a && gb == b) {
                Some((_, _, gold)) if gold == iso => {
                    tp += 1;
                    iso_right += 1;
                }
                Some((_, _, gold)) => {
                    tp += 1;
                    misses.push(format!(
                        "wrong iso {:?}: {iso}, not {gold} ({})",
                        slice(*a, *b),
                        s.doc
                    ));
                }
                None => {
                    fp += 1;
                    misses.push(format!(
                        "not a labelled date: {:?} = {iso} in {:?}",
                        slice(*a, *b),
                        s.text
                    ));
                }
            }
        }
        for (a, b, gold) in &s.dates {
            if !found.iter().any(|(fa, fb, _)| fa == a && fb == b) {
                fn_ += 1;
                misses.push(format!(
                    "missed {:?} ({gold}) in {:?}",
                    slice(*a, *b),
                    s.text
                ));
            }
        }
    }
    let labelled = tp + fn_;
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / labelled.max(1) as f64;
    let f1 = 2.0 * precision * recall / (precision + recall).max(f64::EPSILON);
    let iso = iso_right as f64 / tp.max(1) as f64;
    println!(
        "{name}: {} sentences ({negatives} without dates), {labelled} labelled dates; \
         precision {precision:.3}, recall {recall:.3}, F1 {f1:.3}; ISO right {iso_right}/{tp} = {iso:.3}",
        set.len()
    );
    for m in &misses {
        println!("  {m}");
    }
    (labelled, negatives, f1, iso)
}

#[test]
fn finds_the_labelled_news_dates_with_their_iso_values() {
    let set = sentences(include_str!("../../../tests/fixtures/dates/news.txt"));
    let (labelled, negatives, f1, iso) = score("dates (development set)", &set);
    assert!(labelled >= 150, "the set holds {labelled} dates");
    assert!(
        negatives >= 20,
        "the set holds {negatives} negative sentences"
    );
    assert!(f1 >= 0.95, "F1 {f1:.3}");
    assert!(iso >= 0.95, "ISO accuracy {iso:.3}");
}

/// The second set, written after the finder was first done and held out at first; its misses
/// were later used to tune the grammar (tense cues, weekends, days sharing a month), so it is
/// a second tuning set now, not a measure of unseen text. Its floors (0.97) sit a little under
/// what the finder reaches on it (F1 1.0, ISO 1.0 over 50 dates), so a slip back shows.
#[test]
fn keeps_what_the_second_tuning_set_reaches() {
    let set = sentences(include_str!("../../../tests/fixtures/dates/heldout.txt"));
    let (labelled, _, f1, iso) = score("dates (second tuning set)", &set);
    assert!(labelled >= 40, "the set holds {labelled} dates");
    assert!(f1 >= 0.97, "F1 {f1:.3}");
    assert!(iso >= 0.97, "ISO accuracy {iso:.3}");
}

/// The set written blind, after the finder and both other sets were done, never used to change
/// the finder: the figure that says how it does on news it was not built for.
#[test]
fn does_well_on_a_set_written_blind_to_it() {
    let set = sentences(include_str!("../../../tests/fixtures/dates/unseen.txt"));
    let (labelled, negatives, f1, iso) = score("dates (unseen set)", &set);
    assert!(labelled >= 80, "the set holds {labelled} dates");
    assert!(
        negatives >= 20,
        "the set holds {negatives} negative sentences"
    );
    // The targets; measured when the set was first run: F1 0.961, ISO right 85/87.
    assert!(f1 >= 0.95, "F1 {f1:.3}");
    assert!(iso >= 0.95, "ISO accuracy {iso:.3}");
}
