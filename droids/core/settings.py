"""Where a repository keeps droid's configuration, and which trading core it governs.

The policies folder, first that applies (shown by `droid policy where`):
1. `--policies DIR` on the command line;
2. the `DROID_POLICIES` environment variable;
3. `[tool.droid] policies = "DIR"` in the repository's pyproject.toml (relative to the repository);
4. `<repo>/policies/` when it exists;
5. none: every file comes from droid's built-in defaults.
Within the chosen folder each file the folder lacks is inherited from the built-ins
(trading_core.policy.policy_path), so a repository may override one file and keep the rest.

The governed trading core: `[tool.droid] trading-core = "DIR"` (a package folder in the repository),
else `<repo>/trading_core/` when it is a package, else none: the checks that run a trading core
(CMP003's scenarios, the perf droid's profiling replay) say "not applicable" once instead of running
droid's own bundled copy. pyproject.toml is read as data (tomllib); a bad key is one line, exit 2.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from droids.core.errors import DroidError

ENV_POLICIES = "DROID_POLICIES"
_KEYS = {"policies", "trading-core"}


@dataclass(frozen=True)
class PolicyChoice:
    folder: Path  # may not exist: then every file is a built-in
    how: str  # "--policies", "DROID_POLICIES", "[tool.droid] policies", "<repo>/policies", "built-in defaults"


def tool_settings(repo: Path) -> dict[str, Any]:
    """`[tool.droid]` of the repository's pyproject.toml ({} without one); unknown keys are refused."""
    path = repo / "pyproject.toml"
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise DroidError(f"{path}: cannot read ({exc.__class__.__name__})") from None
    except tomllib.TOMLDecodeError as exc:
        raise DroidError(f"{path}: not valid TOML ({exc})") from None
    section = data.get("tool", {}).get("droid", {})
    if not isinstance(section, dict):
        raise DroidError(f"{path}: tool.droid: expected a table")
    unknown = sorted(set(section) - _KEYS)
    if unknown:
        raise DroidError(f"{path}: tool.droid.{unknown[0]}: unknown key (expected one of {', '.join(sorted(_KEYS))})")
    for key, value in section.items():
        if not isinstance(value, str) or not value.strip():
            raise DroidError(f"{path}: tool.droid.{key}: expected a folder path as a string")
    return section


def choose_policies(repo: Path, given: Path | None, env: Mapping[str, str], cwd: Path) -> PolicyChoice:
    """The policies folder, by the order in the module docstring; a named folder must exist."""
    if given is not None:
        return PolicyChoice(_existing((cwd / given).resolve(), "--policies"), "--policies")
    if env.get(ENV_POLICIES):
        return PolicyChoice(_existing((cwd / env[ENV_POLICIES]).resolve(), ENV_POLICIES), ENV_POLICIES)
    configured = tool_settings(repo).get("policies")
    if configured:
        where = "[tool.droid] policies"
        return PolicyChoice(_existing((repo / configured).resolve(), f"pyproject.toml {where}"), where)
    own = repo / "policies"
    if own.is_dir():
        return PolicyChoice(own.resolve(), "<repo>/policies")
    return PolicyChoice(own, "built-in defaults")


def _existing(folder: Path, what: str) -> Path:
    if not folder.is_dir():
        raise DroidError(f"{what} {folder}: no such folder")
    return folder


def governed_core(repo: Path) -> str | None:
    """The repository-relative folder of the trading core droid governs, or None when there is none."""
    configured = tool_settings(repo).get("trading-core")
    if configured:
        folder = (repo / configured).resolve()
        if not (folder / "__init__.py").is_file():
            raise DroidError(
                f"{repo / 'pyproject.toml'}: tool.droid.trading-core: {configured} is not a package folder"
            )
        try:
            return folder.relative_to(repo.resolve()).as_posix()
        except ValueError:
            raise DroidError(
                f"{repo / 'pyproject.toml'}: tool.droid.trading-core: {configured} is outside the repository"
            ) from None
    return "trading_core" if (repo / "trading_core" / "__init__.py").is_file() else None


def state_dir(repo: Path) -> tuple[Path, str | None]:
    """Where droid keeps its state for `repo` (caches, history marks, reports, the local trail), and
    a note when that is not `<repo>/.droid`.

    State is never read from the repository under review: a `.droid` that is a symbolic link, or
    that the repository commits (a poisoned cache could say "scanned, nothing found"), is refused and
    the state lives in the user's state folder instead."""
    local = repo / ".droid"
    if local.is_symlink():
        return _outside(repo), f"{local} is a symbolic link, not droid's: state kept in {_outside(repo)}"
    if _tracked(repo, ".droid"):
        return _outside(repo), f"{local} is committed to the repository, not droid's: state kept in {_outside(repo)}"
    return local, None


def outside_state_dir(repo: Path) -> Path:
    """The user's state folder for `repo`, outside its work tree."""
    return _outside(repo)


def _outside(repo: Path) -> Path:
    import hashlib

    from droids.core.user_state import user_state_dir

    return user_state_dir() / "droid" / "repos" / hashlib.sha256(str(repo.resolve()).encode()).hexdigest()[:16]


def _tracked(repo: Path, folder: str) -> bool:
    """True when the index holds a file under `folder/`. The index bytes are searched first (no git
    process on the pre-commit path); only a hit is confirmed with `git ls-files`."""
    from droids.core import git

    dotgit = repo / ".git"
    if dotgit.is_file():  # a worktree or submodule: "gitdir: <path>"
        text = dotgit.read_text(encoding="utf-8", errors="replace").strip()
        dotgit = (repo / text.removeprefix("gitdir:").strip()).resolve()
    try:
        index = (dotgit / "index").read_bytes()
    except OSError:
        return False
    if f"{folder}/".encode() not in index:
        return False
    return bool(git.split_z(git.try_text(repo, "ls-files", "-z", "--", f":(literal){folder}")))
