"""Requests with constraints, look-ups, times and scope, through HTTP on the demo day.

Expected figures come from other endpoints (/operators, /progress), never from the
chat's own facts."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from aimee.demo.day import BUSINESSES
from tests.api.test_chat import post

SITES = ("札幌", "盛岡", "品川", "梅田", "那覇")


def operators(client: TestClient) -> list[dict[str, Any]]:
    return list(client.get("/api/v1/operators", params={"limit": 1000}).json())


def queue(
    client: TestClient, location: str, process: str, business_id: str | None = None
) -> dict[str, Any]:
    return next(
        q
        for q in client.get("/api/v1/progress").json()
        if (q["location"], q["process"]) == (location, process)
        and business_id in (None, q["business_id"])
    )


def moved(card: dict[str, Any]) -> int:
    return sum(c["count"] for c in card["changes"])


def test_a_plan_keeps_to_the_origins_and_head_count(client: TestClient) -> None:
    body = post(client, "札幌のエントリ1、盛岡から2名までで何とかして", "plan-limits")
    assert body["request"]["kind"] == "plan"
    assert body["request"]["slots"]["origins"] == [{"location": "盛岡"}]
    card = body["suggestion"]
    assert card is not None and 1 <= moved(card) <= 2
    assert {c["from"] for c in card["changes"]} == {"盛岡"}
    assert {(c["to"], c["process"]) for c in card["changes"]} == {("札幌", "エントリ1")}
    # 「品川は動かさないで」 then 「じゃあ1名だけなら？」 keep the same target
    one = post(client, "じゃあ1名だけなら？", "plan-limits")
    assert one["request"]["slots"]["targets"] == [{"location": "札幌", "process": "エントリ1"}]
    assert one["suggestion"] is not None and moved(one["suggestion"]) == 1


def test_a_spared_site_gives_nobody(client: TestClient) -> None:
    body = post(client, "札幌のエントリ1に応援を。盛岡と品川は動かさないで", "plan-spare")
    card = body["suggestion"]
    assert card is not None
    assert not {c["from"] for c in card["changes"]} & {"盛岡", "品川"}


def test_a_finish_time_comes_first_with_its_margin(client: TestClient) -> None:
    q = queue(client, "札幌", "エントリ1")
    late_by = round(-q["margin_minutes"])
    body = post(client, "札幌のエントリ1は何時に終わりそう？", "finish")
    first = body["response"].split("。")[0]
    done = datetime.fromisoformat(q["projected_completion"]) + timedelta(seconds=30)
    assert f"{done:%H:%M}" in first  # rounded to the minute, as the dashboard shows it
    assert "間に合いません" in first and f"{late_by}分遅れ" in first
    assert "類似度" not in body["response"] and body["sources"] == []


def test_a_queue_that_will_not_finish_says_it_is_late_first(client: TestClient) -> None:
    never = [q for q in client.get("/api/v1/progress").json() if q["projected_completion"] is None]
    assert never  # the demo day has a queue nobody can finish today
    q = never[0]
    business = "SS" if q["business_id"] == "523201" else "KP"
    asked = f"{q['location']}{business}の{q['process']}、このままで締めに間に合う？"
    body = post(client, asked, "none")
    first = body["response"].split("。")[0]
    assert q["process"] in first and "間に合いません" in first
    assert f"{q['deadline'][11:16]}" in first  # the deadline it misses


def test_a_person_looked_up(client: TestClient) -> None:
    takayama = next(op for op in operators(client) if op["operator_name"] == "高山麻由子")
    a = takayama["assignment"]
    body = post(client, "高山さんは今どこ？", "lookup")
    assert body["request"]["kind"] == "operator_lookup"
    text = body["response"]
    assert f"現在{a['location']}の{a['process']}" in text
    for skill in takayama["skills"]:
        assert f"{skill['process_name']} Lv{skill['skill_level']}" in text


def test_the_fastest_is_named_and_the_count_is_true(client: TestClient) -> None:
    able = [
        (s["average_speed"], op["operator_name"])
        for op in operators(client)
        for s in op["skills"]
        if s["process_name"] == "補正"
    ]
    body = post(client, "補正でいちばん速いのは誰？", "fastest")
    first = body["response"].split("。")[0]
    assert max(able)[1] in first
    assert f"条件に合うオペレータは{len(able)}名です" in body["response"]


def test_the_chat_never_approves_by_itself(client: TestClient) -> None:
    card = post(client, "札幌のエントリ1工程が遅延しています", "approve")["suggestion"]
    body = post(client, "それで承認して", "approve")
    assert body["request"]["kind"] == "approval_request"
    assert body["suggestion"] is None
    assert "「承認」ボタン" in body["response"]
    assert client.get(f"/api/v1/suggestions/{card['id']}").json()["status"] == "pending"


def test_an_unknown_site_is_said_to_be_unknown(client: TestClient) -> None:
    body = post(client, "福岡の進捗は？", "scope")
    # the kind is what was asked; the unknown name is a slot, and said instead of an answer
    assert body["request"]["kind"] == "status"
    assert body["request"]["slots"]["unknown"] == ["福岡"]
    assert body["suggestion"] is None
    assert "「福岡」はデータに登録されていません" in body["response"]
    assert all(site in body["response"] for site in SITES)


def test_a_what_if_is_stated_at_the_deadline_with_a_verdict_first(client: TestClient) -> None:
    progress = client.get("/api/v1/progress").json()
    total = sum(q["late_tasks_at_deadline"] or 0 for q in progress)
    late = queue(client, "札幌", "エントリ1")["late_tasks_at_deadline"]
    body = post(client, "高山さんを札幌のエントリ1に回したらどうなる？", "what-if")
    assert body["request"]["kind"] == "what_if"
    text = body["response"]
    first = text.split("\n")[0]  # the change, the target's outcome, the floor's verdict
    assert first.startswith("高山麻由子さんを盛岡のエントリ1から札幌のエントリ1へ回すと、")
    assert "札幌のエントリ1は間に合うようになります" in first
    second = first.split("。")[1]
    assert second.startswith(f"全体（全キュー）の遅延見込みは{total}件→")
    after = int(second.split("→")[1].split("件")[0])
    verdict = (
        "良くなります" if after < total else ("悪くなります" if after > total else "変わりません")
    )
    assert verdict in second
    assert f"・札幌のエントリ1: 遅延見込み{late}件→" in text  # the dashboard's figure
    assert "盛岡のエントリ1から高山麻由子さん" in text  # the queue she leaves


def test_a_what_if_that_helps_but_not_enough_says_both_first(client: TestClient) -> None:
    late = queue(client, "梅田", "エントリ1", "523202")["late_tasks_at_deadline"]
    body = post(client, "山崎真由美さんを梅田KPのエントリ1に回したら？", "helps-some")
    assert body["request"]["kind"] == "what_if"
    first = body["response"].split("。")[0]
    assert "梅田のエントリ1は改善しますが、まだ間に合いません" in first, first
    after = int(first.split("→")[1].split("件")[0])
    assert 0 < after < late and f"遅延見込み{late}件→" in first


def test_someone_sent_away_is_judged_on_the_queue_they_leave(client: TestClient) -> None:
    """Sent out with no destination, the queue asked about is her own: she leaves it."""
    late = queue(client, "札幌", "エントリ2")["late_tasks_at_deadline"]
    body = post(client, "長谷川香織さんを応援に出したら札幌のエントリ2は回る？", "sent-away")
    assert body["request"]["kind"] == "what_if"
    first = body["response"].split("。")[0]
    assert first.startswith("長谷川香織さんが今の工程から抜けると、札幌のエントリ2は"), first
    assert f"遅延見込み{late}件→" in first
    # sent to help a queue named, she goes there (the one she leaves asked about)
    helps = post(client, "竹下さんを那覇のE1の応援に行かせたら盛岡のE2は？", "to-help")
    assert helps["response"].startswith("竹下朱美さんを盛岡のエントリ2から那覇のエントリ1へ回すと")
    # named as the destination, she is there already: nothing to evaluate
    there = post(client, "長谷川香織さんを札幌のエントリ2に回したら？", "already-there")
    assert "既に札幌のエントリ2に配置されています" in there["response"]


def test_an_inactive_person_is_found_and_said_to_be_inactive(client: TestClient) -> None:
    everyone = client.get("/api/v1/operators", params={"limit": 1000, "include_invalid": True})
    inactive = [op for op in everyone.json() if not op["is_valid"]]
    assert inactive, "the demo day has an inactive operator"
    name = inactive[0]["operator_name"]
    body = post(client, f"{name}さんは今どこ？", "inactive")
    assert body["request"]["kind"] == "operator_lookup"
    assert f"{name}さん（{inactive[0]['location_name']}）は現在無効" in body["response"]
    nobody = post(client, "山田太郎さんは今どこ？", "nobody")
    assert "「山田太郎」さんというオペレータは登録されていません" in nobody["response"]


def test_taking_someone_off_their_queue_is_a_what_if_not_a_rule_violation(
    client: TestClient,
) -> None:
    takayama = next(op for op in operators(client) if op["operator_name"] == "高山麻由子")
    a = takayama["assignment"]
    late = queue(client, a["location"], a["process"])["late_tasks_at_deadline"]
    body = post(client, f"高山さんを抜いても{a['location']}の{a['process']}は回る？", "remove")
    assert body["request"]["kind"] == "what_if"
    text = body["response"]
    first = text.split("\n")[0]
    assert first.startswith(
        f"高山麻由子さんが今の工程から抜けると、{a['location']}の{a['process']}は"
    )
    assert "全体（全キュー）の遅延見込みは" in first
    assert f"・{a['location']}の{a['process']}: 遅延見込み{late}件→" in text
    assert "ルール" not in text


def test_adding_people_of_a_level_is_planned_within_that_limit(client: TestClient) -> None:
    body = post(client, "Lv4以上を2名入れたら札幌のエントリ1は間に合う？", "add-level")
    assert body["request"]["slots"]["min_level"] == 4
    card = body["suggestion"]
    assert card is not None and 1 <= moved(card) <= 2
    levels = {
        op["operator_name"]: {s["process_name"]: s["skill_level"] for s in op["skills"]}
        for op in operators(client)
    }
    assert all(levels[name]["エントリ1"] >= 4 for c in card["changes"] for name in c["operators"])
    assert "間に合います" in body["response"].split("\n")[0]  # the conclusion first


def test_a_donor_check_names_who_leaves_and_every_queue_of_the_site(client: TestClient) -> None:
    card = post(client, "札幌のエントリ1工程が遅延しています", "donor")["suggestion"]
    from_sapporo = [n for c in card["changes"] if c["from"] == "札幌" for n in c["operators"]]
    body = post(client, "その場合、札幌は平気？", "donor")
    assert body["request"]["kind"] == "donor_check"
    first = body["response"].split("\n")[0]
    assert first.split("。")[0].startswith("札幌はこの案でも")  # the verdict first
    assert f"この案では札幌から{len(from_sapporo)}名（" in first
    assert all(name in first for name in from_sapporo)
    sapporo = [q for q in client.get("/api/v1/progress").json() if q["location"] == "札幌"]
    for q in sapporo:  # every queue of the site, with its business
        business = f"業務{q['business_id']}・{BUSINESSES[q['business_id']]}"  # id and name
        assert f"・札幌の{q['process']}（{business}）: 遅延見込み" in body["response"]
    assert not any(c["from"] == "那覇" for c in card["changes"])  # the slow site gives nobody
    nobody = post(client, "その場合、那覇は大丈夫？", "donor")
    assert "この案では那覇から誰も動かしません。" in nobody["response"].split("\n")[0]


def test_english_is_understood_and_answered_in_english(client: TestClient) -> None:
    q = queue(client, "札幌", "エントリ1")
    body = post(client, "Will Sapporo Entry1 make its deadline?", "english")
    assert body["request"]["slots"]["language"] == "en"
    assert body["request"]["slots"]["targets"] == [{"location": "札幌", "process": "エントリ1"}]
    text = body["response"]
    assert "will miss its 16:00 deadline" in text
    assert f"expected to finish at {q['projected_completion'][11:16]}" in text
    letters = [c for c in text if c.isalpha()]
    assert sum(c.isascii() for c in letters) > 0.6 * len(letters)
    fukuoka = post(client, "How about Fukuoka?", "english")
    assert fukuoka["request"]["kind"] == body["request"]["kind"]  # the same question
    assert fukuoka["request"]["slots"]["unknown"] == ["Fukuoka"]
    assert fukuoka["response"].startswith("Fukuoka: not found in AIMEE's data. Sites: ")


def test_a_named_helper_is_part_of_the_plan(client: TestClient) -> None:
    """「高山さんを入れて」: the plan sends her (to a target she is skilled for) and
    plans the rest around her; someone without the skill is refused, with the reason."""
    takayama = next(o for o in operators(client) if o["operator_name"] == "高山麻由子")
    body = post(client, "札幌のエントリ1に高山さんを入れて、あとは任せます", "plan-forced")
    assert body["request"]["slots"]["operators"] == {"add": ["高山麻由子"]}
    card = body["suggestion"]
    assert card is not None
    sent = [name for c in card["changes"] if c["to"] == "札幌" for name in c["operators"]]
    assert "高山麻由子" in sent
    unskilled = next(
        o
        for o in operators(client)
        if not any(s["process_name"] == "エントリ1" for s in o["skills"])
    )
    family = unskilled["operator_name"]
    refused = post(client, f"札幌のエントリ1に{family}さんを入れて", "plan-forced-refused")
    assert refused["suggestion"] is None
    assert "応援に入れられません" in refused["response"]
    assert takayama["location_name"] == "盛岡"


def test_exactly_n_helpers_are_proposed_when_nothing_gets_worse(client: TestClient) -> None:
    """「2名で」: one helper would save 那覇の検証; two finish it earlier, both from
    queues that stay on time, and the floor total is no worse than with the best plan."""
    best = post(client, "那覇の検証に応援を", "helpers-best")
    two = post(client, "那覇の検証、2名で応援組んで", "helpers-two")
    card = two["suggestion"]
    assert two["request"]["slots"]["head_count"] == {"exact": 2}
    assert card is not None and moved(card) == 2 and moved(best["suggestion"]) == 1
    assert (
        card["impact"]["late_tasks_after"] == best["suggestion"]["impact"]["late_tasks_after"] == 0
    )
    assert "見つかりませんでした" not in two["response"]

    def margin(body: dict[str, Any]) -> int:
        return int(re.search(r"余裕(\d+)分", body["response"].split("。")[0]).group(1))  # type: ignore[union-attr]

    assert margin(two) > margin(best)  # the second helper buys time


def test_the_queue_someone_leaves_is_judged_under_the_same_what_if(client: TestClient) -> None:
    takayama = next(op for op in operators(client) if op["operator_name"] == "高山麻由子")
    a = takayama["assignment"]
    post(client, "高山さんを札幌のエントリ1に回したら？", "aftermath")
    body = post(client, f"抜けた後の{a['location']}の{a['process']}は？", "aftermath")
    assert body["request"]["kind"] == "what_if"
    assert body["request"]["slots"]["operators"] == {"move": ["高山麻由子"]}
    first = body["response"].split("\n")[0]
    assert first.startswith("高山麻由子さんを")
    assert f"{a['location']}の{a['process']}は" in first  # judged there, not 「既に配置」
    assert "既に" not in body["response"]


def test_someone_without_the_skill_changes_nothing_and_says_so_first(client: TestClient) -> None:
    skills = {
        op["operator_name"]: {s["process_name"] for s in op["skills"]} for op in operators(client)
    }
    name = next(n for n, s in skills.items() if "補正" not in s and n.startswith("岡本"))
    body = post(client, f"{name}さんを那覇の補正に入れたらどうなる？", "unskilled")
    first = body["response"].split("。")[0]
    assert "回せず、見込みは変わりません" in first + "。"


def test_that_one_after_a_list_is_the_first_late_queue(client: TestClient) -> None:
    """「それ、何分足りない？」 after the late queues of a site: the first one listed, not the
    site (whose margin is no one figure)."""
    risks = post(client, "品川で締めに間に合わなそうなのある？", "that-one")
    assert risks["request"]["kind"] == "delay_risk"
    late = [
        q
        for q in client.get("/api/v1/progress").json()
        if q["location"] == "品川" and q["late_tasks_at_deadline"] > 0
    ]
    assert late
    minutes = post(client, "それ、何分遅れそう？", "that-one")
    assert minutes["request"]["kind"] == "finish_time"
    [target] = minutes["request"]["slots"]["targets"]
    assert target["location"] == "品川"
    assert (target["process"], target["business_id"]) in {
        (q["process"], q["business_id"]) for q in late
    }


def shift_of(client: TestClient, name: str) -> tuple[str, str]:
    """Today's shift of the person, as the shifts download has it."""
    [person] = [op for op in operators(client) if op["operator_name"] == name]
    rows = client.get("/api/v1/exports/shifts").content.decode("utf-8-sig").splitlines()
    for row in rows[1:]:
        operator_id, starts, ends = row.split(",")
        if int(operator_id) == person["operator_id"] and starts.startswith("2025-10-23"):
            return starts[11:16], ends[11:16]
    raise AssertionError(f"no shift for {name}")


