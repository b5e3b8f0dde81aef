"""Sending notifications, reading them and choosing which ones come by email."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, selectinload

from collab.accounts.models import User
from collab.alliances.models import Alliance
from collab.db import utcnow
from collab.jobs import enqueue_on
from collab.mail import external_url, send_after_commit
from collab.notifications.kinds import KINDS, get_kind
from collab.notifications.models import (
    EmailFrequency,
    EmailSetting,
    Notification,
    NotificationDigest,
    NotificationPreference,
    SentReminder,
)
from collab.timezone import LONDON

#: Digest periods are days and weeks as people in the UK live them.
#: The job that emails notifications one by one (collab/notifications/jobs.py).
EMAIL_JOB = "collab.notifications.jobs:email_notifications"


def email_choices(session: Session, users: Iterable[User]) -> dict[tuple[int, str], bool]:
    """Stored choices for these people, keyed by (user id, kind) (one query)."""
    ids = [u.id for u in users]
    if not ids:
        return {}
    rows = session.execute(
        select(NotificationPreference.user_id, NotificationPreference.kind, NotificationPreference.email).where(
            NotificationPreference.user_id.in_(ids)
        )
    )
    return {(user_id, kind): email for user_id, kind, email in rows}


def notify(
    session: Session,
    recipients: Iterable[User],
    kind: str,
    title: str,
    *,
    body: str = "",
    url: str = "",
    alliance: Any = None,
    exclude: User | None = None,
    action_key: str | Callable[[User], str | None] | None = None,
) -> list[Notification]:
    """Tell each recipient once, in Collab and (if they want it) by email after commit.

    ``action_key`` marks an "action needed" notification (a string, or a function giving each
    recipient's key, such as their seat's): ``resolve`` settles every notification with that key
    once anyone who can do the action has done it.
    """
    people: dict[int, User] = {}
    for user in recipients:
        if user is None or (exclude is not None and user.id == exclude.id) or not user.is_active_account:
            continue
        people.setdefault(user.id, user)
    if not people:
        return []
    choices = email_choices(session, people.values())
    frequencies = email_frequencies(session, people.values())
    default = get_kind(kind).email_by_default
    made = []
    to_email = []
    for user in people.values():
        note = Notification(
            user_id=user.id,
            alliance_id=getattr(alliance, "id", None),
            kind=kind,
            title=title[:300],
            body=body,
            url=url,
            created_at=utcnow(),
            action_key=(action_key(user) if callable(action_key) else action_key),
        )
        session.add(note)
        made.append(note)
        # Daily and weekly people get it in their digest (send_digest); "never" people only in Collab.
        if choices.get((user.id, kind), default) and frequencies.get(user.id, EmailFrequency.EACH) == EmailFrequency.EACH:
            to_email.append(note)
    session.flush()
    if to_email:
        # One job for the batch, queued for after the commit: the request does not wait for mail servers.
        enqueue_on(session, EMAIL_JOB, [note.id for note in to_email])
    return made


def email_notifications(session: Session, notification_ids: list[int]) -> int:
    """Email each of these notifications to its person, once (the email job); returns how many were claimed.

    Each one is claimed first (``emailed_at`` set where it was empty), so a job that runs twice,
    or twice at once, sends nothing twice. The emails go out when the claim commits.
    """
    claimed = 0
    for note_id in notification_ids:
        note = session.get(Notification, note_id)
        # The person may have changed their mind since: a daily or weekly person's digest lists it instead.
        if note is None or note.resolved_at is not None or not note.user.is_active_account:
            continue  # gone, or the action was done before the email could go: nothing to tell
        if not _wants_each(session, note.user, note.kind):
            continue
        result = session.execute(
            update(Notification)
            .where(Notification.id == note_id, Notification.emailed_at.is_(None))
            .values(emailed_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        if not result.rowcount:  # type: ignore[attr-defined]
            continue  # already emailed (this job ran before, or runs twice at once)
        claimed += 1
        alliance = session.get(Alliance, note.alliance_id) if note.alliance_id else None
        send_after_commit(
            session, note.user.email, note.title[:200],
            _email_text(note.user, note.title, note.body, note.url, alliance.name if alliance else None),
        )
    return claimed


def _wants_each(session: Session, user: User, kind: str) -> bool:
    """Whether this person wants this kind of notification by email, one email each."""
    wanted = email_choices(session, [user]).get((user.id, kind), get_kind(kind).email_by_default)
    return wanted and email_frequency(session, user) == EmailFrequency.EACH


def _email_text(user: User, title: str, body: str, url: str, alliance: str | None = None) -> str:
    lines = [f"Hello {user.display_name},", "", title + "."]
    if alliance:
        lines += ["", f"Alliance: {alliance}"]
    if body:
        lines += ["", body]
    if url:
        lines += ["", f"Open it in Collab: {external_url(url)}"]
    lines += [
        "",
        "You get this email because of your notification settings. "
        f"To choose which emails you get, go to {external_url('/notifications/settings')}",
    ]
    return "\n".join(lines)


def still_needs(user_id: Any) -> Any:
    """The condition of a notification that still needs its person: not read, not resolved (the badge).

    ``user_id`` is an id or a column (the header counts in the same statement that loads the person).
    """
    return and_(Notification.user_id == user_id, Notification.read_at.is_(None), Notification.resolved_at.is_(None))


def unread_count(session: Session, user: User) -> int:
    """What still needs the person: notifications not read and not resolved (the header's count)."""
    return session.scalar(select(func.count(Notification.id)).where(still_needs(user.id))) or 0


def resolve(session: Session, action_key: str, *, prefix: bool = False) -> int:
    """The action behind ``action_key`` is done: settle every notification that asked for it.

    With ``prefix``, every key that starts with ``action_key`` ("proposal:12:" settles every
    seat's request about proposal 12). Returns how many were settled.
    """
    match = Notification.action_key.startswith(action_key, autoescape=True) if prefix else (
        Notification.action_key == action_key
    )
    result = session.execute(
        update(Notification)
        .where(match, Notification.resolved_at.is_(None))
        .values(resolved_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def for_user(user: User) -> Any:
    """A query of the person's notifications, newest first (for pagination)."""
    return (
        select(Notification)
        .where(Notification.user_id == user.id)
        .options(selectinload(Notification.alliance))
        .order_by(Notification.id.desc())
    )


def mark_read(session: Session, user: User, notification: Notification) -> None:
    """Mark one of your own notifications as read."""
    if notification.user_id != user.id:
        raise LookupError("not your notification")
    if notification.read_at is None:
        notification.read_at = utcnow()
        session.flush()


def mark_all_read(session: Session, user: User) -> int:
    """Mark all your notifications as read; returns how many changed."""
    result = session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def preferences(session: Session, user: User) -> dict[str, bool]:
    """Whether each registered kind comes by email for this person."""
    stored = email_choices(session, [user])
    return {key: stored.get((user.id, key), kind.email_by_default) for key, kind in KINDS.items()}


def set_preferences(session: Session, user: User, email_kinds: Iterable[str]) -> None:
    """Email exactly the kinds in ``email_kinds``; every other registered kind stays in Collab only."""
    wanted = set(email_kinds) & set(KINDS)
    existing = {
        p.kind: p
        for p in session.scalars(select(NotificationPreference).where(NotificationPreference.user_id == user.id))
    }
    for key in KINDS:
        pref = existing.get(key)
        if pref is None:
            session.add(NotificationPreference(user_id=user.id, kind=key, email=key in wanted))
        else:
            pref.email = key in wanted
    session.flush()


# --- How often emails come (issue 9) --------------------------------------------------------


def email_frequencies(session: Session, users: Iterable[User]) -> dict[int, EmailFrequency]:
    """Stored email frequency for these people, by user id (one query); missing means "each"."""
    ids = [u.id for u in users]
    if not ids:
        return {}
    rows = session.execute(select(EmailSetting.user_id, EmailSetting.frequency).where(EmailSetting.user_id.in_(ids)))
    return {user_id: EmailFrequency(frequency) for user_id, frequency in rows}


def email_frequency(session: Session, user: User) -> EmailFrequency:
    """How often this person's notification emails come."""
    return email_frequencies(session, [user]).get(user.id, EmailFrequency.EACH)


def set_email_frequency(session: Session, user: User, frequency: EmailFrequency) -> None:
    """Choose how often notification emails come: each, daily, weekly or never."""
    setting = session.get(EmailSetting, user.id)
    if setting is None:
        session.add(EmailSetting(user_id=user.id, frequency=frequency, updated_at=utcnow()))
    elif setting.frequency != frequency:
        setting.frequency = frequency
        setting.updated_at = utcnow()
    session.flush()


# --- Digests --------------------------------------------------------------------------------

DIGEST_FREQUENCIES = (EmailFrequency.DAILY, EmailFrequency.WEEKLY)


def period_start(frequency: EmailFrequency, now: datetime) -> date:
    """The day a digest's period starts, in Europe/London: today, or this week's Monday."""
    today = now.astimezone(LONDON).date()
    if frequency == EmailFrequency.WEEKLY:
        return today - timedelta(days=today.weekday())
    return today


def digest_people(session: Session, frequency: EmailFrequency) -> list[int]:
    """Ids of the active people who chose this digest frequency."""
    return list(
        session.scalars(
            select(EmailSetting.user_id)
            .join(User, User.id == EmailSetting.user_id)
            .where(EmailSetting.frequency == frequency, User.is_active_account.is_(True))
            .order_by(EmailSetting.user_id)
        )
    )


def _insert_ignoring_duplicates(session: Session, model: Any, rows: list[dict[str, Any]], returning: Any) -> list[Any]:
    """INSERT … ON CONFLICT DO NOTHING RETURNING: only the rows this transaction really added.

    On PostgreSQL a second transaction inserting the same key waits for the first, then adds
    nothing; that is what makes claims safe with several workers.
    """
    if not rows:
        return []
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(model).values(rows).on_conflict_do_nothing().returning(returning)
    return list(session.scalars(statement))


def digest_notifications(
    session: Session, user: User, frequency: EmailFrequency, now: datetime, *, digest: NotificationDigest | None = None
) -> list[Notification]:
    """What a digest lists: unread, unresolved, not yet emailed, since the last digest (before ``digest``), kinds ticked for email."""
    previous = session.scalar(
        select(func.max(NotificationDigest.created_at)).where(
            NotificationDigest.user_id == user.id,
            NotificationDigest.frequency == frequency,
            NotificationDigest.id != (digest.id if digest is not None else -1),
        )
    )
    # An hour's overlap with the last digest catches a notification made just before it and committed
    # just after; what that digest listed is marked emailed, so nothing comes twice.
    since = (previous - timedelta(hours=1)) if previous else (
        now - (timedelta(days=7) if frequency == EmailFrequency.WEEKLY else timedelta(days=1))
    )
    notes = session.scalars(
        select(Notification)
        .where(
            Notification.user_id == user.id,
            Notification.emailed_at.is_(None),
            Notification.read_at.is_(None),
            Notification.resolved_at.is_(None),  # someone has done it already: nothing to tell
            Notification.created_at > since,
            Notification.created_at <= now,
        )
        .order_by(Notification.created_at, Notification.id)
    ).all()
    wanted = preferences(session, user)
    return [n for n in notes if wanted.get(n.kind, get_kind(n.kind).email_by_default)]


def send_digest(session: Session, user: User, frequency: EmailFrequency, now: datetime) -> NotificationDigest | None:
    """Claim this person's digest for the current period and queue its email for the commit.

    Returns None when the period's digest was already claimed (by an earlier run or another
    worker): nothing is sent twice. A period with nothing new is recorded with no email.
    """
    start = period_start(frequency, now)
    claimed = _insert_ignoring_duplicates(
        session, NotificationDigest,
        [{"user_id": user.id, "frequency": frequency, "period_start": start, "created_at": now, "notification_count": 0}],
        NotificationDigest.id,
    )
    if not claimed:
        return None
    digest = session.get(NotificationDigest, claimed[0])
    assert digest is not None
    notes = digest_notifications(session, user, frequency, now, digest=digest)
    if notes:
        session.execute(
            update(Notification)
            .where(Notification.id.in_([n.id for n in notes]), Notification.emailed_at.is_(None))
            .values(emailed_at=now, digest_id=digest.id)
            .execution_options(synchronize_session=False)
        )
        digest.notification_count = len(notes)
        digest.sent_at = now
        subject, body = digest_email(session, user, frequency, notes)
        send_after_commit(session, user.email, subject, body)
    session.flush()
    return digest


def digest_email(session: Session, user: User, frequency: EmailFrequency, notes: list[Notification]) -> tuple[str, str]:
    """The subject and text of a digest: each notification with its alliance, oldest first."""
    alliance_ids = {n.alliance_id for n in notes if n.alliance_id}
    names: dict[int, str] = {}
    if alliance_ids:
        names = {row.id: row.name for row in session.execute(select(Alliance.id, Alliance.name).where(Alliance.id.in_(alliance_ids)))}
    count = len(notes)
    plural = "notification" if count == 1 else "notifications"
    period = "day" if frequency == EmailFrequency.DAILY else "week"
    subject = f"Your Collab summary for the {period}: {count} new {plural}"
    lines = [
        f"Hello {user.display_name},",
        "",
        f"Here {'is' if count == 1 else 'are'} the {count} {plural} from Collab that you have not seen yet.",
    ]
    for number, note in enumerate(notes, start=1):
        lines += ["", f"{number}. {note.title}"]
        where = names.get(note.alliance_id) if note.alliance_id else None
        lines.append(f"   Alliance: {where}" if where else "   From Collab")
        lines.append(f"   {_format_when(note.created_at)}")
        if note.body:
            lines.append(f"   {note.body}")
        if note.url:
            lines.append(f"   Open it: {external_url(note.url)}")
    lines += [
        "",
        f"See all your notifications: {external_url('/notifications')}",
        "",
        f"You get this {'daily' if frequency == EmailFrequency.DAILY else 'weekly'} summary because of your "
        f"notification settings. To change how often emails come, go to {external_url('/notifications/settings')}",
    ]
    return subject, "\n".join(lines)


def _format_when(moment: datetime) -> str:
    local = moment.astimezone(LONDON)
    hour = local.hour % 12 or 12
    return f"{local:%A} {local.day} {local:%B} at {hour}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


# --- Reminders ------------------------------------------------------------------------------


def claim_reminders(session: Session, kind: str, subject: str, user_ids: Iterable[int]) -> set[int]:
    """Record that these people are reminded of ``subject``; returns only those not reminded before.

    Safe with several workers at once: each (kind, subject, person) can be recorded once.
    """
    now = utcnow()
    rows = [{"kind": kind, "subject": subject, "user_id": uid, "created_at": now} for uid in sorted(set(user_ids))]
    return set(_insert_ignoring_duplicates(session, SentReminder, rows, SentReminder.user_id))
