//! Tests that every road through the native file agrees: the span codec used by the writer, the
//! line-by-line reader (of a file, and of bytes for the tests) and the whole-file parse of any
//! layout.

use std::path::Path;

use proptest::prelude::*;

use super::*;
use crate::model::marked::label;
use crate::model::{
    CharRange, Edit, Origin, Orphan, Relation, Schema, Source, Span, SpanId, Status, Text,
    Timestamp,
};

fn range(start: usize, end: usize) -> CharRange {
    CharRange::new(start, end).unwrap()
}

/// The span "North and South America" with every field of a span set.
fn every_field() -> Span {
    let at = Timestamp::from_unix(100);
    let mut span = Span::new(
        SpanId::new("T1").unwrap(),
        label("actor"),
        range(0, 23),
        "omar",
        at,
    );
    span.fragments = vec![range(0, 5), range(16, 23)];
    span.modified = Timestamp::from_unix(200);
    span.status = Status::Accepted;
    span.origin = Origin::Suggested;
    span.note = Some("a \"quoted\" note\nover two lines".into());
    span.attrs = [("iso".to_string(), "2021-10-18".to_string())].into();
    span
}

/// A document without spans, but with the other parts of the file: document meta and status,
/// history, an orphaned span.
fn bare_doc() -> Document {
    let text = "North and South America, said Lavrov on Monday.\r\n👨🏻‍🚒 東京 e\u{301}";
    let mut d = Document::new(
        Source {
            name: "t.txt".into(),
            path: Some("t.txt".into()),
            sha256: Some("00".repeat(32)),
            encoding: "UTF-8".into(),
            bom: false,
        },
        Text::new(text.to_string()),
        "rita",
        Schema::default(),
    );
    let mut orphan = every_field();
    orphan.id = SpanId::new("o1").unwrap();
    d.orphans.spans.push(Orphan {
        span: orphan,
        quote: "Nord- und Südamerika ok".into(),
        prefix: "in ".into(),
        suffix: ".".into(),
    });
    d.meta
        .insert("prodigy".into(), serde_json::json!({"answer": "accept"}));
    d.status = crate::model::DocumentStatus::Annotated;
    d.log(crate::model::AuditEntry::document(
        Timestamp::from_unix(50),
        "rita",
        "imported from jsonl",
    ));
    d
}

/// Every part of the file in use: each field of a span set, overlapping spans, a relation,
/// history, document meta and status, an orphaned span and relation.
fn full_doc() -> Document {
    let mut d = bare_doc();
    let at = Timestamp::from_unix(100);
    let spans = [
        every_field(),
        Span::new(
            SpanId::numbered(2),
            label("actor"),
            range(30, 36),
            "rita",
            at,
        ),
        Span::new(
            SpanId::numbered(3),
            label("claim"),
            range(25, 47),
            "rita",
            at,
        ),
        Span::new(
            SpanId::numbered(4),
            label("actor"),
            range(54, 56),
            "rita",
            at,
        ),
    ];
    for span in spans {
        d.apply(&Edit::add(span), "rita", at).unwrap();
    }
    let relation = |id: &str, to: &str| Relation {
        id: SpanId::new(id).unwrap(),
        kind: label("source"),
        from: SpanId::numbered(3),
        to: SpanId::new(to).unwrap(),
        author: "rita".into(),
        created: at,
        status: crate::model::Status::Pending,
        note: None,
        attrs: Default::default(),
    };
    d.apply(&Edit::AddRelation(relation("r1", "s2")), "rita", at)
        .unwrap();
    d.orphans.relations.push(relation("r2", "o1"));
    d
}

fn shown(r: Result<Loaded, NativeError>) -> String {
    // Documents compared by their bytes (their id index is a hash map, in no fixed order).
    match r {
        Ok(l) => format!(
            "Ok({} {:?})",
            String::from_utf8_lossy(&to_bytes(&l.doc)),
            l.warnings
        ),
        Err(e) => format!("Err({e} {e:?})"),
    }
}

const PATH: &str = "x.spanmark.json";

