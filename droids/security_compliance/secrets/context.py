"""Context of a value that was found by its shape or its name: is it probably not a credential?

A provider's format (a `ghp_` token with a valid checksum, a `dop_v1_` token) is a credential
wherever it stands, so it is never judged here. A value found only because it is random-looking
(`Base64/Hex High Entropy String`) or because of the name it is assigned to (`Secret Keyword`,
`Basic Auth Credentials`, a connection string, a log line...) is low severity, with the reason
in its type, when:

- it is in a test, fixture, benchmark, documentation or example file (`tests/`, `test_*.py`,
  `*.spec.ts`, `fixtures/`, `testdata/`, `benches/`, `docs/`, `*.md`, `*.rst`, `examples/`,
  `config.example.json`...). An example env file (`.env.example`) is not one of them: what it
  holds is copied into real `.env` files, so a real-looking password there stays high;
- (random-looking values only) no credential word stands on its line or on the line that opens its
  block (`secret`, `token`, `password`, `api_key`, `auth`, `credential`, `private`, `bearer`,
  `key`...), or it is hex shaped like a hash, an id or an address (32/40/56/64/96/128 hex digits,
  or `0x`-prefixed) and only a weak word (`key`) names it;
- (credentials in URLs) its host is a documentation or local one (`example.com`, `localhost`).

A JSON Web Token whose `exp` claim lies in the past no longer authenticates: low ("expired").
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import time
from collections.abc import Sequence
from pathlib import PurePosixPath

from droids.security_compliance.secrets.severity import CONTEXT_TYPES, qualified

_TEST_DIRS = frozenset(
    {"test", "tests", "testing", "__tests__", "spec", "specs", "fixtures", "fixture", "__fixtures__", "testdata",
     "test_data", "test-data", "test_fixtures", "mocks", "__mocks__", "bench", "benches", "benchmarks", "e2e"}
)  # fmt: skip
_TEST_FILE = re.compile(
    r"^(?:test_.*\.py|.*_test\.(?:py|go|rs|rb|exs?)|conftest\.py|.*\.(?:test|spec)\.[cm]?[jt]sx?|.*Tests?\.(?:java|kt|cs|swift)"
    r"|.*_spec\.rb|.*Spec\.(?:java|kt|scala|groovy))$"
)
_DOC_DIRS = frozenset({"doc", "docs", "documentation", "site-docs", "wiki"})
_DOC_FILE = re.compile(
    r"\.(?:md|markdown|mdx|rst|adoc|asciidoc|textile)$|^(?:readme|changelog|changes|history)(?:\.|$)", re.I
)
_EXAMPLE_PART = re.compile(r"(?:^|[._-])(?:examples?|samples?|templates?|demos?|tutorials?)(?:$|[._-])", re.I)
_ENV_EXAMPLE = re.compile(r"^\.env(?:[._-].*)?$")

_RUST_TEST_MOD = re.compile(r"\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+\w+\s*\{")
_ASSIGNED = re.compile(
    r"""([A-Za-z_][\w.-]*)["']?\]?\s*(?::\s*[^=:]{1,40}?)?\s*(?:=>|:=|[:=])\s*[rbuf&]?["']?[^"']*$"""
)
_TEST_DATA_NAME = re.compile(
    r"(?:^|[^a-z])(?:test|fake|dummy|mock|example|sample|fixture|placeholder)(?:[^a-z]|$)|^(?:test|fake|dummy|mock)",
    re.I,
)
_HEX_HE = "Hex High Entropy String"
_B64_HE = "Base64 High Entropy String"
_JWT = "JSON Web Token"
_SHAPED = frozenset({_HEX_HE, _B64_HE})
_URL_TYPES = frozenset({"Basic Auth Credentials", "API Key in URL", "Database Connection String"})
_STRONG_WORD = re.compile(
    r"secret|token|passw|passwd|pwd|passphrase|api[_-]?key|apikey|auth|credential|private|bearer|access[_-]?key|signing"
    r"|session[_-]?key|client[_-]?key|master[_-]?key|encryption[_-]?key|cookie",
    re.IGNORECASE,
)
_ANY_KEY_WORD = re.compile(r"(?:^|[^a-z])key|key(?:$|[^a-z])|Key", re.IGNORECASE)
_BLOCK_OPENER = re.compile(r"[{\[(:]\s*(?:#.*)?$")
_DIGEST_LENGTHS = frozenset({32, 40, 56, 64, 96, 128})
_EXAMPLE_HOST = re.compile(
    r"@(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\]|(?:[\w-]+\.)*(?:example|test|invalid|localhost)(?:\.(?:com|org|net))?)(?:[:/?#\"'\s]|$)",
    re.IGNORECASE,
)
_URL_EXAMPLE_HOST = re.compile(
    r"https?://(?:localhost|127\.0\.0\.1|0\.0\.0\.0|(?:[\w-]+\.)*example\.(?:com|org|net))[:/]", re.I
)


def file_kind(path: str) -> str | None:
    """'a test file', 'documentation' or 'an example file' when `path` is one, else None."""
    pure = PurePosixPath(path)
    name = pure.name
    if _ENV_EXAMPLE.match(name):
        return None
    parts = [p.lower() for p in pure.parts[:-1]]
    if _TEST_FILE.match(name) or any(p in _TEST_DIRS for p in parts):
        return "a test file"
    if _DOC_FILE.search(name) or any(p in _DOC_DIRS for p in parts):
        return "documentation"
    if any(_EXAMPLE_PART.search(p) for p in (*parts, pure.stem)):
        return "an example file"
    return None


def test_code_start(path: str, lines: Sequence[str]) -> int:
    """The 1-based line from which a source file holds test code (Rust's `#[cfg(test)] mod tests`,
    which by convention closes the file), or 0."""
    if not path.endswith(".rs"):
        return 0
    for index, line in enumerate(lines):
        if line.strip() == "#[cfg(test)]" and any(_RUST_TEST_MOD.match(nxt) for nxt in lines[index + 1 : index + 3]):
            return index + 1
    return 0


def in_test_code(secret_type: str) -> str:
    """`secret_type` found below `test_code_start`: low, unless already judged or not context-judged."""
    if secret_type not in CONTEXT_TYPES:
        return secret_type
    return qualified(secret_type, "in test code")


def judged(secret_type: str, value: str, path: str, line: str, above: Sequence[str]) -> str:
    """`secret_type`, qualified as low severity when the context says so."""
    reason = _low_reason(secret_type, value, path, line, above)
    return qualified(secret_type, reason) if reason else secret_type


def _low_reason(secret_type: str, value: str, path: str, line: str, above: Sequence[str]) -> str | None:
    if secret_type == _JWT:
        return "expired" if _jwt_expired(value) else None
    if secret_type not in CONTEXT_TYPES:
        return None
    kind = file_kind(path)
    if kind:
        return f"in {kind}"
    name = _ASSIGNED.search(line[: line.find(value)] if value in line else "")
    if name and _TEST_DATA_NAME.search(name.group(1)):
        return "named as test data"
    if secret_type in _SHAPED:
        return _shape_reason(secret_type, value, line, above)
    if secret_type in _URL_TYPES and (_EXAMPLE_HOST.search(line) or _URL_EXAMPLE_HOST.search(line)):
        return "documentation or local host"
    return None


def _shape_reason(secret_type: str, value: str, line: str, above: Sequence[str]) -> str | None:
    around = line.replace(value, " ")
    opener = next((a for a in reversed(above[-5:]) if _BLOCK_OPENER.search(a)), "")
    strong = bool(_STRONG_WORD.search(around) or _STRONG_WORD.search(opener))
    hexish = secret_type == _HEX_HE and (len(value) in _DIGEST_LENGTHS or f"0x{value}" in line.lower())
    if hexish and not strong:
        return "looks like a hash, an id or an address"
    if not strong and not _ANY_KEY_WORD.search(around):
        return "no credential name nearby"
    return None


def _jwt_expired(value: str) -> bool:
    parts = value.split(".")
    if len(parts) < 2:
        return False
    try:
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (binascii.Error, ValueError):
        return False
    expires = claims.get("exp") if isinstance(claims, dict) else None
    return isinstance(expires, int | float) and expires < time.time()
