"""提案・承認履歴: decisions with filters and execution status; the suggestions made."""

import streamlit as st

from aimee.ui.components.history_view import approvals_section, notice, suggestions_section

st.title(":material/history: 提案・承認履歴")
notice()
decisions, suggestions = st.tabs(["承認履歴", "提案"])
with decisions:
    approvals_section()
with suggestions:
    suggestions_section()
