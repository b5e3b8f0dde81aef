"""Rules shared by more than one alliance sub-domain."""

from __future__ import annotations

from flask import current_app, url_for

from collab.alliances.models import Organisation, Role
from collab.errors import DomainError
from collab.mail import external_url


def _check_organisation_for_role(role: Role, organisation: Organisation | None) -> None:
    if role == Role.PROVIDER and organisation is None:
        raise DomainError("Select the organisation this provider represents", "organisation_id")
    if organisation is not None and role not in (Role.PROVIDER, Role.COMMISSIONER):
        raise DomainError(
            "Only providers and commissioners represent an organisation. Choose 'No organisation'.",
            "organisation_id",
        )


# Links and settings the routes pass in. A caller outside a request (a service test, the demo
# seed) may leave them out: then they are worked out from the application, as routes would.


def default_organisation_url(organisation: Organisation) -> str:
    """The organisation's page, for notifications (a path, as notifications keep them)."""
    return url_for("alliances.organisation", organisation_id=organisation.id)


def default_invitation_link(token: str) -> str:
    """The absolute link an invitation email carries."""
    return external_url(url_for("alliances.invitation", token=token))


def default_invitation_days() -> int:
    """How many days an invitation link works (``INVITATION_DAYS``)."""
    return int(current_app.config["INVITATION_DAYS"])
