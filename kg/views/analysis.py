"""Co-attendance analysis: who meets whom, who bridges groups, who appears when.

Plain functions over the NetworkX view (like networkx's own algorithms), each returning rows
for a table; plots are drawn from the same rows.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
from networkx.algorithms import community

from kg.views.network import coattendance


def _label(g: nx.Graph, node) -> str:
    return g.nodes[node].get("label", str(node))


def pairs(g: nx.MultiDiGraph) -> tuple[list[str], list[list]]:
    """People who attended the same events, most shared events first."""
    co = coattendance(g)
    events = {p: {v for _, v, d in g.out_edges(p, data=True) if d["relation"] == "participation"} for p in co}
    rows = []
    for a, b, d in co.edges(data=True):
        a, b = sorted((a, b), key=lambda n: _label(co, n))
        shared = sorted(_label(g, e) for e in events[a] & events[b])
        rows.append([_label(co, a), _label(co, b), d["weight"], "; ".join(shared)])
    rows.sort(key=lambda r: (-r[2], r[0], r[1]))
    return ["person1", "person2", "events", "shared_events"], rows


EXACT_BETWEENNESS = 2000  # persons: exact betweenness up to here, estimated from a seeded sample above
BETWEENNESS_SAMPLE = 500


def _betweenness_k(co: nx.Graph) -> int | None:
    return BETWEENNESS_SAMPLE if len(co) > EXACT_BETWEENNESS else None


def betweenness_sampled(g: nx.MultiDiGraph) -> str:
    """What to say when betweenness was estimated from a sample, or "" when it is exact."""
    co = coattendance(g)
    k = _betweenness_k(co)
    return f"betweenness estimated from {k} of {len(co):,} persons (seed 0; exact up to {EXACT_BETWEENNESS:,})" if k else ""


def centrality(g: nx.MultiDiGraph) -> tuple[list[str], list[list]]:
    """Degree (co-attendees), weighted degree (shared attendances) and betweenness: exact up to
    EXACT_BETWEENNESS persons, else from a seeded sample (the same on every run)."""
    co = coattendance(g)
    betweenness = nx.betweenness_centrality(co, k=_betweenness_k(co), seed=0) if len(co) else {}
    rows = [
        [_label(co, p), co.degree(p), co.degree(p, weight="weight"), round(betweenness.get(p, 0.0), 6),
         sum(1 for *_, d in g.out_edges(p, data=True) if d["relation"] == "participation")]
        for p in co
    ]
    rows.sort(key=lambda r: (-r[3], -r[1], r[0]))
    return ["person", "co_attendees", "shared_attendances", "betweenness", "participations"], rows


def communities(g: nx.MultiDiGraph) -> tuple[list[str], list[list]]:
    """Groups of people who meet among themselves more than with others (Louvain, fixed seed)."""
    co = coattendance(g)
    groups = community.louvain_communities(co, weight="weight", seed=0) if co.number_of_edges() else []
    groups = sorted((sorted(_label(co, n) for n in group) for group in groups), key=lambda m: (-len(m), m))
    return ["community", "size", "members"], [[i, len(m), "、".join(m)] for i, m in enumerate(groups, start=1)]


def timeline(g: nx.MultiDiGraph, person: str | None = None) -> tuple[list[str], list[list]]:
    """Each person's appearances at events, in date order."""
    rows = []
    for who, event, d in g.edges(data=True):
        if d["relation"] != "participation" or g.nodes[who]["type"] != "person":
            continue
        if person is None or _label(g, who) == person:
            rows.append([_label(g, who), d.get("date") or "", _label(g, event), d["role"], d.get("article", "")])
    rows.sort(key=lambda r: (r[0], r[1] or "9999", r[2], r[3]))
    return ["person", "date", "event", "role", "article"], rows


ANALYSES = {"pairs": pairs, "centrality": centrality, "communities": communities, "timeline": timeline}


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    def cjk_fonts():
        return [f.name for f in font_manager.fontManager.ttflist if "CJK" in f.name or f.name in ("Noto Sans SC", "SimHei", "Microsoft YaHei")]

    cjk = cjk_fonts()
    if not cjk:  # a font cache made before the CJK fonts were installed: add them from the system
        for path in font_manager.findSystemFonts():
            if "CJK" in path or "wqy" in path.lower():
                font_manager.fontManager.addfont(path)
        cjk = cjk_fonts()
    if cjk:
        plt.rcParams["font.family"] = sorted(set(cjk))[0]
    return plt