def test_a_shift_asked_is_said_first(client: TestClient) -> None:
    starts, ends = shift_of(client, "高山麻由子")
    body = post(client, "高山さんって今日何時まで？", "shift-asked")
    assert body["request"]["kind"] == "operator_lookup"
    first = body["response"].split("。")[0]
    assert starts in first and ends in first and "高山麻由子" in first


def test_a_shift_of_a_day_without_data_says_so(client: TestClient) -> None:
    body = post(client, "明日の高山さんのシフトって入ってる？", "shift-tomorrow")
    assert body["request"]["slots"]["date"] == "2025-10-24"
    assert "シフトのデータはありません" in body["response"]


@pytest.mark.parametrize(
    ("message", "field", "value"),
    [
        ("検証で一番遅れてるとこに2人入れたら間に合う？", "process", "検証"),
        ("KPで一番遅れてるとこに2人入れたら間に合う？", "business_id", "523202"),
    ],
)
def test_the_worst_queue_of_a_part_is_the_one_a_what_if_weighs(
    client: TestClient, message: str, field: str, value: str
) -> None:
    """「検証で一番遅れてるとこに2人入れたら」: the queue of that process (or business) with
    the most late tasks (from /progress), weighed with two more people."""
    late = [
        q
        for q in client.get("/api/v1/progress").json()
        if q[field] == value and q["late_tasks_at_deadline"] > 0
    ]
    assert late
    worst = max(late, key=lambda q: q["late_tasks_at_deadline"])
    body = post(client, message, f"worst-what-if-{field}")
    assert body["request"]["kind"] == "what_if"
    [target] = body["request"]["slots"]["targets"]
    assert (target["location"], target["business_id"], target["process"]) == (
        worst["location"],
        worst["business_id"],
        worst["process"],
    )


