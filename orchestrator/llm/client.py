"""One model call ("turn") through the official `anthropic` SDK, streamed or not, with retries.

The SDK speaks the protocol: it sends the request, parses the server-sent events (message_start,
content_block_start/delta/stop with text_delta and input_json_delta, message_delta, message_stop,
ping, error) and accumulates them into the final message, tool inputs included. What it does not do
is keep to droid's time limit or retry an `error` event that arrives in the middle of a stream
(`overloaded_error`): so the SDK's own retries are off (`max_retries=0`) and this module retries,
once for all cases: HTTP 408/409/429/5xx (529 is "overloaded"), an `error` event mid-stream, and a
dropped connection. It honours `retry-after-ms` / `retry-after`, backs off exponentially otherwise,
and gives up, saying why in one line, when a wait would pass the question's time limit or the
retries (gates.yaml `llm.max_retries`) are spent. Anything else (400, 401, ...) fails at once.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from droids.core.policy import LlmSettings
from orchestrator.llm.clock import Clock

RETRY_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504, 529})
# `error` events inside a 200 stream carry these types when they are worth another try
RETRY_EVENT_TYPES = frozenset({"overloaded_error", "api_error", "rate_limit_error", "timeout_error"})
MAX_BACKOFF_S = 8.0


class ModelFailure(Exception):
    """The model could not answer; the message is the one line the user sees."""


@dataclass(frozen=True)
class Turn:
    """What the model said: content blocks as plain dicts (text, tool_use), and why it stopped."""

    content: list[dict[str, Any]]
    stop_reason: str | None

    def text(self) -> str:
        return "".join(b["text"] for b in self.content if b["type"] == "text")

    def tool_uses(self) -> list[dict[str, Any]]:
        return [b for b in self.content if b["type"] == "tool_use"]


def _blocks(content: Sequence[Any]) -> list[dict[str, Any]]:
    """The SDK's content blocks as the dicts a next request sends back (other block types dropped)."""
    out: list[dict[str, Any]] = []
    for block in content:
        if block.type == "text":
            out.append({"type": "text", "text": block.text})
        elif block.type == "tool_use":
            out.append({"type": "tool_use", "id": block.id, "name": block.name, "input": block.input})
    return out


def retry_after(headers: Mapping[str, str] | None) -> float | None:
    """Seconds the server asks us to wait: `retry-after-ms`, else `retry-after` (seconds), else None."""
    if not headers:
        return None
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        try:
            value = float(headers.get(name, ""))
        except ValueError:
            continue
        if value >= 0:
            return value * scale
    return None


class ModelClient:
    """The SDK client for one question, bound to its settings and its clock."""

    def __init__(
        self,
        settings: LlmSettings,
        clock: Clock,
        *,
        env: Mapping[str, str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        import anthropic  # the optional extra: imported only when a key is set

        env = os.environ if env is None else env
        self._sdk = anthropic
        self._client = anthropic.Anthropic(
            api_key=env.get("ANTHROPIC_API_KEY", "").strip(),
            base_url=env.get("ANTHROPIC_BASE_URL") or None,
            max_retries=0,
        )
        self.settings = settings
        self.clock = clock
        self._sleep = sleep
        self.retries = 0  # how many retries this question took, for the report

    def turn(
        self,
        *,
        system: str,
        messages: list[dict[str, Any]],
        tools: list[dict[str, Any]],
        tool_choice: dict[str, Any] | None = None,
    ) -> Turn:
        params: dict[str, Any] = {
            "model": self.settings.model,
            "max_tokens": self.settings.max_tokens,
            "system": system,
            "messages": messages,
            "tools": tools,
        }
        if tool_choice is not None:
            params["tool_choice"] = tool_choice
        attempt = 0
        while True:
            remaining = self.clock.remaining()
            if remaining <= 0:
                raise ModelFailure(f"the time limit of {self.clock.limit_s:g} s (gates.yaml llm.time_limit_s) passed")
            try:
                return self._once(params, remaining)
            except self._sdk.APIStatusError as exc:
                why, wait, again = self._status(exc)
            except self._sdk.APIConnectionError as exc:  # also APITimeoutError
                why, wait, again = f"the API could not be reached ({exc.__class__.__name__})", None, True
            if not again:
                raise ModelFailure(why) from None
            attempt += 1
            if attempt > self.settings.max_retries:
                raise ModelFailure(f"{why}; gave up after {self.settings.max_retries} retries") from None
            wait = wait if wait is not None else min(MAX_BACKOFF_S, 0.5 * 2 ** (attempt - 1))
            if wait >= self.clock.remaining():
                raise ModelFailure(f"{why}; waiting {wait:g} s would pass the time limit") from None
            self.retries += 1
            self._sleep(wait)

    def _once(self, params: dict[str, Any], timeout: float) -> Turn:
        if not self.settings.stream:
            message = self._client.messages.create(**params, timeout=timeout)
            return Turn(_blocks(message.content), message.stop_reason)
        with self._client.messages.stream(**params, timeout=timeout) as stream:
            for _event in stream:  # the SDK accumulates; between events, keep to the time limit
                if self.clock.expired():
                    raise ModelFailure(f"the time limit of {self.clock.limit_s:g} s passed while the answer streamed")
            message = stream.get_final_message()
        return Turn(_blocks(message.content), message.stop_reason)

    def _status(self, exc: Any) -> tuple[str, float | None, bool]:
        """(one line, the wait the server asked for, retry?) for an HTTP error or an `error` event."""
        error = exc.body.get("error", {}) if isinstance(exc.body, dict) else {}
        error = error if isinstance(error, dict) else {}
        status, kind = exc.status_code, str(error.get("type") or "error")
        said = " ".join(str(error.get("message") or "").split())[:200]
        if status == 200:  # an `error` event inside the stream
            return f"the stream broke off: {kind}" + (f" ({said})" if said else ""), None, kind in RETRY_EVENT_TYPES
        why = f"the API answered {status} {kind}" + (f" ({said})" if said else "")
        return why, retry_after(exc.response.headers), status in RETRY_STATUS
