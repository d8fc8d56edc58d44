r"""Whether a regex may be searched over many lines joined by `\n` instead of line by line.

Searching a whole file once is far cheaper than a Python loop over its lines, but it is only
sound for the secret prefilter when it finds every match the per-line search finds. This module
decides that from the parse tree of Python's own regex parser, conservatively.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

try:  # the parser is private; without it every regex is searched line by line
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - other Pythons
    sre_parse = None  # type: ignore[assignment]


def matches_alike_in_joined_lines(pattern: re.Pattern[str], parsed: Any | None = None) -> bool:
    r"""True when a search of the lines joined by `\n` (with `re.MULTILINE`) finds every match
    that a search of each line alone finds, at the same place.

    That holds unless the pattern looks past a line's end in a way `\n` can change: `\A`/`\Z`,
    atomic groups and possessive repeats (more text can make them fail), back-references, or a
    negative lookaround that could match a `\n` (it passes at a line's end, but may fail at `\n`).
    """
    if parsed is None:
        if sre_parse is None:
            return False
        try:
            parsed = sre_parse.parse(pattern.pattern, pattern.flags)
        except Exception:  # an unparsable pattern is searched line by line
            return False
    return _joinable(parsed, bool(parsed.state.flags & re.DOTALL), in_negative=False)


_NEWLINE_CATEGORIES = {"CATEGORY_SPACE", "CATEGORY_NOT_WORD", "CATEGORY_NOT_DIGIT", "CATEGORY_LINEBREAK"}
_UNSAFE = {"ATOMIC_GROUP", "POSSESSIVE_REPEAT", "GROUPREF", "GROUPREF_EXISTS"}
_STRING_ANCHORS = {"AT_BEGINNING_STRING", "AT_END_STRING"}


def _joinable(items: Iterable[tuple[Any, Any]], dotall: bool, in_negative: bool) -> bool:
    for op, av in items:
        name = str(op)
        if name in _UNSAFE or (name == "AT" and str(av) in _STRING_ANCHORS):
            return False
        if in_negative and _may_match_newline(name, av, dotall):
            return False
        if not all(_joinable(*child) for child in _children(name, av, dotall, in_negative)):
            return False
    return True


def _children(name: str, av: Any, dotall: bool, in_negative: bool) -> Iterator[tuple[Any, bool, bool]]:
    if name == "SUBPATTERN":
        _group, add_flags, del_flags, body = av
        yield body, (dotall or bool(add_flags & re.DOTALL)) and not del_flags & re.DOTALL, in_negative
    elif name == "BRANCH":
        for branch in av[1]:
            yield branch, dotall, in_negative
    elif name in ("MAX_REPEAT", "MIN_REPEAT"):
        yield av[2], dotall, in_negative
    elif name in ("ASSERT", "ASSERT_NOT"):
        yield av[1], dotall, in_negative or name == "ASSERT_NOT"


def _may_match_newline(name: str, av: Any, dotall: bool) -> bool:
    if name == "LITERAL":
        return av == 10
    if name == "NOT_LITERAL":
        return av != 10
    if name == "ANY":
        return dotall
    if name == "IN":
        negate = any(str(o) == "NEGATE" for o, _ in av)
        inside = any(_class_item_has_newline(o, a) for o, a in av)
        return inside != negate
    return False


def _class_item_has_newline(op: object, av: Any) -> bool:
    name = str(op)
    if name == "LITERAL":
        return av == 10
    if name == "RANGE":
        return av[0] <= 10 <= av[1]
    if name == "CATEGORY":
        return str(av).replace("UNI_", "").replace("LOC_", "") in _NEWLINE_CATEGORIES
    return False
