"""Nothing secret leaves the machine: every text bound for a prompt is screened here first.

Findings already carry masked evidence (at most four characters and `****`), but a tool result also
holds messages, notes, config keys, trail details and service state written from the repository's
data. So every string in a tool result (and the question) is screened with the security droid's
"secret-screen" service (SEC001's engine, reached through the registry: droids never import each
other, and neither does the orchestrator). In a string it flags, the words that hold the secret are
replaced by `[redacted: <kind>]` when the rest then passes the screen, else the whole string is.
The service judges lines of text (as a file named `*.txt`), so each string goes on a line of its
own as `"<key>": "<value>"` (the key gives the keyword detectors their context, "password": "...",
the quotes the entropy detectors theirs), followed by one line `name: "value"` for each assignment
written inside it (`password: hunter2`, `token=...` in a message), the form in which the keyword
detectors judge a plain-text line. Values of this process's secret-named environment variables
(the API key itself, TWELVEDATA_API_KEY, ...) are masked wherever they appear, even inside a string.

Without a "secret-screen" service nothing is sent at all: the caller falls back to droid's answer.
Tool results hold no file contents: the tools return findings, counts and states, never files.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

Screen = Callable[[str], list[tuple[int, str]]]

_SECRET_NAME = re.compile(r"KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|WEBHOOK|_URL$|DSN", re.IGNORECASE)
_MIN_ENV_SECRET = 8  # shorter values ("1", "true") are settings, and masking them would garble text
# Identities computed by code (hashes of findings, git object ids): never secrets, and the model must
# be able to cite them.
_IDENTITY_KEYS = frozenset({"fingerprint", "commit", "head", "hash", "prev_hash", "anchor"})
_IDENTITY_VALUE = re.compile(r"(?:sha256:)?[0-9a-f]{7,64}")
# `name: value`, `name=value`, `"name": "value"` inside a string
_ASSIGNMENT = re.compile(r"([A-Za-z_][\w.-]*)[\"']?[ \t]*[:=][ \t]*[\"']?([^\s\"',;)}\]]{4,})")


def env_secrets(env: Mapping[str, str]) -> list[str]:
    """Values of secret-named variables, longest first (so a value inside another is masked second)."""
    found = {v for k, v in env.items() if _SECRET_NAME.search(k) and len(v.strip()) >= _MIN_ENV_SECRET}
    return sorted(found, key=len, reverse=True)


class Redactor:
    def __init__(self, screen: Screen, env: Mapping[str, str]) -> None:
        self._screen = screen
        self._env_values = env_secrets(env)
        self.masked = 0  # strings replaced, over the question (for the report)

    def clean(self, value: Any) -> Any:
        """`value` (JSON-like: dicts, lists, strings, numbers) with every flagged string masked."""
        leaves: list[tuple[str, str]] = []
        _collect(value, "value", leaves)
        texts = [(label, self._mask_env(text)) for label, text in leaves]
        flagged = self._flagged(texts)
        replaced: list[str] = []
        for index, ((label, original), (_, text)) in enumerate(zip(leaves, texts, strict=True), start=1):
            if index in flagged and not (label in _IDENTITY_KEYS and _IDENTITY_VALUE.fullmatch(original)):
                text = self._narrowed(label, text, flagged[index])
            self.masked += text != original
            replaced.append(text)
        return _rebuild(value, iter(replaced))

    def _flagged(self, texts: list[tuple[str, str]]) -> dict[int, str]:
        """Which of (label, text) the screen flags (1-based index -> the kind of secret)."""
        lines: list[str] = []
        owner: list[int] = []  # the text (1-based) each screened line stands for
        for index, (label, text) in enumerate(texts, start=1):
            candidates = [f"{json.dumps(label)}: {json.dumps(text)}"]
            candidates += [f'{key}: "{value}"' for key, value in _ASSIGNMENT.findall(text)]
            lines += candidates
            owner += [index] * len(candidates)
        found = self._screen("\n".join(lines)) if lines else []
        return {owner[line - 1]: kind for line, kind in reversed(found)}

    def _narrowed(self, label: str, text: str, kind: str) -> str:
        """`text` with only the words that hold a secret masked ("AWS key [redacted: ...] in x.py"),
        when what is left is not flagged again; else the whole string masked."""
        whole = f"[redacted: {kind}]"
        words = text.split()
        hits = self._flagged([(label, word) for word in words]) if len(words) > 1 else {}
        if not hits:
            return whole
        narrowed = " ".join(f"[redacted: {hits[i]}]" if i in hits else w for i, w in enumerate(words, start=1))
        return whole if self._flagged([(label, narrowed)]) else narrowed

    def _mask_env(self, text: str) -> str:
        for secret in self._env_values:
            if secret in text:
                text = text.replace(secret, "[redacted: environment secret]")
        return text


def _collect(value: Any, label: str, out: list[tuple[str, str]]) -> None:
    """Every string of `value` with the key it sits under, in a fixed order (dict keys included)."""
    if isinstance(value, str):
        out.append((label, value))
    elif isinstance(value, Mapping):
        for key, item in value.items():
            out.append(("key", str(key)))
            _collect(item, str(key), out)
    elif isinstance(value, list | tuple):
        for item in value:
            _collect(item, label, out)


def _rebuild(value: Any, replaced: Any) -> Any:
    """`value` with its strings taken in `_collect`'s order from `replaced`."""
    if isinstance(value, str):
        return next(replaced)
    if isinstance(value, Mapping):
        out = {}
        for item in value.values():  # the key comes first in `replaced`, then the value's strings
            key = next(replaced)
            out[key] = _rebuild(item, replaced)
        return out
    if isinstance(value, list | tuple):
        return [_rebuild(item, replaced) for item in value]
    return value