/// `bytes` read line by line as a file streams in (parsed whole when they are not in the layout
/// Spanmark writes), and parsed whole.
fn line_road_and_whole(bytes: &[u8]) -> (String, String) {
    let path = Path::new(PATH);
    let lines = match stream::stream(path, &mut &bytes[..], 0, HistoryUse::Verify) {
        Ok(stream::Streamed::Done(loaded)) => *loaded,
        _ => from_bytes(path, bytes),
    };
    (shown(lines), shown(from_bytes(path, bytes)))
}

/// `bytes` in memory as an export reads them, only checking the history
/// ([`from_bytes_in_lines`]: line by line while they are in the layout Spanmark writes), and
/// parsed whole the same way.
fn checked_in_lines_and_whole(bytes: &[u8]) -> (String, String) {
    let path = Path::new(PATH);
    (
        shown(from_bytes_in_lines(path, bytes, HistoryUse::Check)),
        shown(from_bytes_with(path, bytes, HistoryUse::Check)),
    )
}

/// `bytes` loaded from a file, streaming, with the stamp of what was read.
fn streamed_from_a_file(dir: &Path, bytes: &[u8]) -> String {
    let path = dir.join(PATH);
    std::fs::write(&path, bytes).unwrap();
    let loaded = load_streaming(&path, &mut |_| Ok(())).map(|(loaded, stamp)| {
        assert_eq!(stamp, crate::store::guard::FileStamp::of_bytes(bytes));
        loaded
    });
    // The path in messages is the file's; say it as the other roads do.
    shown(loaded).replace(&path.display().to_string(), PATH)
}

#[test]
fn every_field_of_a_span_is_written_and_read_back_on_every_road() {
    let d = full_doc();
    let bytes = to_bytes(&d);
    // The span with every field: its line holds each property the schema gives a span, so a
    // field added to the codec is exercised here (set it on `every_field` above).
    let file: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    let schema: serde_json::Value = serde_json::from_str(&json_schema()).unwrap();
    let properties = schema["$defs"]["NativeSpan"]["properties"]
        .as_object()
        .unwrap();
    for written in [&file["spans"][0], &file["orphans"]["spans"][0]] {
        let written = written.as_object().unwrap();
        assert!(
            properties.keys().all(|k| written.contains_key(k)),
            "{written:?} lacks one of {:?}",
            properties.keys()
        );
    }
    // Written: one line per span, and the bytes of one serialisation of the whole file.
    let whole = layout::to_vec(&super::write::native_file(&d), 0).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&bytes),
        String::from_utf8_lossy(&whole)
    );
    let first_line = String::from_utf8_lossy(&bytes)
        .lines()
        .find(|l| l.contains("\"id\": \"T1\""))
        .unwrap()
        .to_string();
    assert!(first_line.starts_with("    {") && first_line.ends_with("},"));
    // Read: line by line, from bytes and from a file, and whole in another layout.
    assert!(matches!(
        stream::stream(Path::new(PATH), &mut &bytes[..], 0, HistoryUse::Verify),
        Ok(stream::Streamed::Done(_))
    ));
    let loaded = from_bytes(Path::new(PATH), &bytes).unwrap();
    assert_eq!(shown(Ok(loaded.clone())), line_road_and_whole(&bytes).0);
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    assert_eq!(loaded.doc, d);
    let pretty = serde_json::to_vec_pretty(&file).unwrap();
    assert_eq!(from_bytes(Path::new(PATH), &pretty).unwrap().doc, d);
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(streamed_from_a_file(dir.path(), &bytes), shown(Ok(loaded)));
}

