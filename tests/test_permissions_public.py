"""Public means public: a public alliance's agreement, specifications in consultation and "you said,
we did" reports are readable by anyone, signed in or not; taking part stays for members; a private
alliance stays exactly as closed (its rows are in tests/agreements and tests/specs: outsiders 404,
nobody signs in, and the private rows below repeat that for the same pages side by side).
"""

from __future__ import annotations

import pytest

from collab.agreements import services as agreements
from collab.alliances.models import Role
from collab.documents import services as comments
from collab.specs import services as specs
from tests.agreements.helpers import soon
from tests.factories import commissioner_of, login_as
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
    cases,
    check,
    expect,
    make_world,
    members,
    shared_world,
)
from tests.specs.helpers import make_spec, paragraph_with

C, P, S, F, O = (r.value for r in (Role.COMMISSIONER, Role.PROVIDER, Role.SERVICE_USER, Role.FACILITATOR, Role.OBSERVER))

#: In the public alliance the matrix's commissioner is an observer (tests/matrix.py make_world).
PUBLIC_COMMENTERS = {P: SEE_OTHER, S: SEE_OTHER, F: SEE_OTHER}


def _public_takes_part(status: int | str = SEE_OTHER) -> dict[str, int | str]:
    """Members who take part in the public alliance; its observers 403; outsiders 404; nobody signs in."""
    return expect(FORBIDDEN, **{P: status, S: status, F: status, OUTSIDER: NOT_FOUND, ANONYMOUS: LOGIN})


def _pub(w: World, rest: str = "") -> str:
    return f"/alliances/{w.public_alliance.slug}{rest}"


def _priv(w: World, rest: str = "") -> str:
    return f"/alliances/{w.slug}{rest}"


#: Every reading page of the agreement and of a specification, as (endpoint, path after the alliance).
READING = [
    ("agreements.show", lambda w, k: "/agreement"),
    ("agreements.show_clause", lambda w, k: f"/agreement/clauses/{w.extra[k + 'clause']}"),
    ("agreements.clause_history", lambda w, k: f"/agreement/clauses/{w.extra[k + 'clause']}/history"),
    ("agreements.proposals", lambda w, k: "/agreement/proposals"),
    ("agreements.show_proposal", lambda w, k: f"/agreement/proposals/{w.extra[k + 'proposal']}"),
    ("agreements.decisions", lambda w, k: "/agreement/decisions"),
    ("agreements.versions", lambda w, k: "/agreement/versions"),
    ("agreements.show_version", lambda w, k: "/agreement/versions/1"),
    ("agreements.compare", lambda w, k: "/agreement/compare?from=1&to=1"),
    ("agreements.export_markdown", lambda w, k: "/agreement/versions/1/export.md"),
    ("specs.index", lambda w, k: "/specs"),
    ("specs.show", lambda w, k: f"/specs/{w.extra[k + 'spec']}"),
    ("specs.paragraph", lambda w, k: f"/specs/{w.extra[k + 'spec']}/paragraphs/{w.extra[k + 'paragraph']}"),
    ("specs.whole_comments", lambda w, k: f"/specs/{w.extra[k + 'spec']}/as-a-whole"),
    ("specs.comments", lambda w, k: f"/specs/{w.extra[k + 'spec']}/comments"),
    ("specs.report", lambda w, k: f"/specs/{w.extra[k + 'spec']}/you-said-we-did"),
    ("specs.report_csv", lambda w, k: f"/specs/{w.extra[k + 'spec']}/you-said-we-did.csv"),
    ("specs.versions", lambda w, k: f"/specs/{w.extra[k + 'spec']}/versions"),
    ("specs.version", lambda w, k: f"/specs/{w.extra[k + 'spec']}/versions/1"),
    ("specs.compare", lambda w, k: f"/specs/{w.extra[k + 'spec']}/compare?from=1&to=1"),
]


def _reading_rows() -> list[Row]:
    rows = []
    for endpoint, rest in READING:
        rows.append(Row(endpoint, "GET", lambda w, rest=rest: _pub(w, rest(w, "public_")), expect(OK), name="public"))
        rows.append(Row(endpoint, "GET", lambda w, rest=rest: _priv(w, rest(w, "private_")), members(OK),
                        name="private"))
    return rows


