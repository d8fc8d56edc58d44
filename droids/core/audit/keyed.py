"""The keyed chain: an HMAC-SHA256 of each entry's hash under `DROID_AUDIT_KEY`.

The hash chain alone is public arithmetic: whoever can write to the store can rewrite an entry and
recompute every hash after it, and the result verifies. With `DROID_AUDIT_KEY` set (a random value
of at least 16 characters, e.g. `openssl rand -hex 32`, kept as a CI secret), every appended entry
also stores `mac` = HMAC-SHA256(key, "droid-audit-mac/1" NUL hash). Since the hash covers the entry's
content, its seq and its predecessor's hash, a MAC vouches for the whole chain up to that entry, and
nobody without the key can make a rewritten entry that passes. `verify` with the key checks every
MAC from the first keyed entry on; an entry after it without a MAC, or with one made under another
key, is reported as broken. So once a trail is keyed, everyone who appends to it needs the key.

The key is a secret: it is read from the environment only, never stored, printed or logged, and
messages name the variable, never its value.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Mapping

from droids.core.errors import DroidError

KEY_ENV = "DROID_AUDIT_KEY"
MIN_KEY_CHARS = 16
_DOMAIN = b"droid-audit-mac/1\0"


def audit_key(env: Mapping[str, str] | None = None) -> bytes | None:
    """The key from `DROID_AUDIT_KEY`, or None when it is unset or empty; a short key is bad input."""
    value = (os.environ if env is None else env).get(KEY_ENV, "")
    if not value:
        return None
    if len(value) < MIN_KEY_CHARS or not value.strip():
        what = f"{len(value)} characters" if value.strip() else "blank"
        raise DroidError(
            f"{KEY_ENV}: {what}; expected a random value of at least {MIN_KEY_CHARS} characters "
            "(e.g. the output of `openssl rand -hex 32`)"
        )
    return value.encode("utf-8", "surrogateescape")


def entry_mac(key: bytes, entry_hash: str) -> str:
    """The MAC stored with an entry whose hash is `entry_hash` (hex)."""
    return hmac.new(key, _DOMAIN + entry_hash.encode("ascii", "replace"), hashlib.sha256).hexdigest()


def mac_matches(key: bytes, entry_hash: object, mac: object) -> bool:
    """Whether `mac` is the MAC of `entry_hash` under `key` (constant-time; junk never matches)."""
    if not isinstance(entry_hash, str) or not isinstance(mac, str):
        return False
    return hmac.compare_digest(entry_mac(key, entry_hash), mac)
