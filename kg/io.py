"""Atomic file output: a reader (or a crash) never sees a half-written file.

Temporary files carry the writer's process id (``.NAME.PID.XXXX.tmp``): one that a killed
process left (SIGKILL gives no time to clean up) is removed by the next write of the same
output. Every other exit runs the cleanup (SIGTERM is turned into an exception by kg.cli).
"""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import tempfile
from pathlib import Path


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale(folder: Path, name: str) -> None:
    """Temporary files and folders for ``name`` that a process no longer running left behind."""
    pattern = re.compile(rf"\.{re.escape(name)}\.(\d+)\.[^/]*\.tmp")
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        if match and int(match.group(1)) != os.getpid() and not _alive(int(match.group(1))):
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                Path(entry.path).unlink(missing_ok=True)


def _temp_prefix(path: Path) -> str:
    return f".{path.name}.{os.getpid()}."


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(path.parent, path.name)
    fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(path), suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; outputs are ordinary files
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_text(path: str | os.PathLike, text: str) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"))


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False where the
    system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    errno = ctypes.get_errno()
    if errno in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: not on this system or file system
        return False
    raise OSError(errno, os.strerror(errno), str(b))


def atomic_write_files(folder: str | os.PathLike, files: dict[str, bytes]) -> list[Path]:
    """Write several files into ``folder`` so that a reader sees all the old ones or all the
    new ones, never a mix (CSV's nodes.csv and edges.csv): a new folder is written beside it
    and swapped in in one step when ``folder`` holds only these files, else each file is
    written to a temporary file first and all are renamed at the end."""
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(folder.parent, folder.name)
    ours = not folder.exists() or (folder.is_dir() and not folder.is_symlink() and {e.name for e in os.scandir(folder) if not e.name.startswith(".")} <= set(files))
    if ours:
        staging = Path(tempfile.mkdtemp(prefix=_temp_prefix(folder), suffix=".tmp", dir=folder.parent))
        try:
            os.chmod(staging, 0o777 & ~_umask())
            for name, data in files.items():
                atomic_write_bytes(staging / name, data)
            if not folder.exists():
                os.rename(staging, folder)
                return [folder / name for name in files]
            if _exchange(staging, folder):  # staging now holds the old files
                return [folder / name for name in files]
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    # a folder with other files in it, or no way to swap folders: rename each, all at the end
    folder.mkdir(parents=True, exist_ok=True)
    temps = []
    try:
        for name, data in files.items():
            fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(folder / name), suffix=".tmp", dir=folder)
            temps.append((tmp, folder / name))
            os.chmod(tmp, 0o666 & ~_umask())
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        for tmp, target in temps:
            os.replace(tmp, target)
    finally:
        for tmp, _ in temps:
            Path(tmp).unlink(missing_ok=True)
    return [folder / name for name in files]
