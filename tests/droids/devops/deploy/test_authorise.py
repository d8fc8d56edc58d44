"""Deploy authorisation: deployers from policies/devops.yaml naming access.yaml principals, and a
commit whose gate passed according to the audit trail."""

from __future__ import annotations

from pathlib import Path

import pytest

from droids.core.audit.trail import open_store
from droids.core.errors import DroidError
from droids.devops.deploy.authorise import principal, refusals
from droids.devops.policy import DeployTarget
from tests.conftest import git

ACCESS = """\
version: 1
teams:
  platform: [platform-lead@example.com, risk-officer@example.com]
github_logins: {plead: platform-lead@example.com}
protected: []
"""
PROD = DeployTarget(require_gate_pass=True, gate_profiles=("ci",), deployers=("@platform",))


@pytest.fixture
def repo(git_repo: Path) -> Path:
    (git_repo / "policies").mkdir()
    (git_repo / "policies" / "access.yaml").write_text(ACCESS)
    return git_repo


def head(repo: Path) -> str:
    return git(repo, "rev-parse", "HEAD").strip()


def gate(repo: Path, commit: str, verdict: str = "pass", profile: str = "ci") -> None:
    with open_store(repo) as store:
        store.append(kind="gate", profile=profile, verdict=verdict, counts={}, who="github:ci", head=commit)


@pytest.mark.parametrize(
    ("who", "gates", "refused"),
    [
        ("git:platform-lead@example.com", [("pass", "ci")], []),
        ("github:plead", [("pass", "ci")], []),  # a GitHub login mapped through access.yaml
        ("git:intern@example.com", [("pass", "ci")], ["is not a deployer of prod"]),
        ("git:risk-officer@example.com", [], ["has no passing gate"]),
        ("git:risk-officer@example.com", [("block", "ci")], ["has no passing gate"]),
        ("git:risk-officer@example.com", [("pass", "pre-commit")], ["has no passing gate"]),  # not a CI gate
        ("os:root", [], ["is not a deployer of prod", "has no passing gate"]),
    ],
)
def test_prod_needs_a_deployer_and_a_passing_gate(repo: Path, who: str, gates: list, refused: list[str]) -> None:
    for verdict, profile in gates:
        gate(repo, head(repo), verdict, profile)
    found = refusals("prod", PROD, who, head(repo), repo, repo / "policies")
    assert len(found) == len(refused)
    assert all(want in got for want, got in zip(refused, found, strict=True))


def test_a_gate_of_another_commit_does_not_count(repo: Path) -> None:
    gate(repo, "0" * 40)
    assert refusals("prod", PROD, "git:platform-lead@example.com", head(repo), repo, repo / "policies")


def test_unknown_team_is_bad_input(repo: Path) -> None:
    with pytest.raises(DroidError, match=r"deployers: team '@traders' is not defined"):
        refusals("prod", DeployTarget(deployers=("@traders",)), "git:a@b", head(repo), repo, repo / "policies")


def test_empty_deployers_let_anyone_deploy(repo: Path) -> None:
    assert refusals("staging", DeployTarget(), "os:anyone", head(repo), repo, repo / "policies") == []
    assert principal("git:A@Example.com", repo / "policies") == "a@example.com"
