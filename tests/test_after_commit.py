"""Emails and notifications queued with after_commit go out only on the real commit."""

from __future__ import annotations

from sqlalchemy import text

from collab.db import after_commit


def test_releasing_a_savepoint_sends_nothing(session):
    sent: list[str] = []
    after_commit(session, lambda: sent.append("email"))
    with session.begin_nested():
        pass  # a service's savepoint, released: the request has not committed yet
    assert sent == []
    session.commit()
    assert sent == ["email"]


def test_rollback_drops_what_was_queued(session):
    sent: list[str] = []
    session.execute(text("SELECT 1"))
    after_commit(session, lambda: sent.append("email"))
    session.rollback()
    session.commit()
    assert sent == []


def test_rolled_back_savepoint_drops_only_its_own_callbacks(session):
    sent: list[str] = []
    session.execute(text("SELECT 1"))
    after_commit(session, lambda: sent.append("kept"))
    savepoint = session.begin_nested()
    after_commit(session, lambda: sent.append("dropped"))
    with session.begin_nested():
        after_commit(session, lambda: sent.append("dropped too"))
    savepoint.rollback()
    session.commit()
    assert sent == ["kept"]
