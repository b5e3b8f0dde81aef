"""Who may use which agreement, comment and notification page: every route × every kind of person.

Private pages answer 404 to people from other alliances and send people who are not
signed in to sign in. The verification pages are public on purpose.
"""

from __future__ import annotations

import pytest

from collab.agreements import services
from collab.alliances.models import Role
from collab.db import db
from collab.documents import services as comments
from collab.notifications.services import notify
from tests.agreements.helpers import soon
from tests.factories import PASSWORD, enable_two_step, make_organisation
from tests.matrix import (
    FORBIDDEN,
    INVALID,
    NOT_FOUND,
    OK,
    SEE_OTHER,
    Row,
    World,
    assert_every_route_has_a_row,
    cases,
    check,
    commissioners,
    expect,
    make_world,
    members,
    shared_world,
    signed_in,
)

BLUEPRINTS = ("agreements", "documents", "notifications")
C, P, S, F, O = (r.value for r in (Role.COMMISSIONER, Role.PROVIDER, Role.SERVICE_USER, Role.FACILITATOR, Role.OBSERVER))


def drafters(status: int | str, **overrides: int | str) -> dict[str, int | str]:
    """Commissioners, providers and facilitators; service users and observers 403."""
    return members(status, **{S: FORBIDDEN, O: FORBIDDEN, **overrides})


def takers_part(status: int | str, **overrides: int | str) -> dict[str, int | str]:
    """Everyone in the alliance except observers."""
    return members(status, **{O: FORBIDDEN, **overrides})


def seat_holders(status: int | str, **overrides: int | str) -> dict[str, int | str]:
    """Commissioners, providers and service users respond for their seat."""
    return members(status, **{F: FORBIDDEN, O: FORBIDDEN, **overrides})


def signatories(status: int | str) -> dict[str, int | str]:
    return members(status, **{S: FORBIDDEN, F: FORBIDDEN, O: FORBIDDEN})


def only(role: str, status: int | str, others: int | str = FORBIDDEN) -> dict[str, int | str]:
    return members(others, **{role: status})


def _ag(world: World, rest: str = "") -> str:
    return f"/alliances/{world.slug}/agreement{rest}"


def _clause(w: World) -> int:
    return w.extra["clause"].id


def _edit_data(w: World) -> dict[str, str]:
    clause = w.extra["clause"]
    return {f"clause-{clause.id}-heading": "New heading", f"clause-{clause.id}-body": "New words",
            f"clause-{clause.id}-lock_version": str(clause.lock_version)}


def _proposal_data(w: World) -> dict[str, str]:
    return {"heading": "Meetings", "body": "We meet every week.", "reason": "More contact", "closes_on": soon().isoformat()}


