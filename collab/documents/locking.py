"""Optimistic locking for editable document parts (clauses, specification sections).

A row that people edit carries an integer ``lock_version``. The edit form carries the
version it started from; the save is one compare-and-swap statement::

    UPDATE clause SET body = ?, lock_version = lock_version + 1
    WHERE id = ? AND lock_version = ?

If another save got there first, no row matches and ``save_if_unchanged`` raises
``EditConflict`` holding the current row, so the route can answer 409 with the
merge of both people's changes (collab/documents/merge.py, templates/documents/_merge.html).
Nothing is ever overwritten silently, and the database, not Python, decides the race.

A second document type needs only an integer ``lock_version`` column::

    from collab.documents.locking import EditConflict, save_if_unchanged
    section = save_if_unchanged(session, SpecSection, section.id, form.lock_version.data,
                                body=form.body.data, updated_by_id=user.id)
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import update
from sqlalchemy.orm import Session

from collab.errors import Conflict

T = TypeVar("T")


class EditConflict(Conflict):
    """Someone saved the same thing after you started editing it."""

    def __init__(self, current: Any, message: str | None = None) -> None:
        super().__init__(
            message
            or "Someone else saved a change while you were editing. Your text has not been lost: "
            "compare it with the new text below, merge them and save again."
        )
        #: The row as it is now, with the newest text and lock version.
        self.current = current


def save_if_unchanged(
    session: Session, model: type[T], row_id: int, expected_version: int, **values: Any
) -> T:
    """Write ``values`` only if the row is still at ``expected_version``; bump the version.

    Returns the refreshed row. Raises ``EditConflict`` (with the current row) if the row
    moved on, and LookupError if it does not exist.
    """
    table: Any = model
    result = session.execute(
        update(table)
        .where(table.id == row_id, table.lock_version == expected_version)
        .values(lock_version=table.lock_version + 1, **values)
        .execution_options(synchronize_session=False)
    )
    row = session.get(model, row_id, populate_existing=True)
    if row is None:
        raise LookupError(f"{model.__name__} {row_id} does not exist")
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise EditConflict(row)
    return row
