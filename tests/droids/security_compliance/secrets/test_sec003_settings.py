"""SEC003 tables: literal settings in Python, real values in example env files, and the SEC001 boundary."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from droids.core.models import Finding, Targets, Task
from droids.core.protocol import DroidContext
from droids.security_compliance.secrets import sec003_env_hygiene
from droids.security_compliance.secrets.env_files import is_placeholder, real_values
from droids.security_compliance.secrets.runner import scan_content
from droids.security_compliance.secrets.settings_literals import find_literal_settings
from tests import secret_values as sv

# A plain, short value: a credential all the same, but too plain for a secret scanner.
PLAIN = "tr" + "ader" + "1"

# source template ({v} is PLAIN), 1-based line, name reported
MUST_FLAG = [
    ('BROKER_PASSWORD = "{v}"\n', 1, "BROKER_PASSWORD"),
    ('api_key: str = "{v}"\n', 1, "api_key"),
    ('import os\nTOKEN = os.getenv("TWELVE_DATA_API_KEY", "{v}")\n', 2, "TWELVE_DATA_API_KEY"),
    ('os.environ.setdefault("BROKER_PASSWORD", "{v}")\n', 1, "BROKER_PASSWORD"),
    ('def f():\n    return os.environ.get("STRIPE_KEY", "{v}")\n', 2, "STRIPE_KEY"),
    ('class Settings(BaseSettings):\n    api_key: str = "{v}"\n', 2, "api_key"),
    ('class S(pydantic_settings.BaseSettings):\n    password: SecretStr = SecretStr("{v}")\n', 2, "password"),
    ('class S(BaseSettings):\n    token: str = Field("{v}")\n', 2, "token"),
    ('class S(BaseSettings):\n    secret: str = Field(default="{v}", alias="X")\n', 2, "secret"),
    ('class Base(BaseSettings):\n    pass\nclass Broker(Base):\n    broker_password = "{v}"\n', 4, "broker_password"),
]
MUST_NOT_FLAG = [
    'BROKER_PASSWORD = os.environ["BROKER_PASSWORD"]\n',
    'API_KEY_ENV = "TWELVE_DATA_API_KEY"\n',
    'API_KEY = "TWELVE_DATA_API_KEY"\n',
    'AUTH_HEADER = "Authorization"\n',
    'PASSWORD_FIELD = "password"\n',
    'TOKEN_URL = "https://auth.example.com/token"\n',
    'SORT_KEY = "{v}"\n',
    'PASSWORD = ""\n',
    "TOKEN = None\n",
    'token_count = "{v}"\n',
    'def f():\n    password = "{v}"\n',
    'class Config(BaseModel):\n    api_key: str = "{v}"\n',
    'class S(BaseSettings):\n    api_key: SecretStr\n    log_level: str = "INFO"\n',
    'class S(BaseSettings):\n    api_key: str = Field(..., alias="TWELVE_DATA_API_KEY")\n',
    'x = os.getenv("API_KEY", "")\n',
    'x = os.getenv("LOG_LEVEL", "{v}")\n',
    'x = cache.setdefault("token", "{v}")\n',
]


@pytest.mark.parametrize(("template", "line", "name"), MUST_FLAG, ids=[r[0].split("\n")[-2][:50] for r in MUST_FLAG])
def test_a_secret_named_setting_with_a_literal_is_found(template: str, line: int, name: str) -> None:
    found = find_literal_settings(ast.parse(template.format(v=PLAIN)))

    assert [(s.line, s.name) for s in found] == [(line, name)]


@pytest.mark.parametrize("template", MUST_NOT_FLAG, ids=[r.split("\n")[-2][:50] for r in MUST_NOT_FLAG])
def test_settings_read_from_the_environment_or_named_otherwise_pass(template: str) -> None:
    assert find_literal_settings(ast.parse(template.format(v=PLAIN))) == []


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        (f"BROKER_PASSWORD={PLAIN}\n", ["BROKER_PASSWORD"]),
        (f'export STRIPE_KEY="{PLAIN}"  # live\n', ["STRIPE_KEY"]),
        (f"LOG_LEVEL=debug\nAPI_KEY='{PLAIN}'\n", ["API_KEY"]),
        ("API_KEY=\nSECRET=changeme\nTOKEN=<your-token>\nPASSWORD=${BROKER_PASSWORD}\n", []),
        ("API_KEY=your-api-key-here\nKEY=xxxxxxxx\nTWELVE_DATA_API_KEY=demo\nSECRET_KEY=...\n", []),
        ("STRIPE_PUBLISHABLE_KEY=pk_test_123\nDATABASE_HOST=localhost\nAPI_KEY= # fill in\n", []),
        ("# BROKER_PASSWORD=hunter\n\nnot an assignment\n", []),
    ],
)
def test_example_files_hold_placeholders_only(text: str, keys: list[str]) -> None:
    assert [v.key for v in real_values(text)] == keys


@pytest.mark.parametrize(
    ("value", "placeholder"),
    [("", True), ("<key>", True), ("{api_key}", True), ("$TOKEN", True), ("changeme", True), ("sk_live_...", True),
     ("none", True), (PLAIN, False), ("abc123XYZ", False)],
)  # fmt: skip
def test_placeholder_values(value: str, placeholder: bool) -> None:
    assert is_placeholder(value) is placeholder


def _run(repo: Path, files: dict[str, str]) -> list[Finding]:
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    task = Task(
        mode="gate",
        profile="ci",
        repo=repo,
        policies=repo / "policies",
        targets=Targets(kind="paths", paths=tuple(files)),
    )
    return sec003_env_hygiene.run(task, DroidContext(repo / ".droid")).findings


def test_a_line_sec001_reports_is_left_to_sec001(tmp_path: Path) -> None:
    strong = sv.github_token(7)
    source = f'GITHUB_TOKEN = "{strong}"\napi_key: str = "{PLAIN}"\nBROKER_PASSWORD = "{PLAIN}"\n'
    sec001_lines = {hit.line for hit in scan_content("cfg.py", source.encode()).hits}
    assert sec001_lines == {1, 3}  # SEC001 owns these; the annotated assignment is too plain for it

    findings = _run(tmp_path, {"cfg.py": source, ".env.example": f"GITHUB_TOKEN={strong}\nAPI_KEY={PLAIN}\n"})

    assert [(f.path, f.line) for f in findings] == [(".env.example", 2), ("cfg.py", 2)]
    assert findings[1].message == "api_key: module constant holds a string literal; settings come from the environment"
    assert findings[1].evidence == "api_key=****"
    assert all(PLAIN not in f.model_dump_json() and strong not in f.model_dump_json() for f in findings)


@pytest.mark.parametrize(
    "source",
    [
        f'api_key: str = "{PLAIN}"  # nosec\n',
        f'api_key: str = "{PLAIN}"  # nosec SEC003\n',
        f'api_key: str = "{PLAIN}"  # pragma: allowlist secret\n',
        f'# pragma: allowlist nextline secret\napi_key: str = "{PLAIN}"\n',
    ],
)
def test_accepted_lines_are_not_reported(tmp_path: Path, source: str) -> None:
    assert _run(tmp_path, {"cfg.py": source}) == []


def test_nosec_for_another_rule_does_not_accept(tmp_path: Path) -> None:
    assert [f.line for f in _run(tmp_path, {"cfg.py": f'api_key: str = "{PLAIN}"  # nosec B105\n'})] == [1]


@pytest.mark.parametrize("path", ["tests/test_broker.py", "conftest.py", "broker_test.py", "testing/fixtures.py"])
def test_test_code_may_hold_fake_credentials(tmp_path: Path, path: str) -> None:
    assert _run(tmp_path, {path: f'api_key: str = "{PLAIN}"\n'}) == []
    assert len(_run(tmp_path, {"broker/settings.py": f'api_key: str = "{PLAIN}"\n'})) == 1  # the same outside tests


def test_a_multiline_settings_class_is_reported_at_the_field(tmp_path: Path) -> None:
    source = textwrap.dedent(
        f"""
        from pydantic_settings import BaseSettings


        class BrokerSettings(BaseSettings):
            user: str = "trader"
            password: str = "{PLAIN}"
        """
    )
    (finding,) = _run(tmp_path, {"broker/settings.py": source})

    assert (finding.path, finding.line) == ("broker/settings.py", 7)
    assert "settings field of BrokerSettings" in finding.message
