"""Character-level neural named-entity recogniser (PER / LOC / ORG) for Chinese text.

A small BiLSTM over embeddings of the character, its two bigrams and its Baidu LAC tag (position
in the LAC word + the word's tag), plus the CRF's gazetteer cues (surnames, organisation and place suffixes), with a CRF layer on top; trained
with PyTorch on MSRA NER by bench/train_ner_nn.py and run here with onnxruntime, so PyTorch is only
needed to train. Model (kg/models/ner_nn.onnx) and vocabularies (ner_nn.json) ship in the package.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np

from kg.nlp.batching import run_padded, session_with_lengths
from kg.nlp.crf_ner import (
    LOC_SUFFIXES,
    ORG_SUFFIXES,
    char_type,
    is_surname,
    lac_positions,
    normalize_char,
    suffix_len,
    tags_to_spans,
)
from kg.nlp.viterbi import best_paths

DEFAULT_MODEL = Path(__file__).resolve().parent.parent / "models" / "ner_nn.onnx"
PAD, UNK = 0, 1  # ids shared by every vocabulary
N_FLAGS = 10
LENGTHS = "lengths"  # the input of sequence lengths kg.nlp.batching adds
_NON_SPACE = re.compile(r"\S+")


def vocab_path(model_path: str | Path) -> Path:
    """The vocabularies and CRF transitions written beside the model by the training script."""
    return Path(model_path).with_suffix(".json")


def bigrams(s: str) -> tuple[list[str], list[str]]:
    """Per character, the bigram ending at it and the one starting at it (``^``/``$`` at the edges)."""
    padded = "^" + s + "$"
    return [padded[i : i + 2] for i in range(len(s))], [padded[i + 1 : i + 3] for i in range(len(s))]


def cues(text: str, lac_result: list[tuple[str, str]]) -> tuple[str, list[str], np.ndarray]:
    """The normalised text, its LAC position+tag per character (``B-n``) and the 0/1 gazetteer
    flags the CRF also uses (surname here / before, organisation or place suffix of length 1-3
    ending here, LAC word ending like an organisation / a place)."""
    s = "".join(map(normalize_char, text))
    lac = lac_positions(text, lac_result)
    n, rows = len(s), np.arange(len(s))
    flags = np.zeros((n, N_FLAGS), dtype=np.float32)
    flags[:, 0] = [is_surname(s, i) for i in range(n)]
    flags[1:, 1] = flags[:-1, 0]
    ends = np.array([end - 1 for _, _, _, end in lac], dtype=np.int64)
    for first, column, suffixes in ((1, 8, ORG_SUFFIXES), (4, 9, LOC_SUFFIXES)):
        length = np.array([suffix_len(s, i + 1, suffixes) for i in range(n)], dtype=np.int64)
        flags[rows[length > 0], first + length[length > 0]] = 1  # a suffix of 1-3 characters ending here
        flags[:, column] = length[ends] > 0  # the LAC word ends like an organisation / a place
    return s, [pos + "-" + tag for pos, tag, _, _ in lac], flags


class Vocab:
    """String -> id tables (0 padding, 1 unknown) for characters, bigrams, LAC tags and char types."""

    def __init__(self, table: dict):
        self.tags: list[str] = table["tags"]
        self._ids = {key: {w: i for i, w in enumerate(table[key])} for key in ("chars", "bigrams", "lac", "types")}
        self.transitions = np.asarray(table["transitions"], dtype=np.float32)
        self.start = np.asarray(table["start"], dtype=np.float32)
        self.end = np.asarray(table["end"], dtype=np.float32)

    def encode(self, text: str, lac_result: list[tuple[str, str]]) -> tuple[np.ndarray, np.ndarray]:
        """(ids [n, 5]: char, left bigram, right bigram, LAC tag, char type; flags [n, N_FLAGS])."""
        s, lac, flags = cues(text, lac_result)
        left, right = bigrams(s)
        columns = (
            (self._ids["chars"], s),
            (self._ids["bigrams"], left),
            (self._ids["bigrams"], right),
            (self._ids["lac"], lac),
            (self._ids["types"], [char_type(c) for c in s]),
        )
        ids = np.array([[table.get(x, UNK) for x in seq] for table, seq in columns], dtype=np.int64).T.reshape(len(s), len(columns))
        return ids, flags


def viterbi(emissions: np.ndarray, transitions: np.ndarray, start: np.ndarray, end: np.ndarray) -> list[int]:
    """Best tag sequence under the CRF: emissions [n, k], transitions[i, j] from tag i to tag j."""
    return best_paths([emissions], transitions, start, end)[0]


class NnNer:
    """Person / place / organisation recogniser; returns character offsets into the input texts."""

    def __init__(self, model_path: str | Path | None = None, threads: int = 0):
        path = Path(model_path or DEFAULT_MODEL)
        self.vocab = Vocab(json.loads(vocab_path(path).read_text(encoding="utf-8")))
        self._session = session_with_lengths(path, LENGTHS, threads)

    def emissions(self, texts: list[str], lac_results: list[list[tuple[str, str]]]) -> list[np.ndarray]:
        """Per text (none empty), its per-character tag scores [n, k] before the CRF layer."""
        encoded = [dict(zip(("ids", "flags"), self.vocab.encode(t, lac), strict=True)) for t, lac in zip(texts, lac_results, strict=True)]
        return run_padded(lambda feed: self._session.run(None, feed)[0], encoded, LENGTHS)

    def entities(self, texts: list[str], lac_results: list[list[tuple[str, str]]]) -> list[list[tuple[int, int, str]]]:
        """Per text, the (start, end_exclusive, type) entity spans with type in PER/LOC/ORG."""
        v = self.vocab
        # as in the CRF (MSRA has no whitespace): an entity never spans a space or line break
        chunks, scores = [], []  # (text's index, chunk's start), the chunk's emissions
        present = [i for i, text in enumerate(texts) if text]
        for i, emissions in zip(present, self.emissions([texts[i] for i in present], [lac_results[i] for i in present])):
            for chunk in _NON_SPACE.finditer(texts[i]):
                chunks.append((i, chunk.start()))
                scores.append(emissions[chunk.start() : chunk.end()])
        out: list[list[tuple[int, int, str]]] = [[] for _ in texts]
        for (i, a), best in zip(chunks, best_paths(scores, v.transitions, v.start, v.end)):
            out[i] += [(a + s, a + e, typ) for s, e, typ in tags_to_spans([v.tags[k] for k in best])]
        return out
