"""The agreements area's background jobs (run by collab/jobs.py in a fresh session)."""

from __future__ import annotations

from collab.agreements.services.reminders import send_closing_reminders
from collab.db import db, utcnow


def remind_closing_proposals() -> int:
    """Remind the seats that have not answered a proposal closing within three days (once each)."""
    return send_closing_reminders(db.session, utcnow().date())
