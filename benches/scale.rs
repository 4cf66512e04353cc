//! Speed at scale, on generated articles: `cargo bench --bench scale`.
//!
//! Prints one line per figure, `NAME: VALUE UNIT`. The GUI figures drive the real app in the
//! egui_kittest harness (no GPU: layout, tessellation and the AccessKit tree are measured,
//! painting pixels is not). Set `SPANMARK_BENCH_QUICK=1` to skip the 10 MB runs.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark program: a failure is a panic

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use egui::{Key, Modifiers, Pos2};
use egui_kittest::Harness;
use spanmark::app::prefs::Prefs;
use spanmark::app::{SpanmarkApp, Startup};
use spanmark::model::{
    AnnotationSet, CharOffset, CharRange, Document, Edit, Label, Relation, Schema, Source, Span,
    SpanId, Text, Timestamp,
};
use spanmark::store::native;

/// Words the generated articles are made of, by script.
const LATIN: &[&str] = &[
    "minister",
    "said",
    "the",
    "council",
    "alliance",
    "mission",
    "would",
    "close",
    "talks",
    "spokeswoman",
    "regretted",
    "steps",
    "taken",
    "by",
    "officials",
    "described",
    "decision",
    "as",
    "a",
    "direct",
    "response",
    "to",
    "expulsions",
    "last",
    "week",
    "analysts",
    "dispute",
    "marked",
    "latest",
    "deterioration",
    "in",
    "ties",
    "government",
    "announced",
    "new",
    "traffic",
    "rules",
    "next",
    "month",
    "voted",
    "extend",
    "programme",
    "two",
    "years",
    "of",
    "Moscow",
    "Brussels",
    "Lavrov",
    "Lungescu",
    "NATO",
    "Russia",
    "Belgium",
    "envoy",
    "staff",
    "accreditation",
    "headquarters",
    "dialogue",
    "remained",
    "open",
    "that",
    "and",
    "on",
    "Monday",
    "Tuesday",
    "October",
    "November",
    "café",
    "naïve",
    "Zürich",
    "São",
    "Paulo",
    "déjà",
    "vu",
    "coöperation",
    "resumé",
    "über",
    "Ångström",
    "Łódź",
    "Kraków",
    "Dvořák",
];
const CYRILLIC: &[&str] = &[
    "министр",
    "заявил",
    "в",
    "понедельник",
    "что",
    "работа",
    "миссии",
    "будет",
    "приостановлена",
    "до",
    "ноября",
    "правительство",
    "объявило",
    "новые",
    "правила",
    "переговоры",
    "альянс",
    "посол",
    "Москва",
    "Брюссель",
    "сотрудники",
    "решение",
];
const CJK: &[&str] = &[
    "北京市",
    "政府",
    "周一",
    "宣布",
    "新的",
    "交通",
    "规则",
    "将于",
    "下个月",
    "开始",
    "实施",
    "东京",
    "会谈",
    "外交",
    "部长",
    "表示",
    "联盟",
    "代表团",
    "决定",
    "会议",
    "日本",
    "ひらがな",
    "カタカナ",
];
const EXTRAS: &[&str] = &[
    "👍🏽",
    "🇺🇦",
    "👨‍👩‍👧",
    "🎉",
    "e\u{301}te\u{301}",
    "n\u{303}",
    "“quoted”",
    "(Oct. 18)",
    "—",
];

/// A small, seeded random source (xorshift64*): the same seed gives the same article.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % n.max(1)
    }

    fn pick<'a>(&mut self, words: &[&'a str]) -> &'a str {
        words[self.below(words.len())]
    }
}

/// One sentence: mostly Latin-script words, some Cyrillic, CJK (no spaces) or mixed sentences,
/// numbers, emoji and combining marks; 3 to 30 words.
fn sentence(rng: &mut Rng, out: &mut String) {
    let script = rng.below(10);
    let words = 3 + rng.below(28);
    for w in 0..words {
        let word = match (script, rng.below(20)) {
            (_, 0) => rng.pick(EXTRAS),
            (8, _) => rng.pick(CJK),
            (7, _) => rng.pick(CYRILLIC),
            (6, k) => [LATIN, CYRILLIC, CJK][k % 3][rng.below(12)],
            _ => rng.pick(LATIN),
        };
        if w > 0 && script != 8 {
            out.push(' ');
        }
        out.push_str(word);
        if rng.below(25) == 0 {
            out.push_str(&format!(" {}", 1 + rng.below(2030)));
        }
    }
    out.push_str(if script == 8 { "。" } else { ". " });
}

