"""Time to the first stable picture of who attended what, at 200, 2,000 and 20,000 nodes.

Builds synthetic graphs (persons, events, places; heavy-tailed attendance), writes the page with today's
defaults (physics below ``PRECOMPUTE_ABOVE`` nodes, a layout precomputed in Python above it), and opens it
in headless Chromium until the page sets ``data-kg-drawn``.  In the same run it times the previous default
(vis-network physics only) so the ratio is measured on the same machine, not remembered.  A benchmark,
not a test: it asserts nothing about time.

    python bench/bench_viz.py [--sizes 200 2000 20000] [--baseline-timeout 120] [--repeat 3]
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from kg.views.visualise import write_html

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-background-timer-throttling", "--disable-renderer-backgrounding"]
SHARE = {"person": 0.70, "event": 0.25, "place": 0.05}
LOCAL = 0.85  # share of a person's events at their home place
ROLES = ("attendee",) * 16 + ("speaker", "speaker", "chair", "host")
FIRST_DAY = date(2023, 1, 1)
NO_PHYSICS_LIMIT = 10**9  # ``precompute_above`` that keeps vis-network physics at any size


def synthetic_graph(n: int, seed: int = 7) -> nx.MultiDiGraph:
    """``n`` nodes: events at places (popular places host more), persons attending a Pareto-distributed
    number of events chosen by event popularity, so a few people and events are hubs and most are not.
    People are local: most of their events are at their home place, as officials mostly meet in their city."""
    rng = random.Random(seed)
    g = nx.MultiDiGraph()
    places = [f"place/{i}" for i in range(max(1, int(n * SHARE["place"])))]
    events = [f"event/{i}" for i in range(max(1, int(n * SHARE["event"])))]
    persons = [f"person/{i}" for i in range(n - len(places) - len(events))]
    for p in places:
        g.add_node(p, label=f"地点{p[6:]}", type="place", subtype="")
    place_weight = [rng.paretovariate(1.2) for _ in places]
    for e in events:
        day = (FIRST_DAY + timedelta(days=rng.randrange(730))).isoformat()
        venue = rng.choices(places, place_weight)[0]
        g.add_node(e, label=f"会议{e[6:]}", type="event", subtype="meeting", date=day, venue=venue)
        g.add_edge(e, venue, relation="location", article=f"a{e[6:]}")
    popularity = {e: rng.lognormvariate(0, 1.2) for e in events}
    at: dict[str, list[str]] = {}
    for e in events:
        at.setdefault(g.nodes[e]["venue"], []).append(e)
    homes = list(at)
    home_weight = [sum(popularity[e] for e in at[h]) for h in homes]
    everywhere = list(itertools.accumulate(popularity.values()))
    local = {h: list(itertools.accumulate(popularity[e] for e in at[h])) for h in homes}
    for p in persons:
        g.add_node(p, label=f"人物{p[7:]}", type="person", subtype="")
        home = rng.choices(homes, home_weight)[0]
        count = min(int(rng.paretovariate(1.7)), 60)
        near = sum(rng.random() < LOCAL for _ in range(count))
        chosen = rng.choices(at[home], cum_weights=local[home], k=near)
        chosen += rng.choices(events, cum_weights=everywhere, k=count - near)
        for e in set(chosen):
            g.add_edge(p, e, relation="participation", role=rng.choice(ROLES), date=g.nodes[e]["date"],
                       article=f"a{e[6:]}", evidence="……出席会议……")
    return g


def time_to_drawn(browser, path: Path, timeout_s: float) -> float | None:
    """Seconds from navigation start to ``data-kg-drawn`` (the page's own clock), or None on timeout."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        page.goto(path.as_uri(), timeout=timeout_s * 1000)
        page.wait_for_function("() => document.body.dataset.kgDrawn === '1'", timeout=timeout_s * 1000,
                               polling=100)
        return int(page.evaluate("document.body.dataset.kgDrawnMs")) / 1000
    except Exception as error:  # playwright's TimeoutError, or a page that crashed under the load
        if "Timeout" not in type(error).__name__:
            raise
        return None
    finally:
        page.close()


def median_time(browser, path: Path, timeout_s: float, repeat: int) -> float | None:
    """The median of ``repeat`` fresh loads; one timeout is enough to call it too slow."""
    times = []
    for _ in range(repeat):
        seconds = time_to_drawn(browser, path, timeout_s)
        if seconds is None:
            return None
        times.append(seconds)
    return statistics.median(times)


def measure(browser, n: int, folder: Path, baseline: bool, baseline_timeout: float, repeat: int) -> dict:
    graph = synthetic_graph(n)
    start = time.perf_counter()
    page = write_html(graph, folder / f"kg-{n}.html")
    row = {"n": n, "edges": graph.number_of_edges(), "write_s": time.perf_counter() - start,
           "mb": page.stat().st_size / 1e6, "drawn_s": median_time(browser, page, 600, repeat)}
    if baseline:
        old = write_html(graph, folder / f"kg-{n}-physics.html", precompute_above=NO_PHYSICS_LIMIT)
        row["same_page"] = old.read_bytes() == page.read_bytes()  # below PRECOMPUTE_ABOVE nothing changed
        row["physics_s"] = median_time(browser, old, baseline_timeout, repeat)
    return row


def _seconds(value: float | None, limit: float) -> str:
    return f"> {limit:.0f} s" if value is None else f"{value:.1f} s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000, 20000])
    parser.add_argument("--baseline-up-to", type=int, default=20000,
                        help="time the physics-only page only up to this many nodes")
    parser.add_argument("--baseline-timeout", type=float, default=120, help="seconds; slower is reported as '> N s'")
    parser.add_argument("--repeat", type=int, default=3, help="loads per page; the median is reported")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} not found: nothing measured")
        return 0
    from playwright.sync_api import sync_playwright

    print(f"nproc: {os.cpu_count()}  (affinity: {len(os.sched_getaffinity(0))})")
    folder = Path(tempfile.mkdtemp(prefix="bench-viz-"))
    rows = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            time_to_drawn(browser, write_html(synthetic_graph(50), folder / "warm-up.html"), 60)  # first load is slow
            for n in args.sizes:
                baseline = n <= args.baseline_up_to
                rows.append(measure(browser, n, folder, baseline, args.baseline_timeout, args.repeat))
                print(f"  measured {n} nodes", file=sys.stderr)
            browser.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print("drawn = seconds from navigation to data-kg-drawn (median of loads); write = Python, incl. layout")
    print(f"{'nodes':>7} {'edges':>7} {'page MB':>8} {'write':>8} {'drawn (new)':>12} {'physics only':>13} "
          f"{'speed-up':>9}")
    for r in rows:
        physics = _seconds(r["physics_s"], args.baseline_timeout) if "physics_s" in r else "skipped"
        ratio = ""
        if r.get("physics_s") and r["drawn_s"]:
            ratio = f"{r['physics_s'] / r['drawn_s']:.1f}×" + (" (same page: noise)" if r["same_page"] else "")
        elif "physics_s" in r and r["drawn_s"]:
            ratio = f"> {args.baseline_timeout / r['drawn_s']:.1f}×"
        print(f"{r['n']:>7} {r['edges']:>7} {r['mb']:>8.1f} {r['write_s']:>7.1f}s {_seconds(r['drawn_s'], 600):>12} "
              f"{physics:>13} {ratio:>9}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
