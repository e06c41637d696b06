"""The chat judged on the frozen request set (bench/chat_eval/requests_v1.jsonl,
format in bench/chat_eval/SCHEMA.md): request kind, slots and answer checks, and
latency, through HTTP (ASGI) on the demo day without an LLM.

Every answer check is recomputed here from the database with plain SQL (who
works where, skills, counts, the fastest) or read from /progress (finish times,
margins, the floor total: what every other surface shows), never taken from the
answer.

    .venv/bin/python bench/chat_answers.py [--set FILE] [--errors] [--json OUT]

Kind: the reply's ``request.kind`` when the API gives one; before it did, the
nearest kind of ``intent.intent_type`` (deadline_optimization -> plan, …).
Slots: the reply's ``request.slots``; before, what ``intent.entities`` says
(location / business_id / process as one target, operator as a look-up).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEMO_NOW = datetime(2025, 10, 23, 15, 40)
DEFAULT_SET = ROOT / "bench" / "chat_eval" / "requests_v1.jsonl"
# The contract's mapping, copied from aimee/nlu/request.py on purpose: the bench also
# scores versions that predate that module (the "before" figures of the README).
INTENT_OF_KIND = {
    "plan": "deadline_optimization",
    "what_if": "impact_analysis",
    "donor_check": "impact_analysis",
    "status": "status_inquiry",
    "finish_time": "delay_risk_detection",
    "delay_risk": "delay_risk_detection",
    "skill_search": "skill_search",
    "operator_lookup": "skill_search",
    "knowhow": "general",
    "help": "general",
    "approval_request": "general",
    "out_of_scope": "general",
}
NEAREST_KIND = {
    "deadline_optimization": "plan",
    "impact_analysis": "what_if",
    "status_inquiry": "status",
    "delay_risk_detection": "delay_risk",
    "skill_search": "skill_search",
    "general": "knowhow",
}
Json = dict[str, Any]


# --- the set -----------------------------------------------------------------------


def load(path: Path) -> list[Json]:
    conversations = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        conversation = json.loads(line)
        for turn in conversation["turns"]:
            if turn["kind"] not in INTENT_OF_KIND:
                raise SystemExit(f"{path}:{number}: unknown kind {turn['kind']!r}")
        conversations.append(conversation)
    return conversations


# --- what the reply says -----------------------------------------------------------


def predicted_kind(body: Json) -> str:
    request = body.get("request") or {}
    if request.get("kind"):
        return str(request["kind"])
    return NEAREST_KIND.get(body["intent"]["intent_type"], "knowhow")


def predicted_slots(body: Json) -> Json:
    request = body.get("request") or {}
    if "slots" in request:
        return dict(request["slots"])
    entities = body["intent"].get("entities") or {}
    slots: Json = {}
    target = {k: entities[k] for k in ("location", "business_id", "process") if entities.get(k)}
    if target:
        slots["targets"] = [target]
    if entities.get("operator"):
        slots["operators"] = {"about": [entities["operator"]]}
    return slots


def _refs_match(expected: list[Json], got: list[Json]) -> bool:
    """Queue references: each expected one matched by one given (which may name more,
    e.g. the business the chat resolved), one to one."""
    if not isinstance(got, list) or len(expected) != len(got):
        return False
    left = list(got)
    for ref in expected:
        match = next(
            (g for g in left if isinstance(g, dict) and all(g.get(k) == v for k, v in ref.items())),
            None,
        )
        if match is None:
            return False
        left.remove(match)
    return True


def slot_equal(name: str, expected: Any, got: Any) -> bool:
    if expected in (None, [], {}, False) or got in (None, [], {}, False):
        return expected in (None, [], {}, False) and got in (None, [], {}, False)
    if name in ("targets", "origins", "spare"):
        return _refs_match(expected, got)
    if name == "operators":
        if not isinstance(got, dict):
            return False
        keys = {k for k, v in {**expected, **got}.items() if v}
        return all(sorted(expected.get(k, [])) == sorted(got.get(k, [])) for k in keys)
    if name == "unknown":
        return isinstance(got, list) and sorted(expected) == sorted(got)
    return bool(expected == got)


def slot_errors(expected: Json, got: Json) -> list[str]:
    names = set(expected) | {k for k, v in got.items() if v not in (None, [], {}, False)}
    return sorted(n for n in names if not slot_equal(n, expected.get(n), got.get(n)))


# --- the oracle: the database and /progress ----------------------------------------


@dataclass
class Oracle:
    db: sqlite3.Connection
    progress: list[Json]

    def queues(self, ref: Json) -> list[Json]:
        """The /progress rows of the queues ``ref`` names."""
        keys = ("location", "business_id", "process")
        return [q for q in self.progress if all(q[k] == v for k, v in ref.items() if k in keys)]

    def _one(self, sql: str, *args: object) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self.db.execute(sql, args).fetchone()
        return row

    def operator(self, name: str) -> sqlite3.Row | None:
        return self._one("SELECT * FROM operators WHERE operator_name = ?", name)

    def where(self, operator_id: int) -> sqlite3.Row | None:
        """The operator's current assignment; None: unassigned."""
        return self._one("SELECT * FROM operator_assignments WHERE operator_id = ?", operator_id)

    def skills(self, operator_id: int) -> dict[str, sqlite3.Row]:
        """Process -> the skill row that counts (the newest)."""
        rows = self.db.execute(
            "SELECT * FROM operator_process_capabilities WHERE operator_id = ? "
            "ORDER BY capability_id",
            (operator_id,),
        ).fetchall()
        return {row["process_name"]: row for row in rows}

    def matching(self, check: Json) -> list[tuple[sqlite3.Row, sqlite3.Row]]:
        """Active operators (and their skill row) matching a skill search."""
        found = []
        late = {
            (q["location"], q["business_id"], q["process"])
            for q in self.progress
            if (q["late_tasks_at_deadline"] or 0) > 0
        }
        for op in self.db.execute("SELECT * FROM operators WHERE is_valid = 1").fetchall():
            if check.get("location") and op["location_name"] != check["location"]:
                continue
            skill = self.skills(op["operator_id"]).get(check["process"])
            if skill is None or (skill["skill_level"] or 0) < check.get("min_level", 0):
                continue
            if (skill["experience_months"] or 0) < check.get("min_experience_months", 0):
                continue
            if check.get("available_only"):
                at = self.where(op["operator_id"])
                busy = at is not None and (
                    (at["location_name"], at["business_id"], at["process_name"]) in late
                )
                if busy:
                    continue
            found.append((op, skill))
        return found


