"""Interrupted builds: kill a real ``kg build`` at random moments, resume, get the same graph."""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import pd1998, quads_of


def _corpus(tmp_path, n=24):
    lines = pd1998().read_text(encoding="utf-8").splitlines()[:n]
    path = tmp_path / "articles.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _build(source, out) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "kg", "build", str(source), "-o", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": os.getcwd()},
    )



def _orphans() -> set[int]:
    """Processes of ours left running without a parent."""
    found = set()
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
            cmdline = (status.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if fields.get("PPid", "").strip() == "1" and b"multiprocessing" in cmdline and sys.executable.encode() in cmdline:
            found.add(int(status.parent.name))
    return found


def test_killed_builds_resume_to_the_same_graph(tmp_path):
    orphans_before = _orphans()
    source = _corpus(tmp_path)
    whole = tmp_path / "whole"
    assert _build(source, whole).wait(timeout=600) == 0
    expected = quads_of(whole)

    out, rng, kills = tmp_path / "killed", random.Random(), []
    for sig in (signal.SIGKILL, signal.SIGINT, signal.SIGKILL, signal.SIGKILL):
        proc = _build(source, out)
        delay = rng.uniform(0.5, 6.0)
        time.sleep(delay)
        proc.send_signal(sig)
        code = proc.wait(timeout=120)
        kills.append((sig.name, round(delay, 2), code))
        if (out / "graph.html").exists():
            assert (out / "graph.html").read_bytes().startswith(b"<!DOCTYPE html>")  # never half-written
    time.sleep(2)  # workers notice within half a second that their build is gone
    assert _orphans() <= orphans_before, kills
    resumed = _build(source, out)
    stdout, _ = resumed.communicate(timeout=600)
    assert resumed.returncode == 0
    assert quads_of(out) == expected, kills
    built, unchanged = map(int, re.search(r"(\d+) articles built, (\d+) unchanged", stdout.decode()).groups())
    assert built + unchanged == 24, kills


def test_a_rebuild_of_changed_content_replaces_the_article_graph(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "市长李明出席全市安全生产工作会议。"}, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out"
    assert _build(path, out).wait(timeout=300) == 0
    path.write_text(json.dumps({"id": "a", "text": "市长王芳出席全市安全生产工作会议。"}, ensure_ascii=False), encoding="utf-8")
    assert _build(path, out).wait(timeout=300) == 0
    names = {q for q in quads_of(out) if b"schema.org/name" in q}
    assert any("王芳".encode() in q for q in names) and not any("李明".encode() in q for q in names)


def test_an_id_taken_by_another_file_in_a_later_run_is_said(tmp_path):
    # day1/2024/p1.txt built, then day2/2024/p1.txt: the same id, another file; kg replaces (it
    # cannot tell an edit from a clash) and says which file's article went
    for day, name in (("day1", "李明"), ("day2", "王芳")):
        (tmp_path / day / "2024").mkdir(parents=True)
        (tmp_path / day / "2024" / "p1.txt").write_text(f"市长{name}出席全市安全生产工作会议。", encoding="utf-8")
    out = tmp_path / "out"
    first = _build(tmp_path / "day1" / "2024", out)
    assert first.wait(timeout=300) == 0 and b"replaces" not in first.stderr.read()
    second = _build(tmp_path / "day2" / "2024", out)
    assert second.wait(timeout=300) == 0
    said = second.stderr.read().decode()
    assert "kg: warning:" in said and str(tmp_path / "day1" / "2024" / "p1.txt") in said and "2024/p1.txt" in said
    again = _build(tmp_path / "day2" / "2024", out)  # the same file again: unchanged, nothing said
    assert again.wait(timeout=300) == 0 and b"replaces" not in again.stderr.read()


@pytest.mark.parametrize("batch", [200, 1])  # before its load, and after it
def test_an_id_twice_in_the_input_keeps_its_last_version_only(tmp_path, monkeypatch, batch):
    from kg.graph import build as build_module
    from kg.graph.store import OxigraphStore
    from kg.model import Article

    monkeypatch.setattr(build_module, "BULK_BATCH", batch)
    first = Article(id="x", text="全市经济工作会议今天召开。市长王刚出席会议。", date="2024-01-12")
    other = Article(id="y", text="全市教育工作会议今天召开。市长李明出席会议。", date="2024-01-12")
    last = Article(id="x", text="全市农业工作会议今天召开。市长赵强出席会议。", date="2024-01-12")
    for name, articles in (("twice", [first, other, last]), ("once", [other, last])):
        store = OxigraphStore(tmp_path / name)
        build_module.build(articles, store)
        store.close()
    pending = b"<https://w3id.org/kg-news/id/graph/pending> ."  # the old version's keys stay pending for the pass across articles
    assert {q for q in quads_of(tmp_path / "twice") if not q.endswith(pending)} == {q for q in quads_of(tmp_path / "once") if not q.endswith(pending)}


def test_a_killed_resolution_pass_completes_on_the_next_run(tmp_path):
    """Three copies of each article (new ids, same day): every event is reported three times and
    merged, so the pass rewrites most articles; kill it, run it again, get the same graph."""
    lines = [json.loads(line) for line in pd1998().read_text(encoding="utf-8").splitlines()[:24]]
    source = tmp_path / "copies.jsonl"
    source.write_text("".join(json.dumps(dict(r, doc_id=f"{r['doc_id']}-{copy}"), ensure_ascii=False) + "\n" for copy in range(3) for r in lines), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    kg = [sys.executable, "-m", "kg"]
    assert subprocess.run([*kg, "build", str(source), "-o", str(tmp_path / "whole")], env=env, capture_output=True, check=False).returncode == 0
    expected = quads_of(tmp_path / "whole")
    out, rng, kills = tmp_path / "killed", random.Random(), []
    assert subprocess.run([*kg, "build", str(source), "-o", str(out), "--no-resolve"], env=env, capture_output=True, check=False).returncode == 0
    assert quads_of(out) != expected
    for _ in range(4):  # the pass takes about 1.8 s here, start-up included
        proc = subprocess.Popen([*kg, "resolve", "-s", str(out)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        delay = rng.uniform(0.5, 1.8)
        time.sleep(delay)
        proc.kill()
        kills.append((round(delay, 2), proc.wait(timeout=60)))
    assert subprocess.run([*kg, "resolve", "-s", str(out)], env=env, capture_output=True, check=False).returncode == 0
    assert quads_of(out) == expected, kills
