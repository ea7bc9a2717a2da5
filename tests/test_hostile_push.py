"""kg push with hostile options: graph IRIs that try to end themselves inside the update text,
endpoint URLs that are not URLs. A loopback endpoint records what reaches it."""
from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading

import pyoxigraph as ox
import pytest

import kg
from kg.errors import KGError

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


@pytest.fixture()
def endpoint():
    """A loopback SPARQL endpoint backed by an in-memory Oxigraph store, recording each request."""
    store = ox.Store()
    seen: list[tuple[str, str]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8")
            ctype = self.headers.get("Content-Type", "")
            if ctype.startswith("application/sparql-update"):
                seen.append(("update", body))
                store.update(body)
                out, status = b"", 204
            else:
                import urllib.parse

                q = urllib.parse.parse_qs(body)["query"][0]
                seen.append(("query", q))
                out = store.query(q).serialize(format=ox.QueryResultsFormat.JSON)
                status = 200
            self.send_response(status)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)

        def log_message(self, *args):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}/sparql", store, seen
    srv.shutdown()
    srv.server_close()


UNRELATED = ox.Quad(ox.NamedNode("urn:keep"), ox.NamedNode("urn:p"), ox.Literal("must survive"), ox.NamedNode("urn:y"))


@pytest.mark.parametrize("graph", [
    "urn:x> ; DROP ALL ; DROP SILENT GRAPH <urn:y",
    "urn:x>} } ; CLEAR ALL ; INSERT DATA { GRAPH <urn:y> { <a> <b> <c> } } #",
    "urn:x\n> ; DROP ALL #",
    "urn:x\u0000",
    "not an iri",
    "relative/path",
    "",
])
def test_graph_option_cannot_inject_an_update(seed_build, endpoint, graph):
    url, store, seen = endpoint
    store.add(UNRELATED)
    with pytest.raises(KGError, match="not an absolute IRI"):
        list(kg.open(seed_build).push(url, graph=graph))
    assert seen == [] and list(store) == [UNRELATED]


def test_graph_iri_is_written_by_the_rdf_library(seed_build, endpoint):
    url, store, seen = endpoint
    store.add(UNRELATED)
    g = "http://example.org/g?a=1&b='x'#frag"
    [(name, n)] = list(kg.open(seed_build).push(url, graph=g))
    assert name == g and n > 1000
    assert seen[0] == ("update", f"DROP SILENT GRAPH {ox.NamedNode(g)}")
    assert store.contains_named_graph(ox.NamedNode(g)) and UNRELATED in store
    assert len(list(store.quads_for_pattern(None, None, None, ox.NamedNode(g)))) == n


@pytest.mark.parametrize("url, says", [
    ("http://[::1/sparql", "not a valid URL"),
    ("http://127.0.0.1:99999/sparql", "not a valid URL"),
    ("http://127.0.0.1:port/sparql", "not a valid URL"),
    ("file:///etc/passwd", "not an http(s) URL"),
    ("http:///sparql", "not an http(s) URL"),
    ("127.0.0.1:8890/sparql", "not an http(s) URL"),
])
def test_bad_endpoint_is_one_line(seed_build, url, says):
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    for option in ("--endpoint", "--gsp", "--query-endpoint"):
        args = ["--endpoint", "http://127.0.0.1:9/sparql"] if option != "--endpoint" else []
        r = subprocess.run([sys.executable, "-m", "kg", "push", seed_build, *args, option, url],
                           env=env, capture_output=True, text=True, timeout=60)
        assert r.returncode == 2 and says in r.stderr and "Traceback" not in r.stderr, (option, r.stderr)
        assert len(r.stderr.strip().splitlines()) == 1


def test_every_update_names_its_graph_as_an_rdf_term(seed_build, endpoint):
    url, store, seen = endpoint
    pushed = dict(kg.open(seed_build).push(url))
    updates = [text for kind, text in seen if kind == "update"]
    for g in pushed:
        term = str(ox.NamedNode(g))
        assert f"DROP SILENT GRAPH {term}" in updates
        assert any(u.startswith(f"INSERT DATA {{ GRAPH {term} {{\n") for u in updates)
    assert json.dumps(sorted(pushed)) == json.dumps(sorted(g.value for g in store.named_graphs()))
