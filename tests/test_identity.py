"""One graph across articles: people, bodies, places and events resolved, with their records.

Articles of our own, built into a real store and resolved by the same pass ``kg build`` runs.
Each rule has its must-merge case and its must-NOT-merge case.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import quads_of
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.graph.build import build
from kg.graph.identity import resolve_store
from kg.graph.store import OxigraphStore
from kg.model import Article

PREFIXES = """PREFIX schema: <https://schema.org/> PREFIX kgo: <https://w3id.org/kg-news/ontology#>
PREFIX owl: <http://www.w3.org/2002/07/owl#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX itsrdf: <http://www.w3.org/2005/11/its/rdf#> PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
YONGKANG = "永康日报"


def _article(id: str, text: str, date="2024-01-10", source=YONGKANG, home="永康市") -> Article:
    return Article(id=id, text=text, date=date, source=source, home_place=home)


def _build(path, articles):
    store = OxigraphStore(path)
    build(articles, store)
    return store, resolve_store(store)


def _rows(store, sparql):
    return store.query(PREFIXES + sparql)[1]


def _nodes(store, kind: str, name: str) -> dict[str, set[str]]:
    """node -> the articles whose mentions point to it, for the entities of that name."""
    out: dict[str, set[str]] = {}
    for node, article in _rows(store, f'SELECT ?n ?id WHERE {{ GRAPH ?g {{ ?a schema:mentions ?n ; schema:identifier ?id }} ?n a schema:{kind} ; schema:name "{name}" }}'):
        out.setdefault(node, set()).add(article)
    return out


def _points_to(store, article: str, printed: str) -> set[str]:
    """The names of what the mentions printed so in an article point to."""
    rows = _rows(store, f'SELECT ?name WHERE {{ GRAPH ?g {{ ?m nif:anchorOf "{printed}" ; itsrdf:taIdentRef ?n ; nif:referenceContext ?a . ?a schema:identifier "{article}" }} ?n schema:name ?name }}')
    return {name for (name,) in rows}


MEETING = _article("meeting", "本报讯 1月9日，全市经济工作会议在市行政中心召开。市委书记胡勇春出席会议并讲话，市长郑云涛主持会议。")
VISIT = _article("visit", "本报讯 1月10日，胡书记带队到企业调研。", date="2024-01-11")


def test_a_reference_is_resolved_across_articles_with_its_record(tmp_path):
    store, report = _build(tmp_path / "s", [MEETING, VISIT])
    assert _points_to(store, "visit", "胡书记") == {"胡勇春"}
    assert len(_nodes(store, "Person", "胡勇春")) == 1
    ((rule, why, alias),) = _rows(store, "SELECT ?rule ?why ?from WHERE { GRAPH ?g { ?r a kgo:Resolution ; kgo:resolvedBy ?rule ; rdfs:comment ?why ; kgo:extractedAs ?from ; owl:sameAs ?to } ?to schema:name '胡勇春' }")
    assert rule == "surname+title across articles" and "市委书记" in why
    assert _rows(store, f"SELECT ?to WHERE {{ GRAPH ?g {{ <{alias}> owl:sameAs ?to }} }}")  # the alias, in RDF
    assert not _nodes(store, "Person", "胡书记")  # the reference's own node is gone from the entities
    assert report.moved == 1


def test_a_reference_by_compound_surname_is_resolved_across_articles(tmp_path):
    meeting = _article("m2", "本报讯 1月9日，全市经济工作会议在市行政中心召开。市委书记欧阳明出席会议并讲话。")
    visit = _article("v2", "本报讯 1月10日，欧阳书记带队到企业调研。", date="2024-01-11")
    store, _ = _build(tmp_path / "s", [meeting, visit])
    assert _points_to(store, "v2", "欧阳书记") == {"欧阳明"}


