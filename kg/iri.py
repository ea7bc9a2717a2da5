"""Every IRI of the data is minted here: reports and everything under them, entities,
indicators, the build activity, and the named graphs.

IRIs are readable and stable: ``{base}report/haining-2023/part/2/section/1/item/3``.
The base is configurable (``kg build --base``); ontology/README.md states the policy.
What reports share is keyed by content, so two reports that name the same thing name the
same node (kg.identity decides what is the same thing):

* a place that is one administrative division by its code: ``{base}place/330481106``
  (:func:`place_key`), the country ``{base}place/CN``;
* any other entity by its type, normalised name and, for names that are only unique within a
  division, that division: ``{base}entity/organization-3f2a9c1d0e`` (:func:`entity_key`);
* an indicator by its normalised label: ``{base}indicator/<12 hex digits>``
  (:func:`indicator_slug`).

What a report says is keyed by where it says it: a mention, target or observation by the text
of its sentence and its offsets within that sentence (:class:`Anchors`), so editing one
sentence, or changing what the extractors find elsewhere, leaves every other IRI as it was.

The minter hands out N-Triples terms (``<…>``), ready for kg.rdfterms' writers;
:func:`value` gives back the IRI of a term, for the tables.
"""
from __future__ import annotations

import bisect
import hashlib
from typing import Optional

from kg.namespace import GR_NS
from kg.rdfterms import Triple, encode_iri, iri

DEFAULT_BASE = "https://w3id.org/govreport-kg/id/"
# The named graph the ontology is loaded into, in a store: the ontology's own IRI.
ONTOLOGY_GRAPH = GR_NS.rstrip("#")
_LEVEL_STEP = ("part", "section", "item", "subitem")


COUNTRY = "CN"  # the country's place key; its divisions are keyed by their GB/T 2260 codes


def entity_key(type_: str, name: str, scope: str = "") -> str:
    """The IRI tail (under the base) of the entity of this type and normalised name, within
    ``scope`` (a division's code, ``CN``, or a report's) when the name is only unique there:
    ``entity/company-3f2a9c1d0e``. Unscoped keys hash ``type|name`` alone."""
    ident = f"{type_}|{name}|{scope}" if scope else f"{type_}|{name}"
    return f"entity/{type_}-{hashlib.sha1(ident.encode('utf-8')).hexdigest()[:10]}"


def place_key(code: str) -> str:
    """The IRI tail of an administrative division (or of the country, ``CN``): ``place/330481``."""
    return f"place/{code}"


def indicator_slug(key: str) -> str:
    """The IRI tail of the indicator whose normalised label is ``key``."""
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def _slash(base: str) -> str:
    return base if base.endswith(("/", "#")) else base + "/"


def shared_graph(base: str = DEFAULT_BASE) -> str:
    """The named graph of what reports share (entities, indicators, places, the software agent)."""
    return iri(f"{_slash(base)}graph/shared")


def value(term: str) -> str:
    """The IRI of an N-Triples IRI term: ``<https://…>`` -> ``https://…``."""
    return term[1:-1]


class Anchors:
    """Where a span of a report's text is, by content rather than by position: the sentence it
    lies in (kg.segment.sentence_spans over the whole text: headings and list lines are
    sentences too), named by the first 10 hex digits of the SHA-1 of that sentence's text,
    and the span's offsets within the sentence: ``3f2a9c1d0e-4-7``. A sentence whose text
    came before in the report gets ``.1``, ``.2`` … (so does one whose digest did), so no two
    sentences share a name."""

    def __init__(self, text: str):
        from kg.segment import sentence_spans

        spans = sentence_spans(text)
        self.starts = [a for a, _ in spans]
        self.names: list[str] = []
        seen: dict[str, int] = {}
        for a, b in spans:
            h = hashlib.sha1(text[a:b].encode("utf-8")).hexdigest()[:10]
            k = seen.get(h, 0)
            seen[h] = k + 1
            self.names.append(f"{h}.{k}" if k else h)

    def locate(self, start: int, end: int) -> str:
        """``<sentence>-<start>-<end>``, offsets from the start of the sentence that holds ``start``."""
        i = bisect.bisect_right(self.starts, start) - 1
        if i < 0:  # before the first sentence: only spaces are there
            return f"text-{start}-{end}"
        s = self.starts[i]
        return f"{self.names[i]}-{start - s}-{end - s}"


