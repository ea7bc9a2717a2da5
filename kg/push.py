"""``kg push OUT --endpoint URL``: load a build into an external SPARQL 1.1 store.

Each report's named graph (graph IRI = report IRI) is replaced on the server:

* with ``--gsp URL``, one Graph Store Protocol ``PUT URL?graph=IRI`` per graph
  (Virtuoso: ``/sparql-graph-crud-auth``; Oxigraph server: ``/store``);
* otherwise SPARQL Update on the endpoint: ``DROP SILENT GRAPH`` then
  ``INSERT DATA`` in batches of at most 1,000 triples (Virtuoso 7.2 fails on
  batches of 4,000-10,000 with SP030/SP031; 1,000 work).

HTTP digest and basic authentication are both offered (Virtuoso's ``-auth``
endpoints want digest; rdflib's SPARQLUpdateStore, which only speaks basic, gets
401 there). After loading, each graph is counted back with a SPARQL query asking
for JSON results (Virtuoso's XML results parse unreliably) and a mismatch is an
error, so a push that reports success has been checked.
"""
from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Iterator

import pyoxigraph as ox

from kg.errors import KGError

GSP_PART = 2000  # triples per Graph Store Protocol request (about 0.5 MB of Chinese text)
MAX_BATCH = 1000


class Client:
    """A small HTTP client with digest-or-basic auth and one-line errors."""

    def __init__(self, urls: list[str], user: str | None = None, password: str | None = None,
                 timeout: float = 120):
        handlers = []
        if user is not None:
            mgr = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in urls:  # credentials go to these servers only
                parts = urllib.parse.urlsplit(url)
                mgr.add_password(None, f"{parts.scheme}://{parts.netloc}/", user, password or "")
            self._digest = urllib.request.HTTPDigestAuthHandler(mgr)
            handlers += [self._digest, urllib.request.HTTPBasicAuthHandler(mgr)]
        self.opener = urllib.request.build_opener(*handlers)
        self.timeout = timeout
        self._creds = (user, password or "") if user is not None else None

    def _preauthorize(self, req: urllib.request.Request) -> None:
        """Answer the server's auth challenge before sending a body.

        urllib sends a request without credentials first and the body with it; a server
        that answers 401 at once and closes (Virtuoso's -auth endpoints) then breaks the
        pipe under a large body, at random. A bodyless HEAD fetches the challenge, and the
        real request carries its answer (an unauthenticated HEAD never changes anything).
        """
        probe = urllib.request.Request(req.full_url, method="HEAD")
        try:
            urllib.request.build_opener().open(probe, timeout=self.timeout).close()
            return  # no challenge: the endpoint is open
        except urllib.error.HTTPError as e:
            chal = e.headers.get("WWW-Authenticate", "") if e.code == 401 else ""
        except (urllib.error.URLError, OSError, ValueError):
            return  # the real request will report it
        scheme = chal.split(" ", 1)[0].lower()
        if scheme == "digest":
            auth = self._digest.get_authorization(req, urllib.request.parse_keqv_list(
                urllib.request.parse_http_list(chal.split(" ", 1)[1])))
            if auth:
                req.add_unredirected_header("Authorization", f"Digest {auth}")
        elif scheme == "basic" and self._creds is not None:
            import base64

            token = base64.b64encode(f"{self._creds[0]}:{self._creds[1]}".encode()).decode("ascii")
            req.add_unredirected_header("Authorization", f"Basic {token}")

    def request(self, method: str, url: str, body: bytes | None = None,
                headers: dict | None = None) -> bytes:
        req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
        if self._creds and body:
            self._preauthorize(req)
        try:
            with self.opener.open(req, timeout=self.timeout) as resp:
                return resp.read()
        except urllib.error.HTTPError as e:
            detail = " ".join(e.read(400).decode("utf-8", "replace").split())
            if e.code == 401:
                raise KGError("authentication failed (HTTP 401): check --user and --password", where=url) from None
            raise KGError(f"HTTP {e.code} {e.reason}: {detail[:200]}", where=url) from None
        except urllib.error.URLError as e:
            raise KGError(f"cannot reach the endpoint: {getattr(e.reason, 'strerror', None) or e.reason}",
                          where=url) from None
        except (TimeoutError, OSError) as e:
            raise KGError(f"cannot reach the endpoint: {e}", where=url) from None
        except ValueError as e:  # urllib: an auth scheme it cannot answer
            raise KGError(f"authentication failed: {e}", where=url) from None

    def update(self, endpoint: str, text: str) -> None:
        # "update via POST directly" of the SPARQL 1.1 Protocol: no percent-encoding to
        # triple the size of Chinese text, and no form-size limit (oxigraph has one)
        self.request("POST", endpoint, text.encode("utf-8"),
                     {"Content-Type": "application/sparql-update"})

    def select(self, endpoint: str, text: str) -> list[dict]:
        body = self.request("POST", endpoint, urllib.parse.urlencode({"query": text}).encode("utf-8"),
                            {"Content-Type": "application/x-www-form-urlencoded",
                             "Accept": "application/sparql-results+json"})
        try:
            return json.loads(body)["results"]["bindings"]
        except (ValueError, KeyError) as e:
            raise KGError(f"the endpoint did not answer with SPARQL JSON results ({e})", where=endpoint) from None


