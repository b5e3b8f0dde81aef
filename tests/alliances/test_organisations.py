"""Who may change an organisation, corrections, scoped lists and activity (issue 7, defect 4).

Before: any commissioner of any alliance could edit every organisation, and the new name
flowed into other alliances' pages with nothing in their activity.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from collab import audit
from collab.alliances import services
from collab.alliances.models import CorrectionStatus, Organisation, OrganisationCorrection, Role, SizeBand
from collab.audit import AuditEntry
from collab.errors import DomainError
from collab.notifications.models import Notification
from collab.security import Permission as P
from collab.security import can
from tests.factories import add_member, login_as, make_alliance, make_organisation, make_user

FIELDS = dict(org_type="charity", size_band="small", locality="Riverside", postcode_district="RV2")


def text(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def rsession(app):
    """A session inside a request context: notifications build links with url_for."""
    from collab.db import db

    with app.test_request_context():
        yield db.session


class Two:
    """One organisation in two alliances, each with its own commissioner, and a third alliance apart."""

    def __init__(self) -> None:
        self.registrar = make_user(display_name="Rita Registrar")
        self.org = make_organisation(name="Riverside Mind", created_by=self.registrar, locality="Riverside")
        self.north = make_alliance(name="North Alliance")
        self.south = make_alliance(name="South Alliance")
        self.elsewhere = make_alliance(name="Elsewhere Alliance")
        self.north_commissioner = self.north.memberships[0].user
        self.south_commissioner = self.south.memberships[0].user
        self.stranger = self.elsewhere.memberships[0].user  # a commissioner, of another alliance
        self.rep = add_member(self.north, make_user(display_name="Grace Rep"), Role.PROVIDER, self.org).user
        add_member(self.south, make_user(display_name="Sam Rep"), Role.PROVIDER, self.org)
        self.observer = add_member(self.north, make_user(display_name="Olu Observer"), Role.OBSERVER).user


def _entries(session, alliance, action):
    session.expire_all()
    return list(session.scalars(
        select(AuditEntry).where(AuditEntry.alliance_id == alliance.id, AuditEntry.action == action)
    ))


# Permissions ------------------------------------------------------------------------------------


def test_who_may_do_what_with_an_organisation(session):
    w = Two()
    admin = make_user(is_site_admin=True)
    table = {
        w.rep: {P.ORGANISATION_VIEW, P.ORGANISATION_EDIT, P.ORGANISATION_CORRECTION_DECIDE},
        admin: {P.ORGANISATION_VIEW, P.ORGANISATION_EDIT, P.ORGANISATION_CORRECTION_DECIDE},
        w.north_commissioner: {P.ORGANISATION_VIEW, P.ORGANISATION_CORRECTION_PROPOSE},
        w.south_commissioner: {P.ORGANISATION_VIEW, P.ORGANISATION_CORRECTION_PROPOSE},
        w.observer: {P.ORGANISATION_VIEW},
        w.stranger: set(),
        # It has representatives now, so the person who registered it no longer edits it (but still sees it).
        w.registrar: {P.ORGANISATION_VIEW},
    }
    for user, allowed in table.items():
        for permission in (P.ORGANISATION_VIEW, P.ORGANISATION_EDIT, P.ORGANISATION_CORRECTION_PROPOSE,
                           P.ORGANISATION_CORRECTION_DECIDE):
            assert can(permission, w.org, user=user) == (permission in allowed), (user.display_name, permission)


def test_the_registrar_may_edit_until_someone_represents_it(session):
    registrar = make_user()
    org = make_organisation(created_by=registrar)
    assert can(P.ORGANISATION_EDIT, org, user=registrar)
    assert can(P.ORGANISATION_VIEW, org, user=registrar)
    assert not can(P.ORGANISATION_EDIT, org, user=make_user())


# Services ---------------------------------------------------------------------------------------


def test_an_edit_is_recorded_in_every_alliance_the_organisation_belongs_to(session):
    w = Two()
    assert services.update_organisation(session, w.rep, w.org, name="Riverside Mind CIC", **FIELDS)
    for alliance in (w.north, w.south):
        (entry,) = _entries(session, alliance, "organisation.updated")
        assert audit.describe(entry) == "Grace Rep changed the name of Riverside Mind to Riverside Mind CIC and its postcode district"
    assert _entries(session, w.elsewhere, "organisation.updated") == []
    # Saving with nothing changed records nothing.
    assert not services.update_organisation(session, w.rep, w.org, name="Riverside Mind CIC", **FIELDS)
    assert len(_entries(session, w.north, "organisation.updated")) == 1
    assert audit.verify_chain(session).ok


def test_a_proposed_correction_changes_nothing_until_a_representative_accepts_it(rsession):
    w = Two()
    correction = services.propose_correction(
        rsession, w.north_commissioner, w.org, reason="They registered as a CIC last month",
        name="Riverside Mind CIC", org_type="charity", size_band="medium", locality="Riverside",
    )
    assert correction.changes == {"name": "Riverside Mind CIC", "size_band": "medium"}
    assert w.org.name == "Riverside Mind"
    assert services.pending_corrections(rsession, w.org) == [correction]
    # Both representatives are told; the proposer is not.
    told = rsession.scalars(select(Notification).where(Notification.kind == "organisation_correction_proposed")).all()
    assert sorted(n.user.display_name for n in told) == ["Grace Rep", "Sam Rep"]
    assert told[0].url == f"/organisations/{w.org.id}"

    services.accept_correction(rsession, w.rep, correction)
    assert (w.org.name, w.org.size_band) == ("Riverside Mind CIC", SizeBand.MEDIUM)
    assert (correction.status, correction.decided_by_id) == (CorrectionStatus.ACCEPTED, w.rep.id)
    assert correction.decided_at is not None
    for alliance in (w.north, w.south):
        (entry,) = _entries(rsession, alliance, "organisation.correction_accepted")
        assert audit.describe(entry).startswith(
            f"Grace Rep accepted a correction from {w.north_commissioner.display_name}, "
            "which changed the name of Riverside Mind to Riverside Mind CIC"
        )
    with pytest.raises(DomainError):
        services.accept_correction(rsession, w.rep, correction)
    proposer_told = rsession.scalars(select(Notification).where(
        Notification.kind == "organisation_correction_decided", Notification.user_id == w.north_commissioner.id
    )).all()
    assert [n.title for n in proposer_told] == ["Grace Rep accepted your correction to Riverside Mind CIC"]


def test_a_declined_correction_leaves_the_organisation_alone(rsession):
    w = Two()
    correction = services.propose_correction(
        rsession, w.south_commissioner, w.org, reason="Typo", name="Riverside Mnd", **FIELDS
    )
    services.decline_correction(rsession, w.rep, correction)
    assert w.org.name == "Riverside Mind"
    assert correction.status == CorrectionStatus.DECLINED
    assert len(_entries(rsession, w.north, "organisation.correction_declined")) == 1
    assert services.pending_corrections(rsession, w.org) == []


def test_a_correction_must_change_something_and_say_why(rsession):
    w = Two()
    with pytest.raises(DomainError, match="Change at least one detail"):
        services.propose_correction(rsession, w.north_commissioner, w.org, reason="x", name="Riverside Mind",
                                    org_type="charity", size_band="small", locality="Riverside")
    with pytest.raises(DomainError, match="Enter why"):
        services.propose_correction(rsession, w.north_commissioner, w.org, reason="  ", name="New", **FIELDS)
    make_organisation(name="Taken")
    with pytest.raises(DomainError, match="already registered"):
        services.propose_correction(rsession, w.north_commissioner, w.org, reason="x", name="taken", **FIELDS)


def test_lists_show_only_the_organisations_a_person_may_see(session):
    w = Two()
    hidden = make_organisation(name="Hidden Housing")
    mine = make_organisation(name="Mine Only", created_by=w.stranger)
    names = lambda user: [o.name for o in services.visible_organisations(session, user)]  # noqa: E731
    assert names(w.north_commissioner) == ["Riverside Mind"]
    assert names(w.stranger) == ["Mine Only"]
    assert names(w.registrar) == ["Riverside Mind"]
    assert {"Hidden Housing", "Mine Only", "Riverside Mind"} <= set(names(make_user(is_site_admin=True)))
    assert hidden.id and mine.id


# Routes -----------------------------------------------------------------------------------------

FORM = dict(name="Riverside Mind", **FIELDS, charity_number="", company_number="")


def test_a_commissioner_of_another_alliance_cannot_see_or_edit_the_organisation(client, session):
    w = Two()
    login_as(client, w.stranger)
    assert client.get(f"/organisations/{w.org.id}").status_code == 404
    assert client.get(f"/organisations/{w.org.id}/edit").status_code == 404
    response = client.post(f"/organisations/{w.org.id}/edit", data={**FORM, "name": "Hijacked"})
    assert response.status_code == 404
    assert client.post(f"/organisations/{w.org.id}/corrections/new",
                       data={**FORM, "name": "Hijacked", "reason": "x"}).status_code == 404
    session.expire_all()
    assert session.get(Organisation, w.org.id).name == "Riverside Mind"
    # Nor can a commissioner of one of its alliances edit it directly: they propose instead.
    login_as(client, w.north_commissioner)
    assert client.post(f"/organisations/{w.org.id}/edit", data={**FORM, "name": "Hijacked"}).status_code == 403
    page = text(client.get(f"/organisations/{w.org.id}"))
    assert "Propose a correction" in page and "Change the details" not in page


def test_a_representative_edits_and_both_alliances_see_it_in_their_activity(client, session):
    w = Two()
    login_as(client, w.rep)
    form = text(client.get(f"/organisations/{w.org.id}/edit"))
    assert 'value="Riverside Mind"' in form
    response = client.post(f"/organisations/{w.org.id}/edit", data={**FORM, "name": "Riverside Mind CIC"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/organisations/{w.org.id}"
    assert "Riverside Mind CIC has been saved." in text(client.get(response.headers["Location"]))
    for alliance, commissioner in ((w.north, w.north_commissioner), (w.south, w.south_commissioner)):
        login_as(client, commissioner)
        activity = text(client.get(f"/alliances/{alliance.slug}/activity"))
        assert "Grace Rep changed the name of Riverside Mind to Riverside Mind CIC" in activity


def test_edit_form_errors_are_summarised(client, session):
    w = Two()
    login_as(client, w.rep)
    response = client.post(f"/organisations/{w.org.id}/edit", data={**FORM, "name": ""})
    assert response.status_code == 422
    assert '<a href="#name">Enter the organisation&#39;s name</a>' in text(response)


def test_propose_then_accept_through_the_pages(client, session):
    w = Two()
    login_as(client, w.south_commissioner)
    empty = client.post(f"/organisations/{w.org.id}/corrections/new", data={**FORM, "reason": ""})
    assert empty.status_code == 422
    assert "There is a problem" in text(empty)
    assert '<a href="#reason">Enter why the details need correcting</a>' in text(empty)
    response = client.post(f"/organisations/{w.org.id}/corrections/new",
                           data={**FORM, "locality": "Northside", "reason": "They moved in May"})
    assert response.status_code == 303
    page = text(client.get(response.headers["Location"]))
    assert "Your correction has been sent to the people who represent Riverside Mind." in page
    assert "They moved in May" in page
    assert "Waiting for someone who represents Riverside Mind" in page
    correction = session.scalar(select(OrganisationCorrection))
    # The proposer may not decide on their own correction.
    assert client.post(f"/organisations/{w.org.id}/corrections/{correction.id}/accept").status_code == 403

    login_as(client, w.rep)
    page = text(client.get(f"/organisations/{w.org.id}"))
    assert "<del>Riverside</del>" in page and "<ins>Northside</ins>" in page
    response = client.post(f"/organisations/{w.org.id}/corrections/{correction.id}/accept")
    assert response.status_code == 303
    page = text(client.get(response.headers["Location"]))
    assert "The correction has been accepted" in page
    assert "There are no corrections waiting." in page
    session.expire_all()
    assert session.get(Organisation, w.org.id).locality == "Northside"
    for alliance, commissioner in ((w.north, w.north_commissioner), (w.south, w.south_commissioner)):
        login_as(client, commissioner)
        assert "Grace Rep accepted a correction from" in text(client.get(f"/alliances/{alliance.slug}/activity"))
    # A correction id from another organisation is not found through this one.
    other = make_organisation(created_by=w.rep)
    assert client.post(f"/organisations/{other.id}/corrections/{correction.id}/accept").status_code == 404


def test_organisation_lists_are_scoped(client, session):
    w = Two()
    make_organisation(name="Hidden Housing")
    login_as(client, w.north_commissioner)
    listing = text(client.get("/organisations"))
    assert "Riverside Mind" in listing and "Hidden Housing" not in listing
    invite_form = text(client.get(f"/alliances/{w.north.slug}/invitations"))
    assert "Riverside Mind" in invite_form and "Hidden Housing" not in invite_form
    hidden = session.scalar(select(Organisation).where(Organisation.name == "Hidden Housing"))
    refused = client.post(f"/alliances/{w.north.slug}/invitations",
                          data={"email": "p@example.org", "role": "provider", "organisation_id": str(hidden.id)})
    assert refused.status_code == 422
    login_as(client, w.stranger)
    assert "Riverside Mind" not in text(client.get("/organisations"))
    assert "Riverside Mind" not in text(client.get(f"/alliances/{w.elsewhere.slug}/invitations"))


def test_organisation_page_lists_only_alliances_the_viewer_can_see(client, session):
    w = Two()
    login_as(client, w.north_commissioner)
    page = text(client.get(f"/organisations/{w.org.id}"))
    assert "North Alliance" in page and "South Alliance" not in page
    login_as(client, w.rep)
    assert "South Alliance" not in text(client.get(f"/organisations/{w.org.id}"))


def test_a_commissioner_cannot_make_themselves_the_organisations_representative(session):
    w = Two()
    own = w.north.memberships[0]
    with pytest.raises(DomainError, match="cannot make yourself the representative"):
        services.change_role(session, w.north_commissioner, own, role=Role.COMMISSIONER, organisation=w.org)
    assert own.organisation is None
    assert not can(P.ORGANISATION_EDIT, w.org, user=w.north_commissioner)
    # An organisation they registered and nobody represents yet is theirs to represent.
    theirs = make_organisation(created_by=w.north_commissioner)
    services.change_role(session, w.north_commissioner, own, role=Role.COMMISSIONER, organisation=theirs)
    assert own.organisation == theirs


def test_viewable_organisation_ids_follows_the_view_permission(session):
    from collab.security import viewable_organisation_ids

    w = Two()
    hidden = make_organisation()
    people = [w.rep, w.north_commissioner, w.observer, w.stranger, w.registrar, make_user(is_site_admin=True)]
    for user in people:
        expected = {o.id for o in (w.org, hidden) if can(P.ORGANISATION_VIEW, o, user=user)}
        assert viewable_organisation_ids(user, [w.org.id, hidden.id]) == expected, user.display_name
