"""At most a few chat turns run at once per API process; the others wait their turn
on the event loop.

A chat turn is mostly Python holding the GIL, with waits on the database and the
embedding model in between. With every request thread running a turn, each turn is as
slow as all of them together (the 99th percentile grows with the crowd); a few at a time
keep the core busy through those waits and answer the rest in order.

The waiting happens here, in an async dependency, and not in a request thread: a turn
waiting in a thread would hold one of the pool's tokens, and a turn inside the gate
needs a token to commit, so on the embedded database a crowd of waiters once starved
the turns inside until SQLite's busy timeout (bench/load.py, 200 users). A turn that
waits longer than ``CHAT_WAIT_S`` is answered 503 with Retry-After, not left hanging.
"""

from __future__ import annotations

import asyncio
import math
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Request

from aimee.errors import Busy

CHAT_CONCURRENCY = 3
"""Turns at once per process (bench/load.py, 50 users without pause on one worker, with
the first gate, which waited in threads: 20.3 → 23.3 answers/s and p95 5.4 → 2.8 s with
three instead of every request thread; with this one and two workers, README)."""
CHAT_WAIT_S = 30.0
"""Longest wait for a turn before the answer is 「混み合っています」."""


class TurnGate:
    """A semaphore per event loop (a test client runs its own loop per instance)."""

    def __init__(self, concurrency: int = CHAT_CONCURRENCY, wait_s: float = CHAT_WAIT_S) -> None:
        if concurrency < 1 or wait_s <= 0:
            raise ValueError("concurrency >= 1 and wait_s > 0 are required")
        self.concurrency, self.wait_s = concurrency, wait_s
        self._slots: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore]
        self._slots = weakref.WeakKeyDictionary()
        self.waiting = 0
        """Turns waiting for a slot now (on the event loop, so no lock)."""

    def _semaphore(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        semaphore = self._slots.get(loop)
        if semaphore is None:
            semaphore = self._slots[loop] = asyncio.Semaphore(self.concurrency)
        return semaphore

    def full(self) -> bool:
        """True when every slot is taken on the running loop (the next turn waits)."""
        return self._semaphore().locked()

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        semaphore = self._semaphore()
        self.waiting += 1
        try:
            await asyncio.wait_for(semaphore.acquire(), timeout=self.wait_s)
        except TimeoutError:
            seconds = math.ceil(self.wait_s)
            raise Busy(
                f"チャットが混み合っています。{seconds}秒ほどしてからもう一度お試しください。",
                retry_after_s=seconds,
            ) from None
        finally:
            self.waiting -= 1
        try:
            yield
        finally:
            semaphore.release()


async def chat_turn(request: Request) -> AsyncIterator[None]:
    """Dependency of the chat endpoints: hold a slot of the app's gate for the turn
    (the session commits inside it, before the slot is released)."""
    gate: TurnGate = request.app.state.chat_gate
    async with gate.slot():
        yield
