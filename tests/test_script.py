"""Traditional characters, pinyin glosses and invisible marks: the analysed view and its way back
to the printed text; one node for a name in both scripts; Taiwan and Hong Kong dates and posts."""

from __future__ import annotations

import pytest

from kg.model import Article
from kg.nlp.script import SIMPLIFIED, TRADITIONAL, analysed_view, detect_script, printed_name


@pytest.mark.parametrize(
    "text, script",
    [
        ("行政長官李家超昨日會見新加坡總理黃循財。", TRADITIONAL),
        ("行政长官李家超昨日会见新加坡总理黄循财。", SIMPLIFIED),
        ("市委書記林青主持會議。", TRADITIONAL),
        ("乾隆年间的著名建筑。", SIMPLIFIED),  # a few characters OpenCC changes do not make a text traditional
        ("", SIMPLIFIED),
    ],
)
def test_the_script_is_told(text, script):
    assert detect_script(text) == script


def test_the_view_is_simplified_and_maps_back_to_every_printed_character():
    text = "藍(lán)進(jìn)和出席會(huì)議\u200b。"
    view = analysed_view(text)
    assert view.text == "蓝进和出席会议。"
    assert view.script == TRADITIONAL
    for start in range(len(view.text)):
        for end in range(start + 1, len(view.text) + 1):
            s, e = view.span(start, end)
            assert 0 <= s < e <= len(text)
    assert view.printed(0, 3) == "藍(lán)進(jìn)和"  # the name as printed, gloss inside
    assert view.printed(5, 7) == "會(huì)議"


def test_a_gloss_of_two_syllables_leaves_the_view_too():
    view = analysed_view("行政長官林鄭(lín zhèng)月娥出席會議。")
    assert view.text == "行政长官林郑月娥出席会议。"
    assert printed_name(view.printed(4, 8)) == "林鄭月娥"


def test_invisible_marks_leave_the_simplified_view_too():
    view = analysed_view("李\u200b鹏出席\u202e会议")
    assert view.text == "李鹏出席会议" and view.script == SIMPLIFIED
    assert view.printed(0, 2) == "李\u200b鹏"


def test_a_name_with_a_zero_width_space_is_the_same_person(pipeline):
    doc = pipeline(Article("z", "国务院总理李\u200b鹏今天出席会议。", date="1998-01-12"))
    (person,) = [m for m in doc.mentions if m.type == "person"]
    assert person.text == "李\u200b鹏" and person.label == "李鹏"


def test_a_character_the_page_lost_is_marked_missing_not_a_question(pipeline):
    from kg.nlp.script import MISSING_MARK
    from kg.nlp.sentences import split_sentences

    view = analysed_view("議員孫素娥、黎尚安、議員?俊勇助理也到場。是嗎?對。")
    assert view.text == f"议员孙素娥、黎尚安、议员{MISSING_MARK}俊勇助理也到场。是吗?对。"  # a real question keeps its mark
    assert view.printed(12, 13) == "?"  # printed as the page prints it
    assert len(split_sentences(view.text)) == 3
    assert analysed_view("孫素娥、??勇到場").text == f"孙素娥、{MISSING_MARK * 2}勇到场"  # a run, after a separator
    assert analysed_view("怎么办?大家说").text == "怎么办?大家说"  # a clause that asks keeps its question mark
    doc = pipeline(Article("q", "苗栗縣社區表揚典禮今天舉行。議員孫素娥、黎尚安、議員?俊勇助理也到場。", date="2024-05-10"))
    people = {f.subject.text for f in doc.facts if f.kind == "participation"}
    assert {"孫素娥", "黎尚安"} <= people  # the list runs on over the lost character to 到場


def test_a_plain_simplified_text_is_its_own_view():
    view = analysed_view("市长郑云涛出席会议。")
    assert not view.changed and view.to_original is None


def test_traditional_articles_are_extracted_and_printed_as_they_are(pipeline):
    text = "行政長官李家超昨日在禮賓府會見新加坡總理黃循財，保安局局長鄧炳強等陪同。"
    doc = pipeline(Article("hk", text, date="2024-05-10"))
    assert doc.article.script == TRADITIONAL and doc.article.text == text
    people = {m.text: m.label for m in doc.mentions if m.type == "person"}
    assert people == {"李家超": "李家超", "黃循財": "黄循财", "鄧炳強": "邓炳强"}  # printed -> identity key
    for m in doc.mentions:
        assert text[m.start : m.end] == m.text
    for f in doc.facts:
        assert text[f.evidence.start : f.evidence.end] == f.evidence.sentence
    parts = {(f.subject.text, f.role) for f in doc.facts if f.kind == "participation"}
    assert {("李家超", "host"), ("黃循財", "guest"), ("鄧炳強", "attendee")} <= parts
    assert ("昨日", "2024-05-09") in {(m.text, m.key) for m in doc.mentions if m.type == "date"}


def test_one_node_for_a_name_in_both_scripts_named_as_printed_with_the_key_as_alt_label(pipeline):
    from rdflib import Literal
    from rdflib.namespace import SKOS

    from kg.graph.rdf import article_dataset
    from kg.graph.vocab import SCHEMA, iri

    hk = pipeline(Article("hk", "行政長官林鄭月娥出席立法會會議並發言。", date="2019-05-10"))
    cn = pipeline(Article("cn", "行政长官林郑月娥出席立法会会议并发言。", date="2019-05-10"))
    node = iri("person", "林郑月娥")  # the simplified key: one node for both
    hk_graph, cn_graph = article_dataset(hk), article_dataset(cn)
    assert {o for _, _, o, _ in hk_graph.quads((node, SCHEMA.name, None, None))} == {Literal("林鄭月娥")}
    assert list(hk_graph.quads((node, SKOS.altLabel, Literal("林郑月娥"), None)))
    assert {o for _, _, o, _ in cn_graph.quads((node, SCHEMA.name, None, None))} == {Literal("林郑月娥")}
    assert not list(cn_graph.quads((node, SKOS.altLabel, None, None)))
    assert list(hk_graph.quads((None, SCHEMA.inLanguage, Literal("zh-Hant"), None)))


