"""Where a policy file is read from: the repository's policies folder, else the built-in default.

Every command works in a repository with no configuration: each policy file a repository does not
have is read from the defaults shipped in the package (this folder's `defaults/` for the trading
core's files; each droid ships its own). A repository may override one file and inherit the rest.
A file the repository has is always its own, even when it is broken: a broken file is an error
naming it, never silently replaced by the default.
"""

from __future__ import annotations

from pathlib import Path

BUILTIN_DIR = Path(__file__).with_name("defaults")


def policy_path(policies_dir: Path, name: str, builtin_dir: Path = BUILTIN_DIR) -> Path:
    """`policies_dir/name` when the repository has it (even broken), else the built-in file when one
    ships, else `policies_dir/name` (whose loader then says it is missing)."""
    own = Path(policies_dir) / name
    if own.exists() or own.is_symlink():
        return own
    builtin = builtin_dir / name
    return builtin if builtin.is_file() else own


def is_builtin(path: Path) -> bool:
    """True when `path` is one of the package's built-in defaults (any layer's `defaults/` folder)."""
    return path.parent.name == "defaults" and _inside_package(path)


def _inside_package(path: Path) -> bool:
    root = Path(__file__).resolve().parents[2]  # the folder holding trading_core/ and droids/
    try:
        path.resolve().relative_to(root)
    except ValueError:
        return False
    return True
