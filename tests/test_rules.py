"""Each named participation rule on table-driven cases (text -> expected facts and the rule that
made them), run on a canned tagger so that the rules are tested apart from the names model;
rules switched off by name; the rule and cue in kg extract's JSON and in the RDF."""

from __future__ import annotations

import pytest

from kg.extract import Pipeline
from kg.extract.participation import RULES
from kg.model import Article
from kg.nlp.ner import Token

# the words the canned tagger knows, with their tags; every other character is a word of its own
LEXICON = {
    **dict.fromkeys(["郑云涛", "胡勇春", "李鹏", "王刚", "徐华明", "李四", "王嵘", "丁关根", "田纪云", "刘洪", "李铁映", "连茂君", "王树立", "关保英", "梁文昌", "常树奇"], "PER"),
    **dict.fromkeys(["花园街道", "清华大学", "北京", "某县", "鞍山市"], "LOC"),
    **dict.fromkeys(["国家教委", "国家统计局", "县委办", "县财政局", "区人大", "公安县党政代表团"], "ORG"),
    **dict.fromkeys(["在", "于", "对", "与"], "p"),
    **dict.fromkeys(["出席", "参加", "召开", "会见", "调研", "陪同", "举行", "说", "到", "主持", "讲话", "座谈", "包括", "开展", "前往", "进行"], "v"),
    **dict.fromkeys(["今天", "昨日", "春节"], "TIME"),
    **dict.fromkeys(["市长", "局长", "县委书记", "总理", "全国", "政协", "新年", "茶话会", "会议", "纪念会", "颁证会", "经济", "工作", "统计"], "n"),
}


class CannedTagger:
    """Longest match over LEXICON: the same tokens every run, whatever model ships."""

    name = "canned"

    def tag(self, texts):
        out = []
        for text in texts:
            tokens, pos = [], 0
            while pos < len(text):
                word = next((w for w in sorted(LEXICON, key=len, reverse=True) if text.startswith(w, pos)), text[pos])
                tokens.append(Token(word, pos, pos + len(word), LEXICON.get(word, "w" if not word.isalnum() else "n")))
                pos += len(word)
            out.append(tokens)
        return out


