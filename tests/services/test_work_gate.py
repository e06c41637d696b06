"""Heavy work one at a time with a bounded queue: a full gate answers Busy at once."""

from __future__ import annotations

import threading

import pytest

from aimee.errors import Busy
from aimee.services.work_gate import WorkGate


def holding(gate: WorkGate) -> tuple[threading.Event, threading.Event, threading.Thread]:
    """A thread that takes the gate's slot and holds it until released."""
    taken, release = threading.Event(), threading.Event()

    def work() -> None:
        with gate.slot("配置計画の計算"):
            taken.set()
            release.wait(timeout=30)

    thread = threading.Thread(target=work)
    thread.start()
    assert taken.wait(timeout=30)
    return taken, release, thread


def test_no_queue_means_busy_at_once() -> None:
    gate = WorkGate(concurrency=1, queue=0, wait_s=60)
    _taken, release, thread = holding(gate)
    busy = "配置計画の計算が混み合っています。60秒ほどしてから"
    with pytest.raises(Busy, match=busy) as refused, gate.slot("配置計画の計算"):
        pass
    assert refused.value.retry_after_s == 60
    release.set()
    thread.join()
    with gate.slot("配置計画の計算"):  # free again
        assert gate.waiting == 0


def test_a_wait_that_runs_out_is_busy_and_leaves_the_queue() -> None:
    gate = WorkGate(concurrency=1, queue=1, wait_s=0.05)
    _taken, release, thread = holding(gate)
    with pytest.raises(Busy), gate.slot("配置計画の計算"):
        pass
    assert gate.waiting == 0
    release.set()
    thread.join()


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="concurrency"):
        WorkGate(concurrency=0, queue=1, wait_s=1)
