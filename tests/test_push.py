"""kg push against real SPARQL servers started on loopback by the fixtures.

Virtuoso open source (Debian's ``virtuoso-opensource``, installed by .ci/run) with
the ``dba`` password changed by the fixture before any request (and no ``dav``
login with its default password), and
the ``oxigraph`` server from PyPI. Each test pushes the seed build, then queries
the server back and compares counts and a literal with the local store.
"""
from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import time
import urllib.request

import pytest
from click.testing import CliRunner

import kg
from kg.cli import cli
from kg.errors import KGError
from kg.push import Client, count, push

pytestmark = pytest.mark.slow

SECTION = "https://w3id.org/govreport-kg/id/report/haining-2023/part/2/section/1"
TITLE_Q = f"SELECT ?t WHERE {{ GRAPH ?g {{ <{SECTION}> <https://w3id.org/govreport-kg/ontology#title> ?t }} }}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _need(binary: str) -> str:
    path = shutil.which(binary)
    if path:
        return path
    if os.environ.get("CI"):
        pytest.fail(f"{binary} is not installed: .ci/run must install it")
    pytest.skip(f"{binary} is not installed")


VIRTUOSO_INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {d}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
"""


def _isql(isql: str, port: int, password: str, sql: str, user: str = "dba") -> subprocess.CompletedProcess:
    return subprocess.run([isql, f"127.0.0.1:{port}", user, password, f"exec={sql}"],
                          capture_output=True, text=True, timeout=30)


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    """A fresh Virtuoso on loopback; yields (base URL, dba password)."""
    server, isql = _need("virtuoso-t"), _need("isql-vt")
    d = tmp_path_factory.mktemp("virtuoso")
    sql, http = _free_port(), _free_port()
    (d / "virtuoso.ini").write_text(VIRTUOSO_INI.format(d=d, sql=sql, http=http))
    proc = subprocess.Popen([server, "+configfile", str(d / "virtuoso.ini"), "+foreground"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=d)
    try:
        deadline = time.time() + 60
        while _isql(isql, sql, "dba", "SELECT 1;").returncode != 0:
            if proc.poll() is not None or time.time() > deadline:
                log = (d / "virtuoso.log").read_text(errors="replace")[-2000:]
                pytest.fail(f"virtuoso did not start:\n{log}")
            time.sleep(0.3)
        # the default passwords never stay open: change them before any HTTP request.
        # isql's SET PASSWORD takes the old password, then the new one (identifiers: hex).
        password = "k" + secrets.token_hex(12)
        r = _isql(isql, sql, "dba", f"SET PASSWORD dba {password};")
        assert r.returncode == 0 and "Error" not in r.stdout + r.stderr, r.stdout + r.stderr
        assert _isql(isql, sql, password, "SELECT 1;").returncode == 0, "the new dba password does not work"
        assert _isql(isql, sql, "dba", "SELECT 1;").returncode != 0, "the default dba password still works"
        assert _isql(isql, sql, "dav", "SELECT 1;", user="dav").returncode != 0, "a default dav login works"
        yield f"http://127.0.0.1:{http}", password
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory):
    """``oxigraph serve`` (PyPI package ``oxigraph``) in memory on loopback; yields its base URL."""
    binary = _need("oxigraph")
    port = _free_port()
    proc = subprocess.Popen([binary, "serve", "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 30
        while True:
            try:
                urllib.request.urlopen(base + "/", timeout=2).read()
                break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    pytest.fail("oxigraph serve did not start")
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(10)


def _local_counts(out) -> dict[str, int]:
    res = kg.open(out).query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g").result
    return {row[0].value: int(row[1].value) for row in res.rows}


def _title(out) -> str:
    return kg.open(out).query(TITLE_Q).result.rows[0][0].value


def test_push_virtuoso_sparql_update_digest(virtuoso, seed_build):
    base, password = virtuoso
    endpoint = base + "/sparql-auth"
    pushed = dict(push(kg.open(seed_build).store(), endpoint, user="dba", password=password, batch=1000))
    assert pushed == _local_counts(seed_build)
    assert max(pushed.values()) > 1000  # more than one INSERT DATA batch
    client = Client([base])
    for g, n in pushed.items():
        assert count(client, base + "/sparql", g) == n  # the public endpoint sees it too
    rows = client.select(base + "/sparql", TITLE_Q)
    assert rows[0]["t"] == {"type": "literal", "xml:lang": "zh", "value": _title(seed_build)}


def test_push_virtuoso_graph_store_protocol_replaces(virtuoso, seed_build):
    base, password = virtuoso
    args = dict(gsp_url=base + "/sparql-graph-crud-auth", user="dba", password=password)
    first = dict(push(kg.open(seed_build).store(), base + "/sparql-auth", **args))
    again = dict(push(kg.open(seed_build).store(), base + "/sparql-auth", **args))  # PUT replaces, never doubles
    assert first == again == _local_counts(seed_build)


def test_push_virtuoso_one_graph_by_cli(virtuoso, seed_build):
    base, password = virtuoso
    g = "https://example.org/graph/all"
    r = CliRunner().invoke(cli, ["push", seed_build, "--endpoint", base + "/sparql-auth", "--graph", g,
                                 "--user", "dba", "--password", password])
    assert r.exit_code == 0, r.output
    assert f"-> <{g}>" in r.output
    merged = kg.open(seed_build).query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").result.rows[0][0].value
    assert count(Client([base]), base + "/sparql", g) == int(merged)  # the merge: each triple once


def test_push_virtuoso_wrong_password_is_one_line(virtuoso, seed_build):
    base, _ = virtuoso
    r = CliRunner().invoke(cli, ["push", seed_build, "--endpoint", base + "/sparql-auth",
                                 "--user", "dba", "--password", "wrong"])
    assert r.exit_code == 2
    assert "authentication failed (HTTP 401)" in r.output
    assert "Traceback" not in r.output and len(r.output.strip().splitlines()) == 1


def test_push_virtuoso_without_credentials_is_refused(virtuoso, seed_build):
    base, _ = virtuoso
    with pytest.raises(KGError, match="401"):
        list(push(kg.open(seed_build).store(), base + "/sparql-auth"))


def test_push_oxigraph_update_and_gsp(oxigraph_server, seed_build):
    local = _local_counts(seed_build)
    q = oxigraph_server + "/query"
    assert dict(push(kg.open(seed_build).store(), oxigraph_server + "/update", query_endpoint=q)) == local  # SPARQL Update
    client = Client([oxigraph_server])
    for g, n in local.items():
        assert count(client, oxigraph_server + "/query", g) == n
    # GSP PUT replaces the graphs: counts stay the same
    pushed = dict(push(kg.open(seed_build).store(), oxigraph_server + "/query", gsp_url=oxigraph_server + "/store"))
    assert pushed == local
    rows = client.select(oxigraph_server + "/query", TITLE_Q)
    assert rows[0]["t"]["value"] == _title(seed_build)


def test_push_refused_endpoint_is_one_line(seed_build):
    port = _free_port()  # nothing listens there
    r = CliRunner().invoke(cli, ["push", seed_build, "--endpoint", f"http://127.0.0.1:{port}/sparql"])
    assert r.exit_code == 2
    assert "cannot reach the endpoint" in r.output and "Traceback" not in r.output


def test_push_rejects_oversized_batches(seed_build):
    with pytest.raises(KGError, match="between 1 and 1000"):
        list(push(kg.open(seed_build).store(), "http://127.0.0.1:1/sparql", batch=4000))
