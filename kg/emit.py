"""Model -> RDF triples. Every IRI of the data is minted here and nowhere else.

IRIs are readable and stable: ``{base}report/haining-2023/part/2/section/1/item/3``.
The base is configurable (``kg build --base``); the same input always gives the
same triples in the same order.
"""
from __future__ import annotations

from typing import Optional

import kg
from kg.model import Outline, Section
from kg.namespace import DCTERMS, GR, NIF, PROV, RDF, RDFS, SCHEMA, SKOS
from kg.rdfterms import Triple, boolean, encode_iri, integer, iri, lit, zh

DEFAULT_BASE = "https://w3id.org/govreport-kg/id/"
_LEVEL_CLASS = {"part": "Part", "section": "Section", "item": "Item", "subitem": "SubItem"}
_LEVEL_STEP = ("part", "section", "item", "subitem")
_KIND = {"review": "Review", "plan": "Plan", "self": "SelfBuilding", "other": "OtherKind"}
_GR_TERMS: dict[str, str] = {}


def _gr(name: str) -> str:
    """``GR[name]`` (checked against the ontology once per name, then a dict look-up)."""
    term = _GR_TERMS.get(name)
    if term is None:
        term = _GR_TERMS[name] = GR[name]
    return term


def shared_graph(base: str = DEFAULT_BASE) -> str:
    """The named graph of what reports share (entities, indicators, places, the software agent)."""
    return iri(f"{base if base.endswith(('/', '#')) else base + '/'}graph/shared")


class Minter:
    """Mints every IRI of a report's graph from a base and the report id.

    The base and the report's IRI are percent-encoded once (``encode_iri`` works
    character by character); what is appended to them is digits and fixed ASCII words,
    or is encoded itself (goal ids, entity keys). IRIs asked for again (sections,
    indicators …) come from a dict.
    """

    def __init__(self, base: str, report_id: str):
        self.base = base if base.endswith(("/", "#")) else base + "/"
        self.report_id = report_id
        self._report = f"{self.base}report/{report_id}"
        self._b = encode_iri(self.base)  # encoded, without the angle brackets
        self._r = encode_iri(self._report)
        self._text = f"<{self._r}/text>"
        self._sections: dict[tuple[int, ...], str] = {}
        self._indicators: dict[str, str] = {}
        self._entities: dict[str, str] = {}
        # this report's own nodes: the report, every IRI under it, its build activity
        self._own = (self.report(), self.report()[:-1] + "/", self.activity())

    def report(self) -> str:
        return f"<{self._r}>"

    def text(self) -> str:
        return self._text

    def section(self, path: tuple[int, ...]) -> str:
        node = self._sections.get(path)
        if node is None:
            node = self._sections[path] = f"<{self._section_str(path)}>"
        return node

    def _section_str(self, path: tuple[int, ...]) -> str:
        """The section's IRI, encoded, without the angle brackets."""
        if not path:
            return self._r
        steps = [f"{_LEVEL_STEP[min(i, 3)]}/{n}" for i, n in enumerate(path)]
        return self._r + "/" + "/".join(steps)

    def heading(self, path: tuple[int, ...]) -> str:
        return self.section(path)[:-1] + "/heading>"

    def toc_entry(self, path: tuple[int, ...]) -> str:
        return self.section(path)[:-1] + "/toc>"

    def list_entry(self, parent: tuple[int, ...], list_no: int, ordinal: int) -> str:
        return f"{self.section(parent)[:-1]}/list/{list_no}/entry/{ordinal}>"

    def paragraph(self, index: int) -> str:
        return f"<{self._r}/paragraph/{index + 1}>"

    def sentence(self, index: int) -> str:
        return f"<{self._r}/sentence/{index + 1}>"

    def enum_item(self, k: int) -> str:
        return f"<{self._r}/enumeration/{k + 1}>"

    def footnote(self, k: int) -> str:
        return f"<{self._r}/footnote/{k + 1}>"

    def glossary(self) -> str:
        return f"<{self._r}/glossary>"

    def glossary_term(self, number: int) -> str:
        return f"<{self._r}/glossary/{number}>"

    def annex(self, k: int) -> str:
        return f"<{self._r}/annex/{k + 1}>"

    # goals, targets, observations, indicators (issue 4) ------------------------------
    def goal(self, gid: str) -> str:
        return f"<{self._r}/goal/{encode_iri(gid)}>"

    def target(self, k: int) -> str:
        return f"<{self._r}/target/{k + 1}>"

    def observation(self, k: int) -> str:
        return f"<{self._r}/observation/{k + 1}>"

    def observations(self) -> str:
        return f"<{self._r}/observations>"

    def indicator(self, key: str) -> str:
        """Shared by every report: the IRI depends on the indicator's normalised label only."""
        node = self._indicators.get(key)
        if node is None:
            from kg.extract.goals import indicator_iri_slug

            node = self._indicators[key] = f"<{self._b}indicator/{indicator_iri_slug(key)}>"
        return node

    def indicator_scheme(self) -> str:
        return f"<{self._b}indicator>"

    # --- entities (issue 3): shared across reports, keyed by type and normalised name
    def entity(self, key: str) -> str:
        node = self._entities.get(key)
        if node is None:
            node = self._entities[key] = f"<{self._b}entity/{encode_iri(key)}>"
        return node

    def mention(self, k: int) -> str:
        return f"<{self._r}/mention/{k + 1}>"

    def activity(self) -> str:
        return f"<{self._b}activity/build/{encode_iri(self.report_id)}>"

    def software(self) -> str:
        return f"<{self._b}agent/govreport-kg>"

    # --- where a triple lives (issue 7): every triple in exactly one named graph
    def shared_graph(self) -> str:
        return shared_graph(self.base)

    def owns(self, term: str) -> bool:
        """True for this report's own nodes: the report, everything under it, its build activity."""
        return term == self._own[0] or term.startswith(self._own[1]) or term == self._own[2]

    def split(self, triples: list[Triple]) -> tuple[list[Triple], list[Triple]]:
        """(the report's own triples, shared ones): a triple is the report's when its subject or
        object is one of the report's own nodes, so no two reports ever write the same one; the
        rest describe shared nodes and go, once, into :meth:`shared_graph`."""
        own: list[Triple] = []
        shared: list[Triple] = []
        owns = self.owns
        for t in triples:
            (own if owns(t[0]) or owns(t[2]) else shared).append(t)
        return own, shared


