"""Extraction on the example page and on sentences of our own for each rule."""

from __future__ import annotations

import pytest

from kg.cli import extraction_record
from kg.model import Article

OFFICIALS = ["胡勇春", "郑云涛", "李浩锋", "吴东明", "胡天忠", "蒋华蒙", "陈伟强", "胡文建", "朱志昂", "朱长林"]
MEETING = "全省高质量项目建设和企业发展推进大会"


def _facts(doc, kind):
    return [f for f in doc.facts if f.kind == kind]


def _participants(doc, role=None):
    return {(f.subject.label, f.object.label, f.role) for f in _facts(doc, "participation") if role in (None, f.role)}


def _who(doc, role=None):
    """The participants' names, in any event (in that role)."""
    return {who for who, _, _ in _participants(doc, role)}


def test_the_ten_officials_attended_the_meeting_at_the_yongkang_sub_venue(example_docs):
    doc = example_docs[0]
    assert doc.main_event.label == MEETING
    attendees = [f for f in _facts(doc, "participation") if f.role == "attendee"]
    assert sorted(f.subject.label for f in attendees) == sorted(OFFICIALS)
    assert all(f.object.label == MEETING and f.attrs["venue"].text == "永康分会场" for f in attendees)
    assert {f.value for f in _facts(doc, "event_date")} == {"2024-01-11"}
    assert {f.value for f in _facts(doc, "event_form")} == {"视频会议"}
    assert {f.object.text for f in _facts(doc, "event_subvenue")} == {"永康分会场"}


def test_cities_district_and_companies_spoke(example_docs):
    # as the page prints them (the graph names the companies by their key, without the legal suffix)
    speakers = {f.subject.attrs.get("resolution", {}).get("printed") or f.subject.label for f in _facts(example_docs[0], "participation") if f.role == "speaker"}
    assert speakers == {"金华市", "杭州市钱塘区", "传化集团有限公司", "新凤鸣集团股份有限公司"}
    kinds = {m.text: m.full_type for m in example_docs[0].mentions}
    assert kinds["传化集团有限公司"] == "organization:company"


def test_only_mentioned_people_and_credits_are_no_participants(example_docs):
    everyone = {who for doc in example_docs for who, _, _ in _participants(doc)}
    assert "习近平" not in everyone
    assert not everyone & {"陈晓苏", "杨成栋", "吕晓婷"}
    assert [f.subject.text for f in _facts(example_docs[0], "reporter")] == ["陈晓苏"]
    assert [f.subject.text for f in _facts(example_docs[1], "photographer")] == ["杨成栋", "吕晓婷"]


def test_the_photo_exhibition_opened_at_the_city_museum(example_docs):
    doc = example_docs[1]
    assert doc.main_event.label == "第二届“寻美永康”摄影展开幕式暨颁奖仪式"
    assert [f.object.text for f in _facts(doc, "event_venue")] == ["市博物馆"]
    assert [f.value for f in _facts(doc, "event_date")] == ["2024-01-11"]
    exhibition = [m for m in doc.mentions if m.type == "event" and m.attrs.get("super_event_of_main")]
    assert exhibition and exhibition[0].label == "第二届“寻美永康”摄影展"


def _extract(pipeline, text, date="2024-01-12"):
    return pipeline(Article(id="t", text=text, date=date))


def test_posts_printed_before_names(pipeline):
    doc = _extract(pipeline, "市委书记胡勇春，市委副书记、市长郑云涛出席全市经济工作会议。")
    posts = {(f.subject.label, f.value) for f in _facts(doc, "holds_post")}
    assert posts == {("胡勇春", "市委书记"), ("郑云涛", "市委副书记"), ("郑云涛", "市长")}
    assert _participants(doc) == {("胡勇春", "全市经济工作会议", "attendee"), ("郑云涛", "全市经济工作会议", "attendee")}
    assert "市委" not in _who(doc)


@pytest.mark.parametrize("text, person, post", [
    ("全市规划工作会议召开。省发展规划研究院总规划师徐伟金出席会议。", "徐伟金", "总规划师"),
    ("全市统战工作会议召开。市委统战部二级巡视员王维东出席会议。", "王维东", "巡视员"),
    ("團拜會今日舉行。黃大仙民政事務專員胡鉅華出席。", "胡巨华", "民政事务专员"),  # 黃大仙/PER is the district
])
def test_posts_of_civil_servants_and_of_hong_kong(pipeline, text, person, post):
    doc = _extract(pipeline, text)
    assert any(who == person and value.endswith(post) for who, value in ((f.subject.label, f.value) for f in _facts(doc, "holds_post")))
    assert _who(doc) == {person}  # not the body or the district of the post


def test_chair_and_speaker_in_one_sentence(pipeline):
    doc = _extract(pipeline, "1月10日，全市安全生产工作会议召开。市长李明主持会议并讲话。")
    assert _participants(doc) == {("李明", "全市安全生产工作会议", "chair"), ("李明", "全市安全生产工作会议", "speaker")}
    assert {f.value for f in _facts(doc, "event_date")} == {"2024-01-10"}


def test_speech_nouns_and_studied_words_are_not_triggers(pipeline):
    doc = _extract(pipeline, "全市干部大会召开。会议要求认真学习王刚同志的重要讲话精神。")
    assert _participants(doc) == set()


def test_named_event_after_the_trigger_wins_over_the_article_event(pipeline):
    doc = _extract(pipeline, "全市文化工作会议召开。会后，市长李明出席第三届读书节开幕式。")
    assert ("李明", "第三届读书节开幕式", "attendee") in _participants(doc)


def test_extract_record_offsets_point_into_the_text(example_docs):
    for doc in example_docs:
        record = extraction_record(doc)
        assert set(record) == {"article", "title", "date", "script", "mentions", "facts"}
        for m in record["mentions"]:
            assert doc.article.text[m["start"] : m["end"]] == m["text"]
            assert m["type"].split(":")[0] in {"person", "organization", "place", "event", "date", "post"}
        for f in record["facts"]:
            ev = f["evidence"]
            assert doc.article.text[ev["start"] : ev["end"]] == ev["sentence"]


@pytest.mark.parametrize("tagger", ["lac", "jieba"])
def test_taggers_share_one_interface(tagger):
    from kg.nlp.ner import get_tagger

    (tokens,) = get_tagger(tagger).tag(["市长郑云涛出席会议。"])
    assert "".join(t.text for t in tokens) == "市长郑云涛出席会议。"
    assert any(t.text == "郑云涛" and t.tag == "PER" for t in tokens)


def test_reception_dateline_and_byline_credit(pipeline):
    text = "新华社北京１月１３日电（记者尹洪东）国务院总理李鹏今天在人民大会堂会见了美国国务卿奥尔布赖特。外交部长唐家璇参加会见。"
    doc = _extract(pipeline, text, date="1998-01-14")
    meeting = "李鹏会见美国国务卿奥尔布赖特"  # named as printed: who met whom
    assert _participants(doc) == {("李鹏", meeting, "host"), ("奥尔布赖特", meeting, "guest"), ("唐家璇", meeting, "attendee")}
    # 今天 is the dateline's day, not the publication day
    assert [(f.subject.label, f.value) for f in _facts(doc, "event_date")] == [(meeting, "1998-01-13")]
    assert [f.object.text for f in _facts(doc, "event_venue")] == ["人民大会堂"]
    assert [f.subject.text for f in _facts(doc, "reporter")] == ["尹洪东"]
    assert [f.subject.text for f in _facts(doc, "dateline")] == ["北京"]
    assert not any(m.type == "event" and m.text == "人民大会" for m in doc.mentions)  # 人民大会|堂 is a venue


