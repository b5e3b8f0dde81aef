"""Alliance revisions: a number that changes with every committed write an alliance's pages can show.

The page cache (``collab.page_cache``) keys every page by these numbers, so it can never serve
a page older than the data it shows. Nothing outside this module bumps them: one hook in the
unit of work (the SQLAlchemy session) sees every row a transaction adds, changes or deletes,
works out which alliances those rows belong to, and bumps their revisions just before COMMIT,
in the same transaction. A rolled-back transaction bumps nothing.

How a row names its alliance (first match wins):

1. its model is in the private registry (``private(Model)``): rows no alliance page shows, such
   as sign-in sessions, tokens and notifications (the unread count is part of the cache key);
2. its model is site-wide (``site_wide(Model, ignore=...)``): rows that can appear on any
   alliance's pages, such as a person's name or an organisation. A change to any column but the
   ignored bookkeeping ones bumps the site revision (alliance 0), which is part of every key;
3. a child row registered with ``through(Model, Parent, "parent_id")``: the parent's alliance;
   or a method ``__alliance_of__(self)`` returning an alliance id (or ids, or None);
4. an ``alliance_id`` column (both its old and new value, if it moved);
5. an ``alliance`` property, the same one ``can()`` uses for permissions (a clause reaches its
   alliance through its agreement, a comment through its thread ...).

A row that matches none of these bumps the site revision: correct, only slower. A new area
therefore gets caching right without doing anything, and fast by giving its tables an
``alliance_id`` column or an ``alliance`` property. ``tests/test_revisions.py`` lists every
model and fails for one that falls through to the site revision without being declared.

Numbers come from a sequence, so a number is never used twice, not even after a rollback, and
each committed state of an alliance has a number of its own. The bump is an upsert of one row
per alliance, run as the last statement before COMMIT: concurrent writers of one alliance do
their work side by side and wait for each other only for the moment between that statement and
their COMMIT (proved in tests/test_revisions.py on PostgreSQL). Because a writer holds the row
until it commits, the value a reader sees always belongs to the data it sees.

SQLite has no sequences: the next number is one more than the largest number in the table. That
is safe because SQLite runs one writer at a time (``BEGIN IMMEDIATE``) and a reader never sees
an uncommitted number, so a number reused after a rollback was never seen by anyone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import BigInteger, Integer, Sequence, event, inspect, select, text
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column, object_session

from collab.db import Base

#: The "alliance" whose revision every page depends on: people's names, organisations.
SITE = 0

REVISION_SEQUENCE = Sequence("alliance_revision_seq", metadata=Base.metadata)


class AllianceRevision(Base):
    """The current revision of one alliance (``alliance_id`` 0: the whole site)."""

    __tablename__ = "alliance_revision"

    #: No foreign key: 0 is the site, and a deleted alliance's row does no harm.
    alliance_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    #: A number never used before (from ``alliance_revision_seq`` on PostgreSQL).
    revision: Mapped[int] = mapped_column(BigInteger)


_PRIVATE: set[type] = {AllianceRevision}
#: model -> the columns whose change never shows on a page (bookkeeping such as a password hash).
_SITE_WIDE: dict[type, frozenset[str]] = {}
#: model -> (parent model, the column holding the parent's id): child rows found through a parent.
_THROUGH: dict[type, tuple[type, str]] = {}
_BUMPS = "revision_bumps"


def private(*models: type) -> None:
    """Rows of these models never show on an alliance's pages: writing them bumps nothing."""
    _PRIVATE.update(models)


def site_wide(model: type, ignore: Iterable[str] = ()) -> None:
    """Rows of ``model`` may show on any page: a change to any column but ``ignore`` bumps the site revision."""
    _SITE_WIDE[model] = frozenset(ignore)


def through(model: type, parent: type, column: str) -> None:
    """Rows of ``model`` belong to the alliance of the ``parent`` row whose id is in ``column``."""
    _THROUGH[model] = (parent, column)


def is_declared(model: type) -> bool:
    """Whether ``model`` says where its rows belong (rather than falling back to the site revision)."""
    if model in _PRIVATE or model in _SITE_WIDE or model in _THROUGH or hasattr(model, "__alliance_of__"):
        return True
    return "alliance_id" in inspect(model).columns or isinstance(getattr(model, "alliance", None), property)


def _ids(value: Any) -> set[int]:
    if value is None:
        return set()
    if isinstance(value, int):
        return {value}
    return {v for v in value if v is not None}