_NIF_REF, _NIF_BEGIN, _NIF_END, _NIF_ANCHOR = NIF.referenceContext, NIF.beginIndex, NIF.endIndex, NIF.anchorOf


def span_triples(node: str, m: Minter, start: int, end: int, text: str, anchor: bool = True) -> list[Triple]:
    """NIF offsets of a span; ``text[start:end]`` is the anchor."""
    out = [
        (node, _NIF_REF, m._text),
        (node, _NIF_BEGIN, integer(start)),
        (node, _NIF_END, integer(end)),
    ]
    if anchor:
        out.append((node, _NIF_ANCHOR, lit(text[start:end])))
    return out


def emit_outline(outline: Outline, base: str = DEFAULT_BASE) -> list[Triple]:
    """Outline -> triples for the report, its text, outline, paragraphs and sentences."""
    r = outline.report
    m = Minter(base, r.id)
    t: list[Triple] = []
    add = t.append
    rep = m.report()
    add((rep, RDF.type, GR.Report))
    add((rep, DCTERMS.identifier, lit(r.id)))
    if r.title:
        add((rep, DCTERMS.title, zh(r.title)))
    add((rep, RDFS.label, zh(report_label(r))))
    if r.issuer:
        add((rep, GR.issuer, zh(r.issuer)))
    if r.level:
        add((rep, GR.administrativeLevel, lit(r.level)))
    if r.year:
        add((rep, GR.year, integer(r.year)))
    add((rep, DCTERMS.source, lit(r.path)))
    add((rep, GR.sha256, lit(r.sha256)))
    add((rep, GR.encoding, lit(r.encoding)))
    add((rep, GR.charCount, integer(len(r.text))))
    add((rep, GR.text, m.text()))
    add((rep, PROV.wasGeneratedBy, m.activity()))
    add((m.activity(), RDF.type, PROV.Activity))
    add((m.activity(), PROV.wasAssociatedWith, m.software()))
    add((m.software(), RDF.type, PROV.SoftwareAgent))
    add((m.software(), RDFS.label, lit(f"govreport-kg {kg.__version__}")))
    ctx = m.text()
    add((ctx, RDF.type, NIF.Context))
    add((ctx, NIF.isString, lit(r.text)))
    add((ctx, NIF.beginIndex, integer(0)))
    add((ctx, NIF.endIndex, integer(len(r.text))))
    add((ctx, GR.inReport, rep))

    for s in outline.sections:
        t.extend(_section(s, m, r.text))
    for e in outline.list_entries:
        node = m.list_entry(e.parent, e.list_no, e.ordinal)
        add((node, RDF.type, GR.ListEntry))
        add((node, GR.inReport, rep))
        add((node, DCTERMS.isPartOf, m.section(e.parent)))
        add((node, GR.number, lit(e.number)))
        add((node, GR.ordinal, integer(e.ordinal)))
        add((node, GR.listNumber, integer(e.list_no)))
        add((node, GR.title, zh(e.title)))
        add((node, RDFS.label, zh(f"{e.number}.{e.title}")))
        add((node, GR.hasBody, boolean(e.start is not None)))
        h = e.heading
        t.extend(span_triples(node, m, h.start, h.end, r.text))

    for p in outline.paragraphs:
        node = m.paragraph(p.index)
        add((node, RDF.type, NIF.Paragraph))
        add((node, GR.inReport, rep))
        add((node, GR.inSection, m.section(p.section) if p.annex is None else m.annex(p.annex - 1)))
        t.extend(span_triples(node, m, p.start, p.end, r.text, anchor=False))
    topic_sentences = {tp.sentence for tp in outline.topics}
    for s in outline.sentences:
        node = m.sentence(s.index)
        add((node, RDF.type, NIF.Sentence))
        if s.index in topic_sentences:
            add((node, RDF.type, GR.LeadSentence))
        add((node, GR.inReport, rep))
        add((node, GR.inParagraph, m.paragraph(s.paragraph)))
        add((node, GR.inSection, m.section(s.section)))
        t.extend(span_triples(node, m, s.start, s.end, r.text))
    for k, e in enumerate(outline.enums):
        node = m.enum_item(k)
        add((node, RDF.type, GR.EnumerationItem))
        add((node, GR.inReport, rep))
        add((node, GR.ordinal, integer(e.ordinal)))
        add((node, GR.number, zh(e.marker)))
        add((node, GR.inParagraph, m.paragraph(e.paragraph)))
        add((node, GR.inSection, m.section(e.section)))
        t.extend(span_triples(node, m, e.start, e.end, r.text, anchor=False))
    if outline.glossary_span:
        g = m.glossary()
        add((rep, GR.glossary, g))
        add((g, RDF.type, GR.Glossary))
        add((g, RDFS.label, zh("名词解释")))
        t.extend(span_triples(g, m, outline.glossary_span[0], outline.glossary_span[1], r.text, anchor=False))
    glossary_numbers = set()
    for e in outline.glossary:
        if e.number in glossary_numbers:
            continue
        glossary_numbers.add(e.number)
        node = m.glossary_term(e.number)
        add((node, RDF.type, GR.GlossaryTerm))
        add((node, SKOS.inScheme, m.glossary()))
        add((node, SKOS.prefLabel, zh(e.term)))
        add((node, SKOS.notation, lit(str(e.number))))
        add((node, SKOS.definition, zh(r.text[e.term_end + 1 : e.end].strip())))
        t.extend(span_triples(node, m, e.start, e.end, r.text, anchor=False))
    for k, f in enumerate(outline.footnotes):
        node = m.footnote(k)
        add((node, RDF.type, GR.FootnoteMarker))
        add((node, GR.inReport, rep))
        add((node, GR.inSection, m.section(f.section)))
        if f.sentence is not None:
            add((node, GR.inSentence, m.sentence(f.sentence)))
        if f.number in glossary_numbers:
            add((node, GR.refersTo, m.glossary_term(f.number)))
        t.extend(span_triples(node, m, f.start, f.end, r.text))
    for k, a in enumerate(outline.annexes):
        node = m.annex(k)
        add((node, RDF.type, GR.Annex))
        add((node, GR.inReport, rep))
        add((node, GR.number, lit(a.number)))
        add((node, RDFS.label, zh(f"附件{a.number} {a.title}".strip())))
        t.extend(span_triples(node, m, a.start, a.end, r.text, anchor=False))
    return t