# --- answer checks: each returns None when it passes, else why not ------------------

NOT_KNOWN = (
    "見つかりません", "ありません", "登録されていません", "存在しません",
    "not found", "unknown", "don't",
)  # fmt: skip
NO_DATA = (
    "データがありません", "データはありません", "記録がありません", "データが見つかりません",
    "no data",
)  # fmt: skip
VERDICTS = (
    "良くなる", "悪くなる", "変わらない", "良くなり", "悪くなり", "変わりません", "間に合", "改善",
    "悪化",
    "will make", "will not make", "won't make", "on time", "late", "better", "worse",
)  # fmt: skip
INACTIVE = ("無効", "在籍していません", "休止", "現在は配置できません", "inactive", "退職")
UNASSIGNED = ("未配置", "配置なし", "待機", "どこにも配置されていません", "unassigned")


@dataclass
class Answer:
    """One reply and what the checks may consult."""

    body: Json
    oracle: Oracle
    pending: list[str]
    """The suggestions this conversation has been given."""
    client: Any

    @property
    def text(self) -> str:
        return str(self.body["response"])


Check = Callable[[Json, Answer], str | None]


def first_sentence(text: str) -> str:
    return re.split(r"[。\n]|(?<=[a-z0-9])\.\s", text.strip(), maxsplit=1)[0]


def _mentions(check: Json, a: Answer) -> str | None:
    return None if check["text"] in a.text else f"does not mention {check['text']}"


def _not_mentions(check: Json, a: Answer) -> str | None:
    return None if check["text"] not in a.text else f"mentions {check['text']}"


def _first_sentence(check: Json, a: Answer) -> str | None:
    head = first_sentence(a.text)
    return None if any(t in head for t in check["any"]) else f"first sentence: {head[:60]}"


def _operator_where(check: Json, a: Answer) -> str | None:
    op = a.oracle.operator(check["operator"])
    if op is None:
        return "no such operator in the data"
    if not op["is_valid"]:
        return None if any(w in a.text for w in INACTIVE) else "does not say inactive"
    at = a.oracle.where(op["operator_id"])
    if at is None:
        return None if any(w in a.text for w in UNASSIGNED) else "does not say unassigned"
    ok = at["location_name"] in a.text and at["process_name"] in a.text
    return None if ok else f"not {at['location_name']}/{at['process_name']}"


