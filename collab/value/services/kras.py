"""Key result areas: up to six, each with a baseline, a target and a minimum acceptable standard; results per period; the scorecard."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from collab import audit
from collab.accounts.models import User
from collab.alliances.models import Alliance
from collab.errors import DomainError
from collab.value.models import MAX_KRAS, Direction, KeyResultArea, KraResult, KraStatus, ValuePeriod
from collab.value.money import KraStanding
from collab.value.services.framework import periods_of
from collab.value.services.imports import ImportRow, Preview, number, read_csv

IMPORT_COLUMNS = ("Key result area", "Period", "Result", "Note")


def kras_of(session: Session, alliance: Alliance) -> list[KeyResultArea]:
    return list(session.scalars(
        select(KeyResultArea).where(KeyResultArea.alliance_id == alliance.id).order_by(KeyResultArea.position)
        .options(selectinload(KeyResultArea.results).selectinload(KraResult.period))
    ))


def _check(name: str, measure: str, unit: str, direction: Direction | str, baseline: Decimal | None,
           target: Decimal | None, minimum: Decimal | None) -> tuple[str, str, str, Direction, Decimal, Decimal, Decimal]:
    name, measure, unit = (name or "").strip(), (measure or "").strip(), (unit or "").strip()
    if not name:
        raise DomainError("Enter a name for the key result area", field="name")
    if not measure:
        raise DomainError("Say how it is measured", field="measure")
    if not unit:
        raise DomainError("Enter the unit", field="unit")
    try:
        direction = Direction(direction)
    except ValueError:
        raise DomainError("Choose whether more or less is better", field="direction") from None
    for value, label, f in ((baseline, "baseline", "baseline"), (target, "target", "target"),
                            (minimum, "minimum acceptable standard", "minimum")):
        if value is None:
            raise DomainError(f"Enter the {label}", field=f)
    assert baseline is not None and target is not None and minimum is not None
    if (direction == Direction.MORE and minimum > target) or (direction == Direction.LESS and minimum < target):
        raise DomainError("The minimum acceptable standard cannot be better than the target", field="minimum")
    return name, measure, unit, direction, baseline, target, minimum


def add_kra(session: Session, actor: User, alliance: Alliance, *, name: str, measure: str, unit: str,
            direction: Direction | str, baseline: Decimal | None, target: Decimal | None,
            minimum: Decimal | None) -> KeyResultArea:
    """Add a key result area (six at most)."""
    count = session.scalar(select(func.count()).select_from(KeyResultArea).where(KeyResultArea.alliance_id == alliance.id)) or 0
    if count >= MAX_KRAS:
        raise DomainError(f"An alliance keeps {MAX_KRAS} key result areas or fewer. Change one instead of adding another.")
    name, measure, unit, direction, baseline, target, minimum = _check(name, measure, unit, direction, baseline,
                                                                       target, minimum)
    kra = KeyResultArea(alliance=alliance, position=count + 1, name=name, measure=measure, unit=unit,
                        direction=direction, baseline=baseline, target=target, minimum=minimum)
    session.add(kra)
    session.flush()
    audit.record(session, actor, "value.kra_added", kra, alliance=alliance, label=name,
                 detail={"target": str(target), "minimum": str(minimum), "unit": unit})
    return kra


def change_kra(session: Session, actor: User, kra: KeyResultArea, *, name: str, measure: str, unit: str,
               direction: Direction | str, baseline: Decimal | None, target: Decimal | None,
               minimum: Decimal | None) -> KeyResultArea:
    """Change a key result area's definition (recorded in the audit trail with what it was)."""
    values = _check(name, measure, unit, direction, baseline, target, minimum)
    was = {"target": str(kra.target), "minimum": str(kra.minimum)}
    kra.name, kra.measure, kra.unit, kra.direction, kra.baseline, kra.target, kra.minimum = values
    session.flush()
    audit.record(session, actor, "value.kra_changed", kra, alliance=kra.alliance, label=kra.name,
                 detail={"was": was, "target": str(kra.target), "minimum": str(kra.minimum)})
    return kra


