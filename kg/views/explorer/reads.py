"""What each explorer page shows, read from any store through ``GraphStore.query``.

Every function takes a store and plain values (a search text, a node IRI, an article id) and
returns plain data (dicts and lists) that the templates render and ``?format=json`` returns.
Untrusted text (a search box, an IRI from a link) reaches SPARQL only as a term serialised by
pyoxigraph: ``literal`` escapes quotes, backslashes and line breaks as SPARQL's string syntax
wants, ``ref`` refuses anything that is no IRI (``>`` or a space in it). Nothing is spliced raw.

The queries start from the node a page is about (a bound subject or object), aggregate before
they join names, and fetch an article's facts from its own named graph, so that a page costs
about the same at 200 k quads as at a million.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import pyoxigraph as ox

from kg.graph.store import GraphStore
from kg.graph.vocab import KGR, SEEN_DAY, graph_iri

PREFIXES = """PREFIX kgo: <https://w3id.org/kg-news/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
PREFIX itsrdf: <http://www.w3.org/2005/11/its/rdf#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX time: <http://www.w3.org/2006/time#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
"""
KINDS = ("person", "organization", "place", "event", "series", "article")  # the kinds of page, in search order
SEARCH_LIMIT = 50  # hits shown per kind (all are counted)
NETWORK_MAX = 150  # nodes in a person's network at most
NETWORK_EVENTS = 60  # events in it at most
RESOLUTIONS_MAX = 300
_NODE_PATH = re.compile(r"(person|organization|place|event|series|post)/[0-9a-f]{16}")


class NotFound(LookupError):
    """No such node or article in the store."""


def literal(text: str) -> str:
    """A SPARQL string literal of any text, escaped."""
    return str(ox.Literal(text))


def ref(iri: str) -> str:
    """A SPARQL IRI reference; ``ValueError`` for what is no IRI."""
    return str(ox.NamedNode(iri))


def node_iri(kind: str, key: str) -> str:
    """The IRI of ``/person/<key>`` and the like; ``NotFound`` for paths kg never makes."""
    path = f"{kind}/{key}"
    if not _NODE_PATH.fullmatch(path):
        raise NotFound(f"no page /{path}: kg's nodes are /person/…, /organization/…, /place/…, /event/…, /series/… with a 16-digit hex key")
    return f"{KGR}{path}"


def link(iri: str | None, kind: str = "") -> str | None:
    """The explorer's path of a node or an article IRI (None for IRIs not kg's own)."""
    from urllib.parse import quote, unquote

    if not iri or not iri.startswith(str(KGR)):
        return None
    rest = iri[len(str(KGR)):]
    if rest.startswith("article/"):
        return "/article?id=" + quote(unquote(rest[len("article/"):]), safe="")
    return "/" + rest if _NODE_PATH.fullmatch(rest) else None


def kind_of(mention_type: str | None) -> str:
    return (mention_type or "").partition(":")[0]


def _rows(store: GraphStore, sparql: str, limit: int | None = None) -> list[dict]:
    columns, rows = store.query(PREFIXES + sparql, limit=limit)
    return [dict(zip(columns, row)) for row in rows]


def _names(store: GraphStore, nodes) -> dict[str, dict]:
    """Name and type of many nodes at once (VALUES of IRIs)."""
    nodes = sorted({n for n in nodes if n})
    found: dict[str, dict] = {}
    for start in range(0, len(nodes), 500):
        values = " ".join(ref(n) for n in nodes[start:start + 500])
        for r in _rows(store, f"""SELECT ?n (SAMPLE(?name_) AS ?name) (SAMPLE(?t_) AS ?type) WHERE {{
  VALUES ?n {{ {values} }} ?n schema:name ?name_ . OPTIONAL {{ ?n kgo:mentionType ?t_ }} }} GROUP BY ?n"""):
            found[r["n"]] = {"iri": r["n"], "name": r["name"], "type": r["type"] or "", "kind": kind_of(r["type"]) or _kind_from_iri(r["n"]), "url": link(r["n"])}
    return found


def _kind_from_iri(iri: str) -> str:
    rest = iri[len(str(KGR)):] if iri.startswith(str(KGR)) else ""
    return rest.partition("/")[0]


def _named(names: dict[str, dict], iri: str | None) -> dict | None:
    if not iri:
        return None
    return names.get(iri) or {"iri": iri, "name": iri.rsplit("/", 1)[-1], "type": "", "kind": _kind_from_iri(iri), "url": link(iri)}


# --- The first page and search. -------------------------------------------------------------------------

def overview(store: GraphStore) -> dict:
    """Counts by kind, and the persons in the most events (the first page's starting points)."""
    counts = {r["kind"]: r["n"] for r in _rows(store, """SELECT ?kind (COUNT(DISTINCT ?x) AS ?n) WHERE {
  { ?x a schema:Person BIND("person" AS ?kind) } UNION { ?x a schema:Organization BIND("organization" AS ?kind) }
  UNION { ?x a schema:Place BIND("place" AS ?kind) } UNION { ?x a schema:Event BIND("event" AS ?kind) }
  UNION { ?x a schema:NewsArticle BIND("article" AS ?kind) } } GROUP BY ?kind""")}
    top = _rows(store, """SELECT ?who (COUNT(DISTINCT ?e) AS ?events) WHERE {
  ?p kgo:event ?e ; kgo:participant ?who . ?who a schema:Person } GROUP BY ?who ORDER BY DESC(?events) ?who LIMIT 20""")
    names = _names(store, [r["who"] for r in top])
    return {"counts": {k: counts.get(k, 0) for k in ("person", "organization", "place", "event", "article")},
            "top_people": [dict(_named(names, r["who"]), events=r["events"]) for r in top]}


def search(store: GraphStore, text: str) -> dict:
    """Names and printed variants (skos:altLabel) that start with, or else contain, the text, as
    typed or in simplified characters; grouped by kind, exact and prefix matches first."""
    from kg.nlp.script import to_simplified

    text = " ".join(text.split())[:100]
    if not text:
        return {"q": "", "total": 0, "groups": []}
    terms = sorted({text, to_simplified(text)})
    values = " ".join(literal(t) for t in terms)
    rows = _rows(store, f"""SELECT DISTINCT ?node ?label ?type ?term WHERE {{
  VALUES ?term {{ {values} }}
  {{ ?node schema:name ?label }} UNION {{ ?node skos:altLabel ?label }} UNION {{ ?node schema:headline ?label }}
  FILTER(CONTAINS(?label, ?term))
  OPTIONAL {{ ?node kgo:mentionType ?type }}
}}""", limit=20_000)
    best: dict[str, tuple] = {}
    for r in rows:
        rank = 0 if r["label"] == r["term"] else 1 if r["label"].startswith(r["term"]) else 2
        if r["node"] not in best or (rank, len(r["label"])) < best[r["node"]][:2]:
            best[r["node"]] = (rank, len(r["label"]), r["label"], r["type"])
    names = _names(store, [n for n, b in best.items() if b[3]])
    articles = _article_titles(store, [n for n, b in best.items() if not b[3]])
    by_kind: dict[str, list] = defaultdict(list)
    for node, (rank, _, label, mention_type) in sorted(best.items(), key=lambda item: item[1][:3]):
        if mention_type:
            hit = dict(_named(names, node))
        elif node in articles:
            hit = articles[node]
        else:
            continue
        hit["matched"] = label
        hit["match"] = ("exact", "prefix", "contains")[rank]
        by_kind[hit["kind"]].append(hit)
    groups = [{"kind": k, "count": len(by_kind[k]), "hits": by_kind[k][:SEARCH_LIMIT]} for k in KINDS if by_kind.get(k)]
    groups += [{"kind": k, "count": len(v), "hits": v[:SEARCH_LIMIT]} for k, v in by_kind.items() if k not in KINDS]
    return {"q": text, "terms": terms, "total": sum(g["count"] for g in groups), "groups": groups}


def _article_titles(store: GraphStore, nodes) -> dict[str, dict]:
    nodes = sorted(set(nodes))
    found = {}
    for start in range(0, len(nodes), 500):
        values = " ".join(ref(n) for n in nodes[start:start + 500])
        for r in _rows(store, f"""SELECT ?a (SAMPLE(?id_) AS ?id) (SAMPLE(?h_) AS ?headline) (SAMPLE(?d_) AS ?date) WHERE {{
  VALUES ?a {{ {values} }} ?a a schema:NewsArticle ; schema:identifier ?id_ .
  OPTIONAL {{ ?a schema:headline ?h_ }} OPTIONAL {{ ?a schema:datePublished ?d_ }} }} GROUP BY ?a"""):
            found[r["a"]] = {"iri": r["a"], "id": r["id"], "name": r["headline"] or r["id"], "date": r["date"] or "",
                             "kind": "article", "type": "article", "url": link(r["a"])}
    return found


# --- Any node: what it is. ------------------------------------------------------------------------------

def describe(store: GraphStore, iri: str) -> dict:
    """Name, printed variants, type and (for places, organisations, events) where they stand."""
    rows = _rows(store, f"""SELECT DISTINCT ?p ?o WHERE {{
  VALUES ?p {{ schema:name skos:altLabel kgo:mentionType schema:identifier schema:containedInPlace schema:areaServed
              schema:startDate schema:location kgo:subVenue kgo:meetingForm schema:superEvent schema:eventAttendanceMode }}
  {ref(iri)} ?p ?o }}""")
    if not rows:
        raise NotFound(f"{iri}: not in this store")
    values: dict[str, list] = defaultdict(list)
    for r in rows:
        values[r["p"].rsplit("/", 1)[-1].rsplit("#", 1)[-1]].append(r["o"])
    name = (values.get("name") or [iri.rsplit("/", 1)[-1]])[0]
    mention_type = (values.get("mentionType") or [""])[0]
    linked = [o for k in ("containedInPlace", "areaServed", "location", "subVenue", "superEvent") for o in values.get(k, [])]
    names = _names(store, linked)
    return {"iri": iri, "url": link(iri), "name": name, "type": mention_type, "kind": kind_of(mention_type) or _kind_from_iri(iri),
            "alt_labels": sorted(set(values.get("altLabel", [])) - {name}), "code": (values.get("identifier") or [""])[0],
            "contained_in": [_named(names, o) for o in values.get("containedInPlace", [])],
            "area_served": [_named(names, o) for o in values.get("areaServed", [])],
            "dates": sorted(set(values.get("startDate", []))), "venues": [_named(names, o) for o in values.get("location", [])],
            "sub_venues": [_named(names, o) for o in values.get("subVenue", [])], "forms": sorted(set(values.get("meetingForm", []))),
            "series": [_named(names, o) for o in values.get("superEvent", [])]}


# --- A person. ------------------------------------------------------------------------------------------

def posts_of(store: GraphStore, iri: str) -> list[dict]:
    """Posts held, as printed before the name: area, first and last day an article saw it."""
    rows = _rows(store, f"""SELECT ?post ?area (MIN(?day) AS ?first) (MAX(?day) AS ?last) (COUNT(DISTINCT ?m) AS ?articles) WHERE {{
  ?m org:member {ref(iri)} ; kgo:postTitle ?post .
  OPTIONAL {{ {SEEN_DAY} }}
  OPTIONAL {{ ?m kgo:postArea ?area }}
}} GROUP BY ?post ?area ORDER BY ?first ?post""")
    names = _names(store, [r["area"] for r in rows])
    return [{"post": r["post"], "area": _named(names, r["area"]), "first": r["first"] or "", "last": r["last"] or "",
             "articles": r["articles"]} for r in rows]


def _participations_around(store: GraphStore, iri: str) -> list[dict]:
    """Every (event, participant, role) of the events the node took part in."""
    return _rows(store, f"""SELECT DISTINCT ?e ?who ?role WHERE {{
  {{ SELECT DISTINCT ?e WHERE {{ ?p0 kgo:participant {ref(iri)} ; kgo:event ?e }} }}
  ?p kgo:event ?e ; kgo:participant ?who ; schema:roleName ?role }}""")


def _events(store: GraphStore, events) -> dict[str, dict]:
    """Name, date, venue and number of reporting articles of many events."""
    events = sorted(set(events))
    found: dict[str, dict] = {}
    for start in range(0, len(events), 500):
        values = " ".join(ref(e) for e in events[start:start + 500])
        for r in _rows(store, f"""SELECT ?e (SAMPLE(?n_) AS ?name) (SAMPLE(?t_) AS ?type) (MIN(?d_) AS ?date) (SAMPLE(?v_) AS ?venue)
       (COUNT(DISTINCT ?a) AS ?articles) WHERE {{
  VALUES ?e {{ {values} }} ?e schema:name ?n_ . OPTIONAL {{ ?e kgo:mentionType ?t_ }}
  OPTIONAL {{ ?e schema:startDate ?d_ }} OPTIONAL {{ ?e schema:location ?v_ }} OPTIONAL {{ ?a schema:mentions ?e }}
}} GROUP BY ?e"""):
            found[r["e"]] = {"iri": r["e"], "name": r["name"], "type": r["type"] or "", "kind": "event", "date": r["date"] or "",
                             "venue": r["venue"], "articles": r["articles"], "url": link(r["e"])}
    venues = _names(store, [e["venue"] for e in found.values()])
    for e in found.values():
        e["venue"] = _named(venues, e["venue"])
    return found


def person(store: GraphStore, iri: str) -> dict:
    page = describe(store, iri)
    rows = _participations_around(store, iri)
    mine: dict[str, set] = defaultdict(set)
    at: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for r in rows:
        at[r["e"]][r["who"]].add(r["role"])
        if r["who"] == iri:
            mine[r["e"]].add(r["role"])
    shared = Counter(who for e in mine for who in at[e] if who != iri)
    events = _events(store, mine)
    others = _names(store, shared)
    table = sorted(({**events[e], "roles": sorted(mine[e]), "participants": len(at[e])} for e in mine if e in events),
                   key=lambda e: (e["date"] or "9999", e["name"], e["iri"]))
    coattendees = [dict(_named(others, who), shared=n, last=max((events[e]["date"] for e in mine if who in at[e] and e in events), default=""))
                   for who, n in sorted(shared.items(), key=lambda item: (-item[1], item[0]))]
    page.update(posts=posts_of(store, iri), events=table, roles=dict(Counter(r for e in table for r in e["roles"])),
                coattendees=coattendees[:100], coattendee_count=len(coattendees),
                timeline=_timeline(table), network=_network(iri, page["name"], table, at, shared, others),
                resolutions=resolutions(store, iri), credits=_credits(store, iri))
    return page


def _credits(store: GraphStore, iri: str) -> list[dict]:
    rows = _rows(store, f"""SELECT DISTINCT ?a ?role WHERE {{ ?c a kgo:Credit ; kgo:participant {ref(iri)} ; kgo:creditOf ?a ; schema:roleName ?role }}""")
    titles = _article_titles(store, [r["a"] for r in rows])
    return [dict(titles[r["a"]], role=r["role"]) for r in rows if r["a"] in titles]


def _timeline(events: list[dict]) -> dict:
    """Dated events placed on one axis (fractions of the span), for an SVG drawn by the template."""
    from datetime import date

    dated = [e for e in events if re.fullmatch(r"\d{4}-\d{2}-\d{2}", e["date"] or "")]
    if not dated:
        return {"points": [], "first": "", "last": "", "ticks": []}
    days = [date.fromisoformat(e["date"]) for e in dated]
    first, last = min(days), max(days)
    span = max((last - first).days, 1)
    per_day: Counter = Counter()
    points = []
    for e, d in zip(dated, days):
        stack = per_day[d]
        per_day[d] += 1
        points.append({"x": round(20 + 760 * (d - first).days / span, 1), "y": 70 - 9 * min(stack, 6), "name": e["name"],
                       "date": e["date"], "role": e["roles"][0] if e["roles"] else "", "url": e["url"]})
    months = sorted({d.replace(day=1) for d in days} | {first.replace(day=1)})
    ticks = [{"x": round(20 + 760 * max((m - first).days, 0) / span, 1), "label": m.strftime("%Y-%m")} for m in months][:24]
    return {"points": points, "first": first.isoformat(), "last": last.isoformat(), "ticks": ticks}


def _network(iri: str, name: str, table: list[dict], at: dict, shared: Counter, others: dict) -> dict:
    """The person, the events most shared with the most frequent co-attendees, and those
    co-attendees: at most NETWORK_MAX nodes, edges coloured by role (the page draws it)."""
    from kg.views.visualise import NODE_STYLE, OTHER_STYLE, ROLE_COLOUR

    ranked = [who for who, _ in sorted(shared.items(), key=lambda item: (-item[1], item[0]))]
    weight = {who: n for who, n in shared.items()}
    events = sorted(table, key=lambda e: (-sum(weight.get(w, 0) for w in at[e["iri"]]), e["date"] or "", e["iri"]))[:NETWORK_EVENTS]
    room = NETWORK_MAX - 1 - len(events)
    people = ranked[:max(room, 0)]
    chosen = {iri, *people}

    def item(node: str, label: str, kind: str, title: str, url: str | None, size: int) -> dict:
        colour, shape, _ = NODE_STYLE.get(kind, OTHER_STYLE)
        return {"id": node, "label": label if len(label) <= 16 else label[:15] + "…", "title": title, "color": colour,
                "shape": shape, "size": size, "url": url}

    nodes = [item(iri, name, "person", name, link(iri), 26)]
    nodes += [item(e["iri"], e["name"], "event", f"{e['name']}\n{e['date']}", e["url"], 12) for e in events]
    nodes += [item(w, others[w]["name"] if w in others else w, others.get(w, {}).get("kind", "person"),
                   f"{others[w]['name'] if w in others else w}\n{shared[w]} shared events", link(w), 10 + min(shared[w], 10)) for w in people]
    edges = []
    for e in events:
        for who, roles in at[e["iri"]].items():
            if who in chosen:
                for role in sorted(roles):
                    colour = ROLE_COLOUR.get(role, "#7f7f7f")
                    edges.append({"from": who, "to": e["iri"], "color": colour, "title": role, "width": 2 if who == iri else 1})
    return {"nodes": nodes, "edges": edges, "events_total": len(table), "people_total": len(shared)}


def resolutions(store: GraphStore, iri: str) -> list[dict]:
    """Every decision that touched the node: links across articles (kgo:Resolution: found as
    one node, is this one, by which rule, why) and links within an article (a mention such as
    江主席 pointed to it, by which rule, through which post)."""
    node = ref(iri)
    across = _rows(store, f"""SELECT DISTINCT ?g ?found ?target ?rule ?why WHERE {{
  {{ GRAPH ?g {{ ?r owl:sameAs {node} ; a kgo:Resolution ; kgo:extractedAs ?found ; kgo:resolvedBy ?rule ; rdfs:comment ?why }} BIND({node} AS ?target) }}
  UNION {{ GRAPH ?g {{ ?r kgo:extractedAs {node} ; a kgo:Resolution ; owl:sameAs ?target ; kgo:resolvedBy ?rule ; rdfs:comment ?why }} BIND({node} AS ?found) }}
}}""", limit=RESOLUTIONS_MAX)
    within = _rows(store, f"""SELECT DISTINCT ?a ?printed ?rule ?begin ?post WHERE {{
  ?m itsrdf:taIdentRef {node} ; kgo:resolvedBy ?rule ; nif:anchorOf ?printed ; nif:referenceContext ?a ; nif:beginIndex ?begin .
  OPTIONAL {{ ?m prov:wasDerivedFrom/kgo:postTitle ?post }}
}}""", limit=RESOLUTIONS_MAX)
    names = _names(store, [r["found"] for r in across] + [r["target"] for r in across])
    titles = _article_titles(store, [r["a"] for r in within] + [_article_of_graph(r["g"]) for r in across])
    out = [{"scope": "across articles", "rule": r["rule"], "why": r["why"], "found": _named(names, r["found"]),
            "target": _named(names, r["target"]), "article": titles.get(_article_of_graph(r["g"]))} for r in across]
    for r in sorted(within, key=lambda r: (r["a"], r["begin"])):
        why = f"printed “{r['printed']}”" + (f"; the title fits the post {r['post']} held in the article" if r["post"] else "")
        out.append({"scope": "within the article", "rule": r["rule"], "why": why, "printed": r["printed"],
                    "article": titles.get(r["a"]), "offset": r["begin"]})
    return out


def _article_of_graph(graph: str) -> str:
    return graph.replace(f"{KGR}graph/article/", f"{KGR}article/", 1)


# --- An event. ------------------------------------------------------------------------------------------

def event(store: GraphStore, iri: str) -> dict:
    page = describe(store, iri)
    node = ref(iri)
    rows = _rows(store, f"""SELECT ?who ?role ?a ?eb ?ee (SAMPLE(?rule_) AS ?rule) (SAMPLE(?cue_) AS ?cue) (SAMPLE(?s_) AS ?sentence) WHERE {{
  ?p kgo:event {node} ; kgo:participant ?who ; schema:roleName ?role ; prov:wasDerivedFrom ?ev .
  ?ev kgo:article ?a ; nif:beginIndex ?eb ; nif:endIndex ?ee ; nif:anchorOf ?s_ .
  OPTIONAL {{ ?p kgo:rule ?rule_ }} OPTIONAL {{ ?p kgo:cue ?cue_ }}
}} GROUP BY ?who ?role ?a ?eb ?ee""")
    # where each participant is printed in the sentence: its mentions in those articles, by (who, article)
    pairs = sorted({(r["who"], r["a"]) for r in rows})
    printed: dict[tuple[str, str], list[int]] = defaultdict(list)
    for start in range(0, len(pairs), 300):
        values = " ".join(f"({ref(w)} {ref(a)})" for w, a in pairs[start:start + 300])
        for m in _rows(store, f"""SELECT ?who ?a ?mb WHERE {{ VALUES (?who ?a) {{ {values} }}
  ?m itsrdf:taIdentRef ?who ; nif:referenceContext ?a ; nif:beginIndex ?mb }}"""):
            printed[m["who"], m["a"]].append(m["mb"])
    for r in rows:
        r["mb"] = min((b for b in printed[r["who"], r["a"]] if r["eb"] <= b < r["ee"]), default=None)
    reports = _rows(store, f"SELECT DISTINCT ?a WHERE {{ ?a schema:mentions {node} }}")
    titles = _article_titles(store, [r["a"] for r in reports])
    order = {a: i for i, a in enumerate(sorted(titles, key=lambda a: (titles[a]["date"], titles[a]["id"])))}
    names = _names(store, [r["who"] for r in rows])
    participants: dict[str, dict] = {}
    for r in sorted(rows, key=lambda r: (order.get(r["a"], 1 << 30), r["eb"], r["mb"] if r["mb"] is not None else 1 << 30, r["who"], r["role"])):
        entry = participants.setdefault(r["who"], {**_named(names, r["who"]), "roles": [], "sources": []})
        if r["role"] not in entry["roles"]:
            entry["roles"].append(r["role"])
        entry["sources"].append({"article": titles.get(r["a"]), "role": r["role"], "rule": r["rule"] or "", "cue": r["cue"] or "",
                                 "sentence": r["sentence"], "offset": r["mb"] if r["mb"] is not None else r["eb"]})
    sub = _rows(store, f"SELECT DISTINCT ?x WHERE {{ ?x schema:superEvent {node} }}")
    subs = _events(store, [r["x"] for r in sub])
    page.update(participants=list(participants.values()), articles=sorted(titles.values(), key=lambda a: (a["date"], a["id"])),
                sub_events=sorted(subs.values(), key=lambda e: (e["date"], e["name"], e["iri"])), resolutions=resolutions(store, iri))
    return page


def series(store: GraphStore, iri: str) -> dict:
    page = describe(store, iri)
    page["kind"] = "series"
    sub = _rows(store, f"SELECT DISTINCT ?x WHERE {{ ?x schema:superEvent {ref(iri)} }}")
    page["sub_events"] = sorted(_events(store, [r["x"] for r in sub]).values(), key=lambda e: (e["date"], e["name"], e["iri"]))
    return page


# --- Organisations and places. -----------------------------------------------------------------------

def _events_of(store: GraphStore, iri: str) -> list[dict]:
    rows = _rows(store, f"SELECT DISTINCT ?e ?role WHERE {{ ?p kgo:participant {ref(iri)} ; kgo:event ?e ; schema:roleName ?role }}")
    roles: dict[str, list] = defaultdict(list)
    for r in rows:
        roles[r["e"]].append(r["role"])
    events = _events(store, roles)
    return sorted(({**events[e], "roles": sorted(roles[e])} for e in roles if e in events), key=lambda e: (e["date"] or "9999", e["name"], e["iri"]))


def _members(rows: list[dict], store: GraphStore) -> list[dict]:
    names = _names(store, [r["who"] for r in rows])
    return [{"person": _named(names, r["who"]), "post": r["post"], "first": r["first"] or "", "last": r["last"] or "",
             "articles": r["articles"]} for r in rows]


_MEMBERS = """SELECT ?who ?post (MIN(?day) AS ?first) (MAX(?day) AS ?last) (COUNT(DISTINCT ?m) AS ?articles) WHERE {{
  {match}
  ?m org:member ?who ; kgo:postTitle ?post .
  OPTIONAL {{ {SEEN_DAY} }}
}} GROUP BY ?who ?post ORDER BY ?post ?first LIMIT 500"""


def organization(store: GraphStore, iri: str) -> dict:
    """Members: the posts whose title begins with one of the organisation's names (国务院总理 of
    国务院); kg does not link posts to organisations otherwise. Events it took part in or hosted."""
    page = describe(store, iri)
    names = sorted({page["name"], *page["alt_labels"]})
    prefixes = " ".join(literal(n) for n in names)
    match = f"VALUES ?org_name {{ {prefixes} }} ?m kgo:postTitle ?title FILTER(STRSTARTS(?title, ?org_name))"
    page.update(members=_members(_rows(store, _MEMBERS.format(match=match, SEEN_DAY=SEEN_DAY)), store), events=_events_of(store, iri),
                resolutions=resolutions(store, iri))
    return page


def place(store: GraphStore, iri: str) -> dict:
    """Posts of the area (kgo:postArea), events held there or in its venues, what lies in it."""
    page = describe(store, iri)
    node = ref(iri)
    members = _rows(store, _MEMBERS.format(match=f"?m kgo:postArea {node} .", SEEN_DAY=SEEN_DAY))
    inside = _rows(store, f"""SELECT DISTINCT ?x ?how WHERE {{
  {{ ?x schema:containedInPlace {node} BIND("contained" AS ?how) }} UNION {{ ?x schema:areaServed {node} BIND("serves" AS ?how) }} }}""", limit=2000)
    held = _rows(store, f"""SELECT DISTINCT ?e WHERE {{
  {{ ?e schema:location {node} }} UNION {{ ?e kgo:subVenue {node} }} UNION {{ ?v schema:containedInPlace {node} . ?e schema:location ?v }} }}""", limit=2000)
    names = _names(store, [r["x"] for r in inside])
    events = _events(store, [r["e"] for r in held])
    page.update(members=_members(members, store),
                places=sorted((_named(names, r["x"]) for r in inside if r["how"] == "contained"), key=lambda p: p["name"]),
                organizations=sorted((_named(names, r["x"]) for r in inside if r["how"] == "serves"), key=lambda p: p["name"]),
                events=sorted(events.values(), key=lambda e: (e["date"] or "9999", e["name"], e["iri"])), participations=_events_of(store, iri),
                resolutions=resolutions(store, iri))
    return page


# --- An article. ---------------------------------------------------------------------------------------

def article(store: GraphStore, article_id: str) -> dict:
    """The text cut into pieces: each piece knows the mention that covers it (and its node) and
    the facts whose evidence covers it; then the facts, each with its rule or extractor."""
    graph = ref(str(graph_iri(article_id)))
    triples = _rows(store, f"SELECT ?s ?p ?o WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}")
    if not triples:
        raise NotFound(f"no article {article_id!r} in this store")
    by: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for t in triples:
        by[t["s"]][t["p"].rsplit("/", 1)[-1].rsplit("#", 1)[-1]].append(t["o"])
    a_iri = _article_of_graph(str(graph_iri(article_id)))
    meta = by.get(a_iri, {})
    text = (meta.get("text") or [""])[0]
    typed = lambda kind: [s for s, props in by.items() if any(str(t).endswith(kind) for t in props.get("type", []))]  # noqa: E731
    mentions = []
    phrases = typed("#Phrase")
    # the type an entity's first mention records (kg/graph/rdf.py), for each of its mentions
    kind = {p["taIdentRef"][0]: p["mentionType"][0] for p in map(by.get, phrases) if p.get("taIdentRef") and p.get("mentionType")}
    for s in phrases:
        p = by[s]
        node = (p.get("taIdentRef") or [None])[0]
        mentions.append({"begin": p["beginIndex"][0], "end": p["endIndex"][0], "text": p["anchorOf"][0], "node": node,
                         "type": (p.get("mentionType") or [kind.get(node, "")])[0], "rule": (p.get("resolvedBy") or [""])[0]})
    extractors = {}
    facts = []
    for s in typed("#Participation"):
        p = by[s]
        facts.append({"fact": "participation", "who": p["participant"][0], "what": p["event"][0], "role": p["roleName"][0],
                      "rule": (p.get("rule") or [""])[0], "cue": (p.get("cue") or [""])[0], "evidence": (p.get("wasDerivedFrom") or [None])[0],
                      "venue": (p.get("atLocation") or [None])[0]})
    for s in typed("#Membership"):
        p = by[s]
        facts.append({"fact": "post", "who": p["member"][0], "what": None, "role": p["postTitle"][0], "rule": "", "cue": "",
                      "evidence": (p.get("wasDerivedFrom") or [None])[0], "venue": (p.get("postArea") or [None])[0]})
    for s in typed("#Credit"):
        p = by[s]
        facts.append({"fact": "credit", "who": p["participant"][0], "what": None, "role": p["roleName"][0], "rule": "", "cue": "",
                      "evidence": (p.get("wasDerivedFrom") or [None])[0], "venue": None})
    evidence = {}
    for s in typed("#Evidence"):
        p = by[s]
        evidence[s] = {"begin": p["beginIndex"][0], "end": p["endIndex"][0], "extractor": (p.get("wasAttributedTo") or [None])[0]}
        extractors[evidence[s]["extractor"]] = None
    for s, p in by.items():  # facts about events said by the article, without evidence nodes
        for prop, label in (("startDate", "date"), ("location", "venue"), ("meetingForm", "form"), ("subVenue", "sub-venue")):
            for o in p.get(prop, []):
                facts.append({"fact": f"event {label}", "who": None, "what": s, "role": "", "rule": "", "cue": "", "evidence": None,
                              "value": o if label in ("date", "form") else None, "venue": o if label not in ("date", "form") else None})
    resolved = []
    for s in typed("#Resolution"):
        p = by[s]
        resolved.append({"rule": p["resolvedBy"][0], "why": (p.get("comment") or [""])[0], "found": p["extractedAs"][0], "target": p["sameAs"][0]})
    referenced = {m["node"] for m in mentions} | {f[k] for f in facts for k in ("who", "what", "venue") if f.get(k)} \
        | {r[k] for r in resolved for k in ("found", "target")}
    names = _names(store, referenced)
    labels = {r["x"]: r["l"] for r in _rows(store, f"SELECT DISTINCT ?x ?l WHERE {{ VALUES ?x {{ {' '.join(ref(e) for e in extractors if e)} }} ?x rdfs:label ?l }}")} if any(extractors) else {}
    ev_ids = {e: i + 1 for i, e in enumerate(sorted(evidence, key=lambda e: (evidence[e]["begin"], evidence[e]["end"])))}
    order = {"participation": 0, "post": 1, "credit": 2}
    out_facts = []
    for f in sorted(facts, key=lambda f: (ev_ids.get(f["evidence"], 1 << 30), order.get(f["fact"], 3))):
        ev = evidence.get(f["evidence"])
        made_by = f["rule"] or (labels.get(ev["extractor"], "") if ev else "")
        out_facts.append({"fact": f["fact"], "who": _named(names, f["who"]), "what": _named(names, f["what"]), "role": f["role"],
                          "value": f.get("value"), "venue": _named(names, f["venue"]), "rule": made_by or "kg entities.v1 (event facts)", "cue": f["cue"],
                          "evidence": ev_ids.get(f["evidence"]), "span": [ev["begin"], ev["end"]] if ev else None,
                          "sentence": text[ev["begin"]:ev["end"]] if ev else ""})
    spans = [(evidence[e]["begin"], evidence[e]["end"], ev_ids[e]) for e in evidence]
    for m in mentions:
        m["target"] = _named(names, m["node"])
    return {"kind": "article", "iri": a_iri, "id": article_id, "name": (meta.get("headline") or [article_id])[0],
            "subtitles": meta.get("alternativeHeadline", []), "date": (meta.get("datePublished") or [""])[0],
            "section": (meta.get("articleSection") or [""])[0], "publisher": (meta.get("publisher") or [""])[0],
            "url": (meta.get("url") or [""])[0], "text": text, "pieces": pieces(text, mentions, spans),
            "mentions": sorted(({k: m[k] for k in ("begin", "end", "text", "type", "rule", "target")} for m in mentions), key=lambda m: m["begin"]),
            "facts": out_facts, "resolutions": [{"rule": r["rule"], "why": r["why"], "found": _named(names, r["found"]), "target": _named(names, r["target"])} for r in resolved]}


def pieces(text: str, mentions: list[dict], spans: list[tuple[int, int, int]]) -> list[dict]:
    """The text cut at every mention and evidence boundary: each piece with the mention that
    covers it (the first and longest, where mentions overlap) and the evidence ids covering it.
    The template wraps a piece in ``<mark>`` and ``<a>``; escaping is the template's."""
    cuts = {0, len(text)}
    for m in mentions:
        cuts |= {min(max(m["begin"], 0), len(text)), min(max(m["end"], 0), len(text))}
    for b, e, _ in spans:
        cuts |= {min(max(b, 0), len(text)), min(max(e, 0), len(text))}
    bounds = sorted(cuts)
    ordered = sorted(mentions, key=lambda m: (m["begin"], -(m["end"] - m["begin"])))
    out, first_of = [], set()
    for start, end in zip(bounds, bounds[1:]):
        cover = next((m for m in ordered if m["begin"] <= start and end <= m["end"] and m["begin"] < m["end"]), None)
        marks = sorted(i for b, e, i in spans if b <= start and end <= e)
        anchors = [i for i in marks if i not in first_of]
        first_of.update(anchors)
        target = cover["target"] if cover else None
        out.append({"text": text[start:end], "url": target["url"] if target else None, "kind": target["kind"] if target else None,
                    "title": f"{target['name']} ({cover['type']})" if target else None, "marks": marks, "anchors": anchors, "begin": start})
    return out
