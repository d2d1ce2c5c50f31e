"""Processes kg starts end with the process that started them.

On Linux, ``die_with_parent`` asks the kernel (prctl PR_SET_PDEATHSIG, through ctypes) to send
a signal to this process when its parent ends, however it ends: SIGTERM, SIGINT or SIGKILL.
Elsewhere a watchdog thread polls the parent's pid. ``popen`` starts a program (an Oxigraph
server, a browser) in a process group of its own that so dies with kg, and ``stop`` ends the
whole group.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

_PR_SET_PDEATHSIG = 1


def die_with_parent(sig: int = signal.SIGKILL, parent: int | None = None) -> None:
    """Have this process receive ``sig`` when its parent (``parent``, default: the current
    one) ends. Call it in the child, first thing."""
    parent = os.getppid() if parent is None else parent
    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0) == 0:
            if os.getppid() != parent:  # the parent ended before the request was made
                os.kill(os.getpid(), sig)
            return
    _watchdog(sig, parent)


def _watchdog(sig: int, parent: int) -> None:
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os.kill(os.getpid(), sig)

    threading.Thread(target=watch, daemon=True, name="kg-parent-watchdog").start()


def popen(command: list[str], sig: int = signal.SIGTERM, **options) -> subprocess.Popen:
    """``subprocess.Popen`` of a program that ends with this process (its own session and process
    group, ``sig`` when this process ends)."""
    parent = os.getpid()
    return subprocess.Popen(command, start_new_session=True, preexec_fn=lambda: _pdeathsig_only(sig, parent), **options)


def _pdeathsig_only(sig: int, parent: int) -> None:
    """In the child between fork and exec: no threads may be started there, so the kernel's
    request only (a program that is exec'd keeps it)."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
        if os.getppid() != parent:
            os._exit(1)


def stop(proc: subprocess.Popen, timeout: float = 30) -> None:
    """End ``proc`` and its process group: SIGTERM, then SIGKILL after ``timeout`` seconds."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=timeout)
