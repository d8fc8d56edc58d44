"""SEC001 line tables: what must be reported (type, line, severity, redacted evidence) and what must not."""

from __future__ import annotations

import os

import pytest

from droids.core.fingerprint_key import FingerprintKey
from droids.core.models import Severity
from droids.security_compliance.secrets.runner import scan_content
from droids.security_compliance.secrets.sec001_hardcoded_secret import findings_for
from droids.security_compliance.secrets.severity import base_type
from tests import secret_values as sv

KEY = FingerprintKey(os.urandom(32), "tests")  # the repository's fingerprint key, made at run time


def _values() -> dict[str, str]:
    url, url_secret = sv.basic_auth_url()
    return {
        "aws": sv.aws_access_key(),
        "aws_secret": sv.aws_secret_key(),
        "pem": sv.private_key_header(),
        "pem_openssh": sv.private_key_header("OPENSSH"),
        "slack": sv.slack_token(),
        "github": sv.github_token(),
        "stripe": sv.stripe_live_key(),
        "password": sv.password(),
        "twelve": sv.twelve_data_key(),
        "url": url,
        "url_secret": url_secret,
        "jwt": sv.jwt(),
        "sha256": sv.sha256_hex(),
        "sha1": sv.sha1_hex(),
        "sri": sv.sri_sha512(),
        "uuid": sv.a_uuid(),
        "md5": sv.sha256_hex(9)[:32],
    }


# path, content template, 1-based line, detect-secrets type, severity, the value the evidence redacts
MUST_FLAG = [
    ("trading_core/config.py", 'AWS_ACCESS_KEY_ID = "{aws}"\n', 1, "AWS Access Key", Severity.CRITICAL, "aws"),
    ("deploy/keys/id_rsa", "{pem}\nMIIEpAIBAAKCAQEA\n", 1, "Private Key", Severity.CRITICAL, None),
    ("ops/bastion.key", "# ops key\n{pem_openssh}\n", 2, "Private Key", Severity.CRITICAL, None),
    ("scripts/notify.sh", 'curl -H "Bearer {slack}" "$HOOK"\n', 1, "Slack Token", Severity.HIGH, "slack"),
    ("ci/release.py", 'import os\n\nGITHUB_TOKEN = "{github}"\n', 3, "GitHub Access Token", Severity.HIGH, "github"),
    ("src/remote.py", 'REMOTE = "{url}"\n', 1, "Basic Auth Credentials", Severity.HIGH, "url_secret"),
    ("broker/client.py", 'password = "{password}"\n', 1, "Secret Keyword", Severity.HIGH, "password"),
    ("config/broker.yaml", "broker:\n  user: trader\n  password: {password}\n", 3, "Secret Keyword", Severity.HIGH,
     "password"),
    (".env", "DB_USER=trader\nDB_PASSWORD={password}\n", 2, "Secret Keyword", Severity.HIGH, "password"),
    (".env", "BROKER_USER=trader\nBROKER_PASSWORD={password}\n", 2, "Broker Account Password", Severity.CRITICAL,
     "password"),
    (".env.production", "AWS_SECRET_ACCESS_KEY={aws_secret}\n", 1, "AWS Access Key", Severity.CRITICAL, "aws_secret"),
    ("config/feed.ini", "[twelvedata]\napi_key = {twelve}\n", 2, "Secret Keyword", Severity.HIGH, "twelve"),
    ("app/settings.toml", '[auth]\nsecret = "{password}"\n', 2, "Secret Keyword", Severity.HIGH, "password"),
    ("web/pay.js", 'const stripeKey = "{stripe}";\n', 1, "Stripe Access Key", Severity.CRITICAL, "stripe"),
    ("auth/session.txt", "token: {jwt}\n", 1, "JSON Web Token", Severity.HIGH, "jwt"),
    ("data/feed.py", 'TWELVE_DATA_API_KEY = "{twelve}"\n', 1, "Twelve Data API Key", Severity.HIGH, "twelve"),
    # a random-looking value with no credential name near it is reported, at low severity
    ("data/vendor.py", 'FEED = {{"primary": "{twelve}"}}\n', 1, "Hex High Entropy String", Severity.LOW, "twelve"),
    ("data/vendor2.py", 'FEED = {{"primary": "{aws_secret}"}}\n', 1, "Base64 High Entropy String", Severity.LOW,
     "aws_secret"),
    ("data/vendor3.py", 'FEED = {{"primary_secret": "{aws_secret}"}}\n', 1, "Base64 High Entropy String",
     Severity.HIGH, "aws_secret"),
    ("config/feed.yaml", 'credentials:\n  primary: "{aws_secret}"\n', 2, "Base64 High Entropy String", Severity.HIGH,
     "aws_secret"),
    # a key that names an id but also a secret is still a secret
    ("vault.json", '{{"tokenId": "{twelve}"}}\n', 1, "Hex High Entropy String", Severity.HIGH, "twelve"),
    # a password written as code in prose is still a password; documentation makes it low
    ("docs/ops.md", "db password: `{password}`\n", 1, "Secret Keyword", Severity.LOW, "password"),
    ("ops/notes.txt", "db password: `{password}`\n", 1, "Secret Keyword", Severity.HIGH, "password"),
    # test files, fixtures and example configurations make a name-found value low
    ("tests/test_login.py", 'password = "{password}"\n', 1, "Secret Keyword", Severity.LOW, "password"),
    ("config_examples/config.example.json", '{{"password": "{password}"}}\n', 1, "Secret Keyword", Severity.LOW,
     "password"),
    # ...but not an example env file: it is copied into real .env files
    (".env.example", "DB_PASSWORD={password}\n", 1, "Secret Keyword", Severity.HIGH, "password"),
    # ...and never a provider's format
    ("tests/test_ci.py", 'GITHUB_TOKEN = "{github}"\n', 1, "GitHub Access Token", Severity.HIGH, "github"),
    # a digest-length hex value in a block that does not say it holds digests is still reported, low
    ("data/keys.py", 'KEYS = {{\n    "feed": "{sha256}",\n}}\n', 2, "Hex High Entropy String", Severity.LOW, "sha256"),
    ("data/keys2.py", 'SECRETS = {{\n    "feed": "{sha256}",\n}}\n', 2, "Hex High Entropy String", Severity.HIGH,
     "sha256"),
    # an unquoted password in a log line
    ("logs/app.log", "2024-05-01 12:00:01 INFO connect host=db user=desk password={password}\n", 1,
     "Credential in Log Line", Severity.HIGH, "password"),
    ("ops/incident.txt", "[ERROR] 2024-05-01 login failed for desk password={password}\n", 1,
     "Credential in Log Line", Severity.HIGH, "password"),
]  # fmt: skip

