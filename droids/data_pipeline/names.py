"""Names every part of the data-pipeline droid shares: the droid's name, how a bar's time is written
in a message (ISO 8601 UTC), and one way to build a finding."""

from __future__ import annotations

from datetime import UTC, datetime

from droids.core.models import Finding, RuleSpec, fingerprint

DROID = "data-pipeline"
NS_PER_S = 1_000_000_000


def iso_utc(ns: int) -> str:
    """`ns` since the epoch as ISO 8601 UTC: 2026-03-09T14:31:00Z (fractions only when present)."""
    seconds, rest = divmod(int(ns), NS_PER_S)
    text = datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S")
    if rest:
        text += f".{rest:09d}".rstrip("0")
    return text + "Z"


def finding(rule: RuleSpec, message: str, *, path: str | None, key: str, line: int | None = None, **extra) -> Finding:
    """A finding of `rule`; `key` is what identifies it across runs (a bar's time, a function), never a line."""
    return Finding(
        rule=rule.id,
        droid=rule.droid,
        severity=rule.severity,
        title=rule.title,
        message=message,
        path=path,
        line=line,
        fingerprint=fingerprint(rule.id, path, key),
        fix=rule.fix,
        **extra,
    )
