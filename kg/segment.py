"""Report -> Outline: table of contents, parts, sections, items, paragraphs, sentences.

Handles the numbering conventions of 政府工作报告 as written in the wild:

* parts ``一、2022年工作回顾`` (also with a same-line subtitle
  ``一、2024年工作回顾——经济稳中有进、发展持续向好`` or a ``——subtitle`` line after it),
  and unnumbered part headings such as ``2024年工作回顾`` / ``加强政府自身建设``;
* sections ``（一）`` or half-width ``(一)``; items ``1.`` / ``1、``; run-in headings
  that open a paragraph: ``(一)经济运行恢复向好。工业经济质效提升。…``;
* a leading table of contents, reconciled with the body (entries without body text
  say so, e.g. a truncated report);
* numbered lists that restart under a section (``1.为老助餐扩面提升项目`` after
  ``3.建设高水平健康海宁``) become list entries, not items;
* lead sentences that open a sub-topic (``工业经济质效提升。``), ``一是/二是``
  enumerations, footnote markers ``[12]`` / ``^[3]``, glossaries (``名词解释``) and
  annexes (``附件1``), none of which are mistaken for items.

Offsets are never moved: everything is located in ``report.text`` as it was read.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from typing import Optional

from kg.model import (
    LEVELS,
    Annex,
    EnumItem,
    FootnoteRef,
    GlossaryEntry,
    Heading,
    ListEntry,
    Outline,
    Paragraph,
    Report,
    Section,
    Sentence,
    Topic,
)

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SPACE = " \t\u3000\xa0\r\ufeff"
_CN = "一二三四五六七八九十"

RX_PART = re.compile(rf"([{_CN}]{{1,3}})、[{_SPACE}]*")
RX_SECTION = re.compile(rf"[（(]([{_CN}]{{1,3}})[）)][{_SPACE}]*")
RX_ITEM = re.compile(rf"(\d{{1,2}})[.．、](?![\d．.])[{_SPACE}]*")
RX_UNNUMBERED_PART = re.compile(
    r"(工作回顾|目标任务|重点工作|主要任务|工作安排|自身建设|工作任务|发展思路|工作重点|奋斗目标|目标和任务)"
)
_NO_PUNCT = set("。，,：:；;！!？?、“”\"")
RX_GLOSSARY = re.compile(rf"(?:附件?[{_CN}\d]*[:：]?[{_SPACE}]*)?名词解释[:：]?")
RX_ANNEX = re.compile(rf"附件[{_SPACE}]*([{_CN}\d]{{1,3}})[{_SPACE}]*[:：]?[{_SPACE}]*(.*)")
RX_GLOSS_ENTRY = re.compile(rf"(?:\[(\d{{1,3}})\]|(\d{{1,3}})[.．、])[{_SPACE}]*")
RX_SENTENCE = re.compile(r"[^。！？!?]+(?:[。！？!?]+[”’」』）)]*|$)|[。！？!?]+")
RX_FOOTNOTE = re.compile(r"\^?\[(\d{1,3})\]")
RX_ENUM = re.compile(rf"(?<=[\n{_SPACE}。；;，,：:！!])([{_CN}]{{1,2}})是")
_TERMINATORS = "。！？!?"
_CLOSERS = "”’」』）)"
_TOPIC_FORBIDDEN = set("，,、；;：:“”\"0123456789%《》")
MAX_TOPIC_LEN = 13  # characters, 。 included: 有效投资量质并进。


def cn_to_int(s: str) -> int:
    """一 -> 1, 十 -> 10, 十二 -> 12, 二十三 -> 23 (up to 99)."""
    if "十" not in s:
        return _CN_DIGITS.get(s, 0)
    tens, _, ones = s.partition("十")
    return (_CN_DIGITS.get(tens, 0) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)


@dataclass(frozen=True)
class _Line:
    start: int  # content start (leading space skipped)
    end: int  # content end (trailing space skipped)
    text: str


def _lines(text: str, start: int = 0, end: Optional[int] = None) -> list[_Line]:
    out = []
    end = len(text) if end is None else end
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        a, b = pos, stop
        while a < b and text[a] in _SPACE:
            a += 1
        while b > a and text[b - 1] in _SPACE:
            b -= 1
        if b > a:
            out.append(_Line(a, b, text[a:b]))
        pos = stop + 1
    return out


def parse_heading(line: _Line) -> Optional[Heading]:
    """A numbered heading at the start of a line, standalone or run-in; else None."""
    for rank, rx in ((1, RX_PART), (2, RX_SECTION), (3, RX_ITEM)):
        m = rx.match(line.text)
        if not m:
            continue
        rest = line.text[m.end():]
        if not rest or rest[0] in _TERMINATORS:
            return None
        raw = m.group(1)
        ordinal = int(raw) if rank == 3 else cn_to_int(raw)
        number = raw if rank != 2 else f"({raw})"
        cut = _first_terminator(rest)
        run_in = cut is not None and cut < len(rest.rstrip(_CLOSERS + _TERMINATORS))
        title_len = cut if cut is not None else len(rest)
        t0 = line.start + m.end()
        return _make_heading(rank, number, ordinal, line, t0, t0 + title_len, run_in)
    if _is_unnumbered_part(line.text):
        return _make_heading(0, "", 0, line, line.start, line.end, False)
    return None


def _first_terminator(s: str) -> Optional[int]:
    for i, ch in enumerate(s):
        if ch in _TERMINATORS:
            return i
    return None


def _is_unnumbered_part(s: str) -> bool:
    return len(s) <= 24 and not (_NO_PUNCT & set(s)) and bool(RX_UNNUMBERED_PART.search(s))


def _make_heading(rank, number, ordinal, line: _Line, t0: int, t1: int, run_in: bool) -> Heading:
    text = line.text[t0 - line.start : t1 - line.start]
    subtitle, sub_span = "", None
    dash = text.find("——")
    if dash > 0:
        s0 = t0 + dash + 2
        while s0 < t1 and line.text[s0 - line.start] in _SPACE:
            s0 += 1
        subtitle, sub_span = line.text[s0 - line.start : t1 - line.start], (s0, t1)
        t1 = t0 + dash
    title = line.text[t0 - line.start : t1 - line.start]
    return Heading(rank, number, ordinal, title, line.start, t1, t0, t1, run_in, subtitle, sub_span)


def _is_glossary_heading(line: _Line) -> bool:
    return len(line.text) <= 16 and RX_GLOSSARY.fullmatch(line.text) is not None


# ---------------------------------------------------------------- outline tree


@dataclass
class _Node:
    path: tuple[int, ...]
    rank: int
    heading: Heading
    numbers: tuple[str, ...]
    end: int
    has_body: bool = False
    list_no: int = 0


@dataclass
class _Tree:
    """Stack-based numbering parser shared by the TOC and the body."""

    nodes: dict[tuple[int, ...], _Node] = field(default_factory=dict)
    entries: list = field(default_factory=list)  # (parent, list_no, Heading, end)
    stack: list = field(default_factory=list)
    last_ordinal: dict = field(default_factory=dict)  # (parent, rank) -> ordinal
    lists: dict = field(default_factory=dict)  # (parent, rank) -> list_no while restarted
    unnumbered_parts: int = 0
    open_entry: Optional[int] = None

    def add(self, h: Heading) -> tuple[str, tuple[int, ...]]:
        """Place a heading; returns ("section", path) or ("entry", parent path)."""
        while self.stack and self.stack[-1].rank >= h.rank:
            self.stack.pop()
        parent = self.stack[-1].path if self.stack else ()
        key = (parent, h.rank)
        if h.rank == 0:
            self.unnumbered_parts += 1
            ordinal = self.unnumbered_parts
        else:
            ordinal = h.ordinal
        prev = self.last_ordinal.get(key)
        self.last_ordinal[key] = ordinal
        if h.rank != 0 and prev is not None and ordinal <= prev:  # numbering restarts: a new list
            self.lists[key] = self.lists.get(key, 0) + 1
        if key in self.lists:
            self.entries.append([parent, self.lists[key], h, h.end])
            self.open_entry = len(self.entries) - 1
            return "entry", parent
        self.open_entry = None
        path = parent + (ordinal,)
        numbers = (self.nodes[parent].numbers if parent in self.nodes else ()) + (h.number,)
        node = _Node(path, h.rank, h, numbers, h.end, has_body=h.run_in)
        self.nodes[path] = node
        self.stack.append(node)
        return "section", path

    def touch(self, end: int) -> None:
        """A line of body text ends at ``end`` under the open headings."""
        for n in self.stack:
            n.end = max(n.end, end)
            n.has_body = True
        if self.open_entry is not None:
            self.entries[self.open_entry][3] = end

    def current(self) -> tuple[int, ...]:
        return self.stack[-1].path if self.stack else ()

    def close(self) -> None:
        self.stack = []
        self.open_entry = None


def _find_toc(lines: list[_Line]) -> int:
    """Number of leading lines that form a table of contents (0 when none)."""
    i = 0
    if lines and lines[0].text in ("目录", "目 录"):
        i = 1
    n = i
    while n < len(lines):
        h = parse_heading(lines[n])
        if h is None or h.run_in or h.rank == 0 or len(lines[n].text) > 40:
            break
        n += 1
    if n - i < 3:
        return 0
    first = lines[i].text
    if any(line.text == first or line.text.startswith(first) for line in lines[n:]):
        return n
    return 0


def part_kind(title: str, year: Optional[int]) -> str:
    """review | plan | self | other, from what a part heading says."""
    if re.search(r"自身建设|服务型政府|政府建设", title):
        return "self"
    years = [int(y) for y in re.findall(r"((?:19|20)\d\d)年", title)]
    if re.search(r"回顾|过去|成就|成效|一年来|五年来|主要工作和", title) or (
        year and years and max(years) < year
    ):
        return "review"
    if re.search(r"目标|任务|重点|安排|计划|思路|部署|打算|展望|建议", title) or (year and year in years):
        return "plan"
    return "other"


def segment(report: Report) -> Outline:
    """Read ``report.text`` and return its :class:`Outline`.

    Reads: the text. Adds: TOC, sections (with body spans, has_body, part kind),
    list entries, paragraphs, sentences, topics, enumerations, footnote markers,
    glossary entries and annexes.
    """
    text = report.text
    lines = _lines(text)
    n_toc = _find_toc(lines)
    toc_tree = _Tree()
    for line in lines[:n_toc]:
        h = parse_heading(line)
        if h is not None:
            toc_tree.add(h)
    toc_span = (lines[0].start, lines[n_toc - 1].end) if n_toc else None

    body = _Tree()
    paragraphs: list[Paragraph] = []
    glossary: list[GlossaryEntry] = []
    annexes: list[list] = []
    glossary_span: Optional[list] = None
    mode = "body"
    prev_heading: Optional[Heading] = None
    part_subtitles: dict = {}
    title_span = report.title_span

    for line in lines[n_toc:]:
        if title_span and line.start <= title_span[0] < line.end + 1 and not body.nodes:
            paragraphs.append(Paragraph(len(paragraphs), line.start, line.end, ()))
            continue
        if _is_glossary_heading(line):
            mode = "glossary"
            body.close()
            glossary_span = [line.start, line.end]
            continue
        am = RX_ANNEX.fullmatch(line.text) if len(line.text) <= 40 and mode != "glossary" else None
        if am:
            mode = "annex"
            body.close()
            annexes.append([am.group(1), am.group(2), line.start, line.end])
            continue
        if mode == "glossary":
            assert glossary_span is not None  # set by the glossary heading that opened the mode
            glossary_span[1] = line.end
            entry = _glossary_entry(line)
            if entry is not None:
                glossary.append(entry)
            paragraphs.append(Paragraph(len(paragraphs), line.start, line.end, ()))
            continue
        if mode == "annex":
            annex = annexes[-1]
            if not annex[1] and len(line.text) <= 40 and _first_terminator(line.text) is None:
                annex[1] = line.text
            annex[3] = line.end
            paragraphs.append(Paragraph(len(paragraphs), line.start, line.end, (), annex=len(annexes)))
            continue
        if (
            prev_heading is not None
            and prev_heading.rank <= 1
            and not prev_heading.run_in
            and line.text.startswith("——")
            and len(line.text) <= 40
            and _first_terminator(line.text) is None
        ):
            s0 = line.start + 2
            while text[s0] in _SPACE:
                s0 += 1
            part_subtitles[body.current()] = (text[s0 : line.end], (s0, line.end))
            body.touch(line.end)
            prev_heading = None
            continue
        h = parse_heading(line)
        if h is not None:
            body.add(h)
            prev_heading = h
            if h.run_in:
                body.touch(line.end)
                paragraphs.append(Paragraph(len(paragraphs), line.start, line.end, body.current()))
            continue
        prev_heading = None
        body.touch(line.end)
        paragraphs.append(Paragraph(len(paragraphs), line.start, line.end, body.current()))

    sections, list_entries = _reconcile(report, toc_tree, body, part_subtitles)
    sentences = _sentences(text, paragraphs)
    heading_starts = {s.heading.start for s in sections if s.heading} | {e.heading.start for e in list_entries}

    def in_glossary(pos: int) -> bool:
        return glossary_span is not None and glossary_span[0] <= pos <= glossary_span[1]

    return Outline(
        report=report,
        sections=tuple(sections),
        paragraphs=tuple(paragraphs),
        sentences=tuple(sentences),
        has_toc=bool(n_toc),
        toc_span=toc_span,
        list_entries=tuple(list_entries),
        topics=tuple(_topics(text, paragraphs, sentences, heading_starts)),
        enums=tuple(_enums(text, paragraphs)),
        footnotes=tuple(_footnotes(text, paragraphs, sentences, in_glossary)),
        glossary=tuple(glossary),
        glossary_span=tuple(glossary_span) if glossary_span else None,
        annexes=tuple(Annex(a[0], a[1], a[2], a[3]) for a in annexes),
    )


def _label(numbers: tuple[str, ...], titles: tuple[str, ...]) -> str:
    parts = []
    for num, title in zip(numbers, titles):
        parts.append(num if num else f"〔{title}〕")
    return "".join(parts)


def _reconcile(report: Report, toc: _Tree, body: _Tree, subtitles: dict) -> tuple[list[Section], list[ListEntry]]:
    paths = sorted(set(toc.nodes) | set(body.nodes))
    kinds: dict = {}
    sections = []

    def node(path: tuple[int, ...]) -> _Node:
        found = body.nodes.get(path) or toc.nodes.get(path)
        assert found is not None  # every path comes from one of the two trees
        return found

    for path in paths:
        b = body.nodes.get(path)
        t = toc.nodes.get(path)
        src = node(path)
        h = src.heading
        level = LEVELS[min(len(path), len(LEVELS)) - 1]
        if len(path) == 1:
            kinds[path] = part_kind(h.title + (h.subtitle or ""), report.year)
            if kinds[path] == "other" and b is not None and "预期目标" in report.text[b.heading.start : b.end]:
                kinds[path] = "plan"  # e.g. 二、牢记历史使命，在中国式现代化建设中奋勇争先
        kind = kinds.get(path[:1], "other")
        titles = tuple(node(path[:i]).heading.title for i in range(1, len(path) + 1))
        heading = b.heading if b else None
        if heading is not None and path in subtitles and not heading.subtitle:
            sub, span = subtitles[path]
            heading = replace(heading, subtitle=sub, subtitle_span=span)
        sections.append(
            Section(
                path=path,
                level=level,
                number=h.number,
                title=h.title,
                label=_label(src.numbers, titles),
                heading=heading,
                toc=t.heading if t else None,
                start=b.heading.start if b else None,
                end=b.end if b else None,
                has_body=bool(b and b.has_body),
                kind=kind,
            )
        )
    entries = []
    body_entries = {(e[0], e[1], e[2].ordinal): e for e in body.entries}
    toc_entries = {(e[0], e[1], e[2].ordinal): e for e in toc.entries}
    for key in sorted(set(body_entries) | set(toc_entries)):
        b, t = body_entries.get(key), toc_entries.get(key)
        found = b or t
        assert found is not None  # every key comes from one of the two lists
        h = found[2]
        entries.append(
            ListEntry(
                parent=key[0],
                list_no=key[1],
                ordinal=key[2],
                number=h.number,
                title=h.title,
                heading=h,
                in_toc=t is not None,
                start=b[2].start if b else None,
                end=b[3] if b else None,
            )
        )
    return sections, entries


def _glossary_entry(line: _Line) -> Optional[GlossaryEntry]:
    m = RX_GLOSS_ENTRY.match(line.text)
    if not m:
        return None
    number = int(m.group(1) or m.group(2))
    rest = line.text[m.end():]
    cut = None
    for i, ch in enumerate(rest[:60]):
        if ch in "：:。":
            cut = i
            break
    if not cut:
        return None
    t0 = line.start + m.end()
    return GlossaryEntry(number, rest[:cut], t0, t0 + cut, line.start, line.end)


def sentence_spans(text: str, start: int = 0, end: Optional[int] = None) -> list[tuple[int, int]]:
    """The sentences of ``text[start:end]`` as (start, end) offsets: the one sentence splitter.

    A sentence never crosses a line end; it ends after 。！？!? (a run of them) and the
    closing quotes or brackets that follow (“……。”), and leading and trailing spaces
    are not part of it: ``各位代表：\n  经济运行恢复向好。工业经济质效提升。`` gives three.
    """
    end = len(text) if end is None else end
    out = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        for m in RX_SENTENCE.finditer(text, pos, stop):
            a, b = m.start(), m.end()
            while a < b and text[a] in _SPACE:
                a += 1
            while b > a and text[b - 1] in _SPACE:
                b -= 1
            if b > a:
                out.append((a, b))
        pos = stop + 1
    return out


def _sentences(text: str, paragraphs: list[Paragraph]) -> list[Sentence]:
    out: list[Sentence] = []
    for p in paragraphs:
        for a, b in sentence_spans(text, p.start, p.end):
            out.append(Sentence(len(out), a, b, p.index, p.section))
    return out


def _topics(text: str, paragraphs, sentences: list[Sentence], heading_starts: set) -> list[Topic]:
    """Short lead sentences that open a sub-topic: ``有效投资量质并进。``."""
    out = []
    for i, s in enumerate(sentences):
        if paragraphs[s.paragraph].annex is not None or not s.section:
            continue
        body = text[s.start : s.end]
        if not body.endswith("。") or len(body) > MAX_TOPIC_LEN or len(body) < 5:
            continue
        if s.start in heading_starts or _TOPIC_FORBIDDEN & set(body) or body.startswith("各位代表"):
            continue
        nxt = sentences[i + 1] if i + 1 < len(sentences) else None
        if nxt is None or nxt.paragraph != s.paragraph:
            continue
        out.append(Topic(s.start, s.end, s.index, s.section))
    return out


def _enums(text: str, paragraphs: list[Paragraph]) -> list[EnumItem]:
    """一是…；二是… chains (consecutive ordinals from 一) within a section."""
    out: list[EnumItem] = []
    expected: dict = {}
    for p in paragraphs:
        if p.annex is not None:
            continue
        marks = []
        for m in RX_ENUM.finditer(text, p.start, p.end):
            n = cn_to_int(m.group(1))
            want = expected.get(p.section, 1)
            if n == want or n == 1:
                marks.append((n, m.start(1), m.group(1) + "是"))
                expected[p.section] = n + 1
        for j, (n, a, marker) in enumerate(marks):
            b = marks[j + 1][1] if j + 1 < len(marks) else p.end
            while b > a and text[b - 1] in _SPACE + "；;，,":
                b -= 1
            out.append(EnumItem(n, marker, a, b, p.index, p.section))
    # a lone 一是 with no 二是 is not an enumeration
    keep = []
    for j, e in enumerate(out):
        nxt = out[j + 1] if j + 1 < len(out) else None
        prv = out[j - 1] if j else None
        if (nxt and nxt.ordinal == e.ordinal + 1 and nxt.section == e.section) or (
            prv and prv.ordinal == e.ordinal - 1 and prv.section == e.section
        ):
            keep.append(e)
    return keep


def _footnotes(text: str, paragraphs, sentences: list[Sentence], in_glossary) -> list[FootnoteRef]:
    out = []
    starts = [s.start for s in sentences]

    for p in paragraphs:
        if in_glossary(p.start):
            continue
        for m in RX_FOOTNOTE.finditer(text, p.start, p.end):
            if m.start() == p.start:
                continue  # a line that starts with [n] is a glossary-style entry, not a marker
            k = bisect.bisect_right(starts, m.start()) - 1
            out.append(FootnoteRef(int(m.group(1)), m.start(), m.end(), sentences[k].index if k >= 0 else None, p.section))
    return out