# path, content template: nothing may be reported
MUST_NOT_FLAG = [
    ("checksums.py", 'EXPECTED_SHA256 = "{sha256}"\n'),
    ("artifacts.json", '{{"name": "model.onnx", "sha256": "{sha256}"}}\n'),
    (".pre-commit-config.yaml", "repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n    rev: {sha1}\n"),
    ("models.py", 'RUN_ID = "{uuid}"\n'),
    ("feed.py", 'import os\napi_key = os.environ["API_KEY"]\n'),
    ("feed2.py", 'API_KEY = os.getenv("TWELVE_DATA_API_KEY")\n'),
    ("broker.py", 'password = get_secret("broker")\n'),
    ("settings.py", 'password = "changeme"\n'),
    ("settings2.py", 'DB_PASSWORD = "your-password-here"\n'),
    ("config.yaml", 'api_key: "<your-key>"\n'),
    ("config2.yaml", "api_key: example\n"),
    (".env.example", "API_KEY=your-api-key-here\nSECRET=changeme\n"),
    ("conf.py", 'token_secret = "xxxxxxxxxxxxxxxx"\n'),
    ("compose.yaml", "services:\n  db:\n    environment:\n      password: DB_PASSWORD\n"),
    (
        "chart/values.yaml",
        "broker:\n  existingSecret: desk-broker\n  secretKeyRef: desk-feed\n  password_file: /run/x\n",
    ),
    ("plugin.py", 'class BrokerTokenDetector:\n    secret_type = "Broker Token"\n    password_prompt = "Password: "\n'),
    ("notes.md", '`config.get("password")`, `getpass.getpass()`;\n'),
    ("prose.py", '"""Fill each secret\'s `head_paths`; or (`API_KEY`, `BROKER_PASSWORD`, `STRIPE_KEY`; ...)"""\n'),
    ("group_vars.yml", "db_password: \"{{{{ lookup('hashi_vault', 'secret=desk/data:pw') }}}}\"\n"),
    ("sums.py", 'EXPECTED_SHA256 = {{\n    "data/a.csv": "{sha256}",\n    "data/b.csv": "{sha256}",\n}}\n'),
    ("settings.toml", '[production]\ndb_password = "@get DB_PASSWORD"\n'),
    ("nb.ipynb", '{{"cells": [{{\n  "cell_type": "code",\n  "id": "{md5}",\n  "source": []\n}}]}}\n'),
    ("ids.py", 'RUN = {{"requestId": "{md5}", "run_uuid": "{sha1}"}}\n'),
    ("vars.yaml", "password: !env DB_PASSWORD\n"),
    ("package-lock.json", '{{"packages": {{"": {{"integrity": "{sri}"}}}}}}\n'),
    ("pnpm-lock.yaml", "packages:\n  /left-pad@1.3.0:\n    resolution: {{integrity: {sri}}}\n"),
    ("uv.lock", 'sdist = {{ url = "https://files.example.org/x.tar.gz", hash = "sha256:{sha256}" }}\n'),
    ("requirements.txt", "pandas==2.2.0 --hash=sha256:{sha256}\n"),
    ("docs/setup.md", "Set `password` in your local config, never in code.\n"),
    ("orders.py", "def place(order_id: str, qty: int) -> None:\n    return None\n"),
    ("pragma.py", 'password = "{password}"  # pragma: allowlist secret\n'),
    ("pragma.js", 'const key = "{stripe}"; // pragma: allowlist secret\n'),
    ("nextline.py", '# pragma: allowlist nextline secret\nAWS = "{aws}"\n'),
    ("pragma.yaml", "password: {password}  # pragma: allowlist secret\n"),
]