def test_a_reference_two_officials_fit_or_a_namesake_in_its_article_stays_unresolved(tmp_path):
    other = _article("other", "本报讯 1月8日，全市教育工作会议召开。市委副书记胡海峰出席会议。", date="2024-01-09")
    store, _ = _build(tmp_path / "s", [MEETING, VISIT, other])
    assert _points_to(store, "visit", "胡书记") == {"胡书记"}  # 胡勇春 and 胡海峰 both fit
    store.close()
    same = _article("same", "本报讯 1月10日，胡书记和胡晓东一起到企业调研。", date="2024-01-11")
    store, _ = _build(tmp_path / "t", [MEETING, same])
    assert _points_to(store, "same", "胡书记") == {"胡书记"}  # 胡晓东 of the article holds no 书记 post: not 胡勇春


BOTH = _article("both", "本报讯 1月10日，胡勇春到企业调研。胡书记说，要抓好安全生产。", date="2024-01-11")
WUYI = _article("wuyi", "本报讯 1月10日，武义县委书记胡勇春出席全县农业工作会议。", source="B", home="")
DEPUTY = _article("deputy", "本报讯 1月10日，副市长胡勇春到企业调研。胡书记说，要抓好安全生产。", date="2024-01-11")
TITLE_ONLY = _article("title", "本报讯 1月12日，胡副市长到企业调研。", date="2024-01-12")
OTHER_HU = _article("other", "本报讯 1月8日，全市教育工作会议召开。市委副书记胡海峰出席会议。", date="2024-01-09")


def test_a_reference_beside_someone_of_its_surname_stays_a_reference(tmp_path):
    store, _ = _build(tmp_path / "s", [MEETING, BOTH])
    assert _points_to(store, "both", "胡书记") == {"胡书记"}  # 胡勇春 or another 胡: the article cannot tell
    assert _points_to(store, "both", "胡勇春") == {"胡勇春"}


@pytest.mark.parametrize(
    "parts",
    [
        [[MEETING, BOTH], [WUYI]],  # 胡勇春 splits into namesakes after his article was resolved
        [[MEETING, VISIT], [OTHER_HU]],  # a second 胡…书记 arrives: 胡书记 is unresolved again
        [[MEETING, DEPUTY, TITLE_ONLY]],  # a reference and its full name in one article
        [[MEETING, VISIT], [WUYI], [OTHER_HU]],
    ],
)
def test_any_history_of_parts_ends_as_the_build_in_one_go(tmp_path, parts):
    one, _ = _build(tmp_path / "one", [a for part in parts for a in part])
    assert resolve_store(one).rewritten == 0
    one.close()
    store = OxigraphStore(tmp_path / "parts")
    for part in parts:
        build(part, store)
        resolve_store(store)
    assert resolve_store(store).rewritten == 0
    store.close()
    assert quads_of(tmp_path / "parts") == quads_of(tmp_path / "one")


def test_a_replaced_article_takes_its_areas_and_series_with_it(tmp_path):
    store = OxigraphStore(tmp_path / "s")
    build([_article("x", "杭州钱塘区的客商参加了第二届“寻美永康”摄影展。", home="")], store)
    build([_article("x", "客商参加了座谈会。", home="")], store)
    store.close()
    fresh = OxigraphStore(tmp_path / "fresh")
    build([_article("x", "客商参加了座谈会。", home="")], fresh)
    fresh.close()
    assert quads_of(tmp_path / "s") == quads_of(tmp_path / "fresh")


NAMESAKES = [
    _article("yk", "永康市副市长王刚出席了全市旅游工作会议。", source="A", home=""),
    _article("wy", "武义县副县长王刚出席了全县农业工作会议。", source="B", home=""),
    _article("jh", "金华市副市长王刚出席了全市交通工作会议。", source="C", home=""),
    _article("none", "王刚出席了全国旅游工作会议。", source="D", home=""),
]


