"""The data model: frozen dataclasses that every stage reads and writes.

Every span is a pair of character offsets ``start``/``end`` into ``Report.text``
(the decoded file, untouched), so ``report.text[x.start:x.end]`` always gives
back the exact surface the fact came from.

Section paths are tuples of ordinals from the top of the outline, e.g. ``(2, 1, 3)``
for 二(一)3 of a report; the empty tuple is the report itself (preamble).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

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
