"""Name lists from public data (kg/data/, sources in kg/data/README.md) as one look-up table.

``lookup("冀")`` answers which known things carry that name: each an :class:`Entry` with the
entity type the annotation conventions use (place, company, organization), the canonical
name, what kind of name it is (a division's full name, its short name, a one-character
provincial abbreviation, a listed company's trading name, a body's short form …) and a code
(GB/T 2260 division code, ``EXCHANGE:ticker``, or the body's category). A name can carry
several entries: 朝阳 is three districts, 长城汽车 is listed in Shanghai and Hong Kong.

Tables are read on first use and kept; nothing here is used by the extraction pipeline yet.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator, Optional

from kg import gazetteer

DATA = Path(__file__).with_name("data")
TYPES = ("place", "company", "organization")


@dataclass(frozen=True)
class Entry:
    type: str       # place | company | organization
    canonical: str  # 河北省, 长城汽车, 国家发展和改革委员会
    kind: str       # see KINDS
    code: str = ""  # 13 | SSE:601633 | 国务院组成部门 | Q5413 (a river's or lake's Wikidata item) | ""
    source: str = ""  # the kg/data file it comes from


KINDS = {
    "division": "full name of a province, prefecture or county-level division",
    "town": "full name of a town, township or street",
    "short": "short name of a division (合肥市 → 合肥)",
    "town-short": "a town's name less 镇/乡/街道 (袁花镇 → 袁花)",
    "abbr": "one-character provincial abbreviation (冀, 鄂)",
    "country": "country by short or full name",
    "region": "region, bay or special administrative region (regions.tsv)",
    "listed": "a listed company's name as text uses it",
    "security": "the securities short name as quoted (万科Ａ, *ST…)",
    "alias": "a company's alias from the source (讯飞)",
    "registered": "a company's registered name",
    "body": "a national body's or provincial government's own name",
    "body-short": "the short form a source uses for a body (证监会)",
    "body-derived": "that short form less its 国家/国务院 prefix (发改委)",
    "body-contracted": "a central body's name contracted by rule (全国人大常委会, 中央军委)",
    "river": "a river (waters.tsv)",
    "lake": "a lake (waters.tsv)",
}


def _rows(fname: str) -> Iterator[list[str]]:
    with open(DATA / fname, encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            yield line.rstrip("\n").split("\t")


class Lexicon:
    def __init__(self) -> None:
        self.by_name: dict[str, list[Entry]] = {}
        self._divisions()
        self._countries()
        self._regions()
        self._waters()
        self._companies()
        self._bodies()
        for k, v in self.by_name.items():
            # one entry per thing and kind of name; sources that agree are named together
            merged: dict[tuple, set] = {}
            for e in v:
                merged.setdefault((e.type, e.kind, e.code, e.canonical), set()).add(e.source)
            self.by_name[k] = [Entry(t, c, kd, cd, "+".join(sorted(srcs)))
                               for (t, kd, cd, c), srcs in sorted(merged.items())]
        self.max_len = max(map(len, self.by_name))

    def _add(self, name: str, entry: Entry) -> None:
        if name:
            self.by_name.setdefault(name, []).append(entry)

    def _divisions(self) -> None:
        gaz = gazetteer.load()
        for d in gaz.by_code.values():
            kind = "town" if d.level == "town" else "division"
            self._add(d.name, Entry("place", d.name, kind, d.code, "divisions-*.tsv"))
        # kg/gazetteer.py's suffix rule (海宁市 → 海宁, 袁花镇 → 袁花), for towns too
        for short, ds in gaz.by_short.items():
            for d in ds:
                kind = "town-short" if d.level == "town" else "short"
                self._add(short, Entry("place", d.name, kind, d.code, "divisions-*.tsv"))
        for code, short, kind, name in _rows("divisions-short.tsv"):
            known = gaz.by_code.get(code)
            canonical = known.name if known is not None else name
            self._add(short, Entry("place", canonical, kind, code, "divisions-short.tsv"))

    def _countries(self) -> None:
        for name, full, _continent in _rows("countries.tsv"):
            e = Entry("place", name, "country", "", "countries.tsv")
            self._add(name, e)
            self._add(full, e)

    def _regions(self) -> None:
        for row in _rows("regions.tsv"):
            self._add(row[0], Entry("place", row[0], "region", row[1] if len(row) > 1 else "",
                                    "regions.tsv"))

    def _waters(self) -> None:
        for name, kind, wikidata, _english in _rows("waters.tsv"):
            self._add(name, Entry("place", name, kind, wikidata, "waters.tsv"))

    def _companies(self) -> None:
        for exchange, code, name, short, security, full in _rows("companies-listed.tsv"):
            where = f"{exchange}:{code}" if code else ""
            src = "companies-listed.tsv"
            self._add(name, Entry("company", name, "listed" if code else "registered", where, src))
            if security and security != name:
                self._add(security, Entry("company", name, "security", where, src))
            if full and full != name:
                self._add(full, Entry("company", name, "registered", where, src))
            if short:
                self._add(short, Entry("company", name, "alias", where, src))

    def _bodies(self) -> None:
        kinds = {"name": "body", "short": "body-short", "derived": "body-derived",
                 "contracted": "body-contracted"}
        for fname in ("bodies.tsv", "bodies-central.tsv"):
            for name, canonical, category, kind in _rows(fname):
                self._add(name, Entry("organization", canonical, kinds[kind], category, fname))

    def lookup(self, name: str, type: Optional[str] = None) -> tuple[Entry, ...]:
        found = self.by_name.get(name, ())
        return tuple(e for e in found if type is None or e.type == type)

    def scan(self, text: str, min_len: int = 1) -> list[tuple[int, int, tuple[Entry, ...]]]:
        """Every span of ``text`` that is a known name: (start, end, entries), by start then
        longest first. Overlapping and nested spans are all reported; choosing among them is
        the caller's business."""
        out = []
        n = len(text)
        for i in range(n):
            for j in range(min(n, i + self.max_len), i + min_len - 1, -1):
                found = self.by_name.get(text[i:j])
                if found:
                    out.append((i, j, tuple(found)))
        return out


@lru_cache(maxsize=1)
def load() -> Lexicon:
    return Lexicon()


def lookup(name: str, type: Optional[str] = None) -> tuple[Entry, ...]:
    """Entries for ``name`` (of ``type`` only, if given); empty when the name is unknown."""
    return load().lookup(name, type)


def names(type: Optional[str] = None) -> frozenset[str]:
    """Every known name, or every name that has an entry of ``type``."""
    lex = load()
    return frozenset(k for k, v in lex.by_name.items() if type is None or any(e.type == type for e in v))


def scan(text: str, min_len: int = 1) -> list[tuple[int, int, tuple[Entry, ...]]]:
    return load().scan(text, min_len)
