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
    for sentence in doc.sentences:
        evidence = Evidence(doc.article.id, sentence.text, sentence.start, sentence.end, EXTRACTOR)
        sentence_events = [e for e in events if sentence.start <= e.start < sentence.end]
        clauses = list(_clauses(folded, sentence.start, sentence.end))
        for index, (c_start, c_end) in enumerate(clauses):
            for m in _trigger_pattern().finditer(folded, c_start, c_end):
                role = roles[m["trigger"]][0]
                # 市委书记胡勇春，市委副书记、市长郑云涛出席…: the subject list runs over commas
                s_start = c_start
                while index > 0 and _only_names(doc.article.text, *clauses[index - 1], candidates + posts):
                    index -= 1
                    s_start = clauses[index][0]
                subjects = [
                    c for c in candidates
                    if s_start <= c.start and c.end <= m.start() and _is_subject(doc, c, s_start, folded, posts)
                ]
                event = _event_for(doc, sentence_events, m.end())
                if event is None:
                    continue
                venue = next((v for v in venues if c_start <= v.start < c_end), None)
                for subject in subjects:
                    key = (subject.label, event.label, role)
                    if key in seen:
                        continue
                    seen.add(key)
                    attrs = {"trigger": m["trigger"]}
                    if venue is not None:
                        attrs["venue"] = venue
                    doc.facts.append(Fact("participation", subject, event, evidence, role=role, attrs=attrs))
                if venue is not None and subjects:
                    doc.facts.append(Fact("event_subvenue", event, venue, evidence))


def _only_names(text: str, start: int, end: int, names: list[Mention]) -> bool:
    """Whether a clause is nothing but names and posts (one piece of a subject list)."""
    rest = list(text[start:end])
    for m in names:
        if start <= m.start and m.end <= end:
            rest[m.start - start : m.end - start] = [""] * (m.end - m.start)
    return any(m.type == PERSON and start <= m.start < end for m in names) and not "".join(rest).strip("、和及与 ")


def _event_for(doc: Extraction, sentence_events: list[Mention], after: int) -> Mention | None:
    """The named event that follows the trigger in the sentence, else the article's event."""
    named = [e for e in sentence_events if e.start >= after and not e.attrs.get("reference")]
    return named[0] if named else doc.main_event
