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
fn years_ago_stay_in_the_calendar() {
    let doc = date!(2021 - 10 - 19);
    assert_eq!(
        dates("It closed two years ago.", doc),
        vec![("two years ago".to_string(), "2019".to_string())]
    );
    // Found by the property test below: a number that is a year, read as years back.
    assert_eq!(dates("2023 years ago", doc), vec![]);
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
fn a_weekday_picks_its_year_on_the_side_the_sentence_speaks_of() {
    // Monday 18 October falls in 2021 and 2027: nearest 2022-01-10 is 2021, but a meeting
    // that will be is in 2027; said in a file of December 2026, it was 2021.
    let early_2022 = date!(2022 - 01 - 10);
    assert_eq!(
        one("Ministers will meet on Monday (Oct. 18).", early_2022).1,
        "2027-10-18"
    );
    assert_eq!(
        one("They met on Monday (Oct. 18).", early_2022).1,
        "2021-10-18"
    );
    let late_2026 = date!(2026 - 12 - 05);
    assert_eq!(
        one("Sergey Lavrov said Monday (Oct. 18) that", late_2026).1,
        "2021-10-18"
    );
    assert_eq!(
        one("On Monday (Oct. 18) the talks", late_2026).1,
        "2027-10-18"
    );
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
    // The bundled sample has no year in its first lines, only a weekday with its day: opened
    // from a file written in December 2026, its dateline is the Monday it reports, in 2021.
    let sample = "Russian Foreign Minister Sergey Lavrov said Monday (Oct. 18) that his country";
    let december_2026 = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_796_428_800);
    assert_eq!(
        document_date(None, &meta, sample, Some(december_2026)),
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

/// `(found, iso)` pairs, for comparing with what [`dates`] returns.
fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(f, i)| (f.to_string(), i.to_string()))
        .collect()
}

#[test]
fn the_tense_of_the_clause_places_a_bare_weekday_or_month() {
    let doc = date!(2023 - 06 - 30); // a Friday
    for (text, found, iso) in [
        ("Wimbledon starts on Monday.", "Monday", "2023-07-03"),
        ("Wimbledon started on Monday.", "Monday", "2023-06-26"),
        (
            "Payments on student loans resume in October.",
            "October",
            "2023-10",
        ),
        (
            "Payments on student loans resumed in October.",
            "October",
            "2022-10",
        ),
        (
            "The new rules take effect on Monday.",
            "Monday",
            "2023-07-03",
        ),
        (
            "The new rules took effect on Monday.",
            "Monday",
            "2023-06-26",
        ),
        (
            "Leaders are meeting in Rome on Tuesday.",
            "Tuesday",
            "2023-07-04",
        ),
        (
            "Leaders were meeting in Rome on Tuesday.",
            "Tuesday",
            "2023-06-27",
        ),
        (
            "The prime minister is to visit Kyiv on Wednesday.",
            "Wednesday",
            "2023-07-05",
        ),
        ("The vote is due on Wednesday.", "Wednesday", "2023-07-05"),
        (
            "The airline expects a decision on Wednesday.",
            "Wednesday",
            "2023-07-05",
        ),
        (
            "The hearing is set for Wednesday.",
            "Wednesday",
            "2023-07-05",
        ),
        (
            "The vote was postponed until Tuesday.",
            "Tuesday",
            "2023-07-04",
        ),
        (
            "The vote was delayed on Tuesday by a walkout.",
            "Tuesday",
            "2023-06-27",
        ),
        (
            "Talks will be held in Geneva on Monday.",
            "Monday",
            "2023-07-03",
        ),
        (
            "Schools will stay closed until Monday.",
            "Monday",
            "2023-07-03",
        ),
        (
            "The two sides have agreed to meet on Monday.",
            "Monday",
            "2023-07-03",
        ),
        ("The team won't play on Sunday.", "Sunday", "2023-07-02"),
        (
            "Officials said they will meet on Monday.",
            "Monday",
            "2023-07-03",
        ),
        (
            "The U.S. will impose the sanctions on Monday.",
            "Monday",
            "2023-07-03",
        ),
        // `until` and `by` point ahead only when nothing else speaks.
        (
            "The exhibition is open until Sunday.",
            "Sunday",
            "2023-07-02",
        ),
        (
            "The exhibition stayed open until Sunday.",
            "Sunday",
            "2023-06-25",
        ),
        (
            "Some 90 million people had voted by Sunday.",
            "Sunday",
            "2023-06-25",
        ),
        // The nearest cue decides; a name is no modal; `that` opens another clause.
        (
            "Theresa May said on Monday that she would stay.",
            "Monday",
            "2023-06-26",
        ),
        (
            "He will argue that the vote on Sunday was rigged.",
            "Sunday",
            "2023-06-25",
        ),
        (
            "The court will rule on the appeal filed on Monday.",
            "Monday",
            "2023-06-26",
        ),
        (
            "The central bank will decide on rates in May.",
            "May",
            "2024-05",
        ),
        (
            "The central bank decided on rates in May.",
            "May",
            "2023-05",
        ),
        // The present of `be` with the date as its predicate; not when the date is further on.
        (
            "Markets are closed on Tuesday for the holiday.",
            "Tuesday",
            "2023-07-04",
        ),
        ("Rain is forecast for Saturday.", "Saturday", "2023-07-01"),
        (
            "The man is accused of the attack on Sunday.",
            "Sunday",
            "2023-06-25",
        ),
        (
            "Officials could not be reached on Monday.",
            "Monday",
            "2023-06-26",
        ),
        // A verb of saying further back opens a reported clause.
        (
            "He said voters go to the polls on Sunday.",
            "Sunday",
            "2023-07-02",
        ),
        // No cue: the last one.
        ("Protesters gathered on Monday.", "Monday", "2023-06-26"),
    ] {
        assert_eq!(
            one(text, doc),
            (found.to_string(), iso.to_string()),
            "{text}"
        );
    }
    assert_eq!(
        one(
            "Travel was suspended for 30 days starting Friday at midnight.",
            date!(2020 - 03 - 12)
        ),
        ("Friday at midnight".into(), "2020-03-13T00:00".into())
    );
}

