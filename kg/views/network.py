"""The NetworkX view of the store: typed nodes, role-labelled edges, and co-attendance."""

from __future__ import annotations

import networkx as nx
from networkx.algorithms import bipartite

from kg.graph.store import GraphStore

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
  ?node kgo:mentionType ?t ; schema:name ?n .
  OPTIONAL { ?node schema:startDate ?d }
  OPTIONAL { ?node schema:location/schema:name ?vn }
} GROUP BY ?node
"""
_PARTICIPATIONS = _PREFIXES + """
SELECT ?who ?event ?role (SAMPLE(?d) AS ?date) (SAMPLE(?vn) AS ?venue) (SAMPLE(?aid) AS ?article) (SAMPLE(?s) AS ?evidence)
       (STRBEFORE(MIN(?listed), " ") AS ?list) (xsd:integer(STRAFTER(MIN(?listed), " ")) AS ?position) WHERE {
  ?p a kgo:Participation ; kgo:participant ?who ; kgo:event ?event ; schema:roleName ?role ; prov:wasDerivedFrom ?ev .
  ?ev nif:anchorOf ?s ; kgo:article/schema:identifier ?aid .
  OPTIONAL { ?event schema:startDate ?d }
  OPTIONAL { ?p prov:atLocation/schema:name ?vn }
  OPTIONAL { ?p kgo:listItem ?li . ?li schema:position ?pos . ?l schema:itemListElement ?li ; schema:identifier ?lid
             BIND(CONCAT(?lid, " ", STR(?pos)) AS ?listed) }
} GROUP BY ?who ?event ?role
"""
_LINKS = _PREFIXES + """
SELECT ?s ?relation ?o WHERE {
  { ?s schema:location ?o BIND("location" AS ?relation) }
  UNION { ?s kgo:subVenue ?o BIND("sub-venue" AS ?relation) }
  UNION { ?s schema:superEvent ?o BIND("part of" AS ?relation) }
  UNION { ?c a kgo:Credit ; kgo:creditOf ?s ; kgo:participant ?o ; schema:roleName ?relation }
}
"""
_POSTS = _PREFIXES + """
SELECT ?who ?post (MIN(?day) AS ?first) (MAX(?day) AS ?last) WHERE {
  ?m org:member ?who ; kgo:postTitle ?post . OPTIONAL { ?m org:memberDuring/time:hasBeginning/time:inXSDDate ?day }
} GROUP BY ?who ?post ORDER BY ?who ?first ?post
"""
_ALT_LABELS = _PREFIXES + "SELECT DISTINCT ?node ?alt WHERE { ?node kgo:mentionType ?t ; skos:altLabel ?alt } ORDER BY ?node ?alt"
_TYPES = _PREFIXES + """
SELECT DISTINCT ?node ?class WHERE { ?node kgo:mentionType [] ; a ?class }
"""
_CLASS_PREFIXES = {"https://schema.org/": "schema:", "https://w3id.org/kg-news/ontology#": "kgo:", "http://www.w3.org/ns/org#": "org:"}
_ARTICLES = _PREFIXES + """
SELECT ?a (SAMPLE(?id) AS ?aid) (SAMPLE(?h) AS ?title) (SAMPLE(?d) AS ?date) WHERE {
  ?a a schema:NewsArticle ; schema:identifier ?id . OPTIONAL { ?a schema:headline ?h } OPTIONAL { ?a schema:datePublished ?d }
} GROUP BY ?a
"""


def to_networkx(store: GraphStore) -> nx.MultiDiGraph:
    """Nodes keyed by IRI with ``label``, ``type``, ``subtype``, ``types`` (their classes,
    ``schema:Person``), for persons ``posts`` (the posts printed with them and the days, one text)
    and printed variants ``alt_labels``; edges with ``relation`` and ``role``; a participation's
    edge with the ``list`` it was printed in and its ``position`` there (0: none)."""
    g = nx.MultiDiGraph()

    def rows(query: str) -> list[list]:  # in one order whatever the store's: the views are the same on every run
        return sorted(store.query(query)[1], key=lambda row: [str(v) for v in row])

    for node, label, kind, date, venue in rows(_NODES):
        main, _, sub = kind.partition(":")
        g.add_node(node, label=label, type=main, subtype=sub, date=date or "", venue=venue or "", types=[], posts="")
    for node, cls in rows(_TYPES):
        if node in g:
            prefix = next((p for p in _CLASS_PREFIXES if cls.startswith(p)), None)
            g.nodes[node]["types"].append(_CLASS_PREFIXES[prefix] + cls[len(prefix):] if prefix else cls)
    posts: dict[str, list[str]] = {}
    for who, post, first, last in rows(_POSTS):
        posts.setdefault(who, []).append(post + (f" ({first}…{last})" if first and first != last else f" ({first})" if first else ""))
    for who, held in posts.items():
        if who in g:
            g.nodes[who]["posts"] = "; ".join(held)  # text, so that GraphML and GEXF take it
    for node, alt in rows(_ALT_LABELS):
        if node in g:
            g.nodes[node]["alt_labels"] = "、".join(filter(None, [g.nodes[node].get("alt_labels"), alt]))
    for node, aid, title, date in rows(_ARTICLES):
        g.add_node(node, label=title or aid, type="article", subtype="", date=date or "", venue="", article=aid, types=["schema:NewsArticle"], posts="")
    for who, event, role, date, venue, article, evidence, listed, position in rows(_PARTICIPATIONS):
        g.add_edge(who, event, key=role, relation="participation", role=role, date=date or "", venue=venue or "", article=article, evidence=evidence,
                   list=listed or "", position=int(position or 0))
    for s, relation, o in rows(_LINKS):
        if s in g and o in g:
            g.add_edge(s, o, key=relation, relation=relation, role="", date="", venue="", article="", evidence="", list="", position=0)
    return g


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
