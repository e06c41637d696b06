"""Fault: MariaDB goes away under load and comes back; AIMEE is not restarted.

Sets up its own world (database ``aimee_fault_mariadb_restart`` with the demo
day), starts ``aimee serve`` and keeps clients busy over HTTP (chat turns that
store suggestions, progress, operators, suggestions, health). After
``--before`` seconds it stops the machine's MariaDB (``--mode shutdown``:
``mariadb-admin shutdown``; ``--mode kill``: SIGKILL, so InnoDB recovers on
start), keeps it down ``--outage`` seconds, starts it again with
``start-stop-daemon`` and waits until ``SELECT 1`` answers. ``--mode freeze``
instead SIGSTOPs the server for the outage and SIGCONTs it (the server keeps
its sockets and answers nothing, as in a network partition).

Expected: during the outage every request answers 503 with a readable
Japanese message (``{"error": "データベースに接続できません…"}``) and none takes
longer than ``--bound`` seconds; once MariaDB answers again, requests succeed
with the same API process (the pool's pre-ping replaces dead connections).

What counts as loss (exit 1):
  * a chat answer (200) whose suggestion id is not in the database afterwards;
  * any status other than 200 and 503 (a 500 is a bug), or a 503 without a
    Japanese ``error`` message;
  * a 503 long after recovery (more than ``--settle`` seconds after the first 200);
  * any request slower than ``--bound`` seconds or without an HTTP answer;
  * no 200 within ``--recovery`` seconds of MariaDB answering again;
  * the API process died or was restarted.

Run:  .venv/bin/python bench/faults/mariadb_restart.py [--mode shutdown|kill] [--outage 8]
It stops the machine's shared MariaDB for the outage: not while tests run.
"""

from __future__ import annotations

import argparse
import re
import time
from collections import Counter
from dataclasses import dataclass, field

from common import (
    Call,
    Load,
    MariaDB,
    Result,
    Server,
    Timeline,
    World,
    chat_body,
    latency_summary,
    main_guard,
    run_tag,
    verdict,
    wait_until,
    world,
)

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def error_text(result: Result) -> str:
    body = result.body
    return str(body.get("error", "")) if isinstance(body, dict) else str(body)[:200]


@dataclass
class Run:
    """What happened: the marks on the timeline and every request."""

    marks: dict[str, float] = field(default_factory=dict)
    results: list[Result] = field(default_factory=list)
    same_process: bool = False
    exceptions: Counter[str] = field(default_factory=Counter)
    unstored: list[tuple[Result, str]] = field(default_factory=list)
    """Chat answers (200) whose suggestion id is not in the database afterwards."""
    promised: int = 0
    """Suggestion ids handed out in 200 chat answers."""

    def phase(self, r: Result) -> str:
        if r.sent_at < self.marks["stop"]:
            return "before"
        return "outage" if r.sent_at < self.marks["up"] else "after"


def outage(args: argparse.Namespace, timeline: Timeline, marks: dict[str, float]) -> None:
    """Take MariaDB away for ``--outage`` seconds and bring it back."""
    marks["stop"] = timeline.now()
    if args.mode == "freeze":
        timeline.log("freezing MariaDB (SIGSTOP)")
        MariaDB.freeze()
        marks["down"] = timeline.now()
        time.sleep(args.outage)
        marks["start"] = timeline.now()
        timeline.log("thawing MariaDB (SIGCONT)")
        MariaDB.thaw()
    else:
        timeline.log(f"stopping MariaDB ({args.mode})")
        MariaDB.stop(kill=args.mode == "kill")
        marks["down"] = timeline.now()
        timeline.log(f"mariadbd gone after {marks['down'] - marks['stop']:.2f} s")
        time.sleep(args.outage)
        marks["start"] = timeline.now()
        timeline.log("starting MariaDB (start-stop-daemon)")
        MariaDB.start()
    if not wait_until(MariaDB.up, 90, 0.1):
        raise RuntimeError("MariaDB does not answer")
    marks["up"] = timeline.now()
    timeline.log(f"MariaDB answers SELECT 1 ({marks['up'] - marks['start']:.2f} s later)")


