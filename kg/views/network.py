"""The NetworkX view of the store: typed nodes, role-labelled edges, and co-attendance."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import networkx as nx
import pyoxigraph as ox
from networkx.algorithms import bipartite

from kg.graph.store import GraphStore, query_all, query_groups, read_threads, values_queries
from kg.views.visualise import DEFAULT_RELATIONS

_PREFIXES = """
PREFIX kgo: <https://w3id.org/kg-news/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX time: <http://www.w3.org/2006/time#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
_NODES = _PREFIXES + """
SELECT ?node (SAMPLE(?n) AS ?label) (SAMPLE(?t) AS ?type) (SAMPLE(?d) AS ?date) (SAMPLE(?vn) AS ?venue) WHERE {
  {values}
  ?node kgo:mentionType ?t ; schema:name ?n .
  OPTIONAL { ?node schema:startDate ?d }
  OPTIONAL { ?node schema:location/schema:name ?vn }
} GROUP BY ?node
"""
_PARTICIPATIONS = _PREFIXES + """
SELECT ?who ?event ?role (SAMPLE(?d) AS ?date) (SAMPLE(?vn) AS ?venue) (SAMPLE(?aid) AS ?article) (SAMPLE(?s) AS ?evidence) WHERE {
  {values}
  ?p a kgo:Participation ; kgo:participant ?who ; kgo:event ?event ; schema:roleName ?role ; prov:wasDerivedFrom ?ev .
  ?ev nif:anchorOf ?s ; kgo:article/schema:identifier ?aid .
  OPTIONAL { ?event schema:startDate ?d }
  OPTIONAL { ?p prov:atLocation/schema:name ?vn }
} GROUP BY ?who ?event ?role
"""
# the first list a participation was printed in, apart: as an OPTIONAL of the query above it
# took half its time (Oxigraph reads every list item of the store for it)
_LISTED = _PREFIXES + """
SELECT ?who ?event ?role (STRBEFORE(MIN(?listed), " ") AS ?list) (xsd:integer(STRAFTER(MIN(?listed), " ")) AS ?position) WHERE {
  {values}
  ?p a kgo:Participation ; kgo:participant ?who ; kgo:event ?event ; schema:roleName ?role ; kgo:listItem ?li .
  ?li schema:position ?pos . ?l schema:itemListElement ?li ; schema:identifier ?lid BIND(CONCAT(?lid, " ", STR(?pos)) AS ?listed)
} GROUP BY ?who ?event ?role
"""
_LINK_PATTERNS = {"location": "?s schema:location ?o", "sub-venue": "?s kgo:subVenue ?o", "part of": "?s schema:superEvent ?o"}
_CREDITS = "?c a kgo:Credit ; kgo:creditOf ?s ; kgo:participant ?o ; schema:roleName ?relation"  # relations named by the credit's role


def _links(relations: Iterable[str] | None = None) -> str:
    """The query of the edges that are not participations, of ``relations`` (or all): the
    credits, most of them at scale, read only when a relation beyond the three others is asked."""
    parts = [f'{{ {pattern} BIND("{relation}" AS ?relation) }}' for relation, pattern in _LINK_PATTERNS.items() if relations is None or relation in relations]
    if relations is None or set(relations) - set(_LINK_PATTERNS):
        parts.append(f"{{ {_CREDITS} }}")
    return _PREFIXES + f"SELECT ?s ?relation ?o WHERE {{ {' UNION '.join(parts) or 'FILTER(false)'} }}"


