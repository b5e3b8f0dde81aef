"""Value, not price: the alliance's social value framework, commitments and reports, and pain/gain shares.

- ``ValueTheme`` → ``ValueOutcome`` → ``ValueMeasure``: the framework each alliance keeps.
  A measure's definition (name, unit, direction, money proxy) lives in ``ValueMeasureVersion``;
  changing it adds a version, and every report points at the version it was made against.
- ``ValuePeriod``: a reporting period with the date reports are due.
- ``ValueCommitment``: what one member organisation commits to on one measure in one period;
  ``ValueReport``: what it delivered, with a note and evidence, confirmed or queried by a
  commissioner (the query thread is a shared comment thread on subject "value_report").
- ``TargetCost`` and ``ShareLine``: the risk-and-reward model (pain/gain shares per member).

Money and amounts are ``Numeric`` (``Decimal`` in Python), never floating point.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from collab.accounts.models import User
from collab.alliances.models import Alliance, Organisation, _enum
from collab.db import Base, UTCDateTime, utcnow

#: Amounts people report (people, hours, tonnes, pounds): up to a billion, two decimal places.
AMOUNT = Numeric(14, 2)
#: A share of a gain or a pain, in percent with four decimal places (33.3333).
PERCENT = Numeric(7, 4)


class Direction(StrEnum):
    MORE = "more"
    LESS = "less"

    @property
    def label(self) -> str:
        return {"more": "More is better", "less": "Less is better"}[self.value]


class ReportStatus(StrEnum):
    SUBMITTED = "submitted"
    CONFIRMED = "confirmed"
    QUERIED = "queried"

    @property
    def label(self) -> str:
        return {"submitted": "Waiting to be confirmed", "confirmed": "Confirmed", "queried": "Queried"}[self.value]

    @property
    def tag_class(self) -> str:
        return {"submitted": "govuk-tag--blue", "confirmed": "govuk-tag--green", "queried": "govuk-tag--orange"}[self.value]


class GainRule(StrEnum):
    """How gain is tied to performance on the key result areas."""

    NONE = "none"
    GATE = "gate"
    SCALED = "scaled"
    GATE_AND_SCALED = "gate_and_scaled"

    @property
    def label(self) -> str:
        return {
            "none": "Gain is shared whatever the key result areas show",
            "gate": "No gain is paid while any key result area is below its minimum standard",
            "scaled": "Gain is scaled by the share of key result areas that meet their target",
            "gate_and_scaled": "No gain below any minimum standard; otherwise scaled by the share of targets met",
        }[self.value]


class ValueTheme(Base):
    __tablename__ = "value_theme"

    id: Mapped[int] = mapped_column(primary_key=True)
    alliance_id: Mapped[int] = mapped_column(ForeignKey("alliance.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")

    alliance: Mapped[Alliance] = relationship()
    outcomes: Mapped[list[ValueOutcome]] = relationship(
        back_populates="theme", order_by="ValueOutcome.position", cascade="all, delete-orphan"
    )


class ValueOutcome(Base):
    __tablename__ = "value_outcome"

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("value_theme.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(300))

    theme: Mapped[ValueTheme] = relationship(back_populates="outcomes")
    measures: Mapped[list[ValueMeasure]] = relationship(
        back_populates="outcome", order_by="ValueMeasure.id", cascade="all, delete-orphan"
    )

    @property
    def alliance(self) -> Alliance:
        return self.theme.alliance


class ValueMeasure(Base):
    """A measure's identity; its definition is in its versions."""

    __tablename__ = "value_measure"

    id: Mapped[int] = mapped_column(primary_key=True)
    alliance_id: Mapped[int] = mapped_column(ForeignKey("alliance.id", ondelete="CASCADE"), index=True)
    outcome_id: Mapped[int] = mapped_column(ForeignKey("value_outcome.id", ondelete="CASCADE"), index=True)
    #: The number of the version in use (the newest).
    current_number: Mapped[int] = mapped_column(Integer, default=1)

    alliance: Mapped[Alliance] = relationship()
    outcome: Mapped[ValueOutcome] = relationship(back_populates="measures")
    versions: Mapped[list[ValueMeasureVersion]] = relationship(
        back_populates="measure", order_by="ValueMeasureVersion.number", cascade="all, delete-orphan"
    )

    @property
    def current(self) -> ValueMeasureVersion:
        return next(v for v in self.versions if v.number == self.current_number)


