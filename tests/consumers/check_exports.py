#!/usr/bin/env python3
"""Consumer checks: the real tools that read Spanmark's exports accept them.

Run by `.ci/run` in a venv with the pinned versions of `requirements.txt`:

    python tests/consumers/check_exports.py --spanmark target/debug/spanmark

It drives the real binary on two corpora, in a temporary folder:

* the interop fixtures of `tests/fixtures/` (doccano, Label Studio, spaCy/Prodigy JSONL, brat,
  CoNLL), imported with `spanmark import`;
* a generated corpus (fixed seed) of texts full of emoji, ZWJ sequences, flags, CJK, combining
  marks, Hebrew and Arabic, CRLF, tabs and NBSP, with nested and overlapping spans on token
  boundaries;

exports each with `spanmark export` to every format, and checks:

* **spaCy**: every exported JSONL span gives `doc.char_span(start, end, label,
  alignment_mode="strict")` with the same text; the spans go into a `DocBin` (as `doc.spans`
  and, non-overlapping, as `doc.ents`) and come back unchanged. Spans of the fixtures that do
  not lie on spaCy's token boundaries *in the source data itself* (a label on the first letter
  of a word, text written without spaces) are listed below with the reason, by document and
  count; any other misaligned span fails the check.
* **seqeval**: the CoNLL export is IOB2 (`seqeval.scheme.auto_detect`), seqeval's strict IOB2
  mode finds exactly the entities its lenient mode finds (no orphan `I-`), and those entities,
  placed back in the text, are exactly our spans (every one of them for the generated corpus;
  for the fixtures, those the export did not report as lost).
* **pyld**: every W3C collection uses only terms of the official context and expands with it;
  the context is not fetched (CI has no network for it): `anno.jsonld` beside this script is a
  copy of http://www.w3.org/ns/anno.jsonld, served to pyld by a local document loader that
  refuses every other URL. Every position selector gives the text its quote selector quotes,
  and every span of the JSONL export is there.
* doccano, Label Studio (both in characters and in UTF-16), CSV and brat exports are written
  and their offsets give the span text.
* **doccano's import rules** and **brat's parser rules**, mirrored (neither doccano's server
  nor brat installs from a package registry): every line of the doccano exports passes the
  checks of doccano's import pipeline (`doccano_import_problems`, sources named there), and
  nothing of the flat corpus overlaps (doccano's `SpanCleaner`); every `.ann` parses by the
  rules of brat's `server/src/annotation.py` (`brat_parse_problems`).
* **Label Studio's converter** (`label_studio_sdk.converter.Converter`, the code behind Label
  Studio's Export formats, pinned): every task and annotation of the Label Studio export has a
  unique integer id and a user; per labeling config (one per data key and control names, as a
  project has one) the converter writes JSON_MIN, which gives back every annotation with its
  task id, annotation id, annotator and regions, and CONLL2003, whose tags equal those of our
  CoNLL export on every token the two tokenisations share, in the documents whose spans lie on
  both tokenisations' boundaries (NLTK's Treebank tokenizer keeps `Uber’s` whole; a span on
  `Uber` is then not comparable). The nested corpus: JSON_MIN only.
* **spaCy, Prodigy's relations**: the generated texts with relations between their spans, read
  without tokens and exported to JSONL with no loss allowed: the tokens written for the
  relations build a `Doc(words, spaces)` whose text is the record's, every span is
  `doc[token_start:token_end + 1]` at its offsets, and every relation's `head`/`child` is the
  last token of its span (as the `rel_component` tutorial of spaCy's projects reads them).

Nothing is skipped silently: a format that cannot be exported, an import that fails to run, a
fixture folder that is missing, all fail the run. The last line is `consumers: N passed, M
failed`; the exit status is 1 when anything failed.
"""

import argparse
import csv
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

import spacy
from pyld import jsonld
from seqeval.metrics.sequence_labeling import get_entities
from seqeval.scheme import IOB2, Entities, auto_detect
from spacy.tokens import DocBin
from spacy.util import filter_spans

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
CONTEXT_URL = "http://www.w3.org/ns/anno.jsonld"
OA = "http://www.w3.org/ns/oa#"

# Fixture spans that are not on spaCy's token boundaries in the source data, by document name
# prefix: (count, why). A different count fails the check.
MISALIGNED_IN_SOURCE = {
    "PMID-10438843": (6, "brat BioNLP: 'CD4' labelled inside the token 'CD4(+'"),
    "protocol_557": (22, "WNUT 2020: table cells written without spaces ('Assembly2–3')"),
    "protocol_0": (5, "WNUT 2020: '11,000 x g' and 'Buffe' end inside tokens"),
    "protocol_7": (1, "WNUT 2020: a span ends inside a token"),
    "example": (2, "doccano test data: 'e', the first letter of 'exampleA'"),
}


# Fixture spans whose Label Studio value.text contradicts their offsets: kept where the offsets
# put them (" supporters") and flagged on import; in rich_text_plain's annotations/1.json. (Its
# tasks.json has the same region as a prediction: predictions import as pending suggestions,
# which exports leave out, so it is not in the export.)
FLAGGED_ON_IMPORT = 1


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = []

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            print(f"ok   {name}")
        else:
            self.failed.append(name)
            print(f"FAIL {name}: {detail}")
        return ok


def run(spanmark, args, cwd, allowed=(0,)):
    """Runs spanmark; a usage error or crash (exit 2 or a signal) always fails."""
    proc = subprocess.run(
        [str(spanmark), *args], cwd=cwd, capture_output=True, text=True, check=False
    )
    if proc.returncode not in allowed:
        raise SystemExit(
            f"spanmark {' '.join(args)} exited {proc.returncode}\n"
            f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
        )
    return proc


