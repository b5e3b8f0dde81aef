"""Who may use which page: every route of accounts, alliances and pages × every kind of person.

Private alliance pages answer 404 to people outside the alliance (not 403), so that
a private alliance's existence does not leak; people without an account are sent
to sign in. See tests/matrix.py for the helpers other areas reuse.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from collab.accounts.models import PasswordResetToken
from collab.alliances.models import Invitation, OrganisationCorrection, Role
from collab.db import db, utcnow
from collab.security import new_token
from tests.factories import enable_two_step  # two-step sign-in (issue 7)
from tests.matrix import (
    ANONYMOUS,
    FORBIDDEN,
    FOUND,
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
    commissioners,
    expect,
    make_world,
    members,
    shared_world,
    signed_in,
)

BLUEPRINTS = ("accounts", "alliances", "pages")
C = Role.COMMISSIONER.value
SITE_COMMISSIONERS = {C: OK, OUTSIDER: OK}  # the outsider is a commissioner of another alliance


def site_commissioners(status: int | str) -> dict[str, int | str]:
    """Site-wide commissioner powers: commissioners anywhere; other members 403; nobody signs in."""
    return expect(FORBIDDEN, **{C: status, OUTSIDER: status, ANONYMOUS: LOGIN})


def _a(world: World, rest: str = "") -> str:
    return f"/alliances/{world.slug}{rest}"


def _member_path(role: str, action: str):
    return lambda w: _a(w, f"/members/{w.memberships[role].id}/{action}")


ROWS: list[Row] = [
    # Site pages ----------------------------------------------------------------
    Row("pages.home", "GET", lambda w: "/", expect(FOUND, anonymous=OK)),
    Row("pages.healthz", "GET", lambda w: "/healthz", expect(OK)),
    Row("pages.accessibility", "GET", lambda w: "/accessibility", expect(OK)),
    Row("pages.privacy", "GET", lambda w: "/privacy", expect(OK)),
    Row("pages.glossary", "GET", lambda w: "/glossary", expect(OK)),  # polish (issue 9)
    Row("pages.favicon", "GET", lambda w: "/favicon.ico", expect(OK)),  # polish (issue 9)
    Row("pages.preview", "POST", lambda w: "/preview?field=purpose", signed_in(OK),
        data=lambda w: {"purpose": "**bold**"}),
    Row("pages.preview", "POST", lambda w: "/preview?field=purpose", signed_in(OK),
        data=lambda w: {"purpose": "**bold**"}, headers={"HX-Request": "true"}, name="htmx"),
    # Accounts ------------------------------------------------------------------
    Row("accounts.sign_in", "GET", lambda w: "/sign-in", expect(FOUND, anonymous=OK)),
    Row("accounts.sign_in", "POST", lambda w: "/sign-in", expect(INVALID), data=lambda w: {}),
    Row("accounts.sign_out", "POST", lambda w: "/sign-out", expect(SEE_OTHER)),
    Row("accounts.sign_out_everywhere", "POST", lambda w: "/account/sign-out-everywhere", signed_in(SEE_OTHER)),
    Row("accounts.forgotten_password", "GET", lambda w: "/password/forgotten", expect(OK)),
    Row("accounts.forgotten_password", "POST", lambda w: "/password/forgotten", expect(INVALID), data=lambda w: {}),
    Row("accounts.reset_password", "GET", lambda w: f"/password/reset/{w.extra['reset_token']}", expect(OK)),
    Row("accounts.reset_password", "POST", lambda w: f"/password/reset/{w.extra['reset_token']}", expect(INVALID),
        data=lambda w: {}),
    Row("accounts.reset_password", "GET", lambda w: "/password/reset/not-a-token", expect(NOT_FOUND), name="bad token"),
    Row("accounts.reset_password", "POST", lambda w: "/password/reset/not-a-token", expect(NOT_FOUND),
        data=lambda w: {"password": "a long new password", "confirm": "a long new password"}, name="bad token"),
    Row("accounts.profile", "GET", lambda w: "/account", signed_in(OK)),
    Row("accounts.profile", "POST", lambda w: "/account", signed_in(INVALID), data=lambda w: {"display_name": ""}),
    Row("accounts.change_password", "GET", lambda w: "/account/password", signed_in(OK)),
    Row("accounts.change_password", "POST", lambda w: "/account/password", signed_in(INVALID), data=lambda w: {}),
    # Two-step sign-in (issue 7). Without a password step first, the code pages send people to
    # sign in (or on to their alliances if they are signed in). The commissioner has two-step on.
    Row("accounts.sign_in_code", "GET", lambda w: "/sign-in/code", expect(SEE_OTHER, anonymous=LOGIN)),
    Row("accounts.sign_in_code", "POST", lambda w: "/sign-in/code", expect(SEE_OTHER, anonymous=LOGIN),
        data=lambda w: {"code": "123456"}),
    Row("accounts.sign_in_recovery_code", "GET", lambda w: "/sign-in/recovery-code", expect(SEE_OTHER, anonymous=LOGIN)),
    Row("accounts.sign_in_recovery_code", "POST", lambda w: "/sign-in/recovery-code",
        expect(SEE_OTHER, anonymous=LOGIN), data=lambda w: {"code": "abcde-fghjk"}),
    Row("accounts.two_step_status", "GET", lambda w: "/account/two-step", signed_in(OK)),
    Row("accounts.two_step_set_up", "GET", lambda w: "/account/two-step/set-up", signed_in(OK, **{C: SEE_OTHER})),
    Row("accounts.two_step_set_up", "POST", lambda w: "/account/two-step/set-up", signed_in(INVALID, **{C: SEE_OTHER}),
        data=lambda w: {}),
    Row("accounts.two_step_recovery_codes", "GET", lambda w: "/account/two-step/recovery-codes",
        signed_in(SEE_OTHER, **{C: OK})),
    Row("accounts.two_step_recovery_codes", "POST", lambda w: "/account/two-step/recovery-codes",
        signed_in(SEE_OTHER, **{C: INVALID}), data=lambda w: {}),
    Row("accounts.two_step_turn_off", "GET", lambda w: "/account/two-step/turn-off", signed_in(SEE_OTHER, **{C: OK})),
    Row("accounts.two_step_turn_off", "POST", lambda w: "/account/two-step/turn-off",
        signed_in(SEE_OTHER, **{C: INVALID}), data=lambda w: {}),
    # Alliances -----------------------------------------------------------------
    Row("alliances.index", "GET", lambda w: "/alliances", signed_in(OK)),
    Row("alliances.switch", "GET", lambda w: f"/alliances/switch?alliance={w.slug}", signed_in(FOUND)),
    Row("alliances.create", "GET", lambda w: "/alliances/new", site_commissioners(OK)),
    Row("alliances.create", "POST", lambda w: "/alliances/new", site_commissioners(INVALID), data=lambda w: {}),
    Row("alliances.create", "POST", lambda w: "/alliances/new", site_commissioners(OK),
        data=lambda w: {"preview": "purpose", "purpose": "# Hello"}, name="no-JS preview"),
    Row("alliances.home", "GET", lambda w: _a(w), members(OK)),
    Row("alliances.home", "GET", lambda w: f"/alliances/{w.public_alliance.slug}", expect(OK), name="public"),
    Row("alliances.home", "GET", lambda w: "/alliances/no-such-alliance", signed_in(NOT_FOUND), name="missing"),
    Row("alliances.edit", "GET", lambda w: _a(w, "/edit"), commissioners(OK)),
    Row("alliances.edit", "POST", lambda w: _a(w, "/edit"), commissioners(INVALID), data=lambda w: {"name": ""}),
    Row("alliances.edit", "POST", lambda w: _a(w, "/edit"), commissioners(OK),
        data=lambda w: {"preview": "purpose", "purpose": "New *purpose*"}, name="no-JS preview"),
    # A public alliance's own pages are members-only all the same: outsiders find nothing there.
    Row("alliances.edit", "GET", lambda w: f"/alliances/{w.public_alliance.slug}/edit",
        members(FORBIDDEN), name="public"),
    Row("alliances.members", "GET", lambda w: _a(w, "/members"), members(OK)),
    Row("alliances.members", "GET", lambda w: f"/alliances/{w.public_alliance.slug}/members",
        members(OK), name="public"),
    Row("alliances.change_role", "POST", _member_path(Role.OBSERVER.value, "role"), commissioners(SEE_OTHER),
        data=lambda w: {"role": Role.FACILITATOR.value, "organisation_id": ""}),
    Row("alliances.change_role", "POST",
        lambda w: _a(w, f"/members/{w.other_alliance.memberships[0].id}/role"),
        commissioners(NOT_FOUND), data=lambda w: {"role": Role.OBSERVER.value}, name="other alliance's member"),
    Row("alliances.remove_member", "POST", _member_path(Role.PROVIDER.value, "remove"), commissioners(SEE_OTHER)),
    Row("alliances.remove_member", "POST", lambda w: _a(w, "/members/999999999/remove"),
        commissioners(NOT_FOUND), name="missing"),
    Row("alliances.leave", "GET", lambda w: _a(w, "/leave"), members(OK)),
    # The only commissioner may not leave (422); everyone else may.
    Row("alliances.leave", "POST", lambda w: _a(w, "/leave"), members(SEE_OTHER, commissioner=INVALID)),
    Row("alliances.invitations", "GET", lambda w: _a(w, "/invitations"), commissioners(OK)),
    Row("alliances.invitations", "POST", lambda w: _a(w, "/invitations"), commissioners(INVALID), data=lambda w: {}),
    Row("alliances.revoke_invitation", "POST", lambda w: _a(w, f"/invitations/{w.extra['pending'].id}/revoke"),
        commissioners(SEE_OTHER)),
    Row("alliances.revoke_invitation", "POST",
        lambda w: _a(w, f"/invitations/{w.extra['elsewhere'].id}/revoke"),
        commissioners(NOT_FOUND), name="other alliance's invitation"),
    # Trust (issue 7, defect 3): an invitation is for the address it was sent to; anyone else
    # signed in is refused (403); nobody signed in sees the form and must fill it in (422).
    Row("alliances.invitation", "GET", lambda w: f"/invitations/{w.extra['token']}",
        expect(FORBIDDEN, anonymous=OK)),
    Row("alliances.invitation", "POST", lambda w: f"/invitations/{w.extra['token']}",
        expect(FORBIDDEN, anonymous=INVALID), data=lambda w: {}),
    Row("alliances.invitation", "GET", lambda w: f"/invitations/{w.extra['outsider_token']}",
        expect(FORBIDDEN, outsider=OK, anonymous=OK), name="sent to the outsider"),
    Row("alliances.invitation", "POST", lambda w: f"/invitations/{w.extra['outsider_token']}",
        expect(FORBIDDEN, outsider=SEE_OTHER, anonymous=INVALID), data=lambda w: {}, name="sent to the outsider"),
    Row("alliances.invitation", "GET", lambda w: "/invitations/not-a-token", expect(NOT_FOUND), name="bad token"),
    Row("alliances.invitation", "POST", lambda w: "/invitations/not-a-token", expect(NOT_FOUND), name="bad token"),
    Row("alliances.activity", "GET", lambda w: _a(w, "/activity"), members(OK)),
    Row("alliances.activity", "GET", lambda w: f"/alliances/{w.public_alliance.slug}/activity",
        members(OK), name="public"),
    # Organisations ---------------------------------------------------------------
    # Trust (issue 7, defect 4): everyone signed in sees the organisations they may see; the organisation
    # (the provider's) is edited by its representative; the alliance's commissioner proposes corrections;
    # members of its alliances may look; the outsider (a commissioner elsewhere) finds nothing (404).
    Row("alliances.organisations", "GET", lambda w: "/organisations", signed_in(OK)),
    Row("alliances.create_organisation", "GET", lambda w: "/organisations/new", site_commissioners(OK)),
    Row("alliances.create_organisation", "POST", lambda w: "/organisations/new", site_commissioners(INVALID),
        data=lambda w: {}),
    Row("alliances.organisation", "GET", lambda w: f"/organisations/{w.extra['organisation'].id}", members(OK)),
    Row("alliances.organisation", "GET", lambda w: "/organisations/999999999", signed_in(NOT_FOUND), name="missing"),
    Row("alliances.edit_organisation", "GET", lambda w: f"/organisations/{w.extra['organisation'].id}/edit",
        members(FORBIDDEN, provider=OK)),
    Row("alliances.edit_organisation", "POST", lambda w: f"/organisations/{w.extra['organisation'].id}/edit",
        members(FORBIDDEN, provider=INVALID), data=lambda w: {"name": ""}),
    Row("alliances.edit_organisation", "GET", lambda w: "/organisations/999999999/edit",
        signed_in(NOT_FOUND), name="missing"),
    Row("alliances.propose_correction", "GET",
        lambda w: f"/organisations/{w.extra['organisation'].id}/corrections/new", commissioners(OK)),
    Row("alliances.propose_correction", "POST",
        lambda w: f"/organisations/{w.extra['organisation'].id}/corrections/new", commissioners(INVALID),
        data=lambda w: {"name": ""}),
    Row("alliances.accept_correction", "POST",
        lambda w: f"/organisations/{w.extra['organisation'].id}/corrections/{w.extra['correction'].id}/accept",
        members(FORBIDDEN, provider=SEE_OTHER)),
    Row("alliances.decline_correction", "POST",
        lambda w: f"/organisations/{w.extra['organisation'].id}/corrections/{w.extra['correction'].id}/decline",
        members(FORBIDDEN, provider=SEE_OTHER)),
    Row("alliances.accept_correction", "POST",
        lambda w: f"/organisations/{w.extra['organisation'].id}/corrections/999999999/accept",
        members(FORBIDDEN, provider=NOT_FOUND), name="missing"),
]


def _invitation(world: World, alliance, email: str) -> tuple[Invitation, str]:
    token, token_hash = new_token()
    invitation = Invitation(
        alliance=alliance, email=email, role=Role.OBSERVER, token_hash=token_hash,
        invited_by_id=alliance.memberships[0].user_id, expires_at=utcnow() + timedelta(days=14),
    )
    db.session.add(invitation)
    db.session.flush()
    return invitation, token


@shared_world
def world(session) -> World:
    world = make_world()
    world.extra["pending"], world.extra["token"] = _invitation(world, world.alliance, "newcomer@example.org")
    world.extra["elsewhere"], _ = _invitation(world, world.other_alliance, "someone@example.org")
    _, world.extra["outsider_token"] = _invitation(world, world.alliance, world.user(OUTSIDER).email)
    world.extra["organisation"] = world.memberships[Role.PROVIDER.value].organisation
    world.extra["correction"] = OrganisationCorrection(
        organisation=world.extra["organisation"], changes={"locality": "Northside"}, reason="They moved",
        proposed_by_id=world.user(C).id,
    )
    session.add(world.extra["correction"])
    token, token_hash = new_token()
    session.add(PasswordResetToken(
        user=world.user(C), token_hash=token_hash, expires_at=utcnow() + timedelta(hours=1),
    ))
    session.flush()
    world.extra["reset_token"] = token
    enable_two_step(world.user(C))  # two-step sign-in (issue 7)
    return world


@pytest.mark.parametrize(("row", "actor"), cases(ROWS))
def test_permission(client, world, row, actor):
    check(client, world, row, actor)


def test_every_route_has_a_row(app):
    assert_every_route_has_a_row(app, ROWS, BLUEPRINTS)


def test_outsider_cannot_tell_a_private_alliance_from_a_missing_one(client, world):
    """The 404 for a private alliance looks exactly like the 404 for one that does not exist."""
    from tests.factories import login_as

    login_as(client, world.user(OUTSIDER))
    private = client.get(_a(world))
    missing = client.get("/alliances/no-such-alliance")
    assert private.status_code == missing.status_code == 404
    assert world.alliance.name not in private.get_data(as_text=True)
    assert private.get_data(as_text=True) == missing.get_data(as_text=True)


def test_a_site_administrator_runs_the_site_but_does_not_see_into_private_alliances(client, world):
    """Site administrators create alliances and organisations; membership, not the title, opens an alliance."""
    from tests.factories import login_as, make_user

    login_as(client, make_user(is_site_admin=True))
    for path in ("/alliances/new", "/organisations", "/organisations/new",
                 f"/organisations/{world.extra['organisation'].id}",
                 f"/organisations/{world.extra['organisation'].id}/edit"):
        assert client.get(path).status_code == OK, path
    for rest in ("", "/members", "/activity", "/edit", "/invitations", "/leave"):
        assert client.get(_a(world, rest)).status_code == NOT_FOUND, rest
    assert client.get(f"/alliances/{world.public_alliance.slug}").status_code == OK
    assert client.get(f"/alliances/{world.public_alliance.slug}/members").status_code == NOT_FOUND


def test_every_route_in_the_app_has_a_row_in_some_matrix(app):
    """Each area keeps a matrix (tests/<area>/test_permissions*.py with ROWS); together they cover every route.

    A new blueprint, or a new route in any area, fails here until its permissions are tested.
    """
    import importlib
    from pathlib import Path

    from tests.matrix import routes_of

    tests_dir = Path(__file__).resolve().parent
    rows: list[Row] = []
    for path in sorted(tests_dir.rglob("test_permissions*.py")):
        module_name = ".".join(path.relative_to(tests_dir.parent).with_suffix("").parts)
        rows += getattr(importlib.import_module(module_name), "ROWS", [])
    blueprints = {rule.endpoint.split(".", 1)[0] for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    missing = sorted(routes_of(app, blueprints) - {(row.endpoint, row.method) for row in rows})
    assert not missing, f"routes without a permission-matrix row in any area: {missing}"
