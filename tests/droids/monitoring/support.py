"""Real parts for the monitoring droid's tests, all on 127.0.0.1: a Slack-compatible webhook server,
an SMTP server (aiosmtpd), journals written as files, and the CLI in a subprocess."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.conftest import REPO_ROOT
from tests.secret_values import slack_webhook_path

HEADER = "ts,kind,symbol,qty,price,fee\n"


@dataclass
class Reply:
    status: int = 200
    body: str = "ok"
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0  # wait after reading the request, before answering


@dataclass
class Received:
    at: float
    path: str
    text: str


class FakeSlack:
    """A Slack incoming-webhook server: POST JSON {"text": ...}; answers from a script of `Reply`s
    (then 200 `ok`); only a complete request (the whole Content-Length body) counts as received."""

    def __init__(self, script: Iterable[Reply] = (), *, key: str = "text") -> None:
        self.script = list(script)
        self.received: list[Received] = []
        self.attempts: list[float] = []  # every complete request, answered or not
        self.lock = threading.Lock()
        self.path = slack_webhook_path(7)
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                return

            def do_POST(self) -> None:
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n)
                if len(body) < n:
                    return  # the client went away mid-request: Slack would not post it
                with outer.lock:
                    outer.attempts.append(time.time())
                    reply = outer.script.pop(0) if outer.script else Reply()
                if self.path != outer.path:
                    reply = Reply(404, "no_service")
                elif reply.status == 200:
                    try:
                        doc = json.loads(body)
                        # Slack takes `text`, `blocks` or `attachments` (apprise sends attachments)
                        other = next((k for k in ("blocks", "attachments") if k in doc), key)
                        text = doc[key] if key in doc or key != "text" else json.dumps(doc[other])
                    except (ValueError, KeyError, TypeError):
                        reply = Reply(400, "invalid_payload")
                    else:
                        with outer.lock:
                            outer.received.append(Received(time.time(), self.path, text))
                if reply.delay_s:
                    time.sleep(reply.delay_s)
                payload = reply.body.encode()
                self.send_response(reply.status)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                for k, v in reply.headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(payload)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{self.path}"

    def wait_for(self, n: int, timeout_s: float = 20.0) -> list[Received]:
        end = time.time() + timeout_s
        while time.time() < end and len(self.received) < n:
            time.sleep(0.02)
        return list(self.received)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class Mailbox:
    """aiosmtpd's Controller on 127.0.0.1: every message it accepted, as parsed email messages."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.messages: list[Any] = []
        outer = self

        class Handler:
            async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
                from email import message_from_bytes

                outer.messages.append(message_from_bytes(envelope.content))
                return "250 Message accepted for delivery"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=free_port())
        self.controller.start()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.controller.port}"

    def wait_for(self, n: int, timeout_s: float = 20.0) -> list[Any]:
        end = time.time() + timeout_s
        while time.time() < end and len(self.messages) < n:
            time.sleep(0.02)
        return list(self.messages)

    def close(self) -> None:
        self.controller.stop()


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def es_path(
    prices: Sequence[float],
    *,
    start: str = "2026-03-09T10:00:00-04:00",
    step_s: float = 60.0,
    qty: int = 1,
    entry: float = 5000.0,
) -> str:
    """A journal body: one ES fill at `entry` (no fee) and a mark at each price, `step_s` apart.
    Equity = 50,000 + (price - entry) x 50 x qty (seed rules: 10 % of the high-water mark allowed)."""
    import datetime as dt

    t0 = dt.datetime.fromisoformat(start)
    rows = [f"{t0.isoformat()},fill,ES,{qty},{entry:.2f},0\n"]
    for i, p in enumerate(prices, 1):
        rows.append(f"{(t0 + dt.timedelta(seconds=step_s * i)).isoformat()},mark,ES,,{p:.2f},\n")
    return "".join(rows)


def price_for_equity(equity: float, qty: int = 1, entry: float = 5000.0) -> float:
    """The ES mark that puts equity at `equity` (rounded to the 0.25 tick)."""
    p = entry + (equity - 50_000) / (50 * qty)
    return round(p * 4) / 4


def policies_copy(tmp: Path, monitoring_yaml: str | None = None) -> Path:
    out = tmp / "policies"
    shutil.copytree(REPO_ROOT / "policies", out)
    (out / "monitoring.yaml").unlink(missing_ok=True)
    if monitoring_yaml is not None:
        (out / "monitoring.yaml").write_text(monitoring_yaml)
    return out


def droid_cmd(*args: str) -> list[str]:
    return [sys.executable, "-P", "-m", "orchestrator.cli.main", *args]


def env_with(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DROID_")}
    env["NO_COLOR"] = "1"
    env.update(values)
    return env


def run(args: Sequence[str], cwd: Path, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(droid_cmd(*args), cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
