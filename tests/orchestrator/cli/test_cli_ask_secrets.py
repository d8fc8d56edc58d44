"""Nothing secret leaves the machine: secrets built at run time are planted in a repository (code,
.env, configuration, compose file, a tampered audit report, the audit trail, the environment and
the question itself); `droid ask` runs with the model tools that read all of them; no request the
fake Messages API received holds any planted secret, or any 12 characters of one."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from droids.core.audit.trail import open_store
from tests import secret_values as sv
from tests.conftest import REPO_ROOT, git
from tests.orchestrator.cli.test_cli_ask_model import Ask, ask  # noqa: F401 - the fixture
from tests.orchestrator.llm.fake_anthropic import FakeAnthropic, transcript

SEED = 41


def plant(repo: Path) -> list[str]:
    """Write secrets into `repo` and return every secret value planted."""
    aws_id, aws_secret, github = sv.aws_access_key(SEED), sv.aws_secret_key(SEED), sv.github_token(SEED)
    broker, db, api = sv.password(SEED), sv.password(SEED + 1), sv.twelve_data_key(SEED)
    hook = sv.slack_webhook_path(SEED)
    remote, remote_password = sv.basic_auth_url(SEED)
    stripe, audit_pw, trail_token = sv.stripe_live_key(SEED), sv.password(SEED + 2), sv.github_token(SEED + 1)
    (repo / "settings.py").write_text(
        f"AWS_ACCESS_KEY_ID = '{aws_id}'\nAWS_SECRET_ACCESS_KEY = '{aws_secret}'\nGH = '{github}'\n"
        f"GIT_REMOTE = '{remote}'\n"
    )
    (repo / ".env").write_text(f"BROKER_PASSWORD={broker}\nTWELVEDATA_API_KEY={api}\n")
    (repo / "config").mkdir()
    (repo / "config" / "prod.yaml").write_text(
        f"broker:\n  password: {broker}\nalerts:\n  slack: https://hooks.slack.com{hook}\n"
    )
    (repo / "deploy").mkdir()
    (repo / "deploy" / "docker-compose.yml").write_text(
        f"services:\n  db:\n    image: postgres:16.4\n    environment:\n      POSTGRES_PASSWORD: {db}\n"
    )
    git(repo, "add", "-A")
    # a report.json edited by hand (or by a buggy writer): raw secrets where droid writes masked ones
    folder = repo / ".droid" / "reports" / "20261201T060000Z"
    folder.mkdir(parents=True)
    finding = {"rule": "SEC001", "severity": "critical", "title": "Hard-coded secret", "path": "pay.py", "line": 2}
    finding |= {"message": f"Stripe key {stripe} in pay.py", "fingerprint": "sha256:" + "0" * 64}
    report = {"schema": "droid-report/1", "verdict": "block", "findings": [finding], "notes": [f"password: {audit_pw}"]}
    (folder / "report.json").write_text(json.dumps(report))
    with open_store(repo) as store:  # a trail entry whose details hold a token (the trail does not screen)
        store.append(kind="gate", profile="ci", verdict="pass", counts={}, who="git:dev@example.com", head=None,
                     details={"note": f"token={trail_token}"})  # fmt: skip
    return [aws_id, aws_secret, github, broker, db, api, hook.rsplit("/", 1)[1], remote_password, stripe, audit_pw,
            trail_token]  # fmt: skip


def leaks(text: str, secrets: list[str]) -> list[str]:
    """Each planted secret, or 12-character piece of one, found in `text`."""
    return [s[i : i + 12] for s in secrets for i in range(len(s) - 11) if s[i : i + 12] in text]


def test_no_request_holds_a_planted_secret(git_repo: Path, ask: Ask) -> None:  # noqa: F811 - the fixture
    secrets = plant(git_repo)
    question_token = sv.jwt(SEED)
    secrets.append(question_token.rsplit(".", 1)[1])
    env_key = sv.twelve_data_key(SEED + 5)
    secrets.append(env_key)
    question = f"any leaked secrets? is {question_token} one of them?"
    with FakeAnthropic(transcript("planted_secrets")) as fake:
        result = ask(git_repo, question, env={**fake.env(), "TWELVEDATA_API_KEY": env_key})
    assert result.code == 1  # SEC001 blocks, as without a key
    assert len(fake.requests) == 3 and fake.served == 3  # every tool ran; each result went out
    sent = [r.body.decode() for r in fake.requests]
    assert "[redacted: " in sent[-1] and "SEC001" in sent[-1]
    for body in sent:
        assert leaks(body, secrets) == []
    saved = next((git_repo / ".droid" / "ask").iterdir()).read_text()
    assert leaks(saved, secrets) == [] and leaks(result.out + result.err, secrets) == []
    assert "Yes: SEC001 found hard-coded credentials (sha256:" in " ".join(result.out.split())


def test_without_a_key_nothing_is_sent_and_anthropic_is_not_imported(git_repo: Path) -> None:
    """Without ANTHROPIC_API_KEY, `droid ask` is today's path: no model, no import of the SDK."""
    code = (
        "import sys\n"
        "from orchestrator.cli.main import app\n"
        "try:\n"
        f"    app(['--policies', {str(REPO_ROOT / 'policies')!r}, 'ask', 'what changed in risk params?'],"
        " standalone_mode=False, prog_name='droid')\n"
        "except Exception as exc:\n"
        "    print(type(exc).__name__)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('anthropic', 'httpx2')))\n"
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": str(git_repo), "PYTHONPATH": str(REPO_ROOT)}
    proc = subprocess.run([sys.executable, "-P", "-c", code], cwd=git_repo, env=env, capture_output=True, text=True)
    assert proc.stdout.splitlines()[-2:] == ["OrchestratorError", "[]"], proc.stderr
