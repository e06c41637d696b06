"""The situation line of a queue whose staff go home before its work is done."""

from __future__ import annotations

from aimee.ui.format import queue_situation
from tests.ui.test_format_and_charts import queue


def test_staff_who_go_home_first_are_not_read_as_nobody() -> None:
    gone_first = queue(late=45, completion=None)  # 4 staff, never done: they leave first
    assert queue_situation(gone_first) == "納期時点で約45件が残る見込み（今の担当では終わりません）"
    nobody = queue(late=45, completion=None).model_copy(update={"staff_count": 0})
    assert queue_situation(nobody) == "担当者がいません"
    assert queue_situation(queue(late=20)) == "納期時点で約20件が残る見込み"