def report_label(r) -> str:
    """The title without letter-spacing, or issuer + year when the title is just 政府工作报告."""
    title = r.title.replace(" ", "").replace("\u3000", "")
    if title and title != "政府工作报告":
        return title
    year = f"{r.year}年" if r.year else ""
    return f"{r.issuer}{year}政府工作报告"


def _section(s: Section, m: Minter, text: str) -> list[Triple]:
    node = m.section(s.path)
    rep = m.report()
    parent = m.section(s.path[:-1])
    t: list[Triple] = [
        (node, RDF.type, _gr(_LEVEL_CLASS[s.level])),
        (node, GR.inReport, rep),
        (node, DCTERMS.isPartOf, parent),
        (parent, DCTERMS.hasPart, node),
        (node, GR.level, lit(s.level)),
        (node, GR.number, lit(s.number)),
        (node, GR.ordinal, integer(s.path[-1])),
        (node, GR.path, zh(s.label)),
        (node, GR.title, zh(s.title)),
        (node, RDFS.label, zh(_display(s))),
        (node, GR.hasBody, boolean(s.has_body)),
        (node, GR.partKind, _gr(_KIND[s.kind])),
    ]
    if s.heading is not None:
        h = s.heading
        hn = m.heading(s.path)
        t += [(node, GR.heading, hn), (hn, RDF.type, GR.Heading), (node, GR.runIn, boolean(h.run_in))]
        t += span_triples(hn, m, h.start, h.end, text)
        if h.subtitle:
            t.append((node, GR.subtitle, zh(h.subtitle)))
    if s.start is not None:
        t += span_triples(node, m, s.start, s.end, text, anchor=False)
    if s.toc is not None:
        tn = m.toc_entry(s.path)
        t += [(node, GR.tocEntry, tn), (tn, RDF.type, GR.TocEntry)]
        t += span_triples(tn, m, s.toc.start, s.toc.end, text)
    return t


