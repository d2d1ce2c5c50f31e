"""The who-attended-what page: draws offline, shows hostile text as text, never runs it; its filters mean
the same in Python and in the page; big graphs come with their layout and no physics.

Browser tests use the system Chromium through playwright (no ``playwright install``).  Every request that
is not file:// is aborted and recorded, and the page's Content-Security-Policy violations are recorded too,
so "nothing was loaded" and "nothing was injected" are both checked, not assumed.
"""

from __future__ import annotations

import json
import math
import os
import re
from html import unescape
from pathlib import Path

import networkx as nx
import pytest

from kg.views.visualise import NODE_STYLE, PRECOMPUTE_ABOVE, ROLE_COLOUR, render_html, write_html

XSS_SCRIPT = "<script>document.body.dataset.xss=1</script>"
XSS_IMG = '<img src=x onerror="document.body.dataset.xss=1">'
XSS_TYPE = XSS_IMG + ' "q" \'s\''  # a node type from the data: shown as a filter check box label
XSS_DATE = '2024-12-12"><script>document.body.dataset.xss=1</script>'  # starts like a date: in the span
EX = "http://example.org/kg/"


def hostile_graph() -> nx.MultiDiGraph:
    """A small meeting graph whose labels, ids and evidence try every trick we know."""
    g = nx.MultiDiGraph()
    g.add_node(EX + "person/xi", label="习近平", type="person", subtype="")
    g.add_node(EX + "person/evil1", label="李强" + XSS_SCRIPT, type="person", subtype="official")
    g.add_node(EX + "person/evil2", label=XSS_IMG + ' href \\ "quoted" \'single\'', type="person")
    g.add_node(EX + 'org/"></script><script>document.body.dataset.xss=1</script>',
               label="国务院 </SCRIPT x><!--<script> \u2028 &amp;", type="organization", subtype="government")
    g.add_node(EX + "event/cewc", label="中央经济工作会议", type="event", subtype="meeting",
               date="2024-12-11", venue=EX + "place/gh", description="<b>bold?</b> href=javascript:alert(1)")
    g.add_node(EX + "place/gh", label="北京人民大会堂", type="place", subtype="")
    g.add_node(EX + "article/a1", label="新华社 " + XSS_IMG, type="article", subtype="news")
    g.add_node(EX + "thing/1", label="某物", type=XSS_TYPE, subtype="", date=XSS_DATE)
    roles = {EX + "person/xi": "speaker", EX + "person/evil1": "chair", EX + "person/evil2": "attendee",
             EX + 'org/"></script><script>document.body.dataset.xss=1</script>': "host"}
    for person, role in roles.items():
        g.add_edge(person, EX + "event/cewc", relation="participation", role=role, date="2024-12-11",
                   venue=EX + "place/gh", article="a1",
                   evidence=f"{role}: </script>{XSS_IMG} “出席” \\ 'x' href")
    # A second source for the same (person, event, role): merged into one drawn edge.
    g.add_edge(EX + "person/xi", EX + "event/cewc", relation="participation", role="speaker",
               date="2024-12-11", article="a2", evidence="习近平在会上发表重要讲话。")
    g.add_edge(EX + "event/cewc", EX + "place/gh", relation="location", article="a1", evidence="在北京举行")
    g.add_edge(EX + "thing/1", EX + "event/cewc", relation="participation", role="guest", date=XSS_DATE)
    g.add_edge(EX + "article/a1", EX + "person/xi", relation="reporter", article="a1")
    return g


SHOWN = {n for n in hostile_graph().nodes if "article/" not in n}  # reporter edges are hidden by default


def page_data(html: str) -> dict:
    """The JSON block the page draws from."""
    block = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.DOTALL)
    return json.loads(block.group(1))


# --- Plain tests: the file itself. ---------------------------------------------------------------------

def test_file_is_self_contained_and_written_atomically(tmp_path):
    out = write_html(hostile_graph(), tmp_path / "sub" / "kg.html")
    assert out == tmp_path / "sub" / "kg.html" and out.is_file()
    assert [p.name for p in out.parent.iterdir()] == ["kg.html"]  # no temp file left behind
    html = out.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]*\bsrc\s*=", html, re.IGNORECASE)
    assert not re.search(r"<link\b", html, re.IGNORECASE)
    assert not re.search(r"@import", html, re.IGNORECASE)
    assert not re.search(r"""(src|href)\s*=\s*["']?https?:""", html, re.IGNORECASE)
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html).group(1)
    assert "default-src 'none'" in unescape(csp)


