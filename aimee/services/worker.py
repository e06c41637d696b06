"""The periodic alert scan, in a background thread (``aimee serve``) or in the
foreground (``aimee worker``).

Every ``interval_s`` seconds the worker tries to take a lock in the shared cache
(``Cache.add``: Redis ``SET NX PX`` when configured) that lives a little less
than the interval, and scans only when it got it: however many API processes run
a worker, one of them scans per interval and two never scan at once. The lock is
not released after the scan, so that the others skip this interval instead of
scanning again a moment later. A failed scan is logged and the next one runs on
schedule; ``stop()`` ends the loop. Before the scan, in a transaction of its own,
the round sends back the helpers whose loans have ended (``loan_returns.carry_out_due``), so
the scan counts them back home; after it, in another, it records the outcomes of carried-out
plans whose deadlines have passed (``outcomes.record_due``): a failure in either is logged
and never undoes the scan. With ``replan_day``, it then plans the rest of the day again when
the plan in use has aged and the data changed (``DayPlanner.replan_due``, in this round).
Then, when channels are configured (``AIMEE_NOTIFY_URLS``), it pushes high alerts
and suggestions awaiting approval (``notifications.Notifier``: its own short
transactions, each message once, a failed send retried next round); a failure
there is logged too and never undoes the scan.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
import time
from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from aimee import clock
from aimee.cache import Cache
from aimee.services import alerts, loan_returns, outcomes
from aimee.services.alerts import ScanSummary
from aimee.services.notifications import Notifier
from aimee.services.policy import Policy
from aimee.store.db import transaction

log = logging.getLogger(__name__)

LOCK_KEY = "lock:alert-scan"
LOCK_SHARE = 0.9
"""The lock lives this share of the interval: gone before the next round, whoever held it."""

Scan = Callable[[Session, datetime, Policy], ScanSummary]
Record = Callable[[Session, datetime], Sequence[object]]
Replan = Callable[[Session, datetime], object]
"""Plans the rest of the day again when it is due (``DayPlanner.replan_due``)."""


class AlertWorker:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        cache: Cache,
        *,
        interval_s: float,
        policy: Policy,
        scan: Scan = alerts.scan,
        record: Record = outcomes.record_due,
        return_loans: Record = loan_returns.carry_out_due,
        now: Callable[[], datetime] = clock.now,
        lock_key: str = LOCK_KEY,
        notifier: Notifier | None = None,
        replan_day: Replan | None = None,
    ) -> None:
        if interval_s <= 0:
            raise ValueError("interval_s must be positive")
        self.interval_s = interval_s
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"
        self._sessions = sessions
        self._cache = cache
        self._scan = scan
        self._record = record
        self._return_loans = return_loans
        self._policy = policy
        self._now = now
        self._lock_key = lock_key
        self._notifier = notifier
        self._replan_day = replan_day
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def lock_ttl_s(self) -> float:
        return self.interval_s * LOCK_SHARE

    def run_once(self) -> ScanSummary | None:
        """Scan when this worker gets the lock; None when another one has it or
        the scan failed (logged, never raised)."""
        try:
            if not self._cache.add(self._lock_key, self.owner, self.lock_ttl_s):
                log.debug("alert scan skipped: another worker holds %s", self._lock_key)
                return None
            now = self._now()
            # first: the scan sees the helpers whose loans have ended back home
            self._in_own_transaction(self._return_loans, now, "sending helpers back from loans")
            with transaction(self._sessions) as session:
                summary = self._scan(session, now, self._policy)
        except Exception:  # a bad round must not end the loop
            log.exception("alert scan failed; next attempt in %.0f s", self.interval_s)
            return None
        log.info("alert scan at %s: %s", f"{now:%Y-%m-%d %H:%M:%S}", summary.describe())
        self._in_own_transaction(self._record, now, "recording plan outcomes")
        if self._replan_day is not None:
            self._in_own_transaction(self._replan_day, now, "re-planning the rest of the day")
        self._notify(now)
        return summary

    def _in_own_transaction(self, step: Record | Replan, now: datetime, what: str) -> None:
        """``step`` in a transaction of its own: a failure is logged, never raised."""
        try:
            with transaction(self._sessions) as session:
                step(session, now)
        except Exception:
            log.exception("%s failed; next attempt in %.0f s", what, self.interval_s)

    def _notify(self, now: datetime) -> None:
        if self._notifier is None:
            return
        try:
            sent = self._notifier.run(self._sessions, now, owner=self.owner)
        except Exception:
            log.exception("sending notifications failed; next attempt in %.0f s", self.interval_s)
            return
        if sent.sent or sent.retrying or sent.gave_up or sent.skipped:
            log.info("notifications: %s", sent.describe())

    def run(self) -> None:
        """Scan now and then every interval (on a fixed schedule) until ``stop()``."""
        log.info("alert worker %s: a scan every %.0f s", self.owner, self.interval_s)
        next_round = time.monotonic()
        while not self._stopping.is_set():
            self.run_once()
            next_round += self.interval_s
            now = time.monotonic()
            next_round = max(next_round, now)  # a scan overran the interval: skip a round
            self._stopping.wait(next_round - now)
        log.info("alert worker %s stopped", self.owner)

    def start(self) -> None:
        """Run in a daemon thread."""
        if self._thread is not None and self._thread.is_alive():
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self.run, name="alert-worker", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 10.0) -> None:
        """Ask the loop to end and wait for a scan in progress to finish."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
            self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()
