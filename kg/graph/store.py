"""Graph stores behind one small interface, chosen by location (like rdflib's store plugins).

A folder: the embedded Oxigraph store (the default, ``OUT/store``). ``sparql+http://…``: any
SPARQL 1.1 server (Oxigraph server, Virtuoso). Either way one named graph per article plus the
shared entities graph, and the union of all graphs as the default graph of every query.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from itertools import islice
from pathlib import Path
from typing import Protocol, TypeVar

import pyoxigraph as ox

from kg.graph.pending import PENDING, old_entries
from kg.graph.vocab import KGR, SCHEMA, SHARED_GRAPH

T = TypeVar("T")

# what an article names or describes in the shared graph (kg/graph/rdf.py)
_NAMES = "(<https://schema.org/mentions>|<https://w3id.org/kg-news/ontology#describes>)"


class StoreError(Exception):
    pass


class GraphStore(Protocol):
    """What kg asks of a store. A store that can answer several queries at once from threads
    says how many with a ``read_threads`` attribute (the embedded Oxigraph store does;
    ``read_threads``)."""

    def replace_graph(self, graph: str, ntriples: bytes, shared: bytes = b"", forgotten: list[str] | None = None, pending: bytes | None = None) -> None:
        """Make ``graph`` hold exactly ``ntriples`` and add ``shared`` to the shared graph, in one
        transaction: a build killed at any moment leaves each article either as it was or as it
        is now. See ``replace_graph_update`` for ``forgotten``; ``pending``: the new version's
        keys for the next pass across articles (kg/graph/pending.py), the old one's added too."""

    def change_graph(self, graph: str, removed: bytes, added: bytes, shared: bytes = b"", forgotten: list[str] | None = None) -> None:
        """Take ``removed`` out of ``graph`` and put ``added`` in, as ``replace_graph`` does
        but writing only what changes (a rewrite by the pass across articles renames a few
        nodes of an article's hundreds of triples)."""

    def construct(self, sparql: str) -> bytes:
        """The triples of a CONSTRUCT query, as N-Triples (every term as it is stored)."""

    def add_graphs(self, items: list) -> None:
        """Add the graphs of new articles (``ArticleTriples``), as fast as the store allows;
        each article's marker and pending keys last, so an interrupted load is redone on resume."""

    def update(self, sparql: str) -> None:
        """Run a SPARQL update (one transaction)."""

    def query(self, sparql: str, limit: int | None = None) -> tuple[list[str], list[list]]:
        """Run a read-only query: (column names, rows of Python values), at most ``limit`` rows."""

    def dump(self, fmt: str) -> bytes: ...

    def compact(self) -> None:
        """Make the store as small and quick to read as it can be, after a build."""

    def count(self) -> int: ...

    def close(self) -> None: ...


_XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMBERS = {f"{_XSD}{t}": int for t in ("integer", "int", "long", "nonNegativeInteger")} | {f"{_XSD}{t}": float for t in ("decimal", "double", "float")}


def _python(term) -> object:
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        convert = _NUMBERS.get(term.datatype.value)
        return convert(term.value) if convert else term.value
    return term.value if hasattr(term, "value") else str(term)


def replace_graph_update(graph: str, ntriples: bytes, shared: bytes, forgotten: list[str] | None = None, pending: bytes | None = None) -> str:
    """The SPARQL update that replaces one article's graph, for every store.

    Entities that only the article's old version named leave the shared graph with it; when
    the caller knows which entities the new version no longer names (``forgotten``), only
    those are looked at. The graph IRIs are ours; the triples are N-Triples from a
    serialiser, whose escaping is valid SPARQL: no article text is spliced in raw.
    """
    target = ox.NamedNode(graph)  # a validated IRI
    keys = old_entries(target) if pending is not None else ""
    return _operations(keys, _cleanup(target, forgotten), f"DROP SILENT GRAPH {target}", _insert(target, ntriples, shared, pending or b""))


def change_graph_update(graph: str, removed: bytes, added: bytes, shared: bytes, forgotten: list[str]) -> str:
    """The SPARQL update of ``GraphStore.change_graph``, for every store (see ``replace_graph_update``)."""
    target = ox.NamedNode(graph)
    delete = f"DELETE DATA {{ GRAPH {target} {{\n{removed.decode()}\n}} }}" if removed.strip() else ""
    return _operations(_cleanup(target, forgotten), delete, _insert(target, added, shared))


