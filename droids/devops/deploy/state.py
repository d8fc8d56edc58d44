"""What runs where, per environment: `.droid/deploy/<env>/state.json`, changed under a lock file.

    {"proxy": {"pid", "port", "marker"}, "live": Version, "canary": Version | null,
     "history": [ {time, action, version, commit, tag, who, result, reason} ... ]}

A Version is {"version", "commit", "tag", "pid", "port", "release", "started"}. The proxy's control
token lives beside it in `proxy.token` (mode 0600); no secret is in the state.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from droids.core.errors import DroidError

HISTORY = 50


def env_dir(state_dir: Path, env: str) -> Path:
    return state_dir / "deploy" / env


def read(state_dir: Path, env: str) -> dict[str, Any]:
    path = env_dir(state_dir, env) / "state.json"
    if not path.is_file():
        return {"proxy": None, "live": None, "canary": None, "history": []}
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise DroidError(f"{path}: unreadable deploy state ({exc}); stop the environment and deploy again") from None


def write(state_dir: Path, env: str, state: dict[str, Any]) -> None:
    folder = env_dir(state_dir, env)
    folder.mkdir(parents=True, exist_ok=True)
    state["history"] = state.get("history", [])[-HISTORY:]
    tmp = folder / "state.json.tmp"
    tmp.write_text(json.dumps(state, indent=2, sort_keys=True), "utf-8")
    tmp.replace(folder / "state.json")


def record(state: dict[str, Any], action: str, result: str, **fields: Any) -> dict[str, Any]:
    entry = {"time": now(), "action": action, "result": result, **fields}
    state.setdefault("history", []).append(entry)
    return entry


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@contextmanager
def locked(state_dir: Path, env: str) -> Iterator[None]:
    """One deploy per environment at a time; a second one says so instead of waiting."""
    folder = env_dir(state_dir, env)
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / "lock", os.O_CREAT | os.O_RDWR, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DroidError(f"{env}: another deploy to this environment is running") from None
        yield
    finally:
        os.close(fd)
