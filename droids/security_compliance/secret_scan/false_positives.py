"""SEC001's own filters, run after detect-secrets' filters: values shaped like a secret that say
they are not one.

- Placeholders (`password = "changeme"`, `api_key: "<your-key>"`, `token = "xxxxxxxx"`): only for
  the generic detectors (keyword, high-entropy, basic-auth URL); a value that matches a specific
  token format (AWS, GitHub, ...) is always reported.
- Labelled digests: a hex value of a digest's length (MD5, SHA-1, SHA-224/256/384/512) on a line
  that names it as a hash, checksum, commit or revision (`sha256 = "..."`, `rev: 6f1e...` in
  `.pre-commit-config.yaml`), and Subresource-Integrity values (`sha512-...`). A hex API key of the
  same length assigned to a name without such a word is still reported.
- Slack placeholders: a Slack token or webhook URL whose last part is a placeholder or a run, as
  in Slack's own documentation (`.../T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX`).
- Lock files detect-secrets does not know (`pnpm-lock.yaml`, `npm-shrinkwrap.json`, ...): they
  hold package hashes only.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from droids.security_compliance.secret_scan.plugins import values

EXTRA_LOCK_FILES = frozenset(
    {"pnpm-lock.yaml", "npm-shrinkwrap.json", "conda-lock.yml", "bun.lock", "deno.lock", "flake.lock"}
)
_BASE64 = "Base64 High Entropy String"
_HEX = "Hex High Entropy String"
_SLACK = "Slack Token"
_GENERIC = frozenset({"Secret Keyword", _BASE64, _HEX, "Basic Auth Credentials"})
_PLACEHOLDER_WORDS = frozenset(
    {"secret", "password", "passwd", "pass", "pwd", "token", "key", "apikey", "api_key", "test", "testing",
     "sample", "none", "null", "nil", "todo", "tbd", "fixme", "dummy", "fake", "foo", "bar", "foobar", "string"}
)  # fmt: skip
_PLACEHOLDER_PARTS = re.compile(
    r"change[-_ ]?me|example|placeholder|replace[-_ ]?(me|this|with)|redacted|your[-_ ]?\w*(key|token|secret|pass)"
    r"|insert[-_ ]?\w*here|_here$|-here$|^dummy|^fake[-_]",
    re.IGNORECASE,
)
_REPEATED = re.compile(r"(.)\1{3,}")  # xxxx, ****, 0000
_DIGEST_LENGTHS = frozenset({32, 40, 56, 64, 96, 128})
_DIGEST_WORDS = re.compile(r"sha|md5|blake|digest|checksum|hash|integrity|commit|\brev(ision)?\b|etag|\boid\b", re.I)
_SRI = re.compile(r"^(sha1|sha256|sha384|sha512)-[A-Za-z0-9+/=_-]+$")


def is_extra_lock_file(path: str) -> bool:
    return PurePosixPath(path).name in EXTRA_LOCK_FILES


def is_placeholder(secret_type: str, secret: str) -> bool:
    if secret_type == _SLACK:
        tail = re.split(r"[/-]", secret.rstrip("/"))[-1]
        return values.is_placeholder(tail) or values.is_sequential(tail)
    if secret_type not in _GENERIC:
        return False
    bare = secret.strip("<>{}[]()'\"`$%*. ")
    if not bare or bare.lower() in _PLACEHOLDER_WORDS or _REPEATED.fullmatch(bare):
        return True
    return bool(_PLACEHOLDER_PARTS.search(bare))


def is_labelled_digest(secret_type: str, secret: str, line: str) -> bool:
    if secret_type == _BASE64:
        return bool(_SRI.match(secret))
    if secret_type != _HEX or len(secret) not in _DIGEST_LENGTHS:
        return False
    before = line[: line.find(secret)] if secret in line else line
    return bool(_DIGEST_WORDS.search(before))