ROWS = [
    *_reading_rows(),
    # A PDF for anyone is made the same way; one row each keeps the matrix quick.
    Row("agreements.export_pdf", "GET", lambda w: _pub(w, "/agreement/versions/1/export.pdf"), expect(OK),
        name="public"),
    Row("specs.export_pdf", "GET", lambda w: _pub(w, f"/specs/{w.extra['public_spec']}/versions/1/export.pdf?size=large"),
        expect(OK), name="public, large print"),
    # Taking part in a public alliance is for its members: outsiders find nothing, nobody signs in.
    Row("specs.add_comment", "POST",
        lambda w: _pub(w, f"/specs/{w.extra['public_spec']}/paragraphs/{w.extra['public_paragraph']}/comments"),
        _public_takes_part(), data=lambda w: {"body": "I agree."}, name="public"),
    Row("specs.add_whole_comment", "POST", lambda w: _pub(w, f"/specs/{w.extra['public_spec']}/as-a-whole/comments"),
        _public_takes_part(), data=lambda w: {"body": "A good start."}, name="public"),
    Row("documents.add_comment", "POST",
        lambda w: _pub(w, f"/discussions/agreement_clause/{w.extra['public_clause']}/comments"),
        _public_takes_part(), data=lambda w: {"body": "A thought"}, name="public"),
    Row("specs.support", "POST",
        lambda w: _pub(w, f"/specs/{w.extra['public_spec']}/comments/{w.extra['public_comment']}/support"),
        expect(FORBIDDEN, **{P: SEE_OTHER, F: SEE_OTHER, S: INVALID, OUTSIDER: NOT_FOUND, ANONYMOUS: LOGIN}),
        data=lambda w: {"action": "add"}, name="public (the service user wrote it)"),
    Row("agreements.new_proposal", "GET", lambda w: _pub(w, "/agreement/proposals/new"),
        expect(FORBIDDEN, **{P: OK, S: OK, F: OK, OUTSIDER: NOT_FOUND, ANONYMOUS: LOGIN}), name="public"),
    Row("specs.draft", "GET", lambda w: _pub(w, f"/specs/{w.extra['public_spec']}/draft"),
        expect(FORBIDDEN, **{P: OK, F: OK, OUTSIDER: NOT_FOUND, ANONYMOUS: LOGIN}), name="public"),
    Row("specs.close_consultation", "GET", lambda w: _pub(w, f"/specs/{w.extra['public_spec']}/close"),
        expect(FORBIDDEN, **{OUTSIDER: NOT_FOUND, ANONYMOUS: LOGIN}), name="public"),
    Row("alliances.members", "GET", lambda w: _pub(w, "/members"), members(OK), name="public, still members only"),
]


def _fill(world: World, session, alliance, key: str) -> None:
    boss = commissioner_of(alliance)
    provider = world.user(P)
    agreement = agreements.start_agreement(session, boss, alliance, use_template=True)
    agreements.publish(session, boss, agreement)
    clause = agreements.active_clauses(session, agreement)[0]
    proposal = agreements.propose(session, provider, agreement, clause=clause, heading=clause.heading,
                                  body="Proposed words", reason="Clearer", closes_on=soon())
    comments.add_comment(session, world.user(S), alliance, "agreement_clause", clause.id, body="My view")
    spec = make_spec(alliance, author=boss)
    paragraph = paragraph_with(spec, "listened")
    comment = specs.add_comment(session, world.user(S), paragraph, body="Please listen more.")
    world.extra.update({f"{key}clause": clause.id, f"{key}proposal": proposal.id, f"{key}spec": spec.id,
                        f"{key}paragraph": paragraph.id, f"{key}comment": comment.id})


@shared_world
def world(session) -> World:
    world = make_world()
    _fill(world, session, world.public_alliance, "public_")
    _fill(world, session, world.alliance, "private_")
    return world


@pytest.mark.parametrize(("row", "actor"), cases(ROWS))
def test_permission(client, world, row, actor):
    check(client, world, row, actor)


def test_a_visitor_reads_a_public_consultation_and_is_asked_to_sign_in_or_join_where_the_box_would_be(client, world):
    base = _pub(world, f"/specs/{world.extra['public_spec']}")
    paragraph = client.get(f"{base}/paragraphs/{world.extra['public_paragraph']}").get_data(as_text=True)
    assert "Please listen more." in paragraph and 'name="body"' not in paragraph
    assert "Sign in</a> or ask to join to comment" in paragraph and "/sign-in?next=" in paragraph
    clause = client.get(_pub(world, f"/agreement/clauses/{world.extra['public_clause']}")).get_data(as_text=True)
    assert "My view" in clause and "Sign in</a> or ask to join to comment" in clause and 'name="body"' not in clause
    report = client.get(f"{base}/you-said-we-did").get_data(as_text=True)
    assert "Please listen more." in report


def test_a_signed_in_outsider_is_asked_to_join_and_a_member_gets_the_box(client, world):
    path = _pub(world, f"/specs/{world.extra['public_spec']}/paragraphs/{world.extra['public_paragraph']}")
    login_as(client, world.user(OUTSIDER))
    page = client.get(path).get_data(as_text=True)
    assert "ask to join to comment" in page.lower() and 'name="body"' not in page and "/sign-in?next=" not in page
    login_as(client, world.user(S))
    page = client.get(path).get_data(as_text=True)
    assert 'name="body"' in page and "ask to join" not in page.lower()


def test_the_public_alliance_home_links_to_its_agreement_and_specifications(client, world):
    home = client.get(_pub(world)).get_data(as_text=True)
    assert f'href="{_pub(world, "/agreement")}"' in home and f'href="{_pub(world, "/specs")}"' in home


def test_a_private_alliance_is_as_closed_as_before(client, world):
    for rest in ("/agreement", f"/specs/{world.extra['private_spec']}/you-said-we-did"):
        assert client.get(_priv(world, rest)).status_code == 302  # sign in first
        login_as(client, world.user(OUTSIDER))
        hidden = client.get(_priv(world, rest))
        assert hidden.status_code == 404 and world.alliance.name not in hidden.get_data(as_text=True)
        login_as(client, None)


def test_visitors_downloads_write_nothing(client, world, session):
    from sqlalchemy import func, select

    from collab.audit import AuditEntry

    before = session.scalar(select(func.count(AuditEntry.id)))
    assert client.get(_pub(world, "/agreement/versions/1/export.md")).status_code == 200
    assert session.scalar(select(func.count(AuditEntry.id))) == before
