"""Required literals of a regular expression: sets of strings such that every match contains one
string of each set.

The secret prefilter uses them the way ripgrep and RE2 do: a fast substring search over a whole
file finds the few lines worth running the regex on. The analysis reads the parse tree of
Python's own regex parser, so it follows exactly what `re` compiles; a construct it does not know
counts as "could match anything", which only weakens the answer, never makes it wrong. `None`
means nothing is known to be required (every line must then be tried).

Literals are lower-cased when any part of the pattern ignores case; the caller then searches a
text folded with `fold_case`. Folded literals keep only their longest ASCII run, because Unicode
case folding has many-to-one corner cases (a substring of a required string is still required).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

try:  # the parser is private; without it every regex simply runs on every line
    from re import _constants as sre
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - other Pythons
    sre = None  # type: ignore[assignment]
    sre_parse = None  # type: ignore[assignment]

_MAX_SET = 64  # more alternatives than this cost more searches than they save
_MAX_CLASS = 8  # character classes up to this size are expanded into alternatives
_KEEP = 2  # how many required sets a pattern keeps (the most selective ones)
# Characters that `re.IGNORECASE` matches with an ASCII letter but `str.lower` does not map to it
# (tests/.../test_literals.py checks this list against every code point).
_FOLD_EXTRA = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})
_FOLD_EXTRA_CHARS = re.compile("[\u0130\u0131\u017f\u212a]")

Literals = frozenset[str]


@dataclass(frozen=True)
class Requirement:
    """Every match contains one string of each set in `all_of` (lower-cased when `folded`)."""

    all_of: tuple[Literals, ...]
    folded: bool

    @property
    def shortest(self) -> int:
        return max(min(map(len, s)) for s in self.all_of)


@dataclass(frozen=True)
class _Info:
    exact: Literals | None  # every string the node can match, when they are few
    required: tuple[Literals, ...]  # sets of which every match contains one string each


_ANYTHING = _Info(None, ())
_EMPTY = _Info(frozenset({""}), ())


def fold_case(text: str) -> str:
    """Lower-case `text` so that folded literals occur wherever `re.IGNORECASE` would match."""
    if _FOLD_EXTRA_CHARS.search(text):
        text = text.translate(_FOLD_EXTRA)
    return text.lower()


def parse(pattern: re.Pattern[str]) -> Any | None:
    """Python's own parse tree of `pattern`, or None when it cannot be had."""
    if sre_parse is None:
        return None
    try:
        return sre_parse.parse(pattern.pattern, pattern.flags)
    except Exception:  # an unparsable pattern gets no shortcut; it still runs in full
        return None


def required_literals(pattern: re.Pattern[str], parsed: Any | None = None) -> Requirement | None:
    """What every match of `pattern` contains, or None when nothing useful is known."""
    parsed = parsed if parsed is not None else parse(pattern)
    if parsed is None:
        return None
    walker = _Walker()
    sets = _sets(walker.sequence(parsed, bool(parsed.state.flags & re.IGNORECASE)))
    if walker.folded:
        sets = [frozenset(_ascii_core(s).lower() for s in found) for found in sets]
    sets = [_minimal(s) for s in sets if "" not in s]
    if not sets:
        return None
    return Requirement(tuple(_most_selective(sets)), walker.folded)


def _sets(info: _Info) -> list[Literals]:
    found = list(info.required)
    if info.exact is not None and "" not in info.exact:
        found.append(info.exact)
    return found


def _score(literals: Literals) -> tuple[int, int]:
    """Longer shortest literal first, then fewer literals."""
    return (min(map(len, literals)), -len(literals))


def _most_selective(sets: list[Literals]) -> list[Literals]:
    unique = list(dict.fromkeys(_minimal(s) for s in sets if s and "" not in s))
    return sorted(unique, key=_score, reverse=True)[:_KEEP]


