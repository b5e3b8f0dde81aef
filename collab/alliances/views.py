"""Page assembly for alliance pages: what each template needs, built from services."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from collab import audit
from collab.alliances import services
from collab.alliances.forms import organisation_choices
from collab.alliances.models import Alliance, Organisation
from collab.db import db
from collab.forms import BaseForm
from collab.security import Permission, can, membership_for, viewable_organisation_ids
from collab.web import page_number, paginate


def home_page(alliance: Alliance) -> dict[str, Any]:
    """An alliance's home: purpose, outcomes, organisations, people and recent activity."""
    # Visitors to a public alliance see its organisations, but not the people in it.
    people = services.people_preview(db.session, alliance) if can(Permission.ALLIANCE_MEMBER_VIEW, alliance) else []
    recent = (
        services.recent_activity(db.session, alliance) if can(Permission.ALLIANCE_ACTIVITY_VIEW, alliance) else []
    )
    organisations = services.member_organisations(db.session, alliance)
    return {
        "alliance": alliance,
        "organisations": organisations,
        # One query for all the links, however many organisations (not can() per row).
        "viewable_organisations": viewable_organisation_ids(current_user, [o.id for o in organisations]),
        "people": people,
        "recent": recent,
        "describe": audit.describe,
        "membership": membership_for(current_user, alliance),
    }


def members_page(alliance: Alliance, errors: dict[int, list[str]] | None = None) -> dict[str, Any]:
    """Everyone in the alliance by role; ``errors`` are messages beside one member's controls."""
    organisations = (
        services.visible_organisations(db.session, current_user)
        if can(Permission.ALLIANCE_MEMBER_MANAGE, alliance) else []
    )
    return {
        "alliance": alliance,
        "people": services.members_by_role(services.members(db.session, alliance)),
        "organisation_choices": organisation_choices(organisations),
        "membership": membership_for(current_user, alliance),
        "errors": errors or {},
    }


def activity_page(alliance: Alliance) -> dict[str, Any]:
    """The alliance's audit trail, newest first, 25 to a page (the page number from the URL)."""
    page = paginate(db.session, services.activity_query(alliance), page_number(), per_page=25)
    return {"alliance": alliance, "page": page, "describe": audit.describe}


def organisation_page(organisation: Organisation) -> dict[str, Any]:
    """An organisation: its details, the alliances it is in that you can see, and proposed corrections."""
    alliances = [
        a for a in services.organisation_alliances(db.session, organisation) if can(Permission.ALLIANCE_VIEW, a)
    ]
    return {
        "organisation": organisation,
        "alliances": alliances,
        "corrections": services.pending_corrections(db.session, organisation),
        "labels": services.FIELD_LABELS,
        "show_value": services.show_value,
        "current": services.organisation_values(organisation),
        "form": BaseForm(),
    }