/// Documents whose history was read with hashes of each kind and then went on: entries read
/// with their hash, read without one (before the chain), read with one that is not a digest
/// (a broken chain, kept as read), and new ones chained onto them.
fn read_and_edited() -> Vec<Document> {
    let bytes = to_bytes(&full_doc());
    let text = String::from_utf8(bytes).unwrap();
    // The first entry: its `, "hash": "…"` left out, or its digest replaced.
    let key = ", \"hash\": \"";
    let h = text.find(key).unwrap();
    let value = h + key.len()..h + key.len() + 64;
    let unchained = format!("{}{}", &text[..h], &text[value.end + 1..]);
    let broken = format!(
        "{}NOT a digest \\\" é{}",
        &text[..value.start],
        &text[value.end..]
    );
    let mut docs = Vec::new();
    for bytes in [text.clone(), unchained, broken] {
        let mut d = from_bytes(Path::new(PATH), bytes.as_bytes()).unwrap().doc;
        let at = Timestamp::from_unix(900);
        let e = Edit::set_note(
            d.set(),
            &SpanId::numbered(2),
            Some("a \"new\"\n note".into()),
            at,
        )
        .unwrap();
        d.apply(&e, "omar \u{1F600}", at).unwrap();
        let e = Edit::remove(d.set(), &SpanId::numbered(3)).unwrap();
        d.apply(&e, "omar", Timestamp::from_unix(901)).unwrap();
        docs.push(d);
    }
    docs
}

#[test]
fn the_writers_parts_are_one_serialisation_of_the_file() {
    use crate::model::chain::StoredHash;
    let read = read_and_edited();
    assert!(read.iter().all(|d| d.audit().len() > d.chain.stored.len()));
    let first: Vec<_> = read.iter().map(|d| d.chain.stored.stored(0)).collect();
    assert!(matches!(first[0], Some(StoredHash::Digest(_))), "{first:?}");
    assert_eq!(first[1], Some(StoredHash::None));
    assert_eq!(first[2], Some(StoredHash::Text("NOT a digest \" é")));
    for d in [full_doc(), bare_doc()].into_iter().chain(read) {
        let file = Serialised::of(&d);
        let whole = layout::to_vec(&super::write::native_file(&d), 0).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&file.parts().concat()),
            String::from_utf8_lossy(&whole)
        );
        assert_eq!(file.to_vec(), whole);
    }
}

/// Edits that keep a file close to one we wrote: the line reader must notice each one that
/// changes anything, and leave the file to the whole parse.
fn edited(bytes: &[u8], edits: &[(u8, prop::sample::Index, prop::sample::Index)]) -> Vec<u8> {
    const PIECES: [&str; 14] = [
        ",",
        "}",
        "]",
        "{",
        "\n",
        " ",
        "\"",
        "\r\n",
        "\n  ],",
        "\"x\": 1, ",
        "\u{feff}",
        "\\",
        "\"spans\": [",
        "9",
    ];
    let mut lines: Vec<Vec<u8>> = bytes
        .split_inclusive(|b| *b == b'\n')
        .map(<[u8]>::to_vec)
        .collect();
    for (kind, a, b) in edits {
        if lines.is_empty() {
            break;
        }
        let i = a.index(lines.len());
        let j = b.index(lines.len());
        match kind % 6 {
            0 => {
                let line = lines[i].clone();
                lines.insert(j, line);
            }
            1 => {
                lines.remove(i);
            }
            2 => lines.swap(i, j),
            3 => {
                let at = b.index(lines[i].len() + 1);
                let piece = PIECES[a.index(PIECES.len())].as_bytes();
                lines[i].splice(at..at, piece.iter().copied());
            }
            4 => {
                // One byte to eight.
                let line = &mut lines[i];
                let at = b.index(line.len() + 1);
                line.drain(at..(at + 1 + a.index(8)).min(line.len()));
            }
            _ => {
                let all = lines.concat();
                let at = a.index(all.len() + 1);
                lines = vec![all[..at].to_vec()];
            }
        }
    }
    lines.concat()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn reading_line_by_line_gives_what_the_whole_parse_gives(
        edits in prop::collection::vec((any::<u8>(), any::<prop::sample::Index>(), any::<prop::sample::Index>()), 0..4),
    ) {
        let bytes = edited(&to_bytes(&full_doc()), &edits);
        let (lines, whole) = line_road_and_whole(&bytes);
        prop_assert_eq!(&lines, &whole, "{}", String::from_utf8_lossy(&bytes));
        let dir = tempfile::tempdir().unwrap();
        prop_assert_eq!(streamed_from_a_file(dir.path(), &bytes), whole);
        let (lines, whole) = checked_in_lines_and_whole(&bytes);
        prop_assert_eq!(&lines, &whole, "{}", String::from_utf8_lossy(&bytes));
    }
}

