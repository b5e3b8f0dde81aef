"""Drafting rules: starting the agreement, editing with optimistic locking, moving and retiring clauses."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from collab.agreements import services
from collab.agreements.models import Clause, ClauseRevision, RevisionSource
from collab.agreements.template import STARTER_CLAUSES
from collab.audit import AuditEntry
from collab.documents.locking import EditConflict
from collab.errors import Conflict, DomainError
from tests.agreements.helpers import first_clause, make_cast, start


def test_start_from_template_gives_the_twelve_starter_clauses_with_history(session):
    cast = make_cast()
    agreement = start(cast)
    clauses = services.active_clauses(session, agreement)
    assert [c.heading for c in clauses] == [heading for heading, _ in STARTER_CLAUSES]
    assert len(clauses) == 12
    assert session.scalar(select(func.count(ClauseRevision.id)).join(Clause).where(Clause.agreement_id == agreement.id)) == 12
    assert agreement.drafting


def test_start_blank_and_only_once(session):
    cast = make_cast()
    agreement = start(cast, template=False)
    assert services.active_clauses(session, agreement) == []
    with pytest.raises(Conflict):
        start(cast)


def test_starter_text_is_short_and_plain():
    from collab.specs.readability import score  # the specs area's offline scorer

    for heading, body in STARTER_CLAUSES:
        result = score(body)
        assert result.passes, (heading, result.reasons())


def test_edit_records_a_revision_and_bumps_the_lock_version(session):
    cast = make_cast()
    clause = first_clause(start(cast))
    saved = services.edit_clause(session, cast.provider_a, clause, heading="Purpose", body="Wholly different text.", lock_version=1)
    assert saved.lock_version == 2 and saved.body == "Wholly different text."
    revisions = services.clause_history(session, saved)
    assert [(r.lock_version, r.source, r.author_id) for r in revisions] == [
        (2, RevisionSource.EDIT, cast.provider_a.id),
        (1, RevisionSource.CREATED, cast.commissioner.id),
    ]
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "clause.edited"))
    assert entry.detail["added_words"] == 3


def test_a_stale_edit_is_refused_with_the_current_text_and_nothing_is_lost(session):
    cast = make_cast()
    clause = first_clause(start(cast))
    services.edit_clause(session, cast.provider_a, clause, heading=clause.heading, body="First saver's text", lock_version=1)
    with pytest.raises(EditConflict) as caught:
        services.edit_clause(session, cast.provider_b, clause, heading=clause.heading, body="Second saver's text", lock_version=1)
    assert caught.value.current.body == "First saver's text"
    assert caught.value.status == 409
    session.refresh(clause)
    assert clause.body == "First saver's text" and clause.lock_version == 2


def test_add_move_and_retire_clauses(session):
    cast = make_cast()
    agreement = start(cast, template=False)
    a = services.add_clause(session, cast.commissioner, agreement, heading="A", body="Text A")
    b = services.add_clause(session, cast.provider_a, agreement, heading="B", body="Text B")
    c = services.add_clause(session, cast.facilitator, agreement, heading="C", body="Text C")
    assert services.move_clause(session, cast.commissioner, c, "up")
    assert [x.heading for x in services.active_clauses(session, agreement)] == ["A", "C", "B"]
    assert not services.move_clause(session, cast.commissioner, a, "up")  # already first
    services.retire_clause(session, cast.commissioner, a)
    assert [x.heading for x in services.active_clauses(session, agreement)] == ["C", "B"]
    assert services.clause_number(session, b) == 2
    with pytest.raises(DomainError):
        services.edit_clause(session, cast.commissioner, a, heading="A", body="again", lock_version=a.lock_version)
    with pytest.raises(DomainError):
        services.add_clause(session, cast.commissioner, agreement, heading="", body="x")


def test_no_direct_edits_after_publishing_until_drafting_reopens(session):
    cast = make_cast()
    agreement = start(cast)
    services.publish(session, cast.commissioner, agreement)
    clause = first_clause(agreement)
    with pytest.raises(DomainError, match="not open for drafting"):
        services.edit_clause(session, cast.provider_a, clause, heading="x", body="y", lock_version=clause.lock_version)
    services.open_drafting(session, cast.commissioner, agreement)
    services.edit_clause(session, cast.provider_a, clause, heading="x", body="y", lock_version=clause.lock_version)
