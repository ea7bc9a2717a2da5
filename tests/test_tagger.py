"""The learned tagger's parts: features, CRF inference, the model format, deterministic training."""
from __future__ import annotations

import hashlib
import itertools

import numpy as np
import pytest

from kg import tokens
from kg.extract import crf, features, gold, tagger, train


def _features(text: str, **kw) -> np.ndarray:
    words = tokens.lcut(text)
    return features.compute(text, words, tokens.word_tags(words), **kw)


def test_features_are_one_row_of_buckets_per_character():
    text = "依托国信优易、百度、小米、科大讯飞等优势企业，推动晶科二期建成投产。"
    F = _features(text)
    assert F.shape == (len(text), len(features.TEMPLATES))
    assert F.min() >= 0 and F.max() < 1 << features.BITS


def test_features_depend_on_the_text_not_the_process():
    # buckets are hashes of code points and word hashes: the same in every run and position
    a = _features("保定市加快建设京雄高速。")
    b = _features("前文。保定市加快建设京雄高速。")
    assert (a[5:] == b[8:]).all()  # away from the edges the same characters get the same buckets


def test_the_same_word_hashes_the_same_wherever_it_stands():
    h = features.Hasher(features.codes("百度和百度"))
    x = h(np.array([0, 3]), np.array([2, 5]))
    assert x[0] == x[1] == features.string_hash("百度")


def test_lexicon_and_issuer_and_rules_features_fire():
    text = "来冀投资的百度在保定市落户。"
    plain = _features(text)
    rich = _features(text, issuer=["保定市", "保定"], rules=[("company", 5, 7)])
    col = {n: k for k, n in enumerate(features.TEMPLATES)}
    assert (plain[:, col["issuer"]] != rich[:, col["issuer"]]).sum() == 3  # 保定市
    assert (plain[:, col["rule.outer"]] != rich[:, col["rule.outer"]]).sum() == 2  # 百度
    abbr = plain[:, col["abbr"]]
    assert abbr[1] != abbr[0]  # 冀, a provincial abbreviation


def _brute_viterbi(E, A, ok=None):
    if ok is not None:
        A = np.where(ok, A, -1e9)
    L = E.shape[1]
    best = max(itertools.product(range(L), repeat=len(E)),
               key=lambda y: sum(E[t, y[t]] for t in range(len(E))) + sum(A[y[t - 1], y[t]] for t in range(1, len(E))))
    return list(best)


def test_viterbi_and_marginals_against_brute_force():
    rng = np.random.default_rng(7)
    C, N, L = 2, 12, 3
    E, A = rng.normal(size=(C, N, L)), rng.normal(size=(C, L, L))
    jobs = [(c, a, b) for c in range(C) for a, b in [(0, 5), (5, 6), (8, 12), (2, 9)]]
    off = crf.offsets(np.array(jobs))
    flat, margs = crf.viterbi(E, A, jobs), crf.marginals(E, A, jobs)
    for (c, a, b), o in zip(jobs, off):
        y, M = flat[o:o + b - a], margs[o:o + b - a]
        assert y.tolist() == _brute_viterbi(E[c, a:b], A[c])
        seqs = list(itertools.product(range(L), repeat=b - a))
        w = np.array([np.exp(sum(E[c, a + t, s[t]] for t in range(b - a))
                             + sum(A[c, s[t - 1], s[t]] for t in range(1, b - a))) for s in seqs])
        w /= w.sum()
        for t in range(b - a):
            assert np.allclose(M[t], [w[[s[t] == lab for s in seqs]].sum() for lab in range(L)])