def test_unnamed_people_leaving_get_a_verdict_first(client: TestClient) -> None:
    q = queue(client, "那覇", "エントリ2")
    floor = sum(row["late_tasks_at_deadline"] or 0 for row in client.get("/api/v1/progress").json())
    body = post(client, "那覇のエントリ2から2人抜けたらどうなる？", "leaving")
    assert body["request"]["kind"] == "what_if"
    assert body["request"]["slots"]["head_count"] == {"exact": 2}
    assert body["request"]["leaving"] is True
    first = body["response"].split("。")[0]
    assert "仮定" in first and "さらに悪化します" in first  # late already, later still
    assert f"遅延見込み{q['late_tasks_at_deadline']}件→" in first  # the queue's figure before
    assert f"{floor:,}件から" in body["response"]  # the floor total before (/progress)
    assert body["suggestion"] is None
    # 「1人だったら？」 keeps them leaving, fewer of them
    one = post(client, "1人だったら？", "leaving")
    assert one["request"]["leaving"] is True
    assert one["request"]["slots"]["targets"] == [{"location": "那覇", "process": "エントリ2"}]


def test_a_status_states_its_conclusion_first(client: TestClient) -> None:
    q = queue(client, "札幌", "エントリ1")
    body = post(client, "札幌のE1どんな感じ？", "status-first")
    first = body["response"].split("。")[0]
    assert "間に合わない見込み" in first
    assert f"遅延見込み{q['late_tasks_at_deadline']}件" in first
    site = post(client, "盛岡の状況は？", "status-site")
    late = [
        r
        for r in client.get("/api/v1/progress").json()
        if r["location"] == "盛岡" and (r["late_tasks_at_deadline"] or 0) > 0
    ]
    assert site["response"].split("。")[0].startswith("盛岡は")
    total = sum(round(r["late_tasks_at_deadline"]) for r in late)  # the figures listed, summed
    assert f"{len(late)}工程、計{total:,}件が納期に間に合わない" in site["response"].split("。")[0]