def inject(args: argparse.Namespace, timeline: Timeline) -> Run:
    run = Run()
    tag = f"fault-db-{run_tag()}"
    with world("mariadb_restart") as w:
        token = w.token("fault_db", "approver")
        server = Server(w, workers=args.workers)
        timeline.log(f"world ready (database {w.database}); starting the API")
        took = server.start()
        pid = server.pid
        timeline.log(f"API up on {server.url} in {took:.1f} s (pid {pid})")
        kinds = [
            [Call("POST", "/chat/message", lambda n: chat_body(f"{tag}-{n}"))],
            [Call("GET", "/progress"), Call("GET", "/operators?location=札幌")],
            [Call("GET", "/suggestions"), Call("GET", "/health")],
        ]
        loops = [kinds[i % len(kinds)] for i in range(max(1, args.clients))]
        load = Load(server.url, token, timeline, timeout_s=args.bound + 5, pause_s=0.05)
        try:
            load.start(loops)
            time.sleep(args.before)
            outage(args, timeline, run.marks)
            # watch until the first 200 (or the recovery bound), then --after more
            deadline = run.marks["up"] + args.recovery
            while timeline.now() < deadline and not any(
                r.status == 200 and r.sent_at >= run.marks["up"] for r in load.sorted_results()
            ):
                time.sleep(0.1)
            time.sleep(args.after)
        finally:
            load.stop()
            if not MariaDB.up():
                MariaDB.thaw()
                MariaDB.start()
            run.same_process = server.alive() and server.pid == pid and server.starts == 1
            server.stop()
            run.exceptions = server.exceptions()
        run.results = load.sorted_results()
        check_stored(w, run)
    return run


def check_stored(w: World, run: Run) -> None:
    """Every suggestion a 200 chat answer handed out must be in the database."""
    handed_out = [
        (r, str(r.body["suggestion"]["id"]))
        for r in run.results
        if r.status == 200 and isinstance(r.body, dict) and r.body.get("suggestion")
    ]
    stored = {row[0] for row in w.query("SELECT suggestion_id FROM suggestions")}
    run.promised = len(handed_out)
    run.unstored = [(r, sid) for r, sid in handed_out if sid not in stored]


def print_phases(run: Run) -> None:
    m = run.marks
    print()
    print(
        f"MariaDB outage: stop issued at {m['stop']:.2f} s, down at {m['down']:.2f} s, "
        f"started at {m['start']:.2f} s, answering at {m['up']:.2f} s "
        f"({m['up'] - m['stop']:.1f} s without a database)"
    )
    print("requests by phase (by send time):")
    for name in ("before", "outage", "after"):
        in_phase = [r for r in run.results if run.phase(r) == name]
        statuses = Counter(str(r.status) for r in in_phase)
        print(
            f"  {name:6}: {len(in_phase):4} requests, statuses {dict(statuses)}, "
            f"{latency_summary([r.seconds for r in in_phase])}"
        )
    during = Counter((r.endpoint, r.status) for r in run.results if run.phase(r) == "outage")
    print("  during the outage, by endpoint: " + ", ".join(
        f"{e} {s}×{n}" for (e, s), n in sorted(during.items(), key=str)
    ))  # fmt: skip
    messages = Counter(error_text(r) for r in run.results if r.status == 503)
    for message, n in messages.most_common(5):
        print(f"  503 ×{n}: {message}")
    all_503 = [r for r in run.results if r.status == 503]
    if all_503:
        print(
            f"  first 503 sent at {all_503[0].sent_at:.2f} s, "
            f"last 503 sent at {all_503[-1].sent_at:.2f} s"
        )
    for line, n in run.exceptions.most_common(8):
        print(f"  API log, exception ×{n}: {line}")
    if any("response already started" in line for line in run.exceptions):
        print(
            "  (an error after the response had started: a request was answered before "
            "its transaction committed, and the COMMIT failed)"
        )


