"""The who-attended-what page: draws offline, shows hostile text as text, never runs it.

Browser tests use the system Chromium through playwright (no ``playwright install``).  Every request that
is not file:// is aborted and recorded, and the page's Content-Security-Policy violations are recorded too,
so "nothing was loaded" and "nothing was injected" are both checked, not assumed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from html import unescape
from pathlib import Path

import networkx as nx
import pytest

from kg.views.visualise import NODE_STYLE, ROLE_COLOUR, render_html, write_html

XSS_SCRIPT = "<script>document.body.dataset.xss=1</script>"
XSS_IMG = '<img src=x onerror="document.body.dataset.xss=1">'
EX = "http://example.org/kg/"

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-background-timer-throttling", "--disable-renderer-backgrounding"]


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
    g.add_edge(EX + "article/a1", EX + "person/xi", relation="reporter", article="a1")
    return g


SHOWN = {n for n in hostile_graph().nodes if "article/" not in n}  # reporter edges are hidden by default


def page_data(html: str) -> dict:
    """The JSON block the page draws from."""
    block = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S)
    return json.loads(block.group(1))


# --- Plain tests: the file itself. ---------------------------------------------------------------------

def test_file_is_self_contained_and_written_atomically(tmp_path):
    out = write_html(hostile_graph(), tmp_path / "sub" / "kg.html")
    assert out == tmp_path / "sub" / "kg.html" and out.is_file()
    assert [p.name for p in out.parent.iterdir()] == ["kg.html"]  # no temp file left behind
    html = out.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]*\bsrc\s*=", html, re.I)
    assert not re.search(r"<link\b", html, re.I)
    assert not re.search(r"@import", html, re.I)
    assert not re.search(r"""(src|href)\s*=\s*["']?https?:""", html, re.I)
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html).group(1)
    assert "default-src 'none'" in unescape(csp)


def test_hostile_text_is_escaped_in_the_file():
    html = render_html(hostile_graph(), title='会议 </title><script>document.body.dataset.xss=1</script>')
    assert len(re.findall(r"</script", html, re.I)) == 3  # data, vis-network, ours: nothing injected
    assert XSS_SCRIPT not in html and XSS_IMG not in html
    assert "<title>会议 &lt;/title&gt;&lt;script&gt;" in html
    assert "\u2028" not in html.split('id="kg-data">')[1].split("</script>")[0]


def test_filtering_merging_and_tooltips():
    g = hostile_graph()
    data = page_data(render_html(g))
    assert {n["id"] for n in data["nodes"]} == SHOWN
    edges = {(e["from"], e["to"]): e for e in data["edges"]}
    assert len(data["edges"]) == 5  # two xi->cewc speaker edges merged; reporter edge hidden
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

def _chromium() -> str:
    found = next((p for p in ("/usr/bin/chromium", shutil.which("chromium")) if p and Path(p).exists()), None)
    if found is None:
        message = "Chromium not found (/usr/bin/chromium or chromium on PATH)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.fixture(scope="module")
def browser():
    executable = _chromium()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


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
    assert page.locator("#kg-legend li.kg-type").all_inner_texts() == [
        NODE_STYLE[k][2] + k for k in NODE_STYLE]
    roles = page.locator("#kg-legend li.kg-role").all_inner_texts()
    assert roles[: len(ROLE_COLOUR)] == list(ROLE_COLOUR)
    _assert_nothing_ran(page, attempted, errors)


def test_the_built_example_draws_offline(offline_page, built):
    """``kg build`` on the example page writes a picture that draws with the network blocked."""
    page, attempted, errors = offline_page
    _open(page, built / "graph.html")
    labels = set(page.evaluate("kgNetwork.body.data.nodes.get().map(n => n.label)"))
    officials = {"胡勇春", "郑云涛", "李浩锋", "吴东明", "胡天忠", "蒋华蒙", "陈伟强", "胡文建", "朱志昂", "朱长林"}
    assert officials | {"全省高质量项目建设和企业发展推进大会", "永康分会场", "市博物馆", "传化集团有限公司"} <= labels
    assert not labels & {"习近平", "陈晓苏", "杨成栋", "吕晓婷"}
    roles = set(page.evaluate("kgNetwork.body.data.edges.get().map(e => e.label)"))
    assert {"attendee", "speaker"} <= roles
    _assert_nothing_ran(page, attempted, errors)
