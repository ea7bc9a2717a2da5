"""The entity gold in the repository, as passages of report text with their mentions.

Two sources, both hand-annotated by the conventions of ANNOTATION.md (see docs/evaluation.md):

* the passages of ``tests/gold/passages/`` (chosen by ``select.py``, split by issuer into
  train / dev / test; annotations in ``ann/*.ann``, read by ``tool.py``);
* the older gold ``tests/gold/*.entities.json`` (the seed haining-2023 and parts of ten
  reports, all of training issuers), one passage per annotated range.

The frozen **test** split is returned only when asked for by name (``splits=("test",)``):
training and development never see it. Gold lives in the repository, not in the installed
package: these functions need a checkout (``root()``).
"""
from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

from kg.errors import KGError

Span = tuple[str, int, int]  # (type, start, end)

# The old gold files whose text is not in tests/data/reports
_OLD_TEXT = {"haining-2023": "seeds/haining-2023.txt", "beijing-2024": "tests/data/unseen/beijing-2024.txt"}
SEED = "haining-2023"


@dataclass(frozen=True)
class Passage:
    """An annotated part ``text[start:end]`` of a report and its gold mentions (report offsets)."""

    id: str
    report: str
    split: str  # train | dev | test | seed
    level: str  # national | provincial | city | county
    start: int
    end: int
    spans: tuple[Span, ...]
    source: str  # passages | old


def root() -> Path:
    """The repository checkout this package runs from (gold is not installed with it)."""
    here = Path(__file__).resolve().parents[2]
    if not (here / "tests" / "gold" / "passages" / "passages.tsv").is_file():
        raise KGError("the gold needs a checkout of the repository (tests/gold/ not found)", where=str(here))
    return here


@lru_cache(maxsize=None)
def passages_tool(folder: Optional[str] = None):
    """tests/gold/passages/tool.py, the one reader of the passage annotation format, as a module;
    with ``folder``, reading that folder's passages.tsv and ann/ (tests/gold/numbers-heldout …)."""
    path = root() / "tests" / "gold" / "passages" / "tool.py"
    spec = importlib.util.spec_from_file_location("kg_gold_passages_tool", path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    if folder is not None:
        mod.HERE = Path(folder).resolve()  # type: ignore[attr-defined]
    return mod


@lru_cache(maxsize=None)
def text_path(report: str) -> Path:
    r = root()
    if report in _OLD_TEXT:
        return r / _OLD_TEXT[report]
    return r / "tests" / "data" / "reports" / f"{report}.txt"


@lru_cache(maxsize=256)
def text(report: str) -> str:
    return text_path(report).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _levels() -> dict[str, str]:
    import csv

    with open(root() / "tests" / "data" / "reports" / "INDEX.tsv", encoding="utf-8") as f:
        levels = {r["slug"]: r["level"] for r in csv.DictReader(f, delimiter="\t")}
    levels.setdefault("haining-2023", "county")
    levels.setdefault("beijing-2024", "provincial")
    return levels


def ann_file(pid: str) -> str:
    """The annotation file name of a passage id (``slug:start-end`` -> ``slug_start-end.ann``)."""
    return passages_tool().ann_path(pid).name


def passages(splits: Iterable[str] = ("train", "dev"), folder: str = "ann") -> list[Passage]:
    """Annotated passages of the given splits, in ``passages.tsv`` order.

    ``folder="ann2"``: the second, independent annotation of the doubly annotated passages (a
    folder name under tests/gold/passages/, or an absolute path)."""
    splits = tuple(splits)
    tool = passages_tool()
    out = []
    for p in tool.passages():
        if p["kind"] != "entities" or p["split"] not in splits or not tool.ann_path(p["id"], folder).exists():
            continue
        rows, problems = tool.parse(p, folder)
        if problems:
            raise KGError("; ".join(problems[:3]), where=str(tool.ann_path(p["id"], folder)))
        spans = tuple(sorted({(r["type"], r["start"], r["end"]) for r in rows}, key=lambda s: (s[1], -s[2], s[0])))
        out.append(Passage(p["id"], p["report"], p["split"], p["level"], p["start"], p["end"], spans, "passages"))
    return out


def old_passages(include_seed: bool = True) -> list[Passage]:
    """The older gold files, one passage per annotated range (split ``train``; the seed ``seed``)."""
    out = []
    for path in sorted((root() / "tests" / "gold").glob("*.entities.json")):
        g = json.loads(path.read_text(encoding="utf-8"))
        report = g["report"]
        if report == SEED and not include_seed:
            continue
        ranges = g.get("ranges") or [g["range"]]
        for a, b in ranges:
            spans = tuple(sorted({(r["type"], r["start"], r["end"]) for r in g["entities"] if a <= r["start"] < b},
                                 key=lambda s: (s[1], -s[2], s[0])))
            out.append(Passage(f"{report}:{a}-{b}", report, "seed" if report == SEED else "train",
                               _levels().get(report, ""), a, b, spans, "old"))
    return out
