"""Alliance roles -> what they may do with the alliance and its membership."""

from __future__ import annotations

from collab.alliances.models import Role
from collab.permissions import Permission as P

_MEMBER = frozenset({P.ALLIANCE_VIEW, P.ALLIANCE_ACTIVITY_VIEW, P.ALLIANCE_MEMBER_VIEW, P.ALLIANCE_LEAVE})

ROLE_PERMISSIONS: dict[Role, frozenset[P]] = {
    Role.COMMISSIONER: _MEMBER
    | {
        P.ALLIANCE_EDIT,
        P.ALLIANCE_INVITATION_MANAGE,
        P.ALLIANCE_MEMBER_ACCESS_NEEDS_VIEW,
        P.ALLIANCE_MEMBER_MANAGE,
    },
    Role.FACILITATOR: _MEMBER | {P.ALLIANCE_MEMBER_ACCESS_NEEDS_VIEW},
    Role.PROVIDER: _MEMBER,
    Role.SERVICE_USER: _MEMBER,
    Role.OBSERVER: _MEMBER,
}
