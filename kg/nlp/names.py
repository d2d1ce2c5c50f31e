"""Chinese names printed one after another with no break (曹照琴谢国明王尧, 李鹏乔石朱镕基)."""

from __future__ import annotations

from functools import cache

from kg import lexicon


@cache
def compound_surnames() -> frozenset[str]:
    return frozenset(w for w in lexicon.ranked("surnames.txt") if len(w) == 2)


def surname_of(name: str) -> str:
    """欧阳 of 欧阳中石 and of 欧阳主席, 王 of 王刚: the compound surname when the name opens with one."""
    return name[:2] if len(name) > 2 and name[:2] in compound_surnames() else name[:1]


def read_run_of_names(text: str) -> list[tuple[int, int]]:
    """(start, end) of each name in ``text`` read as names of two or three characters, each
    opening with a surname (data/surnames.txt): the reading with the most three-character
    names, then the commonest surnames (王尧 before 明王尧). No such reading: []."""
    surnames = lexicon.ranked("surnames.txt")
    best: dict[int, tuple] = {0: ((0, 0), [])}  # characters read -> (score, names); score: (-threes, surname ranks)
    for read in range(len(text)):
        if read not in best or (rank := surnames.get(text[read])) is None:
            continue
        (threes, ranks), names = best[read]
        for n in (2, 3):
            candidate = ((threes - (n == 3), ranks + rank), names + [(read, read + n)])
            if read + n <= len(text) and (read + n not in best or candidate[0] < best[read + n][0]):
                best[read + n] = candidate
    return best[len(text)][1] if text and len(text) in best else []
