"""Resolution (kg/resolve): which mentions of an article name the same thing, and why."""

from __future__ import annotations

import pytest
from rdflib import RDFS, Literal, URIRef
from rdflib.namespace import SKOS

import kg.resolve  # noqa: F401  (registers resolve.v1)
from kg.extract import DEFAULT_PIPELINE, Pipeline
from kg.graph.rdf import article_dataset
from kg.graph.vocab import KGO, ORG, PROV, SCHEMA, SHARED_GRAPH, graph_iri, iri
from kg.model import Article
from kg.resolve import company_key

ITS_IDENT = URIRef("http://www.w3.org/2005/11/its/rdf#taIdentRef")
WITH_RESOLVE = ("credits.v1", "entities.v1", "resolve.v1", "events.v1", "participation.v1")


@pytest.fixture(scope="module")
def resolving():
    return Pipeline(components=WITH_RESOLVE)


def _doc(pipeline, text):
    return pipeline(Article(id="r", text=text, date="2024-01-12"))


def _persons(doc):
    return {m.text: m.label for m in doc.mentions if m.type == "person"}


def _participants(doc):
    return {(f.subject.label, f.object.label, f.role) for f in doc.facts if f.kind == "participation"}


JIANG = "国家主席江泽民昨天在北京会见了美国客人。今天上午，江主席出席了中美企业家座谈会。"


def test_surname_and_title_name_the_one_person_holding_that_post(resolving):
    doc = _doc(resolving, JIANG)
    assert _persons(doc)["江主席"] == "江泽民"
    assert ("江泽民", "中美企业家座谈会", "attendee") in _participants(doc)


def test_without_resolution_the_reference_takes_part_in_nothing(resolving):
    plain = _doc(Pipeline(components=tuple(c for c in WITH_RESOLVE if c != "resolve.v1")), JIANG)
    assert "江主席" not in _persons(plain)
    assert ("江泽民", "中美企业家座谈会", "attendee") not in _participants(plain)


def test_a_title_resolves_to_the_post_it_ends(resolving):
    doc = _doc(resolving, "本报讯 市委书记胡勇春、市长李明今天出席全市经济工作会议。胡书记在会上讲话。")
    assert _persons(doc)["胡书记"] == "胡勇春"
    assert ("胡勇春", "全市经济工作会议", "speaker") in _participants(doc)


def test_a_compound_surname_and_a_title(resolving):
    doc = _doc(resolving, "本报讯 国家副主席欧阳明今天会见了代表团。欧阳副主席说，欢迎各位。")
    assert _persons(doc)["欧阳副主席"] == "欧阳明"
    assert "欧阳" not in _persons(doc)  # not a person, nor a place, of its own
    doc = _doc(resolving, "本报讯 1月10日，司马主任带队到企业调研。")
    assert _persons(doc) == {"司马主任": "司马主任"}  # a reference for resolution across articles
    assert not [m for m in doc.mentions if m.type == "post"]
    doc = _doc(resolving, "美总统克林顿今天会见了客人。")  # a country of one character before a title stays a place
    assert ("美", "place") in {(m.text, m.type) for m in doc.mentions}


def test_a_reference_the_tagger_took_for_a_name_is_resolved_in_place():
    crf = Pipeline("lac+crf", components=WITH_RESOLVE)  # a tagger that reads 任书记 as a name
    doc = _doc(crf, "市委书记任大强出席会议。办主任任书记在会上讲话。")  # 任书记/PER
    (ref,) = (m for m in doc.mentions if m.text == "任书记")
    assert ref.source == "entities.v1" and ref.label == "任大强"


def test_two_of_one_surname_stay_apart_and_no_title_fits_no_one(resolving):
    doc = _doc(resolving, "王刚市长和王芳书记出席了座谈会。王主席在会上讲话。")
    persons = _persons(doc)
    assert persons["王刚"] == "王刚" and persons["王芳"] == "王芳"
    assert persons["王主席"] == "王主席"  # neither holds a post ending with 主席: a reference of its own


def test_a_title_two_persons_fit_stays_unresolved(resolving):
    persons = _persons(_doc(resolving, "市长王刚、副市长王芳出席座谈会。王市长在会上讲话，王副市长主持会议。"))
    assert "王市长" not in persons  # 市长 and 副市长 both end with 市长
    assert persons["王副市长"] == "王芳"


def test_a_shared_surname_with_another_title_is_not_merged(resolving):
    assert _persons(_doc(resolving, "市长李明出席了座谈会。李书记在会上讲话。"))["李书记"] == "李书记"


