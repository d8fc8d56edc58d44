"""SEC003's view of `.env` files: which names are env files, what git does with them, and whether an
example file holds placeholders only.

Git is asked through `droids.core.git`: `git ls-files` for what is
tracked, `git check-ignore --no-index` for what the ignore rules match (tracked or not), and
`git ls-files --others --exclude-standard` for untracked files no rule ignores.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from droids.core import git
from droids.security_compliance.secrets.secret_names import is_secret_name

EXAMPLE_SUFFIXES = (".example", ".sample", ".template")
_ENV_NAME = re.compile(r"\.env(?:[._-].*)?")
_ASSIGNMENT = re.compile(r"^\s*(?:export\s+)?(?P<key>[A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(?P<value>.*)$")
_WRAPPED = re.compile(r"^(<.*>|\{.*\}|\[.*\]|\$\{.*\}|\$[A-Za-z_]\w*|%\(.*\)s|\{\{.*\}\})$", re.S)
_PLACEHOLDER_WORDS = frozenset(
    {"demo", "na", "n/a", "none", "null", "unset", "empty", "required", "optional", "setme", "set-me", "set_me"}
)


def is_env_file(path: str) -> bool:
    """`.env`, `.env.local`, `.env-prod`, `config/.env.production`; not `.envrc` (direnv's script)."""
    return bool(_ENV_NAME.fullmatch(PurePosixPath(path).name))


def is_example(path: str) -> bool:
    return is_env_file(path) and PurePosixPath(path).name.lower().endswith(EXAMPLE_SUFFIXES)


def _git(
    repo: Path, *args: str, stdin: bytes | None = None, ok: tuple[int, ...] = (0,), worktree: bool = False
) -> list[str]:
    return git.split_z(git.run(repo, *args, stdin=stdin, ok=ok, worktree=worktree).decode("utf-8", "surrogateescape"))


def tracked(repo: Path, paths: list[str]) -> set[str]:
    """Those of `paths` that are in the index (tracked or staged)."""
    if not paths:
        return set()
    return set(_git(repo, "ls-files", "-z", "--", *(f":(literal){p}" for p in paths)))


def ignored(repo: Path, paths: list[str]) -> set[str]:
    """Those of `paths` an ignore rule matches, whether or not they are tracked."""
    if not paths:
        return set()
    request = b"\0".join(p.encode("utf-8", "surrogateescape") for p in paths) + b"\0"
    return set(_git(repo, "check-ignore", "--no-index", "-z", "--stdin", stdin=request, ok=(0, 1)))


def untracked_unignored_env_files(repo: Path) -> list[str]:
    """Env files in the work tree that are not tracked and that no ignore rule matches."""
    found = _git(repo, "ls-files", "-z", "--others", "--exclude-standard", "--", ":(glob)**/.env*", worktree=True)
    return sorted(p for p in found if is_env_file(p) and not is_example(p))


@dataclass(frozen=True)
class ExampleValue:
    line: int
    key: str


def real_values(text: str) -> list[ExampleValue]:
    """Secret-named keys of an example env file whose value is not a placeholder."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _ASSIGNMENT.match(line)
        if match is None or not is_secret_name(match.group("key"), setting=True):
            continue
        if not is_placeholder(_unquote(match.group("value"))):
            found.append(ExampleValue(number, match.group("key")))
    return found


def is_placeholder(value: str) -> bool:
    """Empty, a reference (`${VAR}`), a marked blank (`<your key>`, `changeme`, `xxxx`, `...`)."""
    from droids.security_compliance.secrets.false_positives import is_placeholder as sec001_placeholder

    bare = value.strip()
    if not bare or "..." in bare or _WRAPPED.match(bare) or bare.lower() in _PLACEHOLDER_WORDS:
        return True
    return sec001_placeholder("Secret Keyword", bare)


def _unquote(raw: str) -> str:
    raw = raw.strip()
    if raw[:1] in ("'", '"'):
        end = raw.find(raw[0], 1)
        return raw[1:end] if end > 0 else raw[1:]
    return "" if raw.startswith("#") else re.split(r"\s+#", raw, maxsplit=1)[0]
