"""The one clock of the running system.

All business times are naive wall-clock times of the operation's time zone
(``AIMEE_TIMEZONE``, default Asia/Tokyo), as in the seed's tables.
``AIMEE_NOW`` fixes the clock for demos and tests.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from aimee.config import get_settings


def to_local_naive(moment: datetime, timezone: str) -> datetime:
    """Convert an aware time to the operation's naive wall time; keep naive times."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(ZoneInfo(timezone)).replace(tzinfo=None)


def now() -> datetime:
    """Current business time: ``AIMEE_NOW`` when set, else the real clock."""
    settings = get_settings()
    if settings.now is not None:
        return to_local_naive(settings.now, settings.timezone)
    return datetime.now(ZoneInfo(settings.timezone)).replace(tzinfo=None, microsecond=0)
