"""Answers name a business by its id and, where the master data has one, by its name
(「業務523201・SS」), wherever a queue is shown."""

from __future__ import annotations

from dataclasses import replace

from aimee.llm.context import DonorCheck, NoHelpfulHelpers, OperatorProfile, QueueChange
from aimee.services.facts import with_business_names
from tests.llm.factories import sapporo, seed_context

NAMES = {"523201": "SS", "523202": "KP"}


def test_every_queue_of_the_answer_gets_its_business_name() -> None:
    kp = replace(sapporo(), business_id="523202")
    change = QueueChange("札幌", "エントリ1", 20, 0, None, None, business_id="523201")
    ctx = replace(
        seed_context(),
        queues=[sapporo(), kp],
        donor=DonorCheck("札幌", [], [change]),
        no_helpful_helpers=NoHelpfulHelpers([kp]),
        profiles=[
            OperatorProfile("高山麻由子", "盛岡", True, ("盛岡", "523202", "エントリ1")),
            OperatorProfile("長谷川陽子", "札幌", True, None),
        ],
    )
    ctx = replace(ctx, suggestion=replace(ctx.suggestion, changes=[change], target=change))
    named = with_business_names(ctx, NAMES)
    assert [q.business for q in named.queues] == ["業務523201・SS", "業務523202・KP"]
    assert named.suggestion is not None and named.suggestion.target is not None
    assert [c.business_name for c in named.suggestion.changes] == ["SS"]
    assert named.suggestion.target.business_name == "SS"
    assert named.donor is not None and named.donor.queues[0].business_name == "SS"
    assert named.no_helpful_helpers is not None
    assert named.no_helpful_helpers.queues[0].business_name == "KP"
    assert [p.business_name for p in named.profiles] == ["KP", ""]


def test_a_business_without_a_name_keeps_its_id() -> None:
    ctx = replace(seed_context(), queues=[replace(sapporo(), business_id="999999")])
    assert with_business_names(ctx, NAMES).queues[0].business == "業務999999"
    assert with_business_names(ctx, {}) is ctx