/// An article of about `bytes` bytes whose paragraphs (1 to 8 sentences) do not repeat: the
/// view lays out new text as it scrolls, as in a real article, instead of taking every block
/// from egui's cache. The same size always gives the same article.
fn article(bytes: usize) -> String {
    let mut rng = Rng(0x5eed_0000 ^ bytes as u64);
    let mut s = String::with_capacity(bytes + 1024);
    while s.len() < bytes {
        for _ in 0..1 + rng.below(8) {
            sentence(&mut rng, &mut s);
        }
        s.push_str(if rng.below(6) == 0 { "\n" } else { "\n\n" });
    }
    s
}

/// How many paragraphs (blocks between blank lines) `text` has, and how many are distinct.
fn paragraphs(text: &str) -> (usize, usize) {
    let all: Vec<&str> = text
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .collect();
    let distinct: std::collections::HashSet<&str> = all.iter().copied().collect();
    (all.len(), distinct.len())
}

/// A document with `n` spans spread over the text: words, with every tenth span a longer claim
/// around its neighbours (overlapping and nested), notes on one span in twenty, and relations
/// on 30% of the spans (each to its neighbour, of the first kind the default schema allows
/// between their labels, either way round: 30,000 relations at 100,000 spans). Made as an
/// annotator makes it, edit by edit, so its history holds an entry for each span, note and
/// relation, as real files do.
fn document(text: String, n: usize) -> Document {
    document_with(text, n, true)
}

/// [`document`], with or without its relations.
fn document_with(text: String, n: usize, relations: bool) -> Document {
    let text = Text::new(text);
    let len = text.len_chars();
    let labels: Vec<Label> = ["actor", "action", "date", "claim"]
        .iter()
        .map(|l| Label::new(*l).unwrap())
        .collect();
    let mut doc = Document::from_parts(
        Source {
            name: "bench.txt".into(),
            path: Some("bench.txt".into()),
            sha256: None,
            encoding: "UTF-8".into(),
            bom: false,
        },
        "bench".into(),
        Default::default(),
        Schema::default(),
        AnnotationSet::new(Arc::new(text.clone())),
        Vec::new(),
    );
    let step = (len / n.max(1)).max(2);
    let t = Timestamp::from_unix(1_700_000_000);
    let mut added = 0;
    let mut at = 0;
    while added < n && at + 40 < len {
        let long = added % 10 == 9;
        let start = text.grapheme_ceil(CharOffset(if long {
            at.saturating_sub(step * 2)
        } else {
            at
        }));
        let end = text.grapheme_ceil(
            CharOffset(start.0 + if long { step * 3 } else { 6 }).min(CharOffset(len)),
        );
        if let Some(range) = CharRange::new(start.0, end.0).filter(|r| !r.is_empty()) {
            let id = SpanId::numbered(added as u64 + 1);
            let span = Span::new(id.clone(), labels[added % 4].clone(), range, "bench", t);
            if doc.apply(&Edit::add(span), "bench", t).is_ok() {
                if added % 20 == 7 {
                    let note = format!(
                        "{} — checked against source {} of paragraph {}",
                        NOTES[added % NOTES.len()],
                        added / 20,
                        at / 700
                    );
                    let edit = Edit::set_note(doc.set(), &id, Some(note), t).unwrap();
                    doc.apply(&edit, "bench", t).unwrap();
                }
                added += 1;
            }
        }
        at += step;
    }
    if relations {
        for r in neighbour_relations(doc.set(), t) {
            doc.apply(&Edit::AddRelation(r), "bench", t).unwrap();
        }
    }
    doc
}

/// What annotators write in notes, varied.
const NOTES: [&str; 6] = [
    "unsure whether the minister or the ministry acts here",
    "date relative to the dateline",
    "quote is indirect; speaker named two paragraphs up",
    "переведено с русского",
    "代表团 表示: 会议 将于 下个月",
    "see guideline 4.2 on nested claims",
];

