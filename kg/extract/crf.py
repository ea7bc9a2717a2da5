"""Linear-chain CRF inference in numpy: Viterbi paths and per-position marginals.

A chain scores a label sequence ``y`` of a sentence as ``sum_t E[t, y_t] + sum_t A[y_t-1, y_t]``
(emissions ``E`` from the features, transitions ``A``; no start or end weights, as CRFsuite's
first-order CRF). Work comes as *jobs* ``(chain, start, end)``: one chain (an entity type's
label set) over one stretch of text. Jobs are sorted by length and padded into batches, so
the Python loop runs once per position of a batch's longest job, and each step is a few
array operations over every job of the batch: a loop over the few labels a chain has,
not over characters, sentences or types.
"""
from __future__ import annotations

from typing import Iterator, Optional

import numpy as np

_BATCH = 1 << 15  # padded positions per batch


def _batches(jobs: np.ndarray) -> Iterator[np.ndarray]:
    """Groups of job indices of similar length, each within ``_BATCH`` padded positions (or one
    job alone, if longer)."""
    lens = jobs[:, 2] - jobs[:, 1]
    order = np.argsort(lens, kind="stable")
    sl = np.maximum(lens[order], 1)
    start = 0
    while start < len(order):
        # sorted by length: jobs start..e-1 pad to (e - start) * sl[e - 1], which grows with e
        padded = (np.arange(1, len(order) - start + 1)) * sl[start:]
        stop = start + max(int(np.searchsorted(padded, _BATCH, side="right")), 1)
        yield order[start:stop]
        start = stop


def _pad(E: np.ndarray, A: np.ndarray, jobs: np.ndarray, group: np.ndarray):
    """The group's emissions laid out (T, L, B), its transitions (L, L, B), the mask (T, B)."""
    js = jobs[group]
    lens = js[:, 2] - js[:, 1]
    T = int(lens.max())
    pos = js[:, 1, None] + np.arange(T)[None, :]
    mask = np.arange(T)[None, :] < lens[:, None]
    pos = np.where(mask, pos, js[:, 1, None])
    chain = js[:, 0]
    P = np.ascontiguousarray(E[chain[:, None], pos].transpose(1, 2, 0))
    At = np.ascontiguousarray(A[chain].transpose(1, 2, 0))
    return P, At, np.ascontiguousarray(mask.T)


def offsets(jobs: np.ndarray) -> np.ndarray:
    """Where each job's labels start in the flat results of ``viterbi`` and ``marginals``."""
    lens = jobs[:, 2] - jobs[:, 1]
    return np.cumsum(lens) - lens


def _scatter(out: np.ndarray, rows: np.ndarray, jobs: np.ndarray, group: np.ndarray, mask: np.ndarray) -> None:
    """Put a batch's results ``rows`` (T, B, …), job by job, at the jobs' places in the flat ``out``."""
    lens = jobs[group, 2] - jobs[group, 1]
    dest = np.repeat(offsets(jobs)[group] - (np.cumsum(lens) - lens), lens) + np.arange(int(lens.sum()))
    out[dest] = rows.swapaxes(0, 1)[mask.T]


def sources(allowed: np.ndarray) -> list[tuple[int, tuple[int, ...]]]:
    """(label, the labels it may follow) for a chain whose allowed transitions are ``allowed`` (L, L)."""
    return [(j, tuple(int(i) for i in np.flatnonzero(allowed[:, j]))) for j in range(len(allowed))]


def viterbi(E: np.ndarray, A: np.ndarray, jobs: np.ndarray, allowed: Optional[np.ndarray] = None) -> np.ndarray:
    """The best label ids of all jobs, one after the other (``offsets`` says where each starts),
    for emissions ``E`` (C, N, L), transitions ``A`` (C, L, L) and jobs (J, 3) of
    (chain, start, end); ``allowed`` (L, L): the transitions a path may take (B/I/E/S chains
    forbid O -> I and the like), all by default."""
    jobs = np.asarray(jobs, dtype=np.int64).reshape(-1, 3)
    out = np.zeros(int((jobs[:, 2] - jobs[:, 1]).sum()), dtype=np.int8)
    L = E.shape[2]
    src = sources(np.ones((L, L), dtype=bool) if allowed is None else allowed)
    for group in _batches(jobs):
        P, At, mask = _pad(E, A, jobs, group)
        T, _, B = P.shape
        score = P[0].copy()  # (L, B)
        new = np.empty_like(score)
        back = np.zeros((T, L, B), dtype=np.int8)
        for t in range(1, T):
            for j, fr in src:
                best = score[fr[0]] + At[fr[0], j]
                arg = back[t, j]
                arg[:] = fr[0]
                for i in fr[1:]:
                    cand = score[i] + At[i, j]
                    better = cand > best
                    np.maximum(best, cand, out=best)
                    arg[better] = i
                np.add(best, P[t, j], out=new[j])
            np.copyto(score, new, where=mask[t])
        y = score.argmax(0)
        path = np.empty((T, B), dtype=np.int8)
        path[T - 1] = y
        cols = np.arange(B)
        for t in range(T - 1, 0, -1):
            # past a job's end its score was carried unchanged: follow the label, not a pointer
            y = np.where(mask[t], back[t][y, cols], y)
            path[t - 1] = y
        _scatter(out, path, jobs, group, mask)
    return out


def marginals(E: np.ndarray, A: np.ndarray, jobs: np.ndarray, allowed: Optional[np.ndarray] = None) -> np.ndarray:
    """``P(y_t = l | the job's text)`` (positions, L) of all jobs, one after the other
    (forward-backward, rescaled at every step; transitions outside ``allowed`` have
    probability 0)."""
    jobs = np.asarray(jobs, dtype=np.int64).reshape(-1, 3)
    L = E.shape[2]
    out = np.zeros((int((jobs[:, 2] - jobs[:, 1]).sum()), L))
    ok = np.ones((L, L), dtype=bool) if allowed is None else allowed
    src, dst = sources(ok), sources(ok.T)
    expA = np.exp(A - A.max(axis=(1, 2), keepdims=True)).astype(np.float64)
    for group in _batches(jobs):
        P, eAt, mask = _pad(E, expA, jobs, group)
        T, _, B = P.shape
        Q = np.exp(P - P.max(1, keepdims=True))
        alpha = np.empty((T, L, B))
        a = Q[0] / Q[0].sum(0)
        alpha[0] = a
        nxt = np.empty((L, B))
        for t in range(1, T):
            for j, fr in src:
                acc = a[fr[0]] * eAt[fr[0], j]
                for i in fr[1:]:
                    acc += a[i] * eAt[i, j]
                nxt[j] = acc
            nxt *= Q[t]
            nxt /= nxt.sum(0)
            np.copyto(a, nxt, where=mask[t])
            alpha[t] = a
        post = alpha.copy()  # at each job's last position: alpha alone
        beta = np.ones((L, B))
        nb = np.empty((L, B))
        for t in range(T - 1, 0, -1):
            qb = Q[t] * beta
            for i, to in dst:
                acc = eAt[i, to[0]] * qb[to[0]]
                for j in to[1:]:
                    acc += eAt[i, j] * qb[j]
                nb[i] = acc
            nb /= nb.sum(0)
            np.copyto(beta, nb, where=mask[t])
            p = alpha[t - 1] * beta
            post[t - 1] = p / p.sum(0)
        _scatter(out, post.transpose(0, 2, 1), jobs, group, mask)
    return out
