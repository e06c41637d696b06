"""本日の残りの計画 on 配置の推移, through AppTest against a live API of its own: an approver
starts it, the page follows the job, then shows the suggestion card with its first moves and
the intended timeline (今後の予定), and the chart and table draw the intended moves apart from
approved ones."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from aimee.ui.components.staffing_view import DAY_JOB_KEY
from aimee.ui.state import API_URL_ENV
from tests.ui.conftest import LiveApi, demo_api, open_app

LIMIT_S = 1.0


@pytest.fixture
def day_api(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LiveApi]:
    """A live API on a demo day of its own, its plans for the rest of the day short."""
    for api in demo_api(tmp_path, day_plan_time_limit_s=LIMIT_S):
        monkeypatch.setenv(API_URL_ENV, api.url)
        yield api


def test_an_approver_plans_the_rest_of_the_day(day_api: LiveApi) -> None:
    at = open_app(day_api, "viewer", "staffing")
    assert not at.exception
    assert not [b for b in at.button if b.key == "staffing_plan_day"]  # approvers only

    at = open_app(day_api, "approver", "staffing")
    at.button(key="staffing_plan_day").click().run()
    assert not at.exception
    job_id = at.session_state["staffing_day_plan"]
    approver = day_api.client("approver")
    done = approver.day_plan(job_id, wait_s=10)
    while done.state == "running":  # the API waits for the job (no sleep here)
        done = approver.day_plan(job_id, wait_s=10)
    assert done.state == "done" and done.suggestion is not None
    card = done.suggestion
    at.run()
    assert not at.exception
    shown = "\n".join(str(m.value) for m in at.markdown)
    assert f"配置変更提案 `{card.id}`" in shown
    assert f"**今後の予定**（{len(card.timeline)}件）" in shown
    captions = "\n".join(str(c.value) for c in at.caption)
    assert card.day is not None
    assert f"{round(card.day.late_before):,}件から{round(card.day.late_after):,}件" in captions
    assert "承認で実行するのは上の配置変更だけ" in captions
    assert card.day.proof and card.day.proof in captions  # how good it is proven to be
    # the snapshot impact of the first moves is labelled as theirs alone, not the day's
    assert "**影響（今の移動だけの場合）**" in shown and "**影響**" not in shown
    assert "今後の予定を行わず、上の配置変更だけで" in captions
    assert (
        f"細い点線は15:40時点のデータで作った本日の残りの計画（提案 {card.id}）です。" in captions
    )

    frames = [f.value for f in at.dataframe]
    plan_table = next(f for f in frames if "期間" in f.columns)
    assert list(plan_table.columns) == ["時刻", "担当者", "移動元→移動先", "期間"]
    assert len(plan_table) == len(card.timeline)
    moves = frames[0]
    states = set(moves["状態"])
    assert f"承認待ち（提案 {card.id}）" in states
    assert f"今後の予定（提案 {card.id}）" in states
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    intended = spec["layer"][2]["data"]["values"]
    assert intended and all("（提案 " + card.id + "）" in v["時間帯"] for v in intended)

    approver.act(card.id, "approve")
    at.run()
    moves = at.dataframe[0].value
    states = set(moves["状態"])
    assert f"予定（提案 {card.id}）" in states  # the first moves, approved
    assert f"承認待ち（提案 {card.id}）" not in states
    assert f"今後の予定（提案 {card.id}）" in states  # the rest, still intended


def test_a_forgotten_plan_is_said_once_not_as_an_error_on_every_visit(day_api: LiveApi) -> None:
    at = open_app(day_api, "approver", "staffing")
    at.session_state[DAY_JOB_KEY] = "DP202510231540-GONE"  # the API forgets a job after an hour
    at.run()
    assert not at.exception and not at.error
    assert any("前回の計画は保存期間を過ぎました" in str(i.value) for i in at.info)
    assert DAY_JOB_KEY not in at.session_state
    at.run()
    assert not any("前回の計画" in str(i.value) for i in at.info)