/// The layouts of `tests::a_file_read_streaming_gives_what_it_gives_read_whole`, for a document
/// with every part of the file in use, and more.
#[test]
fn other_layouts_and_broken_files_give_what_the_whole_parse_gives() {
    let dir = tempfile::tempdir().unwrap();
    let many: Vec<Span> = (0..30)
        .map(|i| {
            let at = Timestamp::from_unix(i);
            Span::new(
                SpanId::numbered(i as u64 + 10),
                label("date"),
                range(i as usize, i as usize + 1),
                "rita",
                at,
            )
        })
        .collect();
    let mut many_doc = bare_doc();
    for span in many {
        many_doc
            .apply(&Edit::add(span), "rita", Timestamp::from_unix(1))
            .unwrap();
    }
    for d in [bare_doc(), full_doc(), many_doc] {
        let bytes = to_bytes(&d);
        let (lines, whole) = line_road_and_whole(&bytes);
        assert_eq!(lines, whole);
        assert!(whole.starts_with("Ok("), "{whole}");
        for v in layouts_and_cuts(&bytes) {
            let (lines, whole) = line_road_and_whole(&v);
            assert_eq!(lines, whole, "{}", String::from_utf8_lossy(&v));
            assert_eq!(streamed_from_a_file(dir.path(), &v), whole);
            let (lines, whole) = checked_in_lines_and_whole(&v);
            assert_eq!(lines, whole, "{}", String::from_utf8_lossy(&v));
        }
    }
}

#[test]
fn a_broken_file_from_a_newer_version_is_refused_as_the_whole_parse_refuses_it() {
    let text = String::from_utf8(to_bytes(&full_doc())).unwrap();
    let newer = text.replacen("\"version\": 2", "\"version\": 9", 1);
    let cut = &newer.as_bytes()[..newer.len() - 30];
    let (lines, whole) = line_road_and_whole(cut);
    assert_eq!(lines, whole);
    assert!(whole.starts_with("Err(not valid JSON"), "{whole}");
    let (lines, whole) = line_road_and_whole(newer.as_bytes());
    assert_eq!(lines, whole);
    assert!(whole.contains("newer Spanmark"), "{whole}");
}

/// `bytes` (a native file as written) in other layouts (pretty-printed, CRLF, blank lines,
/// spans on one line, fields reordered or added) and broken (unknown fields, newer and older
/// versions, a wrong format, a changed quote, a form feed, a BOM, trailing bytes), and cut at
/// sixty places: both loaders must give the same result and messages for each.
pub(super) fn layouts_and_cuts(bytes: &[u8]) -> Vec<Vec<u8>> {
    let text = String::from_utf8(bytes.to_vec()).expect("a file as written is UTF-8");
    let pretty =
        serde_json::to_vec_pretty(&serde_json::from_slice::<serde_json::Value>(bytes).unwrap())
            .unwrap();
    let mut variants: Vec<Vec<u8>> = vec![
        pretty,
        text.replace('\n', "\r\n").into_bytes(),
        text.replace("},\n    {", "},\n\n    {").into_bytes(),
        text.replacen("},\n    {", "}\n    {", 1).into_bytes(),
        text.replacen("},\n    {", "}, {", 1).into_bytes(),
        text.replacen("}\n  ],", "},\n  ],", 1).into_bytes(),
        text.replacen("\n  ],", "\n  ]", 1).into_bytes(),
        text.replacen("\"spans\": [", "\"relations\": [],\n  \"spans\": [", 1)
            .into_bytes(),
        text.replacen("\"spans\": [", "\"extra\": 1,\n  \"spans\": [", 1)
            .into_bytes(),
        text.replacen("\"history\": [", "\"extra\": 1,\n  \"history\": [", 1)
            .into_bytes(),
        text.replacen("\"history\": [", "\"spans\": [],\n  \"history\": [", 1)
            .into_bytes(),
        text.replacen(
            "\"origin\": \"manual\"}",
            "\"origin\": \"manual\", \"x\": 1}",
            1,
        )
        .into_bytes(),
        text.replacen("\"start\": 0,", "\"start\": 2,", 1)
            .into_bytes(),
        text.replacen("\"version\": 2", "\"version\": 9", 1)
            .into_bytes(),
        text.replacen("\"version\": 2", "\"version\": 0", 1)
            .into_bytes(),
        text.replacen("\"format\": \"spanmark\"", "\"format\": \"other\"", 1)
            .into_bytes(),
        text.replacen("\"text\": \"", "\"text\": \"X", 1)
            .into_bytes(),
        text.replacen("  \"schema\"", "\u{c}  \"schema\"", 1)
            .into_bytes(),
        text.replacen("\n  \"spans\": [", " \"spans\": [", 1)
            .into_bytes(),
        [b"\xEF\xBB\xBF".as_slice(), bytes].concat(),
        [bytes, b"{}"].concat(),
    ];
    // Cut anywhere.
    let step = (bytes.len() / 60).max(1);
    variants.extend((0..bytes.len()).step_by(step).map(|n| bytes[..n].to_vec()));
    variants
}

