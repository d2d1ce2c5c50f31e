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
_ARTICLES = _PREFIXES + """
SELECT ?a (SAMPLE(?id) AS ?aid) (SAMPLE(?h) AS ?title) (SAMPLE(?d) AS ?date) WHERE {
  ?a a schema:NewsArticle ; schema:identifier ?id . OPTIONAL { ?a schema:headline ?h } OPTIONAL { ?a schema:datePublished ?d }
} GROUP BY ?a
"""


def to_networkx(store: GraphStore) -> nx.MultiDiGraph:
    """Nodes keyed by IRI with ``label``, ``type``, ``subtype`` (persons also ``posts``, printed
    variants ``alt_labels``, each one text); edges with ``relation`` and ``role``; a
    participation's edge with the ``list`` it was printed in and its ``position`` there (0: none)."""
    g = nx.MultiDiGraph()
    for node, label, kind, date, venue in store.query(_NODES)[1]:
        main, _, sub = kind.partition(":")
        g.add_node(node, label=label, type=main, subtype=sub, date=date or "", venue=venue or "")
    posts: dict[str, list[str]] = {}
    for who, post, first, last in store.query(_POSTS)[1]:
        posts.setdefault(who, []).append(post + (f" ({first}…{last})" if first and first != last else f" ({first})" if first else ""))
    for who, held in posts.items():
        if who in g:
            g.nodes[who]["posts"] = "; ".join(held)  # text, so that GraphML and GEXF take it
    for node, alt in store.query(_ALT_LABELS)[1]:
        if node in g:
            g.nodes[node]["alt_labels"] = "、".join(filter(None, [g.nodes[node].get("alt_labels"), alt]))
    for node, aid, title, date in store.query(_ARTICLES)[1]:
        g.add_node(node, label=title or aid, type="article", subtype="", date=date or "", venue="", article=aid)
    for who, event, role, date, venue, article, evidence, listed, position in store.query(_PARTICIPATIONS)[1]:
        g.add_edge(who, event, key=role, relation="participation", role=role, date=date or "", venue=venue or "", article=article, evidence=evidence,
                   list=listed or "", position=int(position or 0))
    for s, relation, o in store.query(_LINKS)[1]:
        if s in g and o in g:
            g.add_edge(s, o, key=relation, relation=relation, role="", date="", venue="", article="", evidence="", list="", position=0)
    return g


def coattendance(g: nx.MultiDiGraph) -> nx.Graph:
    """Persons linked by the events they attended together, weighted by their number."""
    people = {n for n, d in g.nodes(data=True) if d["type"] == "person"}
    events = {n for n, d in g.nodes(data=True) if d["type"] == "event"}
    b = nx.Graph()
    b.add_nodes_from(people, bipartite=0)
    b.add_nodes_from(events, bipartite=1)
    b.add_edges_from((u, v) for u, v, d in g.edges(data=True) if d["relation"] == "participation" and u in people)
    projected = bipartite.weighted_projected_graph(b, [p for p in people if b.degree(p)])
    for n in projected:
        projected.nodes[n].update(g.nodes[n])
    return projected
