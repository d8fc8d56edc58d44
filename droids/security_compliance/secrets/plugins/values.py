"""What a matched value says about itself: placeholder, template, environment reference, or random.

The field detectors match a value by where it stands (after `apikey=`, in a `sec` field, under a
broker password key); these predicates then decide whether the value is a secret. They are pure
string functions (no detect-secrets import), shared by the detectors and SEC001's own filters.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from itertools import pairwise

# Whole values that stand for a secret without being one.
PLACEHOLDER_WORDS = frozenset(
    {"secret", "password", "passwd", "pass", "pwd", "token", "key", "apikey", "api_key", "api-key", "test",
     "testing", "sample", "none", "null", "nil", "undefined", "todo", "tbd", "fixme", "dummy", "fake", "foo",
     "bar", "foobar", "string", "str", "demo", "example", "changeit", "default", "empty", "unset", "required",
     "optional", "true", "false", "yes", "no"}
)  # fmt: skip
_PLACEHOLDER_PARTS = re.compile(
    r"change[-_ ]?(?:me|it)|example|placeholder|replace[-_ ]?(?:me|this|with)|redacted|obfuscated|masked"
    r"|your[-_ ]?[\w -]{0,40}?(?:key|token|secret|pass|password|pwd|id|url|hook|cid|sec)|insert[-_ ]?\w*here|[-_ ]here$"
    r"|^(?:dummy|fake)|^(?:sample|demo|test|my)[-_ ]|xxxx|\*\*\*|\.\.\.|^not[-_ ]?(?:a|the|set|real)",
    re.IGNORECASE,
)
_REPEATED = re.compile(r"(.)\1{4,}")  # XXXXX, 00000, ***** anywhere in the value
_ALL_REPEATED = re.compile(r"(.)\1{2,}")  # xxx, 0000: the whole value
# ${VAR}, $VAR, {{ var }}, %(var)s, <var>, {var}, !env VAR (YAML tags), ENC[...] (sops), vault:...,
# dynaconf's `@format {env[X]}` / `@get X`, Maven's `@token@`, Concourse's `((var))`.
_TEMPLATED = re.compile(r"^\$|^%\(|^%[sd]$|\{\{|\}\}|^\{.*\}$|^<.*>$|^!|^ENC\[|^vault:|^@\w+@$|^@[a-z]+\s|^\(\(.*\)\)$")
_ENV_NAME = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")  # BROKER_PASSWORD: a variable's name, not its value
_URL_ENCODED_TEMPLATE = re.compile(r"%7B|%24|%3C", re.IGNORECASE)  # {, $, < encoded in a URL


def shannon_entropy(value: str) -> float:
    """Bits per character of `value`'s own character distribution."""
    if not value:
        return 0.0
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in Counter(value).values())


def is_sequential(value: str) -> bool:
    """`abcdef123456`, `0123456789abcdef`, `qwerty`-free runs: most neighbours are consecutive."""
    low = value.lower()
    if len(low) < 4:
        return True
    steps = [ord(b) - ord(a) for a, b in pairwise(low)]
    return sum(1 for s in steps if s in (1, -1, 0)) >= 0.6 * len(steps)


def is_templated(value: str) -> bool:
    """A reference to a value kept elsewhere: environment, template engine, vault, YAML tag."""
    stripped = value.strip()
    return bool(_TEMPLATED.search(stripped) or _ENV_NAME.fullmatch(stripped) or _URL_ENCODED_TEMPLATE.search(value))


def is_placeholder(value: str) -> bool:
    """A value that says it is not real: `changeme`, `<your-key>`, `xxxxxxxx`, `${BROKER_PASSWORD}`..."""
    bare = value.strip("<>{}[]()'\"`$%*. ")
    if not bare or bare.lower() in PLACEHOLDER_WORDS or is_templated(value):
        return True
    return bool(_ALL_REPEATED.fullmatch(bare) or _REPEATED.search(bare) or _PLACEHOLDER_PARTS.search(bare))


def looks_random(value: str, min_entropy: float) -> bool:
    """A generated token: letters and digits, no placeholder, not a run, at least `min_entropy` bits a char."""
    has_letter = any(c.isalpha() for c in value)
    has_digit = any(c.isdigit() for c in value)
    return (
        has_letter
        and has_digit
        and not is_placeholder(value)
        and not is_sequential(value)
        and shannon_entropy(value) >= min_entropy
    )


def is_word_slug(token: str) -> bool:
    """`getting-started-with-webhooks`: words joined by `-`/`_`, a documentation path, not a token."""
    parts = [p for p in re.split(r"[-_]", token) if p]
    words = [p for p in parts if len(p) >= 3 and p.isalpha() and (p.islower() or p.istitle())]
    return len(parts) >= 2 and len(words) >= 2 and sum(map(len, words)) >= len(token) // 2


_TOKEN_PLACEHOLDER = re.compile(
    r"example|placeholder|replace|redacted|your|dummy|sample|fake|insert|here|xxxx|[*<>{}]|^\$|\$\{|\.\.\.|(.)\1{5,}",
    re.IGNORECASE,
)


def is_placeholder_token(body: str) -> bool:
    """The random part of a provider token that is not random: `xxxx...`, `YOUR_TOKEN_HERE`,
    `<token>`, `${TOKEN}`, `EXAMPLE`, a run of one character, or mostly one character."""
    if not body or _TOKEN_PLACEHOLDER.search(body):
        return True
    return Counter(body).most_common(1)[0][1] > len(body) // 2


_DNA = re.compile(r"[ACGTUN]{16,}", re.IGNORECASE)
_REPEATED_UNIT = re.compile(r"(?:0x)?(.{1,8}?)\1{3,}", re.IGNORECASE | re.DOTALL)
_SELF_DESCRIBING = re.compile(
    r"pass(?:word|wd|phrase)?|secret|token|api_?key|random|sample|example|fixture|dummy|fake|test|mock|wrong|invalid"
    r"|bogus|foo|bar|baz|qwerty|letmein|hunter|changeit|default|admin|super|my|some",
    re.IGNORECASE,
)
_WORDS_ONLY = re.compile(r"(?:[A-Z]?[a-z]+|[A-Z]+)*[0-9]{0,4}[^A-Za-z0-9]{0,2}")


def is_look_alike(value: str) -> bool:
    """Not a secret although shaped like one: DNA or RNA (`ACGTTGCA...`), one short unit repeated
    (`0xdeadbeefdeadbeef...`), or placeholder words with at most a few digits and symbols
    (`SuperSecurePassword`, `testPass`, `somethingrandom`, `fixture42`)."""
    if _DNA.fullmatch(value) or _REPEATED_UNIT.fullmatch(value):
        return True
    rest = _SELF_DESCRIBING.sub("", value)
    return rest != value and (len(rest) <= 3 or bool(_WORDS_ONLY.fullmatch(rest)))
