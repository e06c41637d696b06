"""Where a chat answer spends its time: the load bench's messages answered in process
under cProfile, the time split into parts.

    .venv/bin/python bench/chat_profile.py [--data-dir DIR] [--repeat 3] [--json FILE]

Runs on the demo day (``aimee init --demo`` in a temporary data dir unless
``--data-dir`` holds one), with AIMEE_NOW fixed and no LLM, through the same function
as ``POST /chat/message`` (router included, its answer serialised as JSON). The
know-how search, which the service runs beside the rest in a thread, is run in the
profiled thread, so that its time is counted. Parts (ms of CPU per message in this one
thread, which runs everything but SQLite's and the model's own waits; measured with the
thread's CPU clock, so other processes on a shared machine barely move it; profiling
adds some overhead to each):

- intent embedding / know-how embedding: the e5 model (``embed_queries``) by caller;
- know-how search: BM25 and the vector query, without the embedding;
- NLU rules and parsing: the analyzer without the embedding (SudachiPy, gazetteer, rules);
- planner solve: the planner's optimiser called by the services (model build and solve);
- queue figures: ``planner.figures`` / ``forecast`` called by the services;
- SQL and ORM: every entry into SQLAlchemy from AIMEE's code (the scenario query,
  master data, suggestions, conversation);
- answer text: the template responder;
- response JSON: the router's response model and its JSON;
- other: the rest.

``--cold`` empties the query-embedding and plan caches before each message (where the
version has them): what a message nobody asked before costs. ``--set FILE`` profiles the
turns of a chat evaluation set instead (bench/chat_eval, one session per conversation,
each turn once, after the load bench's messages have warmed the process): the requests
the chat is judged on. ``--top N`` also lists the N functions of AIMEE's own code that
spend the most time themselves (where "other" goes). ``bench/load.py --profile``
runs this for each version it compares (``PYTHONPATH`` chooses the code), and for this
tree also with ``--cold``.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEMO_NOW = "2025-10-23T15:40:00"
MESSAGES = [
    "札幌のエントリ1工程が遅延しています",
    "梅田のSSのエントリ1、間に合わないので応援を出して",
    "品川の補正が全然終わらない。誰か応援に入れられない？",
    "盛岡の進捗は？",
    "札幌のエントリ1、残り何件？",
    "梅田は何人で回してますか",
    "那覇のエントリ2は間に合う？",
    "今日納期に間に合わなさそうなところはありますか",
    "補正ができる人は？",
    "エントリ２のスキルLv３以上の人は誰がいる？",
    "高山さんを札幌のエントリ1に移したらどうなる？",
    "応援を出すときの基準は？",
    "その場合、盛岡は大丈夫？",
    "品川の進捗は？",
]
"""bench/load.py's messages and follow-ups."""

PARTS = (
    "intent embedding",
    "know-how embedding",
    "know-how search",
    "NLU rules and parsing",
    "planner solve",
    "queue figures",
    "SQL and ORM",
    "answer text",
    "response JSON",
    "other",
)

Func = tuple[str, int, str]


def _in(func: Func, *parts: str) -> bool:
    path = func[0].replace(os.sep, "/")
    return any(part in path for part in parts)