def _ntriples(triples) -> str:
    """N-Triples lines, each term written by Oxigraph (quotes, backslashes, IRIs escaped)."""
    return "".join(f"{t} .\n" for t in triples)


def graph_iri(value: str, what: str = "--graph") -> ox.NamedNode:
    """An absolute IRI checked by Oxigraph's IRI parser (RFC 3987): ``urn:x> ; DROP ALL ; …``
    is not one, so nothing a user passes can end the IRI in the update text."""
    try:
        node = ox.NamedNode(value)
    except ValueError as e:
        raise KGError(f"not an absolute IRI: {e}", where=what) from None
    return node


def endpoint_url(url: str) -> str:
    """An http(s) URL with a host, or a one-line error (``http://[::1/sparql`` among them)."""
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises on a port that is not a number or out of range
    except ValueError as e:
        raise KGError(f"not a valid URL: {e}", where=url) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise KGError("not an http(s) URL", where=url)
    return url


def _graphs(store: ox.Store, one_graph: str | None) -> list[tuple[str, list[ox.Triple]]]:
    """(graph IRI, triples) to push: the store's named graphs, or their merge under *one_graph*.

    The merge is a set (kg.store): --graph pushes each triple once. A store kg build made
    keeps it as the union of its named graphs; one loaded from files, in its default graph.
    """
    if one_graph:
        default = [q.triple for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())]
        union = (q.triple for q in store.quads_for_pattern(None, None, None) if not isinstance(q.graph_name, ox.DefaultGraph))
        out = [(one_graph, default or list(dict.fromkeys(union)))]
    else:
        names = sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
        out = [(g, [q.triple for q in store.quads_for_pattern(None, None, None, ox.NamedNode(g))]) for g in names]
        if not out:
            raise KGError("no named graphs to push (a Turtle-only graph): give --graph IRI", where="kg push")
    if any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for _, ts in out for t in ts):
        raise KGError("the graph has blank nodes, which cannot be pushed in batches; mint IRIs for them",
                      where="kg push")
    return out


def push(store: ox.Store, endpoint: str, gsp_url: str | None = None, graph: str | None = None,
         user: str | None = None, password: str | None = None, batch: int = MAX_BATCH,
         verify: bool = True, query_endpoint: str | None = None) -> Iterator[tuple[str, int]]:
    """Replace each named graph of ``store`` (``kg.open(OUT).store()``) on the server; yields
    (graph IRI, triples) as each is done.

    *query_endpoint* (default: *endpoint*) answers the count that checks each graph;
    stores with separate update and query URLs (Oxigraph, Fuseki) need it.
    """
    if not 1 <= batch <= MAX_BATCH:
        raise KGError(f"--batch must be between 1 and {MAX_BATCH}", where="kg push")
    query_endpoint = query_endpoint or endpoint
    for url in filter(None, (endpoint, gsp_url, query_endpoint)):
        endpoint_url(url)
    if graph is not None:
        graph = graph_iri(graph).value
    graphs = _graphs(store, graph)
    client = Client([u for u in (endpoint, gsp_url, query_endpoint) if u], user, password)
    for g, triples in graphs:
        if gsp_url:
            sep = "&" if "?" in gsp_url else "?"
            url = f"{gsp_url}{sep}{urllib.parse.urlencode({'graph': g})}"
            # N-Triples is Turtle, and every store takes text/turtle. PUT replaces the graph
            # with a first part, POST adds the rest: a body of more than about 1 MB to a
            # digest-protected Virtuoso is cut off (broken pipe) by its 401 before urllib has
            # sent it all, and urllib never sends digest credentials ahead of the challenge.
            for i in range(0, max(len(triples), 1), GSP_PART):
                client.request("PUT" if i == 0 else "POST", url,
                               _ntriples(triples[i:i + GSP_PART]).encode("utf-8"),
                               {"Content-Type": "text/turtle; charset=utf-8"})
        else:
            term = graph_iri(g, "graph")  # written by Oxigraph: <…>, never pasted
            client.update(endpoint, f"DROP SILENT GRAPH {term}")
            for i in range(0, len(triples), batch):
                chunk = _ntriples(triples[i:i + batch])
                client.update(endpoint, f"INSERT DATA {{ GRAPH {term} {{\n{chunk}}} }}")
        if verify:
            n = count(client, query_endpoint, g)
            if n != len(triples):
                raise KGError(f"graph {graph_iri(g, 'graph')}: pushed {len(triples)} triples but the endpoint "
                              f"holds {n}", where=endpoint)
        yield g, len(triples)


def count(client: Client, endpoint: str, graph: str) -> int:
    rows = client.select(endpoint, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph_iri(graph, 'graph')} {{ ?s ?p ?o }} }}")
    try:
        return int(rows[0]["n"]["value"])
    except (IndexError, KeyError, ValueError):
        raise KGError("the endpoint gave no count back", where=endpoint) from None
