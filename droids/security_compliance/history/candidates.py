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
from typing import TYPE_CHECKING

from droids.security_compliance.secrets.engine import LONG_LINE, WINDOW_STEP

if TYPE_CHECKING:
    from droids.security_compliance.secrets.engine import SecretEngine


class CandidateFilter:
    """Confirms the lines some SEC001 detector could report on, directly or once transformed."""

    def __init__(self, engine: SecretEngine) -> None:
        self._prefilter = engine.prefilter  # the engine's own: building another costs ~0.15 s
        self._bare_value = _bare_value_regex(engine.plugins)

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
        if self._bare_value is not None:
            match = self._bare_value.match
            found.update(i for i, line in enumerate(lines) if i not in found and match(line))
        return found


def _bare_value_regex(plugins: Sequence[object]) -> re.Pattern[str] | None:
    """Lines whose value a YAML/INI transformer would quote, when it is one long run of a high-entropy alphabet.

    The value is the whole line (a continuation line, a list item after `- `) or what follows the first `=`
    or `:` (where configparser and YAML split a key from its value), optionally quoted, optionally followed
    by a comment. Possessive quantifiers keep the match linear in the line's length.
    """
    from detect_secrets.plugins.high_entropy_strings import HighEntropyStringsPlugin

    runs = []
    for plugin in plugins:
        if isinstance(plugin, HighEntropyStringsPlugin):
            # Shannon entropy of n characters is at most log2(n): shorter runs cannot pass the limit.
            shortest = max(1, math.floor(2**plugin.entropy_limit))
            runs.append(f"[{re.escape(plugin.charset)}]{{{shortest},}}+")
    if not runs:
        return None
    return re.compile(rf"(?:\s*+(?:-\s++)?+|[^=:]*+[=:]\s*+)(['\"]?+)(?:{'|'.join(runs)})\1\s*+(?:[#;].*)?$")