CASES = [
    # rule, text, expected (participant, event, role) facts of that rule
    ("trigger.v1", "全市经济工作会议今天召开。市长郑云涛出席会议。", {("郑云涛", "全市经济工作会议", "attendee")}),
    ("trigger.v1", "全市经济工作会议今天召开。市长郑云涛主持会议。", {("郑云涛", "全市经济工作会议", "chair")}),
    # festivals and fairs are events: 美食节, 文化节, 灯会…
    ("trigger.v1", "国际美食节今天开幕。市长郑云涛出席。", {("郑云涛", "国际美食节", "attendee")}),
    # meetings named by nouns the table holds: 县长办公会, 民主生活会, 联谊会…
    ("trigger.v1", "今天，市长郑云涛主持召开市长办公会。", {("郑云涛", "市长办公会", "chair")}),
    # 讲话， tells a speech was given: the clause after it is no reported speech
    ("trigger.v1", "全市经济工作会议今天召开。市长郑云涛出席会议并讲话，局长胡勇春主持会议。", {("胡勇春", "全市经济工作会议", "chair")}),
    # 接待: who receives a visit hosts it
    ("trigger.v1", "市长王刚到某县调研，县委书记徐华明热情接待。", {("徐华明", "王刚到某县调研", "host")}),
    # a talk with a visiting party: who talk with it receive it, its members are received
    ("actor.v1", "县委书记徐华明与国家统计局局长、总理李鹏一行座谈。", {("徐华明", "徐华明与李鹏一行座谈", "host")}),
    ("actor.v1", "县委书记徐华明与企业家座谈。", {("徐华明", "徐华明与企业家座谈", "attendee")}),
    # a party named by no one's name makes a visit, which those with it attend (it is no participant)
    ("trigger.v1", "专家组一行到某县调研。县委书记徐华明陪同。", {("徐华明", "专家组一行到某县调研", "attendee")}),
    # 前往某县，就…进行调研: the clause about what goes on with the sentence's subject
    ("actor.v1", "市长王刚一行前往某县，就乡村振兴工作进行调研。", {("王刚", "王刚前往某县调研", "attendee")}),
    # a comma inside a quoted theme ends no clause: the names before it still speak
    ("trigger.v1", "全市经济工作会议今天召开。王刚、李四围绕“稳增长，促发展”主题，结合工作实际，就经济工作积极发言。",
     {("王刚", "全市经济工作会议", "speaker"), ("李四", "全市经济工作会议", "speaker")}),
    # a form of address after a name (博士, 教授, 同志) keeps a list of posts and names one list
    ("trigger.v1", "全市经济工作会议今天召开。局长郑云涛，市长王刚博士，李四等出席会议。",
     {("郑云涛", "全市经济工作会议", "attendee"), ("王刚", "全市经济工作会议", "attendee"), ("李四", "全市经济工作会议", "attendee")}),
    ("reception.v1", "总理李鹏今天在北京会见了王刚。", {("李鹏", "李鹏会见王刚", "host"), ("王刚", "李鹏会见王刚", "guest")}),
    ("reception.v1", "王刚受到总理李鹏会见。", {("李鹏", "李鹏会见王刚", "host"), ("王刚", "李鹏会见王刚", "guest")}),
    # 会见到访的…: the guest's visit describes him, the reception is the event
    ("reception.v1", "总理李鹏今天会见到访的王刚。", {("李鹏", "李鹏会见到访的王刚", "host"), ("王刚", "李鹏会见到访的王刚", "guest")}),
    # 会见由…率领的…一行: the party received names the reception, not its leader; 考察班 is no visit
    ("reception.v1", "总理李鹏今天会见了由局长王刚率领的统计考察高级班一行。", {("李鹏", "李鹏会见统计考察高级班一行", "host"), ("王刚", "李鹏会见统计考察高级班一行", "guest")}),
    # 分别获…接见 after a clause: the sentence's subject is received
    ("reception.v1", "市长王刚率领公安县党政代表团前往北京，分别获总理李鹏会见。", {("李鹏", "李鹏会见王刚", "host"), ("王刚", "李鹏会见王刚", "guest"), ("公安县党政代表团", "李鹏会见王刚", "guest")}),
    ("actor.v1", "县委书记徐华明到花园街道调研。", {("徐华明", "徐华明到花园街道调研", "attendee")}),
    # a time word tells when (昨日), unless it tells what is carried out (开展春节走访慰问活动)
    ("actor.v1", "县委书记徐华明昨日到花园街道调研。", {("徐华明", "徐华明到花园街道调研", "attendee")}),
    ("actor.v1", "县委书记徐华明到花园街道开展春节走访慰问活动。", {("徐华明", "徐华明到花园街道开展春节走访慰问活动", "attendee")}),
    ("actor.v1", "县委书记李四率领公安县党政代表团到某县考察。", {("李四", "李四率领公安县党政代表团到某县考察", "attendee"), ("公安县党政代表团", "李四率领公安县党政代表团到某县考察", "attendee")}),
    ("actor.v1", "连茂君与王树立座谈。", {("连茂君", "连茂君与王树立座谈", "attendee"), ("王树立", "连茂君与王树立座谈", "attendee")}),
    ("trigger.v1", "县委书记徐华明到花园街道调研。李四陪同。", {("李四", "徐华明到花园街道调研", "attendee")}),
    ("host_of_held_event.v1", "国家教委今天在清华大学召开纪念会。", {("国家教委", "纪念会", "host")}),
    # a city that holds the event is its host (ANNOTATION.md); a place where it is held is not, next test
    ("host_of_held_event.v1", "鞍山市今天召开全市领导干部大会。", {("鞍山市", "全市领导干部大会", "host")}),
    ("listed_after_colon.v1", "全国政协新年茶话会今天举行。出席茶话会的还有：丁关根、田纪云。",
     {("丁关根", "全国政协新年茶话会", "attendee"), ("田纪云", "全国政协新年茶话会", "attendee")}),
    # 出席…的还包括 with no colon: the list runs to the end of the sentence
    ("listed_after_colon.v1", "县委书记徐华明到花园街道调研。参加调研的还包括局长梁文昌、丁关根。",
     {("梁文昌", "徐华明到花园街道调研", "attendee"), ("丁关根", "徐华明到花园街道调研", "attendee")}),
    # 在主席台就座: attendees; names closed by 等 and whom they stand for run on to the trigger
    ("trigger.v1", "全市经济工作会议今天召开。李四、王刚在主席台就座。", {("李四", "全市经济工作会议", "attendee"), ("王刚", "全市经济工作会议", "attendee")}),
    ("trigger.v1", "全市经济工作会议今天召开。李四、王刚等领导班子成员，各部门负责人参加会议。", {("李四", "全市经济工作会议", "attendee"), ("王刚", "全市经济工作会议", "attendee")}),
    # the names a sentence opens with, back over what-about clauses (围绕…，就…)
    ("trigger.v1", "全市经济工作会议今天召开。李四、王刚等委员围绕经济工作，就办好广播积极发言。", {("李四", "全市经济工作会议", "speaker"), ("王刚", "全市经济工作会议", "speaker")}),
    # 参加考察活动: the visit told, not an activity of its own
    ("trigger.v1", "县委书记徐华明到花园街道调研。关保英、李四等参加考察活动。",
     {("关保英", "徐华明到花园街道调研", "attendee"), ("李四", "徐华明到花园街道调研", "attendee")}),
    # 国家统计局…，今日更举办…: the body the sentence opens with holds the event of a clause without a subject
    ("host_of_held_event.v1", "国家统计局不仅成立工作小组，今日更举办全市经济工作会议。", {("国家统计局", "全市经济工作会议", "host")}),
    # an event named in what is said is not where it is said
    ("trigger.v1", "全市经济工作会议今天召开。市长郑云涛在讲话中指出，要学习全国统计工作会议。", {("郑云涛", "全市经济工作会议", "speaker")}),
    # 一同: those who do it together with the subject are there (与李四一同参观展览)
    ("trigger.v1", "全市经济工作会议今天召开。市长郑云涛出席会议，并与局长李四一同参观展览。", {("李四", "全市经济工作会议", "attendee")}),
    # 收听收看: watching a broadcast meeting at a sub-venue is attending it
    ("trigger.v1", "全市经济工作会议今天召开。市长郑云涛、李四在北京分会场收听收看会议。", {("郑云涛", "全市经济工作会议", "attendee")}),
    # 王刚秘书李四: the secretary is there, not the one he works for
    ("trigger.v1", "全市经济工作会议今天召开。市长郑云涛、王刚秘书李四出席。", {("郑云涛", "全市经济工作会议", "attendee"), ("李四", "全市经济工作会议", "attendee")}),
    # a list runs back over a group of bodies (…办公室负责同志，…)
    ("trigger.v1", "全市经济工作会议今天召开。市长郑云涛，县委办、县财政局负责同志，区人大负责人列席会议。", {("郑云涛", "全市经济工作会议", "attendee")}),
    # the parties to an agreement signed attend the signing, bodies as well as persons
    ("actor.v1", "国家统计局与县财政局今天签署合作协议。", {("国家统计局", "国家统计局与县财政局签署合作协议", "attendee"), ("县财政局", "国家统计局与县财政局签署合作协议", "attendee")}),
    # a built name leaves out who escorts or leads (在…率领下)
    ("actor.v1", "公安县党政代表团在县委书记徐华明率领下到某县考察。", {("公安县党政代表团", "公安县党政代表团到某县考察", "attendee")}),
    # 实地督导 after the stops of a trip: the sentence's subject visits
    ("actor.v1", "县委书记徐华明到花园街道、某县，实地调研。", {("徐华明", "徐华明到花园街道、某县实地调研", "attendee")}),
    # 参加某县调研: those who join a visit to a place attend it, and make no visit of their own
    ("trigger.v1", "县委书记徐华明到某县调研。李四参加某县调研。", {("李四", "徐华明到某县调研", "attendee")}),
    # 参加调研: those who join a visit attend it
    ("trigger.v1", "县委书记徐华明到花园街道调研。关保英、李四参加调研。",
     {("关保英", "徐华明到花园街道调研", "attendee"), ("李四", "徐华明到花园街道调研", "attendee")}),
    # 并与…座谈 goes on with the sentence's subject; 座谈会上 opens a sentence about that 座谈
    ("trigger.v1", "县委书记徐华明到花园街道调研，并与王树立座谈。座谈会上，李四发言。", {("李四", "徐华明与王树立座谈", "speaker")}),
    ("speaker_at_event.v1", "全国颁证会今天举行。李铁映在颁证会上说，要办好广播。", {("李铁映", "全国颁证会", "speaker")}),
    # what one does there shows one at it: 在…会议上听取汇报, 在仪式上见证签约 (event_verbs.txt [presence])
    ("speaker_at_event.v1", "全市经济工作会议今天召开。市长郑云涛在全市经济工作会议上听取了各部门汇报。", {("郑云涛", "全市经济工作会议", "attendee")}),
    # a built name drops the posts printed before the persons, back over posts joined by 、
    ("actor.v1", "县委书记徐华明与国家统计局局长、总理李鹏一行座谈。", {("李鹏", "徐华明与李鹏一行座谈", "guest")}),
    # 对…进行视察 is named as the text would say it without the preposition: 徐华明视察花园街道
    ("actor.v1", "县委书记徐华明对花园街道进行了调研。", {("徐华明", "徐华明调研花园街道", "attendee")}),
    # a meeting held on a visit is a meeting of its own
    ("trigger.v1", "县委书记徐华明到花园街道调研，并召开座谈会。座谈会上，李四发言。", {("李四", "座谈会", "speaker")}),
    # on a visit, the visitor who speaks is a speaker (a host who speaks is not, next test)
    ("quoted_speaker.v1", "县委书记徐华明到花园街道调研。徐华明说，要办好广播。", {("徐华明", "徐华明到花园街道调研", "speaker")}),
    # a visit told after a clause about its topic or its stops is named from the visitor and the verb of going
    ("actor.v1", "县委书记徐华明就乡村振兴工作，推进经济工作到花园街道调研。", {("徐华明", "徐华明到花园街道调研", "attendee")}),
    ("actor.v1", "县委书记徐华明到花园街道、某县，调研经济工作。", {("徐华明", "徐华明到花园街道、某县调研", "attendee")}),
    # however long the list of where one went, the act that opens the next clause is the visitor's
    ("actor.v1", "县委书记徐华明先后到花园街道、北京、鞍山市、清华大学、某县、花园街道东区、花园街道西区、花园街道南区等现场，调研经济工作。",
     {("徐华明", "徐华明调研", "attendee")}),
    # hosts printed with their posts and a group received: 李鹏、王刚会见参事一行
    ("reception.v1", "总理李鹏，市长王刚会见参事一行。", {("李鹏", "李鹏、王刚会见参事一行", "host"), ("王刚", "李鹏、王刚会见参事一行", "host")}),
    ("quoted_speaker.v1", "全国统计工作会议今天在北京召开。国家统计局局长刘洪说，统计要真实。", {("刘洪", "全国统计工作会议", "speaker")}),
    # the signatories of an agreement attend the signing ceremony (由…共同簽署協議)
    ("trigger.v1", "全市合作协议签约仪式今天举行。某县与县财政局签订的项目合同书，总投资十亿元。",
     {("某县", "全市合作协议签约仪式", "attendee"), ("县财政局", "全市合作协议签约仪式", "attendee")}),
    ("trigger.v1", "全市合作协议签约仪式今天举行。由局长李四、市长王刚共同签署协议。", {("李四", "全市合作协议签约仪式", "attendee"), ("王刚", "全市合作协议签约仪式", "attendee")}),
    # places joined by 与 hold the event together (連江縣東引鄉與苗栗縣三義鄉…舉行)
    # 学习由…主持: the study named as the clause's topic, no study of someone's words (学习…精神)
    ("trigger.v1", "全市理论学习会今天召开。学习由市长郑云涛主持。", {("郑云涛", "全市理论学习会", "chair")}),
    # 介绍 at the event makes a speaker (ANNOTATION.md); 介绍，… reports what was told, next test
    ("trigger.v1", "全市经济工作会议今天召开。局长王刚介绍全市统计工作情况。", {("王刚", "全市经济工作会议", "speaker")}),
    # 对…进行小结: a report made as 作了…总结 is
    ("report_made.v1", "全市经济工作会议今天召开。局长王刚对统计数据进行小结。", {("王刚", "全市经济工作会议", "speaker")}),
    # the explanation of a bill heard (听取了…作的关于《…》的说明); the meeting in the bill's title is none
    ("speaker_heard.v1", "全市经济工作会议今天召开。会议听取了局长王刚作的关于《全国统计工作会议条例》的说明。", {("王刚", "全市经济工作会议", "speaker")}),
    ("host_of_held_event.v1", "鞍山市与北京今天召开全市领导干部大会。", {("鞍山市", "全市领导干部大会", "host"), ("北京市", "全市领导干部大会", "host")}),
]


