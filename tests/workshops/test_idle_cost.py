"""What an idle board client costs: the 304 answer runs one query (collab.workshops.live) and renders nothing,
however big the board is; the full board runs the same number of queries for 5 or 200 ideas (no N+1).

(Timing is measured in the report, not here: tests do not time things.)
"""

from __future__ import annotations

from collab.alliances.models import Role
from collab.db import db
from collab.workshops import services
from tests.factories import commissioner_of, login_as, make_alliance, member
from tests.workshops.helpers import make_workshop
from tests.workshops.helpers import statements_run as counting


def _board(ideas: int):
    alliance = make_alliance()
    organiser = commissioner_of(alliance)
    people = [member(alliance, Role.SERVICE_USER) for _ in range(5)]
    workshop = make_workshop(alliance)
    themes = [services.add_theme(db.session, organiser, workshop, f"Theme {n}") for n in range(4)]
    for n in range(ideas):
        idea = services.add_idea(db.session, people[n % 5], workshop, f"Idea number {n}")
        services.move_to_theme(db.session, organiser, workshop, idea.id, themes[n % 4].id)
    services.open_voting(db.session, organiser, workshop, 3)
    for person in people:
        services.vote(db.session, person, workshop, idea.id, 1)
    return alliance, workshop, people[0]


def _statements(client, engine, ideas: int) -> tuple[int, int]:
    alliance, workshop, person = _board(ideas)
    url = f"/alliances/{alliance.slug}/workshops/{workshop.id}/board/live"
    login_as(client, person)
    etag = client.get(url).headers["ETag"]
    with counting(engine) as idle:
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    with counting(engine) as full:
        assert client.get(url).status_code == 200
    return len(idle), len(full)


def test_an_idle_client_costs_a_few_queries_whatever_the_board_size(client, session, engine):
    small_idle, small_full = _statements(client, engine, 5)
    large_idle, large_full = _statements(client, engine, 200)
    assert small_idle == large_idle <= 3  # one SELECT (in tests, inside a SAVEPOINT and its RELEASE)
    assert small_full == large_full
