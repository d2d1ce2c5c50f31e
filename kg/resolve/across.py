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
@dataclass(slots=True)
class Occurrence:
    """One entity as one article found it. Its sets are a shared empty one until ``add``
    fills them: a pass over a year of a daily holds some 300,000 occurrences, most with no
    posts, venues or participants, and five empty sets each took a kilobyte."""

    graph: str
    node: str  # the IRI the extraction minted
    type: str  # person, event:meeting, …
    key: str
    published: str = ""  # the article's date, YYYY-MM-DD
    source: str = ""
    reference: bool = False  # 江主席
    posts: set[str] | frozenset[str] = frozenset()
    post_areas: dict[str, str] = field(default_factory=dict)  # administrative code -> the area's name
    date: str = ""  # an event's date, YYYY-MM-DD
    venues: set[str] | frozenset[str] = frozenset()
    participants: set[str] | frozenset[str] = frozenset()  # the person nodes as extracted
    persons: set[str] | frozenset[str] = frozenset()  # the names of the article's persons

    def add(self, facts: str, value: str) -> None:
        """``value`` into the set ``facts`` (posts, venues, participants), made on first use."""
        found = getattr(self, facts)
        if isinstance(found, frozenset):
            setattr(self, facts, found := set(found))
        found.add(value)


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
    holders = defaultdict(list)  # by surname
    for o in people:
        if not o.reference and 2 <= len(o.key) <= 4 and o.posts:
            holders[surname_of(o.key)].append(o)
    for ref in (o for o in people if o.reference):
        surname = surname_of(ref.key)
        title = ref.key[len(surname) :]
        fits = [h for h in holders.get(surname, []) if any(p.endswith(title) for p in h.posts) and _days_apart(h.published, ref.published) <= REFERENCE_WINDOW]
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


def _event_why(kinds: set[str], day: str) -> str:
    """Why a day's reports are one event: the same for every report, however many there are,
    so that a report added later rewrites no earlier one."""
    kind = "/".join(sorted({k.split(":")[-1] for k in kinds}))
    return f"articles report one event ({kind}) on {day}: the same specific name, or compatible names and a shared participant or venue"


def _joinable(kinds: set[str], names: set[str]) -> bool:
    """Reports of one kind, unless every name is the same (开馆仪式 a ceremony in one article,
    an activity in another)."""
    return len(kinds) < 2 or len(names) < 2


def _events(events: list[Occurrence], decisions: dict) -> None:
    """A day's reports joined one by one in the order of their nodes, each to every event
    before it that one of its reports is the same event as (``_same_event``), in the order of
    the first such report, unless the join puts two reports of one article, or two kinds under
    two names, into one event. (What a loop over every pair of reports does, the pairs inside
    one event and the events no name of which fits skipped: the conditions only tighten as the
    report's event grows, so an event refused once is refused for good.)"""
    by_day = defaultdict(list)
    for o in events:
        if len(o.date) == 10:
            by_day[o.date].append(o)
    for day, found in by_day.items():
        found.sort(key=lambda o: o.node)
        made: list[_Event] = []
        for i, a in enumerate(found):
            mine, name = _Event([i], {a.graph}, {a.type}, {_plain(a.key)}), _plain(a.key)
            firsts = []
            for event in made:
                if mine.fits(event) and any(n in name or name in n for n in event.names):
                    first = next((j for j in event.members if _same_event(found[j], a)), None)
                    if first is not None:
                        firsts.append((first, event))
            for _, event in sorted(firsts, key=lambda pair: pair[0]):
                if mine.fits(event):
                    mine.join(event)
                    made.remove(event)
            made.append(mine)
        for event in made:
            _decide_event(day, [found[i] for i in event.members], decisions)


@dataclass
class _Event:
    """The reports joined so far into one event: their places in the day's order, articles, kinds and names."""

    members: list[int]
    graphs: set[str]
    kinds: set[str]
    names: set[str]

    def fits(self, other: _Event) -> bool:
        return not self.graphs & other.graphs and _joinable(self.kinds | other.kinds, self.names | other.names)

    def join(self, other: _Event) -> None:
        self.members = sorted(self.members + other.members)
        self.graphs |= other.graphs
        self.kinds |= other.kinds
        self.names |= other.names


def event_node(group) -> str:
    """The node of an event: that of the report of the article whose graph sorts first (then the
    least node). Articles come in order of their ids more often than not, so a report added
    later seldom becomes the event's and rewrites its earlier reports (the least of the reports'
    nodes, hashes, changed for one event in as many as it had reports)."""
    return min(group, key=lambda o: (o.graph, o.node)).node


