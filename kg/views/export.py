"""Exports for other tools: RDF formats, GraphML/GEXF for Gephi, CSV for pandas and Neo4j."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import networkx as nx
import pyoxigraph as ox

from kg.graph.store import GraphStore
from kg.io import atomic_write_bytes, atomic_write_files
from kg.views.network import to_networkx

RDF_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}
FORMATS = (*RDF_FORMATS, "json-ld", "graphml", "gexf", "csv")


def _rdf(store: GraphStore, fmt: str) -> bytes:
    nquads = store.dump("N_QUADS")
    if fmt == "nquads":
        return nquads
    if fmt == "json-ld":
        from rdflib import Dataset

        return Dataset().parse(data=nquads, format="nquads").serialize(format="json-ld", encoding="utf-8")
    quads = ox.parse(nquads, format=ox.RdfFormat.N_QUADS)
    if RDF_FORMATS[fmt].supports_datasets:
        return ox.serialize(quads, format=RDF_FORMATS[fmt])
    triples = dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in quads)  # the union, once each
    return ox.serialize(triples, format=RDF_FORMATS[fmt], prefixes=_prefixes())


def _prefixes() -> dict[str, str]:
    from kg.graph.vocab import PREFIXES

    return {k: str(v) for k, v in PREFIXES.items()}


# what XML 1.0 cannot carry at all (C0 controls but tab and line breaks, U+FFFE/FFFF, surrogates);
# CSV readers stop at the same controls (NUL above all)
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def safe_text(value: str) -> str:
    """``value`` with each character GraphML, GEXF and CSV cannot carry replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", value)


def _flat(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """GraphML and GEXF take no lists or None and no control characters: join lists, blank the
    missing, replace what XML cannot carry (in ids too)."""
    flat = nx.relabel_nodes(graph, {n: safe_text(n) for n in graph if isinstance(n, str) and _NOT_XML.search(n)}, copy=True)
    for _, data in list(flat.nodes(data=True)) + [(None, d) for *_, d in flat.edges(data=True)]:
        for key, value in data.items():
            if isinstance(value, (list, tuple, set)):
                value = "; ".join(map(str, value))
            elif value is None:
                value = ""
            data[key] = safe_text(value) if isinstance(value, str) else value
    return flat


def _csv(rows: list[list], header: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def export(store: GraphStore, fmt: str, path: str | Path) -> list[Path]:
    """Write the store in ``fmt`` to ``path`` (for ``csv``, a folder with nodes.csv and edges.csv)."""
    path = Path(path)
    if fmt in RDF_FORMATS or fmt == "json-ld":
        return [atomic_write_bytes(path, _rdf(store, fmt))]
    graph = _flat(to_networkx(store))
    if fmt in ("graphml", "gexf"):
        buffer = io.BytesIO()
        (nx.write_graphml if fmt == "graphml" else nx.write_gexf)(graph, buffer)
        return [atomic_write_bytes(path, buffer.getvalue())]
    if fmt == "csv":  # headers that both pandas and neo4j-admin import read
        nodes = [[n, d["type"], d["label"], d["subtype"], d["date"], d["venue"]] for n, d in graph.nodes(data=True)]
        edges = [[u, v, d["relation"], d["role"], d["date"], d["venue"], d["article"], d["evidence"], d["list"], d["position"]] for u, v, d in graph.edges(data=True)]
        return atomic_write_files(path, {  # both or neither: never a new nodes.csv beside an old edges.csv
            "nodes.csv": _csv(nodes, ["id:ID", ":LABEL", "label", "subtype", "date", "venue"]).encode("utf-8"),
            "edges.csv": _csv(edges, [":START_ID", ":END_ID", ":TYPE", "role", "date", "venue", "article", "evidence", "list", "position:int"]).encode("utf-8"),
        })
    raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
