"""Reads remembered for the rest of one transaction.

A chat answer reads the floor for its scenario and again for the alert rules that
order its queues; within one transaction both see the same rows, so the second read
can be the first one's result. What is remembered is forgotten as soon as the session
writes (a flush, or an INSERT/UPDATE/DELETE through it) and when its transaction ends
(commit or rollback), so a read never misses the request's own changes nor outlives
the transaction that made it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar, cast

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

T = TypeVar("T")
_KEY = "aimee.memo"


def remembered(session: Session, key: Hashable, read: Callable[[], T]) -> T:
    """``read()``'s result, read once per transaction of ``session`` for ``key``."""
    memo: dict[Hashable, Any] = session.info.setdefault(_KEY, {})
    if key not in memo:
        memo[key] = read()
    return cast(T, memo[key])


def forget(session: Session, *_: Any) -> None:
    session.info.pop(_KEY, None)


def _forget_on_write(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        forget(state.session)


event.listen(Session, "after_flush", forget)
event.listen(Session, "after_commit", forget)
event.listen(Session, "after_rollback", forget)
event.listen(Session, "do_orm_execute", _forget_on_write)
