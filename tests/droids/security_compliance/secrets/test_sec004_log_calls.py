"""SEC004 tables: log and output calls that leak a secret-named value, and the ones that do not."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from droids.core.models import Severity, Targets, Task
from droids.core.protocol import DroidContext
from droids.core.targets import staged_targets
from droids.security_compliance.secrets import sec004_secrets_in_logs
from droids.security_compliance.secrets.log_leaks import find_leaks
from tests.conftest import git

# one statement each; the second column is what the finding names
MUST_FLAG = [
    ('logger.info("key %s", api_key)', "api_key"),
    ('log.debug("using %s", self.password)', "self.password"),
    ('logging.warning("token=%s", token)', "token"),
    ('LOG.error(f"auth failed for {user} with {secret}")', "secret"),
    ('logger.exception("boom: %s", settings.broker.credentials)', "settings.broker.credentials"),
    ('logger.log(logging.INFO, "pw %s", passwd)', "passwd"),
    ('logger.critical("key: " + apiKey)', "apiKey"),
    ('logger.info("cfg %s" % client_secret)', "client_secret"),
    ('logger.info("cfg {}".format(access_token))', "access_token"),
    ('logger.info("raw %r", str(db_password).strip())', "db_password"),
    ('logger.info("sent", extra={"token": t})', "value of key 'token'"),
    ('logger.info("sent", extra={"api_key": cfg.api_key})', "value of key 'api_key'"),
    ('logger.info("env %s", os.environ["TWELVE_DATA_API_KEY"])', "os.environ['TWELVE_DATA_API_KEY']"),
    ('logger.info("env %s", os.getenv("BROKER_PASSWORD"))', "os.getenv('BROKER_PASSWORD')"),
    ('logger.info("hdr %s", headers["Authorization"])', "headers['Authorization']"),
    ('logger.info("got %s", get_api_key())', "get_api_key()"),
    ('logging.getLogger(__name__).info("x %s", token)', "token"),
    ('self.logger.warning("creds %s", creds)', "creds"),
    ('print("password:", pw)', "pw (labelled 'password')"),
    ("print(api_key)", "api_key"),
    ('print(f"api key: {k}")', "k (labelled 'api key')"),
    ('logger.info("password=%s", pw)', "pw (labelled 'password')"),
    ('logger.info("Authorization: Bearer %s", value)', "value (labelled 'Bearer')"),
    ('logger.info("user={} password={}".format(u, p))', "p (labelled 'password')"),
    ("sys.stdout.write(token)", "token"),
    ("sys.stderr.write(f'{secret_key}\\n')", "secret_key"),
    ("click.echo(tradovate_password)", "tradovate_password"),
    ('console.print("cid", api_keys[0])', "api_keys"),
    ("warnings.warn(f'bad token {token}')", "token"),
    ('logger.info("pw %s", getpass.getpass())', "getpass.getpass()"),
    ('logger.info("all %s", {k: v for k, v in secrets.items()})', "secrets"),
    ('logger.info("tail %s", token[4:])', "token"),
    ('logger.info("v %s", token if verbose else "-")', "token"),
    ('log.info("login", user=u, password=pw)', "value of keyword 'password'"),
    ('logger.info("cfg %s", dict(host=h, api_key=k))', "value of keyword 'api_key'"),
]
MUST_NOT_FLAG = [
    'logger.info("tokens used: %d", token_count)',
    'logger.info("sorting by %s", key_fn)',
    'logger.info("sort %s primary %s", sort_key, primary_key)',
    'logger.debug("patched %s", monkeypatch)',
    'logger.info("layout %s", keyboard)',
    'logger.info("key set: %s", bool(api_key))',
    'logger.info("key length %d", len(api_key))',
    'logger.info("has token: %s", token is not None)',
    'logger.info("missing: %s", not password)',
    'logger.info("prefix %s", token[:4])',
    'logger.info("suffix %s", api_key[-4:])',
    'logger.info("key %s", redact(api_key))',
    'logger.info("key %s", mask_secret(token))',
    'logger.info("digest %s", hashlib.sha256(password.encode()).hexdigest())',
    'logger.info("live key: %s", api_key.startswith("sk_live"))',
    'logger.info("valid: %s", verify_password(pw, stored))',
    'logger.info("user %s logged in", user.name)',
    'logger.info("public key %s", public_key)',
    'logger.info("next page %s", next_token)',
    'logger.info("password reset for %s", email)',
    'logger.info("token expired at: %s", expiry)',
    'logger.warning("bad apiKey: %s", e)',
    'logger.info("password=%s", "***")',
    'print(f"expected pass    : {n}")',
    "print(token_count, max_tokens)",
    "math.log(token)",
    "np.log(password)",
    "parser.error(password)",
    'catalog.info("x %s", token)',
    'logger.info("env var %s", "TWELVE_DATA_API_KEY")',
    'logger.info("settings from %s", api_key_env)',
    "logger.info(json.dumps({'user': user}))",
    'log.info("login", user=u, password_set=bool(pw))',
    'logger.info("done", exc_info=token_error)',
]


def _leaks(source: str) -> list[tuple[int, str, str]]:
    return [(leak.line, leak.sink, leak.what) for leak in find_leaks(ast.parse(source))]


@pytest.mark.parametrize(("source", "what"), MUST_FLAG, ids=[row[0][:60] for row in MUST_FLAG])
def test_a_secret_named_value_reaching_the_output_is_reported(source: str, what: str) -> None:
    found = _leaks(source)

    assert [w for _, _, w in found] == [what]
    assert found[0][0] == 1


@pytest.mark.parametrize("source", MUST_NOT_FLAG, ids=[row[:60] for row in MUST_NOT_FLAG])
def test_values_that_are_not_the_secret_are_not_reported(source: str) -> None:
    assert _leaks(source) == []


@pytest.mark.parametrize(
    ("module", "expected"),
    [
        (
            """
            logger = logging.getLogger(__name__)
            logger.addFilter(SecretRedactionFilter())
            logger.info("key %s", api_key)
            """,
            [],
        ),
        (
            """
            log = logging.getLogger(__name__)
            log.addFilter(MyMaskingFilter(values=[x]))
            log.info("key %s", api_key)
            """,
            [],
        ),
        (
            """
            logging.getLogger().addFilter(SecretRedactionFilter())
            logging.info("key %s", api_key)
            """,
            [],
        ),
        (
            """
            logger = logging.getLogger(__name__)
            audit_log = logging.getLogger("audit")
            logger.addFilter(SecretRedactionFilter())
            audit_log.info("key %s", api_key)
            print(api_key)
            """,
            [(5, "audit_log.info", "api_key"), (6, "print", "api_key")],
        ),
        (
            """
            logger = logging.getLogger(__name__)
            logger.addFilter(RateLimitFilter())
            logger.info("key %s", api_key)
            """,
            [(4, "logger.info", "api_key")],
        ),
    ],
    ids=["project-filter", "own-masking-filter", "root-logger", "other-logger-and-print", "unrelated-filter"],
)
def test_a_logger_with_a_redaction_filter_in_the_module_is_trusted(
    module: str, expected: list[tuple[int, str, str]]
) -> None:
    assert _leaks(textwrap.dedent(module)) == expected


def _task(repo: Path, kind: str, paths: list[str]) -> Task:
    return Task(
        mode="gate" if kind == "staged" else "audit",
        profile="pre-commit" if kind == "staged" else "audit",
        repo=repo,
        policies=repo / "policies",
        targets=Targets(kind=kind, paths=tuple(paths)),  # type: ignore[arg-type]
    )


def test_the_check_reports_staged_content_with_place_fix_and_nosec(git_repo: Path) -> None:
    source = (
        "import logging\n"
        "logger = logging.getLogger(__name__)\n"
        "def connect(api_key: str, token: str) -> None:\n"
        '    logger.info("connecting with %s", api_key)\n'
        '    logger.debug("token %s", token)  # nosec SEC004\n'
        '    logger.debug("token %s", token)  # nosec B101\n'
    )
    (git_repo / "feed.py").write_text(source)
    git(git_repo, "add", "feed.py")
    (git_repo / "feed.py").write_text("x = 1\n")  # the work tree differs: the index is judged

    outcome = sec004_secrets_in_logs.run(
        _task(git_repo, "staged", list(staged_targets(git_repo).paths)), DroidContext(git_repo / ".droid")
    )

    assert [(f.path, f.line, f.evidence) for f in outcome.findings] == [
        ("feed.py", 4, "api_key"),
        ("feed.py", 6, "token"),
    ]
    first = outcome.findings[0]
    assert (first.rule, first.severity) == ("SEC004", Severity.MEDIUM)
    assert first.message == "api_key is passed to logger.info() without redaction"
    assert "redact(" in first.fix and "SecretRedactionFilter" in first.fix
    assert outcome.metrics == {"sec004_files": 1, "sec004_nosec": 1}


def test_fingerprints_survive_moved_lines_and_unparsable_files_are_named(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text('print("pw", password)\n')
    (tmp_path / "broken.py").write_text("def f(:\n")
    ctx = DroidContext(tmp_path / ".droid")
    before = sec004_secrets_in_logs.run(_task(tmp_path, "paths", ["a.py", "broken.py"]), ctx)
    (tmp_path / "a.py").write_text('import sys\n\n\nprint("pw", password)\n')
    after = sec004_secrets_in_logs.run(_task(tmp_path, "paths", ["a.py"]), ctx)

    assert [f.line for f in before.findings] == [1] and [f.line for f in after.findings] == [4]
    assert before.findings[0].fingerprint == after.findings[0].fingerprint
    assert before.notes == ["SEC004: 1 Python file(s) not checked, they do not parse: broken.py:1"]


def test_applies_only_to_python_targets(tmp_path: Path) -> None:
    assert sec004_secrets_in_logs.applies(_task(tmp_path, "paths", ["a.py", "README.md"]))
    assert not sec004_secrets_in_logs.applies(_task(tmp_path, "paths", ["README.md", ".env"]))
