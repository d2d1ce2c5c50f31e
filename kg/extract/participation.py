"""Who took part in which event, in which role: attendee, speaker, chair, host, guest.

Read clause by clause: the persons and organisations before a trigger word (出席, 参加,
作交流发言, 主持, …) took part in the event the clause names, or else in the article's event.
A few frames add what no single word says: a list after 出席…的还有：, the subject of 召开/举行
EVENT (host), and what someone said 在 EVENT 上 (speaker).
Only the subject counts: people merely mentioned (贯彻落实习近平总书记…讲话精神), credits and
the organisation in a post (市委 in 市委副书记) are no participants.
"""

from __future__ import annotations

import re
from functools import cache

from kg import lexicon
from kg.extract import component
from kg.extract.entities import venue_word
from kg.extract.events import ACTS, DELEGATION_WORDS, MOTION, delegation_at, describe_event, event_head, is_background, is_delegation, is_planned, is_signing, is_subsequence
from kg.model import EVENT, ORGANIZATION, PERSON, PLACE, POST, Evidence, Extraction, Fact, Mention, Sentence
from kg.text import CONJUNCTIONS, fold_width

EXTRACTOR = "participation.v1"
# the named rules that make participations (each fact records its rule and cue word); any can be
# switched off by name (Pipeline(disable=…), bench/eval_participation.py --disable)
RULES = (
    "trigger.v1", "reception.v1", "relative_clause.v1", "said_at_reception.v1", "photo_rows.v1",
    "listed_after_colon.v1", "host_of_held_event.v1", "speaker_at_event.v1", "quoted_speaker.v1",
    "report_made.v1", "speaker_heard.v1", "guest_talked_with.v1", "honoured.v1", "actor.v1",
)
_CLAUSE_END = re.compile(r"[，。；！？,;!?：:]")


@cache
def _clause_break() -> re.Pattern:
    """What ends a clause: its punctuation, or the spaces between a headline's clauses (余功斌主持并讲话
    孙慧芳严加军出席), unless a trigger follows them (市委宣传部 主办: the body's own verb)."""
    return re.compile(rf"{_CLAUSE_END.pattern}|(?<=[\u4e00-\u9fff])[ \t\u3000]+(?=[\u4e00-\u9fff])(?!{lexicon.alternation(lexicon.table('triggers.tsv'))})")


@cache
def _unsaid_subject() -> re.Pattern:
    """A clause's opening before a held verb that says its subject is the sentence's (今(16)日更举办)."""
    return re.compile(rf"(?:[\d()]+日|今|昨|{lexicon.alternation(lexicon.words('time_words.txt'))}|随后|同时|更|并|还|又|也|再|另)*")


@cache
def _host_place_gap() -> re.Pattern:
    """What stands between a place that holds an event and the verb: a time at most (鞍山市今天召开,
    凤阳县11月10日下午召开)."""
    return re.compile(rf"(?:[\d０-９]+[年月日]|{lexicon.alternation(lexicon.words('time_words.txt'))}|隆重|正式)*")


@cache
def _wished() -> re.Pattern:
    return re.compile(lexicon.alternation_of("event_verbs.txt", "wish"))


def _at_venue(folded: str, i: int) -> bool:
    """在, 于 or a word before a venue's name (肇慶市日前假洲際酒店舉辦: entities.venue_word) opens,
    at ``i``, where an event is held."""
    return folded[i] in "在于" or venue_word().match(folded, i) is not None


@cache
def _led() -> re.Pattern:
    """刘润长率领公安县党政代表团: the delegation one leads (event_verbs.txt [leading])."""
    return re.compile(rf"(?:{lexicon.alternation_of('event_verbs.txt', 'leading')})$")


@cache
def _guests_led_by() -> re.Pattern:
    """会见由…率领的…一行: the party received, led by someone (event_verbs.txt [leading])."""
    return re.compile(rf"由[^，。；,;]{{1,40}}?(?:{lexicon.alternation_of('event_verbs.txt', 'leading')})的")


_PASSIVE = re.compile(r"受到|获得|得到|获")  # X受到Y会见: X is the guest
_MOTION_WORDS = tuple(MOTION)
_PASSIVE_OPENING = re.compile(rf"(?:分别|先后|还|并|亦|也)*(?:{_PASSIVE.pattern})")  # …，分别获韩正接见
_TITLE_OF_WORK = re.compile(r"《[^《》]*》")
_QUOTED_PHRASE = re.compile(r"[“「][^“”「」。！？!?；;]{1,40}[”」]")  # a slogan, a theme: no speech
_PARTICIPANT_TYPES = (PERSON, ORGANIZATION, PLACE)
# a place takes part only as a subject in a list (金华市、杭州市钱塘区…作交流发言), not after 在/于
_TOLD_BY = (",", ":", "说", "道", "称")  # 介绍，…, 介绍说, 介绍称: the words told follow
_ADDRESSED = "向给为"  # 向…介绍, 给…讲课, 为…作报告: whom a speech is made to
_SUBJECT_FOLLOWERS = "、和及与同作等"
# between a name and its verb of saying: 激动地, 接着, 在此郑重, 观看《虎踞钟山》后; not 对记者, 在贺信中, 的扮演者
_SAID_GAP = re.compile(r"(?:在此|在这里|[^对向跟同和与在的]){0,6}|[^对向跟同和与在的]{0,12}后")


@cache
def _trigger_pattern() -> re.Pattern:
    cues = lexicon.sections("non_participant_cues.txt")
    return re.compile(rf"(?<![重要])(?:(?<!的)|(?=陪同下))(?P<trigger>{lexicon.alternation(lexicon.table('triggers.tsv'))})(?!{lexicon.alternation(cues['after'])})")


@cache
def _post_word() -> re.Pattern:
    return re.compile(lexicon.alternation(lexicon.words("posts.txt")))


def _clauses(text: str, start: int, end: int):
    """Clauses of a sentence; punctuation inside a title (作了题为《市长负责，…》的讲话) or a short
    quoted phrase that ends no sentence (围绕“深入开展…行动，推动…发展”主题) ends none."""
    pos = start
    titles = [(m.start(), m.end()) for m in _TITLE_OF_WORK.finditer(text, start, end)]
    titles += [(m.start(), m.end()) for m in _QUOTED_PHRASE.finditer(text, start, end)]
    for m in _clause_break().finditer(text, start, end):
        if any(a < m.start() < b for a, b in titles):
            continue
        yield pos, m.start()
        pos = m.end()
    if pos < end:
        yield pos, end


@cache
def _party_words() -> tuple[str, ...]:
    verbs = lexicon.sections("event_verbs.txt")
    return tuple("的" + w for w in verbs["escorting"] + verbs["leading"] if len(w) > 1)


def _with_the_party(folded: str, pos: int) -> bool:
    """在会长安旭的带领下, 在王刚的陪同下: the name before 的 goes with the party (event_verbs.txt)."""
    return folded.startswith(_party_words(), pos)


def _is_subject(doc: Extraction, mention: Mention, clause_start: int, folded: str, posts: list[Mention]) -> bool:
    if mention.attrs.get("credit") or any(p.start <= mention.start and mention.end <= p.end for p in posts):
        return False
    if mention.type == PERSON and len(mention.label) < 2:
        return False  # 张 whom the article never names in full: a surname is no one's name
    if any(e.type == EVENT and e.source != ACTS and e.start <= mention.start and mention.end <= e.end and (folded[e.start - 1 : e.start] == "在" or mention.type == ORGANIZATION) for e in doc.mentions):
        return False  # 宋健在航天总公司第三次工作会议上讲话, 出席县政府团拜活动并致词: a name inside the name of an event
    if mention.type == ORGANIZATION and _post_word().match(folded, mention.end):
        return False  # 全国政协副主席万国权: the organisation of a post, even when the name is missed
    if mention.type in (ORGANIZATION, PLACE) and _group_after(doc, mention, folded):
        return False  # 国务院有关部门负责同志, 县委办、县财政局等负责人: an unnamed group from the organisations
    if mention.type == ORGANIZATION and folded[mention.start - 1 : mention.start] == "在" and _trigger_pattern().match(folded, mention.end):
        return False  # 李明在市政府会见…: where, not who (在中组部召开的座谈会上: who)
    if mention.type == ORGANIZATION and _stood_for(doc, mention, folded):
        return False  # 代表中国共产党参加…, 代表市委、市政府致辞: the bodies one stands for
    if mention.type == ORGANIZATION and _describes_a_person(doc, mention, folded):
        return False  # 杉杉控股有限公司郑永刚, 东华大学校长…, 区人大常委会副主任常树奇: the body a person comes from
    if mention.type == PERSON and folded.startswith("的", mention.end) and not _with_the_party(folded, mention.end):
        return False  # 孔繁森的妻子王庆芝: a name describing someone else
    if mention.type == PERSON and _works_for_another(doc, mention, folded):
        return False  # 立委马文君秘书李雅雯, 议长李文斌机要秘书: the secretary is there
    before = folded[clause_start : mention.start]
    cues = lexicon.sections("non_participant_cues.txt")
    if any(_governs_an_object(cue, before, cues["no_object"]) for cue in cues["before"]) or mention.type != PERSON and any(cue in before for cue in cues["origin"]):
        return False
    if mention.type == PLACE:
        if mention.subtype == "venue" or folded[mention.start - 1 : mention.start] in ("在", "于", "从", "到"):
            return False
        return folded[mention.end : mention.end + 1] in _SUBJECT_FOLLOWERS
    return True