def test_hostile_text_is_escaped_in_the_file():
    html = render_html(hostile_graph(), title='会议 </title><script>document.body.dataset.xss=1</script>')
    assert len(re.findall(r"</script", html, re.IGNORECASE)) == 3  # data, vis-network, ours: nothing injected
    assert XSS_SCRIPT not in html and XSS_IMG not in html
    assert "<title>会议 &lt;/title&gt;&lt;script&gt;" in html
    assert "\u2028" not in html.split('id="kg-data">')[1].split("</script>")[0]


def test_filtering_merging_and_tooltips():
    g = hostile_graph()
    data = page_data(render_html(g))
    assert {n["id"] for n in data["nodes"]} == SHOWN
    edges = {(e["from"], e["to"]): e for e in data["edges"]}
    assert len(data["edges"]) == 6  # two xi->cewc speaker edges merged; reporter edge hidden
    speaker = edges[(EX + "person/xi", EX + "event/cewc")]
    assert speaker["label"] == "speaker" and "article a2" in speaker["title"] and "article a1" in speaker["title"]
    assert edges[(EX + "event/cewc", EX + "place/gh")]["label"] == "location"
    event = next(n for n in data["nodes"] if n["id"] == EX + "event/cewc")
    assert event["title"].splitlines()[:4] == ["中央经济工作会议", "event / meeting", "日期 date: 2024-12-11",
                                               "地点 venue: 北京人民大会堂"]
    assert event["shape"] == NODE_STYLE["event"][1]
    with_articles = page_data(render_html(g, show_relations=("reporter",)))
    assert {n["id"] for n in with_articles["nodes"]} == {EX + "article/a1", EX + "person/xi"}


# --- Browser tests. ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_page_path(tmp_path_factory):
    return write_html(hostile_graph(), tmp_path_factory.mktemp("viz") / "kg.html",
                      title="谁出席了什么 " + XSS_SCRIPT)