def _posts(doc):
    return {(f.subject.label, f.value) for f in _facts(doc, "holds_post")}


def test_titles_glued_to_names_before_and_after(pipeline):
    text = "全省科技创新大会今天在杭州召开。国防部长王毅、党组书记江成和韩正副总理出席了全省科技创新大会。"
    doc = _extract(pipeline, text)
    assert {("王毅", "国防部长"), ("江成", "党组书记"), ("韩正", "副总理")} <= _posts(doc)
    attendees = _who(doc, "attendee")
    assert attendees == {"王毅", "江成", "韩正"}


def test_a_name_the_tagger_missed_before_a_verb_of_taking_part(pipeline):
    """文献/n 主持会议/v: after a post, a name closed by the verb (not only by a comma); 应邀/v is no name."""
    doc = _extract(pipeline, "3月15日，朝阳区召开全区领导干部大会。区委书记文献主持会议并讲话，副区长应邀出席会议。")
    assert ("文献", "区委书记") in _posts(doc)
    assert "文献" in _who(doc, "chair")
    assert not any(m.text == "应邀" for m in doc.mentions)
    doc = _extract(pipeline, "10月21日，旗委副书记、政府旗长常胜带队，赴江苏、河南两地考察调研。")  # a banner's head leads
    assert "常胜" in _who(doc, "attendee")


def test_the_delegation_that_calls_on_is_no_new_year_gathering(pipeline):
    """考察團|拜訪, 代表团|拜会: the 团 is the delegation's; 团拜会 is still a gathering."""
    doc = _extract(pipeline, "立法會考察團拜訪馬來西亞國會，代表团拜会了下議院議長。")
    assert not any("團拜" in m.text or "团拜" in m.text for m in doc.mentions if m.type == "event")
    doc = _extract(pipeline, "全市春节团拜会今天举行。市长李明出席团拜会。")
    assert "全市春节团拜会" in {m.label for m in doc.mentions if m.type == "event"}


def test_the_headline_meeting_takes_the_number_the_body_tells(pipeline):
    text = "夏吾杰主持召开海北州委书记专题会议\n4月3日，州委书记夏吾杰主持召开海北州委书记第四次专题会议。州长张胜源参加会议。"
    doc = _extract(pipeline, text)
    assert {e for _, e, _ in _participants(doc)} == {"海北州委书记第四次专题会议"}


def test_a_visit_is_named_from_the_whole_name_of_its_delegation(pipeline):
    """韩国/LOC 江原道江陵市议会访问团/ORG: the delegation known by its whole name names the visit whole."""
    doc = _extract(pipeline, "9月6日，韩国江原道江陵市议会访问团来到延吉市进行友好访问。")
    assert {e for _, e, _ in _participants(doc)} == {"韩国江原道江陵市议会访问团来到延吉市进行友好访问"}


def test_a_person_introduced_with_a_post_is_found_where_printed_again(pipeline):
    text = "常胜带队赴江苏开展招商考察\n10月21日，旗委副书记、政府旗长常胜带队，赴江苏考察调研。常胜强调，要持续延伸产业链。"
    doc = _extract(pipeline, text)
    assert [m.start for m in doc.mentions if m.type == "person" and m.text == "常胜"] == [0, text.index("政府旗长") + 4, text.rindex("常胜")]
    persons = [m.start for m in doc.mentions if m.type == "person"]
    assert persons == sorted(persons)  # in text order, as later components read them


def test_the_headline_s_part_of_a_joint_event_is_the_joint_event(pipeline):
    """…博览会开幕式 in the headline, …博览会开幕式暨…论坛 in the body, then 主持开幕式暨论坛: one event."""
    text = "第十八届中国西部国际博览会开幕式\n9月16日上午，第十八届中国西部国际博览会开幕式暨第十届中国西部国际合作论坛在成都举行。省长黄强主持开幕式暨论坛。"
    doc = _extract(pipeline, text)
    assert {m.key for m in doc.mentions if m.type == "event"} == {"第十八届中国西部国际博览会开幕式暨第十届中国西部国际合作论坛"}
    assert ("黄强", "第十八届中国西部国际博览会开幕式暨第十届中国西部国际合作论坛", "chair") in _participants(doc)


def test_enumeration_of_officials_over_commas(pipeline):
    text = "全市农业工作会议今天召开。市委副书记、市长郑云涛，全国人大常委会副委员长李建国、王海平等出席会议。"
    doc = _extract(pipeline, text)
    assert _who(doc, "attendee") == {"郑云涛", "李建国", "王海平"}
    assert ("李建国", "全国人大常委会副委员长") in _posts(doc)


def test_attendees_listed_after_a_colon(pipeline):
    text = "全省文艺界迎春茶话会今天在省委礼堂举行。出席茶话会的领导同志还有：王建国、李爱华、张小平。"
    doc = _extract(pipeline, text)
    assert _who(doc, "attendee") == {"王建国", "李爱华", "张小平"}


def test_hosts_of_a_held_event(pipeline):
    doc = _extract(pipeline, "今天，省科技厅在浙江大学召开座谈会。")
    assert _participants(doc) == {("省科技厅", "座谈会", "host")}  # not the venue after 在
    doc = _extract(pipeline, "由省文化厅和杭州日报社主办的第五届西湖书画展开幕式今天举行。")
    assert {who for who, _, role in _participants(doc) if role == "host"} == {"省文化厅", "杭州日报社"}


def test_speech_at_the_event_without_the_word_speech(pipeline):
    text = "全市教育工作会议今天召开。副市长周明在会上指出，要办好人民满意的教育。省教育厅厅长孙立也讲了话。"
    doc = _extract(pipeline, text)
    assert _who(doc, "speaker") == {"周明", "孙立"}


def test_a_meeting_then_a_reception_the_same_evening(pipeline):
    text = "全省旅游工作会议今天在杭州召开。副省长陈志强出席会议并讲话。当晚，陈志强会见了参加会议的代表。"
    doc = _extract(pipeline, text)
    assert _participants(doc) == {
        ("陈志强", "全省旅游工作会议", "attendee"),
        ("陈志强", "全省旅游工作会议", "speaker"),
        ("陈志强", "陈志强会见", "host"),
    }


def test_inscriptions_letters_and_quotes_are_no_participation(pipeline):
    text = "全省新闻工作会议今天召开。省政协主席刘国平为大会题词，省长赵立明发来贺信。赵立明在贺信中说，希望大家再接再厉。"
    doc = _extract(pipeline, text)
    assert _participants(doc) == set()


def test_organisations_and_delegations_take_part(pipeline):
    text = "第三届长三角科技论坛今天在上海开幕。浙江大学代表团、省科技厅参加了第三届长三角科技论坛。"
    doc = _extract(pipeline, text)
    assert _who(doc, "attendee") == {"浙江大学代表团", "省科技厅"}