def _governs_an_object(cue: str, before: str, no_object: tuple[str, ...]) -> bool:
    """Whether ``cue`` stands in ``before`` other than right before a word that shows it governs
    no object (学习由…主持)."""
    return any(not before.startswith(no_object, m.end()) for m in re.finditer(re.escape(cue), before))


def may_take_part(doc: Extraction, mention: Mention, folded: str, sentence: Sentence) -> bool:
    """Whether the rules would let ``mention`` take part in what its clause tells: not a name
    inside a work's title, in hearsay, in a post, a message, a memory… (`_is_subject`). For the
    candidates no rule made (kg/extract/decide.py)."""
    sentence_start = sentence.start
    clause_start = max([sentence_start] + [m.end() for m in _CLAUSE_END.finditer(folded, sentence_start, mention.start)])
    titles = [(m.start() + 1, m.end() - 1) for m in _TITLE_OF_WORK.finditer(folded, sentence_start, sentence.end)]
    posts = [m for m in doc.mentions if m.type == POST and sentence_start <= m.start < mention.end]
    return not _in_title_of_work(mention, titles) and not _inside_speech(folded, sentence_start, clause_start) and _is_subject(doc, mention, clause_start, folded, posts)


@component("participation.v1")
def participation(doc: Extraction) -> None:
    folded = fold_width(doc.article.text)
    roles = lexicon.table("triggers.tsv")
    posts = [m for m in doc.mentions if m.type == POST]
    titles = [(m.start() + 1, m.end() - 1) for m in _TITLE_OF_WORK.finditer(folded)]
    candidates = [m for m in doc.mentions if m.type in _PARTICIPANT_TYPES and not _in_title_of_work(m, titles)]
    names = candidates + posts  # what a piece of a list may hold (`_only_names`)
    events = [m for m in doc.mentions if m.type == EVENT]
    signing_event = re.compile(lexicon.alternation_of("event_verbs.txt", "signing_event"))
    signs = lexicon.sections("event_verbs.txt")["signs"]
    venues = [m for m in doc.mentions if m.type == PLACE and m.attrs.get("sub_venue")]
    seen = set()

    def add(who: Mention, event: Mention, role: str, evidence: Evidence, rule: str, cue: str, **attrs) -> None:
        """One participation, made by the named ``rule`` on the word ``cue``, unless that rule is off."""
        if rule not in doc.disabled_rules and (who.label, event.label, role) not in seen:
            seen.add((who.label, event.label, role))
            doc.facts.append(Fact("participation", who, event, evidence, role=role, attrs={"rule": rule, "cue": cue} | attrs))

    for number, sentence in enumerate(doc.sentences):
        evidence = Evidence(doc.article.id, sentence.text, sentence.start, sentence.end, EXTRACTOR)
        for who, event in _photo_rows(doc, folded, candidates, doc.sentences[number - 1] if number else None, sentence):
            add(who, event, "attendee", evidence, "photo_rows.v1", "左起")
        sentence_events = [e for e in events if sentence.start <= e.start < sentence.end]
        clauses = list(_clauses(folded, sentence.start, sentence.end))
        carried: list[Mention] = []  # the subjects of the sentence's last trigger
        for index, (c_start, c_end) in enumerate(clauses):
            if _inside_speech(folded, sentence.start, c_start):
                continue  # reported words: who they name did not take part here
            # 市委书记胡勇春，市委副书记、市长郑云涛出席…: the subject list runs back over commas
            first = index
            while first > 0 and _only_names(doc.article.text, *clauses[first - 1], names):
                first -= 1
            s_start = clauses[first][0]
            previous_end = s_start
            for m in _trigger_pattern().finditer(folded, c_start, c_end):
                if any(e.end - len(e.attrs["cue"] if e.source == ACTS else event_head(e.text)) <= m.start() < e.end for e in sentence_events):
                    continue  # 颁证会, 汇报演出: part of an event's head noun (of an act, its word: 调研)
                if any(a <= m.start() < b for a, b in titles):
                    continue  # 《军队会议费接待费限额管理办法》: a word of a document's title
                signed_at = m["trigger"] in signs and folded.startswith("的", m.end()) and doc.main_event is not None and signing_event.search(doc.main_event.label)
                if _describes_someone(folded, m, c_end, sentence_events) and not signed_at:
                    continue  # (镇安县与某公司签订的…合同书 in the report of a signing: they signed there)
                if m["trigger"] in lexicon.sections("event_verbs.txt")["together"] and _trigger_pattern().match(folded, m.end()):
                    continue  # 一同会见: the trigger right after tells the role
                if m["trigger"] in lexicon.sections("event_verbs.txt")["told"] and _only_told(folded, c_start, m):
                    continue  # 刘禄进介绍，…: what he told; 向李四介绍: 李四 listened
                if _wished().search(folded, c_start, m.start()):
                    continue  # 协会愿和各方一同…: a wish, no attendance
                role, *object_role = roles[m["trigger"]]
                relative = None if object_role else _relative_event(folded, m, c_end, sentence_events)
                if relative is not None:  # 同应邀参加…座谈会的军队代表徐洪刚、韩素云…座谈时
                    event, names_start = relative
                    described = [c for c in candidates if names_start <= c.start and c.end <= c_end and _is_subject(doc, c, names_start, folded, posts)]
                    # …的军队代表徐洪刚、韩素云: the persons; 出席…的中共代表团合影: the delegation naming no one
                    described = [c for c in described if c.type == PERSON] or [c for c in described if c.type == ORGANIZATION and c.start == names_start]
                    for who in described if event else []:
                        add(who, event, role, evidence, "relative_clause.v1", m["trigger"])
                    if described or event is None:
                        continue  # 欣赏了…音乐会的精彩节目 describes no one: the subject took part
                # 江泽民等会见出席会议代表: the subjects of 会见 are not those of 出席
                subjects = [c for c in candidates if previous_end <= c.start and c.end <= m.start() and _is_subject(doc, c, s_start, folded, posts)]
                if role == "speaker":  # 郑继明向他介绍, 王刚向市长李四汇报: whom one speaks to is no speaker
                    to_whom = max(folded.rfind(w, previous_end, m.start()) for w in _ADDRESSED)
                    subjects = [c for c in subjects if c.end <= to_whom] if to_whom >= 0 else subjects
                subjects = subjects or _implied_subjects(folded, clauses, index, candidates, carried, m, bool(object_role), sentence_events)
                subjects = subjects or _pronoun_subject(doc, folded, previous_end, m.start())
                if not subjects and not object_role:
                    subjects = _subjects_over_topics(folded, clauses, index, candidates)
                carried = subjects or carried
                if object_role and _attended(folded, m.start(), m.end()):
                    continue  # 参加会见: a noun here, the reception itself is named elsewhere
                previous_end = m.end() if object_role else previous_end
                objects_end = _objects_end(doc, clauses, index, names) if object_role else c_end
                objects = [c for c in candidates if m.end() <= c.start and c.end <= objects_end and _is_subject(doc, c, m.end(), folded, posts)] if object_role else []
                if object_role and not subjects:
                    continue
                if object_role and (passive := _PASSIVE.search(folded, subjects[0].end, m.start())):
                    # 李雁冰受到景俊海会见: those before 受到 are received, those after receive
                    objects = [c for c in subjects if c.start < passive.start()] + objects
                    subjects = [c for c in subjects if c.start >= passive.end()]
                    if not subjects:
                        continue
                elif object_role and (passive := _PASSIVE_OPENING.match(folded[c_start : subjects[0].start])) and c_start > sentence.start:
                    # 黄少泽率领代表团前往北京，分别获韩正、赵克志接见: the sentence's subject is received
                    objects = [c for c in candidates if sentence.start <= c.start and c.end <= c_start and c.type in (PERSON, ORGANIZATION)
                               and (c.type == PERSON or is_delegation(c)) and _is_subject(doc, c, sentence.start, folded, posts)][:2] + objects
                if not object_role and not _object_may_be_event(doc, folded, m, c_end, sentence_events):
                    continue  # 参加了绝食斗争, 主持日常工作: no event attended
                event = _reception(doc, sentence, m, subjects, objects[:1], c_end) if object_role else _event_for(doc, sentence_events, folded, m.start(), m.end())
                if event is None or m["trigger"] in signs and not signing_event.search(event.label):
                    continue  # 签订了责任状 at a briefing: a signing attends only a signing
                if role == "speaker" and event is doc.main_event and folded.startswith("中", m.end()):
                    event = _hosted_reception(doc, subjects) or event  # 李鹏接见…代表时强调…。李鹏在讲话中说
                if object_role and _says_meanwhile(folded, m.end(), sentence.end):
                    for subject in subjects:  # 江泽民会见…时指出: the host spoke at the reception
                        add(subject, event, "speaker", evidence, "said_at_reception.v1", m["trigger"])
                venue = next((v for v in venues if c_start <= v.start < c_end), None)
                at = {"venue": venue} if venue is not None else {}
                rule = "reception.v1" if object_role else "trigger.v1"
                for subject in subjects:
                    add(subject, event, role, evidence, rule, m["trigger"], **at)
                for guest in objects:
                    add(guest, event, object_role[0], evidence, rule, m["trigger"], **at)
                if venue is not None and subjects:
                    doc.facts.append(Fact("event_subvenue", event, venue, evidence))
            for who, event, role, cue, rule in _frames(doc, folded, candidates, posts, sentence_events, (s_start, c_start, c_end, sentence.end)):
                add(who, event, role, evidence, rule, cue)
            for act in (e for e in sentence_events if e.source == ACTS and c_start <= e.start < c_end):
                # 市委书记张三，市长李四到某县调研, 甲与乙座谈: those who do it, back over a list of names
                # and the delegation they lead (刘润长率领公安县党政代表团来我县考察)
                doers = [c for c in candidates if s_start <= c.start and c.end <= act.end and c.type in (PERSON, ORGANIZATION) and (c.type == PERSON or is_signing(act.attrs["cue"]) or c.label == act.attrs["actor"] or is_delegation(c) and _led().search(folded, max(0, c.start - 2), c.start)) and _is_subject(doc, c, s_start, folded, posts)]
                doers += [c for c in candidates if sentence.start <= c.start < s_start and c.label == act.attrs["actor"]][:1]  # 翁祖亮…，并与…座谈
                doers += [c for c in candidates if sentence.start <= c.start < s_start and c.label in act.attrs.get("party", ()) and c not in doers]  # X带队，甲、乙等…赴…调研
                for who in doers:
                    add(who, act, _talk_side(doc, act, who), evidence, "actor.v1", act.attrs["cue"])
    _quotes_of_hosts_before_their_reception(doc)
    _one_reception_per_meeting(doc)
    _talks_at_receptions(doc)
    _drop_repeated_participations(doc)


