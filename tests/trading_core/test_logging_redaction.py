"""The redaction filter: a secret logged through a logger that has it never reaches a handler's output."""

from __future__ import annotations

import io
import logging
import random
import string
from collections.abc import Callable, Iterator

import pytest

from trading_core.logging_redaction import SecretRedactionFilter, is_secret_key, mask_text, redact

_ALNUM = string.ascii_letters + string.digits


def _random(n: int, alphabet: str = _ALNUM, seed: int = 0) -> str:
    rng = random.Random(f"redaction:{seed}:{n}")
    return "".join(rng.choice(alphabet) for _ in range(n))


# Secrets built at run time from parts, never written into the repository.
AWS = "AK" + "IA" + _random(16, string.ascii_uppercase + "234567", 1)
GITHUB = "gh" + "p_" + _random(36, seed=2)
SLACK = "xo" + "xb-" + _random(12, string.digits, 3) + "-" + _random(24, seed=3)
STRIPE = "sk" + "_live_" + _random(24, seed=4)
JWT = "ey" + "J" + _random(20, seed=5) + ".ey" + "J" + _random(30, seed=6) + "." + _random(43, seed=7)
TWELVE = _random(32, "0123456789abcdef", 8)
PASSWORD = _random(10, string.ascii_letters, 9) + _random(4, string.digits, 9)


@pytest.fixture
def capture() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger with a redaction filter and a handler that writes message, extra fields and tracebacks."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s | %(context)s"))
    logger = logging.getLogger(f"test.redaction.{id(out)}")
    logger.handlers = [handler]
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    logger.addFilter(SecretRedactionFilter(values=[TWELVE]))
    yield logger, out
    logger.handlers = []


def _raise(message: str) -> None:
    raise ConnectionError(message)


LOGGED: list[tuple[str, Callable[[logging.Logger], None], str]] = [
    ("positional-arg", lambda log: log.info("key %s", AWS, extra={"context": "-"}), AWS),
    ("f-string", lambda log: log.warning(f"token {GITHUB}", extra={"context": "-"}), GITHUB),
    ("slack", lambda log: log.info("posting with %s", SLACK, extra={"context": "-"}), SLACK),
    ("stripe", lambda log: log.error("charge failed for %r", STRIPE, extra={"context": "-"}), STRIPE),
    ("jwt", lambda log: log.debug("session %s", JWT, extra={"context": "-"}), JWT),
    ("registered-value", lambda log: log.info("feed ready: %s", TWELVE, extra={"context": "-"}), TWELVE),
    (
        "url-apikey",
        lambda log: log.info(
            "GET https://api.twelvedata.com/q?symbol=ES&apikey=%s", "k" + TWELVE[1:], extra={"context": "-"}
        ),
        "k" + TWELVE[1:],
    ),
    (
        "url-credentials",
        lambda log: log.info("repo https://deploy:%s@git.internal/x", PASSWORD, extra={"context": "-"}),
        PASSWORD,
    ),
    (
        "password-pair",
        lambda log: log.info("login user=trader password=%s", PASSWORD, extra={"context": "-"}),
        PASSWORD,
    ),
    (
        "mapping-args",
        lambda log: log.info(
            "login %(user)s %(password)s", {"user": "t", "password": PASSWORD}, extra={"context": "-"}
        ),
        PASSWORD,
    ),
    ("dict-arg", lambda log: log.info("cfg %s", {"broker": {"password": PASSWORD}}, extra={"context": "-"}), PASSWORD),
    (
        "extra-field",
        lambda log: log.info("connected", extra={"context": {"api_key": "k" + TWELVE[1:]}}),
        "k" + TWELVE[1:],
    ),
    ("bearer", lambda log: log.info("Authorization: Bearer %s", "z" + JWT[1:], extra={"context": "-"}), "z" + JWT[1:]),
]


@pytest.mark.parametrize(("_name", "emit", "secret"), LOGGED, ids=[row[0] for row in LOGGED])
def test_a_logged_secret_never_reaches_the_handler(
    capture: tuple[logging.Logger, io.StringIO],
    _name: str,
    emit: Callable[[logging.Logger], None],
    secret: str,
) -> None:
    logger, out = capture
    emit(logger)

    written = out.getvalue()
    assert written
    assert secret not in written
    assert redact(secret) in written or "****" in written


def test_a_bad_format_keeps_nothing_secret_for_handle_error() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "oops %d", (AWS,), None)

    assert SecretRedactionFilter().filter(record) is True
    assert AWS not in f"{record.msg} {record.args}"  # what logging's handleError prints
    assert record.args == (redact(AWS),)


def test_an_exception_text_is_masked(capture: tuple[logging.Logger, io.StringIO]) -> None:
    logger, out = capture
    try:
        _raise(f"cannot reach https://trader:{PASSWORD}@broker.example/api?token={GITHUB}")
    except ConnectionError:
        logger.exception("broker down", extra={"context": "-"})

    written = out.getvalue()
    assert "Traceback" in written and "ConnectionError" in written
    assert PASSWORD not in written and GITHUB not in written


def test_secret_named_environment_variables_are_masked_anywhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BROKER_PASSWORD", PASSWORD)
    monkeypatch.setenv("LOG_LEVEL", "DEBUG")
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(SecretRedactionFilter(from_environment=True))  # on the handler: every logger is covered
    logger = logging.getLogger("test.redaction.env")
    logger.handlers, logger.propagate = [handler], False
    logger.warning("reconnecting as trader/%s at level %s", PASSWORD, "DEBUG")

    assert PASSWORD not in out.getvalue()
    assert "DEBUG" in out.getvalue()  # values of other variables stay


def test_a_record_is_masked_once_even_with_filters_on_logger_and_handler() -> None:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(SecretRedactionFilter())
    logger = logging.getLogger("test.redaction.twice")
    logger.handlers, logger.propagate = [handler], False
    logger.addFilter(SecretRedactionFilter())
    logger.warning("key %s", AWS)

    assert out.getvalue() == f"key {redact(AWS)}\n"


@pytest.mark.parametrize(
    "text",
    [
        "token_count=5 max_tokens=1000",
        "sort_key=name primary_key=id",
        "author=bob tokenizer=bpe",
        "model sha256=" + "ab" * 32,
        "connected to https://api.twelvedata.com/time_series?symbol=ES",
        "password_env=BROKER_PASSWORD",
        "Token validation failed for user 42",
    ],
)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert mask_text(text) == text


@pytest.mark.parametrize(
    ("name", "secret"),
    [("api_key", True), ("BROKER_PASSWORD", True), ("Authorization", True), ("x-api-key", True), ("token", True),
     ("token_count", False), ("max_tokens", False), ("api_key_env", False), ("author", False), ("user", False)],
)  # fmt: skip
def test_which_field_names_are_masked(name: str, secret: bool) -> None:
    assert is_secret_key(name) is secret


def test_redact_keeps_at_most_four_characters() -> None:
    assert redact(AWS) == AWS[:4] + "****"
    assert redact("abcdefg") == "a****"
    assert redact("abc") == "****"
