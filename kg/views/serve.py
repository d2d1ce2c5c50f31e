"""``kg serve``: the explorer (kg/views/explorer/) and a read-only SPARQL 1.1 Protocol endpoint (``/query``).

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
import tempfile
import threading
from http import HTTPStatus
from pathlib import Path

from kg.graph.store import read_while_written
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
FORMAT_PARAM = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml", "csv": "text/csv", "tsv": "text/tab-separated-values",
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

    def answer() -> None:
        result = ox.Store.read_only(location).query(sparql, use_default_graph_as_union=True)
        if isinstance(result, ox.QueryTriples):
            result.serialize(out, format=getattr(ox.RdfFormat, _GRAPHS[media]))
        else:
            result.serialize(out, format=getattr(ox.QueryResultsFormat, _SOLUTIONS[media]))

    try:
        read_while_written(answer)  # kg serve during a kg build
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
        self.running: set = set()  # the queries' processes now running, ended by close()

    def answer(self, sparql: str, accept: str) -> tuple[int, str, bytes]:
        """(status, content type, body) of one query."""
        media, refusal = _checked(sparql, accept, self.allow_service)
        if refusal is not None:
            return refusal
        if not self.slots.acquire(timeout=self.timeout):
            return _text(HTTPStatus.SERVICE_UNAVAILABLE, "every query slot is busy; try again")
        out = tempfile.mktemp(dir=self.scratch, suffix=".result")
        try:
            process = self.context.Process(target=_run, args=(self.location, sparql, media, out, self.memory), daemon=True)
            process.start()
            self.running.add(process)
            process.join(self.timeout)
            self.running.discard(process)
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
        """End the queries still running (their threads then return), and the scratch folder."""
        for process in list(self.running):
            process.kill()
        shutil.rmtree(self.scratch, ignore_errors=True)


def _checked(sparql: str, accept: str, allow_service: bool) -> tuple[str | None, tuple[int, str, bytes] | None]:
    """The media type to answer a query in, or the refusal to send instead (the query's checks,
    then content negotiation): the same for the embedded store and a SPARQL server."""
    try:
        form = check_query(sparql, allow_service)
    except QueryRefused as exc:
        return None, _text(HTTPStatus.BAD_REQUEST, str(exc))
    media = negotiate(accept, form)
    if media is None:
        return None, _text(HTTPStatus.NOT_ACCEPTABLE, f"no result format offered for a {form} query in Accept: {accept}")
    return media, None


def _text(status: HTTPStatus, message: str) -> tuple[int, str, bytes]:
    return status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8")


class RemoteEndpoint:
    """The same guards in front of a SPARQL server (``kg serve -s sparql+http://…``): each query
    checked here (size, depth, read-only, no SERVICE unless allowed), then sent to the server with
    the timeout; the server's errors become error statuses, never a 200 body."""

    def __init__(self, store, timeout: float | None, allow_service: bool):
        self.store, self.timeout, self.allow_service = store, timeout, allow_service

    def answer(self, sparql: str, accept: str) -> tuple[int, str, bytes]:
        from urllib.error import HTTPError, URLError
        from urllib.parse import urlencode
        from urllib.request import Request, urlopen

        media, refusal = _checked(sparql, accept, self.allow_service)
        if refusal is not None:
            return refusal
        request = Request(self.store.query_url, data=urlencode({"query": sparql, "union-default-graph": "true"}).encode(),
                          headers={"Accept": media, "Content-Type": "application/x-www-form-urlencoded"})
        try:
            with urlopen(request, timeout=self.timeout) as response:
                body = response.read(MAX_RESULT_BYTES + 1)
                kind = response.headers.get("Content-Type") or media
        except HTTPError as exc:
            detail = exc.read(4096).decode("utf-8", "replace").strip().splitlines()
            return _text(HTTPStatus.BAD_REQUEST if exc.code < 500 else HTTPStatus.BAD_GATEWAY, f"the SPARQL server answered {exc.code}: {detail[0][:300] if detail else exc.reason}")
        except TimeoutError:
            return _text(HTTPStatus.SERVICE_UNAVAILABLE, f"query stopped after {self.timeout:g} s (kg serve --timeout)")
        except (URLError, OSError) as exc:
            return _text(HTTPStatus.BAD_GATEWAY, f"the SPARQL server cannot be reached: {getattr(exc, 'reason', exc)}")
        if len(body) > MAX_RESULT_BYTES:
            return _text(HTTPStatus.INTERNAL_SERVER_ERROR, "the result is too large")
        return HTTPStatus.OK, kind, body

    def close(self) -> None:
        pass


class _Stores:
    """The store the explorer reads: a SPARQL server as it is, or the embedded store opened
    read-only and opened again when its files changed (a build since), so pages show the store
    as it is now, as the endpoint's query processes do."""

    def __init__(self, location: str):
        self.location, self.lock, self.store, self.seen = location, threading.Lock(), None, None

    def _stamp(self):
        folder = Path(self.location)
        return tuple(sorted((f.name, f.stat().st_mtime_ns, f.stat().st_size) for f in folder.iterdir() if f.name in ("CURRENT", "IDENTITY") or f.suffix == ".log" or f.name.startswith("MANIFEST")))

    def __call__(self):
        from kg.graph.store import OxigraphStore, open_store

        if "://" in self.location:
            if self.store is None:
                self.store = open_store(self.location, read_only=True)
            return self.store
        with self.lock:
            stamp = self._stamp()
            if self.store is None or stamp != self.seen:
                self.store, self.seen = OxigraphStore(self.location, read_only=True), stamp
            return self.store


def allowed_hosts(bind: str) -> tuple[str, ...]:
    """The names a request may give in its Host header: the address bound and the local names;
    any, when every interface is bound (0.0.0.0, ::), where the names are the network's."""
    if bind in ("0.0.0.0", "::", ""):
        return ("*",)
    return tuple(dict.fromkeys((bind.strip("[]"), "localhost", "127.0.0.1", "::1")))


def serve(location: Path | str, host: str, port: int, timeout: float | None, memory: int | None, allow_service: bool) -> None:
    """Serve the explorer and /query until interrupted (SIGINT, SIGTERM: uvicorn stops, then
    raises the signal again for the caller, which turns both into exceptions)."""
    import uvicorn

    from kg.views.explorer.app import AccessLog, make_app

    remote = "://" in str(location)
    if remote:
        from kg.graph.store import open_store

        endpoint = RemoteEndpoint(open_store(str(location), read_only=True), timeout, allow_service)
    else:
        endpoint = Endpoint(Path(location), timeout, memory, allow_service)
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
        app = AccessLog(make_app(_Stores(str(location)), endpoint, str(location), MAX_BODY, allowed_hosts(host)))
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off", timeout_graceful_shutdown=2,
                                server_header=False)
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()
        endpoint.close()
