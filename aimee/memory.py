"""Keep an API worker's memory near what it uses (glibc only; a no-op elsewhere).

CPython's request threads each get a malloc arena of their own, and memory a large
job freed stays mapped in them: after a few large plans a worker's RSS stays high
although nothing uses it. ``limit_arenas`` caps the arenas (as MALLOC_ARENA_MAX
would, set before the first threads start) and ``give_back`` returns the free
memory at the top of the heaps to the system after heavy work (``malloc_trim``)."""

from __future__ import annotations

import ctypes
import ctypes.util
import logging

log = logging.getLogger(__name__)

M_ARENA_MAX = -8
"""glibc's mallopt parameter for the most malloc arenas."""


def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        libc = ctypes.CDLL(name)
    except OSError:
        return None
    return libc if hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None


_LIBC = _libc()


def limit_arenas(count: int = 2) -> bool:
    """Cap the malloc arenas of this process; False where that is not glibc."""
    if _LIBC is None:
        return False
    return bool(_LIBC.mallopt(M_ARENA_MAX, count))


def give_back() -> None:
    """Return free heap memory to the system (after a large job)."""
    if _LIBC is not None:
        _LIBC.malloc_trim(0)