@pytest.mark.parametrize(
    "name, key",
    [
        ("传化集团有限公司", "传化集团"),
        ("传化集团股份有限公司", "传化集团"),
        ("传化集团", "传化集团"),
        ("传化化学有限公司", "传化化学"),  # another company of the group: not 传化集团
        ("华为技术有限公司", "华为技术"),
        ("长江有限公司", "长江有限公司"),  # 长江 alone is too short to name a company
        ("新凤鸣集团股份有限公司", "新凤鸣集团"),
    ],
)
def test_company_key_drops_the_legal_form(name, key):
    assert company_key(name) == key


def test_legal_suffix_variants_share_one_identity(resolving):
    doc = _doc(resolving, "传化集团有限公司、传化化学有限公司和传化集团股份有限公司出席了推进大会。")
    orgs = {m.text: m.label for m in doc.mentions if m.type == "organization"}
    assert orgs == {"传化集团有限公司": "传化集团", "传化化学有限公司": "传化化学", "传化集团股份有限公司": "传化集团"}
    assert {who for who, _, _ in _participants(doc)} == {"传化集团", "传化化学"}


def test_a_delegation_printed_shorter_is_the_one_delegation_named_so(resolving):
    text = "湖北省党政代表团来我市考察。市长王刚会见了代表团一行。代表团参观了产业园区。"
    doc = _doc(resolving, text)
    delegations = {m.label for m in doc.mentions if m.type == "organization" and m.label.endswith("代表团")}
    assert delegations == {"湖北省党政代表团"}
    assert any(m.attrs.get("resolution", {}).get("rule") == "delegation" for m in doc.mentions)
    # two delegations the short name would fit: it stays as printed
    doc = _doc(resolving, "湖北省党政代表团和湖南省党政代表团来我市考察。代表团参观了产业园区。")
    assert "代表团" in {m.label for m in doc.mentions if m.type == "organization"}


def _graphs(doc):
    ds = article_dataset(doc)
    return ds.graph(graph_iri("r")), ds.graph(SHARED_GRAPH)


def test_the_graph_names_a_company_by_its_key_and_keeps_the_printed_variants(resolving):
    doc = _doc(resolving, "传化集团有限公司和传化集团股份有限公司出席了推进大会。")
    g, shared = _graphs(doc)
    company = iri("organization", "传化集团")
    assert set(shared.objects(company, SCHEMA.name)) == {Literal("传化集团")}  # one name, however printed
    assert set(shared.objects(company, RDFS.label)) == {Literal("传化集团")}
    assert set(shared.objects(company, SKOS.altLabel)) == {Literal("传化集团有限公司"), Literal("传化集团股份有限公司")}
    phrases = set(g.subjects(ITS_IDENT, company))
    assert len(phrases) == 2 and {g.value(p, KGO.resolvedBy) for p in phrases} == {Literal("legal-suffix")}
    assert {g.value(p, PROV.wasAttributedTo) for p in phrases} == {iri("extractor", "resolve.v1")}


def test_the_graph_says_which_post_a_reference_was_resolved_by(resolving):
    g, _ = _graphs(_doc(resolving, JIANG))
    jiang = iri("person", "江泽民")
    (phrase,) = (p for p in g.subjects(ITS_IDENT, jiang) if g.value(p, KGO.resolvedBy) is not None)
    assert str(g.value(phrase, URIRef("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#anchorOf"))) == "江主席"
    assert g.value(phrase, KGO.resolvedBy) == Literal("surname+title")
    membership = g.value(phrase, PROV.wasDerivedFrom)
    assert g.value(membership, ORG.member) == jiang and g.value(membership, KGO.postTitle) == Literal("国家主席")


def test_unresolved_mentions_carry_no_resolution(resolving):
    g, shared = _graphs(_doc(resolving, "市长李明出席了座谈会。"))
    assert not set(g.triples((None, KGO.resolvedBy, None))) and not set(shared.triples((None, SKOS.altLabel, None)))


def test_in_the_default_pipeline_resolution_runs_between_entities_and_events():
    order = [c for c in DEFAULT_PIPELINE if c in ("entities.v1", "resolve.v1", "events.v1")]
    assert order in (["entities.v1", "events.v1"], ["entities.v1", "resolve.v1", "events.v1"])


def test_an_occurrence_s_sets_are_its_own_once_filled():
    """Occurrences share one empty frozenset until ``add`` gives each its own set."""
    from kg.resolve.across import Occurrence

    a, b = Occurrence("g1", "n1", "person", "王伟"), Occurrence("g2", "n2", "person", "王伟")
    a.add("posts", "市长")
    a.add("posts", "市长")
    a.add("venues", "市政府")
    assert a.posts == {"市长"} and a.venues == {"市政府"} and isinstance(a.posts, set)
    assert b.posts == b.venues == b.participants == frozenset() and not Occurrence("g3", "n3", "event", "会").posts
