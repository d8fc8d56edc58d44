"""The git plumbing the history scan needs besides `git log`: refs, commits, trees and blobs by id.

Every call goes through `droids.core.git`, the one module that starts git processes.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from droids.core import git as core_git


def git(repo: Path, *args: str, check: bool = True, stdin: bytes | None = None) -> bytes:
    return core_git.run(repo, *args, stdin=stdin, ok=(0,) if check else tuple(range(256)))


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
    return {sha for sha, (kind, _) in core_git.object_info(repo, shas).items() if kind == "commit"}


def blob_sizes(repo: Path, blobs: Iterable[str]) -> dict[str, int]:
    """Size of each blob id that exists (missing ones are left out)."""
    return {sha: size for sha, (kind, size) in core_git.object_info(repo, blobs).items() if kind == "blob"}


def read_blobs(repo: Path, blobs: Iterable[str]) -> dict[str, bytes]:
    """Contents of the given blob ids, read in one `git cat-file --batch` process."""
    return core_git.read_objects(repo, blobs)


def tree_blobs(repo: Path, commit: str, max_bytes: int) -> dict[str, str]:
    """Path -> blob id of every file in `commit`'s tree up to `max_bytes` (no submodules or symlinks)."""
    return {
        path: sha
        for path, mode, sha, size in core_git.tree_files(repo, commit)
        if mode != "120000" and size <= max_bytes
    }


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
