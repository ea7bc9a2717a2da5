"""Identity: which node a name stands for, so that one real thing is one node across reports.

Reports name things relative to whoever speaks. In 海宁市's report “在市委、市政府的坚强领导下”
means 中共海宁市委 and 海宁市人民政府; in 定兴县's, “在市委、市政府和县委的坚强领导下” means
保定市's party committee and government and 定兴县's own. A town's name can belong to several
counties (丁桥镇 is in 海宁 and in 青阳). Merging by name alone makes one node of things that
are not one. The rules here give each name a key that is the same in every report exactly when
the thing is (what cannot be told apart stays apart: a missing merge is better than a wrong one):

* a place that resolves to one administrative division is that division: ``place/330481106``;
  an ambiguous name is resolved by the places around it and by the report's issuer (the
  nearest enclosing division that holds exactly one candidate), or else is left unresolved,
  scoped to the issuer, with its candidates recorded;
* a body named relative to the issuer (市委, 县人民政府, 省发展改革委, 本市) is the body of the
  division that the level word points at, with that division's name: 中共海宁市委;
* a body or platform named after a division (海宁市人民医院, 浙江大学) is keyed by its name and
  that division; a bare one (人民医院, 经济开发区, 之江实验室) by its name and the issuer; a
  national one (国务院, 全国人大, 国家发展和改革委员会) by its canonical name;
* a project by its name and the place it names, else the issuer;
* companies, industries, initiatives and events by their normalised name alone.

Every key is the tail of an IRI under the build's base (see :mod:`kg.iri` and ontology/README.md).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Optional, Sequence

from kg import gazetteer
from kg.gazetteer import Division
from kg.iri import COUNTRY, entity_key, place_key
from kg.namespace import WIKIDATA

# The State Council speaks for the country: its reports' issuer is the country's node.
NATIONAL_ISSUERS = ("国务院",)
# Names of the country: its one node, place/CN.
COUNTRY_NAMES = ("中国", "中华人民共和国", "我国", "全国", "祖国")
COUNTRY_LABEL = "中国"


@dataclass(frozen=True)
class Issuer:
    """The division a report speaks for: its code (``CN`` for the country, "" when the report
    does not say), its registry name and level, and its chain up to the province."""

    code: str = ""
    name: str = ""
    level: str = ""
    chain: tuple[Division, ...] = ()

    @property
    def known(self) -> bool:
        return bool(self.code)


@dataclass(frozen=True)
class Identity:
    """What a mention names: the key (an IRI tail), the label every report gives that node, and
    what places it: its administrative code, the division its name is relative to (``scope``, a
    code or ``CN``), the candidate codes of a place name left unresolved, an external IRI."""

    key: str
    label: str
    code: str = ""
    scope: str = ""
    candidates: tuple[str, ...] = ()
    external: str = ""


# --------------------------------------------------------------------------- the issuer
@lru_cache(maxsize=256)
def issuer_of(name: str) -> Issuer:
    """The issuer as a place: 海宁市 → 330481 (county level), 国务院 → CN, 保定市满城区 → 130607,
    清苑县 (a county since made a district) → 130608 (清苑区); "" when the name gives no one division."""
    if name in NATIONAL_ISSUERS:
        return Issuer(COUNTRY, COUNTRY_LABEL, "national")
    d = issuer_division(name)
    if d is None:
        return Issuer()
    g = gazetteer.load()
    return Issuer(d.code, d.name, d.level, tuple(g.chain(d)))


def issuer_division(name: str) -> Optional[Division]:
    """The one division (county level or above) that ``name`` names, or None.

    A full name (海宁市); a chain of names, each under the last (保定市满城区, 河北省保定市博野县);
    a former name whose short form is now one county-level division's (清苑县 → 清苑区)."""
    if not name:
        return None
    g = gazetteer.load()
    found = list(dict.fromkeys(g.canonical(d) for d in g.by_name.get(name, ()) if d.level != "town"))
    if len(found) == 1:
        return found[0]
    if found:
        return None
    d = _chain(g, name, "")
    if d is not None:
        return d
    short = gazetteer.short_name(name)
    found = [d for d in g.by_short.get(short, ()) if d.level == "county"] if short != name else []
    return found[0] if len(found) == 1 else None


