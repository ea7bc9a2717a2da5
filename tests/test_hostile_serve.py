"""kg serve against hostile and unlucky clients, over real HTTP on loopback: SSRF attempts,
malformed requests, methods, a full queue, runaway memory, half-open connections, CORS,
file names in parameters, bad ports and hosts; and /id/… dereferencing."""
from __future__ import annotations

import concurrent.futures
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

import pytest

import kg
from kg import serve as V
from kg.errors import KGError

pytestmark = pytest.mark.slow

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(12)) + " }"
CARTESIAN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f ?a ?d"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?r a gr:Report }"


def start(out, **kw):
    kw = {"port": 0, "timeout": 3.0, "workers": 1, "quiet": True, **kw}
    srv = V.make_server(out, **kw)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, srv.server_address[1]


@pytest.fixture(scope="module")
def served(seed_build):
    srv, port = start(seed_build, workers=2, cors=("https://client.example",), channel_timeout=2)
    yield port
    srv.server_close()


def request(port, method="GET", path="/sparql", body=None, headers=None, timeout=30):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return r.status, dict(r.getheaders()), r.read().decode("utf-8", "replace")
    finally:
        conn.close()


def get(port, **params):
    return request(port, path="/sparql?" + urllib.parse.urlencode(params))


def raw(port, data: bytes, timeout=10) -> bytes:
    """Send bytes as they are; what comes back before the server closes (or timeout)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(data)
        chunks = []
        try:
            while True:
                c = s.recv(65536)
                if not c:
                    break
                chunks.append(c)
        except socket.timeout:
            pass
    return b"".join(chunks)


# --------------------------------------------------------------------------- SSRF


def test_service_bypass_through_every_way_in(served):
    from test_hostile_query import BYPASSES

    target = "http://127.0.0.1:9/"
    for template in BYPASSES[:6]:
        q = template.replace("{u}", target)
        for status, _, body in (get(served, query=q),
                                request(served, "POST", body=q.encode(), headers={"Content-Type": "application/sparql-query"}),
                                request(served, "POST", body=urllib.parse.urlencode({"query": q}).encode(),
                                        headers={"Content-Type": "application/x-www-form-urlencoded"})):
            assert status in (400, 403) and "PWNED" not in body, (q, status, body)


def test_query_processes_are_off_the_network(seed_build):
    """Each query process loads kg.sandbox's filter (what it does: test_hostile_query)."""
    pool = V.Pool(seed_build, 1, 5.0)
    try:
        assert pool.sandboxed or not sys.platform.startswith("linux")
    finally:
        pool.close()


# --------------------------------------------------------------------------- malformed requests


