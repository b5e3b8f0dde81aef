"""Permission matrix for every workshop route: each role, someone from another alliance, nobody.

Organisers (commissioners and facilitators) plan, invite, facilitate and record outcomes, and
only they see access needs; everyone else taking part adds ideas and votes; observers look.
Other alliances get 404, and a workshop is never found through another alliance's address.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from collab.alliances.models import Role
from collab.db import db, utcnow
from collab.workshops import services
from tests.factories import login_as
from tests.matrix import (
    ANONYMOUS,
    FORBIDDEN,
    INVALID,
    LOGIN,
    NOT_FOUND,
    OK,
    OUTSIDER,
    ROLES,
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
from tests.workshops.helpers import make_past, make_workshop

C, P, S, F, O = (r.value for r in (Role.COMMISSIONER, Role.PROVIDER, Role.SERVICE_USER, Role.FACILITATOR, Role.OBSERVER))


def organisers(status, **overrides):
    """Commissioners and facilitators get ``status``; other members 403; outsiders 404; nobody signs in."""
    base = dict.fromkeys(ROLES, FORBIDDEN)
    base.update({C: status, F: status, OUTSIDER: NOT_FOUND, ANONYMOUS: LOGIN})
    base.update(overrides)
    return expect(FORBIDDEN, **base)


def takers(status, **overrides):
    """Everyone taking part (not observers) gets ``status``."""
    return members(status, **{O: FORBIDDEN, **overrides})


def _w(world: World, rest: str = "", key: str = "workshop") -> str:
    return f"/alliances/{world.slug}/workshops/{world.extra[key].id}{rest}"


ROWS: list[Row] = [
    # Planning ------------------------------------------------------------------
    Row("workshops.index", "GET", lambda w: f"/alliances/{w.slug}/workshops", members(OK)),
    Row("workshops.new", "GET", lambda w: f"/alliances/{w.slug}/workshops/new", organisers(OK)),
    Row("workshops.new", "POST", lambda w: f"/alliances/{w.slug}/workshops/new", organisers(INVALID), data=lambda w: {}),
    Row("workshops.usual_payment", "GET", lambda w: f"/alliances/{w.slug}/workshops/usual-payment", organisers(OK)),
    Row("workshops.usual_payment", "POST", lambda w: f"/alliances/{w.slug}/workshops/usual-payment",
        organisers(SEE_OTHER), data=lambda w: {"payment": "25"}),
    Row("workshops.usual_payment", "POST", lambda w: f"/alliances/{w.slug}/workshops/usual-payment",
        organisers(INVALID), data=lambda w: {"payment": "5000"}, name="too much"),
    Row("workshops.show", "GET", _w, members(OK)),
    Row("workshops.show", "GET", lambda w: f"/alliances/{w.slug}/workshops/{w.extra['elsewhere'].id}",
        members(NOT_FOUND), name="other alliance's workshop"),
    Row("workshops.show", "GET", lambda w: f"/alliances/{w.slug}/workshops/999999999", members(NOT_FOUND), name="missing"),
    Row("workshops.edit", "GET", lambda w: _w(w, "/edit"), organisers(OK)),
    Row("workshops.edit", "POST", lambda w: _w(w, "/edit"), organisers(INVALID), data=lambda w: {"title": ""}),
    Row("workshops.cancel", "GET", lambda w: _w(w, "/cancel"), organisers(OK)),
    Row("workshops.cancel", "POST", lambda w: _w(w, "/cancel"), organisers(INVALID), data=lambda w: {}),
    Row("workshops.agenda", "GET", lambda w: _w(w, "/agenda"), organisers(OK)),
    Row("workshops.agenda", "POST", lambda w: _w(w, "/agenda"), organisers(INVALID), data=lambda w: {"title": ""}),
    Row("workshops.move_item", "POST", lambda w: _w(w, f"/agenda/{w.extra['item'].id}/move"), organisers(SEE_OTHER),
        data=lambda w: {"direction": "down"}),
    Row("workshops.remove_item", "POST", lambda w: _w(w, f"/agenda/{w.extra['item2'].id}/remove"), organisers(SEE_OTHER)),
    Row("workshops.remove_item", "POST", lambda w: _w(w, f"/agenda/{w.extra['foreign_item'].id}/remove"),
        organisers(NOT_FOUND), name="another workshop's item"),
    Row("workshops.ics", "GET", lambda w: _w(w, "/workshop.ics"), members(OK)),
    # Invitations and replies ---------------------------------------------------
    Row("workshops.invite", "GET", lambda w: _w(w, "/invite"), organisers(OK)),
    Row("workshops.invite", "POST", lambda w: _w(w, "/invite"), organisers(INVALID), data=lambda w: {}),
    Row("workshops.reply", "GET", lambda w: _w(w, "/reply"), members(OK)),
    Row("workshops.reply", "POST", lambda w: _w(w, "/reply"), members(INVALID), data=lambda w: {}),
    Row("workshops.reply", "POST", lambda w: _w(w, "/reply"), members(SEE_OTHER),
        data=lambda w: {"reply": "yes", "access_needs": ["bsl"]}, name="yes"),
    # Access needs: organisers only.
    Row("workshops.people", "GET", lambda w: _w(w, "/people"), organisers(OK)),
    Row("workshops.attendance", "POST", lambda w: _w(w, "/attendance", "past"), organisers(SEE_OTHER),
        data=lambda w: {"came": [str(w.extra["past_invitee"].id)]}),
    Row("workshops.attendance", "POST", lambda w: _w(w, "/attendance"), organisers(INVALID), name="not started"),
    Row("workshops.payments_csv", "GET", lambda w: _w(w, "/payments.csv", "past"), organisers(OK)),
    # Calendar ------------------------------------------------------------------
    Row("workshops.calendar", "GET", lambda w: "/workshops/calendar", signed_in(OK)),
    Row("workshops.new_feed", "POST", lambda w: "/workshops/calendar", signed_in(OK)),
    Row("workshops.stop_feed", "POST", lambda w: "/workshops/calendar/stop", signed_in(OK)),
    # Calendar apps send no cookies: the secret address is the key, whoever asks.
    Row("workshops.feed", "GET", lambda w: f"/workshops/calendar/{w.extra['feed_token']}.ics", expect(OK)),
    Row("workshops.feed", "GET", lambda w: "/workshops/calendar/not-a-token.ics", expect(NOT_FOUND), name="bad token"),
    # The ideas board -------------------------------------------------------------
    Row("workshops.board", "GET", lambda w: _w(w, "/board"), members(OK)),
    Row("workshops.board_live", "GET", lambda w: _w(w, "/board/live"), members(OK)),
    Row("workshops.add_idea", "POST", lambda w: _w(w, "/board/ideas"), takers(SEE_OTHER), data=lambda w: {"text": "More evening sessions"}),
    Row("workshops.add_idea", "POST", lambda w: _w(w, "/board/ideas"), takers(INVALID), data=lambda w: {"text": ""}, name="empty"),
    Row("workshops.step", "POST", lambda w: _w(w, "/board/step"), organisers(SEE_OTHER), data=lambda w: {"direction": "next"}),
    Row("workshops.add_theme", "POST", lambda w: _w(w, "/board/themes"), organisers(SEE_OTHER), data=lambda w: {"name": "Access"}),
    Row("workshops.add_theme", "POST", lambda w: _w(w, "/board/themes"), organisers(INVALID), data=lambda w: {"name": ""}, name="empty"),
    Row("workshops.move_idea", "POST", lambda w: _w(w, "/board/move"), organisers(SEE_OTHER),
        data=lambda w: {"idea": str(w.extra["idea"].id), "theme": str(w.extra["theme"].id)}),
    Row("workshops.move_idea", "POST", lambda w: _w(w, "/board/move"), organisers(INVALID),
        data=lambda w: {"idea": str(w.extra["foreign_idea"].id), "theme": ""}, name="another workshop's idea"),
    Row("workshops.merge", "POST", lambda w: _w(w, "/board/merge"), organisers(INVALID), data=lambda w: {}),
    Row("workshops.open_voting", "POST", lambda w: _w(w, "/board/voting"), organisers(SEE_OTHER), data=lambda w: {"dots": "3"}),
    Row("workshops.close_voting", "POST", lambda w: _w(w, "/board/voting/close"), organisers(INVALID)),
    Row("workshops.vote", "POST", lambda w: _w(w, "/board/vote"), takers(INVALID),
        data=lambda w: {"idea": str(w.extra["idea"].id), "change": "add"}, name="voting not open"),
    # Outcomes --------------------------------------------------------------------
    Row("workshops.outcomes", "GET", lambda w: _w(w, "/outcomes"), members(OK)),
    Row("workshops.add_contributions", "POST", lambda w: _w(w, "/outcomes/contributions"), organisers(INVALID), data=lambda w: {}),
    Row("workshops.contribution_to_comment", "POST",
        lambda w: _w(w, f"/outcomes/contributions/{w.extra['contribution'].id}/comment"), organisers(SEE_OTHER),
        data=lambda w: {"section": ""}),
    Row("workshops.save_notes", "POST", lambda w: _w(w, "/outcomes/notes"), organisers(SEE_OTHER), data=lambda w: {"notes": "We met."}),
    Row("workshops.add_decision", "POST", lambda w: _w(w, "/outcomes/decisions"), organisers(INVALID), data=lambda w: {}),
    Row("workshops.add_action", "POST", lambda w: _w(w, "/outcomes/actions"), organisers(INVALID), data=lambda w: {}),
    # An action's owner (the provider here) and organisers may mark it done.
    Row("workshops.action_status", "POST", lambda w: _w(w, f"/outcomes/actions/{w.extra['action'].id}/status"),
        organisers(SEE_OTHER, **{P: SEE_OTHER}), data=lambda w: {"status": "done"}),
    Row("workshops.proposal", "GET", lambda w: _w(w, "/outcomes/proposal"), organisers(OK)),
    Row("workshops.proposal", "POST", lambda w: _w(w, "/outcomes/proposal"), organisers(INVALID), data=lambda w: {}),
    Row("workshops.proposal", "GET", lambda w: _w(w, f"/outcomes/proposal?contribution={w.extra['contribution'].id}"),
        organisers(OK), name="from a table's contribution"),
    Row("workshops.proposal", "GET", lambda w: _w(w, f"/outcomes/proposal?idea={w.extra['foreign_idea'].id}"),
        organisers(NOT_FOUND), name="another workshop's idea"),
    Row("workshops.report", "GET", lambda w: _w(w, "/report"), members(OK)),
]


@shared_world
def world(session) -> World:
    world = make_world()
    organiser = world.user(C)
    workshop = make_workshop(world.alliance, by=organiser)
    world.extra["workshop"] = workshop
    world.extra["item"] = services.add_agenda_item(db.session, organiser, workshop, title="Welcome", minutes=10)
    world.extra["item2"] = services.add_agenda_item(db.session, organiser, workshop, title="Ideas", minutes=40)
    everyone = [world.user(r).id for r in ROLES]
    services.invite(db.session, organiser, workshop, user_ids=everyone)
    world.extra["idea"] = services.add_idea(db.session, organiser, workshop, "Meet in the evenings")
    world.extra["theme"] = services.add_theme(db.session, organiser, workshop, "Times")
    world.extra["action"] = services.add_action(db.session, organiser, workshop, text="Book the room",
                                                owner_id=world.user(P).id, due_on=(utcnow() + timedelta(days=3)).date())
    world.extra["contribution"] = services.add_contributions(db.session, organiser, workshop, group_name="Table 1",
                                                             people=4, lines="More evening sessions")[0]
    past = make_workshop(world.alliance, by=organiser, title="Last month")
    services.invite(db.session, organiser, past, user_ids=[world.user(S).id])
    services.reply(db.session, world.user(S), past, "yes", claims_payment=True)
    make_past(past)
    world.extra["past"] = past
    world.extra["past_invitee"] = services.invitees(db.session, past)[0]
    elsewhere = make_workshop(world.other_alliance, by=world.user(OUTSIDER))
    world.extra["elsewhere"] = elsewhere
    world.extra["foreign_item"] = services.add_agenda_item(db.session, world.user(OUTSIDER), elsewhere, title="Theirs", minutes=5)
    world.extra["foreign_idea"] = services.add_idea(db.session, world.user(OUTSIDER), elsewhere, "Their idea")
    world.extra["feed_token"] = services.new_feed_token(db.session, organiser)
    return world


@pytest.mark.parametrize(("row", "actor"), cases(ROWS))
def test_permission(client, world, row, actor):
    check(client, world, row, actor)


def test_every_route_has_a_row(app):
    assert_every_route_has_a_row(app, ROWS, ("workshops",))


def test_access_needs_are_shown_to_organisers_and_nobody_else(client, world):
    """A service user's access needs appear on the organisers' page only, never on pages others see."""
    workshop = world.extra["workshop"]
    login_as(client, world.user(S))
    assert client.post(_w(world, "/reply"), data={"reply": "yes", "access_needs": ["bsl"],
                                                   "access_needs_other": "Please send papers early"}).status_code == 303
    for actor in (P, O, S):
        login_as(client, world.user(actor))
        for rest in ("", "/board", "/outcomes", "/report"):
            page = client.get(_w(world, rest)).get_data(as_text=True)
            assert "Please send papers early" not in page, (actor, rest)
            assert "BSL interpreter" not in page, (actor, rest)
    for actor in (C, F):
        login_as(client, world.user(actor))
        page = client.get(_w(world, "/people")).get_data(as_text=True)
        assert "Please send papers early" in page and "1 \u00d7 BSL interpreter" in page
    assert workshop.id
