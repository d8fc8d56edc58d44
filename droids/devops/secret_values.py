"""Secret settings by name, and values that are references rather than secrets.

A setting is secret when its key matches one of `environments.secret_keys` of policies/devops.yaml
(`*password*`, `*token*`, `*api_key*`, ...). Its value is fine when it is a reference: a mapping
with one of `reference_keys` (`{env: TRADOVATE_PASSWORD}`, `{secret: broker/password}`), a string
matching one of `reference_patterns` (`${TRADOVATE_PASSWORD}`, `vault://kv/broker#password`), or
empty. Anything else is a literal secret. Values are never shown: `mask` keeps 4 characters.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from droids.devops.common import any_key_matches
from droids.devops.policy import EnvironmentPolicy


@lru_cache(maxsize=8)
def _patterns(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns)


def is_secret_key(key: str, settings: EnvironmentPolicy) -> bool:
    return any_key_matches(settings.secret_keys, key)


def is_reference(value: Any, settings: EnvironmentPolicy) -> bool:
    if value is None or value == "":
        return True
    if isinstance(value, dict):
        return len(value) == 1 and str(next(iter(value))) in settings.reference_keys
    text = str(value).strip()
    return any(p.match(text) for p in _patterns(settings.reference_patterns))


def literal_secret(key: str, value: Any, settings: EnvironmentPolicy) -> bool:
    """A secret-named setting whose value is written out rather than referenced. The `*_FILE`
    convention (`POSTGRES_PASSWORD_FILE: /run/secrets/db`) names a file holding the secret: a path
    there is a reference."""
    if key.upper().endswith("_FILE") and isinstance(value, str) and value.startswith(("/", "./")):
        return False
    if isinstance(value, dict | list) and not is_reference(value, settings):
        return False  # a section (broker: {...}) is judged by its leaves
    return is_secret_key(key, settings) and not is_reference(value, settings) and not isinstance(value, bool)
