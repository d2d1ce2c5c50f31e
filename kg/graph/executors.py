"""Where extraction runs, behind one small interface chosen by name: this process, a pool of
local processes, or an existing Dask cluster. Each keeps a bounded number of articles in
flight, so memory stays flat whatever the corpus size, and gives results back in order."""

from __future__ import annotations

import functools
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Protocol

# tasks in flight per worker (kg/graph/build.py: 16 articles each): enough that the workers go
# on extracting while the writer bulk-loads a batch (200 articles, about 1.5 s), a few MB of results
IN_FLIGHT = 4


class Executor(Protocol):
    def map(self, func: Callable, items: Iterable, *args) -> Iterator: ...


class SerialExecutor:
    """In this process: no start-up cost, for small inputs and one core."""

    def map(self, func, items, *args):
        for item in items:
            yield func(item, *args)


def _bounded(submit: Callable, result: Callable, items: Iterable, window: int) -> Iterator:
    pending: deque = deque()
    for item in items:
        pending.append(submit(item))
        if len(pending) >= window:
            yield result(pending.popleft())
    while pending:
        yield result(pending.popleft())


class ProcessExecutor:
    """A pool of local processes (``--jobs N``), started fresh so no model or store handle is
    inherited; each worker loads its model once."""

    def __init__(self, jobs: int | None = None):
        self.jobs = jobs or os.cpu_count() or 1

    def map(self, func, items, *args):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(self.jobs, mp_context=context, initializer=_start_worker, initargs=(os.getpid(),)) as pool:
            yield from _bounded(lambda item: pool.submit(_task_then_release, func, item, *args), lambda f: f.result(), items, IN_FLIGHT * self.jobs)


def _task_then_release(func: Callable, item, *args):
    """Runs one task, then gives the memory it freed back to the system: glibc's allocator keeps
    what the tagger and the names model freed (about 100 MB a worker after a few tasks: the
    workers' steady size 331 → 243 MB), so that ``--jobs N`` costs N models, not N models and
    their garbage."""
    try:
        return func(item, *args)
    finally:
        release_free_memory()


def release_free_memory() -> bool:
    """``malloc_trim(0)`` where the C library has it (glibc); elsewhere nothing. True when memory
    was given back."""
    trim = _malloc_trim()
    return bool(trim and trim(0))


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    import ctypes

    try:
        return ctypes.CDLL(None).malloc_trim  # the C library this process already links
    except (OSError, AttributeError, TypeError):  # no C library to ask (TypeError: Windows), or no malloc_trim (musl, macOS)
        return None


def _one_core() -> None:
    """Models and numpy in this process use one thread: ``--jobs N`` means N cores. Must run
    before numpy and the models load."""
    from kg.nlp.ner import THREADS_VARIABLE

    for variable in (THREADS_VARIABLE, "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, "1")


def _start_worker(parent: int) -> None:
    """A worker uses one core (``--jobs N`` means N cores), and ends when its build was killed
    (SIGKILL leaves no time to stop the pool)."""
    import signal
    import threading
    import time

    _one_core()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the build stops the pool, not each worker with a traceback

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


class DaskExecutor:
    """An existing Dask cluster (``--executor dask --scheduler ADDRESS``)."""

    def __init__(self, scheduler: str):
        self.scheduler = scheduler

    def map(self, func, items, *args):
        from distributed import Client

        with Client(self.scheduler) as client:
            window = IN_FLIGHT * max(1, sum(client.nthreads().values()))
            yield from _bounded(lambda item: client.submit(func, item, *args, pure=False), lambda f: f.result(), items, window)


def make_executor(name: str = "local", jobs: int | None = None, scheduler: str | None = None) -> Executor:
    if name == "dask":
        if not scheduler:
            raise ValueError("--executor dask needs --scheduler ADDRESS (e.g. tcp://127.0.0.1:8786)")
        return DaskExecutor(scheduler)
    if name == "local":
        if (jobs or os.cpu_count() or 1) == 1:
            _one_core()
            return SerialExecutor()
        return ProcessExecutor(jobs)
    raise ValueError(f"unknown executor {name!r}; choose local or dask")
