"""Exactly once under concurrency, on SQLite and MariaDB: 20 threads, two
approvers, one suggestion -> one decision, nineteen conflicts, one history row."""

from __future__ import annotations

import threading
from collections import Counter

from sqlalchemy import func, select

from aimee.errors import Conflict
from aimee.services import setup, users
from aimee.services.approvals import ApprovalService
from aimee.services.planning import suggest_for
from aimee.services.scenarios import ScenarioFilter
from aimee.store.db import create_db_engine, session_factory, transaction
from aimee.store.models import ApprovalHistory, Suggestion
from tests.conftest import DEMO_NOW, DEMO_SEED, POLICY

THREADS = 20


def test_twenty_concurrent_approvals_one_winner(empty_database_url: str) -> None:
    engine = create_db_engine(empty_database_url, pool_size=THREADS, max_overflow=0)
    try:
        setup.apply_migrations(engine)
        setup.load_demo(engine, seed=DEMO_SEED, now=DEMO_NOW)
        sessions = session_factory(engine)
        with transaction(sessions) as session:
            approvers = [
                users.add_user(session, name, "approver", now=DEMO_NOW)[0]
                for name in ("山田太郎", "鈴木花子")
            ]
            focused = suggest_for(
                session,
                ScenarioFilter("札幌", "523201", "エントリ1"),
                now=DEMO_NOW,
                policy=POLICY,
                created_by=None,
            )
            assert focused is not None and focused.suggestion is not None
            suggestion_id = focused.suggestion.id
        service = ApprovalService()
        barrier = threading.Barrier(THREADS)
        outcomes: list[str] = []
        lock = threading.Lock()

        def approve(index: int) -> None:
            user = approvers[index % 2]
            barrier.wait()
            try:
                with transaction(sessions) as session:
                    service.act(session, suggestion_id, "approve", user=user, now=DEMO_NOW)
                result = f"ok:{user.user_name}"
            except Conflict:
                result = "conflict"
            with lock:
                outcomes.append(result)

        threads = [threading.Thread(target=approve, args=(i,)) for i in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        counts = Counter(o.split(":")[0] for o in outcomes)
        assert counts == {"ok": 1, "conflict": THREADS - 1}
        winner = next(o.split(":")[1] for o in outcomes if o.startswith("ok"))
        with transaction(sessions) as session:
            rows = session.scalars(
                select(ApprovalHistory).where(ApprovalHistory.suggestion_id == suggestion_id)
            ).all()
            assert [(r.action_type, r.action_user, r.execution_status) for r in rows] == [
                ("approved", winner, "pending")
            ]
            assert session.get(Suggestion, suggestion_id).status == "approved"  # type: ignore[union-attr]
            assert session.scalar(select(func.count()).select_from(ApprovalHistory)) == 1
    finally:
        engine.dispose()
