"""``kg serve OUT``: a read-only SPARQL 1.1 endpoint over a build, and its IRIs dereferenced.

``/sparql`` answers GET (``?query=``) and POST (form-encoded ``query=`` or a raw
``application/sparql-query`` body), as the SPARQL 1.1 Protocol says, with content negotiation
on ``Accept`` (or ``?format=``): SPARQL results as JSON, XML, CSV or TSV; CONSTRUCT and
DESCRIBE graphs as Turtle or N-Triples. ``saved=NAME`` (with ``param.NAME=value``) runs one of
the saved queries by its name; nothing a request says is ever read as a file name.

``/id/…`` dereferences the build's IRIs: the build's base IRI (``kg build --base``, found in the
store or given as ``kg serve --base``) maps onto ``/id/`` of the server, so
``{base}entity/company-ab0e5e86f2`` is ``http://HOST:PORT/id/entity/company-ab0e5e86f2``.
It answers with the resource's description (Oxigraph's DESCRIBE: every triple it is the subject
of) as Turtle, JSON-LD or N-Triples by ``Accept``, and for a browser a small HTML page: labels,
types, properties, what links to it, the sentences that name it, each IRI of the build a link.

Read-only and off the network: a SPARQL Update (``update=``, ``application/sparql-update``),
a LOAD and a SERVICE clause are refused with 403 and a one-line reason; queries run on a store
opened read-only, in query processes that may not open network sockets (kg.sandbox).

Limits (each a ``kg serve`` option): ``workers`` query processes (default: one per core), each
query stopped at ``timeout`` seconds or when its process passes ``memory_mb`` of memory (the
process is killed and replaced: Oxigraph cannot be interrupted from Python, a process can;
the client gets 503); at most ``max_rows`` rows (``X-Result-Truncated: true`` then); at most
``queue`` requests waiting for a process, and one more gets 503 with ``Retry-After`` at once,
as does one that waited ``timeout`` seconds. HTTP is waitress's (a WSGI server): requests are
read whole before a thread takes them, malformed ones get 400, idle connections close after
``CHANNEL_TIMEOUT`` seconds, bodies over ``MAX_BODY`` get 413, at most ``CONNECTIONS`` are
open at once. CORS is off unless ``cors`` names the origins allowed (``*`` for any).

``/`` is a small page to type a query or pick a saved one, ``/queries`` lists the saved
queries as JSON, and ``/graph.html`` (and the files beside it in OUT) is the interactive graph
page when the build wrote one. The server binds to 127.0.0.1 unless told otherwise: it has
no authentication.
"""
from __future__ import annotations

import collections
import html
import json
import logging
import math
import os
import queue
import re
import subprocess
import sys
import threading
import time
import urllib.parse
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Callable, Iterable, Optional

import kg
from kg import sparql as Q
from kg.api import PAGE as GRAPH_PAGE
from kg.api import STORE_DIR
from kg.errors import KGError

MAX_BODY = 1 << 20  # bytes of a POSTed query
MAX_URI = 256 * 1024  # bytes of a request line's URI (a GET query of MAX_QUERY_CHARS, percent-encoded, fits)
CHANNEL_TIMEOUT = 20  # seconds a connection may stay idle or half-sent
CONNECTIONS = 512  # open connections at once; more wait in the listen backlog
BACKLOG = 1024
QUEUE = 32  # requests waiting for a query process
MEMORY_MB = 512  # memory of a query process (its resident set) before its query is stopped
PROC_POLL = 0.02  # seconds between looks at a running query's memory

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
RESOURCE_TYPES = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/ld+json": "jsonld",
    "application/json": "jsonld",
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
    "jsonld": "application/ld+json",
    "html": "text/html; charset=utf-8",
}
RESULT_FORMATS = ("json", "xml", "csv", "tsv")


