"""Secrets in channel addresses never leave the process: a webhook URL is a credential.

A Slack webhook's path (`/services/T.../B.../X...`) is what lets anyone post to the channel, so
everything shown to a person (messages, logs, errors, the outbox's rows, the dashboard) names a
channel by `mask_url`: scheme, host and the first path segment, the rest replaced by `****`;
user info and query strings are dropped. `Masker` also scrubs the full secret values out of any
text (an exception message that quoted the URL, for instance).
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit


def mask_url(url: str) -> str:
    """`https://hooks.slack.com/services/****`; `smtp://mail.example.com:25`; `(not a URL)`."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "(not a URL)"
    if not parts.scheme or not host:
        return "(not a URL)"
    segments = [s for s in parts.path.split("/") if s]
    path = f"/{segments[0]}/****" if segments else ""
    if len(segments) == 1:
        path = "/****"
    return f"{parts.scheme}://{host}{port}{path}"


class Masker:
    """Replaces every known secret value in a text by its masked form."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets: dict[str, str] = {}
        for s in secrets:
            self.add(s)

    def add(self, secret: str) -> None:
        if not secret or len(secret) < 8:
            return
        self._secrets[secret] = mask_url(secret) if "://" in secret else "****"
        parts = urlsplit(secret) if "://" in secret else None
        if parts is not None and parts.path.strip("/"):
            self._secrets[parts.path] = "/****"  # a library may quote the path alone
        if parts is not None and parts.password:
            self._secrets[parts.password] = "****"

    def __call__(self, text: str) -> str:
        for secret in sorted(self._secrets, key=len, reverse=True):
            if secret in text:
                text = text.replace(secret, self._secrets[secret])
        return text
