r"""Regexes for "this name is given this literal value", in the syntaxes of code and configuration.

`quoted(name, value)` matches a quoted value assigned to a name in Python, JS, Go, shell, JSON,
YAML, TOML, INI (as detect-secrets' transformers render it) and .env:

    TWELVE_DATA_API_KEY = "..."      "sec": "..."        broker_password: '...'
    ib_password: str = "..."         os.environ["IB_PASSWORD"] = "..."
    os.getenv("IB_PASSWORD", "...")  connect(ib_password="...")   export IB_PASSWORD="..."

A call's default (`getenv("NAME", "value")`, group `call`) looks like a pair of strings in a list
(`("password", "appId")`): `FieldDetector` drops such values when they are plain identifiers.

`bare(name, value)` matches an unquoted value that runs to the end of the line or to a comment,
as YAML, INI, TOML-like and .env files write them (`ib_password: s3cret # prod`); detectors use
it for configuration files only. Both take the name and the value as regex source and put the
value in the group `secret`. Comparisons (`==`, `!=`) are not assignments and never match.
"""

from __future__ import annotations

import re

# After the name: the closing quote or bracket of a key, an optional type annotation, the operator.
_OPERATOR = r"""["']?\]?(?:\s*:\s*[A-Za-z_][\w.]*(?:\[[\w.,| ]*\])?(?=\s*=))?\s*(?:=>|:=|::|:(?!:)|=(?!=))\s*"""
_STRING_PREFIX = r"""(?:[rRbBuUfF]{1,2})?"""


def quoted(name: str, value: str) -> str:
    """`name = "value"` and the like, or a call's default: `getenv("NAME", "value")` (group `call`)."""
    default = rf"""(?P<call>\(\s*["']{name}["']\s*,\s*)"""
    return rf"""(?:{name}{_OPERATOR}|{default}){_STRING_PREFIX}["'](?P<secret>{value})["']"""


def bare(name: str, value: str) -> str:
    return rf"""{name}{_OPERATOR}(?P<secret>{value})(?=\s*(?:[#;].*)?$)"""


def compile_pair(name: str, value: str, flags: int = re.IGNORECASE) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The quoted and the bare form of one assignment."""
    return re.compile(quoted(name, value), flags), re.compile(bare(name, value), flags)