def test_namesakes_with_posts_in_separate_areas_are_kept_apart(tmp_path):
    store, _ = _build(tmp_path / "s", NAMESAKES[:2] + NAMESAKES[3:])
    nodes = _nodes(store, "Person", "王刚")
    assert sorted(nodes.values(), key=sorted) == [{"none"}, {"wy"}, {"yk"}]  # placed nowhere: the name alone
    ((rule, why),) = _rows(store, "SELECT ?rule ?why WHERE { GRAPH ?g { ?r kgo:resolvedBy ?rule ; rdfs:comment ?why ; kgo:extractedAs ?n ; nif:referenceContext ?a } ?a schema:identifier 'yk' }") or _rows(
        store, "SELECT ?rule ?why WHERE { GRAPH <https://w3id.org/kg-news/id/graph/article/yk> { ?r kgo:resolvedBy ?rule ; rdfs:comment ?why } }"
    )
    assert rule == "namesake" and why == "王刚 holding posts in 永康市 is not 王刚 holding posts in 武义县, and neither area lies in the other"


def test_a_post_in_an_area_within_another_is_the_same_person(tmp_path):
    store, _ = _build(tmp_path / "s", [NAMESAKES[0], NAMESAKES[2]])  # 永康市 lies in 金华市
    assert list(_nodes(store, "Person", "王刚").values()) == [{"yk", "jh"}]


def test_government_bodies_with_and_without_their_place_are_one(tmp_path):
    store, _ = _build(
        tmp_path / "s",
        [
            _article("short", "市经信局召开全市工业座谈会。"),
            _article("full", "永康市经济和信息化局召开企业座谈会。", source="B", home=""),
            _article("jinhua", "市经信局召开全市工业座谈会。", source="金华日报", home="金华市"),
            _article("nohome", "市经信局召开全市工业座谈会。", source="E", home=""),
        ],
    )
    body = _nodes(store, "GovernmentOrganization", "永康市经济和信息化局")
    assert list(body.values()) == [{"short", "full"}]
    assert list(_nodes(store, "GovernmentOrganization", "金华市经济和信息化局").values()) == [{"jinhua"}]  # not 永康's
    assert list(_nodes(store, "GovernmentOrganization", "市经信局").values()) == [{"nohome"}]  # no home: as printed
    alts = {label for (label,) in _rows(store, "SELECT ?l WHERE { ?n schema:name '永康市经济和信息化局' ; skos:altLabel ?l }")}
    assert alts == {"市经信局"}
    assert _rows(store, "ASK { ?n schema:name '永康市经济和信息化局' ; schema:areaServed/schema:name '永康市' }")[0][0]


def test_places_are_normalised_nested_and_relative_to_the_home_place(tmp_path):
    store, _ = _build(
        tmp_path / "s",
        [
            _article("hz", "杭州钱塘区和北京市朝阳区的客商参加了我市的招商会。", date="2024-01-10"),
            _article("cy", "朝阳区代表团参加了交流会。", source="X", home=""),
        ],
    )
    chain = _rows(store, "SELECT ?a ?b ?c WHERE { ?x schema:name '钱塘区' ; schema:containedInPlace ?y . ?y schema:name ?a ; schema:containedInPlace ?z . ?z schema:name ?b . ?x schema:identifier ?c }")
    assert chain == [["杭州市", "浙江省", "330114"]]
    assert _points_to(store, "hz", "朝阳区") == {"北京市朝阳区"}  # chosen by the 北京市 printed before it
    assert _points_to(store, "hz", "我市") == {"永康市"}
    assert _points_to(store, "hz", "杭州") == {"杭州市"}
    assert not _points_to(store, "cy", "朝阳区") & {"北京市朝阳区"}  # Beijing's or Changchun's: not said


EVENTS = [
    _article("e1", "1月9日，全省经济工作会议在杭州召开。省委书记易炼红出席会议并讲话。", source="浙江日报", home=""),
    _article("e2", "全省经济工作会议1月9日在杭州召开。易炼红出席并讲话。", date="2024-01-11", source="钱江晚报", home=""),
    _article("s1", "1月9日，市里召开座谈会。张伟、李娜出席座谈会。", source="A", home=""),
    _article("s2", "1月9日，县里召开座谈会。王强、赵敏出席座谈会。", source="B", home=""),
    _article("s3", "1月9日，市里召开座谈会。张伟出席座谈会并讲话。", source="C", home=""),
    _article("s4", "1月8日，市里召开座谈会。张伟出席座谈会。", source="D", home=""),
]


