"""Comment pages: threads as htmx fragments, commenting, on-behalf fields, responses, support."""

from __future__ import annotations

from sqlalchemy import select

from collab.alliances.models import Role
from collab.specs.models import Outcome, SpecComment, SpecResponse
from tests.factories import commissioner_of, login_as, make_alliance, member
from tests.specs.helpers import comment_on, make_spec, paragraph_with


def _base(spec) -> str:
    return f"/alliances/{spec.alliance.slug}/specs/{spec.id}"


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
    assert added.lstrip().startswith(f'<div id="support-{sc.id}"') and "1 person says" in added
    assert 'aria-pressed="true"' in added
    again = client.post(url, data={"action": "add"}, headers=headers).get_data(as_text=True)
    assert "1 person says" in again
    removed = client.post(url, data={"action": "remove"}, headers=headers).get_data(as_text=True)
    assert "0 people say" in removed