_MEMBER = re.compile(r"^成员[、，,]")  # a member of the body, then his posts
_ITEM_END = re.compile(r"[、，,。；;：:和及与同等在\s]")  # 代表团在团长…率领下: 在 opens what the body does


@cache
def _of_person_pattern() -> re.Pattern:
    return re.compile(lexicon.alternation_of("non_participant_cues.txt", "of_person"))


def _works_for_another(doc: Extraction, person: Mention, folded: str) -> bool:
    """立委馬文君秘書李雅雯, 議長李文斌機要秘書、…: the name describes the one who works for it (named
    or not), when the word of relation ends the description: a name, a separator or a verb after
    it (not 王刚秘书长 nor 王刚助理巡视员, posts of his own)."""
    relation = _of_person_pattern().match(folded, person.end)
    if relation is None or _post_word().match(folded, person.end):
        return False
    end = relation.end()
    return any(m.type == PERSON and m.start == end for m in doc.mentions) or end == len(folded) or _ITEM_END.match(folded, end) is not None or _trigger_pattern().match(folded, end) is not None


def _stood_for(doc: Extraction, mention: Mention, folded: str) -> bool:
    """Whether an organisation is one of those that someone 代表 (stands for), back over the list
    that follows the word (代表市委、市政府: both)."""
    word = folded.rfind("代表", 0, mention.start)
    if word < 0 or _CLAUSE_END.search(folded, word, mention.start):
        return False  # the list holds no clause's end: most bodies are ruled out without walking it
    start = mention.start
    while folded[start - 2 : start] != "代表":
        before = next((m for m in doc.mentions if m.type == ORGANIZATION and m.end == start - 1 and folded[m.end] in "、和及与"), None)
        if before is None:
            return False
        start = before.start
    return True


def _describes_a_person(doc: Extraction, mention: Mention, folded: str) -> bool:
    """Whether an organisation is where the person or post after it in the same item of a list
    comes from (市政府参事关保英, 区人大常委会副主任常树奇), not a subject of its own; a verb between
    them makes it one (广东省军区召开邱玲英雄事迹表彰会)."""
    after = min((p for p in doc.mentions if p.type in (PERSON, POST) and p.start >= mention.end), key=lambda p: p.start, default=None)
    if after is None or after.start - mention.end > 12:
        return False
    gap = _MEMBER.sub("", folded[mention.end : after.start], count=1)  # 省政协党组成员、秘书长彭世东
    return not _ITEM_END.search(gap) and not _trigger_pattern().search(gap) and not _held_pattern().search(gap)


def _group_after(doc: Extraction, mention: Mention, folded: str) -> bool:
    """Whether the list of organisations ``mention`` stands in ends in a word that makes their
    people an unnamed group (non_participant_cues.txt [group]: 有关负责人, 代表 but not 代表团)."""
    end = _end_of_list(doc, mention, folded)
    return folded.startswith(lexicon.sections("non_participant_cues.txt")["group"], end) and not delegation_at(folded, end)


def _end_of_list(doc: Extraction, mention: Mention, folded: str) -> int:
    """Where the list of organisations that ``mention`` opens or continues ends (县委办、县委宣传部、
    县财政局等负责人: before 等负责人)."""
    end = mention.end
    while True:
        nxt = next((m for m in doc.mentions if m.type in (ORGANIZATION, PLACE) and m.start == end + 1 and folded[end] in "、和及与"), None)
        if nxt is None:
            return end + (folded[end : end + 1] == "等")
        end = nxt.end


def _one_reception_per_meeting(doc: Extraction) -> None:
    """周祖翼会见香港太古集团客人 in the headline, 周祖翼…会见了…白德利、张卓平一行 in the body: receptions
    of one article by the same hosts, of the same guests or of guests left unnamed, are one
    reception, known by the name it has first."""
    receptions = sorted({id(f.object): f.object for f in doc.facts if f.kind == "participation" and f.object.subtype == "reception" and f.object.source == EXTRACTOR}.values(), key=lambda m: m.start)

    persons = {m.label for m in doc.mentions if m.type == PERSON}

    def side(event, role):
        return {f.subject.label for f in doc.facts if f.kind == "participation" and f.object.key == event.key and f.role == role}

    for i, later in enumerate(receptions):
        for first in receptions[:i]:
            if first.key == later.key:
                break
            hosts, guests = (side(first, "host"), side(later, "host")), (side(first, "guest"), side(later, "guest"))
            if hosts[0] & hosts[1] and (guests[0] & guests[1] or not guests[0] & persons or not guests[1] & persons):
                later.key = first.key
                break


_VISITING_PARTY = re.compile(rf"与[^与]*(?:一行|{lexicon.alternation(DELEGATION_WORDS)})(?:进行了?)?$")  # 与…杜水波一行, 与上海市代表团


def _talk_side(doc: Extraction, act: Mention, who: Mention) -> str:
    """王景武、梅世彤与…杜水波一行座谈: in a talk ([talk] of event_verbs.txt) with a visiting party those
    who talk with it receive it (host) and its members are received (guest), as at a 会见; in
    any other act all who do it attend."""
    cue = act.attrs["cue"]
    before = doc.article.text[act.start : act.end - len(cue)]
    if cue not in lexicon.sections("event_verbs.txt")["talk"] or not (party := _VISITING_PARTY.search(fold_width(before))):
        return "attendee"
    return "guest" if who.start >= act.start + party.start() else "host"


