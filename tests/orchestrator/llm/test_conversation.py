"""The answer's tool loop against the fake Messages API: every tool_use id answered (the fake refuses
a conversation that leaves one open, as the API does), the cap on tool calls, results screened for
secrets before they are sent, and the endings that fail the answer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from droids.core.policy import LlmSettings, load_gates
from droids.core.registry import Registry, load_registry
from orchestrator.llm.cite import unknown_citations
from orchestrator.llm.client import ModelClient, ModelFailure
from orchestrator.llm.clock import Clock
from orchestrator.llm.conversation import Conversation
from orchestrator.llm.redact import Redactor
from orchestrator.llm.tool_runs import ToolContext
from orchestrator.llm.tools import declarations
from tests import secret_values as sv
from tests.conftest import REPO_ROOT
from tests.orchestrator.llm.fake_anthropic import FakeAnthropic


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry()


def use(tool_id: str, name: str, **args: Any) -> dict[str, Any]:
    return {"type": "tool_use", "id": tool_id, "name": name, "input": args}


def tools_turn(*uses: dict[str, Any]) -> dict[str, Any]:
    return {"message": {"content": list(uses), "stop_reason": "tool_use"}}


def text_turn(text: str, stop: str = "end_turn") -> dict[str, Any]:
    return {"message": {"content": [{"type": "text", "text": text}], "stop_reason": stop}}


def converse(repo: Path, registry: Registry, turns: list[dict[str, Any]], cap: int = 12) -> tuple[Any, FakeAnthropic]:
    with FakeAnthropic(turns) as fake:
        clock = Clock(60)
        tools = ToolContext(
            repo, REPO_ROOT / "policies", repo / ".droid", registry, load_gates(REPO_ROOT / "policies"), "q", clock
        )
        conversation = Conversation(
            client=ModelClient(LlmSettings(max_tool_calls=cap), clock, env=fake.env()),
            redactor=Redactor(registry.service("secret-screen"), {}),
            tools=tools,
            declared=declarations(tools),
            max_tool_calls=cap,
        )
        try:
            return conversation, fake, conversation.answer("system", "Question: q")
        except ModelFailure as exc:
            return conversation, fake, exc


def results(body: dict[str, Any]) -> list[tuple[str, dict[str, Any], bool]]:
    """(tool_use_id, result, is_error) of the last message of a request."""
    return [
        (b["tool_use_id"], json.loads(b["content"]), b.get("is_error", False)) for b in body["messages"][-1]["content"]
    ]


def test_every_tool_use_of_a_turn_gets_its_result(git_repo: Path, registry: Registry) -> None:
    turns = [
        tools_turn(use("toolu_1", "latency_budgets"), use("toolu_2", "list_rules", droid="devops")),
        tools_turn(use("toolu_3", "audit_trail")),
        text_turn("The budgets are in policies/budgets.yaml; OPS001 exists."),
    ]
    conversation, fake, answer = converse(git_repo, registry, turns)
    assert answer == "The budgets are in policies/budgets.yaml; OPS001 exists."
    bodies = fake.bodies()
    assert [b["tool_use_id"] for b in bodies[1]["messages"][-1]["content"]] == ["toolu_1", "toolu_2"]
    [(_, trail, error)] = results(bodies[2])
    assert not error and trail["entries"] == []
    assert len(bodies[2]["messages"]) == 5 and conversation.calls == ["latency_budgets", "list_rules", "audit_trail"]
    assert "OPS001" in conversation.evidence.rules  # what the tools returned may be cited
    assert unknown_citations(answer, conversation.evidence, set(), git_repo) == []


def test_the_cap_answers_extra_tool_uses_with_an_error(git_repo: Path, registry: Registry) -> None:
    turns = [
        tools_turn(use("toolu_1", "latency_budgets"), use("toolu_2", "list_droids")),
        text_turn("Budgets only."),
    ]
    conversation, fake, answer = converse(git_repo, registry, turns, cap=1)
    assert answer == "Budgets only." and conversation.calls == ["latency_budgets"]
    (_, budgets, e1), (_, over, e2) = results(fake.bodies()[1])
    assert not e1 and "budgets" in budgets
    assert e2 and over["error"] == "tool call limit of 1 for this question reached: answer now with what you have"


def test_a_model_that_keeps_calling_past_the_cap_fails(git_repo: Path, registry: Registry) -> None:
    turns = [tools_turn(use("toolu_1", "list_droids")), tools_turn(use("toolu_2", "list_droids"))] * 2
    _, fake, failure = converse(git_repo, registry, turns, cap=0)
    assert isinstance(failure, ModelFailure) and "kept asking for tools past the limit of 0" in str(failure)
    assert len(fake.requests) == 2


def test_an_unknown_tool_or_bad_input_is_an_error_result_and_the_talk_goes_on(git_repo: Path, registry: Registry):
    turns = [
        tools_turn(use("toolu_1", "read_file", path="settings.py"), use("toolu_2", "run_droid", droid="ghost")),
        text_turn("droid has no tool to read files."),
    ]
    _, fake, answer = converse(git_repo, registry, turns)
    assert answer == "droid has no tool to read files."
    (_, unknown, e1), (_, ghost, e2) = results(fake.bodies()[1])
    assert e1 and unknown == {"error": "no tool named 'read_file'"}
    assert e2 and ghost["error"].startswith("run_droid: droid: expected one of security-compliance")


@pytest.mark.parametrize(
    ("turn", "why"),
    [
        (text_turn("The drawdown is", stop="max_tokens"), "cut off at max_tokens"),
        (text_turn("  "), "the model answered nothing"),
    ],
)
def test_an_answer_that_is_cut_off_or_empty_fails(git_repo: Path, registry: Registry, turn: Any, why: str) -> None:
    _, _, failure = converse(git_repo, registry, [turn])
    assert isinstance(failure, ModelFailure) and why in str(failure)


def test_a_secret_in_a_tool_result_is_masked_before_it_is_sent(git_repo: Path, registry: Registry) -> None:
    token, password = sv.github_token(11), sv.password(11)
    finding = {"rule": "SEC004", "severity": "medium", "title": "t", "fingerprint": "f", "path": "app.py"}
    finding["message"] = f"logging call prints token={token}"
    report = {"schema": "droid-report/1", "verdict": "warn", "findings": [finding], "notes": [f"password: {password}"]}
    folder = git_repo / ".droid" / "reports" / "20261201T060000Z"
    folder.mkdir(parents=True)
    (folder / "report.json").write_text(json.dumps(report))
    turns = [tools_turn(use("toolu_1", "last_audit_findings")), text_turn("SEC004 in app.py.")]
    conversation, fake, answer = converse(git_repo, registry, turns)
    sent = fake.requests[1].body.decode()
    assert answer == "SEC004 in app.py." and token not in sent and password not in sent
    [(_, result, _)] = results(fake.bodies()[1])
    assert result["findings"][0]["message"].startswith("logging call prints [redacted: ")  # only the token goes
    assert result["notes"][0].startswith("[redacted: ")
    assert conversation.redactor.masked == 2


def test_a_result_too_large_is_refused_so_the_model_asks_for_less(git_repo: Path, registry: Registry) -> None:
    finding = {"rule": "SEC004", "severity": "medium", "title": "t", "fingerprint": "f", "path": "app.py"}
    findings = [{**finding, "line": i, "message": "x " * 400} for i in range(100)]
    folder = git_repo / ".droid" / "reports" / "20261201T060000Z"
    folder.mkdir(parents=True)
    (folder / "report.json").write_text(json.dumps({"schema": "droid-report/1", "findings": findings}))
    turns = [
        tools_turn(use("toolu_1", "last_audit_findings", limit=100)),
        tools_turn(use("toolu_2", "last_audit_findings", limit=5)),
        text_turn("SEC004 in app.py."),
    ]
    _, fake, answer = converse(git_repo, registry, turns)
    [(_, big, e1)] = results(fake.bodies()[1])
    [(_, small, e2)] = results(fake.bodies()[2])
    assert e1 and big["error"].endswith("over 60000: ask for less (a limit, one rule, some paths)")
    assert not e2 and len(small["findings"]) == 5 and answer == "SEC004 in app.py."