def judge_recovery(run: Run, args: argparse.Namespace) -> list[str]:
    up = run.marks["up"]
    first_ok = next((r for r in run.results if r.sent_at >= up and r.status == 200), None)
    if first_ok is None:
        print(f"recovery: no 200 within {args.recovery:g} s of MariaDB answering")
        return [f"no recovery within {args.recovery:g} s"]
    recovery = first_ok.sent_at + first_ok.seconds - up
    print(
        f"recovery: first 200 ({first_ok.endpoint}) {recovery:.2f} s after MariaDB "
        f"answered; same API process throughout: {run.same_process}"
    )
    problems = []
    if recovery > args.recovery:
        problems.append(f"recovery took {recovery:.1f} s (> {args.recovery:g} s)")
    late = [
        r for r in run.results if r.status == 503 and r.sent_at > first_ok.sent_at + args.settle
    ]
    if late:
        problems.append(
            f"{len(late)} 503(s) more than {args.settle:g} s after the first 200 "
            f"(first: {late[0].endpoint} at {late[0].sent_at:.2f} s)"
        )
    return problems


def judge_answers(run: Run, args: argparse.Namespace) -> list[str]:
    problems = []
    unexpected = [r for r in run.results if r.status not in (200, 503)]
    for r in unexpected[:10]:
        detail = r.error if r.status is None else error_text(r)
        print(f"  unexpected: t={r.sent_at:.2f} s {r.endpoint} -> {r.status}: {detail}")
    if unexpected:
        kinds = Counter(str(r.status) for r in unexpected)
        problems.append(f"{len(unexpected)} answer(s) neither 200 nor 503: {dict(kinds)}")
    unreadable = [r for r in run.results if r.status == 503 and not JAPANESE.search(error_text(r))]
    if unreadable:
        problems.append(f"{len(unreadable)} 503(s) without a Japanese error message")
    during = [r for r in run.results if run.phase(r) == "outage"]
    slowest = max((r.seconds for r in during), default=0.0)
    print(f"max response time during the outage: {slowest:.2f} s (bound {args.bound:g} s)")
    slow = [r for r in run.results if r.seconds > args.bound]
    if slow:
        problems.append(
            f"{len(slow)} request(s) over {args.bound:g} s "
            f"(slowest {max(r.seconds for r in slow):.1f} s: {slow[0].endpoint})"
        )
    if not any(r.status == 503 for r in during):
        problems.append("no 503 during the outage (was the database really down?)")
    if not run.same_process:
        problems.append("the API process died or was restarted")
    print(
        f"suggestions handed out in 200 chat answers: {run.promised}, "
        f"missing from the database afterwards: {len(run.unstored)}"
    )
    for r, sid in run.unstored:
        problems.append(
            f"LOST: {r.endpoint} sent at {r.sent_at:.2f} s answered 200 with suggestion {sid}, "
            "which is not in the database"
        )
    return problems


def run_fault(args: argparse.Namespace) -> int:
    run = inject(args, Timeline())
    print_phases(run)
    problems = judge_recovery(run, args) + judge_answers(run, args)
    return verdict(problems, f"mariadb_restart ({args.mode})")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--mode",
        choices=("shutdown", "kill", "freeze"),
        default="shutdown",
        help="mariadb-admin shutdown; SIGKILL; SIGSTOP then SIGCONT (no restart)",
    )
    parser.add_argument("--before", type=float, default=4, help="seconds of load before")
    parser.add_argument("--outage", type=float, default=8, help="seconds MariaDB stays down")
    parser.add_argument("--after", type=float, default=10, help="seconds after the first 200")
    parser.add_argument("--clients", type=int, default=3, help="client threads")
    parser.add_argument("--workers", type=int, default=1, help="API worker processes")
    parser.add_argument("--bound", type=float, default=10, help="max seconds per request")
    parser.add_argument("--recovery", type=float, default=30, help="max seconds to a 200")
    parser.add_argument("--settle", type=float, default=2, help="503s allowed after a 200")
    args = parser.parse_args()
    main_guard(lambda: run_fault(args))


if __name__ == "__main__":
    main()
