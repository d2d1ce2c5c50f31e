"""The store, SPARQL, exports and the NetworkX view, on the example page built by ``kg build``."""

from __future__ import annotations

import csv
import json

import networkx as nx
import pytest
import rdflib
from conftest import EXAMPLE

from kg.cli import main
from kg.graph.store import StoreError
from kg.views.network import coattendance, to_networkx
from kg.views.query import run_query

MEETING = "全省高质量项目建设和企业发展推进大会"


def test_attendance_query_has_the_documented_columns(store):
    columns, rows = run_query(store, "attendance")
    assert columns == ["participant", "participant_type", "event", "role", "date", "venue", "article", "evidence", "list", "position"]
    attendees = {r[0] for r in rows if r[2] == MEETING and r[3] == "attendee"}
    assert len(attendees) == 10
    row = next(r for r in rows if r[0] == "胡勇春")
    assert row[1:7] == ["person", MEETING, "attendee", "2024-01-11", "永康分会场", "examples/000_6cc8837633432b08.txt#01"]
    assert "胡勇春" in row[7]


@pytest.mark.parametrize("threads", [1, 2, 4])
def test_queries_read_side_by_side_answer_each_as_alone(store, monkeypatch, threads):
    """query_all runs queries in threads (Oxigraph evaluates them without Python's lock): each
    answer is the query's own, in the order asked, an empty query none; an error is raised."""
    from kg.graph import store as stores

    monkeypatch.setattr(store, "read_threads", threads)
    queries = ["SELECT ?s WHERE { ?s a <https://schema.org/Person> }", "", "SELECT ?s WHERE { ?s a <https://schema.org/Event> }",
               "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"]
    answers = stores.query_all(store, queries)
    assert answers[1] == [] and len(answers) == 4
    for query, rows in zip(queries, answers):
        if query:
            assert rows == store.query(query)[1] and rows
    with pytest.raises(StoreError, match="syntax"):
        stores.query_all(store, [queries[0], "SELECT nonsense"])


@pytest.mark.parametrize("count, most, threads", [(0, 1000, 2), (1, 1000, 2), (99, 1000, 2), (100, 1000, 2), (176, 1000, 2), (2000, 1000, 2),
                                                   (2500, 1000, 2), (8001, 1000, 8), (5, 2, 1)])
