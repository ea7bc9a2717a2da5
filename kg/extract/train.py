"""Train the entity tagger from the gold in the repository: same gold, same model bytes.

    python -m kg.extract.train                      # -> kg/data/entities.model
    python -m kg.extract.train --out /tmp/m.model --passages 6 --iterations 20   # a small slice

Reads the annotated passages of the train split and the older gold files (kg/extract/gold.py;
never the test split), computes the features of each report once (kg/extract/features.py:
the same code the pipeline runs, the hand rules' mentions included), cuts the passages into
sentences and trains one CRF per layer (kg/extract/tagger.py) with CRFsuite's L-BFGS
(python-crfsuite, needed for training only). The weights are then written in the package's
own format, sorted, so the bytes depend on the gold and the code alone. Training time (CPU
seconds) and model size are printed.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from typing import Iterable, Sequence

import numpy as np

from kg.extract import features, gold, tagger

_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?")  # as tests/gold/passages/tool.py numbers them
PARAMS = {"c1": 0.05, "c2": 0.01, "max_iterations": 150}
LAYOUT = "types"


def sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(start + m.start(), start + m.end()) for m in _SENTENCE.finditer(text[start:end]) if m.group().strip()]


def report_features(report: str) -> np.ndarray:
    """Feature buckets of a whole report, as the pipeline computes them."""
    from kg import link
    from kg.extract import mentions
    from kg.read import read_report
    from kg.segment import segment

    r = read_report(str(gold.text_path(report)), report)
    spans = [(a, b) for a, b, _, _ in link.text_spans(segment(r))]
    return mentions.rules_and_features(r.text, spans, link.extractor_issuer(r.issuer))[1]


def sequences(passages: Sequence[gold.Passage], layout: str, templates: Sequence[str] = features.TEMPLATES
              ) -> Iterable[tuple[np.ndarray, dict[str, list[str]]]]:
    """(feature buckets of ``templates``, labels per layer) of every sentence of the passages, in order."""
    cols = [features.TEMPLATES.index(t) for t in templates]
    by_report: dict[str, list[gold.Passage]] = {}
    for p in passages:
        by_report.setdefault(p.report, []).append(p)
    for report in sorted(by_report):
        F = report_features(report)
        text = gold.text(report)
        for p in by_report[report]:
            for a, b in sentences(text, p.start, p.end):
                spans = [(t, s - a, e - a) for t, s, e in p.spans if a <= s and e <= b]
                layers = tagger.layer_spans(spans, layout)
                yield F[a:b, cols], {name: tagger.encode(b - a, layers[name]) for name, _ in tagger.LAYOUTS[layout]}


_DATA: list[tuple[np.ndarray, dict[str, list[str]]]] = []  # the sentences, shared with forked workers


def _train_layer(name: str, labels: Sequence[str], params: dict) -> tuple[dict, dict]:
    """CRFsuite's (state features, transitions) of one layer, trained on ``_DATA``."""
    import pycrfsuite

    with tempfile.TemporaryDirectory() as tmp:
        trainer = pycrfsuite.Trainer(verbose=False)
        trainer.set_params({**params, "feature.possible_transitions": True})
        for F, ys in _DATA:
            trainer.append([[str(v) for v in row] for row in F.tolist()], ys[name])
        path = os.path.join(tmp, name + ".crf")
        trainer.train(path)
        del trainer
        reader = pycrfsuite.Tagger()
        reader.open(path)
        info = reader.info()
        reader.close()
    return dict(info.state_features), dict(info.transitions)