@pytest.fixture(scope="module")
def canned():
    return Pipeline(CannedTagger())


def extract_with(words: dict[str, str], text: str):
    """The canned pipeline's extraction of ``text`` with ``words`` tagged as given (a tagger's
    error to repair: 讲话/PER, 王刚作/PER), LEXICON as it was afterwards."""
    saved = {w: LEXICON[w] for w in words if w in LEXICON}
    LEXICON.update(words)
    try:
        return Pipeline(CannedTagger())(Article("t", text, date="2024-01-12"))
    finally:
        for w in words:
            LEXICON.pop(w)
        LEXICON.update(saved)


def _by_rule(doc, rule):
    return {(f.subject.label, f.object.label, f.role) for f in doc.facts if f.kind == "participation" and f.attrs["rule"] == rule}


@pytest.mark.parametrize("rule, text, expected", CASES, ids=[f"{r}:{t[:12]}" for r, t, _ in CASES])
def test_each_rule_makes_its_facts(canned, rule, text, expected):
    doc = canned(Article("t", text, date="2024-01-12"))
    assert expected <= _by_rule(doc, rule)
    assert all(f.attrs["cue"] for f in doc.facts if f.kind == "participation")


def test_every_rule_of_a_case_is_a_registered_rule():
    assert {rule for rule, _, _ in CASES} <= set(RULES)


