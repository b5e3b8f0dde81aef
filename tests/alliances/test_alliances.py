"""Alliances: creating, changing and listing them (rules, then pages)."""

from __future__ import annotations

import re

from sqlalchemy import select

from collab.alliances import services
from collab.alliances.models import Alliance, Membership, Role, Visibility
from collab.audit import AuditEntry
from tests.factories import login_as, make_alliance, make_user


def _actions(session, alliance) -> list[str]:
    return list(
        session.scalars(
            select(AuditEntry.action).where(AuditEntry.alliance_id == alliance.id).order_by(AuditEntry.id)
        )
    )


ALLIANCE_FORM = {
    "name": "Harbour Wellbeing Alliance",
    "purpose": "We help people **stay well** close to home.",
    "outcomes": "People recover\n- People choose\n\n* People take part",
    "visibility": "private",
}


def text(response) -> str:
    return response.get_data(as_text=True)


# Alliances ---------------------------------------------------------------------


def test_create_alliance_makes_the_creator_its_first_commissioner(session):
    creator = make_user(is_site_admin=True)
    alliance = services.create_alliance(
        session, creator, name="Living Well Alliance", purpose="We **help**.",
        outcomes=["People recover", "People choose"],
    )
    assert alliance.slug == "living-well-alliance"
    assert alliance.visibility == Visibility.PRIVATE
    assert [o.text for o in alliance.outcomes] == ["People recover", "People choose"]
    memberships = session.scalars(select(Membership).where(Membership.alliance_id == alliance.id)).all()
    assert [(m.user_id, m.role) for m in memberships] == [(creator.id, Role.COMMISSIONER)]
    assert _actions(session, alliance) == ["alliance.created", "membership.joined"]


def test_alliance_slugs_stay_unique(session):
    creator = make_user(is_site_admin=True)
    first = services.create_alliance(session, creator, name="Youth Alliance", purpose="x", outcomes=["a"])
    second = services.create_alliance(session, creator, name="Youth  alliance!", purpose="x", outcomes=["a"])
    third = services.create_alliance(session, creator, name="☃☃", purpose="x", outcomes=["a"])
    assert first.slug == "youth-alliance"
    assert second.slug == "youth-alliance-2"
    assert third.slug == "alliance"


def test_update_alliance_records_what_changed(session):
    alliance = make_alliance(name="Old name")
    actor = alliance.memberships[0].user
    services.update_alliance(
        session, actor, alliance, name="New name", purpose=alliance.purpose,
        outcomes=["One", "Two"], visibility=Visibility.PUBLIC,
    )
    assert alliance.name == "New name"
    assert alliance.is_public
    assert [o.text for o in alliance.outcomes] == ["One", "Two"]
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "alliance.updated"))
    assert entry.detail == {"changed": ["name", "shared outcomes", "visibility"]}


def test_update_alliance_without_changes_records_nothing(session):
    alliance = make_alliance()
    actor = alliance.memberships[0].user
    services.update_alliance(
        session, actor, alliance, name=alliance.name, purpose=alliance.purpose,
        outcomes=[o.text for o in alliance.outcomes], visibility=alliance.visibility,
    )
    assert "alliance.updated" not in _actions(session, alliance)


def test_public_alliances_leave_out_my_own(session):
    mine = make_alliance(visibility=Visibility.PUBLIC)
    other = make_alliance(visibility=Visibility.PUBLIC)
    make_alliance(visibility=Visibility.PRIVATE)
    me = mine.memberships[0].user
    listed = services.public_alliances(session, exclude_user=me)
    assert other in listed and mine not in listed


# Creating and editing an alliance -------------------------------------------------


def test_site_admin_creates_an_alliance_and_becomes_its_commissioner(client, session):
    admin = make_user(is_site_admin=True, display_name="Ada Admin")
    login_as(client, admin)
    response = client.post("/alliances/new", data=ALLIANCE_FORM)
    assert response.status_code == 303
    assert response.headers["Location"] == "/alliances/harbour-wellbeing-alliance"
    page = text(client.get(response.headers["Location"]))
    assert "Harbour Wellbeing Alliance has been created" in page
    assert "<strong>stay well</strong>" in page
    assert "<li>People recover</li><li>People choose</li><li>People take part</li>" in page
    assert "You are a commissioner" in page
    session.expire_all()
    alliance = session.scalar(select(Alliance).where(Alliance.slug == "harbour-wellbeing-alliance"))
    assert alliance.visibility == Visibility.PRIVATE
    membership = session.scalar(select(Membership).where(Membership.alliance_id == alliance.id))
    assert (membership.user_id, membership.role) == (admin.id, Role.COMMISSIONER)