def _operator_skills(check: Json, a: Answer) -> str | None:
    op = a.oracle.operator(check["operator"])
    if op is None:
        return "no such operator in the data"
    missing = [
        f"{process} Lv{skill['skill_level']}"
        for process, skill in a.oracle.skills(op["operator_id"]).items()
        if process not in a.text
        or not re.search(rf"(Lv|レベル|level\s*){skill['skill_level']}", a.text, re.IGNORECASE)
    ]
    return "missing " + ", ".join(missing) if missing else None


def _operator_count(check: Json, a: Answer) -> str | None:
    n = len(a.oracle.matching(check))
    said = re.search(rf"(?<![0-9]){n}\s*(名|人|people|operators)", a.text)
    return None if said else f"true count {n} not stated"


def _fastest(check: Json, a: Answer) -> str | None:
    found = a.oracle.matching(check)
    if not found:
        return "nobody matches"
    best = max(found, key=lambda pair: pair[1]["average_speed"] or 0)[0]["operator_name"]
    return None if best in a.text else f"fastest is {best}"


def _finish_time(check: Json, a: Answer) -> str | None:
    queues = a.oracle.queues(check["queue"])
    if not queues:
        return "no such queue"
    for q in queues:
        done = q["projected_completion"]
        # clock times are said rounded to the nearest minute on every surface
        clock = f"{datetime.fromisoformat(done) + timedelta(seconds=30):%H:%M}" if done else None
        if clock is None or clock not in a.text:
            return f"finish {clock} not stated"
    return None


def _margin(check: Json, a: Answer) -> str | None:
    queues = a.oracle.queues(check["queue"])
    if not queues:
        return "no such queue"
    for q in queues:
        m = q["margin_minutes"]
        if m is None:
            return "no margin"
        stated = (f"{v}分" for v in (int(abs(m)), round(abs(m))))
        in_english = (f"{v} min" for v in (int(abs(m)), round(abs(m))))
        if not any(s in a.text for s in (*stated, *in_english)):
            return f"margin {m} not stated"
    return None


def _floor_total(check: Json, a: Answer) -> str | None:
    total = sum(q["late_tasks_at_deadline"] or 0 for q in a.oracle.progress)
    forms = (f"{total:,}件", f"{total}件", f"{total:,} tasks", f"{total} tasks")  # ja / en
    said = any(form in a.text for form in forms)
    return None if said else f"floor {total} not stated"


def _verdict(check: Json, a: Answer) -> str | None:
    head = first_sentence(a.text)
    return None if any(v in head for v in VERDICTS) else f"no verdict: {head[:60]}"


def _card(check: Json, a: Answer) -> str | None:
    return "; ".join(_card_problems(check, a.body.get("suggestion"), a.oracle)) or None


def _no_card(check: Json, a: Answer) -> str | None:
    return None if a.body.get("suggestion") is None else "a card came back"


def _unknown(check: Json, a: Answer) -> str | None:
    said = check["name"] in a.text and any(w in a.text for w in NOT_KNOWN)
    return None if said else f"does not say {check['name']} is unknown"


def _no_data(check: Json, a: Answer) -> str | None:
    return None if any(w in a.text for w in NO_DATA) else "does not say there is no data"


def _english(check: Json, a: Answer) -> str | None:
    ascii_letters = sum(c.isascii() and c.isalpha() for c in a.text)
    letters = max(1, sum(c.isalpha() for c in a.text))
    return None if ascii_letters >= 0.6 * letters else "not English"


def _not_approved(check: Json, a: Answer) -> str | None:
    for suggestion_id in a.pending:
        status = a.client.get(f"/api/v1/suggestions/{suggestion_id}").json()["status"]
        if status != "pending":
            return f"{suggestion_id} is {status}"
    return None


def _no_similarity(check: Json, a: Answer) -> str | None:
    return None if "類似度" not in a.text else "shows 類似度"


CHECKS: dict[str, Check] = {
    "mentions": _mentions,
    "not_mentions": _not_mentions,
    "first_sentence": _first_sentence,
    "operator_where": _operator_where,
    "operator_skills": _operator_skills,
    "operator_count": _operator_count,
    "fastest": _fastest,
    "finish_time": _finish_time,
    "margin": _margin,
    "floor_total": _floor_total,
    "verdict": _verdict,
    "card": _card,
    "no_card": _no_card,
    "unknown": _unknown,
    "no_data": _no_data,
    "english": _english,
    "not_approved": _not_approved,
    "no_similarity": _no_similarity,
}


