"""A fake Anthropic Messages API on 127.0.0.1 that replays scripted model turns, for tests.

It speaks the real protocol, as the real SDK reaches it through ANTHROPIC_BASE_URL:
- `POST /v1/messages` with the key in `x-api-key` or as `authorization: Bearer` (what this SDK
  version sends; 401 `authentication_error` otherwise) and `anthropic-version` (400 otherwise);
- the request is checked as the API checks it: roles alternate from a user turn, and every
  `tool_use` id of an assistant turn has a `tool_result` in the very next message (else 400
  `invalid_request_error` naming the ids), no `tool_result` names an unknown id, a forced tool exists;
- a scripted reply is a message (`content`, `stop_reason`), sent as JSON, or with `"stream": true`
  as server-sent events: message_start, ping, content_block_start, content_block_delta (text_delta;
  input_json_delta with the tool input's JSON split into `split`-character chunks), content_block_stop,
  message_delta (stop_reason, usage), message_stop; `break_after: N` sends N events then an `error`
  event (e.g. overloaded_error) and ends the stream;
- or an HTTP error: `status` (429, 529, 500 ...), `error` {type, message} and `headers` (retry-after).
A reply is taken from the script only by a request that passed the checks. In scripted text,
`{{fingerprint}}` becomes the first finding fingerprint the request carried and `{{json:KEY}}` the
value of KEY in the newest tool result that has one (as a model copies what it read).
Every request is kept (headers and raw body) for the tests to inspect.
"""

from __future__ import annotations

import json
import re
import threading
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

TRANSCRIPTS = Path(__file__).with_name("transcripts")
API_KEY = "test-key-" + "for-the-fake-server"
_FINGERPRINT = re.compile(r"sha256:[0-9a-f]{64}")
_TEMPLATE = re.compile(r"\{\{json:(\w+)\}\}")


def _find(value: Any, key: str) -> Any:
    if isinstance(value, dict):
        if key in value:
            return value[key]
        value = list(value.values())
    if isinstance(value, list):
        for item in value:
            found = _find(item, key)
            if found is not None:
                return found
    return None


def _lookup(messages: list[dict[str, Any]], key: str) -> str:
    """KEY's value in the newest tool result holding it, as text."""
    for message in reversed(messages):
        blocks = message["content"] if isinstance(message["content"], list) else []
        for block in blocks:
            if block.get("type") == "tool_result":
                found = _find(json.loads(block["content"]), key)
                if found is not None:
                    return found if isinstance(found, str) else json.dumps(found)
    return f"<no {key}>"


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes

    def json(self) -> dict[str, Any]:
        return json.loads(self.body)


def transcript(name: str) -> list[dict[str, Any]]:
    """The scripted model turns of a recorded transcript (tests/orchestrator/llm/transcripts/)."""
    return json.loads((TRANSCRIPTS / f"{name}.json").read_text())["turns"]


def protocol_error(body: dict[str, Any]) -> str | None:
    """What the real API would refuse in this request body with a 400, or None."""
    for key, kind in (("model", str), ("max_tokens", int), ("messages", list)):
        if not isinstance(body.get(key), kind):
            return f"{key}: Field required"
    messages = body["messages"]
    if not messages or messages[0].get("role") != "user":
        return "messages: first message must use the user role"
    tools = {t.get("name") for t in body.get("tools", [])}
    choice = body.get("tool_choice") or {}
    if choice.get("type") == "tool" and choice.get("name") not in tools:
        return f"tool_choice: tool {choice.get('name')!r} not found in tools"
    for i, message in enumerate(messages):
        expected = "user" if i % 2 == 0 else "assistant"
        if message.get("role") != expected:
            return f"messages: roles must alternate between user and assistant (messages.{i})"
        content = message["content"] if isinstance(message.get("content"), list) else []
        results = {b.get("tool_use_id") for b in content if b.get("type") == "tool_result"}
        asked = set()
        if i > 0 and messages[i - 1]["role"] == "assistant" and isinstance(messages[i - 1]["content"], list):
            asked = {b["id"] for b in messages[i - 1]["content"] if b.get("type") == "tool_use"}
        if results - asked:
            return (
                f"messages.{i}.content: unexpected `tool_use_id` found in `tool_result` blocks: "
                f"{', '.join(sorted(results - asked))}. Each `tool_result` block must have a corresponding "
                "`tool_use` block in the previous message."
            )
        if message["role"] == "assistant" and isinstance(message["content"], list):
            ids = [b["id"] for b in message["content"] if b.get("type") == "tool_use"]
            following = messages[i + 1]["content"] if i + 1 < len(messages) else []
            answered = {b.get("tool_use_id") for b in following if isinstance(b, dict)}
            missing = [x for x in ids if x not in answered]
            if missing:
                return (
                    f"messages.{i + 1}: `tool_use` ids were found without `tool_result` blocks immediately after: "
                    f"{', '.join(missing)}. Each `tool_use` block must have a corresponding `tool_result` block "
                    "in the next message."
                )
    return None


