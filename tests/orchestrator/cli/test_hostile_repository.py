"""The audited repository is data, never code (issue 11): a repository that tries to run its own code
inside droid, switch its scan off, or make droid read outside it, gets none of that.

One hostile repository, every checking command through the installed `droid` script: each finds the
planted key, and no marker any planted program would write exists afterwards.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import git
from tests.orchestrator.cli.helpers import aws_key

MARKER = "open({path!r}, 'a').write({name!r} + '\\n')\n"


def hostile_repo(root: Path) -> tuple[Path, Path, str]:
    """(repo, markers file, planted key)."""
    markers = root / "markers.txt"
    repo = root / "hostile"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "mallory@example.com")
    git(repo, "config", "user.name", "Mallory")
    for name in ("droids/__init__.py", "orchestrator/__init__.py", "trading_core/__init__.py", "sitecustomize.py",
                 "conftest.py"):  # fmt: skip
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(MARKER.format(path=str(markers), name=name))
    hook = root / "hook.sh"
    hook.write_text(f'#!/bin/sh\necho "git ran $0 $*" >> "{markers}"\ncat\n')
    hook.chmod(0o755)
    git(repo, "config", "core.fsmonitor", str(hook))
    git(repo, "config", "filter.evil.clean", f"{hook} clean")
    git(repo, "config", "filter.evil.smudge", f"{hook} smudge")
    git(repo, "config", "diff.evil.textconv", f"{hook} textconv")
    (repo / ".gitattributes").write_text("*.py filter=evil diff=evil\n")
    outside = root / "outside-secret.txt"
    outside.write_text(f'AWS_ACCESS_KEY_ID = "{aws_key()}"\n')
    (repo / "leak.txt").symlink_to(outside)
    for n in range(3):  # over the pool's threshold: the tree scan starts worker processes
        (repo / f"data{n}.txt").write_text("plain words of a long document\n" * 14_000)
    (repo / ".droid").mkdir()
    (repo / ".droid" / "note.txt").write_text("committed state that droid must not trust\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "a repository that wants to run its code")
    key = aws_key()
    (repo / "src").mkdir()
    (repo / "src" / "config.py").write_text(f'AWS_ACCESS_KEY_ID = "{key}"\n')
    markers.unlink(missing_ok=True)  # git's own commands above ran the hooks; droid must not
    return repo, markers, key


def _droid(repo: Path, *args: str) -> tuple[int, str, str]:
    script = Path(sys.executable).with_name("droid")
    env = {**os.environ, "NO_COLOR": "1", "DROID_NO_SERVER": "1"}
    env.pop("DROID_POLICIES", None)
    proc = subprocess.run([str(script), *args], cwd=repo, env=env, capture_output=True, text=True, timeout=600)
    return proc.returncode, proc.stdout, proc.stderr


@pytest.mark.slow
def test_every_command_finds_the_key_and_runs_nothing_of_the_repository(tmp_path: Path) -> None:
    repo, markers, key = hostile_repo(tmp_path)

    git(repo, "-c", "core.fsmonitor=false", "-c", "filter.evil.clean=", "add", "src/config.py")
    markers.unlink(missing_ok=True)
    runs = {
        "gate --staged": _droid(repo, "gate", "--staged", "--format", "json"),
        "audit --no-exec": _droid(repo, "audit", "--no-exec", "--format", "json"),
        "ask": _droid(repo, "ask", "any leaked secrets?", "--format", "json"),
    }
    git(repo, "-c", "core.fsmonitor=false", "-c", "filter.evil.clean=", "commit", "-q", "-m", "config")
    git(repo, "switch", "-q", "-c", "feature")
    runs["history"] = _droid(repo, "security", "history", "--format", "json")
    for name, (code, out, err) in runs.items():
        assert code == 1, f"{name}: exit {code}\n{err}"
        assert "src/config.py" in out, name
        assert key not in out + err, name
        assert "outside-secret" not in out, name  # the symlink is read as its target's name, never followed
    assert not markers.exists(), markers.read_text()
    assert "is committed to the repository, not droid's" in runs["audit --no-exec"][2]
    assert "not applicable: --no-exec: they run the repository's code: CMP003" in runs["audit --no-exec"][1]


@pytest.mark.slow
def test_only_the_checks_that_exist_to_run_the_governed_core_run_it_and_say_so(tmp_path: Path) -> None:
    """An audit runs the repository's trading core (its simulator, benchmarks, replay): that code, and
    nothing else of the repository, and the report names what ran."""
    repo, markers, _ = hostile_repo(tmp_path)
    code, out, err = _droid(repo, "audit", "--format", "json")
    assert code == 1, err
    ran = set(markers.read_text().split()) if markers.exists() else set()
    assert ran <= {"trading_core/__init__.py"}, ran
    assert "CMP003 ran the repository's code: its trading core, in the simulator" in out
