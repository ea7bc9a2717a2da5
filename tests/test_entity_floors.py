"""The entity stage never scores below the floors recorded at the last release.

``tests/gold/entity-scores.json`` holds the release figures (F1 per type, core, other and all)
on the frozen test split, dev and the seed, written by ``python -m kg.evaluate_entities --record``
when a release is scored (docs/evaluation.md); a figure more than ``MARGIN`` below its
recorded value fails here.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.evaluate_entities import evaluate

RECORD = Path(__file__).resolve().parent / "gold" / "entity-scores.json"
MARGIN = 0.02


@pytest.mark.parametrize("split", ["test", "dev", "seed"])
def test_figures_stay_above_the_recorded_floors(split):
    recorded = json.loads(RECORD.read_text(encoding="utf-8"))["f1"][split]
    scores = evaluate(split)["scores"]
    low = {label: (round(scores[label].f1, 3), f1) for label, f1 in recorded.items()
           if scores[label].f1 < f1 - MARGIN}
    assert not low, f"{split}: F1 below the recorded figure minus {MARGIN} (now, recorded): {low}"
