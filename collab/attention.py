"""What needs a person: the one small interface every area uses to put items on the "For you" page.

An area registers a provider in its ``init_app``::

    from collab.attention import register_items
    register_items("workshops", workshop_items)

A provider is called with the database session, the person and their memberships (already
loaded, each with ``alliance`` and ``organisation``), and returns :class:`Item` objects. It
must not write, and it should cost a constant number of queries however many alliances the
person belongs to. The "For you" page and each alliance home's panel call :func:`items_for`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Item:
    """One thing on someone's "For you" list."""

    #: The alliance it belongs to (its id, name and slug, so the page can group and link).
    alliance_id: int
    alliance_name: str
    alliance_slug: str
    #: What to do or what happened, in plain words: "Sign version 3 of the agreement".
    title: str
    #: Where the person acts on it: one click from the list.
    url: str
    #: The area that made it, such as "agreements" or "workshops" (for grouping and tests).
    area: str
    #: True when the person is asked to do something; False for "changed since your last visit".
    needs_you: bool = True
    #: When it must be done by (needs_you items), nearest first on the page.
    due: datetime | None = None
    #: When it happened (changes), newest first on the page.
    happened_at: datetime | None = None
    #: A short second line, such as "Your organisation has not responded yet".
    detail: str = ""
    #: Extra words for the link, for screen readers, when the title alone is ambiguous.
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


#: (person, memberships, since) -> items. ``since`` is the person's last visit (None: never).
Provider = Callable[[Session, Any, Sequence[Any], "datetime | None"], Iterable[Item]]

_PROVIDERS: dict[str, Provider] = {}


def register_items(area: str, provider: Provider) -> None:
    """Add (or replace) the provider of ``area``'s items: call once, from the area's ``init_app``."""
    _PROVIDERS[area] = provider


def providers() -> dict[str, Provider]:
    return dict(_PROVIDERS)


def due_on(day: date) -> datetime:
    """An ``Item.due`` for something due by the end of ``day`` (a closing date).

    Noon UTC, so that the day is the same in UK time all year round.
    """
    return datetime.combine(day, time(12, 0), tzinfo=UTC)


def _due_key(item: Item) -> tuple[int, float]:
    return (0, item.due.timestamp()) if item.due is not None else (1, 0.0)


def items_for(
    session: Session,
    person: Any,
    memberships: Sequence[Any],
    since: datetime | None = None,
    *,
    alliance_id: int | None = None,
) -> tuple[list[Item], list[Item]]:
    """(what needs you, nearest due first; what changed since ``since``, newest first).

    ``alliance_id`` narrows both lists to one alliance (the panel on an alliance home).
    """
    if alliance_id is not None:
        memberships = [m for m in memberships if m.alliance_id == alliance_id]
    if not memberships:
        return [], []
    found: list[Item] = []
    for provider in _PROVIDERS.values():
        found.extend(provider(session, person, memberships, since))
    if alliance_id is not None:
        found = [item for item in found if item.alliance_id == alliance_id]
    needs = sorted((i for i in found if i.needs_you), key=lambda i: (*_due_key(i), i.title))
    changed = sorted(
        (i for i in found if not i.needs_you),
        key=lambda i: i.happened_at.timestamp() if i.happened_at else 0.0,
        reverse=True,
    )
    return needs, changed
