"""Choose the annotated passages of the corpus and its train / dev / test split, by a fixed rule.

The rule was written down and this script committed before any passage was read; its output,
``passages.tsv``, is committed next to it. Nothing here looks at what a passage says beyond
sentence ends, its length and (for number passages) how many numerals it holds.

Corpus: the 141 reports of ``tests/data/reports/`` (copied byte-identical from the project's shared
corpus, listed in its ``INDEX.tsv``).

Split, by issuer, so that the test reports' issuers are never seen in training:

* the issuer group of a report is its slug without the year (``anguo-2022`` -> ``anguo``), except
  for the national reports (``guowuyuan-*``) and the long 河北省 series (``hebei-*``), where each
  report is its own group (one issuer over many years; keeping them whole would leave no
  national or early provincial text on one side);
* groups that already have gold files in ``tests/gold/`` (their text was read while rules were
  written) are training groups;
* the other groups are ordered by ``sha256(group)``; walking that order, a group joins **test**
  while the test quota of its level is not full, then **dev** while the dev quota is not full,
  else train. Quotas (reports for national and 河北 years, issuers otherwise):
  national 2 / 2, 河北 years 2 / 2, provincial issuers 8 / 5, county issuers 4 / 3
  (prefecture reports are all training: both belong to 保定, which has gold);
* one county test issuer must have a report before 2010 (so the test split covers every decade):
  if the quota fills without one, the last county issuer taken is replaced by the first one in
  hash order that has such a report.

Entity passages (``kind`` = ``entities``): each report is cut into windows of whole sentences
(sentences as in ``tests/gold/ann2json.py``: pieces ending at 。！？!? or a line end), each window
taking sentences while it stays within 2,000 characters. Window ``i`` is chosen when
``(i + phase) % 7`` is 0 or 3, ``phase = int(sha256(slug)[:8], 16) % 7`` (2 windows in 7, about
29 % of every report), unless it overlaps a range already annotated in ``tests/gold/``.
The 32 chosen train/dev passages with the smallest ``sha256(id)`` are annotated twice, by two
annotators working independently (``double`` = 1), to measure agreement.

Number passages (``kind`` = ``numbers``), for targets and results, on dev and test reports only:
windows of whole sentences within 600 characters, kept when they are at least 300 characters
long and hold at least 3 numerals (runs of Arabic digits; Chinese numerals are not counted, to keep
the rule mechanical). Per report, one window among those containing a target cue (力争|预期|目标|左右|以上|以内|不低于|
控制在) and one among the others, each the one with the smallest ``sha256(slug:start)``.

    python tests/gold/passages/select.py          # writes tests/gold/passages/passages.tsv
"""
from __future__ import annotations

import csv
import hashlib
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
REPORTS = ROOT / "tests/data/reports"
GOLD = ROOT / "tests/gold"
OUT = Path(__file__).resolve().parent / "passages.tsv"

WIDTH = 2000
NUM_MAX, NUM_MIN, NUM_DIGITS = 600, 300, 3
QUOTA = {"national": (2, 2), "hebei": (2, 2), "provincial": (8, 5), "county": (4, 3)}
DOUBLE = 32
TARGET_CUE = re.compile("力争|预期|目标|左右|以上|以内|不低于|控制在")
DIGITS = re.compile(r"\d+(?:\.\d+)?")


def sha(s: str) -> str:
    return hashlib.sha256(s.encode("utf-8")).hexdigest()


def sentences(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^。！？!?\n]+[。！？!?]?", text) if m.group().strip()]


def windows(text: str, width: int) -> list[tuple[int, int]]:
    """Consecutive windows of whole sentences, each within ``width`` characters (a longer
    sentence is a window alone)."""
    out, cur = [], None
    for s, e in sentences(text):
        if cur is not None and e - cur[0] > width:
            out.append(cur)
            cur = None
        cur = (s, e) if cur is None else (cur[0], e)
    if cur is not None:
        out.append(cur)
    return out