class ValueMeasureVersion(Base):
    """One definition of a measure; never changed once written."""

    __tablename__ = "value_measure_version"
    __table_args__ = (UniqueConstraint("measure_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("value_measure.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(300))
    #: What is counted: "people", "hours", "£", "tonnes CO2e" …
    unit: Mapped[str] = mapped_column(String(40))
    direction: Mapped[Direction] = mapped_column(_enum(Direction, "value_direction"), default=Direction.MORE)
    #: Pounds of social value per unit, if the alliance uses one, with where the figure comes from.
    proxy_per_unit: Mapped[Decimal | None] = mapped_column(AMOUNT)
    proxy_source: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    measure: Mapped[ValueMeasure] = relationship(back_populates="versions")


class ValuePeriod(Base):
    __tablename__ = "value_period"
    __table_args__ = (UniqueConstraint("alliance_id", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    alliance_id: Mapped[int] = mapped_column(ForeignKey("alliance.id", ondelete="CASCADE"), index=True)
    #: Such as "April to September 2026".
    label: Mapped[str] = mapped_column(String(100))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    #: Reports not in by this date are late.
    reports_due_on: Mapped[date] = mapped_column(Date)

    alliance: Mapped[Alliance] = relationship()


class ValueCommitment(Base):
    __tablename__ = "value_commitment"
    __table_args__ = (UniqueConstraint("organisation_id", "measure_id", "period_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    alliance_id: Mapped[int] = mapped_column(ForeignKey("alliance.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="RESTRICT"), index=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("value_measure.id", ondelete="CASCADE"), index=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("value_period.id", ondelete="CASCADE"), index=True)
    target: Mapped[Decimal] = mapped_column(AMOUNT)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    alliance: Mapped[Alliance] = relationship()
    organisation: Mapped[Organisation] = relationship()
    measure: Mapped[ValueMeasure] = relationship()
    period: Mapped[ValuePeriod] = relationship()
    report: Mapped[ValueReport | None] = relationship(back_populates="commitment", uselist=False)


class ValueReport(Base):
    """What a member delivered against one commitment; one per commitment, changed after a query."""

    __tablename__ = "value_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("value_commitment.id", ondelete="CASCADE"), unique=True
    )
    #: The definition of the measure this report was made against (kept when the measure changes).
    measure_version_id: Mapped[int] = mapped_column(ForeignKey("value_measure_version.id", ondelete="RESTRICT"))
    amount: Mapped[Decimal] = mapped_column(AMOUNT)
    note: Mapped[str] = mapped_column(Text, default="")
    evidence_url: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[ReportStatus] = mapped_column(_enum(ReportStatus, "value_report_status"), default=ReportStatus.SUBMITTED)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    commitment: Mapped[ValueCommitment] = relationship(back_populates="report")
    measure_version: Mapped[ValueMeasureVersion] = relationship()
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    @property
    def alliance(self) -> Alliance:
        return self.commitment.alliance

    @property
    def is_late(self) -> bool:
        return self.submitted_at.date() > self.commitment.period.reports_due_on


class TargetCost(Base):
    """The target outcome cost for one year and the rule tying gain to the key result areas."""

    __tablename__ = "value_target_cost"
    __table_args__ = (UniqueConstraint("alliance_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    alliance_id: Mapped[int] = mapped_column(ForeignKey("alliance.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    amount: Mapped[Decimal] = mapped_column(AMOUNT)
    rule: Mapped[GainRule] = mapped_column(_enum(GainRule, "value_gain_rule"), default=GainRule.GATE)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    alliance: Mapped[Alliance] = relationship()
    shares: Mapped[list[ShareLine]] = relationship(
        back_populates="target_cost", order_by="ShareLine.id", cascade="all, delete-orphan"
    )


class ShareLine(Base):
    """One member's share of gain and pain, its pain cap and contract value."""

    __tablename__ = "value_share_line"
    __table_args__ = (UniqueConstraint("target_cost_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    target_cost_id: Mapped[int] = mapped_column(ForeignKey("value_target_cost.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="RESTRICT"))
    gain_share: Mapped[Decimal] = mapped_column(PERCENT)
    pain_share: Mapped[Decimal] = mapped_column(PERCENT)
    #: The most pain this member carries in the year (None: no cap).
    pain_cap: Mapped[Decimal | None] = mapped_column(AMOUNT)
    contract_value: Mapped[Decimal] = mapped_column(AMOUNT)

    target_cost: Mapped[TargetCost] = relationship(back_populates="shares")
    organisation: Mapped[Organisation] = relationship()


#: An alliance keeps six key result areas or fewer (the alliance contracting norm).
MAX_KRAS = 6


class KraStatus(StrEnum):
    MET = "met"
    ABOVE_MINIMUM = "above_minimum"
    BELOW_MINIMUM = "below_minimum"

    @property
    def label(self) -> str:
        return {
            "met": "Target met",
            "above_minimum": "Below target, above the minimum",
            "below_minimum": "Below the minimum acceptable standard",
        }[self.value]

    @property
    def tag_class(self) -> str:
        return {"met": "govuk-tag--green", "above_minimum": "govuk-tag--yellow",
                "below_minimum": "govuk-tag--red"}[self.value]


class KeyResultArea(Base):
    """One of the alliance's key result areas: its measure, baseline, target and minimum acceptable standard."""

    __tablename__ = "value_kra"

    id: Mapped[int] = mapped_column(primary_key=True)
    alliance_id: Mapped[int] = mapped_column(ForeignKey("alliance.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    #: How it is measured, in words ("People seen within 4 hours of asking for crisis help").
    measure: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(String(40))
    direction: Mapped[Direction] = mapped_column(_enum(Direction, "value_direction"), default=Direction.MORE)
    baseline: Mapped[Decimal] = mapped_column(AMOUNT)
    target: Mapped[Decimal] = mapped_column(AMOUNT)
    minimum: Mapped[Decimal] = mapped_column(AMOUNT)

    alliance: Mapped[Alliance] = relationship()
    results: Mapped[list[KraResult]] = relationship(back_populates="kra", cascade="all, delete-orphan")

    def status_of(self, value: Decimal) -> KraStatus:
        better = (lambda a, b: a >= b) if self.direction == Direction.MORE else (lambda a, b: a <= b)
        if better(value, self.target):
            return KraStatus.MET
        if better(value, self.minimum):
            return KraStatus.ABOVE_MINIMUM
        return KraStatus.BELOW_MINIMUM


class KraResult(Base):
    """A key result area's result for one period."""

    __tablename__ = "value_kra_result"
    __table_args__ = (UniqueConstraint("kra_id", "period_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kra_id: Mapped[int] = mapped_column(ForeignKey("value_kra.id", ondelete="CASCADE"), index=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("value_period.id", ondelete="CASCADE"), index=True)
    value: Mapped[Decimal] = mapped_column(AMOUNT)
    note: Mapped[str] = mapped_column(Text, default="")
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    kra: Mapped[KeyResultArea] = relationship(back_populates="results")
    period: Mapped[ValuePeriod] = relationship()


class BookLine(Base):
    """Open book: one member's budget and actual spend on one cost line in one period."""

    __tablename__ = "value_book_line"
    __table_args__ = (UniqueConstraint("organisation_id", "period_id", "cost_line"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    alliance_id: Mapped[int] = mapped_column(ForeignKey("alliance.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="RESTRICT"), index=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("value_period.id", ondelete="CASCADE"), index=True)
    #: Such as "Staff", "Premises", "Travel".
    cost_line: Mapped[str] = mapped_column(String(100))
    budget: Mapped[Decimal] = mapped_column(AMOUNT)
    actual: Mapped[Decimal] = mapped_column(AMOUNT)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    alliance: Mapped[Alliance] = relationship()
    organisation: Mapped[Organisation] = relationship()
    period: Mapped[ValuePeriod] = relationship()


# Quality-led evaluation lives in its own module; imported here so ``collab.value.models`` names every table.
from collab.value.evaluation_models import (  # noqa: E402, F401
    CriterionGroup,
    EvaluationBid,
    EvaluationCriterion,
    EvaluationFloors,
    EvaluationModel,
    EvaluationStage,
    Panellist,
    PanelScore,
)
from collab.value.link_models import ScenarioAttachment, SpecKraLink, ValueScenario  # noqa: E402, F401
