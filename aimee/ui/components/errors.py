"""API failures shown as readable Japanese messages; the page goes on."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from aimee.ui.client import ApiError

T = TypeVar("T")


def show_error(error: ApiError) -> None:
    hint = "（左のメニューの「アカウント」から再ログインしてください）"
    if error.status != 401:
        hint = ""
    st.error(error.message + hint, icon=":material/error:")


def fetch(call: Callable[[], T]) -> T | None:
    """The call's result, or None after showing why it failed."""
    try:
        return call()
    except ApiError as exc:
        show_error(exc)
        return None
