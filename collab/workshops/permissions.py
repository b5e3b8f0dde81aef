"""Alliance roles -> what they may do with co-production workshops.

Commissioners and facilitators organise (schedule, invite, facilitate, record outcomes) and
are the only ones who see people's access needs. Everyone else taking part adds ideas and
votes on the board; observers watch. Replying to an invitation needs only the invitation.
"""

from __future__ import annotations

from collab.alliances.models import Role
from collab.permissions import Permission as P

_READ = frozenset({P.WORKSHOP_VIEW})
_TAKE_PART = _READ | {P.WORKSHOP_IDEA_ADD}
_ORGANISE = _TAKE_PART | {P.WORKSHOP_ORGANISE, P.WORKSHOP_ACCESS_NEEDS_VIEW}

ROLE_PERMISSIONS: dict[Role, frozenset[P]] = {
    Role.COMMISSIONER: _ORGANISE,
    Role.FACILITATOR: _ORGANISE,
    Role.PROVIDER: _TAKE_PART,
    Role.SERVICE_USER: _TAKE_PART,
    Role.OBSERVER: _READ,
}
