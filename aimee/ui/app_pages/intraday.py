"""工程の推移: one queue's day in 15-minute intervals, forecast vs actual."""

import streamlit as st

from aimee.ui.components.intraday_view import intraday_section

st.title(":material/timeline: 工程の推移")
intraday_section()
