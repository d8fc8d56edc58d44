"""The audit trail: an append-only, hash-chained record of every gate and audit run.

Each entry holds a monotonically increasing `seq`, the UTC `time`, its `kind` ("gate", "audit"; later
"approval", "halt", ...), the `profile` it ran under, the `verdict`, finding `counts` by rule id, `who`
ran it, the repo `head` commit (or null), a small JSON `details` dict, the `prev_hash` of the entry
before it (64 zeros for the first) and its own `hash`: SHA-256 over the sorted-key compact JSON of all
those fields, `seq` and `prev_hash` included. `verify()` walks the chain and names the first entry
whose content changed, that was deleted or whose link to its predecessor is broken.

What the chain cannot see: deleting the newest entries, or rewriting them and every entry after them,
leaves a shorter but consistent chain. That is why `append()` returns the entry's seq and hash, each
run's report quotes them as an external anchor, and `verify(anchor=(seq, hash))` checks the trail
still holds that exact entry.

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
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar, Self

from droids.core import git
from droids.core.errors import DroidError

SCHEMA = "droid-audit/1"
GENESIS = "0" * 64
MAX_DETAILS_BYTES = 4096
HASHED_FIELDS = ("seq", "time", "kind", "profile", "verdict", "counts", "who", "head", "details", "prev_hash")
COLUMNS = (*HASHED_FIELDS, "hash")


def canonical(obj: Any) -> str:
    """The one serialisation hashes are taken over: sorted keys, no spaces, ASCII only."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False)


