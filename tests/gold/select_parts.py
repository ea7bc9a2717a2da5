"""Pick unannotated parts of corpus reports for an unseen measurement by a mechanical rule (no reading).

Rule (fixed before any of the text was read): for every corpus report, every window
of whole sentences (sentences as in ``ann2json.sentences``) that starts at a sentence start, takes
sentences while its length stays <= 2,400 characters and overlaps no annotated range of
tests/gold/REPORT.entities.json; its score is the number of occurrences of 产业/行业/项目/工程/企业.
Per report the best window (ties: the earliest); then the two top-scoring reports of different
levels (the levels are the reports' issuers, as recorded in docs/evaluation.md).

    python tests/gold/select_parts.py
    python tests/gold/select_parts.py --exclude lixian-2022,zhejiang-2026   # a second draw

A second draw (rule written down before the script was run) applies the same rule to the gold as it
then was, leaving out the reports of the first draw (lixian-2022, zhejiang-2026: ``--exclude``).
The history of both draws: docs/evaluation.md, History.
"""
import json
import sys
import re
from pathlib import Path

from ann2json import sentences

ROOT = Path(__file__).resolve().parents[2]
LEVEL = {"anguo-2022": "county", "baoding-2025": "city", "fujian-2025": "province",
         "gaotang-2025": "county", "guowuyuan-2023": "national", "laiyuan-2025": "county",
         "lixian-2022": "county", "zhejiang-2025": "province", "zhejiang-2026": "province"}
WORDS = re.compile("产业|行业|项目|工程|企业")
WIDTH = 2400


def best_window(report):
    text = (ROOT / "tests/data/corpus" / f"{report}.txt").read_text(encoding="utf-8")
    gold = json.loads((ROOT / "tests/gold" / f"{report}.entities.json").read_text(encoding="utf-8"))
    ranges = gold.get("ranges") or [gold["range"]]
    sents = sentences(text)
    best = None
    for i, (s, _) in enumerate(sents):
        e = None
        for _, se in sents[i:]:
            if se - s > WIDTH:
                break
            e = se
        if e is None or any(s < b and a < e for a, b in ranges):
            continue
        n = len(WORDS.findall(text, s, e))
        if best is None or n > best[0]:
            best = (n, s, e, i)
    return best


if __name__ == "__main__":
    rows = []
    for report in sorted(LEVEL):
        b = best_window(report)
        if b:
            rows.append((b[0], report, b))
    rows.sort(key=lambda r: (-r[0], r[1]))
    for n, report, (_, s, e, i) in rows:
        print(f"{report:16} {LEVEL[report]:9} score {n:3}  sentence {i}  chars {s}:{e}")
    exclude = set()
    if "--exclude" in sys.argv:
        exclude = set(sys.argv[sys.argv.index("--exclude") + 1].split(","))
    chosen, levels = [], set()
    for n, report, b in rows:
        if report not in exclude and LEVEL[report] not in levels and len(chosen) < 2:
            chosen.append(report)
            levels.add(LEVEL[report])
    if exclude:
        print("excluded:", ", ".join(sorted(exclude)))
    print("chosen:", ", ".join(chosen))
