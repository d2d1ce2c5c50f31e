"""The participation benchmark: name matching, event alignment, scoring, and a run on the dev set."""

from __future__ import annotations

import os
from pathlib import Path

import eval_participation as ep  # bench/, on pytest's pythonpath
import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPORA = Path(os.environ.get("KG_CORPORA", ROOT.parent / "shared" / "corpora"))

DEV = ROOT / "bench" / "data" / "pd1998_dev_participation.toml"


def test_norm_folds_width_quotes_and_dots():
    assert ep.norm("１９９８年全国体委主任会议") == "1998年全国体委主任会议"
    assert ep.norm("“活力动感贺元旦”嘉年华会") == "活力动感贺元旦嘉年华会"
    assert ep.norm("威廉・佩里") == ep.norm("威廉·佩里")


@pytest.mark.parametrize(
    "a, b, expected",
    [
        ("１９９８年全国体委主任会议", "1998年全国体委主任会议", 2),  # width folding only
        ("颁证会", "颁证会", 2),
        ("新年茶话会", "茶话会", 1),  # one contains the other, either way round
        ("会见", "于永波会见武警部队", 1),
        ("全国广播影视系统语言工作会议", "颁证会", 0),  # must NOT match
        ("会见", "会谈", 0),
        ("全国政协新年茶话会", "全国政协常委会议", 0),  # shared prefix is not containment
        ("", "会议", 0),  # an empty name never matches
    ],
)
def test_names_match(a, b, expected):
    assert ep.names_match(a, b) == expected
    assert ep.names_match(b, a) == expected


def test_align_events_is_one_to_one_and_prefers_exact():
    gold = ["新年茶话会", "会见"]
    # the exact name wins the gold event; the second mention of it stays unaligned
    assert ep.align_events(gold, ["茶话会", "新年茶话会", "宴会"]) == {1: 0}
    # two gold 会见: shared participants decide which system 会见 is which
    overlap = {(0, 1): 2, (1, 0): 1}
    assert ep.align_events(["会见", "会见"], ["会见", "会见"], lambda i, j: overlap.get((i, j), 0)) == {0: 1, 1: 0}
    assert ep.align_events(["会见"], ["会谈"]) == {}


def test_prf_and_empty_sets():
    assert ep.prf(1, 2, 4) == {"p": 0.5, "r": 0.25, "f1": 0.3333, "tp": 1, "sys": 2, "gold": 4}
    assert ep.prf(0, 0, 0)["f1"] == 0.0
    assert ep.score_sets({1, 2}, {2, 3})["f1"] == 0.5


def _gold():
    return {
        "d1": ep.GoldArticle(
            "d1",
            "1998-01-02",
            reporters={"陈雁"},
            events=[
                ep.GoldEvent("新年茶话会", participants={("江泽民", "speaker"), ("李鹏", "attendee"), ("全国政协", "host")}),
                ep.GoldEvent("会见", participants=set()),  # no participants: still an event to detect
            ],
        ),
        "d2": ep.GoldArticle("d2", "1998-01-03"),  # no events: anything found is a false positive
    }


def test_score_triples_pairs_events_and_credits():
    system = {
        "d1": ep.SystemArticle(
            events=["茶话会", "新年茶话会", "十五大"],
            mentioned=["茶话会", "新年茶话会", "十五大", "会见"],
            participations=[
                ("江泽民", "茶话会", "speaker", "s1"),  # unaligned twin name: still maps onto 新年茶话会
                ("李鹏", "新年茶话会", "speaker", "s2"),  # right pair, wrong role
                ("朱镕基", "十五大", "attendee", "s3"),  # event not in the gold
            ],
            reporters={"陈雁", "新华社"},
            photographers=set(),
        ),
        "d2": ep.SystemArticle(["座谈会"], ["座谈会"], [("乔石", "座谈会", "attendee", "s4")], set(), set()),
    }
    results, errors = ep.score(_gold(), system)
    assert results["triples"] == ep.prf(1, 4, 3)
    assert results["pairs"] == ep.prf(2, 4, 3)
    assert results["roles"]["speaker"] == ep.prf(1, 2, 1)
    assert results["roles"]["host"] == ep.prf(0, 0, 1)
    assert results["events"] == ep.prf(1, 4, 2)  # 新年茶话会 only; 会见 missed
    assert results["event_mention_recall"] == 1.0
    assert results["reporters"] == ep.prf(1, 2, 1)
    assert {(e["doc"], e["who"], e["role"]) for e in errors["triples_fp"]} == {("d1", "李鹏", "speaker"), ("d1", "朱镕基", "attendee"), ("d2", "乔石", "attendee")}
    assert {(e["who"], e["role"]) for e in errors["triples_fn"]} == {("李鹏", "attendee"), ("全国政协", "host")}
    assert set(errors["events_fn"]) == {("d1", "会见")}


