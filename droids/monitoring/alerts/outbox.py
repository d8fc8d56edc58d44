"""The durable outbox: alerts and the messages that carry them, in SQLite under the state dir.

Every decision is written before anything is sent, in one transaction: the alerts (keyed by a
stable id, so a restarted watch that re-reads the journal decides the same alerts and adds none
twice) and one message per channel for the new ones. A sender then claims a message, sends it and
records the outcome; retries wait in the row (`next_at`). What survives a SIGKILL:

- killed before the request has left the process (`handed` = 0): the message goes back to
  `pending` and is sent again, and the receiver never saw a complete request (the last byte of the
  body is only written after `handed` is committed), so it is delivered once;
- killed after the whole request left (`handed` = 1) but before the answer was read: the receiver
  has it; resending would post it twice (Slack webhooks have no idempotency key), so it becomes
  `unconfirmed`, is never resent, and `droid monitor status` lists it. The one loss this allows is
  a kill in the microseconds between that commit and the write of the last byte, or an answer that
  would have been a 429 the sender never read.

Rows hold no secret: the channel is named by kind and masked address; the address itself is read
from the environment when sending.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from droids.core.errors import DroidError
from droids.core.pids import pid_alive

SCHEMA = """
CREATE TABLE IF NOT EXISTS alerts (
    id TEXT PRIMARY KEY, scope TEXT NOT NULL, rule TEXT NOT NULL, subject TEXT NOT NULL,
    firing INTEGER NOT NULL, ts_us INTEGER NOT NULL, message TEXT NOT NULL, paged INTEGER NOT NULL,
    note TEXT NOT NULL DEFAULT '', created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT, channel TEXT NOT NULL, target TEXT NOT NULL,
    title TEXT NOT NULL, body TEXT NOT NULL, alerts TEXT NOT NULL, status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0, next_at REAL NOT NULL, last_error TEXT NOT NULL DEFAULT '',
    created REAL NOT NULL, sent REAL, owner INTEGER, claimed REAL, handed INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS messages_due ON messages (status, next_at);
"""
STATUSES = ("pending", "sending", "sent", "failed", "unconfirmed")


@dataclass(frozen=True)
class AlertRow:
    id: str
    scope: str
    rule: str
    subject: str
    firing: bool
    ts_us: int
    message: str
    paged: bool
    note: str = ""


@dataclass(frozen=True)
class MessageRow:
    channel: str
    target: str  # masked address
    title: str
    body: str
    alerts: tuple[str, ...]
    id: int = 0
    status: str = "pending"
    attempts: int = 0
    next_at: float = 0.0
    last_error: str = ""
    created: float = 0.0
    sent: float | None = None


class Outbox:
    def __init__(self, path: Path, *, lease_s: float = 120.0) -> None:
        self.path, self.lease_s = path, lease_s
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.executescript(SCHEMA)
        except sqlite3.Error as exc:
            raise DroidError(f"{path}: cannot open the alert outbox ({exc})") from None

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def add(self, alerts: Sequence[AlertRow], compose: Callable[[list[AlertRow]], list[MessageRow]]) -> list[AlertRow]:
        """Record `alerts` (those already recorded are skipped) and the messages `compose` makes of the
        new paged ones, atomically; returns the new alerts."""
        now = time.time()
        with self._tx() as db:
            new = []
            for a in alerts:
                cur = db.execute(
                    "INSERT OR IGNORE INTO alerts (id, scope, rule, subject, firing, ts_us, message, paged, note,"
                    " created) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (a.id, a.scope, a.rule, a.subject, int(a.firing), a.ts_us, a.message, int(a.paged), a.note, now),
                )
                if cur.rowcount:
                    new.append(a)
            for m in compose([a for a in new if a.paged]):
                db.execute(
                    "INSERT INTO messages (channel, target, title, body, alerts, status, next_at, created)"
                    " VALUES (?,?,?,?,?,'pending',?,?)",
                    (m.channel, m.target, m.title, m.body, json.dumps(list(m.alerts)), now, now),
                )
        return new

    def claim(self, now: float | None = None, channels: Sequence[str] | None = None) -> MessageRow | None:
        """The oldest due message, marked `sending` by this process (None: nothing due)."""
        now = time.time() if now is None else now
        where = ""
        args: list[object] = [now]
        if channels is not None:
            where = f" AND channel IN ({','.join('?' * len(channels))})"
            args += list(channels)
        with self._tx() as db:
            row = db.execute(
                f"SELECT id FROM messages WHERE status='pending' AND next_at <= ?{where} ORDER BY id LIMIT 1",  # noqa: S608  # nosec B608: placeholders only
                args,
            ).fetchone()
            if row is None:
                return None
            db.execute(
                "UPDATE messages SET status='sending', owner=?, claimed=?, attempts=attempts+1, handed=0 WHERE id=?",
                (os.getpid(), now, row[0]),
            )
        return self.get(row[0])

    def handed(self, message_id: int) -> None:
        """The whole request but its last byte is out: from here a kill leaves it `unconfirmed`."""
        with self._tx() as db:
            db.execute("UPDATE messages SET handed=1 WHERE id=?", (message_id,))

    def finish(self, message_id: int, status: str, *, error: str = "", next_at: float | None = None) -> None:
        assert status in STATUSES
        now = time.time()
        with self._tx() as db:
            db.execute(
                "UPDATE messages SET status=?, last_error=?, next_at=COALESCE(?, next_at), owner=NULL, handed=0,"
                " sent=CASE WHEN ?='sent' THEN ? ELSE sent END WHERE id=?",
                (status, error, next_at, status, now, message_id),
            )

    def recover(self) -> tuple[int, int]:
        """Messages a dead sender left `sending`: back to `pending` if their request never left whole,
        else `unconfirmed`. Returns (requeued, unconfirmed)."""
        now, requeued, unconfirmed = time.time(), 0, 0
        with self._tx() as db:
            rows = db.execute("SELECT id, owner, claimed, handed FROM messages WHERE status='sending'").fetchall()
            for mid, owner, claimed, handed in rows:
                if owner == os.getpid() or (pid_alive(owner) and now - (claimed or 0) < self.lease_s):
                    continue
                if handed:
                    db.execute(
                        "UPDATE messages SET status='unconfirmed', owner=NULL,"
                        " last_error='sender stopped after the request left, before the answer' WHERE id=?",
                        (mid,),
                    )
                    unconfirmed += 1
                else:
                    db.execute("UPDATE messages SET status='pending', owner=NULL, next_at=? WHERE id=?", (now, mid))
                    requeued += 1
        return requeued, unconfirmed

    def get(self, message_id: int) -> MessageRow:
        row = self.db.execute(
            "SELECT channel, target, title, body, alerts, id, status, attempts, next_at, last_error, created, sent"
            " FROM messages WHERE id=?",
            (message_id,),
        ).fetchone()
        return _message(row)

    def messages(self, *, status: str | None = None, limit: int = 50) -> list[MessageRow]:
        sql = (
            "SELECT channel, target, title, body, alerts, id, status, attempts, next_at, last_error, created, sent"
            " FROM messages"
        )
        args: list[object] = []
        if status:
            sql, args = sql + " WHERE status=?", [status]
        rows = self.db.execute(sql + " ORDER BY id DESC LIMIT ?", [*args, limit]).fetchall()
        return [_message(r) for r in rows]

    def counts(self) -> dict[str, int]:
        found = dict(self.db.execute("SELECT status, COUNT(*) FROM messages GROUP BY status").fetchall())
        return {s: int(found.get(s, 0)) for s in STATUSES}

    def alerts(self, *, scope: str | None = None, limit: int = 50) -> list[AlertRow]:
        sql = "SELECT id, scope, rule, subject, firing, ts_us, message, paged, note FROM alerts"
        args: list[object] = []
        if scope:
            sql, args = sql + " WHERE scope=?", [scope]
        rows = self.db.execute(sql + " ORDER BY ts_us DESC, rowid DESC LIMIT ?", [*args, limit]).fetchall()
        return [AlertRow(r[0], r[1], r[2], r[3], bool(r[4]), r[5], r[6], bool(r[7]), r[8]) for r in rows]

    def recorded_since(self, created: float, *, limit: int = 200) -> list[tuple[float, AlertRow]]:
        """(when recorded, alert) of the alerts recorded at or after `created` (epoch seconds), newest first."""
        rows = self.db.execute(
            "SELECT created, id, scope, rule, subject, firing, ts_us, message, paged, note FROM alerts"
            " WHERE created >= ? ORDER BY created DESC, rowid DESC LIMIT ?",
            (created, limit),
        ).fetchall()
        return [(float(r[0]), AlertRow(r[1], r[2], r[3], r[4], bool(r[5]), r[6], r[7], bool(r[8]), r[9])) for r in rows]

    def messages_since(self, created: float, *, limit: int = 500) -> list[MessageRow]:
        """The messages queued at or after `created` (epoch seconds), newest first."""
        rows = self.db.execute(
            "SELECT channel, target, title, body, alerts, id, status, attempts, next_at, last_error, created, sent"
            " FROM messages WHERE created >= ? ORDER BY id DESC LIMIT ?",
            (created, limit),
        ).fetchall()
        return [_message(r) for r in rows]

    def next_due(self) -> float | None:
        row = self.db.execute("SELECT MIN(next_at) FROM messages WHERE status='pending'").fetchone()
        return None if row is None or row[0] is None else float(row[0])

    def close(self) -> None:
        self.db.close()


def _message(row: tuple[object, ...]) -> MessageRow:
    channel, target, title, body, alerts, mid, status, attempts, next_at, error, created, sent = row
    return MessageRow(
        str(channel),
        str(target),
        str(title),
        str(body),
        tuple(json.loads(str(alerts))),
        int(mid),  # type: ignore[call-overload]
        str(status),
        int(attempts),
        float(next_at),
        str(error),
        float(created),
        None if sent is None else float(sent),  # type: ignore[arg-type]
    )
