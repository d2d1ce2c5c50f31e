"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint (``/query``) over the embedded store.

Each query is checked first (kg/views/sparql.py: size, depth, read-only, no SERVICE unless
allowed), then runs in a process of its own, forked from a small server process started once,
that opens the store read-only, so it reads the store as it is now, not as it was when the
server started, and writes the whole result to a file. The process is killed when the
timeout passes (fractions of a second too), which ends the query and frees its memory, and
it cannot grow beyond ``memory`` bytes. Only a complete result is sent, with status 200; a
refused, failed or stopped query is an error status with a one-line text body, never part of
a 200 body.
"""

from __future__ import annotations

import os
import resource
import shutil
import socket
import sys
import tempfile
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from kg.views.sparql import MAX_QUERY_CHARS, QueryRefused, check_query

_SOLUTIONS = {  # media type -> pyoxigraph QueryResultsFormat name
    "application/sparql-results+json": "JSON",
    "application/json": "JSON",
    "application/sparql-results+xml": "XML",
    "application/xml": "XML",
    "text/csv": "CSV",
    "text/tab-separated-values": "TSV",
}
_GRAPHS = {  # media type -> pyoxigraph RdfFormat name
    "application/n-triples": "N_TRIPLES",
    "text/turtle": "TURTLE",
    "application/rdf+xml": "RDF_XML",
    "application/ld+json": "JSON_LD",
    "text/plain": "N_TRIPLES",
}
_FORMAT_PARAM = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml", "csv": "text/csv", "tsv": "text/tab-separated-values",
                 "nt": "application/n-triples", "ttl": "text/turtle", "turtle": "text/turtle", "rdfxml": "application/rdf+xml", "jsonld": "application/ld+json"}
MAX_BODY = 4 * MAX_QUERY_CHARS + 4096  # a form-encoded query may take 3 bytes a character, and more
MAX_RESULT_BYTES = 1 << 30


def negotiate(accept: str, form: str) -> str | None:
    """The media type to answer in, from an Accept header; None when none is offered."""
    offered = _GRAPHS if form in ("CONSTRUCT", "DESCRIBE") else _SOLUTIONS
    default = "application/n-triples" if offered is _GRAPHS else "application/sparql-results+json"
    ranked = []
    for i, part in enumerate((accept or "*/*").split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = next((float(p[2:]) for p in params if p.startswith("q=") and p[2:].replace(".", "", 1).isdigit()), 1.0)
        ranked.append((-q, i, media.lower()))
    for q, _, media in sorted(ranked):
        if q == 0:
            continue
        if media in offered:
            return media
        if media in ("*/*", "application/*", "text/*"):
            return default if media != "text/*" else ("text/csv" if offered is _SOLUTIONS else "text/turtle")
    return None


def _run(location: str, sparql: str, media: str, out: str, memory: int | None) -> None:
    """In the query's own process: run, write the whole result to ``out``, or the error."""
    from kg.procs import die_with_parent

    die_with_parent(parent=int(os.environ.get("KG_FORKSERVER_PID") or os.getppid()))  # the fork server ends with kg serve: so does the query
    if memory:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_FSIZE, (MAX_RESULT_BYTES, MAX_RESULT_BYTES))
    import pyoxigraph as ox

    try:
        store = ox.Store.read_only(location)
        result = store.query(sparql, use_default_graph_as_union=True)
        if isinstance(result, ox.QueryTriples):
            result.serialize(out, format=getattr(ox.RdfFormat, _GRAPHS[media]))
        else:
            result.serialize(out, format=getattr(ox.QueryResultsFormat, _SOLUTIONS[media]))
    except SyntaxError as exc:
        _error(out, "400", f"SPARQL syntax error: {str(exc).splitlines()[0]}")
    except MemoryError:
        _error(out, "500", "the query ran out of memory")
    except Exception as exc:
        _error(out, "500", f"query failed: {(str(exc).splitlines() or [type(exc).__name__])[0]}")


def _error(out: str, status: str, message: str) -> None:
    Path(out).unlink(missing_ok=True)
    Path(out + ".error").write_text(f"{status} {message}", encoding="utf-8")


