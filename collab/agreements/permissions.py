"""Alliance roles -> what they may do with the alliance agreement."""

from __future__ import annotations

from collab.alliances.models import Role
from collab.permissions import Permission as P

_READ = frozenset({P.AGREEMENT_VIEW})
#: Everyone who takes part (not observers) can propose a change.
_TAKE_PART = _READ | {P.AGREEMENT_PROPOSAL_CREATE}

ROLE_PERMISSIONS: dict[Role, frozenset[P]] = {
    Role.COMMISSIONER: _TAKE_PART
    | {
        P.AGREEMENT_CLAUSE_EDIT,
        P.AGREEMENT_CREATE,
        P.AGREEMENT_PROPOSAL_DECIDE,
        P.AGREEMENT_PROPOSAL_RESPOND,
        P.AGREEMENT_SIGN,
        P.AGREEMENT_VERSION_PUBLISH,
    },
    Role.PROVIDER: _TAKE_PART | {P.AGREEMENT_CLAUSE_EDIT, P.AGREEMENT_PROPOSAL_RESPOND, P.AGREEMENT_SIGN},
    # Facilitators help draft, but hold no seat, so they neither respond nor sign.
    Role.FACILITATOR: _TAKE_PART | {P.AGREEMENT_CLAUSE_EDIT},
    Role.SERVICE_USER: _TAKE_PART | {P.AGREEMENT_PROPOSAL_RESPOND},
    Role.OBSERVER: _READ,
}