/// Relations from three spans in ten to the span after each.
fn neighbour_relations(set: &AnnotationSet, t: Timestamp) -> Vec<Relation> {
    let schema = Schema::default();
    let spans: Vec<(SpanId, Label)> = set
        .spans()
        .map(|s| (s.id.clone(), s.label.clone()))
        .collect();
    let mut n = 0;
    let mut out = Vec::new();
    for (k, pair) in spans.windows(2).enumerate() {
        if !matches!(k % 10, 0 | 3 | 6) {
            continue;
        }
        let ((a, la), (b, lb)) = (&pair[0], &pair[1]);
        let (from, to, kind) = match schema.kinds_between(la, lb).next() {
            Some(kind) => (a, b, kind),
            None => match schema.kinds_between(lb, la).next() {
                Some(kind) => (b, a, kind),
                None => continue,
            },
        };
        n += 1;
        out.push(Relation::new(
            SpanId::relation_numbered(n),
            kind.name.clone(),
            from.clone(),
            to.clone(),
            "bench",
            t,
        ));
    }
    out
}

fn figure(name: &str, value: f64, unit: &str) {
    println!("{name}: {value:.3} {unit}");
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn percentile(samples: &mut [f64], p: f64) -> f64 {
    samples.sort_by(f64::total_cmp);
    let i = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[i]
}

fn harness(file: &Path) -> Harness<'static, SpanmarkApp> {
    let file = file.to_path_buf();
    let data_dir = file.with_extension("data");
    Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .with_step_dt(1.0 / 60.0)
        .build_eframe(move |cc| {
            SpanmarkApp::new(
                &cc.egui_ctx,
                Prefs::default(),
                Startup {
                    file: Some(file),
                    annotator: Some("bench".into()),
                    // Recovery files go beside the bench's article (autosave is measured).
                    data_dir: Some(data_dir),
                    ..Default::default()
                },
                Arc::new(|| Timestamp::from_unix(1_700_000_000)),
            )
        })
}

/// Opens `file` in the harness and steps until the document is shown (files over 1 MB open on a
/// worker thread while the window shows progress).
fn open_in_harness(file: &Path) -> Harness<'static, SpanmarkApp> {
    let mut h = harness(file);
    let deadline = Instant::now() + Duration::from_secs(120);
    h.step();
    while h.state().state().session.is_none() || h.state().state().jobs.loading.is_some() {
        assert!(Instant::now() < deadline, "the document did not open");
        std::thread::sleep(Duration::from_micros(200));
        h.step();
    }
    h
}

/// Frame times while scrolling through the article with the mouse wheel, in ms, each the
/// frame's work and its tessellation: 150 frames at
/// 400 points a frame, then 50 at 1,200, and again. The scroll turns back where the article
/// ends (or begins), once the view has stood still for three frames (the wheel scrolls
/// smoothly, over a few frames), so that a short article is scrolled through as a long one
/// is: a frame that does not move lays nothing new out.
fn scroll_frames(h: &mut Harness<'static, SpanmarkApp>, frames: usize) -> Vec<f64> {
    h.hover_at(Pos2::new(700.0, 450.0));
    let mut times = Vec::with_capacity(frames);
    let offset =
        |h: &Harness<'static, SpanmarkApp>| h.state().widgets().view().unwrap().scroll_offset();
    let mut down = true;
    let mut still = 0;
    for i in 0..frames {
        let speed = if i % 200 < 150 { 400.0 } else { 1200.0 };
        let delta = if down { -speed } else { speed };
        let before = offset(h);
        h.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, delta),
            phase: egui::TouchPhase::Move,
            modifiers: Modifiers::NONE,
            source: egui::MouseWheelSource::Wheel,
        });
        let start = Instant::now();
        h.step();
        let stepped = start.elapsed();
        // Tessellation too, as eframe does after every frame (the harness does not): the
        // shapes' copy is not counted.
        let shapes = h.output().shapes.clone();
        let ppp = h.output().pixels_per_point;
        let start = Instant::now();
        let meshes = h.ctx.tessellate(shapes, ppp);
        times.push(ms(stepped + start.elapsed()));
        drop(meshes);
        still = if offset(h) == before { still + 1 } else { 0 };
        if still == 3 {
            down = !down;
            still = 0;
        }
    }
    times
}

struct Scale {
    label: &'static str,
    /// The span count in figure names: `save_100k_ms`.
    spans_label: &'static str,
    bytes: usize,
    spans: usize,
}