@pytest.fixture
def offline_page(browser):
    """A page with every non-file:// request aborted and recorded, and CSP violations recorded."""
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    attempted: list[str] = []

    def block(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            attempted.append(route.request.url)
            route.abort()

    context.route("**/*", block)
    context.add_init_script("""
        window.__kgViolations = [];
        window.__kgErrors = [];
        document.addEventListener("securitypolicyviolation",
            e => window.__kgViolations.push(e.violatedDirective + " " + e.blockedURI));
        window.addEventListener("error", e => window.__kgErrors.push(String(e.message)));
    """)
    page = context.new_page()
    page.on("request", lambda r: None if r.url.startswith("file://") else attempted.append(r.url))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page, attempted, errors
    context.close()


def _open(page, path: Path) -> None:
    """Load the page and wait until it says it is drawn (or fails: then stop waiting and say why)."""
    page.goto(path.as_uri())
    # A function, not an expression string: playwright polls string predicates with eval(), which the
    # page's Content-Security-Policy (rightly) forbids.
    page.wait_for_function("""() => document.body.dataset.kgDrawn === "1"
        || window.__kgErrors.length > 0 || window.__kgViolations.length > 0""", timeout=60_000)
    assert page.evaluate("[window.__kgErrors, window.__kgViolations]") == [[], []]
    assert page.evaluate("document.body.dataset.kgDrawn") == "1"


def _assert_nothing_ran(page, attempted, errors) -> None:
    assert attempted == []
    assert page.evaluate("window.__kgViolations") == []
    assert errors == []
    assert page.evaluate("document.body.dataset.xss") is None
    assert page.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0
    assert page.evaluate("document.scripts.length") == 3


def test_page_draws_offline(offline_page, hostile_page_path):
    page, attempted, errors = offline_page
    _open(page, hostile_page_path)
    assert page.evaluate("document.body.dataset.kgNodes") == str(len(SHOWN))
    assert page.evaluate("kgNetwork.body.data.nodes.length") == len(SHOWN)
    assert page.locator("#kg-graph canvas").count() == 1
    assert page.title() == "谁出席了什么 " + XSS_SCRIPT  # shown as text
    assert page.locator("h1").inner_text() == "谁出席了什么 " + XSS_SCRIPT
    _assert_nothing_ran(page, attempted, errors)


def test_empty_graph_still_reports_drawn(offline_page, tmp_path):
    page, attempted, errors = offline_page
    _open(page, write_html(nx.MultiDiGraph(), tmp_path / "empty.html"))
    assert page.evaluate("document.body.dataset.kgNodes") == "0"
    _assert_nothing_ran(page, attempted, errors)


def _to_screen(page, x: float, y: float) -> tuple[float, float]:
    """Canvas coordinates -> page coordinates via vis-network's own transform."""
    return tuple(page.evaluate("""([x, y]) => {
        const p = kgNetwork.canvasToDOM({x, y});
        const r = document.querySelector("#kg-graph canvas").getBoundingClientRect();
        return [r.left + p.x, r.top + p.y];
    }""", [x, y]))


def _tooltip_after_hover(page, x: float, y: float, expected_first_line: str) -> str:
    page.mouse.move(5, 5)
    page.mouse.move(x, y, steps=4)
    page.wait_for_function("""first => {
        const t = document.querySelector("div.vis-tooltip");
        return t && t.style.visibility === "visible" && t.innerText.split("\\n")[0] === first;
    }""", arg=expected_first_line, timeout=10_000)
    return page.evaluate("document.querySelector('div.vis-tooltip').innerText")


def test_hover_shows_hostile_text_verbatim_and_runs_nothing(offline_page, hostile_page_path):
    page, attempted, errors = offline_page
    _open(page, hostile_page_path)
    g = hostile_graph()
    positions = page.evaluate("kgNetwork.getPositions()")
    assert set(positions) == SHOWN
    for node, pos in positions.items():
        label = g.nodes[node]["label"]
        text = _tooltip_after_hover(page, *_to_screen(page, pos["x"], pos["y"]), label)
        assert text.split("\n")[1].startswith(g.nodes[node]["type"])
        # The tooltip is text: innerText turns newlines into <br>, and nothing else became an element.
        assert page.evaluate("[...document.querySelector('div.vis-tooltip').children].map(c => c.tagName)") \
            == ["BR"] * text.count("\n")
    # Edges: hover the midpoint of each straight edge; the evidence must appear verbatim.
    for person, role in (("person/evil2", "attendee"), ("person/evil1", "chair")):
        a, b = positions[EX + person], positions[EX + "event/cewc"]
        text = _tooltip_after_hover(page, *_to_screen(page, (a["x"] + b["x"]) / 2, (a["y"] + b["y"]) / 2),
                                    f"participation: {role}")
        assert f"{role}: </script>{XSS_IMG} “出席” \\ 'x' href" in text
        assert "2024-12-11 · 北京人民大会堂 · article a1" in text
    _assert_nothing_ran(page, attempted, errors)


def test_legend_lists_types_and_roles(offline_page, hostile_page_path):
    page, attempted, errors = offline_page
    _open(page, hostile_page_path)
    legend = page.locator("#kg-legend")
    assert legend.is_visible()
    assert page.locator("#kg-legend li.kg-type").all_inner_texts() == [  # the types present, no others (no article)
        NODE_STYLE[k][2] + k for k in ("person", "organization", "place", "event")] + ["●" + XSS_TYPE]
    roles = page.locator("#kg-legend li.kg-role").all_inner_texts()
    assert roles[: len(ROLE_COLOUR)] == list(ROLE_COLOUR)
    _assert_nothing_ran(page, attempted, errors)


def test_the_built_example_draws_offline(offline_page, built):
    """``kg build`` on the example page writes a picture that draws with the network blocked."""
    page, attempted, errors = offline_page
    _open(page, built / "graph.html")
    labels = set(page.evaluate("kgNetwork.body.data.nodes.get().map(n => n.label)"))
    officials = {"胡勇春", "郑云涛", "李浩锋", "吴东明", "胡天忠", "蒋华蒙", "陈伟强", "胡文建", "朱志昂", "朱长林"}
    assert officials | {"全省高质量项目建设和企业发展推进大会", "永康分会场", "市博物馆", "传化集团"} <= labels
    assert not labels & {"习近平", "陈晓苏", "杨成栋", "吕晓婷"}
    roles = set(page.evaluate("kgNetwork.body.data.edges.get().map(e => e.label)"))
    assert {"attendee", "speaker"} <= roles
    _assert_nothing_ran(page, attempted, errors)


# --- Filters: the same answer from the Python keywords and from the page's control panel. -------------

def meetings_graph() -> nx.MultiDiGraph:
    """Four meetings: a and b share two, a and c share two, d shares one, "lone" shares none.

    Drawn degrees: e1 and e2 have 4 edges, a and e3 have 3 (a comes first in node order).
    """
    g = nx.MultiDiGraph()
    for person in "abcd":
        g.add_node(person, label=person.upper(), type="person")
    g.add_node("lone", label="Lone", type="person")
    for event, day in (("e1", "2024-01-10"), ("e2", "2024-02-10"), ("e3", "2024-03-10"), ("e4", "2024-03")):
        g.add_node(event, label=event, type="event", date=day)
    g.add_node("p1", label="Hall", type="place")
    g.add_node("o1", label="Office", type="organization")
    for person, events in (("a", "e1 e2 e3"), ("b", "e1 e2"), ("c", "e1 e3"), ("d", "e3"), ("lone", "e4")):
        for event in events.split():
            g.add_edge(person, event, relation="participation", role="attendee", date=g.nodes[event]["date"])
    g.add_edge("a", "e3", relation="participation", role="speaker", date="2024-03-10")  # a second drawn edge
    g.add_edge("o1", "e2", relation="participation", role="host", date="2024-02-10")
    for event in ("e1", "e2"):
        g.add_edge(event, "p1", relation="location")
    return g


EVERYONE = set(meetings_graph().nodes)
FILTER_CASES = [  # (keywords, nodes drawn)
    ({}, EVERYONE),
    ({"date_from": "2024-02-01"}, EVERYONE - {"e1"}),
    ({"date_to": "2024-02-28"}, EVERYONE - {"e3", "e4", "d", "lone"}),
    ({"date_from": "2024-03-05"}, {"a", "c", "d", "e3", "lone", "e4"}),  # "2024-03" may be after the 5th
    ({"types": ["person", "event"]}, EVERYONE - {"p1", "o1"}),
    ({"types": ["person", "place"]}, set()),  # nothing links persons and places directly
    ({"min_coattendance": 1}, EVERYONE - {"lone", "e4"}),
    ({"min_coattendance": 2}, EVERYONE - {"lone", "e4", "d"}),
    ({"min_coattendance": 3}, {"e1", "e2", "p1", "o1"}),
    ({"min_coattendance": 2, "date_from": "2024-02-01"}, {"e2", "p1", "o1"}),  # no pair shares two after January
    ({"top": 3}, {"e1", "e2", "a"}),
    ({"top": 4, "types": ["person", "event", "organization"]}, {"e1", "e2", "e3", "a"}),
]


@pytest.mark.parametrize(("keywords", "expected"), FILTER_CASES)
def test_python_filters_choose_what_is_written(keywords, expected):
    data = page_data(render_html(meetings_graph(), **keywords))
    assert {n["id"] for n in data["nodes"]} == expected
    assert all(e["from"] in expected and e["to"] in expected for e in data["edges"])


def test_python_filters_drop_edges_outside_the_dates_and_say_so():
    html = render_html(meetings_graph(), date_from="2024-02-01", date_to="2024-02-28", top=10)
    data = page_data(html)
    assert {(e["from"], e["to"]) for e in data["edges"]} == {("a", "e2"), ("b", "e2"), ("o1", "e2"),
                                                              ("e2", "p1")}
    assert "written with: dates 2024-02-01 to 2024-02-28; top 10 by degree" in html
    with pytest.raises(ValueError):
        render_html(meetings_graph(), top=0)


# --- Layout: above the threshold the positions come with the data and physics is off. -------------------

def star_graph(events: int, people: int) -> nx.MultiDiGraph:
    """``events`` meetings in a chain of shared attendees, each with ``people`` who attend only it."""
    g = nx.MultiDiGraph()
    for i in range(events):
        g.add_node(f"e{i}", label=f"会议{i}", type="event", date="2024-01-01")
        for j in range(people):
            g.add_node(f"p{i}.{j}", label=f"人{i}.{j}", type="person")
            g.add_edge(f"p{i}.{j}", f"e{i}", relation="participation", role="attendee")
        if i:
            g.add_edge(f"p{i - 1}.0", f"e{i}", relation="participation", role="attendee")
    g.add_node("p-alone", label="alone", type="person")  # a second component
    g.add_node("e-alone", label="alone", type="event")
    g.add_edge("p-alone", "e-alone", relation="participation", role="attendee")
    return g


def test_small_pictures_use_physics_big_ones_a_precomputed_layout():
    small = page_data(render_html(meetings_graph()))
    assert small["options"]["physics"]["enabled"] is True
    assert not any("x" in n for n in small["nodes"])
    big_graph = star_graph(40, 10)
    assert big_graph.number_of_nodes() > PRECOMPUTE_ABOVE
    big = page_data(render_html(big_graph))
    assert big["options"]["physics"]["enabled"] is False
    assert big["options"]["layout"]["improvedLayout"] is False
    positions = {n["id"]: (n["x"], n["y"]) for n in big["nodes"]}
    assert len(positions) == big_graph.number_of_nodes()
    assert len(set(positions.values())) == len(positions)  # no two nodes on the same spot
    # Linked nodes are near each other compared with the size of the picture.
    xs, ys = zip(*positions.values())
    span = max(max(xs) - min(xs), max(ys) - min(ys))
    far = [e for e in big["edges"] if math.dist(positions[e["from"]], positions[e["to"]]) > span / 3]
    assert len(far) < len(big["edges"]) / 20
    forced = page_data(render_html(meetings_graph(), precompute_above=0))
    assert forced["options"]["physics"]["enabled"] is False and all("x" in n for n in forced["nodes"])


def test_the_page_keeps_a_precomputed_layout(offline_page, tmp_path):
    page, attempted, errors = offline_page
    path = write_html(star_graph(40, 10), tmp_path / "big.html")
    _open(page, path)
    drawn = page.evaluate("kgNetwork.getPositions()")
    for node in page_data(path.read_text(encoding="utf-8"))["nodes"]:
        assert drawn[node["id"]] == pytest.approx({"x": node["x"], "y": node["y"]}, abs=1)  # rounded there
    assert page.evaluate("kgNetwork.physics.physicsEnabled") is False
    _assert_nothing_ran(page, attempted, errors)


# --- The page's own filters. ---------------------------------------------------------------------------

def _shown(page) -> set[str]:
    """Nodes the network really draws (vis-network leaves hidden ones out of ``nodeIndices``)."""
    ids = page.evaluate("kgNetwork.body.nodeIndices")
    assert page.evaluate("document.body.dataset.kgVisible") == str(len(ids))
    return set(ids)


def _set_filters(page, *, date_from="", date_to="", types=None, min_coattendance=0, top=None) -> None:
    """Fill the control panel like a person would; each control applies on "change"."""
    page.fill("#kg-from", date_from)
    page.fill("#kg-to", date_to)
    for box in page.locator("#kg-types input").all():
        box.set_checked(types is None or box.get_attribute("value") in types)
    page.fill("#kg-coattendance", str(min_coattendance))
    page.fill("#kg-top", "" if top is None else str(top))
    page.locator("#kg-top").dispatch_event("change")


@pytest.fixture(scope="module")
def meetings_page_path(tmp_path_factory):
    return write_html(meetings_graph(), tmp_path_factory.mktemp("viz") / "meetings.html")


def test_page_filters_match_the_python_ones(offline_page, meetings_page_path):
    page, attempted, errors = offline_page
    _open(page, meetings_page_path)
    assert _shown(page) == EVERYONE
    for keywords, expected in FILTER_CASES:
        _set_filters(page, **keywords)
        assert _shown(page) == expected, keywords
        edges = page.evaluate("kgNetwork.body.data.edges.get({filter: e => !e.hidden}).map(e => [e.from, e.to])")
        assert all(a in expected and b in expected for a, b in edges)
    _set_filters(page)
    assert _shown(page) == EVERYONE
    assert page.locator("#kg-shown").inner_text() == f"{len(EVERYONE)} of {len(EVERYONE)} nodes shown"
    _assert_nothing_ran(page, attempted, errors)


def test_toggling_a_type_or_the_coattendance_hides_and_shows(offline_page, meetings_page_path):
    page, attempted, errors = offline_page
    _open(page, meetings_page_path)
    person = page.locator('#kg-types input[value="person"]')
    person.uncheck()
    assert _shown(page) == {"e1", "e2", "p1", "o1"}  # e3 and e4 had only persons
    person.check()
    assert _shown(page) == EVERYONE
    page.fill("#kg-coattendance", "2")
    page.locator("#kg-coattendance").press("Enter")  # the form must not submit (CSP: form-action 'none')
    page.locator("#kg-coattendance").dispatch_event("change")
    assert _shown(page) == EVERYONE - {"lone", "e4", "d"}
    page.fill("#kg-coattendance", "0")
    page.locator("#kg-coattendance").dispatch_event("change")
    assert _shown(page) == EVERYONE
    _assert_nothing_ran(page, attempted, errors)


def test_control_panel_shows_hostile_types_and_dates_as_text(offline_page, hostile_page_path):
    html = hostile_page_path.read_text(encoding="utf-8")
    assert XSS_TYPE not in html and XSS_DATE not in html
    page, attempted, errors = offline_page
    _open(page, hostile_page_path)
    box = page.locator("#kg-types input").nth(len(page.locator("#kg-types input").all()) - 1)
    assert box.get_attribute("value") == XSS_TYPE
    assert page.locator("#kg-types label").last.inner_text().strip() == f"{XSS_TYPE} (1)"
    assert XSS_DATE in page.locator("#kg-filters").inner_text()
    box.uncheck()
    assert _shown(page) == SHOWN - {EX + "thing/1"}
    box.check()
    assert _shown(page) == SHOWN
    _assert_nothing_ran(page, attempted, errors)


# --- Reading a big picture: hub labels, search, posts in tooltips, a new layout after filtering. --------

def test_hub_labels_stay_readable_at_full_view_and_others_wait_for_zoom(offline_page, tmp_path):
    from kg.views.visualise import HUB_FONT, HUBS

    page, attempted, errors = offline_page
    graph = star_graph(40, 10)
    path = write_html(graph, tmp_path / "big.html")
    data = page_data(path.read_text(encoding="utf-8"))
    hubs = [n["id"] for n in sorted((n for n in data["nodes"] if n.get("hub")), key=lambda n: n["hub"])]
    assert len(hubs) == HUBS and all(h.startswith("e") or h.endswith(".0") for h in hubs)  # the meetings and the chain
    _open(page, path)
    page.evaluate("kgNetwork.fit()")
    page.wait_for_function("() => document.body.dataset.kgHubFont !== undefined")
    scale = page.evaluate("kgNetwork.getScale()")
    assert scale < 0.5  # zoomed far out: 442 nodes in 1200×800
    best = max(data["nodes"], key=lambda n: -n.get("hub", 10**9))["id"]  # hub 1
    sizes = {h: page.evaluate(f"kgNetwork.body.nodes[{json.dumps(h)}].options.font.size") * scale for h in hubs}
    assert sizes[best] == pytest.approx(HUB_FONT, rel=0.05)  # on screen: HUB_FONT pixels, above the draw threshold
    labelled = [h for h in hubs if sizes[h] == pytest.approx(HUB_FONT, rel=0.05)]
    assert len(labelled) == int(page.evaluate("document.body.dataset.kgHubLabels")) >= 3
    boxes = page.evaluate(f"{json.dumps(labelled)}.map(id => kgNetwork.getBoundingBox(id))")  # node and label, canvas units
    for i, a in enumerate(boxes):  # the labels kept do not pile up on one another
        for b in boxes[i + 1:]:
            overlap_x = min(a["right"], b["right"]) - max(a["left"], b["left"])
            overlap_y = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
            assert overlap_x <= 0 or overlap_y <= 0 or overlap_x * overlap_y < 0.5 * (a["right"] - a["left"]) * (a["bottom"] - a["top"])
    leaf = next(n["id"] for n in data["nodes"] if n["id"] not in hubs)
    assert page.evaluate(f"kgNetwork.body.nodes[{json.dumps(leaf)}].options.font.size") * scale < data["options"]["nodes"]["scaling"]["label"]["drawThreshold"]
    _assert_nothing_ran(page, attempted, errors)


def test_search_box_finds_and_focuses_a_node(offline_page, tmp_path):
    page, attempted, errors = offline_page
    path = write_html(star_graph(40, 10), tmp_path / "big.html")
    _open(page, path)
    page.fill("#kg-find", "人17.3")
    page.press("#kg-find", "Enter")
    assert page.evaluate("document.body.dataset.kgFound") == "p17.3"
    assert page.evaluate("kgNetwork.getSelectedNodes()") == ["p17.3"]
    centre = page.evaluate("kgNetwork.getViewPosition()")
    where = page.evaluate("kgNetwork.getPositions(['p17.3'])['p17.3']")
    assert centre == pytest.approx(where, abs=2)
    page.fill("#kg-find", "会议3")  # a prefix: 会议3 itself first
    page.press("#kg-find", "Enter")
    assert page.evaluate("document.body.dataset.kgFound") == "e3"
    page.fill("#kg-find", "无此人")
    page.press("#kg-find", "Enter")
    assert page.locator("#kg-found").inner_text() == "no node named so"
    _assert_nothing_ran(page, attempted, errors)


def test_filtering_lays_out_what_is_shown_afresh(offline_page, tmp_path):
    page, attempted, errors = offline_page
    path = write_html(star_graph(40, 10), tmp_path / "big.html")
    _open(page, path)
    before = page.evaluate("kgNetwork.getPositions()")
    _set_filters(page, top=100)  # the 40 meetings and the chain of people who link them
    page.wait_for_function("() => document.body.dataset.kgLaidOut === String(kgNetwork.body.nodeIndices.length)", timeout=60_000)
    shown = _shown(page)
    assert len(shown) > 40
    after = page.evaluate("kgNetwork.getPositions()")
    moved = [n for n in shown if math.dist((before[n]["x"], before[n]["y"]), (after[n]["x"], after[n]["y"])) > 1]
    assert len(moved) > len(shown) / 2
    edges = page.evaluate("kgNetwork.body.edgeIndices.map(id => [kgNetwork.body.edges[id].fromId, kgNetwork.body.edges[id].toId])")
    lengths = sorted(math.dist((after[a]["x"], after[a]["y"]), (after[b]["x"], after[b]["y"])) for a, b in edges)
    assert 40 < lengths[len(lengths) // 2] < 400  # linked nodes at about the spring length: a layout of what is shown
    assert page.evaluate("kgNetwork.physics.physicsEnabled") is False  # and still again
    _set_filters(page)  # everything again: the first layout back
    page.wait_for_function(f"() => document.body.dataset.kgLaidOut === '{len(before)}'")
    again = page.evaluate("kgNetwork.getPositions()")
    assert all(again[n] == pytest.approx(before[n], abs=1) for n in before)
    _assert_nothing_ran(page, attempted, errors)


def test_person_tooltips_carry_posts_and_only_present_types_are_listed(built):
    from kg.graph.store import open_store
    from kg.views.network import to_networkx

    store = open_store(built, read_only=True)
    graph = to_networkx(store)
    store.close()
    xi = next(n for n, d in graph.nodes(data=True) if d["label"] == "习近平")
    assert graph.nodes[xi]["posts"] == "总书记 (2024-01-12)"
    data = page_data(render_html(graph))
    node = next((n for n in data["nodes"] if n["id"] == xi), None)
    if node is not None:
        assert "职务 posts: 总书记 (2024-01-12)" in node["title"]
    hostile = render_html(hostile_graph())
    legend = re.findall(r'<li class="kg-type">.*?</span>(.*?)</li>', hostile)
    assert "article" not in legend and "post" not in legend and legend[:4] == ["person", "organization", "place", "event"]


# --- The picture of a big store: its best-connected nodes chosen in the store. ----------------------------

@pytest.fixture(scope="module")
def few_articles(tmp_path_factory):
    """The example page and two short reports of its people, built and resolved into one store."""
    from conftest import EXAMPLE

    from kg.graph.build import build
    from kg.graph.identity import resolve_store
    from kg.graph.store import OxigraphStore
    from kg.ingest import read_articles
    from kg.model import Article

    store = OxigraphStore(tmp_path_factory.mktemp("few") / "store")
    build([*read_articles([str(EXAMPLE)], pub_date="2024-01-12"),
           Article(id="visit", text="本报讯 1月10日，市委书记胡勇春、市长郑云涛到传化集团调研。", date="2024-01-11", source="永康日报", home_place="永康市"),
           Article(id="forum", text="本报讯 1月11日，全市企业家座谈会召开。市长郑云涛出席会议并讲话，李浩锋主持。", date="2024-01-12", source="永康日报", home_place="永康市")], store)
    resolve_store(store)
    yield store
    store.close()


@pytest.mark.parametrize("top", [3, 9, 25])
def test_a_big_store_is_drawn_with_the_nodes_the_whole_graph_would_keep(few_articles, top):
    """The nodes and edges (and so the layout) of ``top`` chosen from the store's edges alone, then
    read for them only, are those of the whole graph's picture with ``top``."""
    from kg.views.network import best_connected, to_networkx

    whole = to_networkx(few_articles)
    chosen, nodes = best_connected(few_articles, top)
    assert nodes == whole.number_of_nodes() > top
    part = to_networkx(few_articles, only=chosen)
    assert part.number_of_nodes() <= top < whole.number_of_nodes()
    expected, drawn = page_data(render_html(whole, top=top)), page_data(render_html(part, top=top))
    assert [n["id"] for n in drawn["nodes"]] == [n["id"] for n in expected["nodes"]] and drawn["nodes"]
    assert [n["title"] for n in drawn["nodes"]] == [n["title"] for n in expected["nodes"]]
    assert [(e["from"], e["to"], e["label"]) for e in drawn["edges"]] == [(e["from"], e["to"], e["label"]) for e in expected["edges"]]


def test_the_chosen_nodes_read_side_by_side_are_the_graph_read_one_query_at_a_time(few_articles, monkeypatch):
    from kg.views.network import best_connected, to_networkx

    def read(threads: int):
        monkeypatch.setattr(few_articles, "read_threads", threads)
        chosen, nodes = best_connected(few_articles, 9)
        g = to_networkx(few_articles, only=chosen)
        return chosen, nodes, list(g.nodes(data=True)), list(g.edges(keys=True, data=True))

    alone = read(1)
    assert alone[2] and alone[3] and read(4) == alone == read(2)


@pytest.mark.parametrize("relations", [("participation", "reporter", "photographer", "correspondent"), ("reporter", "photographer", "correspondent"), ("location", "part of"), ()])
def test_nodes_chosen_for_other_relations_are_those_the_whole_graph_s_picture_of_them_keeps(few_articles, relations):
    """best_connected reads the credits only when a relation it draws is a credit's role: the
    nodes it chooses for any relations are those of the whole graph's picture of them."""
    from kg.views.network import _links, best_connected, to_networkx

    assert ("kgo:creditOf" in _links(relations)) == bool(set(relations) & {"reporter", "photographer", "correspondent"})
    whole = to_networkx(few_articles)
    chosen, _ = best_connected(few_articles, 9, relations)
    expected = page_data(render_html(whole, top=9, show_relations=relations))
    drawn = page_data(render_html(to_networkx(few_articles, only=chosen), top=9, show_relations=relations))
    assert [n["id"] for n in drawn["nodes"]] == [n["id"] for n in expected["nodes"]]
    if relations[:1] == ("reporter",):
        assert {e["label"] for e in drawn["edges"]} == {"reporter", "photographer"}  # the example page's credits, drawn


_LAYOUT_OF = """
import json
from kg.views.visualise import _layout
nodes = [{"id": f"n{i}"} for i in range(700)]
edges = [{"from": f"n{i}", "to": f"n{(i + 1) % 400}"} for i in range(400)]  # a ring of 400: the force layout
edges += [{"from": f"n{i % 400}", "to": f"n{i}"} for i in range(400, 600)]  # leaves around it
edges += [{"from": f"n{i}", "to": f"n{i + 1}"} for i in range(600, 700, 2)]  # fifty components of two
print(json.dumps(_layout(nodes, edges), sort_keys=True))
"""


def test_the_layout_is_the_same_whatever_the_hash_seed():
    """The picture's positions follow the graph alone: its components' nodes in the graph's order,
    components of one size in the order of their first node (a set's order changes with the seed)."""
    import subprocess
    import sys

    root = str(Path(__file__).resolve().parents[1])
    runs = [subprocess.run([sys.executable, "-c", _LAYOUT_OF], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONPATH": root, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")]
    assert runs[0] and runs[0] == runs[1] == runs[2]
