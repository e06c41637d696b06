"""Reads remembered for the rest of one transaction.

A chat answer reads the floor for its scenario and again for the alert rules that
order its queues; within one transaction both see the same rows, so the second read
can be the first one's result. A read is forgotten as soon as the session writes to a
table it depends on (a flush, or an INSERT/UPDATE/DELETE through the session; a read
that names no tables is forgotten at any write) and when the transaction ends (commit
or rollback), so it never misses the request's own changes nor outlives the
transaction that made it. (Statements run on ``session.connection()`` directly are
not seen: nothing that writes what a remembered read depends on does so.)
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable
from typing import Any, TypeVar, cast

from sqlalchemy import Table, event, inspect
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

T = TypeVar("T")
_KEY = "aimee.memo"
Entry = tuple[Any, frozenset[str] | None]


def remembered(
    session: Session,
    key: Hashable,
    read: Callable[[], T],
    *,
    tables: Collection[str] | None = None,
) -> T:
    """``read()``'s result, read once per transaction of ``session`` for ``key``;
    ``tables``: those it reads (None: forget it at any write)."""
    memo: dict[Hashable, Entry] = session.info.setdefault(_KEY, {})
    if key not in memo:
        memo[key] = (read(), None if tables is None else frozenset(tables))
    return cast(T, memo[key][0])


def _forget(session: Session, written: frozenset[str] | None) -> None:
    """Forget the reads of ``written`` tables (None: every read)."""
    memo: dict[Hashable, Entry] | None = session.info.get(_KEY)
    if not memo:
        return
    if written is None:
        memo.clear()
        return
    for key in [k for k, (_, reads) in memo.items() if reads is None or reads & written]:
        del memo[key]


def _after_flush(session: Session, _: UOWTransaction) -> None:
    # still the flushed objects here: the session's lists are emptied after this event
    written: set[str] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        written.update(table.name for table in inspect(obj).mapper.tables)
    _forget(session, frozenset(written))


def _on_execute(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        _forget(state.session, frozenset({table.name}) if isinstance(table, Table) else None)


def _transaction_ended(session: Session, *_: Any) -> None:
    _forget(session, None)


event.listen(Session, "after_flush", _after_flush)
event.listen(Session, "after_commit", _transaction_ended)
event.listen(Session, "after_rollback", _transaction_ended)
event.listen(Session, "do_orm_execute", _on_execute)
