"""``kg serve OUT``: a read-only SPARQL 1.1 Protocol endpoint over a build.

``/sparql`` answers GET (``?query=``) and POST (form-encoded ``query=`` or a
raw ``application/sparql-query`` body), as the SPARQL 1.1 Protocol says, with
content negotiation on ``Accept`` (or ``?format=``): SPARQL results as JSON,
XML, CSV or TSV; CONSTRUCT and DESCRIBE graphs as Turtle or N-Triples.

It is read-only: a SPARQL Update (``update=`` or ``application/sparql-update``),
a LOAD and a SERVICE clause are refused with 403 and a one-line reason.
Each query runs in a worker process; one that runs past the timeout is killed
(Oxigraph's engine cannot be interrupted from Python, a process can) and the
client gets 503, the worker is replaced. Results are capped at ``max_rows`` rows
(the response then carries ``X-Result-Truncated: true``).

``/`` is a small page to type a query or pick a saved one, ``/queries`` lists
the saved queries as JSON, and ``/graph.html`` (and the files beside it in OUT)
is the interactive graph page when the build wrote one. The server binds to
127.0.0.1 unless told otherwise: it has no authentication.
"""
from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import Connection
from pathlib import Path

import kg
from kg import sparql as Q
from kg.api import PAGE as GRAPH_PAGE
from kg.api import STORE_DIR
from kg.errors import KGError

MAX_BODY = 1 << 20  # bytes of a POSTed query

RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "text/tsv": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "ntriples",
    "text/plain": "ntriples",
}
FORMAT_TYPE = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8",
    "ntriples": "application/n-triples",
}


class HTTPError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


# --------------------------------------------------------------------------- worker processes


def _worker_main(conn, out: str) -> None:
    """Worker loop: open the store once, answer jobs until the pipe closes."""
    try:
        store = kg.open(out).store()
    except KGError as e:
        conn.send(("error", 500, str(e)))
        return
    conn.send(("ready",))
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        text, params, fmt, max_rows, default_graphs, named_graphs = job
        try:
            subs = {Q.ox.Variable(n): Q.make_term(n, kind, v, text) for n, (kind, v) in params.items()}
            res = Q.run(store, text, subs, max_rows, default_graphs, named_graphs)
            if res.kind == "graph" and fmt not in Q.GRAPH_FORMATS:
                fmt = "turtle"
            if res.kind != "graph" and fmt not in ("json", "xml", "csv", "tsv"):
                fmt = "json"
            conn.send(("ok", fmt, Q.serialize(res, fmt), res.truncated))
        except Q.ReadOnlyError as e:
            conn.send(("error", 403, e.message))
        except KGError as e:
            conn.send(("error", 400, e.message))
        except Exception as e:  # a bug, not the client's fault: say so, keep serving
            conn.send(("error", 500, f"{type(e).__name__}: {e}"))


def _worker_entry() -> None:
    """Entry point of a worker process: ``python -c … READ_FD WRITE_FD OUT``."""
    rfd, wfd, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    _worker_main(_Duplex(Connection(rfd, writable=False), Connection(wfd, readable=False)), out)


class _Duplex:
    """Two one-way pipes seen as one connection."""

    def __init__(self, rx: Connection, tx: Connection):
        self.rx, self.tx = rx, tx

    def send(self, obj) -> None:
        self.tx.send(obj)

    def recv(self):
        return self.rx.recv()

    def poll(self, timeout: float) -> bool:
        return self.rx.poll(timeout)

    def close(self) -> None:
        self.rx.close()
        self.tx.close()


class Worker:
    """A query process of its own (not forked: Oxigraph's threads and RocksDB do not fork well)."""

    def __init__(self, out: str):
        r1, w1 = os.pipe()  # parent -> worker
        r2, w2 = os.pipe()  # worker -> parent
        env = dict(os.environ)
        root = str(Path(__file__).resolve().parent.parent)
        env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from kg.serve import _worker_entry; _worker_entry()", str(r1), str(w2), out],
            pass_fds=(r1, w2), env=env, stdin=subprocess.DEVNULL)
        os.close(r1)
        os.close(w2)
        self.conn = _Duplex(Connection(r2, writable=False), Connection(w1, readable=False))
        msg = ("error", 500, "the query worker did not start")
        try:
            if self.conn.poll(60):
                msg = self.conn.recv()
        except (EOFError, OSError):
            pass
        if msg[0] != "ready":
            self.kill()
            raise KGError(msg[2], where=out)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(5)
        self.conn.close()


