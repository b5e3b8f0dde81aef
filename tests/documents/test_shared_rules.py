"""The rules every document type shares: who may read a comment, and freezing a version."""

from __future__ import annotations

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import select

from collab.agreements.models import AgreementVersion
from collab.documents import services
from collab.documents.freezing import fingerprint, next_number, refuse_unchanged
from collab.documents.models import Comment
from collab.documents.visibility import may_read, readable_by
from collab.errors import DomainError
from tests.agreements.helpers import first_clause, make_cast, start

SUBJECT = "agreement_clause"


@pytest.fixture
def comments(session):
    cast = make_cast()
    clause = first_clause(start(cast))
    kind = services.add_comment(session, cast.provider_a, cast.alliance, SUBJECT, clause.id, body="Kind words")
    rude = services.add_comment(session, cast.provider_b, cast.alliance, SUBJECT, clause.id, body="Rude words")
    gone = services.add_comment(session, cast.service_user, cast.alliance, SUBJECT, clause.id, body="Oops")
    services.hide_comment(session, cast.facilitator, rude, "Please keep it kind")
    services.delete_comment(session, cast.service_user, gone)
    return cast, kind, rude, gone


def _readable(session, viewer, moderator: bool) -> set[int]:
    return set(session.scalars(select(Comment.id).where(readable_by(viewer, moderator))))


def test_a_hidden_comment_is_read_by_moderators_and_its_author_only(session, comments):
    cast, kind, rude, gone = comments
    anonymous = AnonymousUserMixin()
    assert may_read(kind, cast.service_user, False) and may_read(kind, anonymous, False)
    assert not may_read(rude, cast.service_user, False) and not may_read(rude, anonymous, False)
    assert may_read(rude, cast.provider_b, False)  # its author sees why it was hidden
    assert may_read(rude, cast.service_user, True)  # a moderator


def test_the_sql_rule_is_the_same_rule_and_never_shows_deleted_comments(session, comments):
    cast, kind, rude, gone = comments
    mine = {kind.id, rude.id, gone.id}
    assert _readable(session, cast.service_user, False) & mine == {kind.id}
    assert _readable(session, AnonymousUserMixin(), False) & mine == {kind.id}
    assert _readable(session, cast.provider_b, False) & mine == {kind.id, rude.id}
    assert _readable(session, cast.commissioner, True) & mine == {kind.id, rude.id}
    for viewer, moderator in [(cast.service_user, False), (cast.provider_b, False), (cast.commissioner, True)]:
        in_sql = _readable(session, viewer, moderator) & mine
        in_python = {c.id for c in (kind, rude) if may_read(c, viewer, moderator)}
        assert in_sql == in_python


def test_version_numbers_count_up_per_document(session):
    cast = make_cast()
    agreement = start(cast)
    belongs = AgreementVersion.agreement_id == agreement.id
    assert next_number(session, AgreementVersion.number, belongs) == 1
    from collab.agreements import services as agreements

    agreements.publish(session, cast.commissioner, agreement)
    assert next_number(session, AgreementVersion.number, belongs) == 2
    other = start(make_cast("Another Alliance"))
    assert next_number(session, AgreementVersion.number, AgreementVersion.agreement_id == other.id) == 1


def test_an_unchanged_text_is_refused_and_a_changed_one_is_not():
    refuse_unchanged(None, "# Version 1", "Nothing has changed")
    refuse_unchanged("# Version 1", "# Version 1, amended", "Nothing has changed")
    with pytest.raises(DomainError, match="Nothing has changed"):
        refuse_unchanged("# Version 1", "# Version 1", "Nothing has changed")
    assert fingerprint("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