def _operations(*operations: str) -> str:
    """One update (one transaction) of the operations that are not empty."""
    return " ;\n".join(op for op in operations if op)


def _cleanup(target: ox.NamedNode, forgotten: list[str] | None) -> str:
    if forgotten == []:
        return ""
    common = ox.NamedNode(str(SHARED_GRAPH))
    named = f"GRAPH {target} {{ ?a {_NAMES} ?x }}" if forgotten is None else f"VALUES ?x {{ {' '.join(str(ox.NamedNode(x)) for x in forgotten)} }}"
    return (
        f"DELETE {{ GRAPH {common} {{ ?x ?p ?o }} }} WHERE {{ {named}"
        f" FILTER NOT EXISTS {{ GRAPH ?h {{ ?b {_NAMES} ?x }} FILTER(?h != {target}) }}"
        f" GRAPH {common} {{ ?x ?p ?o }} }}"
    )


def _insert(target: ox.NamedNode, ntriples: bytes, shared: bytes, pending: bytes = b"") -> str:
    blocks = [(target, ntriples), (ox.NamedNode(str(SHARED_GRAPH)), shared), (ox.NamedNode(str(PENDING)), pending)]
    inserted = "".join(f"GRAPH {g} {{\n{data.decode()}\n}}\n" for g, data in blocks if data.strip())  # Virtuoso refuses an empty block
    return f"INSERT DATA {{ {inserted}}}" if inserted else ""


def article_count(store: GraphStore) -> int:
    """The articles a store holds (not its quads: counting 7.5 million of them reads the whole store)."""
    return int(store.query(f"SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ ?a a <{SCHEMA.NewsArticle}> }}")[1][0][0])


QUERY_THREADS = min(8, len(os.sched_getaffinity(0)))  # an embedded store's queries read side by side: the cores this process may use
VALUES_AT_ONCE = 1000  # terms in one VALUES block at most
VALUES_FEWEST = 50  # terms in a VALUES block, at least, when blocks are made for threads


READ_AHEAD_SHARE = 0.25  # a store is read ahead only when its files take at most this share of the machine's memory
_READ_AHEAD_CHUNK = 1 << 24


def read_ahead(store: GraphStore) -> Callable[[], None]:
    """Start reading ``store``'s files into the page cache, in the background; the function
    returned waits until they are read. A pass across articles after a few added and the
    picture read entries scattered over the whole store, and a page the system let go of
    since the last run is a wait for the disk each time (a year's store left idle: pass 13.4 s and
    picture 10.0 s, against 6.6 s and 4.9 s from the cache); its 2 GB read in order take some
    2.5 s, while the new articles are extracted. A store that says nothing (a server: its
    cache is its own) or whose files would take more than ``READ_AHEAD_SHARE`` of the memory
    is not read."""
    files = getattr(store, "files", list)()
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        memory = 0
    if not files or sum(size for _, size in files) > READ_AHEAD_SHARE * memory:
        return lambda: None

    def read() -> None:
        with open(os.devnull, "wb", buffering=0) as null:
            for path, size in files:
                try:  # a file compacted away meanwhile is not needed
                    with open(path, "rb", buffering=0) as f:
                        _read_into_cache(f, size, null)
                except OSError:
                    continue

    reader = threading.Thread(target=read, name="kg-read-ahead", daemon=True)
    reader.start()
    return reader.join


def _read_into_cache(f, size: int, null) -> None:
    """Read ``f`` into the page cache: sent to /dev/null by the kernel where it can (Linux's
    sendfile: no copy, a twentieth of the system time of reading it here), else read."""
    try:
        offset = 0
        while offset < size and (sent := os.sendfile(null.fileno(), f.fileno(), offset, _READ_AHEAD_CHUNK)):
            offset += sent
    except (OSError, AttributeError):  # no sendfile to a file on this system
        buffer = bytearray(_READ_AHEAD_CHUNK)
        while f.readinto(buffer):
            pass


def read_threads(store: GraphStore) -> int:
    """How many queries ``store`` is asked at once (its ``read_threads``; one for a store that
    does not say: a server's slots, a plugin's thread safety are not ours to assume)."""
    return max(1, getattr(store, "read_threads", 1))


