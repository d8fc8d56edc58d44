"""End to end: ask, list, rules, policy, audit and the audit log through the real CLI."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT, git
from tests.orchestrator.cli.helpers import aws_key, droid


@pytest.mark.slow
def test_ask_routes_credentials_to_security_and_says_why(git_repo: Path) -> None:
    result = droid("ask", "check for leaked credentials", cwd=git_repo)
    assert result.code == 0, result.err
    assert "security-compliance" in result.out
    assert "trigger 'credential" in result.out


@pytest.mark.slow
def test_ask_finds_a_committed_key(git_repo: Path) -> None:
    (git_repo / "settings.py").write_text(f"TOKEN_ID = '{aws_key()}'\n")
    git(git_repo, "add", "settings.py")
    result = droid("ask", "any leaked secrets?", "--format", "json", cwd=git_repo)
    assert result.code == 1
    report = result.json()
    assert report["mode"] == "ask"
    assert [f["path"] for f in report["findings"] if f["rule"] == "SEC001"] == ["settings.py"]


@pytest.mark.parametrize(
    ("request_text", "hint"),
    [("what is the weather", None), ("any secrte problems", "secret")],
)
def test_ask_without_match_lists_droids_and_exits_2(git_repo: Path, request_text: str, hint: str | None) -> None:
    result = droid("ask", request_text, cwd=git_repo)
    assert result.code == 2
    assert "no droid matches" in result.err
    assert "security-compliance (" in result.err
    if hint:
        assert f"Did you mean '{hint}'?" in result.err


def test_ask_unknown_mention(git_repo: Path) -> None:
    result = droid("ask", "@secruity-compliance look", cwd=git_repo)
    assert result.code == 2
    assert "did you mean @security-compliance?" in result.err


def test_list_and_rules(git_repo: Path) -> None:
    listing = droid("list", "--format", "json", cwd=git_repo)
    assert listing.code == 0
    assert "security-compliance" in [d["name"] for d in listing.json()]
    rules = droid("rules", "--format", "json", cwd=git_repo)
    assert "SEC001" in [r["id"] for r in rules.json()]
    text = droid("list", cwd=git_repo)
    assert "security-compliance" in text.out


def test_policy_check_and_schema(git_repo: Path) -> None:
    assert droid("policy", "check", cwd=git_repo).code == 0
    schema = droid("policy", "schema", cwd=git_repo)
    assert "gates.yaml" in json.loads(schema.out)


@pytest.mark.slow
def test_audit_writes_reports_and_a_verifiable_trail(git_repo: Path) -> None:
    out = git_repo / ".droid" / "reports" / "today"
    result = droid("audit", "--out", str(out), cwd=git_repo)
    assert result.code == 0, result.err
    assert sorted(p.name for p in out.iterdir()) == ["report.html", "report.json", "report.md", "report.sarif"]
    assert json.loads((out / "report.json").read_text())["mode"] == "audit"
    droid("gate", "README.md", cwd=git_repo)
    verify = droid("audit-log", "verify", cwd=git_repo)
    assert verify.code == 0, verify.err
    db = git_repo / ".droid" / "audit.db"
    with sqlite3.connect(db) as conn:  # an attacker with file access drops the guard triggers first
        conn.execute("DROP TRIGGER audit_entries_no_update")
        conn.execute("UPDATE audit_entries SET verdict = 'block' WHERE seq = 1")
    tampered = droid("audit-log", "verify", cwd=git_repo)
    assert tampered.code == 1
    assert "entry 1" in (tampered.out + tampered.err)


def test_version(git_repo: Path) -> None:
    result = droid("--version", cwd=git_repo)
    assert result.out.strip() == "droid 0.1.0"


def test_this_repository_policies_check() -> None:
    assert droid("policy", "check", cwd=REPO_ROOT).code == 0