@pytest.mark.parametrize("rule, text, expected", CASES[:4], ids=[r for r, _, _ in CASES[:4]])
def test_a_rule_switched_off_by_name_makes_nothing(rule, text, expected):
    doc = Pipeline(CannedTagger(), disable=[rule])(Article("t", text, date="2024-01-12"))
    assert not _by_rule(doc, rule)
    assert not expected & {(f.subject.label, f.object.label, f.role) for f in doc.facts if f.kind == "participation" and f.attrs["rule"] == rule}


def test_the_rule_and_cue_reach_the_json_and_the_rdf(canned):
    from rdflib import Literal

    from kg.cli import extraction_record
    from kg.graph.rdf import article_dataset
    from kg.graph.vocab import KGO

    doc = canned(Article("t", "全市经济工作会议今天召开。市长郑云涛出席会议。", date="2024-01-12"))
    facts = [f for f in extraction_record(doc)["facts"] if f["kind"] == "participation"]
    assert [(f["subject"]["text"], f["rule"], f["cue"]) for f in facts] == [("郑云涛", "trigger.v1", "出席")]
    dataset = article_dataset(doc)
    assert list(dataset.quads((None, KGO.rule, Literal("trigger.v1"), None)))
    assert list(dataset.quads((None, KGO.cue, Literal("出席"), None)))


def test_a_ceremony_told_again_is_the_same_and_its_onlookers_attend():
    """王刚穿著…服装就职, then 王刚就职会场…: one inauguration; those who 观礼 attend it."""
    doc = extract_with({"就职": "v", "观礼": "v", "服装": "n"}, "市长王刚穿著新服装就职。王刚就职会场布置一新，李四、丁关根都来观礼。")
    ceremonies = {m.key for m in doc.mentions if m.type == "event" and m.subtype == "ceremony"}
    assert len(ceremonies) == 1
    assert {("李四", *ceremonies, "attendee"), ("丁关根", *ceremonies, "attendee")} <= _by_rule(doc, "trigger.v1")


def test_a_delegation_named_shorter_makes_the_same_trip():
    doc = extract_with({"代表团": "ORG", "考察": "v"}, "公安县党政代表团来某县考察。代表团还到北京考察。")
    assert {m.key for m in doc.mentions if m.type == "event"} == {"公安县党政代表团来某县考察"}
    doc = extract_with({"考察": "v", "率": "v"}, "公安县党政代表团来某县考察。县委书记徐华明率公安县党政代表团来某县考察。")
    assert {m.key for m in doc.mentions if m.type == "event"} == {"公安县党政代表团来某县考察"}  # its leader's, told again


def test_a_body_that_goes_somewhere_to_visit_makes_a_visit():
    doc = extract_with({"考察": "v", "来": "v"}, "县财政局来某县考察。李四陪同考察。")
    assert {("县财政局", "县财政局来某县考察", "attendee")} <= _by_rule(doc, "actor.v1")
    assert ("李四", "县财政局来某县考察", "attendee") in _by_rule(doc, "trigger.v1")
    doc = extract_with({"考察": "v"}, "县财政局考察工作。")  # a body's work, told without going: no visit
    assert not [m for m in doc.mentions if m.type == "event"]


def test_attending_a_talk_told_before_is_attending_that_talk_not_an_act_of_one_s_own(canned):
    doc = canned(Article("t", "县委书记徐华明与企业家座谈。县长李四出席座谈。", date="2024-01-12"))
    assert ("李四", "徐华明与企业家座谈", "attendee") in _by_rule(doc, "trigger.v1")
    assert {m.label for m in doc.mentions if m.type == "event"} == {"徐华明与企业家座谈"}  # no 李四出席座谈


def test_a_trigger_word_inside_a_document_s_title_is_no_trigger(canned):
    doc = canned(Article("t", "全市经济工作会议今天召开。国家教委颁布《会议费接待费管理办法》。", date="2024-01-12"))
    assert not [f for f in doc.facts if f.kind == "participation"]  # 接待 of 接待费 in a title hosts nothing


def test_a_talk_with_the_guests_received_is_the_reception(canned):
    doc = canned(Article("t", "总理李鹏今天会见了市长王刚率领的公安县党政代表团一行。李鹏与公安县党政代表团座谈。", date="2024-01-12"))
    assert {f.object.label for f in doc.facts if f.kind == "participation"} == {"李鹏会见市长王刚率领的公安县党政代表团一行"}
    assert ("李鹏", "host") in {(f.subject.label, f.role) for f in doc.facts if f.kind == "participation"}
    other = canned(Article("t", "总理李鹏今天会见了王刚。随后李鹏与县财政局座谈。", date="2024-01-12"))
    assert "李鹏与县财政局座谈" in {f.object.label for f in other.facts if f.kind == "participation"}  # another side: a talk of its own


def test_a_body_s_secretary_named_by_post_alone_is_nobody_named(canned):
    doc = canned(Article("t", "全市经济工作会议今天召开。局长郑云涛、县财政局秘书出席会议。", date="2024-01-12"))
    assert {f.subject.label for f in doc.facts if f.kind == "participation"} == {"郑云涛"}  # not 县财政局


def test_talks_joined_to_a_visit_are_the_visit_s(canned):
    doc = canned(Article("t", "县委书记徐华明到花园街道开展调研并座谈。", date="2024-01-12"))
    assert {m.key for m in doc.mentions if m.type == "event"} == {"徐华明到花园街道开展调研"}


def test_visits_are_events_of_their_own_and_one_trip(canned):
    doc = canned(Article("t", "县委书记徐华明到花园街道调研。徐华明还到某县调研。李四陪同。", date="2024-01-12"))
    visits = {m.key for m in doc.mentions if m.type == "event" and m.subtype == "visit"}
    assert visits == {"徐华明到花园街道调研"}  # the second stop is the same trip
    assert doc.main_event.key == "徐华明到花园街道调研"
    assert ("李四", "徐华明到花园街道调研", "attendee") in _by_rule(doc, "trigger.v1")


