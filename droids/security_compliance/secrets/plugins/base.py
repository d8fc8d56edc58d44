"""`FieldDetector`: the base of SEC001's own detect-secrets plugins.

A field detector is a detect-secrets `RegexBasedDetector`: detect-secrets' scan (and the CLI, with
`detect-secrets scan -p <module file>`) runs it like its own plugins, with the same filters. Every
value it reports is the `secret` group of a match of one of its `denylist` regexes, which is what
lets SEC001's prefilter derive its probes from the denylist. What it adds to a plain regex
detector:

- `config_only`: denylist entries that match unquoted values, used only in configuration files
  (YAML, INI, TOML, properties, .cfg/.conf), as detect-secrets' keyword detector does: in code an
  unquoted value is a variable, not a literal; `log_only`: entries used only in log files
  (`*.log`, `*.log.1`, `*.out`, `*.err`);
- `keep(value, line, context)`: the detector's judgement of a matched value (placeholder,
  template, too regular to be a key, no sign of the service in the surrounding lines);
- `exempt_filters`: detect-secrets filters that do not fit this detector's values (see
  `engine.py`); SEC001 honours them, plain detect-secrets does not know them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any, ClassVar

from detect_secrets.core.potential_secret import PotentialSecret
from detect_secrets.plugins.base import RegexBasedDetector
from detect_secrets.util.code_snippet import CodeSnippet
from detect_secrets.util.filetype import FileType, determine_file_type

# detect-secrets' heuristic filter for `x = f(...)` lines: a field detector only reports literal
# values of its own format, so a call elsewhere on the line does not make the value indirect.
INDIRECT_REFERENCE = "detect_secrets.filters.heuristic.is_indirect_reference"
POTENTIAL_UUID = "detect_secrets.filters.heuristic.is_potential_uuid"
LIKELY_ID = "detect_secrets.filters.heuristic.is_likely_id_string"
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z_.]*")
_CONFIG_TYPES = frozenset({FileType.YAML, FileType.CONFIG, FileType.INI, FileType.PROPERTIES, FileType.TOML})
_LOG_NAME = re.compile(r"\.(?:log|out|err)(?:\.\d+)?$|\.log\.[\w-]+$", re.IGNORECASE)


@lru_cache(maxsize=256)
def is_config_file(filename: str) -> bool:
    return determine_file_type(filename) in _CONFIG_TYPES


@lru_cache(maxsize=256)
def is_log_file(filename: str) -> bool:
    return bool(_LOG_NAME.search(filename))


class FieldDetector(RegexBasedDetector):
    """A regex detector whose reports are `secret` groups of denylist matches that `keep` accepts."""

    denylist: ClassVar[tuple[re.Pattern[str], ...]] = ()
    config_only: ClassVar[frozenset[re.Pattern[str]]] = frozenset()
    log_only: ClassVar[frozenset[re.Pattern[str]]] = frozenset()
    exempt_filters: ClassVar[frozenset[str]] = frozenset({INDIRECT_REFERENCE})

    def keep(self, value: str, match: re.Match[str], context: Sequence[str]) -> bool:
        """Whether a matched value is reported. `match` is the denylist match (`match.re` says which
        pattern, `match.string` is the line); `context` is the line and the lines around it."""
        return True

    def patterns_for(self, filename: str) -> tuple[re.Pattern[str], ...]:
        if not self.config_only and not self.log_only:
            return self.denylist
        skipped = (frozenset() if is_config_file(filename) else self.config_only) | (
            frozenset() if is_log_file(filename) else self.log_only
        )
        return tuple(p for p in self.denylist if p not in skipped)

    def analyze_string(self, string: str) -> Iterator[str]:  # type: ignore[override]
        """Values in `string` read as a configuration line with no surrounding lines."""
        yield from self.values(string, self.denylist, (string,))

    def analyze_line(
        self,
        filename: str,
        line: str,
        line_number: int = 0,
        context: CodeSnippet | None = None,
        **kwargs: Any,
    ) -> set[PotentialSecret]:
        around = tuple(context.lines) if context is not None else (line,)
        return {
            PotentialSecret(type=self.secret_type, filename=filename, secret=value, line_number=line_number)
            for value in self.values(line, self.patterns_for(filename), around)
        }

    def values(self, line: str, patterns: Sequence[re.Pattern[str]], context: Sequence[str]) -> Iterator[str]:
        for regex in patterns:
            for match in regex.finditer(line):
                value = match.group("secret")
                if not value or (match.groupdict().get("call") and _IDENTIFIER.fullmatch(value)):
                    continue  # ("password", "appId") lists field names
                if self.keep(value, match, context):
                    yield value
