"""Protocol rank: officials ordered by who is printed before whom.

Chinese papers print officials in protocol order (江泽民、李鹏、朱镕基…), so the order of the
lists kg keeps (kg/graph/lists.py) says who ranks above whom. Lists differ in length and in who
is in them, so raw positions mislead (the fifth of a list of five may outrank the second of
another); each list is read as pairs instead, the one printed first winning. The pairs are
fitted with a Bradley–Terry model (choix's opt_pairwise, lightly regularised so that people met in few lists
stay finite), or counted by Copeland's rule with ``method="copeland"``.

Printed lists agree almost always, so the pairs are nearly a total order, where Bradley–Terry's
estimate has no maximum and its prior decides: 丁关根, first of forty Politburo members and never
before the Standing Committee, would outscore 江泽民, first of lists of eight. So the order keeps
every head-to-head majority (a topological order of who precedes whom more often than not; the
people of a cycle ordered by score), and the score orders only those whom no chain of lists
compares. People whom no chain of lists joins are not comparable at all: each such ``group``
is ranked on its own, the largest first (in a national paper, the central leadership).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from kg.graph.store import GraphStore
from kg.views.window import event_days

METHODS = ("bradley-terry", "copeland")
_LISTS = """
PREFIX kgo: <https://w3id.org/kg-news/ontology#>
PREFIX schema: <https://schema.org/>
SELECT ?list ?event ?position ?who ?name WHERE {
  ?l a schema:ItemList ; schema:identifier ?list ; kgo:event ?event ; schema:itemListElement ?item .
  ?item schema:position ?position ; schema:item ?who .
  ?who a schema:Person ; schema:name ?name .
}
"""


@dataclass
class PersonList:
    """The persons of one printed list, in order, and its event's day."""

    id: str
    event: str
    day: str
    persons: list[str] = field(default_factory=list)


def printed_lists(store: GraphStore, events: set[str] | None = None) -> list[PersonList]:
    """The lists of two or more persons (of the events given, or all), persons in printed order;
    organisations and places in a list are left out, their neighbours kept in order."""
    days = event_days(store)
    rows: dict[str, list] = defaultdict(list)
    found: dict[str, PersonList] = {}
    for list_id, event, position, who, name in store.query(_LISTS)[1]:
        if events is None or event in events:
            found.setdefault(list_id, PersonList(list_id, event, days.get(event, "")))
            rows[list_id].append((int(position), name))
    lists = []
    for list_id in sorted(found):
        names = list(dict.fromkeys(name for _, name in sorted(rows[list_id])))  # one person printed once
        if len(names) >= 2:
            found[list_id].persons = names
            lists.append(found[list_id])
    return lists


def _scores(people: list[str], wins: dict[tuple[str, str], int], method: str) -> dict[str, float]:
    if method == "copeland":  # +1 for each person one precedes more often than not, -1 the other way
        score = dict.fromkeys(people, 0.0)
        for a, b in combinations(people, 2):
            ab, ba = wins.get((a, b), 0), wins.get((b, a), 0)
            if ab != ba:
                score[a if ab > ba else b] += 1
                score[b if ab > ba else a] -= 1
        return score
    import choix

    index = {p: i for i, p in enumerate(people)}
    data = [(index[a], index[b]) for (a, b), n in sorted(wins.items()) for _ in range(n)]
    params = choix.opt_pairwise(len(people), data, alpha=0.01)  # the MLE by Newton-CG; ILSR drifts on near-total orders
    return {p: float(params[index[p]]) for p in people}


def _groups(people: list[str], wins: dict[tuple[str, str], int]) -> dict[str, int]:
    """Who is compared with whom through some chain of lists: 1 the largest such group."""
    import networkx as nx

    together = nx.Graph()
    together.add_nodes_from(people)
    together.add_edges_from(wins)
    parts = sorted((sorted(c) for c in nx.connected_components(together)), key=lambda c: (-len(c), c[0]))
    return {p: i for i, part in enumerate(parts, start=1) for p in part}


def _order(people: list[str], wins: dict[tuple[str, str], int], key) -> list[str]:
    """A topological order of the majorities (cycles condensed), the smallest ``key`` first where
    the majorities leave a choice."""
    import networkx as nx

    majority = nx.DiGraph()
    majority.add_nodes_from(people)
    majority.add_edges_from((a, b) for (a, b), n in wins.items() if n > wins.get((b, a), 0))
    condensed = nx.condensation(majority)
    members = {c: sorted(condensed.nodes[c]["members"], key=key) for c in condensed}
    return [p for c in nx.lexicographical_topological_sort(condensed, key=lambda c: key(members[c][0])) for p in members[c]]


def rank(lists: list[PersonList], method: str = "bradley-terry") -> tuple[list[str], list[list]]:
    """One row per person: rank (1 highest), score, the lists behind it, the pairs won and lost,
    and the lists themselves (ARTICLE@SENTENCE.N) as evidence."""
    if method not in METHODS:
        raise ValueError(f"unknown ranking method {method!r}; choose one of {', '.join(METHODS)}")
    wins: dict[tuple[str, str], int] = defaultdict(int)
    seen: dict[str, list[str]] = defaultdict(list)
    for printed in lists:
        for i, a in enumerate(printed.persons):
            seen[a].append(printed.id)
            for b in printed.persons[i + 1:]:
                wins[a, b] += 1
    people = sorted(seen)
    if not people:
        return COLUMNS, []
    score = _scores(people, wins, method)
    won, lost = defaultdict(int), defaultdict(int)
    for (a, b), n in wins.items():
        won[a] += n
        lost[b] += n
    group = _groups(people, wins)
    ordered = _order(people, wins, lambda p: (group[p], -score[p], -len(seen[p]), p))
    rows = [[i, p, group[p], round(score[p], 4), len(seen[p]), won[p], lost[p], "; ".join(seen[p])] for i, p in enumerate(ordered, start=1)]
    return COLUMNS, rows


COLUMNS = ["rank", "person", "group", "score", "lists", "preceded", "followed", "evidence"]


def rank_by_month(lists: list[PersonList], method: str = "bradley-terry") -> tuple[list[str], list[list]]:
    """The ranking of each month's lists on its own: rank over time."""
    months: dict[str, list[PersonList]] = defaultdict(list)
    for printed in lists:
        if len(printed.day) >= 7:
            months[printed.day[:7]].append(printed)
    rows = []
    for month in sorted(months):
        rows.extend([month, *row] for row in rank(months[month], method)[1])
    return ["month", *COLUMNS], rows


def plot_rank(columns: list[str], rows: list[list], path, people: list[str]) -> None:
    """Rank by month of the given people (the top of the whole window), 1 at the top."""
    from kg.views.analysis import _pyplot, _save

    plt = _pyplot()
    month, who, place = columns.index("month"), columns.index("person"), columns.index("rank")
    months = sorted({r[month] for r in rows})
    fig, ax = plt.subplots(figsize=(max(6, 1.2 * len(months) + 3), 5))
    for person in people:
        points = [(months.index(r[month]), r[place]) for r in rows if r[who] == person]
        if points:
            ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=person)
    ax.set_xticks(range(len(months)), months)
    ax.invert_yaxis()
    ax.set_ylabel("protocol rank")
    ax.set_title("Protocol rank by month")
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize="small")
    fig.tight_layout()
    _save(plt, fig, path)
