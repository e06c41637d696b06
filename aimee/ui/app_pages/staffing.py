"""配置の推移: the floor's staffing timeline today, and the moves planned."""

import streamlit as st

from aimee.ui.components.staffing_view import staffing_section

st.title(":material/view_timeline: 配置の推移")
staffing_section()
