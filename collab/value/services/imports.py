"""CSV imports with a preview: every row it will change and every row it refuses, with the reason.

The same text is parsed twice: once for the preview, and again when the person confirms (the
preview page carries the text back), so nothing is stored between the two steps, and rows that
became invalid in between are refused rather than half-applied.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from collab.csv_export import read_rows
from collab.errors import DomainError

MAX_ROWS = 2000
MAX_BYTES = 1_000_000


@dataclass
class ImportRow:
    """One data row of the file and what importing it would do."""

    line: int
    cells: dict[str, str]
    #: "add", "change", "same" or "refuse".
    action: str = "refuse"
    reason: str = ""
    before: str = ""
    after: str = ""
    #: What the apply step needs (ids and parsed values), when the row is not refused.
    payload: dict[str, object] = field(default_factory=dict)

    @property
    def action_label(self) -> str:
        return {"add": "Will be added", "change": "Will change", "same": "No change", "refuse": "Refused"}[self.action]


@dataclass
class Preview:
    rows: list[ImportRow]

    @property
    def to_apply(self) -> list[ImportRow]:
        return [r for r in self.rows if r.action in ("add", "change")]

    @property
    def refused(self) -> list[ImportRow]:
        return [r for r in self.rows if r.action == "refuse"]

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)


def read_csv(text: str, columns: Sequence[str], required: Sequence[str]) -> list[ImportRow]:
    """The file's rows keyed by column (header matched ignoring case and spaces); refuse a bad file as a whole."""
    if len(text.encode()) > MAX_BYTES:
        raise DomainError("The file is too big: it must be 1 MB or smaller", field="file")
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise DomainError("The file is empty", field="file")
    try:
        all_rows = read_rows(text)
    except ValueError:
        raise DomainError("The file could not be read as CSV", field="file") from None
    if not all_rows:
        raise DomainError("The file could not be read as CSV", field="file")
    header, body = all_rows[0], all_rows[1:]
    wanted = {c.lower().replace(" ", ""): c for c in columns}
    names = [wanted.get(h.strip().lower().replace(" ", ""), "") for h in header]
    missing = [c for c in required if c not in names]
    if missing:
        raise DomainError(f"The file's first row must name the columns. Missing: {', '.join(missing)}", field="file")
    rows: list[ImportRow] = []
    for number, cells in enumerate(body, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise DomainError(f"The file has more than {MAX_ROWS:,} rows: split it into smaller files", field="file")
        values = {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(names) if name}
        rows.append(ImportRow(line=number, cells=values))
    return rows


def number(text: str) -> Decimal:
    """A number from a cell (commas and £ allowed, at most two decimal places); ValueError with the reason."""
    cleaned = text.replace(",", "").replace("£", "").strip()
    if not cleaned:
        raise ValueError("no number given")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"\u201c{text}\u201d is not a number") from None
    if not value.is_finite() or abs(value) > Decimal("999999999999.99"):
        raise ValueError(f"\u201c{text}\u201d is not a number")
    if value != value.quantize(Decimal("0.01")):
        raise ValueError(f"\u201c{text}\u201d has more than two decimal places")
    return value