def _chain(g: gazetteer.Gazetteer, name: str, under: str) -> Optional[Division]:
    """保定市满城区 → 满城区 under 保定市: the name read as full names, each under the one before."""
    for k in range(len(name) - 1, 1, -1):
        head = [d for d in g.by_name.get(name[:k], ()) if d.code.startswith(under) and d.level != "town"]
        if len(head) != 1:
            continue
        rest = name[k:]
        tail = [d for d in g.by_name.get(rest, ()) if d.code.startswith(head[0].code) and d.level != "town"]
        if len(tail) == 1:
            return tail[0]
        deeper = _chain(g, rest, head[0].code)
        if deeper is not None:
            return deeper
    return None


# --------------------------------------------------------------------------- places
def place_candidates(surface: str, name: str, short: bool = True) -> list[Division]:
    """Divisions a place mention may stand for: those with its full name, else (with ``short``)
    those whose short name it is (袁花 → every 袁花镇/袁花乡), in registry order."""
    g = gazetteer.load()
    found: Sequence[Division] = ()
    for n in (name, surface):
        found = g.by_name.get(n, ())
        if found:
            break
    if not found and short:
        found = g.by_short.get(surface, ())
    return list(dict.fromkeys(map(g.canonical, found)))


def resolve_division(candidates: Sequence[Division], issuer: Issuer,
                     context: Sequence[str] = ()) -> Optional[Division]:
    """The one candidate a report means, or None when it cannot be told.

    One candidate is it. Otherwise the places named just before it in the same sentence, nearest
    first (海宁市丁桥镇), then the issuer and the divisions above it, nearest first: the first of
    these that encloses (or is) some candidates decides, if it holds exactly one."""
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        return None
    for code in context:
        under = [c for c in candidates if c.code.startswith(code) and c.code != code]
        if under:
            return under[0] if len(under) == 1 else None
    for d in issuer.chain:
        near = [c for c in candidates if c.code.startswith(d.code) or d.code.startswith(c.code)]
        if near:
            return near[0] if len(near) == 1 else None
    return None


@lru_cache(maxsize=1)
def _known_places() -> dict[str, tuple[str, str]]:
    """Names of places that are one thing wherever they are written, from the public lists:
    regions (长三角), rivers and lakes (长江 → its Wikidata item), countries. name → (kind, external)."""
    from kg import lexicons

    out: dict[str, tuple[str, str]] = {}
    for name, entries in lexicons.load().by_name.items():
        for e in entries:
            if e.type != "place" or e.kind not in ("region", "river", "lake", "country"):
                continue
            ext = WIKIDATA + e.code if e.kind in ("river", "lake") and e.code.startswith("Q") else ""
            if name not in out or (ext and not out[name][1]):
                out[name] = (e.kind, ext)
    return out


def place_identity(surface: str, name: str, issuer: Issuer, context: Sequence[str] = (),
                   scope: str = "", division: bool = True) -> Identity:
    """A place mention's identity; ``context`` the codes of places named before it in its
    sentence, nearest first; ``scope`` what an unresolved name is scoped to when the issuer is
    not known (the report); ``division`` False when the extractor did not read the name as a
    division's (a river, a region): then only a division's full name makes it one."""
    if name in COUNTRY_NAMES or surface in COUNTRY_NAMES:
        return Identity(place_key(COUNTRY), COUNTRY_LABEL, scope=COUNTRY)
    rel = relative_place(surface, issuer) or relative_place(name, issuer)
    if rel is not None:
        return division_identity(rel)
    known = _known_places().get(name) or _known_places().get(surface)
    cands = place_candidates(surface, name, short=division and known is None)
    d = resolve_division(cands, issuer, context)
    if d is not None:
        return division_identity(d)
    if known is not None and not cands:
        return Identity(entity_key("place", name), name, external=known[1])
    where = issuer.code or scope
    return Identity(entity_key("place", name, where), name, scope=where,
                    candidates=tuple(sorted(c.code for c in cands)))


def division_identity(d: Division) -> Identity:
    return Identity(place_key(d.code), d.name, code=d.code)


