"""Path globs and YAML key patterns of policies/access.yaml.

Path globs are matched against repo-relative `/` paths: `*` and `?` stay inside one path segment,
`**` spans any number of segments (`trading_core/risk/**` covers every file below that folder).

Key patterns are dotted paths into a YAML document (`rulesets.*.drawdown.*`): each segment is an
fnmatch pattern for one mapping key or list index, `**` spans any number of segments. A pattern
protects every value at or below what it names; a change that replaces a whole subtree holding
protected values (`consistency: null`) changes those values too. Patterns are split at dots, so a
key that itself contains a dot (`apex-3.0`) is matched by `*`, not by its name.
"""

from __future__ import annotations

import re
from fnmatch import fnmatchcase
from functools import lru_cache

from trading_core.policy.yamldoc import KeyPath

__all__ = ["KeyPath", "dotted", "key_matches", "path_matches", "split_key"]


@lru_cache(maxsize=256)
def _glob_regex(glob: str) -> re.Pattern[str]:
    out, i = [], 0
    while i < len(glob):
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif glob.startswith("**", i):
            out.append(".*")
            i += 2
        elif glob[i] == "*":
            out.append("[^/]*")
            i += 1
        elif glob[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(glob[i]))
            i += 1
    return re.compile("".join(out) + r"\Z")


def path_matches(glob: str, path: str) -> bool:
    """Does the repo-relative `path` match `glob` (`**` spans folders, `*` does not)?"""
    return _glob_regex(glob).match(path) is not None


def split_key(pattern: str) -> KeyPath:
    return tuple(pattern.split("."))


def key_matches(pattern: KeyPath, path: KeyPath) -> bool:
    """Is the value at `path` at or below what `pattern` names?

    A subtree replaced by a scalar (`consistency: null`) needs no special case: the values it held
    are removed leaves of the change, and they match.
    """
    if not pattern:
        return True  # the pattern is used up: the path is at or below it
    if not path:
        return all(part == "**" for part in pattern)
    head, rest = pattern[0], pattern[1:]
    if head == "**":
        return key_matches(rest, path) or key_matches(pattern, path[1:])
    return fnmatchcase(path[0], head) and key_matches(rest, path[1:])


def dotted(path: KeyPath) -> str:
    return ".".join(path) if path else "(whole document)"
