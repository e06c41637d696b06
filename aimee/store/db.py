"""Engine and session factory for SQLite (default) and MariaDB/MySQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

T = TypeVar("T")

SQLITE_BUSY_TIMEOUT_MS = 30_000


CONNECT_TIMEOUT_S = 5


def create_db_engine(url: str, *, io_timeout_s: float | None = None, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets WAL, a busy timeout and foreign keys.

    For MySQL/MariaDB, ``io_timeout_s`` bounds each read and write on the
    connection, so a server that stops answering (frozen, network cut) makes a
    request fail with OperationalError (503) instead of hanging as long as the
    server does; None (the command line's migrations and bulk loads) waits."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    connect_args: dict[str, Any] = {"connect_timeout": CONNECT_TIMEOUT_S}
    if io_timeout_s is not None and parsed.get_driver_name() == "pymysql":
        connect_args |= {"read_timeout": io_timeout_s, "write_timeout": io_timeout_s}
    return create_engine(
        url, pool_pre_ping=True, pool_recycle=3600, connect_args=connect_args, **kwargs
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on error."""
    with factory() as session, session.begin():
        yield session


LOCK_ERRORS = frozenset({1205, 1213})
"""MySQL/MariaDB: lock wait timeout, deadlock."""


def is_busy(exc: BaseException) -> bool:
    """Whether the database is up but gave up waiting for another transaction's locks
    (SQLite: the file stayed locked beyond the busy timeout, or a reader could not
    become a writer; MySQL/MariaDB: a lock wait timeout or a deadlock)."""
    orig = getattr(exc, "orig", None)
    args = getattr(orig, "args", ())
    code = args[0] if args else None
    return code in LOCK_ERRORS or "database is locked" in str(orig)


def retry_when_busy(session: Session, work: Callable[[], T], *, attempts: int = 3) -> T:
    """Run ``work`` in ``session``, again on fresh data (after a rollback) when the
    database was busy: on SQLite a transaction that read before another writer
    committed cannot write (SQLITE_BUSY_SNAPSHOT, which no busy timeout waits out),
    and the retry sees what the other one wrote (e.g. 409 instead of 503)."""
    for attempt in range(1, attempts + 1):
        try:
            return work()
        except OperationalError as exc:
            if not is_busy(exc) or attempt == attempts:
                raise
            session.rollback()
    raise AssertionError("unreachable")  # pragma: no cover
