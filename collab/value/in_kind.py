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
from datetime import date
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

_PROVIDERS: dict[str, InKindProvider] = {}


def register_in_kind_provider(name: str, provider: InKindProvider) -> None:
    """Add (or replace) a source of in-kind value; call once from the providing area's ``init_app``."""
    _PROVIDERS[name] = provider


def unregister_in_kind_provider(name: str) -> None:
    _PROVIDERS.pop(name, None)


def in_kind_lines(session: Session, alliance: Any) -> list[InKindLine]:
    """Every registered provider's lines for this alliance."""
    lines: list[InKindLine] = []
    for provider in _PROVIDERS.values():
        lines.extend(provider(session, alliance))
    return lines
