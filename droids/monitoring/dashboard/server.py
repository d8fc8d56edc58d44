"""`droid monitor serve`: the dashboard, server-sent events and Prometheus /metrics, on loopback only.

Routes: `/` the page (dashboard/page.py), `/events` a text/event-stream that sends the state each
time the monitor updates it (and a comment every 15 s so proxies keep it open), `/state.json`, and
`/metrics` (prometheus-client's text format). The server binds policies/monitoring.yaml
`dashboard.host`, which must be a loopback address. The monitor publishes its state with
`publish(state)`; handlers never touch the monitor itself.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from droids.core.errors import DroidError


class Board:
    """The latest state, and a condition handlers wait on for the next one."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.state: dict[str, Any] = {}
        self.version = 0
        self.closed = False

    def publish(self, state: dict[str, Any]) -> None:
        with self.cond:
            self.state, self.version = state, self.version + 1
            self.cond.notify_all()

    def snapshot(self) -> dict[str, Any]:
        with self.cond:
            return self.state

    def close(self) -> None:
        with self.cond:
            self.closed = True
            self.cond.notify_all()


class _Handler(BaseHTTPRequestHandler):
    board: Board
    server_version = "droid-monitor"

    def log_message(self, format: str, *args: Any) -> None:
        return  # requests are not logged: nothing in them is worth a line per poll

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == "/":
            from droids.monitoring.dashboard.page import render_page

            self._send(200, "text/html; charset=utf-8", render_page(self.board.snapshot(), live=True).encode())
        elif path == "/state.json":
            self._send(200, "application/json", json.dumps(self.board.snapshot()).encode())
        elif path == "/metrics":
            from droids.monitoring.dashboard.metrics import render

            body, ctype = render(self.board.snapshot)
            self._send(200, ctype, body)
        elif path == "/events":
            self._events()
        else:
            self._send(404, "text/plain", b"not found\n")

    def _send(self, status: int, ctype: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _events(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        board, seen = self.board, -1
        try:
            while True:
                with board.cond:
                    if board.version == seen and not board.closed:
                        board.cond.wait(15)
                    if board.closed:
                        return
                    version, state = board.version, board.state
                if version == seen:
                    self.wfile.write(b": keep-alive\n\n")
                else:
                    seen = version
                    self.wfile.write(b"data: " + json.dumps(state, separators=(",", ":")).encode() + b"\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return


class DashboardServer:
    def __init__(self, board: Board, host: str, port: int) -> None:
        handler = type("Handler", (_Handler,), {"board": board})
        try:
            self.httpd = ThreadingHTTPServer((host, port), handler)
        except OSError as exc:
            raise DroidError(f"dashboard: cannot listen on {host}:{port} ({exc.strerror})") from None
        self.httpd.daemon_threads = True
        self.board = board
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="monitor-dashboard", daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/"

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.board.close()
        self.httpd.shutdown()
        self.httpd.server_close()
