"""Dirty input: every bad case ends in a one-line message naming the file, and the rest goes on."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from conftest import run_kg as kg

GOOD = "市长李明出席全市安全生产工作会议。"


def _skipped(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("kg: skipped ")]


def test_a_dirty_folder_is_read_to_the_end(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.bin").write_bytes(bytes(range(256)) * 10)
    (folder / "latin1.txt").write_bytes("Ça coûte très cher à Zürich".encode("latin-1"))
    (folder / "utf8.txt").write_text(GOOD, encoding="utf-8")
    (folder / "gbk.txt").write_bytes("副市长王芳参加全市安全生产工作会议。".encode("gbk"))
    (folder / "feed.jsonl").write_text(
        "\n".join([json.dumps({"id": "ok", "text": GOOD}, ensure_ascii=False), "{broken", json.dumps({"id": "nodate", "date": "32/13/1998", "text": GOOD}), json.dumps({"id": "notext"})]),
        encoding="utf-8",
    )
    os.mkfifo(folder / "pipe.txt")
    (folder / "loop").symlink_to(folder)  # a symlink loop
    (folder / "dangling.txt").symlink_to(folder / "gone.txt")
    result = kg("extract", str(folder), str(tmp_path / "missing"))
    assert result.returncode == 1, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(r["article"] for r in records) == ["in/gbk.txt", "in/utf8.txt", "nodate", "ok"]  # a bad date goes, not its article
    assert f"kg: warning: {folder / 'feed.jsonl'}: article nodate: date '32/13/1998' is not a date, left out" in result.stderr
    skipped = "\n".join(_skipped(result.stderr))
    for expected in (
        f"{folder / 'empty.txt'}: empty file",
        f"{folder / 'binary.bin'}: binary file",
        f"{folder / 'latin1.txt'}: encoding is none of UTF-8, GB18030/GBK, Big5",
        f"{folder / 'feed.jsonl'}:2: not JSON",
        f"{folder / 'feed.jsonl'}:4: no text (a field named text, content, body, article…)",
        f"{folder / 'pipe.txt'}: not a regular file",
        "symbolic link loop",
        f"{folder / 'dangling.txt'}: No such file or directory",
        f"{tmp_path / 'missing'}: no such file or directory",
    ):
        assert expected in skipped, expected
    assert "Traceback" not in result.stderr
    assert "4 articles from" in result.stderr.splitlines()[-1]


@pytest.mark.skipif(shutil.which("setpriv") is None or os.geteuid() != 0, reason="needs root and setpriv to run as another user")
def test_unreadable_files_are_named():
    import tempfile
    from pathlib import Path

    probe = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-c", "import kg"], capture_output=True)
    if probe.returncode:  # a checkout inside a folder only root may enter (mktemp -d)
        pytest.skip("the other user cannot run this checkout's Python")
    top = Path(tempfile.mkdtemp(prefix="kg-perm-", dir="/tmp"))  # reachable by the other user
    folder = top / "in"
    folder.mkdir()
    locked = top / "locked"
    locked.mkdir(mode=0o700)
    (folder / "secret.txt").write_text(GOOD, encoding="utf-8")
    (folder / "secret.txt").chmod(0)
    (folder / "open.txt").write_text(GOOD, encoding="utf-8")
    os.chmod(top, 0o755)
    os.chmod(folder, 0o755)
    (folder / "open.txt").chmod(0o644)
    try:
        result = kg("extract", str(folder), str(locked / "x.txt"), user=65534)
    finally:
        shutil.rmtree(top)
    assert result.returncode == 1, result.stderr
    assert _skipped(result.stderr) == [f"kg: skipped {folder / 'secret.txt'}: Permission denied", f"kg: skipped {locked / 'x.txt'}: Permission denied"]
    assert [json.loads(line)["article"] for line in result.stdout.splitlines()] == ["in/open.txt"]


def _peak_rss_kb(*args) -> tuple[int, subprocess.CompletedProcess]:
    """Peak resident memory of one kg run, measured by a fresh parent process."""
    code = (
        "import resource, subprocess, sys, json;"
        f"r = subprocess.run({[sys.executable, '-m', 'kg', *args]!r}, capture_output=True, text=True);"
        "print(json.dumps([resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode, r.stderr]))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600, env={**os.environ, "PYTHONPATH": os.getcwd()})
    peak, code_, stderr = json.loads(out.stdout)
    return peak, subprocess.CompletedProcess(args, code_, "", stderr)


def test_a_50_mb_file_without_line_breaks_keeps_memory_bounded(tmp_path):
    small = tmp_path / "small.txt"
    small.write_text(GOOD, encoding="utf-8")
    line = ("会议" * 1000).encode("utf-8")
    big_text, big_jsonl = tmp_path / "dump.txt", tmp_path / "dump.jsonl"
    with big_text.open("wb") as f:
        for _ in range(50 * 1024 * 1024 // len(line) + 1):
            f.write(line)
    with big_jsonl.open("wb") as f:
        f.write(b'{"id": "x", "text": "')
        for _ in range(50 * 1024 * 1024 // len(line) + 1):
            f.write(line)
        f.write(b'"}\n' + json.dumps({"id": "after", "text": GOOD}, ensure_ascii=False).encode() + b"\n")
    baseline, _ = _peak_rss_kb("extract", str(small))
    peak, result = _peak_rss_kb("extract", str(big_text), str(big_jsonl), str(small))
    assert result.returncode == 1
    assert f"{big_text}: larger than 16 MB" in result.stderr
    assert f"{big_jsonl}:1: line longer than 16 MB" in result.stderr
    assert peak < baseline + 64 * 1024, (peak, baseline)  # KiB: far below the 50 MB file


def test_long_unpunctuated_text_is_tagged_in_bounded_pieces(pipeline):
    from kg.model import Article

    text = "会议" * 3000 + "市长李明出席会议"
    doc = pipeline(Article(id="long", text=text))
    assert max(s.end - s.start for s in doc.sentences) <= 400
    assert all(0 <= m.start < m.end <= len(text) for m in doc.mentions)
