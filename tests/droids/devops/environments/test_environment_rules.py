"""OPS020-OPS023: dev, staging and prod configurations compared key by key, on real files."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from droids.core.errors import DroidError
from droids.core.models import Severity
from droids.devops.environments import ops020_risk_drift, ops021_missing_key, ops022_live_broker, ops023_literal_secret
from tests.droids.devops.helpers import run_rule
from tests.secret_values import password

RULES = (ops020_risk_drift, ops021_missing_key, ops022_live_broker, ops023_literal_secret)
SECRET = password(23)


def config(env: str, endpoint: str = "https://demo.tradovateapi.com/v1", **override: str) -> str:
    values = {
        "loss": '"300"',
        "account": "50k",
        "password": "{env: TRADOVATE_PASSWORD}",
        "level": "info",
        "extra": "",
        **override,
    }
    return f"""\
environment: {env}
service:
  log_level: {values["level"]}
broker:
  endpoint: {endpoint}
  username: {{env: TRADOVATE_USERNAME}}
  password: {values["password"]}
apex:
  ruleset: apex-3.0
  account: {values["account"]}
sentinel:
  daily_loss_limit: {values["loss"]}
journal:
  flush_every: 10
{values["extra"]}"""


def clean() -> dict[str, str]:
    return {
        "config/dev.yaml": config("dev"),
        "config/staging.yaml": config("staging", level="debug"),
        "config/prod.yaml": config("prod", "https://live.tradovateapi.com/v1"),
    }


# (rule, the file edited, its new text, line of the finding or None, what the message says)
MUST_FLAG = [
    (
        ops020_risk_drift,
        "config/staging.yaml",
        config("staging", loss='"3000"'),
        12,
        "risk parameter sentinel.daily_loss_limit: staging '3000', prod '300'",
    ),
    (
        ops020_risk_drift,
        "config/dev.yaml",
        config("dev", account="150k"),
        10,
        "risk parameter apex.account: dev '150k'",
    ),
    (
        ops020_risk_drift,
        "config/staging.yaml",
        config("staging", extra="risk:\n  soft_size_factor: '0.5'\n"),
        16,
        "risk.soft_size_factor: staging '0.5', prod not set",
    ),
    (
        ops021_missing_key,
        "config/dev.yaml",
        config("dev", extra="feature_flags:\n  fast_exit: true\n"),
        16,
        "feature_flags.fast_exit is set in dev but not in prod",
    ),
    (
        ops022_live_broker,
        "config/staging.yaml",
        config("staging", "https://live.tradovateapi.com/v1"),
        5,
        "broker.endpoint in staging names the live broker",
    ),
    (
        ops023_literal_secret,
        "config/prod.yaml",
        config("prod", "https://live.tradovateapi.com/v1", password=SECRET),
        7,
        "broker.password in prod is a literal value",
    ),
]


@pytest.mark.parametrize(("rule", "path", "text", "line", "says"), MUST_FLAG)
def test_planted_problem_is_found(
    git_repo: Path, rule: ModuleType, path: str, text: str, line: int | None, says: str
) -> None:
    files = {**clean(), path: text}
    found = run_rule(git_repo, rule, files)
    assert len(found) == 1, [f.message for f in found]
    assert says in found[0].message
    assert (found[0].path, found[0].line) == (path, line)
    assert SECRET not in found[0].message + (found[0].evidence or "")


@pytest.mark.parametrize("rule", RULES)
def test_clean_environments_raise_nothing(git_repo: Path, rule: ModuleType) -> None:
    assert run_rule(git_repo, rule, clean()) == []


def test_key_missing_in_an_environment_is_named_there(git_repo: Path) -> None:
    files = {
        **clean(),
        "config/prod.yaml": config("prod", "https://live.tradovateapi.com/v1", extra="audit:\n  sink: db\n"),
    }
    found = run_rule(git_repo, ops021_missing_key, files)
    assert sorted((f.path, f.line) for f in found) == [("config/dev.yaml", None), ("config/staging.yaml", None)]


def test_allow_listed_risk_key_may_differ(git_repo: Path) -> None:
    files = {**clean(), "config/dev.yaml": config("dev", account="25k")}
    files["policies/devops.yaml"] = "version: 1\nenvironments:\n  risk_allowed_to_differ: [apex.account]\n"
    assert run_rule(git_repo, ops020_risk_drift, files) == []


def test_dotenv_files_are_compared_too(git_repo: Path) -> None:
    files = {
        ".env.staging": "APEX_ACCOUNT=50k\nSENTINEL_DAILY_LOSS_LIMIT=300\nTRADOVATE_PASSWORD=${TRADOVATE_PASSWORD}\n",
        ".env.prod": f"export APEX_ACCOUNT=50k\nSENTINEL_DAILY_LOSS_LIMIT=250\nTRADOVATE_PASSWORD='{SECRET}'\n",
    }
    drift = run_rule(git_repo, ops020_risk_drift, files)
    assert [(f.path, f.line) for f in drift] == [(".env.staging", 2)]
    secret = run_rule(git_repo, ops023_literal_secret, files)
    assert [(f.path, f.line, f.evidence) for f in secret] == [(".env.prod", 3, f"TRADOVATE_PASSWORD: {SECRET[:4]}****")]
    assert secret[0].severity == Severity.HIGH


def test_bad_dotenv_line_is_bad_input(git_repo: Path) -> None:
    with pytest.raises(DroidError, match=r"\.env\.prod:2: expected KEY=value"):
        run_rule(git_repo, ops020_risk_drift, {".env.staging": "A=1\n", ".env.prod": "A=1\nthis is not a setting\n"})


@pytest.mark.parametrize(
    "value",
    ["{env: TRADOVATE_PASSWORD}", "{secret: broker/password}", "${TRADOVATE_PASSWORD}", "vault://kv/broker#pw", '""'],
)
def test_references_are_not_literal_secrets(git_repo: Path, value: str) -> None:
    files = {**clean(), "config/prod.yaml": config("prod", "https://live.tradovateapi.com/v1", password=value)}
    assert run_rule(git_repo, ops023_literal_secret, files) == []
