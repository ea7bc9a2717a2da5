"""The data model: frozen dataclasses that every stage reads and writes.

Every span is a pair of character offsets ``start``/``end`` into ``Report.text``
(the decoded file, untouched), so ``report.text[x.start:x.end]`` always gives
back the exact surface the fact came from.

Section paths are tuples of ordinals from the top of the outline, e.g. ``(2, 1, 3)``
for 二(一)3 of a report; the empty tuple is the report itself (preamble).

The stages and what they make (kg.pipeline runs them in this order)::

    read_report(path)             -> Report
    segment(report)               -> Outline    parts, sections, items, paragraphs, sentences …
    link.entities(outline)        -> Entities   Mention, Located, Entity, Relation
    goals.extract_goals(outline)  -> Goals      Goal, Fact (targets, observations), SkippedNumber
                                                (numbers read by quantities.scan: Quantity, Skipped)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Optional, Union

# Outline levels by depth below the report (1 = part, 2 = section, 3 = item).
LEVELS = ("part", "section", "item", "subitem")
# Part kinds: what a part of the report is about, when its heading says so.
PART_KINDS = ("review", "plan", "self", "other")


@dataclass(frozen=True)
class Report:
    id: str  # slug used in IRIs, e.g. "haining-2023"
    path: str  # file name as given (for messages and provenance)
    text: str  # decoded text; all offsets point into it
    sha256: str  # of the raw bytes
    encoding: str
    title: str = ""
    title_span: Optional[tuple[int, int]] = None
    year: Optional[int] = None
    issuer: str = ""  # e.g. 海宁市, 浙江省, 国务院
    level: str = ""  # national | province | city | county | ""


@dataclass(frozen=True)
class Heading:
    """A numbered or unnumbered heading as written (in the body or the TOC)."""

    rank: int  # 0 unnumbered part, 1 一、, 2 (一), 3 1.
    number: str  # "二", "(一)", "3", "" for unnumbered
    ordinal: int  # 2, 1, 3, …
    title: str
    start: int  # start of the marker (or title when unnumbered)
    end: int  # end of the title
    title_start: int
    title_end: int
    run_in: bool  # the heading opens a paragraph that goes on after it
    subtitle: str = ""
    subtitle_span: Optional[tuple[int, int]] = None


@dataclass(frozen=True)
class Section:
    """A node of the outline: part, section, item (or a deeper subitem)."""

    path: tuple[int, ...]
    level: str  # one of LEVELS
    number: str  # as written: "二", "(一)", "3"; "" when unnumbered
    title: str
    label: str  # human path such as 二(一)3
    heading: Optional[Heading]  # the body heading; None when only the TOC names it
    toc: Optional[Heading]  # the TOC line, when the report has a TOC
    start: Optional[int]  # body span (heading included); None when no body
    end: Optional[int]
    has_body: bool
    kind: str = "other"  # one of PART_KINDS (set on parts, inherited below)


@dataclass(frozen=True)
class ListEntry:
    """An entry of a numbered list that restarts under a section (e.g. 民生实事 projects)."""

    parent: tuple[int, ...]
    list_no: int  # 1-based index of the list under its parent
    ordinal: int
    number: str
    title: str
    heading: Heading  # body heading or TOC line
    in_toc: bool
    start: Optional[int]
    end: Optional[int]


@dataclass(frozen=True)
class Paragraph:
    index: int
    start: int
    end: int
    section: tuple[int, ...]
    annex: Optional[int] = None


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    paragraph: int
    section: tuple[int, ...]


@dataclass(frozen=True)
class Topic:
    """A short lead sentence that opens a sub-topic, e.g. 工业经济质效提升。"""

    start: int
    end: int
    sentence: int
    section: tuple[int, ...]


@dataclass(frozen=True)
class EnumItem:
    """One member of an 一是/二是 enumeration."""

    ordinal: int
    marker: str
    start: int
    end: int
    paragraph: int
    section: tuple[int, ...]


@dataclass(frozen=True)
class FootnoteRef:
    number: int
    start: int
    end: int
    sentence: Optional[int]
    section: tuple[int, ...]


@dataclass(frozen=True)
class GlossaryEntry:
    number: int
    term: str
    term_start: int
    term_end: int
    start: int
    end: int


@dataclass(frozen=True)
class Annex:
    number: str
    title: str
    start: int
    end: int


@dataclass(frozen=True)
class Outline:
    report: Report
    sections: tuple[Section, ...]
    paragraphs: tuple[Paragraph, ...]
    sentences: tuple[Sentence, ...]
    has_toc: bool = False
    toc_span: Optional[tuple[int, int]] = None
    list_entries: tuple[ListEntry, ...] = ()
    topics: tuple[Topic, ...] = ()
    enums: tuple[EnumItem, ...] = ()
    footnotes: tuple[FootnoteRef, ...] = ()
    glossary: tuple[GlossaryEntry, ...] = ()
    glossary_span: Optional[tuple[int, int]] = None
    annexes: tuple[Annex, ...] = ()

    def section(self, path: tuple[int, ...]) -> Optional[Section]:
        for s in self.sections:
            if s.path == path:
                return s
        return None


# --------------------------------------------------------------------------- entities


@dataclass(frozen=True)
class Mention:
    """A name in the text (kg.extract.entities): ``text[start:end] == surface``."""

    type: str  # company | project | industry | place | organization | platform | initiative | event
    surface: str
    start: int
    end: int
    name: str  # normalised name (merge key with the type)
    parent: Optional[tuple[int, int, str]] = None  # (start, end, type) of the enclosing mention
    code: str = ""  # administrative code, for places the gazetteer knows
    rule: str = field(default="", compare=False)
    source: str = field(default="rules", compare=False)  # rules | model | both (kg.extract.mentions)
    confidence: float = field(default=1.0, compare=False)  # 0..1: how far to trust the mention


@dataclass(frozen=True)
class Located:
    """A mention with where it sits: sentence index (None in headings and TOC lines) and section
    path, and the key of the entity it names (kg.link, by the rules of kg.identity)."""

    mention: Mention
    sentence: Optional[int]
    section: tuple[int, ...]
    entity: str = ""


@dataclass(frozen=True)
class Entity:
    """One thing a report names, once per identity per report (kg.link, kg.identity)."""

    key: str  # the IRI tail: place/<code> or entity/<type>-<hash> (kg.iri.place_key, entity_key)
    report: str
    type: str
    name: str  # the label every report gives the node (a division's registry name, 中共海宁市委 …)
    aliases: tuple[str, ...]
    mentions: tuple[Mention, ...]
    sections: tuple[tuple[int, ...], ...]
    code: str = ""
    parents: tuple[tuple[str, str], ...] = ()  # (code, name) from the parent up to the province
    scope: str = ""  # the division (code, or CN) a name is unique within; the report's id if none
    candidates: tuple[str, ...] = ()  # codes a place name may stand for, when it was left unresolved
    external: str = ""  # an IRI of the same thing elsewhere (Wikidata), when a mapping has one


@dataclass(frozen=True)
class Relation:
    subject: str  # entity key (an IRI tail)
    predicate: str  # involvesCompany | inIndustry | locatedIn
    object: str
    sentence: Optional[int]


@dataclass(frozen=True)
class Entities:
    """What the entity stage adds to an outline: located mentions, entities, relations."""

    report: str
    mentions: tuple[Located, ...]
    entities: tuple[Entity, ...]
    relations: tuple[Relation, ...]

    @cached_property
    def crowded(self) -> frozenset[tuple[int, int]]:
        """Spans that more than one mention names (with different types): their IRIs add the type."""
        seen: set[tuple[int, int]] = set()
        twice: set[tuple[int, int]] = set()
        for x in self.mentions:
            span = (x.mention.start, x.mention.end)
            (twice if span in seen else seen).add(span)
        return frozenset(twice)


# --------------------------------------------------------------------------- numbers


@dataclass(frozen=True)
class Quantity:
    """A number that measures something (kg.extract.quantities): ``text[start:end] == text``."""

    start: int  # first char of the number (after any prefix comparator)
    end: int  # end of the unit or of a suffix such as 以上/左右
    text: str
    number: str  # the number as written, e.g. "1247", "两", "5.0"
    value: Decimal  # the number as written, before the multiplier: 1247
    unit: str  # multiplier + unit as written: "亿元", "%", "个百分点", "" if none
    norm_value: Decimal  # value * multiplier * unit factor: 124700000000
    norm_unit: str  # CNY, PERCENT, HA, 家 …; "" when no unit
    unit_iri: Optional[str]
    unit_kind: str  # money | percent | points | count | physical | time | ratio | rank | number (万 alone) | none
    comparator: str = "eq"  # eq | approx | ge | le | range (kg.extract.quantities.COMPARATORS)
    value_max: Optional[Decimal] = None  # upper end of a range, as written
    norm_max: Optional[Decimal] = None
    direction: int = 0  # -1 after 下降/减少/降低…, +1 after 增长/提高…, 0 otherwise
    numeral: str = "arabic"  # arabic | chinese | fraction (1/4, 三分之一: value in per cent)


@dataclass(frozen=True)
class Skipped:
    """A number that measures nothing (a date, an ordinal, a code …), with the reason."""

    start: int
    end: int
    text: str
    reason: str  # a key of kg.extract.quantities.SKIP_REASONS


Number = Union[Quantity, Skipped]  # what kg.extract.quantities.scan finds, in text order


# --------------------------------------------------------------------------- goals


@dataclass(frozen=True)
class Unit:
    """One sentence the goal stage reads: its span, section, part kind (review|plan|self|other), index and paragraph."""

    start: int
    end: int
    section: tuple[int, ...] = ()
    kind: str = "other"
    index: int = 0
    paragraph: int = -1  # index of its paragraph in the outline; -1 when unknown


@dataclass(frozen=True)
class Goal:
    id: str  # stable within the report: "main" or "s2-1"
    label: str
    start: int
    end: int
    section: tuple[int, ...]
    main: bool = False  # the main expected targets (主要预期目标)


@dataclass(frozen=True)
class Fact:
    """A target (plan) or an observation (result), one per number; qualitative targets have no number."""

    kind: str  # "target" | "observation"
    indicator: str  # as normalised for display: quotes and leading 全省/全市 removed
    indicator_key: str  # concept key shared across reports (规模以上 -> 规上 …)
    measure: str  # level | growth | change | qualitative
    comparator: str  # eq | approx | ge | le | range, or qualitative (no number)
    value: str  # as written ("700", "5.0"); "" when qualitative
    unit: str  # as written ("亿元", "%"); "" when qualitative
    value_max: str
    norm_value: str  # normalised (sign applied for 下降 growth/change): "70000000000"
    norm_max: str
    norm_unit: str
    unit_iri: Optional[str]
    year: Optional[int]
    hedge: str  # 力争 / 争取 / 确保 / 努力 … or ""
    start: int  # the number's span (or the qualitative clause's)
    end: int
    surface: str
    clause_start: int
    clause_end: int
    sentence: int  # index into the sentence list used
    section: tuple[int, ...]
    goal: Optional[str] = None  # Goal.id
    direction: int = 0

    @property
    def key(self) -> tuple:
        return (self.kind, self.start)


@dataclass(frozen=True)
class SkippedNumber:
    start: int
    end: int
    surface: str
    reason: str
    sentence: Optional[int]


@dataclass(frozen=True)
class Goals:
    """What the goal stage adds to an outline: goals, targets and observations (sorted by
    start), and the numbers it read and skipped, each with a reason."""

    goals: tuple[Goal, ...] = ()
    targets: tuple[Fact, ...] = ()
    observations: tuple[Fact, ...] = ()
    skipped: tuple[SkippedNumber, ...] = ()

    @property
    def facts(self) -> list[Fact]:
        return sorted(self.targets + self.observations, key=lambda f: f.start)
