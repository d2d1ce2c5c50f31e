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
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Iterable

import jinja2
import networkx as nx
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
EVIDENCE_MAX = 300  # characters of an evidence sentence in a tooltip
SOURCES_MAX = 3  # sources listed per drawn edge (parallel edges are merged into one)
FONT = '"Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif'

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
    if attrs.get("description"):
        lines.append(_short(str(attrs["description"]), EVIDENCE_MAX))
    return {"id": str(node), "label": _short(label, LABEL_MAX), "title": "\n".join(lines),
            "color": colour, "shape": shape, "size": 18 if kind == "event" else 12}


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
                      "color": {"color": colour, "highlight": colour, "hover": colour},
                      "width": min(1 + len(sources), 6)})
    return items


def _options(n_nodes: int) -> dict:
    """Barnes-Hut with straight edges and a capped stabilisation; the page turns physics off afterwards.

    Smooth (curved) edges add a hidden physics body per edge and never settle on big graphs, and
    ``improvedLayout`` is slow beyond a few hundred nodes.  Past ~2,000 nodes, draw a filtered view instead.
    """
    return {
        "autoResize": True,
        "layout": {"improvedLayout": n_nodes <= 300, "randomSeed": 7},
        "physics": {
            "enabled": True,
            "solver": "barnesHut",
            "barnesHut": {"gravitationalConstant": -6000, "centralGravity": 0.3, "springLength": 120,
                          "springConstant": 0.04, "damping": 0.2, "avoidOverlap": 0.3},
            "stabilization": {"enabled": True, "iterations": max(50, min(400, 100_000 // max(n_nodes, 1))),
                              "updateInterval": 50, "fit": True},
        },
        "nodes": {"font": {"face": FONT, "size": 14, "color": "#222", "strokeWidth": 3, "strokeColor": "#fff"},
                  "borderWidth": 1},
        "edges": {"smooth": False, "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
                  "font": {"face": FONT, "size": 10, "color": "#555", "strokeWidth": 3, "align": "middle"}},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": n_nodes > 500,
                        "navigationButtons": False, "keyboard": False},
    }


# Runs after vis-network: builds the network from the JSON block, freezes the layout once stabilised, and
# marks <body data-kg-drawn="1" data-kg-nodes=N> after the first settled draw so tests (and people) can tell.
_APP_JS = """
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var network = new vis.Network(document.getElementById("kg-graph"), {}, data.options);
  var settled = false;
  window.kgNetwork = network;
  network.once("stabilizationIterationsDone", function () {
    settled = true;
    network.setOptions({physics: {enabled: false}});
    network.redraw();
  });
  network.on("afterDrawing", function () {
    if (!settled || document.body.dataset.kgDrawn) return;
    document.body.dataset.kgNodes = String(data.nodes.length);
    document.body.dataset.kgEdges = String(data.edges.length);
    document.body.dataset.kgDrawn = "1";
  });
  network.setData({nodes: new vis.DataSet(data.nodes), edges: new vis.DataSet(data.edges)});
  if (data.nodes.length === 0) { settled = true; network.redraw(); }
})();
"""

_PAGE_CSS = """
html, body { margin: 0; height: 100%; font-family: """ + FONT + """; color: #222; background: #fafafa; }
body { display: flex; flex-direction: column; }
header { padding: 8px 16px; border-bottom: 1px solid #ddd; background: #fff; }
header h1 { margin: 0; font-size: 18px; } header p { margin: 2px 0 0; font-size: 12px; color: #666; }
main { flex: 1; display: flex; min-height: 0; }
#kg-graph { flex: 1; min-width: 0; background: #fff; }
#kg-legend { width: 170px; padding: 8px 12px; border-left: 1px solid #ddd; font-size: 13px; overflow: auto; }
#kg-legend h2 { font-size: 13px; margin: 8px 0 4px; } #kg-legend ul { list-style: none; margin: 0; padding: 0; }
#kg-legend li { margin: 2px 0; } .glyph { display: inline-block; width: 1.3em; text-align: center; }
.line { display: inline-block; width: 1.3em; height: 0; border-top: 3px solid; vertical-align: middle;
        margin-right: 0.3em; }
div.vis-tooltip { white-space: pre-wrap; max-width: 420px; font-family: inherit; }
"""

_TEMPLATE = jinja2.Environment(autoescape=True).from_string("""<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{ csp }}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>{{ vis_css }}</style>
<style>{{ page_css }}</style>
</head>
<body>
<header><h1>{{ title }}</h1><p>{{ n_nodes }} nodes · {{ n_edges }} links · hover for details</p></header>
<main>
<div id="kg-graph"></div>
<aside id="kg-legend">
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


def render_html(graph: nx.MultiDiGraph, *, title: str = "Who attended what",
                show_relations: Iterable[str] = DEFAULT_RELATIONS) -> str:
    """The page as text (``write_html`` writes it); only edges whose relation is shown, and their nodes."""
    edges = _edge_items(graph, set(show_relations))
    shown = {e["from"] for e in edges} | {e["to"] for e in edges}
    nodes = [_node_item(graph, n) for n in graph.nodes if str(n) in shown]
    vis_js, vis_css = _vis_assets()
    data = {"nodes": nodes, "edges": edges, "options": _options(len(nodes))}
    return _TEMPLATE.render(
        title=title, csp=_csp(vis_js, _APP_JS), n_nodes=len(nodes), n_edges=len(edges),
        types=[(k, c, g) for k, (c, _, g) in NODE_STYLE.items()], roles=list(ROLE_COLOUR.items()),
        other_colour=RELATION_COLOUR, data_json=Markup(_json_for_html(data)),
        vis_css=Markup(vis_css), page_css=Markup(_PAGE_CSS),
        vis_js=Markup(vis_js), app_js=Markup(_APP_JS))


def write_html(graph: nx.MultiDiGraph, path: str | os.PathLike, *, title: str = "Who attended what",
               show_relations: Iterable[str] = DEFAULT_RELATIONS) -> Path:
    """Write the self-contained page atomically and return its path."""
    return atomic_write_text(path, render_html(graph, title=title, show_relations=show_relations))
