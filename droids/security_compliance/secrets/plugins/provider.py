"""`ProviderDetector`: a credential recognised by its value alone, in a provider's published format.

Most providers now issue tokens that say what they are: a fixed prefix (`ghp_`, `dop_v1_`,
`sk-ant-api03-`), a fixed length and alphabet, sometimes a checksum (GitHub's and npm's CRC32
suffix). Such a value is a credential wherever it appears, under any name, in any file kind, so a
provider detector needs no surrounding words. Each format is one denylist regex whose `secret`
group is the whole token (the evidence then shows its prefix, which names the provider) and
whose `body` group, when there is one, is the random part.

`keep` refuses what only looks like the format: the providers' documented example values
(`examples.py`), placeholders and runs (`ghp_xxxxxxxx...`, `<your-token>`, `sk-ant-...REPLACE`),
a random part too regular to be generated (fewer than `min_entropy` bits per character, or
sequential), and a value whose checksum does not hold (`valid`).

Provider values are exempt from detect-secrets' filters that judge a value by its words instead
of its format: the indirect-reference heuristic (`token = f(x) or "ghp_..."`), the "likely id"
heuristic (`client_id = "..."` before a secret on the line) and the UUID filter (formats that embed
a UUID, e.g. Plaid access tokens).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import ClassVar

from droids.security_compliance.secrets.plugins import examples, values
from droids.security_compliance.secrets.plugins.base import INDIRECT_REFERENCE, LIKELY_ID, POTENTIAL_UUID, FieldDetector

BEFORE = r"(?<![A-Za-z0-9_])"  # a token starts at a boundary...
AFTER = r"(?![A-Za-z0-9_])"  # ...and ends at one
BASE62 = "A-Za-z0-9"
URLSAFE = "A-Za-z0-9_-"


def token(prefix: str, body: str, *, before: str = BEFORE, after: str = AFTER, flags: int = 0) -> re.Pattern[str]:
    """`prefix` (regex source) followed by the random `body`; the whole token is the secret."""
    return re.compile(rf"{before}(?P<secret>{prefix}(?P<body>{body})){after}", flags)


class ProviderDetector(FieldDetector):
    """A provider's token format: reported wherever it appears, unless it is an example or a placeholder."""

    exempt_filters = frozenset({INDIRECT_REFERENCE, LIKELY_ID, POTENTIAL_UUID})
    min_entropy: ClassVar[float] = 2.5  # bits per character of the random part

    def keep(self, value: str, match: re.Match[str], context: Sequence[str]) -> bool:
        body = match.groupdict().get("body") or value
        if examples.is_documented_example(value) or values.is_placeholder_token(body):
            return False
        if values.shannon_entropy(body) < self.min_entropy or values.is_sequential(body):
            return False
        return self.valid(value, match)

    def valid(self, value: str, match: re.Match[str]) -> bool:
        """A format's own check (a checksum); every value passes by default."""
        return True
