"""アラート: open alerts by severity; acknowledge, and one click to a suggestion."""

import streamlit as st

from aimee.ui import state
from aimee.ui.components.alerts_view import alert_list, counts
from aimee.ui.components.downloads import download_buttons
from aimee.ui.components.errors import fetch

st.title(":material/notifications: アラート")
page = fetch(state.client().alerts)
if page is not None:
    counts(page.items)
    alert_list(page.items)
    download_buttons("alerts", "アラート履歴をダウンロード")
