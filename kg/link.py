"""The entity stage: mentions -> entities, one per identity per report (kg.identity).

Reports repeat names (海宁 appears a dozen times in the seed) and vary them only by quotes
and brackets: “新兴海工程” and 新兴海工程 are one initiative. Each mention gets an identity
(kg.identity.identify: a place by its division's code, a body named relative to the issuer
by that division, …) and mentions group by it; the surfaces become the entity's aliases
(skos:altLabel), the sections its mentions fall in become its sections. Places keep their
code and its parent chain (袁花镇 330481112 → 海宁市 330481 → 嘉兴市 3304 → 浙江省 33).
Across reports the same identity is one node: its IRI comes from the identity's key.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable, Iterable, Optional, Sequence, Union

from kg import gazetteer
from kg.identity import Identity, Issuer, identify, issuer_of
from kg.model import Entities, Entity, Located, Mention, Outline, Relation

Span = tuple[int, int, str]  # (start, end, type): how a mention is found again


def identities(report: str, mentions: Sequence[Mention], issuer: Issuer,
               sentence_of: Optional[Callable[[int], Optional[int]]] = None) -> dict[Span, Identity]:
    """Every mention's identity, in text order: a place is resolved with the codes of the places
    named before it in its sentence (nearest first) as context; a project with the places inside
    its name. Names scoped to an issuer the report does not name are scoped to the report."""
    scope = f"report:{report}"
    ordered = sorted(set(mentions), key=lambda m: (m.start, -m.end, m.type))
    out: dict[Span, Identity] = {}
    context: dict[Optional[int], list[str]] = {}
    inside: dict[Span, list[str]] = {}
    for m in ordered:  # places first, as the projects read them
        if m.type != "place":
            continue
        sent = sentence_of(m.start) if sentence_of is not None else m.start
        before = context.setdefault(sent, [])
        ident = identify("place", m.surface, m.name, issuer, before[::-1], scope, m.code)
        out[(m.start, m.end, m.type)] = ident
        if ident.code:
            before.append(ident.code)
            if m.parent is not None:
                inside.setdefault(m.parent, []).append(ident.code)
    for m in ordered:
        span = (m.start, m.end, m.type)
        if m.type != "place":
            out[span] = identify(m.type, m.surface, m.name, issuer, inside.get(span, ()), scope)
    return out


def resolve(report: str, mentions: Iterable[Mention],
            section_of: Optional[Callable[[int], tuple[int, ...]]] = None,
            issuer: Union[str, Issuer] = "",
            sentence_of: Optional[Callable[[int], Optional[int]]] = None,
            known: Optional[dict[Span, Identity]] = None) -> list[Entity]:
    """Group a report's mentions into entities (sorted by first mention); ``issuer`` the report's
    (its name or :func:`kg.identity.issuer_of`'s answer), ``known`` identities already computed."""
    ms_all = list(mentions)
    who = issuer if isinstance(issuer, Issuer) else issuer_of(issuer)
    ids = known if known is not None else identities(report, ms_all, who, sentence_of)
    groups: dict[str, list[Mention]] = {}
    for m in ms_all:
        groups.setdefault(ids[(m.start, m.end, m.type)].key, []).append(m)
    g = gazetteer.load()
    out = []
    for key, ms in groups.items():
        ms = sorted(set(ms), key=lambda m: (m.start, m.end))
        ident = ids[(ms[0].start, ms[0].end, ms[0].type)]
        aliases = tuple(sorted(({m.surface for m in ms} | {m.name for m in ms}) - {ident.label}))
        secs: list[tuple[int, ...]] = []
        if section_of is not None:
            for m in ms:
                sec = section_of(m.start)
                if sec not in secs:
                    secs.append(sec)
        parents: tuple[tuple[str, str], ...] = ()
        if ident.code in g.by_code:
            parents = tuple((d.code, d.name) for d in g.chain(g.by_code[ident.code])[1:])
        out.append(Entity(key, report, ms[0].type, ident.label, aliases, tuple(ms), tuple(secs), ident.code,
                          parents, ident.scope, ident.candidates, ident.external))
    out.sort(key=lambda e: (e.mentions[0].start, e.type, e.name))
    return out


# --------------------------------------------------------------------------- the pipeline stage
def entities(outline: Outline) -> Entities:
    """The entity stage. Reads the outline (sentences, headings, TOC lines, list entries)
    and the report text; adds the mentions found there, located in their sentence and
    section, resolved into entities, and the relations the text states between them."""
    from kg.extract.mentions import extract

    report = outline.report
    text = report.text
    spans = text_spans(outline)
    issuer = issuer_of(report.issuer)
    ms = extract(text, [(a, b) for a, b, _, _ in spans], issuer=extractor_issuer(report.issuer, issuer))
    starts = [a for a, *_ in spans]
    located = []
    import bisect

    unit_by_start: dict[int, int] = {}  # the sentence, heading or line a mention is in: its context
    for m in ms:
        i = bisect.bisect_right(starts, m.start) - 1
        unit_by_start.setdefault(m.start, i)
        if i >= 0 and spans[i][0] <= m.start and m.end <= spans[i][1]:
            located.append(Located(m, spans[i][2], spans[i][3]))
        else:  # numbered list lines outside any span: the report level
            located.append(Located(m, None, ()))
    section_by_start: dict[int, tuple[int, ...]] = {}
    for x in located:
        section_by_start.setdefault(x.mention.start, x.section)
    ids = identities(report.id, ms, issuer, unit_by_start.get)
    ents = resolve(report.id, ms, lambda pos: section_by_start.get(pos, ()), issuer, known=ids)
    located = [replace(x, entity=ids[(x.mention.start, x.mention.end, x.mention.type)].key) for x in located]
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


def extractor_issuer(name: str, issuer: Optional[Issuer] = None) -> str:
    """The issuer name the extractor reads to know its home: the registry name when the issuer is
    known (保定市满城区 → 满城区), else the name as given. Training and evaluation read it too."""
    who = issuer if issuer is not None else issuer_of(name)
    return who.name if who.chain else name


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
        pk, mk = par.entity, x.entity
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
        tk = target.entity
        for x in xs:
            if x.mention.type in ("company", "project"):
                out.append(Relation(x.entity, "inIndustry", tk, si))
    return list(dict.fromkeys(out))
