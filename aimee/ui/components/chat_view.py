"""The chat history and one streamed answer."""

from __future__ import annotations

import secrets
from typing import cast

import streamlit as st

from aimee.ui import state
from aimee.ui.chat import MAX_MESSAGE_CHARS, ChatLog, DraftCheck, StreamedTurn, Turn, check_draft
from aimee.ui.chat import counter as draft_counter
from aimee.ui.client import ApiError
from aimee.ui.components.suggestion_card import sources_list, suggestion_card

LOG_KEY = "chat_log"
INPUT_KEY = "chat_input"
DRAFT_KEY = "chat_draft_check"
"""The last submitted message's check: a message refused is put back in the box."""
PLACEHOLDER = "メッセージを入力（例: 札幌のエントリ1工程が遅延しています）"
EXAMPLES = (
    "質問の例: 「札幌のエントリ1工程が遅延しています」「梅田の状況は？」"
    "「エントリ1のスキルが高い人は？」"
)


def _on_submit() -> None:
    """Check the message before the page sends it; one that may not be sent goes
    back into the box (a trigger widget otherwise empties it)."""
    text = st.session_state.get(INPUT_KEY)
    check = check_draft(text if isinstance(text, str) else "")
    st.session_state[DRAFT_KEY] = check
    if not check.sendable and check.text.strip():
        st.session_state[INPUT_KEY] = check.text


def message_box() -> str | None:
    """The chat box: returns a message fit to send, else None (with the reason shown)."""
    message = st.chat_input(PLACEHOLDER, key=INPUT_KEY, on_submit=_on_submit)
    check = cast(DraftCheck | None, st.session_state.pop(DRAFT_KEY, None))
    if check is not None and not check.sendable:
        st.warning(check.problem or "", icon=":material/edit:")
        if check.text.strip():
            st.caption(f"入力中のメッセージ: {draft_counter(check.text)}")
        return None
    if isinstance(message, str) and message.strip():
        return message
    st.caption(f"メッセージは{MAX_MESSAGE_CHARS:,}文字まで送信できます。")
    return None


def chat_log() -> ChatLog:
    """This session's conversation (the API keeps the context under its session id)."""
    if LOG_KEY not in st.session_state:
        st.session_state[LOG_KEY] = ChatLog(session_id=f"ui-{secrets.token_hex(6)}")
    return cast(ChatLog, st.session_state[LOG_KEY])


def markdown_lines(text: str) -> str:
    """Keep the answer's line breaks in Markdown."""
    return text.replace("\n", "  \n")


def _feedback(turn: Turn, index: int, question: str, session_id: str) -> None:
    """Thumbs up or down, stored through the API once per change."""
    turn.feedback = st.feedback("thumbs", key=f"chat_feedback_{index}")
    if turn.feedback is None or turn.feedback == turn.feedback_sent:
        return
    reply = turn.reply
    try:
        state.client().chat_feedback(
            session_id=session_id,
            question=question,
            answer=turn.text,
            good=turn.feedback == 1,
            intent_type=reply.intent.intent_type if reply and reply.intent else None,
            suggestion_id=reply.suggestion.id if reply and reply.suggestion else None,
        )
    except ApiError as exc:
        st.error(exc.message)
        return
    turn.feedback_sent = turn.feedback
    st.caption("フィードバックを記録しました。ありがとうございます。")


def render_turn(log: ChatLog, index: int) -> None:
    turn = log.turns[index]
    with st.chat_message(turn.role):
        st.markdown(markdown_lines(turn.text))
        reply = turn.reply
        if reply is None:
            return
        if reply.suggestion is not None:
            suggestion_card(reply.suggestion, key=f"chat_card_{index}", sources=reply.sources)
        else:
            sources_list(reply.sources)
        question = log.turns[index - 1].text if index > 0 else ""
        _feedback(turn, index, question, log.session_id)


def ask(log: ChatLog, message: str) -> None:
    """Show the question, stream the answer, then keep both in the history."""
    log.ask(message)
    render_turn(log, len(log.turns) - 1)
    with st.chat_message("assistant"):
        streamed = StreamedTurn(state.client().chat_stream(message, log.session_id))
        try:
            with st.spinner("回答を作成しています…"):
                st.write_stream(streamed.text())
            log.answer(streamed.reply())
        except ApiError as exc:
            log.fail(f":red[:material/error:] {exc.message}")
    st.rerun()
