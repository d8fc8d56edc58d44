"""The automatic anchor: this machine's note of the newest entry it saw in a trail, kept outside it.

The hash chain cannot show that its newest entries were deleted, the table emptied, the file
truncated, or the whole trail rewritten and re-chained: what is left is consistent. So after every
append, and after every `verify` that passed, droid records the trail's newest (seq, hash) in a small
file in the user's state directory, outside the work tree and outside the store:
`$XDG_STATE_HOME/droid/anchors/<sha256 of the store's identity>.json` (default `~/.local/state`),
folder 0700, file 0600. Each append and each verify then checks that the anchored entry is still
there with the same hash (and still carries a MAC if it had one); if not, the trail is reported
broken, naming what is missing, and nothing more is appended to it.

Other writers (other machines, CI) may append after the anchor: that is fine; the anchor only
moves forward. What it cannot see: tampering on a machine that never wrote to or verified the
trail (an ephemeral CI runner keeps its anchor only if its state directory is cached), and an
attacker who can also edit this user's state directory. A report's `audit_entry` (seq and hash,
given to `droid audit-log verify --anchor SEQ:HASH`) is the anchor to keep elsewhere.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from droids.core.errors import DroidError
from droids.core.user_state import user_state_dir

SCHEMA = "droid-audit-anchor/1"
_HEX = frozenset("0123456789abcdef")


def anchors_dir(env: Mapping[str, str] | None = None) -> Path:
    """Where anchors live: `<user state directory>/droid/anchors` (user_state.py)."""
    return user_state_dir(env) / "droid" / "anchors"


@dataclass(frozen=True)
class Anchor:
    """An entry as this machine last saw it: seq, hash, and whether it carried a MAC."""

    seq: int
    hash: str
    keyed: bool = False


class AnchorFile:
    """The anchor of one store, named by the store's identity (a SQLite file's absolute path; a
    PostgreSQL server, database and schema). The identity holds no password."""

    def __init__(self, identity: str, directory: Path | None = None) -> None:
        self.identity = identity
        self.path = (directory or anchors_dir()) / f"{hashlib.sha256(identity.encode()).hexdigest()}.json"

    def read(self) -> Anchor | None:
        """The anchor, or None when this machine has none for the store; a damaged file is bad input."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except (FileNotFoundError, NotADirectoryError):  # no state directory: nothing anchored yet
            return None
        except (OSError, UnicodeDecodeError) as exc:
            raise DroidError(f"{self.path}: cannot read the audit trail's anchor ({exc})") from None
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        seq, digest = (data.get("seq"), data.get("hash")) if isinstance(data, dict) else (None, None)
        valid = (
            isinstance(data, dict)
            and data.get("schema") == SCHEMA
            and data.get("store") == self.identity
            and type(seq) is int
            and seq > 0
            and isinstance(digest, str)
            and len(digest) == 64
            and set(digest) <= _HEX
            and isinstance(data.get("keyed"), bool)
        )
        if not valid:
            raise DroidError(
                f"{self.path}: not a droid audit anchor for {self.identity}; expected JSON with schema "
                f"{SCHEMA!r}, store, seq, hash and keyed (changed by hand or by someone else: find out why)"
            )
        return Anchor(seq, digest, data["keyed"])

    def advance(self, anchor: Anchor) -> str | None:
        """Record `anchor` unless the file already names a later entry. Returns None, or why the file
        could not be written (the caller says so: the trail itself is fine)."""
        try:
            current = self.read()
        except DroidError as exc:
            return str(exc)
        if current is not None and current.seq >= anchor.seq:
            return None
        record = {"schema": SCHEMA, "store": self.identity, "seq": anchor.seq, "hash": anchor.hash}
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".anchor-", suffix=".tmp")  # mode 0600
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as out:
                    json.dump({**record, "keyed": anchor.keyed}, out, sort_keys=True)
                    out.write("\n")
                    out.flush()
                    os.fsync(out.fileno())
                Path(tmp).replace(self.path)  # atomic: a reader sees the old anchor or the new one
            finally:
                Path(tmp).unlink(missing_ok=True)
        except OSError as exc:
            return f"{self.path}: cannot write the audit trail's anchor ({exc.strerror or exc})"
        return None

    def remove_hint(self) -> str:
        return f"remove this machine's anchor {self.path}"
