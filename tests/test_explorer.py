"""The explorer of ``kg serve``: pages and their JSON over a real build, searched in both scripts;
untrusted text (article text, names, search boxes) never spliced into SPARQL nor run in a page;
and, in headless Chromium with every request off the server blocked, an analyst's path from the
first page to a person, an event and an article with its evidence marked.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import quote

import pytest

from conftest import EXAMPLE

XSS = "document.body.dataset.xss=1"
HOSTILE = {
    "id": "hostile-1", "date": "2024-01-12", "title": f"全省经济工作会议召开<script>{XSS}</script>",
    "text": f"1月11日，全省经济工作会议在杭州召开。省委书记易炼红出席会议并讲话。<script>{XSS}</script>"
            f"省长王浩<img src=x onerror=\"{XSS}\">主持会议。\"}}] }} DROP ALL ; 胡勇春参加会议。",
}


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    from kg.cli import main

    out = tmp_path_factory.mktemp("explorer")
    feed = out / "hostile.jsonl"
    feed.write_text(json.dumps(HOSTILE, ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["build", str(EXAMPLE), str(feed), "--pub-date", "2024-01-12", "-o", str(out / "built"), "--jobs", "1", "--no-picture"]) == 0
    return out / "built"


@pytest.fixture(scope="module")
def server(store_dir):
    port = _port()
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "-s", str(store_dir), "--bind", f"127.0.0.1:{port}", "--timeout", "10"],
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    url = f"http://127.0.0.1:{port}"
    _wait_until_it_answers(url, proc)
    yield url
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert err.strip().splitlines()[-1] == "kg: terminated (SIGTERM); nothing half-written left behind"


def _wait_until_it_answers(url: str, proc) -> None:
    """Until kg serve at ``url`` answers a query (a minute at most, and only while it runs)."""
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/query?query=ASK%7B%7D", timeout=5)
            return
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                raise
            time.sleep(0.1)


def get(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


def page_json(server: str, path: str) -> dict:
    status, kind, body = get(server + path + ("&" if "?" in path else "?") + "format=json")
    assert status == 200 and kind.startswith("application/json"), (path, status, body[:200])
    return json.loads(body)


# --- Pages and their JSON. -------------------------------------------------------------------------------

def test_search_finds_names_in_both_scripts_by_prefix_grouped_by_kind(server):
    found = page_json(server, "/search?q=" + quote("胡勇"))
    people = next(g for g in found["groups"] if g["kind"] == "person")
    assert [h["name"] for h in people["hits"]][:1] == ["胡勇春"] and people["hits"][0]["match"] == "prefix"
    assert people["count"] == len(people["hits"])
    traditional = page_json(server, "/search?q=" + quote("鄭雲濤"))  # 郑云涛, typed in traditional characters
    assert "郑云涛" in [h["name"] for g in traditional["groups"] for h in g["hits"]]
    assert traditional["terms"] == sorted({"鄭雲濤", "郑云涛"})
    kinds = [g["kind"] for g in page_json(server, "/search?q=" + quote("全省"))["groups"]]
    assert "event" in kinds and kinds == sorted(kinds, key=["person", "organization", "place", "event", "series", "article"].index)


@pytest.mark.parametrize("text", ['"} } DROP ALL ; SELECT * { ?s ?p ?o', "\\", "'\n\"\"\"", "胡\u2028勇", "<script>" + XSS + "</script>", "x" * 5000])
def test_search_text_is_a_literal_never_sparql(server, text):
    status, kind, body = get(server + "/search?q=" + quote(text))
    assert status == 200 and kind.startswith("text/html")
    assert b"<script>document" not in body
    assert page_json(server, "/search?q=" + quote(text))["total"] >= 0


def test_person_page_has_posts_events_coattendees_timeline_network_and_resolutions(server):
    hit = page_json(server, "/search?q=" + quote("胡勇春"))["groups"][0]["hits"][0]
    person = page_json(server, hit["url"])
    assert person["name"] == "胡勇春" and person["kind"] == "person"
    assert person["events"] and all(set(e) >= {"date", "name", "roles", "url"} for e in person["events"])
    assert person["coattendees"] == sorted(person["coattendees"], key=lambda c: -c["shared"])
    assert person["coattendees"][0]["shared"] >= 1
    assert 1 < len(person["network"]["nodes"]) <= 150
    ids = {n["id"] for n in person["network"]["nodes"]}
    assert all(e["from"] in ids and e["to"] in ids for e in person["network"]["edges"])
    assert person["timeline"]["points"]
    assert isinstance(person["resolutions"], list)
    secretary = page_json(server, page_json(server, "/search?q=" + quote("易炼红"))["groups"][0]["hits"][0]["url"])
    assert [(p["post"], p["first"], p["last"]) for p in secretary["posts"]] == [("省委书记", "2024-01-12", "2024-01-12")]


def test_resolution_decisions_show_rule_and_why(server):
    """浙江 in the example is linked to 浙江省 by the gazetteer: the place's page says so."""
    place = next(h for g in page_json(server, "/search?q=" + quote("浙江省"))["groups"] if g["kind"] == "place" for h in g["hits"] if h["name"] == "浙江省")
    page = page_json(server, place["url"])
    assert {"rule": "gazetteer", "printed": "浙江"}.items() <= next(r for r in page["resolutions"] if r["printed"] == "浙江").items()
    assert page["places"] or page["organizations"] or page["events"] or page["members"]