class HTTPError(Exception):
    def __init__(self, status: int, message: str, headers: Optional[dict] = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


# --------------------------------------------------------------------------- query processes


def _worker_main(conn, out: str) -> None:
    """A query process: leave the network, open the store once, answer jobs until the pipe closes."""
    from kg.sandbox import deny_network

    sandboxed = deny_network()
    try:
        store = kg.open(out).store()
    except KGError as e:
        conn.send(("error", 500, str(e)))
        return
    conn.send(("ready", sandboxed))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            if job["op"] == "describe":
                conn.send(("ok",) + describe(store, job["iris"], job["fmt"], job["base"]))
                continue
            params = job["params"]
            subs = {Q.ox.Variable(n): Q.make_term(n, kind, v, job["text"]) for n, (kind, v) in params.items()}
            res = Q.run(store, job["text"], subs, job["max_rows"], job["default_graphs"], job["named_graphs"])
            fmt = job["fmt"]
            if res.kind == "graph" and fmt not in Q.GRAPH_FORMATS:
                fmt = "turtle"
            if res.kind != "graph" and fmt not in RESULT_FORMATS:
                fmt = "json"
            conn.send(("ok", fmt, Q.serialize(res, fmt), res.truncated))
        except Q.ReadOnlyError as e:
            conn.send(("error", 403, e.message))
        except KGError as e:
            conn.send(("error", 400, e.message))
        except HTTPError as e:
            conn.send(("error", e.status, e.message))
        except Exception as e:  # a bug, not the client's fault: say so, keep serving  # noqa: BLE001
            conn.send(("error", 500, f"{type(e).__name__}: {e}"))


def _worker_entry() -> None:
    """Entry point of a query process: ``python -c … READ_FD WRITE_FD OUT``."""
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


_PAGE_BYTES = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


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
        msg: tuple = ("error", 500, "the query process did not start")
        try:
            if self.conn.poll(60):
                msg = self.conn.recv()
        except (EOFError, OSError):
            pass
        if msg[0] != "ready":
            self.kill()
            raise KGError(msg[2], where=out)
        self.sandboxed: bool = msg[1]

    def rss(self) -> int:
        """Resident memory of the process in bytes (0 where /proc cannot tell)."""
        try:
            with open(f"/proc/{self.proc.pid}/statm", "rb") as f:
                return int(f.read().split()[1]) * _PAGE_BYTES
        except (OSError, ValueError, IndexError):
            return 0

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            pass
        self.conn.close()


class Busy(HTTPError):
    """No query process free and none soon: 503 with Retry-After."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(503, message, {"Retry-After": str(retry_after)})


class Pool:
    """Query processes, a bounded queue in front of them, and a watch on each running query.

    ``size`` processes answer; at most ``queue_size`` more requests wait for one (a request
    beyond that is refused at once, one that waits ``timeout`` seconds gives up); a query past
    ``timeout`` seconds or ``memory_mb`` MB of its process's memory costs its process (killed,
    and a new one started beside), not the server. The same query (text, parameters, graphs)
    asked again within ``cooldown`` seconds of being stopped is refused at once (503 with
    Retry-After): a client looping an expensive query holds no process after its first try.
    """

    def __init__(self, out: Path | str, size: int, timeout: float, queue_size: int = QUEUE,
                 memory_mb: int = MEMORY_MB, log: Callable[[str], None] = lambda line: None):
        self.out = str(out)
        self.size = size
        self.timeout = timeout
        self.queue_size = queue_size
        self.memory = memory_mb * 2**20
        self.log = log
        self.retry_after = max(1, math.ceil(timeout / 2))
        self._admitted = threading.BoundedSemaphore(size + queue_size)
        self.cooldown = max(30.0, 6 * timeout)
        self._stopped: collections.OrderedDict[str, float] = collections.OrderedDict()  # query -> when
        self._stopped_lock = threading.Lock()
        self.idle: queue.Queue[Worker] = queue.Queue()
        self._closed = False
        workers = []
        try:
            for _ in range(size):
                workers.append(Worker(self.out))
        except KGError:
            for w in workers:
                w.kill()
            raise
        self.sandboxed = all(w.sandboxed for w in workers)
        for w in workers:
            self.idle.put(w)

    @staticmethod
    def _key(job: dict) -> str:
        return json.dumps({k: v for k, v in job.items() if k not in ("fmt", "max_rows")}, sort_keys=True)

    def _stopped_recently(self, key: str) -> int:
        """Seconds this query stays refused (0: not refused)."""
        with self._stopped_lock:
            when = self._stopped.get(key)
            left = 0 if when is None else math.ceil(when + self.cooldown - time.monotonic())
            if when is not None and left <= 0:
                del self._stopped[key]
            return max(left, 0)

    def _stop(self, key: str) -> None:
        with self._stopped_lock:
            self._stopped[key] = time.monotonic()
            self._stopped.move_to_end(key)
            while len(self._stopped) > 1024:
                self._stopped.popitem(last=False)

    def run(self, job: dict) -> tuple:
        key = self._key(job)
        left = self._stopped_recently(key)
        if left:
            raise Busy(f"this query was stopped by the time or memory limit less than {self.cooldown:g} s ago; "
                       f"refused for {left} s more", left)
        if not self._admitted.acquire(blocking=False):
            raise Busy(f"busy: {self.size} queries running and {self.queue_size} waiting; retry later",
                       self.retry_after)
        try:
            try:
                worker = self.idle.get(timeout=self.timeout)
            except queue.Empty:
                raise Busy(f"busy: no query process was free within {self.timeout:g} s; retry later",
                           self.retry_after) from None
            msg = self._run_on(worker, job)
        finally:
            self._admitted.release()
        if msg[0] == "error" and msg[1] == 503:
            self._stop(key)
        return msg

    def _run_on(self, worker: Worker, job: dict) -> tuple:
        deadline = time.monotonic() + self.timeout
        try:
            worker.conn.send(job)
            while not worker.conn.poll(PROC_POLL):
                if time.monotonic() > deadline:
                    self._replace(worker)
                    return ("error", 503, f"query stopped: it ran past the {self.timeout:g} s timeout")
                if self.memory and worker.rss() > self.memory:
                    self._replace(worker)
                    return ("error", 503, f"query stopped: it needed more than {self.memory >> 20} MB of memory")
            msg = worker.conn.recv()
        except (EOFError, OSError):
            self._replace(worker)
            return ("error", 500, "the query process died (the query was too deep or too large for it)")
        self.idle.put(worker)
        return msg

    def _replace(self, worker: Worker) -> None:
        """Kill a worker, and start its successor on a thread of its own (the client is answered now)."""
        worker.kill()

        def start() -> None:
            for attempt in range(3):
                if self._closed:
                    return
                try:
                    w = Worker(self.out)
                except KGError as e:
                    self.log(f"cannot start a query process ({e}); try {attempt + 1} of 3")
                    time.sleep(1)
                    continue
                if self._closed:
                    w.kill()
                else:
                    self.idle.put(w)
                return

        threading.Thread(target=start, name="kg-serve-respawn", daemon=True).start()

    def close(self) -> None:
        self._closed = True
        deadline = time.monotonic() + self.timeout + 1
        stopped = 0
        while stopped < self.size and time.monotonic() < deadline:
            try:
                self.idle.get(timeout=0.2).kill()
                stopped += 1
            except queue.Empty:
                continue


# --------------------------------------------------------------------------- content negotiation


def _ranked(accept: str) -> list[str]:
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
    return [mime for _, _, mime in sorted(ranked)]


def _pick(accept: str, table: dict[str, str], default: str, what: str) -> str:
    if not accept.strip():
        return default
    for mime in _ranked(accept):
        if mime in table:
            return table[mime]
        if mime in ("*/*", "application/*", "text/*"):
            return default
    wanted = ", ".join(sorted(set(table)))
    raise HTTPError(406, f"cannot answer {what} as {accept[:200]!r}; acceptable: {wanted}")


def negotiate(accept: str, form: str) -> str:
    """The format for *form* (SELECT/ASK/CONSTRUCT/DESCRIBE) from an Accept header."""
    graph = form in ("CONSTRUCT", "DESCRIBE")
    return _pick(accept, GRAPH_TYPES if graph else RESULT_TYPES, "turtle" if graph else "json",
                 f"a {form or 'query'}")


def negotiate_resource(accept: str) -> str:
    """html, turtle, jsonld or ntriples for a ``/id/…`` request (Turtle when Accept says nothing)."""
    return _pick(accept, RESOURCE_TYPES, "turtle", "a resource")


# --------------------------------------------------------------------------- /id/…: a resource

_LABELS = (Q.PREFIXES["rdfs"] + "label", Q.PREFIXES["skos"] + "prefLabel", Q.PREFIXES["dcterms"] + "title")
_ANCHOR = Q.PREFIXES["nif"] + "anchorOf"
_OUT = """SELECT ?p ?o ?label WHERE { ?s ?p ?o
  OPTIONAL { ?o rdfs:label|skos:prefLabel|dcterms:title|nif:anchorOf ?label } } ORDER BY ?p ?o LIMIT 500"""
_IN = """SELECT ?x ?p ?label WHERE { ?x ?p ?s
  OPTIONAL { ?x rdfs:label|skos:prefLabel|dcterms:title|nif:anchorOf ?label } } ORDER BY ?p ?x LIMIT 200"""
# the sentences stating it: its own, or those of the mentions of it
_EVIDENCE = """SELECT DISTINCT ?sentence WHERE {
  { ?s gr:inSentence ?x } UNION { ?m gr:mentionOf ?s . ?m gr:inSentence ?x }
  ?x nif:anchorOf ?sentence } LIMIT 50"""
_EXISTS = "ASK { { ?s ?p ?o } UNION { ?x ?q ?s } }"


def describe(store, iris: list[str], fmt: str, base: str) -> tuple:
    """(format, body, truncated) describing the first of *iris* the store knows; 404 if none."""
    node = None
    for iri in iris:
        try:
            cand = Q.ox.NamedNode(iri)
        except ValueError:
            continue
        if Q.run(store, _EXISTS, {Q.ox.Variable("s"): cand}).boolean:
            node = cand
            break
    if node is None:
        raise HTTPError(404, "no such resource in this build")
    subs = {Q.ox.Variable("s"): node}
    if fmt != "html":
        res = Q.run(store, "DESCRIBE ?s WHERE {}", subs)
        if fmt == "jsonld":
            body = Q.ox.serialize(sorted(res.triples, key=str), format=Q.ox.RdfFormat.JSON_LD) or b""
            return fmt, body, False
        return fmt, Q.serialize(res, fmt), False
    out = Q.run(store, _OUT, subs).rows
    inc = Q.run(store, _IN, subs).rows
    evidence = [Q.term_text(r[0]) for r in Q.run(store, _EVIDENCE, subs).rows]
    return "html", resource_page(node.value, base, out, inc, evidence).encode("utf-8"), False


def id_path(iri: str, base: str) -> Optional[str]:
    """The server path of a build IRI (``/id/`` + what follows the base), or None for others."""
    if not iri.startswith(base) or len(iri) == len(base):
        return None
    return "/id/" + urllib.parse.quote(iri[len(base):], safe="/:@!$&'()*+,;=-._~%")


def _label_of(rows, fallback: str) -> str:
    labels = [(r[1].language != "zh", r[1].value) for r in rows
              if r[0].value in _LABELS and isinstance(r[1], Q.ox.Literal)]
    if labels:
        return min(labels)[1]
    anchors = [r[1].value for r in rows if r[0].value == _ANCHOR and isinstance(r[1], Q.ox.Literal)]
    if anchors:
        return anchors[0][:80] + ("…" if len(anchors[0]) > 80 else "")
    return fallback


def _term_html(term, label, base: str) -> str:
    if isinstance(term, Q.ox.NamedNode):
        text = html.escape(label.value if label is not None else Q.term_text(term, compact=True))
        local = id_path(term.value, base)
        if local:
            return f'<a href="{html.escape(local)}">{text}</a>'
        if term.value.startswith(("http://", "https://")):
            return f'<a href="{html.escape(term.value)}" rel="nofollow">{text}</a>'
        return text
    if isinstance(term, Q.ox.Literal):
        lang = f' lang="{html.escape(term.language)}"' if term.language else ""
        return f"<span{lang}>{html.escape(term.value)}</span>"
    return html.escape(Q.term_text(term))


def _rows_html(rows, base: str, key: int, other: int) -> str:
    seen, lines = set(), []
    for row in rows:
        ident = (str(row[0]), str(row[1]))
        if ident in seen:  # one line per (property, value), whatever labels the value has
            continue
        seen.add(ident)
        pred = html.escape(Q.term_text(row[key], compact=True))
        lines.append(f"<tr><th>{pred}</th><td>{_term_html(row[other], row[2], base)}</td></tr>")
    return "\n".join(lines)


def resource_page(iri: str, base: str, out, inc, evidence: list[str]) -> str:
    """A small HTML page of one resource: label, types, properties, links to it, evidence."""
    title = _label_of(out, Q.term_text(Q.ox.NamedNode(iri), compact=True))
    rdf_type = Q.PREFIXES["rdf"] + "type"
    types = sorted({Q.term_text(r[1], compact=True) for r in out if r[0].value == rdf_type})
    props = [r for r in out if r[0].value != rdf_type]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title>",
        "<style>body{font-family:sans-serif;margin:1.5em;max-width:60em}"
        "table{border-collapse:collapse}th,td{border-bottom:1px solid #ddd;padding:3px 8px;"
        "text-align:left;vertical-align:top}th{font-weight:normal;color:#555}"
        "code{font-size:12px;color:#555}li{margin:.3em 0}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        f"<p><code>{html.escape(iri)}</code></p>",
        f"<p>{html.escape(', '.join(types))}</p>" if types else "",
        "<h2>Properties</h2><table>" + _rows_html(props, base, 0, 1) + "</table>" if props else "",
        "<h2>Evidence</h2><ol>" + "".join(f'<li lang="zh">{html.escape(s)}</li>' for s in evidence) + "</ol>"
        if evidence else "",
        "<h2>Linked from</h2><table>" + _rows_html(inc, base, 1, 0) + "</table>" if inc else "",
        '<p><a href="/">SPARQL</a> · as <a href="?format=turtle">Turtle</a>, '
        '<a href="?format=jsonld">JSON-LD</a>, <a href="?format=ntriples">N-Triples</a></p>',
        "</body></html>",
    ]
    return "\n".join(p for p in parts if p) + "\n"


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


# --------------------------------------------------------------------------- HTTP


_STATIC_PATH = re.compile(r"/(?:[A-Za-z0-9_][A-Za-z0-9._-]{0,127}/){0,3}[A-Za-z0-9_][A-Za-z0-9._-]{0,127}")
_STATIC_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css",
                 ".json": "application/json", ".csv": "text/csv; charset=utf-8",
                 ".ttl": "text/turtle; charset=utf-8", ".nq": "application/n-quads",
                 ".png": "image/png", ".svg": "image/svg+xml"}
_REASONS = {200: "OK", 204: "No Content", 400: "Bad Request", 403: "Forbidden", 404: "Not Found",
            405: "Method Not Allowed", 406: "Not Acceptable", 413: "Content Too Large",
            414: "URI Too Long", 415: "Unsupported Media Type", 500: "Internal Server Error",
            503: "Service Unavailable"}
SPARQL_METHODS = ("GET", "HEAD", "POST", "OPTIONS")
READ_METHODS = ("GET", "HEAD", "OPTIONS")


class App:
    """The endpoint as a WSGI application (served by waitress in :class:`Server`)."""

    def __init__(self, out: Path, pool: Pool, max_rows: int, base: str, cors: Iterable[str] = (),
                 quiet: bool = False):
        self.out = out
        self.pool = pool
        self.max_rows = max_rows
        self.base = base
        self.cors = tuple(cors)
        self.quiet = quiet
        self._log_lock = threading.Lock()

    def log(self, line: str) -> None:
        with self._log_lock:
            try:
                sys.stderr.write(line.rstrip("\n") + "\n")
                sys.stderr.flush()
            except (OSError, ValueError):
                pass

    # ---- WSGI
    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD", "GET").upper()
        headers: dict[str, str] = {}
        try:
            status, ctype, body, headers = self.route(method, environ)
        except HTTPError as e:
            status, ctype, headers = e.status, "text/plain; charset=utf-8", dict(e.headers)
            body = (" ".join(e.message.split()) + "\n").encode("utf-8")
        except Exception as e:  # a bug: one line in the log and to the client, never a traceback  # noqa: BLE001
            self.log(f"kg serve: internal error on {method} {environ.get('PATH_INFO', '')[:200]!r}: "
                     f"{type(e).__name__}: {e}")
            status, ctype, body = 500, "text/plain; charset=utf-8", b"internal error\n"
        headers.setdefault("Cache-Control", "no-store")
        headers.update(self._cors(environ, method))
        out = [("Content-Type", ctype), ("Content-Length", str(len(body)))] if status != 204 else []
        out += [(k, v) for k, v in headers.items()]
        if not self.quiet:
            self.log(f"{environ.get('REMOTE_ADDR', '-')} - {method} "
                     f"{environ.get('PATH_INFO', '')[:200]!r} {status} {len(body)}")
        start_response(f"{status} {_REASONS.get(status, 'Error')}", out)
        return [b""] if method == "HEAD" or status == 204 else [body]

    def _cors(self, environ, method: str) -> dict[str, str]:
        origin = environ.get("HTTP_ORIGIN", "")
        if not self.cors or not origin:
            return {}
        if "*" in self.cors:
            allow = "*"
        elif origin in self.cors:
            allow = origin
        else:
            return {"Vary": "Origin"}
        h = {"Access-Control-Allow-Origin": allow, "Vary": "Origin",
             "Access-Control-Expose-Headers": "X-Result-Truncated, X-Max-Rows, Retry-After"}
        if method == "OPTIONS":
            h["Access-Control-Allow-Methods"] = "GET, HEAD, POST"
            h["Access-Control-Allow-Headers"] = "Accept, Content-Type"
            h["Access-Control-Max-Age"] = "600"
        return h

    # ---- routes
    def route(self, method: str, environ) -> tuple[int, str, bytes, dict]:
        raw_uri = environ.get("REQUEST_URI") or environ.get("RAW_URI") or ""
        if len(raw_uri) > MAX_URI:
            raise HTTPError(414, f"request URI over {MAX_URI} bytes")
        path = environ.get("PATH_INFO", "") or "/"
        path = path.encode("latin-1", "replace").decode("utf-8", "replace")  # WSGI's bytes-as-latin-1
        allowed = SPARQL_METHODS if path == "/sparql" else READ_METHODS
        if method not in allowed:
            raise HTTPError(405, f"{method[:20]} is not allowed here (read-only endpoint); allowed: "
                                 f"{', '.join(allowed)}", {"Allow": ", ".join(allowed)})
        if method == "OPTIONS":
            return 204, "", b"", {"Allow": ", ".join(allowed)}
        args = self._args(environ.get("QUERY_STRING", ""))
        if path == "/sparql":
            if method == "POST":
                return self._post(environ, args)
            return self._sparql(environ, args, None)
        if path in ("/", "/index.html"):
            link = f'<a href="{GRAPH_PAGE}">Graph page</a>.' if self._is_file(GRAPH_PAGE) else ""
            return 200, "text/html; charset=utf-8", PAGE.replace("__GRAPHLINK__", link).encode("utf-8"), {}
        if path == "/queries":
            body = [{"name": q.name, "question": q.question, "text": q.text,
                     "params": [{"name": p.name, "kind": p.kind, "help": p.help, "example": p.example}
                                for p in q.params]}
                    for q in Q.saved_queries().values()]
            return 200, "application/json; charset=utf-8", json.dumps(body, ensure_ascii=False).encode("utf-8"), {}
        if path.startswith("/id/"):
            return self._resource(environ, raw_uri, args)
        return self._static(path)

    @staticmethod
    def _args(text: str) -> dict[str, list[str]]:
        try:
            return urllib.parse.parse_qs(text, keep_blank_values=True, max_num_fields=64)
        except ValueError as e:
            raise HTTPError(400, f"bad query string: {e}") from None

    def _post(self, environ, args: dict) -> tuple[int, str, bytes, dict]:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            raise HTTPError(400, "bad Content-Length") from None
        if length > MAX_BODY:
            raise HTTPError(413, f"request body over {MAX_BODY} bytes")
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        ctype = (environ.get("CONTENT_TYPE") or "").split(";")[0].strip().lower()
        if ctype == "application/x-www-form-urlencoded":
            for k, v in self._args(body.decode("utf-8", "replace")).items():
                args.setdefault(k, []).extend(v)
            return self._sparql(environ, args, None)
        if ctype == "application/sparql-query":
            return self._sparql(environ, args, body.decode("utf-8", "replace"))
        if ctype == "application/sparql-update":
            raise HTTPError(403, "SPARQL Update refused: this endpoint is read-only")
        raise HTTPError(415, "POST wants application/sparql-query or application/x-www-form-urlencoded")

    def _sparql(self, environ, args: dict, text: Optional[str]) -> tuple[int, str, bytes, dict]:
        if "update" in args:
            raise HTTPError(403, "SPARQL Update refused: this endpoint is read-only")
        values = {k[6:]: v[-1] for k, v in args.items() if k.startswith("param.")}
        saved = None
        if text is None and "saved" in args:
            name = args["saved"][-1]
            saved = Q.saved_queries().get(name)  # a name from the catalogue, never a path
            if saved is None:
                raise HTTPError(404, f"no saved query named {name[:100]!r} (see /queries)")
            text = saved.text
        if text is None:
            if "query" not in args:
                raise HTTPError(400, "missing query (give ?query=… or POST a query)")
            text = args["query"][-1]
        saved = saved or Q.SavedQuery("", "", text)
        try:
            form = Q.check_read_only(text)
            Q.bind(saved, values)  # checks names and values before a query process is busy
        except Q.ReadOnlyError as e:
            raise HTTPError(403, str(e)) from None
        except KGError as e:
            raise HTTPError(400, str(e)) from None
        kinds = {p.name: p.kind for p in saved.params}
        params = {n: (kinds.get(n) or Q.guess_kind(v), v) for n, v in values.items()}
        fmt = args.get("format", [""])[-1].lower()
        if fmt:
            if fmt not in Q.GRAPH_FORMATS + RESULT_FORMATS:
                raise HTTPError(400, f"unknown format {fmt[:40]!r}")
        else:
            fmt = negotiate(environ.get("HTTP_ACCEPT", ""), form)
        job = {"op": "query", "text": text, "params": params, "fmt": fmt, "max_rows": self.max_rows,
               "default_graphs": args.get("default-graph-uri", []), "named_graphs": args.get("named-graph-uri", [])}
        msg = self.pool.run(job)
        if msg[0] == "error":
            raise HTTPError(msg[1], msg[2])
        _, fmt, body, truncated = msg
        headers = {"X-Result-Truncated": "true", "X-Max-Rows": str(self.max_rows)} if truncated else {}
        return 200, FORMAT_TYPE[fmt], body, headers

    def _resource(self, environ, raw_uri: str, args: dict) -> tuple[int, str, bytes, dict]:
        fmt = args.get("format", [""])[-1].lower()
        if fmt:
            if fmt not in ("html", "turtle", "jsonld", "ntriples"):
                raise HTTPError(400, f"unknown format {fmt[:40]!r} (html, turtle, jsonld, ntriples)")
        else:
            fmt = negotiate_resource(environ.get("HTTP_ACCEPT", ""))
        raw = urllib.parse.urlsplit(raw_uri).path if raw_uri else ""
        rest = raw[len("/id/"):] if raw.startswith("/id/") else urllib.parse.quote(environ["PATH_INFO"][4:])
        iris = list(dict.fromkeys([self.base + rest, self.base + urllib.parse.unquote(rest)]))
        msg = self.pool.run({"op": "describe", "iris": iris, "fmt": fmt, "base": self.base})
        if msg[0] == "error":
            raise HTTPError(msg[1], msg[2])
        _, fmt, body, _ = msg
        return 200, FORMAT_TYPE[fmt], body, {"Vary": "Accept"}

    def _is_file(self, rel: str) -> bool:
        try:
            return (self.out / rel).is_file()
        except (OSError, ValueError):
            return False

    def _static(self, path: str) -> tuple[int, str, bytes, dict]:
        """A file the build wrote into OUT (graph.html, tables/…), never the store or dot-files."""
        missing = HTTPError(404, "no such resource")
        if not _STATIC_PATH.fullmatch(path) or path.split("/")[1] == STORE_DIR:
            raise missing
        try:
            root = self.out.resolve()
            target = (root / path[1:]).resolve()
            if root not in target.parents or not target.is_file():
                raise missing
            body = target.read_bytes()
        except (OSError, ValueError):
            raise missing from None
        return 200, _STATIC_TYPES.get(target.suffix.lower(), "application/octet-stream"), body, {}


class Server:
    """waitress serving :class:`App` on one address, with the query pool behind it."""

    build: object = None  # the kg.Build served: holds its generation of OUT

    def __init__(self, app: App, pool: Pool, host: str, port: int, threads: int,
                 channel_timeout: float = CHANNEL_TIMEOUT):
        from waitress.server import create_server

        self.app, self.pool = app, pool
        self._stopped = threading.Event()
        self.inner = create_server(
            app, host=host, port=port, threads=threads, backlog=BACKLOG, connection_limit=CONNECTIONS,
            channel_timeout=channel_timeout, cleanup_interval=max(1, min(5, int(channel_timeout))),
            max_request_body_size=MAX_BODY, max_request_header_size=MAX_URI + 16 * 1024,
            asyncore_use_poll=True, log_socket_errors=False, expose_tracebacks=False,
            ident="govreport-kg", clear_untrusted_proxy_headers=True, ipv4=True, ipv6=True)
        self.server_address = (self.inner.effective_host, int(self.inner.effective_port))

    def serve_forever(self) -> None:
        self.inner.run()

    def shutdown(self) -> None:
        """Stop serve_forever (from another thread)."""
        if self._stopped.is_set():
            return
        self._stopped.set()
        logging.getLogger("waitress").setLevel(logging.CRITICAL)
        self.inner.task_dispatcher.shutdown(timeout=2)
        from waitress import wasyncore

        wasyncore.close_all(self.inner._map)  # the loop ends when its map is empty

    def server_close(self) -> None:
        self.shutdown()
        self.pool.close()


def _quiet_waitress(quiet: bool) -> None:
    """waitress's own log: its warnings as one line each on stderr, nothing about clients leaving."""
    logger = logging.getLogger("waitress")
    logger.setLevel(logging.ERROR if quiet else logging.WARNING)
    logger.propagate = False
    if not logger.handlers:
        h = logging.StreamHandler(sys.stderr)
        h.setFormatter(logging.Formatter("kg serve: %(message)s"))
        logger.addHandler(h)


