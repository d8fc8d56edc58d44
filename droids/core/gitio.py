"""The few git questions a run asks, answered by the `git` command line.

Plain subprocess calls rather than GitPython on purpose: this module sits on the pre-commit path,
where importing GitPython alone costs about 190 ms on this machine, more than the git calls
themselves. Staged blobs are read in one `git cat-file --batch` process, not one per file.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Iterator
from pathlib import Path

from droids.core.errors import DroidError

_ENV = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}


def _git(repo: Path, *args: str, check: bool = True) -> str:
    try:
        proc = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, env=_ENV, check=False)
    except FileNotFoundError:
        raise DroidError("git: command not found; install git to gate a repository") from None
    if check and proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DroidError(f"git {args[0]}: {err[-1] if err else 'failed'} (in {repo})")
    return proc.stdout.decode("utf-8", "surrogateescape")


def toplevel(start: Path) -> Path | None:
    """The git work tree containing `start`, or None when it is not inside one."""
    try:
        out = _git(start, "rev-parse", "--show-toplevel", check=False).strip()
    except DroidError:
        return None
    return Path(out) if out else None


def require_repo(repo: Path, why: str) -> None:
    if toplevel(repo) is None:
        raise DroidError(f"{repo}: not a git repository; {why} needs one")


def _split_z(out: str) -> list[str]:
    return [p for p in out.split("\0") if p]


def staged_paths(repo: Path) -> list[str]:
    """Paths added, copied, modified or renamed in the index (deleted files have nothing to scan)."""
    require_repo(repo, "--staged")
    return _split_z(_git(repo, "diff", "--cached", "--name-only", "-z", "--diff-filter=ACMR"))


def changed_paths(repo: Path, base: str) -> list[str]:
    """Paths changed between the merge base of `base` and HEAD, and the working tree."""
    require_repo(repo, "--base")
    if _git(repo, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}", check=False) == "":
        raise DroidError(f"--base {base}: no such commit in {repo} (fetch it first, e.g. fetch-depth: 0)")
    merge_base = _git(repo, "merge-base", base, "HEAD").strip()
    return _split_z(_git(repo, "diff", "--name-only", "-z", "--diff-filter=ACMR", merge_base))


def tracked_paths(repo: Path) -> list[str]:
    """Every tracked file that exists in the work tree (a deleted-but-unstaged file is skipped)."""
    return [p for p in _split_z(_git(repo, "ls-files", "-z")) if (repo / p).is_file()]


def read_staged(repo: Path, paths: Iterable[str]) -> Iterator[tuple[str, bytes]]:
    """Yield (path, content) of each path's blob in the index, in one cat-file process."""
    wanted = list(paths)
    if not wanted:
        return
    request = "".join(f":{p}\n" for p in wanted).encode("utf-8", "surrogateescape")
    proc = subprocess.run(
        ["git", "-C", str(repo), "cat-file", "--batch"],
        input=request,
        capture_output=True,
        env=_ENV,
        check=False,
    )
    for path, content in zip(wanted, parse_batch(proc.stdout, len(wanted)), strict=True):
        if content is not None:
            yield path, content


def parse_batch(out: bytes, count: int) -> Iterator[bytes | None]:
    """The contents `git cat-file --batch` wrote for `count` requests, in request order (None: missing)."""
    pos = 0
    for _ in range(count):
        nl = out.index(b"\n", pos)
        header = out[pos:nl].split()
        pos = nl + 1
        if len(header) < 3 or header[-1] == b"missing":
            yield None
            continue
        size = int(header[2])
        yield out[pos : pos + size]
        pos += size + 1


def head(repo: Path) -> str | None:
    out = _git(repo, "rev-parse", "--verify", "--quiet", "HEAD", check=False).strip()
    return out or None


def config_value(repo: Path, key: str) -> str | None:
    out = _git(repo, "config", "--get", key, check=False).strip()
    return out or None
