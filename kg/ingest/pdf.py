"""PDF files with a text layer (pdfplumber): each page's characters grouped into lines and
blocks, the blocks put in reading order by cuts along the page's gutters (recursive X-Y cut:
columns left to right, bands top to bottom), then written as the hard-broken page text that
``page.split_page`` cuts into articles. Scans (no text layer) are refused with one line.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import takewhile
from statistics import median

from kg.dates import parse_date
from kg.ingest.decode import InputError
from kg.text import fold_radicals

_LINE_GAP = 0.9  # a horizontal gap wider than this many character sizes ends a line fragment (a gutter)
_WORD_GAP = 0.25  # a gap wider than this between characters is a space
_HEADLINE_SIZE = 1.2  # a block this many times the body's type size or more is a headline
_FULL_LINE = 1.2  # a line ending less than this many character sizes short of its column's edge fills it
_INDENT = 1.5  # a line starting this many character sizes right of its block's left edge is indented
# a page's running head or foot: 2024年1月12日 星期五 第2版 综合新闻 责任编辑：…
_FURNITURE = re.compile(r"第\s*[A-Z]?\s*\d{1,3}\s*版|\b[A-Z]\d{1,2}\s*版|星期[一二三四五六日天]|责任编辑|版面编辑|美术编辑|校对："
                        # a browser's header and footer on a page it printed: when, from where, which page
                        r"|^\d{1,4}[/-]\d{1,2}[/-]\d{1,4},?\s+\d{1,2}:\d{2}|^(?:ﬁ|fi)le://|^https?://\S+$|^\d{1,3}\s*/\s*\d{1,3}$")
_PAGE_DATE = re.compile(r"(?:(?:中華民國|中华民国|民國|民国)\s*\d{1,3}|(?:19|20)\d{2})\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")  # 中華民國113年3月5日 too
NO_TEXT = "a PDF without a text layer (a scan?): kg reads the text of PDFs and does not OCR; run OCR first (e.g. ocrmypdf) or give the text"


@dataclass
class _Fragment:
    """Characters on one baseline, side by side."""

    chars: list[dict]

    @property
    def x0(self) -> float:
        return self.chars[0]["x0"]

    @property
    def x1(self) -> float:
        return self.chars[-1]["x1"]

    @property
    def top(self) -> float:
        return min(c["top"] for c in self.chars)

    @property
    def bottom(self) -> float:
        return max(c["bottom"] for c in self.chars)

    @property
    def size(self) -> float:
        return median(c["size"] for c in self.chars)

    def text(self) -> str:
        # a justified line spreads all its characters alike (会 议 ， 副 县 长): a space is a gap
        # wider than the line's usual one, not any gap
        gaps = [b["x0"] - a["x1"] for a, b in zip(self.chars, self.chars[1:])]
        usual = max(0.0, median(gaps)) if gaps else 0.0
        out, last = [], None
        for c in self.chars:
            if last is not None and c["x0"] - last["x1"] - usual > _WORD_GAP * c["size"] and last["text"].strip() and c["text"].strip():
                out.append(" ")  # a space the PDF makes by moving, not by a space character
            out.append(c["text"])
            last = c
        return fold_radicals("".join(out))  # 王⼩红 in a Chromium PDF: 王小红


@dataclass
class _Block:
    """Lines of one column of one text: each below the last, overlapping it, in one size."""

    lines: list[_Fragment] = field(default_factory=list)

    @property
    def x0(self) -> float:
        return min(ln.x0 for ln in self.lines)

    @property
    def x1(self) -> float:
        return max(ln.x1 for ln in self.lines)

    @property
    def top(self) -> float:
        return self.lines[0].top

    @property
    def bottom(self) -> float:
        return self.lines[-1].bottom

    def text(self) -> str:
        x0 = self.x0
        return "\n".join(("  " if ln.x0 - x0 >= _INDENT * ln.size else "") + ln.text() for ln in self.lines)


def _fragments(chars: list[dict]) -> list[_Fragment]:
    # spaces stay while lines are cut (a space is no gutter), and go after
    chars = [c for c in chars if c.get("upright", True) and c["text"] not in ("", "\n", "\r")]
    rows: list[list[dict]] = []
    for c in sorted(chars, key=lambda c: (round(c["bottom"]), c["x0"])):
        # the same row: baselines within a third of the character size
        if rows and abs(rows[-1][-1]["bottom"] - c["bottom"]) <= c["size"] / 3:
            rows[-1].append(c)
        else:
            rows.append([c])
    out = []
    for row in rows:
        row.sort(key=lambda c: c["x0"])
        current = [row[0]]
        for c in row[1:]:
            if c["x0"] - current[-1]["x1"] > _LINE_GAP * max(c["size"], current[-1]["size"]):
                out.append(_Fragment(current))
                current = []
            current.append(c)
        out.append(_Fragment(current))
    kept = []
    for frag in out:
        while frag.chars and not frag.chars[0]["text"].strip():
            frag.chars.pop(0)
        while frag.chars and not frag.chars[-1]["text"].strip():
            frag.chars.pop()
        if frag.chars:
            kept.append(frag)
    return kept


def _blocks(fragments: list[_Fragment]) -> list[_Block]:
    blocks: list[_Block] = []
    for frag in sorted(fragments, key=lambda f: (f.top, f.x0)):
        for block in blocks:
            last = block.lines[-1]
            below = -0.3 * last.size <= frag.top - last.bottom <= 1.0 * last.size
            overlap = min(frag.x1, block.x1) - max(frag.x0, block.x0)
            same_size = abs(frag.size - last.size) <= 0.1 * last.size
            if below and same_size and overlap > 0.5 * min(frag.x1 - frag.x0, block.x1 - block.x0):
                block.lines.append(frag)
                break
        else:
            blocks.append(_Block([frag]))
    return blocks


def _gaps(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Where a sweep over the spans finds free space: (the middle, the width) of each."""
    cuts, reach = [], None
    for start, end in sorted(spans):
        if reach is not None and start > reach:
            cuts.append(((reach + start) / 2, start - reach))
        reach = end if reach is None else max(reach, end)
    return cuts


