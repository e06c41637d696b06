"""At most CHAT_CONCURRENCY chat turns are prepared at once per process; the rest wait."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aimee.services import chat
from aimee.services.chat import CHAT_CONCURRENCY, ChatService
from tests.conftest import DEMO_NOW, POLICY


def test_turns_beyond_the_limit_wait_for_one_to_finish() -> None:
    service = ChatService(
        memory=None,  # type: ignore[arg-type]
        knowledge=None,  # type: ignore[arg-type]
        responder=None,  # type: ignore[arg-type]
        policy=POLICY,
    )
    inside: list[str] = []
    lock = threading.Lock()
    entered = threading.Semaphore(0)
    release = threading.Event()
    most = 0

    def fake_prepare(session: Any, message: str, session_id: str, **_: Any) -> str:
        nonlocal most
        with lock:
            inside.append(message)
            most = max(most, len(inside))
        entered.release()
        assert release.wait(30)
        with lock:
            inside.remove(message)
        return message

    service._prepare = fake_prepare  # type: ignore[method-assign]
    turns = CHAT_CONCURRENCY + 2
    with ThreadPoolExecutor(turns) as pool:
        futures = [
            pool.submit(service.prepare, None, f"m{i}", "s", now=DEMO_NOW, user=None)  # type: ignore[arg-type]
            for i in range(turns)
        ]
        for _ in range(CHAT_CONCURRENCY):
            assert entered.acquire(timeout=30)
        assert not service._gate.acquire(blocking=False)  # full: the others wait at it
        assert len(inside) == CHAT_CONCURRENCY
        release.set()
        assert sorted(f.result(30) for f in futures) == [f"m{i}" for i in range(turns)]
    assert most == CHAT_CONCURRENCY


def test_the_limit_is_small_and_positive() -> None:
    assert 1 <= chat.CHAT_CONCURRENCY <= 8