# --------------------------------------------------------------------------- names relative to the issuer
# A level word at the start of a name points at a division above or at the issuer: 市 the nearest
# whose name ends with 市 (海宁市 itself in its own report, 保定市 in 定兴县's), 省 the province …
LEVEL_WORDS = "省市县区州旗盟"
# … unless it starts a word: 市场监管局, 市民服务中心, 县级医院, 区域中心, 省市县公立医院, 省内
_NOT_RELATIVE_AFTER = set("场民级域内外际属直会情县市区镇乡村州里份长")
_RELATIVE = re.compile(rf"^(?:中共)?(?:本|我|全)?([{LEVEL_WORDS}])(?=.)")
# Bodies every division has; named bare (政协, 人大) in a report they are the issuer's own.
JURISDICTION_BODIES = ("人民政府", "政府", "人大", "人大常委会", "政协", "纪委", "监委", "纪委监委", "党委", "工商联", "总工会",
                       "妇联", "团委", "科协", "残联")
# Names that are the division itself: 本市, 全县 …
_SELF = re.compile(rf"^(?:本|我|全)([{LEVEL_WORDS}])$")


def relative_division(word: str, issuer: Issuer) -> Optional[Division]:
    """The division a level word (市, 县, 省 …) means in a report of ``issuer``: the nearest
    of the issuer and the divisions above it whose name ends with that word; 省 the province."""
    for d in issuer.chain:
        if word == "省" and d.level == "province" and not d.name.endswith(("市", "特别行政区")):
            return d
        if d.name.endswith(word):
            return d
    return None


def relative_place(name: str, issuer: Issuer) -> Optional[Division]:
    """本市, 我县, 全省 … → that division of the issuer's chain."""
    m = _SELF.match(name)
    return relative_division(m.group(1), issuer) if m else None


def relative_body(name: str, issuer: Issuer) -> Optional[tuple[Division, str]]:
    """A body named relative to the issuer: (the division meant, the name with that division's
    name in front). 市委 in 海宁's report → (海宁市, 海宁市委); 省发展改革委 in 保定's →
    (河北省, 河北省发展改革委); None when the name is not of that form or the chain has no such
    division (县政府 in a city's report means every county's)."""
    m = _RELATIVE.match(name)
    if m is None:
        return None
    rest = name[m.end(1):]
    if rest[0] in _NOT_RELATIVE_AFTER:
        return None
    d = relative_division(m.group(1), issuer)
    if d is None:
        return None
    return d, d.name + rest


# --------------------------------------------------------------------------- bodies and platforms
_NATIONAL_PREFIXES = ("中国", "国家", "全国", "中央", "中共中央", "国务院", "最高人民", "党中央")


@lru_cache(maxsize=1)
def _national_bodies() -> dict[str, str]:
    """Names of national bodies (the lists in kg/data) → canonical name. Only names that say
    they are national: short forms less their 国家 prefix (发改委) name local bodies too."""
    from kg import lexicons

    out: dict[str, str] = {}
    for name, entries in lexicons.load().by_name.items():
        for e in entries:
            if e.type == "organization" and e.kind in ("body", "body-short", "body-contracted") \
                    and e.code != "省级人民政府":
                out.setdefault(name, e.canonical)
    return out


def canonical_body(name: str) -> str:
    """中共X委 and X委 are one committee, X政府 and X人民政府 one government: the official form
    of each (中共海宁市委, 海宁市人民政府)."""
    if name.endswith("政府") and not name.endswith("人民政府"):
        name = name[:-2] + "人民政府"
    if name.endswith(("市委", "县委", "省委", "区委", "州委", "旗委", "盟委")) and not name.startswith("中共"):
        name = "中共" + name
    return name


def _division_prefix(name: str, issuer: Issuer) -> Optional[tuple[Division, int]]:
    """The division a name starts with, and the prefix's length: the full or short name of a
    province or prefecture (海宁市人民医院's 海宁市 is a county's, 浙江大学, 宁波东方理工大学), or of a
    county or town of the issuer's province (a county name elsewhere is as often a word: 城区,
    东方); None when there is none or the report cannot tell which division it is."""
    g = gazetteer.load()
    home = issuer.code[:2] if issuer.code != COUNTRY else ""

    def near(d: Division) -> bool:
        return d.level in ("province", "city") or bool(home and d.code.startswith(home))

    for k in range(min(len(name) - 1, 12), 1, -1):
        head = name[:k]
        full = [d for d in g.by_name.get(head, ()) if near(d)]
        short = [d for d in g.by_short.get(head, ()) if d.level != "town" and near(d)]
        cands = list(dict.fromkeys(map(g.canonical, full or short)))
        if not cands:
            continue
        d = resolve_division(cands, issuer)
        return (d, k) if d is not None else None
    return None