_POSTS = _PREFIXES + "SELECT DISTINCT ?who ?post WHERE { {values} ?m org:member ?who ; kgo:postTitle ?post }"
# the days of the posts, apart: as an OPTIONAL of the query above it took three times as long
_POST_DAYS = _PREFIXES + """
SELECT ?who ?post (MIN(?day) AS ?first) (MAX(?day) AS ?last) WHERE {
  {values}
  ?m org:member ?who ; kgo:postTitle ?post ; org:memberDuring/time:hasBeginning/time:inXSDDate ?day
} GROUP BY ?who ?post
"""
_ALT_LABELS = _PREFIXES + "SELECT DISTINCT ?node ?alt WHERE { {values} ?node kgo:mentionType ?t ; skos:altLabel ?alt } ORDER BY ?node ?alt"
_TYPES = _PREFIXES + """
SELECT DISTINCT ?node ?class WHERE { {values} ?node kgo:mentionType [] ; a ?class }
"""
_CLASS_PREFIXES = {"https://schema.org/": "schema:", "https://w3id.org/kg-news/ontology#": "kgo:", "http://www.w3.org/ns/org#": "org:"}
_ARTICLES = _PREFIXES + """
SELECT ?a (SAMPLE(?id) AS ?aid) (SAMPLE(?h) AS ?title) (SAMPLE(?d) AS ?date) WHERE {
  {values}
  ?a a schema:NewsArticle ; schema:identifier ?id . OPTIONAL { ?a schema:headline ?h } OPTIONAL { ?a schema:datePublished ?d }
} GROUP BY ?a
"""


_MENTIONED = _PREFIXES + "SELECT DISTINCT ?node WHERE { ?node schema:name ?n . ?node kgo:mentionType ?t }"  # the few names first: the mentions have types too
_ARTICLE_NODES = _PREFIXES + "SELECT DISTINCT ?a WHERE { ?a a schema:NewsArticle ; schema:identifier ?id }"
# (every participation kg writes has the evidence _PARTICIPATIONS joins: not read here, the same edges)
_PARTICIPATION_EDGES = _PREFIXES + "SELECT DISTINCT ?who ?event ?role WHERE { ?p a kgo:Participation ; kgo:participant ?who ; kgo:event ?event ; schema:roleName ?role }"


def _restricted(query: str, variable: str | None, chosen: set[str] | None, threads: int) -> list[str]:
    """``query`` with its ``{values}`` restricted to the ``chosen`` nodes (VALUES blocks of
    ``variable`` for ``threads``, ``values_queries``), or not restricted when ``chosen`` or
    ``variable`` is None."""
    if chosen is None or variable is None:
        return [query.replace("{values}", "")]
    return values_queries(lambda values: query.replace("{values}", values), variable, [str(ox.NamedNode(t)) for t in sorted(chosen)], threads)


def to_networkx(store: GraphStore, only: Iterable[str] | None = None) -> nx.MultiDiGraph:
    """Nodes keyed by IRI with ``label``, ``type``, ``subtype``, ``types`` (their classes,
    ``schema:Person``), for persons ``posts`` (the posts printed with them and the days, one text)
    and printed variants ``alt_labels``; edges with ``relation`` and ``role``; a participation's
    edge with the ``list`` it was printed in and its ``position`` there (0: none). ``only``: the
    graph these nodes induce, read for them alone (a picture of a big store, ``best_connected``)."""
    g = nx.MultiDiGraph()
    chosen = None if only is None else set(only)
    asked = {"nodes": (_NODES, "node"), "types": (_TYPES, "node"), "post days": (_POST_DAYS, "who"), "posts": (_POSTS, "who"),
             "alt labels": (_ALT_LABELS, "node"), "articles": (_ARTICLES, "a"), "listed": (_LISTED, "who"),
             "participations": (_PARTICIPATIONS, "who"), "links": (_links(), None)}
    read = dict(zip(asked, query_groups(store, [_restricted(query, variable, chosen, read_threads(store)) for query, variable in asked.values()])))

    def rows(name: str) -> list[list]:  # in one order whatever the store's: the views are the same on every run
        found = read.pop(name)  # each read's rows let go once used
        found.sort(key=lambda row: [str(v) for v in row])
        return found

    for node, label, kind, date, venue in rows("nodes"):
        main, _, sub = kind.partition(":")
        g.add_node(node, label=label, type=main, subtype=sub, date=date or "", venue=venue or "", types=[], posts="")
    for node, cls in rows("types"):
        if node in g:
            prefix = next((p for p in _CLASS_PREFIXES if cls.startswith(p)), None)
            g.nodes[node]["types"].append(_CLASS_PREFIXES[prefix] + cls[len(prefix):] if prefix else cls)
    days = {(who, post): (first, last) for who, post, first, last in rows("post days")}
    posts: dict[str, list[str]] = {}
    for who, post in rows("posts"):
        first, last = days.get((who, post), (None, None))
        posts.setdefault(who, []).append(post + (f" ({first}…{last})" if first and first != last else f" ({first})" if first else ""))
    for who, held in posts.items():
        if who in g:
            g.nodes[who]["posts"] = "; ".join(held)  # text, so that GraphML and GEXF take it
    for node, alt in rows("alt labels"):
        if node in g:
            g.nodes[node]["alt_labels"] = "、".join(filter(None, [g.nodes[node].get("alt_labels"), alt]))
    for node, aid, title, date in rows("articles"):
        g.add_node(node, label=title or aid, type="article", subtype="", date=date or "", venue="", article=aid, types=["schema:NewsArticle"], posts="")
    listed = {(who, event, role): (first, position) for who, event, role, first, position in rows("listed")}
    for who, event, role, date, venue, article, evidence in rows("participations"):
        if chosen is None or event in chosen:
            first, position = listed.get((who, event, role), ("", 0))
            g.add_edge(who, event, key=role, relation="participation", role=role, date=date or "", venue=venue or "", article=article, evidence=evidence,
                       list=first or "", position=int(position or 0))
    for s, relation, o in rows("links"):  # few, and read at once quicker than joined to the nodes
        if s in g and o in g:
            g.add_edge(s, o, key=relation, relation=relation, role="", date="", venue="", article="", evidence="", list="", position=0)
    return g


