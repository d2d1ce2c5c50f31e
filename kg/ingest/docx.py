"""Word files (.docx, python-docx): the paragraphs of the body, in order, and the text of its
tables; a paragraph in a Title or Heading style (else a short first line) is the headline."""

from __future__ import annotations

from kg.ingest.decode import InputError
from kg.ingest.page import headline
from kg.model import Article


def _paragraphs(document) -> list[tuple[str, str]]:
    """(style name, text) of each paragraph of the body, tables' cells in reading order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    out = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            out.append((item.style.name if item.style is not None else "", item.text))
        elif isinstance(item, Table):
            for row in item.rows:
                cells = list(dict.fromkeys(c.text.strip() for c in row.cells))  # merged cells repeat
                out.append(("table", "　".join(c for c in cells if c)))
    return [(style, text.strip()) for style, text in out if text.strip()]


def read_docx(source, path: str, article_id: str) -> Article:
    """The article of a Word file (``source``: a path or a binary stream; ``path`` names it)."""
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(source)
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError(path, f"not a readable Word .docx file ({type(exc).__name__})") from None
    paragraphs = _paragraphs(document)
    if not paragraphs:
        raise InputError(path, "a Word file with no text")
    title = next((t for s, t in paragraphs[:3] if s == "Title" or s.startswith("Heading")), "")
    title = title or headline(paragraphs[0][1])
    lines = [t for _, t in paragraphs]
    if title and lines[0] != title:
        lines.remove(title)
        lines.insert(0, title)
    return Article(id=article_id, text="\n".join(lines), title=title, path=path)
