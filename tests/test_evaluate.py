import csv
import json

import pytest

from kg.errors import KGError
from kg.evaluate import evaluate, format_scores, load_gold, score_spans


def test_exact_span_and_type_match():
    gold = [("place", 0, 2), ("company", 5, 7)]
    pred = [("place", 0, 2), ("company", 5, 8), ("place", 10, 12)]
    s = score_spans(pred, gold, ("place", "company"))
    assert (s["place"].tp, s["place"].fp, s["place"].fn) == (1, 1, 0)
    assert (s["company"].tp, s["company"].fp, s["company"].fn) == (0, 1, 1)
    assert s["place"].precision == 0.5 and s["place"].recall == 1.0
    assert s["all"].tp == 1


def test_range_limits_predictions():
    s = score_spans([("place", 0, 2), ("place", 50, 52)], [("place", 0, 2)], ("place",), (0, 10))
    assert s["place"].fp == 0 and s["place"].f1 == 1.0


@pytest.mark.parametrize("content,problem", [
    ("not json", "not a JSON"),
    ("[]", "JSON object"),
    ('{"report": "x"}', "none of the keys"),
    ('{"entities": [{"type": "thing", "start": 0, "end": 1}]}', "unknown type"),
    ('{"entities": [], "stuff": 1}', "unknown keys"),
])
def test_bad_gold_is_one_line_error(tmp_path, content, problem):
    p = tmp_path / "g.json"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(KGError) as e:
        load_gold(p)
    assert problem in str(e.value) and "\n" not in str(e.value)


def test_evaluate_reads_out_tables(tmp_path):
    (tmp_path / "tables").mkdir()
    with open(tmp_path / "tables" / "mentions.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "report", "entity", "type", "surface", "start", "end"])
        w.writerow(["m1", "r", "e1", "place", "海宁", 0, 2])
        w.writerow(["m2", "other", "e1", "place", "海宁", 5, 7])
    gold = tmp_path / "g.json"
    gold.write_text(json.dumps({"report": "r", "entities": [
        {"type": "place", "surface": "海宁", "start": 0, "end": 2},
        {"type": "place", "surface": "海宁", "start": 5, "end": 7}]}), encoding="utf-8")
    res = evaluate(lambda name: tmp_path / "tables" / f"{name}.csv", gold)
    assert res["entities"]["place"].tp == 1 and res["entities"]["place"].fn == 1
    assert "place" in format_scores(res)


def test_a_build_without_its_tables_says_run_kg_build(tmp_path):
    import kg

    gold = tmp_path / "g.json"
    gold.write_text('{"entities": []}', encoding="utf-8")
    with pytest.raises(KGError, match="run `kg build` first"):
        kg.open(tmp_path / "nowhere")
    (tmp_path / "graph.ttl").write_text("", encoding="utf-8")
    with pytest.raises(KGError, match="no tables/mentions.csv here"):
        kg.open(tmp_path).evaluate(gold)


def test_keys_without_a_scorer_yet_are_accepted(tmp_path):
    p = tmp_path / "g.json"
    p.write_text('{"report": "r", "targets": []}', encoding="utf-8")
    assert load_gold(p)["targets"] == []
