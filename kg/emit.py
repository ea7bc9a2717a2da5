"""Model -> RDF triples (N-Triples strings, see kg.rdfterms), one function per stage.

Every IRI comes from the report's :class:`~kg.iri.Minter`, every class and property from
the closed namespaces of kg.namespace. The same input always gives the same triples in
the same order.
"""
from __future__ import annotations

from typing import Optional

import kg
from kg.identity import issuer_of
from kg.iri import COUNTRY, DEFAULT_BASE, Minter, entity_key
from kg.model import Entities, Goals, Outline, Section
from kg.namespace import DCTERMS, GR, ITSRDF, NIF, PROV, QB, RDF, RDFS, SKOS, XSD
from kg.rdfterms import Triple, boolean, decimal, integer, iri, lit, typed, zh

_LEVEL_CLASS = {"part": "Part", "section": "Section", "item": "Item", "subitem": "SubItem"}
_KIND = {"review": "Review", "plan": "Plan", "self": "SelfBuilding", "other": "OtherKind"}


_NIF_REF, _NIF_BEGIN, _NIF_END, _NIF_ANCHOR = NIF.referenceContext, NIF.beginIndex, NIF.endIndex, NIF.anchorOf


def span_triples(node: str, m: Minter, start: int, end: int, text: str, anchor: bool = True) -> list[Triple]:
    """NIF offsets of a span; ``text[start:end]`` is the anchor."""
    out = [
        (node, _NIF_REF, m.text()),
        (node, _NIF_BEGIN, integer(start)),
        (node, _NIF_END, integer(end)),
    ]
    if anchor:
        out.append((node, _NIF_ANCHOR, lit(text[start:end])))
    return out


def emit(outline: Outline, entities: Entities, goals: Goals, m: Minter) -> list[Triple]:
    """The emit stage. Reads the outline and what the entity and goal stages added; makes
    the report's triples (outline, entities, goals, in that order, each triple once), with
    the IRIs of ``m``."""
    triples = emit_outline(outline, m) + emit_entities(outline, entities, m) + emit_goals(outline, goals, entities, m)
    return list(dict.fromkeys(triples))


def _minter(outline: Outline, m: Optional[Minter]) -> Minter:
    return m if m is not None else Minter(DEFAULT_BASE, outline.report.id, outline.report.text)


def emit_outline(outline: Outline, m: Optional[Minter] = None) -> list[Triple]:
    """Outline -> triples for the report, its text, outline, paragraphs and sentences."""
    r = outline.report
    m = _minter(outline, m)
    t: list[Triple] = []
    add = t.append
    rep = m.report()
    add((rep, RDF.type, GR.Report))
    add((rep, DCTERMS.identifier, lit(r.id)))
    if r.title:
        add((rep, DCTERMS.title, zh(r.title)))
    add((rep, RDFS.label, zh(report_label(r))))
    if r.issuer:
        add((rep, GR.issuer, issuer_node(r, m, t)))
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

    for sec in outline.sections:
        t.extend(_section(sec, m, r.text))
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
    for k, en in enumerate(outline.enums):
        node = m.enum_item(k)
        add((node, RDF.type, GR.EnumerationItem))
        add((node, GR.inReport, rep))
        add((node, GR.ordinal, integer(en.ordinal)))
        add((node, GR.number, zh(en.marker)))
        add((node, GR.inParagraph, m.paragraph(en.paragraph)))
        add((node, GR.inSection, m.section(en.section)))
        t.extend(span_triples(node, m, en.start, en.end, r.text, anchor=False))
    if outline.glossary_span:
        g = m.glossary()
        add((rep, GR.glossary, g))
        add((g, RDF.type, GR.Glossary))
        add((g, RDFS.label, zh("名词解释")))
        t.extend(span_triples(g, m, outline.glossary_span[0], outline.glossary_span[1], r.text, anchor=False))
    glossary_numbers: set[int] = set()
    for entry in outline.glossary:
        if entry.number in glossary_numbers:
            continue
        glossary_numbers.add(entry.number)
        node = m.glossary_term(entry.number)
        add((node, RDF.type, GR.GlossaryTerm))
        add((node, SKOS.inScheme, m.glossary()))
        add((node, SKOS.prefLabel, zh(entry.term)))
        add((node, SKOS.notation, lit(str(entry.number))))
        add((node, SKOS.definition, zh(r.text[entry.term_end + 1 : entry.end].strip())))
        t.extend(span_triples(node, m, entry.start, entry.end, r.text, anchor=False))
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