def _ascii_core(literal: str) -> str:
    """The longest run of ASCII characters in `literal` (required whenever `literal` is)."""
    return max(re.split(r"[^\x00-\x7f]+", literal), key=len)


def _minimal(literals: Literals) -> Literals:
    """Drop literals that contain another one: finding the shorter one already finds them."""
    kept: list[str] = []
    for literal in sorted(literals, key=len):
        if not any(k in literal for k in kept):
            kept.append(literal)
    return frozenset(kept)


class _Walker:
    def __init__(self) -> None:
        self.folded = False  # set when a literal is matched ignoring case

    def sequence(self, items: object, ignorecase: bool) -> _Info:
        required: list[Literals] = []
        run: Literals | None = frozenset({""})  # product of the exact nodes since the last break
        complete = True
        for op, av in items:  # type: ignore[attr-defined]
            info = self.node(op, av, ignorecase)
            required.extend(info.required)
            if info.exact is not None and run is not None and len(run) * len(info.exact) <= _MAX_SET:
                run = frozenset(a + b for a in run for b in info.exact)
                continue
            complete = False
            if run is not None:
                required.append(run)
            run = info.exact
        if complete:
            return _Info(run, tuple(_most_selective(required)))
        if run is not None:
            required.append(run)
        return _Info(None, tuple(_most_selective(required)))

    def node(self, op: object, av: object, ignorecase: bool) -> _Info:
        if op is sre.LITERAL:
            self.folded |= ignorecase
            return _Info(frozenset({chr(av)}), ())  # type: ignore[arg-type]
        if op is sre.IN:
            return self._char_class(av, ignorecase)  # type: ignore[arg-type]
        if op is sre.SUBPATTERN:
            _group, add_flags, del_flags, body = av  # type: ignore[misc]
            inner = (ignorecase or bool(add_flags & re.IGNORECASE)) and not del_flags & re.IGNORECASE
            return self.sequence(body, inner)
        if op is sre.BRANCH:
            return self._branch(av[1], ignorecase)  # type: ignore[index]
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)):
            return self._repeat(*av, ignorecase)  # type: ignore[misc]
        if op is getattr(sre, "ATOMIC_GROUP", None):
            return self.sequence(av, ignorecase)
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            return _EMPTY  # zero-width: requires nothing
        return _ANYTHING

    def _char_class(self, items: list[tuple[object, object]], ignorecase: bool) -> _Info:
        chars: set[str] = set()
        for op, av in items:
            if op is sre.LITERAL:
                chars.add(chr(av))  # type: ignore[arg-type]
            elif op is sre.RANGE and av[1] - av[0] < _MAX_CLASS:  # type: ignore[index,operator]
                chars.update(chr(c) for c in range(av[0], av[1] + 1))  # type: ignore[index,operator]
            else:
                return _ANYTHING  # negated sets, categories, wide ranges
            if len(chars) > _MAX_CLASS:
                return _ANYTHING
        self.folded |= ignorecase
        return _Info(frozenset(chars), ())

    def _branch(self, branches: list[object], ignorecase: bool) -> _Info:
        exact: Literals | None = frozenset()
        union: Literals | None = frozenset()
        for info in (self.sequence(b, ignorecase) for b in branches):
            if exact is not None and info.exact is not None and len(exact) + len(info.exact) <= _MAX_SET:
                exact = exact | info.exact
            else:
                exact = None
            # Each alternative contributes its most selective set; the union is required.
            own = _most_selective(_sets(info))
            union = None if union is None or not own else union | own[0]
        return _Info(exact, () if union is None else (union,))

    def _repeat(self, low: int, high: int, body: object, ignorecase: bool) -> _Info:
        info = self.sequence(body, ignorecase)
        if low == 0:
            if high == 1 and info.exact is not None:
                return _Info(info.exact | {""}, ())
            return _ANYTHING
        if low == high == 1:
            return info
        return _Info(None, tuple(_sets(info)))