def _drop_repeated_participations(doc: Extraction) -> None:
    """One participation per participant, event and role, the first made: events merged into one
    (two receptions, a talk and its reception) leave their participants twice."""
    seen, kept = set(), []
    for f in doc.facts:
        key = (f.kind, f.subject.label if f.subject else None, f.object.label if f.object else None, f.role)
        if f.kind != "participation" or key not in seen:
            kept.append(f)
            seen.add(key)
    doc.facts[:] = kept


def _talks_at_receptions(doc: Extraction) -> None:
    """周祖翼赵龙与上海市代表团座谈交流 over 周祖翼会见胡文容一行: a talk ([talk] of event_verbs.txt)
    of a host of the article's reception with its guests, or with a delegation (the party a guest
    leads), is that reception, known by the reception's name; its talkers are its hosts."""
    talks = lexicon.sections("event_verbs.txt")["talk"]
    parts = [f for f in doc.facts if f.kind == "participation"]
    receptions = {id(f.object): f.object for f in parts if f.object.subtype == "reception"}.values()
    for act in {id(f.object): f.object for f in parts if f.object.source == ACTS and f.object.attrs.get("cue") in talks}.values():
        partner = act.text.rpartition("与")[2]  # 与上海市代表团座谈: the guests, or the party they lead
        for reception in receptions:
            hosts = {f.subject.label for f in parts if f.object.key == reception.key and f.role == "host"}
            guests = {f.subject.text for f in parts if f.object.key == reception.key and f.role == "guest"}
            if act.attrs.get("actor") in hosts and (any(g in partner for g in guests) or any(w in partner for w in DELEGATION_WORDS)):
                act.key = reception.key
                for f in parts:
                    if f.object is act and f.attrs.get("rule") == "actor.v1":
                        f.role = "host"  # 周祖翼赵龙与…座谈: those who talk with the guests receive them
                break


def _in_title_of_work(m: Mention, titles: list[tuple[int, int]]) -> bool:
    """观看《虎踞钟山》后, 献上《春华秋实》: a name inside the title of a work (``titles``: what the
    marks enclose) is no one who took part; a title that is the whole name, 《人民日报》, still
    names the paper."""
    return any(a <= m.start and m.end <= b and (a, b) != (m.start, m.end) for a, b in titles)


def _photo_rows(doc: Extraction, folded: str, candidates, caption, sentence):
    """出席全国政协首届全会的代表团合影。前排左起：刘一、陈二；后排左起：…: the persons in the rows of
    a photo are shown at the event its caption places the group at (attendees)."""
    rows = lexicon.alternation_of("event_verbs.txt", "photo_rows")
    presence = lexicon.alternation_of("event_verbs.txt", "presence")
    if caption is None or not re.match(rf"[^,。:]{{0,4}}(?:{rows}):", folded[sentence.start : sentence.end]) or not re.search(presence, caption.text):
        return
    shown = [f.object for f in doc.facts if f.kind == "participation" and f.role == "attendee" and f.evidence.start == caption.start]
    for who in [c for c in candidates if c.type == PERSON and sentence.start <= c.start < sentence.end] if shown else []:
        yield who, shown[-1]


def _quotes_of_hosts_before_their_reception(doc: Extraction) -> None:
    """江泽民强调：… in a subtitle, then 江泽民…会见出席会议代表…时强调: a quote read before the
    reception was known belongs to the host's reception, not to the meeting."""
    keep = []
    for f in doc.facts:
        if f.kind == "participation" and f.attrs.get("cue") == "说" and f.object is doc.main_event:
            if _hosted_reception(doc, [f.subject]) is not None:
                continue
        keep.append(f)
    doc.facts[:] = keep


def _describes_someone(folded: str, trigger: re.Match, c_end: int, sentence_events) -> bool:
    """向参加抗震救灾的全体官兵, 由物价局领导参加的领导小组: the trigger only describes the people or
    the body that follows, and attends no event of this clause (演唱的《春之声》 names a work sung)."""
    relative = folded.startswith("的", trigger.end()) and folded[trigger.end() + 1 : trigger.end() + 2] not in "《“"
    if not (folded[trigger.start() - 1 : trigger.start()] in ("向", "给", "为") or relative):
        return False
    return not any(trigger.end() <= e.start < c_end for e in sentence_events)


def _object_may_be_event(doc: Extraction, folded: str, trigger: re.Match, c_end: int, sentence_events) -> bool:
    """Whether what follows 参加/出席/主持 in the clause is an event (named or 会议), nothing, or
    another trigger: not 参加了绝食斗争, 主持日常工作."""
    verbs = lexicon.sections("event_verbs.txt")
    if trigger["trigger"] not in verbs["needs_event"] or any(trigger.end() <= e.start < c_end for e in sentence_events):
        return True
    after = re.sub(r"^(?:了|过|着)?(?:这次|此次|本次|这)?", "", folded[trigger.end() : c_end]).strip()
    if not after or not re.match(r"[\u4e00-\u9fff]", after) or after.startswith(verbs["event_like"]) or _act_attended(doc, folded, trigger.end()):
        return True
    return _trigger_pattern().match(folded, c_end - len(after)) is not None


def _relative_event(folded: str, trigger: re.Match, c_end: int, sentence_events):
    """参加中宣部召开的全国先进典型座谈会的军队代表徐洪刚、韩素云: the trigger and its event describe
    the persons after 的, who took part, not the subject before the trigger. (event, where the
    persons start); (None, _) for a trigger inside such a phrase (应邀 in 应邀参加…的), None otherwise."""
    for e in sentence_events:
        if trigger.end() <= e.start and e.end < c_end and folded.startswith("的", e.end) and not _CLAUSE_END.search(folded, trigger.end(), e.end):
            if _trigger_pattern().search(folded, trigger.end(), e.start):
                return None, e.end + 1
            return e, e.end + 1
    return None


def _pronoun_subject(doc: Extraction, folded: str, start: int, end: int) -> list[Mention]:
    """１９４８年他参加了中央九月政治局会议, 随后参加了七大: 他/她, or no subject at all after a date or
    a word of sequence, is the person the article is about (a biography, a profile), the one named
    far more often than anyone else."""
    opener = lexicon.alternation_of("event_verbs.txt", "unsaid_subject")
    unsaid = re.fullmatch(rf"(?:\d+[年月日]|{opener}|代表[\u4e00-\u9fff]{{2,12}}?)+了?", folded[start:end].strip())
    if not unsaid and not re.search(r"(?<![其吉])[他她](?![们人])", folded[start:end]):
        return []
    counts: dict[str, list[Mention]] = {}
    for m in doc.mentions:
        if m.type == PERSON and not m.attrs.get("credit"):
            counts.setdefault(m.label, []).append(m)
    ranked = sorted(counts.values(), key=len, reverse=True)
    if not ranked or len(ranked[0]) < 3 or len(ranked) > 1 and len(ranked[0]) < 2 * len(ranked[1]):
        return []
    return [next(m for m in ranked[0] if m.start < end)] if ranked[0][0].start < end else []


def _implied_subjects(folded: str, clauses, index: int, names, carried, trigger, receives: bool, sentence_events) -> list[Mention]:
    """Subjects a clause leaves unsaid: 夏赞忠…出席会议，并就…发表了意见 (those of the last
    trigger), 江泽民等…走上舞台，亲切会见了… (the names the clause before opens with, when the
    trigger has an event or a guest: not 参加了工作)."""
    c_start, c_end = clauses[index]
    if folded.startswith("并", c_start):  # 贾庆林向老同志恭贺新春，并通报了…: the one who greeted
        return carried or _clause_subjects(folded, clauses[index - 1], names) if index else carried
    if (receives or any(trigger.end() <= e.start < c_end for e in sentence_events)) and _topic_goes_on(clauses, index, names):
        return _opening_names(folded, clauses[index - 1], names)
    return []


def _subjects_over_topics(folded: str, clauses, index: int, names: list[Mention]) -> list[Mention]:
    """于现伟、郑婷婷…6名县政协委员，分别围绕…作交流发言; 王波、何扬等委员围绕“…”主题，结合…，就…积极发言:
    back over the clauses that tell what about ([topic] of event_verbs.txt), the names the clause
    they follow opens with."""
    topic = _topic_pattern()
    first = index
    while first > 0 and topic.match(folded, clauses[first][0]):
        first -= 1
    if first == index or any(clauses[first][1] < m.start < clauses[index][0] for m in names):
        return []
    return [m for m in _opening_names(folded, clauses[first], names) if m.type == PERSON]


@cache
def _topic_pattern() -> re.Pattern:
    return re.compile(rf"(?:分别|并|还|均|都)?(?:{lexicon.alternation_of('event_verbs.txt', 'topic')})")


