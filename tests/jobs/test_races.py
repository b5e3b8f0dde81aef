"""Digests and reminders are never sent twice, even with two workers running the same job at once.

Proved on PostgreSQL with threads (each job in its own session and connection, started
together at a barrier), and with two real RQ worker processes taking jobs from Redis (on
both databases). Every test commits for real and removes what it made.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from collab.accounts.models import User
from collab.agreements import services as agreements
from collab.agreements.models import Agreement
from collab.alliances.models import Alliance, Membership, Organisation, OrganisationType, Role, SizeBand
from collab.audit import AuditEntry
from collab.jobs import execute, queue, run
from collab.notifications.models import EmailFrequency, EmailSetting, Notification, NotificationDigest, SentReminder
from collab.security import new_token
from tests.databases import allow_tampering, end_tampering
from tests.factories import _password_hash
from tests.jobs.redis_queue import redis_queue  # noqa: F401  (fixture)

pytestmark = [pytest.mark.committed]

PEOPLE = 8
ROUNDS = 6
#: Days of digests the two worker processes send (each day's job queued twice).
WORKER_ROUNDS = 3
DIGEST_JOB = "collab.notifications.jobs:send_daily_digests"
REMINDER_JOB = "collab.agreements.jobs:remind_closing_proposals"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def made(engine):
    ids: dict[str, list[int]] = {"users": [], "alliances": [], "organisations": []}
    yield ids
    with Session(engine) as s, s.begin():
        allow_tampering(s)
        s.execute(delete(AuditEntry).where(or_(
            AuditEntry.alliance_id.in_(ids["alliances"]), AuditEntry.actor_id.in_(ids["users"])
        )))
        end_tampering(s)
        s.execute(delete(Agreement).where(Agreement.alliance_id.in_(ids["alliances"])))
        s.execute(delete(Notification).where(Notification.user_id.in_(ids["users"])))
        s.execute(delete(Membership).where(Membership.alliance_id.in_(ids["alliances"])))
        s.execute(delete(Alliance).where(Alliance.id.in_(ids["alliances"])))
        s.execute(delete(Organisation).where(Organisation.id.in_(ids["organisations"])))
        s.execute(delete(User).where(User.id.in_(ids["users"])))


@pytest.fixture
def outbox(app):
    app.extensions["mail_outbox"] = []
    yield app.extensions["mail_outbox"]
    app.extensions["mail_outbox"] = []


def _daily_people(engine, made, base: datetime) -> list[int]:
    """PEOPLE people on daily digests, each with one unseen notification per round (the hour before it)."""
    tag = new_token()[1][:8]
    with Session(engine) as s, s.begin():
        users = [User(email=f"digest-{tag}-{n}@example.org", password_hash=_password_hash(), display_name=f"Reader {n}")
                 for n in range(PEOPLE)]
        s.add_all(users)
        s.flush()
        made["users"] += [u.id for u in users]
        for user in users:
            s.add(EmailSetting(user_id=user.id, frequency=EmailFrequency.DAILY, updated_at=base))
            for r in range(ROUNDS):
                s.add(Notification(user_id=user.id, kind="agreement_in_force", title=f"News of day {r}",
                                   created_at=base + timedelta(days=r, hours=-1)))
        return [u.id for u in users]


def _together(jobs: list[tuple[str, list]], app) -> list[BaseException]:
    """Run each (job, args) in its own thread, all released at once; returns the failures."""
    barrier = threading.Barrier(len(jobs))
    failures: list[BaseException] = []

    def worker(path: str, args: list) -> None:
        try:
            barrier.wait(timeout=60)
            execute(app, path, args, {})
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=worker, args=job) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not any(t.is_alive() for t in threads), "a job never finished"
    return failures


@pytest.mark.postgres_only
def test_two_workers_sending_the_same_digests_at_once_send_each_once(app, engine, is_postgres, made, outbox):
    if not is_postgres:
        pytest.skip("concurrency is proved on PostgreSQL (SQLite runs one writer at a time)")
    base = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0) - timedelta(days=ROUNDS)
    user_ids = _daily_people(engine, made, base)
    for r in range(ROUNDS):
        at = (base + timedelta(days=r)).isoformat()
        assert _together([(DIGEST_JOB, [at]), (DIGEST_JOB, [at])], app) == []
    with Session(engine) as s:
        emails = {u.id: u.email for u in s.scalars(select(User).where(User.id.in_(user_ids)))}
        # Exactly one email per person and day, each listing that day's one notification.
        sent = Counter((m["To"], m.get_content().split("1. ")[1].split("\n")[0]) for m in outbox)
        assert sent == Counter({(emails[u], f"News of day {r}"): 1 for u in user_ids for r in range(ROUNDS)})
        assert s.scalar(select(func.count(NotificationDigest.id)).where(
            NotificationDigest.user_id.in_(user_ids))) == PEOPLE * ROUNDS
        assert s.scalar(select(func.count(Notification.id)).where(
            Notification.user_id.in_(user_ids), Notification.digest_id.is_(None))) == 0


def _closing_proposals(app, engine, made, proposals: int) -> list[int]:
    """A committed alliance: a commissioner, PEOPLE service users (a seat each) and open proposals closing in two days."""
    tag = new_token()[1][:8]
    with Session(engine, expire_on_commit=False) as s, s.begin():
        org = Organisation(name=f"Council {tag}", org_type=OrganisationType.CHARITY, size_band=SizeBand.SMALL, locality="Here")
        commissioner = User(email=f"remind-{tag}-c@example.org", password_hash=_password_hash(), display_name="Cara")
        people = [User(email=f"remind-{tag}-{n}@example.org", password_hash=_password_hash(), display_name=f"Member {n}")
                  for n in range(PEOPLE)]
        alliance = Alliance(name=f"Reminders {tag}", slug=f"remind-{tag}", purpose="Reminding")
        s.add_all([org, alliance, commissioner, *people])
        s.flush()
        made["users"] += [u.id for u in (commissioner, *people)]
        made["alliances"].append(alliance.id)
        made["organisations"].append(org.id)
        s.add(Membership(user_id=commissioner.id, alliance_id=alliance.id, role=Role.COMMISSIONER, organisation_id=org.id))
        for person in people:
            s.add(Membership(user_id=person.id, alliance_id=alliance.id, role=Role.SERVICE_USER))
        s.flush()
        closes = datetime.now(UTC).date() + timedelta(days=2)
        with app.test_request_context():
            agreement = agreements.start_agreement(s, commissioner, alliance, use_template=True)
            clause = agreements.active_clauses(s, agreement)[0]
            for n in range(proposals):
                agreements.propose(s, commissioner, agreement, clause=clause, heading=clause.heading,
                                   body=f"{clause.body}\n\nChange number {n}.", reason="Better", closes_on=closes)
        return [p.id for p in people] + [commissioner.id]


@pytest.mark.postgres_only
def test_two_workers_sending_the_same_reminders_at_once_send_each_once(app, engine, is_postgres, made, outbox):
    if not is_postgres:
        pytest.skip("concurrency is proved on PostgreSQL (SQLite runs one writer at a time)")
    seat_people = _closing_proposals(app, engine, made, proposals=4)[:-1]  # the proposer's own seat is asked too
    outbox.clear()  # the proposals' own emails
    assert _together([(REMINDER_JOB, []), (REMINDER_JOB, [])], app) == []
    with Session(engine) as s:
        reminders = s.execute(select(Notification.user_id, Notification.url).where(
            Notification.kind == "agreement_proposal_closing", Notification.user_id.in_(made["users"]))).all()
        # Every seat (the commissioner's too) is reminded of each of the 4 proposals, exactly once.
        assert Counter(reminders).most_common(1)[0][1] == 1
        assert len(reminders) == 4 * (len(seat_people) + 1)
        assert s.scalar(select(func.count(SentReminder.id)).where(SentReminder.user_id.in_(made["users"]))) == len(reminders)
    assert len(outbox) == len(reminders)
    assert len({(m["To"], m.get_content()) for m in outbox}) == len(outbox)


# Two real worker processes on Redis ---------------------------------------------------------


def _start_worker(database_url: str, log) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": os.environ["COLLAB_TEST_REDIS_URL"],
        "MAIL_BACKEND": "console",
        "BASE_URL": "http://localhost",
        "COLLAB_ENV": "development",
        "COLLAB_INSTANCE_DIR": str(Path(log.name).parent / "instance"),
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SIGNING_KEY": "test-signing-key-0123456789abcdef0123456789",
        "AUDIT_KEY": "test-audit-key-0123456789abcdef0123456789ab",
        "PYTHONUNBUFFERED": "1",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "worker"], cwd=ROOT, env=env,
        stdout=log, stderr=subprocess.STDOUT,
    )


def test_two_worker_processes_on_redis_send_each_digest_once(app, engine, database_url, made, redis_queue, tmp_path, monkeypatch):  # noqa: F811
    from rq import Worker

    monkeypatch.setenv("COLLAB_TEST_REDIS_URL", redis_queue)
    base = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0) - timedelta(days=ROUNDS)
    user_ids = _daily_people(engine, made, base)
    logs = [tmp_path / "worker-1.log", tmp_path / "worker-2.log"]
    handles = [log.open("w") for log in logs]
    workers = [_start_worker(database_url, handle) for handle in handles]
    try:
        jobs = queue(app)
        deadline = time.monotonic() + 120
        while len(Worker.all(queue=jobs)) < 2:
            assert time.monotonic() < deadline, "the workers did not start: " + " ".join(p.read_text() for p in logs)
            assert all(w.poll() is None for w in workers), "a worker stopped: " + " ".join(p.read_text() for p in logs)
            time.sleep(0.2)
        # Every day's digest job, twice, while both workers wait for work: they take them side by side.
        queued = []
        for r in range(WORKER_ROUNDS):
            at = (base + timedelta(days=r)).isoformat()
            queued += [jobs.enqueue(run, args=(DIGEST_JOB, [at], {})) for _ in range(2)]
        while any(job.get_status(refresh=True) not in ("finished", "failed") for job in queued):
            assert time.monotonic() < deadline, "the jobs did not finish"
            time.sleep(0.2)
        assert [job.get_status() for job in queued] == ["finished"] * len(queued)
    finally:
        for w in workers:
            w.send_signal(signal.SIGTERM)
        for w in workers:
            w.wait(timeout=60)
        for handle in handles:
            handle.close()
    output = "".join(log.read_text() for log in logs)
    with Session(engine) as s:
        emails = [u.email for u in s.scalars(select(User).where(User.id.in_(user_ids)))]
        assert s.scalar(select(func.count(NotificationDigest.id)).where(
            NotificationDigest.user_id.in_(user_ids))) == PEOPLE * WORKER_ROUNDS
    assert all("Job OK" in log.read_text() for log in logs), "both workers took jobs"
    for email in emails:
        assert output.count(f"To: {email}\n") == WORKER_ROUNDS, output[-2000:]
