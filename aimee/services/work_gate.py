"""Heavy work (solving a posted scenario, planning on the current data) one at a
time per API process, with a short bounded queue, so that a few large plans can
neither exhaust the worker's memory nor starve the chat and the dashboard.

A request takes a slot or waits for one up to ``wait_s``; when ``queue`` requests
are already waiting, or the wait runs out, it is answered 503 with Retry-After
(``errors.Busy``) instead of piling up. Threads of the request pool do the work:
the solvers release the GIL, so the rest of the API keeps answering meanwhile."""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from aimee.errors import Busy

log = logging.getLogger(__name__)


class WorkGate:
    def __init__(
        self,
        *,
        concurrency: int,
        queue: int,
        wait_s: float,
        after: Callable[[], None] = lambda: None,
    ) -> None:
        """``after`` runs when a job leaves its slot (the API returns freed memory)."""
        if concurrency < 1 or queue < 0 or wait_s <= 0:
            raise ValueError("concurrency >= 1, queue >= 0 and wait_s > 0 are required")
        self.concurrency, self.queue, self.wait_s = concurrency, queue, wait_s
        self._after = after
        self._slots = threading.BoundedSemaphore(concurrency)
        self._lock = threading.Lock()
        self._waiting = 0

    @property
    def waiting(self) -> int:
        return self._waiting

    def _busy(self, what: str) -> Busy:
        log.info("work gate full: %s refused (%d waiting)", what, self._waiting)
        return Busy(
            f"{what}が混み合っています。{math.ceil(self.wait_s)}秒ほどしてから"
            "もう一度お試しください。",
            retry_after_s=math.ceil(self.wait_s),
        )

    @contextmanager
    def slot(self, what: str) -> Iterator[None]:
        """Hold a slot while the body runs; ``what`` names the work in the 503 message."""
        if not self._slots.acquire(blocking=False):
            with self._lock:
                if self._waiting >= self.queue:
                    raise self._busy(what)
                self._waiting += 1
            try:
                acquired = self._slots.acquire(timeout=self.wait_s)
            finally:
                with self._lock:
                    self._waiting -= 1
            if not acquired:
                raise self._busy(what)
        try:
            yield
        finally:
            self._slots.release()
            self._after()
