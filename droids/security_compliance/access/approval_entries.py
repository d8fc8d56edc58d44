"""Audit-trail entries besides gate and audit verdicts: protected-parameter approvals.

An entry of kind "approval" records a change to a protected file or key (policies/access.yaml)
that an owner approved with an `Approved-by:` trailer or a pull-request review. `approval_details`
builds its details: what changed (path and key), old -> new, who approved it, in which commit, and
how the approval was given; `record_approval` appends one:

    kind "approval", profile "pre-commit" | "ci", verdict "approved", counts {}
    details {"path": "policies/apex.yaml", "key": "rulesets.seed.drawdown.percent",
             "old": "10", "new": "8", "approver": "risk@example.com", "commit": "<sha>", "via": "trailer",
             "run": 41}

SEC020 hands these to the orchestrator as `AuditEvent`s; it writes them only for a run that did not
block, right after the run's own entry, and adds `run`, the seq of that entry.

Values go through `summarize_value`, so a secret never reaches the trail: numbers, booleans, null,
decimal strings ("2500", "0.30"), clock times, dates and the words the policies use as settings
(`POLICY_WORDS`: "intraday", "percent", ...) are shown as they are; any other text only as
`<text, N chars>` (a password may be a plain word), lists and mappings as their size, and every
value of a key whose name says secret (password, pass, pw, token, api_key, secret, credential, dsn,
...) as `<redacted>`. A whole protected file (key "") is described by fixed words (`FILE_FATES`:
existing, added, modified, deleted, renamed, copied, retyped, invalid-yaml), never by its content;
a rename or copy also names the path it came `from`. Paths and keys are cut to
`MAX_NAME_CHARS` (with a hash of the whole) so an entry always fits the trail.
Halts and kill-switch events from the trading core come in through audit_ingest.py.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from droids.core.audit.trail import AuditRecord, AuditStore
from trading_core.policy.yamldoc import ABSENT

APPROVAL = "approval"
__all__ = [
    "ABSENT",
    "APPROVAL",
    "FILE_FATES",
    "approval_details",
    "bounded",
    "key_says_secret",
    "record_approval",
    "shown_change",
    "summarize_value",
]
APPROVAL_VIA = ("trailer", "pr-review")

_SECRET_KEY = re.compile(
    r"(?i)(passw|passwd|passphrase|passcode|pwd|secret|token|api_?key|apikey|credential|private|auth|cookie"
    r"|signature|(^|[._\-:/])(cid|sec|key|pin|pass|pw|salt|otp|dsn)($|[._\-:/]))"
)
_SAFE_TEXT = (
    re.compile(r"-?\d{1,15}(\.\d{1,10})?%?"),  # decimals as policies quote them
    re.compile(r"([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?"),  # clock times
    re.compile(r"\d{4}-\d\d-\d\d"),  # dates
)
# The words policies use as settings (the Literal values of the policy models): shown as they are.
# Any other word is shown by its length only: "Sunshine" may be a password.
POLICY_WORDS = frozenset(
    {"percent", "fixed", "dollars", "intraday", "eod", "limit", "market", "stop", "p50", "p99", "none", "null"}
)
FILE_FATES = frozenset({"existing", "added", "modified", "deleted", "renamed", "copied", "retyped", "invalid-yaml"})
MAX_NAME_CHARS = 200


def key_says_secret(key: str) -> bool:
    """True when a dotted key path (or file path) names a secret: its values are never shown."""
    return bool(_SECRET_KEY.search(key))


def summarize_value(key: str, value: Any) -> str:
    """A value as the trail may show it: itself when it cannot be a secret, else its shape."""
    if value is ABSENT:
        return "(absent)"
    if key_says_secret(key):
        return "<redacted>"
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, str):
        if value.lower() in POLICY_WORDS or any(p.fullmatch(value) for p in _SAFE_TEXT):
            return value
        return f"<text, {len(value)} chars>"
    if isinstance(value, Mapping):
        return f"<mapping, {len(value)} keys>"
    if isinstance(value, Sequence):
        return f"<list, {len(value)} items>"
    return f"<{type(value).__name__}>"


def approval_details(
    *,
    path: str,
    key: str,
    old: Any,
    new: Any,
    approver: str,
    commit: str | None,
    via: str,
    from_path: str | None = None,
) -> dict[str, Any]:
    """The `details` of an "approval" entry, values summarised (see the module docstring)."""
    if via not in APPROVAL_VIA:
        raise ValueError(f"audit entry: via must be one of {APPROVAL_VIA}, got {via!r}")
    old_shown, new_shown = shown_change(path, key, old, new)
    details = {
        "path": bounded(path),
        "key": bounded(key),
        "old": old_shown,
        "new": new_shown,
        "approver": bounded(approver),
        "commit": commit,
        "via": via,
    }
    if from_path is not None and from_path != path:
        details["from"] = bounded(from_path)
    return details


def shown_change(path: str, key: str, old: Any, new: Any) -> tuple[str, str]:
    """(old, new) of `path`:`key` as the trail and reports show them; key "" is a whole file's fate."""
    if not key:
        return _fate(old), _fate(new)
    where = f"{path}:{key}"
    return summarize_value(where, old), summarize_value(where, new)


def _fate(value: Any) -> str:
    """A whole file's fate: one of the fixed words, never anything read from the file."""
    if value is ABSENT:
        return "(absent)"
    if value not in FILE_FATES:
        raise ValueError(f"audit entry: a whole file's old/new must be one of {sorted(FILE_FATES)}, got {value!r}")
    return str(value)


def bounded(name: str) -> str:
    """`name`, or its first MAX_NAME_CHARS characters and a hash of the whole when it is longer."""
    if len(name) <= MAX_NAME_CHARS:
        return name
    digest = hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return f"{name[:MAX_NAME_CHARS]}...(sha256:{digest}, {len(name)} chars)"


def record_approval(
    store: AuditStore, details: Mapping[str, Any], *, who: str, profile: str, head: str | None
) -> AuditRecord:
    """Append one "approval" entry with `details` from `approval_details`; `who` ran the gate
    (audit_trail.who). SEC020's approvals take the other road: AuditEvents the orchestrator appends."""
    return store.append(
        kind=APPROVAL, profile=profile, verdict="approved", counts={}, who=who, head=head, details=details
    )
