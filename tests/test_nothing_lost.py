"""Nothing lost, nothing left running (issue 12): inputs that used to overwrite each other or
stop a build, exports that came out ill-formed, queries that could take a server down,
options accepted and ignored, commands that left half-written files behind."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kg.cli import main
from kg.graph.store import open_store

GOOD = "市长李明出席全市安全生产工作会议。"
OTHER = "副市长王芳参加全省经济工作会议。"


def kg(*args, timeout=300, **kwargs):
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, timeout=timeout, env={**os.environ, "PYTHONPATH": os.getcwd()}, **kwargs)


def _select(location, sparql: str) -> list[list]:
    store = open_store(location, read_only=True)
    try:
        return store.query("PREFIX schema: <https://schema.org/> PREFIX kgo: <https://w3id.org/kg-news/ontology#> " + sparql)[1]
    finally:
        store.close()


def _article_ids(location) -> list[str]:
    return sorted(r[0] for r in _select(location, "SELECT ?id WHERE { ?a a schema:NewsArticle ; schema:identifier ?id }"))


def _strings(value) -> set[str]:
    if isinstance(value, dict):
        return set().union(*map(_strings, value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*map(_strings, value)) if value else set()
    return {value} if isinstance(value, str) else set()


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _same_names(root: Path) -> Path:
    """Inputs that share a file stem, or a file name, in different folders."""
    _write(root / "day1" / "feed.jsonl", json.dumps({"text": GOOD}, ensure_ascii=False) + "\n")
    _write(root / "day2" / "feed.jsonl", json.dumps({"text": OTHER}, ensure_ascii=False) + "\n")
    _write(root / "a" / "news.txt", GOOD)
    _write(root / "b" / "news.txt", OTHER)
    _write(root / "2024-01-12" / "page01.txt", GOOD)
    _write(root / "2024-01-13" / "page01.txt", OTHER)
    return root


# -- 1. article ids unique by construction ---------------------------------------------------

def test_inputs_sharing_a_file_name_are_all_kept(tmp_path, capsys):
    folder = _same_names(tmp_path / "in")
    out = tmp_path / "out"
    assert main(["build", str(folder), "-o", str(out), "--jobs", "1", "--no-picture"]) == 0
    said = capsys.readouterr().out
    assert _article_ids(out) == ["in/2024-01-12/page01.txt", "in/2024-01-13/page01.txt", "in/a/news.txt", "in/b/news.txt", "in/day1/feed.jsonl:1", "in/day2/feed.jsonl:1"]
    first = _select(out, "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert "6 articles built" in said and f"; {len(first):,} quads in " in said  # a new store is compacted, its quads counted
    # the same input again: nothing rebuilt, the same quads (not counted: that reads the whole store)
    assert main(["build", str(folder), "-o", str(out), "--jobs", "1", "--no-picture"]) == 0
    said = capsys.readouterr().out
    assert "0 articles built, 6 unchanged" in said and "; 6 articles in " in said and "quads" not in said
    assert sorted(map(str, _select(out, "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"))) == sorted(map(str, first))


def test_inputs_sharing_a_file_name_built_in_two_runs_are_both_kept(tmp_path, capsys):
    folder = _same_names(tmp_path / "in")
    out = tmp_path / "out"
    for day in ("day1", "day2"):
        assert main(["build", str(folder / day / "feed.jsonl"), "-o", str(out), "--jobs", "1", "--no-picture"]) == 0
    for day in ("2024-01-12", "2024-01-13"):
        assert main(["build", str(folder / day), "-o", str(out), "--jobs", "1", "--no-picture"]) == 0
    assert main(["build", str(folder / "a" / "news.txt"), str(folder / "b" / "news.txt"), "-o", str(out), "--jobs", "1", "--no-picture"]) == 0
    assert _article_ids(out) == ["2024-01-12/page01.txt", "2024-01-13/page01.txt", "a/news.txt", "b/news.txt", "day1/feed.jsonl:1", "day2/feed.jsonl:1"]


def test_two_articles_with_one_id_are_an_error_naming_both(tmp_path, capsys):
    feed = _write(tmp_path / "feed.jsonl", "\n".join(json.dumps({"id": "x", "text": t}, ensure_ascii=False) for t in (GOOD, OTHER)) + "\n")
    other = _write(tmp_path / "more.jsonl", json.dumps({"id": "x", "text": GOOD + OTHER}, ensure_ascii=False) + "\n")
    out = tmp_path / "out"
    assert main(["build", str(feed), str(other), "-o", str(out), "--jobs", "1", "--no-picture"]) == 1
    err = capsys.readouterr().err
    assert f"kg: skipped {feed}:2: article id 'x' is already the id of an article of {feed}:1" in err
    assert f"kg: skipped {other}:1: article id 'x' is already the id of an article of {feed}:1" in err
    assert _select(out, "SELECT ?t WHERE { ?a schema:identifier 'x' ; schema:text ?t }") == [[GOOD]]


def test_an_article_called_entities_leaves_the_shared_graph_alone(tmp_path, capsys):
    out = tmp_path / "out"
    first = _write(tmp_path / "first.jsonl", json.dumps({"id": "first", "text": GOOD}, ensure_ascii=False) + "\n")
    assert main(["build", str(first), "-o", str(out), "--jobs", "1", "--no-picture"]) == 0
    persons = _select(out, "SELECT ?n WHERE { ?p a schema:Person ; schema:name ?n }")
    assert persons == [["李明"]]
    hostile = _write(tmp_path / "feed.jsonl", "\n".join(json.dumps({"id": i, "text": OTHER}, ensure_ascii=False) for i in ("entities", "../entities", "article/x", ".."))+ "\n")
    _write(tmp_path / "folder" / "entities.txt", OTHER + "市委书记张华出席。")
    assert main(["build", str(hostile), str(tmp_path / "folder"), "-o", str(out), "--jobs", "1", "--no-picture"]) == 0
    names = {r[0] for r in _select(out, "SELECT ?n WHERE { ?p a schema:Person ; schema:name ?n }")}
    assert {"李明", "王芳", "张华"} <= names
    assert len(_article_ids(out)) == 6
    capsys.readouterr()
    assert main(["export", "-s", str(out), "--format", "csv", "-o", str(tmp_path / "csv")]) == 0
    assert main(["analyze", "-s", str(out), "pairs"]) == 0


# -- 2. bad text inside one record -----------------------------------------------------------

def test_a_lone_surrogate_skips_its_record_and_the_rest_is_stored(tmp_path, capsys):
    lines = [
        '{"id": "ok1", "text": "%s"}' % GOOD,
        '{"id": "bad\\ud800id", "text": "%s"}' % GOOD,
        '{"id": "t", "text": "%s\\ud800"}' % GOOD,
        '{"id": "h", "title": "\\udfff", "text": "%s"}' % GOOD,
        '{"id": "s", "source": "报\\ud83d", "text": "%s"}' % GOOD,
        '{"id": "ok2", "text": "%s"}' % OTHER,
    ]
    feed = _write(tmp_path / "feed.jsonl", "\n".join(lines) + "\n")
    out = tmp_path / "out"
    for _ in range(2):  # and a re-run ends the same way
        assert main(["build", str(feed), "-o", str(out), "--jobs", "1", "--no-picture"]) == 1
        err = capsys.readouterr().err
        for line, field in ((2, "id"), (3, "text"), (4, "title"), (5, "source")):
            assert f"kg: skipped {feed}:{line}: field '{field}' holds a lone surrogate" in err
        assert "Traceback" not in err and "4 inputs skipped" in err
        assert _article_ids(out) == ["ok1", "ok2"]


def test_nothing_in_one_article_stops_a_build(tmp_path):
    from kg.graph.build import build
    from kg.model import Article

    store = open_store(tmp_path / "out")
    try:
        articles = [Article(id="a", text=GOOD), Article(id="b", text=OTHER, title="\ud800", path="x.jsonl", line=7), Article(id="c", text="\udc00" + GOOD), Article(id="d", text=OTHER)]
        report = build(articles, store)
        assert report.built == 2
        assert [str(e) for e in report.failed][0].startswith("x.jsonl:7: article 'b' not built (UnicodeEncodeError: ")
        assert len(report.failed) == 2
    finally:
        store.close()
    assert _article_ids(tmp_path / "out") == ["a", "d"]


# -- 3. exports write only what their format allows ------------------------------------------

def test_control_characters_make_no_export_ill_formed(tmp_path, capsys):
    import csv
    import xml.etree.ElementTree as ET

    import networkx as nx
    import pyoxigraph as ox

    lines = [
        {"id": "form\ffeed\u0000nul", "title": "标题\u000b\u0001", "text": "市长李\u0000明出席全市\f安全生产工作会议。\u0008"},
        {"id": "plain", "text": OTHER},
    ]
    feed = _write(tmp_path / "feed.jsonl", "\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n")
    out = tmp_path / "out"
    assert main(["build", str(feed), "-o", str(out), "--jobs", "1", "--no-picture"]) == 0
    for fmt, name in (("graphml", "g.graphml"), ("gexf", "g.gexf"), ("turtle", "g.ttl"), ("nt", "g.nt"), ("nquads", "g.nq"), ("trig", "g.trig"), ("json-ld", "g.jsonld"), ("csv", "csv")):
        assert main(["export", "-s", str(out), "--format", fmt, "-o", str(tmp_path / name)]) == 0, fmt
    for name in ("g.graphml", "g.gexf"):
        ET.parse(tmp_path / name)  # well-formed XML
    graph = nx.read_graphml(tmp_path / "g.graphml")
    assert any(d.get("label") == "标题\ufffd\ufffd" for _, d in graph.nodes(data=True))
    assert nx.read_gexf(tmp_path / "g.gexf").number_of_nodes() == graph.number_of_nodes()
    for name, fmt in (("g.ttl", ox.RdfFormat.TURTLE), ("g.nt", ox.RdfFormat.N_TRIPLES), ("g.nq", ox.RdfFormat.N_QUADS), ("g.trig", ox.RdfFormat.TRIG)):
        texts = {q.object.value for q in ox.parse(path=str(tmp_path / name), format=fmt) if q.predicate.value == "https://schema.org/identifier"}
        assert "form\ffeed\u0000nul" in texts, name  # RDF escapes them: kept as they are
    assert "form\ffeed\u0000nul" in _strings(json.loads((tmp_path / "g.jsonld").read_text(encoding="utf-8")))
    for name in ("nodes.csv", "edges.csv"):
        rows = list(csv.reader((tmp_path / "csv" / name).open(encoding="utf-8", newline="")))
        assert not any(c in "\u0000\u0001\u0008\u000b\f" for row in rows for cell in row for c in cell), name


# -- 4. SPARQL surfaces: refused before they run, stopped when they run too long -------------

CROSS_JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
DEEP = "SELECT * WHERE " + "{" * 3000 + "}" * 3000


def _port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _post(url: str, form: dict, accept: str = "application/sparql-results+json", timeout: float = 60) -> tuple[int, str, bytes]:
    from urllib.error import HTTPError
    from urllib.parse import urlencode
    from urllib.request import Request, urlopen

    request = Request(url, data=urlencode(form).encode(), headers={"Accept": accept})
    try:
        with urlopen(request, timeout=timeout) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


def _descendants(pid: int) -> set[int]:
    children = {int(c) for t in Path(f"/proc/{pid}/task").iterdir() for c in (t / "children").read_text().split()}
    return children.union(*map(_descendants, children)) if children else children


class _Server:
    def __init__(self, built, *options):
        self.port = _port()
        self.url = f"http://127.0.0.1:{self.port}/query"
        from kg.procs import popen

        self.proc = popen([sys.executable, "-m", "kg", "serve", "-s", str(built), "--bind", f"127.0.0.1:{self.port}", *options],
                                     stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": os.getcwd()})
        import time

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if _post(self.url, {"query": "ASK {}"}, timeout=5)[0] == 200:
                    return
            except OSError:
                time.sleep(0.1)
        raise TimeoutError(self.url)

    def stop(self) -> str:
        import signal

        self.proc.send_signal(signal.SIGTERM)
        _, err = self.proc.communicate(timeout=30)
        return err


def test_serve_refuses_what_would_harm_it_and_stays_up(built):
    import socket

    listener = socket.socket()  # where SERVICE would send a request
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.5)
    server = _Server(built, "--timeout", "5")
    try:
        status, kind, body = _post(server.url, {"query": DEEP})
        assert status == 400 and b"nested more than" in body and kind.startswith("text/plain")
        assert _post(server.url, {"query": "SELECT * WHERE { ?s ?p ?o } # " + "x" * 300_000})[0] in (400, 413)
        status, _, body = _post(server.url, {"query": f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.getsockname()[1]}/sparql> {{ ?s ?p ?o }} }}"})
        assert status == 400 and b"SERVICE" in body
        with pytest.raises(TimeoutError):
            listener.accept()  # no request went out
        for update in ("DROP ALL", "INSERT DATA { <urn:a> <urn:b> <urn:c> }", "DELETE WHERE { ?s ?p ?o }", "LOAD <http://127.0.0.1:1/x>"):
            status, _, body = _post(server.url, {"query": update})
            assert status == 400 and b"update" in body, update
        assert _post(server.url.replace("/query", "/update"), {"update": "DROP ALL"})[0] == 403
        for accepted in ("SELECT ?move WHERE { ?move a <https://schema.org/Person> }", "SELECT (COUNT(*) AS ?copy) WHERE { ?s ?p ?o }"):
            status, _, body = _post(server.url, {"query": accepted})
            assert status == 200 and json.loads(body)["results"]["bindings"], accepted
        assert _post(server.url, {"query": "SELECT * WHERE { ?s ?p "})[0] == 400  # a syntax error is an error status
        assert server.proc.poll() is None  # still up
        assert _post(server.url, {"query": "ASK { ?s ?p ?o }"})[2].startswith(b'{"head"')
    finally:
        err = server.stop()
        listener.close()
    assert err.strip().splitlines()[-1] == "kg: terminated (SIGTERM); nothing half-written left behind"


def test_serve_timeout_ends_the_query_and_errors_are_no_200(built):
    import time

    server = _Server(built, "--timeout", "0.5", "--allow-service")
    try:
        _post(server.url, {"query": "ASK {}"})  # the query processes' parent is up
        before = _descendants(server.proc.pid)
        started = time.monotonic()
        status, _, body = _post(server.url, {"query": CROSS_JOIN})
        assert status == 503 and b"stopped after 0.5 s" in body
        assert time.monotonic() - started < 3
        time.sleep(0.5)
        assert _descendants(server.proc.pid) <= before  # the query's process is gone, not running on
        # rows come first, then SERVICE fails: an error status, no rows and an error spliced in a 200 body
        dead = _port()
        failing = f"SELECT * WHERE {{ {{ ?s ?p ?o }} UNION {{ SERVICE <http://127.0.0.1:{dead}/sparql> {{ ?a ?b ?c }} }} }}"
        status, kind, body = _post(server.url, {"query": failing}, accept="text/csv")
        assert status == 500 and kind.startswith("text/plain") and b"https://" not in body
    finally:
        server.stop()


def test_query_refuses_service_and_deep_queries_and_takes_fractional_timeouts(built, capsys):
    assert main(["query", "-s", str(built), DEEP]) == 2
    assert "nested more than" in capsys.readouterr().err
    assert main(["query", "-s", str(built), "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"]) == 2
    assert "--allow-service" in capsys.readouterr().err
    assert main(["query", "-s", str(built), CROSS_JOIN, "--timeout", "0.5"]) == 2
    assert "query stopped after 0.5 s" in capsys.readouterr().err
    for accepted in ("SELECT ?move WHERE { ?move a <https://schema.org/Person> }", "SELECT (COUNT(*) AS ?copy) WHERE { ?s ?p ?o }"):
        assert main(["query", "-s", str(built), accepted]) == 0
    capsys.readouterr()
    for update in ("LOAD <http://127.0.0.1:1/x>", "DROP ALL", "INSERT DATA { <urn:a> <urn:b> <urn:c> }"):
        assert main(["query", "-s", str(built), update]) == 2
        assert "update" in capsys.readouterr().err
    result = kg("query", "-s", str(built), "people", "--timeout", "-1")
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1 and "must be 0 (no limit) or more" in result.stderr


# -- 5. option values -------------------------------------------------------------------------

def test_viz_dates_are_validated(built, tmp_path):
    for value in ("garbage", "1998-13-45"):
        result = kg("viz", "-s", str(built), "--from", value, "-o", str(tmp_path / "g.html"))
        assert result.returncode == 2 and len(result.stderr.splitlines()) == 1 and "is not a date" in result.stderr, value
        assert not (tmp_path / "g.html").exists()
    result = kg("viz", "-s", str(built), "--from", "1998/01/05", "--to", "2030-01-01", "-o", str(tmp_path / "g.html"))
    assert result.returncode == 0, result.stderr
    assert "胡勇春" in (tmp_path / "g.html").read_text(encoding="utf-8")  # read as 1998-01-05: the dated nodes stay


# -- 6. interrupted commands clean up -------------------------------------------------------

def _dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(done.stdout)


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGINT"])
def test_a_signal_ends_a_build_with_one_line(tmp_path, signame):
    import signal
    import time

    feed = _write(tmp_path / "feed.jsonl", "".join(json.dumps({"id": f"a{i}", "text": (GOOD + OTHER) * 30}, ensure_ascii=False) + "\n" for i in range(400)))
    # a shell's background job ignores SIGINT, and so would the build it starts: the default back
    proc = subprocess.Popen([sys.executable, "-m", "kg", "build", str(feed), "-o", str(tmp_path / "out"), "--jobs", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": os.getcwd()},
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    time.sleep(6)
    proc.send_signal(getattr(signal, signame))
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == {"SIGTERM": 143, "SIGINT": 130}[signame], err
    assert err.strip().splitlines() == [f"kg: {'terminated' if signame == 'SIGTERM' else 'interrupted'} ({signame}); articles stored so far are kept, run the same kg build again to finish"]
    assert not list((tmp_path / "out").glob(".*.tmp"))


def test_a_locked_store_names_who_holds_it(tmp_path):
    import time

    (tmp_path / "out").mkdir()
    holder = subprocess.Popen([sys.executable, "-c", f"import pyoxigraph, time; s = pyoxigraph.Store({str(tmp_path / 'out' / 'store')!r}); print('open', flush=True); time.sleep(120)"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        feed = _write(tmp_path / "feed.jsonl", json.dumps({"text": GOOD}, ensure_ascii=False) + "\n")
        started = time.monotonic()
        result = kg("build", str(feed), "-o", str(tmp_path / "out"))
        assert result.returncode == 2 and len(result.stderr.splitlines()) == 1, result.stderr
        assert f"{tmp_path / 'out' / 'store'}: the store is in use by process {holder.pid} (" in result.stderr
        assert time.monotonic() - started < 60
    finally:
        holder.kill()
        holder.wait()


def test_outputs_left_by_a_killed_export_are_removed_and_csv_pairs_never_mix(built, tmp_path):
    import threading

    other = tmp_path / "other"
    _write(tmp_path / "feed.jsonl", json.dumps({"id": "x", "text": OTHER}, ensure_ascii=False) + "\n")
    assert main(["build", str(tmp_path / "feed.jsonl"), "-o", str(other), "--no-picture", "--jobs", "1"]) == 0
    stale = tmp_path / f".g.graphml.{_dead_pid()}.k2j4.tmp"
    stale.write_bytes(b"<graphml")  # what a SIGKILL in the middle of writing leaves
    stale_dir = tmp_path / f".csv.{_dead_pid()}.k2j4.tmp"
    stale_dir.mkdir()
    assert main(["export", "-s", str(built), "--format", "graphml", "-o", str(tmp_path / "g.graphml")]) == 0
    assert not stale.exists()

    folder = tmp_path / "csv"
    pairs, seen, stop = {}, [], threading.Event()
    for store in (built, other):
        main(["export", "-s", str(store), "--format", "csv", "-o", str(folder)])
        pairs[store] = ((folder / "nodes.csv").read_bytes(), (folder / "edges.csv").read_bytes())
    assert not stale_dir.exists()

    def read():  # as a careful reader does: both files of one folder
        while not stop.is_set():
            try:
                fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
            except FileNotFoundError:
                continue
            try:
                seen.append(tuple(_read_at(fd, name) for name in ("nodes.csv", "edges.csv")))
            except FileNotFoundError:
                pass
            finally:
                os.close(fd)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for i in range(20):
            assert main(["export", "-s", str((built, other)[i % 2]), "--format", "csv", "-o", str(folder)]) == 0
    finally:
        stop.set()
        reader.join()
    assert seen and all(pair in pairs.values() for pair in seen)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def _read_at(folder_fd: int, name: str) -> bytes:
    with open(os.open(name, os.O_RDONLY, dir_fd=folder_fd), "rb") as handle:
        return handle.read()


def test_plots_are_written_whole(built, tmp_path):
    import xml.etree.ElementTree as ET

    assert main(["analyze", "-s", str(built), "--plots", str(tmp_path / "plots")]) == 0
    svgs = sorted(p.name for p in (tmp_path / "plots").iterdir())
    assert svgs == ["centrality.svg", "communities.svg", "pairs.svg", "timeline.svg"]
    for name in svgs:
        ET.parse(tmp_path / "plots" / name)
