"""Fault: the answer LLM (Ollama) is slow, trickling, failing or down.

Sets up its own world (database ``aimee_fault_llm_slow`` with the demo day),
runs the fake Ollama server of the tests (``tests/fakes/ollama_server.py``:
its request handler, on a fixed loopback port so that it can be closed and
reopened) and starts ``aimee serve`` with ``AIMEE_OLLAMA_URL`` pointing at it
and ``AIMEE_OLLAMA_TIMEOUT_S=--timeout`` (2 s). Then, per scenario, it asks the
seed question 「札幌のエントリ1工程が遅延しています」 through
``POST /api/v1/chat/message`` and ``POST /api/v1/chat/stream`` (SSE):

  baseline  the fake answers at once with a grounded text: the LLM answer is used
            (proves the API really talks to the fake; not a fault)
  slow      the fake waits ``--delay`` (10 s) before answering
  http500   the fake answers HTTP 500
  trickle   the fake streams its answer in pieces 0.5 s apart, longer than the
            budget (chat/stream only: /chat/message asks for one JSON answer)
  down      the fake's port is closed (connection refused)

What counts as loss (exit 1), in every fault scenario:
  * an answer not 200, or later than the timeout plus ``--margin`` (1.5 s);
  * an answer that is not the complete template answer: it must state the
    computed figures (120件, 20分) and carry the suggestion card;
  * ``answer_source`` not "template" (the API's flag that the template was used);
  * for the stream: no ``done`` event, or LLM text shown and not replaced;
  * in ``slow``/``http500``/``trickle``, the fake never asked (a miswired URL
    would pass the other checks trivially); in baseline, no LLM answer.

Run:  .venv/bin/python bench/faults/llm_slow.py [--timeout 2] [--delay 10] [--turns 4]
Touches neither MariaDB's nor Redis's availability.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from typing import Any

import httpx
from common import (
    API,
    REPO,
    SEED_FIGURES,
    Server,
    Timeline,
    auth,
    chat_body,
    free_port,
    main_guard,
    run_tag,
    verdict,
    world,
)

sys.path.insert(0, str(REPO))
from tests.fakes.ollama_server import Script, _handler

GROUNDED_REPLY = (
    "札幌のエントリ1は残り20分で120件が残っています。応援を1名移動すると間に合う見込みです。"
)
LONG_REPLY = GROUNDED_REPLY * 6  # 8 characters a chunk: ~40 chunks


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        return  # a client that gave up (the time budget ran out) is expected


class FakeOllama:
    """The tests' fake Ollama handler on a fixed port: open, close, reopen."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.port = free_port()
        self._server: QuietServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def open(self) -> None:
        self._server = QuietServer(("127.0.0.1", self.port), _handler(self.script))
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def close(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


@dataclass
class Turn:
    kind: str
    """"message" or "stream"."""
    seconds: float
    status: int
    text: str = ""
    answer_source: str | None = None
    has_card: bool = False
    events: list[str] = field(default_factory=list)


def ask_message(client: httpx.Client, session_id: str) -> Turn:
    started = time.monotonic()
    response = client.post("/chat/message", json=chat_body(session_id))
    seconds = time.monotonic() - started
    if response.status_code != 200:
        return Turn("message", seconds, response.status_code, response.text[:200])
    body = response.json()
    return Turn(
        "message",
        seconds,
        200,
        body["response"],
        body.get("answer_source"),
        bool(body.get("suggestion") and body["suggestion"].get("changes")),
    )


def ask_stream(client: httpx.Client, session_id: str) -> Turn:
    """Read the SSE stream to its ``done`` event; the time is to ``done``."""
    started = time.monotonic()
    turn = Turn("stream", 0.0, 0)
    with client.stream("POST", "/chat/stream", json=chat_body(session_id)) as response:
        turn.status = response.status_code
        kind = ""
        for line in response.iter_lines():
            if line.startswith("event: "):
                kind = line.removeprefix("event: ")
                turn.events.append(kind)
            elif line.startswith("data: "):
                data = json.loads(line.removeprefix("data: "))
                if kind == "meta":
                    card = data.get("suggestion") or {}
                    turn.has_card = bool(card.get("changes"))
                elif kind == "done":
                    turn.text, turn.answer_source = data["response"], data["answer_source"]
                    turn.seconds = time.monotonic() - started
                    break
    if not turn.seconds:
        turn.seconds = time.monotonic() - started
    return turn


def check(turn: Turn, scenario: str, budget: float) -> list[str]:
    """Problems of one answer in a scenario."""
    where = f"{scenario}/{turn.kind}"
    if turn.status != 200:
        return [f"{where}: HTTP {turn.status} {turn.text}"]
    problems = []
    if scenario == "baseline":
        if turn.answer_source != "llm":
            problems.append(f"{where}: the LLM answer was not used ({turn.answer_source})")
        return problems
    if turn.seconds > budget:
        problems.append(f"{where}: answered after {turn.seconds:.2f} s (budget {budget:.1f} s)")
    missing = [f for f in SEED_FIGURES if f not in turn.text]
    if missing:
        problems.append(f"{where}: answer lacks {missing}: {turn.text[:100]}")
    if turn.answer_source != "template":
        problems.append(f"{where}: answer_source {turn.answer_source!r}, not 'template'")
    if not turn.has_card:
        problems.append(f"{where}: no suggestion card")
    if turn.kind == "stream":
        if "done" not in turn.events:
            problems.append(f"{where}: no done event")
        if "delta" in turn.events and "replace" not in turn.events:
            problems.append(f"{where}: LLM text streamed and never replaced")
    return problems


def configure(script: Script, scenario: str, delay: float) -> None:
    script.reply, script.status, script.delay_s, script.chunk_delay_s = GROUNDED_REPLY, 200, 0, 0
    if scenario == "slow":
        script.delay_s = delay
    elif scenario == "http500":
        script.status = 500
    elif scenario == "trickle":
        script.reply, script.chunk_delay_s = LONG_REPLY, 0.5


def run(args: argparse.Namespace) -> int:
    timeline = Timeline()
    tag = f"fault-llm-{run_tag()}"
    budget = args.timeout + args.margin
    script = Script()
    fake = FakeOllama(script)
    fake.open()
    env = {"AIMEE_OLLAMA_URL": fake.url, "AIMEE_OLLAMA_TIMEOUT_S": str(args.timeout)}
    problems: list[str] = []
    rows: list[tuple[str, str, list[Turn], int]] = []
    try:
        with world("llm_slow", extra_env=env) as w:
            token = w.token("fault_llm", "approver")
            server = Server(w)
            timeline.log(f"world ready; fake Ollama on {fake.url}; starting the API")
            took = server.start()
            timeline.log(
                f"API up on {server.url} in {took:.1f} s "
                f"(AIMEE_OLLAMA_TIMEOUT_S={args.timeout:g}, budget {budget:.1f} s)"
            )
            client = httpx.Client(
                base_url=server.url + API, headers=auth(token), timeout=args.delay + 30
            )
            try:
                for scenario in ("baseline", "slow", "http500", "trickle", "down"):
                    configure(script, scenario, args.delay)
                    if scenario == "down":
                        fake.close()
                    timeline.log(f"scenario {scenario}")
                    kinds = ["stream"] if scenario == "trickle" else ["message", "stream"]
                    for kind in kinds:
                        ask = ask_message if kind == "message" else ask_stream
                        asked_before = len(script.requests)
                        turns = [ask(client, f"{tag}-{scenario}-{i}") for i in range(args.turns)]
                        for turn in turns:
                            problems += check(turn, scenario, budget)
                        asked = len(script.requests) - asked_before
                        rows.append((scenario, kind, turns, asked))
                        if scenario != "down" and asked == 0:
                            problems.append(f"{scenario}/{kind}: the fake Ollama was never asked")
            finally:
                client.close()
                server.stop()
    finally:
        fake.close()

    print()
    print(f"{'scenario':9} {'endpoint':8} {'n':>2} {'p50 s':>6} {'max s':>6}  answer_source")
    for scenario, kind, turns, asked in rows:
        seconds = [t.seconds for t in turns]
        sources = sorted({str(t.answer_source) for t in turns})
        statuses = sorted({t.status for t in turns})
        print(
            f"{scenario:9} {kind:8} {len(turns):2} {statistics.median(seconds):6.2f} "
            f"{max(seconds):6.2f}  {','.join(sources):8} HTTP {statuses}, "
            f"requests the fake got: {asked}"
        )
    faults = [t for s, _, turns, _ in rows if s != "baseline" for t in turns]
    figures = sum(all(f in t.text for f in SEED_FIGURES) for t in faults)
    print(
        f"fault answers with the seed figures {'/'.join(SEED_FIGURES)}: {figures}/{len(faults)}; "
        f"slowest {max(t.seconds for t in faults):.2f} s (budget {budget:.1f} s)"
    )
    sample = next((t.text for t in faults if t.text), "")
    print("a fault answer begins: " + sample.splitlines()[0][:120] if sample else "")
    return verdict(problems, "llm_slow")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--timeout", type=float, default=2, help="AIMEE_OLLAMA_TIMEOUT_S")
    parser.add_argument("--delay", type=float, default=10, help="the slow fake's delay")
    parser.add_argument("--margin", type=float, default=1.5, help="seconds over the timeout")
    parser.add_argument("--turns", type=int, default=4, help="questions per scenario and kind")
    args = parser.parse_args()
    main_guard(lambda: run(args))


if __name__ == "__main__":
    main()