def _split(blocks: list[_Block], cuts: list[float], key) -> list[list[_Block]]:
    parts: list[list[_Block]] = [[] for _ in range(len(cuts) + 1)]
    for b in blocks:
        parts[sum(key(b) > cut for cut in cuts)].append(b)
    return [p for p in parts if p]


def reading_order(blocks: list[_Block]) -> list[_Block]:
    """Recursive X-Y cut. Columns left to right where gutters no block crosses part the blocks
    into parts that start level (columns of one text, or articles side by side under their
    headlines); else two bands, top first, at the widest space across that no block spans (a
    centred headline stands above its columns: read first, not after the column it misses);
    else columns all the same; else top to bottom."""
    if len(blocks) <= 1:
        return blocks
    columns = [cut for cut, _ in _gaps([(b.x0, b.x1) for b in blocks])]
    bands = _gaps([(b.top, b.bottom) for b in blocks])
    if columns:
        parts = _split(blocks, columns, lambda b: b.x0)
        tops = [min(b.top for b in part) for part in parts]
        line = min(b.lines[0].size for b in blocks)
        body = _body_size(blocks)
        headed = [b for part in parts for b in part if b.top > min(x.top for x in part) and b.lines[0].size > _HEADLINE_SIZE * body]
        if headed and bands:  # a headline down a column heads the article below it: the band above it first
            above = max((cut for cut, _ in bands if cut < headed[0].top), default=None)
            if above is not None:
                return [b for part in _split(blocks, [above], lambda b: b.top) for b in reading_order(part)]
        if max(tops) - min(tops) <= 1.5 * line or not bands:
            return [b for part in parts for b in reading_order(part)]
    if bands:
        widest = max(bands, key=lambda g: g[1])[0]
        return [b for part in _split(blocks, [widest], lambda b: b.top) for b in reading_order(part)]
    return sorted(blocks, key=lambda b: (b.top, b.x0))


def _body_size(blocks: list[_Block]) -> float:
    """The body's type size: the size most lines are printed in (not a byline's smaller one)."""
    lines = Counter(round(ln.size, 1) for b in blocks for ln in b.lines)
    return lines.most_common(1)[0][0]


@dataclass
class Page:
    text: str  # in reading order, one printed line a line
    date: str | None = None  # the date of its running head


