"""The service's HTTP server (standard library, HTTP/1.1 keep-alive, one thread per connection)."""

from __future__ import annotations

import json
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import trading_core
from trading_core.service.config import ServiceConfig
from trading_core.service.engine_host import EngineHost


class TradingService:
    """What the handlers serve: identity, configuration, the engine, and counters."""

    def __init__(self, config: ServiceConfig, document: dict[str, Any], source: str, version: str, commit: str) -> None:
        self.config, self.document, self.source = config, document, source
        self.version, self.commit = version, commit
        self.started = time.monotonic()
        self.host: EngineHost | None = None  # built after the port is bound: /healthz says 503 until then
        self.lock = threading.Lock()
        self.requests = self.errors = 0

    def count(self, failed: bool) -> None:
        with self.lock:
            self.requests += 1
            self.errors += int(failed)

    def health(self) -> tuple[int, dict[str, Any]]:
        body = {
            "status": "ok" if self.host is not None else "starting",
            "version": self.version,
            "commit": self.commit,
            "env": self.config.environment,
            "code": str(Path(trading_core.__file__).resolve().parent),
            "uptime_s": round(time.monotonic() - self.started, 3),
        }
        return (200 if self.host is not None else 503), body

    def metrics(self) -> dict[str, Any]:
        latency = self.host.latency() if self.host is not None else {}
        with self.lock:
            return {
                "version": self.version,
                "requests": self.requests,
                "errors": self.errors,
                "ticks": self.host.ticks if self.host is not None else 0,
                "on_tick": latency.get("on_tick", {}),
                "model": latency.get("model", {}),
            }


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: ServiceServer

    def do_GET(self) -> None:
        self._route()

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self._route()

    def _route(self) -> None:
        service = self.server.service
        path = self.path.split("?", 1)[0]
        try:
            if path == "/healthz":
                status, body = service.health()
            elif path == "/config":
                status, body = (
                    200,
                    {
                        "env": service.config.environment,
                        "source": service.source,
                        "version": service.version,
                        "commit": service.commit,
                        "config": service.document,
                    },
                )
            elif path == "/metrics":
                status, body = 200, service.metrics()
            elif path == "/tick":
                if service.host is None:
                    status, body = 503, {"error": "starting"}
                else:
                    status, body = 200, service.host.step()
            else:
                status, body = 404, {"error": f"no such endpoint: {path}"}
        except Exception as exc:  # one failed request must not take the service down; it is counted
            status, body = 500, {"error": exc.__class__.__name__}
        if path == "/tick":
            service.count(status >= 500)
        self._send(status, body)

    def _send(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body, separators=(",", ":")).encode()
        self.send_response(status, HTTPStatus(status).phrase)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        return  # one line per request would be the log; counters are in /metrics


class ServiceServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, service: TradingService) -> None:
        super().__init__(("127.0.0.1", port), Handler)
        self.service = service
