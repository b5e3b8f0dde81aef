"""Server-drawn SVG bar charts for the value page: no JavaScript, and a data table beside each.

Each row has two bars: *committed* (an outline) and *delivered* (solid), each labelled with its
amount in words on the chart, so nothing depends on colour alone. The SVG is decorative for
screen readers only in the sense that the same figures are in the table that follows it: it
has a title and a description, and points at the table.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Protocol

from markupsafe import Markup, escape

LABEL_WIDTH = 260
BAR_WIDTH = 380
VALUE_WIDTH = 120
ROW_HEIGHT = 44
BAR_HEIGHT = 14


class Row(Protocol):
    label: str
    committed: Decimal
    delivered: Decimal


def pounds_text(value: Decimal) -> str:
    """£1,234.50 (whole pounds shown without pence)."""
    if value == value.to_integral_value():
        return f"£{value:,.0f}"
    return f"£{value:,.2f}"


def _short(label: str, limit: int = 36) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def paired_bars(chart_id: str, title: str, rows: Sequence[Row], table_id: str) -> Markup:
    """A horizontal bar chart of committed against delivered money for each row."""
    top = 34
    height = top + ROW_HEIGHT * max(len(rows), 1) + 8
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    biggest = max([*(r.committed for r in rows), *(r.delivered for r in rows), Decimal(1)])
    parts = [
        f'<svg class="collab-chart" id="{chart_id}" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">Bars for committed (outline) and delivered (solid). '
        f'The same figures are in the table below the chart.</desc>',
        # Legend
        '<rect x="0" y="6" width="18" height="12" fill="#ffffff" stroke="#0b0c0c" stroke-width="2"/>',
        '<text x="24" y="17" font-size="13" fill="#0b0c0c">Committed</text>',
        '<rect x="120" y="6" width="18" height="12" fill="#1d70b8"/>',
        '<text x="144" y="17" font-size="13" fill="#0b0c0c">Delivered (confirmed)</text>',
    ]
    if not rows:
        parts.append(f'<text x="0" y="{top + 18}" font-size="14" fill="#0b0c0c">Nothing to show yet.</text>')
    for i, row in enumerate(rows):
        y = top + i * ROW_HEIGHT
        committed_w = int(BAR_WIDTH * row.committed / biggest)
        delivered_w = int(BAR_WIDTH * row.delivered / biggest)
        parts.append(f'<text x="0" y="{y + 20}" font-size="14" fill="#0b0c0c">{escape(_short(row.label))}</text>')
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{max(committed_w, 1)}" height="{BAR_HEIGHT}" '
                     f'fill="#ffffff" stroke="#0b0c0c" stroke-width="2"/>')
        parts.append(f'<text x="{LABEL_WIDTH + max(committed_w, 1) + 6}" y="{y + 16}" font-size="12" '
                     f'fill="#0b0c0c">{pounds_text(row.committed)} committed</text>')
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{y + 22}" width="{max(delivered_w, 1)}" height="{BAR_HEIGHT}" '
                     f'fill="#1d70b8"/>')
        parts.append(f'<text x="{LABEL_WIDTH + max(delivered_w, 1) + 6}" y="{y + 34}" font-size="12" '
                     f'fill="#0b0c0c">{pounds_text(row.delivered)} delivered</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # every piece of text above is escaped
