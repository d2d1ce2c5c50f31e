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
EXTENSIONS = {".ttl": "turtle", ".turtle": "turtle", ".nt": "nt", ".nq": "nquads", ".nquads": "nquads", ".trig": "trig",
              ".jsonld": "json-ld", ".json": "json-ld", ".graphml": "graphml", ".gexf": "gexf", ".csv": "csv"}
STDOUT = "-"


def format_of(path: str | Path, fmt: str | None = None) -> str:
    """``fmt``, else the format the extension of ``path`` names (kg.gexf: gexf); a folder is csv."""
    if fmt:
        return fmt
    if str(path) == STDOUT:
        raise ValueError("-o - (stdout) needs --format: " + ", ".join(f for f in FORMATS if f != "csv"))
    suffix = Path(path).suffix.lower()
    if suffix in EXTENSIONS:
        return EXTENSIONS[suffix]
    if Path(path).is_dir() or str(path).endswith("/") or not suffix:
        return "csv"
    raise ValueError(f"cannot tell the export format from {str(path)!r}; give --format ({', '.join(FORMATS)}) or one of the extensions {' '.join(EXTENSIONS)}")


# kg's own spaces of IRIs, each a prefix of its own in Turtle and TriG, so that no name needs
# an escaped slash (kgr:graph\/article\/…)
_ID_SPACES = {"kgg": "graph/article/", "kgr": "", "kga": "article/", "kgp": "person/", "kgorg": "organization/", "kgpl": "place/",
              "kgev": "event/", "kgpost": "post/", "kgm": "membership/", "kgx": "extractor/"}
_STANDARD = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
             "xsd": "http://www.w3.org/2001/XMLSchema#", "owl": "http://www.w3.org/2002/07/owl#", "skos": "http://www.w3.org/2004/02/skos/core#",
             "time": "http://www.w3.org/2006/time#"}


def _prefixes(quads=()) -> dict[str, str]:
    """The prefixes of kg's vocabularies and standard ones, and one per space of kg's IRIs that
    the quads use (``kgr:graph/entities`` has no slash once the space ``graph/`` has a prefix)."""
    from kg.graph.vocab import KGR, PREFIXES

    prefixes = {**_STANDARD, **{k: str(v) for k, v in PREFIXES.items() if k != "kgr"}}
    spaces = set()
    for q in quads:
        for term in (q.subject, q.object, q.graph_name) if isinstance(q, ox.Quad) else (q.subject, q.object):
            if isinstance(term, ox.NamedNode) and term.value.startswith(str(KGR)):
                path = term.value[len(str(KGR)) :]
                spaces.add("graph/article/" if path.startswith("graph/article/") else path[: path.find("/") + 1])
    for space in sorted(spaces):
        name = next((p for p, s in _ID_SPACES.items() if s == space), None) or "kgr-" + space.strip("/").replace("/", "-")
        prefixes[name] = str(KGR) + space
    return prefixes


_PREFIXED_NAME = re.compile(r"(?<![\w\\:<\"])(?P<prefix>kg[\w-]*):(?P<local>(?:[\w.%-]|\\[^\s])+)")
_ESCAPE = re.compile(r"\\(.)")


def _clean_names(text: bytes, prefixes: dict[str, str]) -> bytes:
    """Oxigraph escapes in prefixed names what need not be (``kga:a\\%2Fb``, a quoted id, is
    ``kga:a%2Fb``); a name deeper than its space (``membership/…/during``) is written whole."""

    def clean(match: re.Match) -> str:
        prefix, local = match["prefix"], match["local"]
        if prefix not in prefixes or "\\" not in local:
            return match[0]
        if "/" in _ESCAPE.findall(local):
            return "<" + prefixes[prefix] + _ESCAPE.sub(r"\1", local) + ">"
        return f"{prefix}:{_ESCAPE.sub(lambda e: e[1] if e[1] == '%' else e[0], local)}"

    return _PREFIXED_NAME.sub(clean, text.decode("utf-8")).encode("utf-8")


def _rdf(store: GraphStore, fmt: str) -> bytes:
    nquads = store.dump("N_QUADS")
    if fmt == "nquads":
        return nquads
    quads = list(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
    if fmt == "json-ld":
        return json_ld(quads)
    if not RDF_FORMATS[fmt].supports_datasets:
        quads = list(dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in quads))  # the union, once each
    if fmt == "nt":
        return ox.serialize(quads, format=RDF_FORMATS[fmt])
    prefixes = _prefixes(quads)
    return _clean_names(ox.serialize(quads, format=RDF_FORMATS[fmt], prefixes=prefixes), prefixes)


