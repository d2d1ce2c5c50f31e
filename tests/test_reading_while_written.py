"""A store that a process is writing (as kg build does, holding the store's lock) is read as it
was when opened, and kg says so: which process writes it, and the time of the snapshot."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "000_6cc8837633432b08.txt"
WRITER = """
import sys, time
import pyoxigraph as ox
store = ox.Store(sys.argv[1])  # takes the lock, as kg build's store does
print("open", flush=True)
time.sleep(60)
"""


def _kg(*args):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "kg", *map(str, args)], capture_output=True, text=True, env=env, timeout=300)


def test_readers_of_a_store_being_written_say_so(tmp_path):
    out = tmp_path / "out"
    assert _kg("build", EXAMPLE, "--pub-date", "2024-01-12", "-o", out, "--no-picture").returncode == 0
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(out / "store")], stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "open"
        for args in (("query", "-s", out, "people"), ("stats", "-s", out)):
            result = _kg(*args)
            assert result.returncode == 0, result.stderr
            assert result.stdout.strip()  # the rows stored so far
            (line,) = [line for line in result.stderr.splitlines() if line.startswith("kg: warning:")]
            assert f"is being written by process {writer.pid}" in line and "as it was when opened" in line
    finally:
        writer.kill()
        writer.wait()
    time.sleep(0.2)
    assert "kg: warning" not in _kg("stats", "-s", out).stderr  # once the writer is gone, nothing to say


SLOW_WRITER = """
import sys
import pyoxigraph as ox
store = ox.Store(sys.argv[1])
g = ox.NamedNode("https://w3id.org/kg-news/id/graph/article/x")
for line in sys.stdin:  # each line: add that many quads, then say so
    n = int(line)
    store.extend([ox.Quad(ox.NamedNode(f"urn:s{len(store)}-{i}"), ox.NamedNode("urn:p"), ox.Literal(str(i)), g) for i in range(n)])
    store.flush()
    print(len(store), flush=True)
"""


def test_kg_serve_started_during_a_build_answers_from_the_store_as_it_grows(tmp_path):
    import json
    import socket
    import urllib.parse
    import urllib.request

    from kg.procs import popen, stop

    store = tmp_path / "out" / "store"
    store.parent.mkdir()
    writer = subprocess.Popen([sys.executable, "-c", SLOW_WRITER, str(store)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = None
    try:
        writer.stdin.write("3\n")
        writer.stdin.flush()
        assert writer.stdout.readline().strip() == "3"
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        server = popen([sys.executable, "-m", "kg", "serve", "-s", str(tmp_path / "out"), "--bind", f"127.0.0.1:{port}"], stderr=subprocess.DEVNULL, env=env)
        deadline = time.monotonic() + 60

        def count() -> int:
            data = urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"}).encode()
            request = urllib.request.Request(f"http://127.0.0.1:{port}/query", data=data, headers={"Accept": "application/sparql-results+json"})
            with urllib.request.urlopen(request, timeout=30) as response:
                return int(json.load(response)["results"]["bindings"][0]["n"]["value"])

        while True:
            try:
                first = count()
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None
                time.sleep(0.2)
        assert first == 3
        for _ in range(10):  # each query and page reads the store as it is now, whatever the writer's compaction removed
            writer.stdin.write("5\n")
            writer.stdin.flush()
            written = int(writer.stdout.readline())
            assert count() == written  # not the snapshot it started with
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as page:
                assert page.status == 200
    finally:
        if server is not None:
            stop(server)
        writer.kill()
        writer.wait()


def test_reads_of_a_store_being_written_see_every_write(tmp_path):
    """A read-only view lists the store's files of the moment; the writer's compaction may remove
    one before it is read (about half the reads here failed so once): read_while_written reads again."""
    import pyoxigraph as ox

    from kg.graph.store import read_while_written

    store = tmp_path / "store"
    writer = subprocess.Popen([sys.executable, "-c", SLOW_WRITER, str(store)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    try:
        for _ in range(20):
            writer.stdin.write("5\n")
            writer.stdin.flush()
            written = int(writer.stdout.readline())
            counted = read_while_written(lambda: int(next(iter(ox.Store.read_only(str(store)).query(query, use_default_graph_as_union=True)))["n"].value))
            assert counted == written
    finally:
        writer.kill()
        writer.wait()


def test_a_store_s_write_buffers_reach_its_files_every_so_many_transactions(tmp_path, monkeypatch):
    """The writer flushes RocksDB's write buffers itself every WRITES_PER_FLUSH transactions (a
    pass rewriting ten thousand articles held 350 MB of them otherwise): a new table file
    appears at that transaction, none before."""
    from kg.graph import store as stores

    monkeypatch.setattr(stores, "WRITES_PER_FLUSH", 3)
    store = stores.OxigraphStore(tmp_path / "store")

    def tables() -> int:
        return len(list((tmp_path / "store").glob("*.sst")))

    before = tables()
    for i in range(1, 3):
        store.update(f"INSERT DATA {{ GRAPH <urn:g> {{ <urn:s> <urn:p> {i} }} }}")
    assert tables() == before
    store.update("INSERT DATA { GRAPH <urn:g> { <urn:s> <urn:p> 3 } }")
    assert tables() > before
    assert store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:g> { ?s ?p ?o } }")[1] == [[3]]
    store.close()
