"""Progress of the long steps (reading, extraction, resolution, the picture), told three ways.

- ``BarProgress``, on a terminal: a bar with the total and the time left for a step that counts
  (extraction), a line when each other step starts and ends;
- ``LineProgress``, when stderr is no terminal (a log, CI): one summary line per step, with its
  time, as the step ends;
- ``Progress`` itself says nothing (``-q``, and the Python API unless asked).

A step is ``with progress.step("extracting", total=N) as step: step.advance(); step.done("…")``.
``verbose`` adds detail lines (``step.detail("…")``) to either of the two that speak.
"""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager
from typing import TextIO


class Step:
    """One step as the quiet progress sees it: counted, summarised, never shown."""

    def __init__(self, progress: Progress, name: str, total: int | None):
        self.progress, self.name, self.total = progress, name, total
        self.count, self.summary, self.started, self.spent = 0, "", time.monotonic(), None

    def advance(self, n: int = 1) -> None:
        self.count += n

    def update(self, n: int = 1) -> None:
        """tqdm's name for ``advance`` (kg.graph.build counts articles so)."""
        self.advance(n)

    def done(self, summary: str, seconds: float | None = None) -> None:
        """What the step did, in a few words (``384 articles``); ``seconds`` when its time was
        spent inside another step (loading, during extraction)."""
        self.summary, self.spent = summary, seconds

    def detail(self, message: str) -> None:
        if self.progress.verbose:
            self.progress.write(f"kg: {self.name}: {message}")

    @property
    def seconds(self) -> float:
        return self.spent if self.spent is not None else time.monotonic() - self.started


class Progress:
    """Says nothing."""

    counts_first = False  # whether the build counts the articles first, for a total and a time left

    def __init__(self, stream: TextIO | None = None, verbose: bool = False):
        self.stream = stream or sys.stderr
        self.verbose = verbose

    def write(self, line: str) -> None:
        print(line, file=self.stream, flush=True)

    def _begin(self, step: Step) -> None:
        pass

    def _end(self, step: Step) -> None:
        pass

    @contextmanager
    def step(self, name: str, total: int | None = None):
        step = self._make(name, total)
        self._begin(step)
        try:
            yield step
        finally:
            self._end(step)

    def _make(self, name: str, total: int | None) -> Step:
        return Step(self, name, total)


class LineProgress(Progress):
    """One line per step as it ends: ``kg: extracting: 384 articles (45.2 s)``."""

    def _end(self, step: Step) -> None:
        if step.summary:
            self.write(f"kg: {step.name}: {step.summary} ({step.seconds:.1f} s)")


class _BarStep(Step):
    def __init__(self, progress: Progress, name: str, total: int | None, bar):
        super().__init__(progress, name, total)
        self.bar = bar

    def advance(self, n: int = 1) -> None:
        super().advance(n)
        if self.bar is not None:
            self.bar.update(n)

    def detail(self, message: str) -> None:
        if self.progress.verbose:  # above the bar, which stays at the bottom
            self.bar.write(f"kg: {self.name}: {message}", file=self.progress.stream)


class BarProgress(LineProgress):
    """On a terminal: a bar (total, rate, time left) for a step given ``total=``, or counting
    ``unit``s; a line ``kg: resolving …`` while any other step runs, its summary when it ends."""

    counts_first = True

    def __init__(self, stream: TextIO | None = None, verbose: bool = False, counted: tuple[str, ...] = ("extracting",)):
        super().__init__(stream, verbose)
        self.counted = counted

    def _make(self, name: str, total: int | None) -> Step:
        if name not in self.counted:
            return Step(self, name, total)
        import shutil

        from tqdm import tqdm

        columns = shutil.get_terminal_size((100, 24)).columns  # a terminal that says 0 columns (a bare pty) gets 100
        bar = tqdm(total=total, desc=f"kg: {name}", unit=" articles", file=self.stream, ncols=columns, leave=False)
        return _BarStep(self, name, total, bar)

    def _begin(self, step: Step) -> None:
        if not isinstance(step, _BarStep):
            self.write(f"kg: {step.name} …")

    def _end(self, step: Step) -> None:
        if isinstance(step, _BarStep):
            step.bar.close()
        super()._end(step)


def progress_for(quiet: bool = False, verbose: bool = False, stream: TextIO | None = None) -> Progress:
    """What the command line shows: nothing with ``quiet``, a bar on a terminal, else lines."""
    stream = stream or sys.stderr
    if quiet:
        return Progress(stream)
    if stream.isatty():
        return BarProgress(stream, verbose)
    return LineProgress(stream, verbose)
