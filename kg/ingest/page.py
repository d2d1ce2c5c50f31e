"""Newspaper pages as they come out of PDF e-papers: several articles, hard line breaks.

Steps: lines -> paragraphs (re-joined where the PDF broke them) -> blocks (section label,
byline, headline, body) -> articles (bodies split at bylines, photo captions and headlines) ->
headlines attached to the body they describe, matched by content, since e-papers often print
them after the body.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from kg import lexicon
from kg.model import Article
from kg.text import CLOSERS, SENTENCE_END, display_width, fold_width

_HEADLINE_MAX_WIDTH = 32
_FEED_COLUMN_MIN_WIDTH = 14  # narrower lines in a feed's text are headings, not a column
_MIN_COLUMN_LINES = 8  # fewer lines are no column, however wide
_PAGE_COLUMN_MAX_WIDTH = 40  # a text file's lines wider than a newspaper column: plain text, not a page
_FEED_COLUMN_MAX_WIDTH = 60  # a chronicle (大事记) printed across a page, pasted into a feed: some 44 cells
_HEADLINE_MIN_SCORE = 0.5
_INDENT_CELLS = 2  # a paragraph's first line is indented by two characters


@dataclass
class _Line:
    start: int  # offset of the first kept character in the page
    text: str
    indented: bool

    @property
    def width(self) -> float:
        return display_width(self.text)


@dataclass
class _Paragraph:
    lines: list[_Line]
    kind: str = "body"  # section | byline | headline | caption | continued (（上接第1版）) | body

    @property
    def text(self) -> str:
        return "".join(ln.text for ln in self.lines)

    def offsets(self) -> list[int]:
        return [ln.start + i for ln in self.lines for i in range(len(ln.text))]


@dataclass
class _Body:
    paragraphs: list[_Paragraph] = field(default_factory=list)
    headlines: list[tuple[int, _Paragraph]] = field(default_factory=list)  # (order, line)
    start: int = 0  # the order of its first paragraph on the page


def _lines(page: str) -> list[_Line]:
    out, pos = [], 0
    for raw in page.splitlines(keepends=True):
        stripped = raw.rstrip("\r\n")
        body = stripped.strip()
        if body:
            lead = len(stripped) - len(stripped.lstrip())
            out.append(_Line(pos + lead, body, indented=lead > 0))
        pos += len(raw)
    return out


def _body_width(lines: list[_Line]) -> float:
    """The column width: the most common line width among the long lines, a paragraph's first
    line counted with its indent (_INDENT_CELLS): in short paragraphs, three lines of four open
    or close one, and the indented first lines alone outnumber the full ones."""
    widths = Counter(round(ln.width + (_INDENT_CELLS if ln.indented else 0)) for ln in lines if ln.width >= 8)
    return widths.most_common(1)[0][0] if widths else 0.0


def _matches(section: str, text: str) -> bool:
    folded = fold_width(text)
    return any(p.search(folded) for p in lexicon.patterns("credits.toml", section))


def _ends_paragraph(line: _Line, nxt: _Line, width: float, first: bool) -> bool:
    """Whether the PDF's line break after ``line`` is a real paragraph end.

    Body lines fill the column (``width``); a paragraph's first line is indented by about two
    cells, its last line is short. Lines wider than the column (captions, headlines) only run
    on into lines as wide as themselves.
    """
    if nxt.indented or nxt.text.startswith("——") or _byline_at(nxt.text, start=True):
        return True
    if _matches("section", line.text) or _byline_at(line.text, start=False) or _ends_with_credit(line.text):
        return True
    if line.width > width + 1.5:
        return nxt.width <= width + 1.5
    if line.width < width - (3 if first else 1.5):
        return True
    next_is_indented = width - 3 <= nxt.width < width - 1.5
    return _ends_sentence(line.text) and next_is_indented


def _ends_sentence(text: str) -> bool:
    stripped = text.rstrip(CLOSERS)
    return stripped != text and stripped[-1:] in SENTENCE_END or text[-1] in SENTENCE_END


def _byline_at(text: str, start: bool) -> bool:
    """A byline that opens (``start``) or closes the line."""
    folded = fold_width(text).strip()
    for pattern in lexicon.patterns("credits.toml", "byline"):
        for m in pattern.finditer(folded):
            if (m.start() == 0) if start else (m.end() == len(folded)):
                return True
    return False


def _ends_with_credit(text: str) -> bool:
    folded = fold_width(text).rstrip()
    return any(m.end() >= len(folded) - 1 for p in lexicon.patterns("credits.toml", "photo_credit") for m in p.finditer(folded))


def _paragraphs(lines: list[_Line]) -> list[_Paragraph]:
    width = _body_width(lines)
    paragraphs, current = [], []
    for i, line in enumerate(lines):
        current.append(line)
        if i + 1 == len(lines) or _ends_paragraph(line, lines[i + 1], width, first=len(current) == 1):
            paragraphs.append(_Paragraph(current))
            current = []
    for para in paragraphs:
        para.kind = _kind(para)
    return paragraphs


def _kind(para: _Paragraph) -> str:
    text = para.text
    if len(para.lines) == 1 and _matches("section", text):
        return "section"
    if _matches("byline", text) and display_width(text) <= _HEADLINE_MAX_WIDTH:
        return "byline"
    if _ends_with_credit(text):
        return "caption"
    one_short_line = len(para.lines) == 1 and para.lines[0].width <= _HEADLINE_MAX_WIDTH
    if one_short_line and _matches("continued", text):
        return "continued"
    if one_short_line and not any(c in text for c in SENTENCE_END + "，,、：:") and not _matches("jump", text):
        return "headline"
    return "body"


def _bigrams(text: str) -> set[str]:
    chars = [c for c in fold_width(text) if c.isalnum()]
    return {a + b for a, b in zip(chars, chars[1:])}


def _score(headline: str, body: _Body) -> float:
    grams = _bigrams(headline)
    if not grams:
        return 0.0
    body_grams = set().union(*(_bigrams(p.text) for p in body.paragraphs))
    return len(grams & body_grams) / len(grams)


def _split_bodies(paragraphs: list[_Paragraph]) -> tuple[list[_Body], list[tuple[int, _Paragraph]], list[str]]:
    bodies: list[_Body] = []
    headlines: list[tuple[int, _Paragraph]] = []
    sections: list[str] = []  # the section label in force for each body
    section, open_body = "", None
    for order, para in enumerate(paragraphs):
        if para.kind == "section":
            section, open_body = para.text.strip(), None
        elif para.kind == "headline":
            headlines.append((order, para))
            open_body = None
        else:
            if open_body is None or para.kind in ("byline", "continued"):
                open_body = _Body(start=order)
                bodies.append(open_body)
                sections.append(section)
            open_body.paragraphs.append(para)
            if para.kind == "caption":
                open_body = None
    return bodies, headlines, sections


def _attach_headlines(bodies: list[_Body], headlines: list[tuple[int, _Paragraph]]) -> list[list[tuple[int, _Paragraph]]]:
    """Give each headline line to the body it shares most words with; return the orphan groups."""
    owner: list[int | None] = []
    for _, para in headlines:
        if para.text.startswith("——") and owner:
            owner.append(owner[-1])  # a sub-headline belongs with the line above it
            continue
        scores = [(_score(para.text, body), i) for i, body in enumerate(bodies)]
        best = max(scores, default=(0.0, None))
        owner.append(best[1] if best[0] >= _HEADLINE_MIN_SCORE else None)
    # an unmatched line between two lines of the same body, printed together, belongs to it
    for i in range(1, len(owner) - 1):
        adjacent = headlines[i - 1][0] + 1 == headlines[i][0] == headlines[i + 1][0] - 1
        if owner[i] is None and adjacent and owner[i - 1] is not None and owner[i - 1] == owner[i + 1]:
            owner[i] = owner[i - 1]
    # so does a subhead printed between its headline and the body they open (市长李明强调…)
    orders = {order for order, _ in headlines}
    for i in range(1, len(owner)):
        body_at = headlines[i][0] + 1
        while body_at in orders:  # over the other lines printed with it
            body_at += 1
        if owner[i] is None and owner[i - 1] is not None and headlines[i - 1][0] + 1 == headlines[i][0] and bodies[owner[i - 1]].start == body_at:
            owner[i] = owner[i - 1]
    orphans: list[list[tuple[int, _Paragraph]]] = []
    for (order, para), who in zip(headlines, owner):
        if who is not None:
            bodies[who].headlines.append((order, para))
        elif orphans and orphans[-1][-1][0] + 1 == order:
            orphans[-1].append((order, para))
        else:
            orphans.append([(order, para)])
    return orphans


def _article(page: str, article_id: str, heads: list[_Paragraph], paras: list[_Paragraph], section: str, path: str) -> Article:
    parts = heads + paras
    text = "\n".join(p.text for p in parts)
    offsets: list[int] = []
    for i, p in enumerate(parts):
        offsets.extend(p.offsets())
        if i + 1 < len(parts):
            last = p.offsets()[-1]  # the joining newline stands for the line break after it, if any
            offsets.append(last + 1 if last + 1 < len(page) else last)
    titles = [h.text.strip() for h in heads]
    return Article(
        id=article_id,
        text=text,
        title=titles[0] if titles else "",
        subtitles=titles[1:],
        section=section,
        path=path,
        source_offsets=offsets,
    )


def split_page(page: str, page_id: str, path: str = "") -> list[Article]:
    """Cut a newspaper page into articles, in reading order of their bodies."""
    paragraphs = _paragraphs(_lines(page))
    bodies, headlines, sections = _split_bodies(paragraphs)
    orphans = _attach_headlines(bodies, headlines)
    bodies, sections = _rejoined_after_captions(bodies, sections)
    articles = []
    for body, section in zip(bodies, sections):
        heads = [p for _, p in sorted(body.headlines, key=lambda h: h[0])]
        articles.append((body.paragraphs[0].lines[0].start, heads, body.paragraphs, section))
    for group in orphans:  # a headline whose article continues on another page
        articles.append((group[0][1].lines[0].start, [p for _, p in group], [], ""))
    articles.sort(key=lambda a: a[0])
    return [
        _article(page, f"{page_id}#{n:02d}", heads, paras, section, path)
        for n, (_, heads, paras, section) in enumerate(articles, start=1)
    ]


def _rejoined_after_captions(bodies: list[_Body], sections: list[str]) -> tuple[list[_Body], list[str]]:
    """A body with no headline and no byline of its own printed right under a photo's caption
    goes on with the article the photo is in (图为会议现场。 记者 张伟 摄, then 会议以电视电话会议
    形式召开…): one article, not a second one without a headline."""
    kept: list[_Body] = []
    kept_sections: list[str] = []
    for body, section in zip(bodies, sections):
        last = kept[-1] if kept else None
        if last is not None and not body.headlines and body.paragraphs[0].kind not in ("byline", "continued") and last.paragraphs[-1].kind == "caption" \
                and last.start + len(last.paragraphs) == body.start:
            last.paragraphs.extend(body.paragraphs)
            continue
        kept.append(body)
        kept_sections.append(section)
    return kept, kept_sections


def headline(text: str) -> str:
    """The headline a text opens with (a plain file, a Word file, a feed's record without a title
    of its own): its first line when that is short, ends no sentence and is no byline, dateline,
    date or source line (credits.toml [not_headline]); else none."""
    first = text.strip().split("\n", 1)[0].strip()
    if not first or len(first) > 40 or _ends_sentence(first) or _byline_at(first, start=True) or _matches("not_headline", first):
        return ""
    return first


def rejoined(text: str) -> tuple[str, list[int]] | None:
    """A feed's text that is one column of a printed page (e-paper text pasted into a CSV or JSON
    Lines feed, lines broken at the column's width, 李\n桂珍): its paragraphs re-joined as a page's
    are, with each character's offset in ``text``; None when the text is not hard-broken."""
    if text.count("\n") < _MIN_COLUMN_LINES - 1:
        return None  # too few lines to be a column: most feed records, told without reading their lines
    lines = _lines(text)
    width = _body_width(lines)
    if not _column_lines(lines, width, _FEED_COLUMN_MAX_WIDTH) or not _broken_inside_sentences(text, width):
        return None
    joined = _article(text, "", [], _paragraphs(lines), "", "")
    return joined.text, joined.source_offsets or []


