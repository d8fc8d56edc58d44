"""Twelve Data API keys: 32 letters and digits, in a Twelve Data URL or under a Twelve Data name.

Reported:
- the `apikey=` query parameter of a Twelve Data URL, REST or WebSocket
  (`https://api.twelvedata.com/time_series?symbol=ES&apikey=KEY`, `wss://ws.twelvedata.com/...`);
- a value assigned to a name that says Twelve Data (`TWELVE_DATA_API_KEY`, `twelvedata_apikey`,
  `TWELVEDATA_TOKEN`...) in code, JSON, YAML, TOML, INI and .env, or given as a default
  (`os.getenv("TWELVE_DATA_API_KEY", "KEY")`);
- the `apikey=` argument of the official client, `TDClient(apikey="KEY")`.

Not reported: `apikey=demo` (Twelve Data's public demo key), `${TWELVE_DATA_KEY}`, `{api_key}`,
`YOUR_API_KEY` and other placeholders or references, and values too regular to be a key.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from droids.security_compliance.secrets.plugins import values
from droids.security_compliance.secrets.plugins.assignment import compile_pair
from droids.security_compliance.secrets.plugins.base import FieldDetector

_KEY = r"[A-Za-z0-9]{32}"
_NAME = r"(?<![A-Za-z0-9])twelve[_.-]?data[\w.-]{0,24}?(?:api[_-]?)?(?:key|token|secret)"
_NAMED_QUOTED, _NAMED_BARE = compile_pair(_NAME, _KEY)
_URL = re.compile(rf"twelvedata\.com[:/][^\s\"'<>]*?[?&]apikey=(?P<secret>{_KEY})(?![A-Za-z0-9])", re.IGNORECASE)
_CLIENT = re.compile(
    rf"""(?:TDClient|TwelveData\w*)\s*\([^)]{{0,200}}?\bapi_?key\s*=\s*[rbuf]?["'](?P<secret>{_KEY})["']""",
    re.IGNORECASE,
)


class TwelveDataKeyDetector(FieldDetector):
    """Twelve Data API keys in URLs, assignments and `TDClient(apikey=...)`."""

    secret_type = "Twelve Data API Key"  # noqa: S105 - the type name detect-secrets reports
    denylist = (_URL, _CLIENT, _NAMED_QUOTED, _NAMED_BARE)
    config_only = frozenset({_NAMED_BARE})

    def keep(self, value: str, match: re.Match[str], context: Sequence[str]) -> bool:
        return values.looks_random(value, min_entropy=3.0)
