"""The shared word rules of SEC003 and SEC004: which names say secret and which only look like it."""

from __future__ import annotations

import pytest

from droids.security_compliance.secrets.secret_names import is_secret_name, words

SECRET = [
    "api_key", "apiKey", "APIKey", "apikey", "TWELVE_DATA_API_KEY", "password", "db_password", "passwd", "pwd",
    "passphrase", "secret", "client_secret", "SECRET_KEY", "token", "access_token", "refresh_token", "authToken",
    "credentials", "creds", "credential", "private_key", "signing_key", "ssh_key", "webhook_key", "auth",
    "basic_auth", "auth_header", "authorization", "bearer", "db_pass", "smtp_pass", "api_keys", "secrets",
    "get_api_key", "get_secret_value", "tradovate_password", "broker_secret", "x-api-key",
]  # fmt: skip
NOT_SECRET = [
    "token_count", "key_fn", "sort_key", "primary_key", "monkeypatch", "keyboard", "key", "cache_key",
    "public_key", "foreign_key", "partition_key", "max_tokens", "num_tokens", "tokens", "tokens_used",
    "next_token", "page_token", "eos_token", "password_hash", "hashed_password", "api_key_env", "secret_name",
    "token_url", "auth_url", "auth_method", "credentials_path", "private_key_path", "is_secret", "has_token",
    "verify_password", "token_type", "first_pass", "bypass", "author", "authority", "passenger", "compass",
    "tokenizer", "secretary", "password_prompt", "token_expiry", "api_key_id", "keys", "masked_key", "",
]  # fmt: skip


@pytest.mark.parametrize("name", SECRET)
def test_names_that_say_secret(name: str) -> None:
    assert is_secret_name(name)


@pytest.mark.parametrize("name", NOT_SECRET)
def test_names_that_do_not(name: str) -> None:
    assert not is_secret_name(name)


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("STRIPE_KEY", True),
        ("SENTRY_KEY", True),
        ("KEY", True),
        ("TRADOVATE_PASSWORD", True),
        ("STRIPE_PUBLISHABLE_KEY", False),
        ("PUBLIC_KEY", False),
        ("CACHE_KEY", False),
        ("SORT_KEY", False),
        ("API_KEY_FILE", False),
        ("LOG_LEVEL", False),
        ("DATABASE_HOST", False),
    ],
)
def test_configuration_names_ending_in_key_are_secrets(name: str, secret: bool) -> None:
    assert is_secret_name(name, setting=True) is secret


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("apiKey", ["api", "key"]),
        ("APIKey", ["api", "key"]),
        ("TWELVE_DATA_API_KEY", ["twelve", "data", "api", "key"]),
        ("self.settings.token2", ["self", "settings", "token"]),
        ("x-api-key", ["x", "api", "key"]),
    ],
)
def test_names_split_into_words(name: str, expected: list[str]) -> None:
    assert words(name) == expected
