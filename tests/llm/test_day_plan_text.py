"""The chat's words for a plan for the rest of the day: the day's figures lead (the floor
at the deadlines with the whole timeline, not the first moves' snapshot), then the moves
to approve with their loans, then the intended timeline; an LLM answer's figures and
times for it are checked like every other."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from aimee.llm import template, template_en
from aimee.llm.claims import check
from aimee.llm.context import AnswerContext, DayPlanFacts, MoveFacts, NameBook, TimelineFacts
from aimee.llm.day_plan_text import step_line
from aimee.services.day_plan_build import proof
from tests.llm.factories import NOW, seed_context

NAMES = NameBook(
    sites=("札幌", "盛岡", "品川"),
    processes=("エントリ1", "補正"),
    businesses=("523201",),
    operators=("高山麻由子", "長谷川陽子", "山口拓也"),
)


def at(hour: int, minute: int = 0) -> datetime:
    return NOW.replace(hour=hour, minute=minute)


LOAN = MoveFacts(
    "高山麻由子", "札幌", "補正", "札幌", "エントリ1", 4, 36, 90, until=at(17), returns=True
)
LATER = [
    TimelineFacts(
        at(16, 15), "山口拓也", "盛岡", "補正", "札幌", "エントリ1", until=at(17, 10), back=True
    ),
    TimelineFacts(at(17), "高山麻由子", "札幌", "エントリ1", "札幌", "補正", returning=True),
]


def day(**changes: object) -> DayPlanFacts:
    facts = DayPlanFacts(
        state="done",
        planned_at=NOW,
        late_before=1106.5,
        late_after=76.0,
        first_moves=1,
        later=LATER,
        switches=4,
        intervals=12,
        optimal=True,
        gap=0.0,
        proof="最適であることを証明済みです。",
    )
    return replace(facts, **changes)  # type: ignore[arg-type]


def context(d: DayPlanFacts, language: str = "ja") -> AnswerContext:
    ctx = replace(seed_context("今日の残りどう回す？"), names=NAMES, kind="plan", language=language)
    assert ctx.suggestion is not None
    # the first moves' snapshot figures (at the deadline, no arrivals) differ from the day's
    suggestion = replace(ctx.suggestion, moves=[LOAN], late_before=112.5, late_after=40.0)
    return replace(ctx, suggestion=suggestion, day_plan=d, whole_floor=True, queues=[], knowhow=[])


def test_the_day_s_figures_lead_and_the_moves_and_timeline_follow() -> None:
    answer = template.compose(context(day()))
    first, *rest = answer.splitlines()
    assert first == (
        "本日の残りの計画: 今1名を動かし、その後2件の移動を予定どおり行えば、全体（全キュー）の"
        "納期時点の遅延見込みは1,106件から76件に減りますが、すべての工程は間に合いません"
        "（到着見込みを含む）。"
    )
    assert "112" not in answer and "40件" not in answer  # no snapshot figure beside them
    assert any(
        "高山麻由子さん" in line and "17:00まで応援、その後補正へ戻る" in line for line in rest
    )
    loan = "・16:15 山口拓也さん: 盛岡の補正 → 札幌のエントリ1"
    assert loan + "（17:10まで応援、その後盛岡の補正へ戻る）" in rest
    assert "・17:00 高山麻由子さん: 札幌のエントリ1 → 札幌の補正（元の担当に戻る）" in rest
    assert rest[-1].startswith(
        "15:40時点のデータで、12の時間帯に分けて計画しました。最適であることを"
    )


def test_a_day_that_ends_on_time_says_so() -> None:
    first = template.compose(context(day(late_after=0.0))).splitlines()[0]
    assert first.endswith(
        "全工程が納期に間に合う見込みです（全体の遅延見込み1,106件→0件、到着見込みを含む）。"
    )


def test_how_good_the_plan_is_proven_to_be_is_said() -> None:
    assert "最適であることを証明済みです。承認で" in template.compose(context(day()))
    within = day(optimal=False, gap=0.123, proof=proof(False, 0.123))
    assert "最適との差は最大13%です（計画の目的値、" in template.compose(context(within))
    assert "at most 13% from the optimum" in template_en.compose(context(within, "en"))
    unknown = day(optimal=False, gap=None, proof=proof(False, None))
    assert "最適との差の上限も不明" in template.compose(context(unknown))
    assert "1%未満" in proof(False, 0.004)


def test_a_plan_still_being_computed_says_how_long_it_takes() -> None:
    answer = template.compose(context(day(state="running", seconds_left=4, later=[])))
    assert answer.startswith("本日の残りの計画を計算しています（あと約4秒）。")


def test_a_failed_plan_says_why() -> None:
    answer = template.compose(context(day(state="failed", message="計画を作成できませんでした。")))
    assert answer == "計画を作成できませんでした。"


def test_a_stint_with_nothing_after_it_says_so() -> None:
    step = replace(LATER[0], back=False, idle_after=True)
    assert step_line(step).endswith("（17:10まで、その後の予定なし）")


def test_a_stint_cut_by_the_shift_end_says_the_shift_end() -> None:
    step = replace(LATER[0], shift_end=at(17))
    assert step_line(step).endswith("（勤務終了の17:00まで）")


def test_english() -> None:
    answer = template_en.compose(context(day(), language="en"))
    lines = answer.splitlines()
    assert lines[0] == (
        "Plan for the rest of the day: 1 move(s) now and 2 later take expected late tasks at "
        "the deadlines (arrivals included) from 1,106 to 76: some queues still miss their "
        "deadlines."
    )
    assert "- 高山麻由子: 札幌 補正 → 札幌 エントリ1, until 17:00, then back to 札幌 補正" in lines
    assert "- 16:15 山口拓也: 盛岡 補正 → 札幌 エントリ1 until 17:10" in lines


def test_the_template_answer_passes_its_own_check() -> None:
    ctx = context(day())
    answer = template.compose(ctx)
    assert check(ctx, answer, answer) is None


LEAD = (
    "本日の残りの計画では全体の遅延見込みは1,106件から76件に減りますが、"
    "間に合わない工程が残ります。"
)


@pytest.mark.parametrize(
    "sentence",
    [
        "予定どおりに進めば、全体の遅延見込みは1,106件から76件に減ります。",
        "山口拓也さんは16:15に盛岡の補正から札幌のエントリ1へ移り、17:10まで応援します。",
    ],
)
def test_true_figures_of_the_day_pass(sentence: str) -> None:
    ctx = context(day())
    assert check(ctx, LEAD + sentence, template.compose(ctx)) is None


@pytest.mark.parametrize(
    "sentence",
    [
        "予定どおりに進めば、全体の遅延見込みは1,106件から50件に減ります。",
        "山口拓也さんは16:30に盛岡の補正から札幌のエントリ1へ移ります。",
        # the first moves' snapshot figures are not the day's
        "予定どおりに進めば、全体の遅延見込みは1,106件から40件に減ります。",
        "予定どおりに進めば、全体の遅延見込みは112件から76件に減ります。",
        "本日の残りを20の時間帯に分けて計画しました。",
        "予定どおりに進めば、全工程が納期に間に合います。",  # 76 stay late
        "承認すると、山口拓也さんが今すぐ札幌のエントリ1へ移ります。",  # at 16:15, not now
    ],
)
def test_a_wrong_figure_or_time_is_caught(sentence: str) -> None:
    ctx = context(day())
    assert check(ctx, LEAD + sentence, template.compose(ctx)) is not None


def test_a_plan_from_older_data_says_when_it_was_made() -> None:
    old = day(fresh=False)
    first, *rest = template.compose(context(old)).splitlines()
    assert first.startswith("15:40時点のデータで作った本日の残りの計画: 15:40に1名を動かし、")
    assert "最初の移動（承認の対象・提案" in rest[0]


@pytest.mark.parametrize(
    ("status", "said"),
    [("rejected", "却下済み"), ("approved", "承認済み"), ("expired", "期限切れ・置き換え済み")],
)
def test_a_decided_plan_is_not_offered_for_approval(status: str, said: str) -> None:
    answer = template.compose(context(day(card_status=status)))
    assert f"・{said}）：" in answer
    assert "承認の対象" not in answer and "承認で実行する" not in answer