@pytest.mark.parametrize("text, body", [
    ("县委书记徐华明到花园街道调研。县委办、县财政局等负责人参加调研。", "县财政局"),  # a group from the bodies
    ("全市经济工作会议今天召开。区人大常委会副主任常树奇出席会议。", "区人大"),  # where a person comes from
])
def test_a_body_that_only_describes_people_takes_no_part(canned, text, body):
    doc = canned(Article("t", text, date="2024-01-12"))
    parts = {f.subject.label for f in doc.facts if f.kind == "participation"}
    assert body not in parts and parts  # the rule still ran: someone took part


def test_a_place_where_an_event_is_held_is_no_host(canned):
    doc = canned(Article("t", "国家教委今天在鞍山市召开全市领导干部大会。", date="2024-01-12"))
    assert ("鞍山市", "全市领导干部大会", "host") not in _by_rule(doc, "host_of_held_event.v1")
    assert ("国家教委", "全市领导干部大会", "host") in _by_rule(doc, "host_of_held_event.v1")


def test_a_body_that_holds_an_event_before_a_name_still_hosts_it(canned):
    doc = canned(Article("t", "国家教委召开常树奇事迹纪念会。", date="2024-01-12"))
    assert ("国家教委", "常树奇事迹纪念会", "host") in _by_rule(doc, "host_of_held_event.v1")


def test_a_reception_told_twice_is_one_but_two_receptions_stay_two(canned):
    doc = canned(Article("t", "李鹏会见王刚\n总理李鹏今天在北京会见了王刚一行。", date="2024-01-12"))
    assert {f.object.label for f in doc.facts if f.kind == "participation"} == {"李鹏会见王刚"}
    doc = canned(Article("t", "总理李鹏今天在北京会见了王刚。李鹏还会见了李四。", date="2024-01-12"))
    assert len({f.object.label for f in doc.facts if f.kind == "participation"}) == 2


def test_an_act_the_ceremony_is_named_by_is_the_ceremony(canned):
    doc = canned(Article("t", "全市合作协议签约仪式今天举行。李四与王刚共同见证签约。", date="2024-01-12"))
    assert {f.object.label for f in doc.facts if f.kind == "participation"} == {"全市合作协议签约仪式"}


def test_on_a_visit_what_a_host_says_makes_no_speaker(canned):
    doc = canned(Article("t", "县委书记徐华明到花园街道调研。局长李四说，要办好广播。", date="2024-01-12"))
    assert not [f for f in doc.facts if f.kind == "participation" and f.subject.label == "李四"]


def test_a_visit_studied_or_accompanied_makes_no_event(canned):
    doc = canned(Article("t", "会议学习贯彻徐华明到花园街道调研讲话精神。", date="2024-01-12"))
    assert not [m for m in doc.mentions if m.subtype == "visit"]
    doc = canned(Article("t", "王嵘陪同调研。", date="2024-01-12"))
    assert not [m for m in doc.mentions if m.subtype == "visit"]


def test_quoted_words_stay_in_an_event_name(canned):
    doc = canned(Article("t", "第十二届广州“杰出青年”、“十佳青年”颁奖典礼今天举行。李四出席颁奖典礼。", date="2024-01-12"))
    assert doc.main_event.key == "第十二届广州“杰出青年”、“十佳青年”颁奖典礼"


def test_an_opening_ceremony_keeps_its_name_and_a_programme_of_many_is_no_event(canned):
    doc = canned(Article("t", "市长郑云涛今天出席“彩灯大观园”开幕典礼。", date="2024-01-12"))
    assert doc.main_event.key == "“彩灯大观园”开幕典礼"
    doc = canned(Article("t", "市长郑云涛今天出席全港各区530多项活动。", date="2024-01-12"))
    assert not any(m.type == "event" and "活动" in m.key for m in doc.mentions)


def test_names_lose_stray_quotes(canned):
    from kg.text import stray_quotes

    assert stray_quotes("「前厅交流会") == (1, 0) and stray_quotes("双城论坛」") == (0, 1)
    assert stray_quotes("“项目立区、创新引领”竞赛活动") == (0, 0)
    doc = canned(Article("t", "市长郑云涛今天出席「前厅交流会」。", date="2024-01-12"))
    assert doc.main_event.key == "前厅交流会"
    assert ("郑云涛", "前厅交流会", "attendee") in _by_rule(doc, "trigger.v1")


def test_a_meal_told_twice_is_one(canned):
    doc = canned(Article("t", "市长徐华明与李四共进午餐。徐华明与李四在北京共进午餐。", date="2024-01-12"))
    meals = {f.object.key for f in doc.facts if f.kind == "participation" and f.attrs["rule"] == "actor.v1"}
    assert meals == {"徐华明与李四共进午餐"}


def test_one_named_for_another_is_no_participant(canned):
    doc = canned(Article("t", "全市经济工作会议今天召开。市长郑云涛、王刚秘书李四出席。", date="2024-01-12"))
    assert "王刚" not in {f.subject.label for f in doc.facts if f.kind == "participation"}


def test_bodies_whose_leaders_attend_are_no_participants(canned):
    doc = canned(Article("t", "全市经济工作会议今天召开。县委办、县财政局等部门主要领导，区人大领导班子成员参加会议。市长郑云涛出席。", date="2024-01-12"))
    people = {f.subject.label for f in doc.facts if f.kind == "participation"}
    assert people == {"郑云涛"}


@pytest.mark.parametrize("text", [
    "县委书记徐华明明日会到花园街道调研，并与李四座谈。",  # still to come, in the clause and the one it goes on from
    "县委书记徐华明对李四来某县考察表示欢迎。",  # the guest's visit, told by the host
    "要深入学习习近平总书记视察北京重要讲话精神。",  # what was said on an earlier visit
])
def test_acts_that_are_no_event_of_the_article(canned, text):
    doc = canned(Article("t", text, date="2024-01-12"))
    assert not [m for m in doc.mentions if m.type == "event" and m.source == "acts.v1"]


def test_the_bodies_one_stands_for_are_no_participants(canned):
    doc = canned(Article("t", "全市经济工作会议今天召开。市长郑云涛代表县委办、县财政局讲话。", date="2024-01-12"))
    assert {f.subject.label for f in doc.facts if f.kind == "participation"} == {"郑云涛"}


