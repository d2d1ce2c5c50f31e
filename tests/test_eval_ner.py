"""The NER benchmark's scoring: exact spans per type, ALL over persons/places/organisations, posts apart."""

from __future__ import annotations

import json
from pathlib import Path

import eval_ner  # bench/, on pytest's pythonpath

ROOT = Path(__file__).resolve().parents[1]


def test_exact_spans_per_type_and_posts_outside_all():
    gold = [[(0, 3, "PER"), (4, 6, "LOC"), (6, 10, "POST")]]
    pred = [[(0, 3, "PER"), (4, 7, "LOC"), (6, 10, "POST"), (11, 13, "ORG")]]
    scores = eval_ner.score(gold, pred)
    assert (scores["PER"]["tp"], scores["LOC"]["tp"], scores["ORG"]["pred"]) == (1, 0, 1)
    assert scores["POST"]["f1"] == 1.0
    assert (scores["ALL"]["tp"], scores["ALL"]["gold"], scores["ALL"]["pred"]) == (1, 2, 3)  # posts not in ALL


def test_cluener_labels_map_onto_our_types(tmp_path):
    line = {"text": "浙江省副省长卢山在杭州", "label": {"name": {"卢山": [[6, 7]]}, "position": {"副省长": [[3, 5]]}, "address": {"杭州": [[9, 10]]}, "game": {"x": [[0, 0]]}}}
    path = tmp_path / "dev.json"
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    ((text, spans),) = eval_ner.read_cluener(path)
    assert {(text[s:e], typ) for s, e, typ in spans} == {("卢山", "PER"), ("副省长", "POST"), ("杭州", "LOC")}


def test_a_corpus_without_posts_prints_no_post_figures():
    results = {"c": {"sentences": 1, "chars": 3, "chars_per_s": {}, "scores": {"s": eval_ner.score([[(0, 2, "PER")]], [[(0, 2, "PER")]])}}}
    row = eval_ner.markdown(results).splitlines()[2]
    assert row.endswith("| – | – | – |") and "1.000" in row


def test_a_post_is_scored_by_its_title_and_a_surname_reference_by_its_surname():
    from kg.model import Mention

    post = Mention("老河口市房产管理局副局长", "post", 10, 22)
    assert eval_ner.mention_span(post) == (19, 22, "POST")
    reference = Mention("江总书记", "person", 5, 9, attrs={"reference": True})
    assert eval_ner.mention_span(reference) == (5, 6, "PER")
    assert eval_ner.mention_span(Mention("欧阳主席", "person", 5, 9, attrs={"reference": True})) == (5, 7, "PER")
