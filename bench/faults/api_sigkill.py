"""Fault: the API is killed with SIGKILL while approvers act concurrently.

Sets up its own world (database ``aimee_fault_api_sigkill`` with the demo day),
starts ``aimee serve --workers 2`` in its own process group and, per round:

1. creates ``--suggestions`` pending suggestions through the chat (delay
   questions about several queues, each in its own session: every answer with a
   card stores a pending suggestion);
2. sends two decisions per suggestion, from two approvers, randomly approve or
   reject, shuffled, ``--concurrency`` at a time
   (``POST /api/v1/approvals/{id}/action``). A 409 is a legitimate answer: the
   other decision won, or the operators are promised to another approved move;
3. once ``--kill-after`` of the decisions are answered, SIGKILLs the whole
   process group (supervisor and workers): requests in flight get no answer,
   decisions not yet sent are held back;
4. restarts the API (same port) and sends every decision that got no answer
   again, once;
5. reads ``approval_history`` and ``suggestions`` straight from MariaDB.

What counts as loss or double (exit 1):
  * a 200 whose ``approval_history_id`` is not in ``approval_history``, or whose
    row has another suggestion or action (lost decision);
  * two rows for one suggestion, or two 200s for one suggestion (double);
  * a row whose action no decision could have caused: every row must match a
    200, or a decision that got no answer in the first attempt (it was
    committed before the kill; its retry then gets 409 "already decided");
  * a suggestion whose status disagrees with its row (pending without a row,
    approved/rejected without the matching row);
  * any answer other than 200/409 (e.g. 500), or no answer after the restart.

Run:  .venv/bin/python bench/faults/api_sigkill.py [--rounds 2] [--suggestions 24]
Touches neither MariaDB's nor Redis's availability.
"""

from __future__ import annotations

import argparse
import random
import threading
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx
from common import (
    API,
    Server,
    Timeline,
    World,
    auth,
    chat_body,
    main_guard,
    run_tag,
    verdict,
    world,
)

QUESTIONS = (
    "札幌のエントリ1工程が遅延しています",
    "梅田のエントリ1工程が遅延しています",
    "那覇のエントリ1工程が遅延しています",
    "那覇のエントリ2工程が遅延しています",
    "品川の補正工程が遅延しています",
    "盛岡の検証工程が遅延しています",
    "梅田のエントリ2工程が遅延しています",
    "品川のエントリ1工程が遅延しています",
)
STATUS_OF = {"approve": "approved", "reject": "rejected"}


@dataclass
class Decision:
    number: int
    suggestion_id: str
    action: str
    """"approve" or "reject"."""
    user: str
    token: str
    first: str = "not sent"
    """Outcome of the first attempt: an HTTP status, "no answer" (in flight at
    the kill) or "not sent" (held back after the kill)."""
    retry: str | None = None
    status: int | None = None
    """The final HTTP status (first attempt or retry)."""
    history_id: int | None = None
    error: str = ""
    answered_at: float | None = None
    """Timeline seconds when the first attempt's answer arrived."""
    triggered_kill: bool = False


def send(base_url: str, decision: Decision, timeout_s: float) -> tuple[str, dict[str, Any]]:
    """One decision; ("200", body), ("409", body), … or ("no answer", {})."""
    body = {"action": decision.action, "feedback_reason": f"fault test {decision.number}"}
    try:
        response = httpx.post(
            f"{base_url}{API}/approvals/{decision.suggestion_id}/action",
            json=body,
            headers=auth(decision.token),
            timeout=timeout_s,
        )
    except httpx.HTTPError as exc:
        return "no answer", {"error": repr(exc)}
    try:
        payload = response.json()
    except ValueError:
        payload = {"error": response.text[:300]}
    return str(response.status_code), payload


def record(decision: Decision, outcome: str, payload: dict[str, Any], *, retry: bool) -> None:
    if retry:
        decision.retry = outcome
    else:
        decision.first = outcome
    if outcome.isdigit():
        decision.status = int(outcome)
        if decision.status == 200:
            decision.history_id = int(payload["approval_history_id"])
        else:
            decision.error = str(payload.get("error", ""))[:160]
    else:
        decision.error = str(payload.get("error", ""))[:160]


def make_suggestions(
    base_url: str, token: str, tag: str, count: int, concurrency: int
) -> list[str]:
    def ask(n: int) -> str | None:
        question = QUESTIONS[n % len(QUESTIONS)]
        response = httpx.post(
            f"{base_url}{API}/chat/message",
            json=chat_body(f"{tag}-{n}", question),
            headers=auth(token),
            timeout=120,
        )
        response.raise_for_status()
        card = response.json().get("suggestion")
        return None if card is None else str(card["id"])

    with ThreadPoolExecutor(concurrency) as pool:
        ids = [i for i in pool.map(ask, range(count * 2)) if i is not None]
    return ids[:count]


