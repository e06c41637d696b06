"""Loans and shift ends in the API data the card and 配置の推移 read (loans on): a
suggestion's changes carry the loan's end and each helper's shift end; the staffing
timeline carries the approved moves ahead with their loan, then the returns due."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from aimee.api.app import create_app
from aimee.config import Settings
from aimee.services import setup, users
from aimee.services.planning import suggest_for
from aimee.services.policy import Policy
from aimee.services.scenarios import ScenarioFilter
from aimee.store.db import create_db_engine, session_factory, transaction
from aimee.store.repositories import shifts as shift_repo
from tests.api.conftest import auth
from tests.conftest import DEMO_NOW, DEMO_SEED

LOAN_END = "2025-10-23T17:10:00"
UMEDA_FIX = {"location": "梅田", "business_id": "523202", "process": "補正"}
UMEDA_E1 = {"location": "梅田", "business_id": "523202", "process": "エントリ1"}


@pytest.fixture
def loans(tmp_path: Path) -> Iterator[tuple[TestClient, str, dict[int, str]]]:
    """The API with loans on, a pending plan for 梅田/523202/エントリ1 and everyone's
    shift end (ISO)."""
    url = f"sqlite:///{tmp_path / 'loans.sqlite3'}"
    engine = create_db_engine(url)
    setup.apply_migrations(engine)
    setup.load_demo(engine, seed=DEMO_SEED, now=DEMO_NOW)
    policy = Policy.from_settings(Settings.model_construct(plan_loans=True))
    with transaction(session_factory(engine)) as session:
        token = users.add_user(session, "loans-approver", "approver", now=DEMO_NOW)[1]
        focused = suggest_for(
            session,
            ScenarioFilter(*UMEDA_E1.values()),
            now=DEMO_NOW,
            policy=policy,
            created_by=None,
        )
        assert focused is not None and focused.suggestion is not None
        suggestion_id = focused.suggestion.id
        ends = {
            k: v.isoformat() for k, v in shift_repo.shift_ends(session, DEMO_NOW.date()).items()
        }
    engine.dispose()
    settings = Settings(data_dir=tmp_path / "data", database_url=url, now=DEMO_NOW, plan_loans=True)
    with TestClient(create_app(settings), headers=auth(token)) as client:
        yield client, suggestion_id, ends


def test_the_card_data_and_the_moves_ahead(loans: tuple[TestClient, str, dict[int, str]]) -> None:
    client, suggestion_id, ends = loans
    card = client.get(f"/api/v1/suggestions/{suggestion_id}").json()
    for change in card["changes"]:
        assert change["until"] == LOAN_END
        assert change["shift_ends"] == [ends[i] for i in change["operator_ids"]]
    from_fix = [c for c in card["changes"] if c["from_process"] == "補正" and c["from"] == "梅田"]
    assert from_fix and "鈴木直美" in from_fix[0]["operators"]

    assert client.get("/api/v1/staffing").json()["planned"] == []
    approved = client.post(f"/api/v1/approvals/{suggestion_id}/action", json={"action": "approve"})
    assert approved.status_code == 200, approved.text
    planned = client.get("/api/v1/staffing").json()["planned"]
    moved = {i for c in card["changes"] for i in c["operator_ids"]}
    assert {m["operator_id"] for m in planned} == moved
    for m in planned:
        assert (m["at"], m["until"], m["shift_end"]) == (None, LOAN_END, ends[m["operator_id"]])
        assert m["returns"] == (ends[m["operator_id"]] > LOAN_END)
        assert m["target"] == UMEDA_E1
    suzuki = next(m for m in planned if m["name"] == "鈴木直美")
    assert suzuki["returns"] and suzuki["source"] == UMEDA_FIX

    history_id = approved.json()["approval_history_id"]
    for status in ("executing", "completed"):
        done = client.patch(f"/api/v1/approvals/{history_id}/execution", json={"status": status})
        assert done.status_code == 200, done.text
    planned = client.get("/api/v1/staffing").json()["planned"]
    # carried out: the helpers who go back have a return due at 17:10, the others none
    assert {m["operator_id"] for m in planned} == {i for i in moved if ends[i] > LOAN_END}
    back = next(m for m in planned if m["name"] == "鈴木直美")
    assert (back["at"], back["source"], back["target"]) == (LOAN_END, UMEDA_E1, UMEDA_FIX)
