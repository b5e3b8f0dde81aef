"""The append-only audit trail.

Each entry holds the hash of the entry before it, so an entry that is
altered, removed or inserted afterwards breaks the chain; ``verify_chain``
(and ``flask verify-audit``) finds the first break.

Entries are hashed with HMAC-SHA256 under ``AUDIT_KEY``, a key kept outside the
database, so someone who can only write to the database cannot re-hash a changed
entry. Entries written before keys were introduced are marked ``sha256`` (legacy)
and still checked the old, unkeyed way. The newest entry's id and hash (the "head",
``flask audit-head``) is copied to places the database cannot rewrite, so that a
removed tail is found too (``flask verify-audit --head ID:HASH``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from flask import current_app
from sqlalchemy import JSON, ForeignKey, Integer, String, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from collab.db import Base, UTCDateTime, utcnow

if TYPE_CHECKING:  # the trail is core: it names the account model without importing the area
    from collab.accounts.models import User

GENESIS = "0" * 64

#: How a row's hash was made: unkeyed SHA-256 (rows written before issue 7) or HMAC-SHA256.
LEGACY_SCHEME = "sha256"
KEYED_SCHEME = "hmac-sha256"


def keyed_digest(key_name: str, canonical: str) -> str:
    """HMAC-SHA256 of ``canonical`` under the configured key ``key_name`` (SIGNING_KEY, AUDIT_KEY)."""
    key = current_app.config.get(key_name) or ""
    if not key:
        raise RuntimeError(f"{key_name} is not configured")
    return hmac.new(key.encode("utf-8"), canonical.encode("utf-8"), hashlib.sha256).hexdigest()


def canonical_json(payload: dict[str, Any]) -> str:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

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
    #: KEYED_SCHEME, or LEGACY_SCHEME for entries written before the trail was keyed.
    hash_scheme: Mapped[str] = mapped_column(String(20), default=KEYED_SCHEME, server_default=LEGACY_SCHEME)

    actor: Mapped[User | None] = relationship("User")

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
        if self.is_legacy:
            return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()
        payload["scheme"] = KEYED_SCHEME
        return keyed_digest("AUDIT_KEY", canonical_json(payload))

    @property
    def is_legacy(self) -> bool:
        return self.hash_scheme == LEGACY_SCHEME

    @property
    def head(self) -> str:
        """``id:hash``, the form in which the chain's head is exported and checked."""
        return f"{self.id}:{self.entry_hash}"


def _lock_chain(session: Session) -> None:
    """Serialise appends so that two transactions never chain onto the same entry."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _AUDIT_LOCK_KEY})


class Identified(Protocol):
    """Anything with a database id: the subject of an entry, or its alliance."""

    @property
    def id(self) -> int: ...


def record(
    session: Session,
    actor: User | None,
    action: str,
    subject: Identified | None = None,
    *,
    alliance: Identified | None = None,
    label: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the audit trail (flushed, not committed)."""
    _lock_chain(session)
    session.flush()
    last_hash = session.scalar(select(AuditEntry.entry_hash).order_by(AuditEntry.id.desc()).limit(1))
    entry = AuditEntry(
        alliance_id=alliance.id if alliance is not None else None,
        actor_id=actor.id if actor is not None else None,
        actor_name=actor.display_name if actor is not None else "System",
        action=action,
        subject_type=type(subject).__name__.lower() if subject is not None else "",
        subject_id=subject.id if subject is not None else None,
        subject_label=label,
        detail=detail or {},
        created_at=utcnow(),
        prev_hash=last_hash or GENESIS,
        hash_scheme=KEYED_SCHEME,
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
    #: Entries written before keys were introduced (checked the old, unkeyed way).
    legacy: int = 0
    #: ``id:hash`` of the newest entry.
    head: str = ""

    @property
    def ok(self) -> bool:
        return self.first_bad_id is None and not self.problem


def parse_head(value: str) -> tuple[int, str] | None:
    """``ID:HASH`` as printed by ``flask audit-head``, or None if it is not in that form."""
    entry_id, _, digest = (value or "").strip().partition(":")
    digest = digest.strip().lower()
    if not entry_id.isdigit() or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        return None
    return int(entry_id), digest


def current_head(session: Session) -> str:
    """``id:hash`` of the newest audit entry ("" if the trail is empty)."""
    row = session.execute(
        select(AuditEntry.id, AuditEntry.entry_hash).order_by(AuditEntry.id.desc()).limit(1)
    ).first()
    return f"{row.id}:{row.entry_hash}" if row else ""


def verify_chain(session: Session, batch: int = 1000, heads: list[tuple[int, str]] | None = None) -> ChainReport:
    """Walk the whole trail in order and report the first entry that does not check out.

    ``heads`` are (id, hash) pairs recorded outside the database: each must still be in
    the chain with that hash, or entries were removed or the chain was rebuilt.
    """
    expected_prev = GENESIS
    checked = legacy = 0
    last_id = 0
    seen_keyed = False
    wanted = dict(heads or [])
    found: dict[int, str] = {}
    while True:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.id > last_id).order_by(AuditEntry.id).limit(batch)
        ).all()
        if not entries:
            break
        for entry in entries:
            if entry.prev_hash != expected_prev:
                return ChainReport(checked, entry.id, "does not follow the entry before it", legacy)
            if entry.is_legacy:
                if seen_keyed:
                    # Only rows written before the upgrade may be unkeyed: this one was downgraded.
                    return ChainReport(checked, entry.id, "is marked unkeyed but comes after keyed entries", legacy)
                legacy += 1
            else:
                seen_keyed = True
            if entry.compute_hash() != entry.entry_hash:
                return ChainReport(checked, entry.id, "was changed after it was written", legacy)
            if entry.id in wanted:
                found[entry.id] = entry.entry_hash
            expected_prev = entry.entry_hash
            checked += 1
            last_id = entry.id
        session.expunge_all()
    report = ChainReport(checked=checked, legacy=legacy, head=f"{last_id}:{expected_prev}" if checked else "")
    for entry_id, digest in wanted.items():
        if entry_id not in found:
            report.problem = (
                f"the recorded head {entry_id}:{digest[:12]}\u2026 is missing: entries at the end of the trail were removed"
            )
            break
        if found[entry_id] != digest:
            report.problem = f"entry {entry_id} does not have the recorded head hash: the chain was rebuilt"
            break
    return report


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
