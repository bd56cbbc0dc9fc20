"""A local server that answers as Sparrow SMS v2 does, and a local SMTP server (aiosmtpd).

The portal's own HTTP and SMTP clients talk to them over real sockets: nothing of the
portal is mocked. `sparrow.script` holds the answers to give, one per request, before
the default (HTTP 200, response_code 200); `("hang", seconds)` answers only after a while
(a timeout for a shorter client timeout).
"""
from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest


@dataclass
class Sparrow:
    url: str = ""
    script: list = field(default_factory=list)
    received: list = field(default_factory=list)  # the form of each accepted SMS
    requests: list = field(default_factory=list)  # every request's form
    credits: int = 100
    lock: threading.Lock = field(default_factory=threading.Lock)

    def texts_to(self, number: str) -> list[str]:
        return [r["text"] for r in self.received if r["to"] == number]


def _handler(state: Sparrow):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def _answer(self, status: int, body: dict) -> None:
            raw = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def do_GET(self):
            parts = urlsplit(self.path)
            if parts.path.rstrip("/").endswith("/credit"):
                if state.credits > 0:
                    return self._answer(200, {"credits_available": state.credits, "response_code": 200})
                return self._answer(403, {"response_code": 1012, "response": "Credits insufficient"})
            self._answer(404, {})

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            with state.lock:
                state.requests.append(form)
                step = state.script.pop(0) if state.script else None
            if isinstance(step, tuple) and step[0] == "hang":
                time.sleep(step[1])
                step = step[2] if len(step) > 2 else None
            if step is None:
                with state.lock:
                    state.received.append(form)
                return self._answer(200, {"count": 1, "response_code": 200, "response": "1 mesages has been queued"})
            status, code = step
            if status == 200 and code == 200:
                with state.lock:
                    state.received.append(form)
            self._answer(status, {"response_code": code, "response": f"code {code}"})

    return Handler


@pytest.fixture
def sparrow():
    state = Sparrow()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}/api/v2"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    class Inbox(Message):
        def __init__(self):
            super().__init__()
            self.mails = []

        def handle_message(self, message):
            self.mails.append(message)

    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        inbox.port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    yield inbox
    controller.stop()


def sparrow_config(sparrow: Sparrow, **extra) -> dict:
    return {
        "SMS_PROVIDER": "sparrow", "SPARROW_SMS_URL": sparrow.url, "SPARROW_SMS_TOKEN": "test-token",
        "SPARROW_SMS_FROM": "KBStylish", "PUBLIC_BASE_URL": "https://book.example.test",
        "QUIET_HOURS": "", "MESSAGE_RETRY_BASE_SECONDS": 0.01, "MESSAGE_LEASE_SECONDS": 1,
        "MESSAGE_PAUSE_CHECK_SECONDS": 0.01, "MESSAGE_SEND_TIMEOUT_SECONDS": 0.5, **extra,
    }
