"""Loading a workshop and its parts for a route (404 when missing or not visible)."""

from __future__ import annotations

from flask import abort

from collab.alliances.access import load_alliance
from collab.db import db
from collab.security import Permission, require
from collab.web import get_or_404
from collab.workshops import services
from collab.workshops.models import Action, AgendaItem, Contribution, Decision, Idea, Workshop


def load_workshop(slug: str, workshop_id: int, permission: Permission = Permission.WORKSHOP_VIEW) -> Workshop:
    """The workshop in this alliance (404 if it is not there or you cannot see the alliance)."""
    alliance = load_alliance(slug)
    workshop = services.get_workshop(db.session, alliance, workshop_id)
    if workshop is None:
        require(Permission.WORKSHOP_VIEW, alliance)  # outsiders: 404 either way; members: a plain 404
        abort(404)
    require(permission, workshop.alliance)
    return workshop


def load_item(workshop: Workshop, item_id: int) -> AgendaItem:
    return get_or_404(db.session, AgendaItem, item_id, workshop_id=workshop.id)


def load_action(workshop: Workshop, action_id: int) -> Action:
    return get_or_404(db.session, Action, action_id, workshop_id=workshop.id)


def load_contribution(workshop: Workshop, contribution_id: int) -> Contribution:
    return get_or_404(db.session, Contribution, contribution_id, workshop_id=workshop.id)


def load_idea(workshop: Workshop, idea_id: int) -> Idea:
    return get_or_404(db.session, Idea, idea_id, workshop_id=workshop.id)


def load_decision(workshop: Workshop, decision_id: int) -> Decision:
    return get_or_404(db.session, Decision, decision_id, workshop_id=workshop.id)