def test_the_same_meeting_reported_twice_is_one_event_and_other_meetings_are_not(tmp_path):
    store, _ = _build(tmp_path / "s", EVENTS)
    assert list(_nodes(store, "Event", "全省经济工作会议").values()) == [{"e1", "e2"}]  # specific name, same day
    symposia = sorted(_nodes(store, "Event", "座谈会").values(), key=sorted)
    assert symposia == [{"s1", "s3"}, {"s2"}, {"s4"}]  # a shared participant; not another day's; not strangers'
    rules = {rule for (rule,) in _rows(store, "SELECT ?rule WHERE { GRAPH ?g { ?r a kgo:Resolution ; kgo:resolvedBy ?rule } }")}
    assert rules == {"same-event"}


def test_series_are_linked_not_merged(tmp_path):
    store, _ = _build(
        tmp_path / "s",
        [
            _article("x2", "1月9日，第二届“寻美永康”摄影展在市博物馆开幕。"),
            _article("x3", "1月9日，第三届“寻美永康”摄影展在市博物馆开幕。", date="2025-01-10"),
        ],
    )
    rows = _rows(store, "SELECT ?e ?s WHERE { ?e a schema:Event ; schema:superEvent ?x . ?x a schema:EventSeries ; schema:name ?s }")
    assert {s for _, s in rows} == {"“寻美永康”摄影展"} and len({e for e, _ in rows}) == 2


def test_resolution_is_the_same_in_one_go_in_parts_and_on_a_second_pass(tmp_path):
    corpus = [MEETING, VISIT, NAMESAKES[0], NAMESAKES[1], NAMESAKES[3], *EVENTS]
    one, _ = _build(tmp_path / "one", corpus)
    one.close()
    parts = OxigraphStore(tmp_path / "parts")
    for part in (corpus[3:], corpus[:2], corpus[2:3]):  # the namesake who splits 王刚 comes last
        build(part, parts)
        resolve_store(parts)
    assert resolve_store(parts).rewritten == 0  # nothing left to do
    parts.close()
    assert quads_of(tmp_path / "one") == quads_of(tmp_path / "parts")


def test_a_pass_decides_only_what_the_new_articles_may_change_and_ends_as_a_full_pass(tmp_path):
    from kg.graph.pending import PENDING

    store = OxigraphStore(tmp_path / "s")
    build([MEETING, VISIT, NAMESAKES[0], *EVENTS], store)
    resolve_store(store)
    assert not _rows(store, f"ASK {{ GRAPH <{PENDING}> {{ ?s ?p ?o }} }}")[0][0]  # the pass took its keys
    build([_article("other", "本报讯 1月8日，全市教育工作会议召开。", date="2024-01-09")], store)  # no one, no event of theirs
    assert resolve_store(store).rewritten == 0
    build([NAMESAKES[1]], store)  # a 王刚 in 武义县: 王刚 of 永康市 is moved
    assert resolve_store(store).rewritten == 2
    # a new version of the 武义县 article without 王刚: the old version's name is taken again
    build([_article("wy", "武义县副县长李强出席了全县农业工作会议。", source="B", home="")], store)
    resolve_store(store)
    assert resolve_store(store, full=True).rewritten == 0  # a pass over the whole store changes nothing
    store.close()
    one, _ = _build(tmp_path / "one", [MEETING, VISIT, NAMESAKES[0], *EVENTS, _article("other", "本报讯 1月8日，全市教育工作会议召开。", date="2024-01-09"),
                                       _article("wy", "武义县副县长李强出席了全县农业工作会议。", source="B", home="")])
    one.close()
    assert quads_of(tmp_path / "s") == quads_of(tmp_path / "one")


