"""配置の推移: who worked on which queue today, and the moves ahead: those approved but
not carried out (a loan until when, and back where), and the returns of loans carried out."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import streamlit as st

from aimee.ui import state
from aimee.ui.charts import SITE_ORDER
from aimee.ui.components.errors import fetch
from aimee.ui.format import hm
from aimee.ui.models import PlannedMove, StaffTimeline
from aimee.ui.staffing_charts import timeline_chart

ALL_SITES = "すべての拠点"


def people_to_draw(found: StaffTimeline, *, moved_only: bool) -> list[tuple[str, str]]:
    """(name, home) of the people to draw, grouped by where they are now; with
    ``moved_only`` only those who changed queue today or have a move planned."""
    stints: dict[tuple[str, str], int] = {}
    now_at: dict[tuple[str, str], str] = {}
    for s in found.segments:
        person = (s.name, s.home)
        stints[person] = stints.get(person, 0) + 1
        if s.ongoing:
            now_at[person] = s.queue.label
    planned = {(m.name, m.home) for m in found.planned}
    chosen = [p for p in stints if not moved_only or stints[p] > 1 or p in planned]
    return sorted(chosen, key=lambda p: (now_at.get(p, ""), p[1], p[0]))


def move_rows(found: StaffTimeline) -> list[dict[str, Any]]:
    """Today's changes of queue (a stint that ended) and the planned moves."""
    by_person: dict[tuple[str, str], list[Any]] = {}
    for s in found.segments:
        by_person.setdefault((s.name, s.home), []).append(s)
    rows = []
    for (name, home), stints in by_person.items():
        stints.sort(key=lambda s: s.start)
        for before, after in pairwise(stints):
            rows.append(
                {
                    "時刻": hm(after.start),
                    "オペレータ": f"{name}（{home}）",
                    "移動元": before.queue.label,
                    "移動先": after.queue.label,
                    "状態": "実行済み",
                }
            )
    rows.sort(key=lambda r: str(r["時刻"]))
    rows += [
        {
            "時刻": "—" if m.at is None else hm(m.at),
            "オペレータ": f"{m.name}（{m.home}）",
            "移動元": m.source.label if m.source else "未配置",
            "移動先": m.target.label,
            "状態": f"{'戻り予定' if m.at is not None else '予定'}（提案 {m.suggestion_id}）",
            "応援・勤務": plan_note(m),
        }
        for m in found.planned
    ]
    return rows


def plan_note(move: PlannedMove) -> str:
    """「17:10まで応援、その後補正へ戻る（勤務は21:00まで）」, or when the shift ends."""
    shift = "" if move.shift_end is None else f"勤務は{hm(move.shift_end)}まで"
    if move.at is not None:
        return f"応援の終了で{move.target.process}へ戻る" + (f"（{shift}）" if shift else "")
    if move.until is not None and move.returns and move.source is not None:
        text = f"{hm(move.until)}まで応援、その後{move.source.process}へ戻る"
        return text + (f"（{shift}）" if shift else "")
    if move.until is not None and move.shift_end is not None:
        return f"勤務終了の{hm(move.shift_end)}まで応援（戻りなし）"
    return shift


def staffing_section() -> None:
    site_col, scope_col = st.columns([2, 3])
    sites = [ALL_SITES, *SITE_ORDER]
    site = site_col.selectbox("拠点", sites, key="staffing_site")
    moved_only = scope_col.toggle(
        "移動のあった人・予定のある人だけ", value=True, key="staffing_moved"
    )
    location = None if site == ALL_SITES else str(site)
    found = fetch(lambda: state.client().staffing(location=location))
    if found is None:
        return
    people = people_to_draw(found, moved_only=moved_only)
    st.caption(
        f"{hm(found.day_start)}から現在（{hm(found.now)}）までの配置と、この先の予定（点線: "
        f"承認済みで実行前の移動、応援の期間と戻り）です。表示 {len(people)}名。"
    )
    if not people:
        st.info("この条件で表示する人はいません（本日の移動も、実行前の移動予定もありません）。")
    else:
        st.vega_lite_chart(timeline_chart(found, people), width="stretch")
    rows = move_rows(found)
    st.subheader("本日の移動と予定", divider="gray")
    if rows:
        st.dataframe(rows, hide_index=True)
    else:
        st.info("本日の移動も、実行前の移動予定もありません。")