def _broken_inside_sentences(text: str, width: float) -> bool:
    """Whether a quarter of the lines (three at least) fill a column of ``width``, 14 cells or
    more, and run on, without a sentence's end, into the next line right below: a column, not a
    web page's short lines (a date, a headline, 信息来源:…) that happen to be as wide as each other."""
    raw = text.splitlines()
    if width < _FEED_COLUMN_MIN_WIDTH:
        return False  # 彰市媽媽團電音迎新春 over its paragraph: subheads as wide as each other
    runs_on = sum(
        1 for line, nxt in zip(raw, raw[1:])
        if line.strip() and nxt.strip() and not nxt[:1].isspace() and abs(display_width(line.strip()) - width) <= 1.5 and not _ends_sentence(line.strip())
    )
    return runs_on >= max(3, sum(1 for line in raw if line.strip()) / 4)


def looks_like_page(text: str) -> bool:
    """PDF page text: many short hard-broken lines of nearly the same width."""
    lines = _lines(text)
    return _column_lines(lines, _body_width(lines), _PAGE_COLUMN_MAX_WIDTH)


def _column_lines(lines: list[_Line], width: float, widest: float) -> bool:
    """Many short lines of nearly the column's ``width``, no wider than ``widest``."""
    return len(lines) >= _MIN_COLUMN_LINES and 6 <= width <= widest and sum(abs(ln.width - width) <= 1.5 for ln in lines) >= len(lines) / 3