ROWS: list[Row] = [
    Row("agreements.show", "GET", lambda w: _ag(w), members(OK)),
    Row("agreements.start", "POST", lambda w: _ag(w, "/start"), commissioners(INVALID), data=lambda w: {"start": "template"}),
    Row("agreements.show_clause", "GET", lambda w: _ag(w, f"/clauses/{_clause(w)}"), members(OK)),
    Row("agreements.edit_clause", "GET", lambda w: _ag(w, f"/clauses/{_clause(w)}/edit"), drafters(OK)),
    Row("agreements.edit_clause", "POST", lambda w: _ag(w, f"/clauses/{_clause(w)}/edit"), drafters(SEE_OTHER), data=_edit_data),
    Row("agreements.new_clause", "GET", lambda w: _ag(w, "/clauses/new"), drafters(OK)),
    Row("agreements.new_clause", "POST", lambda w: _ag(w, "/clauses/new"), drafters(SEE_OTHER),
        data=lambda w: {"heading": "Extra", "body": "Extra words"}),
    Row("agreements.move_clause", "POST", lambda w: _ag(w, f"/clauses/{_clause(w)}/move"), drafters(SEE_OTHER),
        data=lambda w: {"direction": "down"}),
    Row("agreements.retire_clause", "GET", lambda w: _ag(w, f"/clauses/{_clause(w)}/retire"), drafters(OK)),
    Row("agreements.retire_clause", "POST", lambda w: _ag(w, f"/clauses/{_clause(w)}/retire"), drafters(SEE_OTHER)),
    Row("agreements.clause_history", "GET", lambda w: _ag(w, f"/clauses/{_clause(w)}/history"), members(OK)),
    Row("agreements.publish", "GET", lambda w: _ag(w, "/publish"), commissioners(OK)),
    # Version 1 is still being signed: publishing version 2 asks for a tick first (422 without it).
    Row("agreements.publish", "POST", lambda w: _ag(w, "/publish"), commissioners(INVALID), name="without the tick"),
    Row("agreements.publish", "POST", lambda w: _ag(w, "/publish"), commissioners(SEE_OTHER),
        data=lambda w: {"replace_unsigned": "y"}),
    # Drafting is already open in this world, so the commissioner is told so (409).
    Row("agreements.open_drafting", "POST", lambda w: _ag(w, "/drafting"), commissioners(409)),
    Row("agreements.proposals", "GET", lambda w: _ag(w, "/proposals"), members(OK)),
    Row("agreements.new_proposal", "GET", lambda w: _ag(w, f"/proposals/new?clause={_clause(w)}"), takers_part(OK)),
    Row("agreements.new_proposal", "POST", lambda w: _ag(w, "/proposals/new"), takers_part(SEE_OTHER), data=_proposal_data),
    Row("agreements.show_proposal", "GET", lambda w: _ag(w, f"/proposals/{w.extra['proposal'].id}"), members(OK)),
    Row("agreements.respond", "POST", lambda w: _ag(w, f"/proposals/{w.extra['proposal'].id}/respond"), seat_holders(SEE_OTHER),
        data=lambda w: {"response": "stand_aside", "reason": "Unsure"}),
    Row("agreements.revise_proposal", "GET", lambda w: _ag(w, f"/proposals/{w.extra['proposal'].id}/revise"), only(P, OK)),
    Row("agreements.revise_proposal", "POST", lambda w: _ag(w, f"/proposals/{w.extra['proposal'].id}/revise"),
        only(P, SEE_OTHER), data=_proposal_data),
    Row("agreements.decide_proposal", "GET", lambda w: _ag(w, f"/proposals/{w.extra['proposal'].id}/decide"), commissioners(OK)),
    Row("agreements.decide_proposal", "POST", lambda w: _ag(w, f"/proposals/{w.extra['proposal'].id}/decide"),
        commissioners(OK), data=lambda w: {"outcome": "reserved_reject", "reason": "Budget is fixed"},
        name="reserved power: the check page"),
    Row("agreements.decide_proposal", "POST", lambda w: _ag(w, f"/proposals/{w.extra['proposal'].id}/decide"),
        commissioners(SEE_OTHER), data=lambda w: {"outcome": "reserved_reject", "reason": "Budget is fixed",
                                                  "confirmed": "1"}),
    Row("agreements.decisions", "GET", lambda w: _ag(w, "/decisions"), members(OK)),
    Row("agreements.versions", "GET", lambda w: _ag(w, "/versions"), members(OK)),
    Row("agreements.show_version", "GET", lambda w: _ag(w, "/versions/1"), members(OK)),
    Row("agreements.compare", "GET", lambda w: _ag(w, "/compare?from=1&to=1"), members(OK)),
    Row("agreements.sign", "GET", lambda w: _ag(w, "/versions/1/sign"), signatories(OK)),
    Row("agreements.sign", "POST", lambda w: _ag(w, "/versions/1/sign"), signatories(SEE_OTHER),
        data=lambda w, actor: {"password": PASSWORD, "typed_name": getattr(w.user(actor), "display_name", ""),
                              "confirm": "y"}),
    Row("agreements.export_markdown", "GET", lambda w: _ag(w, "/versions/1/export.md"), members(OK)),
    Row("agreements.export_pdf", "GET", lambda w: _ag(w, "/versions/1/export.pdf"), members(OK)),
    Row("agreements.verify_version", "GET", lambda w: f"/verify/{w.extra['version'].public_id}", expect(OK)),
    Row("agreements.verify", "GET", lambda w: "/verify", expect(OK)),
    Row("agreements.verify", "POST", lambda w: "/verify", expect(OK), data=lambda w: {"sha256": w.extra["version"].sha256}),
    # Comments ----------------------------------------------------------------------
    Row("documents.add_comment", "POST", lambda w: f"/alliances/{w.slug}/discussions/agreement_clause/{_clause(w)}/comments",
        takers_part(SEE_OTHER), data=lambda w: {"body": "A thought"}),
    Row("documents.reply", "GET", lambda w: f"/alliances/{w.slug}/comments/{w.extra['comment'].id}/reply", takers_part(OK)),
    Row("documents.edit_comment", "GET", lambda w: f"/alliances/{w.slug}/comments/{w.extra['comment'].id}/edit", only(S, OK)),
    Row("documents.edit_comment", "POST", lambda w: f"/alliances/{w.slug}/comments/{w.extra['comment'].id}/edit",
        only(S, SEE_OTHER), data=lambda w: {"body": "Better words"}),
    Row("documents.delete_comment", "POST", lambda w: f"/alliances/{w.slug}/comments/{w.extra['comment'].id}/delete",
        only(S, SEE_OTHER)),
    Row("documents.hide_comment", "GET", lambda w: f"/alliances/{w.slug}/comments/{w.extra['comment'].id}/hide",
        members(FORBIDDEN, **{C: OK, F: OK})),
    Row("documents.hide_comment", "POST", lambda w: f"/alliances/{w.slug}/comments/{w.extra['comment'].id}/hide",
        members(FORBIDDEN, **{C: SEE_OTHER, F: SEE_OTHER}), data=lambda w: {"reason": "Personal details"}),
    # Notifications -------------------------------------------------------------------
    Row("notifications.index", "GET", lambda w: "/notifications", signed_in(OK)),
    Row("notifications.mark_read", "POST", lambda w: f"/notifications/{w.extra['notification'].id}/read",
        signed_in(NOT_FOUND, **{C: SEE_OTHER})),
    # Following a notification marks it read and goes to what it is about (the list, when it links nowhere).
    Row("notifications.open_notification", "GET", lambda w: f"/notifications/{w.extra['notification'].id}/open",
        signed_in(NOT_FOUND, **{C: SEE_OTHER})),
    Row("notifications.mark_all_read", "POST", lambda w: "/notifications/read-all", signed_in(SEE_OTHER)),
    Row("notifications.settings", "GET", lambda w: "/notifications/settings", signed_in(OK)),
    Row("notifications.settings", "POST", lambda w: "/notifications/settings", signed_in(SEE_OTHER),
        data=lambda w: {"email": ["agreement_in_force"]}),
]