def test_a_queue_named_by_its_deadline_is_planned(client: TestClient) -> None:
    at_16 = [
        r for r in client.get("/api/v1/progress").json() if r["deadline"].endswith("T16:00:00")
    ]
    body = post(client, "16時締めのとこ、誰か回せる？", "by-deadline")
    assert body["request"]["kind"] == "plan"
    assert [(t["location"], t["process"]) for t in body["request"]["slots"]["targets"]] == [
        (r["location"], r["process"]) for r in at_16
    ]


def test_an_english_site_status_says_how_many_queues_are_late_first(client: TestClient) -> None:
    rows = [r for r in client.get("/api/v1/progress").json() if r["location"] == "盛岡"]
    late = [r for r in rows if (r["late_tasks_at_deadline"] or 0) > 0]
    body = post(client, "How is Morioka doing?", "status-en")
    first = body["response"].split("\n")[0]
    assert first.startswith(f"盛岡: {len(late)} of {len(rows)} queues will miss their deadlines")


def test_an_english_floor_status_leads_with_the_floor_total(client: TestClient) -> None:
    rows = client.get("/api/v1/progress").json()
    late = [r for r in rows if round(r["late_tasks_at_deadline"] or 0) > 0]
    total = sum(round(r["late_tasks_at_deadline"]) for r in late)
    body = post(client, "How is the whole floor doing?", "floor-en")
    first = body["response"].split("\n")[0]
    assert first.startswith(f"On the whole floor, {len(late)} of {len(rows)} queues will miss")
    assert f"{total:,} tasks in all" in first


