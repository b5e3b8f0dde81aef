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


def plain_number(value: Decimal) -> str:
    """80.0000 as "80" and 33.3300 as "33.33" (``normalize()`` alone would give "8E+1")."""
    text = f"{value.normalize():f}"
    return text


#: Characters of a row's label per line (two lines at most), and of a value label's width per character.
LABEL_LINE = 30
CHAR_WIDTH = 7


def label_lines(label: str, limit: int = LABEL_LINE) -> list[str]:
    """A row's label in at most two lines of ``limit`` characters, the second ending in "…" if cut."""
    words, lines, line = label.split(), [], ""
    for word in words:
        if len(word) > limit:
            word = word[: limit - 1] + "\u2026"
        if line and len(line) + 1 + len(word) > limit:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    if len(lines) > 2:
        second = lines[1]
        lines = [lines[0], (second if len(second) < limit else second[: limit - 1].rstrip()) + "\u2026"]
    return lines or [""]


def _bar_text(x_end: int, y: int, text: str, width: int, inside_fill: str) -> str:
    """A bar's amount after the bar, or inside its end when it would run past the chart's edge."""
    if x_end + 6 + len(text) * CHAR_WIDTH <= width:
        return f'<text x="{x_end + 6}" y="{y}" font-size="12" fill="#0b0c0c">{escape(text)}</text>'
    return (f'<text x="{x_end - 6}" y="{y}" font-size="12" text-anchor="end" fill="{inside_fill}">'
            f'{escape(text)}</text>')


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
        committed_w = max(int(BAR_WIDTH * row.committed / biggest), 1)
        delivered_w = max(int(BAR_WIDTH * row.delivered / biggest), 1)
        lines = label_lines(row.label)
        # The full name is in the table below; a cut label keeps it as the text's title (a tooltip).
        title = f"<title>{escape(row.label)}</title>" if " ".join(lines) != " ".join(row.label.split()) else ""
        spans = "".join(f'<tspan x="0" y="{y + (16 if len(lines) > 1 else 20) + n * 16}">{escape(line)}</tspan>'
                        for n, line in enumerate(lines))
        parts.append(f'<text font-size="13" fill="#0b0c0c">{title}{spans}</text>')
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{committed_w}" height="{BAR_HEIGHT}" '
                     f'fill="#ffffff" stroke="#0b0c0c" stroke-width="2"/>')
        parts.append(_bar_text(LABEL_WIDTH + committed_w, y + 16, f"{pounds_text(row.committed)} committed",
                               width, "#0b0c0c"))
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{y + 22}" width="{delivered_w}" height="{BAR_HEIGHT}" '
                     f'fill="#1d70b8"/>')
        parts.append(_bar_text(LABEL_WIDTH + delivered_w, y + 34, f"{pounds_text(row.delivered)} delivered",
                               width, "#ffffff"))
    parts.append("</svg>")
    return Markup("".join(parts))  # every piece of text above is escaped
