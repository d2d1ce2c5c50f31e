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