def _clause_subjects(folded: str, clause: tuple[int, int], names: list[Mention]) -> list[Mention]:
    """The persons a clause names before its first preposition (市长贾庆林向老同志…): its subjects."""
    c_start, c_end = clause
    cue = re.compile(r"[向对为给同与跟在从]").search(folded, c_start, c_end)
    end = cue.start() if cue else c_end
    return [m for m in names if m.type == PERSON and c_start <= m.start and m.end <= end]


def _topic_goes_on(clauses, index: int, names: list[Mention]) -> bool:
    """江泽民等…走上舞台，亲切会见了…: a clause naming no one goes on with the one before, when
    that one opens with its subject."""
    c_start, c_end = clauses[index]
    if index == 0 or any(c_start <= m.start < c_end for m in names):
        return False
    p_start = clauses[index - 1][0]
    return any(m.start == p_start and m.type == PERSON for m in names)


def _opening_names(folded: str, clause: tuple[int, int], names: list[Mention]) -> list[Mention]:
    """The names a clause opens with: 江泽民、李鹏等… -> 江泽民, 李鹏."""
    out = [m for m in names if m.start == clause[0]][:1]
    for m in sorted(names, key=lambda m: m.start):
        if out and m.start > out[-1].end and m.end <= clause[1] and re.fullmatch(rf"[、{CONJUNCTIONS}]", folded[out[-1].end : m.start]):
            out.append(m)
    return out


def _attended(text: str, trigger_start: int, trigger_end: int) -> bool:
    """周子玉等参加了会见, 尚慕杰等会见时在座: 会见 names the reception attended, not one held."""
    return re.search(r"(?:参加|出席|列席)了?(?:这次|此次)?$", text[max(0, trigger_start - 6) : trigger_start]) is not None or text.startswith("时在座", trigger_end)


def _says_meanwhile(text: str, start: int, end: int) -> bool:
    """会见…时指出/强调: what the host said during the reception."""
    verbs = lexicon.alternation_of("event_verbs.txt", "speech")
    return re.match(rf"[^。;]*?时,?(?:{verbs})", text[start:end]) is not None  # folded text


_DELEGATION_AFTER = re.compile(rf"[^，。,;；、]{{1,12}}?(?:一行|{lexicon.alternation(DELEGATION_WORDS)})")


def _reception(doc: Extraction, sentence, trigger: re.Match, hosts: list[Mention], guests: list[Mention], c_end: int) -> Mention:
    """A meeting of guests (李鹏会见王刚) is an event of its own, named as the text says who met
    whom: 景俊海会见李雁冰, 梁惠玲会见俄罗斯萨哈共和国政府主席塔拉先科一行 (李鹏会见 when the guests
    are not named, 薛侃、徐建华会见参事一行 when a group is, hosts printed with posts by their names).
    Those who 一同会见 join the reception told before. (Names of the guests alone,
    张成中会见张立波一行, scored lower on the dev split.)"""
    earlier = [m for m in doc.mentions if m.subtype == "reception" and m.source == EXTRACTOR and m.start < trigger.start()]
    if earlier and not guests and re.search(r"(?:一同|一起|同时|也)$", doc.article.text[max(0, trigger.start() - 2) : trigger.start()]):
        return earlier[-1]
    text = doc.article.text
    first = hosts[0]
    listed = [h for h in hosts if h.start >= first.start and h.end <= trigger.start()]
    span = text[first.start : listed[-1].end] if listed else ""
    who = span if re.fullmatch(r"[^，。,;；]{0,20}", span) else "、".join(h.label for h in listed) if span and len(span) <= 40 else first.label
    after = trigger.end() + (text[trigger.end() : trigger.end() + 1] == "了")
    led = _guests_led_by().match(text, after, c_end)  # 会见由…副关长赖敏华率领的…高级班一行: the party, not its leader
    after = led.end() if led else after
    end = min([c_end, after + 30] + [i for i in (text.find("时", after, c_end),) if i >= 0])
    group = _DELEGATION_AFTER.match(text, after, end)  # 会见参事一行, 会见了调研组一行
    whom = text[after:end] if led or guests and after <= guests[0].start < end else guests[0].label if guests else group[0] if group else ""
    name = f"{who}{trigger['trigger']}{whom}"
    event = Mention(trigger["trigger"], EVENT, trigger.start(), trigger.end(), "reception", key=name, source=EXTRACTOR)
    doc.mentions.append(event)
    describe_event(doc, event, sentence, EXTRACTOR)
    return event


_GROUP_OF_BODIES = re.compile(r"(?:[、和及与 ]|各[^、，,]{0,3})*(?:主要)?(?:负责同志|负责人|领导)")


# what a piece of a subject list holds besides names and posts: joiners, 中共 before a body, the
# group its officials open with (区领导郑荣文、…) and whom names closed by 等 stand for (等…成员)
@cache
def _closing_group() -> re.Pattern:
    """等, with whom it stands for (等区工管委领导班子成员, 等嘉宾: non_participant_cues.txt [closing])."""
    return re.compile(rf"等(?:[^、和及与]{{0,12}}(?:{lexicon.alternation_of('non_participant_cues.txt', 'closing')}))?$")


@cache
def _not_names_of_a_list() -> re.Pattern:
    return re.compile(rf"[、和及与同兼 ]|中共|^[省市区县镇乡旗州]?领导|{_closing_group().pattern}")


@cache
def _name_after_a_post_word() -> re.Pattern:
    """A piece of a list that ends in a post word and two or three characters: a name the tagger
    may have missed (市政府秘书长招展)."""
    return re.compile(rf"(?:{_post_word().pattern})(?P<name>[\u4e00-\u9fff]{{2,3}})$")


def _only_names(text: str, start: int, end: int, names: list[Mention]) -> bool:
    """Whether a clause is nothing but names and posts (one piece of a subject list), or names
    closed by a count (等９位专家)."""
    rest = list(text[start:end])
    for m in names:
        if start <= m.start and m.end <= end:
            suffix = _name_suffix(text, m, end) if m.type == PERSON else 0  # 迟浩田上将
            rest[m.start - start : m.end + suffix - start] = [""] * (m.end + suffix - m.start)
    persons = any(m.type == PERSON and start <= m.start < end for m in names)
    missed = _name_after_a_post_word().search(text, start, end)
    if missed and not any(m.start < end and m.end > missed.start("name") for m in names):
        rest[missed.start("name") - start :] = [""] * (end - missed.start("name"))
        persons = True  # 市政府秘书长招展: a name the tagger missed, after a post word to the piece's end
    if persons and re.search(r"等[\d０-９一二三四五六七八九十百多余]+[位名][\u4e00-\u9fff]{0,3}$", text[start:end]):
        return True  # 著名经济学家于光远…等２０位嘉宾: a counted list of persons
    if re.match(r"以及|及", text[start:end]) and end - start <= 16 and not _trigger_pattern().search(text, start, end):
        return True  # …范振修，以及多位蓝绿立委、议员，…到场: the list goes on with a group
    if _described_names(text, start, end, names) and not _trigger_pattern().search(text, start, end):
        return True  # 美国驻华大使尚慕杰，前总统国家安全事务助理斯考克罗夫特，…: described names
    bodies = any(m.type == ORGANIZATION and start <= m.start < end for m in names)
    if bodies and not persons and end - start <= 40 and _GROUP_OF_BODIES.fullmatch("".join(rest)) and not _trigger_pattern().search(text, start, end):
        return True  # 区人大常委会各室委、区人民政府办公室负责同志，…列席会议: the list goes on over a group
    # 郑荣文、郭庆生、李新华等区工管委领导班子成员: names closed by 等 and whom they stand for;
    # 中共南宁市委常委、统战部部长容康社: post words the tagger left outside a post
    left = _post_word().sub("", "".join(rest))
    return persons and not _not_names_of_a_list().sub("", left)


def _described_names(text: str, start: int, end: int, names: list[Mention]) -> bool:
    """Whether each 、-item of a clause is a name after its description, however the tagger read the
    description (市推进粤港澳大湾区建设领导小组办公室常务副主任曹洪彬: 推进 left outside the post)."""
    ends = {m.end + _name_suffix(text, m, end) for m in names if m.type == PERSON and start <= m.start < end}
    closing = _closing_group().search(text[start:end])
    end = start + closing.start() if closing else end
    items = [(i.start() + start, i.end() + start) for i in re.finditer(r"[^、]+", text[start:end])]
    if items and items[-1][1] in ends and end - start <= 30:
        return True  # one name, described by posts in a 、-list (中共中央政治局常委、中央办公厅主任蔡奇)
    return len(items) > 1 and all(e in ends and e - s <= 30 for s, e in items)


