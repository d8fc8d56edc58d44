"""The user's state directory: what droid keeps about repositories outside their work trees.

`$XDG_STATE_HOME` when it is an absolute path (a relative one is ignored, as the XDG Base Directory
spec says), else `~/.local/state`. droid writes under `droid/` there: the audit trail's anchors
(`anchors/`), this machine's fingerprint key (`fingerprint.key`), folders 0700, files 0600, and the
state of a repository whose own `.droid/` is refused (`repos/<hash>/`, see settings.state_dir).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path


def user_state_dir(env: Mapping[str, str] | None = None) -> Path:
    state = (os.environ if env is None else env).get("XDG_STATE_HOME", "")
    return Path(state) if state and Path(state).is_absolute() else Path.home() / ".local" / "state"
