"""Alliance roles -> what they may do with shared resources, and the rules on single objects.

Roles say what a kind of member may do; the object rules narrow that to the right things:
only the owner organisation's representatives manage a resource and decide its bookings;
only the people on either side of a booking cancel it; only someone who represents an
organisation lists a resource or offers help with a need.
"""

from __future__ import annotations

from typing import Any

from collab.alliances.models import Role
from collab.permissions import Permission as P

_READ = frozenset({P.RESOURCE_VIEW})
#: Everyone taking part (not observers) can book, post needs, and cancel their own bookings.
_TAKE_PART = _READ | {P.RESOURCE_BOOK, P.RESOURCE_BOOKING_CANCEL, P.RESOURCE_NEED_POST, P.RESOURCE_NEED_CLOSE}
#: People who represent organisations also offer resources and answer needs.
_OFFER = _TAKE_PART | {P.RESOURCE_CREATE, P.RESOURCE_MANAGE, P.RESOURCE_NEED_ANSWER}

ROLE_PERMISSIONS: dict[Role, frozenset[P]] = {
    Role.COMMISSIONER: _OFFER,
    Role.PROVIDER: _OFFER,
    Role.FACILITATOR: _TAKE_PART,
    Role.SERVICE_USER: _TAKE_PART,
    Role.OBSERVER: _READ,
}


def _has_organisation(membership: Any, obj: Any) -> bool:
    return membership.organisation_id is not None


def _owner(membership: Any, obj: Any) -> bool:
    owner = getattr(obj, "owner_organisation_id", None)
    return owner is not None and membership.organisation_id == owner


def _booking_side(membership: Any, obj: Any) -> bool:
    if getattr(obj, "requested_by_id", None) == membership.user_id:
        return True
    if membership.organisation_id is None:
        return False
    return membership.organisation_id in (getattr(obj, "organisation_id", None),
                                          getattr(obj, "owner_organisation_id", None))


def _answer(membership: Any, obj: Any) -> bool:
    return membership.organisation_id is not None and getattr(obj, "posted_by_id", None) != membership.user_id


def _need_poster(membership: Any, obj: Any) -> bool:
    if getattr(obj, "posted_by_id", None) == membership.user_id:
        return True
    organisation = getattr(obj, "organisation_id", None)
    return organisation is not None and membership.organisation_id == organisation


OBJECT_RULES = {
    P.RESOURCE_CREATE: _has_organisation,
    P.RESOURCE_MANAGE: _owner,
    P.RESOURCE_BOOKING_CANCEL: _booking_side,
    P.RESOURCE_NEED_ANSWER: _answer,
    P.RESOURCE_NEED_CLOSE: _need_poster,
}
