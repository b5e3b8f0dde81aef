"""Permission matrix for every shared-resource route: each role, someone from another alliance, nobody.

In the world: the provider represents the organisation that owns the room; the commissioner
represents no organisation; the service user asked to book the room and posted a need.
Only the owner organisation's representatives manage the room and decide its bookings.
"""

from __future__ import annotations

from datetime import time

import pytest

from collab.alliances.models import Role
from collab.db import db
from collab.resources import services
from tests.factories import add_member, login_as, make_organisation, make_user
from tests.matrix import (
    ANONYMOUS,
    FORBIDDEN,
    INVALID,
    LOGIN,
    NOT_FOUND,
    OK,
    OUTSIDER,
    SEE_OTHER,
    Row,
    World,
    assert_every_route_has_a_row,
    cases,
    check,
    expect,
    make_world,
    members,
    shared_world,
    signed_in,
)
from tests.resources.helpers import make_resource, next_weekday

C, P, S, F, O = (r.value for r in (Role.COMMISSIONER, Role.PROVIDER, Role.SERVICE_USER, Role.FACILITATOR, Role.OBSERVER))
BAD_REQUEST = 400


def only(status, *roles, **overrides):
    """``status`` for these roles, 403 for other members, 404 outsiders, sign in for nobody."""
    base = dict.fromkeys((C, P, S, F, O), FORBIDDEN)
    base.update(dict.fromkeys(roles, status))
    base.update({OUTSIDER: NOT_FOUND, ANONYMOUS: LOGIN})
    base.update(overrides)
    return expect(FORBIDDEN, **base)


TAKING_PART = (C, P, S, F)


def _a(w: World, rest: str = "") -> str:
    return f"/alliances/{w.slug}/resources{rest}"


def _r(w: World, rest: str = "") -> str:
    return _a(w, f"/{w.extra['room'].id}{rest}")


def _b(w: World, rest: str = "") -> str:
    return _r(w, f"/bookings/{w.extra['booking'].id}{rest}")


def _n(w: World, rest: str = "") -> str:
    return _a(w, f"/needs/{w.extra['need'].id}{rest}")


ROWS = [
    # The register
    Row("resources.index", "GET", lambda w: _a(w), members(OK)),
    Row("resources.create", "GET", lambda w: _a(w, "/new"), only(OK, P)),
    Row("resources.create", "POST", lambda w: _a(w, "/new"), only(INVALID, P), data=lambda w: {}),
    Row("resources.show", "GET", lambda w: _r(w), members(OK)),
    Row("resources.edit", "GET", lambda w: _r(w, "/edit"), only(OK, P)),
    Row("resources.edit", "POST", lambda w: _r(w, "/edit"), only(INVALID, P), data=lambda w: {"title": ""}),
    Row("resources.change_status", "POST", lambda w: _r(w, "/status"), only(SEE_OTHER, P),
        data=lambda w: {"status": "paused"}),
    # Opening hours
    Row("resources.hours", "GET", lambda w: _r(w, "/hours"), only(OK, P)),
    Row("resources.hours", "POST", lambda w: _r(w, "/hours"), only(INVALID, P), data=lambda w: {"opens_0": "soon"}),
    Row("resources.add_date", "POST", lambda w: _r(w, "/dates"), only(INVALID, P), data=lambda w: {}),
    Row("resources.remove_date", "POST", lambda w: _r(w, f"/dates/{w.extra['closed'].id}/remove"),
        only(SEE_OTHER, P)),
    # Booking
    Row("resources.book", "GET", lambda w: _r(w, "/book"), only(OK, *TAKING_PART)),
    Row("resources.book", "POST", lambda w: _r(w, "/book"), only(INVALID, *TAKING_PART), data=lambda w: {}),
    Row("resources.booking", "GET", lambda w: _b(w), members(OK)),
    Row("resources.approve", "POST", lambda w: _b(w, "/approve"), only(SEE_OTHER, P), data=lambda w: {"note": "Fine"}),
    Row("resources.decline", "POST", lambda w: _b(w, "/decline"), only(INVALID, P), data=lambda w: {}),
    # The requester (service user) and the owner organisation may cancel.
    Row("resources.cancel", "POST", lambda w: _b(w, "/cancel"), only(INVALID, P, S), data=lambda w: {}),
    Row("resources.cancel", "POST", lambda w: _b(w, "/cancel"), only(SEE_OTHER, P, S),
        data=lambda w: {"reason": "Plans changed"}, name="with a reason"),
    Row("resources.my_bookings", "GET", lambda w: _a(w, "/bookings"), members(OK)),
    # Calendars
    Row("resources.calendar", "GET", lambda w: _r(w, "/calendar"), members(OK)),
    Row("resources.calendar", "GET", lambda w: _r(w, "/calendar?view=month"), members(OK), name="month"),
    Row("resources.calendar", "GET", lambda w: _r(w, "/calendar?view=list&date=nonsense"), members(OK), name="list"),
    Row("resources.feed", "GET", lambda w: "/calendar-feed", signed_in(OK)),
    Row("resources.feed", "POST", lambda w: "/calendar-feed", signed_in(BAD_REQUEST), data=lambda w: {}),
    Row("resources.feed_ics", "GET", lambda w: "/calendar/not-a-real-token.ics", expect(NOT_FOUND)),
    # Needs
    Row("resources.needs", "GET", lambda w: _a(w, "/needs"), members(OK)),
    Row("resources.post_need", "GET", lambda w: _a(w, "/needs/new"), only(OK, *TAKING_PART)),
    Row("resources.post_need", "POST", lambda w: _a(w, "/needs/new"), only(INVALID, *TAKING_PART), data=lambda w: {}),
    Row("resources.need", "GET", lambda w: _n(w), members(OK)),
    # Offers come from organisations (not from the person who posted the need).
    Row("resources.answer_need", "POST", lambda w: _n(w, "/offers"), only(INVALID, P), data=lambda w: {}),
    Row("resources.close_need", "POST", lambda w: _n(w, "/close"), only(INVALID, S), data=lambda w: {}),
    # Value of sharing
    Row("resources.value", "GET", lambda w: _a(w, "/value"), members(OK)),
    Row("resources.value_csv", "GET", lambda w: _a(w, "/value.csv"), members(OK)),
]