def _save(plt, fig, path) -> None:
    """The chart written whole, then renamed: never a truncated SVG under its final name."""
    import io

    from kg.io import atomic_write_bytes

    buffer = io.BytesIO()
    fig.savefig(buffer, format=Path(path).suffix.lstrip(".") or "svg")
    plt.close(fig)
    atomic_write_bytes(path, buffer.getvalue())


def plot_top(columns: list[str], rows: list[list], path, value: str, title: str) -> None:
    """A horizontal bar chart of the first rows."""
    plt = _pyplot()
    index = columns.index(value)
    rows = rows[:20][::-1]
    fig, ax = plt.subplots(figsize=(8, 0.35 * len(rows) + 1.2))
    ax.barh([str(r[0]) if columns[0] != "person1" else f"{r[0]} – {r[1]}" for r in rows], [r[index] for r in rows], color="#4e79a7")
    ax.set_xlabel(value)
    ax.set_title(title)
    fig.tight_layout()
    _save(plt, fig, path)


def _within_usual_dates(rows: list[list]) -> list[list]:
    """The rows whose dates lie near the others': one misread date (1997-07 among 1998-01) would
    stretch the axis and crush every other point. Kept: within three times the spread of the
    middle half (at least 31 days) of the quartiles."""
    import datetime as dt

    if len(rows) < 4:
        return rows
    days = sorted(dt.date.fromisoformat(r[1]).toordinal() for r in rows)
    q1, q3 = days[len(days) // 4], days[(3 * len(days)) // 4]
    margin = 3 * max(q3 - q1, 31)
    return [r for r in rows if q1 - margin <= dt.date.fromisoformat(r[1]).toordinal() <= q3 + margin]


def plot_timeline(columns: list[str], rows: list[list], path, title: str = "Appearances at events") -> None:
    """Dots per person and date: who appeared when, and in which role."""
    import datetime as dt

    plt = _pyplot()
    dated = _within_usual_dates([r for r in rows if len(r[1]) == 10])
    people = sorted({r[0] for r in dated}, key=lambda p: -sum(r[0] == p for r in dated))[:25]
    colours = {"attendee": "#7f7f7f", "speaker": "#d62728", "chair": "#9467bd", "host": "#ff7f0e", "guest": "#17becf"}
    fig, ax = plt.subplots(figsize=(10, 0.35 * len(people) + 1.5))
    for role, colour in colours.items():
        points = [(dt.date.fromisoformat(r[1]), people.index(r[0])) for r in dated if r[0] in people and r[3] == role]
        if points:
            ax.scatter([p[0] for p in points], [p[1] for p in points], color=colour, label=role, s=30)
    ax.set_yticks(range(len(people)), people)
    ax.legend(loc="upper left", fontsize="small")
    ax.set_title(title)
    fig.autofmt_xdate()
    fig.tight_layout()
    _save(plt, fig, path)


PLOTS = {
    "pairs": lambda columns, rows, path: plot_top(columns, rows, path, "events", "Pairs who met most often"),
    "centrality": lambda columns, rows, path: plot_top(columns, rows, path, "betweenness", "Who bridges groups (betweenness)"),
    "communities": lambda columns, rows, path: plot_top(columns, rows, path, "size", "Communities by size (members)"),
    "timeline": plot_timeline,
}


def draw(name: str, columns: list[str], rows: list[list], path) -> str:
    """Draw the chart of one analysis; what was drawn, or why nothing was."""
    if name not in PLOTS:
        return "no chart for this analysis"
    if not rows:
        return "no chart: no rows to draw"
    if name == "timeline" and not any(len(r[1]) == 10 for r in rows):
        return "no chart: no appearance has a full date"
    PLOTS[name](columns, rows, path)
    left_out = sum(len(r[1]) == 10 for r in rows) - len(_within_usual_dates([r for r in rows if len(r[1]) == 10])) if name == "timeline" else 0
    return f"wrote {path}" + (f" ({left_out} appearances at outlying dates left out of the chart)" if left_out else "")
