"""Specification pages: what people see, htmx fragments, bad input, conflicts, exports."""

from __future__ import annotations

import csv
import io
from datetime import date

from sqlalchemy import select

from collab.alliances.models import Role
from collab.specs import services
from collab.specs.models import Outcome, SpecComment, SpecResponse, SpecStatus
from tests.factories import commissioner_of, login_as, make_alliance, member
from tests.specs.helpers import comment_on, make_spec, paragraph_with


def _base(spec) -> str:
    return f"/alliances/{spec.alliance.slug}/specs/{spec.id}"


def test_every_paragraph_has_a_comment_link_with_its_count(client, session):
    alliance = make_alliance()
    spec = make_spec(alliance)
    comment_on(spec, "listened")
    login_as(client, member(alliance, Role.SERVICE_USER))
    html = client.get(_base(spec)).get_data(as_text=True)
    paragraph = paragraph_with(spec, "listened")
    assert html.count("Comment on this paragraph<span") == 6
    assert f'href="{_base(spec)}/paragraphs/{paragraph.id}"' in html
    assert f'hx-target="#thread-p-{paragraph.id}"' in html
    assert '1<span class="govuk-visually-hidden"> comment so far</span>' in html


def test_observers_see_comments_but_get_no_comment_control(client, session):
    alliance = make_alliance()
    spec = make_spec(alliance)
    login_as(client, member(alliance, Role.OBSERVER))
    html = client.get(_base(spec)).get_data(as_text=True)
    assert "See comments on this paragraph" in html and "Comment on this paragraph<span" not in html


def test_the_thread_comes_as_a_fragment_for_htmx(client, session):
    alliance = make_alliance()
    spec = make_spec(alliance)
    paragraph = paragraph_with(spec, "listened")
    login_as(client, member(alliance, Role.SERVICE_USER))
    url = f"{_base(spec)}/paragraphs/{paragraph.id}"
    response = client.get(url, headers={"HX-Request": "true", "HX-Target": f"thread-p-{paragraph.id}"})
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith(f'<section id="thread-p-{paragraph.id}"')
    assert "HX-Request" in response.headers["Vary"]
    assert "<html" in client.get(url).get_data(as_text=True)


def test_commenting_by_htmx_returns_the_updated_thread_and_bad_input_is_422(client, session):
    alliance = make_alliance()
    spec = make_spec(alliance)
    paragraph = paragraph_with(spec, "listened")
    login_as(client, member(alliance, Role.SERVICE_USER))
    url = f"{_base(spec)}/paragraphs/{paragraph.id}/comments"
    headers = {"HX-Request": "true", "HX-Target": f"thread-p-{paragraph.id}"}
    empty = client.post(url, data={"body": "   "}, headers=headers)
    assert empty.status_code == 422 and "Enter your comment" in empty.get_data(as_text=True)
    made = client.post(url, data={"body": "More evening help, please."}, headers=headers)
    assert made.status_code == 200 and "More evening help, please." in made.get_data(as_text=True)
    assert "Comments on this paragraph (1)" in made.get_data(as_text=True)


def test_on_behalf_fields_only_for_facilitators(client, session):
    alliance = make_alliance()
    spec = make_spec(alliance)
    paragraph = paragraph_with(spec, "listened")
    url = f"{_base(spec)}/paragraphs/{paragraph.id}/comments"
    provider = member(alliance, Role.PROVIDER, display_name="Pat")
    login_as(client, provider)
    client.post(url, data={"body": "Mine", "on_behalf_of_name": "Someone"})
    session.expire_all()
    sc = session.scalar(select(SpecComment).order_by(SpecComment.id.desc()))
    assert sc.comment.byline == "Pat" and sc.speaker_role == Role.PROVIDER
    facilitator = member(alliance, Role.FACILITATOR, display_name="Sam")
    login_as(client, facilitator)
    both = client.post(url, data={"body": "x", "on_behalf_of_name": "Bea", "on_behalf_of": str(provider.id)})
    assert both.status_code == 422 and "not both" in both.get_data(as_text=True)
    assert client.post(url, data={"body": "For Bea", "on_behalf_of_name": "Bea"}).status_code == 303
    session.expire_all()
    sc = session.scalar(select(SpecComment).order_by(SpecComment.id.desc()))
    assert sc.comment.byline == "Bea, added by Sam" and sc.speaker_role == Role.SERVICE_USER


def test_respond_needs_a_reason_for_not_changed(client, session):
    alliance = make_alliance()
    spec = make_spec(alliance)
    sc = comment_on(spec, "listened")
    login_as(client, commissioner_of(alliance))
    url = f"{_base(spec)}/comments/{sc.id}/respond"
    response = client.post(url, data={"outcome": "not_changed", "text": ""})
    assert response.status_code == 422 and "Say why the specification was not changed" in response.get_data(as_text=True)
    assert client.post(url, data={"outcome": "sideways", "text": "x"}).status_code == 422
    assert client.post(url, data={"outcome": "not_changed", "text": "No money for it."}).status_code == 303
    session.expire_all()
    assert session.scalar(select(SpecResponse)).outcome == Outcome.NOT_CHANGED