def entry_hash(entry: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of an entry's hashed fields; raises TypeError/ValueError if one is not JSON."""
    return hashlib.sha256(canonical({k: entry[k] for k in HASHED_FIELDS}).encode()).hexdigest()


class NoAuditTrail(DroidError):
    """Opened for reading (create=False) where nothing has been recorded yet."""


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

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    count: int
    first_bad: int | None = None
    reason: str = ""
    newest_seq: int | None = None
    newest_hash: str | None = None


def seal(entry: dict[str, Any], newest: tuple[int, str] | None) -> dict[str, Any]:
    """Chain `entry` after the newest stored (seq, hash); called under the backend's write lock."""
    entry["seq"], entry["prev_hash"] = (newest[0] + 1, newest[1]) if newest else (1, GENESIS)
    entry["time"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")  # under the lock, so in seq order
    entry["hash"] = entry_hash(entry)
    return entry


class AuditStore(ABC):
    """Where entries live. Backends open `_db` and implement `_write_transaction` and `close`; the rest is shared."""

    location: str
    mark: ClassVar[str]  # the driver's query parameter placeholder: "?" (sqlite3), "%s" (psycopg)
    _db: Any  # the open DB-API connection: execute(sql, params) returns a cursor
    _errors: type[Exception]  # the driver's base error class

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

        A malformed entry is a bug in the caller, not bad user input: ValueError."""
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
    def close(self) -> None:
        """Release the connection."""

    def _check_schema_version(self) -> None:
        """Refuse a trail written under another schema: its hashes may cover other fields."""
        row = self._db.execute("SELECT value FROM audit_meta WHERE key = 'schema'").fetchone()
        if row is None or row[0] != SCHEMA:
            found = repr(row[0]) if row else "missing"
            raise DroidError(f"{self.location}: audit trail schema {found}; expected {SCHEMA!r}")

    def _describe(self, exc: Exception) -> str:
        """A driver error as messages show it (a backend may scrub it)."""
        return str(exc)

    def _insert_newest(self, entry: dict[str, Any]) -> dict[str, Any]:
        """In one write transaction: read the newest (seq, hash), `seal()` the entry after it, insert it
        with `counts` and `details` as the exact canonical JSON text the hash was taken over."""
        marks = ", ".join([self.mark] * len(COLUMNS))
        insert = f"INSERT INTO audit_entries ({', '.join(COLUMNS)}) VALUES ({marks})"  # noqa: S608  # nosec B608: constant column names, values bound
        try:
            with self._write_transaction():
                newest = self._db.execute("SELECT seq, hash FROM audit_entries ORDER BY seq DESC LIMIT 1").fetchone()
                entry = seal(entry, newest)
                stored = {**entry, "counts": canonical(entry["counts"]), "details": canonical(entry["details"])}
                self._db.execute(insert, [stored[c] for c in COLUMNS])
        except self._errors as exc:
            raise DroidError(f"{self.location}: cannot append to the audit trail ({self._describe(exc)})") from None
        return entry

    def raw_rows(self, since: int | str | None = None, limit: int | None = None) -> Iterator[dict[str, Any]]:
        """Entries as stored, in seq order, JSON fields decoded where they decode (else left as text)."""
        sql, args = f"SELECT {', '.join(COLUMNS)} FROM audit_entries", []  # noqa: S608  # nosec B608: constant column names
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
            row = dict(zip(COLUMNS, values, strict=True))
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
        """Walk the chain; name the first entry that changed, vanished or no longer links. A broken
        link ("entry 7: chain broken") means entry 6 was rewritten with a recomputed hash, or entry 7
        forged. With an anchor (seq, hash) quoted by a run report, also check the trail still holds it."""
        rows = list(self.raw_rows())
        prev_seq, prev_hash, anchored = 0, GENESIS, None
        for row in rows:
            seq = row["seq"]
            if seq != prev_seq + 1:
                if seq <= prev_seq:
                    return self._bad(rows, seq, f"entry {seq}: forged (seq {seq} precedes the first entry, 1)")
                gone = f"entry {prev_seq + 1}" if seq == prev_seq + 2 else f"entries {prev_seq + 1}-{seq - 1}"
                return self._bad(rows, prev_seq + 1, f"{gone}: deleted (seq gap {prev_seq} -> {seq})")
            try:
                intact = entry_hash(row) == row["hash"]
            except (TypeError, ValueError):
                intact = False
            if not intact:
                return self._bad(rows, seq, f"entry {seq}: content changed (hash mismatch)")
            if row["prev_hash"] != prev_hash:
                before = f"entry {prev_seq}" if prev_seq else "the genesis value (64 zeros)"
                return self._bad(rows, seq, f"entry {seq}: chain broken (prev_hash does not match {before})")
            prev_seq, prev_hash = seq, row["hash"]
            if anchor and seq == anchor[0]:
                anchored = row["hash"]
        if anchor and anchored is None:
            why = f"entry {anchor[0]}: deleted (the anchor names it, the trail ends at {prev_seq})"
            return self._bad(rows, anchor[0], why)
        if anchor and anchored != anchor[1]:
            return self._bad(rows, anchor[0], f"entry {anchor[0]}: rewritten (hash differs from the anchor)")
        return self._bad(rows, None, "")

    @staticmethod
    def _bad(rows: list[dict[str, Any]], seq: int | None, reason: str) -> VerifyResult:
        """The result, naming entry `seq` as the first bad one (None: the trail is intact)."""
        newest = rows[-1] if rows else {"seq": None, "hash": None}
        return VerifyResult(seq is None, len(rows), seq, reason, newest["seq"], newest["hash"])

    def export(self) -> str:
        """JSON Lines, one entry per line with its hash, in seq order (stored values, even tampered)."""
        return "".join(canonical(row) + "\n" for row in self.raw_rows())


def open_store(repo: Path, url: str | None = None, *, create: bool = True) -> AuditStore:
    """The trail for `repo`: `url` (default $DROID_AUDIT_URL) or else `<repo>/.droid/audit.db`."""
    url = os.environ.get("DROID_AUDIT_URL", "") if url is None else url
    if not url:
        from droids.core.audit.sqlite_store import SQLiteAuditStore  # here: it imports this module

        return SQLiteAuditStore(repo / ".droid" / "audit.db", create=create)
    scheme = url.split(":", 1)[0] if "://" in url else ""  # never echo the rest: it may carry a password
    if scheme in ("postgresql", "postgres"):
        from droids.core.audit.postgres_store import PostgresAuditStore  # psycopg only when asked

        return PostgresAuditStore(url, create=create)
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
