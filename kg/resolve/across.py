"""Resolution across articles: which entities that articles found separately are one, or two.

Pure rules over what the store holds about each article's entities (``Occurrence``); the
graph layer (kg/graph/identity.py) reads them from the store and rewrites the articles the
decisions touch. Every decision carries its rule and a sentence saying why.

- namesake (persons): one name whose posts lie in administrative areas that do not contain
  one another (王刚, 永康市副市长 / 王刚, 武义县副县长) names as many people; each keeps the
  articles of its area. Articles that place him nowhere stay with the name alone.
- surname+title (persons): 江主席 that its own article does not resolve is the one person of
  the corpus with surname 江 holding a post ending with 主席 within a year, looked for first
  in the same newspaper. Two such people, or a 江 in the article itself: unresolved.
- same-event (events): reported by different articles on the same day, of the same kind (or
  all of one name), with the same specific name (six characters or more; short forms of
  sessions count as the same, see data/event_abbreviations.tsv), or with compatible names (one
  contains the other) and a shared participant or venue.
- Series (第二届…) are linked to their series at extraction (``event_series``), not merged.

No rule points two entities of one article to one node: an article's graph is rewritten by
renaming its nodes, and a renaming that merges two of them could not be undone by a later pass.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date as Date
from functools import cache

from kg.nlp.names import surname_of
from kg.shared.event_names import NAME_NOISE, short_form
from kg.shared.vocab import iri
from kg.text import fold_width

NAMESAKE, SURNAME_TITLE_ACROSS, SAME_EVENT = "namesake", "surname+title across articles", "same-event"
SPECIFIC_NAME = 6  # characters: 中央经济工作会议 is specific, 座谈会 is not
REFERENCE_WINDOW = 366  # days between a reference and the post it resolves to
@dataclass
class Occurrence:
    """One entity as one article found it."""

    graph: str
    node: str  # the IRI the extraction minted
    type: str  # person, event:meeting, …
    key: str
    published: str = ""  # the article's date, YYYY-MM-DD
    source: str = ""
    reference: bool = False  # 江主席
    posts: set[str] = field(default_factory=set)
    post_areas: dict[str, str] = field(default_factory=dict)  # administrative code -> the area's name
    date: str = ""  # an event's date, YYYY-MM-DD
    venues: set[str] = field(default_factory=set)
    participants: set[str] = field(default_factory=set)  # the person nodes as extracted
    persons: set[str] = field(default_factory=set)  # the names of the article's persons


@dataclass(frozen=True)
class Decision:
    target: str
    rule: str
    why: str


def pointed_to(decisions: dict[tuple[str, str], Decision], graph: str, node: str) -> str:
    """Where an entity of an article points: what a decision moved it to, else itself."""
    return decisions[graph, node].target if (graph, node) in decisions else node


def _code_prefix(code: str) -> str:
    return code[:2] if code[2:] == "0000" else code[:4] if code[4:] == "00" else code


def _nested(a: str, b: str) -> bool:
    pa, pb = _code_prefix(a), _code_prefix(b)
    return pa.startswith(pb) or pb.startswith(pa)


class _Clusters:
    def __init__(self, items):
        self.parent = {i: i for i in items}

    def find(self, i):
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a, b) -> None:
        self.parent[self.find(b)] = self.find(a)

    def groups(self) -> list[list]:
        out = defaultdict(list)
        for i in self.parent:
            out[self.find(i)].append(i)
        return list(out.values())


def _namesakes(people: list[Occurrence], decisions: dict) -> None:
    by_name = defaultdict(list)
    for o in people:
        if o.post_areas:
            by_name[o.key].append(o)
    for name, placed in by_name.items():
        clusters = _Clusters(range(len(placed)))
        for i, a in enumerate(placed):
            for j in range(i):
                if any(_nested(x, y) for x in a.post_areas for y in placed[j].post_areas):
                    clusters.union(j, i)
        groups = clusters.groups()
        if len(groups) < 2:
            continue
        for group in groups:
            areas = {c: n for i in group for c, n in placed[i].post_areas.items()}
            codes = sorted(areas)
            others = {c: n for g in groups if g is not group for i in g for c, n in placed[i].post_areas.items()}
            why = f"{name} holding posts in {'、'.join(areas[c] for c in codes)} is not {name} holding posts in {'、'.join(others[c] for c in sorted(others))}, and neither area lies in the other"
            for i in group:
                decisions[placed[i].graph, placed[i].node] = Decision(str(iri("person", name, codes[0])), NAMESAKE, why)


def _days_apart(a: str, b: str) -> int:
    try:
        return abs((Date.fromisoformat(a) - Date.fromisoformat(b)).days)
    except ValueError:
        return 0  # a date unknown: no constraint


def _references(people: list[Occurrence], decisions: dict) -> None:
    holders = [o for o in people if not o.reference and 2 <= len(o.key) <= 4 and o.posts]
    for ref in (o for o in people if o.reference):
        surname = surname_of(ref.key)
        title = ref.key[len(surname) :]
        fits = [
            h for h in holders
            if surname_of(h.key) == surname and any(p.endswith(title) for p in h.posts) and _days_apart(h.published, ref.published) <= REFERENCE_WINDOW
        ]
        if any(surname_of(p) == surname for p in ref.persons):
            continue  # a 江 in the article itself: its own article could not tell
        for pool, where in (([h for h in fits if ref.source and h.source == ref.source]), f"in {ref.source}"), (fits, "in the corpus"):
            who = defaultdict(list)  # the person each fitting holder resolves to
            for h in pool:
                who[pointed_to(decisions, h.graph, h.node)].append(h)
            if len(who) == 1:
                ((target, holders),) = who.items()
                post = min(p for h in holders for p in h.posts if p.endswith(title))
                why = f"{holders[0].key} ({post}) is the only person {where} with the surname {surname} holding a post ending with {title}"
                decisions[ref.graph, ref.node] = Decision(target, SURNAME_TITLE_ACROSS, why)
                break
            if len(who) > 1:
                break  # several fit: unresolved


@cache
def _plain(name: str) -> str:
    """九届全国人大一次会议 and 第九届全国人民代表大会第一次会议 alike."""
    return short_form(fold_width(NAME_NOISE.sub("", name)))


def _same_event(a: Occurrence, b: Occurrence) -> str:
    """Why two articles' events are one, or ""."""
    na, nb = _plain(a.key), _plain(b.key)
    if na == nb and len(na) >= SPECIFIC_NAME:
        return f"both name {a.key}"
    if not (na in nb or nb in na):
        return ""
    if a.participants & b.participants:
        return f"{a.key} and {b.key} share participants"
    if a.venues & b.venues:
        return f"{a.key} and {b.key} share the venue"
    return ""


