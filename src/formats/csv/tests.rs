use super::*;
use crate::model::marked::marked;
use crate::model::{
    CharRange, Document, Edit, Relation, Schema, Source, Span, SpanId, Status, Text, Timestamp,
};

/// A small RFC 4180 reader, to check the writer against.
fn parse(csv: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut chars = csv.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {
                chars.next();
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => {
                assert!(c != '\n' && c != '\r', "a bare line break outside quotes");
                field.push(c);
            }
        }
    }
    assert!(
        !quoted && field.is_empty() && row.is_empty(),
        "unterminated row"
    );
    rows
}

fn doc(name: &str, markup: &str) -> Document {
    let (text, spans) = marked(markup);
    let mut doc = Document::new(
        Source {
            name: name.into(),
            ..Default::default()
        },
        Text::new(text),
        "a",
        Schema::default(),
    );
    for s in spans {
        doc.apply(&Edit::add(s), "a", Timestamp::from_unix(0))
            .unwrap();
    }
    doc
}

#[test]
fn rows_are_quoted_as_rfc_4180_says() {
    let mut a = doc(
        "a, \"b\".txt",
        "[Lavrov, \"the\" minister]{actor} said\r\n[on 👍\nMonday]{date}",
    );
    let at = Timestamp::from_unix(0);
    let set = a.set().clone();
    let s1 = SpanId::numbered(1);
    a.apply(
        &Edit::set_note(&set, &s1, Some("x,\"y\"\r\nz".into()), at).unwrap(),
        "rev",
        at,
    )
    .unwrap();
    let set = a.set().clone();
    a.apply(
        &Edit::set_status(&set, &s1, Status::Accepted, at).unwrap(),
        "rev",
        at,
    )
    .unwrap();
    let b = doc("b.txt", "[plain]{claim}");
    let mut out = Vec::new();
    let loss = export(&[&a, &b], &mut out).unwrap();
    assert!(loss.is_empty());
    let csv = String::from_utf8(out).unwrap();
    assert!(csv.starts_with(
        "document,span_id,label,start,end,text,status,author,note,category,iso,quote,attrs\r\n"
    ));
    assert!(csv.contains(
        "\"a, \"\"b\"\".txt\",s1,actor,0,22,\"Lavrov, \"\"the\"\" minister\",accepted,test,\"x,\"\"y\"\"\r\nz\",,,,\r\n"
    ));
    assert!(csv.ends_with("b.txt,s1,claim,0,5,plain,pending,test,,,,,\r\n"));
    let rows = parse(&csv);
    assert_eq!(rows.len(), 4);
    assert!(rows.iter().all(|r| r.len() == 13));
    assert_eq!(rows[2][5], "on 👍\nMonday");
    assert_eq!(rows[2][3..5], ["29".to_string(), "40".to_string()]);
    assert_eq!(rows[1][8], "x,\"y\"\r\nz");
    // The same input gives the same bytes.
    let mut again = Vec::new();
    export(&[&a, &b], &mut again).unwrap();
    assert_eq!(again, csv.as_bytes());
}

#[test]
fn loss_counts_relations_and_pieces_and_attributes_have_columns() {
    let mut d = doc("d.txt", "[Lavrov]{actor} [said]{action} on [Monday]{date}");
    let at = Timestamp::from_unix(0);
    let set = d.set().clone();
    let iso = Edit::set_attr(&set, &SpanId::numbered(3), "iso", Some("2021".into()), at);
    d.apply(&iso.unwrap(), "a", at).unwrap();
    for (key, value) in [("category", "person"), ("agent", "dates"), ("ls.x", "a\"b")] {
        let set = d.set().clone();
        let e = Edit::set_attr(&set, &SpanId::numbered(1), key, Some(value.into()), at);
        d.apply(&e.unwrap(), "a", at).unwrap();
    }
    d.apply(
        &Edit::AddRelation(Relation {
            id: SpanId::new("r1").unwrap(),
            kind: crate::model::marked::label("agent"),
            from: SpanId::numbered(2),
            to: SpanId::numbered(1),
            author: "a".into(),
            created: at,
            status: crate::model::Status::Pending,
            note: None,
            attrs: Default::default(),
        }),
        "a",
        at,
    )
    .unwrap();
    let mut pieces = Span::new(
        SpanId::new("p").unwrap(),
        crate::model::marked::label("claim"),
        CharRange::new(0, 21).unwrap(),
        "a",
        at,
    );
    pieces.fragments = vec![
        CharRange::new(0, 6).unwrap(),
        CharRange::new(15, 21).unwrap(),
    ];
    d.apply(&Edit::add(pieces), "a", at).unwrap();
    let mut out = Vec::new();
    let loss = export(&[&d], &mut out).unwrap();
    let counts: Vec<_> = loss.counts.into_iter().collect();
    assert_eq!(
        counts,
        [
            ("discontinuous spans (written as their whole stretch)", 1),
            ("relations", 1),
        ]
    );
    let rows = parse(&String::from_utf8(out).unwrap());
    assert_eq!(
        rows[2][1..6],
        ["p", "claim", "0", "21", "Lavrov said on Monday"]
    );
    // category, iso, quote (the default schema's order), then the rest as a JSON object.
    assert_eq!(
        rows[1][9..],
        ["person", "", "", r#"{"agent":"dates","ls.x":"a\"b"}"#]
    );
    assert_eq!(rows[4][9..], ["", "2021", "", ""]);
}