@pytest.mark.parametrize("home", ["永康", "浙江省金华市永康市"])
def test_home_place_is_read_in_any_form_and_changes_the_article(home):
    from kg.cli import _home_place

    assert _home_place(f"{YONGKANG}={home}") == (YONGKANG, home)
    assert MEETING.content_hash != _article("meeting", MEETING.text, home="金华市").content_hash


def test_an_unknown_home_place_is_a_clear_error(capsys):
    from kg.cli import main

    with pytest.raises(SystemExit):
        main(["extract", "--home-place", "朝阳区", "-"])
    assert "朝阳区" in capsys.readouterr().err


def test_every_term_of_ours_the_graph_uses_is_in_the_ontology(tmp_path):
    from rdflib import Graph

    from kg.graph.vocab import KGO

    store, _ = _build(tmp_path / "s", [MEETING, VISIT, NAMESAKES[0], NAMESAKES[1], *EVENTS[:2]])
    used = {term for row in _rows(store, "SELECT DISTINCT ?p ?c WHERE { GRAPH ?g { ?s ?p ?o OPTIONAL { ?s a ?c } } }") for term in row if term and term.startswith(str(KGO))}
    ontology = Graph().parse(Path(__file__).resolve().parents[1] / "ontology" / "kg.ttl")
    declared = {str(s) for s in ontology.subjects()}
    assert {str(KGO.Resolution), str(KGO.extractedAs), str(KGO.postArea), str(KGO.Reference)} <= used
    assert used <= declared, used - declared


def test_the_participation_roles_are_the_ontologys_and_the_writer_holds_to_them():
    """The picture reads the participations role by role (kg/views/network.py): a role kg wrote
    beyond kg.model.ROLES would be an edge it never draws."""
    from rdflib import Graph, Namespace
    from rdflib.namespace import RDF

    from kg.graph.rdf import ArticleGraph
    from kg.graph.vocab import KGO
    from kg.model import ROLES, Article, Evidence, Extraction, Fact, Mention

    ontology = Graph().parse(Path(__file__).resolve().parents[1] / "ontology" / "kg.ttl")
    declared = {str(s).removeprefix(str(KGO)) for s in ontology.subjects(RDF.type, Namespace(str(KGO)).ParticipantRole)}
    assert declared - set(ROLES) == {"reporter", "photographer"}  # the credits' roles (a credit has no event)
    text = "王伟出席会议。"
    who, meeting = Mention("王伟", "person", 0, 2), Mention("会议", "event", 4, 6, subtype="meeting")
    evidence = Evidence("a", text, 0, len(text), "test")

    def written(role: str) -> list:
        doc = Extraction(Article(id="a", text=text, date="2024-01-02"), mentions=[who, meeting])
        doc.facts = [Fact("participation", who, meeting, evidence, role=role)]
        return ArticleGraph(doc).build()

    assert written("attendee")
    with pytest.raises(ValueError, match="'accompanying' is not a participation role"):
        written("accompanying")


@pytest.mark.parametrize(
    "text, path, used",
    [
        ("浙江省杭州市钱塘区", ["浙江省", "杭州市", "钱塘区"], 9),
        ("杭州钱塘区", ["浙江省", "杭州市", "钱塘区"], 5),
        ("永康", ["浙江省", "金华市", "永康市"], 2),
        ("北京市朝阳区", ["北京市", "朝阳区"], 6),  # a city that is a province: one area
        ("香港", ["香港特别行政区"], 2),
        ("浙江大学", ["浙江省"], 2),  # a prefix only: not a place
        ("朝阳区", None, 0),  # Beijing's or Changchun's
    ],
)
def test_the_gazetteer_reads_nested_and_short_names(text, path, used):
    from kg.shared.gazetteer import gazetteer

    area, n = gazetteer().parse(text)
    assert ([a.name for a in area.path] if area else None, n) == (path, used)


