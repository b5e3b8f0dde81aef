"""A specification's key result areas section linked to the alliance's KRAs: chosen on a page, shown beside
the spec with target and minimum standard, and on the scorecard against each KRA."""

from __future__ import annotations

import pytest

from collab.alliances.models import Role
from collab.db import db
from collab.errors import DomainError
from collab.specs.services import create_spec
from collab.value.services import spec_links
from tests.factories import add_member, login_as, make_user
from tests.value.helpers import add_kras, make_value_world


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_link_the_key_result_areas_section_and_see_it_on_the_spec_and_the_scorecard(client, session):
    world = make_value_world()
    kras = add_kras(world, 3)
    spec = create_spec(db.session, world.commissioner, world.alliance, title="Crisis help", service_area="Mental health")
    slug = world.alliance.slug
    login_as(client, world.small_provider)  # providers help write specs
    page = client.get(f"/alliances/{slug}/value/specs/{spec.id}/kras")
    assert page.status_code == 200
    assert "Key result areas for “Key result areas and measures”" in _text(page)
    sent = client.post(f"/alliances/{slug}/value/specs/{spec.id}/kras", data={"kras": [str(kras[0].id), str(kras[2].id)]})
    assert sent.status_code == 303
    section = spec_links.default_section(spec)
    assert spec_links.links_of_section(db.session, section) == {kras[0].id, kras[2].id}
    draft = _text(client.get(f"/alliances/{slug}/specs/{spec.id}/draft"))
    assert "“Key result areas and measures” speaks to:" in draft
    assert "<strong>KRA 1</strong>: target 80 %, minimum standard 60 %" in draft and "KRA 2</strong>" not in draft
    scorecard = _text(client.get(f"/alliances/{slug}/value/scorecard"))
    assert scorecard.count(">Crisis help</a> (“Key result areas and measures”)") == 2
    # Unticking all unlinks.
    assert client.post(f"/alliances/{slug}/value/specs/{spec.id}/kras", data={}).status_code == 303
    assert spec_links.links_of_section(db.session, section) == set()


def test_another_section_can_be_chosen_and_other_alliances_kras_are_refused(client, session):
    world = make_value_world()
    kras = add_kras(world, 1)
    other = make_value_world()
    other_kra = add_kras(other, 1)[0]
    spec = create_spec(db.session, world.commissioner, world.alliance, title="Crisis help", service_area="Mental health")
    outcomes = spec.sections[0]
    login_as(client, world.commissioner)
    url = f"/alliances/{world.alliance.slug}/value/specs/{spec.id}/kras?section={outcomes.id}"
    assert "Key result areas for “Outcomes”" in _text(client.get(url))
    refused = client.post(url, data={"kras": [str(other_kra.id)]})
    assert refused.status_code == 422 and "this alliance" in _text(refused)
    assert client.post(url, data={"kras": [str(kras[0].id)]}).status_code == 303
    assert spec_links.links_of_section(db.session, outcomes) == {kras[0].id}
    with pytest.raises(DomainError):
        spec_links.link_section(db.session, world.commissioner, outcomes, [other_kra])
    # A section of another spec is not found through this one.
    other_spec = create_spec(db.session, other.commissioner, other.alliance, title="X", service_area="Y")
    assert client.get(f"/alliances/{world.alliance.slug}/value/specs/{spec.id}/kras"
                      f"?section={other_spec.sections[0].id}").status_code == 404


def test_service_users_see_the_linked_kras_on_a_shared_spec_but_cannot_change_them(client, session):
    from tests.specs.helpers import make_spec

    world = make_value_world()
    kras = add_kras(world, 1)
    spec = make_spec(world.alliance, author=world.commissioner)  # shared for comments
    spec_links.link_section(db.session, world.commissioner, spec_links.default_section(spec), kras)
    person = add_member(world.alliance, make_user(), Role.SERVICE_USER).user
    login_as(client, person)
    assert client.get(f"/alliances/{world.alliance.slug}/value/specs/{spec.id}/kras").status_code == 403
    shown = _text(client.get(f"/alliances/{world.alliance.slug}/specs/{spec.id}"))
    assert "<strong>KRA 1</strong>: target 80 %, minimum standard 60 %" in shown
    assert "Choose key result areas" not in shown
    scorecard = _text(client.get(f"/alliances/{world.alliance.slug}/value/scorecard"))
    assert f">{spec.title}</a> (“Key result areas and measures”)" in scorecard
