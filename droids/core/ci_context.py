"""What a git hook or a CI runner hands a run besides its files: the commit message being written
(commit-msg hook) and the CI event payload (GitHub Actions' pull-request event). The orchestrator
reads them once onto the `Task`; checks read them there, never from the environment.

The payload file is named by DROID_GITHUB_EVENT_PATH, else GITHUB_EVENT_PATH (set by the runner).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from droids.core.errors import DroidError

EVENT_ENV = ("DROID_GITHUB_EVENT_PATH", "GITHUB_EVENT_PATH")


def read_commit_message(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        raise DroidError(f"--commit-msg {path}: no such file") from None
    except OSError as exc:
        raise DroidError(f"--commit-msg {path}: cannot read ({exc.strerror or exc})") from None


def event_path(env: Mapping[str, str]) -> Path | None:
    for name in EVENT_ENV:
        value = env.get(name)
        if value:
            return Path(value)
    return None


def load_event(path: Path) -> dict[str, Any]:
    """The event payload at `path`; bad JSON or a missing file is bad input naming the file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DroidError(f"{path}: GitHub event payload not found") from None
    except json.JSONDecodeError as exc:
        raise DroidError(f"{path}:{exc.lineno}: GitHub event payload is not valid JSON ({exc.msg})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DroidError(f"{path}: cannot read the GitHub event payload ({exc.__class__.__name__})") from None
    if not isinstance(data, dict):
        raise DroidError(f"{path}: GitHub event payload: expected a JSON object")
    return data
