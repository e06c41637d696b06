"""The chat with an Ollama answer model configured (a local server speaking
Ollama's API): grounded answers are used, others fall back to the template,
and the suggestion is the planner's either way."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from aimee.api.app import create_app
from aimee.config import Settings
from tests.api.conftest import auth
from tests.conftest import DEMO_NOW
from tests.fakes.adversarial_llm import StandIn
from tests.fakes.ollama_server import Script, fake_ollama

MESSAGE = {"message": "札幌のエントリ1工程が遅延しています"}


def chat(url: str, tmp_path: Path, database_url: str, token: str) -> dict:  # type: ignore[type-arg]
    settings = Settings(
        data_dir=tmp_path,
        database_url=database_url,
        now=DEMO_NOW,
        ollama_url=url,
        ollama_timeout_s=5,
    )
    with TestClient(create_app(settings), headers=auth(token)) as client:
        body: dict = client.post("/api/v1/chat/message", json=MESSAGE).json()  # type: ignore[type-arg]
        return body


def test_a_grounded_llm_answer(
    tmp_path: Path, demo_sqlite_url: str, tokens: dict[str, str]
) -> None:
    reply = "札幌のエントリ1は残り20分で120件が残っています。応援を移動すると間に合う見込みです。"
    script = Script(reply=reply)
    with fake_ollama(script) as url:
        body = chat(url, tmp_path, demo_sqlite_url, tokens["viewer"])
    assert (body["response"], body["answer_source"]) == (reply, "llm")
    assert body["suggestion"]["changes"][0]["count"] >= 1
    prompt = script.requests[-1]["messages"][1]["content"]
    assert body["suggestion"]["changes"][0]["operators"][0] in prompt


def test_an_invented_number_falls_back(
    tmp_path: Path, demo_sqlite_url: str, tokens: dict[str, str]
) -> None:
    with fake_ollama(Script(reply="3名を移動すれば30分早く終わります。")) as url:
        body = chat(url, tmp_path, demo_sqlite_url, tokens["viewer"])
    assert body["answer_source"] == "template"
    assert "残タスク120件" in body["response"]


def _stream(url: str, tmp_path: Path, database_url: str, token: str) -> tuple[str, str]:
    """(what the screen showed of the model's text before any replacement, the source)."""
    settings = Settings(data_dir=tmp_path, database_url=database_url, now=DEMO_NOW, ollama_url=url)
    with TestClient(create_app(settings), headers=auth(token)) as client:
        body = client.post("/api/v1/chat/stream", json=MESSAGE).text
    shown, source, replaced = "", "", False
    for block in body.split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        data = json.loads(fields.get("data", "{}"))
        replaced = replaced or fields.get("event") == "replace"
        if fields.get("event") == "delta" and not replaced:
            shown += data["text"]
        if fields.get("event") == "done":
            source = data["answer_source"]
    return shown, source


@pytest.mark.parametrize("mode", ["kanji", "other_forms", "derived"])
def test_a_true_answer_in_any_form_is_streamed(
    mode: str, tmp_path: Path, demo_sqlite_url: str, tokens: dict[str, str]
) -> None:
    stand_in = StandIn(mode=mode)
    with fake_ollama(Script(reply_fn=stand_in)) as url:
        shown, source = _stream(url, tmp_path, demo_sqlite_url, tokens["viewer"])
    assert stand_in.applied == [True]
    assert source == "llm" and shown.strip()


@pytest.mark.parametrize("mode", ["changed", "direction_flip", "invented_operator", "content_free"])
def test_a_false_answer_is_never_on_screen(
    mode: str, tmp_path: Path, demo_sqlite_url: str, tokens: dict[str, str]
) -> None:
    """Sentences are shown only once checked and once the conclusion is stated: the
    planted claim never appears, and the template replaces the rest."""
    stand_in = StandIn(mode=mode)
    with fake_ollama(Script(reply_fn=stand_in)) as url:
        shown, source = _stream(url, tmp_path, demo_sqlite_url, tokens["viewer"])
    assert stand_in.applied == [True] and stand_in.planted
    assert source == "template"
    assert stand_in.planted not in shown
