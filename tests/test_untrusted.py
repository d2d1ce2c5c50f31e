"""Article text is untrusted: it comes out verbatim in the graph, escaped in the picture, and is
never spliced into SPARQL."""

from __future__ import annotations

import json

import pytest
from test_visualise import _assert_nothing_ran, _open, _to_screen, _tooltip_after_hover, offline_page  # noqa: F401

from kg.cli import main

HOSTILE_ID = 'x> } ; DROP ALL ; <y "\\'
HOSTILE_TITLE = '<script>document.body.dataset.xss=1</script>市长李明出席座谈会'
HOSTILE_TEXT = (
    '市长李明出席全市安全生产工作座谈会。'
    '副市长王芳在会上讲话：“<img src=x onerror="document.body.dataset.xss=1"> \\" } ; DROP ALL ; # \\\\ \'q\'”。'
)


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    source = tmp / "hostile.jsonl"
    source.write_text(json.dumps({"id": HOSTILE_ID, "title": HOSTILE_TITLE, "date": "2024-01-12", "text": HOSTILE_TEXT}, ensure_ascii=False), encoding="utf-8")
    out = tmp / "out"
    assert main(["build", str(source), "-o", str(out)]) == 0
    return out


def test_hostile_text_comes_back_verbatim(hostile_build, capsys):
    capsys.readouterr()
    assert main(["query", "-s", str(hostile_build), "attendance", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["participant"] for r in rows} == {"李明", "王芳"}
    assert {r["article"] for r in rows} == {HOSTILE_ID}
    speech = next(r for r in rows if r["participant"] == "王芳")
    assert speech["role"] == "speaker" and speech["evidence"] in HOSTILE_TEXT
    assert speech["evidence"].startswith('副市长王芳在会上讲话：“<img src=x onerror="document.body.dataset.xss=1"> \\" }')
    assert main(["query", "-s", str(hostile_build), "PREFIX schema: <https://schema.org/> SELECT ?h WHERE { ?a schema:headline ?h }", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"h": HOSTILE_TITLE}]
    # the store is whole: nothing in the text was executed as an update
    assert main(["query", "-s", str(hostile_build), "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["n"] > 50


def test_hostile_text_runs_nothing_in_the_picture(offline_page, hostile_build):  # noqa: F811
    page, attempted, errors = offline_page
    _open(page, hostile_build / "graph.html")
    positions = page.evaluate("kgNetwork.getPositions()")
    for pos in positions.values():
        page.mouse.move(*_to_screen(page, pos["x"], pos["y"]), steps=3)
    edges = page.evaluate("kgNetwork.body.data.edges.get().map(e => [e.from, e.to])")
    texts = []
    for a, b in edges:
        pa, pb = positions[a], positions[b]
        mid = _to_screen(page, (pa["x"] + pb["x"]) / 2, (pa["y"] + pb["y"]) / 2)
        page.mouse.move(5, 5)
        page.mouse.move(*mid, steps=3)
        page.wait_for_timeout(400)
        texts.append(page.evaluate("(document.querySelector('div.vis-tooltip') || {}).innerText || ''"))
    assert any('<img src=x onerror="document.body.dataset.xss=1">' in t for t in texts)  # shown, as text
    _assert_nothing_ran(page, attempted, errors)


def test_queries_time_out_and_rows_are_limited(built, capsys):
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    assert main(["query", "-s", str(built), slow, "--timeout", "1"]) == 2
    assert "query stopped after 1 s" in capsys.readouterr().err
    assert main(["query", "-s", str(built), "SELECT ?s WHERE { ?s ?p ?o }", "--limit", "3", "--format", "csv"]) == 0
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 4 and "only the first 3 rows" in captured.err
