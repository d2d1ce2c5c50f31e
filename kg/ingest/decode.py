"""Bytes to text: UTF-8 (with or without BOM) or GB18030/GBK; anything else is an error."""

from __future__ import annotations

from kg.text import is_cjk


class InputError(Exception):
    """Bad input, reported as one line naming the file (and line) and what is wrong."""

    def __init__(self, path: str, message: str, line: int | None = None):
        self.path, self.message, self.line = path, message, line
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {message}")


def decode(data: bytes, path: str) -> str:
    if not data.strip():
        raise InputError(path, "empty file")
    if b"\x00" in data[:65536]:
        raise InputError(path, "binary file (contains NUL bytes), not text")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise InputError(path, "encoding is neither UTF-8 nor GB18030/GBK") from None
    # GB18030 maps almost any byte string to some characters: accept it only if it reads as Chinese.
    non_ascii = [c for c in text if ord(c) > 0x7F]
    if non_ascii and sum(map(is_cjk, non_ascii)) / len(non_ascii) < 0.6:
        raise InputError(path, "encoding is neither UTF-8 nor GB18030/GBK")
    return text
