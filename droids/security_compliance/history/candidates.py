"""Which added lines could hold a secret: SEC001's line prefilter, applied to history's added lines.

A history holds far more added lines than any tree (pytest: 675,000 lines, 33 MB), and nearly all
of them are code no detector reports on. SEC001's `LinePrefilter` (secret_scan/prefilter.py)
already answers "could any plugin report on this line?" exactly for raw lines; this module feeds
it each distinct added line once, cut into the same windows the engine scans long lines in.

detect-secrets also reads YAML and INI-style files through transformers that put quotes around a
value, and its high-entropy plugins need those quotes. So a line whose value (after the first `=`
or `:`, or the whole line: a continuation or list item) is one bare run of a high-entropy
plugin's alphabet, long enough to pass its entropy limit, is a candidate too.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from droids.security_compliance.secret_scan.engine import LONG_LINE, WINDOW_STEP


class CandidateFilter:
    """Confirms the lines some SEC001 detector could report on, directly or once transformed."""

    def __init__(self, plugins: Sequence[object]) -> None:
        from droids.security_compliance.secret_scan.prefilter import LinePrefilter

        self._prefilter = LinePrefilter(plugins)
        self._bare_runs = _bare_runs_regex(plugins)

    def confirm(self, lines: Sequence[str]) -> set[int]:
        """Indices of the candidate lines (each already right-stripped, as the engine strips them)."""
        owners: list[int] = []
        segments: list[str] = []
        for index, line in enumerate(lines):
            if len(line) <= LONG_LINE:
                owners.append(index)
                segments.append(line)
                continue
            starts = [*range(0, len(line) - LONG_LINE, WINDOW_STEP), len(line) - LONG_LINE]
            owners.extend([index] * len(starts))
            segments.extend(line[s : s + LONG_LINE] for s in starts)
        found = {owners[i] for i in self._prefilter.confirm(segments)}
        if self._bare_runs is not None:
            found.update(i for i, line in enumerate(lines) if i not in found and self._bare_value(line))
        return found

    def _bare_value(self, line: str) -> bool:
        """Would a YAML/INI transformer quote a value of this line that is one long run of the alphabet?"""
        text = line.strip()
        if text.startswith("- "):  # a YAML list item
            text = text[2:].lstrip()
        values = [text]
        cut = min((i for i in (text.find("="), text.find(":")) if i >= 0), default=-1)
        if cut >= 0:  # configparser and YAML split a key from its value at the first delimiter
            values.append(text[cut + 1 :].strip())
        fullmatch = self._bare_runs.fullmatch  # type: ignore[union-attr]
        for value in values:
            comment = value.find(" #")
            if comment >= 0:  # a YAML comment is not part of the value
                value = value[:comment].rstrip()
            if len(value) >= 2 and value[0] in "'\"" and value[-1] == value[0]:
                value = value[1:-1]
            if fullmatch(value):
                return True
        return False


def _bare_runs_regex(plugins: Sequence[object]) -> re.Pattern[str] | None:
    from detect_secrets.plugins.high_entropy_strings import HighEntropyStringsPlugin

    runs = []
    for plugin in plugins:
        if isinstance(plugin, HighEntropyStringsPlugin):
            # Shannon entropy of n characters is at most log2(n): shorter runs cannot pass the limit.
            shortest = max(1, math.floor(2**plugin.entropy_limit))
            runs.append(f"[{re.escape(plugin.charset)}]{{{shortest},}}")
    return re.compile("|".join(runs)) if runs else None
