"""Open contracting data: the demo alliances' OCDS 1.1 release packages validate against the 1.1.5 schema, offline."""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from collab.alliances.models import Alliance
from collab.db import db, utcnow
from collab.demo import seed_demo
from collab.value.services import ocds
from tests.factories import login_as

SCHEMAS = Path(__file__).resolve().parent.parent / "data" / "ocds"
sys.path.insert(0, str(SCHEMAS))
from validate import errors  # noqa: E402  (the schema folder's own offline validator)


@pytest.fixture
def demo(app, session):
    with app.test_request_context():
        if session.scalar(select(Alliance.id).where(Alliance.name == "Riverside Living Well Alliance")) is None:
            assert seed_demo(session)
    return {a.name: a for a in session.scalars(select(Alliance))}


def _package(alliance, prefix="ocds-test01"):
    text = ocds.dumps(ocds.release_package(db.session, alliance, ocid_prefix=prefix, base_url="https://collab.example",
                                           now=utcnow()))
    return text, json.loads(text, parse_float=Decimal)


@pytest.mark.parametrize("name", ["Riverside Living Well Alliance", "Northgate Youth Alliance"])
def test_the_demo_alliances_export_valid_release_packages(demo, name):
    text, package = _package(demo[name])
    assert errors(package) == []
    release = package["releases"][0]
    assert release["ocid"] == f"ocds-test01-{demo[name].slug}"


def test_the_riverside_release_says_who_did_what_and_how_it_went(demo):
    _text, package = _package(demo["Riverside Living Well Alliance"])
    release = package["releases"][0]
    roles = {p["name"]: p["roles"] for p in release["parties"]}
    assert "buyer" in roles["Riverside Borough Council – Adult Social Care Commissioning"]
    assert roles["Mind in Riverside"] == ["allianceMember", "supplier"]
    assert release["planning"]["budget"]["amount"] == {"amount": Decimal("3000000.00"), "currency": "GBP"}
    assert release["planning"]["documents"][0]["documentType"] == "technicalSpecifications"
    contract = release["contracts"][0]
    assert contract["awardID"] == release["awards"][0]["id"] and "Signed by" in contract["description"]
    milestones = contract["implementation"]["milestones"]
    assert len([m for m in milestones if m["id"].startswith("kra-")]) == 6
    assert {m["status"] for m in milestones} <= {"met", "partiallyMet", "notMet", "scheduled"}
    assert "delivered" in milestones[-1]["description"]


def test_the_ocid_is_stable_and_its_prefix_configurable(demo):
    alliance = demo["Riverside Living Well Alliance"]
    first, second = _package(alliance, "ocds-abc123")[1], _package(alliance, "ocds-abc123")[1]
    assert first["releases"][0]["ocid"] == second["releases"][0]["ocid"] == f"ocds-abc123-{alliance.slug}"


@pytest.mark.parametrize("breakage", ["no ocid", "tag not a list", "amount as text", "party without id"])
def test_a_broken_export_fails_validation(demo, breakage):
    _text, package = _package(demo["Riverside Living Well Alliance"])
    release = package["releases"][0]
    if breakage == "no ocid":
        del release["ocid"]
    elif breakage == "tag not a list":
        release["tag"] = "compiled"
    elif breakage == "amount as text":
        release["planning"]["budget"]["amount"]["amount"] = "three million"
    else:
        release["parties"][0]["id"] = {"not": "a string"}
    assert errors(package) != []


def test_the_export_route_is_for_members_only(client, demo, app):
    alliance = demo["Riverside Living Well Alliance"]
    from collab.accounts import services as accounts

    login_as(client, accounts.find_by_email(db.session, "observer@riverside.example"))
    response = client.get(f"/alliances/{alliance.slug}/value/open-contracting.json")
    assert response.status_code == 200 and response.headers["Content-Disposition"].startswith("attachment")
    assert errors(json.loads(response.get_data(as_text=True))) == []
    assert json.loads(response.get_data(as_text=True))["releases"][0]["ocid"].startswith(app.config["OCDS_OCID_PREFIX"])
    login_as(client, accounts.find_by_email(db.session, "commissioner@northgate.example"))
    assert client.get(f"/alliances/{alliance.slug}/value/open-contracting.json").status_code == 404


def test_the_printable_value_report_is_a_pdf_with_the_figures(client, demo):
    from collab.accounts import services as accounts

    alliance = demo["Riverside Living Well Alliance"]
    login_as(client, accounts.find_by_email(db.session, "serviceuser@riverside.example"))
    response = client.get(f"/alliances/{alliance.slug}/value/report.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert response.headers["Content-Disposition"] == f'attachment; filename="{alliance.slug}-value-report.pdf"'
