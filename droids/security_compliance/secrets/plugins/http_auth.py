"""Credentials written into HTTP requests: headers, `curl -u`, `wget --password`.

- `Authorization: Bearer <token>` (also `Basic`, `Token`, `Bot`, `ApiKey`, `SSWS`, `GenieKey`,
  `OAuth`) wherever it is written: `curl -H "Authorization: ..."`, a `.http` or Postman file, a
  headers dict (`{"Authorization": "Bearer ..."}`), a log line. A `Basic` value must decode to
  `user:password` with a real password.
- API-key headers: `X-API-Key`, `X-Api-Token`, `X-Auth-Token`, `X-Access-Token`, `Api-Key`,
  `Private-Token` (GitLab), `X-Finnhub-Token`, `X-Polygon-Api-Key`, `X-CMC_PRO_API_KEY`,
  `x-cg-pro-api-key`, `APCA-API-KEY-ID` and `APCA-API-SECRET-KEY` (Alpaca).
- `curl -u user:password` / `--user user:password`, `wget --password=...` / `--http-password`.

The token must look generated (letters and digits, 3+ bits of entropy per character);
references and templates (`Bearer $TOKEN`, `Bearer ${TOKEN}`, `Bearer {token}`, `-u "$USER:$PASS"`,
`<token>`) are not reported.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Sequence

from droids.security_compliance.secrets.plugins import values
from droids.security_compliance.secrets.plugins.base import FieldDetector

_VALUE = r"(?P<secret>[A-Za-z0-9._~+/=-]{16,2048})(?![A-Za-z0-9._~+/=-])"
_AUTHORIZATION = re.compile(
    rf"Authorization[\"']?\s*[:=]\s*[rbuf]?[\"']?\s*(?P<scheme>Bearer|Basic|Token|Bot|ApiKey|Api-Key|SSWS|GenieKey|OAuth)\s+{_VALUE}",
    re.IGNORECASE,
)
_KEY_HEADER = re.compile(
    r"(?:X-API-Key|X-Api-Token|X-Auth-Token|X-Access-Token|Api-Key|Private-Token|X-Finnhub-Token|X-Polygon-Api-Key"
    rf"|X-CMC_PRO_API_KEY|x-cg-pro-api-key|APCA-API-KEY-ID|APCA-API-SECRET-KEY)[\"']?\s*[:=]\s*[rbuf]?[\"']?\s*{_VALUE}",
    re.IGNORECASE,
)
_CURL_USER = re.compile(
    r"\bcurl\b[^\n]{0,2000}?\s(?:-u|--user)(?:\s+|=)[\"']?(?P<user>[^\s:\"']{1,128}):(?P<secret>[^\s\"']{3,256})"
)
_WGET_PASSWORD = re.compile(r"\bwget\b[^\n]{0,2000}?\s--(?:http-)?password[= ][\"']?(?P<secret>[^\s\"']{3,256})")


def _generated(value: str) -> bool:
    return values.looks_random(value, min_entropy=3.0)


class AuthorizationHeaderDetector(FieldDetector):
    secret_type = "HTTP Authorization Header"  # noqa: S105 - the type name detect-secrets reports
    denylist = (_AUTHORIZATION, _KEY_HEADER)

    def keep(self, value: str, match: re.Match[str], context: Sequence[str]) -> bool:
        if values.is_placeholder(value):
            return False
        if match.re is _AUTHORIZATION and match.group("scheme").lower() == "basic":
            try:
                user, sep, password = base64.b64decode(value, validate=True).decode("utf-8").partition(":")
            except (binascii.Error, UnicodeDecodeError):
                return False
            return (
                bool(sep and password)
                and password != user
                and not values.is_placeholder(password)
                and not (values.is_look_alike(password))
            )
        return _generated(value)


class CommandLineCredentialsDetector(FieldDetector):
    secret_type = "Command-line Credentials"  # noqa: S105
    denylist = (_CURL_USER, _WGET_PASSWORD)

    def keep(self, value: str, match: re.Match[str], context: Sequence[str]) -> bool:
        if values.is_placeholder(value) or "$" in value or "{" in value:
            return False
        return match.re is not _CURL_USER or value != match.group("user")