def json_ld(quads: list) -> bytes:
    """Compact JSON-LD: a ``@context`` of prefixes, one ``@graph`` per named graph, each node
    once in it with its properties; IRIs as compact IRIs (``kgp:…``, ``schema:name``)."""
    import json

    prefixes = _prefixes(quads)
    by_length = sorted(prefixes.items(), key=lambda item: -len(item[1]))
    compacted: dict[str, str] = {}

    def iri(value: str) -> str:
        if value not in compacted:
            compacted[value] = next((f"{p}:{value[len(ns):]}" for p, ns in by_length if value.startswith(ns) and not value[len(ns):].startswith("//")), value)
        return compacted[value]

    def term(t):
        if isinstance(t, ox.NamedNode):
            return {"@id": iri(t.value)}
        if isinstance(t, ox.BlankNode):
            return {"@id": f"_:{t.value}"}
        if t.language:
            return {"@value": t.value, "@language": t.language}
        if t.datatype.value == _STANDARD["xsd"] + "string":
            return t.value
        return {"@value": t.value, "@type": iri(t.datatype.value)}

    graphs: dict[str, dict[str, dict]] = {}
    for q in quads:
        graph = "" if isinstance(q.graph_name, ox.DefaultGraph) else iri(q.graph_name.value)
        subject = iri(q.subject.value) if isinstance(q.subject, ox.NamedNode) else f"_:{q.subject.value}"
        node = graphs.setdefault(graph, {}).setdefault(subject, {"@id": subject})
        if q.predicate.value == _STANDARD["rdf"] + "type" and isinstance(q.object, ox.NamedNode):
            node.setdefault("@type", []).append(iri(q.object.value))
        else:
            node.setdefault(iri(q.predicate.value), []).append(term(q.object))
    document = {"@context": prefixes, "@graph": [*graphs.pop("", {}).values(), *({"@id": g, "@graph": list(nodes.values())} for g, nodes in graphs.items())]}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


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


def _write(path: str | Path, data: bytes) -> list[Path]:
    if str(path) == STDOUT:
        import sys

        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return []
    return [atomic_write_bytes(path, data)]


def export(store: GraphStore, fmt: str | None, path: str | Path) -> list[Path]:
    """Write the store in ``fmt`` (default: as the extension of ``path`` says) to ``path``, ``-``
    for stdout. ``csv`` writes nodes.csv and edges.csv into the folder ``path``, or
    ``NAME.nodes.csv`` and ``NAME.edges.csv`` for ``path`` ``NAME.csv``."""
    fmt = format_of(path, fmt)
    if fmt in RDF_FORMATS or fmt == "json-ld":
        return _write(path, _rdf(store, fmt))
    graph = _flat(to_networkx(store))
    if fmt in ("graphml", "gexf"):
        buffer = io.BytesIO()
        (nx.write_graphml if fmt == "graphml" else nx.write_gexf)(graph, buffer)
        return _write(path, buffer.getvalue())
    if fmt == "csv":  # headers that both pandas and neo4j-admin import read
        if str(path) == STDOUT:
            raise ValueError("csv is two files (nodes and edges): give a folder, or NAME.csv for NAME.nodes.csv and NAME.edges.csv")
        nodes = [[n, d["type"], d["label"], d["subtype"], d["date"], d["venue"], d["types"], d["posts"]] for n, d in graph.nodes(data=True)]
        edges = [[u, v, d["relation"], d["role"], d["date"], d["venue"], d["article"], d["evidence"], d["list"], d["position"]] for u, v, d in graph.edges(data=True)]
        files = {
            "nodes.csv": _csv(nodes, ["id:ID", ":LABEL", "label", "subtype", "date", "venue", "types", "posts"]).encode("utf-8"),
            "edges.csv": _csv(edges, [":START_ID", ":END_ID", ":TYPE", "role", "date", "venue", "article", "evidence", "list", "position:int"]).encode("utf-8"),
        }
        path = Path(path)
        if path.suffix.lower() == ".csv":  # kg.csv: kg.nodes.csv and kg.edges.csv beside each other
            return [atomic_write_bytes(path.with_name(f"{path.stem}.{name}"), data) for name, data in files.items()]
        return atomic_write_files(path, files)  # both or neither: never a new nodes.csv beside an old edges.csv
    raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