def _only_told(folded: str, c_start: int, trigger: re.Match) -> bool:
    """刘禄进介绍，…, 介绍称: what someone told, no speech; 听取王刚介绍: those before the word listened
    (event_verbs.txt [told])."""
    heard = lexicon.alternation_of("event_verbs.txt", "heard")
    return folded[trigger.end() : trigger.end() + 1] in _TOLD_BY or re.search(heard, folded[c_start : trigger.start()]) is not None


def _objects_end(doc: Extraction, clauses, index: int, names: list[Mention]) -> int:
    """Where the objects of the clause's trigger end: the list runs on over clauses of names
    (会见了…常务副会长高锦乐、林易陞，副会长卢明汉和…周枝田等嘉宾), as a subject list runs back; not
    over the names a clause of a trigger after them runs back to (会见了王刚，市长李四，副市长赵五参加会见)."""
    text, last = doc.article.text, index
    while last + 1 < len(clauses) and _only_names(text, *clauses[last + 1], names):
        last += 1
    if last > index and last + 1 < len(clauses) and _trigger_pattern().search(text, *clauses[last + 1]):
        return clauses[index][1]
    return clauses[last][1]


def _name_suffix(text: str, name: Mention, end: int) -> int:
    """The length of a rank or form of address right after a name (迟浩田上将), else 0."""
    m = _suffix_pattern().match(text, name.end, end)
    return m.end() - m.start() if m else 0


@cache
def _suffix_pattern() -> re.Pattern:
    return re.compile(lexicon.alternation(lexicon.words("name_suffixes.txt")))


def _act_attended(doc: Extraction, folded: str, pos: int) -> str | None:
    """参加调研, 陪同视察, 随团考察, 参加昌平区调研: the act (acts.tsv) right after an attendance word,
    or after the place it names, else None."""
    m = _attended_act_pattern().match(folded, pos)
    place = next((p for p in doc.mentions if p.type == PLACE and p.start == pos), None) if m is None else None
    m = _attended_act_pattern().match(folded, place.end) if place is not None else m
    return m["act"] if m else None


@cache
def _attended_act_pattern() -> re.Pattern:
    return re.compile(rf"(?:了|过)?(?:这次|此次|本次)?(?P<act>{lexicon.alternation(lexicon.table('acts.tsv'))})")


def _event_for(doc: Extraction, sentence_events: list[Mention], folded: str, start: int, after: int) -> Mention | None:
    """The named event that follows the trigger in the sentence (参加了这次会见, 会见时在座: the last
    reception; 参加调研: the visit told last), else the article's event."""
    sentence_start = next((s.start for s in doc.sentences if s.start <= start < s.end), start)
    # 在讲话中指出，…学习贯彻…会议精神: an event named in what is said is not where it is said
    named = [e for e in sentence_events if e.start >= after and not e.attrs.get("reference") and not _inside_speech(folded, sentence_start, e.start)]
    act = _act_attended(doc, folded, after)
    if named and not (act and named[0].start - after <= 2):  # 参加考察活动: the visit, not an activity of its own
        return named[0]
    topic = [e for e in sentence_events if folded[sentence_start : e.start].strip() == "" and folded.startswith(("上", "期间"), e.end) and e.end <= start]
    if topic:  # 座谈会上，…分别发言: the event the sentence opens with (a 座谈 told before, or the article's)
        return topic[0]
    if act:  # the article's event if it is such an act (a visit), else the last such act told
        kind = lexicon.table("acts.tsv")[act][0]
        main = doc.main_event
        if main is not None and main.subtype == kind:
            return main
        # 参加调研: the last visit told; 参加签约: the last ceremony (签约仪式) named
        told = [m for m in doc.mentions if m.type == EVENT and m.subtype == kind and m.start < start and not m.attrs.get("reference")]
        if told or kind != "visit":
            return told[-1] if told else named[0] if named else None
    receptions = [m for m in doc.mentions if m.subtype == "reception" and m.source == EXTRACTOR and m.start < after]
    object_triggers = [w for w, roles in lexicon.table("triggers.tsv").items() if len(roles) > 1]
    during = re.search(rf"(?:{lexicon.alternation(object_triggers)})时$", folded[max(0, start - 4) : start])
    if receptions and (during or re.match(rf"了?(?:这次|此次)?(?:{lexicon.alternation(object_triggers)})", folded[after : after + 8])):
        return receptions[-1]
    # 李家超会见黄循财，邓炳强等陪同: with no event of the article's own, the reception told before
    return _event_in_paragraph(doc, start) or (receptions[-1] if receptions else None)


def _event_in_paragraph(doc: Extraction, pos: int) -> Mention | None:
    """The event 会议, 到会, 在会上 point at: the last named event said to be held earlier in the same
    paragraph (a chronicle: １９９３年６月 国务院召开全国…工作会议。…朱镕基副总理到会作了重要讲话),
    else the article's event."""
    text = doc.article.text
    paragraph = text.rfind("\n", 0, pos) + 1
    held = re.compile(lexicon.alternation_of("event_verbs.txt", "held"))
    folded = fold_width(text)
    for e in sorted((m for m in doc.mentions if m.type == EVENT and paragraph <= m.start < pos and not m.attrs.get("reference") and m.source != EXTRACTOR), key=lambda m: -m.start):
        if is_background(folded, e) or is_planned(folded, e):
            continue  # 召开常委会会议，传达学习中央政治局会议…: the meeting held, not the one studied
        sentence = next((s for s in doc.sentences if s.start <= e.start < s.end), None)
        if sentence is not None and sentence.end <= pos and held.search(sentence.text):
            e = _held_in(doc, folded, sentence, held) or e  # 召开…专题会议，研究…庆祝活动有关事宜: what was held
            main = doc.main_event
            same = main is not None and (e.attrs.get("refers_to_main") or event_head(e.key) == event_head(main.key) and (is_subsequence(e.key, main.key) or is_subsequence(main.key, e.key)))
            return main if same else e  # 老干部团拜会 in the body is the 老干部迎春团拜会 of the title
    return doc.main_event


def _held_in(doc: Extraction, folded: str, sentence, held: re.Pattern) -> Mention | None:
    """The event a sentence says was held: the first named right after one of its [held] words
    (召开, 举行…), not one its topic or its guests are described by (邀请“重游西藏”活动的…代表), nor one
    still to come or only studied."""
    named = [m for m in doc.mentions if m.type == EVENT and sentence.start <= m.start < sentence.end and not m.attrs.get("reference") and m.source != EXTRACTOR
             and not is_background(folded, m) and not is_planned(folded, m)]
    for verb in held.finditer(folded, sentence.start, sentence.end):
        after = [m for m in named if 0 <= m.start - verb.end() <= 2]
        if after:
            return after[0]
    return None


def _frames(doc: Extraction, folded: str, candidates, posts, events, bounds):
    """Participants read from a frame around the clause rather than a single trigger word:
    lists after a colon, hosts of a held event, speakers 在…上."""
    s_start, c_start, c_end, sentence_end = bounds

    def subjects(start: int, end: int) -> list[Mention]:
        return [c for c in candidates if start <= c.start and c.end <= end and _is_subject(doc, c, start, folded, posts)]

    frames = (
        ("listed_after_colon.v1", _listed_after_colon(doc, folded, events, c_start, c_end, sentence_end, subjects)),
        ("host_of_held_event.v1", _hosts(doc, folded, events, s_start, c_start, c_end, subjects)),
        ("speaker_at_event.v1", _speakers_at(doc, folded, events, s_start, c_start, c_end, sentence_end, subjects)),
        ("quoted_speaker.v1", _quoted_speakers(doc, folded, events, c_start, c_end, subjects)),
        ("report_made.v1", _reports_made(doc, folded, events, s_start, c_start, c_end, subjects)),
        ("speaker_heard.v1", _heard_speakers(doc, folded, events, c_start, c_end, subjects)),
        ("guest_talked_with.v1", _talked_with(doc, folded, events, s_start, c_start, c_end, subjects)),
        ("honoured.v1", _honoured(doc, folded, events, c_start, c_end, subjects)),
    )
    for rule, found in frames:
        for who, event, role, cue in found:
            yield who, event, role, cue, rule


