"""The NetworkX view of the store: typed nodes, role-labelled edges, and co-attendance."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import networkx as nx
import pyoxigraph as ox
from networkx.algorithms import bipartite

from kg.graph.store import GraphStore, query_all, query_groups, read_threads, values_queries
from kg.graph.vocab import SEEN_DAY, SHARED_GRAPH
from kg.model import ROLES
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
# a participation's edge once, with one of its reports' participations: the least of those printed
# in a list, else the least (the picture of a big store reads the evidence of that one only, not
# of every report: each event of a year of a daily may be reported a hundred times)
_PARTICIPATIONS = _PREFIXES + """
SELECT ?who ?event ?role (MIN(CONCAT(IF(EXISTS { ?p kgo:listItem [] }, "0", "1"), STR(?p))) AS ?one) WHERE {
  {values}
  ?p a kgo:Participation ; kgo:participant ?who ; kgo:event ?event ; schema:roleName ?role
} GROUP BY ?who ?event ?role
"""
# what an edge shows of its participation, each apart and the participations first (as OPTIONALs of
# one query, or after other patterns, Oxigraph read every participation of the store for them):
# the article and sentence, the venue, the list it was printed in with its position there
_PARTICIPATION_EVIDENCE = _PREFIXES + """
SELECT ?p ?article ?evidence WHERE { {values} ?p prov:wasDerivedFrom ?ev . ?ev nif:anchorOf ?evidence ; kgo:article/schema:identifier ?article }
"""
_PARTICIPATION_VENUES = _PREFIXES + "SELECT ?p ?venue WHERE { {values} ?p prov:atLocation/schema:name ?venue }"
_PARTICIPATION_LISTS = _PREFIXES + """
SELECT ?p ?list ?position WHERE { {values} ?p kgo:listItem ?li . ?li schema:position ?position . ?l schema:itemListElement ?li ; schema:identifier ?list }
"""
_LINK_PATTERNS = {"location": "?s schema:location ?o", "sub-venue": "?s kgo:subVenue ?o", "part of": "?s schema:superEvent ?o"}
_CREDITS = "?c kgo:creditOf ?s ; a kgo:Credit ; kgo:participant ?o ; schema:roleName ?relation"  # relations named by the credit's role


def _links(relations: Iterable[str] | None = None) -> str:
    """The query of the edges that are not participations, of ``relations`` (or all): the
    credits, most of them at scale, read only when a relation beyond the three others is asked;
    each branch's ``{values}`` restricts the edges' subjects (a VALUES block joined to the union
    from outside made Oxigraph read the whole union for each of its terms)."""
    parts = [f'{{ {{values}} {pattern} BIND("{relation}" AS ?relation) }}' for relation, pattern in _LINK_PATTERNS.items() if relations is None or relation in relations]
    if relations is None or set(relations) - set(_LINK_PATTERNS) - {"participation"}:
        parts.append(f"{{ {{values}} {_CREDITS} }}")
    return _PREFIXES + f"SELECT ?s ?relation ?o WHERE {{ {' UNION '.join(parts) or 'FILTER(false)'} }}"


_POSTS = _PREFIXES + "SELECT DISTINCT ?who ?post WHERE { {values} ?m org:member ?who ; kgo:postTitle ?post }"
# the days of the posts, apart: as an OPTIONAL of the query above it took three times as long
_POST_DAYS = _PREFIXES + """
SELECT ?who ?post (MIN(?day) AS ?first) (MAX(?day) AS ?last) WHERE {
  {values}
  ?m org:member ?who ; kgo:postTitle ?post . """ + SEEN_DAY + """
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


# the nodes _NODES and _ARTICLES read, as kg/graph/rdf.py writes them: entities are described in
# the shared graph alone (half the time of the union of all graphs), every article has its identifier
_MENTIONED = _PREFIXES + f"SELECT DISTINCT ?node WHERE {{ GRAPH <{SHARED_GRAPH}> {{ ?node kgo:mentionType ?t ; schema:name ?n }} }}"
_ARTICLE_NODES = _PREFIXES + "SELECT DISTINCT ?a WHERE { ?a a schema:NewsArticle }"
# the edges of _PARTICIPATIONS, without choosing a report of each: a query per role (kg's closed set,
# kg.model.ROLES), read side by side (on a year's store 0.7 s against 1.2–1.4 s for one query), the
# role first and no type (what has a role, a participant and an event is a participation: a credit
# has no event, a printed list no role; the type's lookup took a third longer)
_PARTICIPATION_EDGES = _PREFIXES + "SELECT DISTINCT ?who ?event ?role WHERE { {values} ?p schema:roleName ?role ; kgo:participant ?who ; kgo:event ?event }"
_EDGES_BY_ROLE = [_PARTICIPATION_EDGES.replace("{values}", f"VALUES ?role {{ {ox.Literal(role)} }}") for role in ROLES]


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
    edge with the event's ``date`` and, of one report (the least of its participations printed in
    a list, else the least: each event of a year of a daily may be reported a hundred times), its
    ``article``, ``evidence`` sentence, ``venue``, the ``list`` it was printed in and its
    ``position`` there (0: none). ``only``: the
    graph these nodes induce, read for them alone (a picture of a big store, ``best_connected``)."""
    g = nx.MultiDiGraph()
    chosen = None if only is None else set(only)
    asked = {"nodes": (_NODES, "node"), "types": (_TYPES, "node"), "post days": (_POST_DAYS, "who"), "posts": (_POSTS, "who"),
             "alt labels": (_ALT_LABELS, "node"), "articles": (_ARTICLES, "a"), "participations": (_PARTICIPATIONS, "who"), "links": (_links(), "s")}
    threads = read_threads(store)
    read = dict(zip(asked, query_groups(store, [_restricted(query, variable, chosen, threads) for query, variable in asked.values()])))
    # each edge with its report's participation (its IRI, the listed mark cut off; a blank node's has none to read it by)
    edges = [(who, event, role, one[1:] if one else None) for who, event, role, one in read.pop("participations") if chosen is None or event in chosen]
    ones = {one for *_, one in edges if one}
    evidence, venues, lists = query_groups(store, [_restricted(query, "p", ones, threads) for query in (_PARTICIPATION_EVIDENCE, _PARTICIPATION_VENUES, _PARTICIPATION_LISTS)])
    shown: dict[str, dict] = {}
    for rows_of, fields in ((evidence, ("article", "evidence")), (venues, ("venue",)), (lists, ("list", "position"))):
        for p, *values in sorted(rows_of, key=lambda row: [str(v) for v in row], reverse=True):  # the first of several (sorted last)
            shown.setdefault(p, {}).update(zip(fields, values))
    del evidence, venues, lists

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
    for who, event, role, one in sorted(edges, key=lambda row: [str(v) for v in row]):
        d = shown.get(one, {})
        g.add_edge(who, event, key=role, relation="participation", role=role, date=g.nodes[event].get("date", "") if event in g else "", venue=d.get("venue") or "",
                   article=d.get("article", ""), evidence=d.get("evidence", ""), list=d.get("list") or "", position=int(d.get("position") or 0))
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
    by_role = _EDGES_BY_ROLE if "participation" in shown else []
    *edges_of_roles, mentioned, articles, links = query_all(store, [*by_role, _MENTIONED, _ARTICLE_NODES, *_restricted(_links(shown), None, None, 1)])
    participations = [row for rows in edges_of_roles for row in rows]
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
