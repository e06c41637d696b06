"""「2番目の人」「その2人」 after a plan, through HTTP on the demo day: the people the card
moves, in the order the answer lists them (the oracle is the card and the answer's own
order, never the chat's state)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.test_chat import post


def _moved_in_order(body: dict) -> list[str]:  # type: ignore[type-arg]
    card = body["suggestion"]
    assert card is not None
    names = {name for change in card["changes"] for name in change["operators"]}
    text = body["response"]
    return sorted(names, key=lambda name: text.index(f"{name}さん"))


def test_the_second_person_of_a_plan_is_looked_up(client: TestClient) -> None:
    plan = post(client, "那覇のエントリ1に3人まで応援案を出して", "nth-person")
    moved = _moved_in_order(plan)
    assert len(moved) >= 2
    body = post(client, "2番目の人 どこ", "nth-person")
    assert body["request"]["kind"] == "operator_lookup"
    assert body["request"]["slots"]["operators"]["about"] == [moved[1]]
    assert body["response"].startswith(f"{moved[1]}さん")


def test_those_two_are_the_first_two_moved(client: TestClient) -> None:
    plan = post(client, "那覇のエントリ1に3人まで応援案を出して", "first-two")
    moved = _moved_in_order(plan)
    body = post(client, "その2人のスキル教えて", "first-two")
    assert body["request"]["kind"] == "operator_lookup"
    assert body["request"]["slots"]["operators"]["about"] == moved[:2]
    assert all(f"{name}さん" in body["response"] for name in moved[:2])
