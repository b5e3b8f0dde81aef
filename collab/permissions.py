"""Every permission Collab checks, and which alliance roles grant them.

A leaf module: it imports nothing from Collab, so every area (and ``collab.security``) can
import it without a cycle. Each area keeps its own role → permissions table in its
``permissions.py`` and hands it over in its ``init_app`` with ``grant_roles``.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, TypeVar


class Permission(StrEnum):
    """Every action that is checked, named area:resource:action and kept alphabetical."""

    AGREEMENT_CLAUSE_EDIT = "agreement:clause:edit"
    AGREEMENT_CREATE = "agreement:agreement:create"
    AGREEMENT_PROPOSAL_CREATE = "agreement:proposal:create"
    AGREEMENT_PROPOSAL_DECIDE = "agreement:proposal:decide"
    AGREEMENT_PROPOSAL_RESPOND = "agreement:proposal:respond"
    AGREEMENT_SIGN = "agreement:version:sign"
    AGREEMENT_VERSION_PUBLISH = "agreement:version:publish"
    AGREEMENT_VIEW = "agreement:agreement:view"
    ALLIANCE_ACTIVITY_VIEW = "alliance:activity:view"
    ALLIANCE_CREATE = "alliance:alliance:create"
    ALLIANCE_EDIT = "alliance:alliance:edit"
    ALLIANCE_INVITATION_MANAGE = "alliance:invitation:manage"
    ALLIANCE_LEAVE = "alliance:membership:leave"
    ALLIANCE_MEMBER_ACCESS_NEEDS_VIEW = "alliance:member:access-needs-view"
    ALLIANCE_MEMBER_MANAGE = "alliance:member:manage"
    ALLIANCE_MEMBER_VIEW = "alliance:member:view"
    ALLIANCE_VIEW = "alliance:alliance:view"
    DOCUMENT_COMMENT_ADD = "document:comment:add"
    DOCUMENT_COMMENT_HIDE = "document:comment:hide"
    DOCUMENT_COMMENT_ON_BEHALF = "document:comment:on-behalf"
    ORGANISATION_CORRECTION_DECIDE = "organisation:correction:decide"
    ORGANISATION_CORRECTION_PROPOSE = "organisation:correction:propose"
    ORGANISATION_CREATE = "organisation:organisation:create"
    ORGANISATION_EDIT = "organisation:organisation:edit"
    ORGANISATION_VIEW = "organisation:organisation:view"
    RESOURCE_BOOK = "resource:booking:create"
    RESOURCE_BOOKING_CANCEL = "resource:booking:cancel"
    RESOURCE_CREATE = "resource:resource:create"
    RESOURCE_MANAGE = "resource:resource:manage"
    RESOURCE_NEED_ANSWER = "resource:need:answer"
    RESOURCE_NEED_CLOSE = "resource:need:close"
    RESOURCE_NEED_POST = "resource:need:post"
    RESOURCE_VIEW = "resource:resource:view"
    SPEC_COMMENT_RESPOND = "spec:comment:respond"
    SPEC_COMMENT_SUPPORT = "spec:comment:support"
    SPEC_CREATE = "spec:spec:create"
    SPEC_EDIT = "spec:spec:edit"
    SPEC_MANAGE = "spec:spec:manage"
    SPEC_VIEW = "spec:spec:view"
    VALUE_CONFIRM = "value:report:confirm"
    VALUE_MANAGE = "value:framework:manage"
    VALUE_REPORT = "value:report:submit"
    VALUE_SCENARIO = "value:scenario:save"
    VALUE_SCORE = "value:evaluation:score"
    VALUE_VIEW = "value:value:view"
    WORKSHOP_ACCESS_NEEDS_VIEW = "workshop:access-needs:view"
    WORKSHOP_IDEA_ADD = "workshop:idea:add"
    WORKSHOP_ORGANISE = "workshop:workshop:organise"
    WORKSHOP_VIEW = "workshop:workshop:view"


#: Granted by the user's standing on the site rather than by a role in one alliance:
#: site administrators and anyone who is a commissioner somewhere.
SITE_PERMISSIONS = frozenset({Permission.ALLIANCE_CREATE, Permission.ORGANISATION_CREATE})

#: Checked against one organisation (see ``organisation_permissions``), not against an alliance.
ORGANISATION_PERMISSIONS = frozenset(
    {
        Permission.ORGANISATION_CORRECTION_DECIDE,
        Permission.ORGANISATION_CORRECTION_PROPOSE,
        Permission.ORGANISATION_EDIT,
        Permission.ORGANISATION_VIEW,
    }
)

#: What anyone, signed in or not, may do with a public alliance: see it, and read its agreement
#: and its specifications (with their comments and "you said, we did"). Taking part stays for members.
PUBLIC_PERMISSIONS = frozenset({Permission.ALLIANCE_VIEW, Permission.AGREEMENT_VIEW, Permission.SPEC_VIEW})


#: The role → permissions tables the areas have handed over (see ``grant_roles``).
_ROLE_TABLES: list[Mapping[Any, frozenset[Permission]]] = []

RoleT = TypeVar("RoleT", bound=str)


def grant_roles(table: Mapping[RoleT, frozenset[Permission]]) -> None:
    """An area adds its role → permissions table (once; called from the area's ``init_app``)."""
    if not any(existing is table for existing in _ROLE_TABLES):
        _ROLE_TABLES.append(table)
        _BY_ROLE.clear()


#: role -> its permissions across every area, worked out once per process (speed, issue 10).
_BY_ROLE: dict[str, frozenset[Permission]] = {}


def permissions_for_role(role: str) -> frozenset[Permission]:
    """All permissions an alliance role grants, across every area."""
    found = _BY_ROLE.get(role)
    if found is None:
        granted: set[Permission] = set()
        for table in _ROLE_TABLES:
            granted |= table.get(role, frozenset())
        found = _BY_ROLE[role] = frozenset(granted)
    return found


#: Rules on one object, added by areas with ``grant_object_rule`` (resources: only the owner
#: organisation's representatives manage a resource). Each takes (membership, obj) and says
#: whether the role's permission applies to that object; ``collab.security.can`` checks them.
_OBJECT_RULES: dict[Permission, Any] = {}


def grant_object_rule(permission: Permission, rule: Any) -> None:
    """An area narrows a permission to some objects (called from the area's ``init_app``)."""
    _OBJECT_RULES[permission] = rule


def object_rule(permission: Permission) -> Any:
    """The rule narrowing ``permission`` to some objects, or None."""
    return _OBJECT_RULES.get(permission)
