"""Mask secrets in log records before any handler writes them.

`SecretRedactionFilter` is a `logging.Filter` that never drops a record; it rewrites it:

- the message is rendered first (`msg % args`), so positional arguments are masked too, and the
  record then carries the masked text and no arguments;
- mapping arguments (`"%(password)s", {...}`), `extra=` fields and nested dicts or lists in them:
  the value of every field whose name says secret is masked, other strings are searched;
- in all text (message, extra strings, exception and stack text): known secret shapes (AWS, GitHub,
  Slack, Stripe, OpenAI/Anthropic keys, JWTs, private key blocks), credentials in URLs
  (`https://user:****@host`), `Bearer`/`Basic` authorization values, and `name=value` or
  `"name": "value"` pairs whose name says secret (`?apikey=...`, `password=...`);
- exact values given to the filter (`SecretRedactionFilter(values=[key])`), and with
  `from_environment=True` the values of the process's secret-named environment variables
  (`TWELVE_DATA_API_KEY`, `BROKER_PASSWORD`...), wherever they appear.

A masked value keeps at most its first 4 characters (fewer for short values) followed by `****`,
the form the security droid uses for evidence. A filter added to a logger sees only records logged
through that logger; to cover everything, add it to the handlers (`handler.addFilter(...)`).
This module is self-contained: the trading core uses it without the droids.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable, Mapping
from typing import Any

_MASK = "****"
_MIN_VALUE = 6  # shorter registered values would mask ordinary words
_NAME_WORDS = (
    r"pass(?:word|wd|phrase)?|pwd|secret|token(?!s|i[sz])|api[_-]?key|access[_-]?key|private[_-]?key|credential|auth"
    r"|authorization|bearer|session[_-]?key|signing[_-]?key"
)
_SECRET_KEY = re.compile(
    r"pass(word|wd|phrase)?$|^pwd$|secret|token(?!s|i[sz])|api[_-]?key|access[_-]?key|private[_-]?key|credential|"
    r"^auth$|auth[_-]?(header|token)|authorization|bearer|session[_-]?key|signing[_-]?key",
    re.IGNORECASE,
)
# Names that only describe a secret (its count, type, where it comes from) are left alone.
_DESCRIBING = re.compile(r"[_-](count|len|length|type|id|url|uri|name|path|file|env|expiry|expires|ttl)$", re.I)
_SHAPES = (
    re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(?:-----END [A-Z ]*PRIVATE KEY-----|\Z)", re.S),
    re.compile(r"\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b"),
    re.compile(r"\bgh[pousr]_[A-Za-z0-9]{30,}\b|\bgithub_pat_[A-Za-z0-9_]{22,}"),
    re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}"),
    re.compile(r"\b[sr]k_(?:live|test)_[A-Za-z0-9]{16,}"),
    re.compile(r"\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,}"),
    re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{10,}"),
)
_URL_CREDENTIALS = re.compile(r"(?<=://)([^/\s:@]+):([^/\s@]+)@")
_AUTH_SCHEME = re.compile(r"\b(Bearer|Basic)\s+([A-Za-z0-9._~+/=-]{8,})", re.IGNORECASE)
# `name=value`, `name: value`, `"name": "value"`, `?name=value&` where the name holds a secret word;
# only such names can start a match, so an ordinary `key: value` never swallows the pair after it.
_PAIR = re.compile(
    rf"""(?P<key>[A-Za-z0-9_.-]*(?:{_NAME_WORDS})[A-Za-z0-9_.-]*)["']?\s*[:=]\s*["']?(?P<value>[^\s"'&,;}}\]]+)""",
    re.IGNORECASE,
)
# Attributes every LogRecord has; anything else on a record came from `extra=`.
_RECORD_FIELDS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}
_DONE = "_secret_redaction_done"


def redact(value: object) -> str:
    """At most the first 4 characters of `value` (fewer when short) followed by `****`."""
    text = str(value)
    return text[: min(4, len(text) // 4)] + _MASK


def is_secret_key(name: str) -> bool:
    """Does a field or variable name say it holds a secret (`api_key`, `BROKER_PASSWORD`)?"""
    return bool(_SECRET_KEY.search(name)) and not _DESCRIBING.search(name)


def mask_text(text: str, values: Iterable[str] = ()) -> str:
    """`text` with known secret shapes, secret-named pairs and the given exact values masked."""
    for value in sorted(values, key=len, reverse=True):
        if value and value in text:
            text = text.replace(value, redact(value))
    for shape in _SHAPES:
        text = shape.sub(lambda m: redact(m.group()), text)
    text = _URL_CREDENTIALS.sub(lambda m: f"{m.group(1)}:{redact(m.group(2))}@", text)
    text = _AUTH_SCHEME.sub(lambda m: f"{m.group(1)} {redact(m.group(2))}", text)
    return _PAIR.sub(_mask_pair, text)


def _mask_pair(match: re.Match[str]) -> str:
    value = match.group("value")
    if not is_secret_key(match.group("key")) or value.endswith(_MASK) or value.lower() in ("bearer", "basic"):
        return match.group()
    return match.group()[: match.start("value") - match.start()] + redact(value)


class SecretRedactionFilter(logging.Filter):
    """Masks secrets in every record it sees (see the module documentation); never drops one."""

    def __init__(self, values: Iterable[str] = (), *, from_environment: bool = False, name: str = "") -> None:
        super().__init__(name)
        known = {v for v in values if v and len(v) >= _MIN_VALUE}
        if from_environment:
            known |= {v for k, v in os.environ.items() if is_secret_key(k) and len(v) >= _MIN_VALUE}
        self.values = frozenset(known)

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, _DONE, False):
            return True
        if isinstance(record.args, Mapping):
            record.args = self._clean(record.args)  # type: ignore[assignment]
        elif record.args:
            record.args = tuple(self._clean(a) for a in record.args)
        try:
            record.msg, record.args = self._text(record.getMessage()), ()
        except (TypeError, ValueError, KeyError):  # a bad format string: keep it, masked, for handleError
            record.msg = self._text(str(record.msg))
        for key, value in list(vars(record).items()):
            if key not in _RECORD_FIELDS and not key.startswith("_"):
                setattr(record, key, self._field(key, value))
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._text(record.exc_text)
        if record.stack_info:
            record.stack_info = self._text(record.stack_info)
        setattr(record, _DONE, True)
        return True

    def _text(self, text: str) -> str:
        return mask_text(text, self.values)

    def _field(self, name: object, value: Any) -> Any:
        """A named field's value: masked whole when the name says secret, else cleaned."""
        if isinstance(name, str) and is_secret_key(name) and value:
            return redact(value)
        return self._clean(value)

    def _clean(self, value: Any) -> Any:
        """A copy of `value` with secret-named fields masked and strings searched."""
        if isinstance(value, str):
            return self._text(value)
        if isinstance(value, Mapping):
            return {k: self._field(k, v) for k, v in value.items()}
        if isinstance(value, list):
            return [self._clean(v) for v in value]
        if isinstance(value, tuple | set | frozenset):
            cleaned = [self._clean(v) for v in value]
            return tuple(cleaned) if isinstance(value, tuple) else set(cleaned)
        if isinstance(value, int | float | bool) or value is None:
            return value
        text = str(value)
        masked = self._text(text)
        return value if masked == text else masked
