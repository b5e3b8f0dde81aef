"""Alliance pages as people use them: create, edit with preview, members, activity, organisations, health."""

from __future__ import annotations

import re

from sqlalchemy import create_engine, select

from collab import audit
from collab.alliances.models import Alliance, Membership, Organisation, Role, Visibility
from tests.factories import add_member, login_as, make_alliance, make_organisation, make_user


def text(response) -> str:
    return response.get_data(as_text=True)


ALLIANCE_FORM = {
    "name": "Harbour Wellbeing Alliance",
    "purpose": "We help people **stay well** close to home.",
    "outcomes": "People recover\n- People choose\n\n* People take part",
    "visibility": "private",
}


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


# Members -------------------------------------------------------------------------


def test_commissioner_changes_a_role(client, session):
    alliance = make_alliance()
    commissioner = alliance.memberships[0].user
    observer = add_member(alliance, make_user(display_name="Olu"), Role.OBSERVER)
    login_as(client, commissioner)
    response = client.post(
        f"/alliances/{alliance.slug}/members/{observer.id}/role",
        data={"role": "facilitator", "organisation_id": ""},
    )
    assert response.status_code == 303
    page = text(client.get(f"/alliances/{alliance.slug}/members"))
    assert "Olu is now a facilitator." in page
    session.expire_all()
    assert session.get(Membership, observer.id).role == Role.FACILITATOR
    assert "changed Olu&#39;s role from observer to facilitator" in text(client.get(f"/alliances/{alliance.slug}/activity"))


def test_provider_role_without_an_organisation_is_refused_with_a_message(client, session):
    alliance = make_alliance()
    observer = add_member(alliance, make_user(display_name="Olu"), Role.OBSERVER)
    login_as(client, alliance.memberships[0].user)
    response = client.post(
        f"/alliances/{alliance.slug}/members/{observer.id}/role", data={"role": "provider", "organisation_id": ""}
    )
    assert response.status_code == 422
    body = text(response)
    assert "There is a problem" in body
    assert f'<a href="#member-{observer.id}">Select the organisation this provider represents</a>' in body
    session.expire_all()
    assert session.get(Membership, observer.id).role == Role.OBSERVER


def test_nonsense_role_is_refused(client, session):
    alliance = make_alliance()
    observer = add_member(alliance, role=Role.OBSERVER)
    login_as(client, alliance.memberships[0].user)
    response = client.post(
        f"/alliances/{alliance.slug}/members/{observer.id}/role", data={"role": "emperor", "organisation_id": "x"}
    )
    assert response.status_code == 422
    assert "There is a problem" in text(response)


def test_the_last_commissioner_cannot_step_down_or_be_removed(client, session):
    alliance = make_alliance()
    only = alliance.memberships[0]
    login_as(client, only.user)
    demote = client.post(f"/alliances/{alliance.slug}/members/{only.id}/role", data={"role": "observer"})
    assert demote.status_code == 422
    assert "An alliance must always have at least one commissioner" in text(demote)
    remove = client.post(f"/alliances/{alliance.slug}/members/{only.id}/remove")
    assert remove.status_code == 422
    assert "An alliance must always have at least one commissioner" in text(remove)
    leave = client.post(f"/alliances/{alliance.slug}/leave")
    assert leave.status_code == 422
    assert "You are the only commissioner" in text(leave)
    session.expire_all()
    assert session.get(Membership, only.id).role == Role.COMMISSIONER


def test_commissioner_removes_a_member_who_then_cannot_see_the_alliance(client, session):
    alliance = make_alliance()
    provider = add_member(alliance, make_user(display_name="Pat"), Role.PROVIDER)
    provider_user = provider.user
    login_as(client, alliance.memberships[0].user)
    response = client.post(f"/alliances/{alliance.slug}/members/{provider.id}/remove")
    assert response.status_code == 303
    assert "Pat has been removed from the alliance." in text(client.get(response.headers["Location"]))
    login_as(client, provider_user)
    assert client.get(f"/alliances/{alliance.slug}").status_code == 404


def test_a_member_leaves(client, session):
    alliance = make_alliance(name="Leaving Alliance")
    member = add_member(alliance, role=Role.SERVICE_USER).user
    login_as(client, member)
    assert "Are you sure you want to leave Leaving Alliance?" in text(client.get(f"/alliances/{alliance.slug}/leave"))
    response = client.post(f"/alliances/{alliance.slug}/leave")
    assert response.status_code == 303
    assert response.headers["Location"] == "/alliances"
    assert "You have left Leaving Alliance." in text(client.get("/alliances"))
    assert client.get(f"/alliances/{alliance.slug}").status_code == 404


# Activity ---------------------------------------------------------------------------


