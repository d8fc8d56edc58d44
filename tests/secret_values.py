"""Secret-shaped values built at run time from parts, so no secret is ever committed.

Each builder takes a seed, so a test gets the same value on every run (no flaky entropy), and
different seeds give different values. Values with random parts use distinct characters where an
entropy threshold must be passed.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import string
import uuid
import zlib

_UPPER_DIGITS = string.ascii_uppercase + "234567"
_ALNUM = string.ascii_letters + string.digits


def _rng(kind: str, seed: int) -> random.Random:
    return random.Random(f"{kind}:{seed}")


def _distinct(rng: random.Random, alphabet: str, n: int) -> str:
    """`n` characters, as many of them distinct as the alphabet allows (high entropy)."""
    out: list[str] = []
    while len(out) < n:
        out.extend(rng.sample(alphabet, min(len(alphabet), n - len(out))))
    return "".join(out)


def aws_access_key(seed: int = 0) -> str:
    return "AK" + "IA" + _distinct(_rng("aws", seed), _UPPER_DIGITS, 16)


def aws_secret_key(seed: int = 0) -> str:
    return _distinct(_rng("aws-secret", seed), _ALNUM + "+/", 40)


def private_key_header(kind: str = "RSA") -> str:
    return "-----" + "BEGIN " + kind + " PRIVATE" + " KEY-----"


def slack_token(seed: int = 0) -> str:
    rng = _rng("slack", seed)
    digits = "".join(rng.choice(string.digits) for _ in range(12))
    return "xo" + "xb-" + digits + "-" + digits[::-1] + "-" + _distinct(rng, string.ascii_lowercase + string.digits, 24)


def base62_crc32(payload: str) -> str:
    """The 6-character checksum GitHub and npm append to a token: CRC32 of the random part, in base62."""
    digits = string.digits + string.ascii_uppercase + string.ascii_lowercase
    number, out = zlib.crc32(payload.encode()), ""
    while number:
        number, rest = divmod(number, 62)
        out = digits[rest] + out
    return out.rjust(6, "0")


def github_token(seed: int = 0, prefix: str = "p") -> str:
    """A classic GitHub token (`ghp_` by default; `o`, `u`, `s`, `r` for the other kinds) with a valid checksum."""
    body = _distinct(_rng("github", seed), _ALNUM, 30)
    return "gh" + prefix + "_" + body + base62_crc32(body)


def github_token_bad_checksum(seed: int = 0) -> str:
    """The GitHub shape with a checksum that does not hold: a fake, not a token."""
    token = github_token(seed)
    return token[:-1] + ("A" if token[-1] != "A" else "B")


def stripe_live_key(seed: int = 0) -> str:
    return "sk" + "_live_" + _distinct(_rng("stripe", seed), _ALNUM, 24)


def password(seed: int = 0) -> str:
    rng = _rng("password", seed)
    return _distinct(rng, string.ascii_letters, 12) + _distinct(rng, string.digits, 4)


def twelve_data_key(seed: int = 0) -> str:
    """The shape of a Twelve Data API key: 32 lower-case hex digits."""
    return _distinct(_rng("twelve", seed), "0123456789abcdef", 32)


def basic_auth_url(seed: int = 0) -> tuple[str, str]:
    secret = password(seed)
    return f"https://deploy:{secret}@git.internal.net/trading.git", secret


def jwt(seed: int = 0) -> str:
    def part(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    signature = _distinct(_rng("jwt", seed), _ALNUM + "-_", 43)
    return (
        part({"alg": "HS256", "typ": "JWT"})
        + "."
        + part({"sub": f"trader-{seed}", "iat": 1700000000})
        + "."
        + signature
    )


def sha256_hex(seed: int = 0) -> str:
    return hashlib.sha256(f"artifact-{seed}".encode()).hexdigest()


def sha1_hex(seed: int = 0) -> str:
    return hashlib.sha1(f"commit-{seed}".encode()).hexdigest()  # noqa: S324 - a git-like revision id


def sri_sha512(seed: int = 0) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(f"pkg-{seed}".encode()).digest()).decode()


def a_uuid(seed: int = 0) -> str:
    return str(uuid.UUID(int=_rng("uuid", seed).getrandbits(128), version=4))
