"""Entry point of a child process that runs the governed trading core.

    python -P -m droids.core.governed_child MODULE [ARGS...]

runs MODULE as `__main__` (as `python -m MODULE ARGS` would) after pinning `trading_core`, the
package and every module under it, to the folder named by $DROID_GOVERNED_CORE (the folder that
holds the governed `trading_core`, droids.core.governed.core_import_dir). A module the governed
core lacks is then missing, as it is for the repository's own code.

Why a pin and not just PYTHONPATH: with droid installed in editable mode, setuptools' import hook
maps `trading_core.<child>` to droid's own bundled folder whenever the repository's package has no
such child. Without the pin a repository whose core is incomplete would be simulated on droid's
bundled engine, and a report would pass code that never ran. Without $DROID_GOVERNED_CORE (the
governed core is droid's bundled one) nothing is pinned.
"""

from __future__ import annotations

import os
import runpy
import sys
from importlib.machinery import ModuleSpec, PathFinder
from pathlib import Path

ENV = "DROID_GOVERNED_CORE"
PACKAGE = "trading_core"


class GovernedCoreFinder:
    """A meta path finder, first on the path: `trading_core.*` from the governed folder or nowhere."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def find_spec(self, fullname: str, path: object = None, target: object = None) -> ModuleSpec | None:
        if fullname != PACKAGE and not fullname.startswith(PACKAGE + "."):
            return None
        search = [str(self.folder)] if fullname == PACKAGE else list(path or [])  # type: ignore[call-overload]
        spec = PathFinder.find_spec(fullname, search)
        if spec is None:
            raise ModuleNotFoundError(f"No module named {fullname!r} in the governed trading core", name=fullname)
        return spec


def pin(folder: Path) -> None:
    """Put the pin first on `sys.meta_path` (before any `trading_core` import)."""
    sys.meta_path.insert(0, GovernedCoreFinder(folder))


def main(argv: list[str]) -> None:
    if not argv:
        raise SystemExit("usage: python -P -m droids.core.governed_child MODULE [ARGS...]")
    folder = os.environ.get(ENV)
    if folder:
        pin(Path(folder))
    sys.argv = list(argv)
    runpy.run_module(argv[0], run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main(sys.argv[1:])