def test_the_present_and_the_elected_are_not_triggers(pipeline):
    text = "全县人民代表大会今天闭幕。大会选举出王小明、赵大海等为出席市人代会的代表。与会者对报告给予肯定。"
    assert _participants(_extract(pipeline, text)) == set()


@pytest.mark.parametrize(
    ("text", "reporters"),
    [
        ("本报杭州３月８日讯新华社记者张伟、本报记者李红报道：会议召开。", ["张伟", "李红"]),
        ("本报宁波电记者王芳报道：会议召开。", ["王芳"]),
        ("新华社杭州三月八日电（中央人民广播电台记者周强、新华社记者吴敏）会议召开。", ["周强", "吴敏"]),
        ("本报杭州３月８日讯记者陈刚从省教育厅获悉：学校开学。", ["陈刚"]),
        ("春风又绿江南岸\n林立平\n又是一年春来到。", ["林立平"]),
        ("学校开学了。\n（郑小华）", ["郑小华"]),
        ("春风又绿江南岸\n本报记者周大伟陈小红王强\n又是一年春来到。", ["周大伟", "陈小红", "王强"]),  # run together
        ("春风又绿江南岸\n本报记者余继军何伟\n又是一年春来到。", ["余继军", "何伟"]),
        # web pages: an outlet's dateline, a credit closing a paragraph or its line, a page's labels
        ("政协会议闭幕\n中新网济南1月23日电 (记者 孙明华 赵亮)政协会议今天闭幕。", ["孙明华", "赵亮"]),
        ("会议召开\n  大众网·海报新闻济南2月11日讯记者 李红梅 王刚)上午,会议召开。", ["李红梅", "王刚"]),  # its ( lost
        ("(大视野新闻网讯 杨海波)11月7日,会议召开。", ["杨海波"]),
        ("株洲日报讯(全媒体记者/成丽娟 通讯员/李欣怡)6月1日,会议召开。", ["成丽娟", "李欣怡"]),
        ("会议召开。(记者:闫芳 臧国强)", ["闫芳", "臧国强"]),
        ("会议召开。(记者刘建平)\n会后参观了展览。", ["刘建平"]),
        ("会议召开。\n(首席记者 熊伟)", ["熊伟"]),
        ("会议召开。(全媒体记者郭丽娜)", ["郭丽娜"]),
        ("会议召开。(撰稿:刘强 审核:胡军、蒋丽)", ["刘强"]),  # the reviewers are no reporters
        ("会议召开\n来源:本网  作者:周丽 刘青霞  时间: 2018-09-29\n会议召开。", ["周丽", "刘青霞"]),
        ("会议召开\n2016-12-13   《柳州日报》   记者张伟\n\n昨日下午,会议召开。", ["张伟"]),
        ("会议召开。\n记者 龚丽华", ["龚丽华"]),
        # Taiwan's bylines (…/…报导, 【…报导】, 中央社…电) and an outlet's signature
        ("会议召开\n    新闻视界时报 记者 王明德 整理报导\n\n今日会议召开。", ["王明德"]),
        ("会议召开\n台湾新闻网记者张美玲/高雄报导\n会议召开。", ["张美玲"]),
        ("会议召开\n记者黄明德◎台中报导\n会议召开。", ["黄明德"]),
        ("会议召开\n【焦点时报/记者蔡明哲报导】会议召开。", ["蔡明哲"]),
        ("会议召开\n【记者杨川钦台中报导】会议召开。", ["杨川钦"]),  # three characters before the place's two
        ("會議召開\n【記者楊川欽臺中報導】醫院舉行典禮。", ["楊川欽"]),  # as printed, in traditional characters
        ("会议召开\n中央社 记者赵丽妍台中14日电\n会议召开。", ["赵丽妍"]),
        ("会议召开\n记者兆麟/台东报导\n会议召开。", ["兆麟"]),
        ("会议召开\n联合报/ 记者陈俪芳/台北即时报导\n会议召开。", ["陈俪芳"]),
        ("会议召开\n中央广播电台/王韦婷 2016.08.24 00:00\n会议召开。", ["王韦婷"]),
    ],
)
def test_bylines_and_signatures_are_credits(pipeline, text, reporters):
    doc = _extract(pipeline, text)
    assert [f.subject.text for f in _facts(doc, "reporter")] == reporters
    assert not _participants(doc)


@pytest.mark.parametrize(
    ("text", "credits"),
    [
        ("会议召开。\n\n(via:福建日报记者 周琳/文、张永定/图)", [("reporter", "周琳"), ("photographer", "张永定")]),
        ("观澜新闻客户端讯(兰州日报社全媒体首席记者 郭兰英/文 记者 马军/图)盛夏的兰州。", [("reporter", "郭兰英"), ("photographer", "马军")]),
        ("会议召开。\n来源:人大融媒体中心\n作者:周洁 视频:张可可\n编辑:黄飞飞", [("reporter", "周洁"), ("photographer", "张可可")]),  # no editor
        ("会议召开\n图为座谈会现场 摄影:王茜 \n\n会议召开。", [("photographer", "王茜")]),
        ("会议召开。广州日报全媒体记者高鹤涛摄\n大洋网讯 昨日,会议召开。", [("photographer", "高鹤涛")]),
    ],
)
def test_marks_and_labels_tell_reporters_from_photographers(pipeline, text, credits):
    doc = _extract(pipeline, text)
    assert [(f.kind, f.subject.text) for f in doc.facts if f.kind in ("reporter", "photographer")] == credits
    assert not _participants(doc)


@pytest.mark.parametrize(
    "text",
    [
        "微信扫一扫\n分享到朋友圈\n\n会议召开。",  # a page's buttons where the author's line would be
        "医院简介\n领导关怀\n首页医院概况 领导关怀\n\n会议召开。",  # a menu line
        "会议召开。\n2022年12月20日(星期二)\n香港时间10时30分",  # a weekday in brackets
        "会议召开\n作者:大同新闻网 来源:大同新闻网 公众号\n会议召开。",  # an outlet
        "会议召开\n2015-12-29 00:00:00 作者:办公厅 \n会议召开。",  # a body
        "会议召开。\n(视频截图)\n会后参观。",  # a caption's word
        "会议召开。(记者手记)\n会后参观。",  # a column's
    ],
)
def test_what_stands_where_a_credit_would_is_no_name(pipeline, text):
    doc = _extract(pipeline, text)
    assert [f.subject.text for f in doc.facts if f.kind in ("reporter", "photographer")] == []


def test_names_of_a_credit_are_no_participants(pipeline):
    doc = _extract(pipeline, "全市经济工作会议召开。市委书记李明出席会议并讲话。(记者:王芳 张国强)")
    assert [f.subject.text for f in _facts(doc, "reporter")] == ["王芳", "张国强"]
    assert _who(doc) == {"李明"}


