"""The entity stage: mentions -> entities, one per (type, normalised name) per report.

Reports repeat names (海宁 appears a dozen times in the seed) and vary them only by quotes
and brackets: “新兴海工程” and 新兴海工程 are one initiative. Mentions group by
(type, normalised name); the surfaces become the entity's aliases (skos:altLabel), the
sections its mentions fall in become its sections. Places keep the gazetteer code and its
parent chain (袁花镇 330481112 → 海宁市 330481 → 嘉兴市 3304 → 浙江省 33). Across reports
the same (type, normalised name) is one node: its IRI comes from that pair alone
(kg.iri.entity_key).
"""
from __future__ import annotations

from typing import Callable, Iterable, Optional, Sequence

from kg import gazetteer
from kg.iri import entity_key
from kg.model import Entities, Entity, Located, Mention, Outline, Relation


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


# --------------------------------------------------------------------------- the pipeline stage
def entities(outline: Outline) -> Entities:
    """The entity stage. Reads the outline (sentences, headings, TOC lines, list entries)
    and the report text; adds the mentions found there, located in their sentence and
    section, resolved into entities, and the relations the text states between them."""
    from kg.extract.entities import extract_mentions

    report = outline.report
    text = report.text
    spans = text_spans(outline)
    ms = extract_mentions(text, [(a, b) for a, b, _, _ in spans], issuer=report.issuer)
    starts = [a for a, *_ in spans]
    located = []
    import bisect

    for m in ms:
        i = bisect.bisect_right(starts, m.start) - 1
        if i >= 0 and spans[i][0] <= m.start and m.end <= spans[i][1]:
            located.append(Located(m, spans[i][2], spans[i][3]))
        else:  # numbered list lines outside any span: the report level
            located.append(Located(m, None, ()))
    section_by_start: dict[int, tuple[int, ...]] = {}
    for x in located:
        section_by_start.setdefault(x.mention.start, x.section)
    ents = resolve(report.id, ms, lambda pos: section_by_start.get(pos, ()))
    return Entities(report.id, tuple(located), tuple(ents), tuple(relations(located)))


def text_spans(outline: Outline) -> list[tuple[int, int, Optional[int], tuple[int, ...]]]:
    """What the entity stage reads: (start, end, sentence index, section path) of every sentence,
    and of every heading, TOC line and list entry outside a sentence (sentence index None)."""
    spans: list[tuple[int, int, Optional[int], tuple[int, ...]]] = [
        (s.start, s.end, s.index, s.section) for s in outline.sentences]
    inside = _inside_any([(s.start, s.end) for s in outline.sentences])
    for sec in outline.sections:
        for h in (sec.heading, sec.toc):
            if h is not None and not inside(h.start, h.end):
                spans.append((h.start, h.end, None, sec.path))
    span_starts = {a for a, *_ in spans}
    for le in outline.list_entries:
        h = le.heading
        if not inside(h.start, h.end) and h.start not in span_starts:
            spans.append((h.start, h.end, None, le.parent))
            span_starts.add(h.start)
    spans.sort()
    return spans


def _inside_any(covered: Sequence[tuple[int, int]]) -> Callable[[int, int], bool]:
    """A test (a, b) → is [a, b) inside one of ``covered``: a bisect on the starts and the
    running maximum of the ends (some span with s <= a reaches b), not a scan per heading."""
    import bisect
    from itertools import accumulate

    rows = sorted(covered)
    starts = [s for s, _ in rows]
    reach = list(accumulate((e for _, e in rows), max))

    def inside(a: int, b: int) -> bool:
        i = bisect.bisect_right(starts, a) - 1
        return i >= 0 and reach[i] >= b

    return inside


def relations(located: Sequence[Located]) -> list[Relation]:
    """Relations the text states plainly.

    * involvesCompany: a company named inside a project's name (晶科 in 晶科二期);
    * locatedIn: a place named inside an organization's, platform's or project's name;
    * inIndustry: companies and projects of a sentence that opens with an industry
      (光伏新能源产业推动晶科二期、正泰二期两个百亿项目建成投产: one industry before the first
      company or project), or of a sentence that names one industry only.
    """
    out: list[Relation] = []
    by_span = {(x.mention.start, x.mention.end, x.mention.type): x for x in located}
    for x in located:
        m = x.mention
        if m.parent is None:
            continue
        par = by_span.get(m.parent)
        if par is None:
            continue
        pk = entity_key(par.mention.type, par.mention.name)
        mk = entity_key(m.type, m.name)
        if par.mention.type == "project" and m.type == "company":
            out.append(Relation(pk, "involvesCompany", mk, x.sentence))
        elif m.type == "place" and par.mention.type in ("organization", "platform", "project"):
            out.append(Relation(pk, "locatedIn", mk, x.sentence))
    by_sentence: dict[int, list[Located]] = {}
    for x in located:
        if x.sentence is not None:
            by_sentence.setdefault(x.sentence, []).append(x)
    for si, xs in sorted(by_sentence.items()):
        inds = [x for x in xs if x.mention.type == "industry" and x.mention.parent is None]
        if not inds:
            continue
        actors = [x for x in xs if x.mention.type in ("company", "project")]
        if not actors:
            continue
        first_actor = min(x.mention.start for x in actors)
        before = {x.mention.name for x in inds if x.mention.end <= first_actor}
        if len(before) == 1:
            target = next(x for x in inds if x.mention.name in before)
        elif not before and len({x.mention.name for x in inds}) == 1:
            target = inds[0]
        else:
            continue  # a list of industries, or several: the text does not say which
        tk = entity_key("industry", target.mention.name)
        for x in xs:
            if x.mention.type in ("company", "project"):
                out.append(Relation(entity_key(x.mention.type, x.mention.name), "inIndustry", tk, si))
    return list(dict.fromkeys(out))