# ---------------------------------------------------------------------------------------------
# Inputs


def fixture_imports():
    """(format, files, extra args) for every fixture set; a missing folder is an error."""

    def files(*patterns):
        found = []
        for pattern in patterns:
            matches = sorted(p for p in FIXTURES.glob(pattern) if p.is_file())
            if not matches:
                raise SystemExit(f"fixtures missing: tests/fixtures/{pattern}")
            found.extend(matches)
        return found

    conll = [
        p
        for p in files("conll/**/*")
        if p.name not in ("LICENSE", "README.md") and not p.name.endswith(".md")
    ]
    return [
        ("doccano", files("doccano/**/*.jsonl"), ["--offsets", "unicode-scalar"]),
        ("label-studio", files("labelstudio/**/*.json", "labelstudio-converter/**/*.json"), []),
        ("jsonl", files("spacy-jsonl/**/*.jsonl"), []),
        (
            "brat",
            files("brat/**/*.ann", "dkpro-brat/**/*.ann", "wnut2020-wlp/**/Standoff_Format/*.ann"),
            [],
        ),
        ("conll", conll + files("wnut2020-wlp/**/Conll_Format/*.txt"), []),
    ]


def stress_corpus(seed, flat, documents=8):
    """JSONL records of generated texts, each span on token boundaries (spaCy's and ours);
    `flat`: no two spans overlap (what CoNLL can hold), else nested and overlapping spans."""
    rng = random.Random(seed)
    words = [
        "Lavrov", "Blinken", "NATO", "Monday", "東京", "北京", "ソウル", "서울", "Zoe\u0308",
        "Ame\u0301lie", "naïve", "Ὀδυσσεύς", "שלום", "ירושלים", "مرحبا", "القاهرة", "Kyiv",
        "2021-10-18", "Łódź", "Straße",
    ]
    filler = ["said", "met", "on", "and", "the", "talks", "ended", "in", "with", "who"]
    emoji = ["👨‍👩‍👧", "🇺🇦", "👍🏽", "😀", "🧑🏿‍🚀", "❤️", "🏳️‍🌈", "👨🏻‍🚒", "🐱"]
    separators = [" "] * 6 + ["\r\n", "\t", "\u00a0", " \u00a0 ", "\r\n\r\n", " \t "]
    labels = ["actor", "action", "date", "claim"]
    records = []
    for n in range(documents):
        items = []  # (kind, text)
        for _ in range(rng.randint(25, 60)):
            kind = rng.choices(["word", "filler", "emoji"], weights=[4, 3, 2])[0]
            pool = {"word": words, "filler": filler, "emoji": emoji}[kind]
            items.append((kind, rng.choice(pool)))
            if kind != "emoji" and rng.random() < 0.15:
                items.append(("punct", rng.choice([".", ",", "!", "?"])))
        text, offsets = "", []
        for i, (kind, piece) in enumerate(items):
            if i > 0 and kind != "punct":
                text += rng.choice(separators)
            start = len(text)
            text += piece
            offsets.append((start, len(text)))
        word_at = [i for i, (k, _) in enumerate(items) if k in ("word", "filler")]
        spans, taken = [], set()
        for _ in range(rng.randint(5, 15)):
            a = rng.choice(word_at)
            later = [b for b in word_at if a <= b <= a + 5]
            b = rng.choice(later)
            key = (offsets[a][0], offsets[b][1])
            label = rng.choice(labels)
            if (key, label) in taken:
                continue
            if flat and any(k[0] < key[1] and key[0] < k[1] for k, _ in taken):
                continue
            taken.add((key, label))
            spans.append(
                {"start": key[0], "end": key[1], "label": label, "text": text[key[0]:key[1]]}
            )
        kind = "flat" if flat else "nested"
        records.append({"text": text, "spans": spans, "meta": {"name": f"{kind}-{n}.txt"}})
    return records


def linked_corpus(seed, documents=6):
    """The nested corpus's texts and spans with relations between the spans, in Prodigy's
    `rel.manual` shape but without tokens (`head_span`/`child_span` by offsets): the JSONL export
    must make tokens for them to point at. Relations come from a second generator, so the texts
    and spans are those of `stress_corpus`."""
    records = stress_corpus(seed, flat=False, documents=documents)
    rng = random.Random(seed + 1)
    kinds = ["source", "cue", "agent", "target", "time"]
    for record in records:
        spans = record["spans"]
        relations, seen = [], set()
        for _ in range(rng.randint(1, 8)):
            if len(spans) < 2:
                break
            head, child = rng.sample(spans, 2)
            kind = rng.choice(kinds)
            key = (head["start"], head["end"], head["label"], child["start"], child["end"], child["label"], kind)
            if key in seen:
                continue
            seen.add(key)
            relations.append(
                {
                    "head_span": {k: head[k] for k in ("start", "end", "label")},
                    "child_span": {k: child[k] for k in ("start", "end", "label")},
                    "label": kind,
                }
            )
        record["relations"] = relations
    return records


# ---------------------------------------------------------------------------------------------
# Reading the exports


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def manifest_loss(path):
    manifest = json.loads(path.read_text(encoding="utf-8"))
    return manifest["not_held_by_the_format"]