class _Now:
    """Runs a submitted call at once, in the calling thread (the profiled one)."""

    def submit(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:  # pragma: no cover - reported as the service would
            future.set_exception(exc)
        return future


def breakdown(stats: pstats.Stats, total_s: float, turns: int) -> dict[str, float]:
    """Milliseconds per message per part (see the module's docstring)."""
    table: dict[Func, Any] = stats.stats  # type: ignore[attr-defined]

    def edges(callee: Callable[[Func], bool], caller: Callable[[Func], bool]) -> float:
        """Cumulative seconds of calls into ``callee`` functions from ``caller`` ones."""
        return sum(
            edge[3]
            for func, (_, _, _, _, callers) in table.items()
            if callee(func)
            for source, edge in callers.items()
            if caller(source)
        )

    def cumulative(match: Callable[[Func], bool]) -> float:
        return sum(row[3] for func, row in table.items() if match(func))

    def aimee_code(func: Func) -> bool:
        return _in(func, "/aimee/") and not _in(func, "site-packages")

    embedder = lambda f: _in(f, "aimee/embeddings.py") and f[2] == "embed_queries"  # noqa: E731
    intent_embed = edges(embedder, lambda f: _in(f, "aimee/nlu/"))
    knowhow_embed = edges(embedder, lambda f: _in(f, "aimee/knowledge/"))
    search = cumulative(lambda f: _in(f, "aimee/services/knowledge.py") and f[2] == "search")
    analyze = cumulative(lambda f: _in(f, "aimee/nlu/analyzer.py") and f[2] == "analyze")
    solver = edges(
        lambda f: _in(f, "aimee/planner/") and not _in(f, "figures.py", "forecast.py"),
        lambda f: aimee_code(f) and not _in(f, "aimee/planner/"),
    )
    figures = edges(
        lambda f: _in(f, "aimee/planner/figures.py", "aimee/planner/forecast.py"),
        lambda f: aimee_code(f) and not _in(f, "aimee/planner/"),
    )
    sql = edges(lambda f: _in(f, "site-packages/sqlalchemy/"), aimee_code)
    answer = cumulative(lambda f: _in(f, "aimee/llm/responder.py") and f[2] == "answer")
    reply = cumulative(lambda f: _in(f, "aimee/services/chat.py") and f[2] == "reply")
    router = cumulative(lambda f: _in(f, "aimee/api/routers/chat.py") and f[2] == "chat_message")
    dump = cumulative(lambda f: f[2] == "_dump_json")
    seconds = {
        "intent embedding": intent_embed,
        "know-how embedding": knowhow_embed,
        "know-how search": search - knowhow_embed,
        "NLU rules and parsing": analyze - intent_embed,
        "planner solve": solver,
        "queue figures": figures,
        "SQL and ORM": sql,
        "answer text": answer,
        "response JSON": (router - reply) + dump,
    }
    seconds["other"] = total_s - sum(seconds.values())
    result = {part: round(seconds[part] * 1000 / turns, 1) for part in PARTS}
    result["total"] = round(total_s * 1000 / turns, 1)
    return result


def _forget() -> None:
    """Empty the caches a repeated message hits (where this version has them), so that
    every message costs what a new one would."""
    from aimee import embeddings
    from aimee.services import planning

    embedder = embeddings.get_embedder()
    queries = getattr(embedder, "_queries", None)
    if queries is not None:
        queries.clear()
    plans = getattr(planning, "PLANS", None)
    if plans is not None:
        plans.clear()


def set_turns(path: Path) -> list[tuple[str, str]]:
    """(session, message) of every turn of a chat evaluation set, in order."""
    turns = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            conversation = json.loads(line)
            turns += [(conversation["id"], t["text"]) for t in conversation["turns"]]
    return turns


def top_own(stats: pstats.Stats, turns: int, count: int) -> list[tuple[str, float]]:
    """AIMEE's functions by their own time (ms per message), largest first."""
    table: dict[Func, Any] = stats.stats  # type: ignore[attr-defined]
    own = [
        (f"{func[0].split('/aimee/')[-1]}:{func[1]} {func[2]}", row[2] * 1000 / turns)
        for func, row in table.items()
        if _in(func, "/aimee/") and not _in(func, "site-packages")
    ]
    return sorted(own, key=lambda item: -item[1])[:count]


def profile(
    data_dir: Path,
    repeat: int,
    *,
    cold: bool = False,
    eval_set: Path | None = None,
    top: int = 0,
) -> dict[str, float]:
    os.environ.update(AIMEE_DATA_DIR=str(data_dir), AIMEE_NOW=DEMO_NOW, AIMEE_LOG_LEVEL="WARNING")
    for name in ("AIMEE_DATABASE_URL", "AIMEE_REDIS_URL", "AIMEE_CHROMA_URL", "AIMEE_OLLAMA_URL"):
        os.environ.pop(name, None)
    from aimee import bootstrap, clock
    from aimee.api.routers import chat as chat_router
    from aimee.config import get_settings
    from aimee.services import chat as chat_service
    from aimee.store.db import transaction

    settings = get_settings()
    parts = bootstrap.build(settings)
    with transaction(parts.sessions) as session:
        parts.knowledge.sync(session)
        parts.chat.warm_up(session)
    if hasattr(chat_service, "_SEARCHES"):
        chat_service._SEARCHES = _Now()  # type: ignore[assignment]
    now = clock.now(settings)
    user = SimpleNamespace(user_id=1, user_name="profile", role="viewer", site=None)

    def ask(session_id: str, message: str) -> None:
        if cold:
            _forget()
        body = chat_router.ChatRequest(message=message, session_id=session_id)
        with transaction(parts.sessions) as session:
            answer = chat_router.chat_message(body, parts, session, user, now)  # type: ignore[arg-type]
        answer.model_dump_json()

    def turns(rounds: int, label: str) -> int:
        if eval_set is not None and label == "run":
            for conversation, message in set_turns(eval_set):
                ask(f"{label}-{conversation}", message)
            return len(set_turns(eval_set))
        for r in range(rounds):
            for i, message in enumerate(MESSAGES):
                ask(f"{label}{r}-{i % 3}", message)
        return rounds * len(MESSAGES)

    turns(1, "warm")  # first answers build the analyzer and the know-how index
    # CPU time of this thread, not wall time: on a shared machine the time other
    # processes hold the cores would otherwise land in whatever part was running.
    profiler = cProfile.Profile(time.thread_time)
    started = time.thread_time()
    profiler.enable()
    count = turns(repeat, "run")
    profiler.disable()
    total = time.thread_time() - started
    stats = pstats.Stats(profiler)
    for name, ms in top_own(stats, count, top):
        print(f"{ms:7.2f} ms  {name}")
    return breakdown(stats, total, count)


def run_profile(
    code: Path | None, data_dir: Path, repeat: int, *, cold: bool = False
) -> dict[str, float]:
    """This script in a fresh process, importing AIMEE from ``code`` (None: this tree);
    ``cold``: every message as a new one (``--cold``)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIMEE_")}
    if code is not None:
        env["PYTHONPATH"] = str(code)
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        command = [sys.executable, __file__, "--data-dir", str(data_dir), "--repeat", str(repeat)]
        command += ["--cold"] if cold else []
        subprocess.run(  # not from the repository's root, whose aimee/ would come first
            [*command, "--json", out.name],
            env=env,
            cwd=tempfile.gettempdir(),
            check=True,
            capture_output=True,
        )
        result: dict[str, float] = json.loads(Path(out.name).read_text())
    return result


def print_table(columns: dict[str, dict[str, float]]) -> None:
    names = list(columns)
    print("\nchat answer, ms of CPU per message (cProfile, one message at a time):")
    width = max(14, *(len(name) + 2 for name in names))
    print(f"{'part':24}" + "".join(f"{name:>{width}}" for name in names))
    for part in (*PARTS, "total"):
        print(f"{part:24}" + "".join(f"{columns[n].get(part, 0):>{width}.1f}" for n in names))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data-dir", type=Path, help="a data dir holding the demo day")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of the messages")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument(
        "--cold", action="store_true", help="every message as a new one (caches emptied)"
    )
    parser.add_argument("--set", type=Path, help="profile this chat evaluation set's turns")
    parser.add_argument("--top", type=int, default=0, help="list AIMEE's N costliest functions")
    args = parser.parse_args()
    if args.data_dir is None:
        args.data_dir = Path(tempfile.mkdtemp(prefix="aimee_profile_"))
        env = {**os.environ, "AIMEE_DATA_DIR": str(args.data_dir)}
        aimee = str(Path(sys.executable).parent / "aimee")
        subprocess.run([aimee, "init", "--demo", "--now", DEMO_NOW], env=env, check=True)
    result = profile(args.data_dir, args.repeat, cold=args.cold, eval_set=args.set, top=args.top)
    if args.json:
        args.json.write_text(json.dumps(result))
    else:
        print_table({"this tree": result})


if __name__ == "__main__":
    main()
