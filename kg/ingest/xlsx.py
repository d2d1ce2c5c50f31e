"""Spreadsheets (.xlsx, openpyxl): a sheet of articles, as analysts keep collections of news —
a header row naming the fields (as CSV headers and JSON Lines keys do, kg/data/feed_fields.tsv)
and one article a row. Every sheet whose header names a text column is read, row by row
(openpyxl's read-only mode: memory holds one row); dates typed as dates are days."""

from __future__ import annotations

import datetime
import zipfile
from collections.abc import Iterator

from kg.ingest.decode import InputError
from kg.ingest.jsonl import shown_names, article_of, field_names, has_text_column
from kg.model import Article


def _cell(value):
    """A cell as a field: a date (or a time of a day) its ISO day, a whole number without '.0'."""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if value is None or isinstance(value, str) else str(value)


def read_xlsx(source, path: str, fields: dict[str, str] | None, file_id: str) -> Iterator[Article | InputError]:
    """Articles of the sheets that have a text column, ``FILE_ID:SHEET:ROW`` when a row has no
    id; an error for a row without text, and one for the file when no sheet has a text column."""
    import openpyxl

    names = field_names(fields)
    try:
        book = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputError(path, f"not a readable .xlsx spreadsheet ({type(exc).__name__})") from None
    try:
        headers, read = [], False
        for sheet in book.worksheets:
            rows = sheet.iter_rows(values_only=True)
            header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
            headers.append(f"{sheet.title}: {','.join(header)[:60]}")
            if not has_text_column(header, names):
                continue
            read = True
            for number, row in enumerate(rows, start=2):
                if not any(c not in (None, "") for c in row):
                    continue
                record = {h: _cell(v) for h, v in zip(header, row) if h}
                article = article_of(record, names, path, number, number, f"{file_id}:{sheet.title}")
                yield InputError(path, f"sheet {sheet.title!r} row {number}: {article.message}") if isinstance(article, InputError) else article
        if not read:
            raise InputError(path, f"no sheet has a header naming its text column ({shown_names(names['text'])}; or --field text=NAME); first rows: {'; '.join(headers)[:160]}")
    finally:
        book.close()