@shared_world
def world(session) -> World:
    world = make_world()
    provider = world.memberships[P]
    room = make_resource(provider)
    tuesday = next_weekday(1, services.local_today())
    booking = services.request_booking(session, world.user(S), room, on=tuesday, starts=time(10), ends=time(12),
                                       purpose="Peer group").bookings[0]
    closed = services.add_exception(session, provider.user, room, next_weekday(2, services.local_today()), closed=True)
    need = services.post_need(session, world.user(S), world.alliance, kind="room", title="A quiet room")
    world.extra.update(room=room, booking=booking, closed=closed, need=need)
    return world


@pytest.mark.parametrize(("row", "actor"), cases(ROWS))
def test_permissions(client, world, row, actor):
    check(client, world, row, actor)


def test_every_route_has_a_row(app):
    assert_every_route_has_a_row(app, ROWS, ["resources"])


def test_another_alliances_things_are_not_found_through_this_one(client, session, world):
    outsider = world.user(OUTSIDER)
    member = add_member(world.other_alliance, make_user(), Role.PROVIDER, make_organisation())
    their_room = make_resource(member)
    their_need = services.post_need(session, outsider, world.other_alliance, kind="room", title="Theirs")
    login_as(client, world.user(P))
    assert client.get(_a(world, f"/{their_room.id}")).status_code == 404
    assert client.get(_a(world, f"/{their_room.id}/calendar")).status_code == 404
    assert client.post(_a(world, f"/{their_room.id}/status"), data={"status": "retired"}).status_code == 404
    assert client.get(_a(world, f"/needs/{their_need.id}")).status_code == 404
    # A booking id of this room that belongs to another room is not found either.
    their_booking = services.request_booking(session, member.user, their_room, on=next_weekday(1, services.local_today()),
                                             starts=time(10), ends=time(11), purpose="x").bookings[0]
    assert client.get(_r(world, f"/bookings/{their_booking.id}")).status_code == 404
    assert client.post(_r(world, f"/bookings/{their_booking.id}/approve")).status_code == 404


def test_only_the_owner_organisation_approves_even_another_provider(client, session, world):
    other_provider = add_member(world.alliance, make_user(), Role.PROVIDER, make_organisation())
    login_as(client, other_provider.user)
    assert client.post(_b(world, "/approve"), data={}).status_code == 403
    assert client.get(_r(world, "/edit")).status_code == 403
    page = client.get(_b(world)).get_data(as_text=True)
    assert "Approve" not in page
    db.session.expire_all()
