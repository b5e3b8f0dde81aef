"""The specification page: comment links with counts, observers' view, long specs in runs of sections."""

from __future__ import annotations

from datetime import date

from collab.alliances.models import Role
from collab.specs import services
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
    assert f'data-hx-target="#thread-p-{paragraph.id}"' in html
    assert '1<span class="govuk-visually-hidden"> comment so far</span>' in html


def test_observers_see_comments_but_get_no_comment_control(client, session):
    alliance = make_alliance()
    spec = make_spec(alliance)
    login_as(client, member(alliance, Role.OBSERVER))
    html = client.get(_base(spec)).get_data(as_text=True)
    assert "See comments on this paragraph" in html and "Comment on this paragraph<span" not in html


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