def record_result(session: Session, actor: User, kra: KeyResultArea, period: ValuePeriod, *, value: Decimal | None,
                  note: str = "") -> KraResult:
    """Enter (or correct) a key result area's result for a period."""
    if value is None:
        raise DomainError("Enter the result", field="value")
    if period.alliance_id != kra.alliance_id:
        raise DomainError("Choose a period of this alliance", field="period_id")
    result = session.scalar(select(KraResult).where(KraResult.kra_id == kra.id, KraResult.period_id == period.id))
    before = None if result is None else str(result.value)
    if result is None:
        result = KraResult(kra=kra, period=period, value=value)
        session.add(result)
    result.value, result.note, result.entered_by_id = value, (note or "").strip(), actor.id
    session.flush()
    audit.record(session, actor, "value.kra_result", result, alliance=kra.alliance, label=kra.name,
                 detail={"period": period.label, "value": str(value), "was": before, "unit": kra.unit})
    return result


@dataclass(frozen=True)
class ScoreLine:
    kra: KeyResultArea
    value: Decimal | None
    period: ValuePeriod | None
    status: KraStatus | None
    #: "Better than last period", "Worse …", "The same as …", "First result" or "" (no result).
    trend: str
    history: list[tuple[ValuePeriod, Decimal]]


def scorecard(session: Session, alliance: Alliance) -> list[ScoreLine]:
    """Each key result area's latest result against its target and minimum, with its trend."""
    lines = []
    for kra in kras_of(session, alliance):
        history = sorted(((r.period, r.value) for r in kra.results), key=lambda pv: pv[0].starts_on)
        if not history:
            lines.append(ScoreLine(kra, None, None, None, "", []))
            continue
        period, value = history[-1]
        trend = "First result"
        if len(history) > 1:
            previous = history[-2][1]
            if value == previous:
                trend = "The same as last period"
            else:
                improved = (value > previous) == (kra.direction == Direction.MORE)
                trend = "Better than last period" if improved else "Worse than last period"
        lines.append(ScoreLine(kra, value, period, kra.status_of(value), trend, history))
    return lines


def standing(lines: list[ScoreLine]) -> KraStanding:
    """The scorecard as the pain/gain model's KRA rule reads it."""
    return KraStanding(total=len(lines), met=sum(1 for s in lines if s.status == KraStatus.MET),
                       below_minimum=sum(1 for s in lines if s.status == KraStatus.BELOW_MINIMUM))


def preview_results(session: Session, alliance: Alliance, text: str) -> Preview:
    """What importing these KRA results would do, row by row."""
    rows = read_csv(text, IMPORT_COLUMNS, ("Key result area", "Period", "Result"))
    kras = {k.name.lower(): k for k in kras_of(session, alliance)}
    periods = {p.label.lower(): p for p in periods_of(session, alliance)}
    seen: dict[tuple[int, int], int] = {}
    for row in rows:
        _preview_row(row, kras, periods, seen)
    return Preview(rows)


def _preview_row(row: ImportRow, kras: dict[str, KeyResultArea], periods: dict[str, ValuePeriod],
                 seen: dict[tuple[int, int], int]) -> None:
    kra = kras.get(row.cells.get("Key result area", "").lower())
    period = periods.get(row.cells.get("Period", "").lower())
    if kra is None:
        row.reason = f"There is no key result area called \u201c{row.cells.get('Key result area', '')}\u201d"
        return
    if period is None:
        row.reason = f"There is no period called \u201c{row.cells.get('Period', '')}\u201d"
        return
    try:
        value = number(row.cells.get("Result", ""))
    except ValueError as error:
        row.reason = f"The result: {error}"
        return
    key = (kra.id, period.id)
    if key in seen:
        row.reason = f"Line {seen[key]} already gives a result for this key result area and period"
        return
    seen[key] = row.line
    note = row.cells.get("Note", "")
    existing = next((r for r in kra.results if r.period_id == period.id), None)
    row.after = f"{value} {kra.unit}"
    row.payload = {"kra": kra, "period": period, "value": value, "note": note}
    if existing is None:
        row.action = "add"
    elif existing.value == value and existing.note == note:
        row.action, row.before = "same", f"{existing.value} {kra.unit}"
    else:
        row.action, row.before = "change", f"{existing.value} {kra.unit}"


def import_results(session: Session, actor: User, alliance: Alliance, text: str) -> Preview:
    """Apply every row the preview would add or change; refused rows are left out."""
    preview = preview_results(session, alliance, text)
    for row in preview.to_apply:
        p = row.payload
        record_result(session, actor, p["kra"], p["period"], value=p["value"], note=str(p["note"]))  # type: ignore[arg-type]
    return preview