def _events(message: dict[str, Any], split: int) -> list[tuple[str, dict[str, Any]]]:
    start = {**message, "content": [], "stop_reason": None, "stop_sequence": None}
    start["usage"] = {"input_tokens": 100, "output_tokens": 1}
    events = [("message_start", {"type": "message_start", "message": start}), ("ping", {"type": "ping"})]
    for index, block in enumerate(message["content"]):
        if block["type"] == "text":
            first, chunks = (
                {"type": "text", "text": ""},
                [block["text"][i : i + split] for i in range(0, len(block["text"]), split)],
            )
            deltas = [{"type": "text_delta", "text": c} for c in chunks]
        else:
            first = {"type": "tool_use", "id": block["id"], "name": block["name"], "input": {}}
            raw = json.dumps(block["input"])
            deltas = [
                {"type": "input_json_delta", "partial_json": raw[i : i + split]} for i in range(0, len(raw), split)
            ]
        events.append(("content_block_start", {"type": "content_block_start", "index": index, "content_block": first}))
        events += [("content_block_delta", {"type": "content_block_delta", "index": index, "delta": d}) for d in deltas]
        events.append(("content_block_stop", {"type": "content_block_stop", "index": index}))
    delta = {"stop_reason": message["stop_reason"], "stop_sequence": None}
    events.append(("message_delta", {"type": "message_delta", "delta": delta, "usage": {"output_tokens": 20}}))
    events.append(("message_stop", {"type": "message_stop"}))
    return events


class FakeAnthropic:
    def __init__(self, turns: list[dict[str, Any]]) -> None:
        self.script = deque(turns)
        self.requests: list[Received] = []
        self.served = 0  # scripted replies taken
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def env(self) -> dict[str, str]:
        return {"ANTHROPIC_API_KEY": API_KEY, "ANTHROPIC_BASE_URL": self.url}

    def __enter__(self) -> FakeAnthropic:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def bodies(self) -> list[dict[str, Any]]:
        return [r.json() for r in self.requests]

    def _next(self, body: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            if not self.script:
                return {"status": 500, "error": {"type": "api_error", "message": "the script has no more turns"}}
            self.served += 1
            turn = self.script.popleft()
        if "message" not in turn:
            return turn
        found = _FINGERPRINT.search(json.dumps(body["messages"]))
        text = json.dumps(turn["message"]).replace("{{fingerprint}}", found.group(0) if found else "sha256:none")
        text = _TEMPLATE.sub(lambda m: json.dumps(_lookup(body["messages"], m.group(1)))[1:-1], text)
        message = {"id": f"msg_fake_{self.served:03d}", "type": "message", "role": "assistant", "model": body["model"]}
        return {**turn, "message": {**message, **json.loads(text)}}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                return

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("content-length", 0)))
                fake.requests.append(Received({k.lower(): v for k, v in self.headers.items()}, raw))
                if self.path.split("?")[0] != "/v1/messages":
                    return self._error(404, "not_found_error", f"{self.path}: not found")
                if API_KEY not in (self.headers.get("x-api-key"), self.headers.get("authorization", "")[7:]):
                    return self._error(401, "authentication_error", "invalid x-api-key")
                if not self.headers.get("anthropic-version"):
                    return self._error(400, "invalid_request_error", "anthropic-version: header is required")
                try:
                    body = json.loads(raw)
                except ValueError:
                    return self._error(400, "invalid_request_error", "the body is not JSON")
                problem = protocol_error(body)
                if problem:
                    return self._error(400, "invalid_request_error", problem)
                turn = fake._next(body)
                if "message" not in turn:
                    error = turn["error"]
                    return self._error(turn["status"], error["type"], error["message"], turn.get("headers", {}))
                if body.get("stream"):
                    return self._stream(turn)
                self._send(200, "application/json", json.dumps(turn["message"]).encode())
                return None

            def _stream(self, turn: dict[str, Any]) -> None:
                self.send_response(200)
                self.send_header("content-type", "text/event-stream")
                self.send_header("request-id", "req_fake")
                self.end_headers()
                events = _events(turn["message"], turn.get("split", 5))
                if "break_after" in turn:
                    events = [*events[: turn["break_after"]], ("error", {"type": "error", "error": turn["error"]})]
                for name, data in events:
                    self.wfile.write(f"event: {name}\ndata: {json.dumps(data)}\n\n".encode())
                    self.wfile.flush()

            def _error(self, status: int, kind: str, message: str, headers: dict[str, str] | None = None) -> None:
                body = {"type": "error", "error": {"type": kind, "message": message}}
                self._send(status, "application/json", json.dumps(body).encode(), headers or {})

            def _send(self, status: int, kind: str, data: bytes, headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                self.send_header("content-type", kind)
                self.send_header("content-length", str(len(data)))
                self.send_header("request-id", "req_fake")
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

        return Handler