@pytest.mark.parametrize(
    "furniture",
    ["2024-05-18 12:49:43 来源:福州日报 责任编辑:陈巧玲 我来说两句", "审核:陈巧玲", "\n长城新媒体集团  主办\n"],
)
def test_a_web_pages_editors_and_owner_are_no_participants(pipeline, furniture):
    doc = _extract(pipeline, "全市招商对接会召开。市委书记李明出席会议并讲话。" + furniture)
    assert _who(doc) == {"李明"}
    assert not {f.subject.text for f in _facts(doc, "participation") if f.role == "host"}
    assert not _facts(doc, "reporter")  # an editor reported nothing


def test_photo_credits_without_a_job_word(pipeline):
    doc = _extract(pipeline, "图为学生在上课。（孙建国摄）\n图为老师备课。（周小林吴大伟摄影报道）")
    assert [f.subject.text for f in _facts(doc, "photographer")] == ["孙建国", "周小林", "吴大伟"]


def test_names_the_tagger_cut_inside_a_list_of_persons(pipeline):
    text = "全国政协新年茶话会今天举行。出席茶话会的领导同志还有：丁关根、李贵鲜、铁木尔·达瓦买提、胡绳、万国权、何鲁丽。"
    attendees = _who(_extract(pipeline, text), "attendee")
    assert {"李贵鲜", "铁木尔·达瓦买提", "胡绳", "万国权"} <= attendees
    assert not attendees & {"李贵", "铁木尔·达瓦"}


def test_officials_quoted_in_a_meeting_report_spoke_at_it(pipeline):
    text = "全省统计工作会议今天在杭州召开。省统计局局长王立新说，要切实提高统计数据质量。"
    assert _participants(_extract(pipeline, text)) == {("王立新", "全省统计工作会议", "speaker")}


def test_letter_writers_and_interviewees_quoted_are_no_speakers(pipeline):
    text = "全省医药工作会议今天在杭州召开。副省长赵立明致信大会。赵立明指出，医药行业要加快发展。代表李华对记者说，会议开得很好。"
    assert _participants(_extract(pipeline, text)) == set()


def test_performers_of_a_concert_attended_it(pipeline):
    text = "新年音乐会今晚在省大剧院举行。男高音歌唱家张伟演唱了歌剧选段，著名指挥家李刚、王平分别指挥演奏了一批中外名曲，为观众奉献了一台高水准的交响音乐会。"
    doc = _extract(pipeline, text)
    assert doc.main_event.label == "新年音乐会"
    assert _who(doc, "attendee") == {"张伟", "李刚", "王平"}


def test_counted_guests_who_gave_speeches(pipeline):
    text = "体育产业发展研讨会今天在京召开。国家体委副主任王明、著名经济学家李强等１０位嘉宾，就体育产业发展登台演讲。"
    doc = _extract(pipeline, text)
    assert {(who, role) for who, _, role in _participants(doc)} == {("王明", "guest"), ("李强", "guest"), ("王明", "speaker"), ("李强", "speaker")}


def test_a_background_meeting_of_an_earlier_year_is_not_the_article_event(pipeline):
    text = "据介绍，持证上岗制度是在１９９６年全国广播影视语言工作会议上提出的。李铁映在颁证会上说，这是一个好制度。颁证会后，李铁映同志与大家合影留念。"
    doc = _extract(pipeline, "持证上岗制度今起实行\n" + text, date="1998-01-01")
    assert doc.main_event.label == "颁证会"
    assert _participants(doc) == {("李铁映", "颁证会", "speaker")}


def test_a_year_names_the_event_and_a_suffix_completes_the_host(pipeline):
    doc = _extract(pipeline, "嘉应商会今天举行新年宴会，外交部副部长唐家璇等应邀出席了宴会。")
    assert doc.main_event.label == "新年宴会"
    assert ("嘉应商会", "新年宴会", "host") in _participants(doc)


def test_side_participants_seated_at_a_reception(pipeline):
    text = (
        "国家主席江泽民今天在中南海会见了美国前国防部长威廉·佩里。"
        "美国驻华大使尚慕杰，前总统国家安全事务助理斯考克罗夫特，前参谋长联席会议主席沙利卡什维利等会见时在座。佩里说，美中双方应抓住机遇。"
    )
    doc = _extract(pipeline, text, date="1998-01-14")
    meeting = "江泽民会见美国前国防部长威廉·佩里"
    assert doc.main_event is None  # 参谋长联席会议主席 is a post, not an event
    assert {who for who, event, role in _participants(doc) if role == "attendee" and event == meeting} == {"尚慕杰", "斯考克罗夫特", "沙利卡什维利"}
    assert ("威廉·佩里", meeting, "speaker") in _participants(doc)  # 佩里 is 威廉·佩里


def test_the_opening_of_the_symposium_is_the_symposium_and_groups_are_no_participants(pipeline):
    text = "中日长江水利研讨会今天在京举行。全国政协副主席钱正英出席了研讨会开幕式。国务院有关部门负责同志也参加了会议。"
    assert _participants(_extract(pipeline, text)) == {("钱正英", "中日长江水利研讨会", "attendee")}


def test_event_names_with_brackets_lists_and_a_fuller_headline(pipeline):
    doc = _extract(pipeline, "全国银行、保险、证券系统行长（经理）会议日前在京召开。温家宝参加了会议。")
    assert doc.main_event.label == "全国银行、保险、证券系统行长（经理）会议"
    doc = _extract(pipeline, "北京市举行老干部迎春团拜会\n北京市今天下午举行老干部团拜会。张全景等出席团拜会并讲了话。")
    assert doc.main_event.label == "老干部迎春团拜会"
    assert ("张全景", "老干部迎春团拜会", "speaker") in _participants(doc)


def test_headline_names_run_together_are_read_from_the_body(pipeline):
    text = "江泽民李鹏朱镕基李瑞环尉健行李岚清等会见出席会议代表\n李鹏、朱镕基、李瑞环、尉健行、李岚清等领导一同会见了代表。"
    persons = {m.label for m in _extract(pipeline, text).mentions if m.type == "person"}
    assert "李瑞" not in persons and "李瑞环" in persons


def test_a_list_of_names_printed_without_spaces_is_read_name_by_name(pipeline):
    persons = {m.label for m in _extract(pipeline, "主席团常务委员会委员\n王兆国王忠禹王家福（女）孙家正吴邦国").mentions if m.type == "person"}
    assert {"王兆国", "王忠禹", "王家福", "孙家正", "吴邦国"} <= persons
    persons = {m.label for m in _extract(pipeline, "主席团成员：王刚张德江傅全有尉健行洪学智萧扬").mentions if m.type == "person"}
    assert {"王刚", "张德江", "傅全有", "尉健行", "洪学智", "萧扬"} <= persons  # surnames 傅 尉 洪 萧 read
    # where the tagger's cut does not read as names (李鹏乔 石朱镕基), the run is not trusted
    persons = {m.label for m in _extract(pipeline, "江泽民作重要讲话李鹏乔石朱镕基李瑞环刘华清尉健行出席").mentions if m.type == "person"}
    assert not {"李鹏乔", "石朱镕基", "李鹏乔石朱镕基"} & persons


