"""The devops droid through the real CLI: routing of changed workflow, compose and environment files,
`droid run devops`, a staged gate, and `droid deploy`'s refusals and bad input (no process started)."""

from __future__ import annotations

from pathlib import Path

import pytest

from droids.core.audit.trail import open_store
from tests.conftest import git
from tests.droids.devops.compose.cases import CLEAN as CLEAN_COMPOSE
from tests.droids.devops.helpers import write
from tests.droids.devops.workflows.cases import CLEAN as CLEAN_WF
from tests.orchestrator.cli.helpers import droid

pytestmark = pytest.mark.slow  # each case starts the CLI (1-2 s)


def test_gate_of_staged_planted_files_blocks_and_clean_ones_pass(git_repo: Path) -> None:
    write(git_repo, {".github/workflows/ci.yml": CLEAN_WF, "deploy/docker-compose.yml": CLEAN_COMPOSE})
    clean = droid("gate", "--staged", "--format", "json", cwd=git_repo)
    assert clean.code == 0, clean.out + clean.err
    assert [d["name"] for d in clean.json()["droids"]] == ["security-compliance", "devops"]
    write(
        git_repo,
        {
            "deploy/docker-compose.yml": CLEAN_COMPOSE.replace("    privileged", "").replace(
                "    networks: [backend]\n    deploy:", "    privileged: true\n    networks: [backend]\n    deploy:", 1
            )
        },
    )
    blocked = droid("gate", "--staged", "--format", "json", cwd=git_repo)
    assert blocked.code == 1
    ours = [(f["rule"], f["path"], f["line"]) for f in blocked.json()["findings"] if f["droid"] == "devops"]
    assert ours == [("OPS014", "deploy/docker-compose.yml", 13)]


def test_run_devops_reports_every_family(git_repo: Path) -> None:
    write(
        git_repo,
        {
            ".github/workflows/ci.yml": CLEAN_WF.replace("actions/setup-python@v5", "someone/setup-python@v5"),
            "config/staging.yaml": "environment: staging\napex: {account: 50k}\n",
            "config/prod.yaml": "environment: prod\napex: {account: 150k}\n",
        },
    )
    result = droid("run", "devops", "--format", "json", cwd=git_repo)
    assert result.code == 1
    assert sorted(f["rule"] for f in result.json()["findings"]) == ["OPS006", "OPS020"]


def test_deploy_to_prod_is_refused_without_a_passing_gate(git_repo: Path) -> None:
    result = droid("deploy", "--env", "prod", cwd=git_repo)
    assert result.code == 1
    assert "refused" in result.out and "has no passing gate" in result.out
    with open_store(git_repo, create=False) as store:
        (entry,) = store.records()
    assert (entry.kind, entry.verdict, entry.head) == ("deploy", "refused", git(git_repo, "rev-parse", "HEAD").strip())


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (
            ["deploy", "--env", "qa"],
            "--env qa: not a deploy environment of policies/devops.yaml (expected: staging, prod)",
        ),
        (["deploy", "--env", "staging", "--version", "nope"], "--version nope: no such commit"),
    ],
)
def test_bad_input_is_one_line_exit_2(git_repo: Path, args: list[str], says: str) -> None:
    result = droid(*args, cwd=git_repo)
    assert result.code == 2
    assert says in result.err and "Traceback" not in result.err


def test_status_with_nothing_deployed(git_repo: Path) -> None:
    result = droid("deploy", "status", cwd=git_repo)
    assert (result.code, result.out.strip()) == (
        0,
        "nothing deployed from this repository (no .droid/deploy/<env>/state.json)",
    )
