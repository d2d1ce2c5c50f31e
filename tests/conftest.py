"""Shared fixtures: the example page built once per session, and where the corpora are."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "000_6cc8837633432b08.txt"
CORPORA = Path(os.environ.get("KG_CORPORA", ROOT.parent / "shared" / "corpora"))
PD1998 = CORPORA / "peoples_daily_1998_articles" / "pd199801_meeting_articles.jsonl"


@pytest.fixture(scope="session")
def pipeline():
    from kg.extract import Pipeline

    return Pipeline()


@pytest.fixture(scope="session")
def example_docs(pipeline):
    from kg.ingest import read_articles

    return [pipeline(a) for a in read_articles([str(EXAMPLE)], pub_date="2024-01-12")]


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The example page built into a fresh output folder by the real command."""
    from kg.cli import main

    out = tmp_path_factory.mktemp("out")
    assert main(["build", str(EXAMPLE), "--pub-date", "2024-01-12", "-o", str(out)]) == 0
    return out


@pytest.fixture
def store(built):
    from kg.graph.store import open_store

    s = open_store(built, read_only=True)
    yield s
    s.close()


def pd1998():
    if not PD1998.exists():
        pytest.skip(f"corpus not present: {PD1998}")
    return PD1998


def quads_of(location) -> set[bytes]:
    """Every quad of a store, as N-Quads lines: to compare two graphs exactly."""
    from kg.graph.store import open_store

    store = open_store(location, read_only=True)
    try:
        return set(store.dump("N_QUADS").splitlines())
    finally:
        store.close()


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-background-timer-throttling", "--disable-renderer-backgrounding"]


def _chromium() -> str:
    found = next((p for p in ("/usr/bin/chromium", shutil.which("chromium")) if p and Path(p).exists()), None)
    if found is None:
        message = "Chromium not found (/usr/bin/chromium or chromium on PATH)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.fixture(scope="session")
def browser():
    """A real headless Chromium (Debian's, which make test installs), driven by Playwright."""
    executable = _chromium()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def run_kg(*args, input=None, stdin: bytes | None = None, cwd=None, user=None, timeout=300) -> subprocess.CompletedProcess:
    """The real command in a fresh process (as another user with ``user``), this tree first on the
    path; ``input`` text or ``stdin`` bytes on its standard input."""
    command = [sys.executable, "-m", "kg", *map(str, args)]
    if user is not None:
        command = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *command]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    if stdin is not None:
        result = subprocess.run(command, capture_output=True, input=stdin, cwd=cwd, timeout=timeout, env=env)
        return subprocess.CompletedProcess(result.args, result.returncode, result.stdout.decode(), result.stderr.decode())
    return subprocess.run(command, capture_output=True, text=True, input=input, cwd=cwd, timeout=timeout, env=env)
