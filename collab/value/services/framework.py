"""The alliance's social value framework: themes, outcomes, measures (versioned) and reporting periods."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from collab import audit
from collab.accounts.models import User
from collab.alliances.models import Alliance
from collab.errors import DomainError
from collab.value.models import (
    Direction,
    ValueMeasure,
    ValueMeasureVersion,
    ValueOutcome,
    ValuePeriod,
    ValueTheme,
)

_STARTER_SOURCE = (
    "Starter figure written for Collab, not taken from a published list. "
    "Check it against your own local evidence and change it before you rely on it."
)
_FACE_VALUE = "Money spent: counted at its face value."

#: The starter set: written for Collab (not the licensed National TOMs list). Every part is editable.
STARTER_SET: list[tuple[str, str, list[tuple[str, list[tuple[str, str, Direction, str | None, str]]]]]] = [
    ("A fairer local economy", "Money and work stay in the area and reach people who need them.", [
        ("More local people in good, fairly paid work", [
            ("Local people employed to deliver the service", "people", Direction.MORE, None, ""),
            ("Hours of paid work experience for people with lived experience", "hours", Direction.MORE,
             "12.00", _STARTER_SOURCE),
        ]),
        ("More money spent with local and small organisations", [
            ("Money spent with organisations based in the area", "£", Direction.MORE, "1.00", _FACE_VALUE),
            ("Money spent with micro and small organisations, charities and social enterprises", "£",
             Direction.MORE, "1.00", _FACE_VALUE),
        ]),
    ]),
    ("Wellbeing and a stronger community", "People are connected, take part and help shape services.", [
        ("People take part and help each other", [
            ("Volunteer hours given by staff to local groups", "hours", Direction.MORE, "15.00", _STARTER_SOURCE),
            ("Peer support sessions run in community spaces", "sessions", Direction.MORE, None, ""),
        ]),
        ("People with lived experience shape services", [
            ("Hours of paid involvement by people with lived experience", "hours", Direction.MORE, None, ""),
        ]),
    ]),
    ("The environment", "Running the service does less harm to the place we live.", [
        ("Less carbon from running the service", [
            ("Carbon emissions from staff travel and buildings", "tonnes CO2e", Direction.LESS, None, ""),
        ]),
        ("Less waste", [
            ("Items of furniture and equipment reused instead of bought new", "items", Direction.MORE, None, ""),
        ]),
    ]),
]


def load_framework(session: Session, alliance: Alliance) -> list[ValueTheme]:
    """Every theme with its outcomes, measures and their versions (four queries)."""
    return list(session.scalars(
        select(ValueTheme).where(ValueTheme.alliance_id == alliance.id).order_by(ValueTheme.position)
        .options(selectinload(ValueTheme.outcomes).selectinload(ValueOutcome.measures)
                 .selectinload(ValueMeasure.versions))
    ))


def measures_of(session: Session, alliance: Alliance) -> list[ValueMeasure]:
    return list(session.scalars(
        select(ValueMeasure).where(ValueMeasure.alliance_id == alliance.id).order_by(ValueMeasure.id)
        .options(selectinload(ValueMeasure.versions),
                 selectinload(ValueMeasure.outcome).selectinload(ValueOutcome.theme))
    ))


def _text(value: str, label: str, limit: int, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(f"Enter {label}", field=field)
    if len(value) > limit:
        raise DomainError(f"{label.capitalize()} must be {limit} characters or fewer", field=field)
    return value


def add_theme(session: Session, actor: User, alliance: Alliance, *, name: str, description: str = "") -> ValueTheme:
    """Add a theme at the end of the framework."""
    name = _text(name, "the theme's name", 200, "name")
    position = (session.scalar(select(func.max(ValueTheme.position)).where(ValueTheme.alliance_id == alliance.id)) or 0) + 1
    theme = ValueTheme(alliance=alliance, position=position, name=name, description=(description or "").strip())
    session.add(theme)
    session.flush()
    audit.record(session, actor, "value.theme_added", theme, alliance=alliance, label=name)
    return theme


def add_outcome(session: Session, actor: User, theme: ValueTheme, *, name: str) -> ValueOutcome:
    """Add an outcome under a theme."""
    name = _text(name, "the outcome", 300, "name")
    position = len(theme.outcomes) + 1
    outcome = ValueOutcome(theme=theme, position=position, name=name)
    session.add(outcome)
    session.flush()
    audit.record(session, actor, "value.outcome_added", outcome, alliance=theme.alliance, label=name,
                 detail={"theme": theme.name})
    return outcome


def _definition(name: str, unit: str, direction: Direction | str, proxy: Decimal | None,
                source: str) -> tuple[str, str, Direction, Decimal | None, str]:
    name = _text(name, "the measure's name", 300, "name")
    unit = _text(unit, "the unit", 40, "unit")
    try:
        direction = Direction(direction)
    except ValueError:
        raise DomainError("Choose whether more or less is better", field="direction") from None
    source = (source or "").strip()
    if proxy is not None:
        if isinstance(proxy, float):
            raise TypeError("a money proxy must be a Decimal")
        if proxy < 0:
            raise DomainError("The money value per unit cannot be negative", field="proxy_per_unit")
        if not source:
            raise DomainError("Say where the money value per unit comes from", field="proxy_source")
        if direction == Direction.LESS:
            raise DomainError("A money value per unit only works when more is better", field="proxy_per_unit")
    else:
        source = ""
    return name, unit, direction, proxy, source


def add_measure(session: Session, actor: User, outcome: ValueOutcome, *, name: str, unit: str,
                direction: Direction | str, proxy_per_unit: Decimal | None = None, proxy_source: str = "") -> ValueMeasure:
    """Add a measure under an outcome (its first version)."""
    name, unit, direction, proxy, source = _definition(name, unit, direction, proxy_per_unit, proxy_source)
    measure = ValueMeasure(alliance=outcome.alliance, outcome=outcome, current_number=1)
    measure.versions.append(ValueMeasureVersion(
        number=1, name=name, unit=unit, direction=direction, proxy_per_unit=proxy, proxy_source=source,
        created_by_id=actor.id,
    ))
    session.add(measure)
    session.flush()
    audit.record(session, actor, "value.measure_added", measure, alliance=outcome.alliance, label=name)
    return measure


def change_measure(session: Session, actor: User, measure: ValueMeasure, *, name: str, unit: str,
                   direction: Direction | str, proxy_per_unit: Decimal | None = None,
                   proxy_source: str = "") -> ValueMeasureVersion:
    """Change a measure's definition: a new version; reports keep the version they were made against."""
    name, unit, direction, proxy, source = _definition(name, unit, direction, proxy_per_unit, proxy_source)
    current = measure.current
    if (current.name, current.unit, current.direction, current.proxy_per_unit, current.proxy_source) == (
        name, unit, direction, proxy, source
    ):
        raise DomainError("Nothing has changed: change the definition, or go back")
    version = ValueMeasureVersion(
        number=current.number + 1, name=name, unit=unit, direction=direction, proxy_per_unit=proxy,
        proxy_source=source, created_by_id=actor.id,
    )
    measure.versions.append(version)
    measure.current_number = version.number
    session.flush()
    audit.record(session, actor, "value.measure_changed", measure, alliance=measure.alliance, label=name,
                 detail={"version": version.number, "was": current.name})
    return version