def alliances_of(obj: Any, *, changed_only: bool = True) -> set[int]:
    """The alliances (``SITE`` for all) whose pages can show ``obj``."""
    model = type(obj)
    if model in _PRIVATE:
        return set()
    state = inspect(obj)
    if model in _SITE_WIDE:
        ignored = _SITE_WIDE[model]
        if not changed_only or state.transient or state.pending or state.deleted:
            return {SITE}
        changed = {attr.key for attr in state.attrs if attr.history.has_changes()}
        return {SITE} if changed - ignored else set()
    hook: Callable[[], Any] | None = getattr(obj, "__alliance_of__", None)
    try:
        if model in _THROUGH:
            parent_model, column = _THROUGH[model]
            session = object_session(obj)
            parent = session.get(parent_model, getattr(obj, column)) if session is not None else None
            return alliances_of(parent, changed_only=False) if parent is not None else {SITE}
        if hook is not None:
            return _ids(hook())
        if "alliance_id" in state.mapper.columns:
            history = state.attrs.alliance_id.history
            return _ids([*history.added, *history.unchanged, *history.deleted, obj.alliance_id])
        if isinstance(getattr(model, "alliance", None), property):
            alliance = obj.alliance
            if alliance is not None and alliance.id is not None:
                return {alliance.id}
    except Exception:  # noqa: BLE001 - a parent that cannot be reached: fall back to the site
        return {SITE}
    return {SITE}


def _note(session: Session, ids: set[int]) -> None:
    if ids:
        session.info.setdefault(_BUMPS, set()).update(ids)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: Any) -> None:
    # After the flush every new row has its id; new, dirty and deleted still list what was flushed.
    ids: set[int] = set()
    for obj in session.new:
        ids |= alliances_of(obj, changed_only=False)
    for obj in session.deleted:
        ids |= alliances_of(obj, changed_only=False)
    for obj in session.dirty:
        if session.is_modified(obj, include_collections=False):
            ids |= alliances_of(obj)
    _note(session, ids)


@event.listens_for(Session, "do_orm_execute")
def _bulk_statement(state: ORMExecuteState) -> None:
    """``session.execute(update(Model)...)`` and friends bypass the flush: find their alliances here."""
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    mapper = state.bind_mapper
    model = mapper.class_ if mapper is not None else None
    session = state.session
    if model is None or mapper is None:
        _note(session, {SITE})
        return
    if model in _PRIVATE:
        return
    statement: Any = state.statement
    where = getattr(statement, "whereclause", None)
    if model in _SITE_WIDE:
        values = getattr(statement, "_values", None) or {}
        names = {getattr(k, "key", k) for k in values}
        if state.is_update and names and not (names - _SITE_WIDE[model]):
            return
        _note(session, {SITE})
        return
    if state.is_insert or where is None:
        _note(session, {SITE})
        return
    # The rows the statement is about to change, found with the same condition first.
    with session.no_autoflush:
        if "alliance_id" in mapper.columns and not hasattr(model, "__alliance_of__"):
            found = set(session.scalars(select(mapper.columns["alliance_id"]).where(where).distinct()))
            _note(session, {i for i in found if i is not None})
        else:
            ids: set[int] = set()
            for obj in session.scalars(select(model).where(where)):
                ids |= alliances_of(obj, changed_only=False)
            _note(session, ids)


@event.listens_for(Session, "before_commit")
def _bump_before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return
    session.flush()  # the last changes are flushed after this hook otherwise
    ids = session.info.pop(_BUMPS, None)
    if ids:
        bump(session, ids)


@event.listens_for(Session, "after_soft_rollback")
def _forget_bumps(session: Session, previous_transaction: Any) -> None:
    # A rolled-back SAVEPOINT keeps its bumps (bumping too often is harmless); a full rollback drops them.
    if previous_transaction.parent is None:
        session.info.pop(_BUMPS, None)


def bump(session: Session, alliance_ids: Iterable[int]) -> None:
    """Give each alliance a revision number never used before (in id order, so two writers never deadlock)."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        sql = text(
            "INSERT INTO alliance_revision (alliance_id, revision) VALUES (:a, nextval('alliance_revision_seq')) "
            "ON CONFLICT (alliance_id) DO UPDATE SET revision = EXCLUDED.revision"
        )
    else:
        sql = text(
            "INSERT INTO alliance_revision (alliance_id, revision) "
            "VALUES (:a, (SELECT coalesce(max(revision), 0) + 1 FROM alliance_revision)) "
            "ON CONFLICT (alliance_id) DO UPDATE SET revision = excluded.revision"
        )
    for alliance_id in sorted(set(alliance_ids)):
        session.execute(sql, {"a": alliance_id})


def revisions(session: Session, alliance_ids: Iterable[int]) -> dict[int, int]:
    """The current revision of each alliance (and of the site); missing ones were never bumped."""
    ids = sorted({SITE, *alliance_ids})
    rows = session.execute(
        select(AllianceRevision.alliance_id, AllianceRevision.revision).where(AllianceRevision.alliance_id.in_(ids))
    )
    return {int(row[0]): int(row[1]) for row in rows.all()}
