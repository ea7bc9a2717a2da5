"""kg/iri.py mints every IRI of the data; kg/namespace.py holds every vocabulary IRI."""
import ast
import os
import re

import pytest

from conftest import ROOT
from kg.iri import Minter, entity_key, indicator_slug, place_key, shared_graph, value

# Modules allowed to write an IRI: the minter and the vocabularies.
MINTERS = {"kg/iri.py", "kg/namespace.py"}
# URLs that are not IRIs of the data: where the server listens, the schemes its pages link and the
# origins --cors takes, the SPARQL results XML namespace.
NOT_DATA = {("kg/serve.py", "http://"), ("kg/serve.py", "https://"), ("kg/cli.py", "https://example.org"),
            ("kg/sparql.py", "http://www.w3.org/2005/sparql-results#")}


def _strings(path: str):
    """String constants of a module, docstrings left out."""
    tree = ast.parse(open(path, encoding="utf-8").read())
    docs = {id(n.body[0].value) for n in ast.walk(tree)
            if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
            and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    for n in ast.walk(tree):
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs:
            yield n.value


def test_no_module_but_the_minter_and_the_vocabularies_writes_an_iri():
    found = []
    for d, _, names in os.walk(os.path.join(ROOT, "kg")):
        for n in names:
            rel = os.path.relpath(os.path.join(d, n), ROOT).replace(os.sep, "/")
            if not n.endswith(".py") or rel in MINTERS:
                continue
            for s in _strings(os.path.join(d, n)):
                if re.search(r"https?://", s) and not any(rel == f and s.find(u) >= 0 for f, u in NOT_DATA):
                    found.append((rel, s[:80]))
    assert found == []


def test_entity_keys_depend_on_type_name_and_scope_only():
    key = entity_key("company", "晶科")
    assert key.startswith("entity/company-") and len(key) == len("entity/company-") + 10
    assert key != entity_key("project", "晶科") and key != entity_key("company", "晶科能源")
    assert entity_key("organization", "人民医院", "330481") != entity_key("organization", "人民医院", "130626")
    # the same key minted under two reports is one node; a division's is its code
    assert Minter("https://x.org/", "a").entity(key) == Minter("https://x.org/", "b").entity(key)
    assert Minter("https://x.org/", "a").place("330481") == f"<https://x.org/{place_key('330481')}>"
    assert place_key("330481") == "place/330481"


def test_mention_iris_follow_their_sentence_not_their_offset():
    before = "各位代表：\n海宁发展。袁花镇众创共富中心投用。"
    after = "各位代表：\n海宁市经济发展良好。袁花镇众创共富中心投用。"
    a, b = Minter("https://x.org/", "r", before), Minter("https://x.org/", "r", after)
    town = before.index("袁花镇"), after.index("袁花镇")
    assert town[0] != town[1]
    assert a.mention(town[0], town[0] + 3) == b.mention(town[1], town[1] + 3)  # same sentence, same IRI
    assert a.mention(6, 8) != b.mention(6, 8)  # the sentence that changed
    with pytest.raises(ValueError):
        Minter("https://x.org/", "r").mention(0, 1)  # no text: no content to key by


@pytest.mark.parametrize("base", ["https://x.org/kg", "https://x.org/kg/", "https://x.org/kg#"])
def test_shared_nodes_and_graph_sit_under_the_base(base):
    m = Minter(base, "r-1")
    b = base if base.endswith(("/", "#")) else base + "/"
    assert m.shared_graph() == shared_graph(base) == f"<{b}graph/shared>"
    assert m.indicator("地区生产总值") == f"<{b}indicator/{indicator_slug('地区生产总值')}>"
    assert value(m.report()) == f"{b}report/r-1"


def test_a_report_owns_its_nodes_and_nothing_shared():
    m = Minter("https://x.org/", "r-1")
    own = [(m.section((1,)), "<p>", m.entity("e")), (m.entity("e"), "<p>", m.report()), (m.activity(), "<p>", "<o>")]
    shared = [(m.entity("e"), "<p>", m.indicator("k")), (m.software(), "<p>", '"x"')]
    assert m.split(own + shared) == (own, shared)
    assert not m.owns("<https://x.org/report/r-10>")  # another report whose id starts the same
