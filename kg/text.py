"""Character-level text helpers that never change lengths, so offsets survive them."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

_FOLD = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_FOLD[0x3000] = 0x20  # ideographic space


def fold_width(text: str) -> str:
    """Full-width ASCII forms to half-width (１月 -> 1月, （ -> (), one character for one."""
    return text.translate(_FOLD)


@cache
def _radicals() -> tuple[dict[int, str], re.Pattern]:
    """The table of fold_radicals, and a pattern of the characters it maps (the cheap test)."""
    from kg import lexicon

    kangxi = {c: unicodedata.normalize("NFKC", chr(c)) for c in range(0x2F00, 0x2FD6)}
    table = {c: ch for c, ch in kangxi.items() if len(ch) == 1 and ch != chr(c)}
    table |= {ord(radical): ch for radical, (ch,) in lexicon.table("radicals.tsv").items()}
    return table, re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(table)) + "]")


def fold_radicals(text: str) -> str:
    """CJK radicals a PDF font printed for whole characters (王⼩红, 县⻓) to those characters
    (王小红, 县长), and its look-alikes (∕ for ／), one for one (kg/data/radicals.tsv)."""
    table, mapped = _radicals()
    return text.translate(table) if mapped.search(text) else text


def display_width(text: str) -> float:
    """Printed width in CJK character cells: half-width characters count one half.

    Ambiguous-width characters (curly quotes) count one half too: newspapers squeeze them.
    """
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.5 for c in text)


def is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


SENTENCE_END = "。！？!?；;"
CONJUNCTIONS = "和与及"  # between two names: 市委和市政府, 李鹏与乔石
CLOSERS = "”’」』）)】》\"'"


_QUOTE_PAIRS = {"“": "”", "「": "」", "『": "』", "‘": "’", "《": "》"}
_QUOTE_OPENERS = {close: open_ for open_, close in _QUOTE_PAIRS.items()}


def stray_quotes(span: str) -> tuple[int, int]:
    """How many characters to cut at the start and at the end of ``span`` so that it keeps no
    quotation mark it does not close or open: 「前廳交流會 -> (1, 0), 雙城論壇」 -> (0, 1); names
    lose stray quotes, “项目立区、创新引领”竞赛活动 keeps its own."""
    lead, trail = 0, 0
    while lead < len(span) - trail and span[lead] in _QUOTE_PAIRS and _QUOTE_PAIRS[span[lead]] not in span[lead + 1 : len(span) - trail]:
        lead += 1
    while len(span) - trail > lead and span[len(span) - trail - 1] in _QUOTE_OPENERS and _QUOTE_OPENERS[span[len(span) - trail - 1]] not in span[lead : len(span) - trail - 1]:
        trail += 1
    return lead, trail