def page_text(chars: list[dict]) -> Page:
    """One page's text in reading order. A block in another type size than the one before it
    starts a paragraph (indented: a headline is no continuation of the column above); the running
    head and foot (date, 第2版, 责任编辑; a browser's print date, address and page count, and what
    stands beside them) are left out, and their date kept."""
    blocks = reading_order(_blocks(_fragments(chars)))
    date = None
    for end in (0, -1):
        edge: list[float] = []  # the baselines of the furniture found: what else stands on them is furniture too
        while blocks and len(blocks[end].lines) == 1 and (_FURNITURE.search(text := blocks[end].text()) or any(abs(blocks[end].bottom - b) < 2 for b in edge)):
            if date is None and (m := _PAGE_DATE.search(text)):
                date = parse_date(m.group())
            edge.append(blocks.pop(end).bottom)
    return Page("\n".join(_paragraphs(blocks)), date)


def _paragraphs(blocks: list[_Block]) -> list[str]:
    """The page's paragraphs in reading order, each one indented line (as page.py reads a
    paragraph's start). The PDF tells where its lines end: a line that fills its column runs on
    into the next (down the column, or from the foot of one column to the head of the next),
    unless that one is indented or in another type size (a headline); a shorter line ends its
    paragraph, unless it broke at a space before a word too wide for what was left of it (a
    browser's wrap: 融媒记者 杨成栋 | 吕晓婷 摄)."""
    out: list[str] = []
    runs_on = False
    last_size = None
    column: dict[float, float] = {}  # the width of the last column of three lines or more, by type size
    for block in blocks:
        size = block.lines[0].size
        key = round(size, 1)
        if len(block.lines) >= 3:
            column[key] = _width(block)
        # a short block (a paragraph's end atop a column) is as wide as the column read before it
        edge = block.x0 + max(_width(block), column.get(key, 0.0) if len(block.lines) < 3 else 0.0)
        for i, line in enumerate(block.lines):
            indented = line.x0 - block.x0 >= _INDENT * line.size
            if out and runs_on and not indented and (i > 0 or abs(size - last_size) <= 0.1 * size):
                out[-1] += line.text()
            else:
                out.append("  " + line.text())
            following = block.lines[i + 1] if i + 1 < len(block.lines) else None
            runs_on = line.x1 >= edge - _FULL_LINE * line.size or following is not None and _wrapped_at_space(line, following, edge)
        last_size = block.lines[-1].size
    return out


def _width(block: _Block) -> float:
    """How far a block's lines reach: the median of where its lines but the last end (a browser's
    ragged right edge, punctuation hung past it), or its one line's. Columns of one page may
    differ (an article in three above one in two): each block is measured on its own."""
    ends = [ln.x1 for ln in block.lines[:-1]] or [block.lines[0].x1]
    return median(ends) - block.x0


def _wrapped_at_space(line: _Fragment, following: _Fragment, edge: float) -> bool:
    """Whether ``line`` ends short because the next line opens with a word that would not have
    fitted after it: a word up to its first space (融媒记者 杨成栋 | 吕晓婷 摄), or a run of
    figures or Latin letters a browser keeps whole (会议听取了市政府关于 | 2023年度…). Chinese
    characters break anywhere: a line short before one ends its paragraph."""
    word = list(takewhile(lambda c: c["text"].strip(), following.chars))
    if not word or len(word) == len(following.chars):  # no space: only figures or Latin letters kept whole
        word = list(takewhile(lambda c: c["text"].strip() and c["text"].isascii(), following.chars))
    return bool(word) and line.x1 + (word[-1]["x1"] - word[0]["x0"]) + 0.25 * line.size > edge


def pdf_pages(source, path: str) -> list[Page]:
    """The text of every page of ``source`` (a path or a binary stream; ``path`` names it in
    messages): an empty string for a page without text."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    # pdfminer warns of each font it cannot measure (Could not get FontBBox…, 89 lines for a page
    # Chromium printed): nothing kg's reading needs, and kg's own messages would drown in them
    logging.getLogger("pdfminer").setLevel(logging.ERROR)

    pages, images = [], 0
    try:
        with pdfplumber.open(source) as pdf:
            for page in pdf.pages:
                chars = page.chars
                images += len(page.images)
                if chars and sum(c["text"].startswith("(cid:") for c in chars) > len(chars) / 2:
                    raise InputError(path, "a PDF whose fonts carry no Unicode mapping: its characters cannot be read as text (OCR it as a scan)")
                pages.append(page_text(chars))
                page.close()  # frees the page's objects: memory holds one page
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise InputError(path, "an encrypted PDF (it needs a password), not read") from None
        raise InputError(path, f"not a readable PDF ({type(cause).__name__}: {str(cause)[:80]})") from None
    if not any(p.text.strip() for p in pages):
        raise InputError(path, NO_TEXT if images else "a PDF with no text on any page")
    return pages