def test_a_name_the_tagger_cut_short_in_a_run_is_doubted():
    from kg.extract.entities import _glued
    from kg.nlp.ner import Token

    def tokens(*pieces):
        out, pos = [], 0
        for text, tag in pieces:
            out.append(Token(text, pos, pos + len(text), tag))
            pos += len(text)
        return out

    cut = tokens(("朱镕基", "PER"), ("李瑞", "PER"), ("环尉", "v"), ("健行", "n"), ("会见", "v"))
    assert _glued("朱镕基李瑞环尉健行会见", cut, 1)  # 李瑞 + 环 reads as one name: the cut is doubtful
    assert not _glued("朱镕基李瑞环尉健行会见", cut, 0)
    listed = tokens(("王兆国", "PER"), ("王忠禹", "PER"), ("王家福", "PER"), ("（", "w"), ("女", "a"), ("）", "w"))
    assert not any(_glued("王兆国王忠禹王家福（女）", listed, i) for i in range(3))
    assert _glued("王兆国王忠禹王家福（女）", tokens(("王兆国", "PER"), ("王忠禹王", "PER")), 0)  # a neighbour that is no one name


def test_presenting_certificates_and_being_shown_at_the_event(pipeline):
    text = (
        "全国播音员颁证会今天在京举行。中共中央政治局委员李铁映与部长孙家正、主任许嘉璐等，向第一批获得证书的代表颁证。"
        "在颁证会上，李铁映同志和孔繁森的妻子王庆芝等合影留念。"
    )
    doc = _extract(pipeline, text)
    attendees = _who(doc, "attendee")
    assert {"李铁映", "孙家正", "许嘉璐", "王庆芝"} <= attendees
    assert "孔繁森" not in attendees  # named only to say whose wife she is


def test_a_report_made_to_the_meeting_and_the_event_pointed_back_at(pipeline):
    text = (
        "全国双拥工作电视电话会议今天召开。总政治部副主任周子玉代表全国双拥工作领导小组对全国双拥工作作了部署。"
        "国务委员兼国务院秘书长罗干、国家旅游局局长何光等出席了这项活动。"
    )
    doc = _extract(pipeline, text)
    assert _participants(doc) == {
        ("周子玉", "全国双拥工作电视电话会议", "speaker"),
        ("罗干", "全国双拥工作电视电话会议", "attendee"),
        ("何光", "全国双拥工作电视电话会议", "attendee"),
    }


def test_a_second_verb_after_bing_keeps_the_subjects(pipeline):
    text = "全省新闻工作座谈会今天召开。省纪委副书记夏文明，省监察厅副厅长李立伦出席会议，并就如何做好宣传工作发表了意见。"
    speakers = _who(_extract(pipeline, text), "speaker")
    assert speakers == {"夏文明", "李立伦"}


def test_hosts_named_before_the_event_or_in_the_clause_before(pipeline):
    doc = _extract(pipeline, "这次全省纺织工业工作会议，由省政府批准，省经贸委和省纺织协会联合召开。")
    assert ("省经贸委", "全省纺织工业工作会议", "host") in _participants(doc)
    doc = _extract(pipeline, "由实业家王明创办的香港桑麻基金会，日前召开了本年度的桑麻科技奖颁奖会。")
    assert {who for who, _, role in _participants(doc) if role == "host"} == {"香港桑麻基金会"}


def test_many_departments_each_holding_a_meeting_host_no_one_event(pipeline):
    text = "国家经贸委、民政部、人事部、公安部等二十几个部门召开机关干部大会，对活动进行动员。"
    assert not {role for _, _, role in _participants(_extract(pipeline, text))} & {"host"}


def test_a_province_and_its_city_are_one_place(pipeline):
    text = "全国农村工作表彰会议今天召开。河北省、辽宁省沈阳市、安徽省合肥市等在会上介绍了经验。"
    speakers = _who(_extract(pipeline, text), "speaker")
    assert {"沈阳市", "合肥市"} <= speakers and not {"辽宁省", "安徽省"} & speakers


def test_organisations_the_tagger_took_for_places_or_cut(pipeline):
    doc = _extract(pipeline, "今天，广东省军区召开邱玲英雄事迹表彰会，给她记一等功。")
    assert _participants(doc) == {("广东省军区", "邱玲英雄事迹表彰会", "host")}
    doc = _extract(pipeline, "贫困地区可持续发展研讨会今天在南京举行。研讨会是由中国科协和爱德基金会举办的。")
    assert {who for who, _, role in _participants(doc) if role == "host"} == {"中国科协", "爱德基金会"}


def test_a_clause_naming_no_one_goes_on_with_the_subject_before(pipeline):
    text = "新年音乐会今晚在人民大会堂举行。演出结束后，江泽民等党和国家领导人走上舞台，亲切会见了参加演出的全体人员。"
    assert ("江泽民", "江泽民会见", "host") in _participants(_extract(pipeline, text))
    text = "全国训练工作会议今天召开。冬运中心主任肖天表示，我国连续参加过五届冬奥会。"
    assert not _participants(_extract(pipeline, text), "attendee")


def test_a_trigger_describing_people_or_a_body_is_no_attendance(pipeline):
    text = "全省抗震救灾紧急会议今天召开。省军区向参加抗震救灾的全体官兵表示慰问。全省成立了由物价局、供电局领导参加的电价测算小组。"
    assert _participants(_extract(pipeline, text)) == set()


def _named(doc):
    return {(m.text, m.type, m.label) for m in doc.mentions if m.type in ("person", "place", "organization")}


def test_single_character_names_are_mentions(pipeline):
    doc = _extract(pipeline, "中美双方代表昨天在京签署了合作协议。")
    assert {("中", "place", "中"), ("美", "place", "美"), ("京", "place", "京")} <= _named(doc)
    doc = _extract(pipeline, "李大娘的老伴叫李福田，老李去年病了。")
    assert ("李", "person", "李福田") in _named(doc)  # the one full name of the article with that surname


def test_a_place_before_its_organisation_keeps_its_own_mention(pipeline):
    doc = _extract(pipeline, "河北省廊坊市人大常委会今天召开全体会议。")
    assert {("河北省", "place", "河北省"), ("廊坊市人大常委会", "organization", "廊坊市人大常委会")} <= _named(doc)
    assert _participants(doc) == {("廊坊市人大常委会", "全体会议", "host")}


def test_outlet_and_places_of_a_dateline_are_mentions_but_no_participants(pipeline):
    doc = _extract(pipeline, "新华社北京１月１３日电（记者尹洪东）全国外事工作会议今天召开。外交部长唐家璇出席会议。", date="1998-01-14")
    assert ("新华社", "organization", "新华社") in _named(doc)
    assert _who(doc) == {"唐家璇"}
    doc = _extract(pipeline, "本报德国慕尼黑５月２１日电（记者王平）中国射击队今天抵达。", date="1998-05-22")
    assert {("德国", "place", "德国"), ("慕尼黑", "place", "德国慕尼黑")} <= _named(doc)
    assert [f.subject.label for f in _facts(doc, "dateline")] == ["德国慕尼黑"]


def test_an_organisation_named_like_a_place_stays_an_organisation(pipeline):
    assert ("日本大藏省", "organization", "日本大藏省") in _named(_extract(pipeline, "日本大藏省官员认为，应当改革。"))


def test_a_picture_note_after_a_headline_is_no_signature(pipeline):
    doc = _extract(pipeline, "北京图书大厦开始试营业（图片）\n本报讯北京图书大厦今天开业。")
    assert not _facts(doc, "reporter") and "图片" not in {m.text for m in doc.mentions}


