"""Bytes to text: UTF-8 (with or without BOM), UTF-16 with a BOM, or a Chinese legacy encoding
(GB18030/GBK/GB2312, Big5) as charset-normalizer detects it; anything else is an error."""

from __future__ import annotations

import codecs

_CHINESE = ("gb18030", "big5", "big5hkscs")  # what charset-normalizer may choose among (GBK and GB2312 are in GB18030)
_NAMES = {"gb18030": "GB18030", "big5": "Big5", "big5hkscs": "Big5-HKSCS"}
NOT_CHINESE = "encoding is none of UTF-8, GB18030/GBK, Big5 (not Chinese text?)"
_SAMPLE = 1 << 16  # bytes charset-normalizer looks at


class InputError(Exception):
    """Bad input, reported as one line naming the file (and line) and what is wrong."""

    def __init__(self, path: str, message: str, line: int | None = None):
        self.path, self.message, self.line = path, message, line
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {message}")

    def __reduce__(self):  # it travels back from extraction workers (kg build --jobs)
        return type(self), (self.path, self.message, self.line)


class InputWarning(InputError):
    """Something of an input left out while the rest is read (a sheet with no text column):
    reported among the warnings, not the skipped."""


def detect(data: bytes, path: str) -> str:
    """The codec ``data`` is written in (a Python codec name), or an InputError naming ``path``."""
    if not data.strip():
        raise InputError(path, "empty file")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in data[:_SAMPLE]:
        raise InputError(path, "binary file (contains NUL bytes), not text")
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":  # a sample cut inside a character
            return "utf-8"
    from charset_normalizer import from_bytes

    # random bytes decode as *some* GB18030; charset-normalizer judges whether the result reads as
    # language (chaos, coherence) and returns nothing for noise
    best = from_bytes(data[:_SAMPLE], cp_isolation=list(_CHINESE)).best()
    if best is None:
        raise InputError(path, NOT_CHINESE)
    return best.encoding


def decode(data: bytes, path: str, encoding: str | None = None) -> str:
    """The text of ``data``, in ``encoding`` or the one detected."""
    encoding = encoding or detect(data, path)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        name = _NAMES.get(encoding, encoding.upper())
        raise InputError(path, f"not valid {name} at byte {exc.start}: {NOT_CHINESE}") from None
