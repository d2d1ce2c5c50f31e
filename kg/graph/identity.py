"""Resolution across the articles of a store: the graph side of kg/resolve/across.py.

After a build, every article's graph still says what its extraction found (``kgo:extractedAs``
on each mention). This pass reads those findings from the store, asks the rules which nodes
are one (or two), and rewrites just the articles whose nodes move: their mentions, facts and
posts point to the resolved node, and a ``kgo:Resolution`` record with ``owl:sameAs`` says
why; the nodes it moves to are described from what the extraction found, never copied from an
earlier pass. So the graph depends only on the set of articles: a corpus built in one go or
in parts ends the same, and a second pass changes nothing. A pass reads only the entities the
articles written since the last one may change (their keys: kg/graph/pending.py) and, of an
article, only the triples a rewrite may change; ``full`` reads the whole store.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import OWL, RDFS, SKOS, XSD

from kg.graph import pending
from kg.graph.pending import event_day
from kg.graph.rdf import Triples, describe_entity, ntriples
from kg.graph.store import GraphStore, article_count, query_groups, read_threads, values_queries
from kg.graph.vocab import ITSRDF, KGO, KGO_, NIF, ORG, OWL_, PROV_, RDF_, RDFS_, SCHEMA, SHARED_GRAPH, SKOS_
from kg.graph.vocab import node as iri_node
from kg.model import Mention
from kg.nlp.names import surname_of
from kg.resolve.across import NAMESAKE, Cluster, Decision, Occurrence, WholeDays, pointed_to, resolve_across
from kg.shared.vocab import kind_prefix

RESOLVER = "resolve.across.v1"

_PREFIXES = f"""PREFIX kgo: <{KGO}> PREFIX schema: <{SCHEMA}> PREFIX org: <{ORG}> PREFIX nif: <{NIF}>
PREFIX itsrdf: <{ITSRDF}> PREFIX rdfs: <{RDFS}> PREFIX owl: <{OWL}>
"""
_MENTIONS = _PREFIXES + """
SELECT DISTINCT ?g ?node ?current ?type ?key ?ref WHERE {{
  {values}
  GRAPH ?g {{
    ?m kgo:key ?key ; kgo:extractedAs ?node ; itsrdf:taIdentRef ?current ; kgo:mentionType ?type .
    BIND(EXISTS {{ ?m a kgo:Reference }} AS ?ref)
  }}
  FILTER(?type = "person" || STRSTARTS(?type, "event"))  # the kinds the rules move
}}"""
# the same of the whole store, from the kinds the rules move (``_moved_kind``): half the time of
# reading every mention and filtering (the type's pattern first: the VALUES block is joined to it)
_KIND_MENTIONS = _PREFIXES + """
SELECT DISTINCT ?g ?node ?current ?type ?key ?ref WHERE {{
  {values}
  GRAPH ?g {{ ?m kgo:mentionType ?type ; kgo:key ?key ; kgo:extractedAs ?node ; itsrdf:taIdentRef ?current . BIND(EXISTS {{ ?m a kgo:Reference }} AS ?ref) }}
}}"""
_MENTION_TYPES = _PREFIXES + "SELECT DISTINCT ?type WHERE {{ GRAPH ?g {{ ?m kgo:mentionType ?type }} }}"
# the article's date and paper, apart: an OPTIONAL in a graph of a VALUES block makes Oxigraph read every graph
_ARTICLE_OF = _PREFIXES + """
SELECT ?g ?what ?value WHERE {{
  {values}
  GRAPH ?g {{ ?a a schema:NewsArticle . {{ ?a schema:datePublished ?value BIND("published" AS ?what) }} UNION {{ ?a schema:publisher ?value BIND("source" AS ?what) }} }}
}}"""
_POSTS = _PREFIXES + """
SELECT ?g ?who ?title ?code ?area_name WHERE {{
  {values}
  GRAPH ?g {{ ?ms org:member ?who ; kgo:postTitle ?title }}
  OPTIONAL {{ GRAPH ?g {{ ?ms kgo:postArea ?area }} ?area schema:identifier ?code ; schema:name ?area_name }}
}}"""
_EVENT_FACTS = _PREFIXES + """
SELECT ?g ?e ?what ?value WHERE {{
  {values}
  GRAPH ?g {{
    {{ ?e schema:startDate ?value BIND("date" AS ?what) }}
    UNION {{ ?e schema:location ?value BIND("venue" AS ?what) }}
    UNION {{ [] kgo:participant ?value ; kgo:event ?e BIND("participant" AS ?what) }}
  }}
}}"""
_RECORDS = _PREFIXES + """
SELECT ?g ?node ?target ?rule ?why WHERE {{
  {values}
  GRAPH ?g {{ ?r a kgo:Resolution ; kgo:extractedAs ?node ; owl:sameAs ?target ; kgo:resolvedBy ?rule ; rdfs:comment ?why }}
}}"""
# for a pass over part of the store (the names and days of kg/graph/pending.py)
_REFERENCES = _PREFIXES + "SELECT DISTINCT ?key WHERE {{ GRAPH ?g {{ ?m a kgo:Reference ; kgo:key ?key }} }}"
_POST_TITLES = _PREFIXES + "SELECT DISTINCT ?title WHERE {{ ?post a org:Post ; rdfs:label ?title }}"
# the holders' names in the shared graph, where each node is described once by its key (kg/graph/rdf.py
# ``describe_entity``, the nodes a pass moves to included), not the keys of every mention pointing to
# them: the same names (a reference's key that points to a holder is among the references read
# already), on a year's store 0.3 s against 0.9 s
_HOLDERS = _PREFIXES + f"""
SELECT DISTINCT ?key WHERE {{{{
  {{values}}
  GRAPH ?g {{{{ ?ms kgo:postTitle ?title ; org:member ?who }}}} GRAPH <{SHARED_GRAPH}> {{{{ ?who schema:name ?key }}}}
}}}}"""
_PERSONS_OF = _PREFIXES + """
SELECT DISTINCT ?g ?key WHERE {{
  {values}
  GRAPH ?g {{ ?m kgo:mentionType "person" ; kgo:key ?key FILTER NOT EXISTS {{ ?m a kgo:Reference }} }}
}}"""
_EVENT_GRAPHS = _PREFIXES + "SELECT DISTINCT ?g WHERE {{ {values} GRAPH ?g {{ ?e schema:startDate ?day }} }}"
_ALL_DAYS = _PREFIXES + "SELECT DISTINCT ?day WHERE {{ GRAPH ?g {{ ?e schema:startDate ?day }} }}"
_EVENT_DAYS = _PREFIXES + "SELECT DISTINCT ?day WHERE {{ {values} GRAPH ?g {{ ?e schema:startDate ?day }} }}"
# the events of days as the last pass left them (kg/resolve/across.py Cluster)
_CLUSTERS = _PREFIXES + """
SELECT DISTINCT ?g ?node ?now ?type ?key ?day WHERE {{
  {values}
  GRAPH ?g {{ ?now schema:startDate ?day . ?m itsrdf:taIdentRef ?now ; kgo:extractedAs ?node ; kgo:key ?key ; kgo:mentionType ?type FILTER(STRSTARTS(?type, "event")) }}
}}"""
_CLUSTER_VENUES = _PREFIXES + """
SELECT DISTINCT ?g ?now ?value WHERE {{ {values} GRAPH ?g {{ ?now schema:startDate ?day ; schema:location ?value }} }}"""
# the participants who are persons, apart from the venues (as a UNION with them this took half as
# long again), told by their IRIs: a person's mentions point to person nodes alone (kg/graph/rdf.py
# ``entity``, the namesakes' nodes of kg/resolve/across.py); asking their mentions took longer
_PERSON_NODES = ox.Literal(kind_prefix("person"))
_CLUSTER_PARTICIPANTS = _PREFIXES + f"""
SELECT DISTINCT ?g ?now ?value WHERE {{{{
  {{values}}
  GRAPH ?g {{{{ ?now schema:startDate ?day . ?p kgo:event ?now ; kgo:participant ?value FILTER(STRSTARTS(STR(?value), {_PERSON_NODES})) }}}}
}}}}"""
_CLUSTER_WHY = _PREFIXES + """
SELECT DISTINCT ?now ?why WHERE {{ {values} GRAPH ?g {{ ?now schema:startDate ?day . ?r a kgo:Resolution ; owl:sameAs ?now ; rdfs:comment ?why }} }}"""


@dataclass
class IdentityReport:
    moved: int = 0  # (article, entity) pairs that point elsewhere than extracted
    rewritten: int = 0  # article graphs rewritten by this pass


def _sparql(query: str, variable: str | None = None, terms=None, threads: int = 1) -> list[str]:
    """``query``, its ``{values}`` restricted to ``terms`` of ``variable`` (in VALUES blocks
    for ``threads``, ``values_queries``), or not restricted when ``variable`` is None."""
    if variable is None:
        return [query.format(values="")]
    return values_queries(lambda values: query.format(values=values), variable, sorted(map(str, terms)), threads)


def _rows_of(store: GraphStore, *asked: tuple) -> list[list[list]]:
    """The rows of each (query, variable, terms) of ``asked`` (as ``_sparql``), read side by side."""
    return query_groups(store, [_sparql(*a, threads=read_threads(store)) for a in asked])


def _rows(store: GraphStore, query: str, variable: str | None = None, terms=None) -> list[list]:
    """The rows of ``query`` (as ``_sparql``), its VALUES blocks read side by side."""
    return _rows_of(store, (query, variable, terms))[0]


def _moved_kind(mention_type: str) -> bool:
    """The kinds the rules move (the FILTER of ``_MENTIONS``)."""
    return mention_type == "person" or mention_type.startswith("event")


def _graphs(graphs) -> list[ox.NamedNode]:
    return [ox.NamedNode(g) for g in graphs]


@dataclass
class _Found:
    """What the articles found, as read from the store: the entities to decide, where each
    (graph, node as extracted) points now, and the people around them whose names are not
    decided in this pass (where they point now)."""

    occurrences: list[Occurrence]
    current: dict[tuple[str, str], str]
    around: dict[tuple[str, str], str]


def _occurrences(store: GraphStore, variable: str | None = None, terms=None, people: bool = True) -> _Found:
    """What the articles found (all of it, or the mentions whose ``variable`` is among
    ``terms``), with the posts of its people and the dates, venues and participants of its
    events; with ``people`` false, the people only say where they point (``around``). No
    two nodes of one article point to one node (kg/resolve/across.py), so where a node
    points now tells which entity of the article it is."""
    found: dict[tuple[str, str], Occurrence] = {}
    current: dict[tuple[str, str], str] = {}
    around: dict[tuple[str, str], str] = {}
    by_current: dict[tuple[str, str], Occurrence] = {}
    persons = defaultdict(set)
    if variable is None:
        kinds = [ox.Literal(t) for (t,) in _rows(store, _MENTION_TYPES) if _moved_kind(t)]
        mentions = _rows(store, _KIND_MENTIONS, "type", kinds)
    else:
        mentions = _rows(store, _MENTIONS, variable, terms)
    mentions.sort(key=lambda row: [str(v) for v in row])
    seen: dict[str, str] = {}  # each graph, node and key once in memory, however many rows name it (not sys.intern: immortal on some Pythons)
    for row in mentions:
        g, node, now, kind, key = (seen.setdefault(v, v) for v in row[:5])
        reference = row[5] in (True, "true", "1", 1)  # a boolean as the store returns it
        o = found.get((g, node)) or Occurrence(g, node, kind, key, reference=reference)
        by_current[g, now] = o
        if kind == "person" and not reference:
            persons[g].add(key)
        if kind == "person" and not people:
            around[g, node] = now
        else:
            found[g, node], current[g, node] = o, now
    del mentions  # and with them the rows' copies of each string
    if variable is None:  # the whole store's
        dated, posts, facts = _rows_of(store, (_ARTICLE_OF,), (_POSTS,), (_EVENT_FACTS,))
    else:
        nodes = {ox.NamedNode(now) for (g, node), now in current.items() if found[g, node].type == "person"}
        graphs = _graphs({g for (g, node), o in found.items() if o.type.startswith("event")})
        persons_in = _graphs({o.graph for o in found.values() if o.type == "person"})  # the rules read the article's date and paper of persons alone
        dated, posts, facts = _rows_of(store, (_ARTICLE_OF, "g", persons_in), (_POSTS, "who", nodes), (_EVENT_FACTS, "g", graphs))
    article: dict[str, dict[str, str]] = defaultdict(dict)
    for g, what, value in sorted(dated, key=lambda row: [str(v) for v in row], reverse=True):
        article[g][what] = str(value)[:10] if what == "published" else str(value)  # the least of several (sorted last)
    del dated
    for o in {id(o): o for o in by_current.values()}.values():
        o.persons = persons[o.graph]
        o.published, o.source = article[o.graph].get("published", ""), article[o.graph].get("source", "")

    def ours(g: str, now: str) -> Occurrence | None:
        o = by_current.get((g, now))
        return o if o is not None and found.get((g, o.node)) is o else None

    for g, who, title, code, area_name in posts:
        if (o := ours(g, who)) is not None:
            o.add("posts", title)
            if code:
                o.post_areas[str(code)] = area_name
    del posts
    for g, e, what, value in facts:
        if (o := ours(g, e)) is None:
            continue
        if what == "date":
            o.date = event_day(str(value))
        elif what == "venue":
            o.add("venues", value)
        elif (p := by_current.get((g, value))) is not None:
            o.add("participants", p.node)
    return _Found(list(found.values()), current, around)


def _days(days: set[str]) -> list[ox.Literal]:
    return [ox.Literal(d, datatype=ox.NamedNode(str(XSD.date))) for d in days]


def _clusters(store: GraphStore, days: set[str], new: set[str]) -> dict[str, list[Cluster]]:
    """The events of ``days`` as the last pass left them, without the reports of the new
    articles (their events' nodes ``new``): per event node, its reports, and per name the
    participants and venues of the reports so named."""
    found: dict[str, Cluster] = {}
    on: dict[str, str] = {}
    named: dict[tuple[str, str], Occurrence] = {}  # (graph, event node) -> the report's name, as _occurrences reads it: the first
    reports, venues, participants, whys = _rows_of(store, *((query, "day", _days(days)) for query in (_CLUSTERS, _CLUSTER_VENUES, _CLUSTER_PARTICIPANTS, _CLUSTER_WHY)))
    for g, node, now, kind, key, day in sorted(reports, key=lambda row: [str(v) for v in row]):
        if now not in new and (g, now) not in named:
            c = found.setdefault(now, Cluster(now, []))
            c.members.append(Occurrence(g, node, kind, key))
            named[g, now] = c.named.setdefault(key, Occurrence(g, now, kind, key))
            on[now] = event_day(str(day))
    for rows, facts in ((venues, "venues"), (participants, "participants")):
        for g, now, value in rows:
            if (report := named.get((g, now))) is not None:
                report.add(facts, value)
    for now, why in whys:
        if now in found:
            found[now].why.add(why)
    by_day: dict[str, list[Cluster]] = {day: [] for day in days}
    for now in sorted(found):
        by_day[on[now]].append(found[now])
    return by_day


def _to_decide(store: GraphStore, keys: pending.Pending) -> tuple[_Found, dict[str, list[Cluster]]]:
    """The entities whose decisions the articles written since the last pass may change: the
    people of their names (and, for the references of their surnames, the holders of the posts
    that the references' titles may stand for); the events of the new articles, with the
    events their days hold (``Cluster``); and the events of the days to decide whole (of
    replaced articles, and those on which the moved people's events fall)."""
    names = keys.names
    surnames = {surname_of(n) for n in names}
    references = {key for (key,) in _rows(store, _REFERENCES) if surname_of(key) in surnames}
    titles = {key[len(surname_of(key)) :] for key in references}
    posts = [ox.Literal(t) for (t,) in _rows(store, _POST_TITLES) if any(t.endswith(title) for title in titles)]
    holders = {key for (key,) in _rows(store, _HOLDERS, "title", posts) if surname_of(key) in {surname_of(r) for r in references}}
    names = names | references | holders
    people = _occurrences(store, "key", [ox.Literal(n) for n in names])
    refs = _graphs({o.graph for o in people.occurrences if o.reference})
    in_article = defaultdict(set)  # the names of a reference's article: a 江 beside 江主席 leaves it unresolved
    for g, key in _rows(store, _PERSONS_OF, "g", refs):
        in_article[g].add(key)
    for o in people.occurrences:
        o.persons = in_article[o.graph] if o.reference else o.persons
    decisions = resolve_across(people.occurrences)
    moved = _graphs({o.graph for o in people.occurrences if pointed_to(decisions, o.graph, o.node) != people.current[o.graph, o.node]})
    whole = keys.whole_days | {event_day(str(d)) for (d,) in _rows(store, _EVENT_DAYS, "g", moved)} - {""}
    days = keys.days - whole
    graphs = {g for (g,) in _rows(store, _EVENT_GRAPHS, "day", _days(whole))} | (keys.graphs if days else set())
    events = _occurrences(store, "g", _graphs(graphs), people=False)
    chosen = [o for o in events.occurrences if o.date in whole or (o.date in days and o.graph in keys.graphs)]
    clusters = _clusters(store, days, {events.current[o.graph, o.node] for o in chosen if o.date in days}) if days else {}
    return _Found(
        people.occurrences + chosen,
        people.current | {(o.graph, o.node): events.current[o.graph, o.node] for o in chosen},
        {k: v for k, v in events.around.items() if k not in people.current},
    ), clusters


def _changeable(graph: str, nodes: list[str]) -> str:
    """The query of what a rewrite may change in an article's graph: the triples of the nodes
    it renames, and the records, aliases and resolver of the previous pass; the rest (the
    article's text, its evidence, most of its mentions) stays as it is and is not read."""
    values = " ".join(str(ox.NamedNode(n)) for n in nodes)  # our IRIs, validated
    return _PREFIXES + f"""CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {ox.NamedNode(graph)} {{
  {{ VALUES ?s {{ {values} }} ?s ?p ?o }} UNION {{ VALUES ?o {{ {values} }} ?s ?p ?o }}
  UNION {{ VALUES ?p {{ owl:sameAs <{SKOS.altLabel}> }} ?s ?p ?o }} UNION {{ ?s a kgo:Resolution ; ?p ?o }}
}} }}"""


def _rewrite(store: GraphStore, graph: str, found: dict[str, Occurrence], now: dict[str, str], target: dict[str, str], decisions: dict[str, Decision], names: dict[str, str], others: bool) -> None:
    """Point the article's entities ``found`` (``now``: where each points) to ``target``, with
    the records that say why; what the previous pass wrote about them is dropped first.
    ``others``: the graph keeps records about entities this pass does not decide."""
    moves = {now[node]: target[node] for node in now if now[node] != target[node]}
    renamed = {ox.NamedNode(a): ox.NamedNode(b) for a, b in moves.items()}
    extractor = iri_node("extractor", RESOLVER)
    old = [q.triple for q in ox.parse(store.construct(_changeable(graph, [*moves, extractor.value])), format=ox.RdfFormat.N_TRIPLES)]
    rdf_type, resolution, same, alias, extracted = RDF_.type, KGO_.Resolution, OWL_.sameAs, SKOS_.altLabel, KGO_.extractedAs
    if others:  # the previous pass's records and aliases of the entities decided here
        earlier = {iri_node("resolution", graph, node) for node in found}
        aliases = {(ox.NamedNode(now[node]), ox.Literal(o.key)) for node, o in found.items()}

        def dropped(t: ox.Triple) -> bool:
            return t.subject in earlier or (t.predicate == same and t.subject.value in found) or (t.predicate == alias and (t.subject, t.object) in aliases)
    else:  # all the previous pass's records, aliases and its resolver
        earlier = {t.subject for t in old if t.predicate == rdf_type and t.object == resolution} | {extractor}

        def dropped(t: ox.Triple) -> bool:
            return t.subject in earlier or t.predicate in (same, alias)
    kept = []
    for t in old:
        if dropped(t):
            continue
        obj = t.object if t.predicate == extracted else renamed.get(t.object, t.object)
        kept.append(ox.Triple(renamed.get(t.subject, t.subject), t.predicate, obj))
    records = Triples(ox.NamedNode(graph))
    if decisions:
        records.add((extractor, rdf_type, KGO_.Extractor))
        records.add((extractor, RDFS_.label, ox.Literal(f"kg {RESOLVER}")))
    for node, d in decisions.items():
        record, n, to = iri_node("resolution", graph, node), ox.NamedNode(node), ox.NamedNode(d.target)
        for p, o in ((rdf_type, resolution), (extracted, n), (same, to), (KGO_.resolvedBy, ox.Literal(d.rule)),
                     (RDFS_.comment, ox.Literal(d.why)), (PROV_.wasAttributedTo, extractor)):
            records.add((record, p, o))
        records.add((n, same, to))
        if d.rule != NAMESAKE and found[node].key != names.get(d.target):
            records.add((to, alias, ox.Literal(found[node].key)))  # 全国政协新年茶话会, another name of 新年茶话会
    shared = Triples(ox.NamedNode(SHARED_GRAPH))
    for node, o in found.items():
        moved_to_new = node in decisions and decisions[node].rule == NAMESAKE
        if now[node] != target[node] and (moved_to_new or target[node] == node):
            kind, _, subtype = o.type.partition(":")  # described from what the extraction found
            describe_entity(shared, ox.NamedNode(target[node]), Mention(o.key, kind, 0, 0, subtype, o.key))
    # only the nodes it moves away from may be left undescribed: the rest of the shared graph stays
    wanted = set(kept) | {ox.Triple(*t) for t in records}
    present = set(old)
    removed, added = [t for t in present if t not in wanted], [t for t in wanted if t not in present]
    nt = ox.RdfFormat.N_TRIPLES
    store.change_graph(graph, ox.serialize(removed, format=nt), ox.serialize(added, format=nt), ntriples(shared), list(moves))


def resolve_store(store: GraphStore, full: bool = False) -> IdentityReport:
    """Resolve across articles what the articles written since the last pass may change (the
    index of kg/graph/pending.py), or, ``full``, the whole store; rewrite the articles that
    change. Either way the graph is the one a pass over the whole store gives."""
    keys = pending.read(store)
    if not full and (keys.whole_days and len(keys.whole_days) >= len(_rows(store, _ALL_DAYS)) / 2 or keys.graphs and len(keys.graphs) >= article_count(store) / 2):
        full = True  # most of the store to decide (a first build): reading it all is quicker, the graph the same
    if not (full or keys):
        return IdentityReport()
    store.update(pending.STARTED)
    while True:
        chosen, clusters = (_occurrences(store), {}) if full else _to_decide(store, keys)
        try:
            decisions = resolve_across(chosen.occurrences, chosen.around, clusters)
            break
        except WholeDays as refused:  # the order of the day's reports decides: read them all
            keys.whole_days |= refused.days
            keys.days -= refused.days
    occurrences, current = chosen.occurrences, chosen.current
    names = {o.node: o.key for o in occurrences}
    for c in (c for day in clusters.values() for c in day):
        before = next(iter(c.why), "")
        for m in c.members:
            names[m.node] = m.key
            d = decisions.get((m.graph, m.node))
            after = (d.target, d.why) if d else (m.node, "")
            if after != ((c.node, before) if m.node != c.node else (m.node, "")):
                occurrences.append(m)  # an earlier report that moves (a new report's is the event's node now)
                current[m.graph, m.node] = c.node
    found: dict[str, dict[str, Occurrence]] = defaultdict(dict)
    for o in occurrences:
        found[o.graph][o.node] = o
    records = defaultdict(set)
    for g, node, target, rule, why in _rows(store, _RECORDS, None if full else "g", _graphs(found)):
        records[g].add((node, target, rule, why))
    report = IdentityReport(moved=sum(1 for o in occurrences if (o.graph, o.node) in decisions))
    by_graph: dict[str, dict[str, Decision]] = defaultdict(dict)
    for o in occurrences:
        if (o.graph, o.node) in decisions:
            by_graph[o.graph][o.node] = decisions[o.graph, o.node]
    for g in sorted(set(found) | set(records)):
        wanted = by_graph.get(g, {})
        now = {node: current[g, node] for node in found[g]}
        target = {node: pointed_to(decisions, g, node) for node in now}
        mine = {r for r in records.get(g, set()) if full or r[0] in found[g]}
        if now != target or mine != {(n, d.target, d.rule, d.why) for n, d in wanted.items()}:
            _rewrite(store, g, found[g], now, target, wanted, names, others=len(mine) < len(records.get(g, set())))
            report.rewritten += 1
    store.update(pending.done(keys.data))
    return report