def _display(s: Section) -> str:
    if not s.number:
        return s.title
    sep = "、" if s.level == "part" and not s.number.startswith("(") else ("." if s.number.isdigit() else "")
    return f"{s.number}{sep}{s.title}"


# ==================================================================================
# Goals, targets, indicators and observations (issue 4): kg.extract.goals -> triples.
# ==================================================================================
_MEASURE = {"level": "Level", "growth": "GrowthRate", "change": "Change", "qualitative": "Qualitative"}
_COMPARATOR = {"eq": "Equal", "ge": "AtLeast", "gt": "MoreThan", "le": "AtMost", "lt": "LessThan",
               "approx": "Approximately", "range": "InRange"}
_GR_UNIT = {"PERCENT_POINT": "PercentagePoint", "TCE": "TonneOfCoalEquivalent", "TEU": "TwentyFootEquivalentUnit",
            "TIMES": "Times", "CNY-PER-KiloW-HR": "YuanPerKilowattHour", "CNY-PER-M3": "YuanPerCubicMetre"}
# Scope words before an indicator that make it a narrower concept of the rest (地区生产总值 -> 生产总值).
_SCOPE_PREFIXES = ("地区", "国内", "全国", "全省", "全市", "全县", "全区", "全社会")


def indicator_broader(key: str) -> Optional[str]:
    for p in _SCOPE_PREFIXES:
        if key.startswith(p) and len(key) - len(p) >= 3:
            return key[len(p):]
    return None


def _unit_term(f) -> Optional[str]:
    if f.unit_iri:
        return iri(f.unit_iri)
    if f.norm_unit in _GR_UNIT:
        return _gr(_GR_UNIT[f.norm_unit])
    return None