def conll_documents(path):
    """[[sentence, …], …] per document, a sentence being [(token, tag), …]."""
    docs, sentence = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("-DOCSTART-"):
            if sentence:
                docs[-1].append(sentence)
                sentence = []
            docs.append([])
            continue
        if not line.strip():
            if sentence:
                docs[-1].append(sentence)
                sentence = []
            continue
        cols = line.split("\t") if "\t" in line else line.split()
        sentence.append((cols[0], cols[-1]))
    if sentence:
        docs[-1].append(sentence)
    return docs


# ---------------------------------------------------------------------------------------------
# The consumers


def check_spacy(checks, name, records, strict):
    nlp = spacy.blank("en")
    misaligned = {}
    wrong_text = []
    docs = []
    for record in records:
        text = record["text"]
        doc = nlp.make_doc(text)
        aligned = []
        for s in record["spans"]:
            if text[s["start"]:s["end"]] != s["text"]:
                wrong_text.append((record["meta"]["name"], s))
                continue
            span = doc.char_span(s["start"], s["end"], label=s["label"], alignment_mode="strict")
            if span is None or span.text != s["text"]:
                flagged = "ls.text" in s.get("attrs", {})
                key = "flagged on import" if flagged else record["meta"]["name"]
                misaligned.setdefault(key, []).append(s["text"])
            else:
                aligned.append(span)
        doc.spans["sc"] = aligned
        doc.ents = filter_spans(aligned)
        docs.append(doc)
    checks.check(f"{name}: spaCy reads the span texts at their offsets", not wrong_text, wrong_text[:5])
    if strict:
        checks.check(
            f"{name}: spaCy char_span(strict) is never None",
            not misaligned,
            misaligned,
        )
    else:
        by_prefix = {}
        unexplained = {}
        for doc_name, texts in misaligned.items():
            if doc_name == "flagged on import":
                continue
            prefix = next((p for p in MISALIGNED_IN_SOURCE if doc_name.startswith(p)), None)
            if prefix is None:
                unexplained[doc_name] = texts
            else:
                by_prefix[prefix] = by_prefix.get(prefix, 0) + len(texts)
        expected = {p: n for p, (n, _) in MISALIGNED_IN_SOURCE.items()}
        for prefix, (n, why) in MISALIGNED_IN_SOURCE.items():
            print(f"     known in the source data: {by_prefix.get(prefix, 0)} of {n} in {prefix}*: {why}")
        flagged = misaligned.get("flagged on import", [])
        print(f"     flagged on import (value.text contradicts offsets): {len(flagged)}")
        checks.check(
            f"{name}: spaCy char_span(strict) is None only where the source data is off spaCy's tokens",
            not unexplained and by_prefix == expected and len(flagged) == FLAGGED_ON_IMPORT,
            {"unexplained": unexplained, "counted": by_prefix, "flagged": flagged},
        )
    # DocBin: the spans survive serialisation.
    bin_ = DocBin(store_user_data=False)
    for doc in docs:
        bin_.add(doc)
    back = list(DocBin().from_bytes(bin_.to_bytes()).get_docs(nlp.vocab))

    def spans_of(d):
        return (
            [(s.start_char, s.end_char, s.label_) for s in d.spans["sc"]],
            [(e.start_char, e.end_char, e.label_) for e in d.ents],
        )

    checks.check(
        f"{name}: spaCy DocBin keeps every span ({sum(len(d.spans['sc']) for d in docs)} spans)",
        len(back) == len(docs) and all(spans_of(a) == spans_of(b) for a, b in zip(docs, back)),
    )


def check_prodigy_tokens(checks, name, records, relations):
    """The tokens the JSONL export made for relations, as spaCy reads Prodigy's `rel.manual`
    data: `Doc(words, spaces)` gives the text back with the same character offsets, each span
    is `doc[token_start:token_end + 1]`, and each relation's `head`/`child` is the last token of
    its span. `relations`: how many relations the input had (none may be lost)."""
    from spacy.tokens import Doc

    nlp = spacy.blank("en")
    bad, found = [], 0
    for record in records:
        tokens = record.get("tokens")
        where = record["meta"]["name"]
        if not tokens:
            bad.append((where, "no tokens"))
            continue
        doc = Doc(nlp.vocab, words=[t["text"] for t in tokens], spaces=[t["ws"] for t in tokens])
        if doc.text != record["text"]:
            bad.append((where, "Doc(words, spaces).text is not the text"))
            continue
        for t, tok in zip(tokens, doc):
            if (tok.idx, tok.idx + len(tok.text)) != (t["start"], t["end"]):
                bad.append((where, "token offsets", t))

        def sits(holder):
            span = doc[holder["token_start"] : holder["token_end"] + 1]
            return (span.start_char, span.end_char) == (holder["start"], holder["end"])

        bad.extend((where, "span", s) for s in record["spans"] if not sits(s))
        for r in record.get("relations", []):
            found += 1
            for key, end in (("head", "head_span"), ("child", "child_span")):
                if r[key] != r[end]["token_end"] or not sits(r[end]):
                    bad.append((where, "relation", r))
    checks.check(
        f"{name}: spaCy's Doc(words, spaces) from the Prodigy tokens is the text; every span and relation sits on them",
        not bad,
        bad[:5],
    )
    checks.check(
        f"{name}: the JSONL export holds every relation ({relations})",
        found == relations,
        f"{found} written",
    )


def token_offsets(text, tokens):
    """Char offsets of each CoNLL token, found in order in the text."""
    pos, out = 0, []
    for tok in tokens:
        at = text.find(tok, pos)
        if at < 0:
            raise ValueError(f"token {tok!r} not found after offset {pos}")
        out.append((at, at + len(tok)))
        pos = at + len(tok)
    return out


