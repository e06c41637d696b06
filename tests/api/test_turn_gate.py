"""The chat's turn gate: a few turns at once per process, the rest waiting on the event
loop (not in request threads), a 503 with Retry-After after a bounded wait."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator

import anyio
import httpx
import pytest
from fastapi import Depends, FastAPI

from aimee.api.errors import install_error_handlers
from aimee.api.routers import chat
from aimee.api.turn_gate import CHAT_CONCURRENCY, TurnGate, chat_turn


def gated_app(gate: TurnGate, release: threading.Event, inside: list[int]) -> FastAPI:
    """An endpoint that holds its turn until ``release``, behind the real dependency,
    with a sync dependency that needs a request thread to finish (like the session's
    commit)."""
    app = FastAPI()
    app.state.chat_gate = gate
    install_error_handlers(app)
    lock = threading.Lock()

    def committing() -> Iterator[None]:
        yield
        with lock:  # runs in a request thread after the endpoint, inside the gate
            inside.append(-1)

    @app.post("/turn", dependencies=[Depends(chat_turn, scope="function")])
    def turn(_: None = Depends(committing, scope="function")) -> dict[str, int]:
        with lock:
            inside.append(1)
        assert release.wait(30)
        return {"ok": 1}

    return app


def running(inside: list[int]) -> int:
    return sum(inside)


async def until(condition: Callable[[], bool]) -> None:
    """Poll the event loop until ``condition`` holds (at most 30 s, then fail)."""
    async with asyncio.timeout(30):
        while not condition():
            await asyncio.sleep(0.01)


async def _post_all(app: FastAPI, count: int) -> list[httpx.Response]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await asyncio.gather(*(client.post("/turn") for _ in range(count)))


def test_turns_beyond_the_limit_wait_and_all_are_answered() -> None:
    gate, release, inside = TurnGate(concurrency=2), threading.Event(), []
    app = gated_app(gate, release, inside)

    async def scenario() -> list[httpx.Response]:
        posts = asyncio.ensure_future(_post_all(app, 5))
        await until(lambda: len(inside) == 2 and gate.waiting == 3)  # two in, three waiting
        assert gate.full() and len(inside) == 2
        release.set()
        return await asyncio.wait_for(posts, timeout=60)

    responses = asyncio.run(scenario())
    assert [r.status_code for r in responses] == [200] * 5
    assert inside.count(1) == 5 and running(inside) == 0


def test_waiters_hold_no_request_thread() -> None:
    """With two request threads and a crowd at the gate, the turn inside still gets a
    thread for its commit (the deadlock of a gate that waits in a thread)."""
    gate, release, inside = TurnGate(concurrency=1), threading.Event(), []
    release.set()
    app = gated_app(gate, release, inside)

    async def scenario() -> list[httpx.Response]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = 2
        return await asyncio.wait_for(_post_all(app, 12), timeout=60)

    responses = asyncio.run(scenario())
    assert [r.status_code for r in responses] == [200] * 12
    assert inside.count(1) == 12 and inside.count(-1) == 12


def test_a_turn_that_waits_too_long_is_told_to_retry() -> None:
    gate, release, inside = TurnGate(concurrency=1, wait_s=0.2), threading.Event(), []
    app = gated_app(gate, release, inside)

    async def scenario() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            first = asyncio.ensure_future(client.post("/turn"))
            await until(lambda: bool(inside))
            second = await client.post("/turn")  # waits out its 0.2 s behind the first
            release.set()
            return [await first, second]

    first, second = asyncio.run(scenario())
    assert first.status_code == 200
    assert second.status_code == 503
    assert second.headers["Retry-After"] == "1"
    assert "チャットが混み合っています" in second.json()["error"]


@pytest.mark.parametrize("path", ["/chat/message", "/chat/stream"])
def test_both_chat_endpoints_take_a_turn(path: str) -> None:
    route = next(r for r in chat.router.routes if getattr(r, "path", None) == path)
    assert chat_turn in [d.dependency for d in route.dependencies]  # type: ignore[attr-defined]


def test_the_gate_is_small_and_rejects_nonsense() -> None:
    assert 1 <= CHAT_CONCURRENCY <= 8
    with pytest.raises(ValueError):
        TurnGate(concurrency=0)
    with pytest.raises(ValueError):
        TurnGate(wait_s=0)
