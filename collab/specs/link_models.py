"""Agreement clauses a specification relies on (its links to the alliance agreement)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from collab.agreements.models import Clause
from collab.db import Base, UTCDateTime, utcnow


class SpecClauseLink(Base):
    """An agreement clause the specification relies on."""

    __tablename__ = "spec_clause_link"
    __table_args__ = (UniqueConstraint("spec_id", "clause_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    spec_id: Mapped[int] = mapped_column(ForeignKey("spec.id", ondelete="CASCADE"), index=True)
    clause_id: Mapped[int] = mapped_column(ForeignKey("clause.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    clause: Mapped[Clause] = relationship()
