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