#[test]
fn a_weekend_is_the_iso_week_it_closes() {
    let friday = date!(2023 - 06 - 30); // ISO week 26
    let sunday = date!(2023 - 07 - 02); // the last day of week 26
    for (text, doc, iso) in [
        ("The group mutinied last weekend.", friday, "2023-W25"),
        ("Storms are forecast this weekend.", friday, "2023-W26"),
        ("The talks resume next weekend.", friday, "2023-W27"),
        ("Storms hit the coast this weekend.", sunday, "2023-W26"),
        ("The group mutinied last weekend.", sunday, "2023-W25"),
    ] {
        let weekend = text.split(' ').rev().take(2).collect::<Vec<_>>();
        let found = format!("{} {}", weekend[1], weekend[0].trim_end_matches('.'));
        assert_eq!(one(text, doc), (found, iso.to_string()), "{text}");
    }
    assert_eq!(
        dates("The weekend was quiet.", friday),
        Vec::<(String, String)>::new()
    );
}

#[test]
fn days_that_share_a_month_are_each_a_date() {
    let doc = date!(2022 - 11 - 09);
    for (text, expected) in [
        (
            "Leaders meet on 15 and 16 November.",
            &[("15", "2022-11-15"), ("16 November", "2022-11-16")][..],
        ),
        (
            "Leaders meet on November 15 and 16.",
            &[("November 15", "2022-11-15"), ("16", "2022-11-16")],
        ),
        (
            "Leaders meet on 15-16 November.",
            &[("15", "2022-11-15"), ("16 November", "2022-11-16")],
        ),
        (
            "Strikes are planned between 3 and 5 March.",
            &[("3", "2023-03-03"), ("5 March", "2023-03-05")],
        ),
        (
            "Polls open on 1, 2 and 3 December.",
            &[
                ("1", "2022-12-01"),
                ("2", "2022-12-02"),
                ("3 December", "2022-12-03"),
            ],
        ),
        (
            "It met on 15th and 16th of November.",
            &[("15th", "2022-11-15"), ("16th of November", "2022-11-16")],
        ),
        (
            "It met on 15 and 16 November 2019.",
            &[("15", "2019-11-15"), ("16 November 2019", "2019-11-16")],
        ),
        (
            "It met on May 1, 2 and 3, 2019.",
            &[
                ("May 1", "2019-05-01"),
                ("2", "2019-05-02"),
                ("3, 2019", "2019-05-03"),
            ],
        ),
        // The dev set's convention: a dashed range after the month is its first day.
        (
            "The Fed meets on March 21-22.",
            &[("March 21", "2023-03-21")],
        ),
        // Not coordinations: no month, a count, a list that does not close, falling days.
        (
            "On November 15, 16 people died.",
            &[("November 15", "2022-11-15")],
        ),
        (
            "On November 15 and 16-year-olds alike.",
            &[("November 15", "2022-11-15")],
        ),
        (
            "It fell on 16 and 15 November.",
            &[("15 November", "2022-11-15")],
        ),
        (
            "It cost $15 and 16 November.",
            &[("16 November", "2022-11-16")],
        ),
        ("The coach will play 3 and 4 players.", &[]),
        ("The 15 and 16 year olds voted.", &[]),
        (
            "The 15 and 16 year olds voted on 3 and 4 May.",
            &[("3", "2023-05-03"), ("4 May", "2023-05-04")],
        ),
        ("May will decide.", &[]),
        ("It was set for 30 and 31 February.", &[]),
    ] {
        assert_eq!(dates(text, doc), pairs(expected), "{text}");
    }
    // The bare day takes the year of the day that carries the month.
    assert_eq!(
        dates("Shops shut on 30 and 31 December.", date!(2023 - 01 - 02)),
        pairs(&[("30", "2022-12-30"), ("31 December", "2022-12-31")])
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
