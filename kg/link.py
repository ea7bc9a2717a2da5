"""Resolution: one entity per (type, normalised name) per report, and merge across reports.

Reports repeat names (海宁 appears a dozen times in the seed) and vary them only by quotes
and brackets: “新兴海工程” and 新兴海工程 are one initiative. Mentions group by
(type, normalised name); the surfaces become the entity's aliases (skos:altLabel), the
sections its mentions fall in become its sections. Places keep the gazetteer code and its
parent chain (袁花镇 330481112 → 海宁市 330481 → 嘉兴市 3304 → 浙江省 33).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Callable, Iterable, Optional, Sequence

from kg import gazetteer
from kg.extract.entities import Mention


@dataclass(frozen=True)
class Entity:
    key: str  # stable id: type + short hash of the normalised name
    report: str
    type: str
    name: str
    aliases: tuple[str, ...]
    mentions: tuple[Mention, ...]
    sections: tuple[tuple[int, ...], ...]
    code: str = ""
    parents: tuple[tuple[str, str], ...] = ()  # (code, name) from the parent up to the province


def entity_key(type_: str, name: str) -> str:
    """Deterministic id shared by the same entity in every report: ``place-3f2a9c1d``."""
    return f"{type_}-{hashlib.sha1(f'{type_}|{name}'.encode('utf-8')).hexdigest()[:10]}"


def resolve(report: str, mentions: Iterable[Mention],
            section_of: Optional[Callable[[int], tuple[int, ...]]] = None) -> list[Entity]:
    """Group a report's mentions into entities (sorted by first mention)."""
    groups: dict[tuple[str, str], list[Mention]] = {}
    for m in mentions:
        groups.setdefault((m.type, m.name), []).append(m)
    g = gazetteer.load()
    out = []
    for (t, name), ms in groups.items():
        ms = sorted(set(ms), key=lambda m: (m.start, m.end))
        aliases = tuple(sorted({m.surface for m in ms} - {name}))
        secs: list[tuple[int, ...]] = []
        if section_of is not None:
            for m in ms:
                sec = section_of(m.start)
                if sec not in secs:
                    secs.append(sec)
        code = next((m.code for m in ms if m.code), "")
        parents: tuple[tuple[str, str], ...] = ()
        if code and code in g.by_code:
            parents = tuple((d.code, d.name) for d in g.chain(g.by_code[code])[1:])
        out.append(Entity(entity_key(t, name), report, t, name, aliases, tuple(ms), tuple(secs), code, parents))
    out.sort(key=lambda e: (e.mentions[0].start, e.type, e.name))
    return out


def merge(per_report: Sequence[Sequence[Entity]]) -> dict[str, list[Entity]]:
    """Across reports: the same (type, normalised name) is one entity; key → its per-report entities."""
    merged: dict[str, list[Entity]] = {}
    for ents in per_report:
        for e in ents:
            merged.setdefault(e.key, []).append(e)
    return merged


def section_lookup(sentences: Sequence[tuple[int, int, tuple[int, ...]]]) -> Callable[[int], tuple[int, ...]]:
    """A function offset → section path from (start, end, section) sentence rows."""
    import bisect

    rows = sorted(sentences)
    starts = [r[0] for r in rows]

    def find(pos: int) -> tuple[int, ...]:
        i = bisect.bisect_right(starts, pos) - 1
        if i >= 0 and rows[i][0] <= pos < rows[i][1]:
            return rows[i][2]
        return ()

    return find
