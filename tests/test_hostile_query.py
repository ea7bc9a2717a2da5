"""Hostile queries in process (kg.sparql, kg query): SERVICE bypass attempts, nesting that
used to crash the process, overlong queries, corrupted stores."""
from __future__ import annotations

import http.server
import os
import shutil
import subprocess
import sys
import threading

import pytest

import kg
from kg import sparql as Q
from kg.errors import KGError

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


@pytest.fixture(scope="module")
def listener():
    """A loopback SPARQL endpoint that answers anything and records every request it gets."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            hits.append(self.path)
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            body = b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"PWNED"}}]}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST

        def log_message(self, *args):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}/", hits
    srv.shutdown()
    srv.server_close()


# Ways to slip a SERVICE clause past a reading of the query text; {u} is the listener's URL.
BYPASSES = [
    "SELECT ?x WHERE { SERVICE <{u}> { ?x ?p ?o } }",
    "SELECT ?x WHERE { #c\rSERVICE <{u}> { ?x ?p ?o } \n}",  # a comment ends at \r for Oxigraph
    "SELECT ?x WHERE { #c\r\nSERVICE <{u}> { ?x ?p ?o } }",
    "SELECT ?x WHERE { #c\u2028SERVICE <{u}> { ?x ?p ?o } \n}",
    "SELECT ?x WHERE { #c\u0085SERVICE <{u}> { ?x ?p ?o } \n}",
    "SELECT ?x WHERE { #c\\u000dSERVICE <{u}> { ?x ?p ?o } \n}",
    "SELECT ?x WHERE { \\u0053ERVICE <{u}> { ?x ?p ?o } }",
    "select ?x where { sErViCe <{u}> { ?x ?p ?o } }",
    "select ?x where { service silent <{u}> { ?x ?p ?o } }",
    "SELECT ?x WHERE { ?s ?p 1SERVICE <{u}> { ?x ?p ?o } }",
    "PREFIX s: <{u}> SELECT ?x WHERE { SERVICE s: { ?x ?p ?o } }",
    "BASE <{u}> SELECT ?x WHERE { SERVICE <x> { ?x ?p ?o } }",
    "SELECT ?x WHERE { { SELECT ?x WHERE { { SERVICE <{u}> { ?x ?p ?o } } } } }",
    "SELECT ?s WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <{u}> { ?x ?y ?z } } }",
    "SELECT ?x WHERE { VALUES ?svc { <{u}> } SERVICE ?svc { ?x ?p ?o } }",
    "ASK { SERVICE <{u}> { ?x ?p ?o } }",
    "CONSTRUCT { ?x ?p ?o } WHERE { SERVICE <{u}> { ?x ?p ?o } }",
    "DESCRIBE ?x WHERE { SERVICE <{u}> { ?x ?p ?o } }",
    'SELECT ?x WHERE { BIND("\\"" AS ?q) SERVICE <{u}> { ?x ?p ?o } }',
    "SELECT ?x WHERE { BIND('''\r''' AS ?q) SERVICE <{u}> { ?x ?p ?o } }",
    '# """\rSERVICE\nSELECT ?x WHERE { SERVICE <{u}> { ?x ?p ?o } } # """',
    "SELECT ?x WHERE { <{u}>SERVICE<{u}>{ ?x ?p ?o } }",
]


@pytest.mark.parametrize("template", BYPASSES)
def test_service_bypass_attempts_are_refused_without_a_request(seed_build, listener, template):
    url, hits = listener
    before = len(hits)
    with pytest.raises(KGError) as e:  # refused, or (\u0053ERVICE) not SPARQL to Oxigraph either
        kg.open(seed_build).query(template.replace("{u}", url))
    assert "SERVICE refused" in str(e.value) or "syntax error" in str(e.value)
    assert len(hits) == before


