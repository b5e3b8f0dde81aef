"""Registering an organisation and changing its details (rules, then pages)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from collab.alliances import services
from collab.alliances.models import Organisation, OrganisationType, SizeBand
from collab.errors import DomainError
from tests.factories import login_as, make_alliance, make_organisation, make_user


def text(response) -> str:
    return response.get_data(as_text=True)


# Organisations ------------------------------------------------------------------


def _org(session, actor, name="Mind in Testville", **kwargs):
    fields = dict(org_type=OrganisationType.CHARITY, size_band=SizeBand.SMALL, locality="Testville")
    fields.update(kwargs)
    return services.create_organisation(session, actor, name=name, **fields)


def test_organisation_names_are_unique_ignoring_case(session):
    admin = make_user(is_site_admin=True)
    org = _org(session, admin, postcode_district="", charity_number="1234567")
    assert org.postcode_district is None
    assert org.charity_number == "1234567"
    assert org.is_small
    with pytest.raises(DomainError) as raised:
        _org(session, admin, name="MIND IN TESTVILLE")
    assert raised.value.field == "name"


def test_an_organisation_can_keep_its_own_name_but_not_take_another(session):
    admin = make_user(is_site_admin=True)
    first = _org(session, admin, name="First")
    _org(session, admin, name="Second")
    fields = dict(org_type="community_group", size_band="micro", locality="North")
    services.update_organisation(session, admin, first, name="First", **fields)
    assert first.org_type == OrganisationType.COMMUNITY_GROUP
    assert first.size_band == SizeBand.MICRO
    with pytest.raises(DomainError):
        services.update_organisation(session, admin, first, name="second", **fields)


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
