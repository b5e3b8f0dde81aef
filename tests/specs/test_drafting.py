"""Drafting rules: the standard sections, adding and moving sections, stale edits, plain-language scores, audit sentences."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from collab.alliances.models import Role
from collab.audit import AuditEntry, describe
from collab.documents.locking import EditConflict
from collab.errors import DomainError
from collab.specs import services
from collab.specs.models import SpecStatus
from tests.factories import commissioner_of, make_alliance, member
from tests.specs.helpers import make_spec


def test_new_spec_has_the_nine_standard_sections(session) -> None:
    alliance = make_alliance()
    spec = services.create_spec(session, commissioner_of(alliance), alliance, title="Crisis", service_area="Mental health")
    assert [s.heading for s in spec.sections] == [
        "Outcomes", "Who the service is for", "Eligibility and access", "Service model", "Quality standards",
        "Key result areas and measures", "Budget envelope", "Social value commitments",
        "How people who use the service stay involved",
    ]
    assert spec.status == SpecStatus.DRAFTING


def test_sections_can_be_added_and_reordered(session) -> None:
    alliance = make_alliance()
    spec = make_spec(alliance, open_consultation=False)
    added = services.add_section(session, commissioner_of(alliance), spec, heading="Transport", body="We pay for taxis.")
    assert added.position == 10
    services.move_section(session, commissioner_of(alliance), added, "up")
    assert [s.heading for s in sorted(spec.sections, key=lambda s: s.position)][-2:] == ["Transport", "How people who use the service stay involved"]
    with pytest.raises(DomainError):
        services.move_section(session, commissioner_of(alliance), sorted(spec.sections, key=lambda s: s.position)[0], "up")


def test_a_stale_section_edit_is_refused_not_lost(session) -> None:
    alliance = make_alliance()
    spec = make_spec(alliance, open_consultation=False)
    section = spec.sections[0]
    stale = section.lock_version
    provider = member(alliance, Role.PROVIDER)
    services.save_section(session, provider, section, stale, heading=section.heading, body="First save wins.")
    with pytest.raises(EditConflict) as caught:
        services.save_section(session, commissioner_of(alliance), section, stale, heading=section.heading, body="Second save.")
    assert caught.value.current.body == "First save wins."


def test_saving_stores_the_plain_language_score(session) -> None:
    alliance = make_alliance()
    spec = make_spec(alliance, open_consultation=False)
    assert spec.sections[0].readability["words"] > 10
    assert services.load_score(spec.sections[0].readability).passes


def test_audit_sentences_read_well(session) -> None:
    alliance = make_alliance()
    make_spec(alliance)
    entries = session.scalars(select(AuditEntry).where(AuditEntry.action.like("spec.%")).order_by(AuditEntry.id)).all()
    sentences = [describe(e) for e in entries]
    assert any("opened" in s and "Crisis support" in s for s in sentences)
    assert all(not s.startswith(e.actor_name + ":") for s, e in zip(sentences, entries, strict=False))
