"""The per-repository key under which a secret's hash enters a finding's fingerprint.

A fingerprint (`models.fingerprint`) hashes the rule, the path and what was found. For a secret
that was detect-secrets' SHA-1 of the value, so anyone who saw a fingerprint (a SARIF upload, a
report, a baseline) could confirm a guessed secret offline: sha256(rule, path, sha1(guess)). Now
the secret's hash goes in only as HMAC-SHA256 under this key (`FingerprintKey.keyed`), which is:

1. `DROID_FINGERPRINT_KEY` when it is set (at least 16 characters; one value per repository, given
   to CI as a secret and to every developer): a fingerprint then confirms nothing to anyone
   without that value, including people who can read the repository.
2. Otherwise derived from the repository's root commit id (the root of HEAD's first-parent history,
   ignoring local `git replace` refs). Every clone has it, so fingerprints stay the same on every
   machine and baselines keep working. It protects against whoever has a fingerprint but not the
   repository (a leaked SARIF file or report, a pasted baseline) and against tables precomputed
   across repositories; it does not protect against anyone who can read the repository (a clone,
   a fork, a public repository): they can derive the key. For that, set DROID_FINGERPRINT_KEY.
3. With no commit to derive it from (not a git repository, no commit yet, or a shallow clone that
   lacks its root commit), a random key kept for this machine in
   `$XDG_STATE_HOME/droid/fingerprint.key` (0600): fingerprints are stable on this machine only,
   and the report says so once. In shallow CI clones set DROID_FINGERPRINT_KEY or fetch the
   whole history (`fetch-depth: 0`).

Compute it once per run: `run_key(workspace)` keeps it in the run's workspace (`shared`).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import itertools
import os
import secrets
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from droids.core import git
from droids.core.errors import DroidError
from droids.core.user_state import user_state_dir

if TYPE_CHECKING:
    from droids.core.workspace import Workspace

KEY_ENV = "DROID_FINGERPRINT_KEY"
MIN_KEY_CHARS = 16
SHARED = "fingerprint-key"
_DOMAIN = b"droid-fingerprint-key/1\0"


@dataclass(frozen=True)
class FingerprintKey:
    """The key (never shown), where it came from, and what a report must say about it (None: nothing)."""

    secret: bytes = field(repr=False)
    source: str
    note: str | None = None

    def keyed(self, secret_hash: str) -> str:
        """What a fingerprint holds for a secret whose (unkeyed) hash is `secret_hash`."""
        return hmac.new(self.secret, b"secret\0" + secret_hash.encode(), hashlib.sha256).hexdigest()


def repository_key(repo: Path, env: Mapping[str, str] | None = None) -> FingerprintKey:
    """The key for `repo` (see the module's documentation for the order)."""
    env = os.environ if env is None else env
    value = env.get(KEY_ENV, "")
    if value:
        if len(value) < MIN_KEY_CHARS or not value.strip():
            what = f"{len(value)} characters" if value.strip() else "blank"
            raise DroidError(
                f"{KEY_ENV}: {what}; expected a random value of at least {MIN_KEY_CHARS} characters "
                "(e.g. the output of `openssl rand -hex 32`), the same for everyone working on the repository"
            )
        return FingerprintKey(hashlib.sha256(_DOMAIN + b"env\0" + value.encode()).digest(), KEY_ENV)
    root, why_not = _root_commit(repo)
    if root:
        return FingerprintKey(hashlib.sha256(_DOMAIN + b"root\0" + root.encode()).digest(), f"root commit {root[:12]}")
    return _machine_key(env, why_not)


def run_key(workspace: Workspace) -> FingerprintKey:
    """The run's key, computed once and shared by every check of every droid."""
    return workspace.shared(SHARED, lambda: repository_key(workspace.task.repo))


def note_once(workspace: Workspace) -> list[str]:
    """The key's note for the report, to the first check of the run that asks (a note is said once)."""
    key = run_key(workspace)
    asked = workspace.shared(f"{SHARED}.note", itertools.count)  # next() on a count is atomic
    return [key.note] if key.note and next(asked) == 0 else []


def _root_commit(repo: Path) -> tuple[str | None, str]:
    """HEAD's first-parent root commit, or None and why there is none."""
    shallow, _, shallow_file = git.try_text(
        repo, "rev-parse", "--is-shallow-repository", "--git-path", "shallow"
    ).partition("\n")
    if not shallow:
        return None, "not a git repository"
    roots = git.try_text(repo, "--no-replace-objects", "rev-list", "--max-parents=0", "--first-parent", "HEAD").split()
    if not roots:
        return None, "no commit yet"
    if shallow.strip() == "true":
        boundary = Path(shallow_file.strip())
        boundary = boundary if boundary.is_absolute() else repo / boundary
        try:
            cut = set(boundary.read_text(encoding="ascii").split())
        except (OSError, UnicodeDecodeError):
            cut = set(roots)
        if roots[0] in cut:  # git shows the shallow boundary as a root: the real one is not here
            return None, "a shallow clone without its root commit"
    return roots[0], ""


def _machine_key(env: Mapping[str, str], why: str) -> FingerprintKey:
    """This machine's random key (made once, 0600), or one for this run when it cannot be kept."""
    path = user_state_dir(env) / "droid" / "fingerprint.key"
    shared_hint = f"set {KEY_ENV} (or fetch the whole history) to share them"
    try:
        text = path.read_text(encoding="ascii").strip() if path.exists() else _create(path)
        secret = bytes.fromhex(text)
        if len(secret) < 32:
            raise ValueError("short")
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        note = (
            f"fingerprints of secret findings are keyed for this run only ({why}; {path}: "
            f"{getattr(exc, 'strerror', None) or 'not a droid key'}): they match no baseline; {shared_hint}"
        )
        return FingerprintKey(secrets.token_bytes(32), "this run", note)
    note = (
        f"fingerprints of secret findings are keyed by this machine's key ({why}): they match no baseline made "
        f"elsewhere; {shared_hint}"
    )
    return FingerprintKey(hashlib.sha256(_DOMAIN + b"machine\0" + secret).digest(), f"this machine ({path})", note)


def _create(path: Path) -> str:
    """Write a new random key at `path` unless another process just did; return the one that is there."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".fingerprint-", suffix=".tmp")  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(secrets.token_hex(32) + "\n")
        with contextlib.suppress(FileExistsError):  # another process got there first: theirs is kept
            os.link(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return path.read_text(encoding="ascii").strip()
