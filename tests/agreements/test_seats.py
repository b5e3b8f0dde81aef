"""Seats: one per member organisation and one per service user or carer."""

from __future__ import annotations

from collab.agreements import services
from collab.alliances.models import Role
from tests.agreements.helpers import make_cast
from tests.factories import add_member, make_user


def test_one_seat_per_organisation_and_per_service_user(session):
    cast = make_cast()
    # A second person for charity A shares its seat; facilitators and observers hold none.
    second = add_member(cast.alliance, make_user(), Role.PROVIDER, cast.org_a).user
    seats = services.seats(session, cast.alliance)
    keys = {s.key for s in seats}
    assert keys == {f"org:{cast.council.id}", f"org:{cast.org_a.id}", f"org:{cast.org_b.id}", f"person:{cast.service_user.id}"}
    seat_a = next(s for s in seats if s.key == f"org:{cast.org_a.id}")
    assert {u.id for u in seat_a.people} == {cast.provider_a.id, second.id}
    assert services.seat_for(session, cast.alliance, cast.facilitator) is None