#[test]
fn a_history_entry_borrows_its_target_and_hash_unless_escaped() {
    use std::borrow::Cow;
    fn entry(json: &str) -> serde_json::Result<file::NativeAuditEntry<'_>> {
        serde_json::from_str(json)
    }
    let plain = r#"{"at": "2026-12-05T08:00:00Z", "who": "a", "action": "add", "target": "s1", "hash": "ab"}"#;
    let e = entry(plain).unwrap();
    assert!(
        matches!(e.target, Some(Cow::Borrowed("s1"))),
        "{:?}",
        e.target
    );
    assert!(matches!(e.hash, Some(Cow::Borrowed("ab"))), "{:?}", e.hash);
    let escaped =
        r#"{"at": "2026-12-05T08:00:00Z", "who": "a", "action": "add", "target": "s\u0031"}"#;
    let e = entry(escaped).unwrap();
    assert_eq!(e.target.as_deref(), Some("s1"));
    assert_eq!(e.hash, None);
    let e = entry(r#"{"at": "2026-12-05T08:00:00Z", "who": "a", "action": "add", "target": null}"#);
    assert_eq!(e.unwrap().target, None);
    let wrong = r#"{"at": "2026-12-05T08:00:00Z", "who": "a", "action": "add", "target": 3}"#;
    assert!(entry(wrong).is_err());
}

#[test]
fn a_snapshot_that_is_not_the_articles_text_is_written_back_as_read() {
    // The log keeps a snapshot of the article's text as its place in the text: one whose text
    // differs (edited by hand, or taken before the article changed) must come back as it was,
    // on both roads, or the history's hashes would no longer fit its lines.
    let bytes = to_bytes(&full_doc());
    let text = String::from_utf8(bytes.clone()).unwrap();
    let history = text.find("\"history\": [").unwrap();
    let key = "\"text\": \"";
    let at = history + text[history..].find(key).unwrap() + key.len();
    let edited = format!("{}X{}", &text[..at], &text[at + 1..]);
    assert_ne!(edited, text);
    let dir = tempfile::tempdir().unwrap();
    for original in [text, edited] {
        let whole = from_bytes(Path::new(PATH), original.as_bytes())
            .unwrap()
            .doc;
        let path = dir.path().join("t.txt.spanmark.json");
        std::fs::write(&path, &original).unwrap();
        let streamed = load_streaming(&path, &mut |_| Ok(())).unwrap().0.doc;
        for doc in [whole, streamed] {
            assert_eq!(String::from_utf8(to_bytes(&doc)).unwrap(), original);
        }
    }
}
