"""Endpoints the dashboard needs: who am I, a queue's history, and the
read-only preview of a modified suggestion."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import auth

SEED_MESSAGE = "札幌のエントリ1工程が遅延しています"


def test_me_names_the_user_and_role(anonymous: TestClient, tokens: dict[str, str]) -> None:
    reply = anonymous.get("/api/v1/me", headers=auth(tokens["viewer"]))
    assert reply.json() == {
        "user_name": "test-viewer",
        "role": "viewer",
        "role_label": "閲覧者",
        "site": None,
    }
    assert anonymous.get("/api/v1/me").status_code == 401


def test_queue_history_up_to_now(client: TestClient) -> None:
    reply = client.get("/api/v1/progress/札幌/523201/エントリ1/history")
    assert reply.status_code == 200
    points = reply.json()["points"]
    times = [p["snapshot_time"] for p in points]
    assert times == sorted(times)
    assert times[0] == "2025-10-23T09:00:00"
    assert points[-1] == {
        "snapshot_time": "2025-10-23T15:40:00",
        "waiting": 120,
        "entry_count": points[-1]["entry_count"],
        "correction_waiting": points[-1]["correction_waiting"],
        "deadline": "2025-10-23T16:00:00",
    }
    since = client.get(
        "/api/v1/progress/札幌/523201/エントリ1/history", params={"since": "2025-10-23T15:00:00"}
    ).json()["points"]
    assert [p["snapshot_time"] for p in since] == [t for t in times if t >= "2025-10-23T15:00:00"]


def test_queue_history_of_an_unknown_queue_is_404(client: TestClient) -> None:
    reply = client.get("/api/v1/progress/東京/523201/エントリ1/history")
    assert reply.status_code == 404
    assert reply.json()["error"] == "東京/523201/エントリ1の進捗データは見つかりません"


def test_preview_recomputes_without_deciding(client: TestClient) -> None:
    suggestion = client.post("/api/v1/chat/message", json={"message": SEED_MESSAGE}).json()[
        "suggestion"
    ]
    first = suggestion["changes"][0]
    kept = {
        "to": first["to"],
        "business_id": first["business_id"],
        "process": first["process"],
        "operator_ids": first["operator_ids"][:1],
    }
    reply = client.post(f"/api/v1/suggestions/{suggestion['id']}/preview", json={"changes": [kept]})
    assert reply.status_code == 200
    preview = reply.json()
    assert preview["changes"][0]["operator_ids"] == first["operator_ids"][:1]
    assert preview["impact"]["late_tasks_before"] >= preview["impact"]["late_tasks_after"]
    assert preview["objective"]["after"] < preview["objective"]["before"]
    # 全体 is the dashboard's floor total, the same on every surface
    progress = client.get("/api/v1/progress").json()
    assert preview["floor_late_before"] == sum(q["late_tasks_at_deadline"] or 0 for q in progress)
    saved = round(preview["impact"]["late_tasks_before"]) - round(
        preview["impact"]["late_tasks_after"]
    )
    assert preview["floor_late_after"] == preview["floor_late_before"] - saved
    after = client.get(f"/api/v1/suggestions/{suggestion['id']}").json()
    assert (after["status"], after["changes"]) == ("pending", suggestion["changes"])


def test_preview_explains_a_move_that_breaks_a_rule(client: TestClient) -> None:
    suggestion = client.post("/api/v1/chat/message", json={"message": SEED_MESSAGE}).json()[
        "suggestion"
    ]
    operator_id = suggestion["changes"][0]["operator_ids"][0]
    reply = client.post(
        f"/api/v1/suggestions/{suggestion['id']}/preview",
        json={
            "changes": [
                {
                    "to": "札幌",
                    "business_id": "523201",
                    "process": "存在しない工程",
                    "operator_ids": [operator_id],
                }
            ]
        },
    )
    assert reply.status_code == 409
    assert reply.json()["error"].startswith("この配置変更はルールを満たしません")


def test_preview_of_an_unknown_suggestion_is_404(client: TestClient) -> None:
    change = {"to": "札幌", "business_id": "523201", "process": "エントリ1", "operator_ids": [1]}
    reply = client.post("/api/v1/suggestions/SGT-NONE/preview", json={"changes": [change]})
    assert reply.status_code == 404