def test_alliance_form_errors_are_listed_in_an_error_summary(client, session):
    login_as(client, make_user(is_site_admin=True))
    response = client.post(
        "/alliances/new", data={"name": "", "purpose": "", "outcomes": "\n".join(f"o{n}" for n in range(13))}
    )
    assert response.status_code == 422
    body = text(response)
    assert "There is a problem" in body
    assert '<a href="#name">Enter the alliance&#39;s name</a>' in body
    assert "Enter 12 shared outcomes or fewer" in body
    assert session.scalar(select(Alliance.id)) is None


def test_the_preview_button_works_without_javascript(client, session):
    login_as(client, make_user(is_site_admin=True))
    response = client.post("/alliances/new", data={**ALLIANCE_FORM, "purpose": "# Why\n\n- *one*", "preview": "purpose"})
    assert response.status_code == 200
    body = text(response)
    assert "<h2>Why</h2>" in body
    assert "<em>one</em>" in body
    # Nothing is saved and no errors are shown while previewing.
    assert "There is a problem" not in body
    assert session.scalar(select(Alliance.id)) is None
    # What was typed is still in the form.
    assert "# Why" in body


def test_live_preview_renders_the_named_field_as_a_fragment(client, session):
    login_as(client, make_user())
    response = client.post(
        "/preview?field=purpose",
        data={"purpose": "Hello **there** <script>alert(1)</script>"},
        headers={"HX-Request": "true", "HX-Target": "purpose-preview"},
    )
    assert response.status_code == 200
    body = text(response)
    assert body.startswith('<div id="purpose-preview"')
    assert "<strong>there</strong>" in body
    assert "<script>" not in body
    assert "<html" not in body
    empty = client.post("/preview?field=purpose", data={"purpose": ""}, headers={"HX-Request": "true"})
    assert "Nothing to preview yet." in text(empty)


def test_commissioner_edits_the_alliance_and_the_change_is_recorded(client, session):
    alliance = make_alliance(name="Old name")
    commissioner = alliance.memberships[0].user
    login_as(client, commissioner)
    form = text(client.get(f"/alliances/{alliance.slug}/edit"))
    assert 'value="Old name"' in form
    assert "People recover and stay well</textarea>" in form
    response = client.post(
        f"/alliances/{alliance.slug}/edit",
        data={"name": "New name", "purpose": "New *purpose*", "outcomes": "One\nTwo", "visibility": "public"},
    )
    assert response.status_code == 303
    page = text(client.get(f"/alliances/{alliance.slug}"))
    assert "New name" in page and "<em>purpose</em>" in page and "Public alliance" in page
    activity = text(client.get(f"/alliances/{alliance.slug}/activity"))
    assert "changed the alliance&#39;s name, purpose, shared outcomes, visibility" in activity


def test_edit_preview_keeps_the_unsaved_text(client, session):
    alliance = make_alliance()
    login_as(client, alliance.memberships[0].user)
    response = client.post(
        f"/alliances/{alliance.slug}/edit",
        data={"name": alliance.name, "purpose": "**draft**", "outcomes": "One", "visibility": "private", "preview": "purpose"},
    )
    assert response.status_code == 200
    assert "<strong>draft</strong>" in text(response)
    session.expire_all()
    assert session.get(Alliance, alliance.id).purpose != "**draft**"


def test_alliance_list_shows_mine_and_public_ones(client, session):
    mine = make_alliance(name="My Alliance")
    make_alliance(name="Open Door Alliance", visibility=Visibility.PUBLIC)
    make_alliance(name="Hidden Alliance")
    login_as(client, mine.memberships[0].user)
    page = text(client.get("/alliances"))
    assert "My Alliance" in page and "Open Door Alliance" in page
    assert "Hidden Alliance" not in page
    assert not re.search(r"Hidden", page)


def test_a_line_break_in_a_one_line_field_is_refused(client, session, outbox):
    """Names reach email subjects: a line break there must never get through (or cause a failure)."""
    login_as(client, make_user(is_site_admin=True))
    response = client.post("/alliances/new", data={**ALLIANCE_FORM, "name": "Harbour\r\nBcc: everyone@example.org"})
    assert response.status_code == 422
    assert "Alliance name must be on one line" in text(response)
    response = client.post("/alliances/new", data={**ALLIANCE_FORM, "name": "Harbour\x00"})
    assert response.status_code == 422
    assert "Alliance name must not contain control characters" in text(response)
    # Text boxes keep their line breaks.
    assert client.post("/alliances/new", data=ALLIANCE_FORM).status_code == 303
