"""配置の推移: who worked on which queue today, and the moves ahead: those approved but
not carried out (a loan until when, and back where), the returns of loans carried out, and
the moves the latest plan for the rest of the day intends; and that plan made on demand."""

from __future__ import annotations

import math
from http import HTTPStatus
from itertools import pairwise
from typing import Any

import streamlit as st

from aimee.ui import state
from aimee.ui.charts import SITE_ORDER
from aimee.ui.client import ApiError
from aimee.ui.components.errors import fetch, show_error
from aimee.ui.components.suggestion_card import suggestion_card, timeline_table
from aimee.ui.format import hm, intended_note, planned_note
from aimee.ui.models import DayPlanStatus, StaffTimeline
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
    planned |= {(m.name, m.home) for m in found.intended}
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
            "応援・勤務": planned_note(m),
        }
        for m in found.planned
    ]
    rows += [
        {
            "時刻": hm(m.at),
            "オペレータ": f"{m.name}（{m.home}）",
            "移動元": m.source.label if m.source else "未配置",
            "移動先": m.target.label,
            "状態": f"{'承認待ち' if m.first else '今後の予定'}（提案 {m.suggestion_id}）",
            "応援・勤務": intended_note(m),
        }
        for m in found.intended
    ]
    return rows


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
        "承認済みで実行前の移動、応援の期間と戻り。細い点線: 本日の残りの計画で承認されていない"
        f"移動）です。表示 {len(people)}名。"
    )
    if found.intended_made_at is not None and found.intended:
        again = found.intended_made_at < found.now
        st.caption(
            f"細い点線は{hm(found.intended_made_at)}時点のデータで作った本日の残りの計画"
            f"（提案 {found.intended[0].suggestion_id}）です。"
            + (
                "今のデータで計画し直すには、下の「本日の残りを計画」を押してください。"
                if again
                else ""
            )
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
    day_plan_section()


DAY_JOB_KEY = "staffing_day_plan"
POLL_SECONDS = 1.0


def day_plan_section() -> None:
    """本日の残りの計画: start the time-phased plan of every queue (approvers), follow it
    while it is solved in the background, then show its suggestion: the first moves to
    approve and the intended timeline."""
    st.subheader("本日の残りの計画（時間帯別）", divider="gray")
    st.caption(
        "全工程の残りの時間を時間帯に分けて、誰がいつどの工程で働くかを計画します"
        "（到着見込み・勤務終了・切替時間を考慮）。承認するのは今の移動だけで、その後の移動は"
        "今後の予定として示し、データの更新に合わせて再計画します。"
    )
    if state.can("approver") and st.button(
        "本日の残りを計画", key="staffing_plan_day", icon=":material/event_upcoming:"
    ):
        started = fetch(lambda: state.client().plan_day())
        if started is not None:
            st.session_state[DAY_JOB_KEY] = started.id
    job_id = st.session_state.get(DAY_JOB_KEY)
    if job_id is None:
        return
    try:
        found = state.client().day_plan(str(job_id))
    except ApiError as exc:
        if exc.status == HTTPStatus.NOT_FOUND:  # forgotten (an hour on): not an error each visit
            del st.session_state[DAY_JOB_KEY]
            st.info(
                "前回の計画は保存期間を過ぎました。もう一度「本日の残りを計画」を押してください。"
            )
        else:
            show_error(exc)
        return
    if found.state == "running":
        _follow(str(job_id))
    else:
        day_plan_result(found)


@st.fragment(run_every=POLL_SECONDS)
def _follow(job_id: str) -> None:
    """The plan's progress, again every POLL_SECONDS; the whole page once it is done (the
    chart then draws its timeline)."""
    found = fetch(lambda: state.client().day_plan(job_id, wait_s=POLL_SECONDS / 2))
    if found is None:
        return
    if found.state != "running":
        st.rerun()
    left = seconds_left(found)
    st.progress(
        found.progress,
        text=f"計算中です（{hm(found.started_at)}時点のデータ、あと約{left}秒）",
    )


def seconds_left(found: DayPlanStatus) -> int:
    """About how long a running plan still takes, from the API's progress."""
    return max(0, math.ceil(found.time_limit_s * (1.0 - found.progress)))


def day_plan_result(found: DayPlanStatus) -> None:
    if found.state == "failed":
        st.error(found.message or "計画を作成できませんでした。", icon=":material/error:")
        return
    if found.suggestion is not None:
        st.success(
            f"{hm(found.started_at)}時点のデータで計画しました。最初の移動を提案"
            f" `{found.suggestion.id}` にしました。",
            icon=":material/event_available:",
        )
        suggestion_card(found.suggestion, key=f"day_{found.id}")
        return
    st.info(found.message or "今は移動の必要はありません。", icon=":material/info:")
    timeline_table(found.timeline, found.day)
