"""Credentials in log output: `password=...` or `token: ...` written unquoted into a log line.

Applications that log a request, a connection string or their settings leak credentials as
`key=value` pairs, unquoted, which detect-secrets' keyword detector (quotes required outside
configuration files) never sees. Reported:

- in log files (`app.log`, `app.log.1`, `server.out`, `job.err`), every line;
- in any other file, a line shaped like a log record: it starts with a timestamp
  (`2024-05-01 12:00:01`, `2024-05-01T12:00:01Z`, `[2024-05-01 ...]`) or a level
  (`INFO`, `[ERROR]`, `WARNING:`...), as a log pasted into an issue, a doc or a test fixture is;

where the key is `password`, `passwd`, `pwd`, `pass`, `passphrase`, `secret`, `client_secret`,
`api_key`, `apikey`, `access_token`, `auth_token` or `token`, followed by `=` or `:` and a value of
4+ characters. Not reported: masked values (`password=****`, `token=<redacted>`, `[FILTERED]`),
references and placeholders (`password=${DB_PASSWORD}`, `password=None`, `token=null`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from droids.security_compliance.secrets.plugins import values
from droids.security_compliance.secrets.plugins.base import FieldDetector

_PAIR = (
    r"(?<![\w.-])(?P<name>password|passwd|pwd|pass|passphrase|secret|client_secret|api_?key|access_token|auth_token"
    r"|token)[\"']?\s*[=:]\s*(?P<secret>[^\s'\",;&)\]}]{4,128})"
)
_RECORD_START = (
    r"^\s*(?:\[?\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d)?\S*\]?|\[?(?:TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|FATAL"
    r"|CRITICAL)\]?:?)\s"
)
_IN_LOG_FILE = re.compile(_PAIR, re.IGNORECASE)
_IN_LOG_RECORD = re.compile(rf"{_RECORD_START}[^\n]{{0,2000}}?{_PAIR}", re.IGNORECASE)
_MASKED = re.compile(
    r"^(?:\*+|x{3,}|\[?(?:filtered|redacted|masked|hidden|removed)\]?|none|null|nil|true|false)$", re.I
)


class LogCredentialDetector(FieldDetector):
    """A credential written unquoted into a log line."""

    secret_type = "Credential in Log Line"  # noqa: S105 - the type name detect-secrets reports
    denylist = (_IN_LOG_FILE, _IN_LOG_RECORD)
    log_only = frozenset({_IN_LOG_FILE})

    def keep(self, value: str, match: re.Match[str], context: Sequence[str]) -> bool:
        return not _MASKED.match(value) and not values.is_placeholder(value) and not value.isdigit()
