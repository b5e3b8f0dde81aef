"""Loading what alliance URLs and forms name, shared by the alliance routes."""

from __future__ import annotations

from typing import Any, TypeVar

from flask import abort, request

from collab.alliances.forms import OrganisationForm, parse_id
from collab.alliances.models import ORGANISATION_FIELDS, Alliance, Membership, Organisation
from collab.db import db
from collab.security import Permission, require
from collab.web import get_or_404


def load_membership(alliance: Alliance, membership_id: int) -> Membership:
    """The membership in the URL, 404 unless it is in this alliance."""
    return get_or_404(db.session, Membership, membership_id, alliance_id=alliance.id)


def load_organisation(organisation_id: int, permission: Permission) -> Organisation:
    """The organisation in the URL: 404 if missing or not yours to see, 403 if you may not do this."""
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        abort(404)
    require(permission, organisation)
    return organisation


def chosen_organisation(form_value: str | None) -> Organisation | None:
    """The organisation picked in a form's list, or None for 'No organisation'."""
    org_id = parse_id(form_value)
    return db.session.get(Organisation, org_id) if org_id else None


FormT = TypeVar("FormT", bound=OrganisationForm)


def organisation_form(form_class: type[FormT], organisation: Organisation) -> FormT:
    """An organisation form (edit or correction) filled with its current details on first showing."""
    form = form_class(obj=organisation)
    if request.method == "GET":
        form.org_type.data = organisation.org_type.value
        form.size_band.data = organisation.size_band.value
    return form


def organisation_fields(form: OrganisationForm) -> dict[str, Any]:
    """An organisation form's details, keyed as the services take them."""
    return {name: getattr(form, name).data for name in ORGANISATION_FIELDS}


def article(label: str) -> str:
    """'a provider', 'an observer'."""
    label = label.lower()
    return ("an " if label[0] in "aeiou" else "a ") + label
