"""Scoring the entity stage on the gold passages: per-type P/R/F1 on test, dev and the seed.

``kg eval --split dev`` (or ``test``, ``seed``, ``train``) runs the product's entity stage
(``kg.link.entities``, rules and tagger together) over every report that has gold passages
of that split and scores the mentions that fall inside the passages against the gold
(kg/extract/gold.py). A mention counts only when its type, start and end all match
(``kg.evaluate.score_spans``). Figures are given per type, micro-averaged over the core types
(company, project, industry, place) and the other four, and per level of the issuing
government (national, provincial, city, county).

The test split is frozen: score it once per release (docs/evaluation.md).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Callable, Iterable, Optional, Sequence

from kg.evaluate import ENTITY_TYPES, Score, score_spans
from kg.extract import gold

CORE = ENTITY_TYPES[:4]
OTHER = ENTITY_TYPES[4:]
LEVELS = ("national", "provincial", "city", "county")
Predict = Callable[[str], Sequence[tuple[str, int, int]]]


@lru_cache(maxsize=512)
def product_mentions(report: str) -> tuple[tuple[str, int, int], ...]:
    """(type, start, end) of every mention the entity stage finds in a gold report."""
    from kg import link
    from kg.read import read_report
    from kg.segment import segment

    r = read_report(str(gold.text_path(report)), report)
    return tuple((x.mention.type, x.mention.start, x.mention.end) for x in link.entities(segment(r)).mentions)


def passages_of(split: str) -> list[gold.Passage]:
    """The gold passages of a split; ``seed``: the seed's gold file."""
    if split == "seed":
        return [p for p in gold.old_passages() if p.split == "seed"]
    return gold.passages((split,))


def micro(scores: dict[str, Score], types: Iterable[str]) -> Score:
    ts = [scores[t] for t in types]
    return Score(sum(s.tp for s in ts), sum(s.fp for s in ts), sum(s.fn for s in ts))


def score(passages: Sequence[gold.Passage], predict: Predict = product_mentions) -> dict[str, Score]:
    """Per-type scores over the passages, plus ``all``, ``core`` and ``other`` (micro)."""
    pred, ref = [], []
    for k, p in enumerate(passages):
        off = k << 32  # passages apart: a span of one never matches a span of another
        pred += [(t, off + s, off + e) for t, s, e in predict(p.report) if p.start <= s and e <= p.end]
        ref += [(t, off + s, off + e) for t, s, e in p.spans]
    out = score_spans(pred, ref, ENTITY_TYPES)
    out["core"] = micro(out, CORE)
    out["other"] = micro(out, OTHER)
    return out


def evaluate(split: str, predict: Predict = product_mentions) -> dict:
    """{"split", "passages", "characters", "scores": {label: Score}, "levels": {level: {label: Score}}}."""
    ps = passages_of(split)
    levels = {}
    for lv in LEVELS:
        sub = [p for p in ps if p.level == lv]
        if sub:
            levels[lv] = score(sub, predict)
    return {"split": split, "passages": len(ps), "characters": sum(p.end - p.start for p in ps),
            "scores": score(ps, predict), "levels": levels}


def format_report(result: dict, levels: bool = True) -> str:
    lines = [f"{result['split']}: {result['passages']} passages, {result['characters']:,} characters",
             f"  {'':<13}{'P':>7}{'R':>7}{'F1':>7}{'gold':>7}"]
    for label, s in result["scores"].items():
        lines.append(f"  {label:<13}{s.precision:7.3f}{s.recall:7.3f}{s.f1:7.3f}{s.tp + s.fn:7d}")
    if levels and result["levels"]:
        lines.append(f"  by level (F1)  {'core':>7}{'other':>7}{'all':>7}{'gold':>7}")
        for lv, sc in result["levels"].items():
            lines.append(f"  {lv:<14}{sc['core'].f1:7.3f}{sc['other'].f1:7.3f}{sc['all'].f1:7.3f}"
                         f"{sc['all'].tp + sc['all'].fn:7d}")
    return "\n".join(lines)


def agreement(second: str = "ann2", first_rev: Optional[str] = None) -> Optional[dict[str, Score]]:
    """The second, independent annotation of the doubly annotated passages scored against the
    first: ``ann/`` as it stands (adjudicated), or as it stood at the git revision ``first_rev``
    (the annotators' own work, before adjudication)."""
    import subprocess
    import tempfile

    seconds = gold.passages(("train", "dev"), folder=second)
    if not seconds:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        folder = "ann"
        if first_rev:
            for q in seconds:
                name = gold.ann_file(q.id)
                data = subprocess.run(["git", "show", f"{first_rev}:tests/gold/passages/ann/{name}"],
                                      cwd=gold.root(), check=True, capture_output=True).stdout
                with open(f"{tmp}/{name}", "wb") as f:
                    f.write(data)
            folder = tmp
        first = {p.id: p for p in gold.passages(("train", "dev"), folder=folder)}
    pairs = [(first[q.id], q) for q in seconds if q.id in first]
    found = {p.report: [] for p, _ in pairs}
    for _, q in pairs:
        found[q.report].extend(q.spans)
    return score([p for p, _ in pairs], lambda report: found[report])
