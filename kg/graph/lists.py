"""Printed lists of participants: which list each participation stands in, and where.

Newspapers print officials in protocol order (我市领导胡勇春、郑云涛、李浩锋…; 江泽民、李鹏、
朱镕基…), which researchers read as rank (kg/views/rank.py). The participation rules make one
fact per participant and keep no order, so the order is read here from what the facts carry:
the participants of one event in one sentence, one after the other with nothing between them
but separators (data/list_separators.txt) and the posts and bodies that head each name, are
one list. 等, a verb or anything else between them ends the list: in 李鹏乔石…李岚清等出席会议
尉健行主持 the six who attend and 尉健行 are two lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from kg import lexicon
from kg.model import DATE, EVENT, Extraction, Fact, Mention


@dataclass(frozen=True)
class PrintedList:
    """One list of one sentence: ``sentence`` its start in the article, ``index`` its place
    among the sentence's lists (1, 2…), ``members`` the participants' mentions in printed order."""

    sentence: int
    index: int
    members: tuple[Mention, ...]


@cache
def _separators() -> re.Pattern:
    return re.compile(rf"(?:\s|{lexicon.alternation(lexicon.words('list_separators.txt'))})*")


def _joined(text: str, gap: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    """Whether the text between two participants holds only separators, posts and bodies."""
    start, end = gap
    inside = [(s, e) for s, e in spans if s < end and e > start]
    rest = "".join(ch for i, ch in enumerate(text[start:end], start) if not any(s <= i < e for s, e in inside))
    return _separators().fullmatch(rest) is not None


def printed_lists(doc: Extraction) -> dict[int, tuple[PrintedList, int]]:
    """For each participation fact (by ``id``), its list and its position there (1 first).

    A fact whose participant is not printed in its evidence sentence (a reference resolved
    elsewhere) stands in no list."""
    text = doc.article.text
    spans = sorted((m.start, m.end) for m in doc.mentions if m.type not in (DATE, EVENT))
    by_sentence: dict[tuple[int, int, str], list[Fact]] = {}
    for f in doc.facts:
        ev = f.evidence
        if f.kind == "participation" and f.subject is not None and ev.start <= f.subject.start < f.subject.end <= ev.end:
            by_sentence.setdefault((ev.start, ev.end, f.object.label), []).append(f)
    listed: dict[int, tuple[PrintedList, int]] = {}
    counters: dict[int, int] = {}
    for (start, end, _), facts in sorted(by_sentence.items(), key=lambda kv: (kv[0][0], min(f.subject.start for f in kv[1]), kv[0][2])):
        members: dict[tuple[int, int], Mention] = {}
        for f in sorted(facts, key=lambda f: (f.subject.start, f.subject.end)):
            members.setdefault((f.subject.start, f.subject.end), f.subject)
        runs: list[list[Mention]] = []
        for m in members.values():
            if runs and _joined(text, (runs[-1][-1].end, m.start), spans):
                runs[-1].append(m)
            else:
                runs.append([m])
        for run in runs:
            counters[start] = counters.get(start, 0) + 1
            printed = PrintedList(start, counters[start], tuple(run))
            position = {(m.start, m.end): i for i, m in enumerate(run, start=1)}
            for f in facts:
                if (key := (f.subject.start, f.subject.end)) in position:
                    listed[id(f)] = (printed, position[key])
    return listed
