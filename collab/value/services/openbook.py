"""Open book: each member's budget and actual spend per period, by cost line; every member sees every figure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from collab import audit
from collab.accounts.models import User
from collab.alliances.models import Alliance, Organisation
from collab.errors import DomainError
from collab.value.models import BookLine, ValuePeriod
from collab.value.services.commitments import member_organisations
from collab.value.services.framework import periods_of
from collab.value.services.imports import ImportRow, Preview, number, read_csv

IMPORT_COLUMNS = ("Period", "Cost line", "Budget", "Actual", "Note")


def lines_of(session: Session, alliance: Alliance) -> list[BookLine]:
    return list(session.scalars(
        select(BookLine).where(BookLine.alliance_id == alliance.id)
        .join(ValuePeriod, ValuePeriod.id == BookLine.period_id)
        .join(Organisation, Organisation.id == BookLine.organisation_id)
        .order_by(ValuePeriod.starts_on, Organisation.name, BookLine.cost_line)
        .options(joinedload(BookLine.organisation), joinedload(BookLine.period))
    ))


def save_line(session: Session, actor: User, alliance: Alliance, organisation: Organisation, period: ValuePeriod, *,
              cost_line: str, budget: Decimal | None, actual: Decimal | None, note: str = "") -> BookLine:
    """Record (or correct) a member's budget and actual spend on a cost line for a period."""
    cost_line = (cost_line or "").strip()
    if not cost_line:
        raise DomainError("Enter the cost line, such as Staff or Premises", field="cost_line")
    if len(cost_line) > 100:
        raise DomainError("The cost line must be 100 characters or fewer", field="cost_line")
    if budget is None:
        raise DomainError("Enter the budget", field="budget")
    if actual is None:
        raise DomainError("Enter the actual spend", field="actual")
    if budget < 0 or actual < 0:
        raise DomainError("Amounts cannot be negative", field="budget" if budget < 0 else "actual")
    if period.alliance_id != alliance.id:
        raise DomainError("Choose a period of this alliance", field="period_id")
    if organisation.id not in {o.id for o in member_organisations(session, alliance)}:
        raise DomainError("Only member organisations keep an open book here")
    line = session.scalar(select(BookLine).where(BookLine.organisation_id == organisation.id,
                                                 BookLine.period_id == period.id, BookLine.cost_line == cost_line))
    was = None if line is None else {"budget": str(line.budget), "actual": str(line.actual)}
    if line is None:
        line = BookLine(alliance=alliance, organisation=organisation, period=period, cost_line=cost_line,
                        budget=budget, actual=actual)
        session.add(line)
    line.budget, line.actual, line.note, line.updated_by_id = budget, actual, (note or "").strip(), actor.id
    session.flush()
    audit.record(session, actor, "value.book_line_saved", line, alliance=alliance, label=cost_line,
                 detail={"organisation": organisation.name, "period": period.label, "budget": str(budget),
                         "actual": str(actual), "was": was})
    return line


@dataclass
class BookTotals:
    budget: Decimal
    actual: Decimal

    @property
    def difference(self) -> Decimal:
        """Positive: spent less than the budget."""
        return self.budget - self.actual


def totals_by_organisation(lines: Sequence[BookLine]) -> dict[str, BookTotals]:
    found: dict[str, BookTotals] = {}
    for line in lines:
        t = found.setdefault(line.organisation.name, BookTotals(Decimal("0.00"), Decimal("0.00")))
        t.budget += line.budget
        t.actual += line.actual
    return found


def actual_cost_for_year(session: Session, alliance: Alliance, year: int) -> Decimal | None:
    """The open book's actual spend in periods that start in ``year`` (None when nothing is recorded)."""
    lines = [line for line in lines_of(session, alliance) if line.period.starts_on.year == year]
    if not lines:
        return None
    return sum((line.actual for line in lines), Decimal("0.00"))


def preview_lines(session: Session, alliance: Alliance, organisation: Organisation, text: str) -> Preview:
    """What importing these open-book lines for ``organisation`` would do, row by row."""
    rows = read_csv(text, IMPORT_COLUMNS, ("Period", "Cost line", "Budget", "Actual"))
    periods = {p.label.lower(): p for p in periods_of(session, alliance)}
    existing = {(line.period_id, line.cost_line.lower()): line for line in lines_of(session, alliance)
                if line.organisation_id == organisation.id}
    seen: dict[tuple[int, str], int] = {}
    for row in rows:
        _preview_row(row, periods, existing, seen)
    return Preview(rows)


def _preview_row(row: ImportRow, periods: dict[str, ValuePeriod],
                 existing: dict[tuple[int, str], BookLine], seen: dict[tuple[int, str], int]) -> None:
    period = periods.get(row.cells.get("Period", "").lower())
    cost_line = row.cells.get("Cost line", "")
    if period is None:
        row.reason = f"There is no period called \u201c{row.cells.get('Period', '')}\u201d"
        return
    if not cost_line or len(cost_line) > 100:
        row.reason = "The cost line must be given, in 100 characters or fewer"
        return
    try:
        budget = number(row.cells.get("Budget", ""))
        actual = number(row.cells.get("Actual", ""))
    except ValueError as error:
        row.reason = f"The budget or actual: {error}"
        return
    if budget < 0 or actual < 0:
        row.reason = "Amounts cannot be negative"
        return
    key = (period.id, cost_line.lower())
    if key in seen:
        row.reason = f"Line {seen[key]} already gives this cost line for this period"
        return
    seen[key] = row.line
    note = row.cells.get("Note", "")
    row.payload = {"period": period, "cost_line": cost_line, "budget": budget, "actual": actual, "note": note}
    row.after = f"budget £{budget:,}, actual £{actual:,}"
    line = existing.get(key)
    if line is None:
        row.action = "add"
    else:
        row.before = f"budget £{line.budget:,}, actual £{line.actual:,}"
        same = line.budget == budget and line.actual == actual and line.note == note
        row.action = "same" if same else "change"


def import_lines(session: Session, actor: User, alliance: Alliance, organisation: Organisation, text: str) -> Preview:
    """Apply every row the preview would add or change; refused rows are left out."""
    preview = preview_lines(session, alliance, organisation, text)
    for row in preview.to_apply:
        p = row.payload
        save_line(session, actor, alliance, organisation, p["period"], cost_line=str(p["cost_line"]),  # type: ignore[arg-type]
                  budget=p["budget"], actual=p["actual"], note=str(p["note"]))  # type: ignore[arg-type]
    return preview
