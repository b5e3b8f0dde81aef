"""The accessibility statement and the privacy notice say what the law asks, for this product."""

from __future__ import annotations

from collab.pages import PRIVACY_NOTICE_UPDATED, STATEMENT_PREPARED, STATEMENT_REVIEWED
from collab.timezone import format_date


def text(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return " ".join(response.get_data(as_text=True).split())


def test_accessibility_statement_has_what_the_2018_regulations_require(client, app):
    page = text(client, "/accessibility")
    # Compliance status, against WCAG 2.2 AA.
    assert "This website is partially compliant with the" in page and "2.2</a> AA standard" in page
    # Known issues and non-accessible content, with the criteria they fail.
    assert 'id="known-issues"' in page and 'id="non-accessible"' in page
    assert "Non-compliance with the accessibility regulations" in page and "1.3.1" in page
    assert "not within the scope of the accessibility regulations" in page
    # How to report a problem, and how to get another format.
    assert f'mailto:{app.config["SERVICE_CONTACT_EMAIL"]}' in page and "Reporting accessibility problems" in page
    # The enforcement procedure: EHRC (and EASS) for Great Britain, ECNI for Northern Ireland.
    assert "Equality and Human Rights Commission (EHRC)" in page and "Equality Advisory and Support Service" in page
    assert "Equality Commission for Northern Ireland (ECNI)" in page
    assert "Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018" in page
    # How it was tested, and the dates.
    assert "How we tested this website" in page and "390 pixels" in page and "Nu HTML Checker" in page
    assert f"This statement was prepared on {format_date(STATEMENT_PREPARED)}." in page
    assert f"It was last reviewed on {format_date(STATEMENT_REVIEWED)}." in page
    assert STATEMENT_PREPARED <= STATEMENT_REVIEWED


def test_privacy_notice_names_controller_basis_retention_ico_and_signature_records(client, app):
    page = text(client, "/privacy")
    assert f"{app.config['SERVICE_OPERATOR']} runs this Collab website and is the data controller" in page
    assert "lawful basis" in page and "Article 6(1)(e)" in page and "Article 9(2)(a)" in page
    assert "How long we keep it" in page and "6 years" in page
    assert "Information Commissioner’s Office (ICO)" in page and "0303 123 1113" in page
    assert "stores your IP address and browser with your signature" in page
    # Each promise to forget is kept by a job (tests/accounts/test_retention.py, tests/workshops/test_retention.py).
    assert "within an hour of the sign-in ending" in page and "until 30 days after the workshop" in page
    assert f"last updated on {format_date(PRIVACY_NOTICE_UPDATED)}" in page


def test_the_operator_is_configurable(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "SERVICE_OPERATOR", "Riverside Council")
    monkeypatch.setitem(app.config, "SERVICE_CONTACT_EMAIL", "collab@riverside.gov.example")
    page = text(client, "/privacy")
    assert "Riverside Council runs this Collab website" in page and "mailto:collab@riverside.gov.example" in page
    assert "mailto:collab@riverside.gov.example" in text(client, "/accessibility")
