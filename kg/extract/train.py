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
    from kg import link, tokens
    from kg.extract.entities import extract_mentions
    from kg.gazetteer import short_name
    from kg.read import read_report
    from kg.segment import segment

    r = read_report(str(gold.text_path(report)), report)
    spans = [(a, b) for a, b, _, _ in link.text_spans(segment(r))]
    rules = [(m.type, m.start, m.end) for m in extract_mentions(r.text, spans, issuer=r.issuer)]
    words = tokens.lcut(r.text)
    issuer = [r.issuer, short_name(r.issuer)] if r.issuer else []
    return features.compute(r.text, words, tokens.word_tags(words), issuer, rules)


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


def train(passages: Sequence[gold.Passage], params: dict | None = None, layout: str = LAYOUT,
          templates: Sequence[str] = features.TEMPLATES, log=print) -> tagger.Model:
    """One CRF per layer of ``layout`` over the passages' sentences; the weights as a Model.

    The features are computed once; the layers are trained one after the other (one CRFsuite
    trainer in memory at a time)."""
    import pycrfsuite

    params = {**PARAMS, **(params or {})}
    data = list(sequences(passages, layout, templates))
    n_chars = sum(len(F) for F, _ in data)
    log(f"{len(passages)} passages, {len(data)} sentences, {n_chars:,} characters")
    weights: dict[int, list[tuple[int, float]]] = {}
    trans, layers, col0 = [], [], 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, types in tagger.LAYOUTS[layout]:
            labels = tagger.labels_of(types)
            trainer = pycrfsuite.Trainer(verbose=False)
            trainer.set_params({**params, "feature.possible_transitions": True})
            for F, ys in data:
                trainer.append([[str(v) for v in row] for row in F.tolist()], ys[name])
            path = os.path.join(tmp, name + ".crf")
            trainer.train(path)
            del trainer
            reader = pycrfsuite.Tagger()
            reader.open(path)
            info = reader.info()
            reader.close()
            li = {lab: k for k, lab in enumerate(labels)}
            for (attr, lab), w in info.state_features.items():
                if w:
                    weights.setdefault(int(attr), []).append((col0 + li[lab], w))
            A = np.zeros((len(labels), len(labels)))
            for (a, b), w in info.transitions.items():
                A[li[a], li[b]] = w
            trans.append(A)
            layers.append([name, list(labels)])
            col0 += len(labels)
            log(f"  layer {name}: {len(info.state_features):,} weights")
    buckets = np.array(sorted(weights), dtype=np.uint32)
    indptr, cols, ws = [0], [], []
    for b in buckets.tolist():
        for c, w in sorted(weights[b]):
            cols.append(c)
            ws.append(w)
        indptr.append(len(cols))
    header = {"format": 1, "bits": features.BITS, "templates": list(templates), "layout": layout,
              "layers": layers, "params": {k: params[k] for k in sorted(params)},
              "trained_on": {"passages": len(passages), "sentences": len(data), "characters": n_chars}}
    return tagger.Model(header, buckets, np.array(indptr, dtype=np.int64), np.array(cols, dtype=np.int64),
                        np.array(ws, dtype=np.float64), trans)


def training_passages(limit: int | None = None) -> list[gold.Passage]:
    """The gold the shipped model learns from: the train split and the older gold files."""
    ps = gold.passages(("train",)) + gold.old_passages(include_seed=True)
    return ps[:limit] if limit else ps


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m kg.extract.train", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=str(tagger.MODEL), help="model file to write [%(default)s]")
    ap.add_argument("--passages", type=int, default=None, help="train on the first N passages only")
    ap.add_argument("--iterations", type=int, default=PARAMS["max_iterations"])
    ap.add_argument("--layout", choices=sorted(tagger.LAYOUTS), default=LAYOUT)
    args = ap.parse_args(argv)
    t0 = time.process_time()
    model = train(training_passages(args.passages), {"max_iterations": args.iterations}, args.layout,
                  log=lambda s: print(s, file=sys.stderr))
    data = model.to_bytes()
    with open(args.out, "wb") as f:
        f.write(data)
    import hashlib

    print(f"trained in {time.process_time() - t0:.0f} s CPU; {args.out}: {len(data) / 1e6:.2f} MB, "
          f"{len(model.buckets):,} buckets, {len(model.weights):,} weights, sha256 {hashlib.sha256(data).hexdigest()[:16]}")


if __name__ == "__main__":
    main()
