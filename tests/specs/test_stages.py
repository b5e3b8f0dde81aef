"""Stage rules: a redraft needs a change, and the publish guard."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from collab.alliances.models import Role
from collab.audit import AuditEntry, describe
from collab.errors import DomainError, NotAllowed
from collab.specs import services
from collab.specs.models import Outcome, SpecStatus
from tests.factories import commissioner_of, make_alliance, member
from tests.specs.helpers import comment_on, make_spec


def test_redraft_needs_a_change(session) -> None:
    alliance = make_alliance()
    spec = make_spec(alliance)
    with pytest.raises(DomainError, match="Nothing has changed"):
        services.share_redraft(session, commissioner_of(alliance), spec, note="Again")


def test_publish_guard(session) -> None:
    alliance = make_alliance()
    spec = make_spec(alliance)
    boss = commissioner_of(alliance)
    first = comment_on(spec, "listened")
    comment_on(spec, "Carers")
    services.close_consultation(session, boss, spec, reason="Enough comments to work with")
    with pytest.raises(DomainError, match="2 comments are still waiting"):
        services.publish(session, boss, spec)
    facilitator = member(alliance, Role.FACILITATOR)
    with pytest.raises(NotAllowed):
        services.publish(session, facilitator, spec, override_reason="Deadline")
    services.respond(session, boss, first, outcome=Outcome.ANSWERED, text="Thanks")
    version = services.publish(session, boss, spec, override_reason="The contract must start in April.")
    assert spec.status == SpecStatus.PUBLISHED and version.stage == SpecStatus.PUBLISHED
    assert spec.publish_override_reason == "The contract must start in April." and spec.publish_override_unanswered == 1
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "spec.published"))
    assert entry.detail["unanswered"] == 1 and "1 unanswered" in describe(entry)


def test_publish_without_override_when_all_answered(session) -> None:
    alliance = make_alliance()
    spec = make_spec(alliance)
    boss = commissioner_of(alliance)
    sc = comment_on(spec, "listened")
    services.close_consultation(session, boss, spec, reason="Enough comments to work with")
    services.respond(session, boss, sc, outcome=Outcome.ANSWERED, text="Thanks")
    services.publish(session, boss, spec)
    assert spec.publish_override_reason is None


def test_hidden_comments_do_not_block_publishing(session) -> None:
    from collab.documents import services as documents

    alliance = make_alliance()
    spec = make_spec(alliance)
    boss = commissioner_of(alliance)
    sc = comment_on(spec, "listened")
    documents.hide_comment(session, boss, sc.comment, "Personal details")
    services.close_consultation(session, boss, spec, reason="Enough comments to work with")
    services.publish(session, boss, spec)
    assert spec.is_published