def query_all(store: GraphStore, queries: list[str]) -> list[list[list]]:
    """The rows of each query ("" for none), ``read_threads(store)`` queries run side by side in
    threads (Oxigraph evaluates them without holding Python's lock)."""
    asked = [q for q in queries if q]
    threads = min(read_threads(store), len(asked))
    if threads < 2:
        answers = iter([store.query(q)[1] for q in asked])
    else:
        with ThreadPoolExecutor(threads) as pool:
            answers = iter([rows for _, rows in pool.map(store.query, asked)])
    return [next(answers) if q else [] for q in queries]


def query_groups(store: GraphStore, groups: list[list[str]]) -> list[list[list]]:
    """The rows of each group of queries (a query's VALUES blocks) together, all read side by side."""
    answers = iter(query_all(store, [q for group in groups for q in group]))
    return [[row for _ in group for row in next(answers)] for group in groups]


def values_queries(fill: Callable[[str], str], variable: str, terms: list[str], threads: int = 1) -> list[str]:
    """A query per VALUES block of ``terms`` (written as SPARQL terms) of ``variable``: ``fill``
    puts the block into the query. (Oxigraph joins a VALUES block to the patterns in the order
    written: the pattern of the variable restricted comes first in each query, or each term
    scans all of them.)"""
    return [fill(f"VALUES ?{variable} {{ {' '.join(block)} }}") for block in values_blocks(terms, VALUES_AT_ONCE, threads)]


