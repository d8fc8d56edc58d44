"""Every string bound for a prompt is screened by the security droid's "secret-screen" service:
flagged strings are masked whole, identities computed by code (fingerprints, commits) stay, and
values of secret-named environment variables are masked wherever they appear."""

from __future__ import annotations

import hashlib
import re

import pytest

from droids.core.registry import load_registry
from orchestrator.llm.redact import Redactor, env_secrets
from tests import secret_values as sv


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    screen = load_registry().service("secret-screen")
    assert screen is not None
    return Redactor(screen, {})


SECRET = [
    ("message", f"AWS key {sv.aws_access_key(5)} in settings.py"),
    ("password", sv.password(5)),
    ("value", sv.aws_secret_key(5)),
    ("value", sv.github_token(5)),
    ("value", sv.slack_token(5)),
    ("value", sv.stripe_live_key(5)),
    ("value", sv.jwt(5)),
    ("value", sv.twelve_data_key(5)),
    ("url", "https://hooks.slack.com" + sv.slack_webhook_path(5)),
    ("remote", sv.basic_auth_url(5)[0]),
    ("note", sv.private_key_header() + "\nMIIEowIBAAKCAQEA"),
    ("note", f"password: {sv.password(6)}"),  # an assignment written inside a string
    ("message", f"connect with db_password={sv.password(7)} then retry"),
    ("error", f"broker said: {{'api_secret': '{sv.password(8)}'}}"),
]


@pytest.mark.parametrize(("key", "value"), SECRET, ids=[f"{k}-{i}" for i, (k, _) in enumerate(SECRET)])
def test_a_secret_is_masked_wherever_it_sits(redactor: Redactor, key: str, value: str) -> None:
    document = {"findings": [{"rule": "SEC001", key: value, "path": "settings.py"}], "verdict": "block"}
    clean = redactor.clean(document)
    masked = clean["findings"][0][key]
    assert "[redacted: " in masked and value not in str(clean)
    assert not any(part in str(clean) for part in value.split() if len(part) >= 12)
    assert clean["findings"][0]["rule"] == "SEC001" and clean["verdict"] == "block"


KEPT = [
    ("fingerprint", "sha256:" + hashlib.sha256(b"SEC001 settings.py").hexdigest()),
    ("commit", sv.sha1_hex(5)),
    ("head", sv.sha1_hex(6)),
    ("hash", hashlib.sha256(b"entry 7").hexdigest()),
    ("evidence", "AKIA****"),
    ("path", "trading_core/risk/sentinel.py"),
    ("message", "the repository's ignore rules do not ignore .env"),
    ("id", sv.a_uuid(5)),
    ("distance_to_threshold", "1250.5"),
]


@pytest.mark.parametrize(("key", "value"), KEPT, ids=[k for k, _ in KEPT])
def test_what_is_not_a_secret_reaches_the_model_unchanged(redactor: Redactor, key: str, value: str) -> None:
    document = {"entries": [{key: value, "counts": {"SEC001": 2}}], "total": 3, "ok": True, "none": None}
    assert redactor.clean(document) == document


def test_a_secret_in_a_key_a_list_or_the_question_is_masked(redactor: Redactor) -> None:
    token = sv.github_token(7)
    clean = redactor.clean({"config_drift": {token: 1}, "notes": ["fine", f"token={token}"], "q": [f"is {token} ok?"]})
    assert token not in str(clean)
    assert clean["notes"][0] == "fine" and list(clean["config_drift"].values()) == [1]
    assert re.fullmatch(r"is \[redacted: [\w ]+\] leaked\?", redactor.clean(f"is {token}  leaked?"))  # the word


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (f"AWS key {sv.aws_access_key(8)} in settings.py", "AWS key [redacted: AWS Access Key] in settings.py"),
        (f"password: {sv.password(8)}", None),  # the word alone is no secret: the whole string goes
        (f"ok {sv.private_key_header()} MIIEowIBAAKCAQEA", None),
    ],
)
def test_only_the_words_holding_a_secret_go_when_the_rest_is_clean(redactor: Redactor, text: str, kept) -> None:
    clean = redactor.clean({"message": text})["message"]
    assert clean == kept if kept else re.fullmatch(r"\[redacted: [\w ]+\]", clean)


def test_environment_secrets_are_masked_inside_any_string() -> None:
    key = sv.twelve_data_key(9)
    env = {"TWELVEDATA_API_KEY": key, "DROID_SLACK_WEBHOOK_URL": "https://hooks.example/abc123456", "HOME": "/root"}
    redactor = Redactor(lambda text: [], env)
    clean = redactor.clean({"error": f"ingest failed for apikey {key}!", "home": "/root"})
    assert clean == {"error": "ingest failed for apikey [redacted: environment secret]!", "home": "/root"}
    assert env_secrets(env) == [key, "https://hooks.example/abc123456"]  # longest first
    assert env_secrets({"API_KEY": "short", "FLAG_TOKEN": "1"}) == []  # pragma: allowlist secret