def test_an_aside_does_not_break_the_thread(client: TestClient) -> None:
    post(client, "梅田KPのE1どう？", "aside")
    aside = post(client, "ところで梅田って今日暑い？", "aside")
    assert aside["request"]["kind"] == "out_of_scope"
    back = post(client, "で、E1は何時に終わる？", "aside")
    assert back["request"]["kind"] == "finish_time"
    [target] = back["request"]["slots"]["targets"]
    assert (target["location"], target["process"]) == ("梅田", "エントリ1")


def test_a_know_how_aside_does_not_break_the_thread(client: TestClient) -> None:
    post(client, "札幌 全体どう", "knowhow-aside")
    aside = post(client, "てか応援出す基準ってあったっけ", "knowhow-aside")
    assert aside["request"]["kind"] == "knowhow"
    back = post(client, "E1 間に合わせたい 盛岡から1", "knowhow-aside")
    assert back["request"]["kind"] == "plan"
    assert back["request"]["slots"]["targets"] == [{"location": "札幌", "process": "エントリ1"}]
    assert back["request"]["slots"]["origins"] == [{"location": "盛岡"}]


def test_someone_leaving_is_judged_on_their_own_queue_not_the_last_one(
    client: TestClient,
) -> None:
    """The thread is at 梅田; the person who leaves works elsewhere: the process said alone
    is hers, at her site (from /operators)."""
    [her] = [op for op in operators(client) if op["operator_name"] == "中島瞳"]
    post(client, "梅田のKPの補正は間に合いますか", "leaving-own-queue")
    body = post(client, "中島瞳さんが早退したら、補正はどのくらい遅れる？", "leaving-own-queue")
    assert body["request"]["kind"] == "what_if"
    [target] = body["request"]["slots"]["targets"]
    assert (target["location"], target["process"]) == (her["location_name"], "補正")
    assert her["location_name"] != "梅田"