fn run(scale: &Scale, dir: &Path) {
    let text = article(scale.bytes);
    let (all, distinct) = paragraphs(&text);
    figure(
        &format!("paragraphs_{}", scale.label),
        all as f64,
        "paragraphs",
    );
    figure(
        &format!("distinct_paragraphs_{}", scale.label),
        distinct as f64,
        "paragraphs",
    );
    let doc = document(text.clone(), scale.spans);
    let article_path = dir.join(format!("{}.txt", scale.label));
    std::fs::write(&article_path, &text).unwrap();
    let native_path = native::path_beside(&article_path);
    let mut doc = doc;
    doc.source.sha256 = Some(spanmark::store::hash::sha256_hex(text.as_bytes()));

    // Saving, in its two parts: serialising, then the atomic write.
    let start = Instant::now();
    let bytes = native::to_bytes(&doc);
    figure(
        &format!("serialize_{}_ms", scale.label),
        ms(start.elapsed()),
        "ms",
    );
    let start = Instant::now();
    native::from_bytes(&native_path, &bytes).unwrap();
    figure(
        &format!("load_checked_{}_ms", scale.label),
        ms(start.elapsed()),
        "ms",
    );
    drop(bytes);
    // The disk's flush time varies from run to run on a shared machine: the median of five
    // saves, and the slowest.
    let mut saves: Vec<f64> = (0..5)
        .map(|_| {
            let start = Instant::now();
            native::save(&doc, &native_path).unwrap();
            ms(start.elapsed())
        })
        .collect();
    figure(
        &format!("write_{}_ms", scale.spans_label),
        percentile(&mut saves, 0.5),
        "ms",
    );
    figure(
        &format!("write_{}_slowest_ms", scale.spans_label),
        percentile(&mut saves, 1.0),
        "ms",
    );

    measure_rss(&native_path, scale.label);

    // Open: load and check the native file, build the indexes, lay out the first frame.
    let start = Instant::now();
    let mut h = open_in_harness(&native_path);
    figure(
        &format!("open_{}_ms", scale.label),
        ms(start.elapsed()),
        "ms",
    );
    let spans = h
        .state()
        .state()
        .session
        .as_ref()
        .unwrap()
        .doc()
        .set()
        .len();
    assert!(spans >= scale.spans * 9 / 10, "{spans}");
    for _ in 0..5 {
        h.step();
    }

    let mut frames = scroll_frames(&mut h, 1000);
    figure(
        &format!("frame_p50_{}_ms", scale.label),
        percentile(&mut frames, 0.5),
        "ms",
    );
    figure(
        &format!("frame_p95_{}_ms", scale.label),
        percentile(&mut frames, 0.95),
        "ms",
    );
    let laid_out = h.state().widgets().view().unwrap().laid_out_last_frame;
    figure(
        &format!("blocks_laid_out_per_frame_{}", scale.label),
        laid_out as f64,
        "blocks",
    );
    relation_figures(&mut h, scale.label);

    // Select and label: a drag over visible text, a label key, until the next frame is ready.
    let mut samples = Vec::new();
    for i in 0..20 {
        drag_select(&mut h, i);
        let start = Instant::now();
        h.key_press(Key::Num2);
        h.step();
        samples.push(ms(start.elapsed()));
        h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
        h.step();
    }
    figure(
        &format!("select_label_{}_ms", scale.label),
        percentile(&mut samples, 0.5),
        "ms",
    );
    save_figures(&mut h, scale.spans_label);
    drop(h);
    // SPANMARK_BENCH_KEEP=DIR keeps the generated article and annotation file (for profiling).
    if let Some(keep) = std::env::var_os("SPANMARK_BENCH_KEEP") {
        let keep = Path::new(&keep);
        std::fs::create_dir_all(keep).unwrap();
        std::fs::copy(&article_path, keep.join(article_path.file_name().unwrap())).unwrap();
        std::fs::copy(&native_path, keep.join(native_path.file_name().unwrap())).unwrap();
    }
    let _ = std::fs::remove_file(&native_path);
}

/// Drags over visible text on one of five rows (by `i`), as a user selects before labelling.
fn drag_select(h: &mut Harness<'static, SpanmarkApp>, i: usize) {
    let y = 300.0 + (i % 5) as f32 * 40.0;
    let (a, b) = (Pos2::new(320.0, y), Pos2::new(480.0, y));
    h.hover_at(a);
    h.drag_at(a);
    h.step();
    h.hover_at(b);
    h.step();
    h.drop_at(b);
    h.step();
}

