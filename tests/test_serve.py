"""kg serve over real HTTP on loopback: protocol, negotiation, read-only, timeout, cap."""
from __future__ import annotations

import json
import os
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from kg import serve as V
from kg.errors import KGError

pytestmark = pytest.mark.slow

HERE = os.path.dirname(os.path.abspath(__file__))
# a 12-way cross product of the whole graph: it would run for hours
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(
    f"?s{i} ?p{i} ?o{i} ." for i in range(12)) + " }"


@pytest.fixture(scope="module")
def server(seed_build):
    page = os.path.join(seed_build, "graph.html")
    if not os.path.exists(page):  # the build's graph page stage did not run: stand one in
        with open(page, "w", encoding="utf-8") as f:
            f.write("<!DOCTYPE html><title>graph</title>")
    srv = V.make_server(seed_build, port=0, timeout=2.0, max_rows=50, workers=2, quiet=True)
    th = threading.Thread(target=srv.serve_forever, daemon=True)
    th.start()
    host, port = srv.server_address[:2]
    yield f"http://{host}:{port}"
    srv.shutdown()
    srv.server_close()


def call(base, path="/sparql", query=None, accept=None, method="GET", body=None, ctype=None, **params):
    if query is not None:
        params["query"] = query
    url = base + path
    headers = {}
    if accept:
        headers["Accept"] = accept
    data = None
    if method == "GET":
        if params:
            url += "?" + urllib.parse.urlencode(params)
    elif body is not None:
        data, headers["Content-Type"] = body.encode("utf-8"), ctype
    else:
        data = urllib.parse.urlencode(params).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    req = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.headers, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode("utf-8")


COUNT_REPORTS = "SELECT (COUNT(*) AS ?n) WHERE { ?r a gr:Report }"


def test_get_answers_sparql_json(server):
    status, headers, body = call(server, query=COUNT_REPORTS, accept="application/sparql-results+json")
    assert status == 200
    assert headers["Content-Type"] == "application/sparql-results+json"
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "1"


@pytest.mark.parametrize("accept, ctype, start", [
    ("application/sparql-results+xml", "application/sparql-results+xml", "<?xml"),
    ("text/csv", "text/csv; charset=utf-8", "n\r\n1"),
    ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8", "?n\n"),
    ("text/html;q=0.9, text/csv;q=0.5", "text/csv; charset=utf-8", "n\r\n"),
    ("*/*", "application/sparql-results+json", "{"),
    ("", "application/sparql-results+json", "{"),
])
def test_content_negotiation_for_results(server, accept, ctype, start):
    status, headers, body = call(server, query=COUNT_REPORTS, accept=accept)
    assert status == 200 and headers["Content-Type"] == ctype and body.startswith(start)


def test_post_form_and_direct_query(server):
    s1, _, b1 = call(server, query=COUNT_REPORTS, method="POST")
    s2, _, b2 = call(server, method="POST", body=COUNT_REPORTS, ctype="application/sparql-query")
    assert s1 == s2 == 200 and b1 == b2


def test_construct_gives_turtle(server):
    status, headers, body = call(server, query="CONSTRUCT WHERE { ?r a gr:Report }", accept="text/turtle")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    assert "a gr:Report" in body
    status, headers, _ = call(server, query="CONSTRUCT WHERE { ?r a gr:Report }",
                              accept="application/n-triples")
    assert headers["Content-Type"] == "application/n-triples"


@pytest.mark.parametrize("kwargs, status, says", [
    ({"query": "INSERT DATA { <http://a> <http://b> <http://c> }"}, 403, "read-only"),
    ({"query": "LOAD <http://example.org/x.ttl>"}, 403, "LOAD refused"),
    ({"query": "SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"}, 403, "SERVICE refused"),
    ({"update": "DROP ALL", "method": "POST"}, 403, "read-only"),
    ({"method": "POST", "body": "DROP ALL", "ctype": "application/sparql-update"}, 403, "read-only"),
    ({"query": "SELECT * WHERE { ?s ?p "}, 400, "SPARQL syntax error"),
    ({}, 400, "missing query"),
    ({"query": COUNT_REPORTS, "accept": "image/png"}, 406, "acceptable"),
    ({"query": "SELECT * {}", "format": "yaml"}, 400, "unknown format"),
    ({"method": "POST", "body": "x", "ctype": "text/plain"}, 415, "application/sparql-query"),
    ({"saved": "nosuch"}, 404, "no saved query"),
    ({"method": "PUT", "body": "x", "ctype": "text/turtle"}, 405, "read-only"),
])
def test_refusals_are_clear_4xx(server, kwargs, status, says):
    got, _, body = call(server, **kwargs)
    assert got == status and says in body and len(body.strip().splitlines()) == 1


