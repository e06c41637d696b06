"""オペレータ: the skill matrix (operator x process), filtered by site and process."""

import streamlit as st

from aimee.ui import state
from aimee.ui.charts import skill_matrix
from aimee.ui.components.downloads import download_buttons
from aimee.ui.components.errors import fetch
from aimee.ui.components.operators_view import filter_operators, filters, skill_rows

st.title(":material/groups: オペレータ（スキル表）")
operators = fetch(state.client().operators) or []
site, processes, min_level = filters(operators)
shown = filter_operators(operators, site, processes, min_level)

st.caption(f"{len(shown)}名 ・ 色と数字はスキルレベル（1〜5）")
if shown and processes:
    st.vega_lite_chart(skill_matrix(shown, processes), width="stretch")
    with st.expander("表で見る（現在の担当つき）"):
        st.dataframe(skill_rows(shown, processes), hide_index=True)
else:
    st.info("条件に合うオペレータはいません。")
download_buttons("operators", "オペレータ一覧をダウンロード")
download_buttons("capabilities", "スキル一覧をダウンロード")