def _card_problems(check: Json, card: Json | None, oracle: Oracle) -> list[str]:
    if card is None:
        return ["no card"]
    problems = []
    changes = card["changes"]
    moved = sum(c["count"] for c in changes)
    into = check.get("into", [])
    if into and not all(any(_moves_into(c, ref) for ref in into) for c in changes):
        problems.append("a move elsewhere than the target")
    if check.get("origins") and any(c["from"] not in check["origins"] for c in changes):
        problems.append("a helper from outside the origins")
    if any(c["from"] in check.get("spare", []) for c in changes):
        problems.append("a helper from a spared site")
    if "max_moves" in check and moved > check["max_moves"]:
        problems.append(f"{moved} moves > {check['max_moves']}")
    if "moves" in check and moved != check["moves"]:
        problems.append(f"{moved} moves != {check['moves']}")
    names = [n for c in changes for n in c["operators"]]
    if "min_level" in check:
        for c in changes:
            for name in c["operators"]:
                op = oracle.operator(name)
                skill = oracle.skills(op["operator_id"]).get(c["process"]) if op else None
                if skill is None or (skill["skill_level"] or 0) < check["min_level"]:
                    problems.append(f"{name} below Lv{check['min_level']}")
    problems += [f"{n} not moved" for n in check.get("include", []) if n not in names]
    problems += [f"{n} moved" for n in check.get("exclude", []) if n in names]
    return problems


def _moves_into(change: Json, ref: Json) -> bool:
    field_of = {"location": "to", "business_id": "business_id", "process": "process"}
    return all(change.get(field_of[k]) == v for k, v in ref.items() if k in field_of)


# --- the run -----------------------------------------------------------------------


@dataclass
class Scores:
    turns: int = 0
    kind_ok: int = 0
    intent_ok: int = 0
    slots_ok: int = 0
    checks: int = 0
    checks_ok: int = 0
    turns_all_checks_ok: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)
    by_kind_ok: Counter[str] = field(default_factory=Counter)
    slot_misses: Counter[str] = field(default_factory=Counter)
    check_misses: Counter[str] = field(default_factory=Counter)
    check_totals: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    latency_by_kind: dict[str, list[float]] = field(default_factory=dict)
    """Milliseconds per turn, by the kind the set expects."""
    errors: list[str] = field(default_factory=list)


@contextmanager
def demo_client(role: str = "approver") -> Iterator[tuple[Any, sqlite3.Connection]]:
    """The API on a fresh demo day (a token of ``role``), and its database."""
    from fastapi.testclient import TestClient

    with tempfile.TemporaryDirectory() as folder:
        os.environ["AIMEE_DATA_DIR"] = folder
        os.environ["AIMEE_NOW"] = DEMO_NOW.isoformat()
        os.environ["AIMEE_CHAT_RATE_LIMIT"] = "0"
        from aimee.api.app import create_app
        from aimee.config import get_settings
        from aimee.services import setup, users
        from aimee.store.db import create_db_engine, session_factory, transaction

        settings = get_settings()
        engine = create_db_engine(settings.effective_database_url)
        setup.apply_migrations(engine)
        setup.load_demo(engine, seed=7, now=DEMO_NOW)
        with transaction(session_factory(engine)) as session:
            token = users.add_user(session, "eval", role, now=DEMO_NOW)[1]
        db = sqlite3.connect(Path(folder) / "aimee.sqlite3")
        db.row_factory = sqlite3.Row
        headers = {"Authorization": f"Bearer {token}"}
        with TestClient(create_app(settings), headers=headers) as client:
            yield client, db
        db.close()


def evaluate(conversations: list[Json]) -> Scores:
    scores = Scores()
    with demo_client() as (client, db):
        for conversation in conversations:
            pending: list[str] = []
            for number, turn in enumerate(conversation["turns"], 1):
                started = time.perf_counter()
                reply = client.post(
                    "/api/v1/chat/message",
                    json={"message": turn["text"], "session_id": f"eval-{conversation['id']}"},
                )
                took = (time.perf_counter() - started) * 1000
                scores.latencies.append(took)
                scores.latency_by_kind.setdefault(turn["kind"], []).append(took)
                where = f"{conversation['id']}#{number} {turn['text']!r}"
                if reply.status_code != 200:
                    scores.errors.append(f"{where}: HTTP {reply.status_code} {reply.text[:100]}")
                    scores.turns += 1
                    scores.by_kind[turn["kind"]] += 1
                    continue
                body = reply.json()
                if body.get("suggestion"):
                    pending.append(body["suggestion"]["id"])
                oracle = Oracle(db, _progress(client) if turn.get("checks") else [])
                _score_turn(scores, turn, body, where, oracle, pending, client)
    return scores


