"""Chinese names printed one after another with no break (曹照琴谢国明王尧, 李鹏乔石朱镕基)."""

from __future__ import annotations

from kg import lexicon


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
