"""Alliance rules: organisations and corrections to them, alliances, membership, invitations, activity.

One module per sub-domain; the names below are the area's public services, so that
``from collab.alliances import services; services.invite(...)`` works for every caller.
"""

from __future__ import annotations

from collab.alliances.services.activity import activity_query, recent_activity
from collab.alliances.services.alliances import (
    alliances_for,
    create_alliance,
    get_alliance,
    public_alliances,
    slugify,
    update_alliance,
)
from collab.alliances.services.corrections import (
    accept_correction,
    decline_correction,
    pending_corrections,
    propose_correction,
)
from collab.alliances.services.invitations import (
    InvitationForSomeoneElse,
    accept_invitation,
    find_invitation,
    invite,
    is_invited,
    join_with_new_account,
    mask_email,
    pending_invitations,
    revoke_invitation,
)
from collab.alliances.services.memberships import (
    RoleGroup,
    change_role,
    leave,
    member_organisations,
    members,
    members_by_role,
    people_preview,
    remove_member,
)
from collab.alliances.services.organisations import (
    FIELD_LABELS,
    all_organisations,
    create_organisation,
    organisation_alliances,
    organisation_values,
    representatives,
    show_value,
    update_organisation,
    visible_organisations,
)

__all__ = [
    "FIELD_LABELS",
    "InvitationForSomeoneElse",
    "RoleGroup",
    "accept_correction",
    "accept_invitation",
    "activity_query",
    "alliances_for",
    "all_organisations",
    "change_role",
    "create_alliance",
    "create_organisation",
    "decline_correction",
    "find_invitation",
    "get_alliance",
    "invite",
    "is_invited",
    "join_with_new_account",
    "leave",
    "mask_email",
    "member_organisations",
    "members",
    "members_by_role",
    "organisation_alliances",
    "organisation_values",
    "pending_corrections",
    "pending_invitations",
    "people_preview",
    "propose_correction",
    "public_alliances",
    "recent_activity",
    "remove_member",
    "representatives",
    "revoke_invitation",
    "show_value",
    "slugify",
    "update_alliance",
    "update_organisation",
    "visible_organisations",
]
