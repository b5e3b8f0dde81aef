"""The "you said, we did" pages: the report, its further rows and the CSV."""

from __future__ import annotations

import csv
import io

from collab.alliances.models import Role
from tests.factories import login_as, make_alliance, member
from tests.specs.helpers import comment_on, make_spec


def _base(spec) -> str:
    return f"/alliances/{spec.alliance.slug}/specs/{spec.id}"


def test_report_pages_and_csv(client, session):
    alliance = make_alliance()
    spec = make_spec(alliance)
    for _ in range(55):
        comment_on(spec, "listened", body="=HYPERLINK(\"x\")")
    login_as(client, member(alliance, Role.SERVICE_USER))
    first = client.get(f"{_base(spec)}/you-said-we-did").get_data(as_text=True)
    assert 'id="report-more"' in first and 'data-hx-trigger="revealed"' in first
    assert "page=2" in first
    more = client.get(f"{_base(spec)}/you-said-we-did?page=2", headers={"HX-Request": "true", "HX-Target": "report-more"})
    assert "<html" not in more.get_data(as_text=True) and "That is every comment." in more.get_data(as_text=True)
    assert "<html" in client.get(f"{_base(spec)}/you-said-we-did?page=2").get_data(as_text=True)
    response = client.get(f"{_base(spec)}/you-said-we-did.csv")
    assert response.headers["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 56 and rows[1][4].startswith("'=")  # no spreadsheet formulas
