"""Every member's downloads appear in the alliance's activity: agreement, spec, report, resources and value files."""

from __future__ import annotations

from tests.agreements.helpers import make_cast, publish_and_sign_all, start
from tests.agreements.helpers import response_text as _text
from tests.factories import login_as
from tests.specs.helpers import make_spec


def test_every_members_agreement_downloads_are_in_the_activity(client, session):
    cast = make_cast()
    agreement = start(cast)
    publish_and_sign_all(cast, agreement)
    base = f"/alliances/{cast.alliance.slug}/agreement/versions/1"
    for person, ending in ((cast.service_user, "export.md"), (cast.observer, "export.pdf"), (cast.provider_b, "export.md")):
        login_as(client, person)
        assert client.get(f"{base}/{ending}").status_code == 200
    login_as(client, cast.facilitator)
    activity = _text(client.get(f"/alliances/{cast.alliance.slug}/activity"))
    assert "Cleo downloaded version 1 as Markdown" in activity
    assert "Olu Observer downloaded version 1 as PDF" in activity
    assert "Ben Provider downloaded version 1 as Markdown" in activity


def test_the_report_csv_download_is_in_the_activity(client, session):
    cast = make_cast()
    spec = make_spec(cast.alliance, author=cast.commissioner)
    login_as(client, cast.observer)
    response = client.get(f"/alliances/{cast.alliance.slug}/specs/{spec.id}/you-said-we-did.csv")
    assert response.status_code == 200
    response.close()
    login_as(client, cast.commissioner)
    activity = _text(client.get(f"/alliances/{cast.alliance.slug}/activity"))
    assert f"Olu Observer downloaded the “you said, we did” report for {spec.title} as a spreadsheet (CSV)" in activity


def test_the_spec_pdf_download_is_in_the_activity(client, session, monkeypatch):
    from collab.documents import pdf

    monkeypatch.setattr(pdf, "render_pdf", lambda html, base_url: b"%PDF-1.7 test")
    cast = make_cast()
    spec = make_spec(cast.alliance, author=cast.commissioner)
    base = f"/alliances/{cast.alliance.slug}/specs/{spec.id}/versions/1/export.pdf"
    login_as(client, cast.service_user)
    assert client.get(base).status_code == 200
    login_as(client, cast.observer)
    assert client.get(f"{base}?size=large").status_code == 200
    login_as(client, cast.commissioner)
    activity = _text(client.get(f"/alliances/{cast.alliance.slug}/activity"))
    assert f"Cleo downloaded version 1 of {spec.title} as a PDF" in activity
    assert f"Olu Observer downloaded version 1 of {spec.title} as a PDF in large print" in activity


def test_the_shared_resources_value_csv_download_is_in_the_activity(client, session):
    from tests.resources.helpers import world

    w = world()
    login_as(client, w["borrower"].user)
    response = client.get(f"/alliances/{w['alliance'].slug}/resources/value.csv")
    assert response.status_code == 200
    response.close()
    login_as(client, w["owner"].user)
    activity = _text(client.get(f"/alliances/{w['alliance'].slug}/activity"))
    assert f"{w['borrower'].user.display_name} downloaded the value of shared resources as a spreadsheet (CSV)" in activity


def test_the_value_downloads_are_in_the_activity(client, session, monkeypatch):
    from collab.agreements import pdf

    monkeypatch.setattr(pdf, "render_pdf", lambda html, base_url: b"%PDF-1.7 test")
    cast = make_cast()
    base = f"/alliances/{cast.alliance.slug}/value"
    for person, path in ((cast.service_user, "theme.csv"), (cast.observer, "scorecard.csv"),
                         (cast.provider_b, "open-contracting.json"), (cast.service_user, "report.pdf")):
        login_as(client, person)
        response = client.get(f"{base}/{path}")
        assert response.status_code == 200, path
        response.close()
    login_as(client, cast.observer)
    assert client.get(f"{base}/made-up.csv").status_code == 404  # nothing downloaded, nothing recorded
    login_as(client, cast.commissioner)
    activity = _text(client.get(f"/alliances/{cast.alliance.slug}/activity"))
    assert "Cleo downloaded the value by theme as a spreadsheet (CSV)" in activity
    assert "Olu Observer downloaded the scorecard as a spreadsheet (CSV)" in activity
    assert "Ben Provider downloaded the open contracting data as a data file (JSON)" in activity
    assert "Cleo downloaded the value report as a printable file (PDF)" in activity
    assert activity.count("Olu Observer downloaded") == 1