def index() -> list[dict]:
    with open(REPORTS / "INDEX.tsv", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def gold_ranges() -> dict[str, list[tuple[int, int]]]:
    out = {}
    for p in sorted(GOLD.glob("*.entities.json")):
        g = json.loads(p.read_text(encoding="utf-8"))
        rs = g.get("ranges") or [g["range"]]
        out[g["report"]] = [tuple(r) for r in rs]
    return out


def group_of(slug: str) -> str:
    stem = slug.rsplit("-", 1)[0]
    return slug if stem in ("guowuyuan", "hebei") else stem


def stratum(row: dict) -> str:
    if row["slug"].startswith("hebei-"):
        return "hebei"
    return row["level"]


def split(rows: list[dict], gold: dict) -> dict[str, str]:
    groups: dict[str, list[dict]] = {}
    for r in rows:
        groups.setdefault(group_of(r["slug"]), []).append(r)
    gold_groups = {group_of(s) for s in gold}
    assign = {g: "train" for g in groups}
    taken = {k: [0, 0] for k in QUOTA}
    test_county: list[str] = []
    order = sorted((g for g in groups if g not in gold_groups), key=sha)
    for g in order:
        st = stratum(groups[g][0])
        if st not in QUOTA:
            continue
        q_test, q_dev = QUOTA[st]
        if taken[st][0] < q_test:
            assign[g] = "test"
            taken[st][0] += 1
            if st == "county":
                test_county.append(g)
        elif taken[st][1] < q_dev:
            assign[g] = "dev"
            taken[st][1] += 1

    def early(g: str) -> bool:
        return any(int(r["year"]) < 2010 for r in groups[g])

    if test_county and not any(early(g) for g in test_county):
        swap = next(g for g in order if stratum(groups[g][0]) == "county" and early(g) and assign[g] != "test")
        assign[test_county[-1]] = assign[swap]
        assign[swap] = "test"
    return {r["slug"]: assign[group_of(r["slug"])] for r in rows}


def main() -> None:
    rows = index()
    gold = gold_ranges()
    splits = split(rows, gold)
    out = []
    for r in rows:
        slug = r["slug"]
        text = (REPORTS / f"{slug}.txt").read_text(encoding="utf-8")
        phase = int(sha(slug)[:8], 16) % 7
        for i, (s, e) in enumerate(windows(text, WIDTH)):
            if (i + phase) % 7 not in (0, 3):
                continue
            if any(s < b and a < e for a, b in gold.get(slug, [])):
                continue
            out.append({"id": f"{slug}:{s}-{e}", "kind": "entities", "report": slug, "level": r["level"],
                        "year": r["year"], "split": splits[slug], "start": s, "end": e, "double": 0})
        if splits[slug] == "train":
            continue
        cands = [(s, e) for s, e in windows(text, NUM_MAX)
                 if e - s >= NUM_MIN and len(DIGITS.findall(text, s, e)) >= NUM_DIGITS]
        for cue in (True, False):
            pool = [w for w in cands if bool(TARGET_CUE.search(text, w[0], w[1])) == cue]
            if pool:
                s, e = min(pool, key=lambda w: sha(f"{slug}:{w[0]}"))
                out.append({"id": f"{slug}:{s}-{e}", "kind": "numbers", "report": slug, "level": r["level"],
                            "year": r["year"], "split": splits[slug], "start": s, "end": e, "double": 0})
    ents = [p for p in out if p["kind"] == "entities" and p["split"] != "test"]
    for p in sorted(ents, key=lambda p: sha(p["id"]))[:DOUBLE]:
        p["double"] = 1
    with open(OUT, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(out[0]), delimiter="\t", lineterminator="\n")
        w.writeheader()
        w.writerows(out)
    for kind in ("entities", "numbers"):
        for sp in ("train", "dev", "test"):
            ps = [p for p in out if p["kind"] == kind and p["split"] == sp]
            if ps:
                print(f"{kind:8} {sp:5} passages {len(ps):4}  reports {len({p['report'] for p in ps}):3}  "
                      f"chars {sum(p['end'] - p['start'] for p in ps):7}")


if __name__ == "__main__":
    main()
