"""Spreadsheets (.xlsx, openpyxl): a sheet of articles, as analysts keep collections of news —
a header row naming the fields (as CSV headers and JSON Lines keys do, kg/data/feed_fields.tsv)
and one article a row. Every sheet with such a header among its first rows is read; a sheet
without one (notes, lists) is passed over with a warning. openpyxl's read-only mode reads the
rows one at a time, but it holds the workbook's shared strings (most of its text) in memory:
a workbook whose shared strings unpack to more than MAX_SHARED_STRINGS_BYTES is refused, not
read. Dates typed as dates are days."""

from __future__ import annotations

import contextlib
import datetime
import zipfile
from collections.abc import Iterator

from kg.ingest.decode import InputError, InputWarning
from kg.ingest.jsonl import article_of, field_names, has_text_column, record_of, shown_names
from kg.model import Article

HEADER_ROWS = 10  # a header may sit under a title and blank rows
MAX_SHARED_STRINGS_BYTES = 256 * 1024 * 1024


def _cell(value):
    """A cell as a field: a date (or a time of a day) its ISO day, a whole number without '.0'."""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if value is None or isinstance(value, str) else str(value)


def _blank(row) -> bool:
    return all(c is None or not str(c).strip() for c in row)


def _workbook(handle, path: str):
    """The workbook of a binary stream, read-only (a stream: openpyxl judges a path by its suffix)."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with zipfile.ZipFile(handle) as archive:
            shared = next((i.file_size for i in archive.infolist() if i.filename == "xl/sharedStrings.xml"), 0)
        if shared > MAX_SHARED_STRINGS_BYTES:
            raise InputError(path, f"a workbook whose text unpacks to {shared >> 20} MB, over {MAX_SHARED_STRINGS_BYTES >> 20} MB: save it as CSV (read a row at a time)")
        handle.seek(0)
        return openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise InputError(path, f"not a readable .xlsx spreadsheet ({type(exc).__name__}: {str(exc)[:60]})") from None


def _sheet_rows(sheet, names) -> tuple[list[str], int, Iterator] | None:
    """(header, its row number, the rows after it) of a sheet, or None when none of its first
    HEADER_ROWS non-blank rows names a text column."""
    rows = sheet.iter_rows(values_only=True)
    number, seen = 0, 0
    for row in rows:
        number += 1
        if _blank(row):
            continue
        header = [str(h).strip() if h is not None else "" for h in row]
        while header and not header[-1]:
            header.pop()  # a stray cell far to the right pads every row: read up to the header's last name
        if has_text_column(header, names):
            return header, number, sheet.iter_rows(min_row=number + 1, max_col=len(header), values_only=True)
        seen += 1
        if seen >= HEADER_ROWS:
            break
    return None


def read_xlsx(source, path: str, fields: dict[str, str] | None, file_id: str) -> Iterator[Article | InputError]:
    """Articles of the sheets that have a text column, ``FILE_ID:SHEET:ROW`` when a row has no
    id; an error for a row without text, a warning for a sheet passed over, and an error for the
    file when no sheet has a text column."""
    names = field_names(fields)
    with open(source, "rb") if isinstance(source, str) else contextlib.nullcontext(source) as handle:
        yield from _sheets(_workbook(handle, path), path, names, file_id)


def _sheets(book, path: str, names: dict[str, tuple[str, ...]], file_id: str) -> Iterator[Article | InputError]:
    """What `read_xlsx` yields, from an open workbook (closed at the end)."""
    try:
        read, passed = False, []
        for sheet in book.worksheets:
            found = _sheet_rows(sheet, names)
            if found is None:
                passed.append(sheet.title)
                continue
            read = True
            header, header_row, rows = found
            given = 0
            for number, row in enumerate(rows, start=header_row + 1):
                if _blank(row):
                    continue
                given += 1
                article = article_of(record_of(header, [_cell(v) for v in row]), names, path, number, number, f"{file_id}:{sheet.title}")
                yield InputError(path, f"sheet {sheet.title!r} row {number}: {article.message}") if isinstance(article, InputError) else article
            if not given:
                yield InputWarning(path, f"sheet {sheet.title!r}: a header and no rows under it")
        if not read:
            raise InputError(path, f"no sheet has a header naming its text column ({shown_names(names['text'])}; or --field text=NAME) in its first {HEADER_ROWS} rows; sheets: {', '.join(passed)[:120]}")
        for title in passed:
            yield InputWarning(path, f"sheet {title!r} passed over: no header naming a text column in its first {HEADER_ROWS} rows")
    finally:
        book.close()
