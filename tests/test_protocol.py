"""Protocol order, careers and windows: printed lists kept in the graph, `kg analyze rank`,
`kg analyze careers`, `--from/--to/--place`, on the seed page and the 1998 corpus (real builds)."""

from __future__ import annotations

import csv
import io

import pytest

from conftest import EXAMPLE, pd1998, run_kg

LEADERS = ["胡勇春", "郑云涛", "李浩锋", "吴东明", "胡天忠", "蒋华蒙", "陈伟强", "胡文建", "朱志昂", "朱长林"]  # 我市领导, as printed
STANDING_COMMITTEE = ["江泽民", "李鹏", "朱镕基", "李瑞环", "胡锦涛", "尉健行", "李岚清"]


def _csv(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    out = tmp_path_factory.mktemp("seed")
    result = run_kg("build", EXAMPLE.parent, "--pub-date", "2024-01-12", "--home-place", "永康市", "-o", out, "--no-picture")
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def pd(tmp_path_factory):
    source = pd1998()
    out = tmp_path_factory.mktemp("pd1998")
    result = run_kg("build", source, "-o", out, "--no-picture", timeout=900)
    assert result.returncode == 0, result.stderr
    return out


def test_participations_keep_their_printed_list_and_position(seed):
    rows = _csv(run_kg("query", "-s", seed, "attendance", "--format", "csv").stdout)
    leaders = [r for r in rows if r["participant"] in LEADERS]
    assert [r["participant"] for r in sorted(leaders, key=lambda r: int(r["position"]))] == LEADERS
    assert [int(r["position"]) for r in sorted(leaders, key=lambda r: int(r["position"]))] == list(range(1, 11))
    assert len({r["list"] for r in leaders}) == 1 and leaders[0]["list"].startswith("examples/000_6cc8837633432b08.txt#01@")
    # places and companies are listed as they are printed too: 金华市、杭州市钱塘区和传化集团有限公司、新凤鸣集团…
    speakers = sorted((r for r in rows if r["role"] == "speaker"), key=lambda r: int(r["position"]))
    assert [r["participant"] for r in speakers] == ["金华市", "钱塘区", "传化集团", "新凤鸣集团"]


def test_exports_carry_list_and_position(seed, tmp_path):
    assert run_kg("export", "-s", seed, "--format", "csv", "-o", tmp_path / "csv").returncode == 0
    edges = _csv((tmp_path / "csv" / "edges.csv").read_text(encoding="utf-8"))
    assert {"list", "position:int"} <= set(edges[0])
    assert sorted(int(e["position:int"]) for e in edges if e["evidence"].startswith("我市领导")) == list(range(1, 11))
    assert run_kg("export", "-s", seed, "--format", "graphml", "-o", tmp_path / "kg.graphml").returncode == 0
    import networkx as nx

    graph = nx.read_graphml(tmp_path / "kg.graphml")
    assert sorted(d["position"] for *_, d in graph.edges(data=True) if d.get("evidence", "").startswith("我市领导")) == list(range(1, 11))


def test_a_list_ends_at_words_between_names(pipeline):
    """李鹏…李岚清等出席会议尉健行主持: the six who attend are one list, 尉健行 who chairs another."""
    from kg.graph.lists import printed_lists
    from kg.model import Article

    text = "中纪委第二次全体会议在京开幕。李鹏、乔石、朱镕基、李瑞环、胡锦涛、李岚清等出席会议，尉健行主持会议。"
    doc = pipeline(Article("t", text, title="中纪委第二次全体会议开幕", date="1998-01-22"))
    lists = printed_lists(doc)
    listed = {f.subject.text: lists[id(f)] for f in doc.facts if f.kind == "participation"}
    attend = ["李鹏", "乔石", "朱镕基", "李瑞环", "胡锦涛", "李岚清"]
    assert [listed[name][1] for name in attend] == list(range(1, 7))
    assert len({id(listed[name][0]) for name in attend}) == 1 and len(listed["李鹏"][0].members) == 6
    assert listed["尉健行"][0] != listed["李鹏"][0] and listed["尉健行"][1] == 1


def test_rank_orders_the_ten_leaders_as_printed(seed):
    result = run_kg("analyze", "-s", seed, "rank", "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = _csv(result.stdout)
    assert list(rows[0])[:2] == ["rank", "person"]
    assert [r["person"] for r in rows] == LEADERS and [int(r["rank"]) for r in rows] == list(range(1, 11))
    assert all(r["lists"] == "1" and r["evidence"].startswith("examples/000_6cc8837633432b08.txt#01@") for r in rows)
    copeland = _csv(run_kg("analyze", "-s", seed, "rank", "--method", "copeland", "--format", "csv").stdout)
    assert [r["person"] for r in copeland] == LEADERS


def test_rank_by_month_and_its_plot(seed, tmp_path):
    result = run_kg("analyze", "-s", seed, "rank", "--by", "month", "--format", "csv", "--plots", tmp_path)
    rows = _csv(result.stdout)
    assert {r["month"] for r in rows} == {"2024-01"} and [r["person"] for r in rows] == LEADERS
    assert (tmp_path / "rank.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_rank_keeps_every_head_to_head_majority():
    """乙 precedes many in long lists, 甲 precedes 乙 in the one list with both: 甲 ranks first."""
    from kg.views.rank import PersonList, rank

    lists = [PersonList("a", "e", "1998-01-01", ["甲", "乙"])] + [
        PersonList(f"b{i}", "e", "1998-01-02", ["乙", "丙", "丁", "戊", "己", "庚"]) for i in range(3)
    ]
    for method in ("bradley-terry", "copeland"):
        columns, rows = rank(lists, method)
        assert [r[columns.index("person")] for r in rows][:2] == ["甲", "乙"]


def test_window_by_days(seed):
    day = _csv(run_kg("analyze", "-s", seed, "timeline", "--from", "2024-01-11", "--to", "2024-01-11", "--top", "0", "--format", "csv").stdout)
    assert {r["person"] for r in day} >= set(LEADERS) and {r["date"] for r in day} == {"2024-01-11"}
    later = _csv(run_kg("analyze", "-s", seed, "timeline", "--from", "2024-01-12", "--top", "0", "--format", "csv").stdout)
    assert not set(LEADERS) & {r["person"] for r in later} and all(r["date"] >= "2024-01-12" for r in later)
    assert _csv(run_kg("analyze", "-s", seed, "rank", "--to", "2023-12", "--format", "csv").stdout) == []
    assert len(_csv(run_kg("analyze", "-s", seed, "pairs", "--to", "2024-01", "--top", "0", "--format", "csv").stdout)) == 45


def test_careers_merge_variants_of_one_office():
    from kg.views.careers import office

    assert office("中宣部部长") == office("中央宣传部部长") == ("中央宣传部", "部长")
    assert office("中共中央政治局候补委员") == ("中共中央政治局", "候补委员")
    assert office("中华人民共和国主席") == office("国家主席") == ("", "国家主席")


@pytest.mark.corpus
def test_standing_committee_in_protocol_order(pd):
    rows = _csv(run_kg("analyze", "-s", pd, "rank", "--top", "0", "--format", "csv").stdout)
    ranked = [r["person"] for r in rows]
    assert [p for p in ranked if p in STANDING_COMMITTEE] == STANDING_COMMITTEE
    assert ranked[:2] == ["江泽民", "李鹏"]
    first = {r["person"]: r for r in rows}["江泽民"]
    assert int(first["lists"]) >= 5 and first["followed"] == "0"


@pytest.mark.corpus
def test_rank_within_a_place_and_by_month(pd):
    beijing = _csv(run_kg("analyze", "-s", pd, "rank", "--place", "北京市", "--top", "0", "--format", "csv").stdout)
    everywhere = _csv(run_kg("analyze", "-s", pd, "rank", "--top", "0", "--format", "csv").stdout)
    assert 0 < len(beijing) < len(everywhere)
    assert [r["person"] for r in beijing if r["person"] in STANDING_COMMITTEE][:3] == ["江泽民", "李鹏", "朱镕基"]
    january = [r for r in _csv(run_kg("analyze", "-s", pd, "rank", "--by", "month", "--format", "csv").stdout) if r["month"] == "1998-01"]
    assert [r["person"] for r in january if r["person"] in STANDING_COMMITTEE] == STANDING_COMMITTEE


@pytest.mark.corpus
def test_careers_of_ding_guangen(pd):
    result = run_kg("analyze", "-s", pd, "careers", "--person", "丁关根", "--format", "csv")
    rows = _csv(result.stdout)
    propaganda = [r for r in rows if "宣传部" in r["post"]]
    assert len(propaganda) == 1, rows
    row = propaganda[0]
    assert (row["organization"], row["office"], row["printed"]) == ("中央宣传部", "部长", "中央宣传部部长; 中宣部部长")
    assert row["first_seen"] <= row["last_seen"] and int(row["articles"]) == 2