@shared_world
def world(session) -> World:
    world = make_world()
    session = db.session
    commissioner = world.user(C)
    world.memberships[C].organisation = make_organisation(name="Matrix Council")
    # Signing for an organisation needs two-step sign-in (issue 7).
    enable_two_step(world.user(C))
    enable_two_step(world.user(P))
    session.flush()
    agreement = services.start_agreement(session, commissioner, world.alliance, use_template=True)
    version = services.publish(session, commissioner, agreement)
    services.open_drafting(session, commissioner, agreement)
    clause = services.active_clauses(session, agreement)[1]
    services.edit_clause(session, world.user(P), clause, heading=clause.heading, body="Changed for version 2",
                         lock_version=clause.lock_version)
    proposal = services.propose(session, world.user(P), agreement, clause=clause, heading=clause.heading,
                                body="Proposed words", reason="Clearer", closes_on=soon())
    comment = comments.add_comment(session, world.user(S), world.alliance, "agreement_clause", clause.id, body="My view")
    notification = notify(session, [commissioner], "agreement_in_force", "In force")[0]
    world.extra.update(agreement=agreement, version=version, clause=clause, proposal=proposal, comment=comment,
                       notification=notification)
    return world


@pytest.mark.parametrize(("row", "actor"), cases(ROWS))
def test_permission(client, world, row, actor):
    check(client, world, row, actor)


def test_every_route_has_a_row(app):
    assert_every_route_has_a_row(app, ROWS, BLUEPRINTS)


def test_private_agreement_pages_look_missing_to_outsiders(client, world):
    from tests.factories import login_as

    login_as(client, world.user("outsider"))
    hidden = client.get(_ag(world))
    missing = client.get("/alliances/no-such-alliance/agreement")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.get_data(as_text=True) == missing.get_data(as_text=True)