def test_a_body_where_someone_receives_is_no_host(canned):
    doc = canned(Article("t", "总理李鹏今天在国家教委会见了王刚。", date="2024-01-12"))
    assert ("国家教委" not in {f.subject.label for f in doc.facts if f.kind == "participation"})
    assert ("王刚", "李鹏会见王刚", "guest") in _by_rule(doc, "reception.v1")


def test_together_yields_to_the_trigger_after_it(canned):
    doc = canned(Article("t", "总理李鹏今天会见了王刚。丁关根一同会见。", date="2024-01-12"))
    roles = {f.role for f in doc.facts if f.kind == "participation" and f.subject.label == "丁关根"}
    assert roles == {"host"}


def test_a_list_runs_back_over_posts_the_tagger_left_outside_a_post():
    from kg.extract.participation import _only_names
    from kg.model import Mention

    def names(text, spans):
        return [Mention(text[a:b], kind, a, b) for kind, a, b in ((k, text.index(w), text.index(w) + len(w)) for k, w in spans)]

    # 容康社 read as a body: 统战部部长 and 中共南宁市委常委 are left as bare post words
    text = "自治区政协委员、中共南宁市委常委、统战部部长容康社、南宁市副市长眭国华、黎四龙"
    found = names(text, [("organization", "自治区政协"), ("organization", "南宁市委"), ("organization", "统战部"), ("organization", "容康社"),
                         ("post", "南宁市副市长"), ("person", "眭国华"), ("person", "黎四龙")])
    assert _only_names(text, 0, len(text), found)
    # a list opened by the group its officials belong to (区领导郑荣文、…)
    text = "区领导郑荣文、郭庆生、李新华等区工管委领导班子成员"
    found = names(text, [("person", "郑荣文"), ("person", "郭庆生"), ("person", "李新华"), ("organization", "区工管委")])
    assert _only_names(text, 0, len(text), found)
    # a clause that says more than names and posts is no piece of a list
    text = "区领导郑荣文到花园街道走访"
    assert not _only_names(text, 0, len(text), names(text, [("person", "郑荣文")]))


def test_the_head_of_a_place_cut_after_the_place_holds_its_post():
    """南投縣/LOC 長/v 許淑華: the post is 南投县长, and 許縣長 later is 許淑華 (surname+title)."""
    doc = extract_with({"南投县": "LOC", "许淑华": "PER", "长": "v"}, "南投县长许淑华今天到花园街道调研。许县长说，要办好广播。")
    assert {(f.subject.label, f.value) for f in doc.facts if f.kind == "holds_post"} == {("许淑华", "南投县长")}
    titled = [m for m in doc.mentions if m.type == "person" and m.text == "许县长"]
    assert titled and all(m.label == "许淑华" for m in titled)
    assert ("许淑华", "许淑华到花园街道调研", "attendee") in _by_rule(doc, "actor.v1")


def test_a_visit_carried_out_after_the_stops_is_the_subjects(canned):
    # …深入中寮鄉、草屯鎮，展開會勘: the clause of the act holds only the verb that carries it out
    doc = canned(Article("t", "县委书记徐华明今天到花园街道、某县，展开调研。", date="2024-01-12"))
    assert {(f.subject.label, f.object.label) for f in doc.facts if f.kind == "participation" and f.attrs["rule"] == "actor.v1"} == {("徐华明", "徐华明到花园街道、某县展开调研")}


def test_an_activity_named_by_a_visit_is_a_visit():
    from kg.extract.events import _kind_of

    assert _kind_of("吉林省河北商会赴唐山市、曹妃甸区考察活动", "活动") == "visit"
    assert _kind_of("春节走访慰问活动", "活动") == "visit"
    assert _kind_of("全市文化活动", "活动") == "activity"
    assert _kind_of("全市经济工作会议", "会议") == "meeting"
    doc = Pipeline(CannedTagger())(Article("t", "国家统计局今天在北京开展统计考察活动。", date="2024-01-12"))
    assert [m.subtype for m in doc.mentions if m.type == "event" and m.key.endswith("考察活动")] == ["visit"]


def test_a_verb_the_tagger_took_for_a_name_is_no_person():
    doc = extract_with({"讲话": "PER"}, "全市经济工作会议今天召开。市长郑云涛出席会议，讲话。")
    assert {m.label for m in doc.mentions if m.type == "person"} == {"郑云涛"}


def test_a_list_runs_on_over_a_name_the_tagger_missed_after_a_post():
    # 市政府秘书长招展/v: the piece is still a post and a name, the names before it attend too
    doc = extract_with({"李常官": "PER", "招展": "v"}, "全市经济工作会议今天召开。副市长李常官，市政府秘书长招展，局长王刚出席会议。")
    assert {("李常官", "全市经济工作会议", "attendee"), ("王刚", "全市经济工作会议", "attendee")} <= _by_rule(doc, "trigger.v1")


def test_a_signing_attends_only_a_signing(canned):
    # 与九家单位签订了责任状 in the report of a briefing: a document signed, no one attends the briefing by it
    doc = canned(Article("t", "全市经济工作会议今天召开。国家统计局与县财政局签订了责任状。", date="2024-01-12"))
    assert not [f for f in doc.facts if f.kind == "participation" and f.attrs["cue"] in ("签订", "签署")]


def test_a_body_with_its_term_and_a_meeting_to_be_convened_are_no_events(canned):
    doc = canned(Article("t", "中国人民政治协商会议第九届格尔木市委员会常务委员会今天召开。市长郑云涛出席。", date="2024-01-12"))
    assert not [m for m in doc.mentions if m.type == "event"]
    assert not [f for f in doc.facts if f.kind == "participation"]
    # 关于召开…会议的决定: a document about a meeting still to be held; 关于 elsewhere plans nothing
    doc = canned(Article("t", "国家教委关于召开全国统计工作会议的决定今天发布。", date="2024-01-12"))
    assert not [f for f in doc.facts if f.kind == "participation" and f.role == "host"]
    doc = canned(Article("t", "县委书记徐华明带着关于春耕的问题到花园街道调研。", date="2024-01-12"))
    assert [m.key for m in doc.mentions if m.subtype == "visit"]


