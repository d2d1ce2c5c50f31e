"""Interactive HTML picture of who attended what: one self-contained file that works offline.

Why not ``pyvis.Network.show``/``write_html``: pyvis 0.3.2 loads vis-network and Bootstrap from CDNs, its
Jinja template has no autoescape, it switches to an ``innerHTML`` popup as soon as a title contains "href",
and ``Network.add_edge`` is quadratic.  We borrow only pyvis's bundled vis-network 9.1.2 files, inline them,
and render our own page:

* the page text goes through Jinja2 with autoescape on;
* nodes and edges travel as JSON in a ``<script type="application/json">`` block, with ``<``, ``>``, ``&``,
  U+2028 and U+2029 escaped, so ``</script>`` inside the data cannot end the block;
* tooltips are plain strings, which vis-network 9 shows with ``innerText`` (never as HTML);
* a Content-Security-Policy allows only our own two scripts (by hash) and no network access at all.

Big graphs stay interactive: vis-network's physics (Barnes-Hut) needs seconds at 200 nodes and minutes at
20,000, so above ``PRECOMPUTE_ABOVE`` nodes the positions are computed here and the page draws with physics
off.  Filters (dates, node types, minimum co-attendance, top-N by degree) exist twice with one meaning: as
keyword arguments, which shrink what is written, and as a control panel in the page, which hides and shows
what was written.  ``_select`` (Python) and ``visibleIds`` (``_APP_JS``) are mirror images; keep them so.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import jinja2
import networkx as nx
import numpy as np
from markupsafe import Markup

from kg.io import atomic_write_text

# --- How things look: the one table to edit. ----------------------------------------------------------
# type -> (colour, vis-network shape, legend glyph).  Shapes that draw the label *below* the node keep
# Chinese labels readable.
NODE_STYLE: dict[str, tuple[str, str, str]] = {
    "person": ("#4e79a7", "dot", "●"),
    "organization": ("#f28e2b", "square", "■"),
    "place": ("#59a14f", "triangle", "▲"),
    "event": ("#e15759", "diamond", "◆"),
    "article": ("#9c755f", "hexagon", "⬢"),
    "post": ("#b07aa1", "triangleDown", "▼"),
}
OTHER_STYLE = ("#9d9d9d", "dot", "●")

# participation role -> edge colour; edges of other relations are grey and labelled by the relation.
ROLE_COLOUR: dict[str, str] = {
    "attendee": "#7f7f7f",
    "speaker": "#d62728",
    "chair": "#9467bd",
    "host": "#ff7f0e",
    "guest": "#17becf",
}
RELATION_COLOUR = "#c7c7c7"
DEFAULT_RELATIONS = ("participation", "location", "sub-venue", "part of")  # who attended what, where

LABEL_MAX = 24  # characters drawn under a node; the tooltip has the full label
HUBS = 30  # the best-connected nodes keep a readable label at every zoom; others show theirs when zoomed in
HUB_FONT = 16  # their labels' size on screen, in pixels, however far out the picture is zoomed
LABEL_THRESHOLD = 9  # other labels are drawn once they would be this many pixels high
RELAYOUT_MAX = 1000  # after filtering, this many nodes shown or fewer are laid out afresh (physics)
EVIDENCE_MAX = 300  # characters of an evidence sentence in a tooltip
SOURCES_MAX = 3  # sources listed per drawn edge (parallel edges are merged into one)
FONT = '"Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif'

# --- Big graphs: a layout computed here (networkx + numpy, no scipy), drawn with physics off. --------------
PRECOMPUTE_ABOVE = 300  # nodes; smaller pictures settle in vis-network's physics in ~3 s and look best
EDGE_LENGTH = 100.0  # canvas units between linked nodes
SPRING_MAX = 300  # a component (or its core) this small gets networkx's spring layout, which is O(n²)
PIVOTS = 24  # breadth-first searches seeding a bigger core by pivot MDS (Brandes & Pich 2006)
REFINE_STEPS = 30  # force-directed steps after that seed
GRID = 24  # cells per side of the grid whose centroids stand in for far-away nodes when repelling
_YEAR = re.compile(r"[0-9]{4}")  # a date we can compare; "--01-11" (no year) and "" are never filtered out

_VIS_DIR = files("pyvis") / "lib" / "vis-9.1.2"


@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    """vis-network's JS and CSS as bundled with pyvis, checked to be safe to inline."""
    js = (_VIS_DIR / "vis-network.min.js").read_text(encoding="utf-8")
    css = (_VIS_DIR / "vis-network.css").read_text(encoding="utf-8")
    if "</script" in js.lower() or "<!--" in js or "</style" in css.lower():
        raise RuntimeError("bundled vis-network cannot be inlined safely")
    return js, css