/// One frame as eframe runs it: the update, then tessellation (the harness does not
/// tessellate; eframe does after every frame). The shapes' copy is not counted.
fn frame_ms(h: &mut Harness<'static, SpanmarkApp>) -> f64 {
    let start = Instant::now();
    h.step();
    let stepped = start.elapsed();
    let shapes = h.output().shapes.clone();
    let ppp = h.output().pixels_per_point;
    let start = Instant::now();
    let meshes = h.ctx.tessellate(shapes, ppp);
    let took = stepped + start.elapsed();
    drop(meshes);
    ms(took)
}

/// Frames at 60 a second (as a display paces them) until no file is being written: how long
/// that took and the slowest frame meanwhile (a user scrolling or typing during a save gets
/// frames like these).
fn frames_until_written(h: &mut Harness<'static, SpanmarkApp>) -> (f64, f64) {
    let start = Instant::now();
    let mut slowest = 0.0_f64;
    loop {
        let jobs = &h.state().state().jobs;
        if jobs.writing.is_none() && !jobs.save_queued {
            return (ms(start.elapsed()), slowest);
        }
        let took = frame_ms(h);
        slowest = slowest.max(took);
        std::thread::sleep(Duration::from_secs_f64(
            (1.0 / 60.0 - took / 1000.0).max(0.0),
        ));
    }
}

/// Ctrl+S as a user presses it, after an edit: the check that nobody changed the file on disk
/// and the snapshot, until the window answers again (`save_*_ms`: the frame that took the key);
/// then the worker serialising, writing and fsyncing while frames go on, until the frame that
/// takes in the outcome (`save_*_on_disk_ms`, from the key press); the slowest frame of all of
/// it. The median of five saves (the disk's flush time varies on a shared machine), and the
/// slowest. Then an autosave, started by the window losing focus, the same way.
fn save_figures(h: &mut Harness<'static, SpanmarkApp>, spans: &str) {
    let (mut answers, mut on_disk, mut slowest_frame) = (Vec::new(), Vec::new(), 0.0_f64);
    // The slowest of the frames drawn while the file is written, the edit's apart.
    let mut slowest_writing = 0.0_f64;
    let mut edits_meanwhile = Vec::new();
    for i in 0..5 {
        drag_select(h, i);
        h.key_press(Key::Num3);
        h.step();
        let start = Instant::now();
        h.key_press_modifiers(Modifiers::COMMAND, Key::S);
        let answer = frame_ms(h);
        answers.push(answer);
        // The annotator goes on labelling while the file is written: the first edit after the
        // snapshot copies what the snapshot still shares (the next save writes this edit).
        let writing = h.state().state().jobs.writing.is_some();
        if writing {
            drag_select(h, i + 1);
            h.key_press(Key::Num2);
            edits_meanwhile.push(frame_ms(h));
        }
        let (_, slowest) = frames_until_written(h);
        on_disk.push(ms(start.elapsed()));
        slowest_writing = slowest_writing.max(slowest);
        slowest_frame = slowest_frame
            .max(answer)
            .max(slowest)
            .max(edits_meanwhile.last().copied().unwrap_or(0.0));
        let session = h.state().state().session.as_ref().unwrap();
        assert!(writing || !session.is_dirty(), "Ctrl+S did not save");
    }
    if !edits_meanwhile.is_empty() {
        figure(
            &format!("save_{spans}_edit_meanwhile_ms"),
            percentile(&mut edits_meanwhile, 0.5),
            "ms",
        );
    }
    figure(
        &format!("save_{spans}_ms"),
        percentile(&mut answers, 0.5),
        "ms",
    );
    figure(
        &format!("save_{spans}_slowest_ms"),
        percentile(&mut answers, 1.0),
        "ms",
    );
    figure(
        &format!("save_{spans}_on_disk_ms"),
        percentile(&mut on_disk, 0.5),
        "ms",
    );
    figure(
        &format!("save_{spans}_on_disk_slowest_ms"),
        percentile(&mut on_disk, 1.0),
        "ms",
    );
    figure(&format!("save_{spans}_frame_max_ms"), slowest_frame, "ms");
    figure(
        &format!("save_{spans}_writing_frame_max_ms"),
        slowest_writing,
        "ms",
    );

    // Autosave: an edit (an actor where a save above made a date), then the window loses focus.
    drag_select(h, 0);
    h.key_press(Key::Num1);
    set_focus(h, true);
    h.step();
    set_focus(h, false);
    let start = Instant::now();
    let first = frame_ms(h);
    assert!(
        h.state().state().jobs.writing.is_some() || spans_small(spans),
        "losing focus started no autosave"
    );
    let (_, slowest) = frames_until_written(h);
    figure(
        &format!("autosave_{spans}_on_disk_ms"),
        ms(start.elapsed()),
        "ms",
    );
    figure(
        &format!("autosave_{spans}_frame_max_ms"),
        first.max(slowest),
        "ms",
    );
    set_focus(h, true);
    h.step();
}