def test_whom_a_secretary_works_for_and_a_lone_surname_are_no_participants(canned):
    # 議長李文斌機要秘書 (the secretary unnamed) is there, not 李文斌; 王刚秘书长 is 王刚 with his post
    doc = canned(Article("t", "全市经济工作会议今天召开。市长郑云涛、王刚秘书出席。", date="2024-01-12"))
    assert {f.subject.label for f in doc.facts if f.kind == "participation"} == {"郑云涛"}
    for own_post in ("王刚秘书长出席。", "王刚助理巡视员出席。"):  # posts of his own
        doc = canned(Article("t", "全市经济工作会议今天召开。" + own_post, date="2024-01-12"))
        assert {f.subject.label for f in doc.facts if f.kind == "participation"} == {"王刚"}
    # a surname the article never prints in full names no one
    doc = extract_with({"张": "PER"}, "全市经济工作会议今天召开。市长郑云涛、张出席。")
    assert {f.subject.label for f in doc.facts if f.kind == "participation"} == {"郑云涛"}


def test_a_list_runs_back_over_names_each_after_its_description():
    from kg.extract.participation import _only_names
    from kg.model import Mention

    def names(text, spans):
        return [Mention(w, kind, text.index(w), text.index(w) + len(w)) for kind, w in spans]

    # 市推进…办公室常务副主任曹洪彬: 推进 left outside the post, each 、-item still ends in a name
    text = "佛山市副市长乔羽、市推进大湾区建设领导小组办公室常务副主任曹洪彬"
    found = names(text, [("post", "佛山市副市长"), ("person", "乔羽"), ("post", "大湾区建设领导小组办公室常务副主任"), ("person", "曹洪彬")])
    assert _only_names(text, 0, len(text), found)
    # the last item closed by the group the names stand for (等嘉宾)
    text = "副会长卢明汉和基金会协理林郁华、集团副总经理周枝田等嘉宾"
    found = names(text, [("post", "副会长"), ("person", "卢明汉"), ("person", "林郁华"), ("post", "集团副总经理"), ("person", "周枝田")])
    assert _only_names(text, 0, len(text), found)
    # an item that ends in no name is no piece of a list
    text = "佛山市副市长乔羽、市推进大湾区建设"
    assert not _only_names(text, 0, len(text), names(text, [("post", "佛山市副市长"), ("person", "乔羽")]))


def test_the_guests_of_a_reception_run_on_over_clauses_of_names(canned):
    doc = canned(Article("t", "总理李鹏今天会见了局长王刚，市长李四等嘉宾。", date="2024-01-12"))
    assert {f.subject.label for f in doc.facts if f.kind == "participation" and f.role == "guest"} == {"王刚", "李四"}


def test_what_visitors_say_after_a_meeting_their_visit_holds_they_say_there(canned):
    doc = canned(Article("t", "县委书记徐华明到花园街道调研，并召开座谈会。徐华明说，要办好广播。", date="2024-01-12"))
    spoke = {(f.subject.label, f.object.label) for f in doc.facts if f.kind == "participation" and f.role == "speaker"}
    assert spoke == {("徐华明", "座谈会")}
    # at the meeting both sides speak: the host's words too
    doc = canned(Article("t", "县委书记徐华明到花园街道调研，并召开座谈会。局长王刚说，要办好广播。", date="2024-01-12"))
    assert {(f.subject.label, f.object.label) for f in doc.facts if f.kind == "participation" and f.role == "speaker"} == {("王刚", "座谈会")}
    # with no meeting held on the visit, the visit is where it is said
    doc = canned(Article("t", "县委书记徐华明到花园街道调研。徐华明说，要办好广播。", date="2024-01-12"))
    assert {f.object.label for f in doc.facts if f.kind == "participation" and f.role == "speaker"} == {"徐华明到花园街道调研"}


def test_people_of_a_kind_are_no_persons():
    doc = extract_with({"嘉宾": "PER"}, "总理李鹏今天会见了嘉宾。")
    assert {m.label for m in doc.mentions if m.type == "person"} == {"李鹏"}


def test_a_name_the_tagger_ran_into_the_report_made_is_cut():
    doc = extract_with({"王刚作": "PER"}, "全市经济工作会议今天召开。会议听取了局长王刚作的说明。")
    assert {m.label for m in doc.mentions if m.type == "person"} == {"王刚"}
    assert {(f.subject.label, f.role) for f in doc.facts if f.kind == "participation"} == {("王刚", "speaker")}


def test_what_someone_told_is_no_speech_at_the_event(canned):
    doc = canned(Article("t", "全市经济工作会议今天召开。局长王刚介绍，全市统计工作情况良好。", date="2024-01-12"))
    assert not [f for f in doc.facts if f.kind == "participation" and f.attrs["cue"] == "介绍"]


def test_a_meeting_a_decision_sets_is_one_to_come(canned):
    # 会议决定，…第一次会议２月１８日在长沙举行: the session decided on is still to be held
    doc = canned(Article("t", "国家统计局今天召开统计工作会议。会议决定，全市经济工作会议２月１８日在北京举行。局长王刚主持会议。", date="2024-01-12"))
    assert doc.main_event is not None and doc.main_event.key == "统计工作会议"
    assert {(f.subject.label, f.object.label) for f in doc.facts if f.kind == "participation" and f.role == "chair"} == {("王刚", "统计工作会议")}


def test_what_a_sentence_held_is_the_event_right_after_its_verb(canned):
    # 召开…专题会议，研究…庆祝活动有关事宜: 参加会议 later points at the meeting held, not the topic
    doc = canned(Article("t", "国家统计局今天召开统计工作会议，研究全市文化活动有关事宜。局长王刚主持会议。", date="2024-01-12"))
    assert {(f.subject.label, f.object.label) for f in doc.facts if f.kind == "participation" and f.role == "chair"} == {("王刚", "统计工作会议")}


def test_a_meeting_named_in_hui_yi_keeps_its_whole_name(canned):
    # 专题会 is a noun of the table, but 专题会议 is a 会议 named whole
    doc = canned(Article("t", "国家统计局今天召开统计专题会议。局长王刚主持会议。", date="2024-01-12"))
    assert doc.main_event is not None and doc.main_event.key == "统计专题会议"