def fire_and_kill(
    server: Server,
    decisions: list[Decision],
    args: argparse.Namespace,
    timeline: Timeline,
) -> float:
    """Send the decisions concurrently; SIGKILL the server when enough are
    answered. Returns the time of the kill."""
    killed = threading.Event()
    answered = 0
    lock = threading.Lock()
    threshold = max(1, int(len(decisions) * args.kill_after))
    kill_at: list[float] = []

    def one(decision: Decision) -> None:
        nonlocal answered
        if killed.is_set():
            return  # held back: sent after the restart
        outcome, payload = send(server.url, decision, args.timeout)
        if killed.is_set() and not outcome.isdigit():
            outcome = "no answer"
        record(decision, outcome, payload, retry=False)
        with lock:
            if outcome.isdigit():
                decision.answered_at = timeline.now()
                answered += 1
            if answered >= threshold and not killed.is_set():
                killed.set()
                decision.triggered_kill = True
                kill_at.append(timeline.now())
                server.kill()

    with ThreadPoolExecutor(args.concurrency) as pool:
        list(pool.map(one, decisions))
    if not killed.is_set():  # everything answered before the threshold: kill anyway
        kill_at.append(timeline.now())
        server.kill()
    return kill_at[0]


def check_decisions(
    decisions: list[Decision], rows: list[tuple[Any, ...]], kill_time: float
) -> list[str]:
    """Every 200 has its row; every other final answer is a 409."""
    problems = []
    by_id = {r[0]: r for r in rows}
    for d in decisions:
        if d.status == 200:
            row = by_id.get(d.history_id)
            if row is None:
                when = (
                    f"answered {1000 * (kill_time - d.answered_at):.0f} ms before the SIGKILL"
                    f"{', the answer that triggered it' if d.triggered_kill else ''}"
                    if d.first == "200" and d.answered_at is not None
                    else f"answered 200 on the retry after the restart ({d.first} first)"
                )
                problems.append(
                    f"LOST: decision {d.number} ({d.action} {d.suggestion_id}) got 200 with "
                    f"approval_history_id {d.history_id}, which is not in approval_history "
                    f"({when})"
                )
            elif (row[1], row[2], row[3]) != (d.suggestion_id, STATUS_OF[d.action], d.user):
                problems.append(f"decision {d.number} got 200 but its row is {row}")
        elif d.status != 409:
            problems.append(
                f"decision {d.number} ({d.action} {d.suggestion_id}) ended "
                f"{d.first}/{d.retry}: {d.error}"
            )
    return problems


def check_suggestions(
    decisions: list[Decision], rows: list[tuple[Any, ...]], statuses: dict[str, str]
) -> tuple[list[str], int]:
    """At most one row and one 200 per suggestion, every row explained, the
    status in line with the row; also how many rows came from decisions that
    got no answer (committed just before the kill)."""
    problems = []
    rows_of: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows:
        rows_of[row[1]].append(row)
    decisions_of: dict[str, list[Decision]] = defaultdict(list)
    for d in decisions:
        decisions_of[d.suggestion_id].append(d)
    in_doubt_committed = 0
    for sid, its_decisions in decisions_of.items():
        its_rows = rows_of.get(sid, [])
        oks = [d for d in its_decisions if d.status == 200]
        if len(its_rows) > 1:
            problems.append(f"DOUBLE: {sid} has {len(its_rows)} approval_history rows: {its_rows}")
        if len(oks) > 1:
            problems.append(f"DOUBLE: {sid} got {len(oks)} answers 200")
        if its_rows and not oks:
            row = its_rows[0]
            if any(
                d.first == "no answer" and STATUS_OF[d.action] == row[2] and d.user == row[3]
                for d in its_decisions
            ):
                in_doubt_committed += 1
            else:
                problems.append(f"PHANTOM: {sid} has row {row} but no decision got 200 for it")
        expected = its_rows[0][2] if its_rows else "pending"
        if statuses.get(sid) != expected:
            problems.append(f"{sid} is {statuses.get(sid)}, approval_history says {expected}")
    return problems, in_doubt_committed


