"""The one CSV writer for every export in Collab.

Every spreadsheet download goes through ``csv_download`` (or ``csv_lines`` when a test or a
command needs the text), so every cell is escaped the same way. Cells come from people
(section headings, comments, names), and a cell that starts with ``=``, ``+``, ``-``, ``@``
(or a tab or carriage return, which some spreadsheet programs skip before reading a
formula) would be run as a formula when the file is opened. The escaping is done by the
maintained ``defusedcsv`` package, which puts a ``'`` in front of such cells; we add the
tab and carriage-return cases, which it leaves alone.

    return csv_download("report.csv", ["Name", "Comment"], ([p.name, p.text] for p in people))

No other module imports ``csv`` to write a file (tests/test_csv_export.py checks).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from defusedcsv import csv as _defused
from flask import Response, has_request_context, stream_with_context

#: Written first, so spreadsheet programs read the file as UTF-8.
BYTE_ORDER_MARK = "\ufeff"

#: Characters that make a spreadsheet read a cell as a formula (after defusedcsv's own list).
_ALSO_DANGEROUS = ("\t", "\r")


def safe_cell(value: Any) -> Any:
    """One cell as it is written: numbers as they are, text that could be a formula made inert."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    if text[:1] in _ALSO_DANGEROUS:
        return "'" + text
    return text


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The CSV text, a line (or a few) at a time, so long exports stream as they are read."""
    buffer = io.StringIO()
    writer = _defused.writer(buffer)

    def taken() -> str:
        value = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
        return value

    writer.writerow([safe_cell(cell) for cell in header])
    yield BYTE_ORDER_MARK + taken()
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
        yield taken()


_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")


def csv_download(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Response:
    """A CSV file download: streamed, UTF-8, never cached (exports hold members' words)."""
    name = _UNSAFE_FILENAME.sub("-", filename).strip("-.") or "export"
    if not name.lower().endswith(".csv"):
        name += ".csv"
    body: Iterator[str] = csv_lines(header, rows)
    if has_request_context():
        body = stream_with_context(body)
    response = Response(body, content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def read_rows(text: str) -> list[list[str]]:
    """An uploaded CSV file's rows (cells as text); ValueError when it cannot be read as CSV.

    Reading lives here too, so that this module is the only one that speaks CSV.
    """
    try:
        return list(_defused.reader(io.StringIO(text)))
    except _defused.Error as error:
        raise ValueError(str(error)) from None