def test_values_blocks_keep_every_term_in_order_within_the_limit(count, most, threads):
    from kg.graph.store import VALUES_FEWEST, values_blocks

    terms = list(range(count))
    blocks = values_blocks(terms, most, threads)
    assert [t for block in blocks for t in block] == terms and all(0 < len(block) <= most for block in blocks)
    if count >= threads * VALUES_FEWEST and threads > 1:  # enough for the threads: a multiple of them, of like size
        assert len(blocks) % threads == 0 and max(map(len, blocks)) - min(map(len, blocks)) <= max(map(len, blocks)) // 2
    elif count:
        assert len(blocks) == -(-count // most)


def test_a_store_says_how_many_queries_it_answers_at_once(store, tmp_path):
    from kg.graph.store import SparqlHttpStore, read_threads

    assert read_threads(store) >= 1 and read_threads(SparqlHttpStore("sparql+http://127.0.0.1:9/query")) == 1


def _resident_bytes(paths) -> int:
    """Bytes of ``paths`` in the page cache, by util-linux's fincore."""
    import shutil
    import subprocess

    if not shutil.which("fincore"):
        pytest.skip("no fincore here to tell what the page cache holds")
    out = subprocess.run(["fincore", "-b", "-n", "-o", "RES", *map(str, paths)], capture_output=True, text=True, check=True).stdout
    return sum(map(int, out.split()))


def test_a_store_read_ahead_is_in_the_page_cache_and_a_lost_file_stops_nothing(built, tmp_path, monkeypatch):
    """read_ahead reads an embedded store's files into the cache in the background (after the
    system let go of them, as it does of a store left idle); a file gone meanwhile (compacted
    away) is passed over; a store too big for the memory, in memory, or that says nothing is not read."""
    import os
    import shutil
    import subprocess

    from kg.graph import store as stores

    copy = tmp_path / "copy"
    shutil.copytree(built / "store", copy)
    s = stores.open_store(copy, read_only=True)
    try:
        files = [f for f, size in s.files() if size]
        assert files and all(f.parent == copy for f in files)
        subprocess.run(["sync"], check=True)
        for f in files:
            fd = os.open(f, os.O_RDONLY)
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            os.close(fd)
        total = sum(f.stat().st_size for f in files)
        assert _resident_bytes(files) < total / 2
        stores.read_ahead(s)()
        assert _resident_bytes(files) >= 0.9 * total
        monkeypatch.setattr(s, "files", lambda: [(tmp_path / "compacted away", 10), *((f, f.stat().st_size) for f in files)])
        stores.read_ahead(s)()  # no error
        monkeypatch.setattr(stores.threading, "Thread", lambda **_: pytest.fail("a store read that should not be"))
        monkeypatch.setattr(stores, "READ_AHEAD_SHARE", 0.0)
        stores.read_ahead(s)()
        stores.read_ahead(stores.OxigraphStore(None))()
        stores.read_ahead(object())()
    finally:
        s.close()


def test_union_default_graph_and_named_graphs(store):
    _, rows = run_query(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert rows[0][0] > 100
    _, rows = run_query(store, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?a a <https://schema.org/NewsArticle> } }")
    assert len(rows) == 3


def test_the_opening_was_held_at_the_museum_on_the_day(store):
    _, rows = run_query(store, "events")
    opening = next(r for r in rows if r[0].endswith("开幕式暨颁奖仪式"))
    assert opening[2:4] == ["2024-01-11", "市博物馆"]


def test_credits_are_authors_not_attendees(store):
    q = """PREFIX schema: <https://schema.org/>
    SELECT ?name ?prop WHERE { ?a a schema:NewsArticle ; ?prop ?x . ?x schema:name ?name .
      FILTER(?prop IN (schema:author, schema:contributor)) }"""
    _, rows = run_query(store, q)
    assert {(n, p.rsplit("/", 1)[-1]) for n, p in rows} == {("陈晓苏", "author"), ("杨成栋", "contributor"), ("吕晓婷", "contributor")}
    _, rows = run_query(store, "PREFIX schema: <https://schema.org/> SELECT ?n WHERE { ?e schema:attendee/schema:name ?n }")
    assert not {r[0] for r in rows} & {"陈晓苏", "杨成栋", "吕晓婷", "习近平"}


def test_updates_are_refused(store):
    for update in ("DROP ALL", "INSERT DATA { <urn:a> <urn:b> <urn:c> }", "delete where { ?s ?p ?o }"):
        with pytest.raises(StoreError, match="read-only"):
            run_query(store, update)
    # the words inside a string are no update
    _, rows = run_query(store, 'SELECT ?x WHERE { BIND("DROP ALL" AS ?x) }')
    assert rows == [["DROP ALL"]]


def test_a_second_build_leaves_the_graph_unchanged(built, tmp_path):
    from kg.graph.store import open_store

    def quads():
        s = open_store(built, read_only=True)
        try:
            return s.count(), set(s.dump("N_QUADS").splitlines())
        finally:
            s.close()

    before = quads()
    assert main(["build", str(EXAMPLE), "--pub-date", "2024-01-12", "-o", str(built)]) == 0
    assert quads() == before
    # a fresh build of the same input gives the very same quads: IRIs are deterministic
    fresh = tmp_path / "fresh"
    assert main(["build", str(EXAMPLE), "--pub-date", "2024-01-12", "-o", str(fresh)]) == 0
    s = open_store(fresh, read_only=True)
    assert set(s.dump("N_QUADS").splitlines()) == before[1]
    s.close()


@pytest.mark.parametrize("fmt,rdflib_format", [("turtle", "turtle"), ("nt", "nt"), ("nquads", "nquads"), ("trig", "trig"), ("json-ld", "json-ld")])
def test_rdf_exports_parse_back(built, tmp_path, fmt, rdflib_format):
    path = tmp_path / f"kg.{fmt}"
    assert main(["export", "-s", str(built), "--format", fmt, "-o", str(path)]) == 0
    data = rdflib.Dataset()
    data.parse(path, format=rdflib_format)
    names = {str(o) for _, _, o, _ in data.quads((None, rdflib.URIRef("https://schema.org/name"), None, None))}
    assert {"胡勇春", MEETING, "永康分会场"} <= names


@pytest.mark.parametrize("fmt,reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_gephi_exports_parse_back(built, tmp_path, fmt, reader):
    path = tmp_path / f"kg.{fmt}"
    assert main(["export", "-s", str(built), "--format", fmt, "-o", str(path)]) == 0
    g = reader(path)
    labels = {d.get("label") for _, d in g.nodes(data=True)}
    assert {"胡勇春", MEETING} <= labels
    roles = {d.get("role") for *_, d in g.edges(data=True)}
    assert {"attendee", "speaker"} <= roles


def test_csv_export_for_pandas_and_neo4j(built, tmp_path):
    assert main(["export", "-s", str(built), "--format", "csv", "-o", str(tmp_path / "csv")]) == 0
    nodes = list(csv.DictReader((tmp_path / "csv" / "nodes.csv").open(encoding="utf-8")))
    edges = list(csv.DictReader((tmp_path / "csv" / "edges.csv").open(encoding="utf-8")))
    ids = {n["id:ID"] for n in nodes}
    assert all(e[":START_ID"] in ids and e[":END_ID"] in ids for e in edges)
    assert sum(e["role"] == "attendee" for e in edges) == 10


def test_networkx_view_and_coattendance(store):
    g = to_networkx(store)
    types = {d["type"] for _, d in g.nodes(data=True)}
    assert {"person", "organization", "place", "event", "article"} <= types
    co = coattendance(g)
    labels = {n: d["label"] for n, d in co.nodes(data=True)}
    assert len(co) == 10 and co.number_of_edges() == 45
    assert all(d["weight"] == 1 for *_, d in co.edges(data=True))
    assert "胡勇春" in labels.values()


def test_query_output_formats(built, capsys):
    assert main(["query", "-s", str(built), "attendance", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 14 and rows[0]["event"] == MEETING
    assert main(["query", "-s", str(built), "coattendance", "--format", "csv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "person1,person2,events" and len(out) == 46


def test_analysis_of_coattendance(store):
    from kg.views import analysis

    g = to_networkx(store)
    columns, rows = analysis.pairs(g)
    assert columns[:3] == ["person1", "person2", "events"] and len(rows) == 45
    assert all(r[2] == 1 and r[3] == MEETING for r in rows)
    _, rows = analysis.centrality(g)
    assert len(rows) == 10 and all(r[1] == 9 for r in rows)
    _, rows = analysis.communities(g)
    assert [r[1] for r in rows] == [10]
    _, rows = analysis.timeline(g, person="胡勇春")
    assert rows == [["胡勇春", "2024-01-11", MEETING, "attendee", "examples/000_6cc8837633432b08.txt#01"]]


def test_analyze_command_writes_tables_and_plots(built, tmp_path, capsys):
    import xml.etree.ElementTree as ET

    capsys.readouterr()
    assert main(["analyze", "-s", str(built), "centrality", "--format", "json", "--plots", str(tmp_path)]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["person"] for r in rows} >= {"胡勇春", "郑云涛"}
    import warnings

    from matplotlib import font_manager

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert main(["analyze", "-s", str(built), "--plots", str(tmp_path)]) == 0
    for name in ("pairs", "centrality", "timeline"):
        assert ET.parse(tmp_path / f"{name}.svg").getroot().tag.endswith("svg")
    if any("CJK" in path for path in font_manager.findSystemFonts()):  # Makefile's fonts target installs them
        assert not [w for w in caught if "missing from font" in str(w.message)]  # names drawn, not boxes


def test_explain_prints_the_query_plan(built, capsys):
    capsys.readouterr()
    assert main(["query", "-s", str(built), "people", "--explain"]) == 0
    plan = capsys.readouterr().out
    assert "QueryExplanation" in plan and "number of results" in plan


def test_posts_over_time_are_queryable(tmp_path, capsys):
    for day, text in (("2024-01-05", "市长郑云涛出席全市经济工作会议。"), ("2024-02-03", "市委副书记、市长郑云涛出席全市安全生产工作会议。")):
        (tmp_path / "in").mkdir(exist_ok=True)
        (tmp_path / "in" / f"yk_{day}.txt").write_text(text, encoding="utf-8")
    assert main(["build", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--jobs", "1"]) == 0
    capsys.readouterr()
    query = """PREFIX org: <http://www.w3.org/ns/org#> PREFIX kgo: <https://w3id.org/kg-news/ontology#>
    PREFIX schema: <https://schema.org/> PREFIX time: <http://www.w3.org/2006/time#> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
    SELECT DISTINCT ?who WHERE { ?m org:member/schema:name ?who ; kgo:postTitle "市长" ;
      org:memberDuring/time:hasBeginning/time:inXSDDate ?d FILTER(?d >= "2024-01-01"^^xsd:date && ?d <= "2024-01-31"^^xsd:date) }"""
    assert main(["query", "-s", str(tmp_path / "out"), query, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"who": "郑云涛"}]
    assert main(["query", "-s", str(tmp_path / "out"), "posts", "--format", "json"]) == 0
    rows = {(r["person"], r["post"]): r for r in json.loads(capsys.readouterr().out)}
    assert rows[("郑云涛", "市长")]["first_seen"] == "2024-01-05" and rows[("郑云涛", "市长")]["last_seen"] == "2024-02-03"


def test_an_entitys_first_mention_in_an_article_records_what_the_extraction_found(store):
    """Every printed mention is a node pointing to what it names; what the extraction found
    (the key, the type, the node as found: what the pass across articles reads) is on the
    entity's first mention of the article and on each reference or resolved one, not on
    the others; the explorer still gives every mention its entity's type."""
    from kg.views.explorer import reads

    counted = store.query("""PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
      SELECT ?g ?e (COUNT(?m) AS ?printed) (COUNT(?key) AS ?recorded) (COUNT(DISTINCT ?key) AS ?keys) (COUNT(?why) AS ?kept) WHERE { GRAPH ?g {
        ?m a nif:Phrase ; <http://www.w3.org/2005/11/its/rdf#taIdentRef> ?e .
        OPTIONAL { ?m <https://w3id.org/kg-news/ontology#key> ?key ; <https://w3id.org/kg-news/ontology#extractedAs> [] ; <https://w3id.org/kg-news/ontology#mentionType> [] }
        OPTIONAL { { ?m a <https://w3id.org/kg-news/ontology#Reference> } UNION { ?m <https://w3id.org/kg-news/ontology#resolvedBy> [] } BIND(1 AS ?why) }
      } } GROUP BY ?g ?e""")[1]
    assert any(int(printed) > 1 for _, _, printed, *_ in counted)  # the seed page prints some names twice
    # one mention of each node as found (a name; an event's names, one node after the pass) and the references and resolved
    assert all(1 <= int(recorded) <= int(keys) + int(kept) for _, _, _, recorded, keys, kept in counted)
    assert any(int(recorded) < int(printed) for _, _, printed, recorded, *_ in counted)
    ((article,),) = store.query("SELECT ?id WHERE { ?a a <https://schema.org/NewsArticle> ; <https://schema.org/identifier> ?id } LIMIT 1")[1]
    marked = [p for p in reads.article(store, article)["pieces"] if p["url"]]
    assert marked and all(not p["title"].endswith("()") for p in marked)


def test_a_store_with_each_entitys_first_mention_only_answers_as_the_full_one(built, tmp_path):
    """--mentions first: fewer quads, and the same answers to the canned queries,
    the explorer's pages of persons and events, and the pass across articles' records."""
    import kg
    from kg.views.explorer import reads
    from kg.views.query import canned_queries

    full = kg.open(built)
    lean = kg.build([str(EXAMPLE)], tmp_path / "lean", pub_date="2024-01-12", mentions="first", picture=False)
    assert lean.stats()["quads"] < full.stats()["quads"]  # (on the seed page few names are printed twice)
    for name in canned_queries():
        assert lean.query(name) == full.query(name), name
    records = "SELECT ?r ?to ?why WHERE { ?r a <https://w3id.org/kg-news/ontology#Resolution> ; <http://www.w3.org/2002/07/owl#sameAs> ?to ; <http://www.w3.org/2000/01/rdf-schema#comment> ?why }"
    assert sorted(map(str, lean.query(records))) == sorted(map(str, full.query(records)))
    taking_part = full.query("SELECT DISTINCT ?p ?e WHERE { ?x <https://w3id.org/kg-news/ontology#participant> ?p ; <https://w3id.org/kg-news/ontology#event> ?e } ORDER BY ?p ?e")
    people, events = {row["p"] for row in taking_part}, {row["e"] for row in taking_part}
    assert people and events
    with full._reading() as a, lean._reading() as b:
        for iri in people:
            assert reads.person(b, iri) == reads.person(a, iri)
        for iri in events:
            assert reads.event(b, iri) == reads.event(a, iri)
