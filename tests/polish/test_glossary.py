"""Words service users meet (seat, reserved power, accession, ALT, SHA-256) are explained where they appear."""

from __future__ import annotations

import re

from collab.agreements import services
from collab.alliances.models import Role
from collab.glossary import TERMS, terms_in
from tests.agreements.helpers import first_clause, make_cast, propose_change, publish_and_sign_all, start
from tests.agreements.helpers import response_text as _text
from tests.factories import PASSWORD, add_member, enable_two_step, login_as, make_organisation, make_user


def test_the_glossary_page_explains_every_word_with_an_anchor(client):
    page = _text(client.get("/glossary"))
    assert "<h1 class=\"govuk-heading-l\">Words we use</h1>" in page
    for slug in ("seat", "reserved-power", "accession", "alt", "sha-256"):
        assert f'id="{slug}"' in page and f'href="#{slug}"' in page
    assert "Alliance Leadership Team" in page and "fingerprint" in page
    # Linked from every page's footer.
    assert 'href="/glossary">Words we use</a>' in _text(client.get("/accessibility"))


def test_words_are_found_in_members_own_text():
    found = [t.slug for t in terms_in(["The ALT meets monthly. Each organisation has one seat.", None])]
    assert found == ["alt", "seat"]
    # Abbreviations match in capitals only, and whole words only.
    assert terms_in(["We salt the roads; the alt text is short; seating plan"]) == []
    assert [t.slug for t in terms_in(["A Reserved Power was used."])] == ["reserved-power"]
    assert len({t.slug for t in TERMS}) == len(TERMS)


def test_the_proposal_page_explains_seats_consent_and_the_clause_words(client, session):
    cast = make_cast()
    agreement = start(cast)
    proposal = propose_change(cast, agreement, first_clause(agreement), body="The ALT meets every month.")
    login_as(client, cast.service_user)
    page = _text(client.get(f"/alliances/{cast.alliance.slug}/agreement/proposals/{proposal.id}"))
    assert 'href="/glossary#seat">what is a seat?</a>' in page
    assert 'href="/glossary#consent">' in page
    words = page[page.index("Words used in this proposal"):]
    assert "ALT (Alliance Leadership Team)" in words and 'href="/glossary#alt"' in words


def test_reserved_power_is_explained_on_the_decision_pages(client, session):
    cast = make_cast()
    agreement = start(cast)
    proposal = propose_change(cast, agreement, first_clause(agreement))
    services.decide_reserved(session, cast.commissioner, proposal, apply=False, reason="The budget is fixed")
    login_as(client, cast.commissioner)
    base = f"/alliances/{cast.alliance.slug}/agreement"
    assert 'href="/glossary#reserved-power"' in _text(client.get(f"{base}/decisions"))
    assert 'href="/glossary#reserved-power"' in _text(client.get(f"{base}/proposals/{proposal.id}"))
    other = propose_change(cast, agreement, first_clause(agreement), body="Something else entirely.")
    assert 'href="/glossary#reserved-power"' in _text(client.get(f"{base}/proposals/{other.id}/decide"))


def test_the_agreement_lists_the_words_its_clauses_use(client, session):
    cast = make_cast()
    start(cast)  # the starter agreement talks about the ALT and seats
    login_as(client, cast.service_user)
    page = _text(client.get(f"/alliances/{cast.alliance.slug}/agreement"))
    words = page[page.index("Words used in this agreement"):]
    assert "ALT (Alliance Leadership Team)" in words and "Seat" in words


def test_the_fingerprint_is_behind_technical_details(client, session):
    cast = make_cast()
    agreement = start(cast)
    version = publish_and_sign_all(cast, agreement)
    login_as(client, cast.service_user)
    page = _text(client.get(f"/alliances/{cast.alliance.slug}/agreement/versions/1"))
    details = re.search(r"<details class=\"govuk-details[^\"]*\">(.*?)</details>", page, re.S)
    assert details and "Technical details" in details.group(1) and version.sha256 in details.group(1)
    assert page.count(version.sha256) == 1
    assert 'href="/glossary#sha-256"' in details.group(1)
    versions = _text(client.get(f"/alliances/{cast.alliance.slug}/agreement/versions"))
    assert ">SHA-256</th>" not in versions
    assert re.search(r"<details class=\"govuk-details\" id=\"fingerprints\">.*" + version.sha256 + ".*</details>", versions, re.S)


def test_signing_explains_the_fingerprint_and_joining_later(client, session):
    cast = make_cast()
    agreement = start(cast)
    publish_and_sign_all(cast, agreement)
    newcomer = make_user(display_name="Nia Newcomer")
    add_member(cast.alliance, newcomer, Role.PROVIDER, make_organisation(name="Late Charity"))
    enable_two_step(newcomer)
    login_as(client, newcomer)
    sign_page = _text(client.get(f"/alliances/{cast.alliance.slug}/agreement/versions/1/sign"))
    assert "is the fingerprint (SHA-256) of version 1" in sign_page and 'href="/glossary#sha-256"' in sign_page
    assert 'href="/glossary#accession"' in sign_page
    services.sign(session, newcomer, services.latest_version(session, agreement), password=PASSWORD,
                  typed_name="Nia Newcomer", confirmed=True)
    page = _text(client.get(f"/alliances/{cast.alliance.slug}/agreement/versions/1"))
    assert "Joined later" in page and 'href="/glossary#accession"' in page
