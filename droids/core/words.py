"""Word matching for routing and intent, in one place: does a request mention a trigger or an intent?

Words are lower-cased, split at camelCase, `_` and `-`, and reduced to their stem with the Snowball
English stemmer (Porter2), so "leaked", "leaks" and "leaking" all match `leak`, "deploying" and
"deployment" match `deploy`, "credentials" matches `credential`. A trigger of several words matches
when its stems appear in a row ("on tick" in "is OnTick fast?"). Matching is on whole words: `key`
does not match "keyboard". The orchestrator routes requests to droids with `hits`; a droid's checks
declare `INTENT` words so a question runs only the checks it is about (droids.core.checks).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)*")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_MENTION_OR_ADDRESS = re.compile(r"[\w.+-]*@[\w-]+(?:\.[\w-]+)*")


@lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=4096)
def stem(word: str) -> str:
    return _stemmer().stemWord(word.lower().removesuffix("'s"))


def words(text: str) -> tuple[str, ...]:
    """Stemmed words of `text`; `OnTick`, `on_tick` and `on-tick` all give ('on', 'tick')."""
    spaced = _CAMEL.sub(" ", text).replace("_", " ").lower()
    return tuple(stem(w) for w in _WORD.findall(spaced))


def request_words(request: str) -> tuple[str, ...]:
    """The words of a request, leaving out @mentions and e-mail addresses (they name, not ask)."""
    return words(_MENTION_OR_ADDRESS.sub(" ", request))


def contains(haystack: Sequence[str], needle: Sequence[str]) -> bool:
    n = len(needle)
    return n > 0 and any(tuple(haystack[i : i + n]) == tuple(needle) for i in range(len(haystack) - n + 1))


def hits(request: str | Sequence[str], phrases: Iterable[str]) -> list[str]:
    """The phrases (triggers, intent words) present in `request`, in the order given."""
    said = request_words(request) if isinstance(request, str) else request
    return [p for p in phrases if contains(said, words(p))]
