"""Run the real `droid` CLI in a subprocess and build secrets at run time."""

from __future__ import annotations

import json
import os
import random
import string
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import REPO_ROOT


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> dict:
        return json.loads(self.out)


def droid(*args: str, cwd: Path, env: dict[str, str] | None = None, repo_policies: bool = False) -> Result:
    """`droid ARGS` in `cwd` with this repository's shipped policies unless --policies is given, or
    with `repo_policies` as a user runs it: the repository's own configuration, else the built-ins."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    full_env.pop("GITHUB_ACTOR", None)
    full_env.pop("DROID_POLICIES", None)
    argv = list(args)
    if "--policies" not in argv and not repo_policies:
        argv = ["--policies", str(REPO_ROOT / "policies"), *argv]
    proc = subprocess.run(
        # -P: like the installed `droid` script, never import packages from the cwd (the repo under test)
        [sys.executable, "-P", "-m", "orchestrator.cli.main", *argv],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def aws_key() -> str:
    """An AWS-access-key-shaped string made at run time (never committed as a literal)."""
    rng = random.SystemRandom()
    return "AKIA" + "".join(rng.choice(string.ascii_uppercase + "234567") for _ in range(16))
