"""The model's tools on real repositories: each runs droid's own code (the execute path, the audit
trail, the Apex engine, the droids' services) and fails as an error result, never an exception."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from droids.core.audit.trail import open_store
from droids.core.policy import load_gates
from droids.core.registry import Registry, load_registry
from orchestrator.llm.clock import Clock
from orchestrator.llm.tool_runs import ToolContext
from orchestrator.llm.tools import bad_arguments, declarations, run_tool
from tests.conftest import REPO_ROOT, git
from tests.orchestrator.cli.helpers import aws_key

POLICIES = REPO_ROOT / "policies"
JOURNAL = REPO_ROOT / "tests" / "fixtures" / "journals" / "dd_wick.csv"


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry()


@pytest.fixture
def tools(git_repo: Path, registry: Registry) -> ToolContext:
    gates = load_gates(POLICIES)
    return ToolContext(git_repo, POLICIES, git_repo / ".droid", registry, gates, "any leaked secrets?", Clock(120))


def call(tools: ToolContext, name: str, **args: Any) -> tuple[Any, bool]:
    declared = {t["name"]: t for t in declarations(tools)}
    return run_tool(tools, name, args, declared)


def test_every_droid_service_is_declared_as_a_tool(tools: ToolContext) -> None:
    names = [t["name"] for t in declarations(tools)]
    assert names == [
        "list_droids",
        "list_rules",
        "run_droid",
        "run_check",
        "last_audit_findings",
        "audit_trail",
        "apex_status",
        "latency_budgets",
        "catalog_freshness",
        "monitor_state",
        "deploy_status",
    ]
    run_droid = next(t for t in declarations(tools) if t["name"] == "run_droid")
    assert run_droid["input_schema"]["properties"]["droid"]["enum"] == tools.registry.names()


def test_list_droids_and_rules(tools: ToolContext) -> None:
    droids, error = call(tools, "list_droids")
    assert not error and [d["name"] for d in droids["droids"]] == tools.registry.names()
    rules, _ = call(tools, "list_rules", droid="monitoring")
    assert {r["id"] for r in rules["rules"]} == {f"MON00{i}" for i in range(1, 10)}
    apex, _ = call(tools, "list_rules", droid="apex")
    assert "APX001" in {r["id"] for r in apex["rules"]}


def test_run_check_runs_that_check_through_the_execute_path(tools: ToolContext) -> None:
    (tools.repo / "settings.py").write_text(f"TOKEN_ID = '{aws_key()}'\n")
    git(tools.repo, "add", "settings.py")
    result, error = call(tools, "run_check", rule="sec001", paths=["settings.py"])
    assert not error and result["check"] == {"rule": "SEC001", "droid": "security-compliance", "ran": True}
    assert result["verdict"] == "block" and result["block_at"] == "high"
    [finding] = result["findings"]
    assert (finding["rule"], finding["path"], finding["line"]) == ("SEC001", "settings.py", 1)
    assert finding["evidence"].endswith("****") and finding["fingerprint"].startswith("sha256:")


def test_run_droid_with_the_question_and_a_baseline_applied(tools: ToolContext) -> None:
    (tools.repo / "settings.py").write_text(f"TOKEN_ID = '{aws_key()}'\n")
    git(tools.repo, "add", "settings.py")  # a question over the whole tree reads tracked files
    first, _ = call(tools, "run_droid", droid="security-compliance")
    fingerprints = [f["fingerprint"] for f in first["findings"]]
    baseline = {"schema": "droid-baseline/1", "fingerprints": fingerprints}
    (tools.repo / "droid-baseline.json").write_text(json.dumps(baseline))
    again, error = call(tools, "run_droid", droid="security-compliance")
    assert not error and first["verdict"] == "block" and again["verdict"] == "pass"
    assert again["findings_active"] == 0 and {f["suppression"] for f in again["findings"]} == {"baseline"}


@pytest.mark.parametrize(
    ("name", "args", "error"),
    [
        ("run_droid", {"droid": "nobody"}, "droid: expected one of security-compliance"),
        ("run_droid", {"droid": "devops", "paths": ["../outside.py"]}, "path outside the repository"),
        ("run_droid", {"droid": "devops", "paths": ["missing.yml"]}, "missing.yml: no such file or directory"),
        ("run_check", {"rule": "SEC999"}, "no rule 'SEC999'"),
        ("run_check", {}, "run_check: missing 'rule'"),
        ("list_rules", {"droid": 3}, "list_rules: droid: expected string"),
        ("audit_trail", {"limit": "ten"}, "audit_trail: limit: expected integer"),
        ("latency_budgets", {"stage": "on_tick"}, "unknown argument 'stage' (takes: nothing)"),
        ("apex_status", {"journal": "nowhere.csv"}, "journal nowhere.csv: no such file"),
        ("apex_status", {"journal": "../../etc/passwd"}, "outside the repository"),
        ("apex_status", {}, "no journal given and none under .droid/"),
        ("monitor_state", {}, "no journal"),
        ("read_file", {"path": "settings.py"}, "no tool named 'read_file'"),
    ],
)
def test_bad_input_is_an_error_result(tools: ToolContext, name: str, args: dict[str, Any], error: str) -> None:
    result, is_error = call(tools, name, **args)
    assert is_error and error in result["error"]


def test_the_last_audit_is_the_newest_report(tools: ToolContext) -> None:
    assert call(tools, "last_audit_findings")[0]["report"] is None
    reports = tools.repo / ".droid" / "reports"
    for stamp, rule in (("20261201T060000Z", "SEC003"), ("20261202T060000Z", "OPS013")):
        (reports / stamp).mkdir(parents=True)
        finding = {"rule": rule, "severity": "high", "title": "t", "message": "m", "path": "x.yml", "fingerprint": "f"}
        document = {"schema": "droid-report/1", "verdict": "block", "findings": [finding], "droids": []}
        (reports / stamp / "report.json").write_text(json.dumps(document))
    newest, error = call(tools, "last_audit_findings")
    assert not error and newest["report"] == ".droid/reports/20261202T060000Z/report.json"
    assert [f["rule"] for f in newest["findings"]] == ["OPS013"]
    assert call(tools, "last_audit_findings", rule="SEC003")[0]["findings_total"] == 0
    (reports / "20261202T060000Z" / "report.json").write_text("{not json")
    broken, error = call(tools, "last_audit_findings")
    assert (
        error and broken["error"] == ".droid/reports/20261202T060000Z/report.json: unreadable report (JSONDecodeError)"
    )


def test_the_audit_trail_and_whether_it_is_intact(tools: ToolContext) -> None:
    assert call(tools, "audit_trail")[0]["entries"] == []
    with open_store(tools.repo) as store:
        for verdict in ("pass", "block"):
            store.append(kind="gate", profile="ci", verdict=verdict, counts={"SEC001": 1}, who="git:a@b", head=None)
        details = {"path": "policies/apex.yaml", "key": "drawdown", "old": "2500", "new": "3000"}
        store.append(
            kind="approval", profile="ci", verdict="pass", counts={}, who="git:a@b", head=None, details=details
        )
    trail, error = call(tools, "audit_trail", limit=2)
    assert not error and trail["intact"] and trail["entries_total"] == 3
    assert [(e["seq"], e["kind"]) for e in trail["entries"]] == [(2, "gate"), (3, "approval")]
    approvals, _ = call(tools, "audit_trail", kind="approval")
    assert approvals["entries"][0]["details"]["path"] == "policies/apex.yaml"


def test_apex_status_judges_a_journal_with_the_trading_core(tools: ToolContext) -> None:
    target = tools.repo / ".droid" / "sim" / "journal.csv"
    target.parent.mkdir(parents=True)
    shutil.copy(JOURNAL, target)
    result, error = call(tools, "apex_status")
    assert not error and result["journal"] == ".droid/sim/journal.csv"
    assert result["apex"]["ruleset"] and "min_distance_to_threshold" in result["apex"]
    assert result["verdict"] == ("pass" if not result["findings"] else "block")
    assert all(f["path"] == ".droid/sim/journal.csv" and f["fingerprint"] for f in result["findings"])


def test_budgets_and_services(tools: ToolContext) -> None:
    budgets, error = call(tools, "latency_budgets")
    assert not error and budgets["budgets"]["on_tick_p99_us"] > 0 and budgets["file"].endswith("budgets.yaml")
    assert call(tools, "catalog_freshness")[0]["catalog"] is None
    assert call(tools, "deploy_status")[0] == {"environments": []}
    target = tools.repo / "journal.csv"
    shutil.copy(JOURNAL, target)
    state, error = call(tools, "monitor_state", journal="journal.csv")
    assert not error and state["threshold"] is not None and "distance_to_threshold" in state


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        ({"droid": "devops"}, None),
        ({"droid": "devops", "paths": None}, None),
        ([], "the input must be a JSON object"),
        ({"paths": ["a"]}, "missing 'droid'"),
        ({"droid": "devops", "paths": "a.yml"}, "paths: expected array"),
        ({"droid": "devops", "paths": [1]}, "paths: expected array"),
    ],
)
def test_arguments_are_checked_against_the_declared_schema(tools: ToolContext, args: Any, problem: str | None) -> None:
    declared = next(t for t in declarations(tools) if t["name"] == "run_droid")
    assert bad_arguments(declared, args) == problem