def test_a_session_under_its_short_and_full_names_is_one_event(tmp_path):
    store, _ = _build(
        tmp_path / "s",
        [
            _article("short", "九届全国人大一次会议3月5日在北京开幕。江泽民出席会议。", date="1998-03-06", source="A", home=""),
            _article("full", "第九届全国人民代表大会第一次会议3月5日在北京开幕。李鹏出席会议。", date="1998-03-06", source="B", home=""),
            _article("next", "第九届全国人民代表大会第二次会议3月5日在北京开幕。李鹏出席会议。", date="1999-03-06", source="B", home=""),
        ],
    )
    events = _rows(store, "SELECT DISTINCT ?e ?id WHERE { GRAPH ?g { ?a schema:mentions ?e ; schema:identifier ?id } ?e a schema:Event }")
    by_node = {}
    for node, article in events:
        by_node.setdefault(node, set()).add(article)
    assert sorted(by_node.values(), key=sorted) == [{"full", "short"}, {"next"}]


def test_a_body_after_another_shares_its_area_and_short_forms_are_one_body(tmp_path):
    store, _ = _build(
        tmp_path / "s",
        [
            _article("ts", "唐山市委、市政府今天召开紧急会议。"),  # a Yongkang paper: still 唐山's
            _article("bj1", "中共北京市委、北京市人民政府今天举行团拜会。", source="B", home=""),
            _article("bj2", "北京市政府今天举行新闻发布会。", source="C", home=""),
        ],
    )
    assert _points_to(store, "ts", "市政府") == {"唐山市人民政府"}
    assert _points_to(store, "bj1", "中共北京市委") == {"北京市委"}
    assert list(_nodes(store, "GovernmentOrganization", "北京市人民政府").values()) == [{"bj1", "bj2"}]


@pytest.mark.parametrize(
    "text, name, area",
    [
        ("北京大学校长陈佳洱出席了会议。", "北京大学", None),  # 北京 of 北京大学 is no area
        ("公安部召开了全国会议。", "公安部", None),  # nor 公安 of 公安部 the county 公安县
        ("永康经信局召开了企业座谈会。", "永康市经济和信息化局", "永康市"),  # a short place name, then a body kg knows
    ],
)
def test_areas_only_from_place_names_not_from_words_that_begin_like_them(pipeline, text, name, area):
    doc = pipeline(_article("a", text, home=""))
    (m,) = [m for m in doc.mentions if m.type == "organization"]
    assert m.label == name and (m.attrs.get("area").name if "area" in m.attrs else None) == area
    assert not any("area" in f.attrs for f in doc.facts if f.kind == "holds_post")


def _event(graph, kind, name, participants=()):
    from kg.resolve.across import Occurrence

    return Occurrence(graph, f"{graph}/{name}", f"event:{kind}", name, date="2024-01-09", participants=set(participants))


def test_one_name_of_two_kinds_is_one_event_but_two_names_of_two_kinds_are_not():
    from kg.resolve.across import resolve_across

    moved = resolve_across([_event("a", "ceremony", "开馆仪式", ["p"]), _event("b", "activity", "开馆仪式", ["p"])])
    assert {d.target for d in moved.values()} == {"a/开馆仪式"} and list(moved) == [("b", "b/开馆仪式")]
    apart = [_event("a", "ceremony", "开馆仪式", ["p"]), _event("b", "activity", "开馆仪式晚会", ["p"])]
    assert resolve_across(apart) == {}  # a ceremony and the evening party after it


MORE_EVENTS = [
    _article("e3", "1月9日，全省经济工作会议召开。易炼红出席。", date="2024-01-10", source="新华社", home=""),
    _article("s5", "1月9日，市里召开座谈会。李娜出席座谈会。", source="E", home=""),
    _article("s6", "1月9日，县里召开座谈会。赵敏、张伟出席座谈会。", source="F", home=""),  # joins s1/s3 and s2 into one
    _article("s7", "1月8日，区里召开座谈会。钱进出席座谈会。", source="G", home=""),
]


