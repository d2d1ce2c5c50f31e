"""Who took part in which event, in which role: attendee, speaker, chair, host, guest.

Read clause by clause: the persons and organisations before a trigger word (出席, 参加,
作交流发言, 主持, …) took part in the event the clause names, or else in the article's event.
Only the subject counts: people merely mentioned (贯彻落实习近平总书记…讲话精神), credits and
the organisation in a post (市委 in 市委副书记) are no participants.
"""

from __future__ import annotations

import re
from functools import cache

from kg import lexicon
from kg.extract import component
from kg.extract.events import describe_event
from kg.model import EVENT, ORGANIZATION, PERSON, PLACE, POST, Evidence, Extraction, Fact, Mention
from kg.text import fold_width

EXTRACTOR = "participation.v1"
_CLAUSE_END = re.compile(r"[，。；！？,;!?：:]")
_PARTICIPANT_TYPES = (PERSON, ORGANIZATION, PLACE)
# a place takes part only as a subject in a list (金华市、杭州市钱塘区…作交流发言), not after 在/于
_SUBJECT_FOLLOWERS = "、和及与同作等"


@cache
def _trigger_pattern() -> re.Pattern:
    cues = lexicon.sections("non_participant_cues.txt")
    return re.compile(rf"(?<![的重要])(?P<trigger>{lexicon.alternation(lexicon.table('triggers.tsv'))})(?!{lexicon.alternation(cues['after'])})")


def _clauses(text: str, start: int, end: int):
    pos = start
    for m in _CLAUSE_END.finditer(text, start, end):
        yield pos, m.start()
        pos = m.end()
    if pos < end:
        yield pos, end


def _is_subject(doc: Extraction, mention: Mention, clause_start: int, folded: str, posts: list[Mention]) -> bool:
    if mention.attrs.get("credit") or any(p.start <= mention.start and mention.end <= p.end for p in posts):
        return False
    before = folded[clause_start : mention.start]
    if any(cue in before for cue in lexicon.sections("non_participant_cues.txt")["before"]):
        return False
    if mention.type == PLACE:
        if mention.subtype == "venue" or folded[mention.start - 1 : mention.start] in ("在", "于", "从", "到"):
            return False
        return folded[mention.end : mention.end + 1] in _SUBJECT_FOLLOWERS
    return True


@component("participation.v1")
def participation(doc: Extraction) -> None:
    folded = fold_width(doc.article.text)
    roles = lexicon.table("triggers.tsv")
    posts = [m for m in doc.mentions if m.type == POST]
    candidates = [m for m in doc.mentions if m.type in _PARTICIPANT_TYPES]
    events = [m for m in doc.mentions if m.type == EVENT]
    venues = [m for m in doc.mentions if m.type == PLACE and m.attrs.get("sub_venue")]
    seen = set()

    def add(who: Mention, event: Mention, role: str, evidence: Evidence, attrs: dict) -> None:
        if (who.label, event.label, role) not in seen:
            seen.add((who.label, event.label, role))
            doc.facts.append(Fact("participation", who, event, evidence, role=role, attrs=attrs))

    for sentence in doc.sentences:
        evidence = Evidence(doc.article.id, sentence.text, sentence.start, sentence.end, EXTRACTOR)
        sentence_events = [e for e in events if sentence.start <= e.start < sentence.end]
        clauses = list(_clauses(folded, sentence.start, sentence.end))
        for index, (c_start, c_end) in enumerate(clauses):
            # 市委书记胡勇春，市委副书记、市长郑云涛出席…: the subject list runs back over commas
            first = index
            while first > 0 and _only_names(doc.article.text, *clauses[first - 1], candidates + posts):
                first -= 1
            s_start = clauses[first][0]
            for m in _trigger_pattern().finditer(folded, c_start, c_end):
                role, *object_role = roles[m["trigger"]]
                subjects = [c for c in candidates if s_start <= c.start and c.end <= m.start() and _is_subject(doc, c, s_start, folded, posts)]
                objects = [c for c in candidates if m.end() <= c.start and c.end <= c_end and _is_subject(doc, c, m.end(), folded, posts)] if object_role else []
                if object_role and not (subjects and objects):
                    continue  # 参加会见: a noun here, the reception itself is named elsewhere
                event = _reception(doc, sentence, m, subjects[0], objects[0]) if object_role else _event_for(doc, sentence_events, folded, m.end())
                if event is None:
                    continue
                venue = next((v for v in venues if c_start <= v.start < c_end), None)
                attrs = {"trigger": m["trigger"]} | ({"venue": venue} if venue is not None else {})
                for subject in subjects:
                    add(subject, event, role, evidence, attrs)
                for guest in objects:
                    add(guest, event, object_role[0], evidence, attrs)
                if venue is not None and subjects:
                    doc.facts.append(Fact("event_subvenue", event, venue, evidence))


def _reception(doc: Extraction, sentence, trigger: re.Match, host: Mention, guest: Mention) -> Mention:
    """A meeting of guests (李鹏会见王刚) is an event of its own, named by who met whom."""
    name = f"{host.label}{trigger['trigger']}{guest.label}"
    event = Mention(trigger["trigger"], EVENT, trigger.start(), trigger.end(), "reception", key=name, source=EXTRACTOR)
    doc.mentions.append(event)
    describe_event(doc, event, sentence, EXTRACTOR)
    return event


def _only_names(text: str, start: int, end: int, names: list[Mention]) -> bool:
    """Whether a clause is nothing but names and posts (one piece of a subject list)."""
    rest = list(text[start:end])
    for m in names:
        if start <= m.start and m.end <= end:
            rest[m.start - start : m.end - start] = [""] * (m.end - m.start)
    return any(m.type == PERSON and start <= m.start < end for m in names) and not "".join(rest).strip("、和及与 ")


def _event_for(doc: Extraction, sentence_events: list[Mention], folded: str, after: int) -> Mention | None:
    """The named event that follows the trigger in the sentence (参加会见: the last reception),
    else the article's event."""
    named = [e for e in sentence_events if e.start >= after and not e.attrs.get("reference")]
    if named:
        return named[0]
    receptions = [m for m in doc.mentions if m.subtype == "reception" and m.source == EXTRACTOR and m.start < after]
    object_triggers = [w for w, roles in lexicon.table("triggers.tsv").items() if len(roles) > 1]
    if receptions and folded.startswith(tuple(object_triggers), after):
        return receptions[-1]
    return doc.main_event
