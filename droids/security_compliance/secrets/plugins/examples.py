"""Credentials the providers publish in their own documentation: public placeholders, not secrets.

Tutorials, READMEs and tests copy them verbatim (AWS's `AKIA...EXAMPLE` pair, Stripe's documented
test key, Slack's documented bot token, the Azurite development storage key), and every scanner
that matches formats reports them. They are kept here as SHA-256 digests of the published value
rather than as the values: this file would otherwise be the first thing a scanner flags, and the
tests build the values at run time from parts (tests/droids/security_compliance/secrets/).

The JSON Web Token of jwt.io's debugger is recognised by its claims instead (see `jwt_claims.py`).
"""

from __future__ import annotations

import hashlib

# SHA-256 of each documented example value (hex digests of public placeholders, not secrets).
DOCUMENTED_EXAMPLE_SHA256 = frozenset(
    {
        "1a5d44a2dca19669d72edf4c4f1c27c4c1ca4b4408fbb17f6ce4ad452d78ddb3",  # AWS docs: access key id
        "78314b11be2e581549ac1c4f616563fad3fdf0c3b71678f6e2299182080e0598",  # AWS docs: secret access key
        "2cafc0970149a84f3b9e62eaf169f36f59907a3b3e31f7b82e68c69cd27f7326",  # Stripe API docs: test secret key
        "b1471f544ceeea31333bde7e1ecbaad6eac0d4a749412ad29bd66ef895b81c6b",  # Stripe API docs: test publishable key
        "f2d6ca16515033e5dce14eba840b979d27b5cbae24bb3e5bf484339667f86397",  # Stripe docs (older): test secret key
        "2ddc147f3a3b5a1722b8ed6be3c45c49a7156b17fca5d11410137a6d04def6eb",  # Slack API docs: bot token
        "ac9265e56c79b234607ec72c53753cfea9f88c99eb713790ddf9be5593bb4465",  # Google Maps docs: API key
        "9c846fdf0fa8955c377d0301542ee20ecd4585c5f359aa0a4cf15d44424f573d",  # Mailgun docs: API key
        "0b5dd075ccdd03c42f4edda8e299e6838e2a75d3486a2a8d86940ed1541e9178",  # Telegram Bot API docs: token
        "731fa294d036e54f19df879bfcd4fe72d967dc6327800c5f74a48414a3f258c9",  # Telegram Bot API docs: token
        "0011cc25eb4320717494d2703e8cba85743e71b500283c21c8b88147992f9059",  # Azurite: devstoreaccount1 key
        "3543c50b0cb9cea8e55eb1f529b79f043cb250d485fde7b66cabbb5183add7da",  # GitHub token docs: example PAT
        "bc3ae723f57c6b9e3fd80b699fcc420f6074b0b1718039669d22631d508ac0a7",  # GitHub token docs: example OAuth
    }
)


def is_documented_example(value: str) -> bool:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest() in DOCUMENTED_EXAMPLE_SHA256
