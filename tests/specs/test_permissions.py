"""Permission matrix for every specification route: each role, someone from another alliance, nobody.

Also: hidden comments are hidden from everyone but moderators and their author, and a spec
is not reachable through another alliance's address.
"""

from __future__ import annotations

import pytest

from collab.alliances.models import Role
from collab.db import db
from collab.documents import services as documents
from collab.specs import services
from tests.factories import add_member, login_as, make_user
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
from tests.specs.helpers import make_spec, paragraph_with

C, P, S, F, O = (r.value for r in (Role.COMMISSIONER, Role.PROVIDER, Role.SERVICE_USER, Role.FACILITATOR, Role.OBSERVER))


def only(status, *roles, **overrides):
    """``status`` for these roles, 403 for other members, 404 outsiders, sign in for nobody."""
    base = dict.fromkeys((C, P, S, F, O), FORBIDDEN)
    base.update(dict.fromkeys(roles, status))
    base.update({OUTSIDER: NOT_FOUND, ANONYMOUS: LOGIN})
    base.update(overrides)
    return expect(FORBIDDEN, **base)


EDITORS = (C, P, F)
COMMENTERS = (C, P, S, F)


def _s(w: World, key: str = "spec") -> str:
    return f"/alliances/{w.slug}/specs/{w.extra[key].id}"


ROWS = [
    Row("specs.index", "GET", lambda w: f"/alliances/{w.slug}/specs", members(OK)),
    # "My comments" is your own list across alliances: anyone signed in (it may be empty).
    Row("specs.my_comments", "GET", lambda w: "/my-comments", signed_in(OK)),
    Row("specs.create", "GET", lambda w: f"/alliances/{w.slug}/specs/new", only(OK, C)),
    Row("specs.create", "POST", lambda w: f"/alliances/{w.slug}/specs/new", only(SEE_OTHER, C),
        data=lambda w: {"title": "Day services", "service_area": "Adult social care"}),
    Row("specs.show", "GET", lambda w: _s(w), members(OK)),
    Row("specs.show", "GET", lambda w: _s(w, "drafting"), members(OK, commissioner=SEE_OTHER, provider=SEE_OTHER,
                                                                 facilitator=SEE_OTHER), name="while drafting"),
    Row("specs.paragraph", "GET", lambda w: f"{_s(w)}/paragraphs/{w.extra['paragraph'].id}", members(OK)),
    Row("specs.add_comment", "POST", lambda w: f"{_s(w)}/paragraphs/{w.extra['paragraph'].id}/comments",
        only(SEE_OTHER, *COMMENTERS), data=lambda w: {"body": "I agree with this."}),
    Row("specs.section_comments", "GET", lambda w: f"{_s(w)}/sections/{w.extra['paragraph'].section_id}/as-a-whole", members(OK)),
    Row("specs.add_section_comment", "POST", lambda w: f"{_s(w)}/sections/{w.extra['paragraph'].section_id}/as-a-whole/comments",
        only(SEE_OTHER, *COMMENTERS), data=lambda w: {"body": "Nothing here about evenings."}),
    Row("specs.whole_comments", "GET", lambda w: f"{_s(w)}/as-a-whole", members(OK)),
    Row("specs.add_whole_comment", "POST", lambda w: f"{_s(w)}/as-a-whole/comments",
        only(SEE_OTHER, *COMMENTERS), data=lambda w: {"body": "A good start overall."}),
    Row("specs.reply", "POST", lambda w: f"{_s(w)}/comments/{w.extra['comment'].id}/replies",
        only(SEE_OTHER, *COMMENTERS), data=lambda w: {"body": "Me too."}),
    Row("specs.support", "POST", lambda w: f"{_s(w)}/comments/{w.extra['comment'].id}/support",
        only(SEE_OTHER, *COMMENTERS), data=lambda w: {"action": "add"}),
    Row("specs.respond", "GET", lambda w: f"{_s(w)}/comments/{w.extra['comment'].id}/respond", only(OK, C, F)),
    Row("specs.respond", "POST", lambda w: f"{_s(w)}/comments/{w.extra['comment'].id}/respond", only(SEE_OTHER, C, F),
        data=lambda w: {"outcome": "answered", "text": "Thank you."}),
    Row("specs.comments", "GET", lambda w: f"{_s(w)}/comments?status=awaiting&from=service_users", members(OK)),
    Row("specs.report", "GET", lambda w: f"{_s(w)}/you-said-we-did", members(OK)),
    Row("specs.report_csv", "GET", lambda w: f"{_s(w)}/you-said-we-did.csv", members(OK)),
    Row("specs.versions", "GET", lambda w: f"{_s(w)}/versions", members(OK)),
    Row("specs.version", "GET", lambda w: f"{_s(w)}/versions/1", members(OK)),
    Row("specs.compare", "GET", lambda w: f"{_s(w)}/compare?from=1&to=1", members(OK)),
    Row("specs.export_pdf", "GET", lambda w: f"{_s(w)}/versions/1/export.pdf", members(OK)),
    Row("specs.export_pdf", "GET", lambda w: f"{_s(w)}/versions/99/export.pdf", members(NOT_FOUND), name="no such version"),
    Row("specs.draft", "GET", lambda w: f"{_s(w)}/draft", only(OK, *EDITORS)),
    Row("specs.edit_details", "GET", lambda w: f"{_s(w)}/details", only(OK, *EDITORS)),
    Row("specs.edit_details", "POST", lambda w: f"{_s(w)}/details", only(SEE_OTHER, *EDITORS),
        data=lambda w: {"title": "Crisis support", "service_area": "Mental health", "summary": "",
                        "easy_read": "Help when you need it.", "lock_version": str(w.extra["spec"].lock_version)}),
    Row("specs.edit_section", "GET", lambda w: f"{_s(w)}/sections/{w.extra['section'].id}", only(OK, *EDITORS)),
    Row("specs.edit_section", "POST", lambda w: f"{_s(w)}/sections/{w.extra['section'].id}", only(SEE_OTHER, *EDITORS),
        data=lambda w: {"heading": "Outcomes", "body": "People get well.", "lock_version": str(w.extra["section"].lock_version)}),
    Row("specs.add_section", "GET", lambda w: f"{_s(w)}/sections/new", only(OK, *EDITORS)),
    Row("specs.add_section", "POST", lambda w: f"{_s(w)}/sections/new", only(SEE_OTHER, *EDITORS),
        data=lambda w: {"heading": "Transport"}),
    Row("specs.move_section", "POST", lambda w: f"{_s(w)}/sections/{w.extra['section'].id}/move", only(SEE_OTHER, *EDITORS),
        data=lambda w: {"direction": "down"}),
    Row("specs.link_clauses", "GET", lambda w: f"{_s(w)}/clauses", only(OK, *EDITORS)),
    Row("specs.link_clauses", "POST", lambda w: f"{_s(w)}/clauses", only(SEE_OTHER, *EDITORS), data=lambda w: {}),
    Row("specs.open_consultation", "GET", lambda w: f"{_s(w, 'drafting')}/consultation", only(OK, C)),
    Row("specs.open_consultation", "POST", lambda w: f"{_s(w, 'drafting')}/consultation", only(SEE_OTHER, C),
        data=lambda w: {"opens_on": "2026-12-01", "closes_on": "2027-01-15", "confirmed": "1"}),
    Row("specs.close_consultation", "GET", lambda w: f"{_s(w)}/close", only(OK, C)),
    Row("specs.close_consultation", "POST", lambda w: f"{_s(w)}/close", only(INVALID, C), name="early, no reason"),
    Row("specs.close_consultation", "POST", lambda w: f"{_s(w)}/close", only(SEE_OTHER, C),
        data=lambda w: {"reason": "We have enough to work with."}),
    Row("specs.share_redraft", "GET", lambda w: f"{_s(w)}/redraft", only(OK, C)),
    Row("specs.share_redraft", "POST", lambda w: f"{_s(w)}/redraft", only(INVALID, C), data=lambda w: {"note": "Same"},
        name="nothing changed"),
    Row("specs.publish", "GET", lambda w: f"{_s(w)}/publish", only(OK, C)),
    Row("specs.publish", "POST", lambda w: f"{_s(w)}/publish", only(INVALID, C), data=lambda w: {},
        name="still in consultation"),
]


