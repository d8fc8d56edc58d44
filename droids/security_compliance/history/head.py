"""Is a secret found in history still in the HEAD tree, at its own path or anywhere else?

"Still there" is decided by SEC001's engine on the HEAD version of a file (through SEC001's own
content cache, so an audit that ran SEC001 first pays nothing): the file must report a value
with one of the secret's SHA-1s. Which files to scan:

- the secret's own path, unless HEAD's blob there is one the history scan found it in (then it
  is there without scanning);
- any HEAD file holding a line that history saw the secret on (same SHA-256 of the line, at any
  path: a copy, a move, a line pasted elsewhere). Every line of a HEAD file was added by some
  commit, so every line with the secret was seen; only lines holding the secret's redacted
  prefix are hashed, when it has one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from droids.core.workspace import is_binary
from droids.security_compliance.history.objects import read_blobs, tree_blobs

_SELECTIVE = 3


@dataclass
class Secret:
    """One secret at one path, as the history scan found it (hashes and redacted evidence only)."""

    path: str
    group: str
    hashes: frozenset[str]
    blobs: frozenset[str]  # blobs at `path` the scan found it in
    line_hashes: frozenset[str]  # every line, at any path, it was seen on
    evidence: str
    head_paths: list[str] = field(default_factory=list)


def locate_at_head(
    repo: Path, head: str, secrets: list[Secret], cache_dir: Path | None, memo: dict[str, Any]
) -> dict[str, int]:
    """Fill each secret's `head_paths`; returns counters for the metrics.

    `memo` (kept by the caller between runs) remembers, per blob, which of the secrets' line hashes
    it holds, so a re-scan reads only the HEAD blobs it has not looked at yet.
    """
    from droids.security_compliance.secrets.runner import MAX_FILE_BYTES

    tree = tree_blobs(repo, head, MAX_FILE_BYTES)  # SEC001 reports nothing in larger files
    wanted: dict[str, set[int]] = {}  # HEAD path -> indices of the secrets to look for there
    open_ = []
    for i, secret in enumerate(secrets):
        blob = tree.get(secret.path)
        if blob is not None and blob in secret.blobs:
            secret.head_paths.append(secret.path)
        else:
            open_.append(i)
            if blob is not None:
                wanted.setdefault(secret.path, set()).add(i)
    read = 0
    if open_:
        by_hash: dict[str, set[int]] = {}
        for i in open_:
            for digest in secrets[i].line_hashes:
                by_hash.setdefault(digest, set()).add(i)
        held, read = _held_line_hashes(repo, tree, secrets, memo)
        for path, blob in tree.items():
            for digest in held.get(blob, ()):
                wanted.setdefault(path, set()).update(by_hash.get(digest, ()))
    wanted = {path: indices for path, indices in wanted.items() if indices}
    if wanted:
        _confirm(repo, tree, secrets, wanted, cache_dir)
    for secret in secrets:
        secret.head_paths = sorted(set(secret.head_paths), key=lambda p: (p != secret.path, p))
    return {"head_files": len(tree), "head_blobs_read": read, "head_files_scanned": len(wanted)}


def _held_line_hashes(
    repo: Path, tree: dict[str, str], secrets: list[Secret], memo: dict[str, Any]
) -> tuple[dict[str, list[str]], int]:
    """Blob -> the secrets' line hashes it holds, for every blob of the HEAD tree; and how many were read."""
    digests = sorted({digest for secret in secrets for digest in secret.line_hashes})
    signature = hashlib.sha256("\n".join(digests).encode()).hexdigest()
    held: dict[str, list[str]] = memo.get("held", {}) if memo.get("signature") == signature else {}
    todo = set(tree.values()) - held.keys()
    lengths = {int(digest.split(":", 1)[0]) for digest in digests}
    wanted = set(digests)
    prefixes = {s.evidence.removesuffix("****").encode() for s in secrets}
    # A prefix of 3+ characters is rare enough to look for first; shorter ones would match most lines.
    selective = min(len(p) for p in prefixes) >= _SELECTIVE
    for blob, content in read_blobs(repo, todo).items():
        found = set()
        if not is_binary(content):
            for line in _lines_with(content, prefixes) if selective else content.split(b"\n"):
                text = line.rstrip()
                if len(text) in lengths:
                    digest = f"{len(text)}:{hashlib.sha256(text).hexdigest()}"  # as collect.line_hash
                    if digest in wanted:
                        found.add(digest)
        held[blob] = sorted(found)
    current = set(tree.values())
    memo.clear()
    memo.update(signature=signature, held={blob: hashes for blob, hashes in held.items() if blob in current})
    return held, len(todo)


def _lines_with(content: bytes, needles: set[bytes]) -> list[bytes]:
    spans: set[tuple[int, int]] = set()
    for needle in needles:
        pos = content.find(needle)
        while pos >= 0:
            start = content.rfind(b"\n", 0, pos) + 1
            end = content.find(b"\n", pos)
            end = len(content) if end < 0 else end
            spans.add((start, end))
            pos = content.find(needle, end)
    return [content[start:end] for start, end in spans]


def _confirm(
    repo: Path, tree: dict[str, str], secrets: list[Secret], wanted: dict[str, set[int]], cache_dir: Path | None
) -> None:
    from droids.security_compliance.secrets.runner import scan_files

    contents = read_blobs(repo, {tree[p] for p in wanted})
    outcome = scan_files(((p, contents[tree[p]]) for p in sorted(wanted) if tree[p] in contents), cache_dir)
    for path, scan in outcome.scans.items():
        reported = {hit.hashed_secret for hit in scan.hits}
        for index in wanted[path]:
            if reported & secrets[index].hashes:
                secrets[index].head_paths.append(path)
