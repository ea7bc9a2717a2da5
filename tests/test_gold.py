"""The entity gold as the library reads it, and the scoring of the entity stage on it."""
from __future__ import annotations

from click.testing import CliRunner

from kg.cli import cli
from kg.evaluate_entities import agreement, evaluate, format_report, score
from kg.extract import gold


def test_passages_trace_to_the_report_text():
    ps = gold.passages(("train", "dev")) + gold.old_passages()
    assert len(ps) > 200
    for p in ps:
        text = gold.text(p.report)
        assert 0 <= p.start < p.end <= len(text)
        for t, s, e in p.spans:
            assert p.start <= s < e <= p.end and text[s:e].strip() == text[s:e], (p.id, t, text[s:e])


def test_the_test_split_comes_only_when_asked_for():
    assert {p.split for p in gold.passages()} == {"train", "dev"}
    assert {p.split for p in gold.old_passages()} == {"train", "seed"}


def test_perfect_predictions_score_one():
    ps = gold.passages(("dev",))[:5]
    spans = {}
    for p in ps:
        spans.setdefault(p.report, []).extend(p.spans)
    s = score(ps, lambda report: spans[report])
    assert s["all"].f1 == 1.0 and s["core"].fn == 0


def test_predictions_outside_the_passages_do_not_count():
    p = gold.passages(("dev",))[0]
    s = score([p], lambda report: list(p.spans) + [("place", p.end, p.end + 2)])
    assert s["all"].fp == 0


def test_agreement_of_the_two_annotations():
    a = agreement()
    assert a is not None and 0.8 < a["all"].f1 < 1.0  # docs/evaluation.md records the figures


def test_kg_eval_scores_the_seed():
    r = CliRunner().invoke(cli, ["eval", "--split", "seed"])
    assert r.exit_code == 0, r.output
    assert "company" in r.output and "by level" in r.output


def test_kg_eval_wants_a_build_or_a_split():
    r = CliRunner().invoke(cli, ["eval"])
    assert r.exit_code == 2


def test_format_report_lists_every_type_and_level():
    res = evaluate("seed", lambda report: [])
    text = format_report(res)
    assert "county" in text and "initiative" in text