def test_event_page_lists_participants_in_printed_order_and_its_articles(server):
    event = next(h for g in page_json(server, "/search?q=" + quote("全省高质量项目建设"))["groups"] if g["kind"] == "event" for h in g["hits"])
    page = page_json(server, event["url"])
    assert page["dates"] == ["2024-01-11"] and page["articles"]
    order = [p["sources"][0]["offset"] for p in page["participants"]]
    assert order == sorted(order) and len(order) >= 10
    assert all(p["roles"] and p["sources"][0]["rule"] for p in page["participants"])


def test_article_page_links_mentions_marks_evidence_and_names_rules(server):
    page = page_json(server, "/article?id=" + quote("hostile-1"))
    assert "".join(p["text"] for p in page["pieces"]) == page["text"]
    assert any(p["marks"] for p in page["pieces"]) and any(p["url"] for p in page["pieces"])
    participations = [f for f in page["facts"] if f["fact"] == "participation"]
    assert participations and all(f["rule"] and f["cue"] and f["evidence"] for f in participations)
    status, _, body = get(server + "/article?id=" + quote("hostile-1"))
    html = body.decode()
    assert status == 200 and "<script>document" not in html and "<img" not in html
    assert "&lt;script&gt;document.body.dataset.xss=1&lt;/script&gt;" in html
    assert len(re.findall(r"<mark\b", html)) >= 2 and re.search(r'<a href="/person/[0-9a-f]{16}" class="mention person"', html)


def test_pages_are_read_only_safe_and_errors_are_no_200(server):
    status, _, body = get(server + "/")
    assert status == 200 and b"prefix.cc" not in body
    assert not re.search(rb"""(src|href)\s*=\s*["']?(https?:)?//""", body)
    with urllib.request.urlopen(server + "/") as response:
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert get(server + "/person/0000000000000000")[0] == 404
    assert get(server + "/person/..%2F..%2Fetc")[0] == 404
    assert get(server + "/article?id=" + quote("no such"))[0] == 404
    assert get(server + "/article?id=" + quote("a> } DROP ALL"))[0] in (400, 404)
    status, _, body = get(server + "/sparql?query=" + quote("DROP ALL"))
    assert status == 400 and b"update" in body
    status, _, body = get(server + "/sparql?query=" + quote("SELECT * WHERE { ?s ?p "))
    assert status == 400
    ok = page_json(server, "/sparql?canned=attendance")
    assert ok["columns"][:2] == ["participant", "participant_type"] and ok["rows"] and ok["downloads"]["csv"].startswith("/query?")
    status, kind, csv = get(server + ok["downloads"]["csv"])
    assert status == 200 and kind.startswith("text/csv") and csv.startswith(b"participant,")
    assert get(server + ok["downloads"]["json"])[1].startswith("application/sparql-results+json")
    request = urllib.request.Request(server + "/update", data=b"update=DROP%20ALL")
    with pytest.raises(HTTPError) as refused:
        urllib.request.urlopen(request)
    assert refused.value.code == 403


# --- In the browser, with the network blocked. ----------------------------------------------------------