/// Small documents are saved at once on the UI thread (no worker for a few milliseconds).
fn spans_small(spans: &str) -> bool {
    !spans.ends_with('k')
}

fn set_focus(h: &mut Harness<'static, SpanmarkApp>, focused: bool) {
    h.input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .focused = Some(focused);
}

/// Relations in the open app: how many, how many arrows a frame draws, the frames of the whole
/// document computed (what the Frames window and the frames export do), and the keys of making
/// one as a user presses them: Tab selects a span, R lists the spans it may link to (every span
/// of the document is looked at) and picks the nearest, Enter makes the relation, each timed
/// until the next frame is ready.
fn relation_figures(h: &mut Harness<'static, SpanmarkApp>, label: &str) {
    let session = h.state().state().session.as_ref().unwrap();
    let set = session.doc().set();
    figure(
        &format!("relations_{label}"),
        set.relation_count() as f64,
        "relations",
    );
    let start = Instant::now();
    let frames = spanmark::model::frames::all_frames(set);
    figure(&format!("frames_all_{label}_ms"), ms(start.elapsed()), "ms");
    assert!(!frames.is_empty());
    let arrows = h.state().widgets().view().unwrap().arrows.len();
    figure(&format!("arrows_drawn_{label}"), arrows as f64, "arrows");
    assert!(arrows > 0, "the bench article shows no relation arrows");
    let timed = |h: &mut Harness<'static, SpanmarkApp>, key: Key| {
        let start = Instant::now();
        h.key_press(key);
        h.step();
        ms(start.elapsed())
    };
    let (mut r_times, mut enter_times) = (Vec::new(), Vec::new());
    for _ in 0..10 {
        h.key_press(Key::Tab);
        h.step();
        r_times.push(timed(h, Key::R));
        let linking = h
            .state()
            .state()
            .session
            .as_ref()
            .unwrap()
            .linking()
            .is_some();
        if linking {
            enter_times.push(timed(h, Key::Enter));
            h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
            h.step();
        }
    }
    figure(
        &format!("start_relation_{label}_ms"),
        percentile(&mut r_times, 0.5),
        "ms",
    );
    if !enter_times.is_empty() {
        figure(
            &format!("make_relation_{label}_ms"),
            percentile(&mut enter_times, 0.5),
            "ms",
        );
    }
}

/// Peak resident memory of this process, in MB (Linux `VmHWM`).
fn peak_rss_mb() -> Option<f64> {
    status_mb("VmHWM:")
}

