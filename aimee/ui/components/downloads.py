"""Download buttons: the same files as `aimee export`, fetched from the API
only when the button is clicked (Streamlit's deferred download)."""

from __future__ import annotations

from datetime import date
from functools import partial

import streamlit as st

from aimee.ui import state

FORMATS = {"csv": "CSV", "xlsx": "Excel"}
MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def file_name(kind: str, fmt: str, today: date | None = None) -> str:
    return f"aimee_{kind}_{(today or date.today()):%Y%m%d}.{fmt}"


def download_buttons(
    kind: str, title: str, *, start: date | None = None, end: date | None = None
) -> None:
    """One button per format for ``kind``, limited to ``start``..``end`` (whole days)."""
    bounds = {
        "from": start.isoformat() if start else None,
        "to": end.isoformat() if end else None,
    }
    fetch = state.client().export
    for column, (fmt, label) in zip(st.columns(len(FORMATS)), FORMATS.items(), strict=True):
        column.download_button(
            f"{title}（{label}）",
            data=partial(fetch, kind, fmt, **bounds),
            file_name=file_name(kind, fmt),
            mime=MIME[fmt],
            key=f"download_{kind}_{fmt}",
            on_click="ignore",
            icon=":material/download:",
        )
