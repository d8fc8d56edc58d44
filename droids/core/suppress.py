"""Inline acceptance of a finding, written on the line it is about. Three forms, for every droid:

- `# droid: ignore[SEC004, PERF001]` accepts those rules on the line; a bare `# droid: ignore`
  accepts every rule. droid's own form: `run_checks` applies it to every check's findings, which
  are then reported as suppressed ("inline: droid: ignore"), never dropped.
- `# nosec` / `# nosec SEC004, B602`: bandit's comment. Bare, it accepts every rule on the line as
  bandit does; with ids, only those (`# nosec B602` keeps SEC004 findings on the line). The checks
  that honour it (SEC003, SEC004, SEC010 through bandit) call `accepts`.
- `# pragma: allowlist secret` on the line, or `# pragma: allowlist nextline secret` on the line
  above: detect-secrets' comment, for the secret checks (`allowlisted`).
Any comment syntax works (`//`, `--`, `;`): the marker is searched in the line's text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_NOSEC = re.compile(r"#\s*nosec\b:?(?P<ids>[^#]*)", re.IGNORECASE)
_DROID_IGNORE = re.compile(r"droid:\s*ignore(?:\[(?P<ids>[^\]]*)\])?", re.IGNORECASE)
_ID = re.compile(r"[A-Z]{1,5}\d{3}(?:/[A-Z0-9_-]+)?", re.IGNORECASE)
INLINE = "inline: droid: ignore"


def _covers(ids_text: str | None, rule_ids: Sequence[str]) -> bool:
    ids = {i.upper() for i in _ID.findall(ids_text or "")}
    return not ids or any(r.upper() in ids for r in rule_ids)


def accepts(line: str, rule: str) -> bool:
    """True when `line` carries a `# nosec` or `droid: ignore` comment that covers `rule`."""
    return any(_covers(m.group("ids"), (rule,)) for m in _NOSEC.finditer(line)) or droid_ignores(line, (rule,))


def droid_ignores(line: str, rule_ids: Sequence[str]) -> bool:
    """True when `line` carries `droid: ignore` (bare, or naming one of `rule_ids`)."""
    if "ignore" not in line:  # the common case, without a regex
        return False
    return any(m.group("ids") is None or _covers(m.group("ids"), rule_ids) for m in _DROID_IGNORE.finditer(line))


def accepted_lines(lines: Sequence[str], first: int, last: int, rule: str) -> bool:
    """True when any of the 1-based lines `first`..`last` accepts `rule` (a statement spans them)."""
    return any(accepts(lines[n - 1], rule) for n in range(max(first, 1), min(last, len(lines)) + 1))


def allowlisted(lines: Sequence[str], line: int) -> bool:
    """detect-secrets' pragma on 1-based `line`, or its nextline form on the line above."""
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    above = lines[line - 2] if 1 < line <= len(lines) + 1 else ""
    return "pragma: allowlist secret" in text or "pragma: allowlist nextline secret" in above