/// A memory figure of this process from /proc/self/status, in MB.
fn status_mb(key: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// The memory figure is taken in a fresh process that only opens the file in the harness and
/// scrolls a little: this process holds the generated data too.
fn rss_probe(native_path: &Path) {
    let mut h = open_in_harness(native_path);
    for _ in 0..5 {
        h.step();
    }
    let _ = scroll_frames(&mut h, 50);
    // Once the history's check in the background is done, as it is a moment after opening:
    // on a busy machine it could still be running at this point, and the figure would vary
    // with the load.
    let deadline = Instant::now() + Duration::from_secs(120);
    while h.state().state().jobs.verifying.is_some() {
        assert!(
            Instant::now() < deadline,
            "the history's check did not finish"
        );
        std::thread::sleep(Duration::from_millis(1));
        h.step();
    }
    println!(
        "{} {}",
        status_mb("VmRSS:").unwrap_or(f64::NAN),
        peak_rss_mb().unwrap_or(f64::NAN)
    );
    // Kept to the end, so a heap profiler run on the probe (`heaptrack scale-… --rss-probe F`)
    // reports what was live when the figure was taken as what is left at exit.
    std::mem::forget(h);
}

/// The parts of a save as the workbench's writer does them (serialised leaving a core to the
/// window, written atomically, the written file's stamp), each timed, three times over: for a
/// profiler (`perf record scale-… --save-probe F`), which sees little else in this process.
fn save_probe(native_path: &Path) {
    let doc = native::load(native_path).unwrap().doc;
    let out = native_path.with_extension("probe.json");
    for _ in 0..3 {
        let start = Instant::now();
        let file = native::Serialised::leaving_a_core(&doc);
        let serialised = ms(start.elapsed());
        let start = Instant::now();
        file.write(&out).unwrap();
        let written = ms(start.elapsed());
        let start = Instant::now();
        let stamp = spanmark::store::guard::FileStamp::of_parts(&file.parts());
        let stamped = ms(start.elapsed());
        println!(
            "serialised {serialised:.1} ms, written {written:.1} ms, stamped {stamped:.1} ms ({stamp:?})"
        );
    }
    let _ = std::fs::remove_file(out);
}

fn measure_rss(native_path: &Path, label: &str) {
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    let out = std::process::Command::new(exe)
        .arg("--rss-probe")
        .arg(native_path)
        .output();
    let Ok(out) = out else {
        return;
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    let numbers: Vec<f64> = stdout
        .lines()
        .last()
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect();
    if let [now, peak] = numbers[..] {
        figure(&format!("rss_{label}_mb"), peak, "MB");
        figure(&format!("rss_after_open_{label}_mb"), now, "MB");
    }
}

/// Agreement over `n` document pairs of a few KB each.
fn agreement_figure(n: usize) {
    let mut docs = Vec::with_capacity(2 * n);
    for i in 0..n {
        let text = format!("{}{i}", article(3_000));
        for (who, shift) in [("ann", 0usize), ("bob", 1)] {
            let mut d = document(text.clone(), 30 + shift);
            d.annotator = who.to_string();
            docs.push(d);
        }
    }
    let refs: Vec<&Document> = docs.iter().collect();
    let start = Instant::now();
    let agreement = spanmark::review::metrics::agreement_of(&refs).unwrap();
    figure(&format!("agree_{n}_docs_ms"), ms(start.elapsed()), "ms");
    assert_eq!(agreement.documents, n);
}

/// Exporting a corpus of `n` annotation files of about 10 KB of text and 100 spans each to
/// spaCy-style JSONL, through the same library call as `spanmark export`: MB of article text
/// per second, and MB written per second. With `relations` (30 a document) every document
/// gets Prodigy tokens for its relations to point at, which writes some fifteen times the
/// text; without, the spans only (the figure the target was set for).
fn export_figure(n: usize, dir: &Path, relations: bool) {
    let name = if relations {
        "export_jsonl_relations"
    } else {
        "export_jsonl"
    };
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let mut text_bytes = 0usize;
    for i in 0..n {
        let text = format!("Document {i}.\n\n{}", article(10_000));
        text_bytes += text.len();
        let mut doc = document_with(text, 100, relations);
        doc.source.name = format!("doc{i:05}.txt");
        doc.source.path = Some(doc.source.name.clone());
        native::save(&doc, &corpus.join(format!("doc{i:05}.txt.spanmark.json"))).unwrap();
    }
    let out = dir.join("corpus.jsonl");
    let request = spanmark::export::ExportRequest::new(
        spanmark::formats::Format::named("jsonl").unwrap(),
        vec![corpus.clone()],
        &out,
    );
    // Seconds an export takes.
    let export = || {
        let progress = spanmark::progress::Progress::new();
        let start = Instant::now();
        let report = spanmark::export::export_corpus(&request, &progress).unwrap();
        let secs = start.elapsed().as_secs_f64();
        assert_eq!(report.documents, n);
        secs
    };
    // The median of five exports, and the slowest (the machine is shared).
    let mut runs: Vec<f64> = (0..5).map(|_| export()).collect();
    let median = percentile(&mut runs, 0.5);
    let slowest = percentile(&mut runs, 1.0);
    let written = std::fs::metadata(&out).map_or(0, |m| m.len());
    figure(
        &format!("{name}_mb_per_s"),
        text_bytes as f64 / 1e6 / median,
        "MB/s",
    );
    figure(
        &format!("{name}_slowest_mb_per_s"),
        text_bytes as f64 / 1e6 / slowest,
        "MB/s",
    );
    figure(
        &format!("{name}_written_mb_per_s"),
        written as f64 / 1e6 / median,
        "MB/s",
    );
    figure(&format!("{name}_{n}_docs_ms"), median * 1000.0, "ms");
    // The same with the files dropped from the page cache first, as after a restart (or, on
    // a machine that reclaims pages it has not touched for seconds, a while after the last
    // export): the median of three.
    let mut cold: Vec<f64> = (0..3)
        .map(|_| {
            drop_from_page_cache(&corpus);
            export()
        })
        .collect();
    figure(
        &format!("{name}_cold_{n}_docs_ms"),
        percentile(&mut cold, 0.5) * 1000.0,
        "ms",
    );
    if let Some(keep) = std::env::var_os("SPANMARK_BENCH_KEEP") {
        // Kept for profiling `spanmark export` on the same corpus.
        let kept = Path::new(&keep).join("corpus");
        let _ = std::fs::remove_dir_all(&kept);
        std::fs::create_dir_all(Path::new(&keep)).unwrap();
        std::fs::rename(&corpus, &kept).unwrap();
    }
    let _ = std::fs::remove_dir_all(&corpus);
    let _ = std::fs::remove_file(&out);
}

/// Asks the system to drop the files in `dir` from the page cache (written out first, as
/// the kernel drops only clean pages), as if they had not been read since a restart.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
fn drop_from_page_cache(dir: &Path) {
    use std::os::fd::AsRawFd;
    for entry in std::fs::read_dir(dir).unwrap() {
        let file = std::fs::File::open(entry.unwrap().path()).unwrap();
        file.sync_all().unwrap();
        // SAFETY: `posix_fadvise` only advises the kernel about the open descriptor, which
        // `file` keeps open for the call; it touches no memory of ours.
        let done =
            unsafe { libc::posix_fadvise(file.as_raw_fd(), 0, 0, libc::POSIX_FADV_DONTNEED) };
        assert_eq!(done, 0, "posix_fadvise");
    }
}

/// Other systems: the files stay where they are (the cold figure is then a warm one).
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn drop_from_page_cache(_dir: &Path) {}

fn main() {
    // As the workbench sets it when it starts (`app::workbench::run`).
    spanmark::app::memory::return_large_blocks();
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--rss-probe") {
        rss_probe(Path::new(&args[i + 1]));
        return;
    }
    if let Some(i) = args.iter().position(|a| a == "--save-probe") {
        save_probe(Path::new(&args[i + 1]));
        return;
    }
    // `cargo bench` passes --bench; nothing else is taken.
    let quick = std::env::var_os("SPANMARK_BENCH_QUICK").is_some();
    let dir = tempfile::tempdir().unwrap();
    // SPANMARK_BENCH_QUICK=1 (CI, in the test profile): the smallest size and small corpora,
    // so the bench keeps compiling and running; its figures mean nothing there.
    let mut scales = vec![Scale {
        label: "10kb",
        spans_label: "100",
        bytes: 10_000,
        spans: 100,
    }];
    if !quick {
        scales.push(Scale {
            label: "1mb_10k",
            spans_label: "10k",
            bytes: 1_000_000,
            spans: 10_000,
        });
        scales.push(Scale {
            label: "10mb_100k",
            spans_label: "100k",
            bytes: 10_000_000,
            spans: 100_000,
        });
    }
    let corpus = if quick { 20 } else { 1_000 };
    // SPANMARK_BENCH_ONLY=10mb_100k (or 10kb, 1mb_10k, agree, export) runs one part (for profiling).
    let only = std::env::var("SPANMARK_BENCH_ONLY").ok();
    for scale in scales
        .iter()
        .filter(|s| only.as_deref().is_none_or(|o| o == s.label))
    {
        run(scale, dir.path());
    }
    if only.as_deref().is_none_or(|o| o == "agree") {
        agreement_figure(corpus);
    }
    if only.as_deref().is_none_or(|o| o == "export") {
        export_figure(corpus, dir.path(), false);
        export_figure(corpus, dir.path(), true);
    }
}
