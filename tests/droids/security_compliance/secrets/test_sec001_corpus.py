"""Precision: real-looking clean code of a trading project raises no SEC001 finding at all.

Two corpora: the files under `corpus/clean/` (settings read from the environment, Twelve Data,
Tradovate and IB clients, notifiers, YAML/TOML/INI/.env/properties configuration, CI, deploy and
infrastructure files, tests with placeholders, docs), and files generated here from values built
at run time (hashes, UUIDs, revisions, digests, references and templates in many syntaxes).
"""

from __future__ import annotations

import hashlib
import random
import shutil
import uuid
from pathlib import Path

import pytest

from droids.core.checks import run_checks
from droids.core.models import Targets, Task
from droids.core.protocol import DroidContext
from droids.core.registry import Registry
from droids.security_compliance.droid import SecurityComplianceDroid
from droids.security_compliance.secrets import sec001_hardcoded_secret
from droids.security_compliance.secrets.runner import scan_content
from tests import secret_values as sv
from tests.conftest import git
from tests.droids.security_compliance.secrets import field_values as fv

CORPUS = Path(__file__).parent / "corpus" / "clean"
FILES = sorted(p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*") if p.is_file())

# Generated lines: `{...}` fields are filled per line with fresh run-time values.
GENERATED = {
    ".py": [
        'RUN_ID = "{uuid}"',
        'request_id = "{uuid}"  # from the broker',
        'ARTIFACT_SHA256 = "{sha256}"',
        'model_md5 = "{md5}"',
        'UPSTREAM_COMMIT = "{sha1}"',
        'digest = hashlib.sha256(b"x").hexdigest()  # e.g. {sha256}',
        "ids = [uuid.UUID('{uuid}'), uuid.UUID('{uuid}')]",
        'URL = "https://api.twelvedata.com/time_series?symbol={symbol}&interval=1min&apikey=demo"',
        'URL = f"https://api.twelvedata.com/quote?symbol={{symbol}}&apikey={{settings.api_key}}"',
        'WS = "wss://ws.twelvedata.com/v1/quotes/price?apikey=" + os.environ["TWELVE_DATA_API_KEY"]',
        'HOOK = "https://discord.com/api/webhooks/{{webhook_id}}/{{webhook_token}}"',
        'ib_password = os.environ["IB_PASSWORD"]',
        "broker_password: SecretStr = Field(alias='BROKER_PASSWORD')",
        'payload = {{"name": name, "password": password, "cid": cid, "sec": sec, "deviceId": "{uuid}"}}',
        'timeout = {{"sec": {small}, "retries": 3}}',
    ],
    ".yaml": [
        "run_id: {uuid}",
        "sha256: {sha256}",
        "rev: {sha1}",
        "image: ghcr.io/acme/desk@sha256:{sha256}",
        "checksum: {md5}",
        "password: ${{BROKER_PASSWORD}}",
        "broker_password: ${{BROKER_PASSWORD}}",
        "ib_password: !env IB_PASSWORD",
        'tradovate_password: "{{{{ vault_tradovate_password }}}}"',
        "sec: ${{TRADOVATE_SEC}}",
        "webhook: https://hooks.slack.com/services/${{SLACK_PATH}}",
        "feed_url: https://api.twelvedata.com/time_series?symbol={symbol}&interval=5min",
        "apikey: ${{TWELVE_DATA_KEY}}",
    ],
    ".json": [
        '{{"id": "{uuid}", "sha256": "{sha256}", "status": "ok"}}',
        '{{"commit": "{sha1}", "etag": "{md5}"}}',
        '{{"name": "<username>", "password": "<password>", "cid": 0, "sec": "<api secret>"}}',
        '{{"url": "https://api.twelvedata.com/quote?symbol={symbol}&apikey=demo"}}',
    ],
    ".toml": [
        'run_id = "{uuid}"',
        'sha256 = "{sha256}"',
        'ib_password = ""',
        'twelve_data_api_key_env = "TWELVE_DATA_API_KEY"',
        'discord_webhook = "https://discord.com/api/webhooks/{{id}}/{{token}}"',
    ],
    ".md": [
        "Fixed in {sha1}; build digest `sha256:{sha256}`, run `{uuid}`.",
        "curl 'https://api.twelvedata.com/time_series?symbol={symbol}&interval=1min&apikey=YOUR_API_KEY'",
        "Webhook: `https://hooks.zapier.com/hooks/catch/<account>/<hook>/`",
    ],
    ".env.example": [
        "TWELVE_DATA_API_KEY=your_twelve_data_api_key",
        "IB_PASSWORD=changeme",
        "TRADOVATE_SEC=<your-sec>",
        "RUN_NAMESPACE={uuid}",
        "BROKER_PASSWORD=${{VAULT_BROKER_PASSWORD}}",
    ],
}
LINES_PER_FILE = 60


def _generated(extension: str, seed: int) -> str:
    rng = random.Random(f"{extension}:{seed}")
    templates = GENERATED[extension]
    lines = []
    for i in range(LINES_PER_FILE):
        n = seed * 1000 + i
        lines.append(
            rng.choice(templates).format(
                uuid=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                sha256=sv.sha256_hex(n),
                sha1=sv.sha1_hex(n),
                md5=hashlib.md5(str(n).encode()).hexdigest(),  # noqa: S324 - an ETag-like digest
                symbol=rng.choice(["ES", "NQ", "CL", "EUR/USD", "AAPL"]),
                small=rng.randint(1, 120),
            )
        )
    return "\n".join(lines) + "\n"


def test_the_corpus_is_large_and_varied() -> None:
    suffixes = {Path(f).suffix or Path(f).name for f in FILES}
    assert len(FILES) >= 45
    assert {
        ".py",
        ".yaml",
        ".yml",
        ".toml",
        ".ini",
        ".json",
        ".md",
        ".sh",
        ".ts",
        ".properties",
        ".example",
    } <= suffixes


@pytest.mark.parametrize("path", FILES)
def test_a_clean_corpus_file_raises_nothing(path: str) -> None:
    scan = scan_content(path, (CORPUS / path).read_bytes())

    assert [(h.line, h.secret_type, h.evidence) for h in scan.hits] == []


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("extension", list(GENERATED))
def test_generated_hashes_uuids_and_references_raise_nothing(extension: str, seed: int) -> None:
    path = f"gen/sample{extension}" if extension != ".env.example" else "gen/.env.example"
    scan = scan_content(path, _generated(extension, seed).encode())

    assert [(h.line, h.secret_type, h.evidence) for h in scan.hits] == []


def test_the_corpus_audits_clean_in_a_git_repo_and_a_planted_key_is_the_only_finding(git_repo: Path) -> None:
    shutil.copytree(CORPUS, git_repo, dirs_exist_ok=True)
    url, key = fv.twelve_data_url(9)
    (git_repo / "src" / "desk" / "feeds" / "leak.py").write_text(f'r = requests.get("{url}")\n')
    git(git_repo, "add", "-A")
    git(git_repo, "commit", "-q", "-m", "corpus")
    task = Task(
        mode="audit",
        profile="audit",
        repo=git_repo,
        policies=git_repo / "policies",
        targets=Targets(kind="tree", paths=tuple(git(git_repo, "ls-files").split())),
    )
    droid = Registry([SecurityComplianceDroid]).get("security-compliance")
    assert droid is not None

    report = run_checks(droid.card.name, (sec001_hardcoded_secret,), task, DroidContext(git_repo / ".droid"))

    assert [(f.path, f.line, f.message.split(" hard-coded")[0]) for f in report.findings] == [
        ("src/desk/feeds/leak.py", 1, "Twelve Data API Key")
    ]
    assert report.metrics["files"] >= len(FILES)
    assert key not in report.model_dump_json()
