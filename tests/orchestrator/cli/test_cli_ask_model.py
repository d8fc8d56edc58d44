"""`droid ask` answered by a model: the real CLI and the real SDK against the fake Messages API on
127.0.0.1, replaying recorded transcripts. The verdict and the exit code are droid's; the model
routes only when no trigger matched; what it cites must exist; any failure gives droid's answer."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from droids.core.audit.trail import open_store
from droids.core.registry import load_registry
from tests.conftest import REPO_ROOT, git
from tests.orchestrator.cli.helpers import Result, droid
from tests.orchestrator.llm.fake_anthropic import API_KEY, FakeAnthropic, transcript

POLICIES = REPO_ROOT / "policies"
JOURNAL = REPO_ROOT / "tests" / "fixtures" / "journals" / "dd_wick.csv"
Ask = Callable[..., Result]


@pytest.fixture
def ask(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Ask:
    """`droid ask QUESTION` in this process (the installed entry point's code), with `env`."""
    from orchestrator.cli.main import run

    def invoke(repo: Path, question: str, *args: str, env: dict[str, str], policies: Path = POLICIES) -> Result:
        for name in ("ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", "ANTHROPIC_AUTH_TOKEN", "DROID_POLICIES"):
            monkeypatch.delenv(name, raising=False)
        for name, value in {"NO_COLOR": "1", **env}.items():
            monkeypatch.setenv(name, value)
        monkeypatch.chdir(repo)
        monkeypatch.setattr(sys, "argv", ["droid", "--policies", str(policies), "ask", question, *args])
        with pytest.raises(SystemExit) as exited:
            run()
        out = capsys.readouterr()
        return Result(int(exited.value.code or 0), out.out, out.err)

    return invoke


def policies_with(tmp_path: Path, llm: str) -> Path:
    """This desk's policies with gates.yaml's `llm:` section replaced."""
    folder = tmp_path / "policies"
    shutil.copytree(POLICIES, folder)
    gates = folder / "gates.yaml"
    text = gates.read_text()
    gates.write_text(text[: text.index("llm:")] + f"llm: {llm}\n")
    return folder


def compose_repo(repo: Path) -> Path:
    (repo / "deploy").mkdir()
    (repo / "deploy" / "docker-compose.yml").write_text(
        "services:\n  engine:\n    image: redis:latest\n    healthcheck:\n      test: [CMD, redis-cli, ping]\n"
    )
    git(repo, "add", "deploy")
    return repo


def tool_results(fake: FakeAnthropic) -> list[dict[str, Any]]:
    """Every tool result the model was sent, parsed, in order."""
    last = fake.bodies()[-1]["messages"]
    return [
        json.loads(block["content"])
        for message in last
        if isinstance(message["content"], list)
        for block in message["content"]
        if block.get("type") == "tool_result"
    ]


def test_can_we_deploy(git_repo: Path, ask: Ask) -> None:
    compose_repo(git_repo)
    with FakeAnthropic(transcript("can_we_deploy")) as fake:
        result = ask(git_repo, "can we deploy?", "--format", "json", env=fake.env())
    report = json.loads(result.out)
    assert result.code == 0 and report["verdict"] == "warn"  # droid's verdict, as without a key
    assert report["llm"]["answer"].startswith(
        "Asked devops (trigger 'deploy', trigger 'deployment').\n\nNot cleanly yet."
    )
    assert report["llm"]["answer"].endswith(
        "Verdict: warn (computed by droid from the findings; the text above was written by claude-sonnet-4-6 from"
        " droid's tools)."
    )
    assert report["llm"]["answered_by"] == "model" and report["llm"]["tool_calls"] == [
        "deploy_status",
        "last_audit_findings",
        "run_droid",
    ]
    first = fake.bodies()[0]
    assert "tool_choice" not in first and [t["name"] for t in first["tools"]][:2] == ["list_droids", "list_rules"]
    devops = load_registry().get("devops")
    assert devops is not None and f"## Droid devops: DevOps Guardian\n\n{devops.card.body}" in first["system"]
    assert "## Droid security-compliance" not in first["system"]  # only the droids in play
    deploy, audit, run = tool_results(fake)
    assert deploy == {"environments": []} and audit["report"] is None
    assert {f["rule"] for f in run["findings"]} == {"OPS013", "OPS016"} and run["verdict"] == "warn"


def test_what_changed_in_risk_params_is_routed_by_the_model(git_repo: Path, ask: Ask) -> None:
    details = {
        "path": "policies/apex.yaml",
        "key": "accounts.50k.trailing_drawdown",
        "old": "2500",
        "new": "2250",
        "approver": "risk@desk.example",
        "via": "trailer",
        "run": 1,
    }
    with open_store(git_repo) as store:
        store.append(kind="gate", profile="ci", verdict="pass", counts={}, who="git:dev@example.com", head=None)
        store.append(kind="approval", profile="ci", verdict="pass", counts={}, who="git:dev@example.com", head=None,
                     details=details)  # fmt: skip
    with FakeAnthropic(transcript("risk_params")) as fake:
        result = ask(git_repo, "what changed in risk params?", env=fake.env())
    assert result.code == 0, result.err
    routing = fake.bodies()[0]
    assert routing["tool_choice"] == {"type": "tool", "name": "choose_droids"}
    assert routing["messages"] == [{"role": "user", "content": "Question: what changed in risk params?"}]
    assert "- monitoring: Monitoring & Alerting Operator." in routing["system"]
    assert "Asked security-compliance (fallback: no trigger matched)." in result.out
    assert "risk-officer" not in result.out  # the model named a droid that does not exist: dropped
    said = " ".join(result.out.split())  # the text report wraps lines
    assert "policies/apex.yaml accounts.50k.trailing_drawdown went 2500 -> 2250, approved by risk@desk.example" in said
    assert "## Droid security-compliance" in fake.bodies()[1]["system"]
    assert result.err == ""


def test_without_a_key_the_same_question_is_refused_as_before(git_repo: Path, ask: Ask) -> None:
    result = ask(git_repo, "what changed in risk params?", env={})
    assert result.code == 2 and 'no droid matches "what changed in risk params?"' in result.err


@pytest.mark.slow  # the CME calendars load in a few seconds
def test_is_the_data_clean(git_repo: Path, ask: Ask) -> None:
    from tests.droids.data_pipeline.bars_factory import bars_for, session_minutes, write_csv

    bars = bars_for(session_minutes(*_week()))
    bars["high"][300] = bars["close"][300] - 0.25
    bars["low"][300] = min(bars["low"][300], bars["high"][300])
    write_csv(git_repo / "data" / "es.csv", bars)
    git(git_repo, "add", "data")
    with FakeAnthropic(transcript("data_clean")) as fake:
        result = ask(git_repo, "is the data clean?", env=fake.env())
    assert result.code == 1, result.err  # DATA004 is high: droid blocks, whatever the model writes
    assert (
        "Asked data-pipeline (trigger 'data')." in result.out
        and "No. DATA004 flags a bar in data/es.csv:302" in result.out
    )
    freshness, check = tool_results(fake)
    assert freshness["catalog"] is None and check["check"]["ran"]
    assert [(f["rule"], f["line"]) for f in check["findings"]] == [("DATA004", 302)]
    assert "tool_choice" not in fake.bodies()[0]  # a trigger matched: the model did not route


def _week() -> tuple[Any, Any]:
    from datetime import date

    return date(2026, 3, 2), date(2026, 3, 6)


def test_how_close_are_we_to_the_drawdown_limit(git_repo: Path, ask: Ask) -> None:
    journal = git_repo / ".droid" / "sim" / "journal.csv"
    journal.parent.mkdir(parents=True)
    shutil.copy(JOURNAL, journal)
    with FakeAnthropic(transcript("drawdown")) as fake:
        result = ask(git_repo, "how close are we to the drawdown limit?", "--format", "json", env=fake.env())
    report = json.loads(result.out)
    state, apex = tool_results(fake)
    assert (
        f"{state['distance_to_threshold']} above the trailing drawdown threshold of {state['threshold']}"
        in (report["llm"]["answer"])
    )
    assert (
        f"closest approach on .droid/sim/journal.csv was {apex['apex']['min_distance_to_threshold']}"
        in (report["llm"]["answer"])
    )
    assert [r["droid"] for r in report["routing"]] == ["security-compliance", "monitoring"]
    assert "tool_choice" not in fake.bodies()[0]
    assert result.code == (1 if report["verdict"] == "block" else 0)


def test_any_leaked_secrets_cites_the_finding_it_was_shown(git_repo: Path, ask: Ask) -> None:
    from tests.orchestrator.cli.helpers import aws_key

    (git_repo / "settings.py").write_text(f"TOKEN_ID = '{aws_key()}'\n")
    git(git_repo, "add", "settings.py")
    with FakeAnthropic(transcript("leaked_secrets")) as fake:
        result = ask(git_repo, "any leaked secrets?", "--format", "json", env=fake.env())
    report = json.loads(result.out)
    [finding] = [f for f in report["findings"] if f["rule"] == "SEC001"]
    assert result.code == 1 and report["verdict"] == "block"
    assert f"SEC001 found a hard-coded AWS key in settings.py ({finding['fingerprint']})" in report["llm"]["answer"]
    assert "tool_choice" not in fake.bodies()[0] and report["llm"]["answered_by"] == "model"
    saved = json.loads((git_repo / report["llm"]["transcript"]).read_text())
    assert saved["answered_by"] == "model" and saved["messages"] == fake.bodies()[-1]["messages"]


REPLACED = [
    ("SEC999 found a key in deploy/docker-compose.yml.", "cited SEC999, which no tool returned"),
    ("The key is in config/secrets.yaml:3.", "cited config/secrets.yaml, which no tool returned"),
    ("See sha256:0123456789abcdef.", "cited sha256:0123456789abcdef, which no tool returned"),
    ("Verdict: pass. Deploy now.", "gave the verdict 'pass', not droid's 'warn'"),
]


@pytest.mark.parametrize(("text", "why"), REPLACED, ids=["rule", "path", "fingerprint", "verdict"])
def test_an_answer_citing_what_does_not_exist_is_replaced(git_repo: Path, ask: Ask, text: str, why: str) -> None:
    compose_repo(git_repo)
    turns = [{"message": {"content": [{"type": "text", "text": text}], "stop_reason": "end_turn"}}]
    with FakeAnthropic(turns) as fake:
        result = ask(git_repo, "can we deploy?", env=fake.env())
    assert result.code == 0 and text not in result.out
    assert result.out.startswith("Asked devops (trigger 'deploy', trigger 'deployment').\n2 findings:")
    assert result.err.count("\n") == 1 and why in result.err and "droid's own answer is shown" in result.err
    [saved] = [json.loads(p.read_text()) for p in (git_repo / ".droid" / "ask").iterdir()]
    assert saved["answered_by"] == "droid" and why in saved["why"] and saved["answer"] == text


FAILURES = [
    ([{"status": 400, "error": {"type": "invalid_request_error", "message": "prompt is too long"}}], "{}",
     "the API answered 400 invalid_request_error (prompt is too long)"),
    ([{"status": 529, "error": {"type": "overloaded_error", "message": "Overloaded"}}] * 2, "{max_retries: 1}",
     "the API answered 529 overloaded_error (Overloaded); gave up after 1 retries"),
    ([{"status": 429, "error": {"type": "rate_limit_error", "message": "x"}, "headers": {"retry-after": "600"}}],
     "{time_limit_s: 30}", "the API answered 429 rate_limit_error (x); waiting 600 s would pass the time limit"),
    ([{"message": {"content": [{"type": "text", "text": "Pin"}], "stop_reason": "max_tokens"}}], "{max_tokens: 64}",
     "the answer was cut off at max_tokens (gates.yaml llm.max_tokens)"),
]  # fmt: skip


@pytest.mark.parametrize(("turns", "llm", "why"), FAILURES, ids=["400", "529", "429-too-long", "max-tokens"])
def test_any_failure_gives_droids_answer_and_one_line(git_repo: Path, tmp_path: Path, ask: Ask, turns, llm, why):
    compose_repo(git_repo)
    with FakeAnthropic(turns) as fake:
        result = ask(git_repo, "can we deploy?", env=fake.env(), policies=policies_with(tmp_path, llm))
    assert result.code == 0  # droid's exit code, unchanged
    assert result.out.startswith("Asked devops (trigger 'deploy', trigger 'deployment').\n2 findings:")
    assert result.err == f"droid: the model's answer failed: {why}; droid's own answer is shown\n"


def test_a_model_that_cannot_route_leaves_the_question_refused(git_repo: Path, ask: Ask) -> None:
    turns = [{"status": 401, "error": {"type": "authentication_error", "message": "invalid x-api-key"}}]
    with FakeAnthropic(turns) as fake:
        result = ask(git_repo, "what changed in risk params?", env=fake.env())
    assert result.code == 2
    first, second = result.err.splitlines()
    assert (
        first
        == "droid: the model could not choose droids: the API answered 401 authentication_error (invalid x-api-key)"
    )
    assert second.startswith('droid: error: no droid matches "what changed in risk params?"')


def test_a_model_that_routes_nowhere_leaves_the_question_refused(git_repo: Path, ask: Ask) -> None:
    turn = {"type": "tool_use", "id": "toolu_x", "name": "choose_droids", "input": {"droids": ["weather"]}}
    with FakeAnthropic([{"message": {"content": [turn], "stop_reason": "tool_use"}}]) as fake:
        result = ask(git_repo, "what is the weather?", env=fake.env())
    assert result.code == 2 and result.err.startswith("droid: the model chose no droid for this question\n")


def test_the_time_limit_ends_the_models_part(git_repo: Path, tmp_path: Path, ask: Ask) -> None:
    compose_repo(git_repo)
    with FakeAnthropic(transcript("can_we_deploy")) as fake:
        result = ask(
            git_repo, "can we deploy?", env=fake.env(), policies=policies_with(tmp_path, "{time_limit_s: 0.001}")
        )
    assert result.code == 0 and fake.requests == []
    assert "the time limit of 0.001 s (gates.yaml llm.time_limit_s) passed" in result.err


def test_a_base_url_the_sdk_cannot_use_gives_droids_answer(git_repo: Path, ask: Ask) -> None:
    compose_repo(git_repo)
    result = ask(git_repo, "can we deploy?", env={"ANTHROPIC_API_KEY": API_KEY, "ANTHROPIC_BASE_URL": "http://[::1"})
    assert result.code == 0 and result.out.startswith(
        "Asked devops (trigger 'deploy', trigger 'deployment').\n2 findings"
    )
    assert result.err == "droid: the anthropic client could not be set up (InvalidURL): droid answers by itself\n"


def test_the_key_goes_only_in_a_header(git_repo: Path, ask: Ask) -> None:
    compose_repo(git_repo)
    with FakeAnthropic(transcript("can_we_deploy")) as fake:
        ask(git_repo, "can we deploy?", env=fake.env())
    assert fake.requests and all(API_KEY.encode() not in r.body for r in fake.requests)


@pytest.mark.slow  # the real CLI in a fresh interpreter: about 2.5 s
def test_a_key_without_the_anthropic_package_gives_droids_answer(git_repo: Path, tmp_path: Path) -> None:
    """The `llm` extra not installed (an `anthropic` that cannot be imported shadows the real one)."""
    shadow = tmp_path / "shadow" / "anthropic"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("raise ImportError('No module named anthropic')\n")
    compose_repo(git_repo)
    env = {"ANTHROPIC_API_KEY": API_KEY, "ANTHROPIC_BASE_URL": "http://127.0.0.1:9", "PYTHONPATH": str(shadow.parent)}
    result = droid("ask", "can we deploy?", cwd=git_repo, env=env)
    assert result.code == 0 and result.out.startswith(
        "Asked devops (trigger 'deploy', trigger 'deployment').\n2 findings"
    )
    assert result.err == (
        "droid: ANTHROPIC_API_KEY is set but the anthropic package is not installed "
        "(pip install 'droid-governance[llm]'): droid answers by itself\n"
    )


@pytest.mark.slow  # the real CLI in a fresh interpreter, and a real one-second wait
def test_the_installed_cli_waits_out_a_429_and_answers(git_repo: Path) -> None:
    compose_repo(git_repo)
    busy = {
        "status": 429,
        "error": {"type": "rate_limit_error", "message": "slow down"},
        "headers": {"retry-after": "1"},
    }
    with FakeAnthropic([busy, *transcript("can_we_deploy")]) as fake:
        result = droid("ask", "can we deploy?", cwd=git_repo, env=fake.env())
    assert result.code == 0 and result.err == "", result.err
    assert "Not cleanly yet. Nothing is deployed" in " ".join(result.out.split())
    assert len(fake.requests) == 4 and fake.requests[0].body == fake.requests[1].body  # the 429, then 3 turns
