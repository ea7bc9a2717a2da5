"""The learned entity tagger: a linear-chain CRF over characters, in layers for nested names.

Names nest (the place 保定 inside the organization 中共保定市委, the company 晶科 inside the
project 晶科二期), so the tagger reads a sentence in layers, each a chain of B/I/E/S/O labels
over its characters, all scored from the same features (kg/extract/features.py). Two layouts
(``LAYOUTS``); the shipped model uses ``types`` (``kg.extract.train.LAYOUT``):

* ``types``: one layer per type, so names of different types nest freely (the outermost name
  where two of one type nest, 长江经济带 over 长江);
* ``nested``: ``place`` (every place, the outermost where places nest), ``outer`` (the other
  seven types where no other name of them encloses them) and ``inner`` (those seven inside
  another of them: 晶科 in 晶科二期).

The model (``kg/data/entities.model``, written by ``python -m kg.extract.train``) is a sparse
table bucket -> (label, weight) and a transition matrix per layer. It is read on first use.
Each mention comes with a confidence: the tagger's probability, from the chain's
marginals, that every character of the span carries the label it was given.
"""
from __future__ import annotations

import bisect
import json
import struct
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

from kg.extract import crf, features

MODEL = Path(__file__).resolve().parents[1] / "data" / "entities.model"
_MAGIC = b"KGCRF1\n"
TYPES = ("company", "project", "industry", "place", "organization", "platform", "initiative", "event")
OTHER = tuple(t for t in TYPES if t != "place")
LAYOUTS = {
    "nested": (("place", ("place",)), ("outer", OTHER), ("inner", OTHER)),
    "types": tuple((t, (t,)) for t in TYPES),
}


def labels_of(types: Sequence[str]) -> tuple[str, ...]:
    return ("O",) + tuple(f"{p}-{t}" for t in types for p in "BIES")


def layer_spans(spans: Sequence[tuple[str, int, int]], layout: str = "nested") -> dict[str, list[tuple[str, int, int]]]:
    """Gold or predicted (type, start, end) spans of a sentence, sorted into the layers of
    ``layout`` (each a list of non-overlapping spans)."""

    def outermost(xs):
        keep, rest, end = [], [], -1
        for x in sorted(set(xs), key=lambda x: (x[1], -x[2], x[0])):
            if x[1] >= end:
                keep.append(x)
                end = x[2]
            else:
                rest.append(x)
        return keep, rest

    if layout == "types":
        return {t: outermost([x for x in spans if x[0] == t])[0] for t in TYPES}
    places, _ = outermost([x for x in spans if x[0] == "place"])
    outer, nested = outermost([x for x in spans if x[0] != "place"])
    inner, _ = outermost(nested)
    return {"place": places, "outer": outer, "inner": inner}


def encode(n: int, spans: Sequence[tuple[str, int, int]]) -> list[str]:
    """B/I/E/S/O labels of ``n`` characters for non-overlapping spans."""
    y = ["O"] * n
    for t, a, b in spans:
        if b - a == 1:
            y[a] = "S-" + t
        else:
            y[a] = "B-" + t
            y[a + 1:b - 1] = ["I-" + t] * (b - a - 2)
            y[b - 1] = "E-" + t
    return y


def allowed(labels: Sequence[str]) -> np.ndarray:
    """(L, L): the transitions a B/I/E/S/O path may take (O -> I-x and the like never occur)."""
    def ok(a: str, b: str) -> bool:
        if b[0] in "IE":
            return a[0] in "BI" and a[2:] == b[2:]
        return a[0] in "OES"
    return np.array([[ok(a, b) for b in labels] for a in labels], dtype=bool)


def decode(labels: Sequence[str]) -> list[tuple[str, int, int]]:
    """Spans of a B/I/E/S/O label sequence; a B without its E (or an I out of place) is dropped."""
    out, open_ = [], None
    for i, lab in enumerate(labels):
        if lab == "O":
            open_ = None
            continue
        p, t = lab[0], lab[2:]
        if p == "S":
            out.append((t, i, i + 1))
            open_ = None
        elif p == "B":
            open_ = (t, i)
        elif p == "I":
            if not open_ or open_[0] != t:
                open_ = None
        elif open_ and open_[0] == t:
            out.append((t, open_[1], i + 1))
            open_ = None
        else:
            open_ = None
    return out


@dataclass
class Layer:
    name: str
    labels: tuple[str, ...]
    cols: slice  # its columns in the emission matrix
    trans: np.ndarray  # (L, L)


