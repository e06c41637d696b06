"""The skill matrix: operators x processes, filtered by site and process."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st

from aimee.ui.charts import PROCESS_ORDER, SITE_ORDER, ordered
from aimee.ui.models import OperatorInfo

ALL = "すべて"
NO_SKILL = "—"
"""An empty cell: no skill on the process."""


def processes_of(operators: Sequence[OperatorInfo]) -> list[str]:
    return ordered((s.process_name for op in operators for s in op.skills), PROCESS_ORDER)


def filter_operators(
    operators: Sequence[OperatorInfo], site: str, processes: Sequence[str], min_level: int
) -> list[OperatorInfo]:
    """Operators of ``site`` with at least ``min_level`` in one of ``processes``,
    by site then in 50音 order of their names."""
    kept = [
        op
        for op in operators
        if site in (ALL, op.location_name)
        and any(s.process_name in processes and s.skill_level >= min_level for s in op.skills)
    ]
    sites = ordered((op.location_name for op in kept), SITE_ORDER)
    return sorted(kept, key=lambda op: (sites.index(op.location_name), op.sort_key))


def skill_rows(operators: Sequence[OperatorInfo], processes: Sequence[str]) -> list[dict[str, Any]]:
    rows = []
    for op in operators:
        levels = {s.process_name: s.skill_level for s in op.skills}
        a = op.assignment
        rows.append(
            {
                "オペレータ": op.operator_name,
                "拠点": op.location_name,
                "現在の担当": "待機" if a is None else f"{a.location}/{a.business_id}/{a.process}",
                **{p: str(levels[p]) if p in levels else NO_SKILL for p in processes},
            }
        )
    return rows


def filters(operators: Sequence[OperatorInfo]) -> tuple[str, list[str], int]:
    site_col, process_col, level_col = st.columns([1, 2, 1])
    sites = ordered((op.location_name for op in operators), SITE_ORDER)
    site = site_col.selectbox("拠点", [ALL, *sites], key="ops_site")
    all_processes = processes_of(operators)
    chosen = process_col.multiselect(
        "工程", all_processes, default=all_processes, key="ops_processes", select_all=False
    )
    min_level = level_col.slider("最低スキルレベル", 1, 5, 1, key="ops_min_level")
    return str(site), [str(p) for p in chosen], int(min_level)