def test_modern_credits_are_one_list_of_reporters():
    gold = {"m1": ep.GoldArticle("m1", "2024-06-26", reporters={"周琳", "张永定"})}  # 周琳/文、张永定/图
    system = {"m1": ep.SystemArticle([], [], [], reporters={"周琳"}, photographers={"张永定"})}
    assert ep.score(gold, system)[0]["reporters"] == ep.prf(1, 1, 2)
    assert ep.score(gold, ep.credits_as_reporters(system))[0]["reporters"] == ep.prf(2, 2, 2)


def test_missing_system_article_counts_as_empty():
    results, _ = ep.score(_gold(), {})
    assert results["triples"]["tp"] == 0 and results["triples"]["gold"] == 3
    assert results["events"] == ep.prf(0, 0, 2)


def test_gold_loads_with_the_documented_counts():
    gold = ep.load_gold(DEV)
    assert all(ep.DEV_FIRST <= a.date <= ep.DEV_LAST for a in gold.values())
    roles = [r for a in gold.values() for e in a.events for _, r in e.participants]
    assert set(roles) <= set(ep.ROLES)
    assert len(gold) > 0 and len(roles) > 0


def test_find_sentence():
    sents = ["李鹏出席了会议。", "江泽民在茶话会上讲话。"]
    assert ep.find_sentence(sents, "江泽民", "茶话会") == sents[1]
    assert ep.find_sentence(sents, "李鹏", "茶话会") == sents[0]
    assert ep.find_sentence(sents, "朱镕基") == ""


def test_missing_corpus_skips_cleanly(tmp_path, capsys):
    assert ep.main(["--corpora", str(tmp_path)]) == 0
    assert "skipping" in capsys.readouterr().err


@pytest.mark.corpus
def test_runs_on_the_dev_set(tmp_path):
    corpus = CORPORA / ep.CORPUS
    if not corpus.is_file():
        pytest.skip(f"corpus not present: {corpus}")
    out = tmp_path / "scores.json"
    assert ep.main(["--dev", str(DEV), "--corpora", str(CORPORA), "--json", str(out)]) == 0
    import json

    results = json.loads(out.read_text(encoding="utf-8"))["results"]
    figures = [results[k] for k in ("triples", "pairs", "events", "reporters", "photographers")] + list(results["roles"].values())
    assert all(0.0 <= f[m] <= 1.0 for f in figures for m in ("p", "r", "f1"))
    assert 0.0 <= results["event_mention_recall"] <= 1.0
    assert results["articles"] == len(ep.load_gold(DEV))


def test_annotation_json_loads_with_uncertain_rows_apart(tmp_path):
    import json

    path = tmp_path / "a.json"
    path.write_text(json.dumps({"articles": {"x1": {
        "events": [{"name": "王伟到某镇调研", "date": None, "place": None}],
        "participation": [["王伟", "王伟到某镇调研", ["attendee", "speaker"]], ["张三", "王伟到某镇调研", ["attendee"], {"uncertain": True}]],
        "reporters": ["李记"]}}}, ensure_ascii=False), encoding="utf-8")
    (article,) = ep.load_annotation(path).values()
    (event,) = article.events
    assert event.participants == {("王伟", "attendee"), ("王伟", "speaker")}
    assert event.uncertain == {("张三", "attendee")}
    # an uncertain row is neither required nor held against the system
    system = {"x1": ep.SystemArticle(["王伟到某镇调研"], [], [("王伟", "王伟到某镇调研", "attendee", "", "actor.v1"), ("张三", "王伟到某镇调研", "attendee", "", "trigger.v1")], set(), set())}
    results, _ = ep.score({"x1": article}, system)
    assert results["triples"] == ep.prf(1, 1, 2)
    assert results["by_rule"] == {"actor.v1": {"tp": 1, "fp": 0, "pair_tp": 1}}