class Endpoint:
    def __init__(self, location: Path, timeout: float | None, memory: int | None, allow_service: bool, jobs: int | None = None):
        import multiprocessing

        self.location, self.timeout, self.memory, self.allow_service = str(location), timeout, memory, allow_service
        self.context = multiprocessing.get_context("forkserver")  # forks from a process of one thread, not from this threaded server
        self.context.set_forkserver_preload(["pyoxigraph", "kg.views.serve", "kg.views.forkserver_guard"])
        os.environ["KG_SERVE_PID"] = str(os.getpid())  # for the fork server's guard (kg/views/forkserver_guard.py)
        from multiprocessing import forkserver

        forkserver.ensure_running()  # started now, from the main thread, not from the first query's thread
        self.slots = threading.BoundedSemaphore(jobs or os.cpu_count() or 1)
        self.scratch = Path(tempfile.mkdtemp(prefix="kg-serve-"))

    def answer(self, sparql: str, accept: str) -> tuple[int, str, bytes]:
        """(status, content type, body) of one query."""
        try:
            form = check_query(sparql, self.allow_service)
        except QueryRefused as exc:
            return _text(HTTPStatus.BAD_REQUEST, str(exc))
        media = negotiate(accept, form)
        if media is None:
            return _text(HTTPStatus.NOT_ACCEPTABLE, f"no result format offered for a {form} query in Accept: {accept}")
        if not self.slots.acquire(timeout=self.timeout):
            return _text(HTTPStatus.SERVICE_UNAVAILABLE, "every query slot is busy; try again")
        out = tempfile.mktemp(dir=self.scratch, suffix=".result")
        try:
            process = self.context.Process(target=_run, args=(self.location, sparql, media, out, self.memory), daemon=True)
            process.start()
            process.join(self.timeout)
            if process.is_alive():
                process.kill()
                process.join()
                return _text(HTTPStatus.SERVICE_UNAVAILABLE, f"query stopped after {self.timeout:g} s (kg serve --timeout)")
            if os.path.exists(out + ".error"):
                status, _, message = Path(out + ".error").read_text(encoding="utf-8").partition(" ")
                return _text(HTTPStatus(int(status)), message)
            if process.exitcode != 0 or not os.path.exists(out):
                return _text(HTTPStatus.INTERNAL_SERVER_ERROR, f"the query's process ended without a result (exit {process.exitcode}: out of memory or too large a result?)")
            return HTTPStatus.OK, media + ("; charset=utf-8" if media.startswith("text/") or "json" in media else ""), Path(out).read_bytes()
        finally:
            self.slots.release()
            for leftover in (out, out + ".error"):
                Path(leftover).unlink(missing_ok=True)

    def close(self) -> None:
        shutil.rmtree(self.scratch, ignore_errors=True)


def _text(status: HTTPStatus, message: str) -> tuple[int, str, bytes]:
    return status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8")


class _Handler(BaseHTTPRequestHandler):
    server_version = "kg-serve"
    endpoint: Endpoint  # set on the class made by serve()

    def log_message(self, format, *args):  # one line per request on stderr, as servers do
        sys.stderr.write(f"kg serve: {self.address_string()} {format % args}\n")

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _route(self) -> str | None:
        path = urlsplit(self.path).path
        if path == "/update" or path == "/store":
            self._send(*_text(HTTPStatus.FORBIDDEN, "read-only: kg serve answers queries at /query, no updates"))
            return None
        if path != "/query":
            self._send(*_text(HTTPStatus.NOT_FOUND, "SPARQL queries go to /query"))
            return None
        return path

    def do_GET(self):
        if self._route() is None:
            return
        queries = parse_qs(urlsplit(self.path).query).get("query")
        if not queries:
            return self._send(*_text(HTTPStatus.BAD_REQUEST, "no query= parameter"))
        self._query(queries[0], parse_qs(urlsplit(self.path).query))

    do_HEAD = do_GET

    def do_POST(self):
        if self._route() is None:
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self.close_connection = True
            return self._send(*_text(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"query refused: a request body of {length:,} bytes"))
        body = self.rfile.read(length).decode("utf-8", "replace")
        kind = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if kind == "application/sparql-query":
            return self._query(body, parse_qs(urlsplit(self.path).query))
        if kind == "application/x-www-form-urlencoded":
            params = parse_qs(body)
            if "update" in params:
                return self._send(*_text(HTTPStatus.FORBIDDEN, "read-only: no updates"))
            if "query" not in params:
                return self._send(*_text(HTTPStatus.BAD_REQUEST, "no query= parameter"))
            return self._query(params["query"][0], params)
        return self._send(*_text(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "POST a query as application/sparql-query or application/x-www-form-urlencoded"))

    def do_OPTIONS(self):
        self.send_response(HTTPStatus.NO_CONTENT)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.end_headers()

    def _query(self, sparql: str, params: dict) -> None:
        accept = _FORMAT_PARAM.get((params.get("format") or [""])[0], self.headers.get("Accept") or "*/*")
        self._send(*self.endpoint.answer(sparql, accept))


def serve(location: Path, host: str, port: int, timeout: float | None, memory: int | None, allow_service: bool) -> None:
    """Serve until interrupted (SIGINT, SIGTERM: the caller turns both into exceptions)."""
    endpoint = Endpoint(location, timeout, memory, allow_service)
    handler = type("Handler", (_Handler,), {"endpoint": endpoint})
    server_class = type("Server", (ThreadingHTTPServer,), {"address_family": socket.AF_INET6 if ":" in host else socket.AF_INET})
    server = server_class((host, port), handler)
    server.daemon_threads = True
    try:
        server.serve_forever()
    finally:
        server.server_close()
        endpoint.close()
