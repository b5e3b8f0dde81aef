"""Alliance roles -> what they may do with social value, the open book and the risk-and-reward model.

Everything here is open book: every member, observers included, sees every member's
commitments, reports, totals and shares. Providers (and commissioners) report for their own
organisation; commissioners keep the framework and the model, and confirm or query reports.
"""

from __future__ import annotations

from collab.alliances.models import Role
from collab.permissions import Permission as P

_READ = frozenset({P.VALUE_VIEW})
#: Everyone who takes part (not observers) may save a pain/gain scenario and attach it to a proposal.
_TAKE_PART = _READ | {P.VALUE_SCENARIO}
#: May sit on an evaluation panel when chosen (service users and carers too).
_PANEL = _TAKE_PART | {P.VALUE_SCORE}
_REPORT = _PANEL | {P.VALUE_REPORT}

ROLE_PERMISSIONS: dict[Role, frozenset[P]] = {
    Role.COMMISSIONER: _REPORT | {P.VALUE_CONFIRM, P.VALUE_MANAGE},
    Role.FACILITATOR: _PANEL,
    Role.PROVIDER: _REPORT,
    Role.SERVICE_USER: _PANEL,
    Role.OBSERVER: _READ,
}
