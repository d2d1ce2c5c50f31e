"""The Python API (kg.extract, kg.build, kg.open) and the one workflow it shares with kg build."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from conftest import EXAMPLE, ROOT, quads_of


def test_extract_gives_mentions_facts_and_evidence():
    import kg

    doc = kg.extract("市长李明出席全市安全生产工作会议。我市博物馆举行开馆仪式。", pub_date="2024-01-12", home_place="永康市")
    participations = [f for f in doc.facts if f.kind == "participation"]
    assert [(f.subject.text, f.role, f.object.text) for f in participations][0] == ("李明", "attendee", "全市安全生产工作会议")
    assert participations[0].evidence.sentence == "市长李明出席全市安全生产工作会议。"
    assert {m.text for m in doc.mentions} >= {"李明", "全市安全生产工作会议"}
    assert doc.to_dict()["facts"][0]["evidence"]["extractor"]
    with pytest.raises(ValueError, match="not a date"):
        kg.extract("李明出席会议。", pub_date="上周")
    with pytest.raises(ValueError, match="administrative area"):
        kg.extract("李明出席会议。", home_place="不存在市")


def test_build_open_query_networkx_export_stats(tmp_path):
    import kg

    graph = kg.build([EXAMPLE], tmp_path / "out", pub_date="2024-01-12", home_place="永康市")
    assert graph.result.built == 3 and graph.result.resolved is not None and (tmp_path / "out" / "graph.html").is_file()
    assert graph.report.skipped == []
    rows = graph.query("attendance")
    assert any(r["participant"] == "胡勇春" for r in rows) and all(isinstance(r, dict) for r in rows)
    assert graph.query("PREFIX schema: <https://schema.org/> SELECT ?n WHERE { ?p a schema:Person ; schema:name ?n }", limit=1)
    g = graph.networkx()
    assert any(d["label"] == "胡勇春" and d["type"] == "person" for _, d in g.nodes(data=True))
    assert [p.name for p in graph.export(tmp_path / "kg.gexf")] == ["kg.gexf"]
    again = kg.open(tmp_path / "out")
    assert again.stats() == graph.stats() and graph.stats()["articles"] == 3
    from kg.graph.store import StoreError

    with pytest.raises(StoreError):
        kg.open(tmp_path / "nothing")
    with pytest.raises(ValueError, match="no article read"):
        kg.build([tmp_path / "missing.txt"], tmp_path / "none")
    assert not (tmp_path / "none").exists()


def test_the_api_and_the_command_build_the_same_quads(tmp_path, built):
    """kg.build runs kg build's workflow, resolution across articles included."""
    import kg

    kg.build([EXAMPLE], tmp_path / "api", pub_date="2024-01-12")
    assert quads_of(tmp_path / "api") == quads_of(built)


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


def test_no_package_cycles_between_extract_resolve_and_graph():
    """extract -> resolve -> shared and graph -> resolve -> shared, never back (lazy imports count)."""
    packages = ("extract", "resolve", "graph")
    edges = {p: set() for p in packages}
    for p in packages:
        for module in (ROOT / "kg" / p).glob("*.py"):
            for imported in _imports(module):
                m = re.match(r"kg\.(\w+)", imported)
                if m and m[1] in packages and m[1] != p:
                    edges[p].add(m[1])
    assert "extract" not in edges["resolve"] and "graph" not in edges["resolve"], edges
    assert "resolve" not in edges["extract"] or "extract" not in edges["resolve"]


def test_the_readme_example_runs(tmp_path):
    import shutil
    import subprocess
    import sys

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = readme.split("## Python API", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    (tmp_path / "example.py").write_text(example, encoding="utf-8")
    shutil.copytree(EXAMPLE.parent, tmp_path / "examples")
    result = subprocess.run([sys.executable, "example.py"], cwd=tmp_path, capture_output=True, text=True, timeout=300,
                            env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    assert "李明 attendee 全市安全生产工作会议" in result.stdout and "'articles': 3" in result.stdout
    assert (tmp_path / "kg.gexf").is_file() and (tmp_path / "output" / "graph.html").is_file()


def test_extract_reads_the_headline_a_text_opens_with_as_a_file_does():
    from kg import extract

    text = "全市招商大会举行\n3月5日，全市招商大会在市会议中心举行。市长王刚出席。"
    assert extract(text, pub_date="2024-03-05").article.title == "全市招商大会举行"
    assert extract(text, pub_date="2024-03-05", title="").article.title == ""  # said: no headline
    cut = "县委书记赵强到乡镇调研，\n察看了春耕备耕情况。"  # a clause broken at its comma is the body
    assert extract(cut, pub_date="2024-03-05").article.title == ""