def values_blocks(terms: list, most: int, threads: int = 1) -> list[list]:
    """``terms`` in blocks of at most ``most`` for the VALUES of queries read ``threads`` at a
    time (``query_all``): when there are enough terms, blocks of like size, as many as a
    multiple of the threads."""
    if not terms:
        return []
    count = -(-len(terms) // most)
    if threads > 1 and len(terms) >= threads * VALUES_FEWEST:
        count = -(-max(count, threads) // threads) * threads
    size = -(-len(terms) // count)
    return [terms[i : i + size] for i in range(0, len(terms), size)]


READ_TRIES = 5  # a read of a store being written: of 100 reads beside a writer flushing after each write, 49 failed once, none five times


def read_while_written(read: Callable[[], T]) -> T:
    """``read()`` of an Oxigraph store another process may be writing, from a read-only view it
    opens itself: the view lists the files of the moment, and the writer's compaction may remove
    one before it is read (RocksDB's "No such file or directory"), so it is read again, from a
    fresh view."""
    import time

    for attempt in range(1, READ_TRIES):
        try:
            return read()
        except (RuntimeError, OSError) as exc:
            if "No such file or directory" not in str(exc):
                raise
            time.sleep(0.05 * attempt)
    return read()


WRITES_PER_FLUSH = 1_000  # transactions between flushes of an Oxigraph store's write buffers


class OxigraphStore:
    """The embedded default: pyoxigraph on disk (or in memory when ``path`` is None).

    Its write buffers are flushed to disk every ``WRITES_PER_FLUSH`` transactions: RocksDB
    flushes them in the background only when they are large: during the first pass across a
    year of articles (10,079 articles rewritten, one transaction each) they grew by 346 MB, and
    flushed every thousand transactions by 93 MB, in the same time."""

    read_threads = QUERY_THREADS

    def __init__(self, path: str | Path | None, read_only: bool = False):
        self.path = Path(path) if path is not None else None
        self.writer: str | None = None
        self._writes = 0
        try:
            if self.path is None:
                self._store = ox.Store()
            elif read_only:
                if not self.path.exists():
                    raise StoreError(f"{self.path}: no store here (run 'kg build' first)")
                self._store = ox.Store.read_only(str(self.path))
                # a process writing the store now (kg build): what is read is the store as it was
                # when opened, the articles stored so far; readers say so (kg.cli._reading)
                self.writer = lock_holder(self.path)
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except OSError as exc:
            if "LOCK" in str(exc):
                raise StoreError(f"{self.path}: the store is in use by {lock_holder(self.path) or 'another process'}; wait for it to end (or stop it), then run this again") from None
            raise StoreError(f"{self.path}: cannot open the store ({exc})") from None

    def replace_graph(self, graph: str, ntriples: bytes, shared: bytes = b"", forgotten: list[str] | None = None, pending: bytes | None = None) -> None:
        self.update(replace_graph_update(graph, ntriples, shared, forgotten, pending))  # one transaction

    def update(self, sparql: str) -> None:
        self._store.update(sparql)
        self._wrote()

    def change_graph(self, graph: str, removed: bytes, added: bytes, shared: bytes = b"", forgotten: list[str] | None = None) -> None:
        if update := change_graph_update(graph, removed, added, shared, forgotten or []):
            self.update(update)

    def _wrote(self) -> None:
        self._writes += 1
        if self._writes % WRITES_PER_FLUSH == 0 and self.path is not None:
            self._store.flush()

    def add_graphs(self, items: list) -> None:
        def quads(data: bytes, graph: str):
            node = ox.NamedNode(graph)
            return (ox.Quad(t.subject, t.predicate, t.object, node) for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES))

        shared = str(SHARED_GRAPH)
        # the bulk loader is fast but not transactional: markers follow in a transaction of their own
        self._store.bulk_extend(q for item in items for data, graph in ((item.triples, item.graph), (item.shared, shared)) for q in quads(data, graph))
        self._store.extend([q for item in items for data, graph in ((item.marker, item.graph), (item.pending, str(PENDING))) for q in quads(data, graph)])
        self._wrote()

    def construct(self, sparql: str) -> bytes:
        return ox.serialize(self._store.query(sparql), format=ox.RdfFormat.N_TRIPLES)

    def query(self, sparql: str, limit: int | None = None) -> tuple[list[str], list[list]]:
        try:
            result = self._store.query(sparql, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise StoreError(f"SPARQL syntax error: {str(exc).splitlines()[0]}") from None
        if isinstance(result, ox.QueryBoolean):
            return ["ask"], [[bool(result)]]
        if isinstance(result, ox.QueryTriples):
            triples = islice(result, limit)
            return ["subject", "predicate", "object"], [[_python(t.subject), _python(t.predicate), _python(t.object)] for t in triples]
        columns = [v.value for v in result.variables]
        return columns, [[_python(row[c]) for c in columns] for row in islice(result, limit)]

    def dump(self, fmt: str) -> bytes:
        return self._store.dump(format=getattr(ox.RdfFormat, fmt))

    def compact(self) -> None:
        # RocksDB's levels after bulk loads and a pass of small updates hold every quad some
        # three times over (1,536 articles: 738 MB, 227 MB compacted, in 3.6 s)
        self._store.optimize()

    def count(self) -> int:
        return len(self._store)

    def files(self) -> list[tuple[Path, int]]:
        """The store's files on disk with their sizes (none in memory): what ``read_ahead`` reads."""
        if self.path is None:
            return []
        found = []
        for f in sorted(self.path.iterdir()):
            try:
                if f.is_file():
                    found.append((f, f.stat().st_size))
            except OSError:  # compacted away meanwhile
                continue
        return found

    def close(self) -> None:
        del self._store  # releases the folder's lock


def lock_holder(path: Path) -> str | None:
    """Which process holds a store's lock (``pid 123: kg build …``), found by its open files."""
    lock = os.path.realpath(path / "LOCK")
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if int(proc.name) == os.getpid():
                continue
            if any(os.readlink(fd) == lock for fd in (proc / "fd").iterdir()):
                command = " ".join((proc / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace").split())  # one line
                return f"process {proc.name} ({command[:120]})"
        except OSError:
            continue
    return None


class SparqlHttpStore:
    """Any SPARQL 1.1 server over HTTP (``sparql+http://HOST:PORT/PATH``): the Protocol for
    queries, Update for loading. ``…/sparql`` serves both (Virtuoso); otherwise ``PATH/query``
    and ``PATH/update`` (the Oxigraph server)."""

    def __init__(self, url: str, read_only: bool = False, timeout: float = 600):
        base = url.removeprefix("sparql+")
        self.url, self.timeout = base, timeout
        if base.rstrip("/").endswith("/sparql"):
            self.query_url = self.update_url = base
        else:
            self.query_url, self.update_url = base.rstrip("/") + "/query", base.rstrip("/") + "/update"

    def _post(self, url: str, form: dict[str, str], accept: str) -> bytes:
        from urllib.error import HTTPError, URLError
        from urllib.parse import urlencode
        from urllib.request import Request, urlopen

        request = Request(url, data=urlencode(form).encode(), headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"})
        try:
            with urlopen(request, timeout=self.timeout) as response:
                return response.read()
        except HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip().splitlines()
            raise StoreError(f"{url}: HTTP {exc.code} {detail[0][:200] if detail else exc.reason}") from None
        except (URLError, OSError) as exc:
            raise StoreError(f"{url}: {getattr(exc, 'reason', exc)}") from None

    def replace_graph(self, graph: str, ntriples: bytes, shared: bytes = b"", forgotten: list[str] | None = None, pending: bytes | None = None) -> None:
        self._post(self.update_url, {"update": replace_graph_update(graph, ntriples, shared, forgotten, pending)}, "*/*")

    def update(self, sparql: str) -> None:
        self._post(self.update_url, {"update": sparql}, "*/*")

    def change_graph(self, graph: str, removed: bytes, added: bytes, shared: bytes = b"", forgotten: list[str] | None = None) -> None:
        if update := change_graph_update(graph, removed, added, shared, forgotten or []):
            self._post(self.update_url, {"update": update}, "*/*")

    def add_graphs(self, items: list) -> None:
        for item in items:  # one update each: the protocol has no portable bulk load
            self.replace_graph(item.graph, item.triples + item.marker, item.shared, pending=item.pending)

    def construct(self, sparql: str) -> bytes:
        return self._post(self.query_url, {"query": sparql}, "application/n-triples")

    def query(self, sparql: str, limit: int | None = None) -> tuple[list[str], list[list]]:
        form = {"query": sparql, "union-default-graph": "true"}  # Oxigraph's flag; others ignore it
        body = self._post(self.query_url, form, "application/sparql-results+json, application/n-triples;q=0.9")
        if not body.lstrip().startswith(b"{"):
            triples = islice(ox.parse(body, format=ox.RdfFormat.N_TRIPLES), limit)
            return ["subject", "predicate", "object"], [[_python(t.subject), _python(t.predicate), _python(t.object)] for t in triples]
        parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        if isinstance(parsed, ox.QueryBoolean):
            return ["ask"], [[bool(parsed)]]
        columns = [v.value for v in parsed.variables]
        return columns, [[_python(row[c]) for c in columns] for row in islice(parsed, limit)]

    def dump(self, fmt: str) -> bytes:
        body = self._post(self.query_url, {"query": f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_OURS} }}"}, "application/sparql-results+json")
        quads = [ox.Quad(row["s"], row["p"], row["o"], row["g"]) for row in ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)]
        return ox.serialize(quads, format=getattr(ox.RdfFormat, fmt))

    def compact(self) -> None:
        pass  # the server's own business

    def count(self) -> int:
        return self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_OURS} }}")[1][0][0]

    def close(self) -> None:
        pass


# a server holds other graphs too (Virtuoso's system graphs): dumps and counts are of ours
_OURS = f'FILTER(STRSTARTS(STR(?g), "{KGR}graph/"))'


STORES: dict[str, Callable[..., GraphStore]] = {"oxigraph": OxigraphStore, "sparql+http": SparqlHttpStore, "sparql+https": SparqlHttpStore}


def open_store(location: str | Path, read_only: bool = False) -> GraphStore:
    """A SPARQL server by URL, the store of an output folder (``OUT/store``), or a store folder."""
    scheme = str(location).split("://", 1)[0] if "://" in str(location) else "oxigraph"
    if scheme != "oxigraph":
        if scheme not in STORES:
            raise StoreError(f"{location}: unknown store; use a folder or sparql+http://HOST:PORT/…")
        return STORES[scheme](str(location), read_only=read_only)
    path = Path(location)
    if not read_only or (path / "store").is_dir():
        path = path / "store"
    return OxigraphStore(path, read_only=read_only)


def oxigraph_binary() -> str | None:
    """The Oxigraph server from PyPI, on PATH or beside this Python (an unactivated venv)."""
    import shutil
    import sys

    return shutil.which("oxigraph") or shutil.which("oxigraph", path=str(Path(sys.executable).parent))