def check_seqeval(checks, name, conll_path, records, lost, lost_in_jsonl):
    docs = conll_documents(conll_path)
    checks.check(f"{name}: CoNLL has one document per record", len(docs) == len(records), (len(docs), len(records)))
    sequences = [[tag for _, tag in sentence] for doc in docs for sentence in doc]
    checks.check(f"{name}: seqeval detects IOB2", auto_detect(sequences, suffix=False) is IOB2)
    strict = Entities(sequences, IOB2, suffix=False).entities
    strict_set = {(i, e.tag, e.start, e.end) for i, sent in enumerate(strict) for e in sent}
    lenient_set = {
        (i, tag, start, end + 1)
        for i, seq in enumerate(sequences)
        for tag, start, end in get_entities(seq)
    }
    checks.check(
        f"{name}: seqeval strict IOB2 finds every entity the lenient mode finds ({len(strict_set)})",
        strict_set == lenient_set,
        sorted(lenient_set - strict_set)[:5],
    )
    # Back to characters: seqeval's entities against our spans.
    extra, missing = [], 0
    sentence_index = 0
    for doc, record in zip(docs, records):
        tokens = [tok for sentence in doc for tok, _ in sentence]
        try:
            places = token_offsets(record["text"], tokens)
        except ValueError as e:
            extra.append((record["meta"]["name"], str(e)))
            sentence_index += len(doc)
            continue
        found = set()
        first = 0
        for sentence in doc:
            entities = strict[sentence_index]
            for e in entities:
                start = places[first + e.start][0]
                end = places[first + e.end - 1][1]
                found.add((start, end, e.tag))
            first += len(sentence)
            sentence_index += 1
        ours = {(s["start"], s["end"], s["label"].replace(" ", "_")) for s in record["spans"]}
        extra.extend((record["meta"]["name"], f) for f in found - ours)
        missing += len(ours - found)
    checks.check(f"{name}: every seqeval entity is one of our spans", not extra, extra[:5])
    # Spans CoNLL could not hold, less those the JSONL export (our reference here) lacks too.
    lost_spans = sum(n for what, n in lost.items() if "span" in what and "attribute" not in what)
    lost_spans -= lost_in_jsonl.get("discontinuous spans", 0)
    if lost_spans == 0:
        checks.check(f"{name}: seqeval finds all our spans", missing == 0, f"{missing} missing")
    else:
        print(f"     {missing} spans not in the CoNLL file; the export reported {lost}")
        checks.check(
            f"{name}: the spans CoNLL lacks are exactly those reported as lost ({lost_spans})",
            missing == lost_spans,
            f"{missing} missing",
        )


def local_loader(context_text):
    def load(url, options=None):
        if url.rstrip("/") != CONTEXT_URL:
            raise RuntimeError(f"the check serves only {CONTEXT_URL}, not {url}")
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            "document": json.loads(context_text),
        }

    return load


def unknown_terms(value, terms, path="$"):
    """Keys that the context does not define (JSON-LD expansion would drop them silently)."""
    out = []
    if isinstance(value, dict):
        for key, inner in value.items():
            if not key.startswith("@") and key not in terms:
                out.append(f"{path}.{key}")
            out.extend(unknown_terms(inner, terms, f"{path}.{key}"))
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            out.extend(unknown_terms(inner, terms, f"{path}[{i}]"))
    return out


def walk(node):
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from walk(v)


def check_pyld(checks, name, folder, records):
    context_text = (HERE / "anno.jsonld").read_text(encoding="utf-8")
    terms = set(json.loads(context_text)["@context"])
    loader = local_loader(context_text)
    texts = {r["meta"]["text_sha256"]: r["text"] for r in records}
    files = sorted(folder.glob("*.jsonld"))
    checks.check(f"{name}: one W3C collection per document", len(files) == len(records), (len(files), len(records)))
    problems, found = [], set()
    for path in files:
        doc = json.loads(path.read_text(encoding="utf-8"))
        if doc.get("@context") != CONTEXT_URL:
            problems.append((path.name, "context", doc.get("@context")))
        unknown = unknown_terms(doc, terms)
        if unknown:
            problems.append((path.name, "terms outside the context", unknown[:3]))
        expanded = jsonld.expand(doc, {"documentLoader": loader})
        if not expanded:
            problems.append((path.name, "expands to nothing"))
        for node in walk(expanded):
            selectors = node.get(OA + "hasSelector")
            source = node.get(OA + "hasSource")
            if not selectors or not source:
                continue
            sha = source[0]["@id"].rsplit(":", 1)[-1]
            text = texts.get(sha)
            quote = position = None
            for sel in selectors:
                kinds = sel.get("@type", [])
                if OA + "TextQuoteSelector" in kinds:
                    quote = sel[OA + "exact"][0]["@value"]
                if OA + "TextPositionSelector" in kinds:
                    position = (sel[OA + "start"][0]["@value"], sel[OA + "end"][0]["@value"])
            if text is None or quote is None or position is None:
                problems.append((path.name, "a target without its text or selectors"))
                continue
            if text[position[0]:position[1]] != quote:
                problems.append((path.name, "position and quote disagree", position, quote))
            found.add((sha, position[0], position[1]))
    ours = {(r["meta"]["text_sha256"], s["start"], s["end"]) for r in records for s in r["spans"]}
    checks.check(f"{name}: pyld expands every collection with the official context", not problems, problems[:5])
    checks.check(
        f"{name}: every span is a W3C annotation at the same offsets ({len(ours)})",
        ours <= found,
        sorted(ours - found)[:5],
    )


