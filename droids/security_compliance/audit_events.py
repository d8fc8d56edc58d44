"""Audit-trail entries besides gate and audit verdicts: protected-parameter approvals.

`record_approval(store, ...)` writes one entry of kind "approval" for a change to a protected file or
key (policies/access.yaml) that an owner approved: the access-control check calls it when a change
passes thanks to an `Approved-by:` trailer or a pull-request approval. The entry says what changed
(path and key), old -> new, who approved it, in which commit, and how the approval was given:

    kind "approval", profile "pre-commit" | "ci", verdict "approved", counts {}
    details {"path": "policies/apex.yaml", "key": "rulesets.seed.drawdown.percent",
             "old": "10", "new": "8", "approver": "risk@example.com", "commit": "<sha>", "via": "trailer"}

Values go through `summarize_value`, so a secret never reaches the trail: numbers, booleans, null,
decimal strings ("2500", "0.30"), clock times, dates and plain words ("intraday") are shown as they
are; any other text only as `<text, N chars>`, lists and mappings as their size, and every value of a
key whose name says secret (password, token, api_key, secret, credential, ...) as `<redacted>`.
Halts and kill-switch events from the trading core come in through audit_ingest.py.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from droids.security_compliance.access.yamltree import ABSENT
from droids.security_compliance.audit_trail import AuditRecord, AuditStore

APPROVAL = "approval"
__all__ = ["ABSENT", "APPROVAL", "approval_details", "key_says_secret", "record_approval", "summarize_value"]
APPROVAL_VIA = ("trailer", "pr-review")

_SECRET_KEY = re.compile(
    r"(?i)(passw|passwd|pwd|secret|token|api_?key|apikey|credential|private|auth|cookie|signature"
    r"|(^|[._\-:/])(cid|sec|key|pin)($|[._\-:/]))"
)
_SAFE_TEXT = (
    re.compile(r"-?\d{1,15}(\.\d{1,10})?%?"),  # decimals as policies quote them
    re.compile(r"([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?"),  # clock times
    re.compile(r"\d{4}-\d\d-\d\d"),  # dates
    re.compile(r"[A-Za-z][A-Za-z_\-]{0,31}"),  # enum words, no digits (an id or key has them)
)


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
        if any(p.fullmatch(value) for p in _SAFE_TEXT):
            return value
        return f"<text, {len(value)} chars>"
    if isinstance(value, Mapping):
        return f"<mapping, {len(value)} keys>"
    if isinstance(value, Sequence):
        return f"<list, {len(value)} items>"
    return f"<{type(value).__name__}>"


def approval_details(
    *, path: str, key: str, old: Any, new: Any, approver: str, commit: str | None, via: str
) -> dict[str, Any]:
    """The `details` of an "approval" entry, values summarised (see the module docstring)."""
    if via not in APPROVAL_VIA:
        raise ValueError(f"audit entry: via must be one of {APPROVAL_VIA}, got {via!r}")
    where = f"{path}:{key}" if key else path
    return {
        "path": path,
        "key": key,
        "old": summarize_value(where, old),
        "new": summarize_value(where, new),
        "approver": approver,
        "commit": commit,
        "via": via,
    }


def record_approval(
    store: AuditStore,
    *,
    path: str,
    key: str,
    old: Any,
    new: Any,
    approver: str,
    commit: str | None,
    via: str,
    who: str,
    profile: str,
    head: str | None,
) -> AuditRecord:
    """Append one "approval" entry for `path`:`key` changed from `old` to `new` (ABSENT when the key
    was added or removed; `key` "" for a whole protected file). `via` is "trailer" or "pr-review";
    `approver` the owner's email or login; `who` ran the gate (audit_trail.who)."""
    details = approval_details(path=path, key=key, old=old, new=new, approver=approver, commit=commit, via=via)
    return store.append(
        kind=APPROVAL, profile=profile, verdict="approved", counts={}, who=who, head=head, details=details
    )
