"""Fingerprints of secret findings are keyed per repository: the same in every clone (baselines work
across machines), different in another repository, and useless for confirming a guessed secret
offline (no longer sha256(rule, path, sha1(secret))). Real git repositories and clones; each
"machine" has its own user state directory."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from droids.core import git as core_git
from droids.core.checks import run_checks
from droids.core.models import Finding, Targets, Task, fingerprint
from droids.core.protocol import DroidContext
from droids.security_compliance.history.sec002_history import scan_history
from droids.security_compliance.sast import sec010_bandit
from droids.security_compliance.secrets import sec001_hardcoded_secret, sec003_env_hygiene
from tests import secret_values as sv
from tests.conftest import git
from tests.orchestrator.cli.helpers import droid

PATH = "desk/broker.py"


def _repo(path: Path, files: dict[str, str], message: str = "start") -> Path:
    path.mkdir(parents=True)
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "user.email", "dev@example.com")
    git(path, "config", "user.name", "Dev")
    for name, text in files.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_text(text)
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", message)
    return path


def _clone(origin: Path, dest: Path) -> Path:
    git(origin.parent, "clone", "-q", str(origin), str(dest))
    return dest


def _files(key: str, example_value: str = "abc1") -> dict[str, str]:
    return {
        PATH: f'import os\n\nAWS_ACCESS_KEY_ID = "{key}"\nREGION = "us-east-1"\n',
        ".env.example": f"BROKER_PASSWORD={example_value}\n",
        ".gitignore": ".env\n.env.*\n!.env.example\n",
    }


def _task(repo: Path) -> Task:
    paths = tuple(core_git.tracked_paths(repo))
    return Task(
        mode="audit", profile="audit", repo=repo, policies=repo / "policies", targets=Targets(kind="tree", paths=paths)
    )


def _fingerprints(repo: Path, machine: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """SEC001, SEC002 and SEC003 fingerprints of `repo`, run as on a machine whose state is `machine`."""
    monkeypatch.setenv("XDG_STATE_HOME", str(machine))
    task, ctx = _task(repo), DroidContext(repo / ".droid")
    findings: list[Finding] = []
    for check in (sec001_hardcoded_secret, sec003_env_hygiene):
        findings += run_checks("security-compliance", (check,), task, ctx).findings
    findings += scan_history(repo, repo / ".droid").findings
    ctx.close()
    out: dict[str, list[str]] = {}
    for f in findings:
        out.setdefault(f.rule, []).append(f.fingerprint)
    return out


def test_the_same_secret_has_the_same_fingerprint_in_two_clones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    origin = _repo(tmp_path / "origin", _files(sv.aws_access_key(3)))
    one = _fingerprints(_clone(origin, tmp_path / "alice" / "repo"), tmp_path / "alice" / "state", monkeypatch)
    two = _fingerprints(_clone(origin, tmp_path / "bob" / "repo"), tmp_path / "bob" / "state", monkeypatch)
    assert sorted(one) == ["SEC001", "SEC002", "SEC003"]
    assert one == two
    assert not (tmp_path / "alice" / "state" / "droid" / "fingerprint.key").exists()  # the root commit keyed it


def test_another_repository_gives_another_fingerprint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = _files(sv.aws_access_key(3))
    one = _fingerprints(_repo(tmp_path / "one", files), tmp_path / "state", monkeypatch)
    # the same files at the same path; another first commit (one made in the same second with the same
    # message, author and files would be the same commit, and the same repository as far as git can tell)
    two = _fingerprints(_repo(tmp_path / "two", files, "another start"), tmp_path / "state", monkeypatch)
    assert one["SEC001"] != two["SEC001"] and one["SEC002"] != two["SEC002"]


def test_a_guessed_secret_cannot_be_confirmed_offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key = sv.aws_access_key(4)
    repo = _repo(tmp_path / "repo", _files(key))
    found = _fingerprints(repo, tmp_path / "state", monkeypatch)
    guess = hashlib.sha1(key.encode()).hexdigest()  # noqa: S324  # detect-secrets' hash of the value
    assert found["SEC001"] != [fingerprint("SEC001", PATH, guess)]  # what a fingerprint used to be
    assert found["SEC002"] != [fingerprint("SEC002", PATH, guess)]
    report = run_checks("security-compliance", (sec001_hardcoded_secret,), _task(repo), DroidContext(repo / ".droid"))
    assert guess not in report.model_dump_json() and key not in report.model_dump_json()


def test_sec003_fingerprints_hold_no_value(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SEC003 fingerprints name the key and the file, never the value: nothing to confirm a guess with."""
    one = _fingerprints(_repo(tmp_path / "one", _files(sv.aws_access_key(3), "abc1")), tmp_path / "s", monkeypatch)
    two = _fingerprints(_repo(tmp_path / "two", _files(sv.aws_access_key(3), "xyz9")), tmp_path / "s", monkeypatch)
    assert one["SEC003"] == two["SEC003"]


def test_sec010_password_tests_are_keyed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    value = sv.password(7)
    files = {"app.py": f'db_password = "{value}"\n', "pyproject.toml": '[tool.bandit]\ntests = ["B105"]\n'}
    origin = _repo(tmp_path / "origin", files)
    prints = []
    for who in ("alice", "bob"):
        repo = _clone(origin, tmp_path / who / "repo")
        monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / who / "state"))
        task = Task(
            mode="gate", profile="ci", repo=repo, policies=repo, targets=Targets(kind="paths", paths=("app.py",))
        )
        (finding,) = sec010_bandit.run(task, DroidContext(repo / ".droid")).findings
        prints.append(finding.fingerprint)
    assert finding.rule_ids() == ("SEC010", "SEC010/B105")
    assert prints[0] == prints[1]
    assert prints[0] != fingerprint("SEC010", "app.py", f'B105|db_password = "{value}"#1')


@pytest.mark.slow
def test_sarif_fingerprints_match_across_clones_and_keep_the_secret_out(tmp_path: Path) -> None:
    key = sv.aws_access_key(5)
    origin = _repo(tmp_path / "origin", {"README.md": "# demo\n"})
    prints = []
    for who in ("alice", "bob"):
        repo = _clone(origin, tmp_path / who / "repo")
        (repo / "cfg.py").write_text(f'AWS_ACCESS_KEY_ID = "{key}"\n')
        git(repo, "add", "cfg.py")
        env = {"XDG_STATE_HOME": str(tmp_path / who / "state")}
        result = droid("gate", "--staged", "--format", "sarif", cwd=repo, env=env)
        assert result.code == 1, result.err
        sarif = json.loads(result.out)
        prints += [r["partialFingerprints"] for r in sarif["runs"][0]["results"] if r["ruleId"] == "SEC001"]
        assert hashlib.sha1(key.encode()).hexdigest() not in result.out  # noqa: S324
    assert len(prints) == 2 and prints[0] == prints[1]
