"""The reverse proxy on real sockets: weighted shares, a switch under concurrent requests, control
endpoints guarded by the token."""

from __future__ import annotations

import http.client
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from droids.devops.deploy.processes import request
from droids.devops.deploy.proxy import TOKEN_HEADER, ProxyServer


class Named(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        body = self.server.name.encode()  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return


def serve(server: ThreadingHTTPServer) -> ThreadingHTTPServer:
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server


@pytest.fixture
def stack() -> Iterator[tuple[ProxyServer, dict[str, int]]]:
    upstreams = {}
    servers = []
    for name in ("blue", "green"):
        s = ThreadingHTTPServer(("127.0.0.1", 0), Named)
        s.name = name  # type: ignore[attr-defined]
        servers.append(serve(s))
        upstreams[name] = s.server_address[1]
    proxy = serve(ProxyServer(0, "t0ken"))
    yield proxy, upstreams
    for s in (*servers, proxy):
        s.shutdown()
        s.server_close()


def routes(proxy: ProxyServer, weights: dict[str, int], ports: dict[str, int], token: str = "t0ken") -> int:  # noqa: S107 - a test token
    body = {"routes": [{"name": n, "port": ports[n], "weight": w} for n, w in weights.items()]}
    return request(proxy.server_address[1], "PUT", "/_proxy/routes", body=body, headers={TOKEN_HEADER: token})[0]


def get(port: int, conn: http.client.HTTPConnection | None = None) -> str:
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.request("GET", "/tick")
    return conn.getresponse().read().decode()


def test_weights_give_exact_shares(stack: tuple[ProxyServer, dict[str, int]]) -> None:
    proxy, ports = stack
    assert routes(proxy, {"blue": 70, "green": 30}, ports) == 200
    conn = http.client.HTTPConnection("127.0.0.1", proxy.server_address[1], timeout=5)
    assert Counter(get(0, conn) for _ in range(100)) == {"blue": 70, "green": 30}


def test_switch_during_concurrent_requests_fails_none(stack: tuple[ProxyServer, dict[str, int]]) -> None:
    proxy, ports = stack
    routes(proxy, {"blue": 100}, ports)
    seen: Counter[str] = Counter()
    lock = threading.Lock()

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", proxy.server_address[1], timeout=5)
        for _ in range(200):
            answer = get(0, conn)
            with lock:
                seen[answer] += 1

    workers = [threading.Thread(target=client) for _ in range(4)]
    for w in workers:
        w.start()
    routes(proxy, {"green": 100, "blue": 0}, ports)
    for w in workers:
        w.join()
    assert sum(seen.values()) == 800 and set(seen) <= {"blue", "green"}
    state = request(proxy.server_address[1], "GET", "/_proxy/state", headers={TOKEN_HEADER: "t0ken"})[1]
    assert state["stats"]["blue"]["errors"] == state["stats"]["green"]["errors"] == 0
    assert get(proxy.server_address[1]) == "green"


def test_control_needs_the_token_and_is_never_forwarded(stack: tuple[ProxyServer, dict[str, int]]) -> None:
    proxy, ports = stack
    assert routes(proxy, {"blue": 100}, ports, token="wrong") == 403
    assert request(proxy.server_address[1], "GET", "/_proxy/state")[0] == 403


def test_no_route_is_503_and_a_dead_version_is_502(stack: tuple[ProxyServer, dict[str, int]]) -> None:
    proxy, _ = stack
    assert request(proxy.server_address[1], "GET", "/tick")[0] == 503
    routes(proxy, {"gone": 100}, {"gone": 1})  # nothing listens on port 1
    assert request(proxy.server_address[1], "GET", "/tick")[0] == 502
