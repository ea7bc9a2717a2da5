"""Choose a second held-out set for the number rules, by a fixed rule, after the test split was scored.

Written and committed before any of these passages was read. The frozen test split of ``../passages``
was scored once; its error classes (indicator labels above all) are written up in
docs/evaluation-goals.md. Changes made after that are measured here, on text nobody tuned on: these
passages are annotated in the same format (the docstring of ``../passages/tool.py``) by an annotator who
reads only the text, and scored once, with the final rules, by
``python -m kg.evaluate_goals passages --folder tests/gold/numbers-heldout --split train``.

Rule: the training reports of ``../passages/passages.tsv`` (split = train) that have no goals gold
(``tests/gold/*.goals.json``) and whose issuer group has no report in ``../numbers-train/passages.tsv``;
one report per issuer group (the group of ``../passages/select.py``), the one with the smallest
``sha256("numbers-heldout:" + slug)``; the 14 groups with the smallest such hash.
In each report, number windows exactly as ``../passages/select.py`` makes them (whole sentences
within 600 characters, at least 300 characters and 3 numerals), one with a target cue and one
without, each the one with the smallest ``sha256("numbers-heldout:" + slug + ":" + start)``.

    python tests/gold/numbers-heldout/select.py    # writes tests/gold/numbers-heldout/passages.tsv
"""
from __future__ import annotations

import csv
import hashlib
import importlib.util
from pathlib import Path

HERE = Path(__file__).resolve().parent
PASSAGES = HERE.parent / "passages"
EXCLUDE = {"haining-2023", "guowuyuan-2023", "zhejiang-2025", "zhejiang-2026", "lixian-2022", "laiyuan-2025"}
GROUPS = 14

_spec = importlib.util.spec_from_file_location("_select", PASSAGES / "select.py")
assert _spec is not None and _spec.loader is not None
sel = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sel)


def sha(s: str) -> str:
    return hashlib.sha256(("numbers-heldout:" + s).encode("utf-8")).hexdigest()


def main() -> None:
    with open(PASSAGES / "passages.tsv", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f, delimiter="\t") if r["split"] == "train"]
    meta = {r["report"]: r for r in rows}
    with open(HERE.parent / "numbers-train" / "passages.tsv", encoding="utf-8") as f:
        used = {sel.group_of(r["report"]) for r in csv.DictReader(f, delimiter="\t")}
    groups: dict[str, list[str]] = {}
    for slug in sorted(meta):
        if slug not in EXCLUDE and sel.group_of(slug) not in used:
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