def test_constrained_chains_never_take_a_forbidden_transition():
    rng = np.random.default_rng(3)
    labels = tagger.labels_of(["company"])
    ok = tagger.allowed(labels)
    assert ok[0, 1] and not ok[0, 2] and ok[1, 2] and not ok[4, 3]
    E, A = rng.normal(size=(1, 9, 5)) * 3, rng.normal(size=(1, 5, 5))
    jobs = [(0, 0, 5), (0, 5, 9)]
    flat, margs = crf.viterbi(E, A, jobs, ok), crf.marginals(E, A, jobs, ok)
    for (c, a, b), o in zip(jobs, crf.offsets(np.array(jobs))):
        y, M = flat[o:o + b - a], margs[o:o + b - a]
        assert y.tolist() == _brute_viterbi(E[c, a:b], A[c], ok)
        assert all(ok[p, q] for p, q in zip(y, y[1:]))
        assert np.allclose(M.sum(1), 1)


@pytest.mark.parametrize("labels,spans", [
    (["B-project", "I-project", "E-project", "O", "S-place"], [("project", 0, 3), ("place", 4, 5)]),
    (["B-company", "E-company", "B-project", "O"], [("company", 0, 2)]),  # B without E: dropped
    (["I-event", "E-event"], []),
])
def test_label_sequences_decode_to_spans(labels, spans):
    assert tagger.decode(labels) == spans
    if spans:
        assert tagger.decode(tagger.encode(len(labels), spans)) == spans


def test_nested_gold_goes_to_layers():
    spans = [("project", 0, 4), ("company", 0, 2), ("place", 5, 7), ("place", 5, 6)]
    layers = tagger.layer_spans(spans, "nested")
    assert layers == {"place": [("place", 5, 7)], "outer": [("project", 0, 4)], "inner": [("company", 0, 2)]}
    by_type = tagger.layer_spans(spans, "types")
    assert by_type["company"] == [("company", 0, 2)] and by_type["project"] == [("project", 0, 4)]


@pytest.fixture(scope="module")
def small_model():
    pytest.importorskip("pycrfsuite")
    passages = train.training_passages()[:3]
    return passages, train.train(passages, {"max_iterations": 5}, log=lambda s: None)


def test_training_is_deterministic(small_model):
    passages, model = small_model
    again = train.train(passages, {"max_iterations": 5}, log=lambda s: None)
    assert hashlib.sha256(model.to_bytes()).digest() == hashlib.sha256(again.to_bytes()).digest()


def test_layers_trained_in_processes_give_the_same_bytes(small_model):
    passages, model = small_model
    forked = train.train(passages, {"max_iterations": 5}, log=lambda s: None, jobs=2)
    assert forked.to_bytes() == model.to_bytes()


def test_a_share_of_the_training_reports_is_fixed_and_nested():
    passages = train.training_passages()
    quarter, half = train.fraction(passages, 0.25), train.fraction(passages, 0.5)
    assert {p.report for p in quarter} < {p.report for p in half} < {p.report for p in passages}
    assert quarter == train.fraction(passages, 0.25)


def test_model_bytes_round_trip(small_model):
    _, model = small_model
    data = model.to_bytes()
    back = tagger.Model.from_bytes(data)
    assert back.to_bytes() == data
    text = gold.text(small_model[0][0].report)
    F = train.report_features(small_model[0][0].report)
    spans = train.sentences(text, 0, len(text))[:40]
    assert model.tag(F, spans) == back.tag(F, spans)


def test_emissions_by_block_equal_the_plain_sum(small_model):
    _, model = small_model
    text = "依托国信优易、百度、小米、科大讯飞等优势企业，加快建设京雄高速。“八八战略”深入实施。" * 100
    words = tokens.lcut(text)
    F = features.compute(text, words, tokens.word_tags(words), ["保定市"], [("company", 7, 9)])
    row, W = model._tables()
    plain = W[row[F]].sum(axis=1)
    assert np.allclose(model.emissions(F), plain, atol=1e-4)


def test_sentences_are_decoded_clause_by_clause():
    segs, left, right = tagger._clauses([(0, 6), (6, 7)], "甲乙，丙丁。戊")
    assert segs == [(0, 2), (3, 5), (6, 7)]
    assert left.tolist() == [3] and right.tolist() == [1, 4]