def labels_shapes(tasks):
    """The tasks of a Label Studio export by shape: (data key of the text, from_name, to_name)
    of their `labels` regions (tasks without one: the export's defaults). A labeling config is
    written per shape, as a Label Studio project has one."""
    shapes = {}
    for task in tasks:
        if not task.get("annotations"):
            continue  # predictions only: nothing for the converter, which reads annotations
        regions = [
            r
            for holder in task["annotations"]
            for r in holder.get("result", [])
            if r.get("type") == "labels"
        ]
        first = regions[0] if regions else {"from_name": "label", "to_name": "text"}
        texts = [k for k, v in task["data"].items() if isinstance(v, str) and not v.startswith("http")]
        key = "text" if "text" in texts else (texts[0] if texts else None)
        if key is None:
            continue
        shapes.setdefault((key, first["from_name"], first["to_name"]), []).append(task)
    return shapes


def labeling_config(key, from_name, to_name, labels):
    """A labeling config (Label Studio's XML) for text regions."""
    from xml.sax.saxutils import quoteattr

    choices = "".join(f"<Label value={quoteattr(label)}/>" for label in sorted(labels))
    return (
        f"<View><Labels name={quoteattr(from_name)} toName={quoteattr(to_name)}>{choices}</Labels>"
        f"<Text name={quoteattr(to_name)} value={quoteattr('$' + key)}/></View>"
    )


def check_label_studio_converter(checks, name, out, records, conll_path, compare_conll=True):
    """Label Studio's own converter (label_studio_sdk.converter.Converter, the code behind its
    Export formats) reads our Label Studio export: JSON_MIN gives back every annotation with
    its task id, annotation id, integer annotator and regions; CONLL2003 gives, for every token
    whose character span is also one of our CoNLL export's tokens (the two tokenisations
    agree), the tag our CoNLL export gives it."""
    from label_studio_sdk.converter import Converter
    from label_studio_sdk.converter.converter import Format

    tasks = json.loads((out / "label-studio.json").read_text(encoding="utf-8"))
    ids = [t["id"] for t in tasks]
    checks.check(
        f"{name}: label-studio: every task has a unique integer id",
        all(isinstance(i, int) for i in ids) and len(set(ids)) == len(ids),
        ids,
    )
    annotation_ids = [a["id"] for t in tasks for a in t.get("annotations", [])]
    checks.check(
        f"{name}: label-studio: every annotation has a unique integer id and user",
        all(isinstance(i, int) for i in annotation_ids)
        and len(set(annotation_ids)) == len(annotation_ids)
        and all(
            isinstance(a["completed_by"], (int, dict))
            for t in tasks
            for a in t.get("annotations", [])
        ),
        annotation_ids,
    )
    # Our CoNLL export, by document: the JSONL export (same order) gives each one's text.
    conll = conll_documents(conll_path)
    ours = {}
    for record, sentences in zip(records, conll):
        tokens = [tok for sentence in sentences for tok in sentence]
        spans = frozenset((s["start"], s["end"], s["label"]) for s in record["spans"])
        try:
            offsets = token_offsets(record["text"], [t for t, _ in tokens])
        except ValueError:
            continue
        # Only documents our CoNLL holds whole: no overlap, every span on our token boundaries.
        bounds = ({a for a, _ in offsets}, {b for _, b in offsets})
        ordered = sorted(spans)
        whole = all(s in bounds[0] and e in bounds[1] for s, e, _ in spans) and all(
            a[1] <= b[0] for a, b in zip(ordered, ordered[1:])
        )
        if whole:
            ours.setdefault((record["text"], spans), dict(zip(offsets, (tag for _, tag in tokens))))
    compared, agreed, differ, records_seen, wrong_min, documents = 0, 0, [], 0, [], 0
    labels = {s["label"] for r in records for s in r["spans"]}
    for n, ((key, from_name, to_name), group) in enumerate(sorted(labels_shapes(tasks).items())):
        work = out / f"ls-converter-{n}"
        work.mkdir()
        (work / "tasks.json").write_text(json.dumps(group, ensure_ascii=False), encoding="utf-8")
        converter = Converter(
            config=labeling_config(key, from_name, to_name, labels),
            project_dir=str(work),
            download_resources=False,
        )
        try:
            converter.convert(str(work / "tasks.json"), str(work / "min"), Format.JSON_MIN, is_dir=False)
            converter.convert(str(work / "tasks.json"), str(work / "conll"), Format.CONLL2003, is_dir=False)
        except Exception as e:  # noqa: BLE001 - the failure is the check's finding
            checks.check(f"{name}: label-studio converter reads the export ({key}, {from_name})", False, repr(e))
            continue
        # JSON_MIN: one record per annotation, with the ids and regions we wrote.
        wanted = {}
        for task in group:
            for a in task.get("annotations", []):
                regions = sorted(
                    (r["value"]["start"], r["value"]["end"], r["value"]["labels"][0])
                    for r in a["result"]
                    if r.get("type") == "labels" and r.get("from_name") == from_name
                )
                wanted[(task["id"], a["id"])] = (a["completed_by"], regions)
        got = json.loads((work / "min" / "result.json").read_text(encoding="utf-8"))
        for record in got:
            records_seen += 1
            want = wanted.get((record["id"], record["annotation_id"]))
            found = record.get(from_name) or []
            regions = sorted(
                (v["start"], v["end"], v["labels"][0])
                for v in (found if isinstance(found, list) else [found])
                if isinstance(v, dict) and "start" in v
            )
            by = want[0] if want else None
            annotator = by.get("email") if isinstance(by, dict) else by
            if want is None or want[1] != regions or record["annotator"] != annotator:
                wrong_min.append((record.get("id"), record.get("annotation_id")))
        if len(got) != len(wanted):
            wrong_min.append(("records", len(got), len(wanted)))
        # CONLL2003: the converter's tokens and tags against ours, token by token.
        items = [it for it in converter.iter_from_json_file(str(work / "tasks.json")) if it]
        blocks = (work / "conll" / "result.conll").read_text(encoding="utf-8").split("\n\n")
        blocks = [b for b in blocks if b.strip()]
        if blocks and blocks[0].startswith("-DOCSTART-"):
            blocks[0] = blocks[0].split("\n", 1)[1] if "\n" in blocks[0] else ""
        for item, block in zip(items, blocks):
            text = item["input"][key]
            spans = frozenset(
                (v["start"], v["end"], v["labels"][0])
                for v in item["output"].get(from_name, [])
                if "start" in v and v.get("labels")
            )
            mine = ours.get((text, spans))
            if mine is None:
                continue
            lines = [line.rsplit(" -X- _ ", 1) for line in block.split("\n") if line]
            try:
                offsets = token_offsets(text, [tok for tok, _ in lines])
            except ValueError:
                continue
            # And whole in the converter's tokens: every span on its token boundaries too.
            theirs = ({a for a, _ in offsets}, {b for _, b in offsets})
            if not all(s in theirs[0] and e in theirs[1] for s, e, _ in spans):
                continue
            documents += 1
            for (tok, tag), at in zip(lines, offsets):
                if at in mine:
                    compared += 1
                    if mine[at] == tag:
                        agreed += 1
                    else:
                        differ.append((text[at[0]:at[1]], tag, mine[at]))
    checks.check(
        f"{name}: label-studio converter JSON_MIN gives every annotation back ({records_seen} records)",
        records_seen > 0 and not wrong_min,
        wrong_min[:10],
    )
    if not compare_conll:
        return
    print(
        f"{name}: label-studio converter CoNLL: {documents} documents whole in both tokenisations, "
        f"{agreed} of {compared} shared tokens agree"
    )
    checks.check(
        f"{name}: label-studio converter CoNLL tags agree with ours where the tokens do",
        compared > 0 and not differ,
        differ[:10],
    )