def test_a_site_named_with_a_shared_family_name_picks_the_one_there(client: TestClient) -> None:
    staff = operators(client)
    at_naha = [
        op["operator_name"]
        for op in staff
        if op["operator_name"].startswith("中島") and op["location_name"] == "那覇"
    ]
    body = post(client, "那覇の中島さんのスキル教えて", "namesake-site")
    assert body["request"]["slots"]["operators"] == {"about": at_naha}


def test_a_shared_family_name_says_how_many_first(client: TestClient) -> None:
    namesakes = [op for op in operators(client) if op["operator_name"].startswith("小川")]
    body = post(client, "小川さんってどこの担当？", "family-first")
    first = body["response"].split("。")[0]
    assert first.startswith(f"小川さんは{len(namesakes)}名います")
    assert all(op["operator_name"] in first for op in namesakes)


def test_a_plan_for_the_whole_floor_leads_with_the_floor_total(client: TestClient) -> None:
    """The moves go to several queues: the first sentence is the floor's verdict, its
    total the sum of /progress (seen on the demo: 「…回せば間に合います」 while 55 tasks
    stayed late elsewhere)."""
    progress = client.get("/api/v1/progress").json()
    total = round(sum(q["late_tasks_at_deadline"] or 0 for q in progress))
    body = post(client, "全体の遅延を減らす配置を提案して", "floor-plan")
    assert body["request"]["kind"] == "plan" and not body["request"]["slots"].get("targets")
    card = body["suggestion"]
    assert card is not None
    assert len({(c["to"], c["business_id"], c["process"]) for c in card["changes"]}) > 1
    first = body["response"].split("\n")[0]
    assert first.startswith(f"{moved(card)}名を移動すれば、")
    assert f"{total:,}件" in first
    assert "すべての工程は間に合いません" in first or "全工程が納期に間に合います" in first


def test_no_free_people_is_said_as_a_count(client: TestClient) -> None:
    """Free people asked for where everyone able is on a late queue (那覇's エントリ2 on
    the demo day): the answer states the count, 0名, first."""
    late = {
        (q["location"], q["business_id"], q["process"])
        for q in client.get("/api/v1/progress").json()
        if (q["late_tasks_at_deadline"] or 0) > 0
    }
    able = [
        o
        for o in operators(client)
        if o["location_name"] == "那覇"
        and any(s["process_name"] == "エントリ2" for s in o["skills"])
    ]
    on_late = [
        o["assignment"] is not None
        and (
            o["assignment"]["location"],
            o["assignment"]["business_id"],
            o["assignment"]["process"],
        )
        in late
        for o in able
    ]
    assert able and all(on_late)
    body = post(client, "那覇でエントリ2できる人で空いてる人いる？", "free-none")
    assert "0名" in body["response"].split("。")[0]


def test_a_process_alone_in_a_what_if_is_at_the_persons_site(client: TestClient) -> None:
    person = next(
        op
        for op in operators(client)
        if op["assignment"] is not None and op["assignment"]["location"] == "梅田"
    )
    a = person["assignment"]
    body = post(client, f"{person['operator_name']}さんが休んだら{a['process']}はどうなる？", "ps")
    assert body["request"]["kind"] == "what_if"
    targets = body["request"]["slots"]["targets"]
    assert [(t.get("location"), t["process"]) for t in targets] == [("梅田", a["process"])]


