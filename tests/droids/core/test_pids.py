"""pid_alive on real processes: running, exited and not yet reaped (a zombie), reaped, and junk."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from droids.core.pids import pid_alive


@pytest.mark.parametrize("pid", [None, 0, -1, True, "123", 1.5])
def test_what_is_not_a_pid_is_no_process(pid: object) -> None:
    assert pid_alive(pid) is False


def test_a_running_process_is_alive_and_an_exited_one_is_not_even_before_it_is_reaped() -> None:
    assert pid_alive(os.getpid())
    child = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    try:
        assert pid_alive(child.pid)
        assert child.stdin is not None
        child.stdin.close()  # the child exits; nobody has waited for it yet: a zombie
        deadline = time.monotonic() + 30
        while pid_alive(child.pid) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert not pid_alive(child.pid)
    finally:
        child.wait()
    assert not pid_alive(child.pid)
