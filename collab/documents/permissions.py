"""Alliance roles -> what they may do in comment threads on any document."""

from __future__ import annotations

from collab.alliances.models import Role
from collab.permissions import Permission as P

ROLE_PERMISSIONS: dict[Role, frozenset[P]] = {
    Role.COMMISSIONER: frozenset({P.DOCUMENT_COMMENT_ADD, P.DOCUMENT_COMMENT_HIDE}),
    Role.FACILITATOR: frozenset({P.DOCUMENT_COMMENT_ADD, P.DOCUMENT_COMMENT_HIDE, P.DOCUMENT_COMMENT_ON_BEHALF}),
    Role.PROVIDER: frozenset({P.DOCUMENT_COMMENT_ADD}),
    Role.SERVICE_USER: frozenset({P.DOCUMENT_COMMENT_ADD}),
    Role.OBSERVER: frozenset(),
}
