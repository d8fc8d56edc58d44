"""API keys and tokens written into a URL's query string, whatever the service.

Market-data vendors take their key as a query parameter (`apikey=`, `apiKey=`, `token=`,
`access_key=`), so a key pasted into a request URL is the most common leak of this field, and
detect-secrets finds none of them: the value is neither quoted on its own nor assigned to a name.

Reported: `?` or `&` then `apikey`, `api_key`, `api-key`, `access_key`, `access_token`,
`auth_token`, `token`, `key`, `secret` or `client_secret`, `=`, and a value of 16 to 256
characters that mixes letters and digits and looks generated (at least 3 bits of entropy per
character, no run, no placeholder). Not reported: templates (`apikey={key}`, `apikey=${KEY}`,
`apikey=%s`, URL-encoded braces), `apikey=demo`, `YOUR_API_KEY`, and short or regular values.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from droids.security_compliance.secrets.plugins import values
from droids.security_compliance.secrets.plugins.base import FieldDetector

_PARAMETER = r"(?:api[_-]?key|access[_-]?key|access[_-]?token|auth[_-]?token|token|key|client[_-]?secret|secret)"
_QUERY = re.compile(
    rf"[?&]{_PARAMETER}=(?P<secret>[A-Za-z0-9_~.%-]{{16,256}})(?![A-Za-z0-9_~.%-])",
    re.IGNORECASE,
)


class UrlQueryKeyDetector(FieldDetector):
    """A key or token in a URL's query string."""

    secret_type = "API Key in URL"  # noqa: S105 - the type name detect-secrets reports
    denylist = (_QUERY,)

    def keep(self, value: str, match: re.Match[str], context: Sequence[str]) -> bool:
        return values.looks_random(value, min_entropy=3.0)
