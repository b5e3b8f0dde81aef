"""Saved pain/gain scenarios, and the value rows that point into other areas.

- ``ValueScenario``: a modeller result someone saved, with a copy of the model it was worked
  out from (target, rule and shares as text), so its figures never change afterwards.
- ``ScenarioAttachment``: a saved scenario attached to a proposal on the agreement's
  risk-and-reward clause (shown on the proposal's page).
- ``SpecKraLink``: a specification section (usually "Key result areas") that speaks to a KRA.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from collab.accounts.models import User
from collab.alliances.models import Alliance
from collab.db import Base, UTCDateTime, utcnow
from collab.value.models import AMOUNT  # models.py imports this module at its end, after AMOUNT


class ValueScenario(Base):
    """A pain/gain scenario saved from the modeller."""

    __tablename__ = "value_scenario"

    id: Mapped[int] = mapped_column(primary_key=True)
    alliance_id: Mapped[int] = mapped_column(ForeignKey("alliance.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    #: The year of the target outcome cost it was worked out from.
    year: Mapped[int] = mapped_column(Integer)
    actual: Mapped[Decimal] = mapped_column(AMOUNT)
    kras_total: Mapped[int] = mapped_column(Integer)
    kras_met: Mapped[int] = mapped_column(Integer)
    kras_below: Mapped[int] = mapped_column(Integer)
    #: The model as it was when saved: {"target": "1000000.00", "rule": "gate", "members": [{"key": 3,
    #: "name": ..., "gain_share": "25", "pain_share": "25", "pain_cap": null, "contract_value": ...}]}.
    #: Amounts are kept as text, so they come back as Decimal, never float.
    model: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    alliance: Mapped[Alliance] = relationship()
    created_by: Mapped[User | None] = relationship()
    attachments: Mapped[list[ScenarioAttachment]] = relationship(back_populates="scenario",
                                                                 cascade="all, delete-orphan")


class ScenarioAttachment(Base):
    """A saved scenario attached to an agreement proposal."""

    __tablename__ = "value_scenario_attachment"
    __table_args__ = (UniqueConstraint("scenario_id", "proposal_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    alliance_id: Mapped[int] = mapped_column(ForeignKey("alliance.id", ondelete="CASCADE"), index=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("value_scenario.id", ondelete="CASCADE"), index=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), index=True)
    attached_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    attached_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    scenario: Mapped[ValueScenario] = relationship(back_populates="attachments")


class SpecKraLink(Base):
    """A specification section that speaks to one of the alliance's key result areas."""

    __tablename__ = "value_spec_kra_link"
    __table_args__ = (UniqueConstraint("section_id", "kra_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    alliance_id: Mapped[int] = mapped_column(ForeignKey("alliance.id", ondelete="CASCADE"), index=True)
    spec_id: Mapped[int] = mapped_column(ForeignKey("spec.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("spec_section.id", ondelete="CASCADE"), index=True)
    kra_id: Mapped[int] = mapped_column(ForeignKey("value_kra.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