def _events(events: list[Occurrence], decisions: dict) -> None:
    by_day = defaultdict(list)
    for o in events:
        if len(o.date) == 10:
            by_day[o.date].append(o)
    for day, found in by_day.items():
        found.sort(key=lambda o: o.node)
        clusters = _Clusters(range(len(found)))
        # per cluster: its articles (one event each), kinds and names; kinds must agree, unless
        # every name is the same (开馆仪式 a ceremony in one article, an activity in another)
        graphs = {i: {o.graph} for i, o in enumerate(found)}
        kinds = {i: {o.type} for i, o in enumerate(found)}
        names = {i: {_plain(o.key)} for i, o in enumerate(found)}
        reasons = {}
        for i, a in enumerate(found):
            for j in range(i):
                ri, rj = clusters.find(i), clusters.find(j)
                if ri == rj or graphs[ri] & graphs[rj]:
                    continue  # one event per article in a cluster
                if len(kinds[ri] | kinds[rj]) > 1 and len(names[ri] | names[rj]) > 1:
                    continue
                if why := _same_event(found[j], a):
                    clusters.union(rj, ri)
                    graphs[rj] |= graphs.pop(ri)
                    kinds[rj] |= kinds.pop(ri)
                    names[rj] |= names.pop(ri)
                    reasons[i] = why
        for group in clusters.groups():
            if len(group) < 2:
                continue
            target = min(found[i].node for i in group)
            kind = "/".join(sorted({found[i].type.split(":")[-1] for i in group}))
            why = f"{len(group)} articles report one event ({kind}) on {day}: " + "; ".join(sorted({reasons[i] for i in group if i in reasons}))
            for i in group:
                if found[i].node != target:
                    decisions[found[i].graph, found[i].node] = Decision(target, SAME_EVENT, why)


def resolve_across(occurrences: list[Occurrence], around: dict[tuple[str, str], str] | None = None) -> dict[tuple[str, str], Decision]:
    """(graph, node as extracted) -> where it now points, for the occurrences that move.
    ``around``: where the participants of the events that are not among the occurrences point
    (a pass over part of the store decides the people of some names only)."""
    people = [o for o in occurrences if o.type == "person"]
    decisions: dict[tuple[str, str], Decision] = {}
    _namesakes(people, decisions)
    _references(people, decisions)
    events = [o for o in occurrences if o.type.startswith("event")]
    around = around or {}
    for e in events:  # participants as the people they resolve to, so that articles can share them
        e.participants = {around[e.graph, p] if (e.graph, p) in around else pointed_to(decisions, e.graph, p) for p in e.participants}
    _events(events, decisions)
    return _one_to_one(occurrences, decisions)


def _one_to_one(occurrences: list[Occurrence], decisions: dict) -> dict:
    """The decisions that point no two entities of one article to one node (dropping one may
    make another collide with the entity it leaves in place: until none does)."""
    while True:
        pointed = defaultdict(list)  # (graph, node pointed to) -> the entities of that graph pointing there
        for o in occurrences:
            pointed[o.graph, pointed_to(decisions, o.graph, o.node)].append(o.node)
        kept = {key: d for key, d in decisions.items() if len(pointed[key[0], d.target]) == 1}
        if len(kept) == len(decisions):
            return kept
        decisions = kept
