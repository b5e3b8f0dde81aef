"""Loading a resource, booking or need for a route (404 when it is not in this alliance)."""

from __future__ import annotations

from flask import abort

from collab.alliances.access import load_alliance
from collab.db import db
from collab.resources import services
from collab.resources.models import Booking, Need, Resource
from collab.security import Permission, require


def load_resource(slug: str, resource_id: int, permission: Permission = Permission.RESOURCE_VIEW) -> Resource:
    """The resource in this alliance; 404 for another alliance's, 403 without the permission."""
    alliance = load_alliance(slug, Permission.RESOURCE_VIEW)
    resource = services.get_resource(db.session, alliance, resource_id)
    if resource is None:
        abort(404)
    require(permission, resource)
    return resource


def load_booking(slug: str, resource_id: int, booking_id: int,
                 permission: Permission = Permission.RESOURCE_VIEW) -> Booking:
    resource = load_resource(slug, resource_id)
    booking = services.get_booking(db.session, resource, booking_id)
    if booking is None:
        abort(404)
    require(permission, booking)
    return booking


def load_need(slug: str, need_id: int, permission: Permission = Permission.RESOURCE_VIEW) -> Need:
    alliance = load_alliance(slug, Permission.RESOURCE_VIEW)
    need = services.get_need(db.session, alliance, need_id)
    if need is None:
        abort(404)
    require(permission, need)
    return need
