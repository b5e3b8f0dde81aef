"""Alliances: creating and changing them, finding them by slug, and who may see which."""

from __future__ import annotations

import re
import secrets
import unicodedata

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from collab import audit
from collab.accounts.models import User
from collab.alliances.models import Alliance, Membership, Organisation, Role, SharedOutcome, Visibility
from collab.security import forget_memberships


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:60] or "alliance"


def _unique_slug(session: Session, name: str) -> str:
    base = slugify(name)
    slug, n = base, 2
    while session.scalar(select(Alliance.id).where(Alliance.slug == slug)) is not None:
        slug, n = f"{base}-{n}", n + 1
    return slug


def create_alliance(
    session: Session,
    actor: User,
    *,
    name: str,
    purpose: str,
    outcomes: list[str],
    visibility: Visibility = Visibility.PRIVATE,
    organisation: Organisation | None = None,
) -> Alliance:
    """Create an alliance; its creator becomes its first commissioner."""
    alliance = Alliance(
        name=name,
        slug=_unique_slug(session, name),
        purpose=purpose,
        visibility=Visibility(visibility),
        created_by_id=actor.id,
    )
    alliance.outcomes = [SharedOutcome(position=i, text=text) for i, text in enumerate(outcomes, start=1)]
    for attempt in range(5):
        try:
            with session.begin_nested():
                session.add(alliance)
            break
        except IntegrityError:
            # Someone took the same address a moment ago: add a short random ending.
            if attempt == 4:
                raise
            alliance.slug = f"{slugify(name)[:50]}-{secrets.token_hex(3)}"
    session.add(
        Membership(user=actor, alliance=alliance, role=Role.COMMISSIONER, organisation=organisation)
    )
    session.flush()
    forget_memberships()
    audit.record(session, actor, "alliance.created", alliance, alliance=alliance, label=alliance.name)
    audit.record(
        session, actor, "membership.joined", actor, alliance=alliance, label=actor.display_name,
        detail={"role": Role.COMMISSIONER.value},
    )
    return alliance


def update_alliance(
    session: Session,
    actor: User,
    alliance: Alliance,
    *,
    name: str,
    purpose: str,
    outcomes: list[str],
    visibility: Visibility,
) -> None:
    """Change an alliance's name, purpose, outcomes or visibility."""
    changed = []
    if alliance.name != name:
        changed.append("name")
    if alliance.purpose != purpose:
        changed.append("purpose")
    if [o.text for o in alliance.outcomes] != outcomes:
        changed.append("shared outcomes")
    if alliance.visibility != Visibility(visibility):
        changed.append("visibility")
    alliance.name = name
    alliance.purpose = purpose
    alliance.visibility = Visibility(visibility)
    if "shared outcomes" in changed:
        alliance.outcomes.clear()
        session.flush()
        alliance.outcomes.extend(SharedOutcome(position=i, text=t) for i, t in enumerate(outcomes, start=1))
    session.flush()
    if changed:
        audit.record(
            session, actor, "alliance.updated", alliance, alliance=alliance, label=alliance.name,
            detail={"changed": changed},
        )


_SLUG = re.compile(r"[a-z0-9-]{1,80}")


def get_alliance(session: Session, slug: str) -> Alliance | None:
    """The alliance with this slug; None for anything that cannot be a slug (saves a query)."""
    if not isinstance(slug, str) or not _SLUG.fullmatch(slug):
        return None
    return session.scalar(select(Alliance).where(Alliance.slug == slug))


def alliances_for(session: Session, user: User) -> list[tuple[Alliance, Membership]]:
    """The user's alliances with their membership, by name."""
    rows = session.execute(
        select(Alliance, Membership)
        .join(Membership, Membership.alliance_id == Alliance.id)
        .where(Membership.user_id == user.id)
        .order_by(Alliance.name)
    ).all()
    return [(a, m) for a, m in rows]


def public_alliances(session: Session, exclude_user: User | None = None) -> list[Alliance]:
    stmt = select(Alliance).where(Alliance.visibility == Visibility.PUBLIC).order_by(Alliance.name)
    if exclude_user is not None and exclude_user.is_authenticated:
        mine = select(Membership.alliance_id).where(Membership.user_id == exclude_user.id)
        stmt = stmt.where(Alliance.id.not_in(mine))
    return list(session.scalars(stmt))