def train(passages: Sequence[gold.Passage], params: dict | None = None, layout: str = LAYOUT,
          templates: Sequence[str] = features.TEMPLATES, log=print, jobs: int = 1) -> tagger.Model:
    """One CRF per layer of ``layout`` over the passages' sentences; the weights as a Model.

    The features are computed once; the layers are trained one after the other, or ``jobs`` at a
    time in forked processes (each layer's CRF is independent of the others: the bytes are the same)."""
    params = {**PARAMS, **(params or {})}
    _DATA[:] = list(sequences(passages, layout, templates))
    n_chars = sum(len(F) for F, _ in _DATA)
    n_sents = len(_DATA)
    log(f"{len(passages)} passages, {n_sents} sentences, {n_chars:,} characters")
    todo = [(name, tagger.labels_of(types), params) for name, types in tagger.LAYOUTS[layout]]
    try:
        if jobs > 1:
            import multiprocessing

            with multiprocessing.get_context("fork").Pool(min(jobs, len(todo))) as pool:
                results = pool.starmap(_train_layer, todo, chunksize=1)
        else:
            results = [_train_layer(*job) for job in todo]
    finally:
        _DATA.clear()
    weights: dict[int, list[tuple[int, float]]] = {}
    trans, layers, col0 = [], [], 0
    for (name, labels, _), (state, transitions) in zip(todo, results):
        li = {lab: k for k, lab in enumerate(labels)}
        for (attr, lab), w in state.items():
            if w:
                weights.setdefault(int(attr), []).append((col0 + li[lab], w))
        A = np.zeros((len(labels), len(labels)))
        for (a, b), w in transitions.items():
            A[li[a], li[b]] = w
        trans.append(A)
        layers.append([name, list(labels)])
        col0 += len(labels)
        log(f"  layer {name}: {len(state):,} weights")
    buckets = np.array(sorted(weights), dtype=np.uint32)
    indptr, cols, ws = [0], [], []
    for b in buckets.tolist():
        for c, w in sorted(weights[b]):
            cols.append(c)
            ws.append(w)
        indptr.append(len(cols))
    header = {"format": 1, "bits": features.BITS, "templates": list(templates), "layout": layout,
              "layers": layers, "params": {k: params[k] for k in sorted(params)},
              "trained_on": {"passages": len(passages), "sentences": n_sents, "characters": n_chars}}
    return tagger.Model(header, buckets, np.array(indptr, dtype=np.int64), np.array(cols, dtype=np.int64),
                        np.array(ws, dtype=np.float64), trans)


def training_passages(limit: int | None = None) -> list[gold.Passage]:
    """The gold the shipped model learns from: the train split and the older gold files."""
    ps = gold.passages(("train",)) + gold.old_passages(include_seed=True)
    return ps[:limit] if limit else ps


def fraction(passages: Sequence[gold.Passage], share: float) -> list[gold.Passage]:
    """The passages of the first ``share`` of the training reports, in a fixed order (the reports
    sorted by a hash of their id, so each share holds every level about evenly)."""
    import hashlib

    reports = sorted({p.report for p in passages}, key=lambda r: hashlib.sha256(r.encode()).hexdigest())
    keep = set(reports[:max(1, round(share * len(reports)))])
    return [p for p in passages if p.report in keep]


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m kg.extract.train", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=str(tagger.MODEL), help="model file to write [%(default)s]")
    ap.add_argument("--passages", type=int, default=None, help="train on the first N passages only")
    ap.add_argument("--iterations", type=int, default=PARAMS["max_iterations"])
    ap.add_argument("--c1", type=float, default=PARAMS["c1"], help="L1 regularisation [%(default)s]")
    ap.add_argument("--c2", type=float, default=PARAMS["c2"], help="L2 regularisation [%(default)s]")
    ap.add_argument("--drop", action="append", default=[], metavar="TEMPLATE",
                    help="leave a feature template out (repeatable), e.g. rule.outer: measure what it adds")
    ap.add_argument("--layout", choices=sorted(tagger.LAYOUTS), default=LAYOUT)
    ap.add_argument("--fraction", type=float, default=None,
                    help="train on this share of the training reports (the learning curve), e.g. 0.25")
    ap.add_argument("--jobs", type=int, default=1, help="layers trained at once, in processes [%(default)s]")
    args = ap.parse_args(argv)
    t0, w0 = time.process_time(), time.perf_counter()
    passages = training_passages(args.passages)
    if args.fraction:
        passages = fraction(passages, args.fraction)
    templates = [t for t in features.TEMPLATES if t not in args.drop]
    model = train(passages, {"max_iterations": args.iterations, "c1": args.c1, "c2": args.c2}, args.layout,
                  templates, log=lambda s: print(s, file=sys.stderr), jobs=args.jobs)
    data = model.to_bytes()
    with open(args.out, "wb") as f:
        f.write(data)
    import hashlib

    print(f"trained in {time.perf_counter() - w0:.0f} s ({time.process_time() - t0:.0f} s CPU in this process); {args.out}: {len(data) / 1e6:.2f} MB, "
          f"{len(model.buckets):,} buckets, {len(model.weights):,} weights, sha256 {hashlib.sha256(data).hexdigest()[:16]}")


if __name__ == "__main__":
    main()