def check_offsets_of_other_formats(checks, name, out, records):
    by_text = {r["text"]: r for r in records}
    # doccano, in characters and in UTF-16 units: one row per record, in the same order.
    for unit in ("chars", "utf16"):
        rows = read_jsonl(out / f"doccano-{unit}.jsonl")
        bad = [] if len(rows) == len(records) else [("rows", len(rows), len(records))]
        for row, record in zip(rows, records):
            text = row["text"]
            items = row.get("label") or [
                [e["start_offset"], e["end_offset"], e["label"]] for e in row.get("entities", [])
            ]
            want = {(s["start"], s["end"], s["label"]) for s in record["spans"]}
            if text != record["text"]:
                bad.append(("text", record["meta"]["name"]))
            char_of = {}
            if unit == "utf16":
                units = 0
                for i, c in enumerate(text):
                    char_of[units] = i
                    units += 2 if ord(c) > 0xFFFF else 1
                char_of[units] = len(text)
            for start, end, label in items:
                if unit == "utf16":
                    if start not in char_of or end not in char_of:
                        bad.append((start, end, label))
                        continue
                    start, end = char_of[start], char_of[end]
                if (start, end, label) not in want:
                    bad.append((start, end, label))
        checks.check(f"{name}: doccano ({unit}) offsets give our spans", not bad, bad[:5])
    # Label Studio: value.text at the offsets.
    tasks = json.loads((out / "label-studio.json").read_text(encoding="utf-8"))
    bad = []
    for task in tasks:
        data = task["data"]
        text = next((v for v in data.values() if isinstance(v, str) and v in by_text), None)
        for holder in task.get("annotations", []) + task.get("predictions", []):
            for r in holder["result"]:
                v = r.get("value", {})
                if r.get("type") == "labels" and text is not None and text[v["start"]:v["end"]] != v["text"]:
                    bad.append((v["start"], v["end"], v["text"]))
    checks.check(f"{name}: Label Studio value.text is the text at the offsets", not bad, bad[:5])
    # CSV: parsed by Python's csv module, text at the offsets.
    with (out / "spans.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    names = {r["meta"]["name"]: r["text"] for r in records}
    bad = [
        row["span_id"]
        for row in rows
        if row["document"] in names
        and names[row["document"]][int(row["start"]):int(row["end"])] != row["text"]
    ]
    checks.check(f"{name}: CSV rows parse and give the text at the offsets ({len(rows)})", not bad, bad[:5])


def doccano_import_problems(row):
    """What doccano's import would refuse in one line of our doccano export. doccano's server is
    not installable from a package registry, so these are its rules, as its import pipeline
    states them (doccano/doccano, backend/data_import/pipeline: data.py `TextData`, a non-empty
    `text`; label.py / labels.py `SpanLabel`, a `[start_offset, end_offset, label]` with
    non-negative integer offsets, start below end and a non-empty label; `RelationLabel`,
    integer `from_id`/`to_id` naming the line's entities and a non-empty `type`), written here
    in our words. Returns the problems, none when doccano takes the line whole."""
    problems = []

    def offsets_ok(start, end):
        ints = all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in (start, end))
        return ints and start < end

    def label_ok(label):
        return isinstance(label, str) and label != ""

    if not isinstance(row, dict):
        return ["not a JSON object"]
    if not isinstance(row.get("text"), str) or not row["text"]:
        problems.append("no non-empty text")
    if "label" in row:
        for item in row["label"]:
            if not (isinstance(item, list) and len(item) == 3 and offsets_ok(item[0], item[1]) and label_ok(item[2])):
                problems.append(f"label {item!r}")
    entity_ids = set()
    for entity in row.get("entities", []):
        start, end = entity.get("start_offset"), entity.get("end_offset")
        if not (isinstance(entity.get("id"), int) and offsets_ok(start, end) and label_ok(entity.get("label"))):
            problems.append(f"entity {entity!r}")
        entity_ids.add(entity.get("id"))
    for relation in row.get("relations", []):
        ends = (relation.get("from_id"), relation.get("to_id"))
        if not (all(isinstance(i, int) and i in entity_ids for i in ends) and label_ok(relation.get("type"))):
            problems.append(f"relation {relation!r}")
    return problems


