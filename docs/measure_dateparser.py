"""Python dateparser's search_dates on Spanmark's labelled date sets (for the README note).
Exact: same span. Overlap: spans overlap. ISO: the found datetime written at the gold's own
granularity (generous: dateparser's search does not say its granularity)."""
import datetime as dt, sys, re
from dateparser.search import search_dates

def sentences(path):
    doc = None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("@ "):
            doc = dt.datetime.fromisoformat(line[2:].strip())
            continue
        text, dates, rest = "", [], line
        while "[" in rest:
            o = rest.index("[")
            text += rest[:o]
            c = rest.index("]{", o)
            e = rest.index("}", c)
            start = len(text)
            text += rest[o + 1:c]
            dates.append((start, len(text), rest[c + 2:e]))
            rest = rest[e + 1:]
        text += rest
        yield doc, text, dates

def at_granularity(d, gold):
    if re.fullmatch(r"\d{4}", gold): return d.strftime("%Y")
    if re.fullmatch(r"\d{4}-\d{2}", gold): return d.strftime("%Y-%m")
    if "W" in gold:
        y, w, _ = d.isocalendar(); return f"{y:04d}-W{w:02d}"
    if "T" in gold: return d.strftime("%Y-%m-%dT%H:%M")
    return d.strftime("%Y-%m-%d")

for path in sys.argv[1:]:
    tp = fp = fn = iso_ok = otp = ofound = ototal = oiso = 0
    for doc, text, gold in sentences(path):
        try:
            found = search_dates(text, languages=["en"], settings={"RELATIVE_BASE": doc}) or []
        except Exception:
            found = []
        spans, at = [], 0
        for s, d in found:
            i = text.find(s, at)
            if i < 0: i = text.find(s)
            spans.append((i, i + len(s), d)); at = i + len(s)
        for a, b, d in spans:
            g = [x for x in gold if x[0] == a and x[1] == b]
            if g:
                tp += 1; iso_ok += at_granularity(d, g[0][2]) == g[0][2]
            else:
                fp += 1
        for a, b, g in gold:
            if not any(x[0] == a and x[1] == b for x in spans): fn += 1
            hit = [x for x in spans if x[0] < b and a < x[1]]
            if hit:
                otp += 1; oiso += at_granularity(hit[0][2], g) == g
        ototal += len(spans)
        ofound += sum(1 for x in spans if any(x[0] < b and a < x[1] for a, b, _ in gold))
    p = tp / max(tp + fp, 1); r = tp / max(tp + fn, 1); f = 2 * p * r / max(p + r, 1e-9)
    print(f"{path}: exact P {p:.3f} R {r:.3f} F1 {f:.3f}; ISO right {iso_ok}/{tp}; overlap: P {ofound/max(ototal,1):.3f} R {otp/max(tp+fn,1):.3f}, ISO right {oiso}/{otp}")