class Pool:
    """Worker processes; a query past its timeout costs its worker, not the server."""

    def __init__(self, out: Path, size: int, timeout: float):
        self.out = str(out)
        self.timeout = timeout
        self.idle: queue.Queue[Worker] = queue.Queue()
        self.size = size
        for _ in range(size):
            self.idle.put(Worker(self.out))

    def run(self, job) -> tuple:
        worker = self.idle.get()
        done = False
        try:
            worker.conn.send(job)
            if worker.conn.poll(self.timeout):
                msg = worker.conn.recv()
                self.idle.put(worker)
                done = True
                return msg
            return ("error", 503, f"query stopped: it ran past the {self.timeout:g} s timeout")
        except (EOFError, OSError, BrokenPipeError):
            return ("error", 500, "the query worker died")
        finally:
            if not done:  # timed out or died: replace it
                worker.kill()
                self.idle.put(Worker(self.out))

    def close(self) -> None:
        for _ in range(self.size):
            try:
                self.idle.get(timeout=self.timeout + 1).kill()
            except queue.Empty:
                break


# --------------------------------------------------------------------------- content negotiation


def negotiate(accept: str, form: str) -> str:
    """The format for *form* (SELECT/ASK/CONSTRUCT/DESCRIBE) from an Accept header."""
    graph = form in ("CONSTRUCT", "DESCRIBE")
    table = GRAPH_TYPES if graph else RESULT_TYPES
    default = "turtle" if graph else "json"
    if not accept.strip():
        return default
    ranked = []
    for i, part in enumerate(accept.split(",")):
        bits = [b.strip() for b in part.split(";")]
        mime, q = bits[0].lower(), 1.0
        for b in bits[1:]:
            if b.startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            ranked.append((-q, i, mime))
    for _, _, mime in sorted(ranked):
        if mime in table:
            return table[mime]
        if mime in ("*/*", "application/*", "text/*"):
            return default
    wanted = ", ".join(sorted(set(table)))
    raise HTTPError(406, f"cannot answer a {form or 'query'} as {accept!r}; acceptable: {wanted}")


# --------------------------------------------------------------------------- HTTP


PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>govreport-kg SPARQL</title>
<style>
body{font-family:sans-serif;margin:1.5em;max-width:70em}
textarea{width:100%;height:14em;font-family:monospace;font-size:13px}
table{border-collapse:collapse;margin-top:1em;font-size:13px}
td,th{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top}
#err{color:#b00;white-space:pre-wrap}#q{color:#555}
</style></head><body>
<h1>govreport-kg SPARQL</h1>
<p>Endpoint: <code>/sparql</code> (SPARQL 1.1 Protocol, read-only). __GRAPHLINK__</p>
<label>Saved query <select id="saved"><option value="">(type your own)</option></select></label>
<span id="q"></span>
<div id="params"></div>
<textarea id="text">SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 20</textarea>
<p><button id="run">Run</button>
<label>as <select id="fmt"><option>table</option><option>json</option><option>xml</option>
<option>csv</option><option>tsv</option></select></label></p>
<div id="err"></div><div id="out"></div>
<script>
const $ = id => document.getElementById(id);
let saved = {};
fetch('queries').then(r => r.json()).then(list => {
  for (const q of list) { saved[q.name] = q;
    const o = document.createElement('option'); o.value = q.name; o.textContent = q.name; $('saved').append(o); }
  // a link such as /?saved=outline&param.report=haining-2023 (or ?query=…) fills the form and runs it
  const u = new URLSearchParams(location.search);
  if (u.get('saved') && saved[u.get('saved')]) { $('saved').value = u.get('saved'); $('saved').onchange();
    for (const i of $('params').querySelectorAll('input')) i.value = u.get('param.' + i.name) || ''; }
  else if (u.get('query')) $('text').value = u.get('query');
  if (u.get('saved') || u.get('query')) $('run').onclick();
});
$('saved').onchange = () => {
  const q = saved[$('saved').value]; $('params').innerHTML = '';
  if (!q) { $('q').textContent = ''; return; }
  $('q').textContent = q.question; $('text').value = q.text;
  for (const p of q.params) {
    const l = document.createElement('label'); l.textContent = ' ' + p.name + ' ';
    const i = document.createElement('input'); i.name = p.name; i.placeholder = p.help; i.size = 30;
    l.append(i); $('params').append(l);
  }
};
function cell(t) { return t ? t.value : ''; }
$('run').onclick = async () => {
  $('err').textContent = ''; $('out').innerHTML = '';
  const body = new URLSearchParams({query: $('text').value});
  const q = saved[$('saved').value];
  if (q && $('text').value === q.text) { body.set('saved', q.name); body.delete('query');
    for (const i of $('params').querySelectorAll('input')) if (i.value) body.set('param.' + i.name, i.value); }
  const fmt = $('fmt').value;
  const accept = {table: 'application/sparql-results+json, text/turtle;q=0.9', json: 'application/sparql-results+json',
    xml: 'application/sparql-results+xml', csv: 'text/csv', tsv: 'text/tab-separated-values'}[fmt];
  const r = await fetch('sparql', {method: 'POST', body, headers: {Accept: accept}});
  const text = await r.text();
  if (!r.ok) { $('err').textContent = r.status + ' ' + text; return; }
  const ct = r.headers.get('Content-Type') || '';
  if (fmt !== 'table' || !ct.includes('json')) { const pre = document.createElement('pre'); pre.textContent = text; $('out').append(pre); return; }
  const j = JSON.parse(text);
  if ('boolean' in j) { $('out').textContent = String(j.boolean); return; }
  const t = document.createElement('table'); const h = t.insertRow();
  for (const v of j.head.vars) { const th = document.createElement('th'); th.textContent = v; h.append(th); }
  for (const b of j.results.bindings) { const r = t.insertRow(); for (const v of j.head.vars) r.insertCell().textContent = cell(b[v]); }
  const n = document.createElement('p'); n.textContent = j.results.bindings.length + ' rows' +
    (r.headers.get('X-Result-Truncated') ? ' (truncated)' : ''); $('out').append(n, t);
};
</script></body></html>
"""


class Handler(BaseHTTPRequestHandler):
    server_version = "govreport-kg"
    protocol_version = "HTTP/1.1"

    # set by make_server
    pool: Pool
    out: Path
    max_rows: int

    def log_message(self, fmt, *args):  # one line per request on stderr, unless quiet
        if not getattr(self.server, "quiet", False):
            sys.stderr.write("%s - %s\n" % (self.address_string(), fmt % args))

    # ---- plumbing
    def _send(self, status: int, body: bytes, ctype: str, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, message: str) -> None:
        self._send(status, (message.rstrip() + "\n").encode("utf-8"), "text/plain; charset=utf-8")

    # ---- routes
    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        try:
            if url.path == "/sparql":
                self._sparql(urllib.parse.parse_qs(url.query, keep_blank_values=True), None)
            elif url.path in ("/", "/index.html"):
                link = f'<a href="{GRAPH_PAGE}">Graph page</a>.' if (self.out / GRAPH_PAGE).is_file() else ""
                self._send(200, PAGE.replace("__GRAPHLINK__", link).encode("utf-8"), "text/html; charset=utf-8")
            elif url.path == "/queries":
                body = [{"name": q.name, "question": q.question, "text": q.text,
                         "params": [{"name": p.name, "kind": p.kind, "help": p.help} for p in q.params]}
                        for q in Q.saved_queries().values()]
                self._send(200, json.dumps(body, ensure_ascii=False).encode("utf-8"),
                           "application/json; charset=utf-8")
            else:
                self._static(urllib.parse.unquote(url.path))
        except HTTPError as e:
            self._error(e.status, e.message)

    do_HEAD = do_GET

    def do_POST(self):
        url = urllib.parse.urlsplit(self.path)
        try:
            if url.path != "/sparql":
                raise HTTPError(404, f"no such resource: {url.path}")
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                raise HTTPError(413, f"request body over {MAX_BODY} bytes")
            body = self.rfile.read(length) if length else b""
            ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            args = urllib.parse.parse_qs(url.query, keep_blank_values=True)
            if ctype == "application/x-www-form-urlencoded":
                for k, v in urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items():
                    args.setdefault(k, []).extend(v)
                self._sparql(args, None)
            elif ctype == "application/sparql-query":
                self._sparql(args, body.decode("utf-8", "replace"))
            elif ctype == "application/sparql-update":
                raise HTTPError(403, "SPARQL Update refused: this endpoint is read-only")
            else:
                raise HTTPError(415, "POST wants application/sparql-query or "
                                     "application/x-www-form-urlencoded")
        except HTTPError as e:
            self._error(e.status, e.message)

    def do_PUT(self):
        self._error(405, "read-only endpoint: PUT is not allowed")

    do_DELETE = do_PATCH = do_PUT

    def _sparql(self, args: dict, text: str | None) -> None:
        if "update" in args:
            raise HTTPError(403, "SPARQL Update refused: this endpoint is read-only")
        values = {k[6:]: v[-1] for k, v in args.items() if k.startswith("param.")}
        saved = None
        if text is None and "saved" in args:
            try:
                saved = Q.resolve_query(args["saved"][-1])
            except KGError as e:
                raise HTTPError(404, str(e)) from None
            text = saved.text
        if text is None:
            if "query" not in args:
                raise HTTPError(400, "missing query (give ?query=… or POST a query)")
            text = args["query"][-1]
        saved = saved or Q.SavedQuery("", "", text)
        try:
            Q.bind(saved, values)  # checks names and values before a worker is busy
        except KGError as e:
            raise HTTPError(400, str(e)) from None
        kinds = {p.name: p.kind for p in saved.params}
        params = {n: (kinds.get(n) or Q.guess_kind(v), v) for n, v in values.items()}
        try:
            form = Q.check_read_only(text)
        except Q.ReadOnlyError as e:
            raise HTTPError(403, str(e)) from None
        fmt = args.get("format", [""])[-1].lower()
        if fmt:
            if fmt not in Q.GRAPH_FORMATS + ("json", "xml", "csv", "tsv"):
                raise HTTPError(400, f"unknown format {fmt!r}")
        else:
            fmt = negotiate(self.headers.get("Accept", ""), form)
        job = (text, params, fmt, self.max_rows, args.get("default-graph-uri", []),
               args.get("named-graph-uri", []))
        msg = self.pool.run(job)
        if msg[0] == "error":
            raise HTTPError(msg[1], msg[2])
        _, fmt, body, truncated = msg
        headers = {"X-Result-Truncated": "true", "X-Max-Rows": str(self.max_rows)} if truncated else {}
        self._send(200, body, FORMAT_TYPE[fmt], headers)

    def _static(self, path: str) -> None:
        rel = path.lstrip("/")
        target = (self.out / rel).resolve()
        root = self.out.resolve()
        if (not rel or root not in target.parents or not target.is_file()
                or any(part.startswith(".") or part == STORE_DIR for part in target.relative_to(root).parts)):
            raise HTTPError(404, f"no such resource: {path}")
        ctype = {".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css",
                 ".json": "application/json", ".csv": "text/csv; charset=utf-8",
                 ".ttl": "text/turtle; charset=utf-8", ".nq": "application/n-quads",
                 ".png": "image/png", ".svg": "image/svg+xml"}.get(target.suffix.lower(), "application/octet-stream")
        self._send(200, target.read_bytes(), ctype)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    quiet = False
    build: object = None  # the kg.Build served: holds its generation of OUT

    def __init__(self, addr, handler, pool: Pool):
        super().__init__(addr, handler)
        self.pool = pool

    def server_close(self) -> None:
        super().server_close()
        self.pool.close()


def make_server(out: Path | str, host: str = "127.0.0.1", port: int = 8000, timeout: float = 10.0,
                max_rows: int = 10000, workers: int = 2, quiet: bool = False) -> Server:
    """A ready server (port 0 picks a free one: see ``server.server_address``)."""
    build = kg.open(out)
    build.store()  # fail early with a one-line error if OUT has no graph
    out = build.root  # one generation of OUT, held while the server runs: rebuilds do not mix into answers
    if timeout <= 0 or max_rows <= 0 or workers <= 0:
        raise KGError("timeout, max rows and workers must be positive", where="kg serve")
    pool = Pool(out, workers, timeout)
    handler = type("BoundHandler", (Handler,), {"pool": pool, "out": out, "max_rows": max_rows})
    try:
        server = Server((host, port), handler, pool)
    except OSError as e:
        pool.close()
        raise KGError(f"cannot listen on {host}:{port}: {e.strerror or e}", where="kg serve") from None
    server.quiet = quiet
    server.build = build
    return server


def serve(out: Path | str, host: str = "127.0.0.1", port: int = 8000, **kw) -> None:
    server = make_server(out, host, port, **kw)
    h, p = str(server.server_address[0]), int(server.server_address[1])
    print(f"serving {out} at http://{h}:{p}/ (SPARQL at /sparql); Ctrl-C stops", file=sys.stderr)
    if host not in ("127.0.0.1", "localhost", "::1"):
        print("warning: listening beyond loopback; this endpoint has no authentication", file=sys.stderr)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