def test_names_match_across_scripts():
    assert ep.names_match("全市領導幹部會議", "全市领导干部会议") == 2
    assert ep.norm("林鄭月娥") == ep.norm("林郑月娥")


def test_the_tagging_cache_tags_each_sentence_once(tmp_path):
    from kg.nlp.ner import CachedTagger, Token

    class Counting:
        name = "counting"
        calls = 0

        def tag(self, texts):
            Counting.calls += len(texts)
            return [[Token(t, 0, len(t), "n")] for t in texts]

    path = tmp_path / "cache.pickle"
    tagger = CachedTagger(Counting(), path)
    assert tagger.tag(["甲", "乙", "甲"]) == tagger.tag(["甲", "乙", "甲"])
    assert Counting.calls == 2
    tagger.save()
    again = CachedTagger(Counting(), path)
    assert again.tag(["乙"])[0][0].text == "乙" and Counting.calls == 2  # read from the file


def test_the_splits_are_disjoint_and_cover_the_annotation():
    import json

    splits = json.loads(ep.SPLIT_FILE.read_text(encoding="utf-8"))["splits"]
    gold = json.loads(ep.MODERN_GOLD.read_text(encoding="utf-8"))["articles"]
    assert set(splits) == set(gold)
    assert set(splits.values()) == {"train", "dev", "blind"}
    assert all(gold[i]["split"] == s for i, s in splits.items())
    assert ep.split_ids("all") == {i for i, s in splits.items() if s != "blind"}
    ep.load_annotation(ep.MODERN_GOLD)  # every row names an event of its article, every role known


