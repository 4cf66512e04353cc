"""What a user writes to turn Spanmark annotation files into spaCy/Prodigy JSONL: json.load each
file, build one record per document from its spans (and, for a document with relations, Prodigy
tokens and relations that point at them), json.dumps it as a line.

    python3 spacy_jsonl.py OUT.jsonl IN...      (IN: *.spanmark.json files or folders of them)

The yardstick for `spanmark export --to jsonl` (see README, "Speed at scale"). For a document
without relations the line is byte for byte the one Spanmark writes. With relations the tokens
come from a regular expression (words, numbers, each other mark a token of its own; a space after
a token is its `ws`), a simpler rule than Spanmark's UAX #29 tokenisation, so those lines differ
in their tokens, not in their shape or size.
"""

import json
import os
import re
import sys

TOKEN = re.compile(r"\w+(?:['’.]\w+)*|[^\w\s]")


def inputs(paths):
    for path in paths:
        if os.path.isdir(path):
            for root, _, names in os.walk(path):
                for name in sorted(names):
                    if name.endswith(".spanmark.json"):
                        yield os.path.join(root, name)
        else:
            yield path


def tokens_of(text, spans):
    """Prodigy tokens covering the words of `text`, cut at every span's start and end."""
    cuts = sorted({s["start"] for s in spans} | {s["end"] for s in spans})
    words = []
    for m in TOKEN.finditer(text):
        start, end = m.start(), m.end()
        # Cut the word where a span starts or ends inside it.
        lo = 0
        hi = len(cuts)
        while lo < hi:
            mid = (lo + hi) // 2
            if cuts[mid] <= start:
                lo = mid + 1
            else:
                hi = mid
        at = start
        while lo < len(cuts) and cuts[lo] < end:
            words.append((at, cuts[lo]))
            at = cuts[lo]
            lo += 1
        words.append((at, end))
    tokens = []
    for i, (start, end) in enumerate(words):
        ws = end < len(text) and text[end] == " " and (i + 1 == len(words) or words[i + 1][0] > end)
        tokens.append({"text": text[start:end], "start": start, "end": end, "id": i, "ws": ws})
    return tokens


def record(doc):
    text = doc["document"]["text"]
    spans = [
        s
        for s in doc["spans"]
        if "fragments" not in s and not (s["origin"] == "suggested" and s["status"] != "accepted")
    ]
    relations = doc.get("relations", [])
    out_spans = []
    rec = {
        "meta": {
            "annotator": doc["annotator"],
            "name": doc["document"]["name"],
            "text_sha256": doc["document"]["text_sha256"],
        },
        "text": text,
        "spans": out_spans,
    }
    token_of_start = token_of_end = None
    if relations:
        tokens = tokens_of(text, spans)
        token_of_start = {t["start"]: t["id"] for t in tokens}
        token_of_end = {t["end"]: t["id"] for t in tokens}
        rec["tokens"] = tokens
    by_id = {}
    for s in spans:
        out = {"start": s["start"], "end": s["end"], "label": s["label"], "text": s["text"]}
        if s.get("note") is not None:
            out["note"] = s["note"]
        if s.get("attrs"):
            out["attrs"] = s["attrs"]
        if token_of_start is not None and s["start"] in token_of_start and s["end"] in token_of_end:
            out["token_start"] = token_of_start[s["start"]]
            out["token_end"] = token_of_end[s["end"]]
        by_id[s["id"]] = out
        out_spans.append(out)
    if relations:
        rels = []
        for r in relations:
            head, child = by_id.get(r["from"]), by_id.get(r["to"])
            if not head or not child or "token_end" not in head or "token_end" not in child:
                continue
            ends = [
                {k: s[k] for k in ("start", "end", "token_start", "token_end", "label")}
                for s in (head, child)
            ]
            rels.append(
                {
                    "head": head["token_end"],
                    "child": child["token_end"],
                    "head_span": ends[0],
                    "child_span": ends[1],
                    "label": r["kind"],
                }
            )
        rec["relations"] = rels
    return rec


def main():
    out_path, paths = sys.argv[1], sys.argv[2:]
    with open(out_path, "w", encoding="utf-8") as out:
        for path in sorted(inputs(paths)):
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
            out.write(json.dumps(record(doc), ensure_ascii=False, separators=(",", ":"), sort_keys=True))
            out.write("\n")


if __name__ == "__main__":
    main()
