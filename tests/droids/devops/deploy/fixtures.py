"""A real repository holding a copy of the trading core, its policies and environment configs, and
a load generator: what the deploy tests run for real on 127.0.0.1."""

from __future__ import annotations

import http.client
import shutil
import threading
import time
from collections import Counter
from pathlib import Path

from droids.devops.common import _policy
from droids.devops.deploy.pipeline import Deployer
from tests.conftest import REPO_ROOT, git

DEVOPS_YAML = """\
version: 1
deploy:
  environments:
    staging: {port: 0}
    prod: {port: 0, require_gate_pass: true, deployers: ["@platform"]}
  health_timeout_s: 60
  check_interval_s: 0.1
  smoke_requests: 20
  watch_s: 2
  drain_s: 0.3
  canary: {duration_s: 3, min_requests: 100, confidence: 0.95, max_error_rate: 0.05}
"""


def trading_repo(root: Path) -> Path:
    repo = root / "desk"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "platform-lead@example.com")
    git(repo, "config", "user.name", "Platform Lead")
    git(repo, "config", "commit.gpgsign", "false")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for folder in ("trading_core", "policies", "config"):
        shutil.copytree(REPO_ROOT / folder, repo / folder, ignore=ignore)
    (repo / "policies" / "devops.yaml").write_text(DEVOPS_YAML)
    (repo / ".gitignore").write_text(".droid/\n")
    commit(repo, "v1")
    return repo


def commit(repo: Path, message: str, edits: dict[str, tuple[str, str]] | None = None) -> str:
    """Apply (old -> new) text edits to files, commit, return the commit id."""
    for rel, (old, new) in (edits or {}).items():
        path = repo / rel
        text = path.read_text()
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def deployer(repo: Path, who: str = "git:platform-lead@example.com") -> Deployer:
    settings = _policy(repo / "policies", (repo / "policies" / "devops.yaml").stat().st_mtime_ns).deploy
    return Deployer(repo, repo / "policies", repo / ".droid", settings, who)


class Load:
    """POST /tick at `rate` requests per second over keep-alive connections; every outcome counted."""

    def __init__(self, port: int, rate: int = 200, threads: int = 8) -> None:
        self.port, self.interval, self.threads = port, threads / rate, threads
        self.outcomes: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.workers = [threading.Thread(target=self._run, daemon=True) for _ in range(threads)]

    def __enter__(self) -> Load:
        self.started = time.monotonic()
        for w in self.workers:
            w.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for w in self.workers:
            w.join(10)
        self.elapsed = time.monotonic() - self.started

    def _run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        next_at = time.monotonic()
        while not self.stop.is_set():
            try:
                conn.request("POST", "/tick", body=b"", headers={"Content-Length": "0"})
                response = conn.getresponse()
                response.read()
                outcome = str(response.status)
            except (OSError, http.client.HTTPException) as exc:
                outcome = exc.__class__.__name__
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            with self.lock:
                self.outcomes[outcome] += 1
            next_at += self.interval
            time.sleep(max(0.0, next_at - time.monotonic()))

    @property
    def failed(self) -> int:
        return sum(n for k, n in self.outcomes.items() if k != "200")
