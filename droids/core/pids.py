"""Is a process still running? For the state droids keep about processes they started or that
claimed work (the monitoring outbox's lease owner, a deploy's release processes)."""

from __future__ import annotations

import os
from pathlib import Path


def pid_alive(pid: object) -> bool:
    """True while a process `pid` exists and has not exited: a zombie (exited, not yet reaped by its
    parent) counts as gone; one of another user (kill says "not permitted") as alive."""
    if not isinstance(pid, int) or isinstance(pid, bool) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1].startswith("Z")
    except (OSError, IndexError):
        return False  # no /proc (macOS): kill's answer stands