def test_new_reports_decided_against_the_events_of_their_day_end_as_a_full_pass(tmp_path):
    """Reports of events the store's days hold: decided against those events, including one
    that joins two of them (the earlier reports of one move), the graph is a full pass's."""
    store = OxigraphStore(tmp_path / "parts")
    build(EVENTS, store)
    resolve_store(store)
    build(MORE_EVENTS, store)
    assert resolve_store(store).rewritten >= len(MORE_EVENTS) - 1  # s7 stays alone
    assert resolve_store(store, full=True).rewritten == 0
    symposia = sorted(_nodes(store, "Event", "座谈会").values(), key=sorted)
    assert symposia == [{"s1", "s2", "s3", "s5", "s6"}, {"s4"}, {"s7"}]
    store.close()
    one, _ = _build(tmp_path / "one", EVENTS + MORE_EVENTS)
    one.close()
    assert quads_of(tmp_path / "parts") == quads_of(tmp_path / "one")


def test_a_report_of_an_article_added_later_rewrites_no_earlier_report(tmp_path):
    """An event's node is its first article's report, so a report from an article whose id sorts
    after theirs joins it without moving them, even when its own node (a hash) is the least."""
    from kg.graph.vocab import node

    text, name = "1月9日，全省经济工作会议在杭州召开。省委书记易炼红出席会议并讲话。", "全省经济工作会议"
    store = OxigraphStore(tmp_path / "s")
    build([_article(f"a{i}", text, source=f"P{i}", home="") for i in range(3)], store)
    resolve_store(store)
    ((event, articles),) = _nodes(store, "Event", name).items()
    assert articles == {"a0", "a1", "a2"}
    later = next(f"z{i}" for i in range(1000) if node("event", f"z{i}", name, "2024-01-09").value < event)  # the least of the four nodes
    build([_article(later, text, source="Q", home="")], store)
    extracted = _rows(store, f'SELECT DISTINCT ?n WHERE {{ GRAPH ?g {{ ?m kgo:extractedAs ?n ; kgo:key "{name}" ; nif:referenceContext/schema:identifier "{later}" }} }}')
    assert extracted == [[node("event", later, name, "2024-01-09").value]]
    assert resolve_store(store).rewritten == 1  # the new article only
    assert _nodes(store, "Event", name) == {event: {"a0", "a1", "a2", later}}
    assert resolve_store(store, full=True).rewritten == 0  # what a pass over the whole store gives
    store.close()


def test_after_a_pass_interrupted_the_days_are_decided_whole_and_end_as_a_full_pass(tmp_path):
    from kg.graph import pending

    store = OxigraphStore(tmp_path / "parts")
    build(EVENTS, store)
    resolve_store(store)
    build(MORE_EVENTS, store)
    store.update(pending.STARTED)  # the mark a pass stopped half-way leaves
    assert pending.read(store).whole_days == {"2024-01-08", "2024-01-09"} and not pending.read(store).days
    resolve_store(store)
    assert not _rows(store, f"ASK {{ GRAPH <{pending.PENDING}> {{ ?s ?p ?o }} }}")[0][0]  # keys and mark taken
    store.close()
    one, _ = _build(tmp_path / "one", EVENTS + MORE_EVENTS)
    one.close()
    assert quads_of(tmp_path / "parts") == quads_of(tmp_path / "one")


@given(st.lists(st.tuples(st.integers(0, 5), st.sampled_from(["座谈会", "工作座谈会", "全省经济工作会议"]), st.sampled_from(["meeting", "forum"]),
                          st.sets(st.sampled_from("pqr"), max_size=2), st.booleans()), min_size=1, max_size=9))
