"""The ``kg`` command as a user runs it: exit codes, one-line errors, the files it writes."""

from __future__ import annotations

import json

from conftest import EXAMPLE
from conftest import run_kg as kg


def test_build_writes_store_and_picture(built):
    assert (built / "store").is_dir()
    html = (built / "graph.html").read_text(encoding="utf-8")
    assert "胡勇春" in html


def test_extract_prints_one_json_line_per_article():
    result = kg("extract", str(EXAMPLE), "--pub-date", "2024-01-12")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["article"] for r in records] == [f"examples/000_6cc8837633432b08.txt#0{i}" for i in (1, 2, 3)]
    assert records[0]["date"] == "2024-01-12"
    assert any(m["type"] == "organization:company" and m["text"] == "传化集团有限公司" for m in records[0]["mentions"])


def test_stdin_is_a_source():
    result = kg("extract", "-", "--pub-date", "2024-01-12", input="市长李明出席全市安全生产工作会议。")
    assert result.returncode == 0, result.stderr
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["article"] == "stdin"
    assert {f["subject"]["text"] for f in record["facts"] if f["kind"] == "participation"} == {"李明"}


def test_errors_are_one_line_and_exit_non_zero(tmp_path):
    missing = kg("extract", str(tmp_path / "nope.txt"))
    assert missing.returncode == 2
    assert missing.stderr.strip().splitlines()[0] == f"kg: skipped {tmp_path / 'nope.txt'}: no such file or directory"
    bad_date = kg("build", str(EXAMPLE), "--pub-date", "12/01/2024", "-o", str(tmp_path / "o"))
    assert bad_date.returncode == 2 and "is not a date" in bad_date.stderr and "Traceback" not in bad_date.stderr
    no_store = kg("query", "-s", str(tmp_path / "none"), "people")
    assert no_store.returncode == 2 and no_store.stderr.startswith("kg: error:") and len(no_store.stderr.splitlines()) == 1
    bad_sparql = kg("query", "-s", str(tmp_path / "none"), "SELEC nonsense")
    assert bad_sparql.returncode == 2


def test_some_inputs_skipped_exits_one(tmp_path):
    (tmp_path / "bad.txt").write_bytes(b"\x00\x00")
    good = tmp_path / "good.txt"
    good.write_text("市长李明出席全市安全生产工作会议。", encoding="utf-8")
    result = kg("extract", str(tmp_path))
    assert result.returncode == 1
    assert "bad.txt: binary file" in result.stderr and len(result.stdout.splitlines()) == 1


def test_every_command_has_help():
    for command in ("build", "extract", "query", "export", "viz", "stats"):
        result = kg(command, "--help")
        assert result.returncode == 0 and "usage: kg" in result.stdout


def test_viz_filters(built, tmp_path):
    import re

    full = kg("viz", "-s", str(built), "-o", str(tmp_path / "all.html"))
    people = kg("viz", "-s", str(built), "-o", str(tmp_path / "people.html"), "--types", "person,event", "--from", "2024-01-11", "--to", "2024-01-11")
    none = kg("viz", "-s", str(built), "-o", str(tmp_path / "none.html"), "--from", "2025-01-01")
    assert full.returncode == people.returncode == none.returncode == 0
    sizes = {name: len((tmp_path / f"{name}.html").read_text(encoding="utf-8")) for name in ("all", "people", "none")}
    assert sizes["none"] < sizes["people"] < sizes["all"]
    assert "胡勇春" in (tmp_path / "people.html").read_text(encoding="utf-8")
    assert not re.search(r"胡勇春", (tmp_path / "none.html").read_text(encoding="utf-8"))


def test_build_draws_the_best_connected_nodes_of_a_big_graph(tmp_path, monkeypatch, capsys):
    import kg.cli
    import kg.workflow

    monkeypatch.setattr(kg.workflow, "PICTURE_TOP", 5)
    assert kg.cli.main(["build", str(EXAMPLE), "--pub-date", "2024-01-12", "-o", str(tmp_path), "--jobs", "1"]) == 0
    assert "the 5 best-connected nodes of" in capsys.readouterr().out
    html = (tmp_path / "graph.html").read_text(encoding="utf-8")
    assert "全省高质量项目建设和企业发展推进大会" in html  # the hub survives


def test_build_without_a_picture_loads_the_store_only(tmp_path, capsys):
    from kg.cli import main

    assert main(["build", str(EXAMPLE), "--pub-date", "2024-01-12", "-o", str(tmp_path), "--no-picture"]) == 0
    assert (tmp_path / "store").is_dir() and not (tmp_path / "graph.html").exists()
    assert "graph.html" not in capsys.readouterr().out


def test_an_in_process_run_leaves_the_callers_sigterm_handler(tmp_path):
    import signal

    from kg.cli import main

    def mine(signum, frame):
        raise AssertionError("not called")

    before = signal.signal(signal.SIGTERM, mine)
    try:
        source = tmp_path / "a.txt"
        source.write_text("全市经济工作会议今天召开。市长郑云涛出席会议。", encoding="utf-8")
        assert main(["extract", str(source)]) == 0
        assert signal.getsignal(signal.SIGTERM) is mine
    finally:
        signal.signal(signal.SIGTERM, before)