def test_support_toggles_and_answers_htmx_with_the_control(client, session):
    alliance = make_alliance()
    spec = make_spec(alliance)
    sc = comment_on(spec, "listened")
    login_as(client, member(alliance, Role.PROVIDER))
    url = f"{_base(spec)}/comments/{sc.id}/support"
    headers = {"HX-Request": "true", "HX-Target": f"support-{sc.id}"}
    added = client.post(url, data={"action": "add"}, headers=headers).get_data(as_text=True)
    assert added.lstrip().startswith(f'<span id="support-{sc.id}"') and "1 person says" in added
    assert 'aria-pressed="true"' in added
    again = client.post(url, data={"action": "add"}, headers=headers).get_data(as_text=True)
    assert "1 person says" in again
    removed = client.post(url, data={"action": "remove"}, headers=headers).get_data(as_text=True)
    assert "0 people say" in removed


def test_a_stale_section_edit_shows_both_texts_with_409(client, session):
    alliance = make_alliance()
    spec = make_spec(alliance, open_consultation=False)
    section = spec.sections[0]
    stale = section.lock_version
    services.save_section(session, commissioner_of(alliance), section, stale, heading=section.heading, body="Their new text.")
    login_as(client, member(alliance, Role.PROVIDER))
    response = client.post(f"{_base(spec)}/sections/{section.id}",
                           data={"heading": section.heading, "body": "My own text.", "lock_version": str(stale)})
    body = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Their new text." in body and "My own text." in body and "collab-diff" in body
    assert f'value="{section.lock_version}"' in body  # the form now carries the current version to resubmit


def test_check_plain_language_does_not_save(client, session):
    alliance = make_alliance()
    spec = make_spec(alliance, open_consultation=False)
    section = spec.sections[0]
    login_as(client, commissioner_of(alliance))
    long_sentence = " ".join(["word"] * 40) + "."
    response = client.post(f"{_base(spec)}/sections/{section.id}",
                           data={"heading": section.heading, "body": long_sentence, "lock_version": str(section.lock_version), "check": "1"})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Needs work" in body and 'class="collab-long"' in body
    session.expire_all()
    assert "word word" not in section.body


def test_invalid_consultation_dates_are_422(client, session):
    alliance = make_alliance()
    spec = make_spec(alliance, open_consultation=False)
    login_as(client, commissioner_of(alliance))
    url = f"{_base(spec)}/consultation"
    assert client.post(url, data={"opens_on": "2026-12-01", "closes_on": "2026-11-01"}).status_code == 422
    assert client.post(url, data={"opens_on": "not a date", "closes_on": ""}).status_code == 422
    assert client.post(url, data={"opens_on": "2026-12-01", "closes_on": "2027-01-31"}).status_code == 303


def test_publish_route_needs_a_reason_while_comments_wait(client, session):
    alliance = make_alliance()
    spec = make_spec(alliance)
    comment_on(spec, "listened")
    boss = commissioner_of(alliance)
    services.close_consultation(session, boss, spec)
    login_as(client, boss)
    url = f"{_base(spec)}/publish"
    assert "1 comment is still waiting" in client.get(url).get_data(as_text=True)
    refused = client.post(url, data={"reason": ""})
    assert refused.status_code == 422 and "still waiting for a response" in refused.get_data(as_text=True)
    assert client.post(url, data={"reason": "The service must start in April."}).status_code == 303
    session.expire_all()
    assert spec.status == SpecStatus.PUBLISHED
    assert "The service must start in April." in client.get(_base(spec)).get_data(as_text=True)


def test_report_pages_and_csv(client, session):
    alliance = make_alliance()
    spec = make_spec(alliance)
    for _ in range(55):
        comment_on(spec, "listened", body="=HYPERLINK(\"x\")")
    login_as(client, member(alliance, Role.SERVICE_USER))
    first = client.get(f"{_base(spec)}/you-said-we-did").get_data(as_text=True)
    assert 'id="report-more"' in first and 'hx-trigger="revealed"' in first
    assert "page=2" in first
    more = client.get(f"{_base(spec)}/you-said-we-did?page=2", headers={"HX-Request": "true", "HX-Target": "report-more"})
    assert "<html" not in more.get_data(as_text=True) and "That is every comment." in more.get_data(as_text=True)
    assert "<html" in client.get(f"{_base(spec)}/you-said-we-did?page=2").get_data(as_text=True)
    response = client.get(f"{_base(spec)}/you-said-we-did.csv")
    assert response.headers["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 56 and rows[1][4].startswith("'=")  # no spreadsheet formulas


def test_long_specs_load_in_runs_of_sections(client, session):
    alliance = make_alliance()
    spec = make_spec(alliance, open_consultation=False)
    boss = commissioner_of(alliance)
    for section in spec.sections:
        body = "\n\n".join(f"Paragraph {i} of {section.heading}." for i in range(30))
        services.save_section(session, boss, section, section.lock_version, heading=section.heading, body=body)
    services.open_consultation(session, boss, spec, opens_on=date(2026, 1, 1), closes_on=date(2026, 2, 1))
    login_as(client, boss)
    first = client.get(_base(spec)).get_data(as_text=True)
    assert "Paragraph 0 of Outcomes." in first and "Paragraph 0 of Budget envelope." not in first
    assert 'id="spec-more"' in first and "Continue reading" in first
    fragment = client.get(f"{_base(spec)}?from=2", headers={"HX-Request": "true", "HX-Target": "spec-more"})
    text = fragment.get_data(as_text=True)
    assert "<html" not in text and "Paragraph 0 of Eligibility and access." in text