@pytest.mark.parametrize(
    ("path", "template", "line", "secret_type", "severity", "value_key"),
    MUST_FLAG,
    ids=[f"{row[0]}:{row[3]}" for row in MUST_FLAG],
)
def test_reports_the_secret_at_its_line(
    path: str, template: str, line: int, secret_type: str, severity: Severity, value_key: str | None
) -> None:
    values = _values()
    scan = scan_content(path, template.format(**values).encode())

    assert (line, secret_type) in {(h.line, base_type(h.secret_type)) for h in scan.hits}
    findings = [f for f in findings_for(path, scan, frozenset(), KEY) if f.line == line]
    assert len(findings) == 1
    finding = findings[0]
    assert (finding.rule, finding.path, finding.severity, finding.suppressed) == ("SEC001", path, severity, False)
    assert secret_type in finding.message
    assert finding.evidence is not None and finding.evidence.endswith("****")
    if value_key is not None:
        secret = values[value_key]
        assert finding.evidence == secret[: min(4, len(secret) // 4)] + "****"
        assert secret not in finding.model_dump_json()


@pytest.mark.parametrize(("path", "template"), MUST_NOT_FLAG, ids=[row[0] for row in MUST_NOT_FLAG])
def test_does_not_report(path: str, template: str) -> None:
    scan = scan_content(path, template.format(**_values()).encode())

    assert scan.hits == []


@pytest.mark.parametrize(
    ("secret", "evidence"),
    [
        ("AKIA" + "X" * 16, "AKIA****"),
        ("a1b2c3d4e5f6", "a1b****"),  # pragma: allowlist secret
        ("abcdefg", "a****"),
        ("abc", "****"),
    ],
)
def test_evidence_never_shows_more_than_a_quarter_or_four_characters(secret: str, evidence: str) -> None:
    from droids.security_compliance.secrets.engine import redact

    assert redact(secret) == evidence


def test_a_value_repeated_in_one_file_gets_one_finding_per_occurrence() -> None:
    key = sv.aws_access_key(3)
    scan = scan_content("cfg.py", f'A = "{key}"\nB = 1\nC = "{key}"\n'.encode())

    findings = findings_for("cfg.py", scan, frozenset(), KEY)
    assert [f.line for f in findings] == [1, 3]
    assert len({f.fingerprint for f in findings}) == 2


def test_the_fingerprint_survives_moving_the_line() -> None:
    key = sv.github_token(4)
    before = findings_for("ci.py", scan_content("ci.py", f'T = "{key}"\n'.encode()), frozenset(), KEY)
    after = findings_for("ci.py", scan_content("ci.py", f'import os\n\n\nT = "{key}"\n'.encode()), frozenset(), KEY)

    assert [f.line for f in before] == [1] and [f.line for f in after] == [4]
    assert before[0].fingerprint == after[0].fingerprint


def test_several_detectors_on_one_value_make_one_finding_named_by_the_specific_type() -> None:
    key = sv.aws_secret_key(5)
    scan = scan_content("aws.py", f'aws_secret_access_key = "{key}"\n'.encode())

    assert len({h.secret_type for h in scan.hits}) > 1  # AWS and the generic detectors all match
    (finding,) = findings_for("aws.py", scan, frozenset(), KEY)
    assert finding.message.startswith("AWS Access Key hard-coded in aws.py (also matched: ")
    assert finding.severity is Severity.CRITICAL


@pytest.mark.parametrize(("expires", "severity"), [(1_000_000_000, Severity.LOW), (4_000_000_000, Severity.HIGH)])
def test_an_expired_jwt_is_low_a_live_one_high(expires: int, severity: Severity) -> None:
    import base64
    import json

    def part(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    token = (
        part({"alg": "HS256"})
        + "."
        + part({"sub": "desk", "exp": expires})
        + "."
        + sv.random_part("sig", 1, sv._ALNUM, 43)
    )
    (finding,) = findings_for(
        "auth/session.txt", scan_content("auth/session.txt", f"token: {token}\n".encode()), frozenset(), KEY
    )

    assert finding.severity is severity
    assert ("(low: expired)" in finding.message) is (severity is Severity.LOW)