def _honoured(doc, folded, events, c_start, c_end, subjects):
    """市委、市政府在这里召开表彰大会，授予李为昌、程宝群…光荣称号: those honoured in the sentence
    that holds the ceremony receive the honour there (attendees)."""
    held = re.compile(lexicon.alternation_of("event_verbs.txt", "held"))
    conferred = lexicon.alternation_of("event_verbs.txt", "conferred")
    m = re.compile(rf"(?:{conferred})(?P<who>[^,。;:]{{2,60}})").match(folded, c_start, c_end)
    sentence = next(s for s in doc.sentences if s.start <= c_start < s.end)
    event = next((e for e in reversed(events) if e.end <= c_start and held.search(folded, sentence.start, c_start)), None) if m else None
    for who in subjects(m.start("who"), m.end("who")) if event is not None else []:
        if who.type == PERSON:
            yield who, event, "attendee", "授予"


def _talked_with(doc, folded, events, s_start, c_start, c_end, subjects):
    """于永波会见…代表时强调。于永波在同…的代表张三、李四座谈时称赞…: those a host talks with
    are the guests of the reception he hosted (talking with people and no reception: no event)."""
    talk = lexicon.alternation_of("event_verbs.txt", "talk")
    for m in re.compile(rf"[同与跟](?P<with>[^,。;:]{{2,200}}?)(?:{talk})时").finditer(folded, c_start, c_end):
        reception = _hosted_reception(doc, [who for who in subjects(s_start, m.start()) if who.type == PERSON])
        if reception is None:
            continue
        start = max([m.start("with")] + [e.end for e in events if m.start("with") <= e.start and e.end <= m.end("with")])
        for who in subjects(start, m.end("with")):
            if who.type == PERSON:
                yield who, reception, "guest", "座谈"


def _heard_speakers(doc, folded, events, c_start, c_end, subjects):
    """与会代表还听取了唐树备关于…的报告, 聆听了李素丽同志的感人事迹: the person heard spoke."""
    verbs = lexicon.alternation_of("event_verbs.txt", "heard")
    for m in re.compile(rf"(?:{verbs})了?(?P<what>[^,。;:]{{2,60}}?)的[^,。;:的]{{0,8}}(?:报告|讲话|事迹|发言|介绍|汇报|说明)").finditer(folded, c_start, c_end):
        heard = [who for who in subjects(m.start("what"), m.end("what")) if who.type == PERSON]
        event = _event_for(doc, events, folded, m.start(), m.end()) if heard else None
        if event is not None:
            yield heard[-1], event, "speaker", m.group()[:2]


_LISTED = re.compile(r"[^的,。;:]{0,20}?的?[^的,。;:]{0,8}?还?(?:有|包括)")  # (出席)会议的还有, (出席)活动嘉宾包括


def _listed_after_colon(doc, folded, events, c_start, c_end, sentence_end, subjects):
    """出席茶话会的领导同志还有：丁关根、田纪云…, 出席会面的还包括梁文昌、黄文忠…, 出席活动嘉宾包括，…: everyone listed
    after 有/包括 (and a colon, if any) to the end of the sentence has the trigger's role."""
    roles = lexicon.table("triggers.tsv")
    for m in _trigger_pattern().finditer(folded, c_start, c_end):
        listed = _LISTED.match(folded, m.end(), c_end)
        if len(roles[m["trigger"]]) == 1 and listed and (listed.end() < c_end or folded[c_end : c_end + 1] in ":,"):
            event = _event_for(doc, events, folded, m.start(), m.end())
            if event is not None:
                for who in subjects(listed.end() if listed.end() < c_end else c_end + 1, sentence_end):
                    if who.type == PERSON:  # …的还有薛占海、薛海涛，市委、市政府…负责同志: the bodies stand for their people
                        yield who, event, roles[m["trigger"]][0], m["trigger"]
            return


@cache
def _held_pattern() -> re.Pattern:
    verbs = lexicon.sections("event_verbs.txt")
    return re.compile(rf"(?<![在持])(?:联合|共同)?(?:(?P<verb>{lexicon.alternation(verbs['host'])})|(?P<meeting_verb>{lexicon.alternation(verbs['host_of_meeting'])}))了?")


def _hosts(doc, folded, events, s_start, c_start, c_end, subjects):
    """国家教委在清华大学召开纪念会, 中宣部召开的座谈会: the subject of a verb that holds the
    event right after it is the host (主持召开 is chairing, handled by its trigger; 在召开…的报告上
    names no host)."""
    for m in _held_pattern().finditer(folded, c_start, c_end):
        event = next((e for e in events if m.end() <= e.start <= m.end() + 10 and e.end <= c_end and not _CLAUSE_END.search(folded, m.end(), e.start)), None)
        told_before = event is None and folded[m.end() : c_end] in ("", "的")
        if told_before:
            # 这次纺织工业工作会议，由国务院批准，国家经贸委和纺织总会联合召开, 研讨会是由中国科协举办的
            event = next((e for e in reversed(events) if e.end <= m.start()), None)
        if event is None or m["meeting_verb"] and event.subtype == "activity" or is_planned(folded, event):
            continue
        if folded.startswith("的", m.end()):  # a relative clause: only the names right before the verb
            cue = max(folded.rfind(w, c_start, m.start()) for w in ("在", "由", "参加", "出席", "应邀"))
            start, end = max(c_start, cue + 1), m.start()
        else:  # 国家教委在清华大学召开: the host is named before 在
            start, end = s_start, next((i for i in range(c_start, m.start()) if _at_venue(folded, i)), m.start())
        if re.search(r"等[\d０-９一二三四五六七八九十几多]+个", folded[start:end]):
            continue  # 民政部、人事部等二十几个部门召开机关干部大会: each held its own, no one event
        if told_before:  # 全国…会议今天在京召开: not the names inside the event's own name
            start = max(start, event.end)
        clause_before = max(folded.rfind(p, 0, c_start - 1) for p in ",。;") + 1
        hosts = subjects(start, end) or [c for c in subjects(clause_before, c_start) if c.end == c_start - 1 and c.type == ORGANIZATION and not told_before]
        opening = max(folded.rfind(p, 0, c_start) for p in "。;!?\n") + 1
        if not hosts and not told_before and c_start > opening and _unsaid_subject().fullmatch(folded, c_start, m.start()):
            # 台中市政府经济发展局不仅成立…，今(16)日更举办…招商大会: the body the sentence opens with
            hosts = [c for c in subjects(opening, c_start) if c.type == ORGANIZATION and c.start == opening][:1]
        for who in hosts:  # …创办的香港桑麻基金会，日前召开了颁奖会: the organisation closing the clause before
            if who.type != PLACE:
                yield who, event, "host", m["verb"] or m["meeting_verb"]
        if not told_before and not folded.startswith("的", m.end()):
            # 盐城经济技术开发区举行…开工活动, 鞍山市召开全市领导干部大会: the county, city or zone that
            # holds it, as the subject of the sentence (not 在大邑县…举行, a place where)
            places = [p for p in doc.mentions if p.type == PLACE and p.subtype != "venue" and s_start <= p.start and p.end <= end]
            holding = [p for p in places if _host_place_gap().fullmatch(folded, p.end, end) and not any(h.end > p.end for h in hosts)]
            # 連江縣東引鄉與苗栗縣三義鄉今天舉行: the places joined to a host hold it too
            while joined := [p for p in places if p not in holding and folded[p.end : p.end + 1] in _PLACES_JOINED_BY
                             and any(_printed_from(h, places) == p.end + 1 for h in holding)]:
                holding += joined
            for place in holding:
                if folded.endswith(_MOTION_WORDS, 0, place.start):
                    continue  # 赴香港举办: where one goes to hold it
                yield place, event, "host", m["verb"] or m["meeting_verb"]


_PLACES_JOINED_BY = ("与", "和", "、")  # 連江縣東引鄉與苗栗縣三義鄉


def _printed_from(place: Mention, places: list[Mention]) -> int:
    """Where a place is printed from, with the areas printed right before it (苗栗縣|三義鄉)."""
    ends = {p.end: p for p in places}
    while place.start in ends:
        place = ends[place.start]
    return place.start