@shared_world
def world(session) -> World:
    world = make_world()
    commissioner = world.user(C)
    world.extra["spec"] = spec = make_spec(world.alliance, author=commissioner)
    world.extra["drafting"] = make_spec(world.alliance, author=commissioner, open_consultation=False, title="Day care")
    world.extra["section"] = spec.sections[0]
    world.extra["paragraph"] = paragraph_with(spec, "listened")
    # Written by someone who is not one of the matrix's people, so everyone may support it.
    writer = add_member(world.alliance, make_user(display_name="Wren Writer"), Role.SERVICE_USER).user
    world.extra["comment"] = services.add_comment(session, writer, world.extra["paragraph"], body="Please listen more.")
    return world


@pytest.mark.parametrize(("row", "actor"), cases(ROWS))
def test_permission(client, world, row, actor):
    check(client, world, row, actor)


def test_every_route_has_a_row(app):
    assert_every_route_has_a_row(app, ROWS, ["specs"])


def test_a_spec_is_not_reachable_through_another_alliance(client, world):
    login_as(client, world.user(OUTSIDER))
    other_slug = world.other_alliance.slug
    assert client.get(f"/alliances/{other_slug}/specs/{world.extra['spec'].id}").status_code == 404
    assert client.get(f"/alliances/{other_slug}/specs/{world.extra['spec'].id}/you-said-we-did").status_code == 404


@pytest.mark.parametrize(
    ("viewer", "sees"),
    [(C, True), (F, True), ("author", True), (P, False), (S, False), (O, False)],
)
def test_hidden_comments_only_for_moderators_and_the_author(client, world, viewer, sees):
    item = world.extra["comment"]
    documents.hide_comment(db.session, world.user(C), item.comment, "It named a member of staff")
    db.session.flush()
    user = item.comment.author if viewer == "author" else world.user(viewer)
    login_as(client, user)
    base = _s(world)
    pages = [
        f"{base}/paragraphs/{item.paragraph_id}",
        f"{base}/comments",
        f"{base}/you-said-we-did",
        f"{base}/you-said-we-did.csv",
    ]
    for url in pages:
        body = client.get(url).get_data(as_text=True)
        assert ("Please listen more." in body) is sees, url
    if sees:
        assert "It named a member of staff" in client.get(pages[0]).get_data(as_text=True)
    # Counts on the spec page follow the same rule.
    page = client.get(base).get_data(as_text=True)
    assert (f'href="{base}/paragraphs/{item.paragraph_id}"' in page)


def test_spec_of_another_alliance_404_even_for_its_own_id(client, session, world):
    other_spec = make_spec(world.other_alliance, author=world.user(OUTSIDER), title="Elsewhere")
    login_as(client, world.user(C))
    assert client.get(f"/alliances/{world.slug}/specs/{other_spec.id}").status_code == 404
    paragraph = paragraph_with(other_spec, "listened")
    assert client.get(f"{_s(world)}/paragraphs/{paragraph.id}").status_code == 404
    assert client.post(f"{_s(world)}/paragraphs/{paragraph.id}/comments", data={"body": "x"}).status_code == 404


