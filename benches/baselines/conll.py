"""What a user writes to turn Spanmark annotation files into CoNLL (token TAB IOB2 tag): json.load
each file, cut its text into tokens with a regular expression, tag the tokens each span covers
(the first of overlapping spans wins), one sentence per line of text.

    python3 conll.py OUT.conll IN...      (IN: *.spanmark.json files or folders of them)

A yardstick for `spanmark export --to conll` beside Label Studio's converter (see README, "Speed
at scale"). Its tokens are simpler than Spanmark's UAX #29 tokenisation, so the files differ.
"""

import json
import os
import re
import sys

TOKEN = re.compile(r"\w+(?:['’.]\w+)*|[^\w\s]|\n")


def inputs(paths):
    for path in paths:
        if os.path.isdir(path):
            for root, _, names in os.walk(path):
                for name in sorted(names):
                    if name.endswith(".spanmark.json"):
                        yield os.path.join(root, name)
        else:
            yield path


def write_document(doc, out):
    text = doc["document"]["text"]
    starts = {}
    for s in doc["spans"]:
        if "fragments" in s or (s["origin"] == "suggested" and s["status"] != "accepted"):
            continue
        if s["start"] not in starts or s["end"] > starts[s["start"]][0]:
            starts[s["start"]] = (s["end"], s["label"].replace(" ", "_"))
    out.append("-DOCSTART-\tO\n\n")
    inside = None  # (end, label) of the span being tagged
    blank = True
    for m in TOKEN.finditer(text):
        start, end = m.start(), m.end()
        if m.group() == "\n":
            if not blank:
                out.append("\n")
                blank = True
            continue
        if inside and start >= inside[0]:
            inside = None
        if inside is None and start in starts:
            inside = starts[start]
            tag = "B-" + inside[1]
        elif inside is not None:
            tag = "I-" + inside[1]
        else:
            tag = "O"
        out.append(f"{m.group()}\t{tag}\n")
        blank = False
    if not blank:
        out.append("\n")


def main():
    out_path, paths = sys.argv[1], sys.argv[2:]
    with open(out_path, "w", encoding="utf-8") as f:
        for path in sorted(inputs(paths)):
            with open(path, encoding="utf-8") as g:
                doc = json.load(g)
            out = []
            write_document(doc, out)
            f.write("".join(out))


if __name__ == "__main__":
    main()