def default_workers() -> int:
    """One query process per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def build_base(store) -> str:
    """The base IRI the build used: read off its graph of shared nodes (kg.iri.shared_graph),
    kg.iri.DEFAULT_BASE when there is none (a store loaded from a single file)."""
    from kg.iri import DEFAULT_BASE, shared_graph

    tail = shared_graph("x/")[len("<x/"):-1]  # what shared_graph appends to a base
    for g in store.named_graphs():
        if isinstance(g, Q.ox.NamedNode) and g.value.endswith(tail) and shared_graph(g.value[: -len(tail)]) == f"<{g.value}>":
            return g.value[: -len(tail)]
    return DEFAULT_BASE


def make_server(out: Path | str, host: str = "127.0.0.1", port: int = 8000, timeout: float = 10.0,
                max_rows: int = 10000, workers: Optional[int] = None, quiet: bool = False,
                queue_size: int = QUEUE, memory_mb: int = MEMORY_MB, cors: Iterable[str] = (),
                base: Optional[str] = None, channel_timeout: float = CHANNEL_TIMEOUT) -> Server:
    """A ready server (port 0 picks a free one: see ``server.server_address``)."""
    out = Path(out)
    workers = default_workers() if workers is None else workers
    if timeout <= 0 or max_rows <= 0 or workers <= 0 or queue_size < 0 or memory_mb <= 0:
        raise KGError("timeout, max rows, workers and memory must be positive, the queue not negative",
                      where="kg serve")
    if not 0 <= port <= 65535:
        raise KGError(f"port {port} is not between 0 and 65535", where="kg serve")
    cors = tuple(cors)
    for origin in cors:
        if origin != "*" and not re.fullmatch(r"https?://[A-Za-z0-9.\-\[\]:]+", origin):
            raise KGError(f"--cors wants an origin such as https://example.org (or *), got {origin!r}",
                          where="kg serve")
    build = kg.open(out)
    store = build.store()  # fail early with a one-line error if OUT has no graph
    out = build.root  # one generation of OUT, held while the server runs: rebuilds do not mix into answers
    if base is None:
        base = build_base(store)
    elif not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]*[/#]", base):
        raise KGError("--base wants the absolute IRI the build used, ending in / or #", where=base)
    del store
    _quiet_waitress(quiet)
    app = App(out, None, max_rows, base, cors, quiet)  # type: ignore[arg-type]  # the pool comes next
    try:
        # bind first: a busy port or a bad address costs no query process
        server = Server(app, None, host, port, threads=workers + queue_size + 4,  # type: ignore[arg-type]
                        channel_timeout=channel_timeout)
    except (OSError, ValueError, OverflowError) as e:
        why = getattr(e, "strerror", None) or str(e)
        raise KGError(f"cannot listen on {host}:{port}: {why}", where="kg serve") from None
    try:
        pool = Pool(out, workers, timeout, queue_size, memory_mb, log=app.log)
    except BaseException:
        server.shutdown()
        raise
    app.pool = server.pool = pool
    server.build = build
    return server


def serve(out: Path | str, host: str = "127.0.0.1", port: int = 8000, **kw) -> None:
    server = make_server(out, host, port, **kw)
    h, p = server.server_address
    shown = f"[{h}]" if ":" in str(h) else h
    print(f"serving {out} at http://{shown}:{p}/ (SPARQL at /sparql, IRIs of {server.app.base} at /id/); "
          f"{server.pool.size} query processes; Ctrl-C stops", file=sys.stderr)
    if not server.pool.sandboxed:
        print("warning: the query processes could not be kept off the network (no seccomp here); "
              "SERVICE is refused by the query check alone", file=sys.stderr)
    if host not in ("127.0.0.1", "localhost", "::1"):
        print("warning: listening beyond loopback; this endpoint has no authentication", file=sys.stderr)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
