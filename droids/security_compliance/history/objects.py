"""The git plumbing the history scan needs besides `git log`: refs, commits, trees and blobs by id."""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from pathlib import Path

from droids.core import gitio
from droids.core.errors import DroidError
from droids.security_compliance.history.gitlog import GIT_ENV


def git(repo: Path, *args: str, check: bool = True, stdin: bytes | None = None) -> bytes:
    try:
        proc = subprocess.run(
            ["git", "-C", str(repo), *args], input=stdin, capture_output=True, env=GIT_ENV, check=False
        )
    except FileNotFoundError:
        raise DroidError("git: command not found; install git to scan history") from None
    if check and proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DroidError(f"git {args[0]}: {err[-1] if err else 'failed'} (in {repo})")
    return proc.stdout


def ref_tips(repo: Path) -> dict[str, str]:
    """Every ref (and HEAD) that points, directly or through a tag, at a commit: name -> commit id."""
    out = git(
        repo, "for-each-ref", "--format=%(refname)%00%(objecttype)%00%(objectname)%00%(*objecttype)%00%(*objectname)"
    )
    tips: dict[str, str] = {}
    for line in out.decode("utf-8", "surrogateescape").splitlines():
        name, kind, sha, peeled_kind, peeled = line.split("\0")
        if kind == "commit":
            tips[name] = sha
        elif peeled_kind == "commit":
            tips[name] = peeled
    head = git(repo, "rev-parse", "--verify", "--quiet", "HEAD^{commit}", check=False).decode().strip()
    if head:
        tips["HEAD"] = head
    return tips


def commit_list(repo: Path, include: Iterable[str], exclude: Iterable[str]) -> list[str]:
    """Commits reachable from `include` and not from `exclude`, parents before children."""
    revs = "".join(f"{sha}\n" for sha in include) + "".join(f"^{sha}\n" for sha in exclude)
    if not revs:
        return []
    out = git(repo, "rev-list", "--topo-order", "--reverse", "--stdin", stdin=revs.encode())
    return out.decode().split()


def existing(repo: Path, shas: Iterable[str]) -> set[str]:
    """The ids among `shas` that name commits in this repository."""
    wanted = list(dict.fromkeys(shas))
    if not wanted:
        return set()
    out = git(
        repo, "cat-file", "--batch-check=%(objectname) %(objecttype)", stdin="".join(f"{s}\n" for s in wanted).encode()
    )
    return {line.split()[0] for line in out.decode().splitlines() if line.endswith(" commit")}


def blob_sizes(repo: Path, blobs: Iterable[str]) -> dict[str, int]:
    """Size of each blob id that exists (missing ones are left out)."""
    wanted = list(dict.fromkeys(blobs))
    if not wanted:
        return {}
    out = git(
        repo,
        "cat-file",
        "--batch-check=%(objectname) %(objecttype) %(objectsize)",
        stdin="".join(f"{b}\n" for b in wanted).encode(),
    )
    sizes = {}
    for line in out.decode().splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] == "blob":
            sizes[parts[0]] = int(parts[2])
    return sizes


def read_blobs(repo: Path, blobs: Iterable[str]) -> dict[str, bytes]:
    """Contents of the given blob ids, read in one `git cat-file --batch` process."""
    wanted = list(dict.fromkeys(blobs))
    if not wanted:
        return {}
    out = git(repo, "cat-file", "--batch", stdin="".join(f"{b}\n" for b in wanted).encode())
    parsed = zip(wanted, gitio.parse_batch(out, len(wanted)), strict=True)
    return {blob: content for blob, content in parsed if content is not None}


def tree_blobs(repo: Path, commit: str, max_bytes: int) -> dict[str, str]:
    """Path -> blob id of every file in `commit`'s tree up to `max_bytes` (no submodules or symlinks)."""
    out = git(repo, "ls-tree", "-r", "-z", "-l", "--full-tree", commit)
    files = {}
    for entry in out.split(b"\0"):
        if not entry:
            continue
        meta, path = entry.split(b"\t", 1)
        mode, kind, sha, size = meta.split()
        if kind == b"blob" and mode != b"120000" and int(size) <= max_bytes:
            files[path.decode("utf-8", "surrogateescape")] = sha.decode()
    return files


def shallow_boundary(repo: Path) -> list[str]:
    """The commits whose parents a shallow clone does not have (empty for a full clone)."""
    if git(repo, "rev-parse", "--is-shallow-repository").decode().strip() != "true":
        return []
    path = Path(git(repo, "rev-parse", "--git-path", "shallow").decode().strip())
    shallow = path if path.is_absolute() else repo / path
    try:
        return shallow.read_text().split()
    except OSError:
        return []