def test_service_through_kg_query_and_a_parameter(seed_build, listener):
    from click.testing import CliRunner

    from kg.cli import cli

    url, hits = listener
    r = CliRunner().invoke(cli, ["query", seed_build, "SELECT ?x WHERE { #c\rSERVICE <%s> { ?x ?p ?o } \n}" % url])
    assert r.exit_code == 2 and "SERVICE refused" in r.output and "Traceback" not in r.output
    # a parameter is one RDF term, whatever it says
    r = CliRunner().invoke(cli, ["query", seed_build, "outline", "--param",
                                 f'report=x" }} SERVICE <{url}> {{ ?a ?b ?c }} #'])
    assert r.exit_code == 0 and "PWNED" not in r.output
    assert hits == []


def test_the_query_processes_cannot_reach_the_network(listener):
    """kg.sandbox in a process of its own: Oxigraph's SERVICE fails there before connecting,
    even for a query that no check has read."""
    url, hits = listener
    code = (
        "import sys, pyoxigraph as ox\n"
        "from kg.sandbox import deny_network, network_denied\n"
        "if not deny_network(): sys.exit(3)\n"
        "assert network_denied()\n"
        "try:\n"
        "    list(ox.Store().query(sys.argv[1]))\n"
        "except PermissionError:\n"
        "    sys.exit(0)\n"
        "sys.exit(1)\n")
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    r = subprocess.run([sys.executable, "-c", code, "SELECT * { SERVICE <%s> { ?a ?b ?c } }" % url],
                       env=env, capture_output=True, text=True, timeout=60)
    if r.returncode == 3:  # pyseccomp is a dependency on Linux, and libseccomp part of every distribution
        assert not sys.platform.startswith("linux"), "kg.sandbox could not load a seccomp filter"
        pytest.skip("no seccomp here")
    assert r.returncode == 0, r.stderr
    assert hits == []


def test_deep_nesting_is_an_error_or_an_answer_never_a_crash(seed_build, tmp_path):
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    for i, (text, want) in enumerate([("SELECT * WHERE " + "{" * 5000, "SPARQL syntax error"),
                       ("SELECT * WHERE " + "(" * 20000, "SPARQL syntax error"),
                       ("SELECT * WHERE " + "{" * 30000 + "}" * 30000, "(1 row)"),
                       ("SELECT * WHERE {}" + " " * Q.MAX_QUERY_CHARS, "over 200,000 characters")]):
        rq = tmp_path / f"q{i}.rq"  # a file: one argument may not be that long
        rq.write_text(text, encoding="utf-8")
        r = subprocess.run([sys.executable, "-m", "kg", "query", seed_build, str(rq)], env=env,
                           capture_output=True, text=True, timeout=120)
        assert r.returncode in (0, 2), (r.returncode, r.stderr[-300:])  # not -11 (SIGSEGV)
        assert want in r.stdout + r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("damage", ["current", "sst"])
def test_a_corrupt_store_falls_back_to_graph_nq(seed_build, tmp_path, damage):
    out = tmp_path / "out"
    shutil.copytree(seed_build, out)
    store = out / "store"
    if damage == "current":
        (store / "CURRENT").write_text("garbage\n")
    else:
        for f in store.glob("*.sst"):
            os.truncate(f, 100)
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    r = subprocess.run([sys.executable, "-m", "kg", "query", str(out), "SELECT (COUNT(*) AS ?n) { ?r a gr:Report }",
                        "--format", "csv"], env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stdout.split() == ["n", "1"], r.stderr
    assert "cannot open the store" in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    (out / "graph.nq").unlink()
    (out / "graph.ttl").unlink()
    r = subprocess.run([sys.executable, "-m", "kg", "query", str(out), "outline"], env=env,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "no graph.nq here" in r.stderr and "Traceback" not in r.stderr


def test_query_length_is_bounded():
    with pytest.raises(KGError, match="over 200,000 characters"):
        Q.check_read_only("ASK {}" + " " * Q.MAX_QUERY_CHARS)
