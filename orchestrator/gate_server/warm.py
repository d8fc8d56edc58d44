"""Warm-up: load what a gate needs by running one real gate in a throw-away repository.

Importing the CLI, the graph and the registry covers most of it; the checks import their scanners
(detect-secrets, bandit, ...) only when they run, so the server gates one small staged Python file
in a temporary repository, with a bare environment (no DROID_AUDIT_URL, no policies but the
built-ins, no user git configuration), and throws the result and the repository away.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

SAMPLE = '''"""A module the gate server gates once as it starts."""

import os


def area(width: float, height: float) -> float:
    return width * height if os.sep else 0.0
'''


def warm_up() -> str:
    """Run the warm-up gate; returns what to log about it ("" when it went as expected)."""
    from orchestrator.cli.main import invoke
    from orchestrator.gate_server.request import ClientStream, ClientWorld, StreamInfo, client_scope

    with tempfile.TemporaryDirectory(prefix="droid-warm-") as tmp:
        env = {
            "PATH": os.environ.get("PATH", os.defpath),
            "HOME": tmp,
            "LANG": "C.UTF-8",
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": os.devnull,
            "NO_COLOR": "1",
        }
        try:
            subprocess.run(["git", "init", "-q", tmp], env=env, check=True, capture_output=True)
            Path(tmp, "sample.py").write_text(SAMPLE, encoding="utf-8")
            subprocess.run(["git", "-C", tmp, "add", "sample.py"], env=env, check=True, capture_output=True)
        except (OSError, subprocess.CalledProcessError) as exc:
            return f"warm-up skipped: git: {exc}"
        world = ClientWorld(["gate", "--staged"], tmp, env, 0o077, StreamInfo(False), StreamInfo(False), None)
        stderr = ClientStream(StreamInfo(False))
        with client_scope(world, ClientStream(StreamInfo(False)), stderr):
            code = invoke(list(world.argv))
    return "" if code in (0, 1) else f"warm-up gate exited {code}: {stderr.getvalue().strip()[-500:]}"