@settings(max_examples=300, deadline=None)
def test_reports_decided_against_the_clusters_or_refused_are_as_the_whole_day_decides(reports):
    """Against the events earlier reports made (as a pass leaves them in the store), new reports
    get the decisions the whole day gives, or the day is refused (WholeDays) and read whole."""
    from kg.resolve.across import Cluster, Occurrence, WholeDays, pointed_to, resolve_across

    def occurrences():  # afresh each time: the rules map participants in place
        return [Occurrence(f"g{graph}", f"g{graph}/{i}", f"event:{kind}", name, date="2024-01-09", participants=set(people))
                for i, (graph, name, kind, people, _) in enumerate(reports)]

    old = [o for o, r in zip(occurrences(), reports) if not r[4]]
    new = [o for o, r in zip(occurrences(), reports) if r[4] and r[0] not in {x[0] for x in reports if not x[4]}]  # new articles only
    earlier = resolve_across(old)
    clusters: dict[str, Cluster] = {}
    for o in old:
        c = clusters.setdefault(pointed_to(earlier, o.graph, o.node), Cluster(pointed_to(earlier, o.graph, o.node), []))
        c.members.append(Occurrence(o.graph, o.node, o.type, o.key))
        named = c.named.setdefault(o.key, Occurrence(o.graph, c.node, o.type, o.key))
        named.participants |= o.participants
        if (o.graph, o.node) in earlier:
            c.why.add(earlier[o.graph, o.node].why)
    whole = resolve_across(old + new)
    try:
        against = resolve_across(new, clusters={"2024-01-09": [clusters[n] for n in sorted(clusters)]})
    except WholeDays:
        return
    assert against == whole


def test_an_edge_of_several_reports_keeps_the_list_one_of_them_printed(tmp_path):
    """The picture reads one report of each edge (kg/views/network.py): one printed in a list
    when there is one, so the edge keeps its list and position whichever report's IRI is least."""
    from kg.views.network import to_networkx

    articles = []
    for day in range(1, 6):
        meeting = f"1月{day}日，全市第{day}次经济工作会议召开。"
        articles += [_article(f"l{day}", meeting + "市领导胡勇春、郑云涛、王伟出席会议。", source="A", home=""),
                     _article(f"m{day}", meeting + "胡勇春出席会议。", source="B", home="")]
    store, _ = _build(tmp_path / "s", articles)
    # kg prints every participation in a list (of one, at least): the m articles' lose theirs, as in a store written otherwise
    store.update(PREFIXES + 'DELETE { GRAPH ?g { ?p kgo:listItem ?li } } WHERE { GRAPH ?g { ?a a schema:NewsArticle ; schema:identifier ?id FILTER(STRSTARTS(?id, "m")) ?p kgo:listItem ?li } }')
    g = to_networkx(store)
    edges = [d for u, v, d in g.edges(data=True) if d["relation"] == "participation" and g.nodes[u]["label"] == "胡勇春"]
    assert len(edges) == 5 and all(d["list"] and d["position"] == 1 for d in edges)
    assert {d["article"] for d in edges} == {f"l{day}" for day in range(1, 6)}  # the article and sentence of the report listed
    store.close()


def test_a_participation_of_a_blank_node_is_drawn_without_its_report(tmp_path):
    """A store written otherwise may hold participations as blank nodes: no IRI to read their
    report by, the edge is drawn all the same."""
    from kg.views.network import to_networkx

    store = OxigraphStore(tmp_path / "s")
    store.update(PREFIXES + """INSERT DATA { GRAPH <https://example.org/g> {
      <https://example.org/p> kgo:mentionType "person" ; schema:name "张三" . <https://example.org/e> kgo:mentionType "event:meeting" ; schema:name "座谈会" .
      _:x a kgo:Participation ; kgo:participant <https://example.org/p> ; kgo:event <https://example.org/e> ; schema:roleName "attendee" } }""")
    edges = list(to_networkx(store).edges(data=True))
    assert [(u, v, d["role"], d["article"], d["list"]) for u, v, d in edges] == [("https://example.org/p", "https://example.org/e", "attendee", "", "")]
    store.close()
