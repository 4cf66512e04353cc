use time::macros::date;

use super::*;

/// `(text found, iso)` for each date in `text`.
fn dates(text: &str, doc: Date) -> Vec<(String, String)> {
    find(text, doc)
        .into_iter()
        .map(|f| {
            let s: String = text
                .chars()
                .skip(f.range.start().0)
                .take(f.range.len())
                .collect();
            (s, f.iso)
        })
        .collect()
}

fn one(text: &str, doc: Date) -> (String, String) {
    let all = dates(text, doc);
    assert_eq!(all.len(), 1, "{text}: {all:?}");
    all.into_iter().next().unwrap()
}

#[test]
fn absolute_dates_at_their_granularity() {
    let doc = date!(2021 - 10 - 19);
    for (text, found, iso) in [
        (
            "Lavrov spoke on Oct. 18 in Moscow.",
            "Oct. 18",
            "2021-10-18",
        ),
        (
            "It was signed on 18 October 2021.",
            "18 October 2021",
            "2021-10-18",
        ),
        (
            "The filing, dated 2021-10-18, said",
            "2021-10-18",
            "2021-10-18",
        ),
        (
            "The order of 12/02/2017 stands.",
            "12/02/2017",
            "2017-12-02",
        ),
        ("Polls close on November 1.", "November 1", "2021-11-01"),
        (
            "It began on October 18, 2019, in Kyiv.",
            "October 18, 2019",
            "2019-10-18",
        ),
        (
            "By the 5th of November the talks",
            "5th of November",
            "2021-11-05",
        ),
        (
            "Output fell in September 2020.",
            "September 2020",
            "2020-09",
        ),
        ("Prices rose in September.", "September", "2021-09"),
        ("Troops were sent in 2014.", "2014", "2014"),
        ("Sept. 30 was the deadline.", "Sept. 30", "2021-09-30"),
    ] {
        assert_eq!(
            one(text, doc),
            (found.to_string(), iso.to_string()),
            "{text}"
        );
    }
}

#[test]
fn a_weekday_fixes_the_year_and_a_time_narrows_the_day() {
    let doc = date!(2021 - 10 - 19);
    assert_eq!(
        one("He spoke on Monday (Oct. 18) in Brussels.", doc),
        ("Monday (Oct. 18)".into(), "2021-10-18".into())
    );
    // 3 November 2020 was a Tuesday: the year comes from the weekday, not the document.
    assert_eq!(
        one(
            "Polls close at 8 p.m. on Tuesday, Nov. 3, officials said.",
            doc
        ),
        (
            "8 p.m. on Tuesday, Nov. 3".into(),
            "2020-11-03T20:00".into()
        )
    );
    assert_eq!(
        one("They met Tuesday at 10:30 a.m. in Geneva.", doc),
        ("Tuesday at 10:30 a.m.".into(), "2021-10-19T10:30".into())
    );
}

#[test]
fn relative_dates_count_from_the_document_date() {
    let doc = date!(2021 - 10 - 19); // a Tuesday, ISO week 42
    for (text, found, iso) in [
        (
            "The minister resigned yesterday.",
            "yesterday",
            "2021-10-18",
        ),
        ("Protesters gathered on Sunday.", "Sunday", "2021-10-17"),
        ("The summit will open on Friday.", "Friday", "2021-10-22"),
        (
            "Sanctions were announced last week.",
            "last week",
            "2021-W41",
        ),
        ("Talks resume next week.", "next week", "2021-W43"),
        ("Inflation rose this month.", "this month", "2021-10"),
        ("Exports fell last year.", "last year", "2020"),
        (
            "The deal was struck three days ago.",
            "three days ago",
            "2021-10-16",
        ),
        ("He left last Tuesday.", "last Tuesday", "2021-10-12"),
    ] {
        assert_eq!(
            one(text, doc),
            (found.to_string(), iso.to_string()),
            "{text}"
        );
    }
}

#[test]
fn numbers_and_names_that_are_not_dates() {
    let doc = date!(2021 - 10 - 19);
    for text in [
        "Traffic on Route 66 was heavy.",
        "Theresa May said the vote would go ahead.",
        "Some 2,000 troops were moved to the border.",
        "Section 230 protects platforms.",
        "The march on the capital was peaceful.",
        "He paid $2021 for it.",
        "The 2021-22 season starts soon.",
        "Turnout was 18.5 per cent.",
    ] {
        assert_eq!(dates(text, doc), Vec::<(String, String)>::new(), "{text}");
    }
}

#[test]
fn ambiguous_numeric_dates_take_the_reading_nearest_the_document() {
    assert_eq!(
        one("Filed 03/04/2021.", date!(2021 - 04 - 02)).1,
        "2021-04-03"
    );
    assert_eq!(
        one("Filed 03/04/2021.", date!(2021 - 03 - 05)).1,
        "2021-03-04"
    );
    assert_eq!(
        one("Filed 25/12/2020.", date!(2021 - 06 - 01)).1,
        "2020-12-25"
    );
}

#[test]
fn offsets_are_chars() {
    let text = "Zürich — Müller spoke on Oct. 18.";
    let f = find(text, date!(2021 - 10 - 19));
    assert_eq!(f.len(), 1);
    assert_eq!((f[0].range.start().0, f[0].range.end().0), (25, 32));
}

