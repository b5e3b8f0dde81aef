"""The alliance's usual participation payment, which each new workshop starts from (and may change)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from collab import audit
from collab.accounts.models import User
from collab.alliances.models import Alliance
from collab.errors import DomainError
from collab.workshops.models import WorkshopSettings

MAX_PAYMENT_PENCE = 100_000


def usual_payment(session: Session, alliance: Alliance) -> int:
    """The alliance's usual payment per person in pence (0 if it has not set one)."""
    found = session.scalar(select(WorkshopSettings.payment_pence).where(WorkshopSettings.alliance_id == alliance.id))
    return found or 0


def set_usual_payment(session: Session, actor: User, alliance: Alliance, pence: int | None) -> None:
    """Set the usual payment; workshops already planned keep their own rate."""
    pence = pence or 0
    if not 0 <= pence <= MAX_PAYMENT_PENCE:
        raise DomainError("Enter a participation payment from £0 to £1,000", field="payment")
    row = session.get(WorkshopSettings, alliance.id)
    before = row.payment_pence if row is not None else 0
    if row is None:
        row = WorkshopSettings(alliance_id=alliance.id, payment_pence=pence)
        session.add(row)
    row.payment_pence = pence
    session.flush()
    audit.record(session, actor, "workshop.usual_payment_set", alliance, alliance=alliance, label=alliance.name,
                 detail={"pence_before": before, "pence": pence})