def best_connected(store: GraphStore, top: int, relations: Iterable[str] = DEFAULT_RELATIONS) -> tuple[list[str], int]:
    """The ``top`` nodes with the most edges of ``relations`` drawn, ties in the graph's order:
    the nodes the picture of ``to_networkx(store)`` with ``top`` keeps (kg/views/visualise.py),
    chosen from the store's edges alone, without reading their labels, dates and evidence;
    and the number of nodes of the whole graph."""
    shown = set(relations)
    mentioned, articles, participations, links = query_all(store, [_MENTIONED, _ARTICLE_NODES, _PARTICIPATION_EDGES if "participation" in shown else "", _links(shown)])
    order = {node: (0, node) for (node,) in mentioned}
    order |= {a: (1, a) for (a,) in articles if a not in order}
    edges = set()  # one per drawn edge: (from, to, relation, role)
    for who, event, role in sorted(participations, key=lambda row: [str(v) for v in row]):
        for node in (who, event):
            order.setdefault(node, (2, len(order)))  # a node only an edge names comes last, as to_networkx adds it
        edges.add((who, event, "participation", role))
    edges |= {(s, o, relation, "") for s, relation, o in links if relation in shown and s in order and o in order}
    degree = Counter(u for u, _, _, _ in edges) + Counter(v for _, v, _, _ in edges)
    return sorted(degree, key=lambda n: (-degree[n], order[n]))[:top], len(order)


def coattendance(g: nx.MultiDiGraph) -> nx.Graph:
    """Persons linked by the events they attended together, weighted by their number.

    Nodes and edges in sorted order, whatever the order of the store's rows and the hash seed:
    seeded analyses over it (sampled betweenness, Louvain) give the same result on every run."""
    people = sorted(n for n, d in g.nodes(data=True) if d["type"] == "person")
    events = sorted(n for n, d in g.nodes(data=True) if d["type"] == "event")
    is_person = set(people)
    b = nx.Graph()
    b.add_nodes_from(people, bipartite=0)
    b.add_nodes_from(events, bipartite=1)
    b.add_edges_from(sorted({(u, v) for u, v, d in g.edges(data=True) if d["relation"] == "participation" and u in is_person}))
    projected = bipartite.weighted_projected_graph(b, [p for p in people if b.degree(p)])
    for n in projected:
        projected.nodes[n].update(g.nodes[n])
    return projected