def issuer_node(r, m: Minter, t: list[Triple]) -> str:
    """The place a report speaks for (kg.identity.issuer_of), described as its stub is; a name
    that gives no one division is a place of this report only."""
    issuer = issuer_of(r.issuer)
    if issuer.code == COUNTRY:
        node = m.place(COUNTRY)
        t += [(node, SKOS.prefLabel, zh(issuer.name)), (node, GR.adminLevel, lit(issuer.level))]
        return node
    if issuer.known:
        node = m.place(issuer.code)
        t.extend(place_chain(issuer.code, m, set()))
        return node
    node = m.entity(entity_key("place", r.issuer, f"report:{r.id}"))
    t.append((node, SKOS.prefLabel, zh(r.issuer)))
    return node


def place_chain(code: str, m: Minter, done: set[str]) -> list[Triple]:
    """A division and those above it, up to its province: each node's name, code (as the registry
    writes it, and typed in its scheme as skos:notation), level and parent. Nodes in ``done`` (and
    what is above them) are described already."""
    from kg import gazetteer

    g = gazetteer.load()
    t: list[Triple] = []
    d = g.by_code.get(code)
    while d is not None:
        node = m.place(d.code)
        if node in done:
            break
        done.add(node)
        t += [(node, SKOS.prefLabel, zh(d.name)), (node, GR.adminCode, lit(d.code)),
              (node, SKOS.notation, typed(*_notation(d.code))), (node, GR.adminLevel, lit(d.level))]
        p = g.parent(d)
        if p is not None:
            t.append((node, GR.withinPlace, m.place(p.code)))
        d = p
    return t


def _notation(code: str) -> tuple[str, str]:
    """A division's code in its scheme: GB/T 2260's six digits (33 → 330000), or the statistics
    bureau's nine-digit town code."""
    if len(code) == 9:
        return code, GR.TownCode
    return code.ljust(6, "0"), GR.GBT2260Code


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
        (node, RDF.type, GR[_LEVEL_CLASS[s.level]]),
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
        (node, GR.partKind, GR[_KIND[s.kind]]),
    ]
    if s.heading is not None:
        h = s.heading
        hn = m.heading(s.path)
        t += [(node, GR.heading, hn), (hn, RDF.type, GR.Heading), (node, GR.runIn, boolean(h.run_in))]
        t += span_triples(hn, m, h.start, h.end, text)
        if h.subtitle:
            t.append((node, GR.subtitle, zh(h.subtitle)))
    if s.start is not None and s.end is not None:
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


# --------------------------------------------------------------------------- goals, targets, indicators
_MEASURE = {"level": "Level", "growth": "GrowthRate", "change": "Change", "qualitative": "Qualitative"}
# the concepts of kg.extract.quantities.COMPARATORS; each has its code as skos:notation (ontology/goals.ttl)
_COMPARATOR = {"eq": "Equal", "ge": "AtLeast", "le": "AtMost", "approx": "Approximately", "range": "InRange"}
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
        return GR[_GR_UNIT[f.norm_unit]]
    return None


