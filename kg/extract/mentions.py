"""The entity stage's mentions: the learned tagger, with the hand rules as its features and second voter.

The rules (kg/extract/entities.py) run first, on the tokens the tagger will read too; their
mentions become features of the tagger (kg/extract/features.py), which tags every sentence
(kg/extract/tagger.py). The two are then merged type by type, by the policy measured on the
dev split (docs/evaluation.md): for each type, either the tagger's mentions alone or the
union with the rules' mentions of that type.

Every mention says where it came from and how far to trust it:

* ``source``: ``model`` (the tagger alone), ``rules`` (the rules alone) or ``both`` (same type
  and span);
* ``confidence``: for the tagger's mentions, its probability that the whole span carries
  the labels it gave (kg/extract/tagger.py); for the rules' alone, the precision the rules
  have for that type on the dev split (``RULES_PRECISION``).

Example: in “依托国信优易、百度、小米、科大讯飞等优势企业” the tagger finds 百度 and 科大讯飞,
which the rules miss; 国信优易 and 小米 are still missed (short company names in lists are the
tagger's weak point: docs/evaluation.md, Known weaknesses).
"""
from __future__ import annotations

from dataclasses import replace
from typing import Optional, Sequence

import numpy as np

from kg import gazetteer
from kg.extract import entities, features, tagger
from kg.model import Mention

# Per type: "model" keeps the tagger's mentions; "union" adds the rules' mentions the tagger missed.
# Chosen on dev (python -m kg.evaluate_entities --combinations; docs/evaluation.md): the union wins
# for companies only (F1 0.364 against 0.353); for every other type the rules' extra mentions cost
# more precision than they add recall.
POLICY = {t: "union" if t == "company" else "model" for t in entities.TYPES}
# Precision on dev of the rules' mentions that the tagger does not find, per type: the confidence
# such a mention gets.
RULES_PRECISION = {"company": 0.300, "project": 0.107, "industry": 0.181, "place": 0.233, "organization": 0.208,
                   "platform": 0.026, "initiative": 0.0, "event": 0.0}


def issuer_names(issuer: str) -> list[str]:
    """The names a report's issuer goes by: 保定市 -> 保定市, 保定."""
    if not issuer:
        return []
    short = gazetteer.short_name(issuer)
    return [issuer] if short == issuer else [issuer, short]


def rules_and_features(text: str, spans: Sequence[tuple[int, int]], issuer: str = "",
                       templates: Sequence[str] = features.TEMPLATES) -> tuple[list[Mention], np.ndarray]:
    """The rules' mentions in the ``spans`` of ``text``, and the feature buckets of ``templates``
    the tagger reads (the rules' mentions among them), from one tokenisation: what the
    pipeline and training compute alike."""
    doc = entities.Doc(text)
    rules = entities.extract_mentions(text, spans, issuer, doc=doc)
    F = features.compute(text, doc.words, doc.tags, issuer_names(issuer), [(m.type, m.start, m.end) for m in rules],
                         templates)
    return rules, F


def candidates(text: str, spans: Sequence[tuple[int, int]], issuer: str = "",
               model: Optional[tagger.Model] = None) -> tuple[list[Mention], list[tuple[str, int, int, float]]]:
    """The two voters apart: the rules' mentions, and the tagger's (type, start, end, confidence)
    read from features that include the rules' mentions."""
    model = model or tagger.load()
    rules, F = rules_and_features(text, spans, issuer, model.header["templates"])
    tagged = [(t, s, e, conf) for t, s, e, conf, _layer in model.tag(F, spans, text=text)]
    return rules, tagged


def merge(text: str, rules: Sequence[Mention], tagged: Sequence[tuple[str, int, int, float]], issuer: str = "",
          policy: Optional[dict[str, str]] = None) -> list[Mention]:
    """The mentions kept by ``policy`` (per type, ``model`` or ``union``; :data:`POLICY` by
    default), each with its source and confidence, nested."""
    policy = POLICY if policy is None else policy
    by_key = {(m.type, m.start, m.end): m for m in rules}
    out: dict[tuple[str, int, int], Mention] = {}
    home = _home(issuer)
    for t, s, e, conf in tagged:
        key = (t, s, e)
        if key in out:
            continue
        r = by_key.get(key)
        if r is not None:
            out[key] = replace(r, source="both", confidence=conf, parent=None)
        else:
            out[key] = _mention(text, t, s, e, home, conf)
    for key, r in by_key.items():
        if key not in out and policy.get(r.type) == "union":
            out[key] = replace(r, source="rules", confidence=RULES_PRECISION[r.type], parent=None)
    return entities.nest(list(out.values()))


def extract(text: str, spans: Sequence[tuple[int, int]], issuer: str = "",
            model: Optional[tagger.Model] = None) -> list[Mention]:
    """Mentions in the ``spans`` of ``text`` (sentences, headings), nested ones included, each
    with its ``source`` and ``confidence``."""
    if not text:
        return []
    rules, tagged = candidates(text, spans, issuer, model)
    return merge(text, rules, tagged, issuer)


def _home(issuer: str) -> str:
    found = gazetteer.load().lookup(issuer) if issuer else []
    return found[0].code if found else ""


def _mention(text: str, t: str, s: int, e: int, home: str, conf: float) -> Mention:
    surface = text[s:e]
    name, code = entities.normalise(surface), ""
    if t == "place":
        found = gazetteer.load().lookup(surface, home or None)
        if found and (found[0].level != "town" or (home and found[0].code.startswith(home[:6]))):
            name, code = found[0].name, found[0].code
    return Mention(t, surface, s, e, name, code=code, rule="model", source="model", confidence=conf)
