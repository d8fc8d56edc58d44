"""A linear-time twin of detect-secrets' `is_indirect_reference` filter.

detect-secrets drops a candidate when its line looks like `secret = get_secret_key()` or
`secret = request.headers['apikey']`, using the regex

    ([^\\v=!:]*)\\s*(:=?|[!=]{1,3})\\s*([\\w.-]+[\\[\\(][^\\v]*[\\]\\)])

searched anywhere in the line. Python's backtracking engine needs up to cubic time for it: on
pytest's 1.38 MB `plugin_list.rst` (lines of at most 553 characters) that one regex costs 462 s,
and upstream only skips lines longer than 1,000 characters. This module answers the same
question in one pass.

Why the rewrite is equivalent: the first group and the `\\s*` before the operator may match the
empty string and the search may start anywhere, so they never decide anything. Every operator
alternative (`:`, `:=`, and `!`/`=` runs of 1-3) ends in one of `:`, `=`, `!`, and a one-character
operator is always allowed, so the line matches iff some `[:=!]` is followed by optional
whitespace, a non-empty run of `[\\w.-]`, an opening `[` or `(` at some position b, and later a
closing `]` or `)` with no vertical tab (`\\v` is only U+000B in Python's `re`) between b and it.
`test_indirect_reference.py` checks the equivalence on random and hand-picked lines.
"""

from __future__ import annotations

import re

# `[:=!]` then whitespace then a word run ending at an opening bracket. The operator is not in
# `\s` or `[\w.-]`, so the runs tried from different operators never overlap: linear overall.
_OPENER = re.compile(r"[:=!]\s*[\w.-]+[\[(]")
_UPSTREAM_MAX_LINE = 1000


def references_indirectly(line: str) -> bool:
    """True when `line` matches detect-secrets' indirect-reference pattern (any length)."""
    if ("(" not in line and "[" not in line) or (")" not in line and "]" not in line):
        return False
    segment_end = -1  # end of the \v-free stretch holding the current opener
    for match in _OPENER.finditer(line):
        opener = match.end() - 1
        if opener < segment_end:
            continue  # an earlier opener of this stretch already had no closer after it
        segment_end = line.find("\x0b", opener)
        if segment_end == -1:
            segment_end = len(line)
        if max(line.rfind("]", opener, segment_end), line.rfind(")", opener, segment_end)) > opener:
            return True
    return False


def is_indirect_reference(line: str) -> bool:
    """Drop-in for detect-secrets' filter: same answers, including its 1,000-character cut-off."""
    if len(line) > _UPSTREAM_MAX_LINE:
        return False
    return references_indirectly(line)
