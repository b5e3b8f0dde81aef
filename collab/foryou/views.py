"""Page assembly for the For you page and the panel on each alliance home."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_login import current_user
from sqlalchemy.exc import OperationalError

from collab.alliances.models import Alliance, Membership
from collab.db import db, utcnow
from collab.foryou import services
from collab.security import my_memberships


def keep_visit(visit: services.Visit) -> None:
    """Commit the visit just noted (if anything was written). It is bookkeeping: if the database
    is busy, the page still shows and the next visit is noted instead."""
    if not visit.written:
        return
    try:
        db.session.commit()
    except OperationalError:  # SQLite busy with another writer
        db.session.rollback()
        current_app.logger.info("A For you visit was not saved: the database was busy")


def _note_visit(alliance: Alliance | None = None) -> services.Visit:
    """Note the visit; if the database is busy with another writer (SQLite), show the page without noting it."""
    try:
        return services.record_visit(db.session, current_user, alliance)
    except OperationalError:
        db.session.rollback()
        current_app.logger.info("A For you visit was not noted: the database was busy")
        return services.peek_visit(db.session, current_user, alliance)


def for_you_page() -> tuple[dict[str, Any], services.Visit]:
    """Everything that needs the person, nearest due first, and what changed since their last visit."""
    # speed (issue 10): the memberships the header loads anyway (one statement for the request).
    memberships = services.with_organisations(db.session, my_memberships(current_user))
    visit = _note_visit()
    found = services.gather(db.session, current_user, visit.previous, memberships=memberships)
    return {"found": found, "memberships": memberships, "today": utcnow().date()}, visit


def alliance_panel(alliance: Alliance, membership: Membership) -> tuple[dict[str, Any], services.Visit]:
    """The For you panel of one alliance's home page (``membership`` is the person's, already loaded)."""
    visit = _note_visit(alliance)
    found = services.gather(db.session, current_user, visit.previous, alliance=alliance, memberships=[membership])
    return {"attention": found, "today": utcnow().date()}, visit
