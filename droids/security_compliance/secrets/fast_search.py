"""Whole-text searches for the secret prefilter, in one pass of RE2 (google-re2) each.

The prefilter needs, per probe, the lines holding one of its literals, or the lines where its
regex matches. Searching each literal with `str.find` costs one pass over the text per literal,
and SEC001 knows a few hundred literals (one or more per provider format). Here all literals of
one case (as written, or folded) become one RE2 alternation, searched once: RE2 runs in time
linear in the text whatever the number of alternatives (an automaton, not backtracking).

- `LiteralSearch.lines(text)` gives every line on which each literal occurs. RE2 reports the
  longest literal starting at the leftmost position; the search resumes one character later, so
  a literal that starts inside an earlier match is found too, and the literals that are prefixes
  of a reported one (`sk-` of `sk-ant-`) are credited to the same line.
- `line_regex(pattern, parsed)` gives an RE2 program that matches on exactly the lines the Python
  regex matches on, or None when that cannot be promised: only plain ASCII constructs are
  accepted (literals, explicit character classes and ranges, repeats, groups, alternation, `.`,
  `^`/`$`), because RE2 and `re` differ on Unicode categories (`\\d`, `\\w`), case folding and
  look-arounds. `never_nl` keeps every RE2 match inside one line, as a line-by-line search is.

Texts are searched as UTF-8 bytes; line numbers are counted from `\\n` bytes, which UTF-8 never
uses inside a multi-byte character, so they are the text's own line numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

try:  # a declared dependency; without it the prefilter falls back to one str.find per literal
    import re2
except ImportError:  # pragma: no cover - a broken install
    re2 = None

try:
    from re import _constants as sre
except ImportError:  # pragma: no cover - other Pythons
    sre = None  # type: ignore[assignment]


def available() -> bool:
    return re2 is not None


def _options() -> Any:
    options = re2.Options()
    options.log_errors = False  # a refused pattern is an answer here, not an error to print
    options.never_nl = True
    return options


class LiteralSearch:
    """Lines holding each of a set of literals, found in one RE2 pass over a text."""

    def __init__(self, literals: Iterable[str]) -> None:
        self.literals = tuple(sorted(set(literals)))
        options = _options()
        options.longest_match = True
        encoded = [lit.encode("utf-8", "surrogatepass") for lit in self.literals]
        self._regex = re2.compile(b"|".join(re2.escape(e) for e in encoded), options)
        # Which literals occur wherever a given literal occurs: itself and its prefixes.
        self._credited = {e: tuple(lit for lit in self.literals if e.startswith(lit.encode())) for e in encoded}

    def lines(self, text: str) -> dict[str, set[int]]:
        found: dict[str, set[int]] = {}
        data = text.encode("utf-8", "surrogatepass")
        search = self._regex.search
        line, counted, pos = 0, 0, 0
        while (match := search(data, pos)) is not None:
            start = match.start()
            line += data.count(b"\n", counted, start)
            counted = start
            for literal in self._credited[match.group()]:
                found.setdefault(literal, set()).add(line)
            pos = start + 1
        return found


def lines_matching(program: Any, text: str) -> Iterator[int]:
    """Lines on which `program` (from `line_regex`) matches; one match per line is enough."""
    data = text.encode("utf-8", "surrogatepass")
    search = program.search
    line, counted, pos = 0, 0, 0
    while (match := search(data, pos)) is not None:
        start = match.start()
        line += data.count(b"\n", counted, start)
        counted = start
        yield line
        nxt = data.find(b"\n", start)
        if nxt == -1:
            return
        line += 1
        counted = pos = nxt + 1


def line_regex(pattern: str, flags: int, parsed: Any) -> Any | None:
    """An RE2 program equivalent to the Python regex line by line, or None."""
    if re2 is None or sre is None or parsed is None or flags & ~_ALLOWED_FLAGS or not _plain(parsed):
        return None
    return _compile(pattern)


@cache
def _compile(pattern: str) -> Any | None:
    try:
        return re2.compile("(?m)" + pattern, _options())
    except re2.error:
        return None


_ALLOWED_FLAGS = 32  # re.UNICODE, which str patterns always carry; anything else is refused


def _plain(items: Iterable[tuple[Any, Any]]) -> bool:
    for op, av in items:
        name = str(op)
        if name in ("LITERAL", "NOT_LITERAL", "ANY"):
            if name != "ANY" and av > 0x7F:
                return False
        elif name == "IN":
            if not all(_ascii_class_item(str(o), a) for o, a in av):
                return False
        elif name in ("MAX_REPEAT", "MIN_REPEAT"):
            if not _plain(av[2]):
                return False
        elif name == "SUBPATTERN":
            _group, add_flags, del_flags, body = av
            if add_flags or del_flags or not _plain(body):
                return False
        elif name == "BRANCH":
            if not all(_plain(branch) for branch in av[1]):
                return False
        elif name == "AT":
            if str(av) not in ("AT_BEGINNING", "AT_END"):
                return False
        else:  # categories, look-arounds, back-references, atomic groups...
            return False
    return True


def _ascii_class_item(name: str, av: Any) -> bool:
    if name == "LITERAL":
        return bool(av <= 0x7F)
    if name == "RANGE":
        return bool(av[1] <= 0x7F)
    return name == "NEGATE"
