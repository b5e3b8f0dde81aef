"""Proposal pages: the journey through propose, respond and decide; notifications in the header."""

from __future__ import annotations

import re

from collab.agreements import services
from collab.agreements.models import ProposalStatus
from tests.agreements.helpers import first_clause, make_cast, soon, start
from tests.agreements.helpers import response_text as _text
from tests.factories import login_as


def test_proposal_journey_through_the_pages(client, session):
    cast = make_cast()
    agreement = start(cast)
    clause = first_clause(agreement)
    login_as(client, cast.service_user)
    made = client.post(
        f"/alliances/{cast.alliance.slug}/agreement/proposals/new?clause={clause.id}",
        data={"heading": clause.heading, "body": clause.body + " People who use services help decide.",
              "reason": "Nothing about us without us", "closes_on": soon().isoformat()},
    )
    assert made.status_code == 303
    page = _text(client.get(made.headers["Location"]))
    assert "People who use services help decide." in page and '<ins class="collab-diff__ins">' in page
    assert "Yet to respond" in page and cast.org_a.name in page
    bad = client.post(made.headers["Location"] + "/respond", data={"response": "object", "reason": ""})
    assert bad.status_code == 422 and "Say why you object" in _text(bad)
    for user in cast.seat_holders:
        login_as(client, user)
        assert client.post(made.headers["Location"] + "/respond", data={"response": "agree"}).status_code == 303
    page = _text(client.get(made.headers["Location"]))
    assert "Carried" in page
    register = _text(client.get(f"/alliances/{cast.alliance.slug}/agreement/decisions"))
    assert "Carried by consent" in register and f'/agreement/clauses/{clause.id}"' in register
    assert "Nothing about us without us" in register


def test_reserved_power_without_reason_is_refused(client, session):
    cast = make_cast()
    agreement = start(cast)
    proposal = services.propose(session, cast.provider_a, agreement, clause=first_clause(agreement), heading="x",
                                body="y", reason="z", closes_on=soon())
    login_as(client, cast.commissioner)
    url = f"/alliances/{cast.alliance.slug}/agreement/proposals/{proposal.id}/decide"
    refused = client.post(url, data={"outcome": "reserved_apply", "reason": ""})
    assert refused.status_code == 422 and "Give the reason" in _text(refused)
    assert client.post(url, data={"outcome": "reserved_apply", "reason": "Budget envelope"}).status_code == 200  # the check page
    assert client.post(url, data={"outcome": "reserved_apply", "reason": "Budget envelope", "confirmed": "1"}).status_code == 303
    session.expire_all()
    assert proposal.status == ProposalStatus.RESERVED


def test_notification_count_appears_in_the_header(client, session):
    cast = make_cast()
    agreement = start(cast)
    services.propose(session, cast.provider_a, agreement, clause=first_clause(agreement), heading="x", body="y",
                     reason="z", closes_on=soon())
    login_as(client, cast.service_user)
    page = _text(client.get(f"/alliances/{cast.alliance.slug}/agreement"))
    assert re.search(r'Notifications <span class="collab-count">1</span>', page)
