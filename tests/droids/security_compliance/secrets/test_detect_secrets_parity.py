"""The engine finds exactly what detect-secrets' own `scan_file` finds, file type by file type.

Both read the same real files, and detect-secrets loads SEC001's plugins the way its CLI does for
`detect-secrets scan -p FILE` (`initialize.from_file` + `configure_plugins` with the file's path).
The engine runs without SEC001's extra filters and exemptions (`own_filters=False`), so any
difference would come from the prefilter, the linear-time indirect-reference filter or the way
lines and transformers are handled.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from droids.security_compliance.secrets.engine import SecretEngine
from tests import secret_values as sv
from tests.droids.security_compliance.secrets import field_values as fv

NAMES = [
    "password",
    "api_key",
    "secret",
    "token",
    "aws_secret_access_key",
    "db_pass",
    "value",
    "data",
    "ibm_cloud_key",
    "TWELVE_DATA_API_KEY",
    "ib_password",
    "broker_password",
    "sec",
    "tradovate_api_secret",
]
SYNTAXES = [
    '{name} = "{value}"',
    "{name}: {value}",
    "{name}={value}",
    '"{name}": "{value}",',
    "const {name} = '{value}';",
    '{name} := "{value}"',
    'config["{name}"] = "{value}"',
    '{name} == "{value}"',
    '  - {name}: "{value}"',
    'call(x, {name}="{value}")',
    '"{value}" == {name}',
]
NOISE = [
    "def place(order_id: str, qty: int) -> None:",
    "    return broker.submit(order_id=order_id, qty=qty)",
    "result = compute(values[0], weights['a'])",
    "password = get_secret('broker')",
    "api_key = os.environ['API_KEY']",
    "# comment with no secret",
    "",
    "[section]",
    "url = https://example.org/path?q=1",
    "x = {'a': 1, 'b': [1, 2, 3]}",
    "id = '0123456789abcdef0123'",  # pragma: allowlist secret
    "user_id = 'a8f3c9e1b2d4'",
    'body = {"name": "trader", "appId": "desk", "appVersion": "1.0", "cid": 8}',
    "url = f'https://api.twelvedata.com/time_series?symbol={symbol}&apikey={key}'",
    "hook = 'https://discord.com/api/webhooks/{webhook_id}/{webhook_token}'",
]
EXTENSIONS = [
    ".py",
    ".yaml",
    ".env",
    ".ini",
    ".js",
    ".go",
    ".java",
    ".txt",
    ".md",
    ".toml",
    ".json",
    ".cfg",
    ".tf",
    ".sh",
]


def _values(seed: int) -> list[str]:
    url, _ = sv.basic_auth_url(seed)
    return [
        *fv.field_values(seed),
        sv.aws_access_key(seed),
        sv.aws_secret_key(seed),
        sv.slack_token(seed),
        sv.github_token(seed),
        sv.stripe_live_key(seed),
        sv.password(seed),
        sv.twelve_data_key(seed),
        url,
        sv.jwt(seed),
        sv.sha256_hex(seed),
        sv.a_uuid(seed),
        "changeme",
        "<your-key>",
        "${VAULT_TOKEN}",
        "hunter2",
    ]


def _corpus(seed: int) -> str:
    rng = random.Random(seed)
    lines = []
    for value in _values(seed):
        for _ in range(4):
            lines.append(rng.choice(SYNTAXES).format(name=rng.choice(NAMES), value=value))
            lines.extend(rng.sample(NOISE, 2))
    pragma = rng.choice(SYNTAXES).format(name="password", value=sv.password(seed + 1))
    lines += [pragma + "  # pragma: allowlist secret", "# pragma: allowlist nextline secret", pragma]
    lines.append(sv.private_key_header())
    # Long lines (over detect-secrets' 1,000-character cut-off of its indirect-reference filter).
    lines.append("x = f(y) " * 150 + f'password = "{sv.password(seed + 2)}"')
    lines.append(f"token = '{sv.github_token(seed + 3)}' " + "z" * 1500)
    rng.shuffle(lines)
    return "\n".join(lines) + "\n"


def _upstream(path: Path) -> set[tuple[int, str, str]]:
    """detect-secrets' own scan with its default plugins and SEC001's, loaded from their files."""
    from detect_secrets.core.plugins import initialize
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
    from detect_secrets.core.scan import scan_file
    from detect_secrets.settings import default_settings, get_plugins

    from droids.security_compliance.secrets.plugins import module_files

    try:
        with default_settings() as settings:
            settings.configure_plugins(
                [
                    {"name": cls.__name__, "path": f"file://{module}"}
                    for module in module_files()
                    for cls in initialize.from_file(str(module))
                ]
            )
            assert {p.secret_type for p in get_plugins()} >= fv.FIELD_TYPES
            return {(s.line_number, s.type, s.secret_hash) for s in scan_file(str(path))}
    finally:
        get_mapping_from_secret_type_to_class.cache_clear()  # forget the file-loaded classes


@pytest.fixture(scope="module")
def engine() -> SecretEngine:
    return SecretEngine(own_filters=False)


@pytest.mark.slow
@pytest.mark.parametrize("extension", EXTENSIONS)
@pytest.mark.parametrize("seed", [1, 2])
def test_same_findings_as_detect_secrets(tmp_path: Path, engine: SecretEngine, extension: str, seed: int) -> None:
    path = tmp_path / (extension if extension == ".env" else f"corpus{extension}")
    path.write_text(_corpus(seed), encoding="utf-8")

    expected = _upstream(path)
    ours = {(h.line, h.secret_type, h.hashed_secret) for h in engine.scan(str(path), path.read_text()).hits}

    assert expected, "the corpus must contain secrets detect-secrets reports"
    assert {kind for _, kind, _ in expected} & fv.FIELD_TYPES, "the corpus must contain SEC001's own types"
    assert ours == expected


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("app.yaml", "broker:\n  password: {pw}\n  nested:\n    - token: '{gh}'\n"),
        ("settings.ini", "[db]\npassword = {pw}\nhost = db.internal\n\n[feed]\napi_key = {hex}\n"),
        ("deploy.env", "export BROKER_PASSWORD={pw}\nAPI_KEY={hex}\n"),
        ("feed.env", "TWELVE_DATA_API_KEY={hex}\nSLACK_WEBHOOK_URL={slack}\n"),
        ("broker.toml", '[ib]\nib_password = "{pw}"\n[tradovate]\nsec = "{sec}"\ncid = 8\n'),
        ("tradovate.yaml", "tradovate:\n  name: trader\n  password: {pw}\n  appId: desk\n  sec: {sec}\n"),
        ("notes.txt", "the password is {pw} for now\nAPI_KEY={hex}\n"),
    ],
)
def test_same_findings_for_key_value_files(tmp_path: Path, engine: SecretEngine, name: str, text: str) -> None:
    path = tmp_path / name
    values = {"pw": sv.password(7), "gh": sv.github_token(7), "hex": sv.twelve_data_key(7)}
    path.write_text(text.format(**values, slack=fv.slack_webhook(7), sec=fv.tradovate_sec(7)))

    ours = {(h.line, h.secret_type, h.hashed_secret) for h in engine.scan(str(path), path.read_text()).hits}

    assert ours == _upstream(path)
