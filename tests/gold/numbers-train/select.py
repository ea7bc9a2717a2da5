"""Choose training passages for a check of the number rules that nobody tuned on, by a fixed rule.

Written and committed before any of these passages was read. The passage gold of ``../passages``
annotates dev and test reports only; the rules of ``kg/extract`` were written while reading dev
passages and training text. To see how they do on text they were not written on, before the
test split is scored once, these training passages are annotated in the same format (the docstring
of ``../passages/tool.py``) by the engineer of the rules, after the rules were written, and scored
with ``python -m kg.evaluate_goals passages --folder tests/gold/numbers-train --split train``.

Rule: the training reports of ``../passages/passages.tsv`` (split = train) that have no goals gold
(``tests/gold/*.goals.json`` annotate haining-2023, guowuyuan-2023, zhejiang-2025, zhejiang-2026,
lixian-2022, laiyuan-2025); one report per issuer group (the group of ``../passages/select.py``), the one
with the smallest ``sha256("numbers-train:" + slug)``; the 10 groups with the smallest such hash.
In each report, number windows exactly as ``../passages/select.py`` makes them (whole sentences
within 600 characters, at least 300 characters and 3 numerals), one with a target cue and one
without, each the one with the smallest ``sha256("numbers-train:" + slug + ":" + start)``.

    python tests/gold/numbers-train/select.py    # writes tests/gold/numbers-train/passages.tsv
"""
from __future__ import annotations

import csv
import hashlib
import importlib.util
from pathlib import Path

HERE = Path(__file__).resolve().parent
PASSAGES = HERE.parent / "passages"
EXCLUDE = {"haining-2023", "guowuyuan-2023", "zhejiang-2025", "zhejiang-2026", "lixian-2022", "laiyuan-2025"}
GROUPS = 10

_spec = importlib.util.spec_from_file_location("_select", PASSAGES / "select.py")
assert _spec is not None and _spec.loader is not None
sel = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sel)


def sha(s: str) -> str:
    return hashlib.sha256(("numbers-train:" + s).encode("utf-8")).hexdigest()


def main() -> None:
    with open(PASSAGES / "passages.tsv", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f, delimiter="\t") if r["split"] == "train"]
    meta = {r["report"]: r for r in rows}
    groups: dict[str, list[str]] = {}
    for slug in sorted(meta):
        if slug not in EXCLUDE:
            groups.setdefault(sel.group_of(slug), []).append(slug)
    chosen = sorted((min(slugs, key=sha) for slugs in groups.values()), key=sha)[:GROUPS]
    out = []
    for slug in sorted(chosen):
        text = (sel.REPORTS / f"{slug}.txt").read_text(encoding="utf-8")
        cands = [(s, e) for s, e in sel.windows(text, sel.NUM_MAX)
                 if e - s >= sel.NUM_MIN and len(sel.DIGITS.findall(text, s, e)) >= sel.NUM_DIGITS]
        for cue in (True, False):
            pool = [w for w in cands if bool(sel.TARGET_CUE.search(text, w[0], w[1])) == cue]
            if pool:
                s, e = min(pool, key=lambda w: sha(f"{slug}:{w[0]}"))
                m = meta[slug]
                out.append({"id": f"{slug}:{s}-{e}", "kind": "numbers", "report": slug, "level": m["level"],
                            "year": m["year"], "split": "train", "start": s, "end": e, "double": 0})
    with open(HERE / "passages.tsv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(out[0]), delimiter="\t", lineterminator="\n")
        w.writeheader()
        w.writerows(out)
    print(f"{len(out)} passages of {len(chosen)} reports")


if __name__ == "__main__":
    main()
