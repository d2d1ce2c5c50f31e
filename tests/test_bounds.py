"""Memory bounded per article whatever its content: an article of one repeated character is
skipped and named, in kg extract and kg build, and the process stays small (measured on the
real command, as the maximum resident size of the child)."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from kg.extract import MAX_ARTICLE_CHARS, MAX_MENTIONS

ROOT = Path(__file__).resolve().parents[1]
GOOD = "全市经济工作会议今天召开。市长郑云涛出席会议并讲话。"


def _run(*args) -> tuple[subprocess.CompletedProcess, int]:
    """The command, and the peak memory (bytes) of the children run so far."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "kg", *map(str, args)], capture_output=True, text=True, env=env, timeout=600)
    return result, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024


@pytest.mark.parametrize(
    "name, text, reason",
    [
        ("long", "会" * (MAX_ARTICLE_CHARS + 1), f"more than {MAX_ARTICLE_CHARS:,}: not read"),
        ("names", "李" * (MAX_ARTICLE_CHARS // 2), f"more than {MAX_MENTIONS:,}: not read"),
    ],
)
def test_an_article_beyond_the_bounds_is_named_and_the_rest_is_read(tmp_path, name, text, reason):
    (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    result, peak = _run("extract", tmp_path, "--pub-date", "2024-01-12")
    assert result.returncode == 1, result.stderr
    assert any(line.startswith("kg: skipped ") and reason in line and f"{name}.txt" in line for line in result.stderr.splitlines()), result.stderr
    assert '"good.txt"' in result.stdout.replace(tmp_path.name + "/", "")  # the other article is read
    assert peak < 1.5 * 2**30  # 1 MB of one character took 4.3 GB in kg build before the bounds


def test_kg_build_skips_it_and_stores_the_rest(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "names.txt").write_text("李" * (MAX_ARTICLE_CHARS // 2), encoding="utf-8")
    (src / "good.txt").write_text(GOOD, encoding="utf-8")
    result, _ = _run("build", src, "--pub-date", "2024-01-12", "-o", tmp_path / "out", "--no-picture")
    assert result.returncode == 1, result.stderr
    assert "names.txt" in result.stderr and f"more than {MAX_MENTIONS:,}" in result.stderr
    assert result.stdout.startswith("1 articles built")
