"""What users expect of a command-line tool: help, -q/-v, progress, exports as the extension says,
analyses that are the same on every run, servers that stop with their parent, a clean install."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from urllib.parse import urlencode

import pytest
from conftest import EXAMPLE, ROOT
from conftest import run_kg as kg

ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}


def test_bare_kg_prints_the_help_and_every_command_has_examples_and_option_help():
    bare = kg()
    assert bare.returncode == 0 and "usage: kg" in bare.stdout and "build" in bare.stdout
    for command in ("build", "resolve", "extract", "query", "export", "viz", "serve", "analyze", "stats"):
        text = kg(command, "--help").stdout
        assert f"examples:\n  kg {command}" in text, command
    build = kg("build", "--help").stdout
    assert "--input-format" in build and "\n  --format" not in build  # the old spelling works, unshown
    extract = kg("extract", "--help").stdout
    assert "--input-format" in extract and "-f " not in extract


def test_every_option_has_help_text():
    from kg.cli import parser

    top = parser()
    for name, sub in top._subparsers._group_actions[0].choices.items():
        for action in sub._actions:
            assert action.help, (name, action.option_strings or action.dest)


def test_old_input_format_spellings_still_work(tmp_path):
    text = tmp_path / "a.txt"
    text.write_text("市长李明出席全市安全生产工作会议。", encoding="utf-8")
    assert kg("extract", "-f", "text", text).returncode == 0
    assert kg("build", "--format", "text", text, "-o", tmp_path / "o", "--no-picture", "-q").returncode == 0
    assert kg("extract", "--input-format", "text", text).returncode == 0


def test_did_you_mean_for_commands_and_canned_queries(built):
    typo = kg("biuld", "x")
    assert typo.returncode == 2 and "did you mean build?" in typo.stderr
    canned = kg("query", "-s", built, "attendence")
    assert canned.returncode == 2 and "did you mean attendance?" in canned.stderr and "syntax" not in canned.stderr.lower()


def test_table_cuts_are_marked_and_top_is_announced(built):
    table = kg("query", "-s", built, "attendance")
    assert "…" in table.stdout  # the evidence is longer than a cell
    top = kg("analyze", "-s", built, "timeline", "--top", "2")
    assert top.returncode == 0 and "the first 2 of" in top.stderr and "--top 0 for all" in top.stderr
    assert "the first" not in kg("analyze", "-s", built, "timeline", "--top", "0").stderr
    assert kg("analyze", "-s", built, "timeline", "--top", "2", "-q").stderr == ""


def test_timeline_of_an_unknown_person_is_an_error(built):
    unknown = kg("analyze", "-s", built, "timeline", "--person", "胡勇")
    assert unknown.returncode == 2 and "no person named '胡勇'" in unknown.stderr and "did you mean 胡勇春?" in unknown.stderr
    known = kg("analyze", "-s", built, "timeline", "--person", "胡勇春")
    assert known.returncode == 0 and "胡勇春" in known.stdout


def test_progress_is_one_line_per_step_when_stderr_is_no_terminal_and_none_with_q(tmp_path):
    logged = kg("build", EXAMPLE, "--pub-date", "2024-01-12", "-o", tmp_path / "a")
    steps = [line.split(":")[1].strip() for line in logged.stderr.splitlines() if line.startswith("kg: ")]
    assert steps == ["extracting", "storing", "resolving across articles", "compacting the store", "drawing the picture"], logged.stderr
    assert logged.stdout.startswith("3 articles built")
    quiet = kg("build", EXAMPLE, "--pub-date", "2024-01-12", "-o", tmp_path / "b", "-q")
    assert quiet.returncode == 0 and quiet.stderr == "" and quiet.stdout == ""


def test_progress_on_a_terminal_has_a_total_and_the_time_left(tmp_path):
    import fcntl
    import pty
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a terminal of 100 columns
    proc = subprocess.Popen([sys.executable, "-m", "kg", "build", str(EXAMPLE), "--pub-date", "2024-01-12", "-o", str(tmp_path / "o"), "--jobs", "1"],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=follower, env=ENV)
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed: the build ended
            break
        if not chunk:
            break
        seen += chunk
    proc.wait(timeout=300)
    os.close(leader)
    text = seen.decode("utf-8", "replace")
    assert proc.returncode == 0, text
    assert "kg: reading: 3 articles" in text  # counted first, for the total
    assert "/3 [" in text and "<" in text  # tqdm: done/total [elapsed<left]
    assert "kg: resolving across articles …" in text and "kg: drawing the picture …" in text


def test_export_follows_the_extension_and_writes_to_stdout(built, tmp_path):
    for name, marker in (("kg.ttl", b"@prefix"), ("kg.graphml", b"<graphml"), ("kg.gexf", b"<gexf"), ("kg.jsonld", b'{"@context"'), ("kg.nq", b"<https://")):
        assert kg("export", "-s", built, "-o", tmp_path / name).returncode == 0
        assert (tmp_path / name).read_bytes().startswith(marker) or marker in (tmp_path / name).read_bytes()[:4096], name
    assert kg("export", "-s", built, "-o", tmp_path / "kg.csv").returncode == 0
    assert (tmp_path / "kg.nodes.csv").is_file() and (tmp_path / "kg.edges.csv").is_file() and not (tmp_path / "kg.csv").exists()
    out = kg("export", "-s", built, "--format", "turtle", "-o", "-", cwd=tmp_path)
    assert out.returncode == 0 and out.stdout.startswith("@prefix") and not (tmp_path / "-").exists()
    unknown = kg("export", "-s", built, "-o", tmp_path / "kg.foo")
    assert unknown.returncode == 2 and "--format" in unknown.stderr


def test_turtle_prefixes_are_clean_and_json_ld_is_compact_and_the_same_graph(built, tmp_path):
    import rdflib

    assert kg("export", "-s", built, "-o", tmp_path / "kg.ttl").returncode == 0
    assert kg("export", "-s", built, "-o", tmp_path / "kg.jsonld").returncode == 0
    assert kg("export", "-s", built, "-o", tmp_path / "kg.nq").returncode == 0
    turtle = (tmp_path / "kg.ttl").read_text(encoding="utf-8")
    assert "\\/" not in turtle and "\\%" not in turtle
    document = json.loads((tmp_path / "kg.jsonld").read_text(encoding="utf-8"))
    assert document["@context"]["schema"] == "https://schema.org/" and "@graph" in document
    nquads = rdflib.Dataset()
    nquads.parse(tmp_path / "kg.nq", format="nquads")
    parsed = rdflib.Dataset()
    parsed.parse(tmp_path / "kg.jsonld", format="json-ld")
    assert set(parsed.quads()) == set(nquads.quads())
    ttl = rdflib.Graph().parse(tmp_path / "kg.ttl", format="turtle")
    assert set(ttl) == {(s, p, o) for s, p, o, _ in nquads.quads()}


def test_source_files_are_absolute_and_posts_and_types_are_node_attributes(tmp_path):
    import csv

    import networkx as nx

    import kg as api

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("永康市委书记胡勇春出席全市安全生产工作会议。", encoding="utf-8")
    graph = api.build([tmp_path / "in"], tmp_path / "out", pub_date="2024-01-12", picture=False)
    (row,) = graph.query("PREFIX kgo: <https://w3id.org/kg-news/ontology#> SELECT ?f WHERE { GRAPH ?g { ?g kgo:sourceFile ?f } }")
    assert row["f"] == str(tmp_path / "in" / "a.txt")
    graph.export(tmp_path / "kg.graphml")
    g = nx.read_graphml(tmp_path / "kg.graphml")
    (hu,) = [d for _, d in g.nodes(data=True) if d["label"] == "胡勇春"]
    assert "书记" in hu["posts"] and "schema:Person" in hu["types"]
    graph.export(tmp_path / "csv", format="csv")
    nodes = list(csv.DictReader((tmp_path / "csv" / "nodes.csv").open(encoding="utf-8")))
    assert any("书记" in n["posts"] and n["types"] == "schema:Person" for n in nodes)


def test_analyses_are_the_same_on_every_run_and_every_plot_draws_or_says_why(built, tmp_path):
    runs = [kg("analyze", "-s", built, "--format", "json", "--top", "0", "--plots", tmp_path / f"p{i}") for i in range(2)]
    # PYTHONHASHSEED differs between the two processes: sets iterate in other orders
    assert runs[0].returncode == 0 and runs[0].stdout == runs[1].stdout
    for name in ("pairs", "centrality", "communities", "timeline"):
        assert (tmp_path / "p0" / f"{name}.svg").is_file() or f"kg: {name}: no chart" in runs[0].stderr, name


def test_betweenness_is_exact_when_small_and_the_sample_said_when_large():
    import networkx as nx

    from kg.views import analysis

    g = nx.MultiDiGraph()
    for i in range(analysis.EXACT_BETWEENNESS + 1):
        g.add_node(f"p{i}", label=f"p{i}", type="person")
        g.add_node(f"e{i}", label=f"e{i}", type="event")
        g.add_edge(f"p{i}", f"e{i}", relation="participation")
        g.add_edge(f"p{i}", f"e{i - 1 if i else 0}", relation="participation")
    assert "estimated from 500 of 2,001 persons" in analysis.betweenness_sampled(g)
    assert analysis.betweenness_sampled(nx.subgraph(g, [n for n in g if int(n[1:]) < 10]).copy()) == ""


def test_the_timeline_plot_leaves_outlying_dates_out():
    from kg.views.analysis import _within_usual_dates

    rows = [["a", f"1998-01-{d:02d}", "e", "attendee", ""] for d in range(1, 29)] + [["a", "1997-07-01", "e", "attendee", ""]]
    assert len(_within_usual_dates(rows)) == 28


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _descendants(pid: int) -> set[int]:
    from pathlib import Path

    try:
        children = {int(c) for t in Path(f"/proc/{pid}/task").iterdir() for c in (t / "children").read_text().split()}
    except OSError:
        return set()
    return children.union(*map(_descendants, children)) if children else children


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[1][0] != "Z"
    except OSError:
        return False


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def _serve(built, port):
    from kg.procs import popen

    proc = popen([sys.executable, "-m", "kg", "serve", "-s", str(built), "--bind", f"127.0.0.1:{port}", "--timeout", "120"], stderr=subprocess.DEVNULL, env=ENV)
    deadline = time.monotonic() + 60
    while not _port_open(port):
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.1)
    return proc


CROSS_JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_kg_serve_killed_closes_its_port_and_leaves_no_process(built, how):
    import threading

    from kg.procs import stop

    port = _free_port()
    proc = _serve(built, port)
    try:
        url = f"http://127.0.0.1:{port}/query"
        threading.Thread(target=lambda: _quietly(lambda: urllib.request.urlopen(url, data=urlencode({"query": CROSS_JOIN}).encode(), timeout=60)), daemon=True).start()
        deadline = time.monotonic() + 30
        while len(_descendants(proc.pid)) < 3:  # the resource tracker, the fork server and the query's process
            assert time.monotonic() < deadline, "the query did not start"
            time.sleep(0.1)
        left = _descendants(proc.pid)
        os.kill(proc.pid, how)
        proc.wait(timeout=30)
        deadline = time.monotonic() + 15
        while any(map(_alive, left)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(map(_alive, left)), f"left running after {how.name}: {[p for p in left if _alive(p)]}"
        assert not _port_open(port)
    finally:
        stop(proc)


def _quietly(call) -> None:
    try:
        call()
    except Exception:
        pass


def test_install_prints_no_setuptools_warning(tmp_path):
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "-v", "--no-deps", "-w", str(tmp_path), str(ROOT)], capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        pytest.skip(f"no wheel could be built here (no setuptools from the registry?): {result.stderr.strip().splitlines()[-1:]}")
    log = result.stdout + result.stderr
    assert "Warning" not in log and "kg.ontology.queries" not in log.replace("kg/ontology/queries", ""), [line for line in log.splitlines() if "arning" in line]
    import zipfile

    (wheel,) = tmp_path.glob("kg-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "kg/ontology/queries/attendance.rq" in names and "kg/shared/gazetteer.py" in names


def test_make_example_installs_the_cjk_fonts():
    makefile = (ROOT / "Makefile").read_text()
    assert "example: $(VENV)/.installed fonts" in makefile and "fonts-noto-cjk" in makefile.split("fonts:")[1].split("example:")[0]
