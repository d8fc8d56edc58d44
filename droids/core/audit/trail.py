"""The audit trail: an append-only, hash-chained record of every gate and audit run.

Each entry holds a monotonically increasing `seq`, the UTC `time`, its `kind` ("gate", "audit"; later
"approval", "halt", ...), the `profile` it ran under, the `verdict`, finding `counts` by rule id, `who`
ran it, the repo `head` commit (or null), a small JSON `details` dict, the `prev_hash` of the entry
before it (64 zeros for the first) and its own `hash`: SHA-256 over the sorted-key compact JSON of all
those fields, `seq` and `prev_hash` included. `verify()` walks the chain and names the first entry
whose content changed, that was deleted or whose link to its predecessor is broken.

What the chain alone cannot see: deleting the newest entries, emptying the table, or rewriting the
trail and re-chaining it leaves a shorter or different but consistent chain. Three things catch that
(verify.py): the keyed chain (keyed.py: with `DROID_AUDIT_KEY` set each entry also stores an HMAC of
its hash, which nobody without the key can recompute), this machine's automatic anchor (anchor.py:
the newest seq and hash it wrote or verified, kept in the user's state directory and checked by
every append and verify), and a hand-given anchor (`append()` returns the entry's seq and hash, each
run's report quotes them, and `verify(anchor=(seq, hash))` checks the trail still holds that entry).
A trail that is gone (its file deleted or truncated to 0 bytes, its table dropped) is never silently
started again: opening it is an `AuditTrailGone` error saying how to start a new one deliberately.

Entries hold no secret values: only counts by rule id, the verdict and run metadata. Callers must not
put finding evidence into `details`. The other kinds: "approval" (a protected-parameter change and who
approved it, audit_events.py) and "halt" / "kill_switch" (trading-core events, audit_ingest.py).

Storage sits behind the small `AuditStore` interface; `open_store()` picks the backend, so callers
never name one: SQLite (audit_trail_sqlite.py, `<repo>/.droid/audit.db`) by default, PostgreSQL
(audit_trail_postgres.py) when `DROID_AUDIT_URL=postgresql://...` names a team server. Backends only
open the connection and implement `_write_transaction` (their write lock) and `close`: validation,
sealing, the SQL, how `counts` and `details` are stored, chain checks and export live here and are shared.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import re
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, suppress
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar, Self

from droids.core import git
from droids.core.audit.anchor import Anchor, AnchorFile
from droids.core.audit.keyed import KEY_ENV, audit_key, entry_mac, mac_matches
from droids.core.audit.verify import GENESIS, VerifyResult, anchor_problem, verify_rows
from droids.core.errors import DroidError

SCHEMA = "droid-audit/1"
MAX_DETAILS_BYTES = 4096
HASHED_FIELDS = ("seq", "time", "kind", "profile", "verdict", "counts", "who", "head", "details", "prev_hash")
COLUMNS = (*HASHED_FIELDS, "hash")
STORED = (*COLUMNS, "mac")  # `mac` is outside the hash: an HMAC of it (keyed.py), NULL when unkeyed
ADD_MAC_COLUMN = "ALTER TABLE audit_entries ADD COLUMN mac TEXT"  # stores made before the keyed chain


def canonical(obj: Any) -> str:
    """The one serialisation hashes are taken over: sorted keys, no spaces, ASCII only."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False)