def test_update_leaves_the_store_as_it_was(server):
    before = call(server, query="SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")[2]
    call(server, query="DELETE WHERE { ?s ?p ?o }")
    assert call(server, query="SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")[2] == before


def test_runaway_query_is_stopped_and_the_server_goes_on(server):
    t = time.monotonic()
    status, _, body = call(server, query=RUNAWAY)
    took = time.monotonic() - t
    assert status == 503 and "timeout" in body
    assert 2.0 <= took < 10
    assert call(server, query=COUNT_REPORTS)[0] == 200  # its worker was replaced


def test_result_size_cap(server):
    status, headers, body = call(server, query="SELECT * WHERE { ?s ?p ?o }")
    assert status == 200 and headers["X-Result-Truncated"] == "true" and headers["X-Max-Rows"] == "50"
    assert len(json.loads(body)["results"]["bindings"]) == 50
    status, headers, body = call(server, query="SELECT * WHERE { ?s ?p ?o } LIMIT 10")
    assert "X-Result-Truncated" not in headers and len(json.loads(body)["results"]["bindings"]) == 10


def test_saved_queries_listed_and_run_with_params(server):
    status, _, body = call(server, path="/queries")
    listed = {q["name"]: q for q in json.loads(body)}
    assert status == 200 and "outline" in listed and listed["outline"]["question"].endswith("?")
    status, _, body = call(server, saved="outline", accept="text/csv")
    assert status == 200 and body.splitlines()[0].startswith("report,")
    one = call(server, saved="outline", accept="text/csv", **{"param.report": "haining-2023"})[2]
    assert one == body and len(one.splitlines()) == 1 + 45
    none = call(server, saved="outline", accept="text/csv", **{"param.report": 'x" } DROP ALL #'})[2]
    assert none.splitlines() == [body.splitlines()[0]]  # header only: the value stayed a literal
    status, _, body = call(server, saved="outline", **{"param.colour": "red"})
    assert status == 400 and "no parameter 'colour'" in body


def test_default_graph_uri_limits_the_default_graph(server):
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    other = call(server, query=q, **{"default-graph-uri": "https://example.org/no-such-graph"})[2]
    assert json.loads(other)["results"]["bindings"][0]["n"]["value"] == "0"


def test_page_and_graph_page(server, seed_build):
    status, headers, body = call(server, path="/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "/sparql" in body and 'href="graph.html"' in body
    status, _, body = call(server, path="/graph.html")
    with open(os.path.join(seed_build, "graph.html"), encoding="utf-8") as f:
        assert status == 200 and body == f.read()


@pytest.mark.parametrize("path", ["/store/CURRENT", "/../etc/passwd", "/%2e%2e/graph.nq", "/nothing.html"])
def test_static_files_stay_inside_out_and_away_from_the_store(server, path):
    assert call(server, path=path)[0] == 404


def test_missing_out_is_one_line(tmp_path):
    with pytest.raises(KGError, match="no such build folder"):
        V.make_server(tmp_path / "nowhere", port=0)


@pytest.mark.parametrize("accept, form, fmt", [
    ("application/sparql-results+json", "SELECT", "json"),
    ("text/turtle, application/sparql-results+xml;q=0.5", "SELECT", "xml"),
    ("application/sparql-results+json;q=0.1, text/csv", "ASK", "csv"),
    ("application/n-triples", "CONSTRUCT", "ntriples"),
    ("text/*", "DESCRIBE", "turtle"),
])
def test_negotiate(accept, form, fmt):
    assert V.negotiate(accept, form) == fmt


def test_kg_serve_command_serves_and_stops(seed_build):
    """`kg serve` as a user runs it: a process of its own, then Ctrl-C (SIGINT)."""
    import signal
    import socket
    import subprocess
    import sys

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    root = os.path.dirname(HERE)
    env = dict(os.environ, PYTHONPATH=root + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", seed_build, "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=root)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 30
        while True:
            try:
                status, _, body = call(base, query=COUNT_REPORTS, accept="text/csv")
                break
            except OSError:
                assert proc.poll() is None and time.time() < deadline, proc.stderr.read()
                time.sleep(0.2)
        assert status == 200 and body.splitlines() == ["n", "1"]
        page = call(base, path="/", **{"saved": "outline"})[2]
        assert "URLSearchParams(location.search)" in page  # links such as /?saved=outline run
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0 and "Traceback" not in err
    assert f"serving {seed_build} at http://127.0.0.1:{port}/" in err


def test_kg_serve_bad_out_is_one_line(tmp_path):
    from click.testing import CliRunner

    from kg.cli import cli

    r = CliRunner().invoke(cli, ["serve", str(tmp_path / "nowhere")])
    assert r.exit_code == 2 and "no such build folder" in r.output and "Traceback" not in r.output