def _progress(client: Any) -> list[Json]:
    return list(client.get("/api/v1/progress").json())


def _score_turn(
    scores: Scores,
    turn: Json,
    body: Json,
    where: str,
    oracle: Oracle,
    pending: list[str],
    client: Any,
) -> None:
    scores.turns += 1
    kind = turn["kind"]
    scores.by_kind[kind] += 1
    got = predicted_kind(body)
    if got == kind:
        scores.kind_ok += 1
        scores.by_kind_ok[kind] += 1
    else:
        scores.errors.append(f"{where}: kind {got} (want {kind})")
    if body["intent"]["intent_type"] == INTENT_OF_KIND[kind]:
        scores.intent_ok += 1
    wrong = slot_errors(turn.get("slots", {}), predicted_slots(body))
    if wrong:
        scores.slot_misses.update(wrong)
        scores.errors.append(f"{where}: slots {', '.join(wrong)} (got {predicted_slots(body)})")
    else:
        scores.slots_ok += 1
    all_ok = True
    for check in turn.get("checks", []):
        scores.checks += 1
        scores.check_totals[check["type"]] += 1
        problem = CHECKS[check["type"]](check, Answer(body, oracle, pending, client))
        if problem is None:
            scores.checks_ok += 1
        else:
            all_ok = False
            scores.check_misses[check["type"]] += 1
            scores.errors.append(f"{where}: check {check['type']}: {problem}")
    scores.turns_all_checks_ok += all_ok


def report(scores: Scores) -> str:
    def pct(a: int, b: int) -> str:
        return f"{100 * a / b:5.1f}% ({a}/{b})" if b else "  n/a"

    def p95_of(values: list[float]) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] if ordered else 0.0

    lat = sorted(scores.latencies)
    p95 = p95_of(lat)
    lines = [
        f"request kind        {pct(scores.kind_ok, scores.turns)}",
        f"intent_type         {pct(scores.intent_ok, scores.turns)}",
        f"slots (exact, turn) {pct(scores.slots_ok, scores.turns)}",
        f"answer checks       {pct(scores.checks_ok, scores.checks)}",
        f"turns, all checks   {pct(scores.turns_all_checks_ok, scores.turns)}",
        f"latency             p50 {statistics.median(lat) if lat else 0:.0f} ms, p95 {p95:.0f} ms",
        "",
        "kind            accuracy           latency p50 / p95",
    ]
    lines += [
        f"  {k:<16}{pct(scores.by_kind_ok[k], n):<19}"
        f"{statistics.median(scores.latency_by_kind.get(k, [0.0])):4.0f} / "
        f"{p95_of(scores.latency_by_kind.get(k, [])):4.0f} ms"
        for k, n in sorted(scores.by_kind.items())
    ]
    lines.append(
        "slot misses: " + ", ".join(f"{k} {n}" for k, n in scores.slot_misses.most_common())
    )
    lines.append(
        "check passes: "
        + ", ".join(
            f"{k} {n - scores.check_misses[k]}/{n}" for k, n in scores.check_totals.most_common()
        )
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", type=Path, default=DEFAULT_SET)
    parser.add_argument("--errors", action="store_true", help="list every miss")
    parser.add_argument("--json", type=Path, help="write the scores as JSON here")
    args = parser.parse_args()
    conversations = load(args.set)
    turns = sum(len(c["turns"]) for c in conversations)
    print(f"{args.set.name}: {len(conversations)} conversations, {turns} turns")
    scores = evaluate(conversations)
    print(report(scores))
    if args.errors:
        print("\nmisses:")
        print("\n".join("  " + e for e in scores.errors))
    if args.json:
        summary = {k: v for k, v in vars(scores).items() if k not in ("errors", "latencies")}
        args.json.write_text(json.dumps(summary, ensure_ascii=False, indent=1, default=dict))


if __name__ == "__main__":
    main()
