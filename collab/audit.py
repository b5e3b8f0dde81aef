"""The append-only audit trail.

Each entry holds the SHA-256 of the entry before it, so an entry that is
altered, removed or inserted afterwards breaks the chain; ``verify_chain``
(and ``flask verify-audit``) finds the first break.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable

from sqlalchemy import JSON, ForeignKey, Integer, String, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from collab.accounts.models import User
from collab.db import Base, UTCDateTime, utcnow

GENESIS = "0" * 64

# Arbitrary constant naming the PostgreSQL advisory lock that serialises appends.
_AUDIT_LOCK_KEY = 7_300_417


class AuditEntry(Base):
    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The alliance the action happened in; None for site-wide actions.
    alliance_id: Mapped[int | None] = mapped_column(
        ForeignKey("alliance.id", ondelete="SET NULL"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    #: The actor's display name at the time, kept so the trail reads the same later.
    actor_name: Mapped[str] = mapped_column(String(100))
    #: Dotted verb such as "membership.role_changed".
    action: Mapped[str] = mapped_column(String(80))
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int | None] = mapped_column(Integer)
    #: A short human description of the subject ("Ada Lovelace", "Version 2").
    subject_label: Mapped[str] = mapped_column(String(300), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Hash of the previous entry (GENESIS for the first). Unique: the chain cannot fork.
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    entry_hash: Mapped[str] = mapped_column(String(64))

    actor: Mapped[User | None] = relationship()

    def compute_hash(self) -> str:
        payload = {
            "prev": self.prev_hash,
            "alliance": self.alliance_id,
            "actor": self.actor_id,
            "actor_name": self.actor_name,
            "action": self.action,
            "subject_type": self.subject_type,
            "subject_id": self.subject_id,
            "subject_label": self.subject_label,
            "detail": self.detail,
            "at": self.created_at.isoformat(timespec="microseconds"),
        }
        canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _lock_chain(session: Session) -> None:
    """Serialise appends so that two transactions never chain onto the same entry."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _AUDIT_LOCK_KEY})


def record(
    session: Session,
    actor: User | None,
    action: str,
    subject: Any = None,
    *,
    alliance: Any = None,
    label: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the audit trail (flushed, not committed)."""
    _lock_chain(session)
    session.flush()
    last_hash = session.scalar(select(AuditEntry.entry_hash).order_by(AuditEntry.id.desc()).limit(1))
    entry = AuditEntry(
        alliance_id=getattr(alliance, "id", None),
        actor_id=actor.id if actor is not None else None,
        actor_name=actor.display_name if actor is not None else "System",
        action=action,
        subject_type=type(subject).__name__.lower() if subject is not None else "",
        subject_id=getattr(subject, "id", None),
        subject_label=label,
        detail=detail or {},
        created_at=utcnow(),
        prev_hash=last_hash or GENESIS,
    )
    entry.entry_hash = entry.compute_hash()
    session.add(entry)
    session.flush()
    return entry


@dataclass
class ChainReport:
    checked: int
    first_bad_id: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.first_bad_id is None


def verify_chain(session: Session, batch: int = 1000) -> ChainReport:
    """Walk the whole trail in order and report the first entry that does not check out."""
    expected_prev = GENESIS
    checked = 0
    last_id = 0
    while True:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.id > last_id).order_by(AuditEntry.id).limit(batch)
        ).all()
        if not entries:
            return ChainReport(checked=checked)
        for entry in entries:
            if entry.prev_hash != expected_prev:
                return ChainReport(checked, entry.id, "does not follow the entry before it")
            if entry.compute_hash() != entry.entry_hash:
                return ChainReport(checked, entry.id, "was changed after it was written")
            expected_prev = entry.entry_hash
            checked += 1
            last_id = entry.id
        session.expunge_all()


# How entries read on activity pages ------------------------------------------------

_DESCRIBERS: dict[str, Callable[[AuditEntry], str]] = {}


def describes(*actions: str) -> Callable[[Callable[[AuditEntry], str]], Callable[[AuditEntry], str]]:
    """Register a function that turns entries with these actions into a plain sentence."""

    def register(func: Callable[[AuditEntry], str]) -> Callable[[AuditEntry], str]:
        for action in actions:
            _DESCRIBERS[action] = func
        return func

    return register


def describe(entry: AuditEntry) -> str:
    """A plain-English sentence for an entry, such as 'Sam invited a provider'."""
    func = _DESCRIBERS.get(entry.action)
    if func is not None:
        return func(entry)
    return f"{entry.actor_name}: {entry.action.replace('.', ' ').replace('_', ' ')} {entry.subject_label}".strip()
