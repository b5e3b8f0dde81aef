"""Activity: an alliance's audit trail, newest first, as its pages show it."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from collab.alliances.models import Alliance
from collab.audit import AuditEntry


def activity_query(alliance: Alliance) -> Select[AuditEntry]:
    """Every entry in the alliance's activity, newest first (for a paginated page)."""
    return select(AuditEntry).where(AuditEntry.alliance_id == alliance.id).order_by(AuditEntry.id.desc())


def recent_activity(session: Session, alliance: Alliance, limit: int = 5) -> list[AuditEntry]:
    """The alliance's latest few entries, for its home page."""
    return list(session.scalars(activity_query(alliance).limit(limit)))
