"""Tradovate API credentials: the `password` and `sec` fields of its access-token request.

Tradovate's `POST /auth/accesstokenrequest` takes `name`, `password`, `appId`, `appVersion`,
`cid`, `sec` and `deviceId`. The secrets among them are `password` (the account's) and `sec` (the
API key's secret, usually UUID-shaped); `name` and `cid` identify, they are not secret, and are
only used as signs that a request body is a Tradovate one. Reported, in JSON, Python/JS dicts,
keyword arguments, YAML, TOML, INI and .env:

- a `sec` field holding a UUID or a generated token of 16+ characters, when the line or the five
  lines around it show another Tradovate field (`cid`, `appId`, `appVersion`, `deviceId`,
  `password`) or name Tradovate;
- a `password` field when Tradovate is named around it, or a `sec` field of that shape or two of
  `cid`, `appId`, `appVersion`, `deviceId` stand around it;
- any value of a Tradovate-named secret (`TRADOVATE_SEC`, `tradovate_api_secret`,
  `TRADOVATE_API_KEY`, `tradovate.token`...). `TRADOVATE_PASSWORD` and the like are broker
  account passwords (see `broker_password.py`).

Placeholders and references (`${TRADOVATE_SEC}`, `<sec>`, all-zero UUIDs) are not reported.
SEC001 reports UUID-shaped `sec` values, which detect-secrets' UUID filter would drop.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from droids.security_compliance.secrets.plugins import values
from droids.security_compliance.secrets.plugins.assignment import compile_pair
from droids.security_compliance.secrets.plugins.base import INDIRECT_REFERENCE, POTENTIAL_UUID, FieldDetector

_GENERATED = r"[A-Za-z0-9][A-Za-z0-9-]{15,63}"
_PW_VALUE = r"[^\s\"']{4,128}"
_PW_QUOTED_VALUE = r"[^\"'\n]{4,128}"
_SEC_QUOTED, _SEC_BARE = compile_pair(r"""(?<![\w.-])["']?sec""", _GENERATED, flags=0)
_PW_QUOTED, _ = compile_pair(r"""(?<![\w.-])["']?password""", _PW_QUOTED_VALUE, flags=0)
_, _PW_BARE = compile_pair(r"""(?<![\w.-])["']?password""", _PW_VALUE, flags=0)
_NAMED = r"(?<![A-Za-z0-9])tradovate[\w.-]{0,24}?(?:api[_-]?secret|client[_-]?secret|secret|sec|api[_-]?key|token)"
_NAMED_QUOTED, _NAMED_BARE = compile_pair(_NAMED, _GENERATED)
_NAMED_PATTERNS = (_NAMED_QUOTED, _NAMED_BARE)
_PW_PATTERNS = (_PW_QUOTED, _PW_BARE)

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_NAMES_TRADOVATE = re.compile(r"tradovate|accesstokenrequest", re.IGNORECASE)
# Field names of the access-token request, as keys (quoted, or followed by `:`/`=`).
_FIELD = re.compile(r"""(?<![\w.-])["']?(cid|app_?id|app_?version|device_?id|password)["']?\s*[:=]""", re.IGNORECASE)
_SEC_FIELD = re.compile(r"""(?<![\w.-])["']?sec["']?\s*[:=]\s*[rbuf]?["']?[A-Za-z0-9][A-Za-z0-9-]{15,}""")


def _fields_around(context: Sequence[str]) -> set[str]:
    """The request's field names around a hit, lower-cased without `_` (`app_id` is `appid`)."""
    return {m.group(1).lower().replace("_", "") for line in context for m in _FIELD.finditer(line)}


def _names_tradovate(context: Sequence[str]) -> bool:
    return any(_NAMES_TRADOVATE.search(line) for line in context)


class TradovateCredentialsDetector(FieldDetector):
    """Tradovate access-token request secrets and Tradovate-named secrets."""

    secret_type = "Tradovate Credentials"  # noqa: S105 - the type name detect-secrets reports
    denylist = (_SEC_QUOTED, _SEC_BARE, _PW_QUOTED, _PW_BARE, _NAMED_QUOTED, _NAMED_BARE)
    config_only = frozenset({_SEC_BARE, _PW_BARE, _NAMED_BARE})
    exempt_filters = frozenset({INDIRECT_REFERENCE, POTENTIAL_UUID})

    def keep(self, value: str, match: re.Match[str], context: Sequence[str]) -> bool:
        if values.is_placeholder(value):
            return False
        if match.re in _NAMED_PATTERNS:
            return _is_token(value)
        fields = _fields_around(context)
        if match.re in _PW_PATTERNS:
            others = fields & {"cid", "appid", "appversion", "deviceid"}
            return _names_tradovate(context) or any(_SEC_FIELD.search(c) for c in context) or len(others) >= 2
        return _is_token(value) and (_names_tradovate(context) or bool(fields))


def _is_token(value: str) -> bool:
    if _UUID.fullmatch(value):
        return len(set(value.replace("-", ""))) >= 6  # not 00000000-0000-...
    return values.looks_random(value, min_entropy=3.0)