@pytest.fixture
def offline(browser, server):  # noqa: F811 (the fixture imported above)
    """A page whose every request off the server is aborted and recorded, with CSP violations
    and script errors recorded too."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    attempted: list[str] = []

    def block(route):
        if route.request.url.startswith(server + "/"):
            route.continue_()
        else:
            attempted.append(route.request.url)
            route.abort()

    context.route("**/*", block)
    context.add_init_script("""window.__kgViolations = [];
        document.addEventListener("securitypolicyviolation", e => window.__kgViolations.push(e.violatedDirective + " " + e.blockedURI));""")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page, attempted, errors
    context.close()


@pytest.mark.browser
def test_search_then_person_then_event_then_article_offline(offline, server):
    page, attempted, errors = offline
    page.goto(server + "/")
    page.fill("#q", "胡勇")
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(r"/search\?q="))
    page.click("#person a.node.person >> text=胡勇春")
    page.wait_for_url(re.compile(r"/person/[0-9a-f]{16}$"))
    page.wait_for_function("() => document.body.dataset.networkDrawn", timeout=60_000)
    assert int(page.evaluate("document.body.dataset.networkDrawn")) > 1
    assert page.locator("#network canvas").count() == 1
    assert page.evaluate("kgNetwork.body.data.nodes.length") > 1
    # the events table sorts by date on a click
    page.click("#events th >> text=date")
    dates = page.locator("#events tbody tr td:first-child").all_inner_texts()
    assert dates == sorted(dates)
    page.locator("#events a.node.event").first.click()
    page.wait_for_url(re.compile(r"/event/[0-9a-f]{16}$"))
    assert page.locator("#participants tbody tr").count() >= 1
    page.locator("#articles a").first.click()
    page.wait_for_url(re.compile(r"/article\?id="))
    assert page.locator("article.text mark").count() >= 1
    assert page.locator("article.text a.mention").count() >= 1
    page.locator("a.evidence-link").first.click()
    assert page.evaluate("location.hash").startswith("#ev-")
    assert attempted == [] and errors == [] and page.evaluate("window.__kgViolations") == []


@pytest.mark.browser
def test_a_script_in_article_text_never_runs(offline, server):
    page, attempted, errors = offline
    for path in ("/article?id=hostile-1", "/search?q=" + quote("<script>" + XSS + "</script>"), "/search?q=script"):
        page.goto(server + path)
        page.wait_for_load_state("load")
        assert page.evaluate("document.body.dataset.xss") is None
        assert page.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0
        assert page.evaluate("[...document.scripts].every(s => !s.src || s.src.startsWith(location.origin + '/assets/'))")
    page.goto(server + "/article?id=hostile-1")
    assert "<script>" + XSS + "</script>" in page.locator("article.text").inner_text()
    assert page.title().startswith("全省经济工作会议召开<script>")
    hit = page_json(server, "/search?q=" + quote("王浩"))["groups"][0]["hits"][0]
    page.goto(server + hit["url"])
    page.wait_for_function("() => document.body.dataset.networkDrawn", timeout=60_000)
    assert page.evaluate("document.body.dataset.xss") is None
    assert attempted == [] and errors == [] and page.evaluate("window.__kgViolations") == []


# --- The same pages over a SPARQL server. ---------------------------------------------------------------

from test_scale import oxigraph_server, virtuoso_server  # noqa: E402,F401  (fixtures)




@pytest.mark.parametrize("backend", ["oxigraph_server", "virtuoso_server"])
def test_the_explorer_reads_a_sparql_server_as_the_embedded_store(backend, request, server, store_dir, tmp_path):
    from kg.cli import main

    url = request.getfixturevalue(backend)
    feed = tmp_path / "hostile.jsonl"
    feed.write_text(json.dumps(HOSTILE, ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["build", str(EXAMPLE), str(feed), "--pub-date", "2024-01-12", "-o", str(tmp_path / "out"), "--store", url, "--jobs", "1", "--no-picture"]) == 0
    port = _port()
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "-s", url, "--bind", f"127.0.0.1:{port}"], stderr=subprocess.DEVNULL,
                            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    remote = f"http://127.0.0.1:{port}"
    try:
        _wait_until_it_answers(remote, proc)
        search = "/search?q=" + quote("胡勇")
        assert page_json(remote, search) == page_json(server, search)
        person = page_json(server, search)["groups"][0]["hits"][0]["url"]
        here, there = page_json(server, person), page_json(remote, person)
        for key in ("name", "posts", "events", "coattendees", "timeline"):
            assert there[key] == here[key], key
        assert sorted(n["id"] for n in there["network"]["nodes"]) == sorted(n["id"] for n in here["network"]["nodes"])
        event = here["events"][0]["url"]
        assert page_json(remote, event)["participants"] == page_json(server, event)["participants"]
        article = "/article?id=" + quote("hostile-1")
        assert page_json(remote, article)["pieces"] == page_json(server, article)["pieces"]
        status, _, body = get(remote + "/sparql?query=" + quote("DROP ALL"))
        assert status == 400
        ok = page_json(remote, "/sparql?canned=people")
        assert ok["rows"] and ok["downloads"]
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_a_request_for_another_host_is_refused(server):
    # DNS rebinding: a page of evil.example whose name now points at 127.0.0.1 reads nothing
    port = server.rsplit(":", 1)[1]
    for host, status in ((f"evil.example:{port}", 400), (f"localhost:{port}", 200), (f"127.0.0.1:{port}", 200)):
        request = urllib.request.Request(server + "/query?query=ASK%7B%7D", headers={"Host": host})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                got = response.status
        except HTTPError as exc:
            got = exc.code
        assert got == status, host


def test_the_hosts_allowed_follow_the_address_bound():
    from kg.views.serve import allowed_hosts

    assert allowed_hosts("127.0.0.1") == ("127.0.0.1", "localhost", "::1")
    assert "::1" in allowed_hosts("[::1]") and "evil.example" not in allowed_hosts("127.0.0.1")
    assert allowed_hosts("0.0.0.0") == ("*",)
