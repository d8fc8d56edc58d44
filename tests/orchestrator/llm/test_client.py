"""One model call through the real `anthropic` SDK against the fake Messages API on 127.0.0.1:
streamed and not, tool inputs split across chunks, retries on 429/529 and a mid-stream
overloaded_error honouring retry-after, and the errors that end the answer at once."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from droids.core.policy import LlmSettings
from orchestrator.llm.client import ModelClient, ModelFailure, retry_after
from orchestrator.llm.clock import Clock
from tests.orchestrator.llm.fake_anthropic import API_KEY, FakeAnthropic

TOOLS = [{"name": "list_droids", "description": "the droids", "input_schema": {"type": "object", "properties": {}}}]
ASKED = [{"role": "user", "content": "can we deploy?"}]
INPUT = {"droid": "devops", "paths": ["deploy/docker-compose.yml", "config/prod.yaml"], "note": 'quote " and é'}
TOOL_TURN = {
    "content": [
        {"type": "text", "text": "Let me run the devops droid on the deploy files first."},
        {"type": "tool_use", "id": "toolu_01", "name": "run_droid", "input": INPUT},
    ],
    "stop_reason": "tool_use",
}
TEXT_TURN = {"content": [{"type": "text", "text": "No: OPS013 blocks the deploy."}], "stop_reason": "end_turn"}
OVERLOADED = {"type": "overloaded_error", "message": "Overloaded"}


def _client(fake: FakeAnthropic, sleeps: list[float], **settings: Any) -> ModelClient:
    clock = Clock(settings.pop("limit", 60.0))
    return ModelClient(LlmSettings(**settings), clock, env=fake.env(), sleep=sleeps.append)


def _turn(client: ModelClient):
    return client.turn(system="You answer questions.", messages=ASKED, tools=TOOLS)


@pytest.mark.parametrize("stream", [True, False], ids=["streamed", "not-streamed"])
@pytest.mark.parametrize("split", [1, 3, 64])
def test_a_tool_use_arrives_whole_however_its_json_is_split(stream: bool, split: int) -> None:
    with FakeAnthropic([{"message": TOOL_TURN, "split": split}]) as fake:
        turn = _turn(_client(fake, [], stream=stream))
        body = fake.requests[0].json()
    assert turn.stop_reason == "tool_use"
    assert turn.text() == "Let me run the devops droid on the deploy files first."
    assert turn.tool_uses() == [{"type": "tool_use", "id": "toolu_01", "name": "run_droid", "input": INPUT}]
    assert body.get("stream", False) is stream
    assert body["model"] == "claude-sonnet-4-6" and body["max_tokens"] == 2048 and body["tools"] == TOOLS
    assert API_KEY in fake.requests[0].headers.get("authorization", "") + fake.requests[0].headers.get("x-api-key", "")


RETRIED = [
    (
        {"status": 429, "error": {"type": "rate_limit_error", "message": "slow down"}, "headers": {"retry-after": "2"}},
        2.0,
    ),
    (
        {"status": 429, "error": {"type": "rate_limit_error", "message": "x"}, "headers": {"retry-after-ms": "150"}},
        0.15,
    ),
    ({"status": 529, "error": OVERLOADED, "headers": {"retry-after": "1"}}, 1.0),
    ({"status": 529, "error": OVERLOADED}, 0.5),  # no retry-after: exponential backoff from 0.5 s
    ({"status": 503, "error": {"type": "api_error", "message": "unavailable"}}, 0.5),
    ({"message": TOOL_TURN, "break_after": 4, "error": OVERLOADED}, 0.5),  # overloaded mid-stream
    ({"message": TOOL_TURN, "break_after": 0, "error": {"type": "api_error", "message": "x"}}, 0.5),
]


@pytest.mark.parametrize(("first", "wait"), RETRIED, ids=["429", "429-ms", "529-after", "529", "503", "mid", "mid0"])
def test_a_transient_failure_is_retried_after_the_wait_the_server_asks(first: dict[str, Any], wait: float) -> None:
    sleeps: list[float] = []
    with FakeAnthropic([first, {"message": TEXT_TURN}]) as fake:
        client = _client(fake, sleeps)
        turn = _turn(client)
        assert len(fake.requests) == 2 and fake.requests[0].body == fake.requests[1].body
    assert turn.text() == "No: OPS013 blocks the deploy." and turn.stop_reason == "end_turn"
    assert sleeps == [wait] and client.retries == 1


def test_retries_back_off_and_stop_at_max_retries() -> None:
    sleeps: list[float] = []
    busy = {"status": 529, "error": OVERLOADED}
    with FakeAnthropic([busy] * 4) as fake, pytest.raises(ModelFailure) as failed:
        _turn(_client(fake, sleeps, max_retries=2))
    assert str(failed.value) == "the API answered 529 overloaded_error (Overloaded); gave up after 2 retries"
    assert sleeps == [0.5, 1.0] and len(fake.requests) == 3


def test_a_wait_past_the_time_limit_is_not_waited() -> None:
    sleeps: list[float] = []
    slow = {"status": 429, "error": {"type": "rate_limit_error", "message": "x"}, "headers": {"retry-after": "30"}}
    with FakeAnthropic([slow]) as fake, pytest.raises(ModelFailure, match="waiting 30 s would pass the time limit"):
        _turn(_client(fake, sleeps, limit=10.0))
    assert sleeps == []


FATAL = [
    ({"status": 400, "error": {"type": "invalid_request_error", "message": "max_tokens: too large"}}, "400"),
    ({"status": 401, "error": {"type": "authentication_error", "message": "invalid x-api-key"}}, "401"),
    ({"status": 404, "error": {"type": "not_found_error", "message": "model: claude-x"}}, "404"),
]


@pytest.mark.parametrize(("reply", "status"), FATAL, ids=[s for _, s in FATAL])
def test_a_refusal_fails_at_once_saying_what_the_api_said(reply: dict[str, Any], status: str) -> None:
    sleeps: list[float] = []
    with FakeAnthropic([reply]) as fake, pytest.raises(ModelFailure) as failed:
        _turn(_client(fake, sleeps))
    assert str(failed.value).startswith(f"the API answered {status} {reply['error']['type']} (")
    assert sleeps == [] and len(fake.requests) == 1


def test_an_unanswered_tool_use_is_the_apis_400() -> None:
    """The fake server refuses what the real API refuses; the client reports it in one line."""
    left_open = [*ASKED, {"role": "assistant", "content": TOOL_TURN["content"]}, {"role": "user", "content": "and?"}]
    with FakeAnthropic([{"message": TEXT_TURN}]) as fake, pytest.raises(ModelFailure) as failed:
        _client(fake, []).turn(system="s", messages=left_open, tools=TOOLS)
    assert "messages.2: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_01" in str(
        failed.value
    )
    assert fake.served == 0


def test_no_server_is_retried_then_said() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again when the block ends: nothing listens there
    sleeps: list[float] = []
    env = {"ANTHROPIC_API_KEY": API_KEY, "ANTHROPIC_BASE_URL": f"http://127.0.0.1:{port}"}
    client = ModelClient(LlmSettings(max_retries=1), Clock(60), env=env, sleep=sleeps.append)
    with pytest.raises(ModelFailure, match=r"the API could not be reached \(APIConnectionError\); gave up after 1"):
        _turn(client)
    assert sleeps == [0.5]


def test_the_time_limit_ends_a_call_that_would_start_late() -> None:
    now = [0.0]
    clock = Clock(5.0, now=lambda: now[0])
    with FakeAnthropic([{"message": TEXT_TURN}]) as fake, clock.running():
        client = ModelClient(LlmSettings(), clock, env=fake.env())
        now[0] = 6.0
        with pytest.raises(ModelFailure, match=r"time limit of 5 s \(gates.yaml llm.time_limit_s\) passed"):
            _turn(client)
        assert fake.requests == []


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"retry-after": "3"}, 3.0),
        ({"retry-after": "0.5"}, 0.5),
        ({"retry-after-ms": "250", "retry-after": "9"}, 0.25),
        ({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}, None),  # a date: back off instead
        ({"retry-after": "-1"}, None),
        ({}, None),
    ],
)
def test_retry_after_headers(headers: dict[str, str], seconds: float | None) -> None:
    assert retry_after(headers) == seconds