def test_an_attendee_list_split_by_a_semicolon_with_ranks(pipeline):
    text = (
        "国家主席王建国今天在中南海会见了法国总理马丁。"
        "国务委员兼国防部长赵立新上将，外交部副部长孙海，副总参谋长周明中将；外交部部长助理陈红等会见时在座。"
    )
    doc = _extract(pipeline, text)
    seated = {who for who, _, role in _participants(doc) if role == "attendee"}
    assert seated == {"赵立新", "孙海", "周明", "陈红"}


def test_a_photo_caption_row_list_alone_is_no_attendance(pipeline):
    text = "老校长和他的学生们。前排左起：张大山、李小河、王长江；后排左起：赵平、孙立。"
    assert _participants(_extract(pipeline, text)) == set()


def test_talking_with_people_is_a_meeting_not_a_reception(pipeline):
    doc = _extract(pipeline, "全省青年工作会议今天召开。会前，省长李明与青年代表座谈，勉励他们扎根基层。")
    assert not [m for m in doc.mentions if m.type == "event" and m.subtype == "reception"]
    assert [(m.key, m.subtype) for m in doc.mentions if m.source == "acts.v1"] == [("李明与青年代表座谈", "meeting")]
    assert ("李明", "李明与青年代表座谈", "attendee") in _participants(doc)


def test_present_and_speaking_at_the_meeting(pipeline):
    text = "全省农业工作会议今天在杭州召开。副省长赵明到会作了重要讲话。"
    assert _participants(_extract(pipeline, text)) == {("赵明", "全省农业工作会议", "attendee"), ("赵明", "全省农业工作会议", "speaker")}


def test_those_described_as_attending_after_de_took_part(pipeline):
    text = "省长李明日前在会见劳动模范时强调要弘扬劳模精神。李明在同参加省总工会召开的全省劳模座谈会的代表张大海、王小兰座谈时，称赞了他们的事迹。"
    parts = _participants(_extract(pipeline, text))
    assert {("张大海", "全省劳模座谈会", "attendee"), ("王小兰", "全省劳模座谈会", "attendee")} <= parts
    assert not {(who, event) for who, event, _ in parts if who == "李明" and event == "全省劳模座谈会"}


def test_taking_part_in_something_that_is_no_event(pipeline):
    text = "全省党史工作会议今天召开。回忆录写道，１９３２年李大刚参加了绝食斗争，后来协助王一民主持日常工作。"
    assert _participants(_extract(pipeline, text)) == set()


def test_he_in_a_biography_is_the_person_it_is_about(pipeline):
    text = (
        "张远山同志生平\n张远山同志１９１５年出生于山西。张远山同志早年参加革命。"
        "１９４５年张远山同志到延安学习。１９５６年他出席了中共第八次全国代表大会。"
    )
    assert ("张远山", "中共第八次全国代表大会", "attendee") in _participants(_extract(pipeline, text))


def test_a_chronicle_entry_points_at_its_own_meeting(pipeline):
    text = (
        "农业建设大事记\n１９９０年７月\n国务院召开全国农业工作会议，李国强总理作了重要讲话。\n"
        "１９９３年６月\n国务院在北京召开全国蔬菜生产工作会议。会议研究部署了蔬菜生产。王立新副总理到会作了重要讲话。"
    )
    parts = _participants(_extract(pipeline, text, date="1998-01-15"))
    assert ("王立新", "全国蔬菜生产工作会议", "speaker") in parts
    assert not {event for who, event, _ in parts if who == "王立新"} - {"全国蔬菜生产工作会议"}


def test_a_speech_with_a_titled_subject_and_the_person_heard(pipeline):
    text = "全省科技工作会议今天召开。省长李明在会上作了题为《科技兴省，人才为本》的重要讲话。与会代表还听取了院士王大海关于人才培养的报告。"
    speakers = _who(_extract(pipeline, text), "speaker")
    assert speakers == {"李明", "王大海"}


def test_organisers_of_a_meeting_but_not_of_a_campaign(pipeline):
    doc = _extract(pipeline, "青年干部参加了由省委组织部、省人事厅等单位组织的总结大会。")
    assert {who for who, _, role in _participants(doc) if role == "host"} == {"省委组织部", "省人事厅"}
    doc = _extract(pipeline, "省委宣传部、省文化厅等部门组织了送文化下乡活动。")
    assert not {who for who, _, role in _participants(doc) if role == "host"}


def test_the_host_of_a_reception_speaks_at_it_not_at_the_meeting_of_its_guests(pipeline):
    text = "国务院总理王建国今天在人民大会堂接见全国税务工作会议代表时强调，要依法治税。王建国在讲话中说，税务系统超额完成了任务。"
    doc = _extract(pipeline, text)
    speeches = {event for who, event, role in _participants(doc) if role == "speaker"}
    assert speeches == {"王建国接见"}


def test_people_in_the_rows_of_a_photo_of_a_session_named_short(pipeline):
    text = (
        "张远山同志生平\n１９４９年９月，他参加了中国人民政治协商会议第一届全国委员会会议。\n"
        "图片：\n１９４９年９月，出席全国政协首届全会的华北代表团合影。前排左起：刘一民、陈二平；后排左起：王三江。"
    )
    parts = _participants(_extract(pipeline, text, date="1998-01-07"))
    session = "中国人民政治协商会议第一届全国委员会会议"
    assert {("刘一民", session, "attendee"), ("陈二平", session, "attendee"), ("王三江", session, "attendee"), ("华北代表团", session, "attendee")} <= parts


def test_those_a_host_talks_with_are_guests_of_his_reception(pipeline):
    text = "省长李明日前在会见劳动模范时强调要弘扬劳模精神。李明在同参加全省劳模座谈会的代表张大海、王小兰座谈时，称赞了他们的事迹。"
    guests = {who for who, event, role in _participants(_extract(pipeline, text)) if role == "guest" and event.startswith("李明会见")}
    assert {"张大海", "王小兰"} <= guests


def test_a_biography_clause_without_subject_is_about_its_person(pipeline):
    text = (
        "张远山同志生平\n张远山同志１９１５年出生于山西。张远山同志早年参加革命。１９４５年张远山同志到延安学习。"
        "１９４８年他参加了华北财经会议，１９４９年参加了党的七届二中全会。"
    )
    assert ("张远山", "七届二中全会", "attendee") in _participants(_extract(pipeline, text, date="1998-01-07"))


def test_planned_and_background_meetings_are_not_the_news(pipeline):
    doc = _extract(pipeline, "省教委今天举行座谈会。据悉，省电视台将于１月１２日起在省政府召开全省教育工作会议期间播出这部专题片。")
    assert doc.main_event.label == "座谈会"
    assert ("省电视台", "全省教育工作会议", "host") not in _participants(doc)
    doc = _extract(pipeline, "以贯彻十五大和中央经济工作会议精神为主要内容的全国建材工作会议今天在深圳召开。")
    assert doc.main_event.label == "全国建材工作会议"
    doc = _extract(pipeline, "总统指出，“四方会晤”和“圆桌会议”已成为各方合作的有效机制。")
    assert doc.main_event is None


