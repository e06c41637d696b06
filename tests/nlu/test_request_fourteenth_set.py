"""Phrasings of the fourteenth development set's shapes (our own sentences, never the frozen
set's nor the dev sets' own): whether one queue at a site makes its deadline is its finish
and margin, 「どこの拠点が危ない？」 asks which, and a business code glued to a process code
(「KPE1」「E2SS」) names both."""

from __future__ import annotations

from typing import Any

import pytest

from aimee.nlu import Gazetteer, IntentAnalyzer
from aimee.nlu.person_site import at_persons_site
from aimee.nlu.request import OperatorSlots, QueueRef, Request, Slots
from aimee.nlu.romaji import kana_message
from aimee.nlu.slots import day
from tests.nlu.test_request_phrasings import conversation, said


@pytest.mark.parametrize(
    ("text", "kind", "slots"),
    [
        (
            "那覇SSの補正は今日の締めに間に合う見込みでしょうか",
            "finish_time",
            {
                "targets": [{"location": "那覇", "business_id": "523201", "process": "補正"}],
                "date": "today",
            },
        ),
        (
            "盛岡の検証、間に合う見込みですか",
            "finish_time",
            {"targets": [{"location": "盛岡", "process": "検証"}]},
        ),
        ("補正はどこの拠点が危ない？", "delay_risk", {"targets": [{"process": "補正"}]}),
        (
            "札幌KPE1 まにあう？",
            "finish_time",
            {"targets": [{"location": "札幌", "business_id": "523202", "process": "エントリ1"}]},
        ),
    ],
)
def test_fourteenth_set_shapes(
    analyzer: IntentAnalyzer, text: str, kind: str, slots: dict[str, Any]
) -> None:
    assert said(conversation(analyzer, text)[-1]) == (kind, slots)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("梅田SSE2", [("location", "梅田"), ("business_id", "523201"), ("process", "エントリ2")]),
        (
            "品川E1KPは？",
            [("location", "品川"), ("process", "エントリ1"), ("business_id", "523202")],
        ),
        ("KPIの話", []),
        ("SSDを交換", []),
    ],
)
def test_codes_glued_together_are_both_read(
    gazetteer: Gazetteer, text: str, found: list[tuple[str, str]]
) -> None:
    assert [(m.kind, m.value) for m in gazetteer.extract(text).mentions] == found


def test_kyou_is_today_only_as_a_word() -> None:
    """「じょうきょう」 (状況) holds きょう but says no day; 「きょうの」 does."""
    assert day("もりおかのE2じょうきょう", None) is None
    assert day("えいきょうでる？", None) is None
    assert day("きょうの補正は？", None) == "today"


@pytest.mark.parametrize(
    ("texts", "kind", "slots"),
    [
        (  # as it stands: the queue's finish, nothing changed
            (
                "盛岡SSの補正を締めに間に合わせる案出して",
                "ところでこのまま誰も動かさなかったら何時終わり？",
            ),
            "finish_time",
            {"targets": [{"location": "盛岡", "business_id": "523201", "process": "補正"}]},
        ),
        (
            ("ちなみに今のままだと札幌のE2は何時に終わる？",),
            "finish_time",
            {"targets": [{"location": "札幌", "process": "エントリ2"}]},
        ),
        (  # an action, then 案は: a plan with its count
            ("札幌のE2にLv3以上の人を2人回す案は？",),
            "plan",
            {
                "targets": [{"location": "札幌", "process": "エントリ2"}],
                "head_count": {"exact": 2},
                "min_level": 3,
            },
        ),
    ],
)
def test_fourteenth_set_threads(
    analyzer: IntentAnalyzer, texts: tuple[str, ...], kind: str, slots: dict[str, Any]
) -> None:
    assert said(conversation(analyzer, *texts)[-1]) == (kind, slots)


