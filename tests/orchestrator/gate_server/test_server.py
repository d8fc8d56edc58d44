"""End to end: the real client, real detached servers, real Unix sockets, real git repositories.

Every answer is compared with the same gate run in process (`DROID_NO_SERVER=1`). The signal that a
gate was served is the client's `--verbose` line naming the server's pid, never a timing.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from orchestrator.gate_server import wire
from orchestrator.gate_server.client import Client
from orchestrator.gate_server.fingerprint import PACKAGES, package_parent
from orchestrator.gate_server.place import socket_path
from tests.conftest import git
from tests.orchestrator.cli.helpers import aws_key
from tests.orchestrator.gate_server.helpers import (
    ENTRY,
    alive,
    client_env,
    gate,
    in_process,
    normalized,
    server_pids,
    server_ready,
    stage,
    stop_servers,
    wait_for_server,
    wait_until,
)

pytestmark = pytest.mark.slow
SERVED = "droid: served by the warm gate server (pid {pid})"


@pytest.fixture
def repo(git_repo: Path) -> Iterator[Path]:
    yield git_repo
    stop_servers(git_repo)


def _stage_key(repo: Path) -> str:
    key = aws_key()
    stage(repo, "src/config.py", f"import os\n\nREGION = 'us-east-1'\nAWS_ACCESS_KEY_ID = '{key}'\n")
    return key


def _served_pid(repo: Path) -> int:
    """Start the repository's server with one gate, wait until it listens; its pid."""
    first = gate(repo, "-v")
    assert "droid: started a warm gate server for the next gate (pid" in first.err, first.err
    wait_for_server(repo)
    (pid,) = server_pids(repo)
    return pid


def _without_timings(value: object) -> object:
    """A JSON report without what differs between any two runs: times, durations, the trail's anchor."""
    if isinstance(value, dict):
        return {
            k: _without_timings(v)
            for k, v in value.items()
            if k not in ("started_at", "audit_entry") and not k.endswith(("_ms", "_s"))
        }
    if isinstance(value, list):
        return [_without_timings(v) for v in value]
    return value


def test_the_first_gate_starts_a_server_and_the_next_is_served_with_the_same_answer(repo: Path) -> None:
    key = _stage_key(repo)
    pid = _served_pid(repo)
    served = gate(repo, "-v")
    assert SERVED.format(pid=pid) in served.err
    assert served.code == 1 and "SEC001" in served.out and key not in served.out + served.err
    for args in ([], ["--format", "json"]):
        here, there = in_process(repo, *args), gate(repo, *args)
        assert (there.code, there.err) == (here.code, here.err) == (1, "")
        if args:
            assert _without_timings(json.loads(there.out)) == _without_timings(json.loads(here.out))
        else:
            assert normalized(there.out) == normalized(here.out)
    git(repo, "rm", "-q", "--cached", "src/config.py")
    stage(repo, "src/clean.py", "def area(w: float, h: float) -> float:\n    return w * h\n")
    clean, here = gate(repo, "-v"), in_process(repo)
    assert SERVED.format(pid=pid) in clean.err
    assert (clean.code, normalized(clean.out)) == (here.code, normalized(here.out)) == (0, normalized(here.out))
    folder = repo / ".droid" / "server"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    sock = (folder / "gate.sock").lstat()
    assert stat.S_ISSOCK(sock.st_mode) and stat.S_IMODE(sock.st_mode) == 0o600


def test_bad_input_and_usage_errors_are_answered_as_in_process(repo: Path) -> None:
    _stage_key(repo)
    pid = _served_pid(repo)
    for args in (["--format", "yaml"], ["--mode", "nightly"], ["--no-such-option"]):
        there, here = gate(repo, *args, "-v"), in_process(repo, *args, "-v")
        assert SERVED.format(pid=pid) in there.err
        assert there.code == here.code == 2, there.err
        assert there.err.replace(SERVED.format(pid=pid) + "\n", "") == here.err
        assert there.out == here.out


def test_colour_follows_the_clients_terminal(repo: Path) -> None:
    _stage_key(repo)
    pid = _served_pid(repo)
    env = client_env()
    env.pop("NO_COLOR")
    leader, follower = os.openpty()
    try:
        proc = subprocess.run(
            [*ENTRY, "gate", "--staged", "-v"], cwd=repo, env=env, stdout=follower, stderr=subprocess.PIPE, timeout=120
        )
        os.close(follower)
        on_tty = _drain(leader)
    finally:
        os.close(leader)
    assert SERVED.format(pid=pid) in proc.stderr.decode()
    assert proc.returncode == 1 and "\x1b[" in on_tty  # coloured, as in process on a terminal
    piped = gate(repo, env=env)
    assert piped.code == 1 and "\x1b[" not in piped.out