def _decide_event(day: str, group: list[Occurrence], decisions: dict) -> None:
    """The reports of one event point to its node (``event_node``)."""
    if len(group) < 2:
        return
    target = event_node(group)
    why = _event_why({o.type for o in group}, day)
    for o in group:
        if o.node != target:
            decisions[o.graph, o.node] = Decision(target, SAME_EVENT, why)


@dataclass
class Cluster:
    """An event of a day as the last pass left it: the earlier articles' reports that point to
    one node (``event_node``), and, per name printed, their participants and venues: all
    the rules compare."""

    node: str
    members: list[Occurrence]  # graph, node, type and key of each report
    named: dict[str, Occurrence] = field(default_factory=dict)  # key -> the participants and venues of the reports so named
    why: set[str] = field(default_factory=set)  # the reasons its records give

    def joins(self, o: Occurrence) -> bool:
        return any(_same_event(n, o) for n in self.named.values())


class WholeDays(Exception):
    """Days whose new reports cannot be decided against the events the day holds: decide them whole."""

    def __init__(self, days: set[str]):
        super().__init__(", ".join(sorted(days)))
        self.days = days


def _against(day: str, clusters: list[Cluster], new: list[Occurrence], decisions: dict) -> bool:
    """The decisions about a day's new reports (and the earlier ones they join) that deciding
    the whole day gives, or False when that cannot be told without it.

    Deciding a day joins its reports pair by pair, in the order of their nodes, unless a join
    would put two reports of one article, or two kinds under two names, into one event; when
    no join is refused the events are the connected groups of reports that the rules link,
    whatever the order. So if the earlier events are linked to no other and were made by this
    version of the rules (their records' reason), and the groups the new reports make with
    them break neither condition, those groups are what the whole day gives."""
    for c in clusters:
        expected = {_event_why({m.type for m in c.members}, day)} if len(c.members) > 1 else set()
        if c.why != expected or c.node != event_node(c.members) or not _valid(c.members):
            return False
    for i, a in enumerate(clusters):
        if any(b.joins(o) for b in clusters[:i] for o in a.named.values()):
            return False  # two earlier events the rules link: the order decided between them
    items = clusters + new
    groups = _Clusters(range(len(items)))
    for i, o in enumerate(new, len(clusters)):
        for j, other in enumerate(items[:i]):
            if (other.joins(o) if isinstance(other, Cluster) else _same_event(other, o)):
                groups.union(j, i)
    made = [[m for i in group for m in (items[i].members if isinstance(items[i], Cluster) else [items[i]])] for group in groups.groups()]
    if not all(_valid(group) for group in made):
        return False
    for group in made:
        _decide_event(day, group, decisions)
    return True


def _valid(group: list[Occurrence]) -> bool:
    graphs = [o.graph for o in group]
    return len(set(graphs)) == len(graphs) and _joinable({o.type for o in group}, {_plain(o.key) for o in group})


def resolve_across(occurrences: list[Occurrence], around: dict[tuple[str, str], str] | None = None, clusters: dict[str, list[Cluster]] | None = None) -> dict[tuple[str, str], Decision]:
    """(graph, node as extracted) -> where it now points, for the occurrences that move.
    ``around``: where the participants of the events that are not among the occurrences point
    (a pass over part of the store decides the people of some names only). ``clusters``: per
    day, the events earlier articles' reports make; the events of those days among the
    occurrences are new reports, decided against them (the decisions include the earlier
    reports that move), or ``WholeDays`` says which days to read whole."""
    people = [o for o in occurrences if o.type == "person"]
    decisions: dict[tuple[str, str], Decision] = {}
    _namesakes(people, decisions)
    _references(people, decisions)
    events = [o for o in occurrences if o.type.startswith("event")]
    around = around or {}
    for e in (e for e in events if e.participants):  # participants as the people they resolve to, so that articles can share them
        e.participants = {around[e.graph, p] if (e.graph, p) in around else pointed_to(decisions, e.graph, p) for p in e.participants}
    clusters = clusters or {}
    _events([e for e in events if e.date not in clusters], decisions)
    new = defaultdict(list)
    for e in events:
        if e.date in clusters:
            new[e.date].append(e)
    against: dict[tuple[str, str], Decision] = {}  # no two events of an article are one: nothing for _one_to_one to drop
    if whole := {day for day in sorted(clusters) if not _against(day, clusters[day], sorted(new[day], key=lambda o: o.node), against)}:
        raise WholeDays(whole)
    return _one_to_one(occurrences, decisions) | against


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
