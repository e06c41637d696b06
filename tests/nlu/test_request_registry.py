"""One registry of request kinds: every kind has a parser rule that reaches it, a
handler and a template (adding a kind without one of them fails here)."""

from __future__ import annotations

from aimee.llm.template import _BY_KIND
from aimee.nlu import IntentAnalyzer
from aimee.nlu.request import KINDS, REQUEST_KINDS, Request
from aimee.services.chat_requests import HANDLERS

LAST_PLAN = Request.model_validate(
    {"kind": "plan", "slots": {"targets": [{"location": "札幌", "process": "エントリ1"}]}}
)
EXAMPLE_OF_KIND = {
    "plan": "札幌のエントリ1が遅れています。応援を出して",
    "what_if": "高山さんを札幌のエントリ1に回したらどうなる？",
    "donor_check": "その場合、盛岡は大丈夫？",
    "status": "梅田の進捗は？",
    "finish_time": "梅田のエントリ1は何時に終わりそう？",
    "delay_risk": "納期に間に合わない工程はある？",
    "skill_search": "補正ができる人は？",
    "operator_lookup": "上野さんのスキルを教えて",
    "knowhow": "応援を出すときの基準は？",
    "help": "何ができるの？",
    "approval_request": "その案で承認して",
    "out_of_scope": "明日の天気は？",
}


def test_every_kind_has_a_rule_a_handler_and_a_template(analyzer: IntentAnalyzer) -> None:
    assert set(EXAMPLE_OF_KIND) == set(REQUEST_KINDS)
    assert set(HANDLERS) == set(REQUEST_KINDS)
    assert set(_BY_KIND) == set(REQUEST_KINDS)
    assert set(KINDS) == set(REQUEST_KINDS)
    for kind, text in EXAMPLE_OF_KIND.items():
        request = analyzer.analyze(text, last_plan=LAST_PLAN).request
        assert request is not None and request.kind == kind, (text, request)