def _json_for_html(value) -> str:
    """JSON that cannot close or confuse the HTML element it sits in."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                          ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    return text


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _name(graph: nx.MultiDiGraph, value) -> str:
    """A venue or similar may be a node id; show its label instead of the IRI."""
    if value is None or value == "":
        return ""
    if isinstance(value, str) and value in graph and graph.nodes[value].get("label"):
        return str(graph.nodes[value]["label"])
    return str(value)


def _node_item(graph: nx.MultiDiGraph, node) -> dict:
    attrs = graph.nodes[node]
    kind = str(attrs.get("type", ""))
    colour, shape, _ = NODE_STYLE.get(kind, OTHER_STYLE)
    label = str(attrs.get("label") or node)
    lines = [label, kind + (f" / {attrs['subtype']}" if attrs.get("subtype") else "")]
    if attrs.get("date"):
        lines.append(f"日期 date: {attrs['date']}")
    if attrs.get("venue"):
        lines.append(f"地点 venue: {_name(graph, attrs['venue'])}")
    if attrs.get("posts"):
        lines.append("职务 posts: " + _short(str(attrs["posts"]), EVIDENCE_MAX))
    if attrs.get("alt_labels"):
        lines.append("又作 also printed: " + _short(str(attrs["alt_labels"]), EVIDENCE_MAX))
    if attrs.get("description"):
        lines.append(_short(str(attrs["description"]), EVIDENCE_MAX))
    return {"id": str(node), "label": _short(label, LABEL_MAX), "title": "\n".join(lines), "kind": kind,
            "names": [label, *[n for n in str(attrs.get("alt_labels") or "").split("、") if n]],
            "date": str(attrs.get("date") or ""), "color": colour, "shape": shape,
            "size": 18 if kind == "event" else 12}


def _edge_items(graph: nx.MultiDiGraph, show: set[str]) -> list[dict]:
    """One drawn edge per (source, target, relation, role); its tooltip lists the first few sources."""
    merged: dict[tuple, list[dict]] = {}
    for u, v, attrs in graph.edges(data=True):
        relation = attrs.get("relation", "")
        if relation in show:
            merged.setdefault((u, v, relation, attrs.get("role", "")), []).append(attrs)
    items = []
    for i, ((u, v, relation, role), sources) in enumerate(merged.items()):
        name = role if relation == "participation" and role else relation
        lines = [f"{relation}: {role}" if role else relation]
        for attrs in sources[:SOURCES_MAX]:
            where = " · ".join(x for x in (str(attrs.get("date") or ""), _name(graph, attrs.get("venue")),
                                           f"article {attrs['article']}" if attrs.get("article") else "") if x)
            if where:
                lines.append(where)
            if attrs.get("evidence"):
                lines.append("“" + _short(str(attrs["evidence"]), EVIDENCE_MAX) + "”")
        if len(sources) > SOURCES_MAX:
            lines.append(f"(+{len(sources) - SOURCES_MAX} more sources)")
        colour = ROLE_COLOUR.get(role, RELATION_COLOUR) if relation == "participation" else RELATION_COLOUR
        items.append({"id": f"e{i}", "from": str(u), "to": str(v), "label": name, "title": "\n".join(lines),
                      "relation": relation, "dates": sorted({str(a.get("date") or "") for a in sources}),
                      "color": {"color": colour, "highlight": colour, "hover": colour},
                      "width": min(1 + len(sources), 6)})
    return items


# --- Filters: the same meaning here (what is written) and in the page (what is shown). ----------------

def _in_range(day: str, first: str, last: str) -> bool:
    """Dates are ISO text; a partial one ("2024-12") is in range if any day of it could be."""
    if not _YEAR.match(day):
        return True
    return (not first or day >= first[: len(day)]) and (not last or day[: len(last)] <= last)


def _lonely_persons(edges: list[dict], kind: dict[str, str], keep: set[str], least: int) -> set[str]:
    """Persons who do not share ``least`` events with any other person (per the participation edges)."""
    events_of: dict[str, set[str]] = defaultdict(set)
    people_at: dict[str, set[str]] = defaultdict(set)
    for e in edges:
        if e["relation"] == "participation" and kind[e["from"]] == "person":
            events_of[e["from"]].add(e["to"])
            people_at[e["to"]].add(e["from"])
    lonely = set()
    for person in (n for n in keep if kind[n] == "person"):
        events = events_of.get(person, set())
        if len(events) < least:  # cheap, and true of most people
            lonely.add(person)
            continue
        shared = Counter(q for event in events for q in people_at[event] if q != person)
        if max(shared.values(), default=0) < least:
            lonely.add(person)
    return lonely


def _select(nodes: list[dict], edges: list[dict], *, date_from: str = "", date_to: str = "",
            types: set[str] | None = None, min_coattendance: int = 0, top: int | None = None
            ) -> tuple[list[dict], list[dict]]:
    """Dates and types first, then co-attendance on what is left, then the ``top`` nodes by drawn degree;
    a node with no edge left is not drawn."""
    kind = {n["id"]: n["kind"] for n in nodes}
    keep = {n["id"] for n in nodes
            if _in_range(n["date"], date_from, date_to) and (types is None or n["kind"] in types)}

    def between(kept: set[str], candidates: list[dict]) -> list[dict]:
        return [e for e in candidates if e["from"] in kept and e["to"] in kept]

    live = [e for e in between(keep, edges) if any(_in_range(d, date_from, date_to) for d in e["dates"])]
    if min_coattendance > 0:
        keep -= _lonely_persons(live, kind, keep, min_coattendance)
        live = between(keep, live)
    if top is not None:
        degree = Counter(e["from"] for e in live) + Counter(e["to"] for e in live)
        keep = set(sorted((n["id"] for n in nodes if degree[n["id"]]), key=lambda n: -degree[n])[:top])
        live = between(keep, live)
    linked = {e["from"] for e in live} | {e["to"] for e in live}
    return [n for n in nodes if n["id"] in linked], live


# --- Layout: components apart, leaves around their one neighbour, the core by pivot MDS + forces. --------

def _layout(nodes: list[dict], edges: list[dict]) -> dict[str, tuple[float, float]]:
    """Positions in canvas units: each connected component laid out alone, then packed in rows."""
    g = nx.Graph()
    g.add_nodes_from(n["id"] for n in nodes)
    g.add_edges_from((e["from"], e["to"]) for e in edges if e["from"] != e["to"])
    order = {n: i for i, n in enumerate(g)}  # the components' nodes in the graph's order, not a set's (it changes with the hash seed)
    components = sorted((sorted(c, key=order.__getitem__) for c in nx.connected_components(g)), key=lambda c: (-len(c), order[c[0]]))
    return _pack([_component(_induced(g, c), dict.fromkeys(c, 1)) for c in components])


def _component(g: nx.Graph, mass: dict[str, int]) -> tuple[list[str], np.ndarray]:
    """Most people attend one event: peel such leaves, lay out the smaller core, then ring the leaves
    around their neighbour.  ``mass`` counts the nodes a core node carries, so it gets room for them."""
    if len(g) <= SPRING_MAX:
        names = list(g)
        return names, _spring(g, names)
    leaves = [n for n in g if g.degree(n) == 1]
    if not leaves:
        return _force(g, mass)
    anchor = {leaf: next(iter(g[leaf])) for leaf in leaves}
    core_mass = {n: m for n, m in mass.items() if n not in anchor}
    for leaf, hub in anchor.items():
        core_mass[hub] += mass[leaf]
    names, pos = _component(_induced(g, core_mass), core_mass)
    where = dict(zip(names, pos))
    return names + leaves, np.vstack([pos, _sunflowers(anchor, where)])


def _induced(g: nx.Graph, keep) -> nx.Graph:
    """A plain subgraph: breadth-first searches on (nested) subgraph views are several times slower."""
    sub = nx.Graph()
    sub.add_nodes_from(keep)
    sub.add_edges_from((u, v) for u, v in g.edges(keep) if v in sub)
    return sub


def _spring(g: nx.Graph, names: list[str]) -> np.ndarray:
    if len(names) == 1:
        return np.zeros((1, 2))
    found = nx.spring_layout(g, seed=7)
    pos = np.array([found[n] for n in names])
    index = {n: i for i, n in enumerate(names)}
    ends = np.array([(index[u], index[v]) for u, v in g.edges()])
    return pos * (EDGE_LENGTH / np.median(np.linalg.norm(pos[ends[:, 0]] - pos[ends[:, 1]], axis=1)))


def _sunflowers(anchor: dict[str, str], where: dict[str, np.ndarray]) -> np.ndarray:
    """Leaves on a Vogel spiral around their hub: evenly spaced however many there are."""
    count: Counter = Counter()
    pos = np.empty((len(anchor), 2))
    for row, hub in enumerate(anchor.values()):
        i = count[hub]
        count[hub] += 1
        radius, angle = 0.45 * EDGE_LENGTH * np.sqrt(i + 5), i * 2.399963
        pos[row] = where[hub] + radius * np.array([np.cos(angle), np.sin(angle)])
    return pos


def _force(g: nx.Graph, mass: dict[str, int]) -> tuple[list[str], np.ndarray]:
    """Pivot MDS gets the global shape right in a few BFS; force steps then untangle it locally."""
    names = list(g)
    index = {n: i for i, n in enumerate(names)}
    ends = np.array([(index[u], index[v]) for u, v in g.edges()]).T
    weight = np.array([mass[n] for n in names], dtype=float)
    jitter = np.random.default_rng(7).normal(scale=0.05, size=(len(names), 2))
    return names, _refine((_pivot_mds(g, names) + jitter) * EDGE_LENGTH, ends, weight)


def _pivot_mds(g: nx.Graph, names: list[str]) -> np.ndarray:
    """Classical MDS on hop distances to a few far-apart pivots: O(pivots · edges), no n×n matrix."""
    hops = np.empty((len(names), min(PIVOTS, len(names))))
    nearest = np.full(len(names), np.inf)
    pivot = max(names, key=g.degree)
    for j in range(hops.shape[1]):
        found = nx.single_source_shortest_path_length(g, pivot)
        hops[:, j] = [found[n] for n in names]
        nearest = np.minimum(nearest, hops[:, j])
        pivot = names[int(np.argmax(nearest))]
    squared = hops**2
    centred = squared - squared.mean(axis=0) - squared.mean(axis=1, keepdims=True) + squared.mean()
    u, s, _ = np.linalg.svd(-0.5 * centred, full_matrices=False)
    return u[:, :2] * s[:2]


def _refine(pos: np.ndarray, ends: np.ndarray, mass: np.ndarray) -> np.ndarray:
    """Fruchterman-Reingold steps with a cooling step size; repulsion from grid-cell centroids makes a
    step O(n · GRID²) instead of O(n²)."""
    n, (i, j) = len(pos), ends
    for step in range(REFINE_STEPS):
        force = _repulsion(pos, mass)
        delta = pos[j] - pos[i]
        pull = delta * (np.linalg.norm(delta, axis=1, keepdims=True) / EDGE_LENGTH)
        for axis in (0, 1):
            force[:, axis] += np.bincount(i, pull[:, axis], n) - np.bincount(j, pull[:, axis], n)
        length = np.linalg.norm(force, axis=1, keepdims=True) + 1e-9
        limit = EDGE_LENGTH * (2.0 * (1 - step / REFINE_STEPS) + 0.05)
        pos = pos + force * (np.minimum(length, limit) / length)
    return pos


def _repulsion(pos: np.ndarray, mass: np.ndarray, rows: int = 4096) -> np.ndarray:
    """k²·m/d from every occupied cell's centroid; a node's own cell counts without the node itself."""
    lo, span = pos.min(axis=0), np.ptp(pos, axis=0).max() + 1e-9
    cell = np.minimum(((pos - lo) / span * GRID).astype(int), GRID - 1)
    _, own = np.unique(cell[:, 0] * GRID + cell[:, 1], return_inverse=True)
    m = np.bincount(own, mass)
    centre = np.stack([np.bincount(own, mass * pos[:, 0]), np.bincount(own, mass * pos[:, 1])], axis=1) / m[:, None]
    soft = (0.1 * EDGE_LENGTH) ** 2
    force = np.empty_like(pos)
    for a in range(0, len(pos), rows):
        p = pos[a : a + rows]
        w = m / ((p[:, :1] - centre[:, 0]) ** 2 + (p[:, 1:] - centre[:, 1]) ** 2 + soft)  # rows × cells
        force[a : a + rows] = p * w.sum(axis=1, keepdims=True) - w @ centre  # Σ w·(p - c)
    # The own-cell term above used the whole cell; without the node its mass is M-m and its centroid is
    # M/(M-m) further away, which scales the term by ((M-m)/M)².
    d = pos - centre[own]
    own_term = d * (m[own] / ((d**2).sum(axis=1) + soft))[:, None]
    force += own_term * (((m[own] - mass) / m[own]) ** 2 - 1)[:, None]
    return force * EDGE_LENGTH**2


def _pack(parts: list[tuple[list[str], np.ndarray]]) -> dict[str, tuple[float, float]]:
    """Shelf-pack component bounding boxes, biggest first, into rows about as wide as the picture is tall."""
    boxes = [(names, pos - pos.min(axis=0)) for names, pos in parts]
    sizes = [pos.max(axis=0) + EDGE_LENGTH for _, pos in boxes]
    width = max(max(w for w, _ in sizes), float(np.sqrt(sum(w * h for w, h in sizes))))
    placed: dict[str, tuple[float, float]] = {}
    x = y = row = 0.0
    for (names, pos), (w, h) in zip(boxes, sizes):
        if x and x + w > width:
            x, y, row = 0.0, y + row, 0.0
        for name, (px, py) in zip(names, pos):
            placed[name] = (round(float(px + x), 1), round(float(py + y), 1))
        x, row = x + w, max(row, h)
    return placed


def _options(n_nodes: int, precomputed: bool) -> dict:
    """Barnes-Hut with straight edges and a capped stabilisation (the page turns physics off afterwards),
    or no physics at all when the positions were computed here.

    Smooth (curved) edges add a hidden physics body per edge and never settle on big graphs, and
    ``improvedLayout`` is slow beyond a few hundred nodes.
    """
    return {
        "autoResize": True,
        "layout": {"improvedLayout": n_nodes <= 300 and not precomputed, "randomSeed": 7},
        "physics": {
            "enabled": not precomputed,
            "solver": "barnesHut",
            "barnesHut": {"gravitationalConstant": -6000, "centralGravity": 0.3, "springLength": 120,
                          "springConstant": 0.04, "damping": 0.2, "avoidOverlap": 0.3},
            "stabilization": {"enabled": True, "iterations": max(50, min(400, 100_000 // max(n_nodes, 1))),
                              "updateInterval": 50, "fit": True},
        },
        "nodes": {"font": {"face": FONT, "size": 14, "color": "#222", "strokeWidth": 3, "strokeColor": "#fff"},
                  "borderWidth": 1, "scaling": {"label": {"drawThreshold": LABEL_THRESHOLD}}},
        "kg": {"hubFont": HUB_FONT, "relayoutMax": RELAYOUT_MAX},
        "edges": {"smooth": False, "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
                  "font": {"face": FONT, "size": 10, "color": "#555", "strokeWidth": 3, "align": "middle"}},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": n_nodes > 500,
                        "navigationButtons": False, "keyboard": False},
    }


# Runs after vis-network: builds the network from the JSON block, freezes the layout once stabilised (or at
# once, if the positions came with the data), marks <body data-kg-drawn="1" data-kg-nodes=N
# data-kg-drawn-ms=T> after the first settled draw so tests, the benchmark and people can tell, and wires
# the filter panel: ``visibleIds`` mirrors ``_select`` in Python, then only changed items are updated.
_APP_JS = """
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var nodes = new vis.DataSet(data.nodes), edges = new vis.DataSet(data.edges);
  var network = new vis.Network(document.getElementById("kg-graph"), {}, data.options);
  var settled = !data.options.physics.enabled || data.nodes.length === 0;
  var body = document.body.dataset;
  window.kgNetwork = network;
  network.once("stabilizationIterationsDone", function () {
    settled = true;
    network.setOptions({physics: {enabled: false}});
    network.redraw();
  });
  network.on("afterDrawing", function () {
    if (!settled || body.kgDrawn) return;
    body.kgNodes = String(data.nodes.length);
    body.kgEdges = String(data.edges.length);
    body.kgDrawnMs = String(Math.round(performance.now()));
    body.kgDrawn = "1";
  });
  network.setData({nodes: nodes, edges: edges});
  if (settled) network.redraw();

  // Hubs keep a label of hubFont pixels on screen at every zoom (their font grows as the view zooms out),
  // best connected first, each only where it overlaps no hub label already kept: no pile of labels.
  var hubs = data.nodes.filter(function (n) { return n.hub; }).sort(function (a, b) { return a.hub - b.hub; });
  var hubScale = null;
  function sizeHubLabels() {
    var scale = network.getScale();
    if (!(scale > 0) || scale === hubScale) return;
    hubScale = scale;
    var px = data.options.kg.hubFont, size = Math.max(14, px / scale), kept = [], changes = [];
    var where = network.getPositions(hubs.map(function (n) { return n.id; }));
    hubs.forEach(function (n) {
      var p = where[n.id], item = nodes.get(n.id);
      if (!p || !item || item.hidden) return;
      var centre = network.canvasToDOM(p), half = n.label.length * px * 0.55, box = {
        left: centre.x - half, right: centre.x + half, top: centre.y, bottom: centre.y + 2.4 * px};
      var free = kept.every(function (k) {
        return box.right < k.left || box.left > k.right || box.bottom < k.top || box.top > k.bottom;
      });
      if (free) kept.push(box);
      changes.push(free ? {id: n.id, font: {size: size}, scaling: {label: {drawThreshold: 1}}}
                        : {id: n.id, font: {size: 14}, scaling: {label: {drawThreshold: data.options.nodes.scaling.label.drawThreshold}}});
    });
    nodes.update(changes);
    body.kgHubLabels = String(kept.length);
    body.kgHubFont = String(Math.round(size * scale));
  }
  network.on("zoom", sizeHubLabels);
  network.on("afterDrawing", sizeHubLabels);

  // Find: exact name first, then one starting with the text, then one containing it; shown nodes first.
  function find(text) {
    text = text.trim();
    if (!text) return null;
    var shown = data.nodes.filter(function (n) { return !(nodes.get(n.id) || {}).hidden; });
    var tests = [function (name) { return name === text; }, function (name) { return name.indexOf(text) === 0; },
                 function (name) { return name.indexOf(text) >= 0; }];
    for (var t = 0; t < tests.length; t++) {
      for (var pool = 0; pool < 2; pool++) {
        var hit = (pool === 0 ? shown : data.nodes).find(function (n) { return n.names.some(tests[t]); });
        if (hit) return hit;
      }
    }
    return null;
  }
  document.getElementById("kg-search").addEventListener("submit", function (e) {
    e.preventDefault();
    var hit = find(document.getElementById("kg-find").value), note = document.getElementById("kg-found");
    if (!hit) { note.textContent = "no node named so"; body.kgFound = ""; return; }
    if ((nodes.get(hit.id) || {}).hidden) nodes.update([{id: hit.id, hidden: false, physics: true}]);
    network.selectNodes([hit.id]);
    network.focus(hit.id, {scale: Math.max(network.getScale(), 1.2), animation: false});
    note.textContent = hit.label + " (" + hit.kind + ")";
    body.kgFound = hit.id;
  });
  document.getElementById("kg-find").addEventListener("change", function () {
    document.getElementById("kg-search").requestSubmit();
  });

  function inRange(day, first, last) {
    if (!/^[0-9]{4}/.test(day)) return true;
    return (!first || day >= first.slice(0, day.length)) && (!last || day.slice(0, last.length) <= last);
  }
  function between(kept, candidates) {
    return candidates.filter(function (e) { return kept.has(e.from) && kept.has(e.to); });
  }
  function lonelyPersons(live, kind, keep, least) {
    var eventsOf = new Map(), peopleAt = new Map(), lonely = new Set();
    function add(map, key, value) { (map.get(key) || map.set(key, new Set()).get(key)).add(value); }
    live.forEach(function (e) {
      if (e.relation === "participation" && kind.get(e.from) === "person") {
        add(eventsOf, e.from, e.to); add(peopleAt, e.to, e.from);
      }
    });
    keep.forEach(function (person) {
      if (kind.get(person) !== "person") return;
      var events = eventsOf.get(person) || new Set(), shared = new Map(), best = 0;
      if (events.size >= least) {
        events.forEach(function (event) {
          peopleAt.get(event).forEach(function (q) {
            if (q !== person) { shared.set(q, (shared.get(q) || 0) + 1); best = Math.max(best, shared.get(q)); }
          });
        });
      }
      if (best < least) lonely.add(person);
    });
    return lonely;
  }
  function visibleIds(f) {
    var kind = new Map(), keep = new Set();
    data.nodes.forEach(function (n) {
      kind.set(n.id, n.kind);
      if (inRange(n.date, f.from, f.to) && f.types.has(n.kind)) keep.add(n.id);
    });
    var live = between(keep, data.edges).filter(function (e) {
      return e.dates.some(function (d) { return inRange(d, f.from, f.to); });
    });
    if (f.minCoattendance > 0) {
      lonelyPersons(live, kind, keep, f.minCoattendance).forEach(function (p) { keep.delete(p); });
      live = between(keep, live);
    }
    if (f.top !== null) {
      var degree = new Map();
      live.forEach(function (e) {
        degree.set(e.from, (degree.get(e.from) || 0) + 1); degree.set(e.to, (degree.get(e.to) || 0) + 1);
      });
      var ranked = data.nodes.map(function (n) { return n.id; }).filter(function (id) { return degree.get(id); });
      ranked.sort(function (a, b) { return degree.get(b) - degree.get(a); });  // stable: ties keep data order
      keep = new Set(ranked.slice(0, f.top));
      live = between(keep, live);
    }
    var linked = new Set();
    live.forEach(function (e) { linked.add(e.from); linked.add(e.to); });
    return {nodes: linked, edges: new Set(live.map(function (e) { return e.id; }))};
  }
  function count(value) {
    var n = parseInt(value, 10);
    return n > 0 ? n : null;
  }
  function hideOthers(set, shown) {
    var changed = [];
    set.forEach(function (item) {
      var hidden = !shown.has(item.id);
      if (hidden !== Boolean(item.hidden)) changed.push({id: item.id, hidden: hidden, physics: !hidden});
    });
    set.update(changed);
  }
  // After filtering, what is shown gets a layout of its own (the old positions were made for everything):
  // physics runs on the shown nodes only, then stops; showing everything again restores the first layout.
  var original = data.nodes.filter(function (n) { return n.x !== undefined; })
    .map(function (n) { return {id: n.id, x: n.x, y: n.y}; });
  function relayout(count) {
    body.kgLaidOut = "";
    if (count === data.nodes.length && original.length) {
      network.setOptions({physics: {enabled: false}});
      nodes.update(original);
      network.fit();
      body.kgLaidOut = String(count);
      return;
    }
    if (count > data.options.kg.relayoutMax || count === 0) { network.fit(); body.kgLaidOut = String(count); return; }
    network.setOptions({physics: {enabled: true, stabilization: {enabled: true, iterations: 300, fit: true}}});
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({physics: {enabled: false}});
      network.fit();
      body.kgLaidOut = String(count);
    });
    network.stabilize(300);
  }
  function apply() {
    var shown = visibleIds({
      from: document.getElementById("kg-from").value, to: document.getElementById("kg-to").value,
      types: new Set([].filter.call(document.querySelectorAll("#kg-types input"), function (box) {
        return box.checked;
      }).map(function (box) { return box.value; })),
      minCoattendance: count(document.getElementById("kg-coattendance").value) || 0,
      top: count(document.getElementById("kg-top").value)
    });
    hideOthers(nodes, shown.nodes);
    hideOthers(edges, shown.edges);
    body.kgVisible = String(shown.nodes.size);
    relayout(shown.nodes.size);
    document.getElementById("kg-shown").textContent =
      shown.nodes.size + " of " + data.nodes.length + " nodes shown";
  }
  document.getElementById("kg-filters").addEventListener("change", apply);
  document.getElementById("kg-filters").addEventListener("submit", function (e) { e.preventDefault(); });
  body.kgVisible = String(data.nodes.length);
})();
"""

_PAGE_CSS = """
html, body { margin: 0; height: 100%; font-family: """ + FONT + """; color: #222; background: #fafafa; }
body { display: flex; flex-direction: column; }
header { padding: 8px 16px; border-bottom: 1px solid #ddd; background: #fff; }
header h1 { margin: 0; font-size: 18px; } header p { margin: 2px 0 0; font-size: 12px; color: #666; }
main { flex: 1; display: flex; min-height: 0; }
#kg-graph { flex: 1; min-width: 0; background: #fff; }
#kg-legend { width: 200px; padding: 8px 12px; border-left: 1px solid #ddd; font-size: 13px; overflow: auto; }
#kg-legend h2 { font-size: 13px; margin: 8px 0 4px; } #kg-legend ul { list-style: none; margin: 0; padding: 0; }
#kg-legend li { margin: 2px 0; } .glyph { display: inline-block; width: 1.3em; text-align: center; }
.line { display: inline-block; width: 1.3em; height: 0; border-top: 3px solid; vertical-align: middle;
        margin-right: 0.3em; }
#kg-filters label { display: block; margin: 3px 0; } #kg-filters input[type=date] { width: 100%; }
#kg-filters input[type=number] { width: 5em; } #kg-find { width: 100%; } #kg-filters fieldset { border: 0; margin: 0; padding: 0; }
.note { color: #666; font-size: 12px; margin: 2px 0; }
div.vis-tooltip { white-space: pre-wrap; max-width: 420px; font-family: inherit; }
"""

_TEMPLATE = jinja2.Environment(autoescape=True).from_string("""<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta name="generator" content="kg">
<meta http-equiv="Content-Security-Policy" content="{{ csp }}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>{{ vis_css }}</style>
<style>{{ page_css }}</style>
</head>
<body>
<header><h1>{{ title }}</h1><p>{{ n_nodes }} nodes · {{ n_edges }} links · hover for details
{%- if written %} · written with: {{ written }}{% endif %}</p></header>
<main>
<div id="kg-graph"></div>
<aside id="kg-legend">
<form id="kg-search">
<h2>Find</h2>
<input type="search" id="kg-find" placeholder="a name" list="kg-names" autocomplete="off">
<datalist id="kg-names">{% for name in names %}<option value="{{ name }}">{% endfor %}</datalist>
<p class="note" id="kg-found"></p>
</form>
<form id="kg-filters">
<h2>Filters</h2>
{% if date_span %}<p class="note">dates: {{ date_span[0] }} … {{ date_span[1] }}</p>{% endif %}
<label>from <input type="date" id="kg-from"></label>
<label>to <input type="date" id="kg-to"></label>
<fieldset id="kg-types">{% for kind, count in type_counts %}
<label><input type="checkbox" value="{{ kind }}" checked> {{ kind }} ({{ count }})</label>{% endfor %}
</fieldset>
<label>min. co-attendance <input type="number" id="kg-coattendance" min="0" step="1" value="0"></label>
<label>top by degree <input type="number" id="kg-top" min="1" step="1" placeholder="all"></label>
<p class="note" id="kg-shown">{{ n_nodes }} of {{ n_nodes }} nodes shown</p>
</form>
<h2>Types</h2>
<ul>{% for kind, colour, glyph in types %}
<li class="kg-type"><span class="glyph" style="color: {{ colour }}">{{ glyph }}</span>{{ kind }}</li>{% endfor %}
</ul>
<h2>Roles</h2>
<ul>{% for role, colour in roles %}
<li class="kg-role"><span class="line" style="color: {{ colour }}"></span>{{ role }}</li>{% endfor %}
<li class="kg-role"><span class="line" style="color: {{ other_colour }}"></span>other relations</li>
</ul>
</aside>
</main>
<script type="application/json" id="kg-data">{{ data_json }}</script>
<script>{{ vis_js }}</script>
<script>{{ app_js }}</script>
</body>
</html>
""")


def _csp(*scripts: str) -> str:
    """No network at all; only our own inline scripts (by hash) may run, so no injected handler can."""
    hashes = " ".join("'sha256-%s'" % base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()
                      for s in scripts)
    return (f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data: blob:; "
            "font-src data:; base-uri 'none'; form-action 'none'")


def _type_counts(nodes: list[dict]) -> list[tuple[str, int]]:
    """Types present, styled ones in table order first: the page's type check boxes."""
    counts = Counter(n["kind"] for n in nodes)
    order = list(NODE_STYLE) + sorted(set(counts) - set(NODE_STYLE))
    return [(kind, counts[kind]) for kind in order if counts[kind]]


def _written_with(date_from: str, date_to: str, types, min_coattendance: int, top: int | None) -> str:
    """The Python-side filters in words, for the header: the page's own filters act within them."""
    words = []
    if date_from or date_to:
        words.append(f"dates {date_from or '…'} to {date_to or '…'}")
    if types is not None:
        words.append("types " + ", ".join(sorted(types)))
    if min_coattendance > 0:
        words.append(f"co-attendance ≥ {min_coattendance}")
    if top is not None:
        words.append(f"top {top} by degree")
    return "; ".join(words)


def render_html(graph: nx.MultiDiGraph, *, title: str = "Who attended what",
                show_relations: Iterable[str] = DEFAULT_RELATIONS,
                date_from: str | date | None = None, date_to: str | date | None = None,
                types: Iterable[str] | None = None, min_coattendance: int = 0, top: int | None = None,
                precompute_above: int = PRECOMPUTE_ABOVE) -> str:
    """The page as text (``write_html`` writes it).

    Only edges whose relation is shown are drawn, and nodes only with an edge.  ``date_from``/``date_to``
    (ISO, inclusive) drop dated nodes and edges outside the range; ``types`` keeps nodes of those types;
    ``min_coattendance`` keeps a person only if they share that many events with another person; ``top``
    keeps the nodes with the most drawn edges (then any left without an edge go too).  Above
    ``precompute_above`` drawn nodes the layout is computed here and the page has no physics.
    """
    if top is not None and top < 1:
        raise ValueError(f"top must be at least 1, not {top}")
    first, last = (str(d) if d else "" for d in (date_from, date_to))
    kinds = None if types is None else set(types)
    all_edges = _edge_items(graph, set(show_relations))
    linked = {e["from"] for e in all_edges} | {e["to"] for e in all_edges}
    nodes, edges = _select([_node_item(graph, n) for n in graph.nodes if str(n) in linked], all_edges,
                           date_from=first, date_to=last, types=kinds, min_coattendance=min_coattendance, top=top)
    degree = Counter(e["from"] for e in edges) + Counter(e["to"] for e in edges)
    for rank, n in enumerate(sorted(nodes, key=lambda n: -degree[n["id"]])[:HUBS], 1):
        n["hub"] = rank  # 1 the best connected
        n["size"] += 8
    precomputed = len(nodes) > precompute_above
    if precomputed:
        where = _layout(nodes, edges)
        for n in nodes:
            n["x"], n["y"] = where[n["id"]]
    days = sorted(d for n in nodes if _YEAR.match(d := n["date"]))
    vis_js, vis_css = _vis_assets()
    data = {"nodes": nodes, "edges": edges, "options": _options(len(nodes), precomputed)}
    return _TEMPLATE.render(
        title=title, csp=_csp(vis_js, _APP_JS), n_nodes=len(nodes), n_edges=len(edges),
        written=_written_with(first, last, kinds, min_coattendance, top),
        date_span=(days[0], days[-1]) if days else None, type_counts=_type_counts(nodes),
        types=[(k, *NODE_STYLE.get(k, OTHER_STYLE)[::2]) for k, _ in _type_counts(nodes)], roles=list(ROLE_COLOUR.items()),
        other_colour=RELATION_COLOUR, data_json=Markup(_json_for_html(data)),
        vis_css=Markup(vis_css), page_css=Markup(_PAGE_CSS), names=sorted({n["label"] for n in nodes}),
        vis_js=Markup(vis_js), app_js=Markup(_APP_JS))


def write_html(graph: nx.MultiDiGraph, path: str | os.PathLike, *, title: str = "Who attended what",
               show_relations: Iterable[str] = DEFAULT_RELATIONS,
               date_from: str | date | None = None, date_to: str | date | None = None,
               types: Iterable[str] | None = None, min_coattendance: int = 0, top: int | None = None,
               precompute_above: int = PRECOMPUTE_ABOVE) -> Path:
    """Write the self-contained page atomically and return its path; the arguments are ``render_html``'s."""
    return atomic_write_text(path, render_html(
        graph, title=title, show_relations=show_relations, date_from=date_from, date_to=date_to, types=types,
        min_coattendance=min_coattendance, top=top, precompute_above=precompute_above))
