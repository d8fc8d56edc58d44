r"""Regexes for "this name is given this literal value", in the syntaxes of code and configuration.

`quoted(name, value)` matches a quoted value assigned to a name in Python, JS, Go, shell, JSON,
YAML, TOML, INI (as detect-secrets' transformers render it) and .env:

    TWELVE_DATA_API_KEY = "..."      "sec": "..."        broker_password: '...'
    ib_password: str = "..."         os.environ["IB_PASSWORD"] = "..."
    os.getenv("IB_PASSWORD", "...")  connect(ib_password="...")   export IB_PASSWORD="..."

`bare(name, value)` matches an unquoted value that runs to the end of the line or to a comment,
as YAML, INI, TOML-like and .env files write them (`ib_password: s3cret # prod`); detectors use
it for configuration files only. Both take the name and the value as regex source and put the
value in the group `secret`. Comparisons (`==`, `!=`) are not assignments and never match.
"""

from __future__ import annotations

import re

# After the name: the closing quote or bracket of a key, an optional type annotation, the operator.
# A quoted key followed by a comma is a call's default (`getenv("NAME", "value")`) or a pair.
_ASSIGN = (
    r"""(?:["']\s*,"""
    r"""|["']?\]?(?:\s*:\s*[A-Za-z_][\w.]*(?:\[[\w.,| ]*\])?(?=\s*=))?\s*(?:=>|:=|::|:(?!:)|=(?!=)))"""
    r"""\s*"""
)
_STRING_PREFIX = r"""(?:[rRbBuUfF]{1,2})?"""


def quoted(name: str, value: str) -> str:
    return rf"""{name}{_ASSIGN}{_STRING_PREFIX}["'](?P<secret>{value})["']"""


def bare(name: str, value: str) -> str:
    return rf"""{name}{_ASSIGN}(?P<secret>{value})(?=\s*(?:[#;].*)?$)"""


def compile_pair(name: str, value: str, flags: int = re.IGNORECASE) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The quoted and the bare form of one assignment."""
    return re.compile(quoted(name, value), flags), re.compile(bare(name, value), flags)