def body_identity(type_: str, name: str, issuer: Issuer, scope: str = "") -> Identity:
    """An organization's or platform's identity (rules in the module docstring)."""
    where = issuer.code or scope
    national = _national_bodies()
    if name in national:
        canon = national[name]
        return Identity(entity_key(type_, canon), canon, scope=COUNTRY)
    plain = name[2:] if name.startswith("中共") and not name.startswith("中共中央") else name
    if plain.startswith(_NATIONAL_PREFIXES):
        return Identity(entity_key(type_, name), name, scope=COUNTRY)
    if type_ == "organization" and plain in JURISDICTION_BODIES and issuer.code == COUNTRY:
        full = "全国" + plain
        if full in national:
            canon = national[full]
            return Identity(entity_key(type_, canon), canon, scope=COUNTRY)
    if type_ == "organization" and plain in JURISDICTION_BODIES and issuer.chain:
        plain = issuer.chain[0].name + plain  # 政协 in 海宁's report: 海宁市政协
    rel = relative_body(plain, issuer)
    if rel is not None:
        d, qualified = rel
        label = canonical_body(qualified) if type_ == "organization" else qualified
        return Identity(entity_key(type_, label, d.code), label, scope=d.code)
    pre = _division_prefix(plain, issuer)
    if pre is not None:
        d, _ = pre
        label = canonical_body(plain) if type_ == "organization" else plain
        return Identity(entity_key(type_, label, d.code), label, scope=d.code)
    return Identity(entity_key(type_, name, where), name, scope=where)


def project_identity(name: str, issuer: Issuer, places: Sequence[str] = (), scope: str = "") -> Identity:
    """A project: its name and the place it names (``places``: codes of the resolved places inside
    its name, first first), else the division that its name starts with, else the issuer."""
    where = places[0] if places else ""
    if not where:
        pre = _division_prefix(name, issuer)
        where = pre[0].code if pre is not None else ""
    where = where or issuer.code or scope
    return Identity(entity_key("project", name, where), name, scope=where)


def name_identity(type_: str, name: str) -> Identity:
    """Companies, industries, initiatives, events: one node per type and normalised name."""
    return Identity(entity_key(type_, name), name)


# Types whose names are keyed by name alone, across every report.
BY_NAME = ("company", "industry", "initiative", "event")
# One rule per type (what each reads: the mention's type, surface and name, the issuer, the codes of
# the places around it or inside its name, the report's own scope for an issuer it does not name).
Rule = Callable[[str, str, str, Issuer, Sequence[str], str], Identity]
RULES: dict[str, Rule] = {
    "place": lambda t, surface, name, issuer, places, scope: place_identity(surface, name, issuer, places, scope),
    "place:other": lambda t, surface, name, issuer, places, scope: place_identity(surface, name, issuer, places,
                                                                                 scope, division=False),
    "organization": lambda t, surface, name, issuer, places, scope: body_identity(t, name, issuer, scope),
    "platform": lambda t, surface, name, issuer, places, scope: body_identity(t, name, issuer, scope),
    "project": lambda t, surface, name, issuer, places, scope: project_identity(name, issuer, places, scope),
    **{t: (lambda t, surface, name, issuer, places, scope: name_identity(t, name)) for t in BY_NAME},
}


def identify(type_: str, surface: str, name: str, issuer: Issuer, places: Sequence[str] = (),
             scope: str = "", code: str = "") -> Identity:
    """The identity of a mention of ``type_`` (see :data:`RULES`); ``code`` the division the
    extractor read a place name as, if any (a place without one is read as a division only by
    its full name)."""
    rule = "place:other" if type_ == "place" and not code else type_
    return RULES[rule](type_, surface, name, issuer, places, scope)
