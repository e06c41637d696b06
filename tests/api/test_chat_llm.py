"""The chat with an Ollama answer model configured (a local server speaking
Ollama's API): grounded answers are used, others fall back to the template,
and the suggestion is the planner's either way."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from aimee.api.app import create_app
from aimee.config import Settings
from tests.api.conftest import auth
from tests.conftest import DEMO_NOW
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