def emit_goals(outline: Outline, goals, base: str = DEFAULT_BASE, mentions=()) -> list[Triple]:
    """Goals, targets, observations and their indicators -> triples (see ontology/goals.ttl).

    ``mentions``: ``(start, end, entity IRI)`` of the entities found in the report (by the
    entity stage); a target or observation gets ``gr:concerns`` to every entity mentioned in
    its sentence (晶科二期、正泰二期 … 产值突破750亿元).
    """
    from kg.namespace import QB, XSD
    from kg.rdfterms import decimal, typed

    r = outline.report
    text = r.text
    m = Minter(base, r.id)
    rep = m.report()
    t: list[Triple] = []
    add = t.append
    scheme = m.indicator_scheme()
    concepts: dict[str, str] = {}

    def concept(key: str, label: str) -> str:
        node = m.indicator(key)
        if key not in concepts:
            concepts[key] = node
            add((node, RDF.type, GR.Indicator))
            add((node, SKOS.prefLabel, zh(key)))  # the key, so every report gives the same label
            add((node, SKOS.inScheme, scheme))
            b = indicator_broader(key)
            if b:
                add((node, SKOS.broader, concept(b, b)))
        return node

    if goals.targets or goals.observations:
        add((scheme, RDF.type, GR.IndicatorScheme))
        add((scheme, SKOS.prefLabel, zh("政府工作报告指标体系")))
    for g in goals.goals:
        node = m.goal(g.id)
        add((node, RDF.type, GR.Goal))
        add((node, GR.inReport, rep))
        add((node, RDFS.label, zh(g.label)))
        add((node, GR.inSection, m.section(g.section)))
        t.extend(span_triples(node, m, g.start, g.end, text, anchor=False))
    sentences = outline.sentences
    by_sentence: dict[int, list[str]] = {}
    if mentions:
        starts = [s.start for s in sentences]
        import bisect

        for ms, me, ent in sorted(mentions):
            k = bisect.bisect_right(starts, ms) - 1
            if 0 <= k < len(sentences) and me <= sentences[k].end and ent not in by_sentence.get(k, []):
                by_sentence.setdefault(k, []).append(ent)

    def common(node: str, f) -> None:
        add((node, GR.inReport, rep))
        add((node, GR.inSection, m.section(f.section)))
        if 0 <= f.sentence < len(sentences):
            sn = m.sentence(f.sentence)
            add((node, GR.inSentence, sn))
            add((node, PROV.wasDerivedFrom, sn))
        if f.indicator:
            add((node, GR.indicator, concept(f.indicator_key, f.indicator)))
            add((m.indicator(f.indicator_key), GR.measuredIn, m.section(f.section)))
            if f.indicator != f.indicator_key:
                add((m.indicator(f.indicator_key), SKOS.altLabel, zh(f.indicator)))
        add((node, GR.measureType, _gr(_MEASURE[f.measure])))
        if f.year:
            add((node, GR.refYear, typed(str(f.year), XSD.gYear[1:-1])))
        add((node, GR.clause, zh(text[f.clause_start:f.clause_end])))
        for ent in by_sentence.get(f.sentence, ()):
            add((node, GR.concerns, ent))
        t.extend(span_triples(node, m, f.start, f.end, text))
        if f.measure == "qualitative":
            return
        add((node, GR.comparator, _gr(_COMPARATOR[f.comparator])))
        add((node, GR.value, decimal(f.norm_value)))
        if f.norm_max:
            add((node, GR.valueMax, decimal(f.norm_max)))
        u = _unit_term(f)
        if u:
            add((node, GR.unit, u))
        if f.unit_iri and f.unit_iri.endswith("/NUM"):
            add((node, GR.countedNoun, zh(f.norm_unit)))
        add((node, GR.valueAsWritten, lit(f.value)))
        add((node, GR.unitAsWritten, zh(f.unit)))

    for k, f in enumerate(goals.targets):
        node = m.target(k)
        add((node, RDF.type, GR.QualitativeTarget if f.measure == "qualitative" else GR.QuantifiedTarget))
        add((node, RDFS.label, zh(f"{f.indicator} {f.surface}" if f.measure != "qualitative" else f.surface)))
        common(node, f)
        if f.hedge:
            add((node, GR.hedge, zh(f.hedge)))
        if f.goal:
            add((node, GR.goal, m.goal(f.goal)))
            add((m.goal(f.goal), GR.hasTarget, node))
    if goals.observations:
        ds = m.observations()
        add((ds, RDF.type, QB.DataSet))
        add((ds, QB.structure, GR.ObservationStructure))
        add((ds, RDFS.label, zh(f"{r.issuer}{r.year or ''}年政府工作报告所述统计结果")))
        add((ds, GR.inReport, rep))
    for k, f in enumerate(goals.observations):
        node = m.observation(k)
        add((node, RDF.type, GR.Observation))
        add((node, QB.dataSet, m.observations()))
        add((node, RDFS.label, zh(f"{f.indicator} {f.surface}")))
        common(node, f)
    return t


