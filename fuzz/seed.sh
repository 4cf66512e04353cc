#!/usr/bin/env bash
# Builds fuzz/corpus/<target>/ from the project's fixtures (tests/fixtures/) and sample
# articles (sample_docs/). Run from anywhere; the corpus is not committed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
fixtures="$root/tests/fixtures"
corpus="$here/corpus"
mkdir -p "$corpus"
for t in native_loader article_decoder jsonl_line doccano label_studio conll brat w3c reanchor; do
    mkdir -p "$corpus/$t"
done
n=0
copy() { # copy FILE TARGET
    n=$((n + 1))
    cp "$1" "$corpus/$2/seed-$n-$(basename "$1")"
}
# Articles: the sample articles and every .txt/.md fixture.
for f in "$root"/sample_docs/* $(find "$fixtures" -name '*.txt' -o -name '*.md'); do
    copy "$f" article_decoder
done
# Format fixtures.
for f in $(find "$fixtures/spacy-jsonl" -name '*.jsonl'); do copy "$f" jsonl_line; done
for f in $(find "$fixtures/doccano" -name '*.jsonl' -o -name '*.json'); do copy "$f" doccano; done
for f in $(find "$fixtures/labelstudio" "$fixtures/labelstudio-converter" -name '*.json'); do
    copy "$f" label_studio
done
for f in $(find "$fixtures/conll" "$fixtures/wnut2020-wlp" -name '*.conll' -o -name '*_conll.txt' \
    -o -name 'eng.testa' -o -name '*.user?' -o -name 'ground_truth.txt'); do
    copy "$f" conll
done
for f in $(find "$fixtures/w3c" -name '*.json' -o -name '*.jsonld'); do copy "$f" w3c; done
# brat: NAME.ann, a NUL byte, NAME.txt (the target splits there).
for ann in $(find "$fixtures" -name '*.ann'); do
    txt="${ann%.ann}.txt"
    [ -f "$txt" ] || continue
    n=$((n + 1))
    { cat "$ann"; printf '\0'; cat "$txt"; } > "$corpus/brat/seed-$n-$(basename "$ann")"
done
# Native files: the sample articles and the spaCy fixtures imported by Spanmark itself.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
spanmark=(cargo run --quiet --manifest-path "$root/Cargo.toml" --no-default-features --)
"${spanmark[@]}" import --from text "$root/sample_docs" --out "$work/text" --annotator seed >/dev/null || true
for f in $(find "$fixtures/spacy-jsonl" -name '*.jsonl'); do
    "${spanmark[@]}" import --from jsonl "$f" --out "$work/jsonl" --annotator seed >/dev/null 2>&1 || true
done
for f in $(find "$work" -name '*.spanmark.json' | sort | head -n 100); do copy "$f" native_loader; done
# Re-anchoring: each sample article, a NUL byte, the article changed (CRLF, a line added).
for f in "$root"/sample_docs/*; do
    n=$((n + 1))
    { cat "$f"; printf '\0'; printf 'UPDATED\n\n'; sed 's/$/\r/' "$f"; } > "$corpus/reanchor/seed-$n-$(basename "$f")"
done
for t in "$corpus"/*; do
    echo "$(basename "$t"): $(find "$t" -type f | wc -l) seeds"
done
