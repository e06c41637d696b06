"""チャット: ask in Japanese, read the streamed answer, decide on the suggestion."""

import streamlit as st

from aimee.ui.components.chat_view import EXAMPLES, ask, chat_log, message_box, render_turn

st.title(":material/chat: AIチャット")
st.caption(EXAMPLES)

log = chat_log()
for index in range(len(log.turns)):
    render_turn(log, index)

if message := message_box():
    ask(log, message)
