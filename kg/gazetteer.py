"""Administrative divisions of China with their codes, from kg/data/ (see kg/data/README.md).

Reports name places the way the civil registry does (袁花镇, 海昌街道, 嘉兴市) or by the
short form everybody uses (海宁, 嘉兴, 浙江), e.g. “向驻海宁部队全体官兵……表示衷心的感谢”.
This module answers: which divisions carry this full name, which carry this short name,
what is a division's parent chain (town/street → county → city → province), and which
towns belong to a county. Codes follow GB/T 2260 (2, 4, 6 digits) and the statistics
bureau's 9-digit town codes, so a division's parents are its code prefixes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

DATA = Path(__file__).with_name("data")
LEVEL_BY_LEN = {2: "province", 4: "city", 6: "county", 9: "town"}
# Placeholder rows of the registry that are not names of places.
_PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
_SHORT_RE = re.compile(
    r"(?:特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区"
    r"|(?:[\u4e00-\u9fff]{1,6}?族)+自治[州县旗]|省|市|县|区|地区|盟|街道|镇|乡)$"
)


@dataclass(frozen=True)
class Division:
    code: str
    name: str

    @property
    def level(self) -> str:
        return LEVEL_BY_LEN[len(self.code)]

    @property
    def parent_code(self) -> Optional[str]:
        return {9: self.code[:6], 6: self.code[:4], 4: self.code[:2]}.get(len(self.code))


def short_name(name: str) -> str:
    """海宁市 → 海宁, 袁花镇 → 袁花, 海昌街道 → 海昌; names that would shrink below two characters stay whole."""
    s = _SHORT_RE.sub("", name)
    return s if len(s) >= 2 else name


class Gazetteer:
    def __init__(self, rows: list[tuple[str, str]]):
        self.by_code: dict[str, Division] = {}
        self.by_name: dict[str, list[Division]] = {}
        self.by_short: dict[str, list[Division]] = {}
        self.children: dict[str, list[Division]] = {}
        for code, name in rows:
            if name in _PLACEHOLDERS:
                continue
            d = Division(code, name)
            self.by_code[code] = d
            self.by_name.setdefault(name, []).append(d)
            if d.parent_code:
                self.children.setdefault(d.parent_code, []).append(d)
            s = short_name(name)
            if s != name:
                self.by_short.setdefault(s, []).append(d)

    def parent(self, d: Division) -> Optional[Division]:
        code = d.parent_code
        while code:
            p = self.by_code.get(code)
            if p is not None:
                return self.canonical(p)
            code = Division(code, "").parent_code  # skip placeholder levels (市辖区)
        return None

    def canonical(self, d: Division) -> Division:
        """The division a row stands for: a prefecture without counties (东莞市 4419) is listed
        again at county level (东莞市 441900) to hold its towns; that row is the prefecture."""
        code = d.parent_code
        p = self.by_code.get(code) if code else None
        return p if p is not None and p.name == d.name else d

    def chain(self, d: Division) -> list[Division]:
        out = [d]
        p = self.parent(d)
        while p is not None:
            out.append(p)
            p = self.parent(p)
        return out

    def lookup(self, name: str, near: Optional[str] = None) -> list[Division]:
        """Divisions with this full (or else short) name; those under the code ``near`` first."""
        found = self.by_name.get(name) or self.by_short.get(name) or []
        if near and len(found) > 1:
            found = sorted(found, key=lambda d: -_shared_prefix(d.code, near))
        return list(found)


def _shared_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


@lru_cache(maxsize=1)
def load() -> Gazetteer:
    rows: list[tuple[str, str]] = []
    for fname in ("divisions-county.tsv", "divisions-town.tsv"):
        with open(DATA / fname, encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("#"):
                    continue
                code, name = line.rstrip("\n").split("\t")
                rows.append((code, name))
    return Gazetteer(rows)
