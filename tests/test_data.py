"""Test data speak the ontology: every gr: term a graph under tests/data uses is one that
ontology/*.ttl defines, so no test runs against a schema the product never emits."""
import glob
import os

import pyoxigraph as ox
import pytest

from kg.namespace import GR_NS, gr_terms

HERE = os.path.dirname(os.path.abspath(__file__))
GRAPHS = sorted(glob.glob(os.path.join(HERE, "data", "*.nq")) + glob.glob(os.path.join(HERE, "data", "*.ttl")))


@pytest.mark.parametrize("path", GRAPHS, ids=os.path.basename)
def test_graph_uses_only_terms_the_ontology_defines(path):
    used = {t.value for q in ox.parse(path=path) for t in (q.subject, q.predicate, q.object)
            if isinstance(t, ox.NamedNode) and t.value.startswith(GR_NS)}
    assert used and {u[len(GR_NS):] for u in used} <= gr_terms()
