"""The hook through which another area counts in-kind value on the value page.

Shared resources (rooms, vehicles, staff time lent between members) are valued by the area
that books them. That area registers a provider in its own ``init_app``::

    from collab.value.in_kind import InKindLine, register_in_kind_provider
    register_in_kind_provider("resources", resources_in_kind)

    def resources_in_kind(session, alliance) -> list[InKindLine]: ...

The value page shows the lines as "In-kind value from shared resources", a money line of its
own: never added to the money proxies of reported measures, never mixed with counts.
The value area never imports the area that provides them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session


@dataclass(frozen=True)
class InKindLine:
    """One organisation's in-kind contribution (pounds), for the value page."""

    organisation_id: int | None
    organisation_name: str
    description: str
    value: Decimal
    #: The day it was given (it is counted in the period that contains it), if known.
    on: date | None = None


InKindProvider = Callable[[Session, Any], list[InKindLine]]
#: (session, alliance, now) -> the next moment after ``now`` when the provider's lines change by
#: the passing of time alone (a booking ending), or None.
InKindClock = Callable[[Session, Any, datetime], datetime | None]

_PROVIDERS: dict[str, InKindProvider] = {}
_CLOCKS: dict[str, InKindClock] = {}


def register_in_kind_provider(name: str, provider: InKindProvider, next_change: InKindClock | None = None) -> None:
    """Add (or replace) a source of in-kind value; call once from the providing area's ``init_app``.

    A provider whose lines change with the time of day (not only with writes) also gives
    ``next_change``, so the value page is never kept past that moment (``collab.page_cache``).
    """
    _PROVIDERS[name] = provider
    _CLOCKS.pop(name, None)
    if next_change is not None:
        _CLOCKS[name] = next_change


def unregister_in_kind_provider(name: str) -> None:
    _PROVIDERS.pop(name, None)
    _CLOCKS.pop(name, None)


def next_in_kind_change(session: Session, alliance: Any, now: datetime) -> datetime | None:
    """The next moment after ``now`` when any provider's lines change by time alone, or None."""
    moments = [m for clock in _CLOCKS.values() if (m := clock(session, alliance, now)) is not None]
    return min(moments) if moments else None


def in_kind_lines(session: Session, alliance: Any) -> list[InKindLine]:
    """Every registered provider's lines for this alliance."""
    lines: list[InKindLine] = []
    for provider in _PROVIDERS.values():
        lines.extend(provider(session, alliance))
    return lines
