"""The Ollama path against a local server that speaks Ollama's API."""

from __future__ import annotations

import time
from dataclasses import replace

from aimee.llm import template
from aimee.llm.ollama_client import OllamaAnswerer, OllamaIntentClassifier
from aimee.llm.responder import Responder
from tests.fakes.ollama_server import Script, fake_ollama
from tests.llm.factories import seed_context

GROUNDED = (
    "高山麻由子さんを盛岡から札幌のエントリ1へ回せば間に合います。"
    "札幌のエントリ1は残り20分で120件です。"
    "移すと遅延見込みは0件になります。"
)


def test_a_grounded_llm_answer_is_used() -> None:
    script = Script(reply=GROUNDED)
    with fake_ollama(script) as url:
        answer = Responder(OllamaAnswerer(url, "gemma3:4b", timeout_s=5)).answer(seed_context())
    assert (answer.text, answer.source) == (GROUNDED, "llm")
    request = script.requests[0]
    assert request["model"] == "gemma3:4b"
    assert request["options"]["temperature"] == 0
    system, user = request["messages"]
    assert "データです" in system["content"]
    assert "<user_message>\n札幌のエントリ1工程が遅延しています\n</user_message>" in user["content"]
    assert "高山麻由子" in user["content"]


def test_the_model_sees_the_conversation_and_the_computed_answer() -> None:
    """The same structured facts the template answers from (its verdict first), and the
    manager's earlier messages, both fenced as data."""
    ctx = replace(seed_context(), history=["札幌の進捗は？", "盛岡からは出さないで"])
    script = Script(reply=GROUNDED)
    with fake_ollama(script) as url:
        Responder(OllamaAnswerer(url, "gemma3:4b", timeout_s=5)).answer(ctx)
    user = script.requests[0]["messages"][1]["content"]
    assert "<history>\n札幌の進捗は？\n盛岡からは出さないで\n</history>" in user
    computed = user.split("<computed_answer>\n")[1].split("\n</computed_answer>")[0]
    assert computed == template.compose(ctx)
    assert user.index("<history>") < user.index("<user_message>")


def test_an_invented_number_falls_back_to_the_template() -> None:
    with fake_ollama(Script(reply="3名移動すれば30分早く終わります。")) as url:
        answer = Responder(OllamaAnswerer(url, "gemma3:4b", timeout_s=5)).answer(seed_context())
    assert answer.source == "template"
    assert answer.text == template.compose(seed_context())
    # "3名" is in the know-how, which is never a fact
    assert answer.fallback_reason == "ungrounded 3名: 3名移動すれば30分早く終わります。"


def test_a_server_error_falls_back() -> None:
    with fake_ollama(Script(status=500)) as url:
        answer = Responder(OllamaAnswerer(url, "gemma3:4b", timeout_s=5)).answer(seed_context())
    assert answer.source == "template"
    assert answer.fallback_reason is not None
    assert "model exploded" in answer.fallback_reason


def test_a_slow_server_falls_back_within_the_timeout() -> None:
    with fake_ollama(Script(reply=GROUNDED, delay_s=2.0)) as url:
        started = time.perf_counter()
        answer = Responder(OllamaAnswerer(url, "gemma3:4b", timeout_s=0.3)).answer(seed_context())
        elapsed = time.perf_counter() - started
    assert answer.source == "template"
    assert elapsed < 1.5


def test_no_server_falls_back() -> None:
    answer = Responder(OllamaAnswerer("http://127.0.0.1:1", "gemma3:4b", timeout_s=1)).answer(
        seed_context()
    )
    assert answer.source == "template"


def test_streaming_a_grounded_answer() -> None:
    with fake_ollama(Script(reply=GROUNDED)) as url:
        events = list(
            Responder(OllamaAnswerer(url, "gemma3:4b", timeout_s=5)).stream(seed_context())
        )
    deltas = "".join(e.text for e in events if e.kind == "delta")
    assert deltas == GROUNDED
    assert len([e for e in events if e.kind == "delta"]) > 1
    assert (events[-1].kind, events[-1].source, events[-1].text) == ("end", "llm", GROUNDED)


def test_streaming_an_ungrounded_answer_is_replaced() -> None:
    with fake_ollama(Script(reply="5名で99件を処理します。")) as url:
        events = list(
            Responder(OllamaAnswerer(url, "gemma3:4b", timeout_s=5)).stream(seed_context())
        )
    kinds = [e.kind for e in events]
    assert kinds[-2:] == ["replace", "end"]
    assert events[-1].text == template.compose(seed_context())


def test_a_stream_past_its_time_budget_is_replaced() -> None:
    script = Script(reply=GROUNDED, chunk_delay_s=0.2)
    with fake_ollama(script) as url:
        events = list(
            Responder(OllamaAnswerer(url, "gemma3:4b", timeout_s=0.5)).stream(seed_context())
        )
    assert events[-1].source == "template"
    assert "replace" in [e.kind for e in events]


def test_template_stream_without_llm() -> None:
    events = list(Responder().stream(seed_context()))
    assert "".join(e.text for e in events if e.kind == "delta") == template.compose(seed_context())
    assert events[-1].source == "template"


def test_intent_classifier_validates_the_json() -> None:
    reply = (
        '{"intent_type": "deadline_optimization", "entities": {"location": "札幌", "process": ""}}'
    )
    script = Script(reply=reply)
    with fake_ollama(script) as url:
        result = OllamaIntentClassifier(url, "qwen2:0.5b", timeout_s=2).classify("札幌が遅れてる")
    assert result == {"intent_type": "deadline_optimization", "entities": {"location": "札幌"}}
    assert (
        script.requests[0]["format"]["properties"]["intent_type"]["enum"][0]
        == "deadline_optimization"
    )
    with fake_ollama(Script(reply='{"intent_type": "make_coffee"}')) as url:
        assert OllamaIntentClassifier(url, "qwen2:0.5b", timeout_s=2).classify("x") is None
    with fake_ollama(Script(reply="not json")) as url:
        assert OllamaIntentClassifier(url, "qwen2:0.5b", timeout_s=2).classify("x") is None