class Minter:
    """Mints every IRI of a report's graph from a base and the report id.

    The base and the report's IRI are percent-encoded once (``encode_iri`` works
    character by character); what is appended to them is digits and fixed ASCII words,
    or is encoded itself (goal ids, entity keys). IRIs asked for again (sections,
    indicators …) come from a dict.
    """

    def __init__(self, base: str, report_id: str, text: Optional[str] = None):
        self.base = _slash(base)
        self.report_id = report_id
        self._text_value = text
        self._anchors: Optional[Anchors] = None
        self._report = f"{self.base}report/{report_id}"
        self._b = encode_iri(self.base)  # encoded, without the angle brackets
        self._r = encode_iri(self._report)
        self._text = f"<{self._r}/text>"
        self._sections: dict[tuple[int, ...], str] = {}
        self._indicators: dict[str, str] = {}
        self._entities: dict[str, str] = {}
        # this report's own nodes: the report, every IRI under it, its build activity
        self._own = (self.report(), self.report()[:-1] + "/", self.activity())

    # --- the report, its text and its outline
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

    # --- goals, targets, observations; indicators are shared by every report
    def goal(self, gid: str) -> str:
        return f"<{self._r}/goal/{encode_iri(gid)}>"

    def _at(self, start: int, end: int) -> str:
        if self._anchors is None:
            if self._text_value is None:
                raise ValueError("this minter was made without the report's text: Minter(base, id, text)")
            self._anchors = Anchors(self._text_value)
        return encode_iri(self._anchors.locate(start, end))

    def target(self, start: int, end: int) -> str:
        """The target whose number (or clause, when it has none) is ``text[start:end]``."""
        return f"<{self._r}/target/{self._at(start, end)}>"

    def observation(self, start: int, end: int) -> str:
        """The observation whose number is ``text[start:end]``."""
        return f"<{self._r}/observation/{self._at(start, end)}>"

    def observations(self) -> str:
        return f"<{self._r}/observations>"

    def indicator(self, key: str) -> str:
        """Shared by every report: the IRI depends on the indicator's normalised label only."""
        node = self._indicators.get(key)
        if node is None:
            node = self._indicators[key] = f"<{self._b}indicator/{indicator_slug(key)}>"
        return node

    def indicator_scheme(self) -> str:
        return f"<{self._b}indicator>"

    # --- entities, shared by every report, and this report's mentions of them
    def entity(self, key: str) -> str:
        """The entity whose key (:func:`entity_key`, :func:`place_key`: an IRI tail) is ``key``."""
        node = self._entities.get(key)
        if node is None:
            node = self._entities[key] = f"<{self._b}{encode_iri(key)}>"
        return node

    def place(self, code: str) -> str:
        """The administrative division of this code (or the country, ``CN``)."""
        return self.entity(place_key(code))

    def mention(self, start: int, end: int, type_: str = "") -> str:
        """The mention of ``text[start:end]``; ``type_`` only when two mentions share the span."""
        tail = f"-{type_}" if type_ else ""
        return f"<{self._r}/mention/{self._at(start, end)}{tail}>"

    # --- provenance
    def activity(self) -> str:
        return f"<{self._b}activity/build/{encode_iri(self.report_id)}>"

    def software(self) -> str:
        return f"<{self._b}agent/govreport-kg>"

    # --- where a triple lives: every triple in exactly one named graph
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