def _titled(pipeline, text):
    return pipeline(Article(id="t", text=text, title=text.split("\n")[0], date="2024-01-12"))


def test_a_headline_names_the_event_short_or_bare(pipeline):
    doc = _titled(pipeline, "李明在杭州农技会议上强调科技兴农\n为期３天的全省农业技术推广工作会议今天在杭州结束。")
    assert doc.main_event.label == "全省农业技术推广工作会议"
    assert ("李明", "全省农业技术推广工作会议", "speaker") in _participants(doc)
    doc = _titled(pipeline, "城乡游隆重开幕王立新出席开幕式\n副省长王立新宣布城乡游开幕，省旅游局局长赵平参加了这一隆重的仪式。")
    assert {("王立新", "开幕式", "attendee"), ("赵平", "开幕式", "attendee")} <= _participants(doc)


def test_what_is_said_after_the_news_and_in_an_interview(pipeline):
    text = "全省统计工作会议一月七日在杭州召开，省统计局局长刘洪要求各级统计机构提高数据质量。在回答记者的问题时，副局长王平介绍，统计执法得到加强。"
    speakers = _who(_extract(pipeline, text), "speaker")
    assert speakers == {"刘洪"}


def test_a_second_clause_after_bing_without_a_trigger_before(pipeline):
    text = "市委举行老干部团拜会。市委书记、市长贾明向老同志恭贺新春，并通报了全市的经济形势。"
    assert ("贾明", "老干部团拜会", "speaker") in _participants(_extract(pipeline, text))


def test_names_inside_the_event_where_one_speaks_and_performers_who_offer_a_concert(pipeline):
    doc = _extract(pipeline, "国务委员宋明在航天总公司第三次工作会议上讲话。")
    assert _participants(doc) == {("宋明", "航天总公司第三次工作会议", "speaker")}
    text = "周小燕从教５０年音乐会在京举行\n高曼华、廖昌永等以学生的身份，向观众与老师献上一台《春华秋实》音乐会。"
    assert {"高曼华", "廖昌永"} <= {who for who, _, role in _participants(_titled(pipeline, text)) if role == "attendee"}


def test_a_name_inside_the_title_of_a_work_takes_no_part():
    from kg.extract.participation import _in_title_of_work
    from kg.model import Mention

    text = "学员韩卫国观看《虎踞钟山》后谈到，《人民日报》报道了座谈会。"
    titles = [(text.index("虎"), text.index("山") + 1), (text.index("人民"), text.index("日报") + 2)]
    def mention(name):
        return Mention(name, "person", text.index(name), text.index(name) + len(name))

    assert _in_title_of_work(mention("钟山"), titles)  # part of a film's title
    assert not _in_title_of_work(mention("韩卫国"), titles)
    assert not _in_title_of_work(mention("人民日报"), titles)  # the whole title names the paper


def test_a_meeting_of_last_year_is_another_meeting(pipeline):
    text = "中组部召开先进典型代表座谈会。去年七月，在中组部召开的座谈会上，丁玉珍、胡花蕊曾相聚北京，并合影留念。"
    parts = _participants(_extract(pipeline, text))
    assert ("丁玉珍", "座谈会", "attendee") in parts and ("丁玉珍", "先进典型代表座谈会", "attendee") not in parts


def test_honoured_at_the_ceremony_and_quoted_at_a_ceremony(pipeline):
    text = "市委、市政府今天召开表彰大会，授予李为昌、程宝群“文明使者”光荣称号。"
    assert {("李为昌", "表彰大会", "attendee"), ("程宝群", "表彰大会", "attendee")} <= _participants(_extract(pipeline, text))
    text = "城乡游首迎式今天在上海举行。国务委员罗明出席了这项欢庆活动。罗明说，旅游业取得了很大成绩。"
    assert ("罗明", "城乡游首迎式", "speaker") in _participants(_extract(pipeline, text))


def test_people_named_in_reported_speech_did_not_take_part(pipeline):
    text = "全省文艺工作座谈会今天在杭州召开。编剧王明说，省委书记李强在讲话中指出，文艺要为人民服务。"
    speakers = _who(_extract(pipeline, text), "speaker")
    assert "李强" not in speakers  # hearsay: 李强 spoke elsewhere


@pytest.mark.parametrize(
    "text, body",
    [
        ("唐山市委、市政府今天召开紧急会议。", "市政府"),
        ("安徽省政府今天在合肥召开通报会。", "安徽省政府"),
        ("中共北京市委、北京市人民政府今天下午举行团拜会。", "北京市人民政府"),
    ],
)
def test_government_bodies_the_tagger_misses_or_cuts_are_hosts(pipeline, text, body):
    hosts = {f.subject.text for f in _facts(_extract(pipeline, text), "participation") if f.role == "host"}
    assert body in hosts  # as printed (resolve.v1 names it 安徽省人民政府, 北京市人民政府)


def test_a_headline_verb_is_no_name(pipeline):
    doc = _extract(pipeline, "第十次全国对口支援新疆工作会议召开 王沪宁出席并讲话")
    assert _who(doc) == {"王沪宁"}


def test_a_hyphenated_transliterated_name_is_one_person(pipeline):
    doc = _extract(pipeline, "全市工作会议今天召开。德国东部国际经济合作委员会主席汉斯-彼得·弗里德里希发言。")
    assert _who(doc) == {"汉斯-彼得·弗里德里希"}


def test_officiating_at_a_ceremony_attends_it(pipeline):
    doc = _extract(pipeline, "行政长官李家超今日为「香港国际美食节」开幕典礼主礼，并致辞。")
    assert doc.main_event.key == "「香港国际美食节」开幕典礼"
    assert ("李家超", "「香港国际美食节」开幕典礼", "attendee") in _participants(doc)


def test_a_name_of_two_surnames_after_a_post_is_whole(pipeline):
    doc = _extract(pipeline, "青年节开幕典礼今日举行。行政长官林郑月娥出席。")
    assert ("林郑月娥", "青年节开幕典礼", "attendee") in _participants(doc)  # the festival names the ceremony


def test_a_bare_event_its_clause_says_took_place_is_the_articles(pipeline):
    doc = _extract(pipeline, "座谈会今天在京举行。局长李明出席。")
    assert _participants(doc) == {("李明", "座谈会", "attendee")}


def test_a_government_read_as_a_name_is_a_body(pipeline):
    doc = _extract(pipeline, "青年节开幕典礼今日举行。高市府秘书长郭添贵、经发局长廖泰翔陪同出席。")
    assert "高市府" in {m.text for m in doc.mentions if m.type == "organization"}
    assert _who(doc) == {"郭添贵", "廖泰翔"}


@pytest.mark.parametrize("text", ["文化节今天开幕。市委副书记李明、镇海区相关领导参加活动。", "县委常委会召开。县委书记李明、县四大班子主要领导参加会议。"])
def test_a_body_run_together_with_its_unnamed_people_takes_no_part(pipeline, text):
    assert _who(_extract(pipeline, text)) == {"李明"}  # not 镇海区相关, 县四大


