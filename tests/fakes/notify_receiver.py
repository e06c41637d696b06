"""A local webhook: an HTTP server in a thread that records the JSON bodies POSTed
to it (what apprise's ``json://`` channel sends) and answers ``status``. Tests
wait on ``received`` (an event), never on a timer."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Receiver:
    port: int = 0
    status: int = 200
    posts: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    """(path, body) of each POST, in the order received."""
    received: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str = "aimee") -> str:
        """The apprise URL of this receiver."""
        return f"json://127.0.0.1:{self.port}/{path}"

    def record(self, path: str, body: dict[str, Any]) -> None:
        with self._lock:
            self.posts.append((path, body))
        self.received.set()

    def bodies(self) -> list[dict[str, Any]]:
        with self._lock:
            return [body for _, body in self.posts]


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            return

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            raw = self.rfile.read(length)
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                body = {"raw": raw.decode(errors="replace")}
            receiver.record(self.path, body)
            self.send_response(receiver.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

    return Handler


@contextmanager
def running_receiver(status: int = 200) -> Iterator[Receiver]:
    receiver = Receiver(status=status)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(receiver))
    receiver.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, name="notify-receiver", daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (connections are refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port