def test_activity_is_paginated_newest_first(client, session):
    alliance = make_alliance()
    commissioner = alliance.memberships[0].user
    for n in range(30):
        audit.record(session, commissioner, "alliance.updated", alliance, alliance=alliance,
                     label=alliance.name, detail={"changed": [f"thing {n:02d}"]})
    login_as(client, commissioner)
    first = text(client.get(f"/alliances/{alliance.slug}/activity"))
    assert "thing 29" in first and "thing 05" in first and "thing 04" not in first
    assert first.index("thing 29") < first.index("thing 28")
    assert "Page 1 of 2" in first
    assert f'href="/alliances/{alliance.slug}/activity?page=2" rel="next"' in first
    second = text(client.get(f"/alliances/{alliance.slug}/activity?page=2"))
    assert "thing 04" in second and "thing 00" in second and "thing 05" not in second
    assert "Page 2 of 2" in second
    assert 'rel="next"' not in second
    # Odd page numbers are treated kindly.
    assert "Page 2 of 2" in text(client.get(f"/alliances/{alliance.slug}/activity?page=99"))
    assert "Page 1 of 2" in text(client.get(f"/alliances/{alliance.slug}/activity?page=banana"))


def test_activity_only_shows_this_alliances_entries(client, session):
    mine, other = make_alliance(), make_alliance()
    audit.record(session, other.memberships[0].user, "alliance.updated", other, alliance=other,
                 label=other.name, detail={"changed": ["secret plans"]})
    login_as(client, mine.memberships[0].user)
    assert "secret plans" not in text(client.get(f"/alliances/{mine.slug}/activity"))


# Organisations ------------------------------------------------------------------------


ORG_FORM = {
    "name": "Riverside Peer Support",
    "org_type": "community_group",
    "size_band": "micro",
    "locality": "Riverside north",
    "postcode_district": "rv2",
    "charity_number": "",
    "company_number": "",
}


def test_commissioner_registers_and_edits_an_organisation(client, session):
    alliance = make_alliance()
    login_as(client, alliance.memberships[0].user)
    response = client.post("/organisations/new", data=ORG_FORM)
    assert response.status_code == 303
    listing = text(client.get("/organisations"))
    assert "Riverside Peer Support has been registered." in listing
    org = session.scalar(select(Organisation).where(Organisation.name == "Riverside Peer Support"))
    assert org.postcode_district == "RV2"
    assert org.charity_number is None

    form = text(client.get(f"/organisations/{org.id}/edit"))
    assert 'value="Riverside Peer Support"' in form
    assert 'value="community_group" checked' in form
    response = client.post(f"/organisations/{org.id}/edit", data={**ORG_FORM, "size_band": "small", "charity_number": "1234567"})
    assert response.status_code == 303
    session.expire_all()
    org = session.get(Organisation, org.id)
    assert (org.size_band.value, org.charity_number) == ("small", "1234567")


def test_organisation_names_must_be_unique_and_fields_valid(client, session):
    make_organisation(name="Taken Name")
    login_as(client, make_user(is_site_admin=True))
    response = client.post("/organisations/new", data={**ORG_FORM, "name": "taken name"})
    assert response.status_code == 422
    assert "An organisation with that name is already registered" in text(response)
    response = client.post(
        "/organisations/new", data={**ORG_FORM, "org_type": "empire", "postcode_district": "not a postcode"}
    )
    assert response.status_code == 422
    body = text(response)
    assert "Enter a postcode district like RV2 or SW1A" in body
    assert "Not a valid choice" in body or "Select the type of organisation" in body


# Health check -------------------------------------------------------------------------


def test_health_check_is_503_when_the_database_cannot_be_reached(app, tmp_path):
    from collab import create_app

    broken = create_engine(f"sqlite:///{tmp_path}/missing/dir/collab.db")
    app = create_app({
        "TESTING": True, "ENGINE": broken, "SECRET_KEY": "x", "MAIL_BACKEND": "memory",
        "RATELIMIT_STORAGE_URI": "memory://",
    })
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    data = response.get_json()
    assert data["status"] == "error"
    assert data["database"] == "unreachable"
    assert data["reason"] == "OperationalError"
    broken.dispose()


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


def test_an_email_subject_never_holds_a_line_break(app, session, outbox):
    """Even if a name with a line break were already stored, inviting still works."""
    from collab.alliances import services

    alliance = make_alliance(name="Harbour\nAlliance")
    with app.test_request_context():
        services.invite(session, alliance.memberships[0].user, alliance, email="x@example.org", role=Role.OBSERVER)
    session.commit()
    assert outbox[-1]["Subject"] == "You are invited to join Harbour Alliance on Collab"
