"""The forms of event names that extraction, the graph and resolution across articles share."""

from __future__ import annotations

import re

from kg import lexicon

_SERIES = re.compile(r"第[一二三四五六七八九十百零〇\d]+(?:届|次|期)")
NAME_NOISE = re.compile(r"[\s“”\"'《》「」『』（）()]")


def short_form(name: str) -> str:
    """The name with its parts in their short forms (event_abbreviations.tsv)."""
    for pattern, (short,) in lexicon.table("event_abbreviations.tsv").items():
        name = re.sub(pattern, short, name)
    return name


def event_series(name: str) -> str:
    """第二届“寻美永康”摄影展 -> “寻美永康”摄影展: the series an ordinal event belongs to."""
    match = _SERIES.search(name)
    if match is None:
        return ""
    rest = (name[: match.start()] + name[match.end() :]).strip()
    return rest if len(NAME_NOISE.sub("", rest)) >= 4 else ""