# ============================================================================ entities (issue 3)
_ENTITY_CLASS = {"company": "Company", "project": "Project", "industry": "Industry", "place": "Place",
                 "organization": "Organization", "platform": "Platform", "initiative": "Initiative",
                 "event": "Event"}


def emit_entities(outline: Outline, stage, base: str = DEFAULT_BASE) -> list[Triple]:
    """Entities, their mentions (NIF offsets, sentence, section) and the relations between them.

    ``stage`` is a :class:`kg.model.Entities`. Entity IRIs depend on type and normalised
    name only, so the same entity in two reports is one node; mention IRIs are per report.
    """
    from kg import gazetteer
    from kg.link import entity_key

    r = outline.report
    m = Minter(base, r.id)
    rep = m.report()
    text = r.text
    t: list[Triple] = []
    add = t.append
    g = gazetteer.load()
    places_done: set[str] = set()

    def place_chain(code: str, node: str) -> None:
        d = g.by_code.get(code)
        while d is not None and node not in places_done:
            places_done.add(node)
            add((node, GR.adminCode, lit(d.code)))
            add((node, GR.adminLevel, lit(d.level)))
            p = g.parent(d)
            if p is None:
                break
            pnode = m.entity(entity_key("place", p.name))
            add((node, GR.withinPlace, pnode))
            if pnode not in places_done and pnode not in mentioned:
                # a parent the report does not name: an untyped stub with its name and code, so the
                # chain reaches the province without adding entities the text never mentions
                add((pnode, SKOS.prefLabel, zh(p.name)))
            d, node = p, pnode

    mentioned = {m.entity(e.key) for e in stage.entities}
    for e in stage.entities:
        node = m.entity(e.key)
        add((node, RDF.type, GR.Entity))
        add((node, RDF.type, _gr(_ENTITY_CLASS[e.type])))
        add((node, GR.entityType, lit(e.type)))
        add((node, SKOS.prefLabel, zh(e.name)))
        add((node, RDFS.label, zh(e.name)))
        for a in e.aliases:
            add((node, SKOS.altLabel, zh(a)))
        add((node, GR.mentionedInReport, rep))
        for sec in e.sections:
            if sec:  # () is the report itself: gr:mentionedInReport says it
                add((node, GR.mentionedIn, m.section(sec)))
        if e.code:
            place_chain(e.code, node)
    index = {(x.mention.start, x.mention.end, x.mention.type): k for k, x in enumerate(stage.mentions)}
    keys: dict[tuple[str, str], str] = {}  # (type, name) -> entity_key, one hash per entity
    for k, x in enumerate(stage.mentions):
        mm = x.mention
        node = m.mention(k)
        add((node, RDF.type, GR.Mention))
        key = keys.get((mm.type, mm.name))
        if key is None:
            key = keys[(mm.type, mm.name)] = entity_key(mm.type, mm.name)
        add((node, GR.mentionOf, m.entity(key)))
        add((node, GR.inReport, rep))
        add((node, GR.inSection, m.section(x.section)))
        if x.sentence is not None:
            add((node, GR.inSentence, m.sentence(x.sentence)))  # the evidence: no prov:wasDerivedFrom twice
        t.extend(span_triples(node, m, mm.start, mm.end, text))
        if mm.parent is not None and mm.parent in index:
            add((node, GR.insideMention, m.mention(index[mm.parent])))
    for rel in stage.relations:
        add((m.entity(rel.subject), _gr(rel.predicate), m.entity(rel.object)))
    return t


__all__ = ["DEFAULT_BASE", "Minter", "emit_outline", "emit_entities", "emit_goals", "span_triples",
           "SCHEMA"]
