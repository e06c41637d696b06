"""The one clock of the running system.

All business times are naive wall-clock times of the operation's time zone
(``AIMEE_TIMEZONE``, default Asia/Tokyo), as in the seed's tables.
``AIMEE_NOW`` fixes the clock for demos and tests.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from aimee.config import Settings, get_settings


def to_local_naive(moment: datetime, timezone: str) -> datetime:
    """Convert an aware time to the operation's naive wall time; keep naive times."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(ZoneInfo(timezone)).replace(tzinfo=None)


@dataclass(frozen=True)
class _Pace:
    start: datetime
    started: float
    speed: float


_pace: _Pace | None = None


def run(speed: float = 1.0) -> None:
    """From now on, let business time run ``speed`` times as fast as real time,
    starting from the current business time (``AIMEE_NOW`` included): the live
    demo floor. Only the calling process is affected."""
    global _pace  # noqa: PLW0603 - one clock per process, set once by `aimee demo`
    if speed <= 0:
        raise ValueError("speed must be positive")
    _pace = None
    _pace = _Pace(now(), time.monotonic(), speed)


def utc_now() -> datetime:
    """The real time in UTC (naive), whatever ``AIMEE_NOW`` says: for lifetimes that
    guard access (dashboard sessions), which a frozen demo day must not stretch."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def now(settings: Settings | None = None) -> datetime:
    """Current business time: ``settings.now`` (``AIMEE_NOW``) when set, else the
    real clock in ``settings.timezone`` (running ``speed`` times as fast after
    ``run``). Without ``settings``: the process-wide settings."""
    if _pace is not None:
        elapsed = (time.monotonic() - _pace.started) * _pace.speed
        return (_pace.start + timedelta(seconds=elapsed)).replace(microsecond=0)
    settings = settings or get_settings()
    if settings.now is not None:
        return to_local_naive(settings.now, settings.timezone)
    return datetime.now(ZoneInfo(settings.timezone)).replace(tzinfo=None, microsecond=0)
