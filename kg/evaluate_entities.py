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


@lru_cache(maxsize=512)
def voters(report: str, model: Optional[str] = None) -> tuple[str, str, tuple, tuple]:
    """(text, issuer, the rules' mentions, the tagger's (type, start, end, confidence)) of a gold
    report: the two voters of kg.extract.mentions apart, to measure how to combine them;
    ``model`` a model file other than the shipped one."""
    from kg import link
    from kg.extract import mentions, tagger
    from kg.read import read_report
    from kg.segment import segment

    r = read_report(str(gold.text_path(report)), report)
    spans = [(a, b) for a, b, _, _ in link.text_spans(segment(r))]
    issuer = link.extractor_issuer(r.issuer)
    rules, tagged = mentions.candidates(r.text, spans, issuer, tagger.load(model) if model else None)
    return r.text, issuer, tuple(rules), tuple(tagged)


def combinations(split: str = "dev", model: Optional[str] = None) -> dict[str, dict[str, Score]]:
    """Per-type scores on a split of the rules alone, the tagger alone and their union, and the
    precision of the rules' mentions the tagger does not find (kg.extract.mentions.POLICY and
    RULES_PRECISION are set from these figures on dev)."""
    from kg.extract import mentions

    ps = passages_of(split)

    def rules(report):
        return [(m.type, m.start, m.end) for m in voters(report, model)[2]]

    def tagger_(report):
        return [(t, s, e) for t, s, e, _ in voters(report, model)[3]]

    def union(report):
        return sorted(set(rules(report)) | set(tagger_(report)))

    def rules_only(report):
        return sorted(set(rules(report)) - set(tagger_(report)))

    def merged(report):
        text, issuer, r, t = voters(report, model)
        return [(m.type, m.start, m.end) for m in mentions.merge(text, r, t, issuer)]

    return {name: score(ps, f) for name, f in
            [("rules", rules), ("model", tagger_), ("union", union), ("rules only", rules_only), ("product", merged)]}


def format_combinations(result: dict[str, dict[str, Score]]) -> str:
    names = list(result)
    lines = [f"  {'F1':<13}" + "".join(f"{n:>12}" for n in names)]
    for label in result[names[0]]:
        lines.append(f"  {label:<13}" + "".join(f"{result[n][label].f1:12.3f}" for n in names))
    lines.append("  precision of the rules' mentions the tagger does not find:")
    lines.append("  " + ", ".join(f"{t} {result['rules only'][t].precision:.3f}" for t in ENTITY_TYPES))
    return "\n".join(lines)


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
    found: dict[str, list[tuple[str, int, int]]] = {p.report: [] for p, _ in pairs}
    for _, q in pairs:
        found[q.report].extend(q.spans)
    return score([p for p, _ in pairs], lambda report: found[report])


def main(argv: Optional[Sequence[str]] = None) -> None:
    """``python -m kg.evaluate_entities --combinations [--split dev]``: the voters compared."""
    import argparse

    ap = argparse.ArgumentParser(prog="python -m kg.evaluate_entities")
    ap.add_argument("--split", default="dev", choices=["train", "dev", "test", "seed"])
    ap.add_argument("--combinations", action="store_true", help="rules, tagger, union and the product per type")
    ap.add_argument("--model", help="with --combinations: a model file other than the shipped one")
    ap.add_argument("--record", metavar="FILE",
                    help="score test, dev and the seed and write their F1 to FILE (the release figures, "
                         "tests/gold/entity-scores.json)")
    a = ap.parse_args(argv)
    if a.record:
        import json

        record: dict = {"f1": {}, "precision": {}, "recall": {}}
        for split in ("test", "dev", "seed"):
            r = evaluate(split)
            print(format_report(r))
            for key in record:
                record[key][split] = {label: round(getattr(sc, key), 3) for label, sc in r["scores"].items()}
        with open(a.record, "w", encoding="utf-8") as f:
            json.dump(record, f, indent=1, sort_keys=True)
            f.write("\n")
    elif a.combinations:
        print(format_combinations(combinations(a.split, a.model)))
    else:
        print(format_report(evaluate(a.split)))


if __name__ == "__main__":
    main()