def test_a_name_after_a_post_is_not_cut_out_of_it(pipeline):
    doc = pipeline(Article("hk", "創新科技及工業局局長孫東昨日出席立法會會議。", date="2024-05-10"))
    assert "孫東" in {m.text for m in doc.mentions if m.type == "person"}  # not 長孫東


def test_a_member_of_the_executive_council_holds_a_post_not_a_meeting(pipeline):
    doc = pipeline(Article("hk", "行政會議成員葉劉淑儀昨日出席記者會。", date="2024-05-10"))
    assert ("葉劉淑儀", "行政會議成員") in {(f.subject.text, f.object.text) for f in doc.facts if f.kind == "holds_post"}
    assert "行政會議" not in {m.text for m in doc.mentions if m.type == "event"}


@pytest.mark.parametrize(
    "text, body, meeting",
    [
        ("行政會議昨日通過議案，決定向立法會提交條例草案。", True, False),  # the body decides
        ("行政長官李家超主持行政會議。", False, True),  # its meeting, chaired
        ("李家超今日在出席行政會議前會見傳媒。", False, True),  # before the meeting he attends
        ("李家超在行政會議上表示，政府會加快審批。", False, True),
    ],
)
def test_the_executive_council_is_a_body_unless_its_clause_makes_it_the_meeting(pipeline, text, body, meeting):
    doc = pipeline(Article("hk", text, date="2024-05-10"))
    bodies = {(m.text, m.subtype) for m in doc.mentions if m.type == "organization"}
    assert (("行政會議", "government") in bodies) is body
    assert ("行政會議" in {m.text for m in doc.mentions if m.type == "event"}) is meeting


@pytest.mark.parametrize(
    "text, value",
    [("民國113年1月5日", "2024-01-05"), ("113年1月5日", "2024-01-05"), ("今（3）日上午", "2024-01-06"), ("昨日", "2024-01-05")],
)
def test_taiwan_and_hong_kong_dates(text, value):
    from kg.dates import DATE_EXPRESSION, resolve

    view = analysed_view(text).text
    assert resolve(DATE_EXPRESSION.search(view), "2024-01-06") == value


def test_the_day_of_a_taiwan_date_is_no_name(pipeline):
    doc = pipeline(Article("tw", "臺中市議會今(5)日舉行第2屆成立大會，市長林佳龍出席。", date="2024-01-05"))
    hosts = {f.subject.text for f in doc.facts if f.kind == "participation" and f.role == "host"}
    assert hosts == {"臺中市議會"}  # not 日 (Japan) out of 今(5)日
    assert "日" not in {m.text for m in doc.mentions if m.type != "date"}


def test_a_given_name_that_is_a_word_stays_with_its_surname(pipeline):
    doc = pipeline(Article("tw", "泉州市召開座談會。市長蔡戰(zhàn)勝主持會議。", date="2024-01-05"))
    chairs = {f.subject.label for f in doc.facts if f.kind == "participation" and f.role == "chair"}
    assert chairs == {"蔡战胜"}  # not 蔡, 戰勝 (defeat) read as a word


def test_a_hong_kong_venue_after_jia(pipeline):
    doc = pipeline(Article("hk", "香港文匯報訊 肇慶市日前假洲際酒店舉辦2013年港澳新春團拜會，肇慶市政協主席張成文出席。", date="2013-02-01"))
    parts = {(f.subject.text, f.role) for f in doc.facts if f.kind == "participation"}
    assert parts == {("肇慶市", "host"), ("張成文", "attendee")}  # not 日前假洲際酒店 as the host
    assert {f.object.text for f in doc.facts if f.kind == "event_venue"} == {"洲際酒店"}


def test_a_hong_kong_speech_names_an_official_with_the_given_name_in_brackets(pipeline):
    text = "開幕典禮今日舉行。陳(茂波)司長出席。"
    doc = pipeline(Article("hk", text, date="2024-01-05"))
    people = {m.text: m.label for m in doc.mentions if m.type == "person"}
    assert people == {"陳(茂波)": "陈茂波"}  # printed as printed, known by the whole name
    assert ("陈茂波", "司长") in {(f.subject.label, f.value) for f in doc.facts if f.kind == "holds_post"}


def test_radicals_a_pdf_font_printed_for_characters_are_read_as_those_characters(pipeline):
    from kg.text import fold_radicals

    assert fold_radicals("王⼩红 县⻓ 1⽉8⽇ 农⺠") == "王小红 县长 1月8日 农民"  # Kangxi (NFKC) and the supplement's table
    doc = pipeline(Article("pdf", "县⻓王⼩红出席全县农村⼯作会议。", date="2024-01-12"))  # text copied out of such a PDF
    assert ("王⼩红", "王小红", "全县农村工作会议") in {(f.subject.text, f.subject.label, f.object.label) for f in doc.facts if f.kind == "participation"}
    assert ("王⼩红", "县长") in {(f.subject.text, f.value) for f in doc.facts if f.kind == "holds_post"}
