"""Rules shared by more than one alliance sub-domain."""

from __future__ import annotations

from collab.alliances.models import (
    Organisation,
    Role,
)
from collab.errors import DomainError


def _check_organisation_for_role(role: Role, organisation: Organisation | None) -> None:
    if role == Role.PROVIDER and organisation is None:
        raise DomainError("Select the organisation this provider represents", "organisation_id")
    if organisation is not None and role not in (Role.PROVIDER, Role.COMMISSIONER):
        raise DomainError(
            "Only providers and commissioners represent an organisation. Choose 'No organisation'.",
            "organisation_id",
        )