def test_the_worst_queue_asked_for_is_named_first_and_is_what_there_means(
    client: TestClient,
) -> None:
    """「一番ヤバいのどれ」: the late queue with the most late tasks, said first; 「そこ」 next
    is that queue."""
    late = [
        q
        for q in client.get("/api/v1/progress").json()
        if q["location"] == "那覇" and q["late_tasks_at_deadline"] >= 1
    ]
    assert len(late) >= 2
    worst = max(late, key=lambda q: q["late_tasks_at_deadline"])
    body = post(client, "那覇で一番ヤバいのどれ", "worst")
    first = body["response"].split("。")[0]
    assert f"那覇の{worst['process']}" in first
    assert f"{round(worst['late_tasks_at_deadline'])}件" in first
    then = post(client, "そこ何時に終わりそう", "worst")
    [target] = then["request"]["slots"]["targets"]
    assert (target["process"], target["business_id"]) == (worst["process"], worst["business_id"])
    english = post(client, "Which queue at Naha is the worst?", "worst-en")
    assert english["response"].startswith(f"The worst is 那覇 {worst['process']}")


def _late_at(client: TestClient, site: str) -> set[tuple[str, str]]:
    return {
        (q["business_id"], q["process"])
        for q in client.get("/api/v1/progress").json()
        if q["location"] == site and q["late_tasks_at_deadline"] >= 1
    }


def _targets(body: dict[str, Any]) -> set[tuple[str, str]]:
    return {(t["business_id"], t["process"]) for t in body["request"]["slots"]["targets"]}


def test_the_late_ones_of_a_site_are_what_both_and_the_two_late_ones_mean(
    client: TestClient,
) -> None:
    """「遅れている2つの工程は…」 after a site's status, and 「遅れ2つ 両方」 in a plan: every
    late queue of that site; 「何分遅れ？」 after a list with one late queue: that one."""
    late = _late_at(client, "盛岡")
    assert len(late) == 2
    post(client, "盛岡の状況を教えてください", "late-two")
    times = post(client, "遅れている2つの工程は、それぞれ何時ごろ終わる見込みですか。", "late-two")
    assert times["request"]["kind"] == "finish_time"
    assert _targets(times) == late
    plan = post(client, "盛岡 遅れ2つ 両方 品川から", "late-plan")
    assert plan["request"]["kind"] == "plan"
    assert _targets(plan) == late
    [only] = _late_at(client, "札幌")
    post(client, "札幌ってどう", "late-one")
    minutes = post(client, "何分遅れ？", "late-one")
    assert _targets(minutes) == {only}


def test_people_of_a_level_who_cannot_help_get_a_verdict_first(client: TestClient) -> None:
    """「那覇の検証に品川からLv5を2人入れたら？」 when no such helper helps: the queue stays
    late, said first, with the conditions it was judged under; no card."""
    naha = queue(client, "那覇", "検証")
    assert naha["late_tasks_at_deadline"] >= 1
    body = post(client, "那覇の検証に品川からLv5を2人入れたら、どのくらい変わるかな", "lv5")
    assert body["request"]["kind"] == "what_if"
    assert body.get("suggestion") is None
    first = body["response"].split("：")[0]
    assert "那覇の検証" in first
    assert "間に合わない見込みのまま" in first
    assert "品川からLv5以上を2名" in first


def test_people_of_a_level_who_cannot_help_get_a_verdict_in_english_too(
    client: TestClient,
) -> None:
    body = post(
        client, "What if 2 people from Shinagawa at level 5 join Naha verification?", "lv5-en"
    )
    assert body["request"]["kind"] == "what_if"
    assert body["response"].startswith("那覇 検証 still misses its")


def test_the_least_late_is_not_answered_with_the_worst(client: TestClient) -> None:
    for message in ("一番遅れが少ない工程はどこ？", "一番遅れてないのは？"):
        assert "いちばん遅れが大きい" not in post(client, message, "least")["response"]
    english = post(client, "Which queue is the least at risk? Not the worst one.", "least-en")
    assert not english["response"].startswith("The worst")