@pytest.mark.parametrize("text", [
    "3月21日，省咨询委副主任王国平带队，委员张治中、副秘书长蔡文如等赴杭州调研。",
    "3月21日，省咨询委副主任王国平带队，委员张治中、副秘书长蔡文如和课题组成员等，就城市群发展课题，先后赴杭州、宁波调研。",
])
def test_a_party_led_on_a_visit_visits_with_its_leader(pipeline, text):
    doc = _extract(pipeline, text)
    assert doc.main_event.label.startswith("王国平带队赴杭州")
    assert _who(doc, "attendee") == {"王国平", "张治中", "蔡文如"}


@pytest.mark.parametrize("text, host", [
    ("市打假办公室召开全体会议。主任李明主持会议。", "市打假办公室"),  # 打假 is no "at"
    ("国家旅游度假区管委会在市会议中心召开工作会议。主任李明主持会议。", "国家旅游度假区管委会"),
])
def test_jia_is_at_only_after_a_time_word(pipeline, text, host):
    doc = _extract(pipeline, text)
    assert host in {f.subject.text for f in _facts(doc, "participation") if f.role == "host"}
    assert {f.object.text for f in _facts(doc, "event_venue")} <= {"市会议中心"}


def test_words_with_jia_make_no_venue(pipeline):
    doc = _extract(pipeline, "会议通报了弄虚作假骗取中心资金的问题。市长李明出席会议。")
    assert not _facts(doc, "event_venue")


@pytest.mark.parametrize("text, person", [("会议召开。会议由市长王主持。", "王"), ("会议召开。區議員陳表示，要做好工作。", "陈"), ("座谈会召开。座谈会上，市长张说，要抓好工作。", "张")])
def test_the_verb_after_a_surname_alone_is_no_given_name(pipeline, text, person):
    doc = _extract(pipeline, text)
    assert person in {m.label for m in doc.mentions if m.type == "person"}  # not 王主持, 陈表示, 张说


def test_a_day_in_brackets_is_no_name_without_a_publication_date(pipeline):
    doc = pipeline(Article(id="t", text="臺中市議會今(5)日舉行第2屆成立大會，市長林佳龍出席。"))
    assert {f.subject.text for f in _facts(doc, "participation") if f.role == "host"} == {"臺中市議會"}


def test_a_body_on_a_line_of_its_own_under_an_exhibition_still_hosts(pipeline):
    doc = _extract(pipeline, "全市书法展今天在市博物馆开幕。\n市委宣传部 主办\n市文联 承办\n市长李明出席开幕式。")
    assert {"市委宣传部", "市文联"} <= {f.subject.text for f in _facts(doc, "participation") if f.role == "host"}


def test_two_bodies_of_one_area_printed_together_are_two_hosts(pipeline):
    doc = _extract(pipeline, "市委市政府举行2018年春节团拜会。市长王刚出席。")
    assert {f.subject.label for f in _facts(doc, "participation") if f.role == "host"} == {"市委", "市政府"}  # not 市委市政府
    assert "北京市委宣传部" in _who(_extract(pipeline, "北京市委宣传部召开会议。部长王刚出席。"))  # one body inside the other


def test_a_place_one_goes_to_is_no_host(pipeline):
    doc = _extract(pipeline, "此次赴香港举办投资交流会，东莞市市长吕成蹊出席。")
    assert not [f for f in _facts(doc, "participation") if f.role == "host"]


def test_deputies_of_a_body_are_an_unnamed_group_but_its_delegation_attends(pipeline):
    assert _who(_extract(pipeline, "会议召开。部分十三届全国人大代表和省十三届人大代表列席会议。")) == set()
    assert _who(_extract(pipeline, "座谈会召开。上海市代表团参加座谈会。")) == {"上海市代表团"}


def test_a_wish_to_take_part_is_no_attendance(pipeline):
    doc = _extract(pipeline, "经济社会发展座谈会召开。市长王刚出席。商会愿和各方一同为发展作出新贡献。")
    assert _who(doc) == {"王刚"}  # not 商会


def test_a_list_of_bodies_and_towns_closing_an_unnamed_group_takes_no_part(pipeline):
    doc = _extract(pipeline, "全县工作会议召开。县长王刚及县政府办、县发改局、县教育局、图克镇等相关负责人参加会议。")
    assert _who(doc) == {"王刚"}


@pytest.mark.parametrize("text, name", [
    ("农工党盐城市委召开七届十四次全体会议。主委王刚主持会议。", "七届十四次全体会议"),
    ("县委召开十四届九次全会。书记王刚主持会议。", "十四届九次全会"),
])
def test_a_meeting_keeps_its_term_and_session_in_its_name(pipeline, text, name):
    assert _extract(pipeline, text).main_event.label == name  # not a bare 会议


def test_a_source_label_in_brackets_is_no_part_of_a_body(pipeline):
    doc = _extract(pipeline, "[盐城]农工党盐城市委召开七届十四次全体会议\n主委王刚主持会议。")
    assert "农工党盐城市委" in {f.subject.text for f in _facts(doc, "participation") if f.role == "host"}
    doc = _extract(pipeline, "今天，《虎踞钟山》剧组全体人员举行座谈会。导演王刚出席。")  # marks a name opens and closes stay
    assert "《虎踞钟山》剧组" in {f.subject.text for f in _facts(doc, "participation") if f.role == "host"}


def test_spaces_part_a_headlines_clauses(pipeline):
    doc = _extract(pipeline, "鞍山市召开全市领导干部大会\n——高崇生宣布省委决定 余功斌主持并讲话 孙慧芳严加军出席\n1月5日，鞍山市召开全市领导干部大会。")
    roles = {(f.subject.label, f.role) for f in _facts(doc, "participation")}
    assert {("余功斌", "chair"), ("孙慧芳", "attendee"), ("严加军", "attendee")} <= roles
    assert ("孙慧芳", "chair") not in roles and ("省委", "chair") not in roles  # each clause its own trigger


@pytest.mark.parametrize("text, person", [
    ("座谈会召开。北市府發言人殷瑋昨表示，目前沒有規劃。", "殷玮"),  # not 殷瑋昨
    ("调研组召开座谈会。省卫生健康委孙发主任、杨惠处长出席。", "杨惠"),  # not 杨惠处
])
def test_a_name_run_into_the_word_beside_it_is_cut_back(pipeline, text, person):
    assert person in {m.label for m in _extract(pipeline, text).mentions if m.type == "person"}


def test_latin_words_of_a_portuguese_run_are_no_names(pipeline):
    doc = _extract(pipeline, "會議召開。Conselho Permanente do Ministro Primeiro 保安司司長黃少澤出席。")
    assert _who(doc) == {"黄少泽"}


def test_articles_are_batched_by_count_and_characters_in_order():
    from kg.model import Article, article_batches

    articles = [Article(id=str(i), text="字" * n) for i, n in enumerate([3, 4, 5, 20, 1, 1, 1])]

    def ids(batches) -> list[list[str]]:
        return [[a.id for a in b] for b in batches]

    assert ids(article_batches(articles, 3)) == [["0", "1", "2"], ["3", "4", "5"], ["6"]]
    assert ids(article_batches(articles, 3, chars=10)) == [["0", "1"], ["2"], ["3"], ["4", "5", "6"]]  # one article longer than the cap: alone
    assert ids(article_batches([], 3)) == []
