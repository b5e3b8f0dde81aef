"""Idle board polls answered in front of the application (collab.workshops.live).

An idle poll costs one SQL statement and no Flask request; a 304 is only ever sent to someone
who could see the board at that moment, for the board as they already have it. Everyone else
gets the application's own answer on their very next poll.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from collab.accounts.models import SignInSession
from collab.alliances.models import Membership, Role
from collab.db import db, utcnow
from collab.workshops import services
from tests.factories import commissioner_of, login_as, make_alliance, member
from tests.workshops.helpers import make_workshop
from tests.workshops.helpers import statements_run as counting


@pytest.fixture
def board(session):
    alliance = make_alliance()
    organiser = commissioner_of(alliance)
    workshop = make_workshop(alliance)
    person = member(alliance, Role.SERVICE_USER)
    other = member(alliance, Role.SERVICE_USER)
    db.session.flush()
    return alliance, organiser, workshop, person, other


def _url(alliance, workshop) -> str:
    return f"/alliances/{alliance.slug}/workshops/{workshop.id}/board/live"


def _middleware(app):
    return app.extensions["idle_board_polls"]


def _first(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.headers["ETag"]


def test_an_idle_poll_is_answered_before_the_application_with_one_statement(app, client, engine, board):
    alliance, _, workshop, person, _ = board
    url = _url(alliance, workshop)
    login_as(client, person)
    etag = _first(client, url)
    before = _middleware(app).answered
    with counting(engine) as statements:
        response = client.get(url, headers={"If-None-Match": etag, "HX-Request": "true"})
    assert response.status_code == 304 and response.data == b""
    assert response.headers["ETag"] == etag
    assert _middleware(app).answered == before + 1
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 1
    # The same security headers as every other answer; nothing kept by the browser or a proxy.
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"


def test_the_tag_cannot_be_guessed_or_used_by_someone_else(app, client, board):
    alliance, _, workshop, person, other = board
    url = _url(alliance, workshop)
    login_as(client, person)
    etag = _first(client, url)
    assert etag.startswith(f'"b{workshop.id}.') and len(etag.split(".")[-1]) >= 22  # a MAC, not a user id
    # The old, guessable form of the tag gets the whole board.
    guessed = f'"w{workshop.id}-r{workshop.board_revision}-u{person.id}"'
    assert client.get(url, headers={"If-None-Match": guessed}).status_code == 200
    # Another member sending this person's tag gets their own board, not a 304.
    login_as(client, other)
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200 and response.headers["ETag"] != etag


def test_a_changed_board_is_sent_in_full(client, board):
    alliance, organiser, workshop, person, _ = board
    url = _url(alliance, workshop)
    login_as(client, person)
    etag = _first(client, url)
    services.add_idea(db.session, organiser, workshop, "More evening groups")
    db.session.flush()
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert "More evening groups" in response.get_data(as_text=True)
    assert client.get(url, headers={"If-None-Match": response.headers["ETag"]}).status_code == 304


def test_someone_removed_from_the_alliance_gets_not_found_on_their_next_poll(client, board):
    alliance, _, workshop, person, _ = board
    url = _url(alliance, workshop)
    login_as(client, person)
    etag = _first(client, url)
    db.session.delete(db.session.scalar(select(Membership).where(
        Membership.user_id == person.id, Membership.alliance_id == alliance.id)))
    db.session.flush()
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 404


def test_someone_given_another_role_gets_the_board_for_that_role(client, board):
    alliance, _, workshop, person, _ = board
    url = _url(alliance, workshop)
    login_as(client, person)
    etag = _first(client, url)
    db.session.execute(update(Membership).where(
        Membership.user_id == person.id, Membership.alliance_id == alliance.id).values(role=Role.FACILITATOR))
    db.session.flush()
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200 and response.headers["ETag"] != etag


def test_a_signed_out_browser_is_sent_to_sign_in(client, board):
    alliance, _, workshop, person, _ = board
    url = _url(alliance, workshop)
    login_as(client, person)
    etag = _first(client, url)
    db.session.execute(SignInSession.__table__.delete().where(SignInSession.user_id == person.id))
    db.session.flush()
    response = client.get(url, headers={"If-None-Match": etag, "HX-Request": "true"})
    assert response.status_code == 204 and "/sign-in" in response.headers["HX-Redirect"]
    plain = client.get(url, headers={"If-None-Match": etag})
    assert plain.status_code == 302 and "/sign-in" in plain.headers["Location"]


def test_a_timed_out_session_is_not_kept_alive_by_polling(app, client, board):
    alliance, _, workshop, person, _ = board
    url = _url(alliance, workshop)
    login_as(client, person)
    etag = _first(client, url)
    long_ago = utcnow() - timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1)
    db.session.execute(update(SignInSession).where(SignInSession.user_id == person.id).values(last_seen_at=long_ago))
    db.session.flush()
    response = client.get(url, headers={"If-None-Match": etag, "HX-Request": "true"})
    assert response.status_code == 204 and "/sign-in" in response.headers["HX-Redirect"]


def test_the_application_still_sees_a_poll_once_a_minute_to_note_the_person_is_there(app, client, board):
    alliance, _, workshop, person, _ = board
    url = _url(alliance, workshop)
    login_as(client, person)
    etag = _first(client, url)
    two_minutes_ago = utcnow() - timedelta(minutes=2)
    db.session.execute(update(SignInSession).where(SignInSession.user_id == person.id)
                       .values(last_seen_at=two_minutes_ago))
    db.session.flush()
    passed = _middleware(app).passed
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 304 and response.headers["ETag"] == etag  # the route's tag is the same
    assert _middleware(app).passed == passed + 1
    seen = db.session.scalar(select(SignInSession.last_seen_at).where(SignInSession.user_id == person.id)
                             .execution_options(populate_existing=True))
    assert seen > two_minutes_ago + timedelta(seconds=30)
    answered = _middleware(app).answered
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert _middleware(app).answered == answered + 1


def test_other_alliances_and_workshops_are_not_found(client, board):
    alliance, _, workshop, person, _ = board
    elsewhere = make_alliance()
    their_workshop = make_workshop(elsewhere)
    db.session.flush()
    login_as(client, person)
    etag = _first(client, _url(alliance, workshop))
    assert client.get(_url(elsewhere, their_workshop), headers={"If-None-Match": etag}).status_code == 404
    wrong_alliance = f"/alliances/{alliance.slug}/workshops/{their_workshop.id}/board/live"
    assert client.get(wrong_alliance, headers={"If-None-Match": etag}).status_code == 404
