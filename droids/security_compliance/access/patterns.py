"""Path globs and YAML key patterns of policies/access.yaml.

Path globs are matched against repo-relative `/` paths: `*` and `?` stay inside one path segment,
`**` spans any number of segments (`trading_core/risk/**` covers every file below that folder).

Key patterns are dotted paths into a YAML document (`rulesets.*.drawdown.*`): each segment is an
fnmatch pattern for one mapping key or list index, `**` spans any number of segments. A pattern
protects every value at or below what it names, and a change that replaces a whole subtree holding
protected values (`consistency: null`) counts as a change of those values too.
"""

from __future__ import annotations

import re
from fnmatch import fnmatchcase
from functools import lru_cache

KeyPath = tuple[str, ...]


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
    """Is the value at `path` protected by `pattern`: at or below it, or a subtree containing it?"""
    if not pattern or not path:
        return True  # the pattern is used up (path is below it) or the path is (it holds the pattern)
    head, rest = pattern[0], pattern[1:]
    if head == "**":
        return key_matches(rest, path) or key_matches(pattern, path[1:])
    return fnmatchcase(path[0], head) and key_matches(rest, path[1:])


def dotted(path: KeyPath) -> str:
    return ".".join(path) if path else "(whole document)"
