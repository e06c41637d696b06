"""チャット through AppTest against the live API: the streamed answer, the
suggestion card, and approve / reject / modify by role."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from aimee.ui.chat import MAX_MESSAGE_CHARS
from aimee.ui.components.chat_view import LOG_KEY
from aimee.ui.components.suggestion_card import REPLANNED_KEY
from tests.conftest import POLICY
from tests.ui.conftest import LiveApi, open_app

SAPPORO = "札幌のエントリ1工程が遅延しています"


def ask(at: AppTest, message: str) -> AppTest:
    at.chat_input(key="chat_input").set_value(message).run()
    assert not at.exception
    return at


def labels(at: AppTest) -> list[str]:
    return [str(b.label) for b in at.button]


def markdown(at: AppTest) -> str:
    return "\n".join(str(m.value) for m in at.markdown)


def test_the_answer_and_the_suggestion_card(api: LiveApi) -> None:
    at = ask(open_app(api, "approver", "chat"), SAPPORO)
    user, assistant = at.chat_message
    assert user.markdown[0].value == SAPPORO
    assert "札幌のエントリ1（業務523201・SS）は納期16:00まで残り20分、残タスク120件" in (
        assistant.markdown[0].value
    )
    suggestion = at.session_state[LOG_KEY].turns[-1].reply.suggestion
    text = markdown(at)
    assert f"配置変更提案 `{suggestion.id}`" in text
    change = suggestion.changes[0]
    route = f"{change.from_}の{change.from_process} → 札幌のエントリ1"
    assert f"**{route}**（523201）: {change.count}名" in text
    assert "、".join(change.operators) in text
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["生産性"] == suggestion.impact.productivity
    assert metrics["遅延"] == suggestion.impact.delay
    assert metrics["遅延見込み（移動に関わる工程）"] == "0件"
    assert f"**理由**: {suggestion.reason}" in text
    assert "**参考にした過去事例**" in text
    assert "過去事例: 月末の札幌エントリ1遅延（過去事例）— 類似度 0.91" in [
        e.label for e in at.expander
    ]
    assert {"承認", "却下", "修正"} <= set(labels(at))
    assert len(at.get("feedback")) == 1


def test_a_viewer_sees_the_card_without_decision_buttons(api: LiveApi) -> None:
    at = ask(open_app(api, "viewer", "chat"), SAPPORO)
    assert "配置変更提案" in markdown(at)
    assert not {"承認", "却下", "修正"} & set(labels(at))
    assert "承認・却下・修正は承認者以上の権限で行えます。" in [c.value for c in at.caption]


def test_approve_records_the_decision(api: LiveApi) -> None:
    at = ask(open_app(api, "approver", "chat"), SAPPORO)
    suggestion = at.session_state[LOG_KEY].turns[-1].reply.suggestion
    at.button(key="chat_card_1_approve").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("承認しました（ui-approver、")
    history = api.client("viewer").approvals(suggestion_id=suggestion.id)
    assert [(a.action_type, a.action_user) for a in history.items] == [("approved", "ui-approver")]
    assert "承認" not in labels(at)


def test_reject_with_a_reason(api: LiveApi) -> None:
    at = ask(open_app(api, "approver", "chat"), SAPPORO)
    suggestion = at.session_state[LOG_KEY].turns[-1].reply.suggestion
    at.text_input(key="chat_card_1_reason").set_value("現場の判断で見送り")
    at.button(key="chat_card_1_reject").click().run()
    assert at.success[0].value.startswith("却下しました")
    item = api.client("viewer").approvals(suggestion_id=suggestion.id).items[0]
    assert (item.action_type, item.feedback_reason) == ("rejected", "現場の判断で見送り")


def test_modify_shows_the_recomputed_impact_before_confirming(api: LiveApi) -> None:
    at = ask(open_app(api, "approver", "chat"), SAPPORO)
    suggestion = at.session_state[LOG_KEY].turns[-1].reply.suggestion
    at.button(key="chat_card_1_modify").click().run()
    assert "この内容で承認" not in labels(at)
    at.button(key="chat_card_1_edit_recompute").click().run()
    assert not at.exception
    assert "**修正後の配置変更**" in markdown(at), [e.value for e in at.error]
    total = sum(q.late_tasks_at_deadline or 0 for q in api.client("viewer").progress())
    assert any(
        c.value.startswith(f"全体（全キュー）の遅延見込み: {total:,}件 → ") for c in at.caption
    )
    # an edit after the preview asks for a new one before it can be confirmed
    at.selectbox(key="chat_card_1_edit_0_to").select_index(1).run()
    assert "この内容で承認" not in labels(at)
    assert at.info[0].value == "修正内容が変わりました。もう一度「影響を再計算」してください。"
    at.selectbox(key="chat_card_1_edit_0_to").select_index(0).run()
    at.button(key="chat_card_1_edit_recompute").click().run()
    at.button(key="chat_card_1_edit_confirm").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("修正して承認しました")
    item = api.client("viewer").approvals(suggestion_id=suggestion.id).items[0]
    assert item.action_type == "modified"
    assert item.changes[0]["operator_ids"] == suggestion.changes[0].operator_ids


def test_a_refused_modification_says_why(api: LiveApi) -> None:
    at = ask(open_app(api, "approver", "chat"), SAPPORO)
    groups = len(at.session_state[LOG_KEY].turns[-1].reply.suggestion.changes)
    at.button(key="chat_card_1_modify").click().run()
    for index in range(groups):  # every helper sent to a queue that is not late
        at.selectbox(key=f"chat_card_1_edit_{index}_to").set_value("品川/523201/検証").run()
    at.button(key="chat_card_1_edit_recompute").click().run()
    assert not at.exception
    assert at.error[0].value.startswith(
        (
            "現在のデータでは、この配置変更で遅延見込みが減りません",
            "この配置変更はルールを満たしません",
        )
    )
    assert "この内容で承認" not in labels(at)


def test_a_card_whose_people_were_promised_elsewhere_offers_a_replan(own_api: LiveApi) -> None:
    api = own_api
    # the same question again would get the same card (one plan on the same data is one
    # suggestion): the second asks for fewer people, so its card differs and shares some
    at = ask(ask(open_app(api, "approver", "chat"), SAPPORO), "札幌のエントリ1、2名までで")
    cards = [
        (index, turn.reply.suggestion)
        for index, turn in enumerate(at.session_state[LOG_KEY].turns)
        if turn.reply is not None and turn.reply.suggestion is not None
    ]
    (first_at, first), (second_at, second) = cards
    assert any(first.id in str(i.value) for i in at.info)  # both pending: a warning
    at.button(key=f"chat_card_{first_at}_approve").click().run()
    assert not at.exception
    warning = " ".join(str(w.value) for w in at.warning)
    assert "承認済みの別の提案で移動が約束されています" in warning and first.id in warning
    at.button(key=f"chat_card_{second_at}_replan").click().run()
    assert not at.exception
    assert any("再計算しました" in str(s.value) for s in at.success)
    promised = {n for c in first.changes for n in c.operators}
    newest = at.session_state[REPLANNED_KEY][second.id]
    assert newest.id not in {first.id, second.id}
    assert not promised & {n for c in newest.changes for n in c.operators}


def test_approve_then_execute_from_the_card(own_api: LiveApi) -> None:
    api = own_api  # this test moves people: a demo day of its own
    at = ask(open_app(api, "approver", "chat"), SAPPORO)
    index = len(at.session_state[LOG_KEY].turns) - 1
    suggestion = at.session_state[LOG_KEY].turns[-1].reply.suggestion
    at.button(key=f"chat_card_{index}_approve").click().run()
    assert "実行状況: **承認済み** → 実行中 → 完了" in markdown(at)
    at.button(key=f"chat_card_{index}_exec_executing").click().run()
    assert not at.exception
    assert "実行状況: **承認済み** → **実行中** → 完了" in markdown(at)
    assert {"完了", "失敗"} <= set(labels(at))
    at.button(key=f"chat_card_{index}_exec_completed").click().run()
    assert not at.exception
    assert "実行状況: **承認済み** → **実行中** → **完了**" in markdown(at)
    history = api.client("viewer").approvals(suggestion_id=suggestion.id)
    assert [a.execution_status for a in history.items] == ["completed"]
    where = {o.operator_name: o.assignment for o in api.client("viewer").operators()}
    now_at = where[suggestion.changes[0].operators[0]]
    assert now_at is not None and (now_at.location, now_at.process) == (
        "札幌",
        "エントリ1",
    )


def test_modify_can_add_someone_who_was_not_in_the_suggestion(own_api: LiveApi) -> None:
    api = own_api
    at = ask(open_app(api, "approver", "chat"), SAPPORO)
    index = len(at.session_state[LOG_KEY].turns) - 1
    suggestion = at.session_state[LOG_KEY].turns[-1].reply.suggestion
    at.button(key=f"chat_card_{index}_modify").click().run()
    adding = at.multiselect(key=f"chat_card_{index}_edit_add_ops")
    assert adding.options, "qualified people outside the suggestion are offered"
    listed = {i for c in suggestion.changes for i in c.operator_ids}
    # one of the most skilled (the list is in 50音 order; others may make the floor worse)
    best = min(adding.options, key=lambda label: (-int(label.split("Lv", 1)[1][0]), label))
    adding.select(best).run()
    if len(listed) >= POLICY.rules.max_moves:  # with loans the plan uses every move: make room
        (first,) = [g for g in at.get("button_group") if g.key == f"chat_card_{index}_edit_0_ops"]
        first.unselect(first.value[-1]).run()
    at.button(key=f"chat_card_{index}_edit_recompute").click().run()
    assert not at.exception
    assert "**修正後の配置変更**" in markdown(at), [e.value for e in at.error]
    at.button(key=f"chat_card_{index}_edit_confirm").click().run()
    assert not at.exception, at.exception
    item = api.client("viewer").approvals(suggestion_id=suggestion.id).items[0]
    approved = {i for c in item.changes for i in c["operator_ids"]}
    assert approved - listed, "the approval holds the added person"


def test_a_blank_message_is_not_sent(api: LiveApi) -> None:
    at = ask(open_app(api, "approver", "chat"), "   \n ")
    assert not at.chat_message
    assert at.session_state[LOG_KEY].turns == []
    assert [w.value for w in at.warning] == ["メッセージが空です。質問を入力してください。"]


def test_a_message_over_the_limit_stays_in_the_box_and_says_how_much_to_cut(
    api: LiveApi,
) -> None:
    at = open_app(api, "approver", "chat")
    assert "メッセージは2,000文字まで送信できます。" in [c.value for c in at.caption]
    long = SAPPORO + "。" + "あ" * (MAX_MESSAGE_CHARS - len(SAPPORO))  # 2,001 characters
    at = ask(at, long)
    assert not at.chat_message  # not sent
    assert at.session_state[LOG_KEY].turns == []
    assert [w.value for w in at.warning] == [
        "メッセージが長すぎます（2,001文字、上限2,000文字）。"
        "あと1文字減らしてから送信してください。"
    ]
    assert "入力中のメッセージ: 2,001 / 2,000文字" in [c.value for c in at.caption]
    box = at.chat_input(key="chat_input")
    assert box.proto.value == long and box.proto.set_value  # put back in the box
    at = ask(at, long[:-1])  # one character less is sent
    assert at.session_state[LOG_KEY].turns[0].text == long[:-1]
    assert not at.warning


def test_the_people_one_can_add_are_in_50_sound_order(api: LiveApi) -> None:
    at = ask(open_app(api, "approver", "chat"), SAPPORO)
    index = len(at.session_state[LOG_KEY].turns) - 1
    at.button(key=f"chat_card_{index}_modify").click().run()
    options = at.multiselect(key=f"chat_card_{index}_edit_add_ops").options
    names = [label.split("（", 1)[0] for label in options]
    readings = {op.operator_name: op.reading for op in api.client("viewer").operators()}
    assert len(names) > 3
    assert names == sorted(names, key=readings.__getitem__)
    assert names != sorted(names)  # by reading, not by the kanji's code points
