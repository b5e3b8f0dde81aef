"""Stage pages: consultation dates and the publish reason."""

from __future__ import annotations

from collab.specs import services
from collab.specs.models import SpecStatus
from tests.factories import commissioner_of, login_as, make_alliance
from tests.specs.helpers import comment_on, make_spec


def _base(spec) -> str:
    return f"/alliances/{spec.alliance.slug}/specs/{spec.id}"


def test_invalid_consultation_dates_are_422(client, session):
    alliance = make_alliance()
    spec = make_spec(alliance, open_consultation=False)
    login_as(client, commissioner_of(alliance))
    url = f"{_base(spec)}/consultation"
    assert client.post(url, data={"opens_on": "2026-12-01", "closes_on": "2026-11-01"}).status_code == 422
    assert client.post(url, data={"opens_on": "not a date", "closes_on": ""}).status_code == 422
    assert client.post(url, data={"opens_on": "2026-12-01", "closes_on": "2027-01-31", "confirmed": "1"}).status_code == 303


def test_publish_route_needs_a_reason_while_comments_wait(client, session):
    alliance = make_alliance()
    spec = make_spec(alliance)
    comment_on(spec, "listened")
    boss = commissioner_of(alliance)
    services.close_consultation(session, boss, spec, reason="Enough comments to work with")
    login_as(client, boss)
    url = f"{_base(spec)}/publish"
    assert "1 comment is still waiting" in client.get(url).get_data(as_text=True)
    refused = client.post(url, data={"reason": ""})
    assert refused.status_code == 422 and "still waiting for a response" in refused.get_data(as_text=True)
    assert client.post(url, data={"reason": "The service must start in April."}).status_code == 303
    session.expire_all()
    assert spec.status == SpecStatus.PUBLISHED
    assert "The service must start in April." in client.get(_base(spec)).get_data(as_text=True)