def doccano_overlaps(row):
    """How many spans doccano's SpanCleaner (cleaners.py) drops in a project that does not allow
    overlapping: sorted by start, a span is kept when it starts at or after the last kept end."""
    spans = [(i[0], i[1]) for i in row.get("label", [])] + [
        (e["start_offset"], e["end_offset"]) for e in row.get("entities", [])
    ]
    dropped, last_end = 0, -1
    for start, end in sorted(spans, key=lambda s: s[0]):
        if start >= last_end:
            last_end = end
        else:
            dropped += 1
    return dropped


def check_doccano_import_rules(checks, name, out, flat):
    for unit in ("chars", "utf16"):
        rows = read_jsonl(out / f"doccano-{unit}.jsonl")
        bad = [(i + 1, p) for i, row in enumerate(rows) for p in doccano_import_problems(row)]
        checks.check(
            f"{name}: doccano's import rules take every line of the {unit} export ({len(rows)})",
            rows and not bad,
            bad[:5],
        )
    dropped = sum(doccano_overlaps(row) for row in read_jsonl(out / "doccano-chars.jsonl"))
    if flat:
        checks.check(f"{name}: doccano's overlap cleaning drops nothing", dropped == 0, dropped)
    else:
        print(f"{name}: doccano needs a project that allows overlapping ({dropped} spans overlap)")


BRAT_ID = __import__("re").compile(r"^([TREAMN#]\d+|\*)$")


def brat_parse_problems(ann_text, txt_text):
    """What brat's parser (nlplab/brat, server/src/annotation.py: `_parse_ann_lines` and the
    `_parse_*_annotation` functions) would not take in one of our `.ann` files, with its `.txt`.
    brat is not installable from a package registry; these are its rules in our words: each
    line is `ID<TAB>DATA[<TAB>TAIL]` with a valid, unique id; T: `TYPE START END[;START END]…`,
    integer offsets (here also: inside the text; the tail's text is checked with the other
    formats' offsets, not here, as brat's parser does not compare it); R: a type and
    exactly two `ROLE:ID` arguments with different roles; E: `TYPE:TRIGGER` then `ROLE:ID`s;
    A/M: `TYPE TARGET [VALUE]`; N: `TYPE TARGET DB:ID`; `#`: `TYPE TARGET`; `*`: a type and ids.
    Every id an annotation points at is defined in the file. Returns the problems."""
    problems, ids, refs = [], set(), []
    for n, line in enumerate(ann_text.split("\n"), 1):
        line = line.rstrip("\r")
        if not line:
            continue
        if "\t" not in line:
            problems.append((n, "no tab after the id"))
            continue
        ann_id, rest = line.split("\t", 1)
        data = rest.partition("\t")[0]
        if not BRAT_ID.match(ann_id):
            problems.append((n, f"invalid id {ann_id!r}"))
            continue
        if ann_id != "*":
            if ann_id in ids:
                problems.append((n, f"duplicate id {ann_id}"))
            ids.add(ann_id)
        kind = ann_id[0]
        words = data.split(" ")
        try:
            if kind == "T":
                type_, spans_text = data.split(" ", 1)
                if not type_ or any(c.isspace() for c in type_):
                    raise ValueError(f"type {type_!r}")
                for piece in spans_text.split(";"):
                    start, end = piece.split(" ")
                    start, end = int(start), int(end)
                    if not 0 <= start <= end <= len(txt_text):
                        raise ValueError(f"fragment {start} {end} outside the text")
            elif kind == "R":
                args = [a.split(":") for a in words[1:]]
                if len(args) != 2 or any(len(a) != 2 for a in args) or args[0][0] == args[1][0]:
                    raise ValueError("a relation takes two ROLE:ID arguments")
                refs += [(n, a[1]) for a in args]
            elif kind == "E":
                _, trigger = words[0].split(":")
                refs.append((n, trigger))
                for arg in words[1:]:
                    refs.append((n, arg.split(":")[1]))
            elif kind in "AM":
                if len(words) not in (2, 3):
                    raise ValueError("an attribute is TYPE TARGET [VALUE]")
                refs.append((n, words[1]))
            elif kind == "N":
                if len(words) != 3 or ":" not in words[2]:
                    raise ValueError("a normalization is TYPE TARGET DB:ID")
                refs.append((n, words[1]))
            elif kind == "#":
                if len(data.split()) != 2:
                    raise ValueError("a note is TYPE TARGET")
                refs.append((n, data.split()[1]))
            elif kind == "*":
                if len(data.split()) < 3:
                    raise ValueError("an equivalence is TYPE ID ID…")
                refs += [(n, i) for i in data.split()[1:]]
        except (ValueError, IndexError) as e:
            problems.append((n, f"{ann_id}: {e}"))
    problems += [(n, f"points at undefined {ref}") for n, ref in refs if ref not in ids]
    return problems


