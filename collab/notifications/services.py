"""Sending notifications, reading them and choosing which ones come by email."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from collab.accounts.models import User
from collab.db import utcnow
from collab.mail import external_url, send_after_commit
from collab.notifications.kinds import KINDS, get_kind
from collab.notifications.models import Notification, NotificationPreference


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
    default = get_kind(kind).email_by_default
    made = []
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
        if choices.get((user.id, kind), default):
            send_after_commit(session, user.email, title[:200], _email_text(user, title, body, url, alliance))
    session.flush()
    return made


def _email_text(user: User, title: str, body: str, url: str, alliance: Any = None) -> str:
    lines = [f"Hello {user.display_name},", "", title + "."]
    if getattr(alliance, "name", None):  # notifications name their alliance (issue 9)
        lines += ["", f"Alliance: {alliance.name}"]
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


def unread_count(session: Session, user: User) -> int:
    """What still needs the person: notifications not read and not resolved (the header's count)."""
    return session.scalar(
        select(func.count(Notification.id)).where(
            Notification.user_id == user.id, Notification.read_at.is_(None), Notification.resolved_at.is_(None)
        )
    ) or 0


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
