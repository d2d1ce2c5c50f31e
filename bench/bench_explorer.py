"""Time of each explorer page, served by ``kg serve``, at a built store and at copies of it.

Takes an output folder of ``kg build`` (the 384 People's Daily articles of January 1998:
``kg build ../shared/corpora/peoples_daily_1998_articles/pd199801_meeting_articles.jsonl -o pd``),
times its pages, then makes a store of ``--copies`` copies of its articles (each copy's articles,
events, participations, mentions, evidence and memberships under new IRIs and ids, the persons,
organisations and places shared: 江泽民 takes part in five times as many events) — about a
million quads from five copies — and times the same pages there. Each page is fetched over HTTP
(HTML, then JSON) ``--repeat`` times after one warm-up; the median is reported. A benchmark, not
a test: it asserts nothing, it prints a Markdown table.

    python bench/bench_explorer.py pd [--copies 5] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from kg.graph.vocab import KGR, digest  # noqa: E402

RENAMED = ("event/", "participation/", "mention/", "evidence/", "membership/", "credit/", "resolution/")
IDENTIFIER = "https://schema.org/identifier"


def copies(source: Path, target: Path, n: int) -> int:
    """A store of ``n`` copies of the articles of ``source``; the number of quads."""
    store = ox.Store.read_only(str(source))
    quads = list(store)
    kgr = str(KGR)

    def rename(term, k: int):
        if k == 0 or not isinstance(term, ox.NamedNode) or not term.value.startswith(kgr):
            return term
        rest = term.value[len(kgr):]
        if rest.startswith(("article/", "graph/article/")):
            return ox.NamedNode(term.value + f"%23c{k}")  # the id gets "#c{k}": its IRIs follow
        if rest.startswith(RENAMED):  # a new key of kg's form (16 hex digits), any suffix (/during) kept
            kind, key, *more = rest.split("/")
            return ox.NamedNode(kgr + "/".join([kind, digest(key, str(k)), *more]))
        return term

    out = ox.Store(str(target))

    def generate():
        for k in range(n):
            for q in quads:
                o = q.object
                if k and q.predicate.value == IDENTIFIER and isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(kgr + "article/"):
                    o = ox.Literal(f"{o.value}#c{k}")
                else:
                    o = rename(o, k)
                yield ox.Quad(rename(q.subject, k), q.predicate, o, rename(q.graph_name, k))

    out.bulk_extend(generate())
    out.optimize()
    count = len(out)
    del out
    return count


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def pages(base: str) -> dict[str, str]:
    """The pages to time, found through the explorer itself: the biggest person, their busiest
    event, its first article, the biggest organisation and place."""
    home = json.loads(_get(base + "/?format=json")[1])
    top = home["top_people"][0]
    person = json.loads(_get(base + top["url"] + "?format=json")[1])
    event = max(person["events"], key=lambda e: e["participants"])
    article = json.loads(_get(base + event["url"] + "?format=json")[1])["articles"][0]
    org = next(h for g in json.loads(_get(base + "/search?q=" + quote("国务院") + "&format=json")[1])["groups"] if g["kind"] == "organization" for h in g["hits"])
    place = next(h for g in json.loads(_get(base + "/search?q=" + quote("北京") + "&format=json")[1])["groups"] if g["kind"] == "place" for h in g["hits"])
    return {
        "first page": "/",
        "search 李鹏": "/search?q=" + quote("李鹏"),
        "search 李 (prefix, many hits)": "/search?q=" + quote("李"),
        "search 李鵬 (traditional)": "/search?q=" + quote("李鵬"),
        f"person {top['name']} ({len(person['events'])} events)": top["url"],
        f"event ({event['participants']} participants)": event["url"],
        "article": article["url"],
        f"organisation {org['name']}": org["url"],
        f"place {place['name']}": place["url"],
        "SPARQL page, canned 'people'": "/sparql?canned=people",
    }


def time_pages(store: Path, repeat: int) -> tuple[dict[str, tuple[float, float]], dict[str, str]]:
    port = _port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "-s", str(store), "--bind", f"127.0.0.1:{port}"],
                            stderr=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(ROOT)}, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _get(base + "/query?query=ASK%7B%7D")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        chosen = pages(base)
        times = {}
        for name, path in chosen.items():
            result = []
            for suffix in ("", ("&" if "?" in path else "?") + "format=json"):
                status, _ = _get(base + path + suffix)  # warm-up
                assert status == 200, (name, status)
                runs = []
                for _ in range(repeat):
                    started = time.perf_counter()
                    _get(base + path + suffix)
                    runs.append(time.perf_counter() - started)
                result.append(statistics.median(runs))
            times[name] = tuple(result)
        return times, chosen
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("built", help="an output folder of kg build (or its store folder)")
    parser.add_argument("--copies", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    source = Path(args.built) / "store" if (Path(args.built) / "store").is_dir() else Path(args.built)
    scratch = Path(tempfile.mkdtemp(prefix="kg-bench-explorer-"))
    try:
        small = len(ox.Store.read_only(str(source)))
        started = time.perf_counter()
        big = copies(source, scratch / "store", args.copies)
        print(f"made {args.copies} copies: {big:,} quads in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        runs = [(f"{small:,} quads", time_pages(source, args.repeat)), (f"{big:,} quads", time_pages(scratch / "store", args.repeat))]
        print(f"| page | {runs[0][0]}: HTML / JSON | {runs[1][0]}: HTML / JSON |\n|---|---|---|")
        for (name, (html, js)), (big_name, (big_html, big_js)) in zip(runs[0][1][0].items(), runs[1][1][0].items()):
            shown = name if big_name == name else f"{name}; at scale: {big_name}"
            print(f"| {shown} | {html * 1000:.0f} / {js * 1000:.0f} ms | {big_html * 1000:.0f} / {big_js * 1000:.0f} ms |")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
