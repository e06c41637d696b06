"""The worker's malloc settings (glibc, as on the servers this runs on)."""

from __future__ import annotations

import platform

import pytest

from aimee import memory


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc only")
def test_arenas_are_capped_and_free_memory_goes_back() -> None:
    assert memory.limit_arenas(2) is True
    memory.give_back()  # returns without error; what it frees is measured in bench/abuse.py
