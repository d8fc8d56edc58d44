"""Inline acceptance of a finding with bandit's comment: `# nosec` or `# nosec SEC004, B602`.

A bare `# nosec` accepts every rule on the line, as bandit does; a `# nosec` that lists ids
accepts only those, so `# nosec B602` on a line keeps SEC004 findings there.
"""

from __future__ import annotations

import re

_NOSEC = re.compile(r"#\s*nosec\b:?(?P<ids>[^#]*)", re.IGNORECASE)
_ID = re.compile(r"[A-Z]{1,5}\d{3}", re.IGNORECASE)


def accepts(line: str, rule: str) -> bool:
    """True when `line` carries a `# nosec` comment that covers `rule`."""
    for match in _NOSEC.finditer(line):
        ids = {i.upper() for i in _ID.findall(match.group("ids"))}
        if not ids or rule.upper() in ids:
            return True
    return False


def accepted_lines(lines: list[str], first: int, last: int, rule: str) -> bool:
    """True when any of the 1-based lines `first`..`last` accepts `rule` (a statement spans them)."""
    return any(accepts(lines[n - 1], rule) for n in range(max(first, 1), min(last, len(lines)) + 1))
