"""Events: named meetings, ceremonies and exhibitions, the article's own event, and its when,
where and how (date, venue, sub-venue, video conference)."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from kg import lexicon
from kg.dates import names_an_unknown_day
from kg.extract import component
from kg.model import DATE, EVENT, ORGANIZATION, PERSON, PLACE, POST, Evidence, Extraction, Fact, Mention
from kg.shared.event_names import short_form
from kg.text import fold_width, stray_quotes

EXTRACTOR = "events.v1"
ACTS = "acts.v1"  # the rule that reads acts (调研, 视察, 座谈, 签约…: acts.tsv) as events
# a year that names an event (新年宴会, １９９８年全国体委主任会议), unlike 今年, 去年, 今晚
_NAMING_TIME = re.compile(r"(?![今去明前])\S*年|\S+节")  # １９９８年…会议, 青年节开幕典礼, 春节团拜会
_ORDINAL = re.compile(r"第[一二三四五六七八九十百零〇\d]+[次届期]")  # 第四次专题会议, 第十五届
_TERM = re.compile(r"[一二三四五六七八九十百零〇\d]+届")  # a body's term: 十一届二次全体会议
_BODY_TERM = re.compile(rf"第?{_TERM.pattern}[^会，。、；,;]{{0,12}}?委员会(?!第)")  # 政治协商会议第九届格尔木市委员会常务委员会
_TRIM_TAGS = {"v", "vd", "ad", "d", "p", "c", "u", "r", "TIME", "m", "t", "w", "f"}


@cache
def _scanner() -> re.Pattern:
    """Event head nouns first, so a boundary word (开幕) never cuts a head noun (开幕式)."""
    verbs = lexicon.sections("event_verbs.txt")
    nouns = lexicon.alternation(lexicon.table("event_nouns.tsv"))
    brackets = rf"[(（](?![^()（）]{{1,4}}[)）](?:{nouns}))|[)）](?!{nouns})"  # 行长（经理）会议 is one name
    # 扩大会|议, 协调会|议: a noun in 会 that 议 follows ends where 会议 does, the name whole; not
    # where 议 opens a word of its own (大会|议程, 常委会|议事规则)
    # 考察团|拜访, 代表团|拜会: the 团 of a delegation opens no head noun (团拜 is a new-year gathering)
    delegations = "|".join(w[:-1] for w in DELEGATION_WORDS if w.endswith("团"))
    return re.compile(rf"(?P<noun>(?:(?<!{delegations})|(?!团))(?:{nouns})(?<!会(?=议(?![{_YI_OPENS}]))))|(?P<boundary>{lexicon.alternation(verbs['boundary'])}|[，。、；：！？,;:!?\s《》【】]|{brackets})")


_YI_OPENS = "程事题案员长价"  # 议程, 议事, 议题, 议案, 议员, 议长, 议价: words 议 opens after a noun in 会
_QUOTED = re.compile(r"[“「][^“”「」，。；]{1,30}[”」]")


def _chunk_events(text: str, start: int, end: int):
    """(name_start, name_end, head_noun) for each event-looking phrase of a sentence. Nothing
    inside quotation marks ends a phrase, nor a 、 between quoted words: “项目立区、创新引领”竞赛活动,
    第十二届广州“杰出青年”、“十佳青年”颁奖典礼."""
    quoted = [(q.start(), q.end()) for q in _QUOTED.finditer(text, start, end)]
    chunk_start, last_noun = start, None
    for m in _scanner().finditer(text, start, end):
        if m["noun"]:
            last_noun = m
            continue
        if any(a < m.start() < b - 1 for a, b in quoted) or m.group() == "、" and text[m.start() - 1 : m.start() + 2] == "”、“":
            continue
        if last_noun:
            yield chunk_start, last_noun.end(), last_noun["noun"]
        chunk_start, last_noun = m.end(), None
    if last_noun:
        yield chunk_start, last_noun.end(), last_noun["noun"]


def _inside_a_title(text: str, start: int, end: int) -> bool:
    """Whether a head noun ending at ``end`` lies inside a title of a work (《…大会工作条例》) opened
    after ``start`` (the sentence's), the title going on after it."""
    opened = text.rfind("《", start, end)
    return opened >= 0 and text.rfind("》", opened, end) < 0 and text[end : end + 1] not in ("》", "") and "》" in text[end : end + 40]


def _trim_left(doc: Extraction, tokens, start: int, end: int, head: str) -> int:
    """Drop leading verbs, adverbs, dates and the like: 深化开展“…”活动 -> “…”活动, but keep a
    time printed right before the name's nouns."""
    inside = [tok for tok in tokens if tok.end > start and tok.end <= end - len(head)]  # 颁证/v 会/n: never into the head
    for tok, nxt in zip(inside, inside[1:] + [None]):
        if tok.tag not in _TRIM_TAGS or tok.text[0] in "“\"「第" or _TERM.fullmatch(tok.text):
            break  # 七届/m 十四次/m 全体会议: the term and session name the meeting
        if _NAMING_TIME.fullmatch(tok.text) and (nxt is None or nxt.tag not in _TRIM_TAGS):
            break  # 新年宴会, １９９８年全国体委主任会议: a time that names the event
        start = max(start, tok.end)
    return start


_CUTTING_PREPOSITIONS = frozenset("对向于在从为把被就由")


@cache
def _attendance_word() -> re.Pattern:
    return re.compile(lexicon.alternation_of("event_verbs.txt", "needs_event"))


def _after_attendance(folded: str, start: int, end: int, head: str) -> int:
    """县领导储开泉列席会议: a word of attending inside the phrase ends what precedes the name."""
    found = [m.end() for m in _attendance_word().finditer(folded, start, end - len(head))]
    return found[-1] if found else start


def _after_preposition(tokens, start: int, end: int, head: str) -> int:
    """民营企业家对即将提请省十四届人大三次会议: what a preposition inside the phrase governs is the
    name (与, 和 join the parties of a name: 滁州市人民政府与安徽大学…签约仪式); 为 even where the
    tagger reads a verb (李家超今日为「…」开幕典礼主礼)."""
    cut = [tok.end for tok in tokens if start <= tok.start and tok.end <= end - len(head) and (tok.tag == "p" or tok.text == "为") and tok.text in _CUTTING_PREPOSITIONS]
    return cut[-1] if cut else start


def _over_a_list(text: str, tokens, start: int) -> int:
    """全国银行、保险、证券系统行长会议: short words listed before the name, none a person, are part of it."""
    persons = [(t.start, t.end) for t in tokens if t.tag == "PER"]
    while start > 0 and text[start - 1] == "、":
        piece = re.search(r"(?:^|[^\u4e00-\u9fff])([\u4e00-\u9fff]{1,4})$", text[max(0, start - 6) : start - 1])
        piece_start = start - 1 - len(piece[1]) if piece else start
        if not piece or any(s < start - 1 and piece_start < e for s, e in persons):
            break
        start = piece_start
    return start


def _cut_at_de(text: str, start: int, end: int, noun: str) -> int:
    """题为“…共奏华章”的新年音乐会 -> 新年音乐会: what stands before 的 describes the event,
    unless what follows 的 is only the head noun (移交史料的仪式)."""
    de = text.rfind("的", start, end)
    return de + 1 if de >= 0 and end - de - 1 >= len(noun) + 2 else start


def _attended_right_before(text: str, start: int) -> bool:
    """出席全市经济工作会议: an event someone attends took place."""
    attend = lexicon.alternation_of("event_verbs.txt", "needs_event")
    return re.search(rf"(?:{attend})了?[“「『]?$", text[max(0, start - 5) : start]) is not None  # 出席「前廳交流會」


def _held_after(text: str, mention: Mention) -> bool:
    """座谈会今天在京举行: a bare head noun that its clause says took place."""
    held = lexicon.alternation_of("event_verbs.txt", "held")
    clause_end = min([i for i in (text.find(p, mention.end) for p in "，。；,;") if i >= 0] + [len(text)])
    return re.search(held, text[mention.end : clause_end]) is not None


def _held_right_before(text: str, start: int) -> bool:
    """举行座谈会, 召开了纪念会: a bare head noun that a held verb names as taking place."""
    held = lexicon.alternation_of("event_verbs.txt", "held")
    return re.search(rf"(?:{held})了?[“「『]?$", text[max(0, start - 5) : start]) is not None


@cache
def _meeting_named_bodies() -> tuple[str, ...]:
    return lexicon.sections("meeting_named_bodies.txt")["bodies"]


@cache
def _post_word() -> re.Pattern:
    return re.compile(lexicon.alternation(lexicon.words("posts.txt")))


def _described(text: str, start: int) -> bool:
    """奉献了一台高水准的交响音乐会, 是一次国家级的宣传促销活动, 出席了这项欢庆活动: an event counted
    (一台, 一场) or pointed at (这, 此) describes the article's event."""
    return re.search(r"(?:一[台场]|是一次)[^，。,;；]{0,8}$|[这此该]一?$", text[max(0, start - 10) : start]) is not None


def _of_a_past_year(name: str, date: str) -> bool:
    """１９９６年全国…工作会议 in a 1998 article: a background event, not the article's own."""
    year = re.match(r"(\d{4})年", fold_width(name))
    return bool(year and date and year[1] < date[:4])


def is_planned(text: str, mention: Mention) -> bool:
    """明年将召开…会议, 将于１月１２日起召开…交流会期间, 即将提请…会议审议, 关于召开…会议的决定,
    决定…第一次会议２月１８日在长沙举行: an event still to be held is no news event."""
    verbs = lexicon.sections("event_verbs.txt")
    clause = max(text.rfind(p, 0, mention.start) for p in ",。;:，；：") + 1
    before = text[clause : mention.start]
    held = lexicon.alternation(verbs["held"])
    planned = lexicon.alternation(verbs["planned"])
    if re.search(rf"(?:{lexicon.alternation(verbs['planned'] + verbs['decided'])})[,:，：]?$", text[max(0, mention.start - 5) : mention.start]) and re.match(rf"[^,。;:，；：]{{0,20}}?(?:{held})", text[mention.end :]):
        return True  # 决定…会议２月１８日在长沙举行: the event the sentence plans
    return (re.search(rf"(?:{planned})[^,。;:]{{0,15}}?(?:{held})", before) is not None
            or re.search(rf"(?:{lexicon.alternation(verbs['document_of'])})(?:{held})", before) is not None or _submitted_to(text, mention.start))


def _submitted_to(text: str, pos: int) -> bool:
    """提请…会议审议 right before ``pos``: a body a matter goes to, not an event held."""
    return re.search(rf"(?:{lexicon.alternation_of('event_verbs.txt', 'submitted_to')})$", text[max(0, pos - 8) : pos]) is not None


@cache
def _background_patterns() -> tuple[re.Pattern, re.Pattern]:
    verbs = lexicon.sections("event_verbs.txt")
    after = re.compile(rf"(?:[、和及与][^，。；,;]{{1,40}}?)?(?:{lexicon.alternation(verbs['background'])})")
    before = re.compile(rf"(?:{lexicon.alternation(verbs['studied'])})[^，。；,;：:的精神]{{0,20}}$")  # not 以贯彻…精神为主要内容的…会议
    return after, before


def is_background(text: str, mention: Mention) -> bool:
    """贯彻十五大和中央经济工作会议精神, 传达学习中央政治局常委会会议…: an event studied, or named as
    the time since which, is background, not an event of this article."""
    after, before = _background_patterns()
    clause = max(text.rfind(p, 0, mention.start) for p in ",。;:，；：") + 1
    return after.match(text, mention.end) is not None or before.search(text, clause, mention.start) is not None


def _in_an_earlier_year(text: str, mention: Mention) -> bool:
    """去年“七一”前夕，在中组部召开的座谈会上: a meeting dated to an earlier year is not this year's news."""
    sentence = max(text.rfind(p, 0, mention.start) for p in "。\n") + 1
    return re.search(lexicon.alternation_of("event_verbs.txt", "earlier_year"), text[sentence : mention.start]) is not None


def _repeated_bare(found: list) -> list:
    """李铁映在颁证会上…, 颁证会后…: a bare head noun named again and again is the article's event."""
    counts = Counter(m.text for m, _ in found if m.attrs["reference"] and m.text in lexicon.table("event_nouns.tsv"))
    return [x for x in found if counts[x[0].text] >= 2]


def _kind_of(name: str, noun: str) -> str:
    """The kind of an event named by ``noun``; an activity named by what visitors do (曹妃甸区考察活动,
    调研活动) is a visit, as the act word alone would be (acts.tsv)."""
    kind = lexicon.table("event_nouns.tsv")[noun][0]
    return "visit" if kind == "activity" and any(name.endswith(w + noun) for w in _visit_words()) else kind


@cache
def _visit_words() -> tuple[str, ...]:
    return tuple(w for w, (act_kind, *_) in lexicon.table("acts.tsv").items() if act_kind == "visit")


def _bare(name: str, noun: str, references) -> bool:
    """会议, 本次会议 and 研讨会开幕式 (the opening of the article's symposium): no name of its own;
    调研活动, 走访慰问活动: an activity named only by what visitors do (参加了在当地的调研活动)."""
    name = re.sub(r"(?:开幕式|闭幕式)$", "", name) or name
    if noun == "活动" and re.fullmatch(rf"(?:{lexicon.alternation(_visit_words())})+活动", name):
        return True
    return name in lexicon.table("event_nouns.tsv") or any(name == ref + head for ref in references for head in (noun, event_head(name)))


def _take_fuller_title_name(main: Mention, mentions: list[Mention], body_start: int) -> None:
    """老干部团拜会 in the body, 老干部迎春团拜会 in the title: the event takes its fullest name (not a
    headline run together with other words); the headline's 全国银行保险证券…会议 is the body's
    全国银行、保险、证券…会议, and its 专题会议 the body's 第四次专题会议."""
    key = main.key
    for m in mentions:
        if m.key == key.replace("、", ""):
            m.key = key
    fuller = [m for m in mentions if m.start < body_start and m.key.endswith(event_head(key)) and is_subsequence(key, m.key) and 0 < len(m.key) - len(key) <= 4]
    # 海北州委书记专题会议 in the headline, 海北州委书记第四次专题会议 in the body: the number told
    fuller += [m for m in mentions if m.key != key and _ORDINAL.sub("", m.key, count=1) == key]
    # 第十八届…博览会开幕式 in the headline, 第十八届…博览会开幕式暨第十届…论坛 in the body: one event,
    # of the kind its whole name tells
    fuller += [m for m in mentions if m.key.startswith(key + "暨")]
    if fuller:
        for m in mentions:
            if m.key == key:
                m.key, m.subtype = fuller[0].key, fuller[0].subtype


def _headline_short_name(main: Mention, named: list[Mention], body_start: int, text: str) -> None:
    """彭珮云在天津计生会议上强调 over a report of the 全国加强计划生育…工作会议: a headline's own short
    name for a meeting of the same kind, found nowhere in the body or the end of the body's name
    (常委会议 over 十一届常委会议), is the body's event."""
    if main.start < body_start:
        return
    for m in named:
        if m.start < body_start and m.key != main.key and m.subtype == main.subtype and (m.key not in text[body_start:] or main.key.endswith(m.key)):
            m.key = main.key


_GENERIC_HEADS = ("活动",)  # a head noun that names no kind: 观摩推进活动 may be the 观摩推进大会


def _short_names_of_main(main: Mention, named: list[Mention]) -> None:
    """One event, one name. 2013年港澳新春团拜会, then 参加新春团拜; 重点工程现场观摩推进大会, then
    工程现场观摩推进活动: a shorter name, every character of it in the article's event's name in
    order (its head noun the same or the generic 活动), is that event. 许继伟与蔡敬民共同见证签约 in
    the report of a …框架协议签约暨…揭牌仪式: an act the ceremony or meeting is named by is it."""
    def body(key):
        return key[: len(key) - len(event_head(key))]

    for m in named:
        if m.key == main.key:
            continue
        if m.source == ACTS:
            if m.subtype in ("ceremony", "meeting") and main.subtype in ("ceremony", "meeting", "forum") and main.source != ACTS and m.attrs["cue"] in main.key:
                m.key = main.key
            continue
        head = event_head(m.key)
        if len(body(m.key)) >= 2 and is_subsequence(body(m.key), body(main.key)) and (head in _GENERIC_HEADS or m.subtype == main.subtype and is_subsequence(head, event_head(main.key))):
            m.key = main.key


def is_subsequence(short: str, long: str) -> bool:
    chars = iter(long)
    return all(c in chars for c in short)


def event_head(name: str) -> str:
    """The event noun a name ends with (会议 of 全省经济工作会议), else the whole name."""
    return next((noun for noun in lexicon.table("event_nouns.tsv") if name.endswith(noun)), name)


def _forms() -> dict[str, tuple[str, ...]]:
    return lexicon.table("event_forms.tsv")


def _one_name_per_session(named: list) -> None:
    """全国政协首届全会 in a caption, 中国人民政治协商会议第一届全国委员会会议 in the text: one session,
    known by its fullest name."""
    fullest: dict[str, str] = {}
    for m, _ in named:
        short = short_form(fold_width(m.key))
        if len(m.key) > len(fullest.get(short, "")):
            fullest[short] = m.key
    for m, _ in named:
        m.key = fullest[short_form(fold_width(m.key))]


@cache
def _act_pattern() -> re.Pattern:
    verbs = lexicon.sections("event_verbs.txt")
    act = lexicon.alternation(lexicon.table("acts.tsv"))  # 走访慰问活动, 调研和督导: one act
    return re.compile(rf"(?:(?:{act})[和、]?)*(?P<last>{act})(?!{lexicon.alternation(verbs['not_act_after'])})(?:活动|工作)?")


# a clause that goes on with the sentence's subject: (晚上|随后…) 到, 赴, 前往…, 实地督导…
@cache
def _moving() -> re.Pattern:
    """A clause that goes on with the sentence's subject: (晚上|随后…) 到, 赴, 前往…, 实地督导…, 专程,
    联同…区议员 (event_verbs.txt [manner], [with_companions])."""
    verbs = lexicon.sections("event_verbs.txt")
    words = lexicon.alternation(verbs["manner"] + verbs["with_companions"])
    return re.compile(rf"(?:\d+日|昨日|今日|当天|当晚|晚上|上午|下午|中午|随后|接着|其后|之后|次日)*(?:[来到赴并]|前往|深入|先后|还|又|一同|实地|现场|逐一|{words})")


# a party no name names, going to make a visit: 市老领导一行到…, 专家组一行赴…
_UNNAMED_PARTY = re.compile(r"(?P<party>[\u4e00-\u9fff]{2,10}?一行)(?:\d+日|昨日|今日|日前|近日|上午|下午)*(?:到|赴|来到|前往|深入|来)")
MOTION = frozenset({"到", "赴", "来", "来到", "回到", "前往", "深入"})  # verbs of going: 省委副书记王文涛就…，推进…等工作到大庆市调研
_ARRIVING = MOTION | {"下来"}  # what one character after names where one went (来常考察; 的带领|下来|常考察)


def is_signing(act_word: str) -> bool:
    """签署合作协议, 签订战略合作协议: the signing of an agreement, whose parties may be bodies."""
    return "协议" in act_word


_WITH = re.compile(r"并?[与同跟]")  # 并与王树立座谈: the partner of the sentence's subject
_GOES_TO = re.compile(rf"(?:{'|'.join(sorted(MOTION, key=len, reverse=True))})[^，。；,;]{{1,12}}$")  # 来宜, 赴唐山市: where a body went to do it


DELEGATION_WORDS = lexicon.words("delegation_words.txt")
_DELEGATION = re.compile(rf"(?:{lexicon.alternation(DELEGATION_WORDS)})(?:一行)?")


def _is_actor(doc: Extraction, m: Mention, folded: str, signing: bool, act_start: int) -> bool:
    """Who may do an act: a person, or a delegation (阿尔山市党政考察团一行来我旗考察), or a body that
    goes to do it (苏州市北桥商会来宜参观考察), or for a signing any body (中国铁建华北区域总部与天津市
    滨海新区签署战略合作协议); no one named in a byline (〔记者陈朝枝∕南投报导〕)."""
    if m.attrs.get("credit") or any(s <= m.start < e for s, e in doc.credit_spans):
        return False
    goes = _GOES_TO.match(folded, m.end, act_start) is not None and m.end < act_start
    return m.type == PERSON or m.type == ORGANIZATION and (signing or is_delegation(m) or folded.startswith("一行", m.end) or goes)


def delegation_at(text: str, pos: int) -> bool:
    """Whether a delegation's word (代表团, 考察团…) stands at ``pos``: 上海市/LOC 代表团."""
    return _DELEGATION.match(text, pos) is not None


def is_delegation(m: Mention) -> bool:
    """阿尔山市党政考察团, 公安县党政代表团: a body that travels (a delegation, a study group)."""
    return m.type == ORGANIZATION and _DELEGATION.search(m.text[-5:]) is not None


@cache
def _not_act_before() -> re.Pattern:
    return re.compile(lexicon.alternation_of("event_verbs.txt", "not_act_before"))


_OBJECT_FIRST = re.compile(r"^(?P<who>[^对]+?)对(?P<what>[^，,。；]{2,30}?)(?:进行了|进行)(?P<act>[^，,。；]{2,6})$")


@cache
def escorted() -> re.Pattern:
    """在…（的）陪同下, 在会长安旭的带领下 (event_verbs.txt [escorting], [leading]): with whom an act is done."""
    verbs = lexicon.sections("event_verbs.txt")
    return re.compile(rf"在[^，。；,;]{{1,40}}?的?(?:{lexicon.alternation(verbs['escorting'] + verbs['leading'])})下")


def _motion(tokens, start: int, end: int, folded: str) -> int | None:
    """Where the last verb of going (到, 赴, 前往…) between ``start`` and an act at ``end`` begins,
    within one sentence and 40 characters of the act; None when there is none."""
    found = [t.start for t in tokens if t.text in MOTION and start <= t.start and t.end <= end and end - t.start <= 40]
    if not found or re.search(r"[。；！？;!?]", folded[found[-1] : end]):
        return None
    return found[-1]


def _posts_before_persons(doc: Extraction, start: int, end: int) -> list[tuple[int, int]]:
    """The spans of the posts printed before the persons named in ``start``–``end`` and of the
    bodies they are posts of, back over posts joined by 、 (中国铁建股份有限公司华北区域总部党委书记、
    总经理杜水波: 杜水波)."""
    text = doc.article.text
    inside = [m for m in doc.mentions if start < m.start and m.end <= end and m.type in (POST, ORGANIZATION, PLACE)]
    persons = {m.start for m in doc.mentions if m.type == PERSON}
    spans: dict[int, int] = {}  # start -> end of what is dropped
    while True:
        more = {m.start: m.end + (m.end not in persons) for m in inside if m.start not in spans and (
            m.type == POST and (m.end in persons or m.end in spans or text[m.end : m.end + 1] == "、" and m.end + 1 in spans)
            or m.type != POST and m.end in spans)}  # 党委书记、总经理杜水波; 华北区域总部 of 党委书记
        if not more:
            return list(spans.items())
        spans |= more


_SPEECH_ABOUT = re.compile(r"[^，。；,;]{0,8}?(?:重要讲话|重要指示|讲话精神)")
_GOES_ON = re.compile(r"(?:并|还|也|再|又|并将|还将)")  # a clause going on with the one before


@cache
def _planning_word() -> re.Pattern:
    return re.compile(lexicon.alternation_of("event_verbs.txt", "planned"))


def _planned_act(text: str, sentence_start: int, clause_start: int, pos: int) -> bool:
    """蒋万安也将参访托婴单位，并与台商座谈; 他明日会到葵青区家访: an act still to come, said by a
    planning word before it in its clause, or in the clause before that it goes on from."""
    planned = _planning_word()
    if planned.search(text, clause_start, pos):
        return True
    if clause_start > sentence_start and _GOES_ON.match(text, clause_start):
        before = max(text.rfind(p, sentence_start, clause_start - 1) for p in ",，;；") + 1
        return planned.search(text, max(before, sentence_start), clause_start) is not None
    return False


def _without_companions(name: str, act: str) -> str:
    """A built name without the companions the subject brings (联同…区议员和关爱队成员), up to the act or
    to a verb of going (王刚联同县委办到花园街道调研: 王刚到花园街道调研)."""
    going = lexicon.alternation(MOTION)
    companions = rf"(?:{lexicon.alternation_of('event_verbs.txt', 'with_companions')})(?:(?!{going})[^，。；,;])*?"
    return re.sub(rf"{companions}(?=(?:{going})|{re.escape(act)}$)", "", name, count=1)


def _built_name(doc: Extraction, tokens, start: int, end: int) -> str:
    """The name of an act as the text says it, without what tells when or how (王沪宁还到…调研,
    刘建中在企业负责人的陪同下参观, 代表团在团长王刚率领下来我省考察, 王伟昨日到某镇调研; but 开展春节走访慰问活动:
    event_verbs.txt [carry_out]) nor the posts printed before the persons
    it names (黄少泽与香港保安局局长邓炳强…会面): 王沪宁到…调研, 刘建中参观, 王伟到某镇调研,
    黄少泽与邓炳强…会面. A post printed after a name stays (王继平副市长赴…视察). Receptions
    keep the text's own words (kg/extract/participation.py): the annotators take a literal span
    first, and scored so on train."""
    text = doc.article.text
    carried_out = lexicon.sections("event_verbs.txt")["carry_out"]
    after_carry_out = {b.start for a, b in zip(tokens, tokens[1:]) if a.text in carried_out}
    told_when = [(t.start, t.end) for t in tokens if t.tag in ("TIME", "t") and start < t.start and t.end <= end]
    told_when += [(m.start, m.end) for m in doc.mentions if m.type == DATE and start < m.start and m.end <= end]
    spans = [(a, b) for a, b in told_when if a not in after_carry_out]  # 开展春节走访慰问活动 keeps 春节
    manner = lexicon.sections("event_verbs.txt")["manner"]
    # adverbs, wherever they stand; but one character after a verb of going abbreviates a place (来常考察: 常熟)
    gone_to = {b.start for a, b in zip(tokens, tokens[1:]) if a.text in _ARRIVING and len(b.text) == 1}
    spans += [(t.start, t.end) for t in tokens if (t.tag == "d" and t.start not in gone_to or t.text in manner) and start < t.start and t.end <= end]
    spans += [(m.start(), m.end()) for m in escorted().finditer(fold_width(text), start, end)]
    spans += _posts_before_persons(doc, start, end)
    spans += [(i, i + 1) for i in range(start, end) if text[i] in "，,"]  # 许淑华深入中寮乡、草屯镇，展开会勘: one phrase
    dropped = [False] * (end - start)
    for a, b in spans:
        dropped[a - start : b - start] = [True] * (b - a)
    return "".join(ch for ch, gone in zip(text[start:end], dropped) if not gone)


def _led_party(doc: Extraction, folded: str, sentence, act_start: int) -> tuple[Mention, str, list[Mention]] | None:
    """王国平副主任带队，张治中委员、蔡文如副秘书长…和课题组成员等，就…课题，赴杭州调研: the person
    the sentence opens with leads a party (event_verbs.txt [leads]) — (the leader, the word, those
    listed after it up to 等); None when the sentence tells no such party."""
    leads = re.compile(rf"(?:{lexicon.alternation_of('event_verbs.txt', 'leads')})[，,]")
    m = leads.search(folded, sentence.start, act_start)
    if m is None:
        return None
    persons = [p for p in doc.mentions if p.type == PERSON and not p.attrs.get("credit")]
    leader = next((p for p in reversed(persons) if sentence.start <= p.start and p.end <= m.start() and m.start() - p.end <= 6
                   and not re.search(r"[，,。；;、]", folded[p.end : m.start()])), None)  # 王国平副主任带队
    if leader is None:
        return None
    listed_end = folded.rfind("等", m.end(), act_start)
    members = [p for p in persons if m.end() <= p.start and p.end <= listed_end] if listed_end > 0 else []
    return leader, m.group()[:-1], members


def _one_party(a: str, b: str) -> bool:
    """韩国江原道江陵市议会访问团, then 江陵市议会访问团 and 访问团: a delegation named shorter is the same."""
    return a == b or a.endswith(DELEGATION_WORDS) and (a.endswith(b) or b.endswith(a))


def _printed_start(doc: Extraction, m: Mention) -> int:
    """Where the name a mention is known by starts when it is printed whole before it (韩国江原道江陵市议会
    访问团: the place the tagger cut off, `entities._whole_names`), else where the mention does."""
    before = m.label[: len(m.label) - len(m.text)] if m.label.endswith(m.text) else ""
    return m.start - len(before) if before and doc.article.text[m.start - len(before) : m.start] == before else m.start


def _acts(doc: Extraction, folded: str, sentence, tokens, events: list[Mention]) -> list[Mention]:
    """县委书记徐华明到花园街道开展春节走访慰问活动, 连茂君与王树立等座谈: what the persons the clause
    opens with do (acts.tsv) is an event, named by the text from the first of them to the word."""
    verbs = lexicon.sections("event_verbs.txt")
    found = []
    clause_start = sentence.start
    previous_end = None  # of the act before, in this sentence
    for m in _act_pattern().finditer(folded, sentence.start, sentence.end):
        joined, previous_end = previous_end is not None and folded[previous_end : m.start()] == "并", m.end()
        if joined:
            continue  # 开展调研并座谈: the visit's own talks, no act of their own
        clause_start = max([clause_start] + [i + 1 for i in range(clause_start, m.start()) if folded[i] in "，。；：,;:！？!?"])
        subtype = lexicon.table("acts.tsv")[m["last"]][0]
        actors = [p for p in doc.mentions if _is_actor(doc, p, folded, is_signing(m["last"]), m.start()) and clause_start <= p.start and p.end <= m.start()]
        partners = actors if _WITH.match(folded, clause_start) else []
        goes_to_it = _motion(tokens, actors[-1].end if actors else clause_start, m.start(), folded) is not None
        only_carried_out = folded[clause_start : m.start()] in verbs["carry_out"]  # …深入中寮鄉，展開會勘
        # …一行前往某县，就乡村振兴工作进行调研: a clause about what, then the act carried out
        about_then_done = folded.startswith(verbs["topic"], clause_start) and folded.endswith(verbs["carry_out"], clause_start, m.start())
        if not actors and (_moving().match(folded, clause_start) or m.start() == clause_start or goes_to_it or only_carried_out or about_then_done) or partners:
            # 贾庆林，在…的陪同下，来昆山考察; 楼阳生到周口市…，调研产业发展; 翁祖亮…，并与王树立座谈: the sentence's subject
            # …家庭；何启明…联同…探访: the subject of the part after a semicolon, if it has one
            part = max(folded.rfind(mark, sentence.start, m.start()) for mark in ";；") + 1
            subjects = [p for p in doc.mentions if _is_actor(doc, p, folded, is_signing(m["last"]), m.start()) and sentence.start <= p.start < m.start()]
            actors = ([p for p in subjects if p.start >= part] or subjects)[:1] + actors
        if not actors and subtype == "visit" and (group := _UNNAMED_PARTY.match(folded, clause_start, m.start())):
            # 市老领导一行到福山区参观: a party named by no one's name makes the visit; it is no participant
            actors = [Mention(doc.article.text[group.start() : group.end("party")], ORGANIZATION, group.start(), group.end("party"), source=ACTS, attrs={"unnamed": True})]
        party = _led_party(doc, folded, sentence, m.start()) if subtype == "visit" and not found else None
        if party is not None and party[0].start < clause_start and party[2]:  # the whole party, however long its list
            actors = [party[0]] + [p for p in party[2] + actors if p.label != party[0].label]
        else:
            party = None
        # 市长王勇先后来到A、B、C等建设现场，调研…: the act that opens a clause after the subject's
        # going somewhere is the subject's, however long the list of where
        went_first = bool(actors) and m.start() == clause_start and any(t.text in MOTION and actors[-1].end <= t.start < clause_start for t in tokens)
        if not actors or any(e.start <= m.start() < e.end for e in events if e.type == EVENT) or m.end() - (partners or actors)[-1].start > 40 and party is None and not went_first:
            continue
        if _submitted_to(folded, m.start()) or _not_act_before().search(folded, clause_start, m.start()) or _planned_act(folded, sentence.start, clause_start, m.start()):
            continue  # 将赴某县调研: not yet; 贯彻习近平总书记视察…重要讲话精神: background
        if _SPEECH_ABOUT.match(folded, m.end()):
            continue  # 习近平总书记视察宁夏重要讲话精神: what was said on an earlier visit
        if "对" in folded[actors[0].end : m.start()] and re.match(r"(?:交流)?表示", folded[m.end() :]):
            continue  # 周祖翼对客人来福建考察表示欢迎: the guests' visit, told by their host
        if _of_a_past_year(folded[sentence.start : m.start()].lstrip(), doc.article.date):
            continue  # １９９４年江泽民总书记视察吕梁地区时题词: a visit of an earlier year
        place_before = next((p.start for p in doc.mentions if p.type == PLACE and p.end == m.start()), m.start())
        if any(re.search(rf"(?:{lexicon.alternation(verbs['accompany'])})$", folded[actors[-1].end : at]) for at in {m.start(), place_before}):
            continue  # 王嵘陪同调研, 张延昆参加昌平区调研: those who go with a visit attend it (a trigger), they make no other
        opens = _printed_start(doc, actors[0])  # 韩国|江原道江陵市议会访问团: the whole name
        actor = doc.article.text[opens : actors[0].end]
        start = opens if actors[0].start >= clause_start else clause_start
        # 商会会员在会长安旭的带领下来常考察: the party led is named, its leader inside the span dropped
        led = next((e for e in escorted().finditer(folded, clause_start, m.start()) if e.start() < actors[0].start < e.end() and e.start() > clause_start), None)
        start = clause_start if led else start
        if any(start <= e.start and e.end <= m.start() for e in events if e.source != ACTS):
            continue  # 同参加…座谈会的代表…座谈时: a named event inside; the frames read it
        # 宜春市党政代表团来我市考察, then 谭赣明率宜春市党政代表团来我市考察: the delegation's visit, led
        trip = next((v for v in events + found if v.source == ACTS and (_one_party(v.attrs["actor"], actors[0].label)
                     and (subtype == "visit" == v.subtype or v.attrs["cue"] == m["last"] and (folded[m.start() - 1 : m.start()] == "在" or subtype in ("reception", "ceremony")))
                     or subtype == "visit" == v.subtype and any(_one_party(v.attrs["actor"], a.label) for a in actors[1:])
                     or is_signing(m["last"]) and is_signing(v.attrs["cue"]))), None)  # the agreement told again: the same signing
        motion = None if partners or start == opens or led else _motion(tokens, actors[0].end, m.start(), folded)
        if motion is not None:  # 楼阳生到周口市扶沟县、太康县，调研…: 楼阳生到周口市扶沟县、太康县调研
            own = actor + (party[1] if party else "") + _built_name(doc, tokens, motion, m.end())  # 王国平带队赴杭州调研
        else:
            own = _built_name(doc, tokens, start, m.end())
            own = own if start == opens or led else actor + own.removeprefix("并")  # 并与…座谈
        if about_then_done:  # 李明一行前往某县，就乡村振兴工作进行调研: 李明前往某县调研
            about = next(w for w in verbs["topic"] if folded.startswith(w, clause_start))
            for told in (_built_name(doc, tokens, clause_start, m.start()), _built_name(doc, tokens, clause_start + len(about), m.start())):
                own = own.replace(told, "")  # with its 就, or without it where the name dropped it
        own = _OBJECT_FIRST.sub(r"\g<who>\g<act>\g<what>", own)  # 王建军对…项目进行了视察: 王建军视察…项目
        own = _without_companions(own, m.group())  # 何永贤联同…区议员探访: 何永贤探访
        name = trip.key if trip else own  # 徐华明还看望了…: the same trip; 翁祖亮在座谈中说: the same 座谈
        found.append(Mention(doc.article.text[start : m.end()], EVENT, start, m.end(), subtype, key=name, source=ACTS,
                             attrs={"reference": False, "cue": m["last"], "actor": actors[0].label, "party": [p.label for p in actors] if party else []}))
    return found


@component("events.v1")
def events(doc: Extraction) -> None:
    text, folded = doc.article.text, fold_width(doc.article.text)
    references = lexicon.sections("event_verbs.txt")["reference"]
    held = lexicon.sections("event_verbs.txt")["held"]
    many = lexicon.sections("event_verbs.txt")["many"]
    found: list[tuple[Mention, int]] = []  # (mention, sentence index)
    for index, (sentence, tokens) in enumerate(zip(doc.sentences, doc.tokens)):
        for start, end, noun in _chunk_events(folded, sentence.start, sentence.end):
            start = max([start] + [e for s, e in doc.credit_spans if s <= start < e])  # 本报北京…讯记者贾西平从…会议
            start = _over_a_list(folded, tokens, _cut_at_de(folded, _trim_left(doc, tokens, _after_preposition(tokens, _after_attendance(folded, start, end, noun), end, noun), end, noun), end, noun))
            if any(m.start < end < m.end for m in doc.mentions if m.type != DATE):
                continue  # 人民大会|堂: the head noun is inside a name, not an event
            if any(m.type == ORGANIZATION and m.start <= start and m.end == end and m.label.endswith(_meeting_named_bodies()) for m in doc.mentions):
                continue  # 行政會議今日通過…: the body entities.v1 found, not its meeting
            if _inside_a_title(folded, sentence.start, end):
                continue  # 《湖南省乡镇人民代表大会工作条例》: a document's title, not an event
            if _BODY_TERM.match(folded, end):
                continue  # 中国人民政治协商会议|第九届格尔木市委员会: a body with its term, not an event
            start += stray_quotes(text[start:end])[0]  # 出席「前廳交流會」: 前廳交流會
            if any(start <= p.start and _act_pattern().search(folded, p.end, end) for p in doc.mentions if p.type == PERSON and p.end <= end):
                continue  # 徐华明到花园街道开展走访慰问活动: what someone does, read as an act (acts.v1)
            name = text[start:end]
            if any(name.endswith(form) and folded[end : end + 2] == "形式" for form in _forms()):
                continue  # 以视频会议形式召开: how it was held, not another event
            if _post_word().match(folded, end) and not folded.startswith("主席台", end):
                continue  # 前参谋长联席会议主席: a body in a post, not an event (主席台 is a platform)
            if noun == "活动" and re.search(lexicon.alternation(many), name):
                continue  # 连串庆祝活动: a programme of many, not one event
            bare = _bare(name, noun, references) or _described(folded, start)
            if len(name) < len(noun) + 2 and not bare:
                continue
            mention = Mention(name, EVENT, start, end, _kind_of(name, noun), key="" if bare else name, source=EXTRACTOR, attrs={"reference": bare})
            found.append((mention, index))
        found += [(act, index) for act in _acts(doc, folded, sentence, tokens, [m for m, _ in found])]  # after the sentence's nouns

    named = [(m, i) for m, i in found if not m.attrs["reference"]]
    _one_name_per_session(named)
    body_start = doc.article.body_start
    held_pattern = re.compile(lexicon.alternation(held))

    def is_held(item) -> bool:
        return item[0].source == ACTS or bool(held_pattern.search(doc.sentences[item[1]].text))

    current = [x for x in named if not _of_a_past_year(x[0].text, doc.article.date) and not is_planned(folded, x[0]) and not is_background(folded, x[0])]
    lead = next((i for i, sentence in enumerate(doc.sentences) if sentence.start >= body_start), 0) + 3
    ranked = (
        [x for x in current if x[0].start >= body_start and x[1] < lead and is_held(x)]
        # 周小燕从教５０年音乐会在京举行 in the title, not the 独唱音乐会 of 1947 deep in the body
        or [x for x in current if x[0].start < body_start and is_held(x)]
        or [x for x in current if x[0].start >= body_start and is_held(x)]
        or [x for x in current if x[0].start < body_start]
        or [x for x in found if x[0].start >= body_start and _held_right_before(folded, x[0].start)]
        or _repeated_bare(found)
        or [x for x in found if x[0].start >= body_start and _held_after(folded, x[0])]  # 座谈会今天在京举行
        or [x for x in found if x[0].start < body_start]  # 罗干出席开幕式 in the title
        or [x for x in current if _attended_right_before(folded, x[0].start)]  # 市长今天出席全市经济工作会议
        or [x for x in found if _attended_right_before(folded, x[0].start)]  # 市长出席颁奖典礼: the bare noun
    )
    if not ranked:
        doc.mentions.extend(m for m, _ in found)
        return
    main, main_sentence = ranked[0]
    if main.attrs["reference"]:  # 团结出版社举行座谈会: the bare noun names the article's event
        main.key, main.attrs["reference"] = main.text, False
    doc.main_event = main
    _take_fuller_title_name(main, [m for m, _ in found], body_start)
    _headline_short_name(main, [m for m, _ in named], body_start, text)
    _short_names_of_main(main, [m for m, _ in named])
    for mention, _ in named:
        if mention.key != main.key and main.key.startswith(mention.key):
            mention.attrs["super_event_of_main"] = True  # 摄影展 is the whole of 摄影展开幕式
    for mention, _ in found:
        if mention.attrs["reference"]:
            # 本次摄影展 -> the exhibition named before; 会议, 大会, 活动 -> the article's event
            head = event_head(mention.text)
            own = [m for m, _ in named if m.start < mention.start and (m.key.endswith(head) and (m.key == main.key or m.attrs.get("super_event_of_main"))
                                                                       or m.source == ACTS and head == m.attrs["cue"] + "会")]  # 与…座谈, then 座谈会上
            held_on_visit = main.subtype == "visit" and mention.subtype == "meeting"  # 调研期间召开座谈会: a meeting of its own
            mention.key = mention.text if _in_an_earlier_year(folded, mention) or held_on_visit and not own else own[-1].key if own else main.key
            if held_on_visit and not own:
                mention.attrs["held_on_visit"] = True
        mention.attrs["refers_to_main"] = mention.key == main.key
    doc.mentions.extend(m for m, _ in found)
    describe_event(doc, main, doc.sentences[main_sentence])


def describe_event(doc: Extraction, main: Mention, sentence, extractor: str = EXTRACTOR) -> None:
    """Date, venue and form of an event, read from the sentence that says it was held."""
    forms = _forms()
    evidence = Evidence(doc.article.id, sentence.text, sentence.start, sentence.end, extractor)
    inside = [m for m in doc.mentions if sentence.start <= m.start < sentence.end]
    date = next((m for m in inside if m.type == DATE and len(m.key) == 10 or m.type == DATE and m.key.startswith("--")), None)
    if date is None and not names_an_unknown_day(fold_width(sentence.text), doc.article.date):  # the dateline or the first date of the article
        date = next((m for m in doc.mentions if m.type == DATE and (len(m.key) == 10 or m.key.startswith("--"))), None)
    if date is not None:
        doc.facts.append(Fact("event_date", main, date, evidence, value=date.key))
    for venue in (m for m in inside if m.type == PLACE and m.subtype == "venue" and not m.attrs.get("sub_venue")):
        doc.facts.append(Fact("event_venue", main, venue, evidence))
    folded = fold_width(sentence.text)
    for phrase, (mode, label) in forms.items():
        if phrase in folded:
            doc.facts.append(Fact("event_form", main, None, evidence, value=label, attrs={"mode": mode}))
            break
