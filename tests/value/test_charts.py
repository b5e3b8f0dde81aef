"""The value page's SVG bar charts keep every label inside the chart; percentages read as plain numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from collab.value.charts import (
    BAR_WIDTH,
    CHAR_WIDTH,
    LABEL_LINE,
    LABEL_WIDTH,
    VALUE_WIDTH,
    label_lines,
    paired_bars,
    plain_number,
)

LONG = "Riverside Community Mental Health and Wellbeing Partnership Trust Limited"


@dataclass
class Row:
    label: str
    committed: Decimal
    delivered: Decimal


def test_a_long_name_wraps_to_two_lines_and_keeps_the_full_name_as_a_title():
    lines = label_lines(LONG)
    assert len(lines) == 2 and all(len(line) <= LABEL_LINE for line in lines)
    assert lines[1].endswith("…")
    svg = str(paired_bars("c", "Chart", [Row(LONG, Decimal("1234567.89"), Decimal("999999"))], "t"))
    assert f"<title>{LONG}</title>" in svg
    assert svg.count("<tspan") == 2
    # A short name stays on one line, with no extra title.
    short = str(paired_bars("c", "Chart", [Row("Mind", Decimal(1), Decimal(1))], "t"))
    assert "<title>Mind</title>" not in short and short.count("<tspan") == 1


def test_no_text_runs_past_the_right_edge_of_the_chart():
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    rows = [Row(LONG, Decimal("123456789.12"), Decimal("123456789.12")), Row("Small", Decimal(1), Decimal("0.5"))]
    svg = str(paired_bars("c", "Chart", rows, "t"))
    for x, anchor, text in re.findall(r'<text x="(\d+)" y="\d+" font-size="12"( text-anchor="end")?[^>]*>([^<]+)</text>', svg):
        start = int(x) - (len(text) * CHAR_WIDTH if anchor else 0)
        end = int(x) + (0 if anchor else len(text) * CHAR_WIDTH)
        assert start >= 0 and end <= width, (text, start, end)
    for line in re.findall(r"<tspan[^>]*>([^<]+)</tspan>", svg):
        assert len(line) * CHAR_WIDTH <= LABEL_WIDTH


def test_percentages_read_as_plain_numbers():
    assert plain_number(Decimal("80.0000")) == "80"
    assert plain_number(Decimal("33.3300")) == "33.33"
    assert plain_number(Decimal("100.0000")) == "100"
