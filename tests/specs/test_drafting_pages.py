"""Drafting pages: a stale section edit shows both texts, checking plain language does not save."""

from __future__ import annotations

from collab.alliances.models import Role
from collab.specs import services
from tests.factories import commissioner_of, login_as, make_alliance, member
from tests.specs.helpers import make_spec


def _base(spec) -> str:
    return f"/alliances/{spec.alliance.slug}/specs/{spec.id}"


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