def check_brat_parser_rules(checks, name, out):
    anns = sorted((out / "brat").rglob("*.ann"))
    bad = []
    for ann in anns:
        txt = ann.with_suffix(".txt")
        if not txt.is_file():
            bad.append((ann.name, "no .txt beside it"))
            continue
        # As brat reads them (codecs.open: no newline translation, so CRLF counts two).
        with open(ann, encoding="utf-8", newline="") as f:
            ann_text = f.read()
        with open(txt, encoding="utf-8", newline="") as f:
            txt_text = f.read()
        bad += [(ann.name, n, p) for n, p in brat_parse_problems(ann_text, txt_text)]
    checks.check(f"{name}: brat's parser rules take every .ann ({len(anns)} files)", anns and not bad, bad[:5])


# ---------------------------------------------------------------------------------------------


def export_all(spanmark, work, ws, out, allow_loss, conll_loss):
    """Every export format; a format that cannot be exported fails the run. `conll_loss`: the
    corpus has overlapping spans, which CoNLL cannot hold."""
    out.mkdir()
    loss = ["--allow-loss"] if allow_loss else []
    for fmt, target, extra in [
        ("jsonl", "spans.jsonl", []),
        ("conll", "spans.conll", [] if allow_loss else ["--allow-loss"] * conll_loss),
        ("w3c", "w3c", []),
        ("doccano", "doccano-chars.jsonl", []),
        ("doccano", "doccano-utf16.jsonl", ["--offsets", "utf16"]),
        ("label-studio", "label-studio.json", []),
        ("label-studio", "label-studio-utf16.json", ["--offsets", "utf16"]),
        ("csv", "spans.csv", []),
        ("brat", "brat", []),
        ("native", "native", []),
    ]:
        run(spanmark, ["export", "--to", fmt, str(ws), "--out", str(out / target), *extra, *loss], work)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--spanmark", default=str(ROOT / "target" / "debug" / "spanmark"))
    args = parser.parse_args()
    spanmark = Path(args.spanmark).resolve()
    if not spanmark.is_file():
        raise SystemExit(f"no spanmark binary at {spanmark}: build it first (cargo build)")
    checks = Checks()
    with tempfile.TemporaryDirectory(prefix="spanmark-consumers-") as tmp:
        work = Path(tmp)
        # The fixtures. Exit 1 is expected (their known problems are reported); 2 is not.
        for fmt, files, extra in fixture_imports():
            proc = run(
                spanmark,
                ["import", "--from", fmt, *map(str, files), "--out", "fixtures", *extra],
                work,
                allowed=(0, 1),
            )
            checks.check(f"fixtures: import --from {fmt}", "imported" in proc.stdout, proc.stdout + proc.stderr)
        # The generated corpora: flat spans (every format holds them: exported with no loss
        # allowed) and nested, overlapping ones (CoNLL alone may not hold them all).
        for name, flat, seed in [("flat", True, 20261129), ("nested", False, 20261130)]:
            records = stress_corpus(seed, flat)
            (work / f"{name}.jsonl").write_text(
                "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                encoding="utf-8",
            )
            run(spanmark, ["import", "--from", "jsonl", f"{name}.jsonl", "--out", name], work)
        # Relations made elsewhere (here: read without tokens): JSONL writes tokens for them.
        linked = linked_corpus(20261201)
        (work / "linked.jsonl").write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in linked),
            encoding="utf-8",
        )
        run(spanmark, ["import", "--from", "jsonl", "linked.jsonl", "--out", "linked"], work)
        run(spanmark, ["export", "--to", "jsonl", "linked", "--out", "linked-out.jsonl"], work)
        check_prodigy_tokens(
            checks,
            "linked",
            read_jsonl(work / "linked-out.jsonl"),
            sum(len(r["relations"]) for r in linked),
        )
        for name, allow_loss, conll_loss, strict in [
            ("flat", False, False, True),
            ("nested", False, True, True),
            ("fixtures", True, True, False),
        ]:
            out = work / f"out-{name}"
            export_all(spanmark, work, work / name, out, allow_loss, conll_loss)
            records = read_jsonl(out / "spans.jsonl")
            print(f"{name}: {len(records)} documents, {sum(len(r['spans']) for r in records)} spans")
            check_spacy(checks, name, records, strict)
            lost = manifest_loss(out / "spans.conll.manifest.json")
            if not conll_loss:
                checks.check(f"{name}: CoNLL holds every span", not lost, lost)
            jsonl_lost = manifest_loss(out / "spans.jsonl.manifest.json")
            check_seqeval(checks, name, out / "spans.conll", records, lost, jsonl_lost)
            check_pyld(checks, name, out / "w3c", records)
            check_offsets_of_other_formats(checks, name, out, records)
            check_doccano_import_rules(checks, name, out, flat=name == "flat")
            check_brat_parser_rules(checks, name, out)
            # The nested corpus: JSON_MIN only (CoNLL holds no nesting, ours nor the converter's).
            check_label_studio_converter(
                checks, name, out, records, out / "spans.conll", compare_conll=name != "nested"
            )
    print(f"consumers: {checks.passed} passed, {len(checks.failed)} failed")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
