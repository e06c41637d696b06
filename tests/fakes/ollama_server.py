"""A local HTTP server that speaks Ollama's API (/api/chat JSON and NDJSON
streaming, /api/version, /api/tags), scripted per test: reply text (or a function
of the request, as a model would write it), HTTP errors, slowness. It records the
requests it received."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Script:
    reply: str = "了解しました。"
    status: int = 200
    delay_s: float = 0.0
    chunk_delay_s: float = 0.0
    requests: list[dict[str, Any]] = field(default_factory=list)
    reply_fn: Callable[[dict[str, Any]], str] | None = None
    """Writes the reply from the request (e.g. ``tests.fakes.adversarial_llm``)."""

    def reply_to(self, request: dict[str, Any]) -> str:
        return self.reply_fn(request) if self.reply_fn is not None else self.reply


def _handler(script: Script) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            return

        def _json(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            if self.path == "/api/version":
                self._json(200, {"version": "0.12.0"})
            elif self.path == "/api/tags":
                self._json(200, {"models": [{"name": "gemma3:4b"}, {"name": "qwen2:0.5b"}]})
            else:
                self._json(404, {"error": "not found"})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            request = json.loads(self.rfile.read(length) or b"{}")
            script.requests.append(request)
            time.sleep(script.delay_s)
            if script.status != 200:
                self._json(script.status, {"error": "model exploded"})
                return
            model = request.get("model", "")
            reply = script.reply_to(request)
            if not request.get("stream", True):
                self._json(200, _message(model, reply, done=True))
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/x-ndjson")
            self.end_headers()
            pieces = [reply[i : i + 8] for i in range(0, len(reply), 8)]
            try:
                for piece in pieces:
                    line = json.dumps(_message(model, piece, done=False)) + "\n"
                    self.wfile.write(line.encode())
                    self.wfile.flush()
                    time.sleep(script.chunk_delay_s)
                self.wfile.write((json.dumps(_message(model, "", done=True)) + "\n").encode())
            except (BrokenPipeError, ConnectionResetError):
                return  # the client gave up (a time budget ran out): expected

    return Handler


def _message(model: str, content: str, *, done: bool) -> dict[str, Any]:
    return {
        "model": model,
        "created_at": "2025-10-23T06:40:00Z",
        "message": {"role": "assistant", "content": content},
        "done": done,
        **({"done_reason": "stop"} if done else {}),
    }


@contextmanager
def fake_ollama(script: Script) -> Iterator[str]:
    """Run the server on a free loopback port; yield its URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(script))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
