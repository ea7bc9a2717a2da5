"""Turn a hand-written annotation file (*.ann) into a gold JSON with character offsets.

An .ann line is ``<sentence index>|T:surface, T:surface#n, …`` where the sentence index
counts the non-empty pieces of the text split at 。！？ and line ends (see ``sentences``),
``#n`` picks the n-th occurrence of the surface inside that sentence, and T is one of
C company, P project, I industry, L place, O organization, F platform, N initiative, E event.
A line ``range|START|END`` limits the gold to a part of the text (the rest was not read);
several such lines give several parts.

    python tests/gold/ann2json.py REPORT_ID TEXT.txt GOLD.ann > GOLD.json
"""
import json
import re
import sys

TYPES = {"C": "company", "P": "project", "I": "industry", "L": "place", "O": "organization",
         "F": "platform", "N": "initiative", "E": "event"}


def sentences(text):
    return [(m.start(), m.end()) for m in re.finditer(r"[^。！？!?\n]+[。！？!?]?", text) if m.group().strip()]


def convert(report, text, ann):
    sents = sentences(text)
    rows = []
    ranges = []
    for line in ann.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("range|"):
            _, a, b = line.split("|")
            ranges.append([int(a), int(b)])
            continue
        idx, _, items = line.partition("|")
        s, e = sents[int(idx)]
        for item in items.split(", "):
            t, _, surf = item.partition(":")
            nth = 1
            if re.search(r"#\d+$", surf):
                surf, _, n = surf.rpartition("#")
                nth = int(n)
            pos = s - 1
            for _ in range(nth):
                pos = text.find(surf, pos + 1, e)
                if pos < 0:
                    raise SystemExit(f"{report}: sentence {idx}: {surf!r} #{nth} not found")
            rows.append({"type": TYPES[t], "surface": surf, "start": pos, "end": pos + len(surf)})
    rows.sort(key=lambda r: (r["start"], -r["end"], r["type"]))
    ranges = ranges or [[0, len(text)]]
    out = {"report": report, "range": ranges[0], "entities": rows}
    if len(ranges) > 1:
        out = {"report": report, "ranges": ranges, "entities": rows}
    return out


if __name__ == "__main__":
    rid, tpath, apath = sys.argv[1:4]
    text = open(tpath, encoding="utf-8").read()
    print(json.dumps(convert(rid, text, open(apath, encoding="utf-8").read()), ensure_ascii=False, indent=1))