@pytest.mark.parametrize("data, status", [
    (b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", b"400"),
    (b"GET /%00 HTTP/1.1\r\nHost: x\r\n\r\n", b"404"),
    (b"GET /" + b"a" * 5000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", b"404"),
    (b"GET /sparql?query=" + b"%41" * 5000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", b"400"),
    (b"GET /id/" + b"%FF" * 100 + b" HTTP/1.1\r\nHost: x\r\n\r\n", b"404"),
    (b"BREW /sparql HTTP/1.1\r\nHost: x\r\n\r\n", b"405"),
    (b"garbage\r\n\r\n", b"400"),
])
def test_malformed_requests_get_an_http_error(served, data, status):
    got = raw(served, data)
    assert got[:8] in (b"HTTP/1.1", b"HTTP/1.0") and got[9:12] == status, got[:200]


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "PROPFIND"])
def test_405_says_what_is_allowed(served, method):
    status, headers, body = request(served, method, "/sparql", body=b"x")
    assert status == 405 and headers["Allow"] == "GET, HEAD, POST, OPTIONS" and method in body
    status, headers, _ = request(served, method, "/queries", body=b"x")
    assert status == 405 and headers["Allow"] == "GET, HEAD, OPTIONS"


def test_saved_takes_names_never_paths(served, tmp_path):
    rq = tmp_path / "x.rq"
    rq.write_text("# a question?\nSELECT * WHERE { ?s ?p ?o }\n")
    for name in (str(rq), "/etc/passwd.rq", "../kg/queries/outline.rq", str(tmp_path / "missing.rq")):
        status, _, body = get(served, saved=name)
        assert status == 404 and "no saved query" in body and "no such" not in body.replace("no saved", "")
    assert get(served, saved="outline")[0] == 200


# --------------------------------------------------------------------------- limits


def test_full_queue_is_503_with_retry_after_at_once(seed_build):
    srv, port = start(seed_build, workers=1, queue_size=1, timeout=4.0)
    try:
        with concurrent.futures.ThreadPoolExecutor(2) as ex:
            busy = [ex.submit(get, port, query=RUNAWAY + f" # {i}") for i in range(2)]  # one runs, one waits
            deadline = time.monotonic() + 3  # the two reach the server (a loaded machine is slow to start them)
            while True:
                time.sleep(0.3)
                t = time.monotonic()
                status, headers, body = get(port, query=COUNT)
                if status == 503 or time.monotonic() > deadline:
                    break
            # refused at once, not after waiting for the running query's 4 s timeout
            assert time.monotonic() - t < 3
            assert status == 503 and int(headers["Retry-After"]) >= 1 and "busy" in body
            done = [f.result() for f in busy]
            assert [d[0] for d in done] == [503, 503]
        # the runaway query is refused at once for a while after it was stopped; which of the two ran
        # (and was stopped) and which waited for a free process depends on which reached the server first
        ran = [i for i, d in enumerate(done) if "stopped" in d[2]]
        assert len(ran) == 1, [d[2] for d in done]
        t = time.monotonic()
        status, headers, body = get(port, query=RUNAWAY + f" # {ran[0]}")
        assert status == 503 and "refused for" in body and time.monotonic() - t < 1.5 and "Retry-After" in headers
        deadline = time.monotonic() + 30  # its process is replaced in the background
        while get(port, query=COUNT)[0] != 200:
            assert time.monotonic() < deadline
            time.sleep(0.2)
    finally:
        srv.server_close()


def test_expensive_sort_is_stopped_by_memory_not_by_the_machine(seed_build):
    srv, port = start(seed_build, workers=1, timeout=60.0, memory_mb=200)
    try:
        t = time.monotonic()
        status, _, body = get(port, query=CARTESIAN)
        assert status == 503 and "200 MB" in body, body
        assert time.monotonic() - t < 30  # well before the 60 s timeout
    finally:
        srv.server_close()


def test_half_open_connections_neither_hold_threads_nor_block_others(served):
    socks = []
    try:
        for _ in range(200):
            s = socket.create_connection(("127.0.0.1", served), timeout=5)
            s.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nquery=")
            socks.append(s)
        t = time.monotonic()
        assert get(served, query=COUNT)[0] == 200 and time.monotonic() - t < 5
        time.sleep(8)  # channel_timeout 2 s, checked every second or so
        closed = 0
        for s in socks:
            try:
                s.settimeout(0.5)
                closed += s.recv(1) == b""
            except OSError:
                closed += 1
        assert closed == len(socks)
    finally:
        for s in socks:
            s.close()


# --------------------------------------------------------------------------- CORS


def test_cors_off_by_default(seed_build):
    srv, port = start(seed_build)
    try:
        _, headers, _ = request(port, path="/sparql?" + urllib.parse.urlencode({"query": COUNT}),
                                headers={"Origin": "https://client.example"})
        assert "Access-Control-Allow-Origin" not in headers
    finally:
        srv.server_close()


def test_cors_for_the_origins_named(served):
    path = "/sparql?" + urllib.parse.urlencode({"query": COUNT})
    _, headers, _ = request(served, path=path, headers={"Origin": "https://client.example"})
    assert headers["Access-Control-Allow-Origin"] == "https://client.example"
    assert "X-Result-Truncated" in headers["Access-Control-Expose-Headers"]
    _, headers, _ = request(served, path=path, headers={"Origin": "https://other.example"})
    assert "Access-Control-Allow-Origin" not in headers
    status, headers, _ = request(served, "OPTIONS", "/sparql", headers={
        "Origin": "https://client.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert status == 204 and "POST" in headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in headers["Access-Control-Allow-Headers"]


def test_bad_cors_origin_is_one_line(seed_build):
    with pytest.raises(KGError, match="--cors wants an origin"):
        V.make_server(seed_build, port=0, cors=("javascript:alert(1)",))


# --------------------------------------------------------------------------- the command


def kg_serve(*args, timeout=30):
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, "-m", "kg", "serve", *args], env=env, capture_output=True,
                          text=True, timeout=timeout)


def test_busy_port_bad_port_bad_host_are_one_line(seed_build):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        busy = s.getsockname()[1]
        r = kg_serve(seed_build, "--port", str(busy))
        assert r.returncode == 2 and "cannot listen on 127.0.0.1" in r.stderr and "Traceback" not in r.stderr
    for args, says in ((["--port", "70000"], "70000"), (["--port", "-5"], "-5"),
                       (["--host", "no-such-host.invalid"], "cannot listen"), (["--host", "999.1.1.1"], "cannot listen")):
        r = kg_serve(seed_build, *args)
        assert r.returncode == 2 and says in r.stderr and "Traceback" not in r.stderr, r.stderr
        assert len([ln for ln in r.stderr.splitlines() if ln.strip()]) <= 4  # click's usage lines at most


def test_client_hang_ups_log_no_traceback(seed_build):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", seed_build, "--port", str(port), "--timeout", "3"],
                            env=env, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline
                time.sleep(0.2)
        for data in (b"GET /sparql?query=" + urllib.parse.quote(RUNAWAY).encode() + b" HTTP/1.1\r\nHost: x\r\n\r\n",
                     b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", b"POST /sparql HTTP/1.1\r\nContent-Length: 50\r\n\r\nq"):
            s = socket.create_connection(("127.0.0.1", port))
            s.sendall(data)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")  # RST
            s.close()
        time.sleep(4)
    finally:
        proc.send_signal(2)
        _, err = proc.communicate(timeout=30)
    assert "Traceback" not in err and "Error" not in err.replace("error", ""), err


def test_serve_on_a_corrupt_store_reads_graph_nq(seed_build, tmp_path):
    import shutil

    out = tmp_path / "out"
    shutil.copytree(seed_build, out)
    (out / "store" / "CURRENT").write_text("garbage\n")
    srv, port = start(out)
    try:
        status, _, body = get(port, query=COUNT)
        assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == "1"
    finally:
        srv.server_close()


# --------------------------------------------------------------------------- /id/…


def test_iri_dereferenced_by_accept(served, seed_build):
    rows = kg.open(seed_build).query("SELECT ?e WHERE { ?e a gr:Company ; skos:prefLabel ?l } ORDER BY ?e LIMIT 1")
    iri = rows[0]["e"]
    base = V.build_base(kg.open(seed_build).store())
    assert iri.startswith(base)
    path = "/id/" + iri[len(base):]
    status, headers, body = request(served, path=path, headers={"Accept": "text/turtle"})
    assert status == 200 and headers["Content-Type"].startswith("text/turtle") and f"<{iri}>" in body
    assert "skos:prefLabel" in body and headers["Vary"] == "Accept"
    status, headers, body = request(served, path=path, headers={"Accept": "application/ld+json"})
    assert status == 200 and json.loads(body)[0]["@id"] == iri
    status, headers, body = request(served, path=path, headers={"Accept": "application/n-triples"})
    assert status == 200 and body.startswith(f"<{iri}>")
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    status, headers, body = request(served, path=path, headers={"Accept": browser})
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    label = kg.open(seed_build).query("SELECT ?l WHERE { ?e skos:prefLabel ?l }", e=f"<{iri}>")[0]["l"]
    assert f"<h1>{label}</h1>" in body and "<h2>Evidence</h2>" in body
    assert 'href="/id/report/' in body  # the build's IRIs are links onto this server
    assert request(served, path="/id/entity/no-such-thing")[0] == 404
    assert request(served, path="/id/entity/x?format=yaml")[0] == 400


def test_base_given_to_the_build_maps_onto_id(tmp_path):
    from conftest import SEED

    out = str(tmp_path / "b")
    kg.build([SEED], out, base="http://data.example.org/kg/", viz=False)
    srv, port = start(out)
    try:
        assert srv.app.base == "http://data.example.org/kg/"
        status, _, body = request(port, path="/id/report/haining-2023", headers={"Accept": "text/turtle"})
        assert status == 200 and "<http://data.example.org/kg/report/haining-2023>" in body
    finally:
        srv.server_close()
    with pytest.raises(KGError, match="--base wants"):
        V.make_server(out, port=0, base="relative/path")