@pytest.mark.parametrize(
    ("message", "process"),
    [
        ("竹下さんって検証できる？", "検証"),  # a process named: that skill
        ("高山さん、エントリ2のレベルいくつ？", "エントリ2"),
        ("高山さんってLv何？", None),  # none named: the process she works on
    ],
)
def test_a_skill_asked_of_a_person_is_said_first(
    client: TestClient, message: str, process: str | None
) -> None:
    """Conclusion first: the level asked about, as /operators has it, before where she is."""
    family = message[:2]
    [person] = [op for op in operators(client) if op["operator_name"].startswith(family)]
    asked = process or person["assignment"]["process"]
    [skill] = [s for s in person["skills"] if s["process_name"] == asked]
    body = post(client, message, f"skill-first-{message}")
    assert body["request"]["kind"] == "operator_lookup"
    first = body["response"].split("。")[0]
    assert (
        first
        == f"{person['operator_name']}さんの{asked}はLv{skill['skill_level']}です（経験"
        + (f"{skill['experience_months']}ヶ月・毎時{round(skill['average_speed'])}件）")
    )


def test_a_skill_asked_right_after_a_look_up_is_hers_and_said_first(client: TestClient) -> None:
    """「竹下さんどこ？」 then 「E2もできたっけ」: her エントリ2 level (from /operators), first."""
    [person] = [op for op in operators(client) if op["operator_name"].startswith("竹下")]
    [skill] = [s for s in person["skills"] if s["process_name"] == "エントリ2"]
    post(client, "竹下さん今どこ？", "skill-after-look-up")
    body = post(client, "E2もできたっけ", "skill-after-look-up")
    assert body["request"]["kind"] == "operator_lookup"
    assert body["request"]["slots"]["operators"] == {"about": [person["operator_name"]]}
    first = body["response"].split("。")[0]
    assert first.startswith(
        f"{person['operator_name']}さんのエントリ2はLv{skill['skill_level']}です"
    )


def test_which_of_two_queues_is_worse_names_it_first(client: TestClient) -> None:
    """「どっちがやばい？」: the one with more late tasks at its deadline (from /progress)."""
    late = {
        q["process"]: q["late_tasks_at_deadline"] or 0
        for q in client.get("/api/v1/progress", params={"location": "那覇"}).json()
        if q["process"] in ("エントリ2", "検証")
    }
    worse = max(late, key=lambda p: late[p])
    body = post(client, "那覇のE2と検証、どっちがやばい？", "which-worse")
    first = body["response"].split("。")[0]
    assert f"那覇の{worse}" in first and first.startswith("いちばん遅れが大きいのは")


def test_someone_leaving_a_process_said_alone_leaves_their_own_business(
    client: TestClient,
) -> None:
    """「佐野さん抜けたらE2困る？」 after a search at her site: the E2 she works on, business
    and all (from /operators)."""
    [her] = [op for op in operators(client) if op["operator_name"] == "佐野友美"]
    a = her["assignment"]
    post(client, f"{a['location']}で検証Lv4以上", "leaving-business")
    body = post(client, "佐野さん抜けたらE2困る？", "leaving-business")
    assert body["request"]["kind"] == "what_if"
    assert body["request"]["slots"]["targets"] == [
        {"location": a["location"], "business_id": a["business_id"], "process": a["process"]}
    ]


def test_namesakes_told_apart_by_the_process_they_are_on(client: TestClient) -> None:
    """「長谷川さんどこ？」 then 「補正にいる方」: the one whose assignment is 補正."""
    namesakes = [op for op in operators(client) if op["operator_name"].startswith("長谷川")]
    on_it = [
        op["operator_name"]
        for op in namesakes
        if op["assignment"] is not None and op["assignment"]["process"] == "補正"
    ]
    assert len(namesakes) > 1 and len(on_it) == 1
    post(client, "長谷川さんどこ？", "namesake-process")
    body = post(client, "補正にいる方", "namesake-process")
    assert body["request"]["slots"]["operators"] == {"about": on_it}


def test_the_plans_own_queue_asked_under_the_plan_says_when_it_finishes(
    client: TestClient,
) -> None:
    """「その場合那覇のE1は何時に終わる？」 after a plan for it: its finish under the plan first
    (the completion now as /progress has it, and the one the plan's answer states)."""
    [naha] = [
        q
        for q in client.get("/api/v1/progress", params={"location": "那覇"}).json()
        if q["process"] == "エントリ1"
    ]
    now = naha["projected_completion"][11:16]
    plan = post(client, "那覇E1に2人まで応援案", "own-queue-under-plan")
    assert plan["suggestion"] is not None
    finish = re.search(rf"完了見込み{now}→(\d\d:\d\d)", plan["response"])
    assert finish is not None
    body = post(client, "その場合那覇のE1は何時に終わる？", "own-queue-under-plan")
    assert body["request"]["kind"] == "donor_check"
    first = body["response"].split("。")[0]
    assert first.startswith("この案で那覇のエントリ1は")
    assert f"完了見込み{now}→{finish.group(1)}" in first