class Model:
    """Weights of the three layers; ``tag`` turns feature buckets into typed spans."""

    def __init__(self, header: dict, buckets: np.ndarray, indptr: np.ndarray, cols: np.ndarray,
                 weights: np.ndarray, trans: list[np.ndarray]):
        self.header = header
        self.buckets, self.indptr, self.cols, self.weights = buckets, indptr, cols, weights
        self.layers: list[Layer] = []
        c = 0
        for (name, labels), A in zip(header["layers"], trans):
            self.layers.append(Layer(name, tuple(labels), slice(c, c + len(labels)), A))
            c += len(labels)
        self.width = c
        self.prune: Optional[float] = PRUNE
        self._row: Optional[np.ndarray] = None
        self._W: Optional[np.ndarray] = None

    # -- storage: a header (JSON) and the arrays, zlib-compressed; same weights -> same bytes
    _ARRAYS = (("buckets", "<u4"), ("indptr", "<u4"), ("cols", "<u2"), ("weights", "<f4"))

    def to_bytes(self) -> bytes:
        head = json.dumps(self.header, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
        parts = [np.ascontiguousarray(getattr(self, k), dtype=dt).tobytes() for k, dt in self._ARRAYS]
        parts += [np.ascontiguousarray(layer.trans, dtype="<f4").tobytes() for layer in self.layers]
        sizes = struct.pack("<" + "Q" * len(parts), *map(len, parts))
        return _MAGIC + struct.pack("<I", len(head)) + head + zlib.compress(sizes + b"".join(parts), 9)

    @classmethod
    def from_bytes(cls, data: bytes) -> "Model":
        if not data.startswith(_MAGIC):
            raise ValueError("not an entity model")
        k = len(_MAGIC)
        (hl,) = struct.unpack_from("<I", data, k)
        header = json.loads(data[k + 4:k + 4 + hl].decode("utf-8"))
        body = zlib.decompress(data[k + 4 + hl:])
        nparts = len(cls._ARRAYS) + len(header["layers"])
        sizes = struct.unpack_from("<" + "Q" * nparts, body)
        off = 8 * nparts
        arrays = []
        for sz, (_, dt) in zip(sizes, cls._ARRAYS + (("trans", "<f4"),) * len(header["layers"])):
            arrays.append(np.frombuffer(body, dtype=dt, count=sz // np.dtype(dt).itemsize, offset=off))
            off += sz
        trans = [a.astype(np.float64).reshape(len(lab), len(lab)) for a, (_, lab) in zip(arrays[4:], header["layers"])]
        return cls(header, arrays[0], arrays[1].astype(np.int64), arrays[2].astype(np.int64),
                   arrays[3].astype(np.float64), trans)

    # -- tagging
    def _tables(self) -> tuple[np.ndarray, np.ndarray]:
        """(bucket -> row, or the zero row) and the dense weights (rows, width), built on first use."""
        if self._row is None or self._W is None:
            k = len(self.buckets)
            row = np.full(1 << header_bits(self.header), k, dtype=np.int32)
            row[self.buckets.astype(np.int64)] = np.arange(k, dtype=np.int32)
            W = np.zeros((k + 1, self.width), dtype=np.float32)
            W[np.repeat(np.arange(k), np.diff(self.indptr)), self.cols] = self.weights
            self._row, self._W = row, W
            return row, W
        return self._row, self._W

    def emissions(self, F: np.ndarray) -> np.ndarray:
        """(n, width) scores of every label of every layer at every position of the buckets ``F``:
        the weight rows of every template's bucket, summed, a block of characters at a time (the
        sum stays in the processor's cache). Templates whose value is mostly 0 add the row of 0
        everywhere and the difference only where the value is not 0."""
        row, W = self._tables()
        names = self.header["templates"]
        sparse = [k for k, name in enumerate(names) if name in features.MOSTLY_ZERO]
        dense = [k for k in range(len(names)) if k not in sparse]
        R = row[F]
        n = len(F)
        E = np.empty((n, self.width), dtype=np.float32)
        base = np.zeros(self.width, dtype=np.float32)
        for k in sparse:
            base += W[row[features.zero_bucket(names[k])]]
        # a template whose buckets the model mostly lacks (pairs of characters, of words) adds only
        # where it has the bucket: the rows of absent buckets (row ``absent``) are all 0
        absent = len(self.buckets)
        hits = {k: np.flatnonzero(R[:, k] != absent) for k in dense[1:]}
        rare = [k for k in dense[1:] if len(hits[k]) < _RARE * n]
        dense = [k for k in dense if k not in rare]
        for s in range(0, n, _BLOCK):
            r = R[s:s + _BLOCK]
            acc = W.take(r[:, dense[0]], axis=0)
            for k in dense[1:]:
                acc += W.take(r[:, k], axis=0)
            acc += base
            E[s:s + _BLOCK] = acc
        for k in rare:
            E[hits[k]] += W.take(R[hits[k], k], axis=0)
        for k in sparse:
            z = row[features.zero_bucket(names[k])]
            hit = np.flatnonzero(R[:, k] != z)
            if len(hit):
                E[hit] += W.take(R[hit, k], axis=0) - W[z]
        return E

    def tag(self, F: np.ndarray, spans: Sequence[tuple[int, int]], confidence: bool = True,
            text: Optional[str] = None) -> list[tuple[str, int, int, float, str]]:
        """(type, start, end, confidence, layer) of every name the layers find in ``spans``
        (sentences, as offsets into the rows of ``F``).

        With ``text``, sentences are decoded clause by clause: a character of ``CUT`` (，；： …)
        is taken to be outside every name, so the chains on either side of it are independent
        given its label, and shorter chains decode faster; the result is the sentence's best
        labelling among those that leave the cuts outside names."""
        E = self.emissions(F)
        segs, left, right = _clauses(spans, text)
        out = []
        by_size: dict[int, list[Layer]] = {}
        for layer in self.layers:
            by_size.setdefault(len(layer.labels), []).append(layer)
        for group in by_size.values():
            El = np.stack([E[:, layer.cols] for layer in group])
            A = np.stack([layer.trans for layer in group]).astype(np.float32)
            El[:, left] += A[:, None, 0, :]  # from the cut's O into the clause
            El[:, right] += A[:, None, :, 0]  # from the clause into the cut's O
            jobs = _plausible(El, A, segs, self.prune)
            ok = allowed(group[0].labels)
            labels = crf.viterbi(El, A, jobs, ok)
            off = crf.offsets(jobs)
            if not len(labels):
                continue
            hot = np.flatnonzero(np.maximum.reduceat(labels, off) > 0) if len(jobs) else np.zeros(0, dtype=np.int64)
            hjobs = jobs[hot]
            probs = crf.marginals(El, A, hjobs, ok) if confidence else None
            hoff = crf.offsets(hjobs)
            for k, (c, a, b) in enumerate(hjobs.tolist()):
                y = labels[off[hot[k]]:off[hot[k]] + b - a]
                layer = group[c]
                for t, s, e in decode([layer.labels[i] for i in y.tolist()]):
                    conf = float(probs[hoff[k] + np.arange(s, e), y[s:e]].min()) if probs is not None else 1.0
                    out.append((t, a + s, a + e, round(conf, 3), layer.name))
        out.sort(key=lambda x: (x[1], -x[2], x[0]))
        return out


CUT = "，；：。！？,;:!?"
_BLOCK = 2048  # characters whose emissions are summed together
_RARE = 0.3  # templates with a weight at fewer than this share of the characters are added sparsely
PRUNE = 6.0  # see _plausible


def _plausible(El: np.ndarray, A: np.ndarray, segs: Sequence[tuple[int, int]], margin: Optional[float]
               ) -> np.ndarray:
    """Jobs (chain, start, end) for the clauses where a chain may find a name.

    A name starts with a B or S label entered from O, or at the clause's start. Where at every
    character both score more than ``margin`` below staying in O (emission and transition),
    the chain's best path through the clause is all O in practice; skipping those clauses
    (most of them, for most types) changes no result on the dev split at ``PRUNE``
    (docs/evaluation.md) and saves most of the decoding."""
    if margin is None or not len(segs):
        return np.array([(c, a, b) for c in range(len(El)) for a, b in segs], dtype=np.int64).reshape(-1, 3)
    C, N, L = El.shape
    opens = np.array([k for k in range(1, L) if k % 4 in (1, 0)])  # B-x at 1, 5 …; S-x at 4, 8 …
    enter = (El[:, :, opens] + A[:, None, 0, opens]).max(2) - (El[:, :, 0] + A[:, None, 0, 0])
    ab = np.asarray(segs, dtype=np.int64)
    order = np.argsort(ab[:, 0], kind="stable")
    starts = ab[order, 0]
    cover = np.zeros(N + 1, dtype=np.int64)
    np.add.at(cover, ab[:, 0], 1)
    np.add.at(cover, ab[:, 1], -1)
    inside = np.cumsum(cover[:N]) > 0
    enter = np.where(inside[None, :], enter, -np.inf)
    best = np.maximum.reduceat(enter, starts, axis=1)  # (C, segs): up to the next clause's start
    c, k = np.nonzero(best > -margin)
    return np.stack([c, ab[order[k], 0], ab[order[k], 1]], axis=1).reshape(-1, 3)


def _clauses(spans: Sequence[tuple[int, int]], text: Optional[str]) -> tuple[list[tuple[int, int]], np.ndarray, np.ndarray]:
    """The spans cut at the characters of ``CUT`` (which belong to no clause), and the clause
    starts that follow a cut and the clause ends that precede one."""
    if text is None:
        return list(spans), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    segs, left, right = [], [], []
    cuts = np.flatnonzero(np.isin(features.codes(text), features.codes(CUT))).tolist()
    for a, b in spans:
        s = a
        for i in cuts[bisect.bisect_left(cuts, a):bisect.bisect_left(cuts, b)] + [b]:
            if i > s:
                segs.append((s, i))
                if s > a:
                    left.append(s)
                if i < b:
                    right.append(i - 1)
            s = i + 1
    return segs, np.array(left, dtype=np.int64), np.array(right, dtype=np.int64)


def _spans_with(hot: np.ndarray, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans (sorted or not) that contain one of the sorted positions ``hot``."""
    if not len(hot):
        return []
    ab = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
    keep = np.searchsorted(hot, ab[:, 0]) < np.searchsorted(hot, ab[:, 1])
    return [tuple(x) for x in ab[keep].tolist()]


def header_bits(header: dict) -> int:
    return int(header["bits"])


@lru_cache(maxsize=1)
def load(path: str = str(MODEL)) -> Model:
    """The shipped model, read once per process."""
    return Model.from_bytes(Path(path).read_bytes())