def entry_hash(entry: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of an entry's hashed fields; raises TypeError/ValueError if one is not JSON."""
    return hashlib.sha256(canonical({k: entry[k] for k in HASHED_FIELDS}).encode()).hexdigest()


class NoAuditTrail(DroidError):
    """Opened for reading (create=False) where nothing has been recorded yet."""


class AuditTrailGone(DroidError):
    """The trail was there and is gone or damaged (file deleted or truncated, table dropped): droid
    never starts a new one over it; the message says how to start one deliberately."""


class AuditTrailBroken(DroidError):
    """An append refused: this machine's anchored entry is missing or changed."""


@dataclass(frozen=True)
class AuditRecord:
    seq: int
    time: str
    kind: str
    profile: str
    verdict: str
    counts: dict[str, int]
    who: str
    head: str | None
    details: dict[str, Any]
    prev_hash: str
    hash: str
    mac: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def seal(entry: dict[str, Any], newest: tuple[int, str] | None, key: bytes | None = None) -> dict[str, Any]:
    """Chain `entry` after the newest stored (seq, hash), and MAC it under `key`; called under the
    backend's write lock."""
    entry["seq"], entry["prev_hash"] = (newest[0] + 1, newest[1]) if newest else (1, GENESIS)
    entry["time"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")  # under the lock, so in seq order
    entry["hash"] = entry_hash(entry)
    entry["mac"] = entry_mac(key, entry["hash"]) if key is not None else None
    return entry


class AuditStore(ABC):
    """Where entries live. Backends open `_db`, set `_anchors` (from the store's identity) and call
    `_open_keyed`, and implement `_write_transaction`, `_mac_column_exists` and `close`; the rest is shared."""

    location: str
    mark: ClassVar[str]  # the driver's query parameter placeholder: "?" (sqlite3), "%s" (psycopg)
    _db: Any  # the open DB-API connection: execute(sql, params) returns a cursor
    _errors: type[Exception]  # the driver's base error class
    _key: bytes | None = None  # DROID_AUDIT_KEY: never stored, printed or logged
    _anchors: AnchorFile
    _has_mac = False
    anchor_note: str | None = None  # why this machine's anchor could not be written (the trail is fine)

    def append(
        self,
        *,
        kind: str,
        profile: str,
        verdict: str,
        counts: Mapping[str, int],
        who: str,
        head: str | None,
        details: Mapping[str, Any] | None = None,
    ) -> AuditRecord:
        """Add one entry atomically after the newest one; return it (its seq and hash are the anchor).

        A malformed entry is a bug in the caller, not bad user input: ValueError. A trail whose
        anchored entry is missing or changed is refused: AuditTrailBroken."""
        for name, value in (("kind", kind), ("profile", profile), ("verdict", verdict), ("who", who)):
            if not isinstance(value, str) or not value:
                raise ValueError(f"audit entry: {name} must be a non-empty string, got {value!r}")
        if head is not None and not isinstance(head, str):
            raise ValueError(f"audit entry: head must be a commit id or None, got {head!r}")
        if bad := [k for k, n in counts.items() if not isinstance(k, str) or type(n) is not int or n < 0]:
            raise ValueError(f"audit entry: counts must map rule ids to non-negative ints (bad: {bad})")
        details = dict(details or {})
        try:
            size = len(canonical(details))
        except (TypeError, ValueError) as exc:
            raise ValueError(f"audit entry: details must be plain JSON ({exc})") from None
        if size > MAX_DETAILS_BYTES:
            raise ValueError(f"audit entry: details over {MAX_DETAILS_BYTES} bytes; keep it to metadata")
        entry = dict(kind=kind, profile=profile, verdict=verdict, counts=dict(counts), who=who, head=head)
        return AuditRecord(**self._insert_newest({**entry, "details": details}))

    @abstractmethod
    def _write_transaction(self) -> AbstractContextManager[object]:
        """One write transaction holding the trail's write lock: concurrent appends wait their turn."""

    @abstractmethod
    def _mac_column_exists(self) -> bool:
        """Whether audit_entries has the `mac` column (stores made before the keyed chain have not)."""

    @abstractmethod
    def close(self) -> None:
        """Release the connection."""

    def _check_schema_version(self) -> None:
        """Refuse a trail written under another schema: its hashes may cover other fields."""
        row = self._db.execute("SELECT value FROM audit_meta WHERE key = 'schema'").fetchone()
        if row is None or row[0] != SCHEMA:
            found = repr(row[0]) if row else "missing"
            raise DroidError(f"{self.location}: audit trail schema {found}; expected {SCHEMA!r}")

    def _open_keyed(self, key: bytes | None, create: bool) -> None:
        """Take the key; a writer adds the `mac` column to a store made before it (under the write
        lock, re-checked there). A reader of such a store sees every entry as unkeyed."""
        self._key, self._has_mac = key, self._mac_column_exists()
        if self._has_mac or not create:
            return
        try:
            with self._write_transaction():
                if not self._mac_column_exists():
                    self._db.execute(ADD_MAC_COLUMN)
            self._has_mac = True
        except self._errors as exc:
            if key is not None:  # without the column no MAC can be stored: refuse rather than append unkeyed
                raise DroidError(
                    f"{self.location}: cannot add the mac column for {KEY_ENV} ({self._describe(exc)}); "
                    "open the trail once as the owner of audit_entries"
                ) from None

    def _describe(self, exc: Exception) -> str:
        """A driver error as messages show it (a backend may scrub it)."""
        return str(exc)

    def _gone(self, what: str, move: str | None) -> AuditTrailGone:
        """The error for a trail that is gone: `what` happened; `move` says what to move out of the way."""
        anchored = self._anchors.read()
        hint = " and ".join(h for h in (move, self._anchors.remove_hint() if anchored else None) if h)
        seen = f" (this machine last saw entry {anchored.seq} of it)" if anchored else ""
        return AuditTrailGone(
            f"{self.location}: {what}: the audit trail is gone{seen}; droid will not start a new one over it. "
            f"To start a new trail deliberately, {hint}"
        )

    def _insert_newest(self, entry: dict[str, Any]) -> dict[str, Any]:
        """In one write transaction: read the newest (seq, hash), check this machine's anchored entry
        is still there, `seal()` the entry after it, insert it with `counts` and `details` as the
        exact canonical JSON text the hash was taken over. Then move the anchor forward."""
        columns = STORED if self._has_mac else COLUMNS
        marks = ", ".join([self.mark] * len(columns))
        insert = f"INSERT INTO audit_entries ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608  # nosec B608: constant column names, values bound
        try:
            with self._write_transaction():
                mac = "mac" if self._has_mac else "NULL"
                newest = self._db.execute(
                    f"SELECT seq, hash, {mac} FROM audit_entries ORDER BY seq DESC LIMIT 1"  # noqa: S608  # nosec B608: constant
                ).fetchone()
                self._refuse_if_anchor_lost(newest[0] if newest else 0)
                self._refuse_if_key_differs(newest)
                entry = seal(entry, newest[:2] if newest else None, self._key)
                stored = {**entry, "counts": canonical(entry["counts"]), "details": canonical(entry["details"])}
                self._db.execute(insert, [stored[c] for c in columns])
        except self._errors as exc:
            raise DroidError(f"{self.location}: cannot append to the audit trail ({self._describe(exc)})") from None
        self.anchor_note = self._anchors.advance(Anchor(entry["seq"], entry["hash"], entry["mac"] is not None))
        return entry

    def _refuse_if_key_differs(self, newest: tuple[int, str, str | None] | None) -> None:
        """Once the newest entry is keyed, an entry without a MAC or under another key would break the
        trail for everyone (verify reports it): refuse, and say why."""
        if newest is None or newest[2] is None:
            return
        if self._key is None:
            why = f"the audit trail is keyed (entry {newest[0]} carries a MAC): set {KEY_ENV}, the key its writers use"
        elif not mac_matches(self._key, newest[1], newest[2]):
            why = f"entry {newest[0]}'s MAC does not match {KEY_ENV} (another key, or the trail was rewritten)"
        else:
            return
        raise AuditTrailBroken(f"{self.location}: {why}; nothing appended")

    def _refuse_if_anchor_lost(self, newest: int) -> None:
        anchored = self._anchors.read()
        if anchored is None:
            return
        mac = "mac" if self._has_mac else "NULL"
        row = self._db.execute(
            f"SELECT hash, {mac} FROM audit_entries WHERE seq = {self.mark}",  # noqa: S608  # nosec B608: constant
            [anchored.seq],
        ).fetchone()
        if problem := anchor_problem(anchored, tuple(row) if row else None, newest, self._anchors.path):
            raise AuditTrailBroken(
                f"{self.location}: audit trail broken: {problem[1]}; nothing appended. "
                f"Run `droid audit-log verify` and investigate; to start a new trail deliberately, move the trail "
                f"away and {self._anchors.remove_hint()}"
            )

    def raw_rows(self, since: int | str | None = None, limit: int | None = None) -> Iterator[dict[str, Any]]:
        """Entries as stored, in seq order, JSON fields decoded where they decode (else left as text)."""
        selected = ", ".join(COLUMNS) + (", mac" if self._has_mac else ", NULL")
        sql, args = f"SELECT {selected} FROM audit_entries", []  # noqa: S608  # nosec B608: constant column names
        if since is not None:
            sql, args = f"{sql} WHERE {'seq' if isinstance(since, int) else 'time'} >= {self.mark}", [since]
        sql += " ORDER BY seq"
        if limit is not None:
            sql, args = f"{sql} LIMIT {self.mark}", [*args, limit]
        try:  # one SELECT: a consistent snapshot even while others append
            rows = self._db.execute(sql, args).fetchall()
        except self._errors as exc:
            raise DroidError(f"{self.location}: cannot read the audit trail ({self._describe(exc)})") from None
        for values in rows:
            row = dict(zip(STORED, values, strict=True))
            for key in ("counts", "details"):
                with suppress(TypeError, ValueError):  # else left as stored: verify() says it changed
                    row[key] = json.loads(row[key])
            yield row

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def records(self, since: int | str | None = None, limit: int | None = None) -> list[AuditRecord]:
        """Entries in seq order: `since` an int keeps seq >= since, a str keeps time >= since (ISO-8601,
        e.g. "2026-01-31"); `limit` keeps the first that many."""
        out = []
        for row in self.raw_rows(since, limit):
            try:
                if not isinstance(row["counts"], dict) or not isinstance(row["details"], dict):
                    raise TypeError("counts or details is not a JSON object")
                out.append(AuditRecord(**row))
            except TypeError as exc:
                raise DroidError(
                    f"{self.location}: entry {row['seq']} is malformed ({exc}); run `droid audit-log verify`"
                ) from None
        return out

    def verify(self, anchor: tuple[int, str] | None = None) -> VerifyResult:
        """Walk the chain; name the first entry that changed, vanished, no longer links or fails its
        MAC (verify.py). A broken link ("entry 7: chain broken") means entry 6 was rewritten with a
        recomputed hash, or entry 7 forged. Also check this machine's anchored entry and, with an
        anchor (seq, hash) quoted by a run report, that the trail still holds it. When all is well,
        the newest entry becomes this machine's anchor."""
        rows = list(self.raw_rows())
        anchored = self._anchors.read()
        result = verify_rows(rows, key=self._key, pinned=anchor, anchored=anchored, anchor_path=self._anchors.path)
        if result.ok and rows:
            newest = rows[-1]
            note = self._anchors.advance(Anchor(newest["seq"], newest["hash"], newest["mac"] is not None))
            path = str(self._anchors.path) if note is None else result.anchor_path
            result = replace(result, anchor_path=path, anchor_note=note)
        return result

    def export(self) -> str:
        """JSON Lines, one entry per line with its hash and MAC, in seq order (stored values, even tampered)."""
        return "".join(canonical(row) + "\n" for row in self.raw_rows())


def open_store(repo: Path, url: str | None = None, *, create: bool = True) -> AuditStore:
    """The trail for `repo`: `url` (default $DROID_AUDIT_URL) or else `audit.db` in droid's state
    folder for it (`<repo>/.droid`, or the user's state folder when the repository commits or links
    its `.droid`: a trail the audited repository supplies is not droid's); keyed with
    $DROID_AUDIT_KEY when it is set."""
    url = os.environ.get("DROID_AUDIT_URL", "") if url is None else url
    key = audit_key()
    if not url:
        from droids.core.audit.sqlite_store import SQLiteAuditStore  # here: it imports this module
        from droids.core.settings import state_dir

        return SQLiteAuditStore(state_dir(repo)[0] / "audit.db", create=create, key=key)
    scheme = url.split(":", 1)[0] if "://" in url else ""  # never echo the rest: it may carry a password
    if scheme in ("postgresql", "postgres"):
        from droids.core.audit.postgres_store import PostgresAuditStore  # psycopg only when asked

        return PostgresAuditStore(url, create=create, key=key)
    shown = repr(scheme) if re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", scheme) else "(not a URL)"
    raise DroidError(f"DROID_AUDIT_URL: unsupported scheme {shown}; expected postgresql://... or unset")


def who(repo: Path, env: Mapping[str, str] | None = None) -> str:
    """Who ran this, prefixed by how we know it.

    In GitHub Actions (GITHUB_ACTIONS=true) `github:$GITHUB_ACTOR`; in GitLab CI (GITLAB_CI=true)
    `gitlab:$GITLAB_USER_EMAIL` (who started the pipeline), else `gitlab:$CI_COMMIT_AUTHOR`; outside CI
    `git:<user.email>` of the repo (self-declared), else `os:<login name>`.
    """
    env = os.environ if env is None else env
    if env.get("GITHUB_ACTIONS") == "true" and env.get("GITHUB_ACTOR"):
        return f"github:{env['GITHUB_ACTOR']}"
    if env.get("GITLAB_CI") == "true" and (actor := env.get("GITLAB_USER_EMAIL") or env.get("CI_COMMIT_AUTHOR")):
        return f"gitlab:{actor}"
    try:
        email = git.config_value(repo, "user.email")
    except DroidError:  # git missing: fall through to the OS user
        email = None
    if email:
        return f"git:{email}"
    try:
        return f"os:{getpass.getuser()}"
    except (KeyError, OSError):  # no login name and no passwd entry (some containers)
        return "os:unknown"
