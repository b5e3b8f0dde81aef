"""Forgetting workshop access needs once they have done their job.

People tell the organisers what they need to take part (a BSL interpreter, step-free access, a
carer coming with them...), and because access needs can say something about a person's health
(UK GDPR Article 9) they are kept only as long as they are needed: the privacy notice promises
they are removed ``ACCESS_NEEDS_KEPT_DAYS`` days after the workshop ends (long enough to settle
follow-up and payments). The reply itself, the payment claim and the attendance stay: they are
the record of who took part and who is owed a payment.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from collab.db import db, utcnow
from collab.workshops.models import Invitee, Workshop

#: How long after a workshop ends its invitees' access needs are kept (the privacy notice says so).
ACCESS_NEEDS_KEPT_DAYS = 30


def forget_access_needs(at: str | None = None) -> int:
    """Clear the access needs of every invitee of a workshop that ended long enough ago; returns how many.

    ``at`` (an ISO time with its zone) runs it as if at that time. Running it again changes nothing.
    """
    now = datetime.fromisoformat(at) if at else utcnow()
    cutoff = now - timedelta(days=ACCESS_NEEDS_KEPT_DAYS)
    invitees = db.session.scalars(
        select(Invitee).join(Workshop, Workshop.id == Invitee.workshop_id).where(Workshop.ends_at <= cutoff)
    ).all()
    forgotten = 0
    for invitee in invitees:
        if invitee.access_needs or invitee.access_needs_other:
            invitee.access_needs = []
            invitee.access_needs_other = ""
            forgotten += 1
    db.session.commit()
    return forgotten
