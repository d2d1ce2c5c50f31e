"""The analysed view of an article: simplified characters, no pinyin glosses, no invisible marks,
lost characters marked as such.

The names models, the lexicon and the rules read simplified Chinese. A Hong Kong, Macau or
Taiwan article (行政長官李家超昨日會見…) is analysed through a view converted with OpenCC, with
the pinyin glosses some converted pages insert after characters (會(huì)議) and invisible
characters (zero-width spaces, direction marks: 李\u200b鹏) left out. Every index of the view
maps back to the original text, so what the pipeline finds is printed as the article prints
it, while identity keys stay in simplified characters (林鄭月娥 and 林郑月娥 are one person).
A character a page lost in its encoding, printed as ? or U+FFFD between Chinese characters
(議員?俊勇助理, 孫素娥、??勇), is read as the typesetter's mark of a missing character, □: no
question that ends a sentence or a clause, unless its clause asks (是吗?对).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from kg import lexicon
from kg.text import fold_radicals

SIMPLIFIED, TRADITIONAL = "simplified", "traditional"
LANGUAGE_TAGS = {SIMPLIFIED: "zh-Hans", TRADITIONAL: "zh-Hant"}  # BCP 47, as schema:inLanguage
# a share of CJK characters that OpenCC's t2s changes above which the text is traditional;
# simplified text has a few such characters at most (乾隆, 著名 -> 着名 is not converted)
TRADITIONAL_SHARE = 0.04
_CJK = re.compile(r"[\u4e00-\u9fff]")
# 會(huì)議, 林鄭(lín zhèng)月娥: pinyin syllables, the first with a tone mark, in brackets, right after characters
_PINYIN_GLOSS = re.compile(r"(?<=[\u3400-\u9fff])[(（][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*(?: [a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+)*[)）]")
_KEPT_CONTROLS = "\n\t"
_LOST_CHARACTER = re.compile(r"(?<=[\u3400-\u9fff、，,])[?\ufffd]+(?=[\u3400-\u9fff])")
_CLAUSE_ENDS = "，。！？；：,.!;:\n"
MISSING_MARK = "□"  # how Chinese typesetting prints a character that cannot be read


@cache
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """OpenCC t2s, one output character per input character (conversions that change the length,
    rare phrase mappings, fall back to converting character by character)."""
    converted = _converter().convert(text)
    if len(converted) == len(text):
        return converted
    return "".join(c if len(c := _converter().convert(ch)) == 1 else ch for ch in text)


def detect_script(text: str) -> str:
    """``traditional`` when OpenCC would change enough of the text's Chinese characters."""
    cjk = _CJK.findall(text)
    if not cjk:
        return SIMPLIFIED
    sample = "".join(cjk[:4000])
    changed = sum(a != b for a, b in zip(sample, to_simplified(sample)))
    return TRADITIONAL if changed / len(sample) > TRADITIONAL_SHARE else SIMPLIFIED


def _invisible(ch: str) -> bool:
    return ch not in _KEPT_CONTROLS and unicodedata.category(ch) in ("Cf", "Cc")


@dataclass(frozen=True)
class AnalysedView:
    """What the pipeline reads, and where each of its characters stands in the original."""

    text: str
    original: str
    script: str
    to_original: tuple[int, ...] | None  # view index -> original index; None: same positions

    @property
    def changed(self) -> bool:
        return self.to_original is not None or self.text != self.original

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of ``view[start:end]``."""
        if self.to_original is None:
            return start, end
        if not self.to_original:
            return 0, 0
        last = len(self.to_original) - 1
        first = self.to_original[min(start, last)] if start <= last else len(self.original)
        return first, (self.to_original[min(end - 1, last)] + 1 if end > start else first)

    def printed(self, start: int, end: int) -> str:
        s, e = self.span(start, end)
        return self.original[s:e]


def printed_name(text: str) -> str:
    """A name as its article prints it, without the pinyin glosses and invisible marks the
    analysed view leaves out (林(lín)鄭月娥: 林鄭月娥)."""
    return "".join(ch for ch in _PINYIN_GLOSS.sub("", text) if not _invisible(ch))


def analysed_view(text: str, script: str | None = None) -> AnalysedView:
    """The view of ``text`` the pipeline analyses (see the module docstring)."""
    script = script or detect_script(text)
    dropped = [False] * len(text)
    for m in _PINYIN_GLOSS.finditer(text):
        dropped[m.start() : m.end()] = [True] * (m.end() - m.start())
    if not text.replace("\n", "").replace("\t", "").isprintable():  # most texts hold no control or format character
        for i, ch in enumerate(text):
            if not dropped[i] and _invisible(ch):
                dropped[i] = True
    keep = [i for i, gone in enumerate(dropped) if not gone]
    kept = "".join(text[i] for i in keep) if len(keep) < len(text) else text
    view = fold_radicals(kept)  # text copied out of such a PDF: 县⻓ is 县长
    view = to_simplified(view) if script == TRADITIONAL else view
    view = _lost_characters_marked(view) if "?" in view or "\ufffd" in view else view
    return AnalysedView(view, text, script, tuple(keep) if len(keep) < len(text) else None)


def _lost_characters_marked(text: str) -> str:
    """``text`` with each character the page lost marked □, one for one (offsets unchanged); an
    ASCII ? closing a clause that asks (kg/data/question_words.txt: 是吗?对) stays a question."""
    def mark(m: re.Match) -> str:
        clause = max(text.rfind(p, 0, m.start()) for p in _CLAUSE_ENDS) + 1
        if "\ufffd" not in m.group() and _asks().search(text, clause, m.start()):
            return m.group()
        return MISSING_MARK * len(m.group())

    return _LOST_CHARACTER.sub(mark, text)


@cache
def _asks() -> re.Pattern:
    return re.compile(lexicon.alternation(lexicon.words("question_words.txt")))
