"""Entity matching against the demo master data."""

from __future__ import annotations

import pytest

from aimee.nlu import Gazetteer


def _entities(gazetteer: Gazetteer, text: str) -> dict[str, object]:
    return dict(gazetteer.extract(text).entities)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("札幌のエントリ1工程が遅延しています", {"location": "札幌", "process": "エントリ1"}),
        ("ＳＳのｴﾝﾄﾘｰ２", {"business_id": "523201", "process": "エントリ2"}),
        ("KP業務の補正", {"business_id": "523202", "process": "補正"}),
        ("523202の検証", {"business_id": "523202", "process": "検証"}),
        ("札幌センターの入力1", {"location": "札幌", "process": "エントリ1"}),
        ("品川拠点の2次入力", {"location": "品川", "process": "エントリ2"}),
        ("梅田さんの一次エントリ", {"location": "梅田", "process": "エントリ1"}),
        ("さっぽろの進捗", {"location": "札幌"}),
        ("エントリ二の残件", {"process": "エントリ2"}),
        ("entry1 status", {"process": "エントリ1"}),
        ("ベリファイの状況", {"process": "検証"}),
    ],
)
def test_locations_processes_businesses(
    gazetteer: Gazetteer, text: str, expected: dict[str, str]
) -> None:
    assert _entities(gazetteer, text) == expected


def test_business_names_respect_word_boundaries(gazetteer: Gazetteer) -> None:
    assert "business_id" not in _entities(gazetteer, "SSDの話")
    assert "business_id" not in _entities(gazetteer, "class の定義")
    assert "business_id" not in _entities(gazetteer, "5232011件")
    assert _entities(gazetteer, "ss、kpの順")["business_id"] == "523201"


def test_operator_forms(gazetteer: Gazetteer) -> None:
    full = {"operator": "高山麻由子", "operator_id": 17}
    assert _entities(gazetteer, "高山麻由子の経験") == full
    assert _entities(gazetteer, "高山さんのスキル") == full
    assert _entities(gazetteer, "高山 麻由子さん") == full
    assert _entities(gazetteer, "麻由子さんは？") == full
    assert _entities(gazetteer, "高山と竹下を動かす")["operator"] == "高山麻由子"
    assert _entities(gazetteer, "誠さんは") == {"operator": "坂本誠", "operator_id": 13}


def test_bare_family_name_needs_a_particle_and_a_true_surname(gazetteer: Gazetteer) -> None:
    assert "operator" not in _entities(gazetteer, "高山病")
    # 千葉 is also a place name: only 「千葉さん」 means the operator.
    assert "operator" not in _entities(gazetteer, "千葉の話")
    assert _entities(gazetteer, "千葉さんは今どこ")["operator"] == "千葉浩二"


def test_ambiguous_family_name_reports_candidates(gazetteer: Gazetteer) -> None:
    extraction = gazetteer.extract("坂本さんを札幌に")
    assert "operator" not in extraction.entities
    assert extraction.entities["location"] == "札幌"
    assert "坂本誠" in extraction.candidates["operator"]
    assert len(extraction.candidates["operator"]) == 7


def test_process_stem_alone_is_ambiguous(gazetteer: Gazetteer) -> None:
    extraction = gazetteer.extract("エントリの進捗")
    assert "process" not in extraction.entities
    assert extraction.candidates["process"] == ["エントリ1", "エントリ2"]


def test_longest_match_wins() -> None:
    gazetteer = Gazetteer(["品川", "品川北"], ["入力", "入力確認"], {}, {})
    assert _entities(gazetteer, "品川北の入力確認") == {"location": "品川北", "process": "入力確認"}
    assert _entities(gazetteer, "品川の入力") == {"location": "品川", "process": "入力"}


def test_operator_beats_a_place_for_the_same_surface() -> None:
    gazetteer = Gazetteer(["梅田"], [], {}, {5: "梅田花子"})
    assert _entities(gazetteer, "梅田さんを動かす") == {"operator": "梅田花子", "operator_id": 5}
    assert _entities(gazetteer, "梅田の進捗") == {"location": "梅田"}


def test_move_origin_and_target(gazetteer: Gazetteer) -> None:
    entities = _entities(gazetteer, "盛岡から札幌に2人")
    assert entities["location"] == "札幌"
    assert entities["from_location"] == "盛岡"
    assert _entities(gazetteer, "盛岡から人を出せる？")["location"] == "盛岡"


def test_retracted_value_is_dropped(gazetteer: Gazetteer) -> None:
    assert _entities(gazetteer, "KP…じゃなくてSSの補正")["business_id"] == "523201"


def test_masked_text_replaces_entities(gazetteer: Gazetteer) -> None:
    masked = gazetteer.extract("高山さんを札幌のエントリ1に移したら").masked()
    assert masked == "担当者を拠点の作業に移したら"


def test_readings_too_short_to_be_safe_are_not_used(gazetteer: Gazetteer) -> None:
    assert _entities(gazetteer, "みんなは元気") == {}
