"""Quality-led evaluation: models with weighted criteria, example bids, panels and their scores."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from collab.accounts.models import User
from collab.alliances.models import Alliance, _enum
from collab.db import Base, UTCDateTime, utcnow
from collab.value.models import AMOUNT, PERCENT  # models.py imports this module at its end, after these


class CriterionGroup(StrEnum):
    QUALITY = "quality"
    SOCIAL_VALUE = "social_value"
    COST = "cost"

    @property
    def label(self) -> str:
        return {"quality": "Quality", "social_value": "Social value", "cost": "Cost"}[self.value]


class EvaluationStage(StrEnum):
    DRAFT = "draft"
    SCORING = "scoring"
    DECIDED = "decided"

    @property
    def label(self) -> str:
        return {"draft": "Being written", "scoring": "Panel is scoring", "decided": "Decided"}[self.value]


class EvaluationFloors(Base):
    """The alliance's floors for any evaluation model (percent of the total weight)."""

    __tablename__ = "value_evaluation_floors"

    id: Mapped[int] = mapped_column(primary_key=True)
    alliance_id: Mapped[int] = mapped_column(ForeignKey("alliance.id", ondelete="CASCADE"), unique=True)
    quality_min: Mapped[Decimal] = mapped_column(PERCENT)
    social_value_min: Mapped[Decimal] = mapped_column(PERCENT)
    cost_max: Mapped[Decimal] = mapped_column(PERCENT)


class EvaluationModel(Base):
    """How the alliance will choose or assess a provider: criteria in three groups, each with a weight."""

    __tablename__ = "value_evaluation"

    id: Mapped[int] = mapped_column(primary_key=True)
    alliance_id: Mapped[int] = mapped_column(ForeignKey("alliance.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    #: What it is for: a new member, a "most suitable provider" decision, a small grants round …
    purpose: Mapped[str] = mapped_column(Text, default="")
    stage: Mapped[EvaluationStage] = mapped_column(_enum(EvaluationStage, "value_evaluation_stage"),
                                                   default=EvaluationStage.DRAFT)
    #: Why the model may be used although it is below one of the alliance's floors (recorded).
    floor_reason: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    chosen_bid_id: Mapped[int | None] = mapped_column(ForeignKey("value_evaluation_bid.id", ondelete="SET NULL",
                                                                 use_alter=True))
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    alliance: Mapped[Alliance] = relationship()
    criteria: Mapped[list[EvaluationCriterion]] = relationship(
        back_populates="model", order_by="EvaluationCriterion.position", cascade="all, delete-orphan")
    bids: Mapped[list[EvaluationBid]] = relationship(
        back_populates="model", order_by="EvaluationBid.id", cascade="all, delete-orphan",
        foreign_keys="EvaluationBid.model_id")
    panellists: Mapped[list[Panellist]] = relationship(back_populates="model", cascade="all, delete-orphan")
    chosen_bid: Mapped[EvaluationBid | None] = relationship(foreign_keys=[chosen_bid_id], post_update=True)


class EvaluationCriterion(Base):
    __tablename__ = "value_evaluation_criterion"

    id: Mapped[int] = mapped_column(primary_key=True)
    model_id: Mapped[int] = mapped_column(ForeignKey("value_evaluation.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    group: Mapped[CriterionGroup] = mapped_column(_enum(CriterionGroup, "value_criterion_group"))
    name: Mapped[str] = mapped_column(String(300))
    #: Percent of the model's total weight.
    weight: Mapped[Decimal] = mapped_column(PERCENT)
    #: Panellists score from 0 to this (cost is scored from the prices, not by the panel).
    scale_max: Mapped[int] = mapped_column(Integer, default=5)

    model: Mapped[EvaluationModel] = relationship(back_populates="criteria")


class EvaluationBid(Base):
    """A bid (or an example bid for "show the effect") with its price and example scores by group."""

    __tablename__ = "value_evaluation_bid"

    id: Mapped[int] = mapped_column(primary_key=True)
    model_id: Mapped[int] = mapped_column(ForeignKey("value_evaluation.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    price: Mapped[Decimal] = mapped_column(AMOUNT)
    #: Example scores out of 100 for "show the effect", before the panel scores.
    example_quality: Mapped[int] = mapped_column(Integer, default=0)
    example_social_value: Mapped[int] = mapped_column(Integer, default=0)

    model: Mapped[EvaluationModel] = relationship(back_populates="bids", foreign_keys=[model_id])


class Panellist(Base):
    __tablename__ = "value_evaluation_panellist"
    __table_args__ = (UniqueConstraint("model_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    model_id: Mapped[int] = mapped_column(ForeignKey("value_evaluation.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))

    model: Mapped[EvaluationModel] = relationship(back_populates="panellists")
    user: Mapped[User] = relationship()


class PanelScore(Base):
    """One panellist's score for one bid on one criterion; hidden from the others until all are in."""

    __tablename__ = "value_evaluation_score"
    __table_args__ = (UniqueConstraint("bid_id", "criterion_id", "user_id", "moderated"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("value_evaluation_bid.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("value_evaluation_criterion.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    score: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    #: True for the moderated (agreed) score, recorded by a commissioner after every score is in.
    moderated: Mapped[bool] = mapped_column(default=False)
