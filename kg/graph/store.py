"""Graph stores behind one small interface, chosen by name (like rdflib's store plugins).

``oxigraph`` (default): an embedded Oxigraph store in a folder; fast SPARQL, one named graph
per article, the union of all graphs as the default graph of every query.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from kg.graph.vocab import SHARED_GRAPH

_MENTIONS = "https://schema.org/mentions"
UPDATE_KEYWORDS = ("INSERT", "DELETE", "DROP", "LOAD", "CLEAR", "CREATE", "ADD", "MOVE", "COPY")


class StoreError(Exception):
    pass


class GraphStore(Protocol):
    def replace_graph(self, graph: str, ntriples: bytes, shared: bytes = b"") -> None:
        """Make ``graph`` hold exactly ``ntriples`` and add ``shared`` to the shared graph, in one
        transaction: a build killed at any moment leaves each article either as it was or as it
        is now."""

    def has_graph(self, graph: str) -> bool: ...

    def query(self, sparql: str, limit: int | None = None) -> tuple[list[str], list[list]]:
        """Run a read-only query: (column names, rows of Python values), at most ``limit`` rows."""

    def dump(self, fmt: str) -> bytes: ...

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


class OxigraphStore:
    """The embedded default: pyoxigraph on disk (or in memory when ``path`` is None)."""

    def __init__(self, path: str | Path | None, read_only: bool = False):
        self.path = Path(path) if path is not None else None
        try:
            if self.path is None:
                self._store = ox.Store()
            elif read_only:
                if not self.path.exists():
                    raise StoreError(f"{self.path}: no store here (run 'kg build' first)")
                self._store = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot open the store ({exc})") from None

    def replace_graph(self, graph: str, ntriples: bytes, shared: bytes = b"") -> None:
        # One SPARQL update is one transaction in Oxigraph. The graph IRIs are ours; the triples
        # are N-Triples from a serialiser, whose escaping is valid SPARQL: no text is spliced raw.
        target, common = ox.NamedNode(graph), ox.NamedNode(str(SHARED_GRAPH))
        self._store.update(
            # entities that only this article's old version named leave the shared graph with it
            f"DELETE {{ GRAPH {common} {{ ?x ?p ?o }} }} WHERE {{ GRAPH {target} {{ ?a <{_MENTIONS}> ?x }}"
            f" FILTER NOT EXISTS {{ GRAPH ?h {{ ?b <{_MENTIONS}> ?x }} FILTER(?h != {target}) }}"
            f" GRAPH {common} {{ ?x ?p ?o }} }} ;\n"
            f"DROP SILENT GRAPH {target} ;\n"
            f"INSERT DATA {{ GRAPH {target} {{\n{ntriples.decode()}\n}}\nGRAPH {common} {{\n{shared.decode()}\n}} }}"
        )

    def has_graph(self, graph: str) -> bool:
        return self._store.contains_named_graph(ox.NamedNode(graph))

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

    def quads(self) -> Iterator:
        return self._store.quads_for_pattern(None, None, None, None)

    def dump(self, fmt: str) -> bytes:
        return self._store.dump(format=getattr(ox.RdfFormat, fmt))

    def count(self) -> int:
        return len(self._store)

    def close(self) -> None:
        del self._store  # releases the folder's lock


STORES: dict[str, Callable[..., GraphStore]] = {"oxigraph": OxigraphStore}


def open_store(location: str | Path, read_only: bool = False, kind: str = "oxigraph") -> GraphStore:
    """The store of an output folder (``OUT/store``), or a store folder named directly."""
    path = Path(location)
    if not read_only or (path / "store").is_dir():
        path = path / "store"
    return STORES[kind](path, read_only=read_only)


def is_update(sparql: str) -> bool:
    """Whether a request would change the store (refused unless asked for)."""
    body = re.sub(r"#[^\n]*|\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|<[^>\s]*>", " ", sparql)
    return re.search(rf"\b({'|'.join(UPDATE_KEYWORDS)})\b", body, re.IGNORECASE) is not None