def test_a_process_alone_is_at_the_persons_site() -> None:
    """「山口さんが抜けたら補正どうなる？」: the 補正 where 山口 works, unless a site is said."""
    removed = Request(
        kind="what_if",
        slots=Slots(
            targets=(QueueRef(process="補正"),), operators=OperatorSlots(remove=("山口花子",))
        ),
    )
    placed = at_persons_site(removed, {"山口花子": ("盛岡", "523201", "エントリ1")})
    assert placed.slots.targets == (QueueRef(location="盛岡", process="補正"),)
    said_site = removed.model_copy(
        update={
            "slots": removed.slots.model_copy(
                update={"targets": (QueueRef(location="札幌", process="補正"),)}
            )
        }
    )
    assert at_persons_site(said_site, {"山口花子": ("盛岡", "523201", "エントリ1")}) == said_site
    status = removed.model_copy(update={"kind": "status"})
    assert at_persons_site(status, {"山口花子": ("盛岡", "523201", "エントリ1")}) == status


@pytest.mark.parametrize(
    ("texts", "kind", "slots"),
    [
        (("では 案",), "plan", {}),
        (("遅延 どこ？",), "delay_risk", {}),
        (
            ("札幌SS補正 何時", "納期 もちそう？"),
            "finish_time",
            {"targets": [{"location": "札幌", "business_id": "523201", "process": "補正"}]},
        ),
        (
            ("品川SS E2 残り",),
            "status",
            {"targets": [{"location": "品川", "business_id": "523201", "process": "エントリ2"}]},
        ),
        (  # a plan asked for besides the finish: not the finish alone
            ("那覇のE2、このままだと何時になる？人回したほうがいい？",),
            "plan",
            {"targets": [{"location": "那覇", "process": "エントリ2"}]},
        ),
    ],
)
def test_terse_fragments(
    analyzer: IntentAnalyzer, texts: tuple[str, ...], kind: str, slots: dict[str, Any]
) -> None:
    assert said(conversation(analyzer, *texts)[-1]) == (kind, slots)


@pytest.mark.parametrize(
    ("texts", "kind", "slots"),
    [
        (  # a policy stated on the way to a plan asked for: not know-how
            (
                "札幌のE2が遅れ気味です。梅田の方は動かさない方針なので、"
                "他の拠点から案を作っていただけますか。",
            ),
            "plan",
            {
                "targets": [{"location": "札幌", "process": "エントリ2"}],
                "spare": [{"location": "梅田"}],
            },
        ),
        (  # the margin of the queue just asked about, asked politely
            (
                "札幌SSの補正、何時に終わる見込みですか",
                "恐れ入りますが、余裕が何分あるかも教えていただけますか",
            ),
            "finish_time",
            {"targets": [{"location": "札幌", "business_id": "523201", "process": "補正"}]},
        ),
    ],
)
def test_polite_requests_ask_the_data(
    analyzer: IntentAnalyzer, texts: tuple[str, ...], kind: str, slots: dict[str, Any]
) -> None:
    assert said(conversation(analyzer, *texts)[-1]) == (kind, slots)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("森岡から連絡があって遅れるって", []),  # a person's message, not where help is from
        ("森岡さんは今日何時まで？", []),
        ("森岡からE1に回せる？", [("location", "盛岡"), ("process", "エントリ1")]),
    ],
)
def test_a_homophone_of_a_site_is_no_site_as_a_person(
    gazetteer: Gazetteer, text: str, found: list[tuple[str, str]]
) -> None:
    assert [(m.kind, m.value) for m in gazetteer.extract(text).mentions] == found


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("Naha E1 done in time?", None),  # English words that spell romaji stay English
        ("Morioka E2 on time?", None),
        ("Naha E1 itsu owaru?", "Naha E1 いつおわる?"),
    ],
)
def test_a_latin_message_is_romaji_only_with_a_japanese_word(text: str, read: str | None) -> None:
    assert kana_message(text) == read
