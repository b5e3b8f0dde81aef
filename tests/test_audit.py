"""The audit trail is a hash chain: any change made behind the app's back is found."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, text, update

from collab import audit
from collab.audit import GENESIS, AuditEntry, verify_chain
from tests.databases import allow_tampering
from tests.factories import make_alliance, make_user


@pytest.fixture
def entries(session) -> list[AuditEntry]:
    """Five chained entries in an alliance."""
    alliance = make_alliance()
    actor = make_user(display_name="Cora")
    made = [
        audit.record(session, actor, "invitation.sent", alliance, alliance=alliance, label="Provider",
                     detail={"role": "provider", "n": n})
        for n in range(5)
    ]
    return made


def _ids(session) -> list[int]:
    return list(session.scalars(select(AuditEntry.id).order_by(AuditEntry.id)))


def test_entries_chain_onto_each_other(session, entries):
    everything = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert everything[0].prev_hash == GENESIS
    for before, after in zip(everything, everything[1:], strict=False):
        assert after.prev_hash == before.entry_hash
    assert all(e.entry_hash == e.compute_hash() for e in everything)
    report = verify_chain(session)
    assert report.ok
    assert report.checked == len(everything)


def test_verify_reads_the_chain_in_small_batches(session, entries):
    assert verify_chain(session, batch=2).ok


@pytest.mark.parametrize(
    "column, value",
    [
        ("action", "membership.joined"),
        ("actor_name", "Someone else"),
        ("subject_label", "Commissioner"),
        ("alliance_id", None),
    ],
)
def test_changing_an_entry_in_the_database_is_reported(session, entries, column, value):
    target = entries[2].id
    allow_tampering(session)
    session.execute(text(f"UPDATE audit_entry SET {column} = :value WHERE id = :id"), {"value": value, "id": target})
    session.expire_all()
    report = verify_chain(session)
    assert not report.ok
    assert report.first_bad_id == target
    assert report.problem == "was changed after it was written"


def test_changing_an_entrys_detail_or_actor_is_reported(session, entries):
    other_id = make_user().id
    target, last = entries[1].id, entries[-1].id
    allow_tampering(session)
    session.execute(update(AuditEntry).where(AuditEntry.id == target).values(detail={"role": "commissioner", "n": 1}))
    session.expire_all()
    assert verify_chain(session).first_bad_id == target

    # Put the detail back: the chain is whole again. Then change who did it.
    session.execute(update(AuditEntry).where(AuditEntry.id == target).values(detail={"role": "provider", "n": 1}))
    session.expire_all()
    assert verify_chain(session).ok
    session.execute(update(AuditEntry).where(AuditEntry.id == last).values(actor_id=other_id))
    session.expire_all()
    assert verify_chain(session).first_bad_id == last


def test_rewriting_an_entry_and_its_hash_breaks_the_next_link(session, entries):
    """Someone who recomputes the altered entry's own hash still breaks the entry after it."""
    victim = session.get(AuditEntry, entries[1].id)
    victim.detail = {"role": "commissioner", "n": 1}
    new_hash = victim.compute_hash()
    session.expire_all()
    allow_tampering(session)
    session.execute(
        update(AuditEntry).where(AuditEntry.id == entries[1].id)
        .values(detail={"role": "commissioner", "n": 1}, entry_hash=new_hash)
    )
    session.expire_all()
    report = verify_chain(session)
    assert report.first_bad_id == entries[2].id
    assert report.problem == "does not follow the entry before it"


def test_deleting_an_entry_is_reported(session, entries):
    allow_tampering(session)
    session.execute(delete(AuditEntry).where(AuditEntry.id == entries[3].id))
    session.expire_all()
    report = verify_chain(session)
    assert report.first_bad_id == entries[4].id


# flask verify-audit ------------------------------------------------------------------


def test_verify_audit_command_passes_on_an_intact_chain(app, session, entries):
    result = app.test_cli_runner().invoke(args=["verify-audit"])
    assert result.exit_code == 0, result.output
    assert f"OK: {len(_ids(session))} audit entries checked; the chain is intact." in result.output


def test_verify_audit_command_fails_and_names_the_altered_entry(app, session, entries):
    target = entries[2].id
    allow_tampering(session)
    session.execute(text("UPDATE audit_entry SET actor_name = 'Mallory' WHERE id = :id"), {"id": target})
    session.expire_all()
    result = app.test_cli_runner().invoke(args=["verify-audit"])
    assert result.exit_code == 1
    assert f"FAILED: audit entry {target} was changed after it was written" in result.output


# Two changes at once ---------------------------------------------------------------------------


@pytest.mark.committed
def test_two_requests_appending_at_once_both_land_and_chain(app, engine):
    """Two requests that read, then write, at the same moment: neither fails, and the entries chain.

    On SQLite the second writer used to fail with "database is locked" (its read was stale);
    on PostgreSQL an advisory lock keeps the two appends in order.
    """
    import threading
    import time

    from collab.accounts.models import User
    from collab.db import db

    errors: list[str] = []

    def change(start_after: float, think_for: float, label: str) -> None:
        time.sleep(start_after)
        with app.test_request_context("/anything", method="POST"):
            session = db.session
            try:
                session.scalar(select(User.id).limit(1))  # every request reads first (the signed-in user)
                time.sleep(think_for)
                audit.record(session, None, "test.concurrent", None, label=label)
                session.commit()
            except Exception as error:  # the assertion below reports it
                session.rollback()
                errors.append(repr(error))

    threads = [
        threading.Thread(target=change, args=(0.0, 0.3, "slow")),
        threading.Thread(target=change, args=(0.1, 0.0, "quick")),
    ]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        assert errors == []
        with engine.connect() as conn:
            rows = conn.execute(
                select(AuditEntry.subject_label, AuditEntry.prev_hash, AuditEntry.entry_hash)
                .where(AuditEntry.action == "test.concurrent").order_by(AuditEntry.id)
            ).all()
        assert sorted(r.subject_label for r in rows) == ["quick", "slow"]
        assert rows[1].prev_hash == rows[0].entry_hash
    finally:
        with engine.begin() as conn:
            allow_tampering(conn)
            conn.execute(delete(AuditEntry).where(AuditEntry.action == "test.concurrent"))
