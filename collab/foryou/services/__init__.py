"""For you rules: remembering visits, and gathering each person's items from every area.

Plain functions: no request, no templates; they flush, never commit.
"""

from __future__ import annotations

from collab.foryou.services.items import (
    FIRST_VISIT_WINDOW,
    Gathered,
    gather,
    memberships_of,
    with_organisations,
)
from collab.foryou.services.visits import SITTING_GAP, WRITE_EVERY, Visit, peek_visit, record_visit, scope_for

__all__ = [
    "FIRST_VISIT_WINDOW",
    "SITTING_GAP",
    "WRITE_EVERY",
    "Visit",
    "Gathered",
    "gather",
    "memberships_of",
    "peek_visit",
    "record_visit",
    "scope_for",
    "with_organisations",
]