def add_starter_set(session: Session, actor: User, alliance: Alliance) -> int:
    """Fill an empty framework with the starter set; returns the number of measures added."""
    if session.scalar(select(func.count()).select_from(ValueTheme).where(ValueTheme.alliance_id == alliance.id)):
        raise DomainError("The framework already has themes. The starter set can only fill an empty framework.")
    count = 0
    for theme_name, description, outcomes in STARTER_SET:
        theme = add_theme(session, actor, alliance, name=theme_name, description=description)
        for outcome_name, measures in outcomes:
            outcome = add_outcome(session, actor, theme, name=outcome_name)
            for name, unit, direction, proxy, source in measures:
                add_measure(session, actor, outcome, name=name, unit=unit, direction=direction,
                            proxy_per_unit=Decimal(proxy) if proxy else None, proxy_source=source)
                count += 1
    return count


def periods_of(session: Session, alliance: Alliance) -> list[ValuePeriod]:
    return list(session.scalars(
        select(ValuePeriod).where(ValuePeriod.alliance_id == alliance.id).order_by(ValuePeriod.starts_on)
    ))


def add_period(session: Session, actor: User, alliance: Alliance, *, label: str, starts_on: date,
               ends_on: date, reports_due_on: date) -> ValuePeriod:
    """Add a reporting period."""
    label = _text(label, "a name for the period", 100, "label")
    if ends_on < starts_on:
        raise DomainError("The period must end after it starts", field="ends_on")
    if reports_due_on < ends_on:
        raise DomainError("Reports can only be due once the period has ended", field="reports_due_on")
    if session.scalar(select(ValuePeriod.id).where(ValuePeriod.alliance_id == alliance.id, ValuePeriod.label == label)):
        raise DomainError("There is already a period with that name", field="label")
    period = ValuePeriod(alliance=alliance, label=label, starts_on=starts_on, ends_on=ends_on,
                         reports_due_on=reports_due_on)
    session.add(period)
    session.flush()
    audit.record(session, actor, "value.period_added", period, alliance=alliance, label=label,
                 detail={"due": reports_due_on.isoformat()})
    return period
