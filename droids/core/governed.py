"""Running the governed trading core: the repository's, never droid's own bundled copy by mistake.

A few checks exist to run the code they govern (CMP003's simulated scenarios, the perf droid's
profiling replay). They run it in child processes that import droid from where it is installed and
`trading_core` from the repository's configured core folder (droids.core.settings.governed_core),
and nothing else from the repository: the child's path holds one folder with one entry, a
`trading_core` link to the core folder, and the child is started with `-P` so that its working
directory is not on its path, through droids.core.governed_child, which pins every `trading_core`
module to that folder. A repository's own `droids/`, `orchestrator/` or `sitecustomize.py`
is never imported that way.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from droids.core.models import Task

NOT_APPLICABLE = "not applicable: no trading core configured ([tool.droid] trading-core, or a trading_core/ package)"


def needs_core(task: Task) -> str | None:
    """For a check's `needs`: the reason it cannot run when the repository has no trading core."""
    from droids.core.settings import governed_core

    return "no trading core configured ([tool.droid] trading-core)" if governed_core(task.repo) is None else None


def is_bundled(repo: Path, core: str) -> bool:
    """True when the repository's core folder is the very package droid runs as `trading_core`
    (this repository, installed in place): then running it in process runs the governed code."""
    import trading_core

    return (repo / core).resolve() == Path(trading_core.__file__).resolve().parent


def core_import_dir(repo: Path, core: str, work_dir: Path) -> Path:
    """A folder holding only `trading_core` -> the repository's core folder, to put first on a child's path."""
    folder = work_dir / "governed-core"
    folder.mkdir(parents=True, exist_ok=True)
    link = folder / "trading_core"
    if not link.is_symlink():
        link.symlink_to((repo / core).resolve(), target_is_directory=True)
    return folder


def child_env(core_dir: Path | None) -> dict[str, str]:
    """The environment of a child that runs the governed core: droid's own import path (where the
    parent found droid), with the governed core's folder first; the repository itself is not on it."""
    from droids.core.governed_child import ENV

    own = [p for p in sys.path if p and Path(p).resolve() != Path.cwd().resolve()]
    path = [str(core_dir)] if core_dir is not None else []
    env = {k: v for k, v in os.environ.items() if k != ENV}
    return {
        **env,
        **({ENV: str(core_dir)} if core_dir is not None else {}),
        "PYTHONPATH": os.pathsep.join(path + own),
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONSAFEPATH": "1",  # as -P: the working directory and script folder stay off the path
    }


def child_command(module: str, *args: str) -> list[str]:
    """`python -P -m module args` for a child that runs the governed core, started through
    droids.core.governed_child so that with `child_env(core_dir)` every `trading_core` module comes
    from the governed folder (never droid's bundled copy filling a gap)."""
    return [sys.executable, "-P", "-m", "droids.core.governed_child", module, *args]