def check_round(
    w: World, decisions: list[Decision], ids: list[str], kill_time: float
) -> tuple[list[str], str]:
    """Compare the answers with the database; (problems, summary line)."""
    placeholders = ",".join(["%s"] * len(ids))
    rows = w.query(
        "SELECT approval_history_id, suggestion_id, action_type, action_user "
        f"FROM approval_history WHERE suggestion_id IN ({placeholders})",
        ids,
    )
    statuses = {
        str(sid): str(status)
        for sid, status in w.query(
            f"SELECT suggestion_id, status FROM suggestions "
            f"WHERE suggestion_id IN ({placeholders})",
            ids,
        )
    }
    problems = check_decisions(decisions, rows, kill_time)
    more, in_doubt_committed = check_suggestions(decisions, rows, statuses)
    summary = (
        f"approval_history rows {len(rows)} for {len(ids)} suggestions; suggestions "
        f"{dict(Counter(statuses.values()))}; rows of decisions that got no answer "
        f"(committed just before the kill, retry saw 409): {in_doubt_committed}"
    )
    return problems + more, summary


def run(args: argparse.Namespace) -> int:
    timeline = Timeline()
    rng = random.Random(args.seed)
    problems: list[str] = []
    with world("api_sigkill") as w:
        approvers = {name: w.token(name, "approver") for name in ("approver_a", "approver_b")}
        server = Server(w, workers=args.workers)
        timeline.log(f"world ready (database {w.database}); starting the API")
        took = server.start()
        timeline.log(f"API up on {server.url} in {took:.1f} s ({args.workers} workers)")
        try:
            for round_no in range(1, args.rounds + 1):
                tag = f"fault-kill-{run_tag()}"
                ids = make_suggestions(
                    server.url, approvers["approver_a"], tag, args.suggestions, args.concurrency
                )
                timeline.log(f"round {round_no}: {len(ids)} pending suggestions created")
                if len(ids) < args.suggestions // 2:
                    problems.append(f"round {round_no}: only {len(ids)} suggestions")
                decisions = [
                    Decision(0, sid, rng.choice(("approve", "reject")), user, approvers[user])
                    for sid in ids
                    for user in approvers
                ]
                rng.shuffle(decisions)
                for n, d in enumerate(decisions, 1):
                    d.number = n
                started = timeline.now()
                kill_time = fire_and_kill(server, decisions, args, timeline)
                first = Counter(d.first for d in decisions)
                timeline.log(
                    f"round {round_no}: SIGKILL {kill_time - started:.2f} s after the first "
                    f"decision; first attempts: {dict(first)}"
                )
                errors = Counter(d.error.split("(")[0] for d in decisions if d.first == "no answer")
                timeline.log(f"round {round_no}: no answer because of {dict(errors)}")
                leftovers = server.group_pids()
                if leftovers:
                    problems.append(f"round {round_no}: processes left after SIGKILL {leftovers}")
                took = server.start()
                timeline.log(f"round {round_no}: API restarted in {took:.1f} s")
                again = [d for d in decisions if d.status is None]
                with ThreadPoolExecutor(args.concurrency) as pool:
                    outcomes = list(pool.map(lambda d: send(server.url, d, args.timeout), again))
                for d, (outcome, payload) in zip(again, outcomes, strict=True):
                    record(d, outcome, payload, retry=True)
                retry = Counter(d.retry for d in again)
                final = Counter(str(d.status) for d in decisions)
                timeline.log(
                    f"round {round_no}: retried {len(again)}: {dict(retry)}; "
                    f"final statuses {dict(final)}"
                )
                round_problems, summary = check_round(w, decisions, ids, kill_time)
                timeline.log(f"round {round_no}: {summary}")
                actions = Counter(
                    (d.action, str(d.status)) for d in decisions if d.status is not None
                )
                timeline.log(f"round {round_no}: by action and final status {dict(actions)}")
                problems += [f"round {round_no}: {p}" for p in round_problems]
        finally:
            server.stop()
            for line, n in server.exceptions().most_common(5):
                problems.append(f"API log, exception ×{n}: {line}")
    return verdict(problems, "api_sigkill")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=2, help="kill/restart rounds")
    parser.add_argument("--suggestions", type=int, default=24, help="suggestions per round")
    parser.add_argument("--concurrency", type=int, default=12, help="decisions in flight")
    parser.add_argument("--kill-after", type=float, default=0.3, help="answered share at kill")
    parser.add_argument("--workers", type=int, default=2, help="API worker processes")
    parser.add_argument("--timeout", type=float, default=60, help="seconds per decision")
    parser.add_argument("--seed", type=int, default=None, help="random seed of the decisions")
    args = parser.parse_args()
    main_guard(lambda: run(args))


if __name__ == "__main__":
    main()