def _drain(fd: int) -> str:
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO once the other side is closed and drained
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks).decode()


def test_a_symlinked_state_folder_is_refused_and_the_gate_runs_in_process(repo: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (repo / ".droid").symlink_to(elsewhere)
    _stage_key(repo)
    for _ in range(2):
        result = gate(repo, "-v")
        assert result.code == 1 and "SEC001" in result.out
        assert (
            f"droid: not using the warm gate server: {repo}/.droid is a symlink; gating in this process" in result.err
        )
        assert "served by" not in result.err and "started a warm gate server" not in result.err
    assert not (elsewhere / "server").exists()


def test_a_request_for_another_repository_is_refused(repo: Path, tmp_path: Path) -> None:
    _stage_key(repo)
    pid = _served_pid(repo)
    other = tmp_path / "other"
    other.mkdir()
    git(other, "init", "-q")
    request = Client(["gate", "--staged"], client_env()).request(str(other), str(other))
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(30)
        sock.connect(socket_path(str(repo)))
        wire.send(sock, request)
        reply = wire.receive(sock)
    assert reply == {"type": "refused", "reason": f"this server serves {repo} only, not {other}"}
    assert SERVED.format(pid=pid) in gate(repo, "-v").err  # still serving its own repository


def test_other_code_makes_the_server_exit_and_the_client_still_answers(repo: Path, tmp_path: Path) -> None:
    """A copy of droid's packages stands for the installed code; editing it is an upgrade."""
    installed = tmp_path / "installed"
    for name in PACKAGES:
        shutil.copytree(package_parent() / name, installed / name, ignore=shutil.ignore_patterns("__pycache__"))
    env = client_env(PYTHONPATH=str(installed))
    _stage_key(repo)
    first = gate(repo, "-v", env=env)
    assert first.code == 1 and "started a warm gate server" in first.err
    wait_for_server(repo)
    (old,) = server_pids(repo)
    assert SERVED.format(pid=old) in gate(repo, "-v", env=env).err
    graph = installed / "orchestrator" / "graph.py"
    graph.write_text(graph.read_text() + "# upgraded\n")
    upgraded = gate(repo, "-v", env=env)
    assert upgraded.code == 1 and "SEC001" in upgraded.out
    assert "droid: the warm gate server runs other code; gating in this process" in upgraded.err
    assert "served by" not in upgraded.err
    wait_until(lambda: not alive(old, repo), "the stale server to exit", timeout=30)
    assert "exiting: stale: the installed code changed" in (repo / ".droid" / "server" / "server.log").read_text()
    wait_for_server(repo)  # the client started a fresh one, which serves the new code
    (new,) = [p for p in server_pids(repo) if p != old]
    assert SERVED.format(pid=new) in gate(repo, "-v", env=env).err


def _stage_much(repo: Path) -> None:
    """Enough staged code that a served run is still going a few hundred milliseconds after it began."""
    for i in range(40):
        body = "".join(f"def f{i}_{j}(x):\n    return x * {j}\n\n\n" for j in range(150))
        stage(repo, f"src/m{i:02}.py", body)


def _served_client(repo: Path, pid: int) -> subprocess.Popen[str]:
    """A gate client whose run the server `pid` has begun."""
    proc = subprocess.Popen(
        [*ENTRY, "gate", "--staged", "-v"],
        cwd=repo,
        env=client_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    assert proc.stderr.readline() == SERVED.format(pid=pid) + "\n"
    return proc


def test_a_server_killed_mid_request_still_gives_the_right_answer(repo: Path) -> None:
    _stage_much(repo)
    key = _stage_key(repo)
    pid = _served_pid(repo)
    proc = _served_client(repo, pid)
    os.kill(pid, signal.SIGKILL)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 1 and "SEC001" in out and key not in out + err
    assert "droid: the warm gate server failed (" in err and "; gating in this process" in err
    assert normalized(out) == normalized(in_process(repo, "-v").out)


def test_a_client_that_hangs_up_mid_run_ends_the_run_and_the_server(repo: Path) -> None:
    _stage_much(repo)
    _stage_key(repo)
    pid = _served_pid(repo)
    proc = _served_client(repo, pid)
    proc.kill()  # as a closed terminal would; the run is interrupted as Ctrl-C would interrupt it
    proc.communicate()
    wait_until(lambda: not alive(pid, repo), "the server to exit", timeout=60)
    assert "exiting: client hung up mid-run" in (repo / ".droid" / "server" / "server.log").read_text()


def test_policies_are_read_on_every_request_and_a_run_that_leaves_a_thread_ends_the_server(repo: Path) -> None:
    _stage_much(repo)
    pid = _served_pid(repo)
    assert gate(repo).code == 0
    defaults = (package_parent() / "droids" / "core" / "defaults" / "gates.yaml").read_text()
    tight = defaults.replace("time_limit_s: 30", "time_limit_s: 0.001")  # every droid overruns
    assert tight != defaults
    (repo / "policies").mkdir()
    (repo / "policies" / "gates.yaml").write_text(tight)
    there = gate(repo, "-v")
    assert SERVED.format(pid=pid) in there.err
    assert there.code == 3 and "exceeded its time limit of 0.001 s" in there.err  # the gate fails closed
    wait_until(lambda: not alive(pid, repo), "the server to exit", timeout=60)
    log = (repo / ".droid" / "server" / "server.log").read_text()
    assert "exiting: a run left threads behind: droid-" in log
    here = in_process(repo)
    assert (here.code, normalized(here.out)) == (there.code, normalized(there.out))


def test_an_idle_server_stops(repo: Path) -> None:
    _stage_key(repo)
    first = gate(repo, env=client_env(DROID_SERVER_IDLE="2"))
    assert first.code == 1
    wait_for_server(repo)
    (pid,) = server_pids(repo)
    wait_until(lambda: not alive(pid, repo), "the idle server to exit", timeout=60)
    assert not (repo / ".droid" / "server" / "gate.sock").exists()
    assert "idle" in (repo / ".droid" / "server" / "server.log").read_text()
    assert not server_ready(repo)


@pytest.mark.parametrize("switch", [{"DROID_NO_SERVER": "1"}, {"CI": "true"}])
def test_no_server_when_turned_off_or_under_ci(repo: Path, switch: dict[str, str]) -> None:
    _stage_key(repo)
    for _ in range(2):
        result = gate(repo, "-v", env=client_env(**switch))
        assert result.code == 1 and "warm gate server" not in result.err
    assert not (repo / ".droid" / "server").exists()


def test_the_hook_under_real_pre_commit_is_served_and_never_waits_for_the_server(repo: Path) -> None:
    precommit = shutil.which("pre-commit", path=str(Path(os.sys.executable).parent))
    if precommit is None:
        pytest.skip("pre-commit is not installed in this environment (a dev extra)")
    entry = " ".join([*ENTRY, "gate", "--staged", "--verbose"])
    (repo / ".pre-commit-config.yaml").write_text(
        "repos:\n  - repo: local\n    hooks:\n      - id: droid-gate\n        name: droid gate\n"
        f"        entry: {entry}\n        language: system\n        pass_filenames: false\n"
    )
    env = client_env(PRE_COMMIT_HOME=str(repo.parent / "pre-commit-home"))
    subprocess.run([precommit, "install"], cwd=repo, env=env, check=True, capture_output=True)
    stage(repo, ".pre-commit-config.yaml", (repo / ".pre-commit-config.yaml").read_text())
    commit = ["git", "commit", "-q", "-m"]
    # The first hook starts the server detached: the commit must not wait for it (pre-commit reads
    # the hook's output to its end, so a server holding those pipes would hang it for the idle time).
    clean = subprocess.run([*commit, "hooks"], cwd=repo, env=env, capture_output=True, text=True, timeout=60)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    wait_for_server(repo)
    (pid,) = server_pids(repo)
    key = _stage_key(repo)
    leaked = subprocess.run([*commit, "oops"], cwd=repo, env=env, capture_output=True, text=True, timeout=60)
    shown = leaked.stdout + leaked.stderr
    assert leaked.returncode != 0 and "SEC001" in shown and key not in shown
    assert SERVED.format(pid=pid) in shown
    assert git(repo, "log", "--format=%s").splitlines() == ["hooks", "init"]


def test_a_server_that_cannot_start_is_not_started_again_for_a_while(repo: Path, tmp_path: Path) -> None:
    installed = tmp_path / "installed"
    for name in PACKAGES:
        shutil.copytree(package_parent() / name, installed / name, ignore=shutil.ignore_patterns("__pycache__"))
    (installed / "orchestrator" / "gate_server" / "warm.py").write_text("raise ImportError('broken install')\n")
    env = client_env(PYTHONPATH=str(installed))
    _stage_key(repo)
    first = gate(repo, "-v", env=env)
    assert first.code == 1 and "started a warm gate server" in first.err
    failed = repo / ".droid" / "server" / "gate.failed"
    wait_until(failed.exists, "the server to give up", timeout=60)
    assert "ImportError: broken install" in failed.read_text()
    again = gate(repo, "-v", env=env)
    assert again.code == 1 and "SEC001" in again.out
    assert "warm gate server" not in again.err  # neither served nor started
    assert "cannot start: ImportError: broken install" in (repo / ".droid" / "server" / "server.log").read_text()
