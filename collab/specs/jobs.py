"""The specifications area's background jobs (run by collab/jobs.py in a fresh session)."""

from __future__ import annotations

from flask import url_for

from collab.db import db, utcnow
from collab.specs.models import Spec
from collab.specs.services.reminders import send_closing_reminders


def _spec_url(spec: Spec) -> str:
    return url_for("specs.show", slug=spec.alliance.slug, spec_id=spec.id)


def remind_closing_consultations() -> int:
    """Remind people who can comment that a consultation closes within three days (once each)."""
    return send_closing_reminders(db.session, utcnow().date(), _spec_url)
