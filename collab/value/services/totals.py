"""The alliance's value page: committed against delivered, by theme, organisation, size and period.

Two kinds of total are kept apart and never added together:

- **money** (pounds): a measure's amount times its money proxy per unit, for measures that have
  one. Committed uses the measure's current proxy; delivered uses the proxy of the version each
  report was made against. Only *confirmed* reports count as delivered.
- **counts**, in each measure's own unit (people, hours, tonnes): one row per measure, never
  summed across measures, because people and hours do not add up.

In-kind value from shared resources (``collab.value.in_kind``) is money, shown on its own line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from sqlalchemy.orm import Session

from collab import audit
from collab.alliances.models import Alliance, SizeBand
from collab.value.in_kind import InKindLine, in_kind_lines
from collab.value.models import ReportStatus, ValueCommitment
from collab.value.services.commitments import commitments_of
from collab.value.services.framework import periods_of

ZERO = Decimal("0.00")


def pounds(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)


@dataclass
class MoneyRow:
    label: str
    committed: Decimal = ZERO
    delivered: Decimal = ZERO
    #: Delivered but not yet confirmed (shown, not counted).
    waiting: Decimal = ZERO

    @property
    def percent_delivered(self) -> int | None:
        if not self.committed:
            return None
        return int((self.delivered * 100 / self.committed).to_integral_value(rounding=ROUND_HALF_EVEN))


@dataclass
class CountRow:
    theme: str
    measure: str
    unit: str
    direction: str
    committed: Decimal = ZERO
    delivered: Decimal = ZERO
    reports: int = 0


@dataclass
class ValueTotals:
    committed: Decimal = ZERO
    delivered: Decimal = ZERO
    waiting: Decimal = ZERO
    by_theme: list[MoneyRow] = field(default_factory=list)
    by_organisation: list[MoneyRow] = field(default_factory=list)
    by_size: list[MoneyRow] = field(default_factory=list)
    by_period: list[MoneyRow] = field(default_factory=list)
    counts: list[CountRow] = field(default_factory=list)
    in_kind: list[InKindLine] = field(default_factory=list)
    in_kind_total: Decimal = ZERO
    #: Share of delivered money from micro and small organisations (percent), if any delivered.
    small_share: int | None = None
    commitments: int = 0
    confirmed: int = 0


def _delivered(c: ValueCommitment) -> tuple[Decimal, Decimal, Decimal | None]:
    """(money delivered if confirmed, money waiting, count delivered if confirmed) for one commitment."""
    report = c.report
    if report is None or report.status == ReportStatus.QUERIED:
        return ZERO, ZERO, None
    proxy = report.measure_version.proxy_per_unit
    money = report.amount * proxy if proxy is not None else ZERO
    if report.status == ReportStatus.CONFIRMED:
        return money, ZERO, report.amount
    return ZERO, money, None


def value_totals(session: Session, alliance: Alliance) -> ValueTotals:
    """Everything the value page and its CSV files show (a fixed number of queries)."""
    commitments = commitments_of(session, alliance)
    totals = ValueTotals(commitments=len(commitments))
    themes: dict[str, MoneyRow] = {}
    orgs: dict[str, MoneyRow] = {}
    sizes = {band: MoneyRow(band.short_label) for band in SizeBand}
    periods = {p.id: MoneyRow(p.label) for p in periods_of(session, alliance)}
    counts: dict[int, CountRow] = {}
    for c in commitments:
        current = c.measure.current
        theme_name = c.measure.outcome.theme.name
        committed = c.target * current.proxy_per_unit if current.proxy_per_unit is not None else ZERO
        delivered, waiting, count = _delivered(c)
        if count is not None:
            totals.confirmed += 1
        rows = (
            themes.setdefault(theme_name, MoneyRow(theme_name)),
            orgs.setdefault(c.organisation.name, MoneyRow(c.organisation.name)),
            sizes[c.organisation.size_band],
            periods.setdefault(c.period_id, MoneyRow(c.period.label)),
        )
        for row in rows:
            row.committed += committed
            row.delivered += delivered
            row.waiting += waiting
        totals.committed += committed
        totals.delivered += delivered
        totals.waiting += waiting
        count_row = counts.setdefault(c.measure_id, CountRow(theme_name, current.name, current.unit,
                                                              current.direction.label))
        count_row.committed += c.target
        if count is not None:
            count_row.delivered += count
            count_row.reports += 1
    for row in [*themes.values(), *orgs.values(), *sizes.values(), *periods.values()]:
        row.committed, row.delivered, row.waiting = pounds(row.committed), pounds(row.delivered), pounds(row.waiting)
    totals.committed, totals.delivered, totals.waiting = (
        pounds(totals.committed), pounds(totals.delivered), pounds(totals.waiting))
    totals.by_theme = list(themes.values())
    totals.by_organisation = sorted(orgs.values(), key=lambda r: r.label)
    totals.by_size = list(sizes.values())
    totals.by_period = list(periods.values())
    totals.counts = list(counts.values())
    if totals.delivered:
        small = sizes[SizeBand.MICRO].delivered + sizes[SizeBand.SMALL].delivered
        totals.small_share = int((small * 100 / totals.delivered).to_integral_value(rounding=ROUND_HALF_EVEN))
    totals.in_kind = in_kind_lines(session, alliance)
    totals.in_kind_total = pounds(sum((line.value for line in totals.in_kind), ZERO))
    return totals


#: What each download is, in the activity's words.
DOWNLOADS = {
    "theme": "the value by theme", "organisation": "the value by organisation",
    "size": "the value by organisation size", "period": "the value over time",
    "counts": "the social value counts", "in-kind": "the in-kind value of shared resources",
    "scorecard": "the scorecard", "open-book": "the open book", "commitments": "the commitments and reports",
    "open-contracting": "the open contracting data", "report": "the value report",
}
#: The file formats, in words.
FORMATS = {"csv": "a spreadsheet (CSV)", "json": "a data file (JSON)", "pdf": "a printable file (PDF)"}


def record_download(session: Session, actor: Any, alliance: Alliance, what: str, file_format: str) -> None:
    """Record in the alliance's activity that someone downloaded one of its value files."""
    audit.record(session, actor, "value.downloaded", alliance, alliance=alliance, label=alliance.name,
                 detail={"what": DOWNLOADS[what], "format": FORMATS[file_format]})
