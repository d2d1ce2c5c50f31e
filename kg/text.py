"""Character-level text helpers that never change lengths, so offsets survive them."""

from __future__ import annotations

import unicodedata

_FOLD = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_FOLD[0x3000] = 0x20  # ideographic space


def fold_width(text: str) -> str:
    """Full-width ASCII forms to half-width (１月 -> 1月, （ -> (), one character for one."""
    return text.translate(_FOLD)


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
