"""Alliance roles -> what they may do with service specifications.

Commenting, moderation and "on behalf of" use the shared document permissions
(collab/documents/permissions.py), so they work as they do for the agreement.
"""

from __future__ import annotations

from collab.alliances.models import Role
from collab.permissions import Permission as P

_READ = frozenset({P.SPEC_VIEW})
_TAKE_PART = _READ | {P.SPEC_COMMENT_SUPPORT}
_DRAFT = _TAKE_PART | {P.SPEC_EDIT}

ROLE_PERMISSIONS: dict[Role, frozenset[P]] = {
    Role.COMMISSIONER: _DRAFT | {P.SPEC_CREATE, P.SPEC_MANAGE, P.SPEC_COMMENT_RESPOND},
    Role.FACILITATOR: _DRAFT | {P.SPEC_COMMENT_RESPOND},
    Role.PROVIDER: _DRAFT,
    Role.SERVICE_USER: _TAKE_PART,
    Role.OBSERVER: _READ,
}