def test_a_class_named_by_a_visit_word_is_no_visit(canned):
    doc = canned(Article("t", "总理李鹏今天会见了统计考察班学员。", date="2024-01-12"))
    assert not [m for m in doc.mentions if m.type == "event" and m.subtype == "visit"]


def test_a_room_named_by_an_event_noun_is_no_event(canned):
    # 于县府3楼会议室召开…: 会议室 is where, the 主管月报 (a Taiwan county's meeting) what
    doc = canned(Article("t", "县府今天于县府3楼会议室召开第3次主管月报。市长郑云涛主持。", date="2024-01-12"))
    assert [m.key for m in doc.mentions if m.type == "event"] == ["第3次主管月报"]


def test_an_activity_named_only_by_a_visit_word_is_the_visit(canned):
    # 分别参加了在当地的调研活动: the article's visit, not an activity of its own
    doc = canned(Article("t", "县委书记徐华明到花园街道调研。关保英分别参加了在当地的调研活动。", date="2024-01-12"))
    assert {(f.subject.label, f.object.label) for f in doc.facts if f.kind == "participation" and f.subject.label == "关保英"} == {("关保英", "徐华明到花园街道调研")}


def test_visits_of_officials_each_with_companions_are_theirs(canned):
    # 何永贤在…陪同下，联同…区议员探访…；何启明在…陪同下，联同…探访…: one visit each, named by its visitor
    text = "局长王刚在李四陪同下，联同县委办探访花园街道；局长关保英在梁文昌陪同下，联同县财政局探访某县。"
    doc = canned(Article("t", text, date="2024-01-12"))
    assert {m.key for m in doc.mentions if m.subtype == "visit"} == {"王刚探访", "关保英探访"}
    visitors = {(f.subject.label, f.object.label) for f in doc.facts if f.kind == "participation" and f.subject.label in ("王刚", "关保英")}
    assert visitors == {("王刚", "王刚探访"), ("关保英", "关保英探访")}


def test_a_name_running_into_an_area_ending_is_no_person():
    doc = extract_with({"黄大仙": "PER"}, "局长王刚联同黄大仙区区议员到花园街道调研。")
    assert {m.label for m in doc.mentions if m.type == "person"} == {"王刚"}


# text, words the canned tagger reads otherwise, the names of its visits
VISIT_NAMES = [
    # a name built from the text leaves out how or again (继续, 亲自: event_verbs.txt [manner])
    ("县委书记徐华明继续到花园街道调研。", {"继续": "v"}, ["徐华明到花园街道调研"]),
    # 决定 plans an event only right before its name (会议决定，…举行), not 传达市委决定
    ("县委书记徐华明传达市委决定，并到花园街道调研。", {}, ["徐华明到花园街道调研"]),
    # companions leave the name (联同…), where the visit went stays; 会同 is a county here
    ("局长王刚联同县委办到花园街道调研。", {}, ["王刚到花园街道调研"]),
    ("局长王刚到会同县调研。", {}, ["王刚到会同县调研"]),
    # 商会会员在会长安旭的带领下来常考察: the party, not its leader, opens the name; 来常: 常熟, no adverb
    ("国家统计局会员在局长王刚的带领下来常考察。", {"常": "d"}, ["国家统计局会员来常考察"]),
]


@pytest.mark.parametrize("text, words, names", VISIT_NAMES, ids=[t[:12] for t, _, _ in VISIT_NAMES])
def test_the_name_of_a_visit_built_from_the_text(text, words, names):
    assert [m.key for m in extract_with(words, text).mentions if m.subtype == "visit"] == names


def test_the_leader_of_a_party_takes_part_in_its_visit():
    doc = extract_with({"常": "d"}, "国家统计局会员在局长王刚的带领下来常考察。")
    assert ("王刚", "国家统计局会员来常考察") in {(f.subject.label, f.object.label) for f in doc.facts if f.kind == "participation"}


def test_a_name_before_an_area_and_its_post_stays_a_person(canned):
    for text in ("区长王刚出席会议。", "王刚区长出席全市经济工作会议。", "王刚区议员出席全市经济工作会议。"):
        assert "王刚" in {m.label for m in canned(Article("t", text, date="2024-01-12")).mentions if m.type == "person"}


def test_whom_one_speaks_to_is_no_speaker(canned):
    doc = canned(Article("t", "全市经济工作会议今天召开。局长王刚向市长李四介绍统计工作。", date="2024-01-12"))
    assert {f.subject.label for f in doc.facts if f.kind == "participation" and f.role == "speaker"} == {"王刚"}


def test_guests_run_on_only_over_names_no_later_trigger_takes(canned):
    # 会见了王刚，市长李四，副市长关保英参加会见: 李四 attends with 关保英, no guest
    doc = canned(Article("t", "总理李鹏今天会见了局长王刚，市长李四，副市长关保英参加会见。", date="2024-01-12"))
    roles = {(f.subject.label, f.role) for f in doc.facts if f.kind == "participation"}
    assert ("王刚", "guest") in roles and ("李四", "guest") not in roles and ("李四", "attendee") in roles


def test_once_the_visit_goes_on_what_is_said_is_no_longer_at_its_meeting(canned):
    text = "县委书记徐华明到花园街道调研，并召开座谈会。随后，徐华明到某县考察。局长王刚说，要办好广播。"
    doc = canned(Article("t", text, date="2024-01-12"))
    assert not [f for f in doc.facts if f.kind == "participation" and f.role == "speaker" and f.object.label == "座谈会"]


def test_a_meeting_in_the_title_of_a_bill_is_no_event(canned):
    doc = canned(Article("t", "全市经济工作会议今天召开。会议听取了局长王刚作的关于《全国统计工作会议条例》的说明。", date="2024-01-12"))
    assert {m.key for m in doc.mentions if m.type == "event" and m.key} == {"全市经济工作会议"}


def test_hui_yi_ends_a_name_unless_yi_opens_a_word_of_its_own(canned):
    doc = canned(Article("t", "国家统计局今天召开会议，研究全省人民代表大会议程。", date="2024-01-12"))
    assert not [m for m in doc.mentions if m.type == "event" and m.key.endswith("大会议")]
