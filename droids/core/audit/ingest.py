"""Halts and kill-switch events from the trading core into the audit trail: `droid audit-log ingest FILE`.

The trading core imports nothing of the droids, so it cannot append to the trail itself. It writes
its events to a file and the droid ingests that file. Two formats, by extension:

- JSON Lines (`.jsonl`, `.ndjson`), one event per line, the format for the trading core to write:
  `ts` (ISO-8601 with an offset or `Z`; naive times are refused), `kind` ("halt" or "kill_switch"),
  `reason` (text, at most 500 characters), `state` (the trading state after the event: "ACTIVE",
  "REDUCING" or "HALTED"), optional `rule` (the rule that caused it, e.g. "APX007", "SEN001").
  Any other key is refused, so a typo cannot drop a field silently.
- CSV (`.csv`): the simulator's risk_events.csv (ts, kind, rule, symbol, reason); its "halt" rows
  become halts and its "kill" rows kill-switch events, both with state "HALTED"; other rows (denials,
  warnings, flattens) are not sensitive operations and are left out.

Each event becomes one entry: kind "halt" | "kill_switch", profile "trading-core", verdict the state
in lower case, counts {rule: 1}, details {ts (UTC), reason, state, rule, event_id, source (the file
name)}. `event_id` is a hash of the event, so ingesting the same file again (or a file that grew)
adds only the new events. The whole file is checked before anything is written: a bad line is a
`DroidError` naming the file, the line and the key, and nothing is ingested. A reason that holds
something the secret screen recognises (the security droid's "secret-screen" service, handed in by
the orchestrator) is refused the same way: the trail never holds secrets.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from droids.core.audit.trail import AuditRecord, AuditStore, canonical
from droids.core.errors import DroidError

EVENT_KINDS = ("halt", "kill_switch")
STATES = ("ACTIVE", "REDUCING", "HALTED")
REQUIRED = ("ts", "kind", "reason", "state")
OPTIONAL = ("rule",)
MAX_REASON = 500
PROFILE = "trading-core"
_CSV_KINDS = {"halt": "halt", "kill": "kill_switch"}
# (1-based line, kind) of each secret in a text: the security droid's "secret-screen" service
SecretScreen = Callable[[str], list[tuple[int, str]]]


@dataclass(frozen=True)
class TradingEvent:
    line: int
    ts: str  # UTC, ISO-8601 with Z
    kind: str
    reason: str
    state: str
    rule: str | None

    @property
    def event_id(self) -> str:
        fields = {"ts": self.ts, "kind": self.kind, "reason": self.reason, "state": self.state, "rule": self.rule}
        return hashlib.sha256(canonical(fields).encode()).hexdigest()


@dataclass(frozen=True)
class IngestResult:
    added: list[AuditRecord]
    already: int  # events of the file the trail held before

    def summary(self, source: Path) -> str:
        newest = f"; newest entry {self.added[-1].seq}:{self.added[-1].hash}" if self.added else ""
        return f"{source}: {len(self.added)} events added, {self.already} already in the audit trail{newest}"


def read_trading_events(path: Path, screen: SecretScreen | None = None) -> list[TradingEvent]:
    """Every event of `path`, validated; a bad one is a DroidError "path:line: key: what was expected".
    `screen` (the registry's "secret-screen" service) refuses a reason that holds a secret."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DroidError(f"{path}: cannot read the event file ({exc}); expected UTF-8 JSON Lines or CSV") from None
    if path.suffix in (".jsonl", ".ndjson"):
        events = [
            _event(path, n, _json_object(path, n, line)) for n, line in enumerate(text.splitlines(), 1) if line.strip()
        ]
    elif path.suffix == ".csv":
        events = _csv_events(path, text)
    else:
        raise DroidError(f"{path}: unknown event file format {path.suffix or '(none)'!r}; expected .jsonl or .csv")
    if screen is not None:
        _refuse_secrets(path, events, screen)
    return events


def ingest_events_file(repo: Path, path: Path, screen: SecretScreen | None = None) -> IngestResult:
    """`droid audit-log ingest FILE`: check the whole file, then append its new events to the repo's
    trail (DROID_AUDIT_URL or .droid/audit.db), recorded as run by `who(repo)` at HEAD."""
    from droids.core import git
    from droids.core.audit.trail import open_store, who

    events = read_trading_events(path, screen)  # before the store is opened: bad input writes nothing
    head = git.head(repo)
    with open_store(repo) as store:
        return append_trading_events(store, events, source=path.name, who=who(repo), head=head)


def ingest_trading_events(
    store: AuditStore, path: Path, *, who: str, head: str | None, screen: SecretScreen | None = None
) -> IngestResult:
    """Read `path` and append the events the trail does not hold yet, in file order."""
    return append_trading_events(store, read_trading_events(path, screen), source=path.name, who=who, head=head)


def append_trading_events(
    store: AuditStore, events: list[TradingEvent], *, source: str, who: str, head: str | None
) -> IngestResult:
    known = {r.details.get("event_id") for r in store.records() if r.kind in EVENT_KINDS}
    added, already = [], 0
    for event in events:
        if event.event_id in known:
            already += 1
            continue
        known.add(event.event_id)
        details = {
            "ts": event.ts,
            "reason": event.reason,
            "state": event.state,
            "rule": event.rule,
            "event_id": event.event_id,
            "source": source,
        }
        counts = {event.rule: 1} if event.rule else {}
        verdict = event.state.lower()
        added.append(
            store.append(
                kind=event.kind, profile=PROFILE, verdict=verdict, counts=counts, who=who, head=head, details=details
            )
        )
    return IngestResult(added, already)


def _json_object(path: Path, n: int, line: str) -> dict[str, Any]:
    try:
        obj = json.loads(line)
    except ValueError as exc:
        why = getattr(exc, "msg", str(exc))
        raise DroidError(f"{path}:{n}: not JSON ({why}); expected one event object per line") from None
    if not isinstance(obj, dict):
        raise DroidError(f"{path}:{n}: expected a JSON object, got {type(obj).__name__}")
    return obj


def _event(path: Path, n: int, obj: dict[str, Any]) -> TradingEvent:
    where = f"{path}:{n}"
    if missing := [k for k in REQUIRED if k not in obj]:
        raise DroidError(f"{where}: {missing[0]}: missing; an event needs {', '.join(REQUIRED)}")
    if unknown := sorted(set(obj) - set(REQUIRED) - set(OPTIONAL)):
        raise DroidError(f"{where}: {unknown[0]}: unknown key; expected {', '.join(REQUIRED + OPTIONAL)}")
    for key in (*REQUIRED, *OPTIONAL):
        value = obj.get(key)
        if (key in REQUIRED or value is not None) and (not isinstance(value, str) or not value.strip()):
            raise DroidError(f"{where}: {key}: expected a non-empty string, got {value!r}")
    if obj["kind"] not in EVENT_KINDS:
        raise DroidError(f"{where}: kind: expected one of {', '.join(EVENT_KINDS)}, got {obj['kind']!r}")
    if obj["state"] not in STATES:
        raise DroidError(f"{where}: state: expected one of {', '.join(STATES)}, got {obj['state']!r}")
    if len(obj["reason"]) > MAX_REASON:
        raise DroidError(f"{where}: reason: {len(obj['reason'])} characters; at most {MAX_REASON}")
    if obj.get("rule") is not None and not obj["rule"].isalnum():
        raise DroidError(f"{where}: rule: expected a rule id like APX007, got {obj['rule']!r}")
    return TradingEvent(n, _utc(where, obj["ts"]), obj["kind"], obj["reason"], obj["state"], obj.get("rule"))


def _utc(where: str, text: str) -> str:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise DroidError(f"{where}: ts: expected ISO-8601 with an offset (2026-03-09T14:30:00-04:00), got {text!r}")
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _csv_events(path: Path, text: str) -> list[TradingEvent]:
    rows = csv.DictReader(text.splitlines())
    if missing := [c for c in ("ts", "kind", "rule", "reason") if c not in (rows.fieldnames or [])]:
        raise DroidError(f"{path}:1: {missing[0]}: missing column; expected the simulator's risk_events.csv")
    events = []
    for row in rows:
        if row["kind"] in _CSV_KINDS:
            obj = {"ts": row["ts"], "kind": _CSV_KINDS[row["kind"]], "reason": row["reason"], "state": "HALTED"}
            events.append(_event(path, rows.line_num, {**obj, "rule": row["rule"] or None}))
    return events


def _refuse_secrets(path: Path, events: list[TradingEvent], screen: SecretScreen) -> None:
    """Screen the reasons as one text (one reason per line); the first secret found is bad input."""
    if not events:
        return
    hits = screen("\n".join(" ".join(e.reason.split()) for e in events))
    if hits:
        line, kind = hits[0]
        raise DroidError(
            f"{path}:{events[line - 1].line}: reason: holds what looks like a secret ({kind}); "
            "the trading core must not write secret values"
        )
