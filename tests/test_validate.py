"""kg/validate.py: one report at a time, the same violations as pySHACL on the whole graph."""
import os
import shutil

import pytest
from click.testing import CliRunner

from conftest import CORPUS, SEED
from kg.cli import cli
from kg.validate import load_shapes, pyshacl_violations, validate_build

ID = "https://w3id.org/govreport-kg/id/"
REP = f"<{ID}report/haining-2023>"
SHARED = f"<{ID}graph/shared>"
GR = "https://w3id.org/govreport-kg/ontology#"
INT = "<http://www.w3.org/2001/XMLSchema#integer>"
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"


def _both(out):
    """(streamed violations, pySHACL's) on OUT/graph.nq."""
    from rdflib import Dataset

    ds = Dataset()
    ds.parse(os.path.join(out, "graph.nq"), format="nquads")
    conforms, reference, _ = pyshacl_violations(ds)
    found = validate_build(out).violations
    assert conforms == (not reference)
    return found, reference


def test_the_seed_conforms_for_both(seed_build):
    found, reference = _both(seed_build)
    assert found == reference == []


# Lines added to (or, with a leading "-", taken out of) the seed's graph.nq, each breaking a shape in a
# way the build never does; some break it in a report's graph, some in the shared graph, some across.
BREAKS = [
    f'<{ID}place/330481> <{GR}adminCode> "341723" {SHARED} .',  # two codes (maxCount)
    f'<{ID}place/330481> <{GR}withinPlace> <{ID}place/34> {SHARED} .',  # two parents
    f'<{ID}place/3304> <{GR}adminLevel> "village" {SHARED} .',  # sh:in, and two levels
    f'<{ID}place/33> <{GR}candidateCode> "33x" {SHARED} .',  # pattern
    f'-<{ID}indicator/9a16d5bc227e> <http://www.w3.org/2004/02/skos/core#broader> <{ID}indicator/5f2bee8f5458> {SHARED} .',
    f'<{ID}indicator/9a16d5bc227e> <http://www.w3.org/2004/02/skos/core#broader> <{ID}place/33> {SHARED} .',  # class
    f'<{ID}entity/project-33b634d492> <{GR}scope> "海宁" {SHARED} .',  # nodeKind
    f'<{ID}entity/initiative-13bd059333> <{GR}mentionedInReport> <{ID}report/haining-2023/part/1> {REP} .',  # class, across
    f'{REP} <{GR}year> "1800"^^{INT} {REP} .',  # minInclusive, and two years
    f'{REP} <{GR}sha256> "xyz" {REP} .',  # pattern, and two digests
    f'-<{ID}report/haining-2023/part/1> <{GR}heading> <{ID}report/haining-2023/part/1/heading> {REP} .',  # or
    f'<{ID}report/haining-2023/sentence/2> <{NIF}beginIndex> "x1"^^{INT} {REP} .',  # datatype
    f'<{ID}report/haining-2023/mention/81ae61bfa1-6-11> <http://www.w3.org/2005/11/its/rdf#taIdentRef> <{ID}place/33> {REP} .',
    f'<{ID}report/haining-2023/sentence/1> <{NIF}endIndex> "0"^^{INT} {REP} .',  # lessThan
    f'<{ID}report/haining-2023/mention/81ae61bfa1-6-11> <{GR}mentionOf> "晶科" {REP} .',
]


def test_a_broken_graph_gives_the_same_violations(seed_build, tmp_path):
    out = tmp_path / "broken"
    out.mkdir()
    lines = open(os.path.join(seed_build, "graph.nq"), encoding="utf-8").read().splitlines()
    gone = {b[1:] for b in BREAKS if b.startswith("-")}
    assert gone <= set(lines)
    kept = [ln for ln in lines if ln not in gone]
    # the report's lines first, as the build writes them, then the added ones of each graph after its own
    own = [ln for ln in kept if not ln.endswith(f"{SHARED} .")] + [b for b in BREAKS if b.endswith(f"{REP} .")
                                                                    and not b.startswith("-")]
    shared = [ln for ln in kept if ln.endswith(f"{SHARED} .")] + [b for b in BREAKS if b.endswith(f"{SHARED} .")
                                                                   and not b.startswith("-")]
    (out / "graph.nq").write_text("\n".join(own + shared) + "\n", encoding="utf-8")
    found, reference = _both(str(out))
    assert found == reference
    components = {v.component for v in found}
    assert {"MaxCountConstraintComponent", "InConstraintComponent", "PatternConstraintComponent",
            "ClassConstraintComponent", "NodeKindConstraintComponent", "MinInclusiveConstraintComponent",
            "OrConstraintComponent", "DatatypeConstraintComponent", "EqualsConstraintComponent",
            "LessThanConstraintComponent"} <= components


def test_the_shapes_use_only_what_the_streamed_checks_read():
    shapes, _, _ = load_shapes()
    assert len(shapes) > 15 and all(s.constraints for s in shapes)


def test_cli_validates_with_jobs_and_says_where_it_fails(seed_build, tmp_path):
    r = CliRunner().invoke(cli, ["validate", seed_build, "--jobs", "2"])
    assert r.exit_code == 0 and "graph.nq: conforms (1 report graphs and the shared graph" in r.output
    out = tmp_path / "bad"
    out.mkdir()
    text = open(os.path.join(seed_build, "graph.nq"), encoding="utf-8").read()
    (out / "graph.nq").write_text(text + BREAKS[0] + "\n", encoding="utf-8")
    r = CliRunner().invoke(cli, ["validate", str(out)])
    assert r.exit_code == 1 and "MaxCountConstraintComponent gr:adminCode: <" in r.output


@pytest.mark.slow
def test_the_corpus_gives_the_same_violations(tmp_path):
    """The nine-report corpus and the seed: streamed, in two processes, as pySHACL on the whole."""
    from kg.pipeline import build

    out = str(tmp_path / "corpus")
    build([CORPUS, SEED], out, viz=False, with_store=False)
    found, reference = _both(out)
    assert found == reference == []
    assert validate_build(out, jobs=2).violations == found
    shutil.rmtree(out)
