"""Panels: a fragment one area adds to another area's page, without that area importing it.

An area registers a provider for a named slot in its ``init_app``::

    register_panel("agreements.proposal", proposal_scenarios)

and the page's template asks for the slot with the objects it already has::

    {{ panels("agreements.proposal", alliance=alliance, proposal=proposal) }}

Each provider returns HTML (``Markup``), or "" when it has nothing to add (it checks its own
permissions). A slot with no providers renders nothing, so a page never depends on an area.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup

Provider = Callable[..., str]

_PANELS: dict[str, list[Provider]] = {}


def register_panel(slot: str, provider: Provider) -> None:
    """Add ``provider`` to ``slot`` (once, however often the app is made)."""
    providers = _PANELS.setdefault(slot, [])
    if provider not in providers:
        providers.append(provider)


def panels(slot: str, **context: Any) -> Markup:
    """Every provider's fragment for this slot, in the order they were registered."""
    return Markup("").join(Markup(provider(**context)) for provider in _PANELS.get(slot, ()))
