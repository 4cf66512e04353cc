//! Re-anchoring speed: `cargo bench --bench reanchor`.
//!
//! A generated article of about 1 MB (pseudo-random words, so it does not repeat itself) with
//! 1,000 spans, re-anchored onto four new versions:
//! the same text, a paragraph inserted at the top with a few edits, CRLF line endings, and a
//! worst case where every 25th character is doubled (no span is found exactly: every one goes
//! through the context and approximate stages).
//! Prints `NAME: VALUE UNIT` lines (with `SPANMARK_BENCH_VERBOSE=1`, a few orphans and why).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark program: a failure is a panic

use std::time::Instant;

use spanmark::model::{
    CharRange, Document, Edit, Label, Schema, Source, Span, SpanId, Text, Timestamp,
};
use spanmark::store::article::{Article, ArticleKind};
use spanmark::store::reanchor::{Outcome, reanchor};

const WORDS: [&str; 40] = [
    "Russian",
    "Foreign",
    "Minister",
    "Sergey",
    "Lavrov",
    "said",
    "on",
    "Monday",
    "that",
    "the",
    "mission",
    "would",
    "close",
    "NATO",
    "spokeswoman",
    "alliance",
    "regretted",
    "steps",
    "taken",
    "by",
    "Moscow",
    "council",
    "voted",
    "to",
    "extend",
    "programme",
    "two",
    "years",
    "officials",
    "described",
    "decision",
    "as",
    "response",
    "Министр",
    "заявил",
    "北京市",
    "政府",
    "👍🏽",
    "dialogue",
    "open",
];

/// About `bytes` bytes of words drawn by a fixed pseudo-random sequence, in sentences and
/// paragraphs: like an article, it does not repeat itself.
fn article_text(bytes: usize) -> String {
    let mut s = String::with_capacity(bytes + 64);
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |n: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize % n
    };
    let mut words_in_sentence = 0;
    while s.len() < bytes {
        s.push_str(WORDS[next(WORDS.len())]);
        words_in_sentence += 1;
        if words_in_sentence > 8 + next(10) {
            s.push('.');
            s.push_str(if next(5) == 0 { "\n\n" } else { " " });
            words_in_sentence = 0;
        } else {
            s.push(' ');
        }
    }
    s
}

fn article(text: String) -> Article {
    Article {
        text,
        encoding: "UTF-8".into(),
        bom: false,
        kind: ArticleKind::Text,
        source_sha256: "0".repeat(64),
    }
}

fn main() {
    // SPANMARK_BENCH_QUICK=1 (CI, in the test profile): a 64 KB article, so the bench keeps
    // compiling and running; its figures mean nothing there.
    let quick = std::env::var_os("SPANMARK_BENCH_QUICK").is_some();
    let text = article_text(if quick { 1 << 16 } else { 1 << 20 });
    let t = Text::new(text.clone());
    let mut doc = Document::new(Source::default(), t.clone(), "bench", Schema::default());
    // 1,000 spans: a word or a phrase every ~1,000 characters.
    let chars: Vec<char> = text.chars().collect();
    let step = chars.len() / 1000;
    let label = Label::new("claim").unwrap();
    for i in 0..1000 {
        let mut start = i * step;
        while start < chars.len() && !chars[start].is_alphabetic() {
            start += 1;
        }
        let len = [6usize, 12, 40][i % 3];
        let end = (start + len).min(chars.len());
        let range = CharRange::new(start, end).unwrap();
        if !(t.is_grapheme_boundary(range.start()) && t.is_grapheme_boundary(range.end())) {
            continue;
        }
        let span = Span::new(
            SpanId::numbered(i as u64 + 1),
            label.clone(),
            range,
            "bench",
            Timestamp::from_unix(0),
        );
        doc.apply(&Edit::add(span), "bench", Timestamp::from_unix(0))
            .unwrap();
    }
    println!(
        "article: {} bytes, {} chars, {} spans",
        text.len(),
        chars.len(),
        doc.set().len()
    );

    let edited = {
        let mut s = format!("BREAKING: a new paragraph at the top.\n\n{text}");
        s = s.replacen("voted to extend", "voted to prolong", 20);
        s = s.replacen(
            "the alliance regretted",
            "the alliance deeply regretted",
            20,
        );
        s
    };
    // Every 25th character doubled, spans included: no span is found exactly, each one goes
    // through the context and approximate stages.
    let edited_everywhere: String = chars
        .iter()
        .enumerate()
        .flat_map(|(i, &c)| {
            let twice = i % 25 == 0 && c.is_alphabetic();
            std::iter::once(c).chain(twice.then_some(c))
        })
        .collect();
    // Where each old offset is in the edited-everywhere text.
    let mut doubled_before = Vec::with_capacity(chars.len() + 1);
    let mut shift = 0;
    for (i, c) in chars.iter().enumerate() {
        doubled_before.push(i + shift);
        if i % 25 == 0 && c.is_alphabetic() {
            shift += 1;
        }
    }
    doubled_before.push(chars.len() + shift);
    for (name, new_text, where_now) in [
        ("same", text.clone(), None),
        ("inserted_and_edited", edited, None),
        ("crlf", text.replace('\n', "\r\n"), None),
        (
            "edited_everywhere",
            edited_everywhere,
            Some(doubled_before.clone()),
        ),
    ] {
        let a = article(new_text);
        let started = Instant::now();
        let r = reanchor(&doc, &a, "bench", Timestamp::from_unix(1));
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        let counts: Vec<String> = Outcome::ALL
            .iter()
            .map(|o| format!("{} {o}", r.report.count(*o)))
            .collect();
        println!(
            "reanchor_1mb_1000_spans_{name}: {ms:.0} ms ({})",
            counts.join(", ")
        );
        if let Some(map) = &where_now {
            // Spans found elsewhere than where their text went (a doubled first letter may be
            // taken either way).(a doubled first letter may
            // be taken either way).
            let misplaced = r
                .report
                .spans
                .iter()
                .filter(|s| {
                    s.after
                        .is_some_and(|a| a.start().0.abs_diff(map[s.before.start().0]) > 1)
                })
                .count();
            println!("  misplaced: {misplaced}");
            if std::env::var_os("SPANMARK_BENCH_VERBOSE").is_some() {
                for s in r
                    .report
                    .spans
                    .iter()
                    .filter(|s| {
                        s.after
                            .is_some_and(|a| a.start().0.abs_diff(map[s.before.start().0]) > 1)
                    })
                    .take(3)
                {
                    println!(
                        "  misplaced {} → {:?} (expected {}) {:?} → {:?}",
                        s.before,
                        s.after,
                        map[s.before.start().0],
                        s.quote,
                        s.text
                    );
                }
            }
        }
        if std::env::var_os("SPANMARK_BENCH_VERBOSE").is_some() {
            for s in r
                .report
                .spans
                .iter()
                .filter(|s| s.outcome == Outcome::Orphaned)
                .take(5)
            {
                println!(
                    "  orphaned {} {:?}: {}",
                    s.before,
                    s.quote,
                    s.reason.as_deref().unwrap_or("")
                );
            }
        }
    }
}