def emit_goals(outline: Outline, goals: Goals, entities: Optional[Entities] = None,
               m: Optional[Minter] = None) -> list[Triple]:
    """Goals, targets, observations and their indicators -> triples (see ontology/goals.ttl).

    With ``entities`` (the entity stage's result), a target or observation gets
    ``gr:concerns`` to every entity mentioned in its sentence (晶科二期、正泰二期 … 产值突破750亿元).
    """
    r = outline.report
    text = r.text
    m = _minter(outline, m)
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
    if entities is not None and entities.mentions:
        mentions = [(x.mention.start, x.mention.end, m.entity(x.entity)) for x in entities.mentions]
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
        add((node, GR.measureType, GR[_MEASURE[f.measure]]))
        if f.year:
            add((node, GR.refYear, typed(str(f.year), XSD.gYear)))
        add((node, GR.clause, zh(text[f.clause_start:f.clause_end])))
        for ent in by_sentence.get(f.sentence, ()):
            add((node, GR.concerns, ent))
        t.extend(span_triples(node, m, f.start, f.end, text))
        if f.measure == "qualitative":
            return
        add((node, GR.comparator, GR[_COMPARATOR[f.comparator]]))
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

    for f in goals.targets:
        node = m.target(f.start, f.end)
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
    for f in goals.observations:
        node = m.observation(f.start, f.end)
        add((node, RDF.type, GR.Observation))
        add((node, QB.dataSet, m.observations()))
        add((node, RDFS.label, zh(f"{f.indicator} {f.surface}")))
        common(node, f)
    return t


# --------------------------------------------------------------------------- entities
_ENTITY_CLASS = {"company": "Company", "project": "Project", "industry": "Industry", "place": "Place",
                 "organization": "Organization", "platform": "Platform", "initiative": "Initiative",
                 "event": "Event"}


def emit_entities(outline: Outline, stage: Entities, m: Optional[Minter] = None) -> list[Triple]:
    """Entities, their mentions (NIF offsets, sentence, section) and the relations between them.

    Entity IRIs come from their identity (kg.identity): a division's code, or type, name and
    scope, so the same thing in two reports is one node; mention IRIs are per report, from the
    text of their sentence and their offsets in it (kg.iri.Anchors). A mention links to its
    entity by gr:mentionOf and by itsrdf:taIdentRef (NIF's and ITS 2.0's link from a phrase to
    what it identifies).
    """
    r = outline.report
    m = _minter(outline, m)
    rep = m.report()
    text = r.text
    t: list[Triple] = []
    add = t.append
    places_done: set[str] = set()
    for e in stage.entities:
        node = m.entity(e.key)
        add((node, RDF.type, GR.Entity))
        add((node, RDF.type, GR[_ENTITY_CLASS[e.type]]))
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
            t.extend(place_chain(e.code, m, places_done))
        elif e.key == f"place/{COUNTRY}":
            add((node, GR.adminLevel, lit("national")))
        if e.scope:
            add((node, GR.scope, m.report() if e.scope.startswith("report:") else m.place(e.scope)))
        for c in e.candidates:
            add((node, GR.candidateCode, lit(c)))
        if e.external:
            add((node, SKOS.exactMatch, iri(e.external)))
    crowded = stage.crowded

    def mention_node(start: int, end: int, type_: str) -> str:
        return m.mention(start, end, type_ if (start, end) in crowded else "")

    known = {(x.mention.start, x.mention.end, x.mention.type) for x in stage.mentions}
    for x in stage.mentions:
        mm = x.mention
        node = mention_node(mm.start, mm.end, mm.type)
        ent = m.entity(x.entity)
        add((node, RDF.type, GR.Mention))
        add((node, GR.mentionOf, ent))
        add((node, ITSRDF.taIdentRef, ent))
        add((node, GR.inReport, rep))
        add((node, GR.inSection, m.section(x.section)))
        if x.sentence is not None:
            add((node, GR.inSentence, m.sentence(x.sentence)))  # the evidence: no prov:wasDerivedFrom twice
        t.extend(span_triples(node, m, mm.start, mm.end, text))
        add((node, GR.extractedBy, lit(mm.source)))
        add((node, GR.confidence, decimal(f"{mm.confidence:.3f}")))
        if mm.parent is not None and mm.parent in known:
            add((node, GR.insideMention, mention_node(*mm.parent)))
    for rel in stage.relations:
        add((m.entity(rel.subject), GR[rel.predicate], m.entity(rel.object)))
    return t