def _speakers_at(doc, folded, events, s_start, c_start, c_end, sentence_end, subjects):
    """李铁映在颁证会上称赞…, 刘云山在会上说, 在今天结束的训练工作会议上，徐寅生强调…, 袁伟民在
    训练工作会议的讲话中谈到: what is said at the event makes a speaker; 在群英会上，刘澜涛和戎冠秀
    等合影, 邓小平、刘澜涛在全国政协五届五次会议主席台上: who is shown there attended. The
    participant is named before 在, or else in the clause right after 上."""
    verbs = lexicon.sections("event_verbs.txt")
    # the gap may hold a title with commas of its own (作了题为《市长负责，…》的讲话) and, for a photo
    # caption, the people shown with where they stand (刘澜涛同志（前左一）和…戎冠秀（中）…等合影)
    speech = rf"(?:上|的讲话中)(?P<gap>,?(?:《[^《》]{{0,40}}》|[^,。;:《]){{0,30}}?)(?:{lexicon.alternation(verbs['speech'])})"
    presence = rf"(?:主席台上(?P<gap>)|上(?P<gap_>,?[^,。;:]{{0,60}}?)(?:{lexicon.alternation(verbs['presence'])}))"
    for tail, role in ((speech, "speaker"), (presence, "attendee")):
        for m in re.compile(rf"在(?P<at>[^在,。;]{{1,40}}?){tail}").finditer(folded, c_start, sentence_end):  # folded text
            if m.start() >= c_end:
                break
            at = [e for e in events if m.start("at") <= e.start and e.end <= m.end("at")]
            event = at[-1] if at else _event_in_paragraph(doc, m.start()) if m["at"] in ("会", "会议", "大会") else None
            gap = "gap" if m["gap"] is not None else "gap_"
            if event is not None:
                for who in subjects(s_start, m.start()) or subjects(m.start(gap), m.end(gap)):
                    yield who, event, role, "在…上"


def _quoted_speakers(doc, folded, events, c_start, c_end, subjects):
    """国家统计局局长刘洪说，… in the report of a meeting or a reception: the named persons right before a verb
    of saying, in a sentence about no other event, spoke at the article's meeting. Not when they
    took part in another event of the article (会见…时指出, then 他指出) or only sent a message
    (致信大会 … 吴邦国指出), nor when they talk to a reporter (拉着记者的手说)."""
    main = _quoted_event(doc)
    if main is None:
        return
    visit = main if main.subtype == "visit" else None
    verbs = lexicon.alternation_of("event_verbs.txt", "speech")
    m = re.compile(rf"(?:{verbs})$").search(folded, c_start, c_end)
    if not (m and folded[c_end : c_end + 1] in ",:"):  # 会议在北京召开，局长刘洪要求…, 贝克特表示她同意…
        m = re.compile(verbs).search(folded, c_start, c_end)
        opens = m is not None and any(who.start == c_start and who.type == PERSON for who in subjects(c_start, m.start()))
        m = m if opens or _announces(doc, main, c_start) else None
    if m is None or any(not e.attrs.get("refers_to_main", e is doc.main_event) for e in events if e.start < m.start()):
        return  # what is said may name other events (贯彻…会议精神), where it is said may not
    sentence = next(s for s in doc.sentences if s.start <= c_start < s.end)
    start = max([sentence.start] + [e for s, e in doc.credit_spans if s <= sentence.start < e or sentence.start <= s < c_start])
    if any(cue in folded[start : sentence.end] for cue in lexicon.sections("non_participant_cues.txt")["interview"]):
        return  # 在回答记者…的问题时，李纪周介绍: an interview, not a speech at the meeting (the byline is no interview)
    said = [who for who in subjects(c_start, m.start()) if who.type == PERSON]
    if not said or not _SAID_GAP.fullmatch(folded[said[-1].end : m.start()]):
        return
    meeting = _meeting_on_visit(doc, c_start) if visit is not None else None
    main = meeting or main
    chain = [said[-1]]  # 于晋峰、瞿正祥、王振武激动地说: the names listed right before the verb
    for who in reversed(said[:-1]):
        if not re.fullmatch(rf"[、{CONJUNCTIONS}]", folded[who.end : chain[-1].start]):
            break
        chain.append(who)
    elsewhere = {f.subject.label for f in doc.facts if f.kind == "participation" and f.object.key not in (main.key, visit and visit.key)}
    for who in chain:  # 李鹏接见海关关长会议代表时强调…。李鹏说: the host speaks at his reception
        reception = _hosted_reception(doc, [who]) if main.source != EXTRACTOR else None
        if reception is not None:
            yield who, reception, "speaker", "说"
    chain = [who for who in chain if main.source == EXTRACTOR or _hosted_reception(doc, [who]) is None]
    # on a visit, what the visitors say (赵中三指出): not what their hosts tell them, unless at a meeting
    # the visit holds, where both sides speak (座谈会上，…邹如龙表示)
    visiting = {f.subject.label for f in doc.facts if f.kind == "participation" and f.object.key == visit.key} if visit is not None and meeting is None else None
    for who in chain:
        if who.label not in elsewhere and who.label not in _message_senders(doc) and (visiting is None or who.label in visiting):
            yield who, main, "speaker", "说"


def _inside_speech(folded: str, start: int, pos: int) -> bool:
    """Whether ``pos`` lies in words someone's speech reports without quotation marks, earlier
    in the sentence (编剧稽道青说，江总书记在讲话中指出…): hearsay. Quoted testimony is kept
    (他说：“曼德拉总统会见我时说…”): the speaker was there."""
    said = None
    for said in _speech_opening().finditer(folded, start, pos):
        pass
    return said is not None and not re.search("[“”]", folded[said.end() : pos + 1])  # the clause may open the quote


@cache
def _speech_opening() -> re.Pattern:
    verbs = lexicon.sections("event_verbs.txt")
    reporting = [verb for verb in verbs["speech"] if verb not in verbs["speech_given"]]  # 并讲话，…: a speech given, not its words
    return re.compile(rf"(?:{lexicon.alternation(reporting)})[,:]")


def _announces(doc, event: Mention, pos: int) -> bool:
    """Whether the sentence at ``pos`` says the event was held (全国统计工作会议…在北京召开，…)."""
    held = re.compile(lexicon.alternation_of("event_verbs.txt", "held"))
    sentence = next(s for s in doc.sentences if s.start <= pos < s.end)
    named = any(m.type == EVENT and m.key == event.key and sentence.start <= m.start < pos for m in doc.mentions)
    return named and held.search(sentence.text) is not None


def _reports_made(doc, folded, events, s_start, c_start, c_end, subjects):
    """周子玉代表领导小组对全国双拥工作作了部署, 多吉才让作了１９９７年双拥工作总结, 郭娅作制造业推介:
    a report made to the meeting ([report] of event_verbs.txt) makes a speaker; the body one speaks
    for (代表…) is no subject."""
    reports = lexicon.alternation_of("event_verbs.txt", "report")
    m = re.compile(rf"(?:[作做]|进行)了?[^,。;:的]{{0,20}}?(?:{reports})(?:情况)?$").search(folded, c_start, c_end)
    event = _event_for(doc, events, folded, m.start(), m.end()) if m else None
    if event is not None:
        cue = re.compile("代表|对|就|向|在").search(folded, s_start, m.start())
        for who in subjects(s_start, cue.start() if cue else m.start()):
            yield who, event, "speaker", m.group()[:2]


def _quoted_event(doc) -> Mention | None:
    """The event quotes belong to: the article's meeting or ceremony (…首迎式在这里举行。罗干说), else the
    reception it reports (佩里说)."""
    main = doc.main_event
    if main is not None:
        return main if main.subtype in ("meeting", "forum", "ceremony", "visit") else None
    receptions = [m for m in doc.mentions if m.subtype == "reception" and m.source == EXTRACTOR]
    return receptions[-1] if receptions else None


def _meeting_on_visit(doc, pos: int) -> Mention | None:
    """The meeting a visit held before ``pos`` (调研…，并召开座谈会。…令狐绍辉指出), the visit not gone
    on since (随后，徐华明到某企业考察): what is said after it is said there."""
    held = [m for m in doc.mentions if m.attrs.get("held_on_visit") and m.start < pos]
    if not held or any(m.source == ACTS and m.subtype == "visit" and held[-1].start < m.start < pos for m in doc.mentions):
        return None
    return held[-1]


def _hosted_reception(doc, people: list[Mention]) -> Mention | None:
    """The reception (李鹏接见…) these people hosted in this article, when they hosted one: what
    they then say in an article about a meeting of its guests they say at the reception."""
    hosted = [f.object for f in doc.facts if f.kind == "participation" and f.role == "host" and f.object.subtype == "reception" and f.object.source == EXTRACTOR]
    own = [e for e in hosted if people and all(any(f.subject.label == who.label and f.object is e and f.role == "host" for f in doc.facts if f.kind == "participation") for who in people)]
    return own[0] if own else None


def _message_senders(doc) -> set[str]:
    """Persons named in a sentence about a letter, an inscription or an instruction they sent."""
    words = lexicon.sections("non_participant_cues.txt")["message"]
    sentences = [s for s in doc.sentences if any(w in s.text for w in words)]
    return {m.label for m in doc.mentions if m.type == PERSON and any(s.start <= m.start < s.end for s in sentences)}