#[test]
fn the_document_date_comes_from_the_first_source_that_has_one() {
    let mut meta = BTreeMap::new();
    let text = "WASHINGTON, Oct. 18, 2021 (Reuters) - Officials said on Monday";
    let mtime = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_600_000_000);
    assert_eq!(
        document_date(None, &meta, text, Some(mtime)),
        Some((date!(2021 - 10 - 18), DateSource::Dateline))
    );
    meta.insert(
        "published".into(),
        serde_json::json!("2021-10-20T08:00:00Z"),
    );
    assert_eq!(
        document_date(None, &meta, text, None),
        Some((date!(2021 - 10 - 20), DateSource::Meta("published".into())))
    );
    let nested = BTreeMap::from([(
        "label_studio".to_string(),
        serde_json::json!({"data": {"datePublished": "2019-07-05"}}),
    )]);
    assert_eq!(
        document_date(None, &nested, text, None),
        Some((
            date!(2019 - 07 - 05),
            DateSource::Meta("label_studio.data.datePublished".into())
        ))
    );
    assert_eq!(
        document_date(Some(date!(2022 - 01 - 01)), &meta, text, None),
        Some((date!(2022 - 01 - 01), DateSource::Given))
    );
    assert_eq!(
        document_date(None, &BTreeMap::new(), "No date here.", Some(mtime)),
        Some((date!(2020 - 09 - 13), DateSource::FileTime))
    );
}

mod properties {
    use proptest::prelude::*;
    use time::macros::date;

    use super::super::find;
    use crate::model::iso;

    /// Words that make dates and near-dates, joined by spaces and punctuation.
    fn newsish() -> impl Strategy<Value = String> {
        let words = prop::sample::select(vec![
            "Monday", "(", ")", "Oct.", "18", "2021", "-", "/", "12", "02", "last", "week", "in",
            "May", "Theresa", "on", "8", "p.m.", "at", "noon", ",", "3", "days", "ago", "Sept",
            "31", "February", "29", "2023", "W", "é", "\r\n", "2,000", "Route", "66", "next",
            "month", "year", "this", "1999", "00", "99", ":", "45",
        ]);
        prop::collection::vec((words, prop::bool::ANY), 0..30).prop_map(|ws| {
            ws.into_iter()
                .map(|(w, space)| {
                    if space {
                        format!("{w} ")
                    } else {
                        w.to_string()
                    }
                })
                .collect()
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Whatever the text: dates in order, not overlapping, inside the text, each with an
        /// ISO value the calendar check accepts.
        #[test]
        fn every_date_found_is_in_the_text_in_order_with_a_valid_iso(
            text in newsish(),
            days in -20_000i64..20_000,
        ) {
            let doc = date!(2021 - 10 - 19)
                .checked_add(time::Duration::days(days))
                .unwrap_or(date!(2021 - 10 - 19));
            let found = find(&text, doc);
            let len = text.chars().count();
            let mut last_end = 0;
            for f in &found {
                prop_assert!(f.range.start().0 >= last_end, "{text:?}: {found:?}");
                prop_assert!(f.range.end().0 <= len && !f.range.is_empty());
                prop_assert!(iso::check(&f.iso).is_ok(), "{:?} in {text:?}", f.iso);
                last_end = f.range.end().0;
            }
        }

        /// Any string at all: no panic.
        #[test]
        fn any_text_is_safe(text in any::<String>()) {
            let _ = find(&text, date!(2021 - 10 - 19));
        }
    }
}

/// A text of `paragraphs` copies of a paragraph holding two dates.
fn long_text(paragraphs: usize) -> String {
    "Lavrov spoke on Monday (Oct. 18) and NATO answered on Oct. 19 in Brussels.\n"
        .repeat(paragraphs)
}

#[test]
fn find_until_reports_how_far_it_read_and_finds_what_find_finds() {
    let doc = date!(2021 - 10 - 19);
    // About 18 tokens a paragraph: several chunks.
    let text = long_text(1000);
    let mut read = Vec::new();
    let found = find_until(&text, doc, &mut |n| {
        read.push(n);
        true
    })
    .unwrap();
    assert_eq!(found, find(&text, doc));
    assert_eq!(found.len(), 2000);
    assert!(read.len() >= 4, "{read:?}");
    assert_eq!(read[0], 0);
    assert!(read.windows(2).all(|w| w[0] < w[1]), "{read:?}");
    assert!(*read.last().unwrap() < text.chars().count());
}

#[test]
fn find_until_stops_at_the_next_chunk_when_told() {
    let doc = date!(2021 - 10 - 19);
    let text = long_text(1000);
    let mut calls = 0;
    let stopped = find_until(&text, doc, &mut |_| {
        calls += 1;
        calls < 2
    });
    assert_eq!(stopped, Err(Cancelled));
    assert_eq!(calls, 2, "no work after the answer to stop");

    // The document-level form stops the same way, and a short text asks once.
    let d = crate::model::Document::new(
        crate::model::Source::default(),
        crate::model::Text::new(text),
        "rita",
        crate::model::Schema::default(),
    );
    let given = Some(doc);
    assert_eq!(
        proposals_for_until(&d, given, None, &mut |_| false),
        Err(Cancelled)
    );
    let mut calls = 0;
    let short = find_until("On Oct. 18.", doc, &mut |_| {
        calls += 1;
        true
    })
    .unwrap();
    assert_eq!((short.len(), calls), (1, 1));
}
