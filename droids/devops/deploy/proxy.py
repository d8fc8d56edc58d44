"""The reverse proxy in front of the trading core's service: `python -m droids.devops.deploy.proxy`.

A small HTTP/1.1 proxy on 127.0.0.1 (standard library: ThreadingHTTPServer in front, pooled
http.client connections behind). Requests go to the current routes: one version (blue or green),
or two with weights during a canary, chosen by smooth weighted round robin (exact shares, no
randomness). Switching is one assignment under a lock: a request already forwarded finishes on the
version it started on, the next one goes to the new routes, so a switch fails no request. The
deployer stops the old version only after the proxy reports no request in flight to it.

Control (same port, never forwarded): `GET /_proxy/state` (routes, per-version requests, errors and
requests in flight) and `PUT /_proxy/routes` with `{"routes": [{"name", "port", "weight"}]}`; both
need the `X-Droid-Proxy-Token` header, whose value the deployer keeps in a 0600 file. Errors counted
per version: a 5xx answer or no answer at all (the proxy then answers 502).
"""

from __future__ import annotations

import argparse
import http.client
import json
import secrets
import signal
import sys
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

CONTROL = "/_proxy/"
TOKEN_HEADER = "X-Droid-Proxy-Token"  # noqa: S105  # nosec SEC003 - a header name, not a secret
HOP_BY_HOP = frozenset({"connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te"})
UPSTREAM_TIMEOUT_S = 30.0


@dataclass
class Route:
    name: str
    port: int
    weight: int
    current: int = 0  # smooth weighted round robin state


@dataclass
class Stats:
    requests: int = 0
    errors: int = 0
    inflight: int = 0


@dataclass
class Table:
    routes: list[Route] = field(default_factory=list)
    stats: dict[str, Stats] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def pick(self) -> Route | None:
        """Smooth weighted round robin (nginx's): over any window the shares match the weights."""
        with self.lock:
            live = [r for r in self.routes if r.weight > 0]
            if not live:
                return None
            total = sum(r.weight for r in live)
            for r in live:
                r.current += r.weight
            best = max(live, key=lambda r: r.current)
            best.current -= total
            self.stats.setdefault(best.name, Stats()).inflight += 1
            return best

    def done(self, route: Route, failed: bool) -> None:
        with self.lock:
            s = self.stats[route.name]
            s.inflight -= 1
            s.requests += 1
            s.errors += int(failed)

    def replace(self, routes: list[Route]) -> None:
        with self.lock:
            self.routes = routes
            for r in routes:
                self.stats.setdefault(r.name, Stats())

    def state(self) -> dict[str, Any]:
        with self.lock:
            return {
                "routes": [{"name": r.name, "port": r.port, "weight": r.weight} for r in self.routes],
                "stats": {n: vars(s).copy() for n, s in self.stats.items()},
            }


class ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: ProxyServer
    _pool = threading.local()  # per thread: port -> keep-alive connection to that version

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    def _handle(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path.startswith(CONTROL):
            self._control(body)
            return
        route = self.server.table.pick()
        if route is None:
            self._reply(503, b'{"error":"no version is routed"}')
            return
        failed = True
        try:
            status, headers, data = self._forward(route.port, body)
            failed = status >= 500
            self._reply(status, data, headers)
        except (OSError, http.client.HTTPException):
            self._reply(502, b'{"error":"the version did not answer"}')
        finally:
            self.server.table.done(route, failed)

    def _forward(self, port: int, body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP and k.lower() != "host"}
        pool = self._pool.__dict__.setdefault("connections", {})
        for attempt in (0, 1):
            conn = pool.get(port)
            reused = conn is not None
            if conn is None:
                conn = pool[port] = http.client.HTTPConnection("127.0.0.1", port, timeout=UPSTREAM_TIMEOUT_S)
            try:
                conn.request(self.command, self.path, body=body or None, headers=headers)
                response = conn.getresponse()
                data = response.read()
                return response.status, [(k, v) for k, v in response.getheaders() if k.lower() not in HOP_BY_HOP], data
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                conn.close()
                pool.pop(port, None)
                if not reused or attempt:  # only a kept-alive connection the version closed is retried, once
                    raise
        raise ConnectionError("unreachable")

    def _control(self, body: bytes) -> None:
        if not secrets.compare_digest(self.headers.get(TOKEN_HEADER, ""), self.server.token):
            self._reply(403, b'{"error":"bad token"}')
            return
        if self.command == "GET" and self.path == CONTROL + "state":
            self._reply(200, json.dumps(self.server.table.state()).encode())
        elif self.command == "PUT" and self.path == CONTROL + "routes":
            try:
                wanted = [Route(str(r["name"]), int(r["port"]), int(r["weight"])) for r in json.loads(body)["routes"]]
            except (ValueError, KeyError, TypeError) as exc:
                self._reply(
                    400, json.dumps({"error": f"expected {{routes: [{{name, port, weight}}]}}: {exc}"}).encode()
                )
                return
            self.server.table.replace(wanted)
            self._reply(200, json.dumps(self.server.table.state()).encode())
        else:
            self._reply(404, b'{"error":"unknown control endpoint"}')

    def _reply(self, status: int, data: bytes, headers: list[tuple[str, str]] | None = None) -> None:
        self.send_response(status)
        sent = set()
        for key, value in headers or [("Content-Type", "application/json")]:
            if key.lower() != "content-length":
                self.send_header(key, value)
                sent.add(key.lower())
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        return


class ProxyServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, token: str) -> None:
        super().__init__(("127.0.0.1", port), ProxyHandler)
        self.token = token
        self.table = Table()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m droids.devops.deploy.proxy")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--port-file", type=Path, required=True)
    parser.add_argument("--token-file", type=Path, required=True)
    args = parser.parse_args(argv)
    try:
        token = args.token_file.read_text().strip()
        server = ProxyServer(args.port, token)
    except OSError as exc:
        print(f"error: proxy: {exc}", file=sys.stderr)
        return 2
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
    tmp = args.port_file.with_suffix(".tmp")
    tmp.write_text(str(server.server_address[1]))
    tmp.replace(args.port_file)
    stop.wait()
    server.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