@pytest.mark.corpus
def test_runs_on_the_modern_dev_split_by_rule(tmp_path, capsys):
    if not (CORPORA / ep.MODERN_CORPUS).is_file():
        pytest.skip("modern corpus not present")
    out = tmp_path / "scores.json"
    assert ep.main(["--modern", "dev", "--corpora", str(CORPORA), "--by-rule", "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "trigger.v1" in printed and "simplified" in printed and "traditional" in printed
    import json

    results = json.loads(out.read_text(encoding="utf-8"))["results"]
    assert results["articles"] == len(ep.split_ids("dev"))
    assert 0.0 < results["pairs"]["f1"] <= 1.0
    assert set(results["by_script"]) == {"simplified", "traditional"}


def test_an_unknown_rule_to_disable_is_an_error(capsys):
    with pytest.raises(SystemExit):
        ep.main(["--disable", "no_such_rule.v1"])
    assert "unknown rule" in capsys.readouterr().err


def test_events_named_apart_are_aligned_by_shared_participants():
    # 王文涛在大庆调研 / 王文涛到大庆市调研: one visit, named apart; by name nothing matches
    gold = {"d": ep.GoldArticle("d", "", events=[ep.GoldEvent("王文涛到大庆市调研", participants={("王文涛", "attendee"), ("张三", "attendee")}),
                                               ep.GoldEvent("李四会见王五", participants={("李四", "host"), ("王五", "guest"), ("孙八", "attendee")})])}
    system = {"d": ep.SystemArticle(["王文涛在大庆调研", "座谈会"], [], [("王文涛", "王文涛在大庆调研", "attendee", ""), ("张三", "王文涛在大庆调研", "attendee", ""),
                                                                 ("李四", "座谈会", "attendee", ""), ("赵六", "座谈会", "attendee", ""), ("钱七", "座谈会", "attendee", "")], set(), set())}
    by_name, _ = ep.score(gold, system)
    assert by_name["pairs"]["tp"] == 0
    shared, _ = ep.score(gold, system, by_participants=True)
    # the visit shares both its people; the 座谈会 shares one of three: fewer than half, not aligned
    assert shared["pairs"] == ep.prf(2, 5, 5)
    assert shared["events"] == ep.prf(1, 2, 2)
    assert ep.align_by_participants({}, [{"a", "b"}, {"c"}], [{"c"}, {"a"}]) == {0: 1, 1: 0}
    assert ep.align_by_participants({0: 0}, [{"a"}], [{"a"}]) == {0: 0}  # what names aligned stays


def test_the_annotators_agreement_is_scored_like_kg(tmp_path, capsys):
    if not (CORPORA / ep.MODERN_CORPUS).is_file():
        pytest.skip("modern corpus not present")
    other = ep.REPO_ROOT / "bench" / "data" / "modern_news_annotation_b.json"
    out = tmp_path / "agreement.json"
    assert ep.main(["--modern", "dev", "--corpora", str(CORPORA), "--agreement", str(other), "--json", str(out)]) == 0
    import json

    results = json.loads(out.read_text(encoding="utf-8"))["results"]
    # annotation B against the adjudication of A and B: close, not equal
    assert 0.85 < results["pairs"]["f1"] < 1.0
    assert results["by_participants"]["pairs"]["f1"] >= results["pairs"]["f1"]


def test_bootstrap_intervals_per_script_hold_the_figure():
    gold = {f"d{i}": ep.GoldArticle(f"d{i}", "", events=[ep.GoldEvent("会议", participants={(f"p{i}", "attendee"), (f"q{i}", "attendee")})]) for i in range(6)}
    system = {f"d{i}": ep.SystemArticle(["会议"], [], [(f"p{i}", "会议", "attendee", "")] + ([(f"q{i}", "会议", "attendee", "")] if i % 2 else []), set(), set()) for i in range(6)}
    scripts = {f"d{i}": "traditional" if i < 3 else "simplified" for i in range(6)}
    intervals = ep.bootstrap_by_script(gold, system, scripts, 200)
    for script in ("traditional", "simplified"):
        figure = ep.score({d: g for d, g in gold.items() if scripts[d] == script}, system)[0]["pairs"]["f1"]
        low, high = intervals[script]
        assert low <= figure <= high and low < high  # the articles differ: some spread
    low, high = intervals["traditional - simplified"]
    assert low <= 0.0 <= high  # the same kind of articles on both sides


def test_traditional_articles_read_converted_score_as_printed(tmp_path):
    # what the script handling costs: nothing, if the articles converted to simplified characters
    # before kg reads them score as they do printed in traditional ones
    if not (CORPORA / ep.MODERN_CORPUS).is_file():
        pytest.skip("modern corpus not present")
    import json

    figures = []
    for extra in ([], ["--simplified"]):
        out = tmp_path / f"scores{len(extra)}.json"
        assert ep.main(["--modern", "dev", "--corpora", str(CORPORA), "--json", str(out)] + extra) == 0
        figures.append(json.loads(out.read_text(encoding="utf-8"))["results"]["by_script"]["traditional"])
    assert figures[0]["articles"] == figures[1]["articles"] > 0
    assert figures[0]["pairs"] == figures[1]["pairs"]


def test_lost_pairs_are_told_by_kind():
    gold = {"d1": ep.GoldArticle("d1", "2024-01-02", events=[
        ep.GoldEvent("王刚到某县调研", participants={("王刚", "attendee"), ("李四", "attendee"), ("赵五", "attendee")}),
        ep.GoldEvent("座谈会", participants={("王刚", "speaker"), ("钱六", "speaker")}),
        ep.GoldEvent("李鹏会见王刚", participants={("李鹏", "host")}),
    ])}
    system = {"d1": ep.SystemArticle(
        ["王刚在某县调研", "晚宴"], [],
        [("王刚", "王刚在某县调研", "attendee", ""), ("李四", "王刚在某县调研", "attendee", ""), ("孙七", "王刚在某县调研", "attendee", ""),
         ("赵五", "晚宴", "attendee", ""), ("周八", "晚宴", "attendee", "")],
        set(), set())}
    kinds = ep.error_kinds(gold, system)
    # the visit is matched by its people; 赵五 is put at a dinner, 座谈会 and the reception are missed
    assert kinds["missed"] == {"person nowhere": 0, "person at another event": 1, "event missed, person nowhere": 2, "event missed, person elsewhere": 1}
    assert kinds["spurious"] == {"person not in the gold": 1, "person of another gold event": 0,
                                 "event unmatched, person in the gold": 1, "event unmatched, person not in the gold": 1}
