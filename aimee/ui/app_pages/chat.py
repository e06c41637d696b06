"""チャット: ask in Japanese, read the streamed answer, decide on the suggestion."""

import streamlit as st

from aimee.ui.components.chat_view import EXAMPLES, PLACEHOLDER, ask, chat_log, render_turn

st.title(":material/chat: AIチャット")
st.caption(EXAMPLES)

log = chat_log()
for index in range(len(log.turns)):
    render_turn(log, index)

if message := st.chat_input(PLACEHOLDER, key="chat_input"):
    ask(log, str(message))
