"""End to end: the real CLI gating a real throw-away git repository."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import git
from tests.orchestrator.cli.helpers import aws_key, droid

FORMATS = ["text", "json", "markdown", "sarif", "junit"]


def _stage_key(repo: Path, key: str, pragma: bool = False) -> None:
    lines = [
        "import os",
        "",
        "REGION = 'us-east-1'",
        f"AWS_ACCESS_KEY_ID = '{key}'" + ("  # pragma: allowlist secret" if pragma else ""),
    ]
    (repo / "src").mkdir(exist_ok=True)
    (repo / "src" / "config.py").write_text("\n".join(lines) + "\n")
    git(repo, "add", "src/config.py")


@pytest.mark.slow
def test_staged_aws_key_blocks_and_is_reported_at_path_and_line(git_repo: Path) -> None:
    key = aws_key()
    _stage_key(git_repo, key)
    result = droid("gate", "--staged", "--format", "json", cwd=git_repo)
    assert result.code == 1, result.err
    report = result.json()
    assert report["verdict"] == "block"
    (finding,) = [f for f in report["findings"] if f["rule"] == "SEC001"]
    assert (finding["path"], finding["line"]) == ("src/config.py", 4)
    assert finding["evidence"] == key[:4] + "****"
    assert report["routing"][0]["droid"] == "security-compliance"


@pytest.mark.slow
def test_unstaging_or_pragma_passes(git_repo: Path) -> None:
    key = aws_key()
    _stage_key(git_repo, key)
    git(git_repo, "reset", "-q", "src/config.py")
    assert droid("gate", "--staged", cwd=git_repo).code == 0
    _stage_key(git_repo, key, pragma=True)
    result = droid("gate", "--staged", "--format", "json", cwd=git_repo)
    assert result.code == 0, result.out
    assert not [f for f in result.json()["findings"] if not f["suppressed"]]


@pytest.mark.slow
def test_the_index_is_judged_not_the_working_tree(git_repo: Path) -> None:
    _stage_key(git_repo, aws_key())
    (git_repo / "src" / "config.py").write_text("AWS_ACCESS_KEY_ID = os.environ['AWS_ACCESS_KEY_ID']\n")
    assert droid("gate", "--staged", cwd=git_repo).code == 1


@pytest.mark.slow
def test_raw_key_appears_in_no_output_and_not_in_state(git_repo: Path) -> None:
    key = aws_key()
    _stage_key(git_repo, key)
    for fmt in FORMATS:
        result = droid("gate", "--staged", "--format", fmt, cwd=git_repo)
        assert result.code == 1, (fmt, result.err)
        assert key not in result.out and key not in result.err, fmt
        assert key[4:] not in result.out
    audit = droid("audit", "--out", str(git_repo / ".droid" / "reports" / "x"), cwd=git_repo)
    assert audit.code == 0 or audit.code == 1, audit.err
    for path in (git_repo / ".droid").rglob("*"):
        if path.is_file():
            assert key.encode() not in path.read_bytes(), path


@pytest.mark.slow
def test_gate_against_base_reports_changed_files(git_repo: Path) -> None:
    git(git_repo, "checkout", "-q", "-b", "feature")
    _stage_key(git_repo, aws_key())
    git(git_repo, "commit", "-q", "-m", "oops")
    result = droid("gate", "--base", "main", "--format", "json", cwd=git_repo)
    assert result.code == 1
    report = result.json()
    assert report["mode"] == "gate"
    assert [f["path"] for f in report["findings"] if f["rule"] == "SEC001"] == ["src/config.py"]


@pytest.mark.slow
def test_gate_paths_and_no_changes(git_repo: Path) -> None:
    (git_repo / "clean.py").write_text("x = 1\n")
    assert droid("gate", "clean.py", cwd=git_repo).code == 0
    result = droid("gate", "--staged", "--format", "json", cwd=git_repo)
    assert result.code == 0
    assert result.json()["routing"] == []


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["gate", "--staged", "--base", "main"], "exactly one of"),
        (["gate"], "exactly one of"),
        (["gate", "../outside.py"], "path outside the repository"),
        (["gate", "missing.py"], "missing.py: no such file or directory"),
        (["gate", "--base", "no-such-ref"], "--base no-such-ref: no such commit"),
        (["gate", "--staged", "--mode", "nightly"], "--mode nightly: expected"),
        (["run", "secruity-compliance"], "unknown droid 'secruity-compliance'; did you mean 'security-compliance'?"),
        (["--format", "yaml", "list"], "--format yaml: expected one of"),
        (["gate", "--staged", "--frobnicate"], "No such option"),
        (["gate", "README.md", "--out", "README.md/reports"], "--out README.md/reports: cannot create the report"),
        (["audit", "--out", "README.md/reports"], "--out README.md/reports: cannot create the report folder"),
    ],
)
def test_bad_input_is_one_line_and_exit_2_with_nothing_audited(git_repo: Path, args: list[str], message: str) -> None:
    (git_repo.parent / "outside.py").write_text("x = 1\n")
    result = droid(*args, cwd=git_repo)
    assert result.code == 2, (result.out, result.err)
    assert message in result.err
    assert "Traceback" not in result.err
    assert not (git_repo / ".droid" / "audit.db").exists()


def test_staged_outside_git_is_bad_input(tmp_path: Path) -> None:
    result = droid("gate", "--staged", cwd=tmp_path)
    assert result.code == 2
    assert result.err.strip().count("\n") == 0
    assert "not a git repository" in result.err


def test_malformed_policy_names_file_line_and_key(git_repo: Path) -> None:
    policies = git_repo / "policies"
    policies.mkdir()
    (policies / "gates.yaml").write_text("version: 1\nprofiles:\n  pre-commit: {block_at: nope}\n")
    (git_repo / "a.py").write_text("x = 1\n")
    result = droid("--policies", str(policies), "gate", "a.py", cwd=git_repo)
    assert result.code == 2
    assert "gates.yaml:3: profiles.pre-commit.block_at" in result.err
    assert not (git_repo / ".droid" / "audit.db").exists()


@pytest.mark.slow
def test_gate_out_writes_every_report_of_one_run(git_repo: Path) -> None:
    _stage_key(git_repo, aws_key())
    out = git_repo / "droid-report"
    result = droid("gate", "--staged", "--out", str(out), cwd=git_repo)
    assert result.code == 1
    assert sorted(p.name for p in out.iterdir()) == ["report.html", "report.json", "report.md", "report.sarif"]
    report = json.loads((out / "report.json").read_text())
    assert [f["rule"] for f in report["findings"]] == ["SEC001"]
    assert "SEC001" in (out / "report.md").read_text()
    trail = droid("audit-log", "show", "--format", "json", cwd=git_repo).json()
    assert [(e["seq"], e["kind"]) for e in trail] == [(report["audit_entry"]["seq"], "gate")]  # one run, one entry
