"""Database engine, declarative base and one session per request."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, cast

from flask import Flask, current_app, g, has_request_context, request
from flask.globals import request_ctx
from sqlalchemy import DateTime, MetaData, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: The largest value of a PostgreSQL ``integer`` column (ids, version numbers).
MAX_DATABASE_INT = 2**31 - 1


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC that always comes back timezone-aware.

    SQLite forgets time zones; PostgreSQL keeps them. This makes both behave alike.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets foreign keys and a busy timeout."""
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"timeout": 30, "check_same_thread": False})
    else:
        # No pool_pre_ping: it costs a round trip on every checkout. A connection the server
        # closed fails one request (and is thrown away); recycling hourly keeps them fresh.
        kwargs.setdefault("pool_recycle", 3600)
    engine = create_engine(url, **kwargs)
    event.listen(engine, "begin", _forget_writes)
    event.listen(engine, "before_cursor_execute", _note_writes)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            # Let SQLAlchemy, not pysqlite, decide when transactions begin, so that
            # SAVEPOINTs work (tests and nested transactions rely on them).
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(connection: Any) -> None:
            # A request that changes data takes SQLite's write lock when it begins. With a
            # plain (deferred) BEGIN, two such requests both read first, and the one that
            # writes second fails with "database is locked" because what it read is stale.
            # Reads (GET) keep deferred transactions, so they still run side by side.
            writing = has_request_context() and request.method not in ("GET", "HEAD", "OPTIONS")
            connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")

    return engine


_WROTE = "collab_wrote"


def _forget_writes(connection: Any) -> None:
    connection.info.pop(_WROTE, None)


def _note_writes(connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
    # Anything but a plain SELECT (or SQLite's own BEGIN) counts as a write: INSERT, UPDATE,
    # DELETE, SAVEPOINT, a lock ...
    verb = statement.lstrip()[:6].upper()
    if verb not in ("SELECT", "BEGIN"):
        connection.info[_WROTE] = True


def sees_uncommitted_writes(session: Session) -> bool:
    """Whether this session's transaction has written anything it has not committed yet.

    (In the tests, every session is a SAVEPOINT on one shared connection: it always says yes.)
    """
    connection = session.connection()
    return bool(connection.info.get(_WROTE)) or connection.in_nested_transaction()


def end_read_only(session: Session) -> None:
    """End a transaction that only read with COMMIT rather than ROLLBACK.

    Both end it the same way for the database, but psycopg forgets every prepared statement
    at a ROLLBACK, so a request that always rolled back never reused a query plan. A
    transaction that wrote anything (even a SAVEPOINT), or has emails queued, is left for
    ``close()`` to roll back as before.
    """
    if not session.in_transaction() or session.in_nested_transaction():
        return
    if session.info.get("after_commit") or session.new or session.dirty or session.deleted:
        return
    connection = session.connection()
    if connection.info.get(_WROTE) or connection.in_nested_transaction():
        return
    session.commit()


class Database:
    """Holds the engine and hands out one session per application context."""

    def __init__(self) -> None:
        self.engine: Engine | None = None
        self.session_factory: sessionmaker[Session] | None = None

    def init_app(self, app: Flask, engine: Engine | None = None) -> None:
        engine = engine or make_engine(app.config["DATABASE_URL"])
        factory = sessionmaker(bind=engine, expire_on_commit=False)
        app.extensions["collab_db"] = self
        # Each app keeps its own engine and factory, so two apps in one process (the
        # browser tests' live server beside the test app, a health check against a
        # broken database) never share a database.
        app.extensions["collab_db_engine"] = engine
        app.extensions["collab_db_session_factory"] = factory
        # The most recent app is also the default outside any application context.
        self.engine, self.session_factory = engine, factory
        app.teardown_request(self._remove_request_session)
        app.teardown_appcontext(self._remove_session)

    def get_engine(self, app: Flask | None = None) -> Engine:
        """The engine of ``app`` (default: the current app)."""
        app = app or current_app._get_current_object()  # type: ignore[attr-defined]
        return app.extensions["collab_db_engine"]  # type: ignore[no-any-return]

    def bind_to(self, bind: Any, app: Flask | None = None, **options: Any) -> None:
        """Point ``app``'s new sessions at a connection (tests wrap each test in a transaction)."""
        factory = app.extensions["collab_db_session_factory"] if app is not None else self.session_factory
        assert factory is not None
        factory.configure(bind=bind, **options)

    @property
    def session(self) -> Session:
        """One session per request (or per application context outside a request).

        Kept on the request, not on ``g``: Flask reuses an application context that
        is already pushed (CLI commands, tests), and each request must still start
        with a clean session of its own.
        """
        holder: Any = cast(Any, request_ctx)._get_current_object() if has_request_context() else g._get_current_object()
        session: Session | None = getattr(holder, "_collab_db_session", None)
        if session is None:
            factory = current_app.extensions.get("collab_db_session_factory", self.session_factory)
            assert factory is not None, "Database.init_app was not called"
            session = factory()
            holder._collab_db_session = session
        return session

    def _remove_request_session(self, _exc: BaseException | None) -> None:
        if has_request_context():
            session: Session | None = getattr(cast(Any, request_ctx)._get_current_object(), "_collab_db_session", None)
            if session is not None:
                if _exc is None and request.method in ("GET", "HEAD"):
                    try:
                        end_read_only(session)
                    except Exception:  # noqa: BLE001 - ending a read can only fail harmlessly; close() rolls back
                        pass
                session.close()
                del cast(Any, request_ctx)._get_current_object()._collab_db_session

    def _remove_session(self, _exc: BaseException | None) -> None:
        session: Session | None = g.pop("_collab_db_session", None)
        if session is not None:
            session.close()


def request_cache() -> dict[str, Any]:
    """A dictionary that lives exactly as long as the current database session (one request)."""
    return db.session.info.setdefault("request_cache", {})  # type: ignore[no-any-return]


db = Database()


def after_commit(session: Session, callback: Callable[[], None]) -> None:
    """Run ``callback`` once ``session`` commits; drop it if the session rolls back.

    Used for emails and notifications, which must never go out for a change that
    did not happen. A callback queued inside a SAVEPOINT (begin_nested) that is
    rolled back is dropped with it.
    """
    queued_in = session.get_nested_transaction() or session.get_transaction()
    session.info.setdefault("after_commit", []).append((queued_in, callback))


def discard_after_commit(session: Session) -> None:
    """Forget everything queued with after_commit (made-up data whose emails must not go out)."""
    session.info.pop("after_commit", None)


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    # SQLAlchemy also fires after_commit when a SAVEPOINT (begin_nested) is released;
    # only the real commit of the outermost transaction may send anything.
    if session.in_nested_transaction():
        return
    queued = session.info.pop("after_commit", [])
    for _transaction, callback in queued:
        callback()


def _within(transaction: Any, ancestor: Any) -> bool:
    while transaction is not None:
        if transaction is ancestor:
            return True
        transaction = transaction.parent
    return False


@event.listens_for(Session, "after_soft_rollback")
def _drop_after_commit(session: Session, previous_transaction: Any) -> None:
    if previous_transaction.parent is None:
        session.info.pop("after_commit", None)
        return
    queued = session.info.get("after_commit")
    if queued:
        session.info["after_commit"] = [
            (transaction, callback) for transaction, callback in queued
            if not _within(transaction, previous_transaction)
        ]
